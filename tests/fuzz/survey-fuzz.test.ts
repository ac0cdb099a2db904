/**
 * Fuzzed survey inputs: mutated response CSV, SurveyJS JSON and survey.yaml text must either parse (with
 * located cell issues) or throw a `CityIndexError` whose issues all say where — never crash with another
 * error, and the pipeline must run on whatever parses. Seeded, so a failure is reproducible.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/engine/core/rng.ts';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { runSurvey } from '../../src/engine/survey/pipeline.ts';
import type { SurveySpec } from '../../src/engine/survey/types.ts';
import { censusMargins } from '../../src/engine/survey/weighting.ts';
import { parseResponsesCsv, parseSurveyConfig, parseSurveyJsResults } from '../../src/formats/survey.ts';

const ITEMS = ['q1', 'q2', 'q3', 'q4', 'attn'];
const OPTS = {
  columns: { id: 'id', city: 'city', duration: 'time', submittedAt: 'at', age: 'age', sex: 'sex' },
  items: ITEMS,
};
const CITIES = ['110100', '310100'];
const SPEC: SurveySpec = {
  scoring: { reverse: ['q4'] },
  indicators: [
    { code: 'A', items: ['q1', 'q2', 'q3', 'q4'] },
    { code: 'P', items: ['q1'], statistic: { type: 'proportion', atLeast: 75 } },
  ],
  cleaning: {
    speeders: { minSeconds: 60, minFractionOfMedian: 0.3 },
    straightLining: { minItems: 3 },
    attentionChecks: [{ item: 'attn', expected: 4 }],
    quota: { perCity: 8 },
  },
  weighting: { weighting: { method: 'rake' }, trim: { lower: 0.3, upper: 3 } },
  estimation: { minSample: 5 },
};
const MARGINS = new Map(
  CITIES.map((c) => [
    c,
    censusMargins({ city: c, sexRatio: 105, pctAge0to14: 12, pctAge15to59: 65, pctAge60plus: 23, pctAge65plus: 15 }),
  ]),
);

function validCsv(rng: Rng, rows: number): string {
  const lines = ['id,city,time,at,age,sex,q1,q2,q3,q4,attn'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      [
        `R${i}`,
        CITIES[rng.int(2)],
        String(30 + rng.int(600)),
        `2020-06-${10 + rng.int(20)}`,
        String(18 + rng.int(70)),
        rng.next() < 0.5 ? '男' : '女',
        ...[0, 1, 2, 3].map(() => (rng.next() < 0.05 ? 'dk' : String(1 + rng.int(5)))),
        rng.next() < 0.9 ? '4' : '2',
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

const JUNK = [
  '',
  ',',
  '"',
  '\n',
  '\r\n',
  'NaN',
  '-1',
  '1e400',
  '９',
  '男女',
  'dk',
  '\ufeff',
  '\u0000',
  ';',
  '99999999',
  'Infinity',
  '12:99',
  '秒',
];

function mutate(rng: Rng, text: string): string {
  let s = text;
  const k = 1 + rng.int(6);
  for (let m = 0; m < k; m++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(4)) {
      case 0:
        s = s.slice(0, at) + JUNK[rng.int(JUNK.length)] + s.slice(at);
        break; // insert
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + rng.int(8));
        break; // delete
      case 2:
        s = s.slice(0, at) + String.fromCharCode(rng.int(0x3000)) + s.slice(at + 1);
        break; // replace a char
      default:
        s = s.slice(0, at);
        break; // truncate
    }
  }
  return s;
}

function expectLocated(issues: readonly Issue[]): void {
  for (const i of issues) {
    expect(typeof i.code).toBe('string');
    expect(typeof i.message).toBe('string');
    expect(i.file !== undefined || i.row !== undefined || i.column !== undefined || i.field !== undefined).toBe(true);
  }
}

function attempt(fn: () => { issues: Issue[]; table?: unknown }): 'parsed' | 'rejected' {
  try {
    const r = fn();
    expectLocated(r.issues);
    return 'parsed';
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    expect(e.issues.length).toBeGreaterThan(0);
    expectLocated(e.issues);
    return 'rejected';
  }
}

describe('survey fuzz', () => {
  it('mutated response CSV: parsed with located issues (and the pipeline runs) or rejected with located errors', () => {
    const rng = createRng(20240517);
    const seen = { parsed: 0, rejected: 0 };
    for (let k = 0; k < 300; k++) {
      const text = mutate(rng, validCsv(rng, 5 + rng.int(30)));
      const outcome = attempt(() => {
        const r = parseResponsesCsv(text, 'fuzz.csv', OPTS);
        const run = runSurvey({ table: r.table, spec: SPEC, margins: MARGINS, cities: CITIES });
        expect(run.estimates.dataset.unitCodes).toEqual(CITIES);
        for (const v of run.weighting.weights) expect(Number.isFinite(v)).toBe(true);
        return r;
      });
      seen[outcome]++;
    }
    expect(seen.parsed).toBeGreaterThan(20);
    expect(seen.rejected).toBeGreaterThan(20);
  });

  it('mutated SurveyJS JSON never crashes', () => {
    const rng = createRng(7);
    for (let k = 0; k < 200; k++) {
      const rows = Array.from({ length: 3 + rng.int(8) }, (_, i) => ({
        id: `R${i}`,
        city: CITIES[rng.int(2)],
        age: 20 + rng.int(60),
        sex: 'male',
        grid: { q1: 1 + rng.int(5), q2: 'dk', q3: 3, q4: rng.int(7), attn: 4 },
      }));
      const text = rng.next() < 0.2 ? JSON.stringify(rows) : mutate(rng, JSON.stringify(rows));
      attempt(() => parseSurveyJsResults(text, 'fuzz.json', OPTS));
    }
  });

  it('mutated survey.yaml is accepted or rejected with located errors', () => {
    const rng = createRng(99);
    const base = [
      'id: s',
      'cities: ["110100", "310100"]',
      'responses: { file: r.csv, columns: { city: city, age: age } }',
      'scoring: { scale: { min: 1, max: 5 }, reverse: [q2] }',
      'indicators:',
      '  - { code: A, items: [q1, q2], minItems: 1 }',
      'cleaning: { speeders: { minSeconds: 60 }, quota: { perCity: 100 } }',
      'weighting: { weighting: { method: rake }, trim: { lower: 0.3, upper: 3 } }',
      'estimation: { confidence: 0.95, minSample: 100 }',
    ].join('\n');
    for (let k = 0; k < 200; k++) {
      const text = mutate(rng, base);
      try {
        parseSurveyConfig(text, 'survey.yaml');
      } catch (e) {
        if (!(e instanceof CityIndexError)) throw e;
        for (const i of e.issues) expect(i.file).toBe('survey.yaml');
      }
    }
  });
});
