/**
 * Survey benchmark: one million responses (45 cities, 17 items) imported from CSV text, cleaned, raked to
 * census margins and estimated, in one pass — target < 30 s. The CSV is generated in memory first (not timed).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/engine/core/rng.ts';
import { runSurvey } from '../src/engine/survey/pipeline.ts';
import type { CityMargins, SurveySpec } from '../src/engine/survey/types.ts';
import { censusMargins } from '../src/engine/survey/weighting.ts';
import { parseResponsesCsv } from '../src/formats/survey.ts';
import { cliBuild, runCli, type BenchRow } from './harness.ts';

const ITEMS = [
  'INF1',
  'INF2',
  'INF3',
  'GOV1',
  'GOV2',
  'GOV3',
  'GOV4',
  'PUB1',
  'PUB2',
  'PUB3',
  'PUB4',
  'LIF1',
  'LIF2',
  'LIF3',
  'LIF4',
];

/** CSV text of `n` synthetic responses over `cities` (a few speeders, straight-liners, duplicates). */
export function syntheticResponsesCsv(n: number, cities: readonly string[], seed = 1): string {
  const rng = createRng(seed);
  const lines: string[] = [
    ['respondent_id', 'city_adcode', 'submitted_at', 'duration_seconds', 'age', 'sex', ...ITEMS, 'ATTN', 'OVR'].join(
      ',',
    ),
  ];
  for (let i = 0; i < n; i++) {
    const city = cities[rng.int(cities.length)];
    const base = 2 + rng.int(3);
    const cells = [
      `R${i}`,
      city,
      `2020-06-${String(1 + rng.int(28)).padStart(2, '0')}T12:00:00Z`,
      String(rng.next() < 0.03 ? 50 : 200 + rng.int(600)),
      String(18 + rng.int(70)),
      rng.next() < 0.55 ? 'male' : 'female',
    ];
    const straight = rng.next() < 0.02;
    for (let j = 0; j < ITEMS.length; j++)
      cells.push(straight ? '3' : rng.next() < 0.03 ? 'dk' : String(Math.min(5, Math.max(1, base + rng.int(3) - 1))));
    cells.push(rng.next() < 0.03 ? '2' : '4', String(1 + rng.int(5)));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

const SPEC: SurveySpec = {
  scoring: { scale: { min: 1, max: 5 }, reverse: ['GOV4', 'LIF4'], dontKnow: ['dk'] },
  indicators: [
    { code: 'SV_INFRA', items: ITEMS.slice(0, 3) },
    { code: 'SV_GOV', items: ITEMS.slice(3, 7) },
    { code: 'SV_PUB', items: ITEMS.slice(7, 11) },
    { code: 'SV_LIFE', items: ITEMS.slice(11, 15) },
    { code: 'LIF_SATISFACTION', items: ITEMS, minItems: 8 },
    { code: 'SV_SATISFIED_PCT', items: ['OVR'], statistic: { type: 'proportion', atLeast: 75 } },
  ],
  cleaning: {
    duplicates: ['id', 'answers'],
    speeders: { minSeconds: 120, minFractionOfMedian: 0.3 },
    straightLining: { minItems: 10 },
    attentionChecks: [{ item: 'ATTN', expected: 4 }],
    quota: { perCity: 20_000 },
  },
  weighting: { weighting: { method: 'rake' }, trim: { lower: 0.3, upper: 3 } },
  estimation: { minSample: 100 },
};

/**
 * A copy of examples/cdgi-2020 (with the files it names outside its folder) whose survey has `n` SIMULATED
 * responses: the example's simulated rows repeated, each copy after the first with three answers moved by one
 * (seeded), so that duplicates, speeders, straight-liners and quotas find what they find in the example.
 */
export function millionResponseProject(root: string, n = 1_000_000, seed = 11): string {
  const repo = join(import.meta.dirname, '..');
  const dir = join(root, 'examples', 'cdgi-2020');
  cpSync(join(repo, 'examples', 'cdgi-2020'), dir, { recursive: true });
  cpSync(join(repo, 'cases'), join(root, 'cases'), { recursive: true });
  cpSync(join(repo, 'data'), join(root, 'data'), { recursive: true });
  const file = join(dir, 'surveys', 'responses-simulated.csv');
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  const items = ITEMS.map((it) => names.indexOf(it));
  const rng = createRng(seed);
  const out: string[] = [header];
  for (let i = 0, copy = 0; i < n; copy++)
    for (let r = 0; r < rows.length && i < n; r++, i++) {
      const cells = rows[r].split(',');
      cells[0] = `R${String(i + 1).padStart(7, '0')}`;
      if (copy > 0)
        for (let k = 0; k < 3; k++) {
          const at = items[Math.floor(rng.next() * items.length)];
          const v = Number(cells[at]);
          if (Number.isInteger(v) && v >= 1 && v <= 5)
            cells[at] = String(Math.min(5, Math.max(1, v + (rng.next() < 0.5 ? -1 : 1))));
        }
      out.push(cells.join(','));
    }
  writeFileSync(file, out.join('\n') + '\n');
  return dir;
}

/** `cityindex survey estimate` over 1 M responses as a user runs it: a new process, start to outputs written. */
export function benchSurveyCommand(): BenchRow[] {
  const root = mkdtempSync(join(tmpdir(), 'cityindex-bench-survey-'));
  try {
    const dir = millionResponseProject(root);
    const r = runCli(['survey', 'estimate', dir, '--out', join(root, 'out')]);
    if (r.status !== 0) throw new Error(`survey estimate failed: ${r.stderr.slice(-400)}`);
    return [
      {
        name: 'survey estimate, 1M SIMULATED responses, whole command (cdgi-2020 survey)',
        seconds: r.seconds,
        target: '≤ 12 s',
        pass: r.seconds <= 12,
        notes:
          `CPU ${r.cpu.toFixed(1)} s; peak ${r.mib.toFixed(0)} MiB; load ${loadavg()[0].toFixed(1)}; ` +
          cliBuild().text,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchSurvey(): Promise<BenchRow[]> {
  const n = 1_000_000;
  const cities = Array.from({ length: 45 }, (_, k) => String(110100 + k * 100));
  const rng = createRng(7);
  const margins = new Map<string, CityMargins>(
    cities.map((c) => {
      const p65 = 8 + 8 * rng.next();
      return [
        c,
        censusMargins({
          city: c,
          sexRatio: 98 + 10 * rng.next(),
          pctAge0to14: 12 + 6 * rng.next(),
          pctAge15to59: 62,
          pctAge60plus: p65 + 6,
          pctAge65plus: p65,
        }),
      ];
    }),
  );
  const csv = syntheticResponsesCsv(n, cities);
  const t0 = performance.now();
  const parsed = parseResponsesCsv(csv, 'bench.csv', {
    columns: {
      id: 'respondent_id',
      city: 'city_adcode',
      submittedAt: 'submitted_at',
      duration: 'duration_seconds',
      age: 'age',
      sex: 'sex',
    },
    items: [...ITEMS, 'ATTN', 'OVR'],
  });
  const t1 = performance.now();
  const res = runSurvey({ table: parsed.table, spec: SPEC, margins, cities });
  const t2 = performance.now();
  if (res.estimates.dataset.unitCodes.length !== 45) throw new Error('bench: wrong number of cities');
  const total = (t2 - t0) / 1000;
  return [
    { name: 'survey: import 1M responses (CSV)', seconds: (t1 - t0) / 1000, target: '(part of the 30 s)' },
    { name: 'survey: clean + rake + estimate 1M responses', seconds: (t2 - t1) / 1000, target: '(part of the 30 s)' },
    {
      name: 'survey: 1M responses imported, cleaned, weighted, estimated',
      seconds: total,
      target: '< 30 s',
      pass: total < 30,
    },
    ...benchSurveyCommand(),
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!)) {
  benchSurvey().then((rows) => console.table(rows));
}
