// Chat panel: joins a room, shows history, presence and live messages.
// Text from the network only ever reaches the page through textContent, never as HTML.

import { ChatConnection } from './chat-connection.js';
import { GuestSession } from './chat-identity.js';

const STATE_TEXT = {
    idle: 'Not connected',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    open: 'Connected',
    closed: 'Disconnected',
};

export function setUpChat(root = document) {
    const el = (id) => root.getElementById(id);
    const joinForm = el('chat-join');
    const nameInput = el('chat-name');
    const roomInput = el('chat-room');
    const joinButton = el('chat-join-button');
    const leaveButton = el('chat-leave-button');
    const status = el('chat-status');
    const list = el('chat-messages');
    const presenceList = el('chat-presence');
    const presenceCount = el('chat-presence-count');
    const errorBox = el('chat-error');
    const sendForm = el('chat-send');
    const textInput = el('chat-text');
    const sendButton = el('chat-send-button');

    let connection = null;
    let online = new Map(); // user -> the name it is shown with (a user is listed once)
    const pendingItems = new Map(); // local id -> <li>

    restoreName();

    joinForm.addEventListener('submit', (event) => {
        event.preventDefault();
        if (!joinForm.reportValidity()) {
            return;
        }
        join(nameInput.value.trim(), roomInput.value.trim());
    });
    leaveButton.addEventListener('click', () => connection?.leave());
    sendForm.addEventListener('submit', (event) => {
        event.preventDefault();
        send();
    });

    function join(name, room) {
        connection?.leave();
        list.replaceChildren();
        pendingItems.clear();
        online = new Map();
        renderPresence();
        hideError();
        try {
            localStorage.setItem('switchboard.chat.name', name);
        } catch {
            // Private windows may refuse storage; remembering the name is only a convenience.
        }
        // The page signs in as a guest under the typed name; who it is comes back in the welcome.
        // A replaced connection still reports its own closing: only the current one may speak.
        const current = new ChatConnection(room, new GuestSession(name), (event) => {
            if (connection === current) {
                onEvent(event);
            }
        });
        connection = current;
        connection.connect();
        setJoined(true);
    }

    function send() {
        const text = textInput.value;
        if (!connection || text.trim() === '') {
            return;
        }
        const localId = connection.send(text);
        if (localId == null) {
            showError('Not connected: the message was not sent. Reconnecting…');
            return;
        }
        hideError();
        const item = messageItem({ from: connection.name, user: connection.user, text, at: null }, true);
        item.classList.add('pending');
        item.dataset.localId = String(localId);
        pendingItems.set(localId, item);
        append(item);
        textInput.value = '';
        textInput.focus();
    }

    function onEvent(event) {
        switch (event.kind) {
            case 'state':
                setStatus(event.state, event.detail);
                break;
            case 'welcome':
                online = new Map(event.presence.map(({ user, name }) => [user, name]));
                renderPresence();
                if (event.reset) {
                    list.replaceChildren(notice('This room was reset: its earlier messages are gone.'));
                }
                if (event.truncated) {
                    append(notice('Older messages were left out.'));
                }
                break;
            case 'message':
                insertById(messageItem(event.message, event.mine));
                break;
            case 'ack': {
                const item = pendingItems.get(event.localId);
                pendingItems.delete(event.localId);
                if (item) {
                    item.classList.remove('pending');
                    if (event.id != null) {
                        item.dataset.id = String(event.id);
                    }
                    if (event.at) {
                        const at = item.querySelector('.at');
                        at.dateTime = String(event.at);
                        at.textContent = clock(event.at);
                    }
                }
                break;
            }
            case 'rejected': {
                const item = pendingItems.get(event.localId);
                pendingItems.delete(event.localId);
                if (item) {
                    item.classList.remove('pending');
                    item.classList.add('failed');
                    item.title = event.detail;
                }
                showError(errorText(event.code, event.detail));
                break;
            }
            case 'error':
                showError(errorText(event.code, event.detail));
                break;
            case 'join':
                online.set(event.user, event.name);
                renderPresence();
                append(notice(`${event.name} joined`, 'join'));
                break;
            case 'leave':
                online.delete(event.user);
                renderPresence();
                append(notice(`${event.name} left`, 'leave'));
                break;
            default:
                break;
        }
    }

    function setStatus(state, detail) {
        status.dataset.state = state;
        const room = connection ? ` to #${connection.room} as ${connection.name}` : '';
        const base = STATE_TEXT[state] ?? state;
        status.textContent = state === 'open' ? `${base}${room}` : detail ? `${base} ${detail}` : base;
        const usable = state === 'open';
        textInput.disabled = !usable && !(state === 'reconnecting' || state === 'connecting');
        sendButton.disabled = !usable;
        if (state === 'idle' || state === 'closed') {
            setJoined(false);
            online = new Map();
            renderPresence();
            if (state === 'closed') {
                showError(detail);
            }
        }
    }

    function setJoined(joined) {
        joinButton.textContent = joined ? 'Rejoin' : 'Join';
        leaveButton.disabled = !joined;
        textInput.disabled = !joined;
        if (!joined) {
            sendButton.disabled = true;
        }
    }

    function renderPresence() {
        const users = [...online.entries()].sort(([, a], [, b]) => a.localeCompare(b));
        presenceList.replaceChildren(...users.map(([user, name]) => {
            const item = document.createElement('li');
            item.textContent = name;
            if (connection && user === connection.user) {
                item.classList.add('me');
                item.textContent = `${name} (you)`;
            }
            item.dataset.name = name;
            item.dataset.user = user;
            return item;
        }));
        presenceCount.textContent = String(users.length);
    }

    function messageItem(message, mine) {
        const item = document.createElement('li');
        item.className = 'message';
        if (mine) {
            item.classList.add('mine');
        }
        if (message.id != null) {
            item.dataset.id = String(message.id);
        }
        if (message.user != null) {
            item.dataset.user = message.user; // tells apart two people with one name
        }
        const at = document.createElement('time');
        at.className = 'at';
        if (message.at) {
            at.dateTime = String(message.at);
            at.textContent = clock(message.at);
        }
        const from = document.createElement('span');
        from.className = 'from';
        from.textContent = message.from ?? '?';
        const text = document.createElement('span');
        text.className = 'text';
        text.textContent = message.text ?? '';
        item.append(at, from, text);
        return item;
    }

    function notice(text, kind = 'info') {
        const item = document.createElement('li');
        item.className = `notice ${kind}`;
        item.textContent = text;
        return item;
    }

    // Messages with ids stay in id order even when history and live frames interleave.
    function insertById(item) {
        const id = Number(item.dataset.id);
        const later = [...list.querySelectorAll('li[data-id]')].find((other) => Number(other.dataset.id) > id);
        if (later) {
            list.insertBefore(item, later);
            keepScrolled();
        } else {
            append(item);
        }
    }

    function append(item) {
        const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        list.append(item);
        if (atBottom) {
            keepScrolled();
        }
    }

    function keepScrolled() {
        list.scrollTop = list.scrollHeight;
    }

    function showError(text) {
        errorBox.textContent = text;
        errorBox.hidden = false;
    }

    function hideError() {
        errorBox.hidden = true;
        errorBox.textContent = '';
    }

    function restoreName() {
        try {
            const saved = localStorage.getItem('switchboard.chat.name');
            if (saved && !nameInput.value) {
                nameInput.value = saved;
            }
        } catch {
            // Storage unavailable: start with an empty name.
        }
    }

    return {
        get connection() {
            return connection;
        },
    };
}

function clock(at) {
    const date = typeof at === 'number' ? new Date(at) : new Date(String(at));
    if (Number.isNaN(date.getTime())) {
        return '';
    }
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function errorText(code, detail) {
    const labels = {
        'rate-limited': 'Slow down',
        'too-long': 'Too long',
        empty: 'Empty message',
        unavailable: 'Server unavailable',
        'invalid-type': 'Not understood',
        lost: 'Connection dropped',
    };
    const label = labels[code] ?? (code ? String(code) : 'Error');
    return detail ? `${label}: ${detail}` : label;
}
