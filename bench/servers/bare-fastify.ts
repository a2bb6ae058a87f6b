/**
 * The framework's ceiling: a bare Fastify server that only parses and validates the same
 * progress batches Headway takes, and answers like Headway does. Sends `{port}` to the parent
 * when it listens; stops on SIGTERM.
 */
import Fastify from 'fastify';
import { BatchProgressBody } from '../../packages/protocol/dist/index.js';

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post('/v1/progress', { schema: { body: BatchProgressBody } }, async (request) => {
  const items = request.body as Array<{ jobId: string }>;
  return items.map((item) => ({ jobId: item.jobId, seq: 1, control: 'run' }));
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
