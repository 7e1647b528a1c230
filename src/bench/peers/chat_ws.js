// Peer: a plain Node.js `ws` broadcast server. Rooms from the path (/chat/{room}); every text
// frame is relayed as is to every other connection in the room. Keeps nothing.
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 8081);
const rooms = new Map();
const server = http.createServer((req, res) => { res.writeHead(200); res.end('ok'); });
const wss = new WebSocketServer({ server, perMessageDeflate: false });

wss.on('connection', (ws, req) => {
  const room = decodeURIComponent(new URL(req.url, 'http://x').pathname.split('/')[2] || 'lobby');
  let members = rooms.get(room);
  if (!members) rooms.set(room, members = new Set());
  members.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const other of members) {
      if (other !== ws && other.readyState === 1) other.send(data, { binary: isBinary });
    }
  });
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0) rooms.delete(room);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`ws broadcast peer on ${port}`));
