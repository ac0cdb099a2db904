/**
 * The message catalogue is the one home of report text: no inline language conditionals in
 * `src/report`, typed parameters per message, every message in both languages, and issues printed in
 * the reader's language.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, issueText, labels, localise, t, tBoth } from '../../src/engine/i18n/index.ts';
import { formatIssue } from '../../src/engine/core/errors.ts';

/** Inline language branches: `lang === 'zh' ? …`, `zh ? … : …`, `{ zh: '…', en: '…' }[lang]`, … */
const INLINE_LANGUAGE = [
  /=== ?'(zh|en)'/,
  /'(zh|en)' ?===/,
  /!== ?'(zh|en)'/,
  /\bzh \?/,
  /\}\s*\)?\[lang\]/,
  /\{\s*zh:\s*['`"]/,
  /\ben:\s*['`"][^'`"]*['`"]\s*\}\s*\[/,
];

describe('message catalogue', () => {
  it('src/report has no inline language conditionals (all text comes from src/engine/i18n)', () => {
    const offenders: string[] = [];
    const files = ['src/report', 'src/report/sections'].flatMap((d) =>
      readdirSync(d)
        .filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts'))
        .map((x) => join(d, x).slice('src/report/'.length)),
    );
    for (const f of files) {
      readFileSync(join('src/report', f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!INLINE_LANGUAGE.some((re) => re.test(line))) return;
          offenders.push(`src/report/${f}:${i + 1}: ${line.trim().slice(0, 100)}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('checks parameters at compile time', () => {
    const typeChecks = () => {
      // @ts-expect-error a missing parameter
      t('en', 'finding.coverage', { collected: 1 });
      // @ts-expect-error a parameter of the wrong type
      t('en', 'cases.rank', { name: 'x', rank: 1 });
      // @ts-expect-error an unknown code
      t('en', 'no.such.code');
      // @ts-expect-error a message without parameters takes none
      t('en', 'label.ranking', {});
    };
    expect(typeof typeChecks).toBe('function');
    expect(t('en', 'cases.rank', { name: 'Hangzhou', rank: '1' })).toBe('Hangzhou: rank 1 in this index');
    expect(tBoth('cases.rank', { name: '杭州', rank: '1' }).zh).toBe('杭州：本指数排名第 1');
  });

  it('gives every parameterless message text in both languages', () => {
    for (const [code, m] of Object.entries(CATALOGUE)) {
      if (m.zh.length !== 0 || m.en.length !== 0) continue; // templates with parameters: exercised by the report tests
      const plain = m as { zh: () => string; en: () => string };
      expect(plain.zh(), code).not.toBe('');
      expect(plain.en(), code).not.toBe('');
    }
    expect(Object.keys(labels('zh'))).toEqual(Object.keys(labels('en')));
    expect(labels('zh').ranking).toBe('排名');
  });

  it('prints issues in the reader language: English exactly as formatIssue, Chinese from the catalogue', () => {
    const issue = {
      code: 'W_EMPTY_COLUMN',
      message: 'indicator "x1" has no values; it stays missing',
      indicator: 'x1',
      file: 'data.csv',
    };
    expect(localise(issue, 'en')).toBe(formatIssue(issue));
    expect(localise(issue, 'zh')).toBe('data.csv 指标 x1：指标 x1 没有任何数值，保持缺失 [W_EMPTY_COLUMN]');
    const unknown = { code: 'E_SOMETHING_NEW', message: 'new problem', row: 3, column: 'GDP', expected: 'a number' };
    expect(localise(unknown, 'zh')).toBe('第 3 行 列“GDP”：new problem（应为 a number） [E_SOMETHING_NEW]');
    expect(localise(unknown, 'en')).toBe('row 3 column "GDP": new problem (expected a number) [E_SOMETHING_NEW]');
    expect(issueText(issue, 'en')).toBe(issue.message);
    expect(issueText(issue, 'zh')).toBe('指标 x1 没有任何数值，保持缺失');
    expect(issueText(unknown, 'zh')).toBe('new problem');
  });
});
