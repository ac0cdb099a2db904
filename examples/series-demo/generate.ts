/**
 * Generates the series demo — GENERATED EXAMPLE DATA / 模拟数据, not real prices: no national monthly
 * 288-index series is available (data/sources/housing_price_288_index/PROVENANCE.md).
 *
 * Six fictional cities, 2020-01 … 2022-12. For each city a true monthly price path (a common trend plus
 * a city drift and noise) and each month a number of matched pairs of similar dwellings priced in
 * consecutive months with 3 % price noise; each city's index is the chained Jevons index of its pairs
 * (base 2020-01 = 1000), printed to 1 decimal, with the month's transaction count as weight.
 * The national index is chained with previous-month transaction weights (base 2020-01 = 1000).
 * `published.csv` prints the national index for 2021-01 … 2022-12 as a 日期/指数/环比/同比 table with
 * three deliberate faults for the audit to find: 2021-06 and 2022-03 have 环比 and 同比 swapped, and
 * 2022-09's 环比 is misprinted (+0.50 percentage points).
 *
 * Run: `npx tsx examples/series-demo/generate.ts` (writes the files), `--check` (fails if they differ).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type Rng } from '../../src/engine/core/rng.ts';
import { aggregateSeries } from '../../src/engine/series/aggregate.ts';
import { seriesChanges } from '../../src/engine/series/changes.ts';
import { matchedPairIndex, type PricePair } from '../../src/engine/series/matched-pair.ts';
import { formatPeriod } from '../../src/engine/series/period.ts';
import { createSeries, type Series } from '../../src/engine/series/series.ts';

export const SEED = 20230228;
export const NOTE = 'generated example data / 模拟数据';
const MONTHS = 36;
const START = 2020 * 12; // 2020-01
const CITIES = [
  { code: 'demo-a', name: '示例城市A (Demo City A)', drift: 0.004, volume: 600 },
  { code: 'demo-b', name: '示例城市B (Demo City B)', drift: 0.002, volume: 450 },
  { code: 'demo-c', name: '示例城市C (Demo City C)', drift: 0.0, volume: 300 },
  { code: 'demo-d', name: '示例城市D (Demo City D)', drift: -0.002, volume: 250 },
  { code: 'demo-e', name: '示例城市E (Demo City E)', drift: 0.001, volume: 150 },
  { code: 'demo-f', name: '示例城市F (Demo City F)', drift: -0.003, volume: 100 },
];

const normal = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const month = (t: number): string => formatPeriod({ frequency: 'month', ordinal: START + t });
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
const fixed = (x: number, d: number): string => {
  const s = round(x, d).toFixed(d);
  return s === `-${(0).toFixed(d)}` ? (0).toFixed(d) : s;
};

/** All demo files, name → content. */
export function generateSeriesDemo(seed = SEED): Map<string, string> {
  const rng = createRng(seed);
  // common national trend: a slow rise, then a slow fall from 2021-09
  const trend = Array.from({ length: MONTHS }, (_, t) => (t < 20 ? 0.005 : -0.0025));
  const cityRows: string[] = ['series,name,period,value,weight'];
  const citySeries: Series[] = [];
  const weights: Record<string, Series> = {};
  for (const c of CITIES) {
    let truth = 1;
    const pairs: PricePair[] = [];
    const volumes: number[] = [];
    for (let t = 0; t < MONTHS; t++) {
      const volume = Math.max(20, Math.round(c.volume * (1 + 0.25 * normal(rng))));
      volumes.push(volume);
      if (t === 0) continue;
      const prev = truth;
      truth *= Math.exp(trend[t] + c.drift + 0.004 * normal(rng));
      const nPairs = Math.max(10, Math.round(volume / 10));
      for (let k = 0; k < nPairs; k++) {
        const quality = 12000 * Math.exp(0.35 * normal(rng)); // yuan/m² of the dwelling at the base
        pairs.push({
          period0: month(t - 1),
          period1: month(t),
          price0: quality * prev * Math.exp(0.03 * normal(rng)),
          price1: quality * truth * Math.exp(0.03 * normal(rng)),
        });
      }
    }
    const index = matchedPairIndex(pairs, { baseValue: 1000, code: c.code }).series;
    const printed = Array.from(index.values, (v) => round(v, 1));
    index.periods.forEach((p, t) => cityRows.push(`${c.code},${c.name},${p},${fixed(printed[t], 1)},${volumes[t]}`));
    citySeries.push(
      createSeries(
        index.periods.map((period, t) => ({ period, value: printed[t] })),
        { code: c.code },
      ),
    );
    weights[c.code] = createSeries(
      index.periods.map((period, t) => ({ period, value: volumes[t] })),
      { code: c.code },
    );
  }
  const national = aggregateSeries(citySeries, {
    aggregation: { method: 'chained' },
    weights,
    code: 'national',
    baseValue: 1000,
  }).series;
  const ch = seriesChanges(national);
  const published: string[] = ['日期,指数,环比,同比,note'];
  for (let t = MONTHS - 1; t >= 12; t--) {
    const p = national.periods[t];
    let mom = fixed(ch.periodOnPeriod[t], 2);
    let yoy = fixed(ch.yearOnYear[t], 2);
    let note = '';
    if (p === '2021-06' || p === '2022-03') {
      [mom, yoy] = [yoy, mom];
      note = 'fault: columns swapped / 故意互换';
    }
    if (p === '2022-09') {
      mom = fixed(ch.periodOnPeriod[t] + 0.5, 2);
      note = 'fault: 环比 misprinted / 故意错印';
    }
    published.push(`${p.replace('-', '.')},${fixed(national.values[t], 1)},${mom},${yoy},${note}`);
  }
  const header = `# ${NOTE}: seed ${seed}, made by examples/series-demo/generate.ts — not real prices\n`;
  const seriesYaml = [
    `name: Series demo (${NOTE})`,
    'series:',
    `  note: ${NOTE}`,
    '  file: cities.csv',
    '  aggregate:',
    '    code: national',
    '    method: chained',
    '    mean: arithmetic',
    '    weightTiming: previous',
    '    baseValue: 1000',
    '  audit: published.csv',
    '',
  ].join('\n');
  return new Map([
    ['cities.csv', cityRows.join('\n') + '\n'],
    ['published.csv', published.join('\n') + '\n'],
    ['series.yaml', header + seriesYaml],
  ]);
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const check = process.argv.includes('--check');
  let differs = 0;
  for (const [name, content] of generateSeriesDemo()) {
    const path = join(here, name);
    if (check) {
      const old = await readFile(path, 'utf8').catch(() => '');
      if (old !== content) {
        differs++;
        process.stderr.write(`differs: ${path}\n`);
      }
    } else {
      await writeFile(path, content);
      process.stderr.write(`wrote ${path}\n`);
    }
  }
  if (differs) process.exitCode = 1;
}

if (process.argv[1] && /generate\.ts$/.test(process.argv[1])) void main();
