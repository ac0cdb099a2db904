/**
 * Every normalisation × weighting × aggregation method: a replication of the uncertainty runner equals
 * `build()` of the same spec (to 1e-12), because both run their steps through the one dispatcher
 * (`runStep`) with the same context. Before the dispatcher was shared, the runner did not pass the
 * aggregation options to optimised weights (ASEM, optimised + geometric: 25.22 against 21.51).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../../formats/project.ts';
import { build } from '../../pipeline/build.ts';
import type { AggregationMethod, BuildSpec, NormaliseMethod, WeightMethod, WeightOptions } from '../../spec/spec.ts';
import { resolveInputs, type UncertainInput } from './inputs.ts';
import { createRunner } from './runner.ts';

let asem: LoadedProject;
beforeAll(async () => {
  asem = await loadProject('examples/asem');
});

const normalisations: NormaliseMethod[] = [
  { method: 'none' },
  { method: 'minMax', range: [1, 100] },
  { method: 'zScore', mean: 10, sd: 2 },
  { method: 'scaled', lower: -5, upper: 500, scaleFactor: 100 },
  { method: 'rank' },
  { method: 'percentileRank' },
  { method: 'borda' },
  { method: 'distanceToTarget' },
  { method: 'distanceToMax' },
  { method: 'distanceToReference', reference: 'DEU' },
  { method: 'goalposts', lower: 0, upper: 1000, truncate: true },
  { method: 'fractionOfMax' },
];

/** A consistent pairwise matrix a_ij = w_i / w_j. */
const consistent = (codes: string[], w: number[]) => ({ codes, matrix: w.map((wi) => w.map((wj) => wi / wj)) });

/**
 * One of each weighting method: at level 1 (manual and AHP weights from the framework's groups), and
 * optimised weights at level 3 (two sub-indices: each trial re-aggregates, so few weights keep it quick).
 */
function weightings(project: LoadedProject): WeightOptions[] {
  const nodes = project.input.framework.nodes.filter((nd) => nd.level === 1 && nd.status !== 'not_collected');
  const manual: Record<string, number> = {};
  const groups = new Map<string, string[]>();
  nodes.forEach((nd, i) => {
    manual[nd.code] = 1 + (i % 3);
    const list = groups.get(nd.parent!) ?? [];
    list.push(nd.code);
    groups.set(nd.parent!, list);
  });
  const matrices = Object.fromEntries(
    [...groups].map(([parent, codes]) => [
      parent,
      consistent(
        codes,
        codes.map((_, j) => 1 + j),
      ),
    ]),
  );
  const methods: WeightMethod[] = [
    { method: 'equal' },
    { method: 'manual', weights: manual },
    { method: 'ahp', matrices },
    { method: 'entropy' },
    { method: 'critic' },
    { method: 'cv' },
    { method: 'sd' },
    { method: 'pca' },
    { method: 'combined', subjective: { method: 'equal' }, objective: { method: 'critic' }, alpha: 0.5 },
  ];
  return [...methods.map((weighting) => ({ level: 1, weighting })), { level: 3, weighting: { method: 'optimised' } }];
}

const aggregations: AggregationMethod[] = [
  { method: 'arithmetic' },
  { method: 'geometric' },
  { method: 'harmonic' },
  { method: 'generalised', p: 2 },
  { method: 'mpi' },
  { method: 'topsis' },
  { method: 'bod' },
  { method: 'copeland' },
];

describe('a runner replication = build() of the same spec, for every method', () => {
  it('12 normalisations × 10 weightings × 8 aggregations on ASEM', () => {
    const { input } = asem;
    const weightMethods = weightings(asem);
    const steps = asem.spec.steps.filter((s) => s.kind !== 'aggregate');
    const spec: BuildSpec = {
      ...asem.spec,
      steps: [
        ...steps,
        { id: 'weight', kind: 'weight', options: { level: 1, weighting: { method: 'equal' } } },
        { id: 'aggregate', kind: 'aggregate', options: { aggregation: { method: 'arithmetic' } } },
      ],
    };
    const inputs: UncertainInput[] = [
      { kind: 'alternatives', name: 'normalisation', step: 'normalise', path: ['options'], values: normalisations },
      { kind: 'alternatives', name: 'weighting', step: 'weight', path: ['options'], values: weightMethods },
      {
        kind: 'alternatives',
        name: 'aggregation',
        step: 'aggregate',
        path: ['options', 'aggregation'],
        values: aggregations,
      },
    ];
    const resolved = resolveInputs(inputs, spec, input.framework);
    const runner = createRunner(input, spec, resolved);
    const M = input.units.length;
    const scores = new Float64Array(M),
      ranks = new Float64Array(M);
    let compared = 0;
    let worst = 0;
    for (let a = 0; a < normalisations.length; a++) {
      for (let b = 0; b < weightMethods.length; b++) {
        for (let c = 0; c < aggregations.length; c++) {
          // u in the middle of each alternative's interval selects it
          const u = [
            (a + 0.5) / normalisations.length,
            (b + 0.5) / weightMethods.length,
            (c + 0.5) / aggregations.length,
          ];
          const reason = runner.run(u, scores, ranks);
          const runSpec: BuildSpec = {
            ...spec,
            steps: spec.steps.map((s) =>
              s.kind === 'normalise'
                ? { ...s, options: normalisations[a] }
                : s.kind === 'weight'
                  ? { ...s, options: weightMethods[b] }
                  : s.kind === 'aggregate'
                    ? { ...s, options: { aggregation: aggregations[c] } }
                    : s,
            ),
          };
          let ref: ReturnType<typeof build> | undefined;
          let refError: unknown;
          try {
            ref = build(input, runSpec);
          } catch (e) {
            refError = e;
          }
          const methods = [normalisations[a].method, weightMethods[b].weighting.method, aggregations[c].method];
          const label = methods.join(' × ');
          if (!ref) {
            expect(reason, `${label}: build failed (${String(refError)}) but the run did not`).not.toBeNull();
            continue;
          }
          expect(reason, label).toBeNull();
          const sc = ref.results.scores;
          const j = sc.codes.indexOf(ref.results.indexCode),
            m = sc.unitCodes.length;
          const rowOf = new Map(sc.unitCodes.map((code, i) => [code, i] as const));
          input.units.forEach((unit, i) => {
            const r = rowOf.get(unit.code);
            if (r === undefined) {
              expect(scores[i], label).toBeNaN();
              return;
            }
            const want = sc.values[j * m + r];
            if (Number.isNaN(want)) {
              expect(scores[i], label).toBeNaN();
              return;
            }
            const gap = Math.abs(scores[i] - want);
            worst = Math.max(worst, gap);
            expect(gap, `${label}, ${unit.code}: ${scores[i]} vs ${want}`).toBeLessThanOrEqual(
              1e-12 * Math.max(1, Math.abs(want)),
            );
          });
          compared++;
        }
      }
    }
    // most combinations build (geometric/harmonic means refuse non-positive normalised values)
    expect(compared).toBeGreaterThan((normalisations.length * weightMethods.length * aggregations.length) / 2);
    expect(worst).toBeLessThanOrEqual(1e-9);
  }, 300_000);
});
