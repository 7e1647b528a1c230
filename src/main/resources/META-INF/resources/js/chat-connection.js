// One chat room over WebSocket: the protocol only, no DOM.
// Reconnects by itself after a drop (with jittered backoff, so a restarted server is not hit by
// every page at once) and asks for `since` the last message it saw in the room's epoch, so the
// gap is filled from the server's history; listeners see every message id at most once.
// Every message carries a `ref`; the server's ack or error for it carries the same ref.

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];
// Close codes after which trying again cannot help (bad room or name, frame too big).
const FINAL_CLOSE_CODES = new Set([1008, 1009]);

/** A delay between half and all of the backoff step: clients dropped together spread out. */
export function retryDelay(attempt, random = Math.random) {
    const base = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
    return Math.round(base / 2 + random() * base / 2);
}

export function chatUrl(room, name, since, epoch, location = window.location) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const params = new URLSearchParams({ name });
    if (since != null) {
        params.set('since', String(since));
        if (epoch != null) {
            params.set('epoch', epoch);
        }
    }
    return `${scheme}//${location.host}/chat/${encodeURIComponent(room)}?${params}`;
}

export class ChatConnection {
    /**
     * @param {string} room
     * @param {string} name
     * @param {(event: object) => void} listener receives
     *   {kind:'state', state, detail}, {kind:'welcome', presence, truncated, reset},
     *   {kind:'message', message, mine}, {kind:'ack', localId, id, at},
     *   {kind:'rejected', localId, code, detail}, {kind:'error', code, detail},
     *   {kind:'join'|'leave', name}
     */
    constructor(room, name, listener) {
        this.room = room;
        this.name = name;
        this.listener = listener;
        this.socket = null;
        this.lastSeenId = null;      // highest id received as a message (history or live)
        this.epoch = null;           // the room's epoch those ids belong to
        this.seenIds = new Set();    // every id already handed to the listener
        this.unanswered = [];        // local messages sent and not yet acked or rejected, in order (by ref)
        this.nextLocalId = 1;
        this.attempt = 0;
        this.retryTimer = null;
        this.holdReconnect = false;
        this.closedByUser = false;
    }

    connect() {
        this.closedByUser = false;
        this.open();
    }

    open() {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
        const reconnecting = this.lastSeenId != null || this.attempt > 0;
        this.emit({ kind: 'state', state: reconnecting ? 'reconnecting' : 'connecting' });
        const socket = new WebSocket(chatUrl(this.room, this.name, this.lastSeenId, this.epoch));
        this.socket = socket;
        socket.addEventListener('message', (event) => {
            if (this.socket === socket) {
                this.onFrame(event.data);
            }
        });
        socket.addEventListener('close', (event) => {
            if (this.socket === socket) {
                this.onClose(event);
            }
        });
    }

    onFrame(data) {
        let frame;
        try {
            frame = JSON.parse(data);
        } catch {
            this.emit({ kind: 'error', code: 'protocol', detail: 'The server sent a frame that is not JSON' });
            return;
        }
        switch (frame.type) {
            case 'welcome':
                this.attempt = 0;
                this.epoch = frame.epoch ?? null;
                if (frame.epochChanged) {
                    // The room was reset: the ids seen so far belong to its earlier life.
                    this.seenIds.clear();
                    this.lastSeenId = null;
                }
                this.emit({ kind: 'state', state: 'open' });
                this.emit({
                    kind: 'welcome',
                    presence: presenceNames(frame.presence),
                    truncated: Boolean(frame.truncated),
                    reset: Boolean(frame.epochChanged),
                });
                for (const message of frame.history ?? []) {
                    this.deliver(message);
                }
                this.settleUnansweredAfterReconnect();
                break;
            case 'message':
                this.deliver(frame);
                break;
            case 'ack':
                this.acknowledge(frame);
                break;
            case 'error':
                this.reject(frame);
                break;
            case 'join':
            case 'leave':
                this.emit({ kind: frame.type, name: frame.name ?? frame.from });
                break;
            default:
                // Unknown frame types are ignored so the server can add new ones.
                break;
        }
    }

    deliver(message) {
        const id = message.id;
        if (id == null || this.seenIds.has(id)) {
            return;
        }
        this.seenIds.add(id);
        if (this.lastSeenId == null || id > this.lastSeenId) {
            this.lastSeenId = id;
        }
        // Our own message sent before a drop comes back in the history after the reconnect: its
        // ack went with the old connection, so the history answers it (oldest first, by text).
        if (message.from === this.name) {
            const index = this.unanswered.findIndex((pending) => pending.orphaned && pending.text === message.text);
            if (index >= 0) {
                const [pending] = this.unanswered.splice(index, 1);
                this.emit({ kind: 'ack', localId: pending.localId, id, at: message.at });
                return;
            }
        }
        this.emit({ kind: 'message', message, mine: message.from === this.name });
    }

    acknowledge(frame) {
        if (frame.id != null) {
            this.seenIds.add(frame.id);
        }
        const index = this.unanswered.findIndex((pending) => pending.ref === frame.ref);
        if (index >= 0) {
            const [pending] = this.unanswered.splice(index, 1);
            this.emit({ kind: 'ack', localId: pending.localId, id: frame.id, at: frame.at });
        }
    }

    reject(frame) {
        const code = frame.code ?? 'error';
        const detail = frame.detail ?? 'The server refused that';
        const index = frame.ref == null ? -1 : this.unanswered.findIndex((pending) => pending.ref === frame.ref);
        if (index >= 0) {
            const [pending] = this.unanswered.splice(index, 1);
            this.emit({ kind: 'rejected', localId: pending.localId, code, detail });
        } else {
            this.emit({ kind: 'error', code, detail });
        }
    }

    // Messages sent before a drop and never answered either reached the server (then they came
    // back in the history above) or were lost: say so instead of silently resending.
    settleUnansweredAfterReconnect() {
        const lost = this.unanswered.filter((pending) => pending.orphaned);
        this.unanswered = this.unanswered.filter((pending) => !pending.orphaned);
        for (const pending of lost) {
            this.emit({ kind: 'rejected', localId: pending.localId, code: 'lost', detail: 'Not delivered: the connection dropped before the server answered' });
        }
    }

    onClose(event) {
        this.socket = null;
        for (const pending of this.unanswered) {
            pending.orphaned = true;
        }
        if (this.closedByUser) {
            this.emit({ kind: 'state', state: 'idle', detail: 'Left the room' });
            return;
        }
        if (FINAL_CLOSE_CODES.has(event.code)) {
            this.emit({ kind: 'state', state: 'closed', detail: event.reason || `Closed by the server (${event.code})` });
            return;
        }
        const delay = retryDelay(this.attempt);
        this.attempt += 1;
        const why = event.reason ? `${event.reason} (${event.code})` : `connection lost (${event.code})`;
        this.emit({ kind: 'state', state: 'reconnecting', detail: `${why}; retrying in ${delay} ms` });
        if (!this.holdReconnect) {
            this.retryTimer = setTimeout(() => this.open(), delay);
        }
    }

    /** @returns {number|null} the local id of the message, or null when not connected */
    send(text) {
        if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
            return null;
        }
        const localId = this.nextLocalId++;
        const ref = `m${localId}`;
        this.unanswered.push({ localId, ref, text, orphaned: false });
        this.socket.send(JSON.stringify({ type: 'message', text, ref }));
        return localId;
    }

    leave() {
        this.closedByUser = true;
        clearTimeout(this.retryTimer);
        if (this.socket) {
            this.socket.close(1000, 'left');
        } else {
            this.emit({ kind: 'state', state: 'idle', detail: 'Left the room' });
        }
    }

    /** Test hook: drop the socket as a network failure would, optionally holding the reconnect. */
    simulateDrop(hold = false) {
        this.holdReconnect = hold;
        if (this.socket) {
            this.socket.close(4000, 'simulated drop');
        }
    }

    /** Test hook: let a held reconnect go ahead now. */
    releaseReconnect() {
        this.holdReconnect = false;
        if (!this.socket && !this.closedByUser) {
            this.open();
        }
    }

    emit(event) {
        this.listener(event);
    }
}

function presenceNames(presence) {
    if (!Array.isArray(presence)) {
        return [];
    }
    return presence.map((entry) => (typeof entry === 'string' ? entry : entry?.name)).filter(Boolean);
}
