// Who the page is in the chat: a guest token from POST /api/auth/guest for the typed name. The server takes
// the name from the token (marked as a guest's), never from the page; the page renews the token before it
// expires (POST /api/auth/guest/renewal: the same guest, so the same user), since the server closes a
// connection whose token expired.

// Renew this long before expiry, so a reconnect never offers a token about to lapse.
const RENEW_BEFORE_MS = 60_000;

export class GuestSession {
    constructor(typedName, fetchImpl = (...args) => window.fetch(...args)) {
        this.typedName = typedName;
        this.fetch = fetchImpl;
        this.token = null;
        this.name = null;       // the name others see, as the token says (e.g. "ada (guest)")
        this.expiresAt = 0;     // epoch milliseconds
        this.pending = null;
    }

    /** A token valid for a while yet: the current one, or a new one when it is close to expiry or refused. */
    async fresh() {
        if (this.token && this.expiresAt - Date.now() > RENEW_BEFORE_MS) {
            return this.token;
        }
        return this.renew();
    }

    /** Milliseconds until the token should be renewed (0 when it should be now). */
    renewIn() {
        return Math.max(0, this.expiresAt - Date.now() - RENEW_BEFORE_MS);
    }

    /** Forgets the token (the server refused it, say after a restart with new keys): the next fresh() asks anew. */
    forget() {
        this.token = null;
    }

    renew() {
        if (!this.pending) {
            const request = this.token ? this.request('/api/auth/guest/renewal', null, this.token)
                // A refused renewal (the token expired meanwhile): a new guest, so a new user.
                .catch(() => this.request('/api/auth/guest', { name: this.typedName }))
                : this.request('/api/auth/guest', { name: this.typedName });
            this.pending = request.finally(() => {
                this.pending = null;
            });
        }
        return this.pending;
    }

    async request(path, body, token) {
        const headers = { Accept: 'application/json, application/problem+json' };
        if (body) {
            headers['Content-Type'] = 'application/json';
        }
        if (token) {
            headers.Authorization = `Bearer ${token}`;
        }
        const response = await this.fetch(path, {
            method: 'POST', headers, body: body ? JSON.stringify(body) : undefined,
        });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) {
            const error = new Error(answer.detail ?? `Could not sign in as a guest (${response.status})`);
            error.status = response.status;
            throw error;
        }
        this.token = answer.token;
        this.name = answer.name;
        this.expiresAt = Date.parse(answer.expiresAt);
        return this.token;
    }
}

/**
 * The subprotocols a browser offers: the chat's own, which the server selects, and the token in the entry the
 * server turns into the upgrade's Authorization header (browsers cannot set headers on a WebSocket).
 */
export function chatProtocols(token) {
    return ['switchboard-chat', encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${token}`)];
}
