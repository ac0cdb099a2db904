import { describe, expect, it } from 'vitest';
import { fwNode, issuesOf, plainUnits } from '../../test-fixtures/engine.ts';
import { weightStep, type WeightDiagnostics } from './step.ts';
import { aggregateStep } from '../aggregate/step.ts';
import { fromRows, column } from '../../core/dataset.ts';
import type { Framework } from '../../core/framework.ts';
import type { StepInput } from '../../pipeline/step.ts';
import { COINR_EXAMPLE_SPEC, type BuildSpec, type WeightMethod } from '../../spec/spec.ts';
import { build } from '../../pipeline/build.ts';
import { entropyWeights } from './entropy.ts';
import { pearson } from '../../stats/descriptive.ts';
import { readAsemInput, readCoinrCsv } from '../../../../tests/golden/asem-fixtures.ts';

const node = fwNode;

// Index I ← D1 (a, b, c), D2 (d, e, gap [not collected]), D3 (f)
const FW: Framework = {
  nodes: [
    node('I', 3, null),
    node('D1', 2, 'I'),
    node('D2', 2, 'I'),
    node('D3', 2, 'I'),
    node('a', 1, 'D1'),
    node('b', 1, 'D1'),
    node('c', 1, 'D1'),
    node('d', 1, 'D2'),
    node('e', 1, 'D2'),
    node('gap', 1, 'D2', { status: 'not_collected', weight: 7 }),
    node('f', 1, 'D3'),
  ],
};
const CODES = ['a', 'b', 'c', 'd', 'e', 'f'];
const UNITS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const ROWS = [
  [10, 20, 35, 40, 5, 1],
  [20, 25, 30, 35, 10, 2],
  [30, 20, 60, 30, 20, 3],
  [40, 35, 20, 25, 40, 5],
  [50, 30, 50, 20, 80, 8],
  [60, 40, 40, 10, 90, 9],
];
const input = (rows = ROWS): StepInput => ({
  dataset: fromRows(UNITS, CODES, rows),
  framework: FW,
  units: plainUnits(UNITS),
});
const run = (weighting: WeightMethod, level = 1, inp = input()) => weightStep(inp, { level, weighting });
const w = (fw: Framework | undefined, code: string): number => fw!.nodes.find((n) => n.code === code)!.weight;
const colMajor = (cols: string[]): Float64Array => {
  const ds = input().dataset;
  const out = new Float64Array(cols.length * UNITS.length);
  cols.forEach((c, j) => out.set(column(ds, c), j * UNITS.length));
  return out;
};

describe('weightStep: equal, manual, and bookkeeping', () => {
  it('equal weights are 1/k within each parent; gaps, dataset and input framework untouched', () => {
    const inp = input();
    const before = JSON.stringify(inp.framework);
    const out = run({ method: 'equal' }, 1, inp);
    expect(out.dataset).toBe(inp.dataset);
    expect(JSON.stringify(inp.framework)).toBe(before);
    expect(w(out.framework, 'a')).toBeCloseTo(1 / 3, 15);
    expect(w(out.framework, 'd')).toBe(0.5);
    expect(w(out.framework, 'f')).toBe(1);
    expect(w(out.framework, 'gap')).toBe(7);
    expect(out.diagnostics.weights).not.toHaveProperty('gap');
    expect(out.diagnostics.groups.map((g) => g.parent)).toEqual(['D1', 'D2', 'D3']);
  });

  it('manual weights: unknown or wrong-level codes are located errors', () => {
    const out = run({ method: 'manual', weights: { a: 2, b: 1 } });
    expect(w(out.framework, 'a')).toBe(2);
    expect(w(out.framework, 'c')).toBe(1);
    const issues = issuesOf(() => run({ method: 'manual', weights: { zz: 1, D1: 2, b: Number.NaN } }));
    expect(issues.map((i) => i.indicator)).toEqual(['zz', 'D1', 'b']);
    expect(issues[1].message).toMatch(/level 2, not 1/);
  });

  it('levels without weights are refused', () => {
    expect(() => run({ method: 'equal' }, 3)).toThrow(/levels 1–2/);
    expect(() => run({ method: 'equal' }, 0)).toThrow(/level 0/);
    expect(() => run({ method: 'nope' } as unknown as WeightMethod)).toThrow(/unknown weighting method "nope"/);
  });
});

describe('weightStep: objective methods', () => {
  it('entropy within each parent equals the kernel on that group', () => {
    const out = run({ method: 'entropy' });
    const ref = entropyWeights(colMajor(['a', 'b', 'c']), 6, 3).weights;
    ['a', 'b', 'c'].forEach((c, j) => expect(w(out.framework, c)).toBeCloseTo(ref[j], 14));
    const g = out.diagnostics.groups[0];
    expect(g.details?.method).toBe('entropy');
    expect(g.unitsUsed).toBe(6);
    expect(w(out.framework, 'f')).toBe(1); // single-child group
  });

  it("scope 'level' computes over all nodes of the level at once", () => {
    const out = run({ method: 'entropy', scope: 'level' });
    const ref = entropyWeights(colMajor(CODES), 6, 6).weights;
    CODES.forEach((c, j) => expect(w(out.framework, c)).toBeCloseTo(ref[j], 14));
    expect(out.diagnostics.groups).toHaveLength(1);
    expect(out.diagnostics.groups[0].parent).toBeNull();
  });

  it('uses complete cases and says so', () => {
    const rows = ROWS.map((r) => [...r]);
    rows[2][1] = Number.NaN;
    const out = run({ method: 'cv' }, 1, input(rows));
    expect(out.diagnostics.groups[0].unitsUsed).toBe(5);
    expect(out.diagnostics.warnings.some((x) => x.code === 'W_INCOMPLETE_UNITS' && x.indicator === 'D1')).toBe(true);
    expect(out.diagnostics.groups[1].unitsUsed).toBe(6);
  });

  it('entropy on negative data names the unit and indicator', () => {
    const rows = ROWS.map((r) => [...r]);
    rows[3][4] = -1;
    const issues = issuesOf(() => run({ method: 'entropy' }, 1, input(rows)));
    expect(issues[0]).toMatchObject({ code: 'E_ENTROPY_NEGATIVE', unit: 'u4', indicator: 'e' });
  });

  it('kernel errors say which group they are for: constant indicators, too few complete units', () => {
    // D2's d and e constant (7 and 3 for everyone): entropy has no information to weight them by
    const rows = ROWS.map((r) => [r[0], r[1], r[2], 7, 3, r[5]]);
    const issues = issuesOf(() => run({ method: 'entropy' }, 1, input(rows)));
    expect(issues.map((i) => [i.code, i.indicator])).toEqual([
      ['E_WEIGHTS_UNDEFINED', 'd'],
      ['E_WEIGHTS_UNDEFINED', 'e'],
    ]);
    expect(issues[0].message).toMatch(/^entropy weights for "D2": /);
    // only u1 has both d and e: CRITIC needs 2 complete units
    const holes = ROWS.map((r, i) => (i === 0 ? r : [r[0], r[1], r[2], NaN, r[4], r[5]]));
    const few = issuesOf(() => run({ method: 'critic' }, 1, input(holes)));
    expect(few).toHaveLength(1);
    expect(few[0]).toMatchObject({ code: 'E_TOO_FEW_UNITS', indicator: 'D2' });
    expect(few[0].message).toMatch(
      /^critic weights for "D2": CRITIC weights need at least 2 units with complete data, found 1/,
    );
  });

  it('critic, sd and pca produce weights ≥ 0 summing to 1 per group with their statistics', () => {
    for (const method of ['critic', 'sd', 'pca'] as const) {
      const out = run({ method });
      for (const g of out.diagnostics.groups) {
        expect(g.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
        expect(g.weights.every((v) => v >= 0)).toBe(true);
      }
      expect(out.diagnostics.groups[0].details?.method).toBe(method);
    }
    const pca = run({ method: 'pca', scope: 'level' }).diagnostics.groups[0].details;
    expect(pca?.method === 'pca' && pca.eigenvalues.length).toBe(6);
  });

  it('level 2 needs the level-2 scores: a clear error without them, weights with them', () => {
    const issues = issuesOf(() => run({ method: 'sd' }, 2));
    expect(issues[0].code).toBe('E_WEIGHT_NEEDS_SCORES');
    expect(issues[0].message).toMatch(/level 2 need the level-2 scores/);
    const inp = input();
    const aggregated = aggregateStep(inp).dataset;
    const out = run({ method: 'sd' }, 2, { ...inp, dataset: aggregated });
    const sds = ['D1', 'D2', 'D3'].map((c) => {
      const x = column(aggregated, c);
      const mu = x.reduce((s, v) => s + v, 0) / x.length;
      return Math.sqrt(x.reduce((s, v) => s + (v - mu) ** 2, 0) / x.length);
    });
    const total = sds[0] + sds[1] + sds[2];
    ['D1', 'D2', 'D3'].forEach((c, j) => expect(w(out.framework, c)).toBeCloseTo(sds[j] / total, 12));
  });
});

describe('weightStep: AHP', () => {
  // a : b : c = 4 : 2 : 1 (consistent), d : e = 1 : 3
  const D1 = {
    codes: ['c', 'a', 'b'],
    matrix: [
      [1, 1 / 4, 1 / 2],
      [4, 1, 2],
      [2, 1 / 2, 1],
    ],
  };
  const D2 = {
    codes: ['d', 'e'],
    matrix: [
      [1, 1 / 3],
      [3, 1],
    ],
  };

  it('one matrix per parent, in any code order; single-child groups need none', () => {
    const out = run({ method: 'ahp', matrices: { D1, D2 } });
    expect(w(out.framework, 'a')).toBeCloseTo(4 / 7, 12);
    expect(w(out.framework, 'b')).toBeCloseTo(2 / 7, 12);
    expect(w(out.framework, 'c')).toBeCloseTo(1 / 7, 12);
    expect(w(out.framework, 'e')).toBeCloseTo(0.75, 12);
    expect(w(out.framework, 'f')).toBe(1);
    const g = out.diagnostics.groups.find((x) => x.parent === 'D1')!;
    expect(g.details).toMatchObject({
      method: 'ahp',
      variant: 'eigenvector',
      riTable: 'saaty',
      ri: 0.58,
      consistent: true,
    });
  });

  it('a not-collected child may be compared; it is dropped with a warning', () => {
    const withGap = {
      codes: ['d', 'e', 'gap'],
      matrix: [
        [1, 1 / 3, 1],
        [3, 1, 3],
        [1, 1 / 3, 1],
      ],
    };
    const out = run({ method: 'ahp', matrices: { D1, D2: withGap } });
    expect(w(out.framework, 'e')).toBeCloseTo(0.75, 12);
    expect(out.diagnostics.warnings.some((x) => x.code === 'W_AHP_GAPS_DROPPED')).toBe(true);
  });

  it('located errors: missing matrix, missing / duplicate / foreign child, bad entries', () => {
    expect(issuesOf(() => run({ method: 'ahp', matrices: { D1 } }))[0]).toMatchObject({
      code: 'E_AHP_MISSING',
      indicator: 'D2',
    });
    const bad = issuesOf(() =>
      run({ method: 'ahp', matrices: { D1: { codes: ['a', 'a', 'd'], matrix: D1.matrix }, D2, D9: D2 } }),
    );
    expect(bad.map((i) => i.code).sort()).toEqual(
      ['E_AHP_CODE', 'E_AHP_DUPLICATE', 'E_AHP_MISSING_CHILD', 'E_AHP_MISSING_CHILD', 'E_AHP_PARENT'].sort(),
    );
    expect(bad.find((i) => i.code === 'E_AHP_DUPLICATE')!.field).toBe('weighting.matrices.D1.codes[1]');
    const rec = issuesOf(() =>
      run({
        method: 'ahp',
        matrices: {
          D1,
          D2: {
            codes: ['d', 'e'],
            matrix: [
              [1, 3],
              [3, 1],
            ],
          },
        },
      }),
    );
    expect(rec[0]).toMatchObject({
      code: 'E_AHP_RECIPROCAL',
      row: 2,
      column: 'd',
      field: 'weighting.matrices.D2.matrix',
    });
  });

  it('an inconsistent matrix gives a warning with CR', () => {
    const out = run({
      method: 'ahp',
      matrices: {
        D1: {
          codes: ['a', 'b', 'c'],
          matrix: [
            [1, 9, 1 / 9],
            [1 / 9, 1, 9],
            [9, 1 / 9, 1],
          ],
        },
        D2,
      },
      riTable: 'chinese',
    });
    const warn = out.diagnostics.warnings.find((x) => x.code === 'W_AHP_INCONSISTENT')!;
    expect(warn.message).toMatch(/D1.*chinese/);
  });
});

describe('weightStep: combined', () => {
  it('α·AHP + (1−α)·entropy per parent, with both parts in the diagnostics', () => {
    const D1 = {
      codes: ['a', 'b', 'c'],
      matrix: [
        [1, 2, 4],
        [1 / 2, 1, 2],
        [1 / 4, 1 / 2, 1],
      ],
    };
    const D2 = {
      codes: ['d', 'e'],
      matrix: [
        [1, 1],
        [1, 1],
      ],
    };
    const out = run({
      method: 'combined',
      subjective: { method: 'ahp', matrices: { D1, D2 } },
      objective: { method: 'entropy' },
      alpha: 0.3,
    });
    const ent = entropyWeights(colMajor(['a', 'b', 'c']), 6, 3).weights;
    [4 / 7, 2 / 7, 1 / 7].forEach((s, j) =>
      expect(w(out.framework, ['a', 'b', 'c'][j])).toBeCloseTo(0.3 * s + 0.7 * ent[j], 12),
    );
    const d: WeightDiagnostics = out.diagnostics;
    expect(d.components?.subjective.method).toBe('ahp');
    expect(d.components?.objective.groups[0].details?.method).toBe('entropy');
    expect(d.groups.every((g) => g.method === 'combined')).toBe(true);
  });
});

describe('weightStep: optimised (COINr test-weights.R on the ASEM example)', () => {
  const asem = readAsemInput();
  const normalised = readCoinrCsv('Normalised');
  const asemInput: StepInput = { dataset: normalised, framework: asem.framework, units: asem.units };
  const normCorr = (fw: Framework): number[] => {
    const agg = aggregateStep({ ...asemInput, framework: fw }).dataset;
    const c = ['Conn', 'Sust'].map((k) => pearson(column(agg, k), column(agg, 'Index')));
    return c.map((v) => v / (c[0] + c[1]));
  };

  it('level 3, equal target: normalised correlations 0.50 / 0.50', () => {
    const out = weightStep(asemInput, { level: 3, weighting: { method: 'optimised' } });
    const g = out.diagnostics.groups[0];
    expect(g.details).toMatchObject({ method: 'optimised', converged: true });
    expect(g.weights.every((v) => v >= 0)).toBe(true);
    normCorr(out.framework!).forEach((v) => expect(v).toBeCloseTo(0.5, 4));
  });

  it('level 3, target 1 : 2: COINr needs a negative weight for 0.33 / 0.67; we stop at the boundary and warn', () => {
    // With w_Conn ≥ 0 the share of Conn is at least ρ/(1 + ρ), ρ = corr(Conn, Sust) ≈ 0.6015 > 1/2,
    // reached at w = (0, 1).
    const out = weightStep(asemInput, { level: 3, weighting: { method: 'optimised', target: { Conn: 1, Sust: 2 } } });
    const agg = aggregateStep(asemInput).dataset;
    const rho = pearson(column(agg, 'Conn'), column(agg, 'Sust'));
    expect(rho).toBeGreaterThan(0.5);
    const g = out.diagnostics.groups[0];
    expect(g.weights[0]).toBeCloseTo(0, 6);
    expect(g.weights[1]).toBeCloseTo(1, 6);
    const [a, b] = normCorr(out.framework!);
    expect(a).toBeCloseTo(rho / (1 + rho), 6);
    expect(b).toBeCloseTo(1 / (1 + rho), 6);
    expect(out.diagnostics.warnings.map((x) => x.code)).toContain('W_OPT_TARGET_MISSED');
    expect(() =>
      weightStep(asemInput, { level: 3, weighting: { method: 'optimised', target: { Physical: 1 } } }),
    ).toThrow(/not a level-3 node/);
  });

  it('level 3, reachable target 2 : 3 is met', () => {
    const out = weightStep(asemInput, { level: 3, weighting: { method: 'optimised', target: { Conn: 2, Sust: 3 } } });
    const [a] = normCorr(out.framework!);
    expect(a).toBeCloseTo(0.4, 4);
    expect(out.diagnostics.warnings).toEqual([]);
  });

  it('level 2: all 8 pillar weights non-negative, convergence reported', () => {
    const out = weightStep(asemInput, { level: 2, weighting: { method: 'optimised', maxIterations: 3000 } });
    const g = out.diagnostics.groups[0];
    expect(g.codes).toHaveLength(8);
    expect(g.weights.every((v) => v >= 0)).toBe(true);
    expect(g.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const det = g.details;
    if (det?.method !== 'optimised') throw new Error('no optimiser details');
    expect(typeof det.converged).toBe('boolean');
    // the balance objective at the optimum is no worse than at equal weights
    const equalOut = weightStep(asemInput, { level: 2, weighting: { method: 'optimised', maxIterations: 1 } });
    const eq = equalOut.diagnostics.groups[0].details;
    expect(det.value).toBeLessThanOrEqual(eq?.method === 'optimised' ? eq.value : Infinity);
  });
});

describe('weightStep inside a build (ASEM, COINr default spec + weights)', () => {
  it('entropy weights at level 1 after normalisation, then PCA at level 2 after a first aggregation', () => {
    const asem = readAsemInput();
    const steps = [...COINR_EXAMPLE_SPEC.steps];
    const at = steps.findIndex((s) => s.kind === 'aggregate');
    const spec: BuildSpec = {
      version: 1,
      steps: [
        ...steps.slice(0, at),
        { id: 'w1', kind: 'weight', options: { level: 1, weighting: { method: 'entropy' } } },
        { id: 'agg1', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
        { id: 'w2', kind: 'weight', options: { level: 2, weighting: { method: 'pca' } } },
        { id: 'agg2', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
      ],
    };
    const b = build(
      { framework: asem.framework, units: asem.units, raw: asem.raw, denominators: asem.denominators },
      spec,
    );
    const w1 = b.steps.find((s) => s.id === 'w1')!;
    const d1 = w1.diagnostics as WeightDiagnostics;
    expect(d1.groups).toHaveLength(8); // one per pillar
    for (const g of d1.groups) expect(g.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // the step's weights are the kernel's on that pillar's normalised columns (complete cases)
    const g0 = d1.groups[0];
    const ds = b.steps[at - 1].dataset;
    const rows = ds.unitCodes.map((_, i) => i).filter((i) => g0.codes.every((c) => Number.isFinite(column(ds, c)[i])));
    const X = new Float64Array(rows.length * g0.codes.length);
    g0.codes.forEach((c, j) =>
      rows.forEach((i, k) => {
        X[j * rows.length + k] = column(ds, c)[i];
      }),
    );
    const ref = entropyWeights(X, rows.length, g0.codes.length).weights;
    g0.weights.forEach((v, j) => expect(v).toBeCloseTo(ref[j], 14));
    const d2 = b.steps.find((s) => s.id === 'w2')!.diagnostics as WeightDiagnostics;
    expect(d2.groups.map((g) => g.parent)).toEqual(['Conn', 'Sust']);
    expect(d2.groups.every((g) => g.details?.method === 'pca')).toBe(true);
    const eff = b.results.effectiveWeights;
    const indicatorSum = asem.framework.nodes.filter((n) => n.level === 1).reduce((s, n) => s + (eff[n.code] ?? 0), 0);
    expect(indicatorSum).toBeCloseTo(1, 12);
    expect(eff.Goods).not.toBeCloseTo(0.02, 6); // no longer COINr's equal-weight 1/5 · 1/5 · 1/2
  });
});
