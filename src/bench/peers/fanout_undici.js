// Peer: Node.js fan-out. GET /api/aggregate calls every upstream at once with Promise.all over
// undici pools (keep-alive) and answers with each source's outcome and timings.
'use strict';
const http = require('http');
const { Pool } = require('undici');

const port = Number(process.argv[2] || 8091);
const upstreams = process.argv.slice(3);
const pools = upstreams.map((origin) => new Pool(origin, { connections: 256 }));

async function call(pool, name, start) {
  const startedAtMs = Date.now() - start;
  try {
    const { statusCode, body } = await pool.request({ path: '/', method: 'GET' });
    const json = await body.json();
    const outcome = statusCode >= 200 && statusCode < 300 ? 'ok' : 'error';
    return { name, outcome, status: statusCode, body: json, startedAtMs, elapsedMs: Date.now() - start - startedAtMs };
  } catch (e) {
    return { name, outcome: 'error', reason: String(e.message), startedAtMs, elapsedMs: Date.now() - start - startedAtMs };
  }
}

http.createServer(async (req, res) => {
  if (!req.url.startsWith('/api/aggregate')) { res.writeHead(404); res.end(); return; }
  const start = Date.now();
  const sources = await Promise.all(pools.map((pool, i) => call(pool, upstreams[i], start)));
  const complete = sources.every((s) => s.outcome === 'ok');
  const body = JSON.stringify({ complete, elapsedMs: Date.now() - start, sources });
  res.writeHead(sources.some((s) => s.outcome === 'ok') ? 200 : 502,
    { 'content-type': 'application/json', 'x-fanout-complete': String(complete) });
  res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`undici fan-out peer on ${port}`));
