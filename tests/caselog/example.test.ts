/**
 * examples/service-requests-311: Boston's districts are the units of an index whose indicators are KPIs of the
 * real BOS:311 log (a `kind: kpi` data source). Lineage: each value's source names its KPI, the SHA-256 of
 * the KPI's SQL and of the input file; lineage.json holds that SQL.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { loadProject } from '../../src/formats/project.ts';
import { build } from '../../src/engine/index.ts';
import { column } from '../../src/engine/core/dataset.ts';
import { kpiDefinition } from '../../src/engine/caselog/kpis.ts';
import { sha256Text } from '../../src/caselog/outputs.ts';

const DIR = 'examples/service-requests-311';

describe('the district index of examples/service-requests-311', () => {
  it('builds from the KPIs with score → KPI → SQL → input file lineage', async () => {
    const project = await loadProject(DIR);
    expect(project.input.units.map((u) => u.code)).toEqual([
      'BOS-D1',
      'BOS-D2',
      'BOS-D3',
      'BOS-D4',
      'BOS-D5',
      'BOS-D6',
      'BOS-D7',
      'BOS-D8',
      'BOS-D9',
    ]);
    const b = build(project.input, project.spec);
    const scores = column(b.results.scores, 'BOS311');
    expect(scores.length).toBe(9);
    expect([...scores].every(Number.isFinite)).toBe(true);
    const rows = parse(readFileSync(`${DIR}/kpi/boston-2015h1/indicators.csv`), { columns: true }) as Record<
      string,
      string
    >[];
    const d1 = rows.find((r) => r.unit === 'BOS-D1' && r.indicator === 'ON_TIME');
    const raw = project.input.raw;
    expect(column(raw, 'ON_TIME')[raw.unitCodes.indexOf('BOS-D1')]).toBe(Number(d1?.value));
    const source = project.valueSources['BOS-D1\u0000ON_TIME'];
    const sql = kpiDefinition('on_time_rate')?.sql ?? '';
    expect(source).toContain(`KPI on_time_rate ← SQL sha256:${sha256Text(sql).slice(0, 12)}`);
    expect(source).toContain('data/boston_311_2015_01.csv sha256:c849c7bf78b0');
    const lineage = JSON.parse(readFileSync(`${DIR}/kpi/boston-2015h1/lineage.json`, 'utf8')) as {
      kpis: Array<{ id: string; sql: string; sqlSha256: string }>;
      input: { files: Array<{ path: string; sha256: string }> };
    };
    const def = lineage.kpis.find((k) => k.id === 'on_time_rate');
    expect(def?.sqlSha256).toBe(sha256Text(def?.sql ?? ''));
    expect(def?.sql).toBe(sql);
    expect(lineage.input.files.map((f) => f.sha256.slice(0, 8))).toEqual([
      'c849c7bf',
      '5b0bc4c3',
      'e6da8f19',
      '404bcb5a',
      '6a6a4fce',
      '34428e6f',
    ]); // PROVENANCE.md
  });
});
