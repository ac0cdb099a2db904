/**
 * The server process of the platform bench: serves the first project of the SQLite store given as the
 * first argument on a free port of 127.0.0.1 (rate limit raised: the bench is one address) and prints
 * `READY <port>` once listening.
 */
import { createServer } from '../src/server/app.ts';
import { Store } from '../src/store/store.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: platform-server.ts <store.db>');
const store = await Store.open({ sqliteFile: file });
const [project] = await store.listProjects();
const app = await createServer({ store, project, rateLimit: { perMinute: 100_000_000 } });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
