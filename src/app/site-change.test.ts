/**
 * Change over time in the site data: dfiic-panel (nine periods) carries each city's score and rank per
 * period, the last period's ranks equal to the published ones; cdgi-2020 (one period) carries none, so the
 * profile hides the section.
 */
import { describe, expect, it } from 'vitest';
import { runProject } from './project.ts';
import { siteData } from './site.ts';

describe('SiteData.change', () => {
  it('dfiic-panel: every period, last period = the published ranks', async () => {
    const run = await runProject('examples/dfiic-panel', { uncertainty: false } as never);
    const site = siteData(run);
    const c = site.change!;
    expect(c.periods).toEqual(['2011', '2012', '2013', '2014', '2015', '2016', '2017', '2018', '2019']);
    expect(c.scores.length).toBe(9);
    const last = c.ranks[8];
    const ix = site.indexCode;
    c.units.forEach((u, j) => {
      const row = site.results.units.indexOf(u);
      expect(last[j], u).toBe(site.results.ranks[ix][row]);
    });
    // ranks change over the years for some city
    expect(c.units.some((_, j) => c.ranks[0][j] !== c.ranks[8][j])).toBe(true);
  }, 300_000);

  it('cdgi-2020: one period, no change section', async () => {
    const run = await runProject('examples/cdgi-2020', { analyses: false });
    expect(siteData(run).change).toBeUndefined();
  }, 120_000);
});
