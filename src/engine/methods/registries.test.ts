// Guards the "one home per method" design: every registry entry is complete and the spec unions are the registries.
import { describe, expect, it } from 'vitest';
import { NORMALISE_METHODS, NormaliseMethodSchema } from './normalise/index.ts';
import { AGGREGATION_METHODS, AggregationMethodSchema } from './aggregate/index.ts';
import { IMPUTE_METHODS, ImputeMethodSchema } from './impute/index.ts';
import { registryOf, isMethodOf } from './method.ts';
import { describeStep } from './describe.ts';

const families = [
  { name: 'normalise', methods: NORMALISE_METHODS, union: NormaliseMethodSchema },
  { name: 'aggregate', methods: AGGREGATION_METHODS, union: AggregationMethodSchema },
  { name: 'impute', methods: IMPUTE_METHODS, union: ImputeMethodSchema },
] as const;

describe('method registries', () => {
  for (const f of families) {
    it(`${f.name}: names are unique, the union has one member per definition, every method has en and zh text`, () => {
      const names = f.methods.map((d) => d.method);
      expect(new Set(names).size).toBe(names.length);
      expect(f.union.options.length).toBe(names.length);
      for (const d of f.methods) {
        expect(d.schema.shape.method.value).toBe(d.method);
        expect(typeof d.text.en).toBe('function');
        expect(typeof d.text.zh).toBe('function');
      }
    });
  }

  it('a lookup keyed by user input ignores prototype names', () => {
    const registry = registryOf(NORMALISE_METHODS);
    expect(isMethodOf(registry, 'minMax')).toBe(true);
    expect(isMethodOf(registry, 'toString')).toBe(false);
    expect(isMethodOf(registry, '__proto__')).toBe(false);
    expect(() => registryOf([NORMALISE_METHODS[0], NORMALISE_METHODS[0]])).toThrow('defined twice');
  });

  it('describeStep spells out the registry default (min–max [0, 100]) as before', () => {
    expect(describeStep({ id: 'n', kind: 'normalise' }, 'en')).toBe(
      'Normalise: min–max to [0, 100]; direction applied first.',
    );
    expect(describeStep({ id: 'n', kind: 'normalise', options: { method: 'fractionOfMax' } }, 'zh')).toBe(
      '标准化：占最大值比例；先按指标方向调整。',
    );
    expect(
      describeStep({ id: 'a', kind: 'aggregate', options: { aggregation: { method: 'generalised', p: 2 } } }, 'en'),
    ).toBe('Aggregate level by level: generalised mean, p = 2.');
    expect(describeStep({ id: 'i', kind: 'impute', options: { method: 'groupMean', group: 'G' } }, 'en')).toBe(
      'Impute missing values: group mean by G.',
    );
  });
});
