import { describe, expect, it } from 'vitest';
import { coinrBalance, coinrOptimise, nelderMeadR } from './optimised-coinr.ts';
import { weightStep } from './step.ts';
import { BuildSpecSchema } from '../../spec/spec.ts';
import type { StepInput } from '../../pipeline/step.ts';
import { readAsemInput, readCoinrCsv } from '../../../../tests/golden/asem-fixtures.ts';

const rosenbrock = (x: Float64Array): number => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;

describe("nelderMeadR (R's optim Nelder–Mead, nmmin)", () => {
  it("reproduces ?optim's Rosenbrock example: par 1.000260 1.000506, value 8.825241e-08, 195 evaluations", () => {
    const r = nelderMeadR(rosenbrock, [-1.2, 1]);
    expect(r.par[0]).toBeCloseTo(1.00026, 6);
    expect(r.par[1]).toBeCloseTo(1.000506, 6);
    expect(r.value).toBeCloseTo(8.825241e-8, 13);
    expect(r.fncount).toBe(195);
    expect(r.convergence).toBe(0);
  });

  it('stops at maxit evaluations with convergence 1, as R does (the check is after a whole move)', () => {
    const r = nelderMeadR(rosenbrock, [-1.2, 1], { maxit: 50 });
    expect(r.convergence).toBe(1);
    expect(r.fncount).toBeGreaterThan(50);
    expect(r.fncount).toBeLessThanOrEqual(53);
  });

  it('initial step 10 % of the largest |parameter|, 0.1 when all are 0; the minimum of a quadratic', () => {
    const seen: number[][] = [];
    nelderMeadR(
      (x) => {
        seen.push(Array.from(x));
        return (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
      },
      [0, 0],
      { maxit: 3 },
    );
    expect(seen.slice(0, 3)).toEqual([
      [0, 0],
      [0.1, 0],
      [0, 0.1],
    ]);
    const r = nelderMeadR((x) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2, [10, 0], { reltol: 1e-12 });
    expect(r.par[0]).toBeCloseTo(3, 5);
    expect(r.par[1]).toBeCloseTo(-1, 5);
  });

  it('refuses a non-finite objective at the start', () => {
    expect(() => nelderMeadR(() => NaN, [1])).toThrow(/initial parameters/);
  });
});

describe('coinrBalance (COINr get_opt_weights, optype "balance")', () => {
  it('is log(mean((t/Σt − c/Σc)²))', () => {
    expect(coinrBalance([0.9, 0.6], [1, 1])).toBeCloseTo(Math.log(0.01), 12);
    expect(coinrBalance([0.25, 0.75], [1, 3])).toBe(-Infinity);
  });
});

describe('optimised, variant coinr, on the ASEM example (COINR-PARITY.md §4.8)', () => {
  const asem = readAsemInput();
  const input: StepInput = { dataset: readCoinrCsv('Normalised'), framework: asem.framework, units: asem.units };

  it('level 2, toler 1e-4: converges in 405 evaluations with Physical ≈ −0.18 and Social ≈ −0.011, and warns', () => {
    const out = weightStep(input, { level: 2, weighting: { method: 'optimised', variant: 'coinr', tolerance: 1e-4 } });
    const g = out.diagnostics.groups[0];
    expect(g.codes).toEqual(['Physical', 'ConEcFin', 'Political', 'Instit', 'P2P', 'Environ', 'Social', 'SusEcFin']);
    const w = new Map(g.codes.map((c, j) => [c, g.weights[j]]));
    expect(w.get('Physical')).toBeCloseTo(-0.18, 2);
    expect(w.get('Social')).toBeCloseTo(-0.011, 3);
    expect(g.weights.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
    expect(g.details).toMatchObject({ method: 'optimised', variant: 'coinr', converged: true, evaluations: 405 });
    expect(out.diagnostics.warnings.map((x) => x.code)).toEqual(['W_OPT_NEGATIVE']);
    expect(out.diagnostics.warnings[0].message).toMatch(/Physical -0\.18\d+, Social -0\.01\d+/);
  });

  it("default toler 0.1: level 2 stops after 9 evaluations; level 3 after 15 with COINr's 0.5016/0.4984", () => {
    const l2 = weightStep(input, { level: 2, weighting: { method: 'optimised', variant: 'coinr' } }).diagnostics;
    expect(l2.groups[0].details).toMatchObject({ evaluations: 9, converged: true });
    l2.groups[0].weights.forEach((v) => expect(Math.abs(v - 1 / 8)).toBeLessThan(0.02));
    const l3 = weightStep(input, { level: 3, weighting: { method: 'optimised', variant: 'coinr' } }).diagnostics;
    const d = l3.groups[0].details;
    if (d?.method !== 'optimised') throw new Error('optimised details expected');
    expect(d.evaluations).toBe(15);
    expect(d.coinrObtained![0]).toBeCloseTo(0.5016, 4);
    expect(d.coinrObtained![1]).toBeCloseTo(0.4984, 4);
    expect(l3.warnings).toEqual([]);
  });

  it('differs from the default variant, which keeps every weight ≥ 0', () => {
    const ours = weightStep(input, { level: 2, weighting: { method: 'optimised', maxIterations: 3000 } });
    expect(ours.diagnostics.groups[0].weights.every((v) => v >= 0)).toBe(true);
  });

  it('is a valid build spec; an unknown variant is refused', () => {
    const step = (variant: string) => ({
      steps: [{ id: 'weight', kind: 'weight', options: { level: 2, weighting: { method: 'optimised', variant } } }],
    });
    expect(BuildSpecSchema.safeParse(step('coinr')).success).toBe(true);
    expect(BuildSpecSchema.safeParse(step('r')).success).toBe(false);
  });
});

describe('coinrOptimise', () => {
  it('rescales the result to sum 1 and starts from the normalised target', () => {
    const r = coinrOptimise((w) => Array.from(w), { target: [1, 1], tolerance: 1e-8, maxIterations: 500 });
    expect(Array.from(r.weights)).toEqual([0.5, 0.5]);
  });
});
