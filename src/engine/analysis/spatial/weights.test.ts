import { describe, expect, it } from 'vitest';
import { topology } from 'topojson-server';
import type { FeatureCollection, Polygon } from 'geojson';
import { CityIndexError } from '../../core/errors.ts';
import {
  alignWeights,
  buildPointWeights,
  cardinalities,
  contiguityFromTopology,
  distanceBandWeights,
  distanceMatrix,
  findIslands,
  fromNeighborLists,
  greatCircleDistance,
  inverseDistanceWeights,
  knnWeights,
  minThresholdWithoutIslands,
  parseGal,
  pointsFromUnits,
  spatialLag,
  toDense,
  transformWeights,
  weightSums,
  type Point,
} from './weights.ts';

const row = (w: ReturnType<typeof knnWeights>, i: number): number[] =>
  Array.from(w.neighbors.subarray(w.offsets[i], w.offsets[i + 1]));

describe('greatCircleDistance (haversine, R = 6371.0088 km)', () => {
  it('one degree of the equator is 2πR/360 km', () => {
    expect(greatCircleDistance(0, 0, 1, 0)).toBeCloseTo((2 * Math.PI * 6371.0088) / 360, 9);
  });
  it('matches an independent Python haversine (math module) for 北京 → 上海 and 杭州 → 上海', () => {
    expect(greatCircleDistance(116.405285, 39.904989, 121.473701, 31.230416)).toBeCloseTo(1067.4699870449656, 8);
    expect(greatCircleDistance(120.1551, 30.2741, 121.4737, 31.2304)).toBeCloseTo(164.8744377857059, 8);
  });
  it('is symmetric and zero on the diagonal of the distance matrix', () => {
    const d = distanceMatrix([
      [120, 30],
      [121, 31],
      [119, 29],
    ]);
    expect(d[0]).toBe(0);
    expect(d[1]).toBe(d[3]);
  });
});

describe('knnWeights', () => {
  // a plus sign: centre 0 and four points at distance 1 (indices 1..4)
  const plus: Point[] = [
    [0, 0],
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ];
  const ids = ['c', 'e', 'n', 'w', 's'];
  it('tie rule: among equidistant candidates the lower row index wins', () => {
    const w = knnWeights(ids, plus, { k: 2, metric: 'euclidean' });
    expect(row(w, 0)).toEqual([1, 2]); // e, n, w, s all at distance 1 → e and n
    expect(row(w, 1)).toEqual([0, 2]); // c at 1; n and s both at √2 → n (index 2) beats s (index 4)
    expect(row(w, 4)).toEqual([0, 1]); // c at 1; e and w both at √2 → e (1) beats w (3)
    expect(Array.from(cardinalities(w))).toEqual([2, 2, 2, 2, 2]);
  });
  it('the rule follows the ids order, so reordering the input changes the pick deterministically', () => {
    const rev = knnWeights([...ids].reverse(), [...plus].reverse(), { k: 2, metric: 'euclidean' });
    // centre is now index 4; candidates s(0), w(1), n(2), e(3) all at 1 → s and w
    expect(row(rev, 4)).toEqual([0, 1]);
  });
  it('great-circle ties on points mirrored about a meridian are exact', () => {
    const w = knnWeights(
      ['o', 'east', 'west', 'far'],
      [
        [0, 0],
        [1, 0],
        [-1, 0],
        [5, 0],
      ],
      { k: 1 },
    );
    expect(row(w, 0)).toEqual([1]);
  });
  it('is binary and generally asymmetric', () => {
    const w = knnWeights(
      ['a', 'b', 'c'],
      [
        [0, 0],
        [1, 0],
        [3, 0],
      ],
      { k: 1, metric: 'euclidean' },
    );
    expect(Array.from(toDense(w))).toEqual([0, 1, 0, 1, 0, 0, 0, 1, 0]);
    expect(w.transform).toBe('binary');
    expect(w.description).toBe('knn(k=1, euclidean)');
  });
  it('rejects impossible k and bad coordinates with located issues', () => {
    expect(() =>
      knnWeights(
        ['a', 'b'],
        [
          [0, 0],
          [1, 1],
        ],
        { k: 2 },
      ),
    ).toThrow(/k = 2/);
    try {
      knnWeights(
        ['a', 'b', 'c'],
        [
          [0, 0],
          [Number.NaN, 1],
          [200, 95],
        ],
        { k: 1 },
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CityIndexError);
      expect((e as CityIndexError).issues.map((i) => i.unit)).toEqual(['b', 'c']);
    }
  });
});

describe('distanceBandWeights', () => {
  const pts: Point[] = [
    [0, 0],
    [1, 0],
    [2, 0],
    [10, 0],
  ];
  const ids = ['a', 'b', 'c', 'd'];
  it('links pairs within the threshold (inclusive)', () => {
    const w = distanceBandWeights(ids.slice(0, 3), pts.slice(0, 3), { threshold: 1, metric: 'euclidean' });
    expect(Array.from(w.offsets)).toEqual([0, 1, 3, 4]);
  });
  it('an island is an error naming the unit and the smallest threshold without islands', () => {
    expect(minThresholdWithoutIslands(pts, 'euclidean')).toBe(8);
    expect(() => distanceBandWeights(ids, pts, { threshold: 1.5, metric: 'euclidean' })).toThrow(
      /unit "d" has no neighbours.*smallest threshold without islands is 8/,
    );
  });
  it('with allowIslands the island is reported by findIslands and stays empty after row-standardisation', () => {
    const w = distanceBandWeights(ids, pts, { threshold: 1.5, metric: 'euclidean', allowIslands: true });
    expect(findIslands(w)).toEqual([3]);
    const r = transformWeights(w, 'row');
    expect(Array.from(r.weights)).toEqual([1, 0.5, 0.5, 1]);
  });
});

describe('inverseDistanceWeights', () => {
  it('w = d^−α, with an optional cut-off', () => {
    const pts: Point[] = [
      [0, 0],
      [2, 0],
      [5, 0],
    ];
    const w = inverseDistanceWeights(['a', 'b', 'c'], pts, { alpha: 2, metric: 'euclidean' });
    // row a: d(a,b) = 2 → 1/4, d(a,c) = 5 → 1/25
    expect(Array.from(w.weights.subarray(0, 2))).toEqual([0.25, 0.04]);
    const cut = inverseDistanceWeights(['a', 'b', 'c'], pts, { alpha: 1, cutoff: 3, metric: 'euclidean' });
    expect(Array.from(toDense(cut))).toEqual([0, 0.5, 0, 0.5, 0, 1 / 3, 0, 1 / 3, 0]);
  });
  it('coincident points are an error', () => {
    expect(() =>
      inverseDistanceWeights(
        ['a', 'b'],
        [
          [1, 1],
          [1, 1],
        ],
      ),
    ).toThrow(/same coordinates/);
  });
});

describe('parseGal / alignWeights / fromNeighborLists', () => {
  it('reads both header forms and keeps the file order', () => {
    const a = parseGal('3\n2 1\n1\n1 2\n2 3\n3 1\n1\n');
    expect(a.ids).toEqual(['2', '1', '3']);
    const b = parseGal('0 3 shp ID\n2 1\n1\n1 2\n2 3\n3 1\n1\n');
    expect(b.ids).toEqual(a.ids);
    const aligned = alignWeights(a, ['1', '2', '3']);
    expect(Array.from(toDense(aligned))).toEqual([0, 1, 1, 1, 0, 0, 1, 0, 0]);
  });
  it('a unit with 0 neighbours needs no neighbour line', () => {
    const w = parseGal('2\n1 0\n2 0\n');
    expect(findIslands(w)).toEqual([0, 1]);
  });
  it('format errors carry the file and row', () => {
    try {
      parseGal('2\n1 2\n2\n2 1\n1\n', 'bad.gal');
      expect.unreachable();
    } catch (e) {
      expect((e as CityIndexError).issues[0]).toMatchObject({ file: 'bad.gal', row: 3, unit: '1' });
    }
    expect(() => parseGal('2\n1 1\n3\n2 1\n1\n')).toThrow(/unknown neighbour "3"/);
  });
  it('alignWeights refuses different unit sets', () => {
    expect(() => alignWeights(parseGal('2\n1 1\n2\n2 1\n1\n'), ['1', '9'])).toThrow(
      /only in weights: 2; only in data: 9/,
    );
  });
  it('fromNeighborLists can symmetrise and rejects self-links', () => {
    const w = fromNeighborLists(['a', 'b', 'c'], { a: ['b'], c: ['b'] }, { symmetrize: true });
    expect(Array.from(toDense(w))).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect(() => fromNeighborLists(['a', 'b'], { a: ['a'] })).toThrow(/own neighbour/);
  });
});

describe('weightSums S0, S1, S2', () => {
  it('match the dense definitions for asymmetric inverse-distance weights', () => {
    const pts: Point[] = [
      [0, 0],
      [1, 0],
      [3, 1],
      [4, 4],
      [0, 5],
    ];
    const w = transformWeights(knnWeights(['a', 'b', 'c', 'd', 'e'], pts, { k: 2, metric: 'euclidean' }), 'row');
    const idw = inverseDistanceWeights(['a', 'b', 'c', 'd', 'e'], pts, { alpha: 1, cutoff: 4.5, metric: 'euclidean' });
    for (const x of [w, transformWeights(idw, 'row')]) {
      const n = 5;
      const d = toDense(x);
      let S0 = 0,
        S1 = 0,
        S2 = 0;
      for (let i = 0; i < n; i++) {
        let ri = 0,
          ci = 0;
        for (let j = 0; j < n; j++) {
          S0 += d[i * n + j];
          S1 += (d[i * n + j] + d[j * n + i]) ** 2;
          ri += d[i * n + j];
          ci += d[j * n + i];
        }
        S2 += (ri + ci) ** 2;
      }
      const s = weightSums(x);
      expect(s.S0).toBeCloseTo(S0, 12);
      expect(s.S1).toBeCloseTo(S1 / 2, 12);
      expect(s.S2).toBeCloseTo(S2, 12);
    }
  });
  it('symmetric pair: S0 = 2, S1 = 4, S2 = 8', () => {
    expect(weightSums(fromNeighborLists(['a', 'b'], { a: ['b'], b: ['a'] }))).toEqual({ S0: 2, S1: 4, S2: 8 });
  });
});

describe('spatialLag', () => {
  it('Wy with row-standardised weights is the neighbour mean', () => {
    const w = transformWeights(fromNeighborLists(['a', 'b', 'c'], { a: ['b', 'c'], b: ['a'], c: ['a'] }), 'row');
    expect(Array.from(spatialLag(w, [1, 4, 10]))).toEqual([7, 1, 1]);
  });
});

describe('contiguityFromTopology (rook = shared arc, queen = shared vertex)', () => {
  // 2×2 grid of unit squares: A B / C D. A–D and B–C touch only at the centre point.
  const square = (x: number, y: number, id: string): FeatureCollection<Polygon>['features'][number] => ({
    type: 'Feature',
    id,
    properties: { code: `c${id}` },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x + 1, y],
          [x + 1, y + 1],
          [x, y + 1],
          [x, y],
        ],
      ],
    },
  });
  const fc: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: [square(0, 1, 'A'), square(1, 1, 'B'), square(0, 0, 'C'), square(1, 0, 'D')],
  };
  const topo = topology({ grid: fc });
  it('edge-sharing squares are neighbours, corner-touching ones are not', () => {
    const w = contiguityFromTopology(topo, 'grid');
    expect(w.ids).toEqual(['A', 'B', 'C', 'D']);
    expect(Array.from(toDense(w))).toEqual([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0]);
  });
  it('queen: corner-touching squares are neighbours too (libpysal Queen), with or without quantisation', () => {
    const all = [0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0];
    const q = contiguityFromTopology(topo, 'grid', { rule: 'queen' });
    expect(q.description).toBe('queen(topology:grid)');
    expect(Array.from(toDense(q))).toEqual(all);
    expect(Array.from(toDense(contiguityFromTopology(topology({ grid: fc }, 1e4), 'grid', { rule: 'queen' })))).toEqual(
      all,
    );
    // a queen neighbour set always contains the rook one
    const r = contiguityFromTopology(topo, 'grid');
    expect(Array.from(toDense(r)).every((v, k) => v <= all[k])).toBe(true);
    expect(() => contiguityFromTopology(topo, 'grid', { rule: 'bishop' as never })).toThrow(/rook \| queen/);
  });
  it('ids from a property, and a clear error for an unknown object', () => {
    expect(contiguityFromTopology(topo, 'grid', { idProperty: 'code' }).ids).toEqual(['cA', 'cB', 'cC', 'cD']);
    expect(() => contiguityFromTopology(topo, 'cities')).toThrow(/no geometry collection "cities"/);
  });
});

describe('buildPointWeights / pointsFromUnits', () => {
  const units = [
    { code: '330100', name: { zh: '杭州' }, groups: {}, attributes: { lon: 120.153576, lat: 30.287459 } },
    { code: '330500', name: { zh: '湖州' }, groups: {}, attributes: { lon: 120.102398, lat: 30.867198 } },
    { code: '330400', name: { zh: '嘉兴' }, groups: {}, attributes: { lon: 120.750865, lat: 30.762653 } },
  ];
  it('reads lon/lat attributes and builds weights from a spec', () => {
    const { ids, points } = pointsFromUnits(units);
    expect(ids).toEqual(['330100', '330500', '330400']);
    const w = buildPointWeights(ids, points, { method: 'knn', k: 1 });
    // 杭州 → 湖州 64.7 km is nearer than 嘉兴 77.9 km
    expect(row(w, 0)).toEqual([1]);
    expect(buildPointWeights(ids, points, { method: 'distanceBand', threshold: 80 }).description).toBe(
      'distanceBand(threshold=80, greatCircle)',
    );
    expect(buildPointWeights(ids, points, { method: 'inverseDistance', alpha: 2 }).transform).toBe('original');
    expect(() => buildPointWeights(ids, points, { method: 'queen' } as never)).toThrow(
      /unknown spatial weights method "queen"/,
    );
  });
  it('a unit without coordinates is named', () => {
    const bad = [...units, { code: '460300', name: { zh: '三沙' }, groups: {}, attributes: { lon: null, lat: null } }];
    expect(() => pointsFromUnits(bad)).toThrow(/unit "460300" has no coordinates/);
  });
});
