/**
 * Analysis results as workbook sheets (regional summaries, inequality, LISA/Gi* per unit, spillover, tiers,
 * change; the statistical audit, gaps and what-if, uncertainty and sensitivity). Every number is the one
 * analysis.json holds (non-finite values are empty cells as they are null there).
 */
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
 * const names = analysisSheets(asem.build, analyses).map((s) => s.name);
 * names.slice(0, 4) // => ['Regional', 'Inequality', 'Tiers', 'Audit stats']
 * names.slice(-3) // => ['What-if', 'Budget', 'Uncertainty']
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
  if (a.audit) sheets.push(...auditSheets(a.audit));
  if (a.gaps?.length) sheets.push(...gapSheets(a.gaps));
  if (a.uncertainty) sheets.push(...uncertaintySheets(a.uncertainty, names));
  return sheets;
}

/** A bilingual header cell, `en / 中文`, as the Method and Notes sheets pair the two languages. */
const h = (en: string, zh: string) => `${en} / ${zh}`;

/** Audit (COINr's `get_stats`, `get_corr`, `get_cronbach`, `get_PCA`, `remove_elements`): five sheets. */
function auditSheets(audit: NonNullable<AnalysesResult['audit']>): ExtraSheet[] {
  const stats: ExtraSheet = {
    name: 'Audit stats',
    header: [
      h('step', '阶段'),
      h('code', '代码'),
      h('min', '最小值'),
      h('max', '最大值'),
      h('mean', '均值'),
      h('median', '中位数'),
      h('sd', '标准差'),
      h('skew', '偏度'),
      h('kurtosis', '峰度'),
      h('n available', '有效值数'),
      h('share available', '有效值比例'),
      h('share non-zero', '非零比例'),
      h('share unique', '不同值比例'),
      h('share same', '相同值比例'),
      h('flag available', '有效值标记'),
      h('flag non-zero', '非零标记'),
      h('flag unique', '不同值标记'),
    ],
    rows: audit.stats.flatMap((s) =>
      s.rows.map((r) => [
        s.step,
        r.code,
        num(r.min),
        num(r.max),
        num(r.mean),
        num(r.median),
        num(r.sd),
        num(r.skew),
        num(r.kurt),
        r.nAvailable,
        num(r.fracAvailable),
        num(r.fracNonZero),
        num(r.fracUnique),
        num(r.fracSame),
        r.flagAvailable,
        r.flagNonZero,
        r.flagUnique,
      ]),
    ),
  };
  const correlations: ExtraSheet = {
    name: 'Audit correlations',
    header: [
      h('code', '代码'),
      h('level', '层级'),
      h('ancestor', '上级'),
      h('ancestor level', '上级层级'),
      h('Pearson r', 'Pearson 相关系数'),
      h('Spearman rho', 'Spearman 相关系数'),
      h('n', '样本数'),
    ],
    rows: audit.correlations.family.map((f) => [
      f.code,
      f.level,
      f.ancestor,
      f.ancestorLevel,
      num(f.pearson),
      num(f.spearman),
      f.n,
    ]),
  };
  const pcaOf = new Map(audit.pca.groups.map((g) => [g.group, g]));
  const skipped = new Map(audit.pca.skipped.map((g) => [g.group, g.reason]));
  const groups: ExtraSheet = {
    name: 'Audit groups',
    header: [
      h('group', '分组'),
      h('level of items', '成分层级'),
      h('items', '成分'),
      h('k', '成分数'),
      h("Cronbach's alpha", 'Cronbach α 系数'),
      h('PC1 variance explained', '第一主成分方差贡献率'),
      h('PC1 eigenvalue', '第一主成分特征值'),
      h('PCA rows used', '主成分分析样本数'),
      h('PCA note', '主成分分析说明'),
    ],
    rows: audit.cronbach.map((c) => {
      const p = pcaOf.get(c.group);
      return [
        c.group,
        c.level,
        c.codes.join(', '),
        c.k,
        num(c.alpha),
        p ? num(p.varianceExplained[0]) : null,
        p ? num(p.eigenvalues[0]) : null,
        p ? p.nUsed : null,
        skipped.get(c.group) ?? '',
      ];
    }),
  };
  const flags: ExtraSheet = {
    name: 'Audit flags',
    header: [
      h('flag', '标记'),
      h('group', '分组'),
      h('level', '层级'),
      h('a', '甲'),
      h('b', '乙'),
      h('r', '相关系数'),
      h('method', '方法'),
      h('threshold', '阈值'),
    ],
    rows: audit.correlations.flags.map((f) => [f.kind, f.group, f.level, f.a, f.b, num(f.r), f.method, f.threshold]),
  };
  const loo: ExtraSheet = {
    name: 'Leave one out',
    header: [
      h('level', '层级'),
      h('target', '目标'),
      h('removed', '移除'),
      h('removed as', '移除方式'),
      h('mean |rank change|', '平均排名变动（绝对值）'),
      h('max |rank change|', '最大排名变动（绝对值）'),
      h('error', '错误'),
    ],
    rows: audit.leaveOneOut.flatMap((l) =>
      l.removals.map((r) => [
        l.level,
        l.target,
        r.code,
        r.removedAs,
        num(r.meanAbsRankChange),
        num(r.maxAbsRankChange),
        r.error ?? '',
      ]),
    ),
  };
  return [stats, correlations, groups, flags, loo];
}

/** Gaps to peers, the smallest improvement per indicator (what-if) and the budget plan, per unit. */
function gapSheets(gaps: NonNullable<AnalysesResult['gaps']>): ExtraSheet[] {
  const gapRows: ExtraSheet['rows'] = [];
  const whatIf: ExtraSheet['rows'] = [];
  const budget: ExtraSheet['rows'] = [];
  for (const g of gaps) {
    const peers = g.gaps.peers.join(', ');
    const rowsOf = (kind: string, list: typeof g.gaps.dimensions) =>
      list.map((x) => [
        g.unit,
        kind,
        x.code,
        x.level,
        num(x.value),
        num(x.peerMean),
        num(x.gap),
        num(x.standardisedGap),
        num(x.weightedGap),
        num(x.effectiveWeight),
        x.rankAmongPeers,
        x.raw ? num(x.raw.value) : null,
        x.raw ? num(x.raw.peerMean) : null,
        x.raw ? num(x.raw.gap) : null,
        x.raw?.unit ?? '',
        peers,
      ]);
    gapRows.push(
      ...rowsOf('index', [g.gaps.index]),
      ...rowsOf('dimension', g.gaps.dimensions),
      ...rowsOf('indicator', g.gaps.indicators),
    );
    const im = g.improvements;
    for (const x of im.indicators)
      whatIf.push([
        im.unit,
        im.target,
        im.k,
        num(im.score),
        im.rank,
        im.targetRank,
        x.code,
        x.status,
        num(x.improvement),
        num(x.rawImprovement),
        num(x.newScore),
        num(x.newRank),
        x.code === im.best ? 'best' : '',
      ]);
    const b = g.budget;
    if (b)
      for (const [code, points] of Object.entries(b.plan.allocation))
        budget.push([b.unit, b.target, b.budget, b.chosen, code, num(points), num(b.plan.score), b.plan.rank]);
  }
  const sheets: ExtraSheet[] = [
    {
      name: 'Gaps',
      header: [
        h('unit', '评价对象'),
        h('row', '类别'),
        h('code', '代码'),
        h('level', '层级'),
        h('score', '得分'),
        h('peer mean', '同类均值'),
        h('gap', '差距'),
        h('standardised gap', '标准化差距'),
        h('weighted gap', '加权差距'),
        h('effective weight', '有效权重'),
        h('rank among peers', '同类中排名'),
        h('raw value', '原始值'),
        h('raw peer mean', '原始同类均值'),
        h('raw gap', '原始差距'),
        h('unit of measure', '计量单位'),
        h('peers', '同类对象'),
      ],
      rows: gapRows,
    },
    {
      name: 'What-if',
      header: [
        h('unit', '评价对象'),
        h('target', '目标'),
        h('ranks to gain', '目标提升名次'),
        h('score', '得分'),
        h('rank', '排名'),
        h('target rank', '目标排名'),
        h('indicator', '指标'),
        h('status', '状态'),
        h('improvement (normalised)', '所需提升（标准化）'),
        h('improvement (own units)', '所需提升（原始单位）'),
        h('new score', '新得分'),
        h('new rank', '新排名'),
        h('best', '最优'),
      ],
      rows: whatIf,
    },
  ];
  if (budget.length)
    sheets.push({
      name: 'Budget',
      header: [
        h('unit', '评价对象'),
        h('target', '目标'),
        h('budget', '预算'),
        h('plan', '方案'),
        h('indicator', '指标'),
        h('points', '分配点数'),
        h('score with plan', '方案后得分'),
        h('rank with plan', '方案后排名'),
      ],
      rows: budget,
    });
  return sheets;
}

/** Rank intervals per unit (COINr `RankStats`) and, in sensitivity mode, Sobol' indices per input. */
function uncertaintySheets(
  u: NonNullable<AnalysesResult['uncertainty']>,
  names: Map<string, { zh?: string; en?: string }>,
): ExtraSheet[] {
  const sheets: ExtraSheet[] = [
    {
      name: 'Uncertainty',
      header: [
        h('code', '代码'),
        h('name (zh)', '名称（中文）'),
        h('name (en)', '名称（英文）'),
        h('nominal rank', '名义排名'),
        h('mean rank', '平均排名'),
        h('median rank', '排名中位数'),
        h('rank 5th percentile', '排名第 5 百分位'),
        h('rank 95th percentile', '排名第 95 百分位'),
        h('runs', '运行次数'),
      ],
      rows: u.rankStats.map((r) => [
        r.unit,
        names.get(r.unit)?.zh ?? '',
        names.get(r.unit)?.en ?? '',
        num(r.nominal),
        num(r.mean),
        num(r.median),
        num(r.q5),
        num(r.q95),
        r.runs,
      ]),
    },
  ];
  const s = u.sensitivity;
  if (!s) return sheets;
  const target = s.target.kind === 'meanAbsRankShift' ? 'mean |rank shift|' : `${s.target.kind} of ${s.target.unit}`;
  const variance = num(s.varY) ?? '—';
  sheets.push({
    name: 'Sensitivity',
    header: [
      h('input', '不确定输入'),
      h('first-order Si', '一阶指数 Si'),
      h('Si 5%', 'Si 5% 分位'),
      h('Si 95%', 'Si 95% 分位'),
      h('total-order STi', '总效应指数 STi'),
      h('STi 5%', 'STi 5% 分位'),
      h('STi 95%', 'STi 95% 分位'),
    ],
    rows: [
      ...s.indices.map((x) => [
        x.name,
        num(x.Si),
        num(x.SiInterval?.[0]),
        num(x.SiInterval?.[1]),
        num(x.STi),
        num(x.STiInterval?.[0]),
        num(x.STiInterval?.[1]),
      ]),
      [
        `(target: ${target}; variance ${variance}; base rows used ${s.nUsed} of ${u.N}; bootstrap ${s.bootstrap} / ` +
          `目标：${target}；方差 ${variance}；有效基础样本 ${s.nUsed} / ${u.N}；自助法 ${s.bootstrap} 次)`,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
    ],
  });
  return sheets;
}
