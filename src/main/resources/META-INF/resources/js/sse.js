// Server-Sent Events over fetch, so the page can read a 400 problem's detail and stop the
// stream exactly when it wants (EventSource hides both and reconnects on its own).

export class ProblemError extends Error {
    constructor(status, problem) {
        super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
        this.status = status;
        this.problem = problem;
    }
}

/**
 * Reads an event stream until it ends or `signal` aborts.
 * @param {(event: {event: string, data: string, id: string|null}) => void} onEvent
 */
export async function readEventStream(url, onEvent, signal) {
    const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal });
    if (!response.ok) {
        const problem = await response.json().catch(() => null);
        throw new ProblemError(response.status, problem);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let pending = { event: '', data: [], id: null };
    for (;;) {
        const { value, done } = await reader.read();
        if (done) {
            break;
        }
        buffer += value;
        let newline;
        while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(buffer[newline] === '\r' && buffer[newline + 1] === '\n' ? newline + 2 : newline + 1);
            if (line === '') {
                if (pending.data.length > 0 || pending.event) {
                    onEvent({ event: pending.event || 'message', data: pending.data.join('\n'), id: pending.id });
                }
                pending = { event: '', data: [], id: null };
                continue;
            }
            if (line.startsWith(':')) {
                continue;
            }
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let fieldValue = colon < 0 ? '' : line.slice(colon + 1);
            if (fieldValue.startsWith(' ')) {
                fieldValue = fieldValue.slice(1);
            }
            if (field === 'data') {
                pending.data.push(fieldValue);
            } else if (field === 'event') {
                pending.event = fieldValue;
            } else if (field === 'id') {
                pending.id = fieldValue;
            }
        }
    }
}
