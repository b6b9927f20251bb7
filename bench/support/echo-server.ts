/**
 * The ceiling for the intake benchmark: the same Fastify as the real server, one POST route
 * that parses the JSON body and sends it back, nothing else (no logging, no validation, no
 * database). Run as a child process: `node --import tsx bench/support/echo-server.ts` with PORT.
 */
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });

app.post('/api/v1/leads', async (request) => request.body);
app.get('/health', async () => ({ status: 'ok' }));

const address = await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
process.send?.({ ready: address });

const stop = (): void => {
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
