// The weighting registry: one definition per method, the spec union built from the same schemas, and
// combined's recursion (a combined part may itself be combined) both in validation and in the sentences.
import { describe, expect, it } from 'vitest';
import { isMethodOf } from '../method.ts';
import { describeStep } from '../describe.ts';
import { WEIGHT_METHODS, WEIGHT_REGISTRY, WEIGHT_SCHEMAS, WeightMethodSchema } from './index.ts';

describe('weighting registry', () => {
  it('names are unique and the union members are the registry schemas, in registry order', () => {
    const names = WEIGHT_METHODS.map((d) => d.method);
    expect(new Set(names).size).toBe(names.length);
    expect(WeightMethodSchema.options).toEqual(WEIGHT_SCHEMAS);
    for (const d of WEIGHT_METHODS) {
      expect(d.schema.shape.method.value).toBe(d.method);
      expect(typeof d.text.en).toBe('function');
      expect(typeof d.text.zh).toBe('function');
    }
    expect(isMethodOf(WEIGHT_REGISTRY, 'toString')).toBe(false);
  });

  it('combined nests methods, combined ones included, and rejects an unknown nested method', () => {
    const nested = {
      method: 'combined',
      subjective: { method: 'equal' },
      objective: { method: 'combined', subjective: { method: 'sd', scope: 'level' }, objective: { method: 'cv' } },
      alpha: 0.5,
    };
    expect(WeightMethodSchema.parse(nested)).toEqual(nested);
    const bad = WeightMethodSchema.safeParse({ ...nested, objective: { method: 'nope' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['objective', 'method']);
  });

  it('describeStep reads every sentence from the definitions, nested parts included', () => {
    const weighting = {
      method: 'combined',
      subjective: { method: 'ahp', matrices: {} },
      objective: { method: 'entropy' },
    } as const;
    expect(describeStep({ id: 'w', kind: 'weight', options: { level: 1, weighting } }, 'en')).toBe(
      'Weights (level 1): combined: AHP (eigenvector, RI table saaty) with entropy weights (shift: none).',
    );
    expect(describeStep({ id: 'w', kind: 'weight', options: { level: 2, weighting: { method: 'pca' } } }, 'zh')).toBe(
      '赋权（第 2 层）：主成分分析权重（oecd）。',
    );
  });
});
