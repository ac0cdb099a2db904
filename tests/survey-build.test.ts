/**
 * A survey flows from definition to indicators and weights in a build: the CDGI 2020 variant project
 * (`extends: project.yaml`) uses the simulated resident survey for LIF_SATISFACTION and AHP weights
 * from the simulated expert panel. Every value it supplies is labelled simulated.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { column, getValue } from '../src/engine/core/dataset.ts';
import { countAvailable } from '../src/engine/stats/descriptive.ts';

describe('survey → build (examples/cdgi-2020/project.survey-demo.yaml)', () => {
  it('inherits the base project and takes LIF_SATISFACTION from the survey, labelled simulated', async () => {
    const p = await loadProject('examples/cdgi-2020/project.survey-demo.yaml');
    expect(p.file).toBe('project.survey-demo.yaml');
    expect(p.project.analyses?.spatial).toBeDefined(); // inherited from project.yaml
    expect(p.surveys).toHaveLength(1);
    expect(p.surveys[0].simulated).toBe(true);
    expect(p.surveys[0].indicators).toEqual(['LIF_SATISFACTION']);
    expect(p.input.raw.codes).toContain('LIF_SATISFACTION');
    expect(p.gaps.map((g) => g.code)).not.toContain('LIF_SATISFACTION');
    const sat = column(p.input.raw, 'LIF_SATISFACTION');
    expect(countAvailable(sat)).toBe(45);
    expect(
      Array.from(sat)
        .filter((v) => !Number.isNaN(v))
        .every((v) => v >= 0 && v <= 100),
    ).toBe(true);
    expect(p.valueSources['330100\u0000LIF_SATISFACTION']).toContain('模拟数据');
    const lo = getValue(p.surveys[0].lower, '330100', 'LIF_SATISFACTION');
    const hi = getValue(p.surveys[0].upper, '330100', 'LIF_SATISFACTION');
    const v = getValue(p.input.raw, '330100', 'LIF_SATISFACTION');
    expect(lo).toBeLessThan(v);
    expect(hi).toBeGreaterThan(v);
  });

  it('builds with the expert-panel dimension weights', async () => {
    const p = await loadProject('examples/cdgi-2020/project.survey-demo.yaml');
    const b = build(p.input, p.spec);
    const fw = b.steps[b.steps.length - 1].framework;
    expect(fw.nodes.find((n) => n.code === 'INFRA')!.weight).toBeCloseTo(0.5444185161606204, 12);
    expect(b.results.effectiveWeights.INFRA).toBeCloseTo(0.5444185161606204, 12);
    const cdgi = column(b.results.scores, 'CDGI');
    expect(cdgi.every((x) => x >= 0 && x <= 100)).toBe(true);
  });

  it('the real project does not use the simulated survey', async () => {
    const p = await loadProject('examples/cdgi-2020');
    expect(p.surveys).toEqual([]);
    expect(p.input.raw.codes).not.toContain('LIF_SATISFACTION');
  });
});
