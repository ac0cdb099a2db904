/**
 * What `regenerate` carries over from the previous build (issue 16 item 3): the spec check when the spec is
 * the previous build's own, and the effective weights when the steps left the framework as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../formats/project.ts';
import { build, buildChecked, regenerate, type Build, type CheckedSpec } from './build.ts';
import type { BuildSpec } from '../spec/spec.ts';

describe('regenerate reuses checks and weights', () => {
  let p: LoadedProject;
  let b: Build;
  beforeAll(async () => {
    p = await loadProject('examples/asem');
    b = build(p.input, p.spec);
  });

  it('does not check the previous build’s own spec again, and checks any other spec object', () => {
    // a spec zod refuses (an unknown top-level field) that the steps run anyway, made into a build unchecked
    const odd = { ...p.spec, unknownField: 1 } as BuildSpec;
    const unchecked = buildChecked(p.input, odd as CheckedSpec);
    expect(() => regenerate(unchecked, odd)).not.toThrow();
    expect(() => regenerate(unchecked, { ...odd })).toThrow(/unknownField/);
    expect(() => build(p.input, odd)).toThrow(/unknownField/);
  });

  it('keeps the effective weights when only a treatment changed, equal to a fresh build’s', () => {
    const steps = p.spec.steps.map((s) => (s.kind === 'treat' ? { ...s, options: { ...s.options, winmax: 3 } } : s));
    const spec = { ...p.spec, steps } as BuildSpec;
    const r = regenerate(b, spec);
    expect(r.results.effectiveWeights).toBe(b.results.effectiveWeights);
    expect(r.results.effectiveWeights).toEqual(build(p.input, spec).results.effectiveWeights);
    expect(r.results.scores.values).not.toEqual(b.results.scores.values); // the treatment did change the scores
  });

  it('computes them again for another framework', () => {
    const nodes = p.input.framework.nodes.map((n, k) => (n.kind === 'indicator' && k % 2 ? { ...n, weight: 3 } : n));
    const input = { ...p.input, framework: { ...p.input.framework, nodes } };
    const r = regenerate(b, p.spec, input);
    expect(r.results.effectiveWeights).not.toEqual(b.results.effectiveWeights);
    expect(r.results.effectiveWeights).toEqual(build(input, p.spec).results.effectiveWeights);
  });
});
