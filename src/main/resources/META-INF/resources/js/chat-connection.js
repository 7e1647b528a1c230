// One chat room over WebSocket: the protocol only, no DOM.
// Reconnects by itself after a drop (with jittered backoff, so a restarted server is not hit by
// every page at once) and asks for `since` the last message it saw in the room's epoch, so the
// gap is filled from the server's history; listeners see every message id at most once.
// Every message carries a `ref`; the server's ack or error for it carries the same ref.
// Who is speaking is the token's (a GuestSession's): a message is the reader's own when its `user` is the
// user the welcome named, never by display name. The token is renewed before it expires and the socket
// reopened with `since`, so nothing is missed.

import { chatProtocols } from './chat-identity.js';

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];
// Close codes after which trying again cannot help (bad room, frame too big), but for an expired token.
const FINAL_CLOSE_CODES = new Set([1008, 1009]);
// Attempts in a row that end before a welcome, after which the token is asked for anew (it may be refused).
const FAILURES_BEFORE_NEW_TOKEN = 3;

/** A delay between half and all of the backoff step: clients dropped together spread out. */
export function retryDelay(attempt, random = Math.random) {
    const base = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
    return Math.round(base / 2 + random() * base / 2);
}

export function chatUrl(room, since, epoch, location = window.location) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const params = new URLSearchParams();
    if (since != null) {
        params.set('since', String(since));
        if (epoch != null) {
            params.set('epoch', epoch);
        }
    }
    const query = params.toString();
    return `${scheme}//${location.host}/chat/${encodeURIComponent(room)}${query ? `?${query}` : ''}`;
}

export class ChatConnection {
    /**
     * @param {string} room
     * @param {{fresh: () => Promise<string>, renew: () => Promise<string>, renewIn: () => number, forget: () => void}} session
     *   gives the token (see GuestSession)
     * @param {(event: object) => void} listener receives
     *   {kind:'state', state, detail}, {kind:'welcome', user, name, presence: [{user, name}], truncated, reset},
     *   {kind:'message', message, mine}, {kind:'ack', localId, id, at},
     *   {kind:'rejected', localId, code, detail}, {kind:'error', code, detail},
     *   {kind:'join'|'leave', user, name}
     */
    constructor(room, session, listener) {
        this.room = room;
        this.session = session;
        this.user = null;            // the token's subject, as the welcome says
        this.name = null;            // the name others see, as the welcome says
        this.listener = listener;
        this.failuresBeforeWelcome = 0;
        this.renewTimer = null;
        this.retiring = null;        // the socket a renewal replaces, closed once the new one is welcomed
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

    /** @param {boolean} renewing a renewal replaces an open socket: the page stays "open" meanwhile */
    async open(renewing = false) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
        const reconnecting = this.lastSeenId != null || this.attempt > 0;
        if (!renewing) {
            this.emit({ kind: 'state', state: reconnecting ? 'reconnecting' : 'connecting' });
        }
        let token;
        try {
            token = await this.session.fresh();
        } catch (error) {
            this.signInFailed(error);
            return;
        }
        if (this.closedByUser) {
            return;
        }
        const socket = new WebSocket(chatUrl(this.room, this.lastSeenId, this.epoch), chatProtocols(token));
        socket.welcomed = false;
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
                this.failuresBeforeWelcome = 0;
                if (this.socket) {
                    this.socket.welcomed = true;
                }
                this.user = frame.user ?? null;
                this.name = frame.name ?? null;
                this.retire();
                this.scheduleRenewal();
                this.epoch = frame.epoch ?? null;
                if (frame.epochChanged) {
                    // The room was reset: the ids seen so far belong to its earlier life.
                    this.seenIds.clear();
                    this.lastSeenId = null;
                }
                this.emit({ kind: 'state', state: 'open' });
                this.emit({
                    kind: 'welcome',
                    user: this.user,
                    name: this.name,
                    presence: presenceUsers(frame.presence),
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
                this.emit({ kind: frame.type, user: frame.user, name: frame.name });
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
        const mine = this.user != null && message.user === this.user;
        if (mine) {
            const index = this.unanswered.findIndex((pending) => pending.orphaned && pending.text === message.text);
            if (index >= 0) {
                const [pending] = this.unanswered.splice(index, 1);
                this.emit({ kind: 'ack', localId: pending.localId, id, at: message.at });
                return;
            }
        }
        this.emit({ kind: 'message', message, mine });
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
        const welcomed = this.socket?.welcomed;
        this.socket = null;
        clearTimeout(this.renewTimer);
        this.orphanUnanswered();
        if (this.closedByUser) {
            this.emit({ kind: 'state', state: 'idle', detail: 'Left the room' });
            return;
        }
        if (!welcomed && ++this.failuresBeforeWelcome >= FAILURES_BEFORE_NEW_TOKEN) {
            // Refused at the upgrade again and again (a browser sees no status): the token may be the reason.
            this.failuresBeforeWelcome = 0;
            this.session.forget();
        }
        const expired = event.code === 1008 && /expired/i.test(event.reason ?? '');
        if (expired) {
            this.session.forget();
        } else if (FINAL_CLOSE_CODES.has(event.code)) {
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

    orphanUnanswered() {
        for (const pending of this.unanswered) {
            pending.orphaned = true;
        }
    }

    /**
     * Before the token expires: a new one, and a new socket with `since`. The old socket stays open until the new
     * one is welcomed, so the others see no leave and join, and nothing is missed in between.
     */
    scheduleRenewal() {
        clearTimeout(this.renewTimer);
        this.renewTimer = setTimeout(async () => {
            try {
                await this.session.renew();
            } catch {
                return; // the server closes at expiry; the reconnect then asks again
            }
            const old = this.socket;
            if (old && !this.closedByUser) {
                this.retiring = old;
                this.socket = null; // what the old socket still says is ignored from now on
                this.orphanUnanswered();
                this.open(true);
            }
        }, this.session.renewIn());
    }

    retire() {
        if (this.retiring) {
            this.retiring.close(1000, 'token renewed');
            this.retiring = null;
        }
    }

    signInFailed(error) {
        const final = error.status === 400 || error.status === 404;
        if (final) {
            this.emit({ kind: 'state', state: 'closed', detail: error.message });
            return;
        }
        const delay = retryDelay(this.attempt);
        this.attempt += 1;
        this.emit({ kind: 'state', state: 'reconnecting', detail: `${error.message}; retrying in ${delay} ms` });
        this.retryTimer = setTimeout(() => this.open(), delay);
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
        clearTimeout(this.renewTimer);
        this.retire();
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

function presenceUsers(presence) {
    if (!Array.isArray(presence)) {
        return [];
    }
    return presence.filter((entry) => entry?.user != null).map(({ user, name }) => ({ user, name }));
}
