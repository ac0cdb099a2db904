// Reference: COINr 1.1.14 tests/testthat/test-aggregate.R ("agg_df", "agg_coin", "aggregation by level"),
// re-done with fixed numbers; values checked by hand in the comments.
import { describe, expect, it } from 'vitest';
import { fwNode } from '../../test-fixtures/engine.ts';
import { CityIndexError } from '../../core/errors.ts';
import { column, fromRows, type Dataset } from '../../core/dataset.ts';
import type { Framework, FrameworkNode } from '../../core/framework.ts';
import type { AggregateOptions } from '../../spec/spec.ts';
import { aggregateStep, compareCodes } from './step.ts';
import { arithmeticMean } from './arithmetic.ts';
import { geometricMean } from './geometric.ts';
import { topsis } from './topsis.ts';
import { copeland } from './copeland.ts';

const node = (code: string, level: number, parent: string | null, weight = 1): FrameworkNode =>
  fwNode(code, level, parent, { weight });
function data(codes: string[], rows: number[][]): Dataset {
  return fromRows(
    rows.map((_, i) => `U${i + 1}`),
    codes,
    rows,
  );
}
function run(ds: Dataset, fw: Framework, options?: AggregateOptions) {
  return aggregateStep({ dataset: ds, framework: fw, units: [] }, options);
}

// 20 × 5 fixed "runif" matrix (deterministic LCG)
const rows20: number[][] = [];
{
  let s = 7;
  for (let i = 0; i < 20; i++) {
    const r: number[] = [];
    for (let j = 0; j < 5; j++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      r.push(0.05 + (s / 2147483648) * 0.95);
    }
    rows20.push(r);
  }
}
const flat: Framework = {
  nodes: [...['V1', 'V2', 'V3', 'V4', 'V5'].map((c, j) => node(c, 1, 'Index', j + 1)), node('Index', 2, null)],
};

describe('aggregateStep: one level (COINr agg_df)', () => {
  const ds = data(['V1', 'V2', 'V3', 'V4', 'V5'], rows20);
  it('weights 1:5 equal R weighted.mean per row', () => {
    const idx = column(run(ds, flat).dataset, 'Index');
    rows20.forEach((r, i) => expect(idx[i]).toBeCloseTo(r.reduce((a, v, j) => a + v * (j + 1), 0) / 15, 14));
  });
  it('equal weights give rowMeans', () => {
    const eq: Framework = { nodes: flat.nodes.map((nd) => ({ ...nd, weight: 1 })) };
    const idx = column(run(ds, eq).dataset, 'Index');
    rows20.forEach((r, i) => expect(idx[i]).toBeCloseTo(r.reduce((a, v) => a + v, 0) / 5, 14));
  });
  it('dataThreshold 0.5: a row with 4/5 missing is NA, the rest unchanged', () => {
    const withNa = rows20.map((r, i) => (i === 0 ? [NaN, NaN, NaN, NaN, r[4]] : r));
    const a = run(data(['V1', 'V2', 'V3', 'V4', 'V5'], withNa), flat, { dataThreshold: 0.5 });
    const b = run(ds, flat);
    const ia = column(a.dataset, 'Index');
    const ib = column(b.dataset, 'Index');
    expect(ia[0]).toBeNaN();
    for (let i = 1; i < 20; i++) expect(ia[i]).toBe(ib[i]);
    expect(a.diagnostics.levels[0].groups[0].belowThreshold).toEqual(['U1']);
    // without a threshold the available value is used (re-weighting)
    expect(column(run(data(['V1', 'V2', 'V3', 'V4', 'V5'], withNa), flat).dataset, 'Index')[0]).toBeCloseTo(
      rows20[0][4],
      15,
    );
  });
});

describe('aggregateStep: a 3-level tree (COINr agg_coin)', () => {
  // Index <- {B (w 0.3), A (w 0.7)}; B <- {x3 (2), x4 (1)}; A <- {x1 (1), x2 (3)}; note B listed before A
  const fw: Framework = {
    nodes: [
      node('x3', 1, 'B', 2),
      node('x1', 1, 'A', 1),
      node('x4', 1, 'B', 1),
      node('x2', 1, 'A', 3),
      node('B', 2, 'Index', 0.3),
      node('A', 2, 'Index', 0.7),
      node('Index', 3, null),
    ],
  };
  const ds = data(
    ['x1', 'x2', 'x3', 'x4'],
    [
      [10, 20, 30, 60],
      [50, 10, 40, 10],
      [5, NaN, 20, 80],
    ],
  );
  it('equals manual re-aggregation, columns ordered input, level 2 alphabetical, index', () => {
    const out = run(ds, fw);
    expect(out.dataset.codes).toEqual(['x1', 'x2', 'x3', 'x4', 'A', 'B', 'Index']);
    // U1: A = (10 + 3·20)/4 = 17.5, B = (2·30 + 60)/3 = 40, Index = 0.7·17.5 + 0.3·40 = 24.25
    // U3: A = 5 (x2 missing: re-weighted), B = (40 + 80)/3 = 40, Index = 3.5 + 12 = 15.5
    expect(Array.from(column(out.dataset, 'A'))).toEqual([17.5, 20, 5]);
    expect(Array.from(column(out.dataset, 'B')).map((v) => +v.toFixed(12))).toEqual([40, 30, 40]);
    expect(Array.from(column(out.dataset, 'Index')).map((v) => +v.toFixed(12))).toEqual([24.25, 23, 15.5]);
  });
  it('per-level methods: level 2 arithmetic, level 3 geometric (COINr "aggregation by level")', () => {
    const out = run(ds, fw, { levels: { '3': { aggregation: { method: 'geometric' } } } });
    const a = column(out.dataset, 'A');
    const b = column(out.dataset, 'B');
    const idx = column(out.dataset, 'Index');
    for (let i = 0; i < 3; i++) expect(idx[i]).toBeCloseTo(geometricMean([a[i], b[i]], [0.7, 0.3]), 14);
    expect(a[0]).toBe(arithmeticMean([10, 20], [1, 3]));
    expect(out.diagnostics.levels.map((l) => l.aggregation.method)).toEqual(['arithmetic', 'geometric']);
  });
  it('negative weights are allowed for the arithmetic mean only', () => {
    const neg: Framework = { nodes: fw.nodes.map((nd) => (nd.code === 'x4' ? { ...nd, weight: -1 } : nd)) };
    // U1: B = (2·30 − 60)/1 = 0
    expect(column(run(ds, neg).dataset, 'B')[0]).toBe(0);
    expect(() => run(ds, neg, { aggregation: { method: 'geometric' } })).toThrow(
      /only the arithmetic mean accepts negative weights/,
    );
  });
});

describe('aggregateStep: errors and other methods', () => {
  it('geometric mean over zeros and negatives: one error listing every unit and indicator', () => {
    const ds = data(
      ['V1', 'V2', 'V3', 'V4', 'V5'],
      [
        [0, 1, 1, 1, 1],
        [1, 1, -2, 1, 1],
        [1, 1, 1, 1, 0],
      ],
    );
    let err: unknown;
    try {
      run(ds, flat, { aggregation: { method: 'geometric' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CityIndexError);
    const issues = (err as CityIndexError).issues;
    expect(issues.map((i) => `${i.unit}/${i.indicator}`)).toEqual(['U1/V1', 'U2/V3', 'U3/V5']);
    expect(issues.every((i) => i.code === 'E_GMEAN_NONPOSITIVE')).toBe(true);
    expect(() => run(ds, flat, { aggregation: { method: 'harmonic' } })).toThrow(/harmonic mean needs values > 0/);
  });
  it('topsis, copeland and bod groups equal their kernels; bod reports the frontier', () => {
    const ds = data(['V1', 'V2', 'V3', 'V4', 'V5'], rows20);
    const x = new Float64Array(ds.values);
    const t = column(run(ds, flat, { aggregation: { method: 'topsis' } }).dataset, 'Index');
    const tk = topsis(x, 20, 5, [1, 2, 3, 4, 5], [1, 1, 1, 1, 1]).closeness;
    for (let i = 0; i < 20; i++) expect(t[i]).toBe(tk[i]);
    expect(Array.from(column(run(ds, flat, { aggregation: { method: 'copeland' } }).dataset, 'Index'))).toEqual(
      Array.from(copeland(x, 20, 5, [1, 2, 3, 4, 5])),
    );
    const bod = run(ds, flat, { aggregation: { method: 'bod' } });
    const scores = column(bod.dataset, 'Index');
    expect(Math.max(...scores)).toBeCloseTo(1, 12);
    expect(bod.diagnostics.levels[0].groups[0].bod!.nAtFrontier).toBeGreaterThanOrEqual(1);
    const mpiScores = column(run(ds, flat, { aggregation: { method: 'mpi' } }).dataset, 'Index');
    expect(mpiScores.every((v) => v > 50 && v < 150)).toBe(true);
  });
  it('an aggregate whose children have no data is skipped, and its parent uses the rest', () => {
    const fw: Framework = {
      nodes: [
        node('a', 1, 'P'),
        node('b', 1, 'Q'),
        node('P', 2, 'Index'),
        node('Q', 2, 'Index'),
        node('Index', 3, null),
      ],
    };
    const out = run(data(['a'], [[3], [4]]), fw);
    expect(out.dataset.codes).toEqual(['a', 'P', 'Index']);
    expect(out.diagnostics.skipped).toEqual(['Q']);
    expect(Array.from(column(out.dataset, 'Index'))).toEqual([3, 4]);
  });
  it('a unit whose available components carry zero weight: an error naming the unit and the group, not NaN', () => {
    // Index <- V1 (w 0), V2 (w 1); U2 lacks V2, so its available weights sum to 0 (0/0 in COINr)
    const fw: Framework = { nodes: [node('V1', 1, 'Index', 0), node('V2', 1, 'Index', 1), node('Index', 2, null)] };
    const ds = data(
      ['V1', 'V2'],
      [
        [4, 6],
        [5, NaN],
        [NaN, NaN],
      ],
    );
    for (const method of ['arithmetic', 'geometric', 'harmonic', 'mpi'] as const) {
      let err: unknown;
      try {
        run(ds, fw, { aggregation: { method } });
      } catch (e) {
        err = e;
      }
      expect(err, method).toBeInstanceOf(CityIndexError);
      expect(
        (err as CityIndexError).issues.map((i) => [i.code, i.unit, i.indicator]),
        method,
      ).toEqual([['E_WEIGHT_SUM', 'U2', 'Index']]);
      expect((err as CityIndexError).issues[0].message).toContain('V1 (0)');
    }
    // a threshold that sets U2 missing makes the group computable: U1 = 6 (weights 0 and 1), U2 and U3 missing
    const ok = run(ds, fw, { dataThreshold: 0.6 });
    expect(Array.from(column(ok.dataset, 'Index'))).toEqual([6, NaN, NaN]);
    expect(ok.diagnostics.levels[0].groups[0].belowThreshold).toEqual(['U2']);
  });
  it('dataThreshold: a share exactly at the threshold is kept (1 of 5 components at 0.2)', () => {
    // U1 has V5 only (share 1/5 = 0.2): kept at 0.2 with its one value, missing at 0.21
    const withNa = rows20.map((r, i) => (i === 0 ? [NaN, NaN, NaN, NaN, r[4]] : r));
    const ds = data(['V1', 'V2', 'V3', 'V4', 'V5'], withNa);
    expect(column(run(ds, flat, { dataThreshold: 0.2 }).dataset, 'Index')[0]).toBe(rows20[0][4]);
    expect(column(run(ds, flat, { dataThreshold: 0.21 }).dataset, 'Index')[0]).toBeNaN();
    // a threshold that carries rounding error itself: 0.1·3 = 0.30000000000000004 > 3/10
    const fw10: Framework = {
      nodes: [...Array.from({ length: 10 }, (_, j) => node(`W${j + 1}`, 1, 'Index')), node('Index', 2, null)],
    };
    const row = Array.from({ length: 10 }, (_, j) => (j < 3 ? j + 1 : NaN));
    expect(3 / 10 < 0.1 * 3).toBe(true);
    const out = run(
      data(
        fw10.nodes.slice(0, 10).map((nd) => nd.code),
        [row],
      ),
      fw10,
      { dataThreshold: 0.1 * 3 },
    );
    expect(column(out.dataset, 'Index')[0]).toBe(2); // (1 + 2 + 3)/3
  });
  it("units set missing by the threshold are not checked against the method's domain", () => {
    // U2's only value is 0, which the geometric mean refuses, but U2 is below the threshold anyway
    const ds = data(
      ['V1', 'V2', 'V3', 'V4', 'V5'],
      [
        [1, 2, 4, 8, 16],
        [0, NaN, NaN, NaN, NaN],
      ],
    );
    const out = run(ds, flat, { aggregation: { method: 'geometric' }, dataThreshold: 0.5 });
    // U1: weights 1…5 → exp((0·1 + ln2·2 + ln4·3 + ln8·4 + ln16·5)/15) = 2^(40/15)
    expect(column(out.dataset, 'Index')[0]).toBeCloseTo(Math.pow(2, 40 / 15), 12);
    expect(column(out.dataset, 'Index')[1]).toBeNaN();
    expect(() => run(ds, flat, { aggregation: { method: 'geometric' } })).toThrow(/U2/);
  });
  it('codes sort case-insensitively', () => {
    expect(['b', 'C', 'a', 'B'].sort(compareCodes)).toEqual(['a', 'B', 'b', 'C']);
  });
});
