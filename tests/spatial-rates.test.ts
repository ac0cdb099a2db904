/**
 * Moran's I for rates declared in project.yaml (`analyses.spatial.rates`): counts over populations from
 * the raw data or units.csv, on examples/cdgi-2020 (GDP 2019 over the 2020 census population, i.e. GDP
 * per person, as a rate). The declared analysis must equal the kernels called by hand on the same
 * weights; the adjusted (Assunção–Reis) and raw rates must differ; unknown columns are located errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/formats/project.ts';
import { build, type Build } from '../src/engine/pipeline/build.ts';
import { parseAnalysesConfig, resultUnits, runAnalyses } from '../src/engine/analysis/run.ts';
import { assuncaoRate } from '../src/engine/analysis/spatial/rates.ts';
import { moran } from '../src/engine/analysis/spatial/moran.ts';
import { knnWeights, pointsFromUnits } from '../src/engine/analysis/spatial/weights.ts';

let b: Build;
beforeAll(async () => {
  const p = await loadProject('examples/cdgi-2020');
  b = build(p.input, p.spec);
});

const config = (rates: unknown) =>
  parseAnalysesConfig({
    spatial: { coordinates: ['lon', 'lat'], weights: { method: 'knn', k: 5 }, permutations: 0, rates },
  });

describe('analyses.spatial.rates', () => {
  it('equals moran() of the Assunção–Reis rates (and of the raw rates when adjusted: false)', () => {
    const r = runAnalyses(
      b,
      config([
        { events: 'gdp_2019', population: 'population_2020' },
        { events: 'gdp_2019', population: 'population_2020', adjusted: false },
      ]),
      { skipUncertainty: true },
    );
    expect(r.errors).toEqual([]);
    const units = resultUnits(b);
    const { ids, points } = pointsFromUnits(units, { lon: 'lon', lat: 'lat' });
    const w = knnWeights(ids, points, { k: 5 });
    const e = Float64Array.from(units, (u) => u.attributes.gdp_2019 as number);
    const pop = Float64Array.from(units, (u) => u.attributes.population_2020 as number);
    const adjusted = moran(assuncaoRate(e, pop), w, { permutations: 0 });
    const raw = moran(
      Float64Array.from(e, (v, i) => v / pop[i]),
      w,
      { permutations: 0 },
    );
    const [a, plain] = r.spatial!.rates;
    expect(a).toMatchObject({ events: 'gdp_2019', population: 'population_2020', adjusted: true });
    expect(a.moran.I).toBe(adjusted.I);
    expect(a.moran.z_norm).toBe(adjusted.z_norm);
    expect(plain.adjusted).toBe(false);
    expect(plain.moran.I).toBe(raw.I);
    expect(a.moran.I).not.toBe(plain.moran.I);
    expect(a.moran.I).toBeGreaterThan(0); // richer cities neighbour richer cities
  });

  it('an unknown column is a located error; the rest of the spatial section is not run', () => {
    const r = runAnalyses(b, config([{ events: 'nope', population: 'population_2020' }]), { skipUncertainty: true });
    expect(r.spatial).toBeUndefined();
    expect(r.errors[0].issues[0]).toMatchObject({ code: 'E_UNKNOWN_CODE', field: 'analyses.spatial.rates[0].events' });
  });
});
