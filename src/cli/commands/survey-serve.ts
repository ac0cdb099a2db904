/**
 * `survey serve <project>`: a fieldwork-only server on the embedded SQLite store (no platform needed):
 * imports the project on first start, puts each of its surveys in the field as a wave (once; later starts
 * reuse it), and serves the form, the monitor and the fieldwork API until interrupted. Loaded only when
 * the command runs.
 */
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { CityIndexError } from '../../engine/core/errors.ts';
import { validateProjectSurveys } from '../../app/survey.ts';
import { createServer } from '../../server/app.ts';
import { Fieldwork } from '../../store/fieldwork.ts';
import { systemPrincipal } from '../../store/principal.ts';
import { Store } from '../../store/store.ts';
import { storedProject } from './db.ts';
import { parsePort } from './serve.ts';
import { log } from '../progress.ts';

/** Options of `survey serve`. */
export interface SurveyServeOptions {
  host: string;
  port: string;
  /** SQLite file of the store (default `<project>/.cityindex/store.db`). */
  store?: string;
  /** Wave name (default: the survey's id, lowercased). */
  wave?: string;
  perCity?: string;
  publicUrl?: string;
  /** Respondent limits (load tests raise them). */
  startsPerHour?: string;
  savesPerMinute?: string;
  requestsPerMinute?: string;
  /**
   * SQLite commit durability: `full` (default: every acknowledged response is on disk, even after a power
   * cut) or `normal` (WAL: safe after a crash or kill of the server, the last commits may be lost in a
   * power cut; many times more submissions per second on slow disks).
   */
  sync?: string;
}

/**
 * A whole positive number from the command line, or a located error.
 * @example positiveInt('120', '--per-city') // => 120
 * @example positiveInt('many', '--per-city') // => throws E_OPTION
 */
export function positiveInt(text: string, option: string): number {
  const n = Number(text);
  if (!/^[0-9]{1,9}$/.test(text) || n < 1) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `"${text}" is not allowed for ${option}`,
      field: option,
      expected: 'a whole number of at least 1',
    });
  }
  return n;
}

/**
 * Run the fieldwork server until SIGINT/SIGTERM.
 * @example // no-run: starts a server and waits for a signal (tests/e2e/fieldwork.test.ts runs it)
 * await serveFieldwork('examples/cdgi-2020', { port: '8090' });
 */
export async function serveFieldwork(dir: string, opts: SurveyServeOptions): Promise<void> {
  const port = opts.port === '0' ? 0 : parsePort(opts.port);
  const surveys = await validateProjectSurveys(dir);
  const sync = opts.sync ?? 'full';
  if (sync !== 'full' && sync !== 'normal')
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `--sync ${sync}`,
      field: '--sync',
      expected: 'full or normal',
    });
  const store = await Store.open({ sqliteFile: resolve(opts.store ?? join(dir, '.cityindex', 'store.db')) });
  try {
    if (sync === 'normal') await sql`PRAGMA synchronous = NORMAL`.execute(store.db);
    const project = await storedProject(store, dir, true);
    const fieldwork = new Fieldwork(store);
    const cli = systemPrincipal('cli');
    const existing = await fieldwork.listWaves(cli, project.id);
    const names = new Map((await store.units(project.id)).map((u) => [u.code, u.name]));
    const waves: string[] = [];
    for (const { survey } of surveys) {
      const slug = opts.wave ?? survey.config.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
      if (!existing.some((w) => w.slug === slug)) {
        const perCity = opts.perCity ? positiveInt(opts.perCity, '--per-city') : undefined;
        await fieldwork.createWave(cli, project.id, { slug, survey, cityNames: names, perCity });
        log(`wave ${slug}: started / 调查轮次已开始`);
      }
      waves.push(slug);
    }
    const limit = (x: string | undefined, name: string) => (x ? positiveInt(x, name) : undefined);
    const app = await createServer({
      store,
      project,
      fieldworkOnly: true,
      rateLimit: { perMinute: limit(opts.requestsPerMinute, '--requests-per-minute') },
      fieldwork: {
        publicUrl: opts.publicUrl,
        respondentLimits: {
          startsPerHour: limit(opts.startsPerHour, '--starts-per-hour'),
          savesPerMinute: limit(opts.savesPerMinute, '--saves-per-minute'),
        },
      },
    });
    const address = await app.listen({ host: opts.host, port });
    const origin = opts.publicUrl ?? address;
    process.stderr.write(`cityindex fieldwork: listening on ${address} (store ${store.where})\n`);
    for (const slug of waves) {
      const w = (await fieldwork.listWaves(cli, project.id)).find((x) => x.slug === slug)!;
      log(`${slug}: ${w.cities.length} cities, e.g. ${origin}/survey/${slug}/${w.cities[0]?.code ?? ''}`);
      log(`  monitor (sign in as author/reviewer): ${origin}/survey/monitor/${slug}`);
    }
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    await app.close();
  } finally {
    await store.close();
  }
}
