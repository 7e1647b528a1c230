// Entry point of the Switchboard page: wires the three panels.

import { setUpChat } from './chat-view.js';
import { aggregateUrl, setUpWaterfall } from './waterfall.js';
import { setUpCountdowns } from './countdowns.js';

const chat = setUpChat(document);
setUpWaterfall(document.getElementById('aggregate-form'), document.getElementById('aggregate-view'),
    () => aggregateUrl(document.getElementById('aggregate-sources').value, document.getElementById('aggregate-deadline').value));
setUpWaterfall(document.getElementById('dashboard-button'), document.getElementById('dashboard-view'), '/api/dashboard');
setUpCountdowns(document);

// A small handle for browser tests and curious people in the console: drop the chat socket
// like a network failure would (optionally holding the reconnect) and let it reconnect.
window.switchboard = Object.freeze({
    dropChat: (holdReconnect = false) => chat.connection?.simulateDrop(holdReconnect),
    releaseChat: () => chat.connection?.releaseReconnect(),
    chatSince: () => chat.connection?.lastSeenId ?? null,
});
document.documentElement.dataset.ready = 'true';
