import Fastify from 'fastify';

/** The ceiling of the HTTP layer on this machine: Fastify answering a constant. */
const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const port = Number(process.env['PORT'] ?? 3999);
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
