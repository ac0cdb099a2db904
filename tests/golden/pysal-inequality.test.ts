/**
 * Golden test against PySAL `inequality` on its Mexico example (32 states, per-capita GDP 1940…2000,
 * regimes `hanson98`, 5 groups of 6/7/10/2/7): Gini (test_gini.py), Theil T and T_B (test_theil.py), and the
 * independently reproduced T_W, CV and sd(ln y) series of METHODS §4.4/§4.6. Tolerance 1e-8.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, dagum, gini, theil } from '../../src/engine/analysis/inequality.ts';
import { betaConvergence, sigmaConvergence } from '../../src/engine/analysis/convergence.ts';

const YEARS = [1940, 1950, 1960, 1970, 1980, 1990, 2000];
const file = fileURLToPath(new URL('../../data/sources/pysal-examples/mexico.csv', import.meta.url));
const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(',');
const rows = lines.slice(1).map((l) => l.split(','));
const col = (name: string) => rows.map((r) => r[header.indexOf(name)]);
const states = col('State');
const pcgdp = YEARS.map((y) => Float64Array.from(col(`pcgdp${y}`), Number));
const hanson98 = col('hanson98').map((v) => String(Number(v)));

const close = (a: number, b: number, tol = 1e-8) => expect(Math.abs(a - b)).toBeLessThan(tol);

describe('PySAL inequality on mexico.csv', () => {
  it('has 32 states in 5 hanson98 regimes of 6/7/10/2/7', () => {
    expect(states).toHaveLength(32);
    const counts = [1, 2, 3, 4, 5].map((g) => hanson98.filter((v) => v === String(g)).length);
    expect(counts).toEqual([6, 7, 10, 2, 7]);
  });

  it('Gini 1940 = 0.35372371173452849 (PySAL test_gini.py) and the 1940…2000 series', () => {
    expect(gini(pcgdp[0], { codes: states })).toBeCloseTo(0.35372371173452849, 14);
    const target = [0.35372371, 0.29644613, 0.25371833, 0.25513356, 0.24505338, 0.25181826, 0.25811308];
    YEARS.forEach((_, t) => close(gini(pcgdp[t]), target[t]));
  });

  it('Theil T, T_B (PySAL test_theil.py) and T_W by hanson98', () => {
    const T = [0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832];
    const TB = [0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257, 0.02963731, 0.03635872];
    const TW = [0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856, 0.07547525, 0.0702496];
    YEARS.forEach((_, t) => {
      const r = theil(pcgdp[t], { groups: hanson98, codes: states });
      close(r.T, T[t]);
      close(r.between, TB[t]);
      close(r.within, TW[t]);
      expect(r.groups.map((g) => g.n).sort((a, b) => a - b)).toEqual([2, 6, 7, 7, 10]);
    });
  });

  it('CV and sd(ln y) series, population sd (METHODS §4.6)', () => {
    const cv = [0.708521, 0.614774, 0.484692, 0.464605, 0.45537, 0.48989, 0.484807];
    const sdLog = [0.620082, 0.495919, 0.436779, 0.45778, 0.431869, 0.437541, 0.451209];
    YEARS.forEach((_, t) => close(coefficientOfVariation(pcgdp[t]), cv[t], 5e-7));
    const sigma = sigmaConvergence({ periods: YEARS.map(String), values: pcgdp, codes: states });
    sigma.periods.forEach((p, t) => {
      close(p.cv, cv[t], 5e-7);
      close(p.sdLog!, sdLog[t], 5e-7);
    });
    // numpy (ddof=0): 0.7085205527820183, 0.6200820450094283 for 1940
    close(sigma.periods[0].cv, 0.7085205527820183, 1e-12);
    close(sigma.periods[0].sdLog!, 0.6200820450094283, 1e-12);
  });

  it('Dagum: G_w + G_nb + G_t = G (the overall Gini) for every year, with hanson98 groups', () => {
    /* numpy, straight from the METHODS §4.4 formulas with brute-force pair sums (y = pcgdp1940, g = hanson98):
      n, mu = len(y), y.mean(); ks = sorted(set(g), key=lambda k: -y[g == k].mean())
      p = {k: (g == k).sum() / n for k in ks}; s = {k: y[g == k].sum() / y.sum() for k in ks}
      Gw = sum(abs(y[g==k][:, None] - y[g==k][None, :]).sum() / (2 * (g==k).sum()**2 * y[g==k].mean())
               * p[k] * s[k] for k in ks)
      for a < b: j, h = ks[a], ks[b]; D = y[g==j][:, None] - y[g==h][None, :]
        Gjh = abs(D).sum() / (D.size * (y[g==j].mean() + y[g==h].mean()))
        d, q = maximum(D, 0).mean(), maximum(-D, 0).mean(); Djh = (d - q) / (d + q)
        Gnb += Gjh * (p[j] * s[h] + p[h] * s[j]) * Djh; Gt += Gjh * (p[j] * s[h] + p[h] * s[j]) * (1 - Djh)
      1940: G_w = 0.059705723775483305, G_nb = 0.14066085868517614, G_t = 0.15335712927386908
            (sum 0.35372371173452855) */
    YEARS.forEach((_, t) => {
      const r = dagum(pcgdp[t], hanson98, { codes: states });
      close(r.G, gini(pcgdp[t]), 1e-14);
      close(r.Gw + r.Gnb + r.Gt, r.G, 1e-14);
      expect(r.betweenPairs).toHaveLength(10);
    });
    const r40 = dagum(pcgdp[0], hanson98);
    close(r40.Gw, 0.059705723775483305, 1e-12);
    close(r40.Gnb, 0.14066085868517614, 1e-12);
    close(r40.Gt, 0.15335712927386908, 1e-12);
  });

  it('absolute β-convergence 1940→2000 matches numpy lstsq', () => {
    /*
      import csv, numpy as np
      rows = list(csv.DictReader(open('data/sources/pysal-examples/mexico.csv')))
      y0 = np.array([float(r['pcgdp1940']) for r in rows]); yT = np.array([float(r['pcgdp2000']) for r in rows])
      T = 60; x = np.log(y0); z = np.log(yT / y0) / T
      np.polyfit(x, z, 1)                      # [-0.007254802677838503, 0.08228927473596917]
      X = np.column_stack([np.ones_like(x), x]); coef = np.linalg.lstsq(X, z, rcond=None)[0]
      e = z - X @ coef; s2 = e @ e / (len(z) - 2); se = np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))
      # se = [0.0121559243660115, 0.0013963930068127]; t = [6.7694790012064985, -5.195387432079588]
      # p(β) two-sided, t with 30 df: 2*scipy.stats.t.sf(5.195387432079588, 30) = 1.3416379751852092e-05
      # R² = 0.4736107983434904; λ = -ln(1 + βT)/T = 0.009523994947084533; half-life = ln2/λ = 72.7790369914182
    */
    const r = betaConvergence(pcgdp[0], pcgdp[6], 60, { codes: states });
    close(r.beta, -0.007254802677838503, 1e-14);
    close(r.alpha, 0.08228927473596917, 1e-13);
    close(r.seBeta, 0.0013963930068127, 1e-14);
    close(r.seAlpha, 0.0121559243660115, 1e-13);
    close(r.tBeta, -5.195387432079588, 1e-10);
    close(r.r2, 0.4736107983434904, 1e-12);
    expect(Math.abs(r.pBeta - 1.3416379751852092e-5) / 1.3416379751852092e-5).toBeLessThan(1e-9);
    close(r.lambda!, 0.009523994947084533, 1e-12);
    close(r.halfLife!, 72.7790369914182, 1e-8);
    expect(r.converging).toBe(true);
  });
});
