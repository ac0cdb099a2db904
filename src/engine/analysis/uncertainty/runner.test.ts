import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../../formats/project.ts';
import { build } from '../../pipeline/build.ts';
import { createRng } from '../../core/rng.ts';
import type { BuildSpec } from '../../spec/spec.ts';
import { resolveInputs, type UncertainInput } from './inputs.ts';
import { createRunner, excludeIndicators, rankByPerm, rankInto, runSpec } from './runner.ts';
import { rankDescending } from '../../stats/descriptive.ts';
import { rankScratch } from '../../stats/rank.ts';
import { coinrDesign } from './test-helpers.ts';

let asem: LoadedProject;
beforeAll(async () => {
  asem = await loadProject('examples/asem');
});

/** Compare the runner with build() of the run's spec on `n` random rows. */
function compareWithBuild(
  spec: BuildSpec,
  inputs: UncertainInput[],
  n: number,
  seed: number,
  kernel = true,
): { failed: number; compiled: boolean } {
  const { input } = asem;
  const resolved = resolveInputs(inputs, spec, input.framework);
  const runner = createRunner(input, spec, resolved, { seed: 5, kernel });
  const M = input.units.length;
  const scores = new Float64Array(M),
    ranks = new Float64Array(M);
  const rng = createRng(seed);
  let failed = 0;
  for (let k = 0; k < n; k++) {
    const u = Array.from({ length: resolved.length }, () => rng.next());
    const reason = runner.run(u, scores, ranks);
    const rs = runSpec(input, spec, resolved, u, 5);
    let ref: ReturnType<typeof build> | undefined;
    let refError: unknown;
    try {
      ref = build({ ...input, framework: excludeIndicators(input.framework, rs.excluded) }, rs.spec);
    } catch (e) {
      refError = e;
    }
    if (!ref) {
      expect(reason, String(refError)).not.toBeNull();
      failed++;
      continue;
    }
    expect(reason).toBeNull();
    const { indexCode } = ref.results;
    const sc = ref.results.scores,
      rk = ref.results.ranks;
    const j = sc.codes.indexOf(indexCode),
      m = sc.unitCodes.length;
    const rowOf = new Map(sc.unitCodes.map((c, i) => [c, i] as const));
    input.units.forEach((unit, i) => {
      const r = rowOf.get(unit.code);
      if (r === undefined) {
        expect(scores[i]).toBeNaN();
        return;
      }
      expect(scores[i]).toBe(sc.values[j * m + r]); // bit-identical
      expect(ranks[i]).toBe(rk.values[j * m + r]);
    });
  }
  return { failed, compiled: runner.compiled };
}

describe('replication kernel = build() of the run spec (bit for bit)', () => {
  it("COINr's four-assumption design on ASEM, 100 sampled runs", () => {
    const r = compareWithBuild(asem.spec, coinrDesign(), 100, 11);
    expect(r.compiled).toBe(true);
  });
  it('the same through the step functions only (no compiled aggregation)', () => {
    expect(compareWithBuild(asem.spec, coinrDesign(), 40, 12, false).compiled).toBe(false);
  });
  it('exclusions, a continuous range, per-level aggregation and a data threshold', () => {
    const inputs: UncertainInput[] = [
      { kind: 'exclude', name: 'drop', indicators: [[], ['Goods'], ['Goods', 'Flights'], ['CO2']] },
      { kind: 'range', name: 'threshold', step: 'aggregate', path: ['options', 'dataThreshold'], min: 0, max: 1 },
      {
        kind: 'alternatives',
        name: 'level3',
        step: 'aggregate',
        path: ['options', 'levels'],
        values: [
          { '3': { aggregation: { method: 'harmonic' } } },
          { '4': { aggregation: { method: 'generalised', p: 2 } } },
        ],
      },
      {
        kind: 'alternatives',
        name: 'normalisation',
        step: 'normalise',
        path: ['options'],
        values: [{ method: 'minMax', range: [1, 100] }, { method: 'rank' }],
      },
      { kind: 'weightNoise', name: 'weights', levels: [1, 3], factor: 0.5, sets: 7 },
      // no imputation: missing values reach the aggregation and screening drops units
      {
        kind: 'alternatives',
        name: 'impute',
        step: 'impute',
        path: ['options'],
        values: [{ method: 'groupMean', group: 'EurAsia_group' }, { method: 'none' }],
      },
    ];
    compareWithBuild(asem.spec, inputs, 80, 13);
  });
  it('missing values with geometric means at noisy levels (the slow per-unit paths)', () => {
    const inputs: UncertainInput[] = [
      {
        kind: 'alternatives',
        name: 'impute',
        step: 'impute',
        path: ['options'],
        values: [{ method: 'none' }, { method: 'groupMean', group: 'EurAsia_group' }],
      },
      { kind: 'alternatives', name: 'screen', step: 'screen', path: ['options', 'dataThreshold'], values: [0, 0.95] },
      {
        kind: 'alternatives',
        name: 'normalisation',
        step: 'normalise',
        path: ['options'],
        values: [
          { method: 'minMax', range: [1, 100] },
          { method: 'zScore', mean: 10, sd: 1 },
        ],
      },
      {
        kind: 'alternatives',
        name: 'aggregation',
        step: 'aggregate',
        path: ['options'],
        values: [
          { aggregation: { method: 'geometric' } },
          { aggregation: { method: 'arithmetic' }, dataThreshold: 0.8 },
          { aggregation: { method: 'geometric' }, levels: { '2': { aggregation: { method: 'arithmetic' } } } },
        ],
      },
      { kind: 'weightNoise', name: 'weights', levels: [1, 2, 3], factor: 0.25, sets: 9 },
    ];
    const r = compareWithBuild(asem.spec, inputs, 60, 17);
    expect(r.failed).toBeLessThan(30);
  });
  it('two inputs on one step that combine into an invalid step fail that run (as build() refuses the spec)', () => {
    const r = compareWithBuild(
      asem.spec,
      [
        {
          kind: 'alternatives',
          name: 'method',
          step: 'normalise',
          path: ['options'],
          values: [{ method: 'minMax' }, { method: 'zScore' }],
        },
        {
          kind: 'alternatives',
          name: 'range',
          step: 'normalise',
          path: ['options', 'range'],
          values: [
            [1, 100],
            [2, 50],
          ],
        },
      ],
      20,
      18,
    );
    expect(r.failed).toBeGreaterThan(0);
    expect(r.failed).toBeLessThan(20);
  });
  it('runs that fail in build() fail in the kernel (min–max [0, 100] with a geometric mean)', () => {
    const inputs: UncertainInput[] = [
      {
        kind: 'alternatives',
        name: 'aggregation',
        step: 'aggregate',
        path: ['options', 'aggregation'],
        values: [{ method: 'arithmetic' }, { method: 'geometric' }],
      },
      { kind: 'alternatives', name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [0, 5] },
    ];
    const r = compareWithBuild(asem.spec, inputs, 30, 14);
    expect(r.failed).toBeGreaterThan(0);
  });
  it('whole-group aggregation (TOPSIS) and a spec with two aggregate steps go through the step functions', () => {
    const inputs: UncertainInput[] = [
      {
        kind: 'alternatives',
        name: 'aggregation',
        step: 'aggregate',
        path: ['options', 'aggregation'],
        values: [{ method: 'topsis' }, { method: 'mpi' }],
      },
      { kind: 'weightNoise', name: 'weights', levels: [2], factor: 0.25, sets: 5 },
    ];
    compareWithBuild(asem.spec, inputs, 12, 15);
    const two: BuildSpec = {
      ...asem.spec,
      steps: [
        ...asem.spec.steps,
        { id: 'w2', kind: 'weight', options: { level: 2, weighting: { method: 'equal' } } },
        { id: 'agg2', kind: 'aggregate', options: { aggregation: { method: 'geometric' } } },
      ],
    };
    const r = compareWithBuild(
      two,
      [
        { kind: 'alternatives', name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [1, 3] },
        { kind: 'weightNoise', name: 'weights', levels: [2], factor: 0.25, sets: 5 },
      ],
      10,
      16,
    );
    expect(r.compiled).toBe(false);
  });
});

describe('kernel ranking = rankDescending (ties share the best rank, NaN stays NaN)', () => {
  it('sort, and insertion from the previous order, on perturbed runs with ties and NaN; exact and tie-tolerant', () => {
    for (const tolerance of [0, 1e-10]) {
      const rng = createRng(21);
      const m = 60;
      const perm = Int32Array.from({ length: m }, (_, i) => i);
      const rowToUnit = Int32Array.from({ length: m }, (_, i) => i);
      // near-ties: threshold 1e-10 × max|x| ≈ 2e-9; a value 1.5e-9 below its group's best ties, 3e-9 below does not
      const jitter = [0, 4e-15, -1.5e-9, -3e-9];
      const draw = (run: number): number => Math.round(rng.next() * 20) / (run % 3 ? 1 : 2) + jitter[rng.int(4)];
      const x = Float64Array.from({ length: m }, () => draw(1));
      let insertionUsed = 0;
      for (let run = 0; run < 200; run++) {
        for (let k = 0; k < 5; k++) x[rng.int(m)] = rng.next() < 0.1 ? NaN : draw(run);
        if (run === 100) x.reverse();
        const expected = rankDescending(x, undefined, tolerance);
        const a = new Float64Array(m),
          b = new Float64Array(m);
        rankInto(x, m, rowToUnit, a, rankScratch(m), tolerance);
        expect(Array.from(a)).toEqual(Array.from(expected));
        if (rankByPerm(x, m, perm, rowToUnit, b, tolerance)) {
          insertionUsed++;
          expect(Array.from(b)).toEqual(Array.from(expected));
        }
        expect(Array.from(perm).sort((p, q) => p - q)).toEqual(Array.from({ length: m }, (_, i) => i));
      }
      expect(insertionUsed).toBeGreaterThan(150);
    }
  });
});
