/**
 * Leave-one-out and PCA results shown for readers (issue 11, item 8) in the audit section of the
 * generated cdgi-2020 reports, zh and en. The numbers are checked against independent computations:
 * leaving a dimension out = rebuilding the project with that dimension's weight set to 0 (through
 * `build`, not the audit's re-aggregation), and the first component's share = the largest eigenvalue of
 * the dimensions' correlation matrix (power iteration here) over the number of dimensions.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/formats/index.ts';
import { build } from '../../src/engine/pipeline/build.ts';
import { column, getValue } from '../../src/engine/core/dataset.ts';
import { parseAnalysesConfig, runAnalyses } from '../../src/engine/analysis/run.ts';
import { prepareReportContext } from '../../src/report/index.ts';
import { renderReportHtml } from '../../src/report/html.ts';

const project = await loadProject('examples/cdgi-2020');
const b = build(project.input, project.spec);
const { uncertainty: _u, ...settings } = project.project.analyses as Record<string, unknown>;
const analyses = runAnalyses(b, parseAnalysesConfig(settings));
const base = await prepareReportContext(project, b, { analyses });
const html = { zh: renderReportHtml({ ...base, lang: 'zh' }), en: renderReportHtml({ ...base, lang: 'en' }) };

const text = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const section = (h: string, id: string) =>
  h.slice(h.indexOf(`id="${id}"`), h.indexOf('</section>', h.indexOf(`id="${id}"`)));
const rowsOf = (h: string, cls: string): string[][][] =>
  [...h.matchAll(new RegExp(`<table class="${cls}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`, 'g'))].map((t) =>
    [...t[1].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1])),
    ),
  );

const fw = project.input.framework;
const indexCode = fw.nodes.find((n) => n.parent === null)!.code;
const dims = fw.nodes.filter((n) => n.parent === indexCode).map((n) => n.code);
const units = b.results.scores.unitCodes;
const rankOf = (bb: typeof b) => units.map((u) => getValue(bb.results.ranks, u, indexCode));
const nominal = rankOf(b);

/** Mean and max |rank change| of the index when dimension `code` gets weight 0 (a plain rebuild). */
function withoutDimension(code: string): { mean: number; max: number } {
  const framework = { ...fw, nodes: fw.nodes.map((n) => (n.code === code ? { ...n, weight: 0 } : n)) };
  const ranks = rankOf(build({ ...project.input, framework }, project.spec));
  const moves = ranks.map((r, i) => Math.abs(r - nominal[i]));
  return { mean: moves.reduce((s, x) => s + x, 0) / moves.length, max: Math.max(...moves) };
}

/** Largest eigenvalue of the correlation matrix of the dimensions' scores, by power iteration. */
function firstShare(): number {
  const cols = dims.map((d) => Array.from(column(b.results.scores, d)));
  const z = cols.map((c) => {
    const m = c.reduce((s, x) => s + x, 0) / c.length;
    const sd = Math.sqrt(c.reduce((s, x) => s + (x - m) ** 2, 0) / (c.length - 1));
    return c.map((x) => (x - m) / sd);
  });
  const R = z.map((a) => z.map((c) => a.reduce((s, x, i) => s + x * c[i], 0) / (a.length - 1)));
  let v = dims.map(() => 1);
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const w = R.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
    lambda = Math.hypot(...w);
    v = w.map((x) => x / lambda);
  }
  return lambda / dims.length;
}

describe.each(['zh', 'en'] as const)('cdgi-2020 audit for readers (%s)', (lang) => {
  const audit = section(html[lang], 'audit');
  const dimName = new Map(fw.nodes.map((n) => [n.code, (n.name as Record<string, string>)[lang]]));

  it('leave-one-out: one row per dimension and per indicator, the moves of a plain rebuild without it', () => {
    expect(audit).toContain('id="leave-one-out"');
    const [dimRows, indRows] = rowsOf(audit, 'leave-one-out');
    expect(dimRows).toHaveLength(4);
    expect(indRows).toHaveLength(10);
    for (const d of dims) {
      const row = dimRows.find((r) => r[0] === dimName.get(d))!;
      const expected = withoutDimension(d);
      expect(row[1]).toBe(expected.mean.toFixed(1));
      expect(row[2]).toBe(String(expected.max));
    }
    // largest average move first; the sentence names that part (数字基础设施 / Digital infrastructure: 10.7)
    const means = dimRows.map((r) => Number(r[1]));
    expect(means).toEqual([...means].sort((x, y) => y - x));
    expect(text(audit)).toContain(
      lang === 'zh'
        ? `排名最依赖“${dimRows[0][0]}”：去掉它，城市名次平均变动 ${dimRows[0][1]} 位`
        : `The ranking depends most on "${dimRows[0][0]}": without it, ranks move by ${dimRows[0][1]} places`,
    );
  });

  it('PCA: the share of the first component for the index is the top eigenvalue of the correlation matrix', () => {
    expect(audit).toContain('id="pca"');
    const [rows] = rowsOf(audit, 'pca');
    expect(rows).toHaveLength(5); // the index and its four dimensions
    const index = rows.find((r) => r[0] === dimName.get(indexCode))!;
    expect(index[1]).toBe('4');
    expect(index[2]).toBe(`${(firstShare() * 100).toFixed(1)}%`); // 66.8%
    expect(index[4]).toBe(
      lang === 'zh' ? '各部分同向变动，可视为衡量同一件事' : 'the parts move together: they measure one thing',
    );
  });

  it('no settings keys or codes in the audit text', () => {
    const t = text(audit.slice(audit.indexOf('id="leave-one-out"')));
    expect(t).not.toMatch(/leaveOneOut|removedAs|meanAbsRankChange|varianceExplained|\{|INFRA|ADMIN/);
  });
});
