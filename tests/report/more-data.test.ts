/**
 * Issue 11, item 15 ("more real data where it exists"): the cdgi-2020 example says, for each of the three
 * further public 100-city data sets (UESTC 2019 innovation leaders, the 2014 next-generation-Internet
 * demonstration cities, the 2016 big-data pilot zones), which dimension it would fit, what it holds and
 * why it is not used — and, since it is not used, no indicator of the framework draws on it.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';

const readme = readFileSync('examples/cdgi-2020/README.md', 'utf8');
const framework = readFileSync('examples/cdgi-2020/framework.yaml', 'utf8');
const project = readFileSync('examples/cdgi-2020/project.yaml', 'utf8');

function section(md: string, heading: string): string {
  const at = md.indexOf(`## ${heading}`);
  if (at < 0) return '';
  const next = md.indexOf('\n## ', at + 3);
  return md.slice(at, next < 0 ? undefined : next);
}

const DATA_SETS = [
  { name: /UESTC 2019/, dimension: 'ADMIN', holds: /10 cities/, source: /uestc|innovation_leader/i },
  {
    name: /Next-generation Internet demonstration cities/,
    dimension: 'INFRA',
    holds: /16 cities/,
    source: /next_gen|下一代互联网/i,
  },
  {
    name: /big-data comprehensive pilot zones/,
    dimension: 'INFRA',
    holds: /34 cities/,
    source: /bigdata_pilot|大数据综合试验区/i,
  },
];

describe('cdgi-2020: the three further public data sets', () => {
  const sec = section(readme, 'Three more public data sets: considered, not in this index');

  it('the README has a section for them', () => expect(sec).not.toBe(''));

  it.each(DATA_SETS.map((d) => [d.name.source, d] as const))('%s: dimension, content and a reason', (_, d) => {
    const row = sec.split('\n').find((l) => l.startsWith('|') && d.name.test(l));
    expect(row).toBeDefined();
    const cells = row!
      .split('|')
      .map((c) => c.trim())
      .filter(Boolean);
    expect(cells).toHaveLength(4);
    expect(cells[1]).toContain(d.dimension);
    expect(cells[2]).toMatch(d.holds);
    expect(cells[3].length).toBeGreaterThan(60); // a reason, not a word
  });

  it.each(DATA_SETS.map((d) => [d.name.source, d] as const))('%s: not drawn on by the framework or project', (_, d) => {
    expect(framework).not.toMatch(d.source);
    expect(project).not.toMatch(d.source);
  });
});
