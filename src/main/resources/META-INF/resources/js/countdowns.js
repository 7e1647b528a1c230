// Countdowns panel: several named countdowns run by the server and merged into one SSE stream;
// each tick updates its own card, side by side.

import { readEventStream } from './sse.js';

const DEFAULT_SPECS = [
    { name: 'Launch', from: 5 },
    { name: 'Tea', from: 3 },
];

export function setUpCountdowns(root = document) {
    const el = (id) => root.getElementById(id);
    const form = el('countdown-form');
    const specs = el('countdown-specs');
    const template = el('countdown-spec-template');
    const addButton = el('countdown-add');
    const periodInput = el('countdown-period');
    const startButton = el('countdown-start');
    const stopButton = el('countdown-stop');
    const status = el('countdown-status');
    const errorBox = el('countdown-error');
    const board = el('countdown-board');

    let run = null; // { controller, cards: Map<name, card>, remaining: Set<name> }

    for (const spec of DEFAULT_SPECS) {
        addSpec(spec);
    }
    addButton.addEventListener('click', () => {
        const input = addSpec({ name: `Countdown ${specs.children.length + 1}`, from: 4 });
        input.focus();
    });
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (form.reportValidity()) {
            start();
        }
    });
    stopButton.addEventListener('click', () => stop('Stopped'));

    function addSpec({ name, from }) {
        const item = template.content.firstElementChild.cloneNode(true);
        const nameInput = item.querySelector('[data-role=name]');
        const fromInput = item.querySelector('[data-role=from]');
        nameInput.value = name;
        fromInput.value = String(from);
        item.querySelector('[data-role=remove]').addEventListener('click', () => {
            if (specs.children.length > 1) {
                item.remove();
                specs.querySelector('input')?.focus();
            }
        });
        specs.append(item);
        return nameInput;
    }

    function readSpecs() {
        return [...specs.children].map((item) => ({
            name: item.querySelector('[data-role=name]').value.trim(),
            from: Number(item.querySelector('[data-role=from]').value),
        }));
    }

    async function start() {
        stop(null);
        const wanted = readSpecs();
        const names = new Set(wanted.map((spec) => spec.name));
        if (names.size !== wanted.length) {
            showError('Give each countdown its own name.');
            return;
        }
        hideError();
        const params = new URLSearchParams();
        for (const spec of wanted) {
            params.append('c', `${spec.name}:${spec.from}`);
        }
        params.set('periodMs', periodInput.value);
        const controller = new AbortController();
        const current = { controller, cards: new Map(), remaining: new Set(names) };
        run = current;
        board.replaceChildren(...wanted.map((spec) => {
            const card = countdownCard(spec, Number(periodInput.value));
            current.cards.set(spec.name, card);
            return card.item;
        }));
        setRunning(true);
        setStatus('running', `Running ${wanted.length} countdowns`);
        try {
            await readEventStream(`/api/countdowns?${params}`, (event) => onEvent(current, event), controller.signal);
            if (run === current) {
                // The stream ended: anything not done by now will not be.
                for (const name of current.remaining) {
                    current.cards.get(name)?.setState('stopped', 'ended');
                }
                finish(current, current.remaining.size === 0 ? 'All done' : 'The stream ended early');
            }
        } catch (error) {
            if (run === current && error.name !== 'AbortError') {
                showError(error.message);
                for (const name of current.remaining) {
                    current.cards.get(name)?.setState('stopped', 'failed');
                }
                finish(current, 'Failed');
            }
        }
    }

    function onEvent(current, event) {
        let data;
        try {
            data = JSON.parse(event.data);
        } catch {
            data = { name: event.data };
        }
        const card = current.cards.get(data?.name);
        const isDone = event.event === 'done' || data?.done === true || data?.type === 'done';
        if (isDone) {
            if (data?.name == null) {
                // One `done` for the whole merged stream.
                for (const name of current.remaining) {
                    current.cards.get(name)?.setState('done', 'done');
                }
                current.remaining.clear();
            } else if (card) {
                card.setState('done', 'done');
                current.remaining.delete(data.name);
            }
            if (current.remaining.size === 0) {
                finish(current, 'All done');
            }
            return;
        }
        if (card && typeof data.n === 'number') {
            card.tick(data.n);
        }
    }

    function finish(current, text) {
        if (run !== current) {
            return;
        }
        current.controller.abort();
        run = null;
        setRunning(false);
        setStatus('done', text);
    }

    function stop(text) {
        if (!run) {
            return;
        }
        const current = run;
        run = null;
        current.controller.abort();
        for (const name of current.remaining) {
            current.cards.get(name)?.setState('stopped', 'stopped');
        }
        setRunning(false);
        if (text) {
            setStatus('stopped', text);
        }
    }

    function setRunning(running) {
        startButton.textContent = running ? 'Restart' : 'Start';
        stopButton.disabled = !running;
        board.setAttribute('aria-busy', String(running));
    }

    function setStatus(state, text) {
        status.dataset.state = state;
        status.textContent = text;
    }

    function showError(text) {
        errorBox.textContent = text;
        errorBox.hidden = false;
    }

    function hideError() {
        errorBox.hidden = true;
        errorBox.textContent = '';
    }
}

function countdownCard({ name, from }, periodMs) {
    const item = document.createElement('li');
    item.dataset.name = name;
    item.dataset.state = 'waiting';
    const title = document.createElement('div');
    title.className = 'cd-name';
    title.textContent = name;
    const value = document.createElement('div');
    value.className = 'cd-value';
    value.textContent = String(from);
    const progress = document.createElement('progress');
    progress.max = from;
    progress.value = 0;
    progress.setAttribute('aria-label', `${name} progress`);
    const state = document.createElement('div');
    state.className = 'cd-state';
    state.textContent = 'waiting';
    item.append(title, value, progress, state);
    let ticks = 0;
    let liftOff = null;
    return {
        item,
        tick(n) {
            ticks += 1;
            item.dataset.state = 'running';
            item.dataset.n = String(n);
            item.dataset.ticks = String(ticks);
            value.textContent = String(n);
            progress.value = from - n + 1;
            state.textContent = 'running';
            // Each countdown ends one period after its 1; the stream's single `done` confirms them all.
            if (n === 1) {
                liftOff = setTimeout(() => {
                    if (item.dataset.state === 'running') {
                        value.textContent = '0';
                        progress.value = from;
                        state.textContent = 'lift-off';
                    }
                }, periodMs);
            }
        },
        setState(next, text) {
            clearTimeout(liftOff);
            item.dataset.state = next;
            state.textContent = text;
            if (next === 'done') {
                value.textContent = '0';
                progress.value = from;
            }
        },
    };
}
