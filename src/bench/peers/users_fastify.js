// Peer: Node.js fastify + `postgres` (porsager). GET /api/users/:id reads one row by primary key
// with a prepared statement over a pool and answers JSON (404 when absent).
'use strict';
const fastify = require('fastify')({ logger: false });
const postgres = require('postgres');

const port = Number(process.argv[2] || 8101);
const sql = postgres(process.argv[3], { max: Number(process.argv[4] || 32), prepare: true });

fastify.get('/api/users/:id', async (request, reply) => {
  const id = Number(request.params.id);
  if (!Number.isSafeInteger(id) || id < 1) return reply.code(400).send({ title: 'Bad id' });
  const rows = await sql`SELECT id, name, email, created_at FROM users WHERE id = ${id}`;
  if (rows.length === 0) return reply.code(404).send({ title: 'Not Found' });
  const u = rows[0];
  return { id: Number(u.id), name: u.name, email: u.email, createdAt: u.created_at.toISOString() };
});
fastify.listen({ port, host: '127.0.0.1' }).then(() => console.log(`fastify peer on ${port}`));
