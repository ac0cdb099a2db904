/**
 * examples/dfiic-panel: a real panel (PKU-DFIIC, 100 cities, 2011–2019) through `runChange`.
 *
 * Reference numbers: an independent numpy recomputation from data/panel_long.csv (not through the
 * engine). Script (python3, numpy 1.x; run from the repository root):
 *
 *   import csv, numpy as np
 *   rows = list(csv.DictReader(open('examples/dfiic-panel/data/panel_long.csv', encoding='utf-8')))
 *   units = sorted({r['unit'] for r in rows})            # loadProject sorts units by code
 *   years = [str(y) for y in range(2011, 2020)]
 *   ind = ['DF_COVERAGE', 'DF_PAYMENT', 'DF_CREDIT', 'DF_INSURANCE', 'DF_DIGITIZATION']
 *   X = {(r['unit'], r['period'], r['indicator']): float(r['value']) for r in rows}
 *   upper = {i: max(X[(u, y, i)] for u in units for y in years) for i in ind}
 *   def index(y, goal):
 *       cols = {}
 *       for i in ind:
 *           v = np.array([X[(u, y, i)] for u in units])
 *           cols[i] = 100 * v / upper[i] if goal else 100 * (v - v.min()) / (v.max() - v.min())
 *       depth = (cols['DF_PAYMENT'] + cols['DF_CREDIT'] + cols['DF_INSURANCE']) / 3
 *       return (cols['DF_COVERAGE'] + depth + cols['DF_DIGITIZATION']) / 3
 *   for goal in (True, False):
 *       S = {y: index(y, goal) for y in years}
 *       print([S[y].std() / S[y].mean() for y in years])             # CV, ddof 0
 *       print([np.log(S[y]).std() for y in years])                   # sd of logs
 *       y0, yT = S['2011'], S['2019']; x = np.log(y0); g = np.log(yT / y0) / 8
 *       b, a = np.polyfit(x, g, 1)
 *       res = g - (a + b * x); s2 = res @ res / (len(x) - 2)
 *       se = np.sqrt(s2 / ((x - x.mean()) @ (x - x.mean())))
 *       r2 = 1 - res @ res / ((g - g.mean()) @ (g - g.mean()))
 *       lam = -np.log(1 + 8 * b) / 8
 *       rk = lambda s: np.array([1 + np.sum(s > v) for v in s])      # 1 = best, ties min
 *       gain = rk(y0) - rk(yT); order = np.argsort(-gain, kind='stable')
 *       print(b, a, se, b / se, r2, lam, np.log(2) / lam, [(units[k], gain[k]) for k in order[:10]])
 *
 * Output (goalposts = lower 0, upper = pooled 2011–2019 max, ×100):
 *   CV    0.17683997938215423 0.13636826018567202 0.10572822734356953 0.10061009881187886 0.0815445845214483
 *         0.06565236668589597 0.06423824559703953 0.07617418874079225 0.07467948298691701
 *   sd ln 0.1860465516259954 … 0.07443560765680976
 *   beta -0.08426413121890701  alpha 0.42760281381129817  se 0.0029307142668384104  t -28.752080055149587
 *   r2 0.8940176313509559  lambda 0.14015059201688018  half-life 4.945731377834354
 *   top gains 340200 芜湖 71→33 (+38), 321300 宿迁 77→47 (+30), 320700 连云港 72→43 (+29), 340100 合肥 41→12 (+29),
 *             411000 许昌 92→66 (+26), 341100 滁州 95→70 (+25), 320300 徐州 61→40 (+21), 420100 武汉 29→9 (+20),
 *             371000 威海 60→41 (+19), 320100 南京 22→4 (+18)
 * Output (min–max per year, the project's own build):
 *   CV 2011 0.20307061435486026, 2019 0.4509785556903047
 *   beta 0.08141371013741967  se 0.02279016317812313  r2 0.11521567487856021
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { loadProject } from '../../src/formats/project.ts';
import { column, type Dataset } from '../../src/engine/core/dataset.ts';
import { runChange, type ChangeConfigInput } from '../../src/engine/analysis/change.ts';

const DIR = 'examples/dfiic-panel';
/** The `analyses.change` block of examples/dfiic-panel/project.yaml. */
const CONFIG: ChangeConfigInput = {
  periods: [2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019],
  currentPeriod: 2019,
  top: 10,
  betaFrom: 2011,
  betaTo: 2019,
  normalise: { method: 'goalposts', scale: 100 },
  upperBound: 100,
};
const CV_NUMPY = [
  0.17683997938215423, 0.13636826018567202, 0.10572822734356953, 0.10061009881187886, 0.0815445845214483,
  0.06565236668589597, 0.06423824559703953, 0.07617418874079225, 0.07467948298691701,
];

const p = await loadProject(DIR);
const fromYaml = (p.project.analyses as { change?: ChangeConfigInput } | undefined)?.change;
const r = runChange(p.input, p.spec, fromYaml ?? CONFIG);

describe('examples/dfiic-panel', () => {
  it('derived files are up to date (prepare.ts --check)', () => {
    const x = spawnSync(process.execPath, ['--import', 'tsx', `${DIR}/prepare.ts`, '--check'], { encoding: 'utf8' });
    expect(x.status, x.stderr + x.stdout).toBe(0);
  });

  it('loads 100 cities: 2019 is the build data, 2011–2018 the history', () => {
    expect(p.input.units).toHaveLength(100);
    expect(p.input.history?.map((h) => h.period)).toEqual([
      '2011',
      '2012',
      '2013',
      '2014',
      '2015',
      '2016',
      '2017',
      '2018',
    ]);
    expect(p.input.raw.codes).toEqual(['DF_COVERAGE', 'DF_PAYMENT', 'DF_CREDIT', 'DF_INSURANCE', 'DF_DIGITIZATION']);
  });

  it('every period is built with all 100 cities scored, none screened out', () => {
    expect(r.periods).toHaveLength(9);
    expect(r.perPeriod.map((x) => x.nScored)).toEqual(Array(9).fill(100));
    expect(r.perPeriod.every((x) => x.screenedOut.length === 0 && x.unscored.length === 0)).toBe(true);
    expect(r.relativeScores).toBe(false);
    expect(r.code).toBe('DFI');
  });

  it('σ-convergence CVs equal a direct computation from the raw panel and numpy', () => {
    // direct: goalposts score 100·x/upper (framework goalposts), dimension means, index mean, population CV
    const upper = new Map(p.input.framework.nodes.filter((n) => n.goalposts).map((n) => [n.code, n.goalposts!.upper]));
    const raws: Dataset[] = [...p.input.history!.map((h) => h.dataset), p.input.raw];
    raws.forEach((ds, t) => {
      const s = (c: string) => column(ds, c).map((v) => (100 * v) / upper.get(c)!);
      const cov = s('DF_COVERAGE'),
        pay = s('DF_PAYMENT'),
        cre = s('DF_CREDIT'),
        ins = s('DF_INSURANCE'),
        dig = s('DF_DIGITIZATION');
      const idx = cov.map((_, i) => (cov[i] + (pay[i] + cre[i] + ins[i]) / 3 + dig[i]) / 3);
      const m = idx.reduce((a, b) => a + b, 0) / idx.length;
      const sd = Math.sqrt(idx.reduce((a, b) => a + (b - m) ** 2, 0) / idx.length);
      expect(r.sigma!.periods[t].cv).toBeCloseTo(sd / m, 13);
      expect(r.sigma!.periods[t].cv).toBeCloseTo(CV_NUMPY[t], 13);
    });
    expect(r.sigma!.periods[8].sdLog!).toBeCloseTo(0.07443560765680976, 13);
    expect(r.sigma!.converging).toBe(true);
  });

  it('β-convergence 2011 → 2019 (T = 8) matches numpy polyfit', () => {
    const b = r.beta!;
    expect(b.T).toBe(8);
    expect(b.n).toBe(100);
    expect(b.beta).toBeCloseTo(-0.08426413121890701, 13);
    expect(b.alpha).toBeCloseTo(0.42760281381129817, 12);
    expect(b.seBeta).toBeCloseTo(0.0029307142668384104, 14);
    expect(b.tBeta).toBeCloseTo(-28.752080055149587, 10);
    expect(b.r2).toBeCloseTo(0.8940176313509559, 12);
    expect(b.lambda!).toBeCloseTo(0.14015059201688018, 12);
    expect(b.halfLife!).toBeCloseTo(4.945731377834354, 10);
    expect(b.significant).toBe(true);
  });

  it('leapfroggers 2011 → 2019 equal the independent numpy ranking', () => {
    expect(r.leapfroggers.map((u) => [u.code, u.rankA, u.rankB])).toEqual([
      ['340200', 71, 33],
      ['321300', 77, 47],
      ['340100', 41, 12],
      ['320700', 72, 43],
      ['411000', 92, 66],
      ['341100', 95, 70],
      ['320300', 61, 40],
      ['420100', 29, 9],
      ['371000', 60, 41],
      ['320100', 22, 4],
      ['320800', 57, 39],
    ]);
    // (合肥 and 连云港 tie at +29: the engine orders ties by the later rank, numpy's stable argsort by code;
    //  淮安 320800 ties 南京 at +18 and is listed with the ties)
  });

  it('min–max per year (the project build): relative scores, divergence in β, same numbers as numpy', () => {
    const m = runChange(p.input, p.spec, { currentPeriod: 2019 });
    expect(m.relativeScores).toBe(true);
    expect(m.warnings.map((w) => w.code)).toContain('W_RELATIVE_SCORES');
    expect(m.sigma!.periods[0].cv).toBeCloseTo(0.20307061435486026, 13);
    expect(m.sigma!.periods[8].cv).toBeCloseTo(0.4509785556903047, 13);
    expect(m.beta!.beta).toBeCloseTo(0.08141371013741967, 13);
    expect(m.beta!.seBeta).toBeCloseTo(0.02279016317812313, 14);
    expect(m.beta!.r2).toBeCloseTo(0.11521567487856021, 12);
    expect(m.leapfroggers[0]).toMatchObject({ code: '340200', rankA: 75, rankB: 35 });
  });
});
