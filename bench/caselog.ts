/**
 * Case logs (issue 15): a SIMULATED 12345 log of one large city-year (10 million cases by default; generated
 * here with seed 1 into a temporary folder, never committed) is generated, imported and aggregated into every
 * KPI by the CLI as a user runs it, each a new process with its peak memory. Target: import + KPIs with
 * DuckDB ≤ 60 s and ≤ 2 GiB peak. Beside it, the PostgreSQL path (load the checked cases, same KPI SQL) on a
 * smaller log (1 million cases; a database created and dropped here, on DATABASE_URL or 127.0.0.1:5432).
 * `npm run bench -- --only caselog`; sizes: `--cases=N` and `--pg-cases=N` (or CASELOG_CASES, CASELOG_PG_CASES);
 * `--huge` runs 100 million.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runCli, type BenchRow } from './harness.ts';

const ADMIN = process.env.CITYINDEX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function step(name: string, args: string[], rows: BenchRow[], extra: Partial<BenchRow> = {}) {
  const r = runCli(args);
  if (r.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed: ${r.stderr.slice(-400)}`);
  const cpu = Number.isFinite(r.cpu) ? `, CPU ${r.cpu.toFixed(1)} s` : '';
  rows.push({ name, seconds: r.seconds, notes: `peak ${r.mib.toFixed(0)} MiB${cpu}`, ...extra });
  return r;
}

export async function benchCaseLog(): Promise<BenchRow[]> {
  const huge = process.argv.includes('--huge');
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const n = huge ? 100_000_000 : Number(arg('cases') ?? process.env.CASELOG_CASES ?? 10_000_000);
  const nPg = Number(arg('pg-cases') ?? process.env.CASELOG_PG_CASES ?? 1_000_000);
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cityindex-caselog-bench-'));
  try {
    const proj = join(dir, 'duck');
    const label = `${(n / 1e6).toFixed(0)} M SIMULATED cases`;
    const gen = ['cases-log', 'generate', proj, '--city', '440300', '--year', '2024', '--cases', String(n)];
    step(`caselog generate ${label} (4 CSV files)`, [...gen, '--seed', '1', '--parts', '4'], rows);
    const imp = step(`caselog import ${label} (DuckDB)`, ['cases-log', 'import', proj], rows);
    const kpi = step(
      `caselog KPIs ${label} (DuckDB, 11 KPIs × 2 levels × 3 period kinds)`,
      ['cases-log', 'kpi', proj],
      rows,
    );
    const total = imp.seconds + kpi.seconds;
    const peak = Math.max(imp.mib, kpi.mib);
    rows.push({
      name: `caselog import + KPIs ${label} (DuckDB)`,
      seconds: total,
      target: huge ? '≤ 900 s' : '≤ 60 s, ≤ 2048 MiB',
      pass: huge ? total <= 900 : total <= 60 && peak <= 2048,
      notes: `peak ${peak.toFixed(0)} MiB`,
    });
    // PostgreSQL path on a smaller log
    const pgProj = join(dir, 'pg');
    const pgLabel = `${(nPg / 1e6).toFixed(1)} M SIMULATED cases`;
    step(
      `caselog generate ${pgLabel}`,
      ['cases-log', 'generate', pgProj, '--city', '440300', '--cases', String(nPg)],
      rows,
    );
    step(`caselog import ${pgLabel} (DuckDB)`, ['cases-log', 'import', pgProj], rows);
    const name = `cityindex_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    try {
      const url = ADMIN.replace(/\/[^/]*$/, `/${name}`);
      step(
        `caselog load + KPIs ${pgLabel} (PostgreSQL)`,
        ['cases-log', 'kpi', pgProj, '--engine', 'postgres', '--database-url', url],
        rows,
      );
      step(`caselog KPIs ${pgLabel} (DuckDB, same log)`, ['cases-log', 'kpi', pgProj], rows);
    } finally {
      const a = new pg.Client({ connectionString: ADMIN });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
