// WebSocket broadcast load client, identical for every server. It opens N connections spread over
// rooms, makes some of them senders at a fixed rate, and puts the send time (this process's
// monotonic clock) into every message, so each receiver knows the delivery latency.
// It also reads the servers' CPU time (and RSS) from /proc at the edges of the measured window.
// With several ports (--port=8081,8082: replicas of one service) every room's members alternate
// between them, so each room and its senders span all replicas; latency is then also reported
// apart for deliveries whose sender is on another replica. With --listen-url it also counts the
// PostgreSQL notifications on --listen-channel during the window (the replicas' backplane).
// Switchboard's chat needs a token on the upgrade: with --token-key (the bench's identity provider's private
// key, PEM) every simulated user gets its own RS256 token (issuer --token-issuer, audience --token-audience),
// signed here before the connections open, so signing is not part of what is measured.
// Prints one JSON object on stdout.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { execSync } = require('child_process');
const { performance } = require('perf_hooks');
const WebSocket = require('ws');

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, ...v] = a.replace(/^--/, '').split('=');
  return [k, v.join('=')];
}));
const kind = args.kind;                       // switchboard | ws | socketio
const ports = String(args.port).split(',').map(Number);
const mode = args.mode || 'broadcast';        // broadcast | idle
const clients = Number(args.clients || 1000);
const rooms = Number(args.rooms || 10);
const sendersPerRoom = Number(args['senders-per-room'] || 2);
const rate = Number(args.rate || 10);         // messages per second per sender
const warmupS = Number(args.warmup || 3);
const durationS = Number(args.duration || 8);
const graceS = Number(args.grace || 3);
const holdS = Number(args.hold || 3);
const connectParallel = Number(args['connect-parallel'] || 200);
const cpuPids = (args['cpu-pids'] || '').split(',').filter(Boolean).map(Number);
const cpuTrees = (args['cpu-trees'] || '').split(',').filter(Boolean).map(Number);
const clkTck = Number(execSync('getconf CLK_TCK').toString().trim());
const listenUrl = args['listen-url'];
const listenChannel = args['listen-channel'] || 'switchboard_chat';
const tokenKey = args['token-key'] ? crypto.createPrivateKey(fs.readFileSync(args['token-key'])) : null;

// --- tokens -------------------------------------------------------------------------------------
function b64url(data) {
  return Buffer.from(data).toString('base64url');
}
function mintToken(user) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: args['token-issuer'], aud: args['token-audience'] || 'switchboard', sub: user,
    preferred_username: user, iat: now, exp: now + 3600 };
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(crypto.sign('sha256', Buffer.from(input), tokenKey))}`;
}
const tokens = tokenKey ? Array.from({ length: clients }, (_, i) => mintToken(`u${i}`)) : [];

// --- /proc readings -----------------------------------------------------------------------------
function statOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');   // fields from #3 (state) on
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };  // utime + stime
  } catch (e) { return null; }
}
function descendants(root) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = statOf(Number(d));
    if (st) { if (!children.has(st.ppid)) children.set(st.ppid, []); children.get(st.ppid).push(Number(d)); }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) || []));
  return out;
}
function cpuTicks(which) {
  const perProcess = {};
  const pids = which === 'trees' ? cpuTrees.flatMap(descendants) : which === 'pids' ? cpuPids
    : [...cpuPids, ...cpuTrees.flatMap(descendants)];
  for (const pid of new Set(pids)) { const st = statOf(pid); if (st) perProcess[pid] = st.ticks; }
  return perProcess;
}
function cpuSecondsBetween(a, b) {
  // processes that exist at both edges (a backend that left in between is not counted; pools keep theirs)
  let ticks = 0;
  for (const pid of Object.keys(b)) ticks += b[pid] - (a[pid] || 0);
  return ticks / clkTck;
}
function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch (e) { return null; }
}

// --- connections ----------------------------------------------------------------------------------
const roomOf = (i) => `room-${i % rooms}`;
// member k of room r is on port (r + k) mod ports: each room alternates over every port
const portIndexOf = (i) => ((i % rooms) + Math.floor(i / rooms)) % ports.length;
const roomSize = new Map();
for (let i = 0; i < clients; i++) roomSize.set(roomOf(i), (roomSize.get(roomOf(i)) || 0) + 1);

let measuring = false, measureStart = Infinity, measureEnd = Infinity;  // nothing counts before the window
function percentile(sorted, p) { return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null; }
class Samples {
  constructor() { this.values = new Float64Array(1 << 16); this.count = 0; }
  add(v) {
    if (this.count === this.values.length) { const bigger = new Float64Array(this.count * 2); bigger.set(this.values); this.values = bigger; }
    this.values[this.count++] = v;
  }
  summary() {
    const sorted = this.values.subarray(0, this.count).sort();
    return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99),
      max: sorted.length ? sorted[sorted.length - 1] : null, samples: sorted.length };
  }
}
const latency = new Samples(), sameReplicaLatency = new Samples(), otherReplicaLatency = new Samples();
let senderPortIndex = [];  // by sender number
let notifications = 0, notificationBytes = 0;
let deliveredInWindow = 0, deliveredOfWindowMessages = 0, otherFrames = 0, acks = 0, closedByServer = 0;
const errorsByCode = {};

// every message is "<send time>|<sender>|<sequence>"; receivers check each sender's sequence rises
let duplicatesOrReordered = 0, echoes = 0;
function onText(text, conn) {
  const bar = text.indexOf('|');
  if (bar < 0) return;
  const now = performance.now();
  const sentAt = Number(text.slice(0, bar));
  const [sender, seq] = text.slice(bar + 1).split('|').map(Number);
  if (conn.senderIdx === sender) { echoes++; return; }  // a sender's own message is not a delivery
  const last = conn.lastSeq.get(sender);
  if (last !== undefined && seq <= last) { duplicatesOrReordered++; return; }  // not counted as delivered
  conn.lastSeq.set(sender, seq);
  if (measuring && now >= measureStart && now <= measureEnd) deliveredInWindow++;
  if (sentAt >= measureStart && sentAt <= measureEnd) {
    deliveredOfWindowMessages++;
    latency.add(now - sentAt);
    if (ports.length > 1) (senderPortIndex[sender] === conn.portIndex ? sameReplicaLatency : otherReplicaLatency).add(now - sentAt);
  }
}
function onFrame(data, conn) {
  let frame;
  try { frame = JSON.parse(data); } catch (e) { otherFrames++; return; }
  if (frame.type === 'message' && typeof frame.text === 'string') onText(frame.text, conn);
  else if (frame.type === 'ack') acks++;
  else if (frame.type === 'error') { const c = frame.code || 'error'; errorsByCode[c] = (errorsByCode[c] || 0) + 1; }
  else otherFrames++;
}

function connectOne(i) {
  return new Promise((resolve) => {
    const room = roomOf(i), portIndex = portIndexOf(i), port = ports[portIndex];
    if (kind === 'socketio') {
      const { io } = require('socket.io-client');
      const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], query: { room },
        forceNew: true, reconnection: false, timeout: 20000 });
      const conn = { send: (text) => socket.emit('message', text), close: () => socket.close(), room, portIndex, lastSeq: new Map() };
      socket.on('message', (text) => onText(text, conn));
      socket.on('connect', () => resolve(conn));
      socket.on('connect_error', (e) => resolve(null));
      socket.on('disconnect', (reason) => { if (reason !== 'io client disconnect') closedByServer++; });
      return;
    }
    const headers = tokenKey ? { Authorization: `Bearer ${tokens[i]}` } : {};
    // The name in the query is ignored by a Switchboard that reads the token, and lets an older one (without
    // identity) be measured with the same script.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat/${room}?name=u${i}`, { perMessageDeflate: false, handshakeTimeout: 20000, headers });
    const conn = { send: (text) => ws.send(JSON.stringify({ type: 'message', text })), close: () => ws.close(), room, ws,
      portIndex, lastSeq: new Map() };
    let open = false;
    ws.on('message', (data, isBinary) => onFrame(data, conn));
    ws.on('open', () => { open = true; resolve(conn); });
    ws.on('error', () => { if (!open) resolve(null); });
    ws.on('close', (code) => { if (open && !conn.closing) { closedByServer++; errorsByCode[`close-${code}`] = (errorsByCode[`close-${code}`] || 0) + 1; } });
  });
}
async function connectAll(n) {
  const conns = new Array(n);
  let next = 0, failed = 0;
  async function worker() {
    while (next < n) { const i = next++; conns[i] = await connectOne(i); if (!conns[i]) failed++; }
  }
  await Promise.all(Array.from({ length: Math.min(connectParallel, n) }, worker));
  return { conns, failed };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** LISTENs on the backplane's channel and counts what arrives inside the window; returns a stop function. */
async function countNotifications() {
  if (!listenUrl) return async () => {};
  const postgres = require('postgres');
  const sql = postgres(listenUrl, { max: 1, onnotice: () => {} });
  await sql.listen(listenChannel, (payload) => {
    const now = performance.now();
    if (measuring && now >= measureStart && now <= measureEnd) { notifications++; notificationBytes += Buffer.byteLength(payload); }
  });
  return () => sql.end({ timeout: 1 });
}

async function broadcast() {
  const t0 = performance.now();
  const { conns, failed } = await connectAll(clients);
  const connectSeconds = (performance.now() - t0) / 1000;
  await sleep(1000);  // let join/welcome traffic settle
  // senders: the first `sendersPerRoom` connections of each room
  const senders = [];
  for (let i = 0; i < clients && senders.length < rooms * sendersPerRoom; i++) {
    if (Math.floor(i / rooms) < sendersPerRoom && conns[i]) senders.push(conns[i]);
  }
  let sent = 0, sentInWindow = 0, expectedInWindow = 0;
  const intervalMs = 1000 / rate;
  senders.forEach((c, k) => { c.senderIdx = k; });
  senderPortIndex = senders.map((c) => c.portIndex);
  const stopListening = await countNotifications();
  const timers = senders.map((c, k) => setTimeout(() => {
    c.timer = setInterval(() => {
      const now = performance.now();
      c.seq = (c.seq || 0) + 1;
      c.send(`${now.toFixed(3)}|${k}|${c.seq}`);
      sent++;
      if (now >= measureStart && now <= measureEnd) { sentInWindow++; expectedInWindow += roomSize.get(c.room) - 1; }
    }, intervalMs);
  }, (k * intervalMs) / senders.length));
  await sleep(warmupS * 1000);
  const cpu0 = cpuTicks(), client0 = process.cpuUsage();
  const pidSet = new Set(cpuPids.map(String));
  measureStart = performance.now(); measuring = true;
  const windowStartEpochMs = Date.now();  // wall clock, to line the window up with e.g. a flight recording
  await sleep(durationS * 1000);
  measureEnd = performance.now(); measuring = false;
  const windowEndEpochMs = Date.now();
  const cpu1 = cpuTicks(), client1 = process.cpuUsage(client0);
  timers.forEach(clearTimeout); senders.forEach((c) => clearInterval(c.timer));
  await sleep(graceS * 1000);  // late deliveries of messages sent in the window still count for latency
  await stopListening();
  const windowS = (measureEnd - measureStart) / 1000;
  const serverCpu = cpuSecondsBetween(cpu0, cpu1);
  // the server process itself, and what the database processes (if any) add
  const only = (o, keep) => Object.fromEntries(Object.entries(o).filter(([pid]) => keep(pid)));
  const processCpu = cpuSecondsBetween(only(cpu0, (p) => pidSet.has(p)), only(cpu1, (p) => pidSet.has(p)));
  const result = {
    kind, mode, clients, rooms, sendersPerRoom, ratePerSender: rate, connected: clients - failed, connectFailed: failed,
    connectSeconds, windowSeconds: windowS, windowStartEpochMs, windowEndEpochMs,
    offeredMessagesPerSecond: rooms * sendersPerRoom * rate,
    offeredDeliveriesPerSecond: senders.reduce((s, c) => s + (roomSize.get(c.room) - 1), 0) * rate,
    messagesSentInWindow: sentInWindow, expectedDeliveries: expectedInWindow,
    deliveredOfWindowMessages, deliveryRatio: expectedInWindow ? deliveredOfWindowMessages / expectedInWindow : null,
    deliveriesPerSecond: deliveredInWindow / windowS,
    latencyMs: latency.summary(),
    serverCpuSeconds: serverCpu, serverProcesses: Object.keys(cpu1).length,
    serverCpuSecondsProcess: processCpu, serverCpuSecondsDatabase: serverCpu - processCpu,
    serverCpuMsPer1000Deliveries: deliveredInWindow ? (serverCpu * 1000 * 1000) / deliveredInWindow : null,
    serverCpuCoresBusy: serverCpu / windowS,
    clientCpuSeconds: (client1.user + client1.system) / 1e6,
    duplicatesOrReordered, echoes, acks, errors: errorsByCode, otherFrames, closedByServer,
  };
  if (ports.length > 1) {
    result.ports = ports.length;
    result.latencySameReplicaMs = sameReplicaLatency.summary();
    result.latencyOtherReplicaMs = otherReplicaLatency.summary();
  }
  if (listenUrl) {
    result.notifications = notifications;
    result.notificationsPerSecond = notifications / windowS;
    result.notificationBytes = notificationBytes;
  }
  for (const c of conns) if (c) { c.closing = true; c.close(); }
  return result;
}

async function idle() {
  const rss0 = Object.fromEntries(cpuPids.map((p) => [p, rssKb(p)]));
  const t0 = performance.now();
  const { conns, failed } = await connectAll(clients);
  const connectSeconds = (performance.now() - t0) / 1000;
  // wait for the server to finish the arrival work (joins, welcomes, presence) before calling it idle
  const settle0 = performance.now();
  for (;;) {
    const a = cpuTicks(), t = performance.now();
    await sleep(1000);
    const busy = cpuSecondsBetween(a, cpuTicks()) / ((performance.now() - t) / 1000);
    if (busy < 0.1 || performance.now() - settle0 > 30000) break;
  }
  const settleSeconds = (performance.now() - settle0) / 1000;
  const cpu0 = cpuTicks(), h0 = performance.now();
  await sleep(holdS * 1000);
  const idleCpu = cpuSecondsBetween(cpu0, cpuTicks()), holdMeasured = (performance.now() - h0) / 1000;
  const rss1 = Object.fromEntries(cpuPids.map((p) => [p, rssKb(p)]));
  const stillOpen = conns.filter((c) => c && (!c.ws || c.ws.readyState === 1)).length - (kind === 'socketio' ? closedByServer : 0);
  const sum = (o) => Object.values(o).reduce((s, v) => s + (v || 0), 0);
  const result = {
    kind, mode, clients, rooms, connected: clients - failed, connectFailed: failed, stillOpenAfterHold: stillOpen,
    connectSeconds, settleSeconds, holdSeconds: holdS, serverCpuCoresBusyWhileIdle: idleCpu / holdMeasured,
    rssBeforeMb: sum(rss0) / 1024, rssAfterMb: sum(rss1) / 1024,
    rssPer1000ConnectionsMb: clients - failed ? ((sum(rss1) - sum(rss0)) / 1024) / ((clients - failed) / 1000) : null,
    closedByServer, errors: errorsByCode,
  };
  for (const c of conns) if (c) { c.closing = true; c.close(); }
  return result;
}

(mode === 'idle' ? idle() : broadcast()).then((r) => {
  process.stdout.write(JSON.stringify(r) + '\n');
  setTimeout(() => process.exit(0), 500);
}, (e) => { console.error(e); process.exit(1); });
