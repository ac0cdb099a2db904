/**
 * `cases-log import|kpi|generate`: service-request case logs (12345, 311) → governance KPIs. Progress goes to
 * stderr; `--json` prints the result on stdout.
 */
import type { Command } from 'commander';
import { toJson } from '../../formats/json.ts';
import { computeProjectKpis, importProjectCaseLogs, selectLogs, type CaseLogEvent } from '../../caselog/run.ts';
import { generateCaseLogProject } from '../../caselog/generate.ts';
import { SIMULATED_LABEL } from '../../caselog/outputs.ts';
import { log } from '../progress.ts';
import { CityIndexError } from '../../engine/core/errors.ts';
import { systemPrincipal } from '../../store/principal.ts';
import { openProjectStore, storedProject } from './db.ts';

/** Progress lines of the case-log use cases (on stderr). */
function printProgress(e: CaseLogEvent): void {
  if (e.kind === 'import') {
    const of = e.total !== undefined && e.done !== undefined ? ` (${e.done + 1}/${e.total})` : '';
    const lines = e.total === undefined && e.done !== undefined ? ` ${e.done} lines` : '';
    log(`${e.log}: ${e.stage}${e.file ? ` ${e.file}` : ''}${of}${lines}`);
  } else log(`${e.log}: ${e.stage} on ${e.engine}${e.rows !== undefined ? ` ${e.rows} rows` : ''}`);
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new CityIndexError({ code: 'E_OPTION', message: `--${name} must be a whole number`, field: name });
  return n;
}

/** `cases-log import --store`: each log as a batch of the project's store (imported first when missing). */
async function importIntoStore(dir: string, ids: readonly string[], json: boolean): Promise<void> {
  const { importStoredCaseLog } = await import('../../store/caselogs.ts');
  const store = await openProjectStore(dir);
  try {
    const project = await storedProject(store, dir, true);
    const out = [];
    for (const l of await selectLogs(dir, ids)) {
      const r = await importStoredCaseLog(store, systemPrincipal('cli'), project.id, {
        projectDir: dir,
        log: l,
        onProgress: (e) =>
          printProgress(
            e.stage === 'store'
              ? { kind: 'kpi', log: l.id, engine: 'store', stage: 'load', rows: e.rows }
              : { kind: 'import', log: l.id, ...e },
          ),
      });
      out.push({ ...(r.batch.simulated ? { label: SIMULATED_LABEL } : {}), imported: r.imported, batch: r.batch });
      if (!json)
        process.stdout.write(
          `${l.id}${r.batch.simulated ? ` [${SIMULATED_LABEL}]` : ''}: ` +
            (r.imported
              ? `batch ${r.batch.id}, ${r.batch.accepted} cases stored, ${r.batch.rejected} rejected / 已入库`
              : `already stored as batch ${r.batch.id} (same files) / 相同文件已入库`) +
            ` → ${store.where}\n`,
        );
    }
    if (json) process.stdout.write(toJson(out) + '\n');
  } finally {
    await store.close();
  }
}

/** `cases-log kpi --store`: the KPIs over the stored batches of each log, printed. */
async function storedKpis(dir: string, ids: readonly string[], json: boolean): Promise<void> {
  const { storedCaseLogKpis } = await import('../../store/caselogs.ts');
  const store = await openProjectStore(dir);
  try {
    const project = await storedProject(store, dir, false);
    const out = [];
    for (const l of await selectLogs(dir, ids)) {
      const r = await storedCaseLogKpis(store, systemPrincipal('cli'), project.id, { log: l.id });
      const values = r.kpis.map((v) => ({ ...v, value: Number.isFinite(v.value) ? v.value : null }));
      out.push({
        log: r.log,
        ...(r.simulated ? { label: SIMULATED_LABEL } : {}),
        engine: r.engine,
        batches: r.batches,
        values,
      });
      if (!json)
        process.stdout.write(
          `${r.log}${r.simulated ? ` [${SIMULATED_LABEL}]` : ''}: ${r.kpis.length} KPI values over ` +
            `${r.batches.length} stored batch(es) (${r.engine}) / 已计算\n`,
        );
    }
    if (json) process.stdout.write(toJson(out) + '\n');
  } finally {
    await store.close();
  }
}

/**
 * Add `cases-log import|kpi|generate` to the program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerCaseLogCommands(program);
 * program.commands[0].commands.map((c) => c.name()) // => ['import', 'kpi', 'generate']
 */
export function registerCaseLogCommands(program: Command): void {
  const group = program
    .command('cases-log')
    .description('service-request case logs (12345, 311) → governance KPIs / 工单日志 → 治理绩效指标');
  group
    .command('import')
    .argument('<project>', 'project folder with a caselogs: section in project.yaml')
    .option('--log <id...>', 'only these case logs')
    .option('--json', 'print the import reports as JSON')
    .option('--store', "import into the project's platform store (.cityindex/store.db or DATABASE_URL) as batches")
    .description('check and import the case logs (bad rows reported by file and row) / 校验并导入工单日志')
    .action(async (dir: string, opts: { log?: string[]; json?: boolean; store?: boolean }) => {
      if (opts.store) return importIntoStore(dir, opts.log ?? [], opts.json === true);
      const reports = await importProjectCaseLogs(dir, opts.log ?? [], printProgress);
      if (opts.json) {
        process.stdout.write(toJson(reports) + '\n');
        return;
      }
      for (const r of reports) {
        const label = r.simulated ? ` [${SIMULATED_LABEL}]` : '';
        process.stdout.write(
          `${r.log}${label}: ${r.accepted} of ${r.records} cases imported, ${r.rejected} rejected / ` +
            `导入 ${r.accepted} 件，拒收 ${r.rejected} 件\n`,
        );
        for (const w of r.warnings) process.stdout.write(`  warning / 提示 ${w.file}: ${w.message}\n`);
        for (const [code, n] of Object.entries(r.rejectedByCode)) process.stdout.write(`  ${code}: ${n}\n`);
        for (const i of r.issues.slice(0, 10)) process.stdout.write(`  ${i.file}:${i.row} ${i.message}\n`);
        if (r.rejected) process.stdout.write(`  every rejected row: ${r.outDir}/rejects.csv\n`);
      }
    });
  group
    .command('kpi')
    .argument('<project>', 'project folder with a caselogs: section in project.yaml')
    .option('--log <id...>', 'only these case logs')
    .option('--engine <name>', 'duckdb (embedded, default) or postgres', 'duckdb')
    .option('--database-url <url>', 'PostgreSQL for --engine postgres (default: DATABASE_URL)')
    .option('--json', 'print the KPI values as JSON')
    .option('--store', "compute over the logs stored in the project's platform store (prints, writes no file)")
    .description('compute the governance KPIs and write kpi/<log>/ / 计算治理绩效指标')
    .action(
      async (
        dir: string,
        opts: { log?: string[]; engine: string; databaseUrl?: string; json?: boolean; store?: boolean },
      ) => {
        if (opts.store) return storedKpis(dir, opts.log ?? [], opts.json === true);
        if (opts.engine !== 'duckdb' && opts.engine !== 'postgres')
          throw new CityIndexError({
            code: 'E_OPTION',
            message: `unknown engine "${opts.engine}"`,
            field: 'engine',
            expected: 'duckdb or postgres',
          });
        const results = await computeProjectKpis(dir, {
          ids: opts.log,
          engine: opts.engine,
          databaseUrl: opts.databaseUrl ?? process.env.DATABASE_URL,
          onProgress: printProgress,
        });
        if (opts.json) {
          const out = results.map((r) => ({
            log: r.log,
            ...(r.simulated ? { label: SIMULATED_LABEL } : {}),
            engine: r.engine,
            values: r.values.map((v) => ({ ...v, value: Number.isFinite(v.value) ? v.value : null })),
          }));
          process.stdout.write(toJson(out) + '\n');
          return;
        }
        for (const r of results)
          process.stdout.write(
            `${r.log}${r.simulated ? ` [${SIMULATED_LABEL}]` : ''}: ${r.values.length} KPI values (${r.engine}) → ` +
              `${r.dir}\n`,
          );
      },
    );
  group
    .command('generate')
    .argument('<dir>', 'new folder for the simulated project')
    .requiredOption('--city <adcode>', 'city adcode (its 2020 census population is used), e.g. 440300')
    .option('--year <year>', 'year of the log', '2024')
    .option('--cases <n>', 'number of cases', '100000')
    .option('--seed <n>', 'random seed', '1')
    .option('--districts <n>', 'number of simulated districts', '8')
    .option('--parts <n>', 'number of CSV files', '1')
    .option('--json', 'print the result as JSON')
    .description('generate a SIMULATED 12345 case log (labelled as such) / 生成模拟 12345 工单日志')
    .action(async (dir: string, opts: Record<string, string | boolean | undefined>) => {
      const cases = positiveInt('cases', String(opts.cases));
      let last = 0;
      const res = await generateCaseLogProject({
        dir,
        city: String(opts.city),
        year: positiveInt('year', String(opts.year)),
        cases,
        seed: positiveInt('seed', String(opts.seed)),
        districts: positiveInt('districts', String(opts.districts)),
        parts: positiveInt('parts', String(opts.parts)),
        onProgress: (n, total) => {
          if (n - last >= total / 20 || n === total) {
            log(`generated ${n} / ${total} cases (${Math.round((100 * n) / total)}%)`);
            last = n;
          }
        },
      });
      if (opts.json) process.stdout.write(toJson({ label: SIMULATED_LABEL, ...res }) + '\n');
      else
        process.stdout.write(
          `${SIMULATED_LABEL}: ${cases} cases of ${res.city.name.zh} (${res.city.name.en}) → ${res.dir}\n`,
        );
    });
}
