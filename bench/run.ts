/**
 * `npm run bench`: runs every benchmark and prints one table comparing with the reference figures
 * given in the issues (COINr timings on a 2-core machine). `--only <name>` runs a subset.
 * Results are measurements, not tests: nothing here fails CI.
 */
import { availableParallelism, loadavg } from 'node:os';
import { printTable, type BenchRow } from './harness.ts';
import { benchBuild } from './build.ts';
import { benchSurvey } from './survey.ts';
import { benchReport } from './report.ts';
import { benchUncertainty } from './uncertainty.ts';
import { benchStartup } from './startup.ts';
import { benchScale } from './scale.ts';
import { benchXlsx } from './xlsx.ts';
import { benchPlatform } from './platform.ts';
import { benchSubmissions } from './submissions.ts';
import { benchFirstAnalysis } from './first-analysis.ts';
import { benchCaseLog } from './caselog.ts';
import { benchFieldwork } from './fieldwork.ts';
import { benchSite } from './site.ts';

type Bench = { name: string; run: () => Promise<BenchRow[]> };
const benches: Bench[] = [
  { name: 'startup', run: benchStartup },
  { name: 'build', run: benchBuild },
  { name: 'report', run: benchReport },
  { name: 'uncertainty', run: benchUncertainty },
  { name: 'first-analysis', run: benchFirstAnalysis },
  { name: 'scale', run: benchScale },
  { name: 'xlsx', run: () => benchXlsx() },
  { name: 'platform', run: benchPlatform },
  { name: 'submissions', run: benchSubmissions },
  { name: 'caselog', run: benchCaseLog },
  { name: 'fieldwork', run: benchFieldwork },
  { name: 'site', run: benchSite },
  {
    name: 'survey',
    run: async () =>
      (await benchSurvey()).map((r) => ({
        name: r.name,
        seconds: r.seconds,
        target: r.target,
        pass: (r as { pass?: boolean }).pass,
      })),
  },
];

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const rows: BenchRow[] = [];
const utc = () => new Date().toISOString().slice(0, 16).replace('T', ' ');
const load = () => loadavg()[0].toFixed(2);
const started = { at: utc(), load: load() };
for (const b of benches) {
  if (only && !b.name.includes(only)) continue;
  process.stderr.write(`running ${b.name} …\n`);
  try {
    rows.push(...(await b.run()));
  } catch (e) {
    rows.push({ name: `${b.name} (failed)`, seconds: NaN, notes: (e as Error).message.split('\n')[0] });
  }
}
// the machine the figures come from, and how busy it was (the README's table quotes this line)
console.log(
  `npm run bench${only ? ` --only ${only}` : ''}, ${started.at}–${utc().slice(11)} UTC, ` +
    `${availableParallelism()} cores, Node ${process.version}, ` +
    `load average (1 min) ${started.load} at the start, ${load()} at the end\n`,
);
printTable(rows);
