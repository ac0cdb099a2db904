/**
 * The set-up shared by tests/server/hardening.test.ts and tests/server/platform.test.ts: a fresh test store with
 * examples/asem imported, an admin (`admin1`) and an author (`author1`), a server with rate limits out of the way, and
 * both users signed in and remembered in the suite's test client (so `as('admin1', …)` works).
 */
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.ts';
import { importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import type { TestStore } from '../store/stores.ts';
import { TEST_PASSWORD, testClient } from './client.ts';

/** What a suite keeps from {@link openAsemPlatform}. */
export interface AsemPlatform {
  t: TestStore;
  store: Store;
  project: ProjectInfo;
  app: FastifyInstance;
}

/**
 * Open a test store (`open` from DIALECTS), import examples/asem as the CLI, add admin1 and author1, start the server
 * and sign both in, remembering their sessions in the suite's `client` (call it as
 * `({ t, store, project, app } = await openAsemPlatform(open, client))` in `beforeAll`).
 */
export async function openAsemPlatform(
  open: () => Promise<TestStore>,
  client: ReturnType<typeof testClient>,
): Promise<AsemPlatform> {
  const cli = systemPrincipal('test');
  const t = await open();
  const store = t.store;
  const project = await importProjectFolder(store, cli, 'examples/asem');
  await store.createUser(cli, { username: 'admin1', password: TEST_PASSWORD, role: 'admin' });
  await store.createUser(cli, { username: 'author1', password: TEST_PASSWORD, role: 'author' });
  const app = await createServer({ store, project, rateLimit: { perMinute: 100_000, loginPerMinute: 1000 } });
  const here = testClient(() => app);
  for (const user of ['admin1', 'author1']) client.sessions.set(user, await here.login(user));
  return { t, store, project, app };
}

/** Close the server and dispose of the test store (in `afterAll`). */
export async function closeAsemPlatform(p: Pick<AsemPlatform, 't' | 'app'>): Promise<void> {
  await p.app.close();
  await p.t.dispose();
}
