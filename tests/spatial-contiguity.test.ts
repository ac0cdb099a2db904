/**
 * Polygon contiguity weights declared in project.yaml (`analyses.spatial.weights: { method: contiguity,
 * rule: queen | rook }`), on the China prefecture map the host supplies: examples/cdgi-2020's 100 cities.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/formats/project.ts';
import { build, type Build } from '../src/engine/pipeline/build.ts';
import { parseAnalysesConfig, runAnalyses } from '../src/engine/analysis/run.ts';
import { readChinaMap } from '../src/report/china-map-file.ts';

let b: Build;
beforeAll(async () => {
  const p = await loadProject('examples/cdgi-2020');
  b = build(p.input, p.spec);
});

const spatial = (rule: string) =>
  parseAnalysesConfig({ spatial: { weights: { method: 'contiguity', rule }, permutations: 0 } });

describe('analyses.spatial.weights: contiguity on the map', () => {
  it('queen and rook weights among the scored cities; queen links include the rook links', () => {
    const map = readChinaMap();
    const queen = runAnalyses(b, spatial('queen'), { skipUncertainty: true, map });
    const rook = runAnalyses(b, spatial('rook'), { skipUncertainty: true, map });
    expect(queen.errors).toEqual([]);
    expect(rook.errors).toEqual([]);
    expect(queen.spatial!.weights).toBe('queen(topology:cities)');
    expect(rook.spatial!.weights).toBe('rook(topology:cities)');
    expect(Number.isFinite(queen.spatial!.moran.I)).toBe(true);
    expect(queen.spatial!.moran.S0).toBeGreaterThanOrEqual(rook.spatial!.moran.S0);
    expect(queen.spatial!.moran.n).toBe(b.results.scores.unitCodes.length);
  });

  it('without a map, or for a unit not on it, a located error', () => {
    const none = runAnalyses(b, spatial('queen'), { skipUncertainty: true });
    expect(none.errors[0].issues[0]).toMatchObject({ code: 'E_MAP_MISSING', field: 'analyses.spatial.weights' });
    expect(() => parseAnalysesConfig({ spatial: { weights: { method: 'contiguity', rule: 'bishop' } } })).toThrow();
  });
});
