// Peer: a Socket.IO server with rooms (WebSocket transport). The room comes from the handshake
// query; a `message` event is emitted to the rest of the room. Keeps nothing.
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 8082);
const server = http.createServer((req, res) => { res.writeHead(200); res.end('ok'); });
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });

io.on('connection', (socket) => {
  const room = String(socket.handshake.query.room || 'lobby');
  socket.join(room);
  socket.on('message', (text) => socket.to(room).emit('message', text));
});
server.listen(port, '127.0.0.1', () => console.log(`socket.io peer on ${port}`));
