import { describe, expect, it } from 'vitest';
import { WORKBENCH_TEXT, wbText } from './text.ts';

/** Every dotted key of a catalogue. */
function keys(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('workbench text', () => {
  it('has the same keys in Chinese and English, none empty', () => {
    const zh = keys(WORKBENCH_TEXT.zh).sort();
    expect(zh).toEqual(keys(WORKBENCH_TEXT.en).sort());
    expect(zh.length).toBeGreaterThan(100);
    for (const k of zh) {
      expect(wbText('zh', k), k).not.toBe('');
      expect(wbText('en', k), k).not.toBe('');
    }
  });
  it('fills parameters and leaves unknown ones and prototype keys alone', () => {
    expect(wbText('zh', 'review.done', { n: 2 })).toBe('已保存 2 项审核结论。');
    expect(wbText('en', 'login.signedIn', { user: 'a' })).toBe('Signed in: a ({role})');
    expect(wbText('en', '__proto__.x')).toBe('__proto__.x');
    expect(wbText('en', 'toString')).toBe('toString');
  });
});
