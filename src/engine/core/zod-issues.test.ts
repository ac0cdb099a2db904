import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { zodIssues, zodExpectation, allowedFields } from './zod-issues.ts';
import { FrameworkFileSchema, ProjectFileSchema } from '../../formats/project-schema.ts';
import { didYouMean, editDistance } from './did-you-mean.ts';

const tree = (x: object) => ({ tree: { code: 'I', children: [{ code: 'A', ...x }] } });
const fwIssue = (x: object) => {
  const v = tree(x);
  return zodIssues(FrameworkFileSchema.safeParse(v).error!, 'framework.yaml', [], FrameworkFileSchema, v)[0];
};
const stepIssue = (step: object) => {
  const v = { name: 'x', build: { steps: [step] } };
  return zodIssues(ProjectFileSchema.safeParse(v).error!, 'project.yaml', [], ProjectFileSchema, v)[0];
};

describe('zod issues say what was expected', () => {
  it('a literal union lists its values (direction: 2 said only "Invalid input")', () => {
    const i = fwIssue({ direction: 2 });
    expect(i).toMatchObject({ file: 'framework.yaml', field: 'tree.children[0].direction', expected: '1 or -1' });
    expect(i.message).not.toBe('Invalid input');
  });
  it('a type names the type, a text-or-mapping union both', () => {
    expect(fwIssue({ weight: 'heavy' }).expected).toBe('a number');
    expect(fwIssue({ name: 3 }).expected).toBe('text or a mapping of fields (key: value)');
  });
  it('an enum and a discriminated union list their values', () => {
    expect(fwIssue({ status: 'maybe' }).expected).toBe('"collected" or "not_collected"');
    const m = stepIssue({ id: 'n', kind: 'normalise', options: { method: 'minmaxx' } });
    expect(m.expected).toMatch(/^one of: "none", "minMax", "zScore"/);
    expect(m.message).toMatch(/unknown method/);
    expect(stepIssue({ id: 'n', kind: 7 }).expected).toMatch(/"impute", "treat", "normalise", "weight", "aggregate"/);
  });
  it('sizes and ranges give the bound', () => {
    expect(stepIssue({ id: 'n', kind: 'normalise', options: { method: 'minMax', range: [0] } }).expected).toBe(
      'at least 2 items',
    );
    expect(stepIssue({ id: 't', kind: 'treat', options: { winmax: -1 } }).expected).toBe('a number ≥ 0');
    expect(zodExpectation(z.number().lt(5).safeParse(7).error!.issues[0])).toBe('a number < 5');
    expect(zodExpectation(z.string().max(1).safeParse('ab').error!.issues[0])).toBe('at most 1 character');
  });
  it('an unknown field lists the fields of the branch the value names (not of every step kind)', () => {
    const i = stepIssue({ id: 'n', kind: 'impute', options: { method: 'mean', extra: 1 } });
    expect(i.expected).toBe('one of the fields: method, maxImputedShare, perIndicator');
    expect(fwIssue({ goalposts: { lower: 1, upper: 2, scal: 3 } }).expected).toBe(
      'one of the fields: lower, upper, scale',
    );
    expect(allowedFields(ProjectFileSchema, [], ['dta'])).toContain('data');
  });
  it('every issue of a set of wrong values has an expectation', () => {
    for (const x of [{ direction: 'down' }, { weight: null }, { code: 'B 1' }, { goalposts: 3 }, { children: {} }])
      expect(fwIssue(x).expected, JSON.stringify(x)).toBeTruthy();
  });
});

describe('did you mean', () => {
  it('finds near names and gives up on far ones', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('B3', ['B1x', 'B2'])).toBe('B2');
    expect(didYouMean('population', ['A1', 'B2'])).toBeUndefined();
    expect(didYouMean('MINMAX', ['minMax'])).toBe('minMax');
  });
});
