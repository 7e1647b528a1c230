// Local upstreams for the fan-out workload: each port answers every request with a small JSON
// body after a fixed delay. One process serves all ports: usage `node upstream.js 20 9001 9002 9003`.
'use strict';
const http = require('http');

const delayMs = Number(process.argv[2] || 20);
for (const port of process.argv.slice(3).map(Number)) {
  const body = JSON.stringify({ upstream: port, delayMs, items: [1, 2, 3] });
  http.createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }, delayMs);
  }).listen(port, '127.0.0.1');
}
console.log(`upstreams answering after ${delayMs} ms on ${process.argv.slice(3).join(', ')}`);
