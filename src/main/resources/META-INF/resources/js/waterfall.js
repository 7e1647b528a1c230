// Fan-out waterfall: one bar per source from its start to its end on a shared time axis,
// coloured by outcome, with the total time and the sum of the bars beside it.

const OUTCOMES = new Set(['ok', 'error', 'timeout']);
// The page calls without a token: a source that needs one (the users and orders lists need an admin's) answers 401.
const NEEDS_TOKEN = 401;

/**
 * Pulls the per-source timings out of a fan-out answer (also out of a 502 problem, which
 * carries the outcomes too).
 * @returns {{parts: {name: string, outcome: string, startedAtMs: number, elapsedMs: number, detail: string}[], totalMs: number|null, complete: boolean|null}}
 */
export function timingsOf(body) {
    const raw = body?.sources ?? body?.outcomes ?? body?.queries ?? body?.timings ?? body?.parts ?? [];
    const entries = Array.isArray(raw)
        ? raw
        : Object.entries(raw).map(([name, value]) => ({ name, ...value }));
    const parts = entries.map((entry) => {
        const outcome = String(entry.outcome ?? entry.status ?? 'ok').toLowerCase();
        return {
            name: String(entry.name ?? entry.source ?? entry.query ?? '?'),
            outcome: OUTCOMES.has(outcome) ? outcome : 'error',
            startedAtMs: Number(entry.startedAtMs ?? 0),
            elapsedMs: Number(entry.elapsedMs ?? 0),
            detail: detailOf(entry),
            needsToken: outcome !== 'ok' && entry.status === NEEDS_TOKEN,
        };
    });
    const total = body?.elapsedMs ?? body?.totalMs ?? null;
    const counts = body?.counts && typeof body.counts === 'object' ? body.counts : null;
    return { parts, totalMs: total == null ? null : Number(total), complete: body?.complete ?? null, counts };
}

function detailOf(entry) {
    const parts = [];
    if (typeof entry.status === 'number' && entry.outcome !== 'ok') {
        parts.push(`HTTP ${entry.status}`);
    }
    const reason = entry.reason ?? entry.error ?? entry.detail;
    if (reason) {
        parts.push(String(reason));
    }
    return parts.join(', ');
}

/** Draws the parts into a view made of [data-role=summary|bars|axis|error] elements. */
export function drawWaterfall(view, { parts, totalMs, complete, counts }, clientMs) {
    const summary = view.querySelector('[data-role=summary]');
    const bars = view.querySelector('[data-role=bars]');
    const axis = view.querySelector('[data-role=axis]');
    const sumMs = parts.reduce((sum, part) => sum + part.elapsedMs, 0);
    const slowestEnd = parts.reduce((max, part) => Math.max(max, part.startedAtMs + part.elapsedMs), 0);
    const total = totalMs ?? slowestEnd;
    // One scale for the bars and the sum row, so their lengths can be compared by eye.
    const scale = Math.max(sumMs, total, slowestEnd, 1);

    bars.replaceChildren(
        ...parts.map((part) => row(part, scale)),
        sumRow(sumMs, scale));
    axis.replaceChildren(...[0, 0.25, 0.5, 0.75, 1].map((fraction) => {
        const tick = document.createElement('span');
        tick.textContent = `${Math.round(scale * fraction)} ms`;
        return tick;
    }));

    const outcomeSummary = countOutcomes(parts);
    summary.replaceChildren();
    const speedup = total > 0 ? sumMs / total : 0;
    appendText(summary, `${parts.length} at once: total `);
    appendStrong(summary, `${ms(total)}`, 'total');
    appendText(summary, ', sum of bars ');
    appendStrong(summary, `${ms(sumMs)}`, 'sum');
    if (speedup >= 1.05) {
        appendText(summary, ` (${speedup.toFixed(1)}× faster than one after another)`);
    }
    appendText(summary, `. ${outcomeSummary}`);
    if (complete === false) {
        appendText(summary, ' (partial result)');
    }
    const needToken = parts.filter((part) => part.needsToken).map((part) => part.name);
    if (needToken.length > 0) {
        const note = document.createElement('span');
        note.dataset.role = 'needs-token';
        note.textContent = `. ${needToken.join(', ')} answered 401: this page calls without a token, and `
            + `${needToken.length === 1 ? 'this source shows' : 'these sources show'} data to an admin only; `
            + 'call /api/aggregate with the admin token the log prints (see the README, Security) to see them';
        summary.append(note);
    }
    if (clientMs != null) {
        appendText(summary, `. Round trip seen by the page: ${ms(clientMs)}.`);
    }
    if (counts != null) {
        appendText(summary, ` Counted: ${Object.entries(counts).map(([what, count]) => `${count} ${what}`).join(', ')}.`);
    }
    view.dataset.sources = String(parts.length);
    view.dataset.totalMs = String(total);
    view.dataset.sumMs = String(sumMs);
}

function row(part, scale) {
    const item = document.createElement('li');
    item.className = 'source';
    item.dataset.name = part.name;
    item.dataset.outcome = part.outcome;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = part.name;
    name.title = part.name;
    const track = document.createElement('span');
    track.className = 'track';
    const bar = document.createElement('span');
    bar.className = `bar ${part.outcome}`;
    bar.style.left = `${(part.startedAtMs / scale) * 100}%`;
    bar.style.width = `${(part.elapsedMs / scale) * 100}%`;
    const label = `${part.name}: ${part.outcome}${part.detail ? ` (${part.detail})` : ''}, started at ${ms(part.startedAtMs)}, took ${ms(part.elapsedMs)}`;
    bar.title = label;
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', label);
    track.append(bar);
    const took = document.createElement('span');
    took.className = 'ms';
    const why = part.needsToken ? 'needs a token' : part.outcome;
    took.textContent = part.outcome === 'ok' ? ms(part.elapsedMs) : `${ms(part.elapsedMs)} · ${why}`;
    item.append(name, track, took);
    return item;
}

function sumRow(sumMs, scale) {
    const item = document.createElement('li');
    item.className = 'sum-row';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = 'one by one';
    const track = document.createElement('span');
    track.className = 'track';
    const bar = document.createElement('span');
    bar.className = 'bar sum';
    bar.style.left = '0';
    bar.style.width = `${(sumMs / scale) * 100}%`;
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', `Sum of all bars: ${ms(sumMs)}`);
    track.append(bar);
    const took = document.createElement('span');
    took.className = 'ms';
    took.textContent = ms(sumMs);
    item.append(name, track, took);
    return item;
}

function countOutcomes(parts) {
    const counts = {};
    for (const part of parts) {
        counts[part.outcome] = (counts[part.outcome] ?? 0) + 1;
    }
    return Object.entries(counts).map(([outcome, count]) => `${count} ${outcome}`).join(', ') || 'no sources';
}

function ms(value) {
    return `${Math.round(value)} ms`;
}

function appendText(parent, text) {
    parent.append(document.createTextNode(text));
}

function appendStrong(parent, text, role) {
    const strong = document.createElement('strong');
    strong.dataset.role = role;
    strong.textContent = text;
    parent.append(strong);
}

/** Wires a button (or a form) to call an endpoint and draw its waterfall into a view. */
export function setUpWaterfall(trigger, view, url) {
    const errorBox = view.querySelector('[data-role=error]');
    const button = trigger instanceof HTMLFormElement ? trigger.querySelector('[type=submit]') : trigger;
    const run = async () => {
        const target = typeof url === 'function' ? url() : url;
        button.disabled = true;
        view.setAttribute('aria-busy', 'true');
        errorBox.hidden = true;
        const started = performance.now();
        try {
            const response = await fetch(target, { headers: { Accept: 'application/json' } });
            const clientMs = performance.now() - started;
            const body = await response.json().catch(() => null);
            const timings = timingsOf(body);
            if (timings.parts.length > 0) {
                drawWaterfall(view, timings, clientMs);
            }
            if (!response.ok) {
                errorBox.textContent = `${response.status}: ${body?.detail ?? body?.title ?? response.statusText}`;
                errorBox.hidden = false;
            }
            view.dataset.state = response.ok ? 'drawn' : 'failed';
        } catch (error) {
            errorBox.textContent = `Request failed: ${error.message}`;
            errorBox.hidden = false;
            view.dataset.state = 'failed';
        } finally {
            button.disabled = false;
            view.removeAttribute('aria-busy');
        }
    };
    if (trigger instanceof HTMLFormElement) {
        trigger.addEventListener('submit', (event) => {
            event.preventDefault();
            if (trigger.reportValidity()) {
                run();
            }
        });
    } else {
        trigger.addEventListener('click', run);
    }
}

/** The aggregate URL for the names and deadline typed into the form (none: every configured source). */
export function aggregateUrl(sourcesText, deadlineText) {
    const params = new URLSearchParams();
    for (const name of sourcesText.split(/[\s,]+/).filter(Boolean)) {
        params.append('source', name);
    }
    if (deadlineText) {
        params.set('deadlineMs', deadlineText);
    }
    const query = params.toString();
    return query ? `/api/aggregate?${query}` : '/api/aggregate';
}
