import { describe, expect, it } from 'vitest';
import { BuildSpecSchema, COINR_EXAMPLE_SPEC, StepSpecSchema } from './spec.ts';

describe('build spec schema', () => {
  it('accepts the COINr example spec unchanged', () => {
    expect(BuildSpecSchema.parse(COINR_EXAMPLE_SPEC)).toEqual(COINR_EXAMPLE_SPEC);
  });
  it('rejects an unknown method with the path of the field', () => {
    const r = StepSpecSchema.safeParse({ id: 'n', kind: 'normalise', options: { method: 'minmaxx' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['options', 'method']);
  });
  it('rejects a misspelt option (strict objects)', () => {
    const r = StepSpecSchema.safeParse({ id: 't', kind: 'treat', options: { winmx: 3 } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain('winmx');
  });
  it('accepts per-indicator overrides and nested combined weights', () => {
    expect(
      StepSpecSchema.safeParse({
        id: 'n',
        kind: 'normalise',
        options: { method: 'minMax', range: [0, 1], perIndicator: { X: { method: 'rank' } } },
      }).success,
    ).toBe(true);
    expect(
      StepSpecSchema.safeParse({
        id: 'w',
        kind: 'weight',
        options: {
          level: 1,
          weighting: {
            method: 'combined',
            alpha: 0.5,
            subjective: { method: 'equal' },
            objective: { method: 'entropy' },
          },
        },
      }).success,
    ).toBe(true);
    expect(
      StepSpecSchema.safeParse({
        id: 'a',
        kind: 'aggregate',
        options: { aggregation: { method: 'generalised', p: 0 } },
      }).success,
    ).toBe(false);
  });
});
