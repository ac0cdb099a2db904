/** Analysis results as workbook sheets (regional summaries, inequality, LISA/Gi* per unit, spillover, tiers). */
import type { AnalysesResult } from '../engine/analysis/run.ts';
import type { Build } from '../engine/pipeline/build.ts';
import { LISA_LABEL_NAMES } from '../engine/analysis/spatial/local-moran.ts';
import type { ExtraSheet } from './workbook.ts';

const num = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;

/**
 * Sheets for every analysis that ran.
 * @example
 * import { parseAnalysesConfig, runAnalyses } from '../engine/analysis/run.ts';
 * import { loadProject } from './index.ts';
 * const { project } = await loadProject('examples/asem');
 * const analyses = runAnalyses(asem.build, parseAnalysesConfig(project.analyses));
 * analysisSheets(asem.build, analyses).map((s) => s.name) // => ['Regional', 'Inequality', 'Tiers']
 */
export function analysisSheets(b: Build, a: AnalysesResult): ExtraSheet[] {
  const sheets: ExtraSheet[] = [];
  const names = new Map(b.input.units.map((u) => [u.code, u.name]));
  if (a.regional) {
    const rows: ExtraSheet['rows'] = [];
    for (const g of a.regional.groupings)
      for (const bc of g.byCode) {
        rows.push([
          g.grouping,
          '(national)',
          bc.code,
          bc.summary.national.n,
          num(bc.summary.national.mean),
          num(bc.summary.national.median),
          0,
          num(bc.summary.national.shareBelowNationalMean),
        ]);
        for (const grp of bc.summary.groups)
          rows.push([
            g.grouping,
            grp.group,
            bc.code,
            grp.n,
            num(grp.mean),
            num(grp.median),
            num(grp.gap),
            num(grp.shareBelowNationalMean),
          ]);
      }
    sheets.push({
      name: 'Regional',
      header: ['grouping', 'group', 'code', 'n', 'mean', 'median', 'gap_to_national_mean', 'share_below_national_mean'],
      rows,
    });
    const ineq: ExtraSheet['rows'] = [
      ['Gini', '', num(a.regional.inequality.gini), ''],
      ['CV (population sd)', '', num(a.regional.inequality.cv), ''],
      ['CV (population-weighted)', '', num(a.regional.inequality.cvPopulationWeighted), ''],
      ['Theil T', '', num(a.regional.inequality.theil), ''],
    ];
    for (const g of a.regional.groupings) {
      if (g.theil)
        ineq.push(
          [
            'Theil between',
            g.grouping,
            num(g.theil.between),
            'share of T: ' + (g.theil.betweenShare * 100).toFixed(1) + '%',
          ],
          ['Theil within', g.grouping, num(g.theil.within), ''],
        );
      if (g.dagum)
        ineq.push(
          ['Dagum Gw', g.grouping, num(g.dagum.Gw), ''],
          ['Dagum Gnb', g.grouping, num(g.dagum.Gnb), ''],
          ['Dagum Gt', g.grouping, num(g.dagum.Gt), ''],
        );
    }
    for (const c of a.regional.comparisons)
      ineq.push([
        `mean ${c.a} − mean ${c.b}`,
        c.grouping,
        num(c.difference),
        c.aAbove ? `${c.a} above ${c.b}` : `${c.a} not above ${c.b}`,
      ]);
    sheets.push({ name: 'Inequality', header: ['measure', 'grouping', 'value', 'note'], rows: ineq });
  }
  if (a.spatial) {
    const s = a.spatial;
    const lisa = s.localMoran;
    const rows: ExtraSheet['rows'] = lisa.ids.map((id, i) => [
      id,
      names.get(id)?.zh ?? '',
      names.get(id)?.en ?? '',
      num(lisa.Is[i]),
      lisa.q[i],
      lisa.permutation ? num(lisa.permutation.p_sim[i]) : null,
      lisa.significance
        ? `${lisa.significance.labels[i]} ${LISA_LABEL_NAMES[lisa.significance.labels[i]]?.zh ?? ''}`
        : '',
      num(s.getisOrd.Zs[i]),
      s.getisOrd.significance.labels[i],
    ]);
    rows.unshift([
      '(global)',
      `Moran's I = ${s.moran.I.toFixed(4)}`,
      `z_rand = ${s.moran.z_rand.toFixed(3)}`,
      null,
      null,
      s.moran.permutation ? num(s.moran.permutation.p_sim) : null,
      `Geary's C = ${s.geary.C.toFixed(4)}`,
      null,
      s.weights,
    ]);
    sheets.push({
      name: 'Spatial',
      header: ['code', 'name_zh', 'name_en', 'local_I', 'quadrant', 'p_sim', 'LISA', 'Gi*_z', 'hot/cold'],
      rows,
    });
    if (s.spillover) {
      const sp = s.spillover;
      sheets.push({
        name: 'Spillover',
        header: ['role', 'code', 'name_zh', 'score', 'rank', 'above_mean', 'LISA'],
        rows: [sp.leader, ...sp.neighbours].map((u, k) => [
          k === 0 ? 'leader' : 'neighbour',
          u.id,
          names.get(u.id)?.zh ?? '',
          num(u.score),
          u.rank,
          u.aboveMean ? 'yes' : 'no',
          u.label,
        ]),
      });
    }
  }
  if (a.tiers) {
    const t = a.tiers;
    const codes = b.results.scores.unitCodes;
    sheets.push({
      name: 'Tiers',
      header: ['code', 'name_zh', 'name_en', 'tier', 'rule'],
      rows: codes.map((c, i) => [
        c,
        names.get(c)?.zh ?? '',
        names.get(c)?.en ?? '',
        t.labelOf[i],
        t.classOf[i] >= 0 ? t.labels[t.classOf[i]].rule : '',
      ]),
    });
  }
  if (a.change) {
    const c = a.change;
    sheets.push({
      name: 'Change',
      header: [
        'code',
        'name_zh',
        'name_en',
        ...c.periods.map((p) => `rank_${p}`),
        `rank_change_${c.overall.from}_${c.overall.to}`,
      ],
      rows: c.units.map((u, i) => {
        const gain = c.overall.ranks.units.find((x) => x.code === u)?.gain;
        return [
          u,
          names.get(u)?.zh ?? '',
          names.get(u)?.en ?? '',
          ...c.ranks.values.map((r) => num(r[i])),
          gain ?? null,
        ];
      }),
    });
    const conv: ExtraSheet['rows'] = c.sigma
      ? c.sigma.periods.map((p) => [
          String(p.period),
          p.n,
          num(p.mean),
          num(p.cv),
          p.sdLog === null ? null : num(p.sdLog),
        ])
      : [];
    if (c.beta)
      conv.push(
        [`β ${c.beta.from}→${c.beta.to}`, null, num(c.beta.beta), num(c.beta.seBeta), num(c.beta.r2)],
        ['speed λ / half-life (years)', null, c.beta.lambda, c.beta.halfLife, null],
      );
    sheets.push({
      name: 'Convergence',
      header: ['period / measure', 'n', 'mean / β', 'CV / se', 'sd(ln y) / R²'],
      rows: conv,
    });
  }
  return sheets;
}
