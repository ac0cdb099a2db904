/**
 * The audit's leave-one-out and principal-component results written for readers (issue 11, item 8):
 * how far the ranks move when each part is left out (COINr `remove_elements`), and whether the parts of
 * each group measure one thing (eigenvalues and first-component loadings of the group's PCA). Tables and
 * sentences only — no settings keys, no JSON. Pure and browser-safe.
 */
import { formatList, joinClauses, t } from '../../engine/i18n/index.ts';
import type { AuditResult } from '../../engine/analysis/audit/index.ts';
import { fmt, isCityReport, reportIndex, type ReportContext } from '../context.ts';
import { escapeHtml as esc } from '../markdown.ts';
import { table } from './table.ts';

/** The audit of a context (given directly, or run with the analyses). */
export function contextAudit(ctx: ReportContext): AuditResult | undefined {
  return ctx.audit ?? (ctx.analyses as { audit?: AuditResult } | undefined)?.audit;
}

/** One row of a leave-one-out table: the part left out and how far the ranks moved. */
export interface LeaveOneOutRow {
  code: string;
  meanAbs: number;
  maxAbs: number;
  /** The unit that moved most (by |change|; the first in build order on a tie), with its ranks. */
  mover?: { unit: string; from: number; to: number };
  failed: boolean;
}

/**
 * The leave-one-out rows of one level, in framework order, each with the unit that moved most.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { auditBuild } from '../../engine/analysis/audit/index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * const rows = leaveOneOutRows(auditBuild(b).leaveOneOut[1]);
 * rows.map((r) => [r.code, r.maxAbs]) // => [['INFRA', 30], ['ADMIN', 32], ['PUBLIC', 11], ['LIFE', 25]]
 * rows[0].meanAbs // => 10.68
 */
export function leaveOneOutRows(result: AuditResult['leaveOneOut'][number]): LeaveOneOutRow[] {
  return result.removals.map((r) => {
    let k = -1;
    r.rankChange.forEach((c, i) => {
      if (Number.isFinite(c) && (k < 0 || Math.abs(c) > Math.abs(r.rankChange[k]))) k = i;
    });
    return {
      code: r.code,
      meanAbs: r.meanAbsRankChange,
      maxAbs: r.maxAbsRankChange,
      ...(k >= 0 && r.rankChange[k] !== 0
        ? { mover: { unit: result.unitCodes[k], from: result.nominalRanks[k], to: r.ranks[k] } }
        : {}),
      failed: r.error !== undefined || !Number.isFinite(r.meanAbsRankChange),
    };
  });
}

/** A group's reading from its PCA: how many components have an eigenvalue above 1, and which parts oppose. */
export interface PcaReading {
  group: string;
  codes: string[];
  first: number;
  second: number;
  /** Components with an eigenvalue above 1 (Kaiser's rule). */
  above1: number;
  /** First-component loadings, signed so that most parts load positively. */
  loadings: number[];
  /** Parts loading against the others on the first component. */
  opposite: string[];
}

/**
 * Read each group's PCA: shares of the first two components, Kaiser's count, loadings oriented so that
 * their sum is positive, and the parts that load the other way.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { auditBuild } from '../../engine/analysis/audit/index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const r = pcaReadings(auditBuild(build(project.input, project.spec)))[0];
 * [r.group, r.above1, r.opposite.length, Math.round(r.first * 1000) / 10] // => ['CDGI', 1, 0, 66.8]
 */
export function pcaReadings(audit: AuditResult): PcaReading[] {
  return audit.pca.groups.map((g) => {
    const raw = g.loadings.map((row) => row[0]);
    const sign = raw.reduce((s, x) => s + x, 0) < 0 ? -1 : 1;
    const loadings = raw.map((x) => x * sign);
    return {
      group: g.group,
      codes: g.codes,
      first: g.varianceExplained[0] ?? NaN,
      second: g.varianceExplained[1] ?? 0,
      above1: g.eigenvalues.filter((e) => e > 1 + 1e-9).length,
      loadings,
      opposite: g.codes.filter((_, i) => loadings[i] < 0),
    };
  });
}

/**
 * The audit's reader part as HTML: the leave-one-out tables (one per level computed, with a sentence on
 * the part the ranking depends on most) and the PCA table with a reading per group ('' when neither ran).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { auditBuild } from '../../engine/analysis/audit/index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * const h = auditReaderHtml({ project, build: b, audit: auditBuild(b), lang: 'en' });
 * [h.includes('id="leave-one-out"'), h.includes('id="pca"'), h.includes('{')] // => [true, true, false]
 */
export function auditReaderHtml(ctx: ReportContext): string {
  const audit = contextAudit(ctx);
  if (!audit) return '';
  const lang = ctx.lang;
  const ix = reportIndex(ctx);
  const cities = isCityReport(ctx.build.results.scores.unitCodes);
  const parts: string[] = [];
  const loo = audit.leaveOneOut.filter((l) => l.removals.length > 0);
  if (loo.length) {
    parts.push(
      `<h3 id="leave-one-out">${esc(t(lang, 'audit.looTitle'))}</h3>`,
      `<p>${esc(t(lang, 'audit.looIntro'))}</p>`,
    );
    // the level nearest the index first (dimensions before indicators)
    for (const level of [...loo].sort((a, b) => b.level - a.level)) {
      const rows = leaveOneOutRows(level);
      const ok = rows.filter((r) => !r.failed);
      const kind =
        level.level === 1
          ? 'indicator'
          : level.removals.every((r) => ix.dimensions.includes(r.code))
            ? 'dimension'
            : 'level';
      const levelName = t(lang, 'audit.looLevelName', { level: level.level, kind });
      parts.push(`<h4>${esc(t(lang, 'audit.looLevel', { level: levelName }))}</h4>`);
      if (ok.length > 1) {
        const most = ok.reduce((a, b) => (b.meanAbs > a.meanAbs ? b : a));
        const least = ok.reduce((a, b) => (b.meanAbs < a.meanAbs ? b : a));
        parts.push(
          `<p data-loo-most="${esc(most.code)}">${esc(
            t(lang, 'audit.looMost', {
              name: ix.nodeName(most.code),
              mean: most.meanAbs,
              max: most.maxAbs,
              least: ix.nodeName(least.code),
              leastMean: least.meanAbs,
            }),
          )}</p>`,
        );
      }
      const body = [...rows]
        .sort((a, b) => (b.failed ? -1 : b.meanAbs) - (a.failed ? -1 : a.meanAbs))
        .map((r) => [
          esc(ix.nodeName(r.code)),
          r.failed ? esc(t(lang, 'audit.looFailed')) : fmt(r.meanAbs, 1),
          r.failed ? '—' : fmt(r.maxAbs, 0),
          r.mover
            ? esc(t(lang, 'audit.looMove', { name: ix.unitName(r.mover.unit), from: r.mover.from, to: r.mover.to }))
            : '—',
        ]);
      parts.push(
        table(
          [
            t(lang, 'audit.looPart'),
            t(lang, 'audit.looMean'),
            t(lang, 'audit.looMax'),
            t(lang, cities ? 'audit.looMover' : 'audit.looMoverUnit'),
          ],
          body,
          [1, 2],
          undefined,
          { className: 'leave-one-out' },
        ),
      );
    }
  }
  const readings = pcaReadings(audit);
  if (readings.length) {
    parts.push(`<h3 id="pca">${esc(t(lang, 'audit.pcaTitle'))}</h3>`, `<p>${esc(t(lang, 'audit.pcaIntro'))}</p>`);
    const rows = readings.map((r) => {
      const reading = [
        r.above1 > 1 ? t(lang, 'audit.pcaSeveral', { k: r.above1 }) : t(lang, 'audit.pcaOne'),
        ...(r.opposite.length
          ? [t(lang, 'audit.pcaOpposite', { names: formatList(lang, r.opposite.map(ix.nodeName)) })]
          : []),
      ];
      return [
        esc(ix.nodeName(r.group)),
        String(r.codes.length),
        fmt(r.first * 100, 1) + '%',
        fmt(r.second * 100, 1) + '%',
        esc(joinClauses(lang, reading)),
      ];
    });
    parts.push(
      table(
        [
          t(lang, 'audit.pcaGroup'),
          t(lang, 'audit.pcaParts'),
          t(lang, 'audit.pcaFirst'),
          t(lang, 'audit.pcaSecond'),
          t(lang, 'audit.pcaReading'),
        ],
        rows,
        [1, 2, 3],
        undefined,
        { className: 'pca' },
      ),
    );
    const top = readings.find((r) => r.group === ix.indexCode);
    if (top && top.codes.length > 1) {
      const w = top.loadings.reduce((k, x, i) => (x < top.loadings[k] ? i : k), 0);
      parts.push(
        `<p>${esc(
          t(lang, 'audit.pcaSummary', {
            name: ix.nodeName(top.group),
            share: top.first,
            weakest: ix.nodeName(top.codes[w]),
            loading: top.loadings[w].toFixed(2),
          }),
        )}</p>`,
      );
    }
  }
  return parts.join('\n');
}
