/**
 * Issue 10 item 15: results.xlsx carries the audit, gaps/what-if and uncertainty/sensitivity tables
 * when those analyses ran, with the numbers analysis.json holds (examples/asem: audit, gaps for CHN and
 * GBR with a budget, and COINr's four uncertain assumptions in sensitivity mode with a small N), and
 * stays byte-identical between runs.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loadProject } from '../../src/formats/project.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { parseAnalysesConfig, runAnalyses, type AnalysesResult } from '../../src/engine/analysis/run.ts';
import { runArtifacts } from '../../src/app/project.ts';

/** Rows of a sheet below its header, as plain values (empty cells as null). */
function sheetRows(wb: ExcelJS.Workbook, name: string): unknown[][] {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  const rows: unknown[][] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const v = (r.values as unknown[]).slice(1);
    rows.push(Array.from({ length: ws.columnCount }, (_, k) => v[k] ?? null));
  });
  return rows;
}

describe('results.xlsx analysis sheets (examples/asem)', async () => {
  const p = await loadProject('examples/asem');
  const b = build(p.input, p.spec);
  const raw = p.project.analyses as Record<string, unknown> & { uncertainty: Record<string, unknown> };
  // COINr's four assumptions, sensitivity mode with N = 16 (16 × 6 runs) so the test stays quick.
  const settings = parseAnalysesConfig({
    ...raw,
    uncertainty: { ...raw.uncertainty, mode: 'sensitivity', N: 16, bootstrap: 50 },
  });
  const analyses = runAnalyses(b, settings);
  const files = runArtifacts({ project: p, build: b, analyses }, { workbook: true });
  const json = JSON.parse(files.get('analysis.json') as string) as AnalysesResult;
  const xlsx = files.get('results.xlsx') as () => Promise<Uint8Array>;
  const bytes = await xlsx();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);

  it('has the audit, gaps, what-if, budget, uncertainty and sensitivity sheets, headers in both languages', () => {
    const names = wb.worksheets.map((w) => w.name);
    for (const s of [
      'Audit stats',
      'Audit correlations',
      'Audit groups',
      'Audit flags',
      'Leave one out',
      'Gaps',
      'What-if',
      'Budget',
      'Uncertainty',
      'Sensitivity',
    ])
      expect(names).toContain(s);
    const header = (wb.getWorksheet('Uncertainty')!.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual([
      'code / 代码',
      'name (zh) / 名称（中文）',
      'name (en) / 名称（英文）',
      'nominal rank / 名义排名',
    ]);
  });

  it('audit numbers equal analysis.json (statistics, correlations, Cronbach, PCA, leave-one-out)', () => {
    const stats = sheetRows(wb, 'Audit stats');
    const want = json.audit!.stats.flatMap((s) => s.rows.map((r) => [s.step, r.code, r.min, r.max, r.mean, r.sd]));
    expect(stats.map((r) => [r[0], r[1], r[2], r[3], r[4], r[6]])).toEqual(want);
    expect(stats.length).toBeGreaterThan(49); // ASEM: 49 indicators on raw and on the aggregation input
    const corr = sheetRows(wb, 'Audit correlations');
    expect(corr.map((r) => [r[0], r[2], r[4], r[5]])).toEqual(
      json.audit!.correlations.family.map((f) => [f.code, f.ancestor, f.pearson, f.spearman]),
    );
    const groups = sheetRows(wb, 'Audit groups');
    const physical = groups.find((r) => r[0] === 'Physical')!;
    // COINr: get_cronbach(ASEM, "Normalised", "Physical") = 0.66336… (audit/cronbach.ts)
    expect(physical[4]).toBeCloseTo(0.663366, 6);
    expect(physical[4]).toBe(json.audit!.cronbach.find((c) => c.group === 'Physical')!.alpha);
    expect(physical[5]).toBe(json.audit!.pca.groups.find((g) => g.group === 'Physical')!.varianceExplained[0]);
    const loo = sheetRows(wb, 'Leave one out');
    expect(loo.map((r) => [r[2], r[4], r[5]])).toEqual(
      json.audit!.leaveOneOut.flatMap((l) => l.removals.map((x) => [x.code, x.meanAbsRankChange, x.maxAbsRankChange])),
    );
    expect(sheetRows(wb, 'Audit flags')).toHaveLength(json.audit!.correlations.flags.length);
  });

  it('gaps, what-if and budget numbers equal analysis.json for CHN and GBR', () => {
    const gaps = sheetRows(wb, 'Gaps');
    const want = json.gaps!.flatMap((g) =>
      [g.gaps.index, ...g.gaps.dimensions, ...g.gaps.indicators].map((x) => [
        g.unit,
        x.code,
        x.value,
        x.peerMean,
        x.gap,
      ]),
    );
    expect(gaps.map((r) => [r[0], r[2], r[4], r[5], r[6]])).toEqual(want);
    expect(new Set(gaps.map((r) => r[0]))).toEqual(new Set(['CHN', 'GBR']));
    const whatIf = sheetRows(wb, 'What-if');
    expect(whatIf.map((r) => [r[0], r[6], r[7], r[8], r[10], r[11]])).toEqual(
      json.gaps!.flatMap((g) =>
        g.improvements.indicators.map((x) => [g.unit, x.code, x.status, x.improvement, x.newScore, x.newRank]),
      ),
    );
    const budget = sheetRows(wb, 'Budget');
    expect(budget.map((r) => [r[0], r[4], r[5]])).toEqual(
      json.gaps!.flatMap((g) => Object.entries(g.budget!.plan.allocation).map(([c, v]) => [g.unit, c, v])),
    );
    expect(budget.every((r) => r[2] === 20)).toBe(true);
  });

  it('rank intervals and Sobol indices equal analysis.json', () => {
    const ranks = sheetRows(wb, 'Uncertainty');
    expect(ranks.map((r) => [r[0], r[3], r[4], r[5], r[6], r[7], r[8]])).toEqual(
      json.uncertainty!.rankStats.map((r) => [r.unit, r.nominal, r.mean, r.median, r.q5, r.q95, r.runs]),
    );
    expect(ranks).toHaveLength(51);
    // every interval holds its median
    for (const r of ranks)
      expect((r[6] as number) <= (r[5] as number) && (r[5] as number) <= (r[7] as number)).toBe(true);
    const sens = sheetRows(wb, 'Sensitivity');
    const s = json.uncertainty!.sensitivity!;
    expect(sens.slice(0, -1).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6]])).toEqual(
      s.indices.map((x) => [
        x.name,
        x.Si,
        x.SiInterval![0],
        x.SiInterval![1],
        x.STi,
        x.STiInterval![0],
        x.STiInterval![1],
      ]),
    );
    expect(sens.slice(0, -1).map((r) => r[0])).toEqual(['winmax', 'normalisation', 'weights', 'aggregation']);
    expect(String(sens.at(-1)![0])).toContain(`base rows used ${s.nUsed} of 16`);
  });

  it('is byte-identical when written again', async () => {
    const again = runArtifacts({ project: p, build: b, analyses }, { workbook: true });
    const second = await (again.get('results.xlsx') as () => Promise<Uint8Array>)();
    expect(Buffer.from(second).equals(Buffer.from(bytes))).toBe(true);
  });

  it('has no analysis sheets for analyses that did not run', async () => {
    const none = runArtifacts(
      { project: p, build: b, analyses: runAnalyses(b, parseAnalysesConfig({})) },
      { workbook: true },
    );
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load((await (none.get('results.xlsx') as () => Promise<Uint8Array>)()) as unknown as ArrayBuffer);
    const names = wb2.worksheets.map((w) => w.name);
    for (const s of ['Audit stats', 'Gaps', 'What-if', 'Uncertainty', 'Sensitivity']) expect(names).not.toContain(s);
  });
});
