/**
 * The server process that tests/load/kill.load.ts kills with SIGKILL: opens the SQLite store given as
 * the first argument (WAL mode, as `cityindex serve` does), serves its first project on a free port of
 * 127.0.0.1 and prints `READY <port>` once listening.
 */
import { createServer } from '../../src/server/app.ts';
import { Store } from '../../src/store/store.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: child-server.ts <store.db>');
const store = await Store.open({ sqliteFile: file }, { scryptN: 2 ** 10 });
const [project] = await store.listProjects();
const app = await createServer({ store, project, rateLimit: { perMinute: 1_000_000, loginPerMinute: 100_000 } });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
