/**
 * Change over time in the site data: dfiic-panel (nine periods) carries each city's score and rank per
 * period, equal to the project's change analysis (its fixed goalposts, so not the published ranks);
 * cdgi-2020 (one period) carries none, so the profile hides the section.
 */
import { describe, expect, it } from 'vitest';
import { runProject } from './project.ts';
import { siteData } from './site.ts';

describe('SiteData.change', () => {
  it('dfiic-panel: every period, equal to the change analysis (its own goalposts)', async () => {
    const run = await runProject('examples/dfiic-panel', { uncertainty: false } as never);
    const site = siteData(run);
    const c = site.change!;
    expect(c.periods).toEqual(['2011', '2012', '2013', '2014', '2015', '2016', '2017', '2018', '2019']);
    expect(c.scores.length).toBe(9);
    const a = run.analyses!.change!;
    c.periods.forEach((_, p) =>
      c.units.forEach((u, j) => {
        expect(c.ranks[p][j], u).toBe(Number.isNaN(a.ranks.values[p][j]) ? null : a.ranks.values[p][j]);
        expect(c.scores[p][j], u).toBe(Number.isNaN(a.scores.values[p][j]) ? null : a.scores.values[p][j]);
      }),
    );
    // ranks change over the years for some city
    expect(c.units.some((_, j) => c.ranks[0][j] !== c.ranks[8][j])).toBe(true);
  }, 300_000);

  it('cdgi-2020: one period, no change section', async () => {
    const run = await runProject('examples/cdgi-2020', { analyses: false });
    expect(siteData(run).change).toBeUndefined();
  }, 120_000);
});
