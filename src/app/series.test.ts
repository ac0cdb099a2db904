/** The series use cases called directly (no CLI): the audit of the seed table and the generated demo. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditSeriesFile, computeSeries, computeSeriesProject, formatAuditText } from './series.ts';
import { loadSeriesProject } from '../formats/series.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seed = join(root, 'data/sources/seed-288/seed_288_table.csv');
const demo = join(root, 'examples/series-demo');

describe('auditSeriesFile', () => {
  it('a wider slack changes nothing on the seed table (the faults are far outside rounding)', async () => {
    const r = await auditSeriesFile(seed, { slack: 0.05 });
    expect(r.summary.swapped).toEqual(['2023-01', '2022-12']);
    expect(formatAuditText(r, 'seed')).toMatch(/plus 0.05 percentage points/);
  });
});

describe('computeSeries on the generated demo', () => {
  it('finds exactly the three faults planted by the generator', async () => {
    const project = await loadSeriesProject(demo);
    const out = computeSeries(project);
    expect(out.series.map((s) => s.code)).toEqual(['demo-a', 'demo-b', 'demo-c', 'demo-d', 'demo-e', 'demo-f']);
    expect(out.aggregate!.series.values[0]).toBe(1000);
    expect(out.audit!.summary).toEqual({
      consistent: out
        .audit!.rows.map((r) => r.period)
        .filter((p) => !['2022-09', '2022-03', '2021-06', '2021-01'].includes(p)),
      swapped: ['2022-03', '2021-06'],
      inconsistent: ['2022-09'],
      'not-checkable': ['2021-01'],
    });
    // 2022 rows are checked on both MoM and YoY (the 2021 index is printed); 2021 rows on MoM only
    expect(out.audit!.rows.find((r) => r.period === '2022-05')!.checks.map((c) => c.change)).toEqual(['mom', 'yoy']);
    expect(out.audit!.rows.find((r) => r.period === '2021-05')!.checks.map((c) => c.change)).toEqual(['mom']);
    // the national index printed in published.csv is the computed aggregate, rounded to 1 decimal
    const printed = new Map(out.audit!.rows.map((r) => [r.period, r.printed.value]));
    const nat = out.aggregate!.series;
    nat.periods.forEach((p, t) => {
      if (printed.has(p)) expect(printed.get(p)).toBeCloseTo(nat.values[t], 1);
    });
  });
  it('computeSeriesProject reads the project and yields the files series compute writes', async () => {
    const run = await computeSeriesProject(demo);
    expect([...run.files.keys()]).toEqual(['series.csv', 'series.json', 'chart.json', 'audit.json', 'audit.txt']);
    expect(run.project.config.note).toBe('generated example data / 模拟数据');
    expect(run.files.get('audit.txt')).toBe(formatAuditText(run.audit!, run.project.auditTable!.file));
  });
});
