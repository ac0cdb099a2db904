import { describe, expect, it } from 'vitest';
import { describeStep } from './describe.ts';

describe('describeStep: the treat sentence', () => {
  it('names the default fallback in words, not by its setting name', () => {
    const step = { id: 't', kind: 'treat', options: {} } as const;
    const en = describeStep(step, 'en');
    const zh = describeStep(step, 'zh');
    expect(en).toBe(
      'Treat outliers (COINr rule): winsorise when |skew| ≥ 2 and kurtosis ≥ 3.5, at most 5 points; ' +
        'if still failing, a log transform, log(x − min + 1 % of the range) of the original values.',
    );
    expect(zh).toContain('对数变换 log(x − 最小值 + 1% 极差)');
    for (const text of [en, zh]) expect(text).not.toMatch(/logCT|winmax|fallback/);
  });

  it('describes the method chosen, not always winsorising', () => {
    expect(describeStep({ id: 't', kind: 'treat', options: { method: 'log' } }, 'en')).toBe(
      'Treat outliers: a natural log transform of every indicator.',
    );
    expect(describeStep({ id: 't', kind: 'treat', options: { method: 'boxcox', lambda: 0.5 } }, 'zh')).toBe(
      '异常值处理：所有指标做Box–Cox 变换（λ = 0.5）。',
    );
    expect(describeStep({ id: 't', kind: 'treat', options: { method: 'none' } }, 'en')).toBe(
      'Outliers are not treated.',
    );
    expect(describeStep({ id: 't', kind: 'treat', options: { fallback: 'logCTOrig' } }, 'zh')).toContain(
      '仍不通过则对原始值做对数变换 log(x − 最小值 + 1)。',
    );
  });
});
