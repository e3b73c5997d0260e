/**
 * The reference for one-record benchmarks: a bare Fastify route answering a constant body, in its
 * own process like the Katalog server it is compared with.
 * `node --import tsx bench/constant-server.ts PORT BODY_FILE CONTENT_TYPE`
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, file, type] = process.argv.slice(2);
const body = readFileSync(file!);
const app = Fastify();
app.get('/record', async (_request, reply) => reply.type(type!).send(body));
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
