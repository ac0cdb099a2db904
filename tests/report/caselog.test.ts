/**
 * The governance KPI section of the report (issue 15, item 4). The real Boston 311 example: the section is
 * there in both languages, cites the source, is not labelled simulated, has no JSON, path or settings key
 * in its text, and its numbers are the committed KPI outputs (kpis.csv). A generated (simulated) log: the
 * banner and a marker on every chart and table. A project without KPIs has no such section.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runProject } from '../../src/app/project.ts';
import { reportArtifacts } from '../../src/app/report.ts';
import { parseKpisCsv } from '../../src/caselog/pages.ts';
import { kpiPage } from '../../src/engine/caselog/pages.ts';
import { caselogSectionHtml } from '../../src/report/sections/caselog.ts';

const DIR = 'examples/service-requests-311';
const html: Record<'zh' | 'en', string> = { zh: '', en: '' };

function section(h: string): string {
  const at = h.indexOf('id="caselog"');
  if (at < 0) return '';
  return h.slice(h.indexOf('>', at) + 1, h.indexOf('</section>', at));
}
function readerText(h: string): string {
  return h
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<a [^>]*>[^<]*<\/a>/g, ' ') // the cited address is a link, on purpose
    .replace(/<[^>]+>/g, ' ');
}

beforeAll(async () => {
  const run = await runProject(DIR);
  const files = await reportArtifacts(run);
  html.en = files.get('report.html') as string;
  html.zh = files.get('report.zh.html') as string;
}, 240_000);

describe('KPI section of the Boston 311 example (real log)', () => {
  it.each(['zh', 'en'] as const)('%s: present, sourced, not simulated, readable', (l) => {
    const s = section(html[l]);
    expect(s).not.toBe('');
    expect(html[l]).toContain('<section class="major" id="caselog">');
    expect(s).toContain('data-caselog="boston-2015h1"');
    expect(s).toContain('https://data.boston.gov/dataset/311-service-requests');
    expect(s).toContain('2016-01-15');
    expect(s).not.toContain('data-simulated');
    expect(s).not.toMatch(/simulated|模拟/i);
    // trend charts by month (Jan–Jun 2015), with a Wilson band for the on-time rate
    expect(s.match(/<figure data-kpi="on_time_rate">/g)?.length).toBe(1);
    const text = readerText(s);
    for (const bad of ['{', '}', '.csv', '.yaml', 'kpi/', 'onlineChannels', 'on_time_rate', 'x_rule', 'caselog'])
      expect(text, bad).not.toContain(bad);
    expect(text).toContain(l === 'zh' ? '按时办结率' : 'On-time closure rate');
  });

  it('the district league table and category table show the KPI outputs of 2015', () => {
    const rows = parse(readFileSync(join(DIR, 'kpi/boston-2015h1/kpis.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    const s = section(html.en);
    const districts = s.slice(s.indexOf('class="kpi-districts"'), s.indexOf('</table>', s.indexOf('kpi-districts')));
    const trs = districts.split('<tr>').slice(2);
    expect(trs.length).toBe(9); // nine council districts
    const onTime = rows
      .filter((r) => r.kpi === 'on_time_rate' && r.level === 'district' && r.period === '2015')
      .sort((a, b) => Number(b.value) - Number(a.value));
    // ranked best first, each value the one in kpis.csv (full precision in data-value)
    for (const [i, r] of onTime.entries()) {
      const value = /data-label="On-time closure rate[^"]*"><span data-value="([^"]+)"/.exec(trs[i])?.[1];
      expect(value, r.unit).toBe(r.value);
      expect(trs[i]).toMatch(new RegExp(`^<td class="num"[^>]*>${i + 1}</td>`));
    }
    const cats = rows
      .filter((r) => r.kpi === 'cases_received' && r.level === 'category' && r.period === '2015')
      .sort((a, b) => Number(b.value) - Number(a.value));
    const catHtml = s.slice(s.indexOf('class="kpi-categories"'));
    const first = catHtml.split('<tr>')[2];
    expect(first).toContain(`>${cats[0].category}</td>`);
    expect(first).toContain(`data-value="${cats[0].value}"`);
    // the on-time rate of the whole city in 2015, as stated beside its formula
    const city = rows.find((r) => r.kpi === 'on_time_rate' && r.level === 'city' && r.period === '2015')!;
    expect(s).toContain(`<dt>On-time closure rate: <span data-value="${city.value}">`);
    expect(s).toContain(`(${city.numerator})`);
  });
});

describe('KPI section of a generated log (simulated)', () => {
  const values = parseKpisCsv(
    'kpi,level,unit,period,value,numerator,denominator,ci_low,ci_high,excluded,category\n' +
      'on_time_rate,city,440300,2024-01,0.5,1,2,0.0945,0.9055,rule=0;open=1;no_due=0,\n' +
      'on_time_rate,city,440300,2024,0.75,3,4,0.3006,0.9544,rule=1;open=1;no_due=0,\n' +
      'on_time_rate,district,440304,2024,1,2,2,0.3424,1,,\n' +
      'on_time_rate,district,440305,2024,0.5,1,2,0.0945,0.9055,,\n' +
      'on_time_rate,category,440300,2024,0.75,3,4,0.3006,0.9544,,environment\n',
    'kpis.csv',
  );
  const log = {
    id: 'sim-440300-2024',
    city: { code: '440300', name: { zh: '深圳市', en: 'Shenzhen' } },
    simulated: true,
    values,
  };

  it('ranks the districts and carries the banner and markers in both languages', () => {
    const page = kpiPage(log);
    expect(page.districts.map((r) => [r.key, r.rank])).toEqual([
      ['440304', 1],
      ['440305', 2],
    ]);
    const zh = caselogSectionHtml([log], 'zh', '政务服务工单绩效指标', (c) => (c === '440304' ? '福田区' : c));
    expect(zh).toContain('data-simulated="true"');
    expect(zh).toContain('模拟数据：');
    expect(zh.match(/（模拟）/g)?.length).toBeGreaterThanOrEqual(4); // heading, log, chart, 2 tables
    expect(zh).toContain('福田区');
    const en = caselogSectionHtml([log], 'en', 'Governance KPIs', (c) => c);
    expect(en).toContain('SIMULATED:');
    expect(en).toContain('still open at export (right-censored): 1');
    expect(en).toContain('duplicate'); // the rule exclusion's reason
  });

  it('a project without KPI data sources has no KPI section', async () => {
    const run = await runProject('examples/cdgi-2020');
    const files = await reportArtifacts(run);
    expect(files.get('report.html') as string).not.toContain('id="caselog"');
  }, 240_000);
});
