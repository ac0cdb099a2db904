/**
 * Submission-round benchmark (issue 12): a 333-city × 200-indicator round of the SYNTHETIC project
 * bench/scale-333x200 where every city officer uploads its filled Excel template and submits it —
 * each template read by the bounded reader, its signature and every value checked, stored with a
 * version row per value and an audit entry — target < 10 s, on SQLite and (when reachable) PostgreSQL.
 * Not timed: the import of the project, the 333 officer accounts, writing the 333 templates (reported
 * on its own row). The values typed in are the project's own synthetic values + 1 (generated data).
 * `node --import tsx bench/submissions.ts` runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importProjectFolder } from '../src/store/project-io.ts';
import { systemPrincipal, type Principal } from '../src/store/principal.ts';
import { Store } from '../src/store/store.ts';
import { openRound, submitUnit, templateSpec, uploadTemplate } from '../src/store/submission-flow.ts';
import { writeSubmissionTemplate } from '../src/formats/template.ts';
import { fill } from '../tests/store/submission-helpers.ts';
import { pgAvailable, postgresStore } from '../tests/store/stores.ts';
import type { BenchRow } from './harness.ts';

const PROJECT = join(import.meta.dirname, 'scale-333x200');
const CLI = systemPrincipal('bench');

async function round(store: Store, label: string): Promise<BenchRow[]> {
  const project = await importProjectFolder(store, CLI, PROJECT);
  const units = (await store.units(project.id)).map((u) => u.code);
  const indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
  const previous = new Map<string, number | null>();
  for (const v of await store.allValues(CLI, project.id)) previous.set(`${v.unit}\u0000${v.indicator}`, v.value);
  const officers: Principal[] = [];
  for (const [k, unit] of units.entries()) {
    const u = await store.createUser(CLI, {
      username: `officer${k}`,
      password: 'bench password 12345',
      role: 'city',
      projectId: project.id,
      cities: [unit],
    });
    officers.push({ kind: 'user', userId: u.id, username: u.username, role: 'city' });
  }
  const r = await openRound(store, CLI, project.id, 'bench');
  const t0 = performance.now();
  const files = await Promise.all(
    units.map(async (unit, k) => {
      const values = new Map(
        indicators.map((c) => {
          const p = previous.get(`${unit}\u0000${c}`);
          return [c, p === null || p === undefined ? null : p + 1] as const;
        }),
      );
      const spec = fill(await templateSpec(store, officers[k], r.id, unit), values, 'simulated bench data');
      return writeSubmissionTemplate(spec);
    }),
  );
  const writeSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    units.map(async (unit, k) => {
      await uploadTemplate(store, officers[k], r.id, unit, { fileName: `${unit}.xlsx`, bytes: files[k] });
      await submitUnit(store, officers[k], r.id, unit);
    }),
  );
  const seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const stored = await (store.db as any)
    .selectFrom('round_values')
    .select((eb: any) => eb.fn.countAll().as('n'))
    .where('round_id', '=', r.id)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  const mib = files.reduce((s, f) => s + f.length, 0) / 2 ** 20;
  return [
    {
      name: `submissions: ${units.length} cities × ${indicators.length} upload + submit (${label})`,
      seconds,
      target: '< 10 s',
      pass: seconds < 10,
      notes:
        `${Number(stored.n)} values stored as submitted; templates ${mib.toFixed(1)} MiB in all; ` +
        `${cpuSeconds.toFixed(1)} s CPU in this process (the database server's own CPU not counted)`,
    },
    {
      name: `submissions: write ${units.length} templates (${label}, not in the target)`,
      seconds: writeSeconds,
    },
  ];
}

/** The submissions bench on SQLite, and on PostgreSQL when it answers. */
export async function benchSubmissions(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cityindex-bench-submit-'));
  const store = await Store.open({ sqliteFile: join(dir, 'store.db') }, { scryptN: 2 ** 10 });
  try {
    rows.push(...(await round(store, 'SQLite')));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (pgAvailable) {
    const pg = await postgresStore();
    try {
      rows.push(...(await round(pg.store, 'PostgreSQL')));
    } finally {
      await pg.dispose();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./harness.ts');
  printTable(await benchSubmissions());
}
