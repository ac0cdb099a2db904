import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../formats/project.ts';
import { buildChecked, checkedSpec, regenerateChecked, type Build, type CheckedSpec } from './build.ts';
import { column, getValue } from '../core/dataset.ts';
import { levelWeights, withWeights, LIVE_WEIGHT_STEP } from './reweight.ts';
import { CityIndexError } from '../core/errors.ts';

describe('withWeights (cdgi-2020 dimensions)', () => {
  let p: LoadedProject;
  let base: CheckedSpec;
  let published: Build;
  beforeAll(async () => {
    p = await loadProject('examples/cdgi-2020');
    base = checkedSpec(p.spec, p.input.framework);
    published = buildChecked(p.input, base);
  });

  it('the published weights give the published scores, bit for bit, re-running only weight + aggregate', () => {
    const w = levelWeights(p.input.framework, 2);
    expect(Object.keys(w).length).toBe(4);
    const again = regenerateChecked(published, withWeights(base, p.input.framework, 2, w));
    expect(Array.from(again.results.scores.values)).toEqual(Array.from(published.results.scores.values));
    expect(again.steps.map((s) => s.id).slice(-2)).toEqual([LIVE_WEIGHT_STEP, 'aggregate']);
    expect(again.steps[0]).toBe(published.steps[0]); // denominate … normalise reused
  });

  it('one dimension alone: the index equals that dimension (hand check), ranks follow it', () => {
    const dims = Object.keys(levelWeights(p.input.framework, 2));
    const only = Object.fromEntries(dims.map((d, i) => [d, i === 0 ? 1 : 0]));
    const b = regenerateChecked(published, withWeights(base, p.input.framework, 2, only));
    const ix = b.results.indexCode;
    const s = column(b.results.scores, ix);
    const d = column(b.results.scores, dims[0]);
    for (let i = 0; i < s.length; i++) expect(s[i]).toBeCloseTo(d[i], 9);
    expect(Array.from(column(b.results.ranks, ix))).toEqual(Array.from(column(b.results.ranks, dims[0])));
    // doubling the first dimension's weight of four equal ones: index = (2 d0 + d1 + d2 + d3) / 5
    const dbl = regenerateChecked(published, withWeights(base, p.input.framework, 2, { [dims[0]]: 2 }));
    const u = '330100';
    const want =
      (2 * getValue(published.results.scores, u, dims[0]) +
        dims.slice(1).reduce((a, c) => a + getValue(published.results.scores, u, c), 0)) /
      5;
    expect(getValue(dbl.results.scores, u, ix)).toBeCloseTo(want, 10);
  });

  it('refuses unknown codes, negative or non-finite weights and an all-zero parent, located', () => {
    const fw = p.input.framework;
    const fields = (w: Record<string, number>) => {
      try {
        withWeights(base, fw, 2, w);
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(CityIndexError);
        return (e as CityIndexError).issues.map((i) => i.field);
      }
    };
    const dims = Object.keys(levelWeights(fw, 2));
    expect(fields({ NOPE: 1 })).toEqual(['weights.NOPE']);
    expect(fields({ [dims[0]]: -1 })).toEqual([`weights.${dims[0]}`]);
    expect(fields({ [dims[0]]: NaN })).toEqual([`weights.${dims[0]}`]);
    expect(fields({ ['__proto__']: 1 })).toEqual(['weights.__proto__']);
    expect(fields(Object.fromEntries(dims.map((d) => [d, 0])))).toEqual(['weights']);
  });
});

it('refuses the index level', async () => {
  const p = await loadProject('examples/asem');
  const base = checkedSpec(p.spec, p.input.framework);
  expect(() => withWeights(base, p.input.framework, 4, {})).toThrow(/does not carry weights/);
});
