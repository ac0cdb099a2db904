/**
 * Spatial weights: who is a neighbour of whom, and how much. Stored as a sparse matrix in compressed
 * sparse row (CSR) form over typed arrays, so the statistics and their permutation loops never allocate:
 * row i's neighbours are `neighbors[offsets[i] .. offsets[i+1])` with weights at the same positions,
 * sorted by column index (one canonical form, so equal matrices compare equal).
 *
 * Builders follow libpysal (`KNN`, `DistanceBand`, `DistanceBand(binary=False, alpha)`, contiguity, GAL
 * files); distances between cities are great-circle (haversine) distances on city points, as METHODS.md
 * §4.5 asks for the 100-city set, which is not contiguous.
 */
import { neighbors as topologyNeighbors } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { unitAttribute, type Unit } from '../../core/framework.ts';

/** How the weights were transformed: as built (`original`), every link 1 (`binary`), rows summing to 1 (`row`). */
export type WeightsTransform = 'original' | 'binary' | 'row';

/** Sparse spatial weights (CSR). Treat as immutable. */
export interface SpatialWeights {
  /** Unit codes in row order (the order the data must be in). */
  readonly ids: readonly string[];
  /** Row pointers, length n + 1. */
  readonly offsets: Int32Array;
  /** Column (neighbour) indices, sorted within each row. */
  readonly neighbors: Int32Array;
  /** Weight of each link, aligned with `neighbors`. */
  readonly weights: Float64Array;
  readonly transform: WeightsTransform;
  /** How the weights were made, e.g. `knn(k=6, greatCircle)`; recorded in results. */
  readonly description: string;
}

/** A point: [lon, lat] in degrees for `greatCircle`, [x, y] for `euclidean`. */
export type Point = readonly [number, number];

/** `greatCircle`: haversine distance in km on a sphere of radius 6371.0088 km; `euclidean`: plane distance. */
export type DistanceMetric = 'greatCircle' | 'euclidean';

/** Mean Earth radius (IUGG R1 = (2a + b)/3 of WGS 84), in km. */
export const EARTH_RADIUS_KM = 6371.0088;

const DEG = Math.PI / 180;

/**
 * Great-circle distance in km by the haversine formula, R = 6371.0088 km (Sinnott 1984; the mean
 * radius that scikit-learn/geopy use).
 * @example greatCircleDistance(120.1551, 30.2741, 121.4737, 31.2304) // => 164.87443778570… (杭州 → 上海, km)
 */
export function greatCircleDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const s1 = Math.sin(((lat2 - lat1) * DEG) / 2);
  const s2 = Math.sin(((lon2 - lon1) * DEG) / 2);
  const h = s1 * s1 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function checkPoints(ids: readonly string[], points: readonly Point[], metric: DistanceMetric): void {
  const issues: Issue[] = [];
  if (ids.length !== points.length) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `spatial weights: ${ids.length} ids but ${points.length} points`,
      expected: 'one point per id',
    });
  }
  assertUniqueIds(ids);
  points.forEach((p, i) => {
    const [a, b] = p;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      issues.push({
        code: 'E_COORDINATE',
        message: `coordinates of unit "${ids[i]}" are missing or not numbers`,
        unit: ids[i],
        field: 'lon/lat',
        expected: 'two finite numbers',
      });
    } else if (metric === 'greatCircle' && (Math.abs(b) > 90 || Math.abs(a) > 360)) {
      issues.push({
        code: 'E_COORDINATE',
        message: `coordinates of unit "${ids[i]}" are not [lon, lat] in degrees: [${a}, ${b}]`,
        unit: ids[i],
        field: 'lon/lat',
        expected: 'lon in [−180, 360], lat in [−90, 90]',
      });
    }
  });
  if (issues.length) throw new CityIndexError(issues);
}

function assertUniqueIds(ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      throw new CityIndexError({
        code: 'E_DUPLICATE',
        message: `spatial weights: duplicate unit id "${id}"`,
        unit: id,
      });
    seen.add(id);
  }
}

/**
 * Full n×n distance matrix (row-major Float64Array), zero on the diagonal.
 * @example distanceMatrix([[0, 0], [3, 4]], 'euclidean')[1] // => 5
 */
export function distanceMatrix(points: readonly Point[], metric: DistanceMetric = 'greatCircle'): Float64Array {
  const n = points.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const [xi, yi] = points[i];
    for (let j = i + 1; j < n; j++) {
      const [xj, yj] = points[j];
      let v: number;
      switch (metric) {
        case 'greatCircle':
          v = greatCircleDistance(xi, yi, xj, yj);
          break;
        case 'euclidean':
          v = Math.hypot(xj - xi, yj - yi);
          break;
        default:
          throw new CityIndexError({
            code: 'E_METHOD',
            message: `unknown distance metric "${String(metric)}"`,
            expected: 'greatCircle | euclidean',
          });
      }
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return d;
}

/**
 * Build weights from per-row lists of [column, weight] (the internal constructor every builder uses):
 * rows are sorted by column; self-links and duplicate links are errors.
 */
export function weightsFromRows(
  ids: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  description: string,
  transform: WeightsTransform = 'original',
): SpatialWeights {
  const n = ids.length;
  if (rows.length !== n)
    throw new CityIndexError({ code: 'E_SHAPE', message: `spatial weights: ${n} ids but ${rows.length} rows` });
  assertUniqueIds(ids);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + rows[i].length;
  const neighbors = new Int32Array(offsets[n]);
  const weights = new Float64Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    const row = [...rows[i]].sort((a, b) => a[0] - b[0]);
    let p = offsets[i];
    for (let k = 0; k < row.length; k++) {
      const [j, wij] = row[k];
      if (!Number.isInteger(j) || j < 0 || j >= n)
        throw new CityIndexError({
          code: 'E_NEIGHBOUR',
          message: `spatial weights: unit "${ids[i]}" has a neighbour index ${j} outside 0..${n - 1}`,
          unit: ids[i],
        });
      if (j === i)
        throw new CityIndexError({
          code: 'E_SELF_NEIGHBOUR',
          message: `spatial weights: unit "${ids[i]}" is listed as its own neighbour`,
          unit: ids[i],
          expected: 'no self-links (Gi* adds the self-weight itself)',
        });
      if (k > 0 && row[k - 1][0] === j)
        throw new CityIndexError({
          code: 'E_DUPLICATE',
          message: `spatial weights: unit "${ids[i]}" lists neighbour "${ids[j]}" twice`,
          unit: ids[i],
        });
      if (!Number.isFinite(wij) || wij < 0)
        throw new CityIndexError({
          code: 'E_WEIGHT',
          message: `spatial weights: link "${ids[i]}" → "${ids[j]}" has weight ${wij}`,
          unit: ids[i],
          expected: 'a finite weight ≥ 0',
        });
      neighbors[p] = j;
      weights[p] = wij;
      p++;
    }
  }
  return { ids: [...ids], offsets, neighbors, weights, transform, description };
}

/** Options of `knnWeights`. */
export interface KnnOptions {
  /** Number of neighbours per unit (1 ≤ k < n). */
  k: number;
  /** Default `greatCircle` (points are [lon, lat]). */
  metric?: DistanceMetric;
}

/**
 * k-nearest-neighbour weights (binary, generally asymmetric), as libpysal `KNN`.
 * Tie rule (deterministic, documented): candidates are ordered by (distance, row index), so among
 * neighbours at exactly the same distance the one that comes first in `ids` is taken; a unit never
 * gets more than k neighbours. (libpysal's KD-tree breaks ties in an unspecified order.)
 * @example
 * knnWeights(['a','b','c'], [[0,0],[1,0],[3,0]], { k: 1, metric: 'euclidean' }).neighbors // => Int32Array [1, 0, 1]
 */
export function knnWeights(ids: readonly string[], points: readonly Point[], options: KnnOptions): SpatialWeights {
  const metric = options.metric ?? 'greatCircle';
  const k = options.k;
  checkPoints(ids, points, metric);
  const n = ids.length;
  if (!Number.isInteger(k) || k < 1 || k >= n) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `knnWeights: k = ${k} is not possible with ${n} units`,
      field: 'k',
      expected: `an integer from 1 to ${n - 1}`,
    });
  }
  const d = distanceMatrix(points, metric);
  const order = new Int32Array(n - 1);
  const rows: Array<Array<[number, number]>> = [];
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i) order[m++] = j;
    const base = i * n;
    order.sort((a, b) => d[base + a] - d[base + b] || a - b);
    const row: Array<[number, number]> = [];
    for (let t = 0; t < k; t++) row.push([order[t], 1]);
    rows.push(row);
  }
  return weightsFromRows(ids, rows, `knn(k=${k}, ${metric})`, 'binary');
}

/** Options of `distanceBandWeights`. */
export interface DistanceBandOptions {
  /** Units within this distance (inclusive, d ≤ threshold; km for `greatCircle`) are neighbours. */
  threshold: number;
  metric?: DistanceMetric;
  /**
   * Default false: a unit with no neighbour within the band is an error that names it and the smallest threshold
   * without islands.
   */
  allowIslands?: boolean;
}

/**
 * Binary distance-band weights (libpysal `DistanceBand(binary=True)`): w_ij = 1 when d_ij ≤ threshold.
 * @example
 * distanceBandWeights(['a','b','c'], [[0,0],[1,0],[2,0]], { threshold: 1, metric: 'euclidean' }).offsets
 * // => Int32Array [0, 1, 3, 4]
 */
export function distanceBandWeights(
  ids: readonly string[],
  points: readonly Point[],
  options: DistanceBandOptions,
): SpatialWeights {
  const metric = options.metric ?? 'greatCircle';
  checkPoints(ids, points, metric);
  const t = options.threshold;
  if (!(t > 0) || !Number.isFinite(t))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `distanceBandWeights: threshold ${t} must be a positive number`,
      field: 'threshold',
    });
  const n = ids.length;
  const d = distanceMatrix(points, metric);
  const rows: Array<Array<[number, number]>> = [];
  for (let i = 0; i < n; i++) {
    const row: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) if (j !== i && d[i * n + j] <= t) row.push([j, 1]);
    rows.push(row);
  }
  const w = weightsFromRows(ids, rows, `distanceBand(threshold=${t}, ${metric})`, 'binary');
  if (!options.allowIslands)
    assertNoIslands(
      w,
      `the distance band ${t} leaves these units without neighbours; ` +
        `the smallest threshold without islands is ${minThresholdWithoutIslands(points, metric)}`,
    );
  return w;
}

/**
 * The smallest distance-band threshold that leaves no island: the largest nearest-neighbour distance.
 * @example minThresholdWithoutIslands([[0,0],[1,0],[5,0]], 'euclidean') // => 4
 */
export function minThresholdWithoutIslands(points: readonly Point[], metric: DistanceMetric = 'greatCircle'): number {
  const n = points.length;
  const d = distanceMatrix(points, metric);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && d[i * n + j] < best) best = d[i * n + j];
    if (best > worst) worst = best;
  }
  return worst;
}

/** Options of `inverseDistanceWeights`. */
export interface InverseDistanceOptions {
  /** Distance-decay exponent α in w_ij = d_ij^−α; default 1. */
  alpha?: number;
  /** Optional cut-off: pairs farther apart than this get no link (default: all pairs linked). */
  cutoff?: number;
  metric?: DistanceMetric;
  /** Default false: with a cut-off, a unit left without neighbours is an error. */
  allowIslands?: boolean;
}

/**
 * Inverse-distance weights w_ij = d_ij^−α (libpysal `DistanceBand(binary=False, alpha=−α)`), optionally
 * only within a cut-off. Coincident points (d = 0) are an error.
 * @example
 * inverseDistanceWeights(['a','b'], [[0,0],[2,0]], { alpha: 2, metric: 'euclidean' }).weights
 * // => Float64Array [0.25, 0.25]
 */
export function inverseDistanceWeights(
  ids: readonly string[],
  points: readonly Point[],
  options: InverseDistanceOptions = {},
): SpatialWeights {
  const metric = options.metric ?? 'greatCircle';
  const alpha = options.alpha ?? 1;
  const cutoff = options.cutoff ?? Infinity;
  checkPoints(ids, points, metric);
  if (!(alpha > 0) || !Number.isFinite(alpha))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `inverseDistanceWeights: alpha ${alpha} must be a positive number`,
      field: 'alpha',
    });
  if (!(cutoff > 0))
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `inverseDistanceWeights: cutoff ${cutoff} must be positive`,
      field: 'cutoff',
    });
  const n = ids.length;
  const d = distanceMatrix(points, metric);
  const rows: Array<Array<[number, number]>> = [];
  for (let i = 0; i < n; i++) {
    const row: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dij = d[i * n + j];
      if (dij === 0)
        throw new CityIndexError({
          code: 'E_COORDINATE',
          message: `inverseDistanceWeights: units "${ids[i]}" and "${ids[j]}" have the same coordinates`,
          unit: ids[i],
          expected: 'distinct points',
        });
      if (dij <= cutoff) row.push([j, Math.pow(dij, -alpha)]);
    }
    rows.push(row);
  }
  const cut = Number.isFinite(cutoff) ? `, cutoff=${cutoff}` : '';
  const w = weightsFromRows(ids, rows, `inverseDistance(alpha=${alpha}${cut}, ${metric})`, 'original');
  if (!options.allowIslands) assertNoIslands(w, `the cut-off ${cutoff} leaves these units without neighbours`);
  return w;
}

/**
 * Contiguity (or any given adjacency) from neighbour lists keyed by unit id: binary weights.
 * Unknown ids are errors. With `symmetrize` a link i→j also adds j→i.
 * @example fromNeighborLists(['a','b'], { a: ['b'], b: ['a'] }).neighbors // => Int32Array [1, 0]
 */
export function fromNeighborLists(
  ids: readonly string[],
  lists: Readonly<Record<string, readonly string[]>>,
  options: { symmetrize?: boolean; description?: string } = {},
): SpatialWeights {
  assertUniqueIds(ids);
  const index = new Map(ids.map((id, i) => [id, i] as const));
  const sets = ids.map(() => new Set<number>());
  const issues: Issue[] = [];
  for (const [id, nbs] of Object.entries(lists)) {
    const i = index.get(id);
    if (i === undefined) {
      issues.push({ code: 'E_UNKNOWN_UNIT', message: `neighbour list for unknown unit "${id}"`, unit: id });
      continue;
    }
    for (const nb of nbs) {
      const j = index.get(nb);
      if (j === undefined) {
        issues.push({ code: 'E_UNKNOWN_UNIT', message: `unit "${id}" lists unknown neighbour "${nb}"`, unit: id });
        continue;
      }
      sets[i].add(j);
      if (options.symmetrize) sets[j].add(i);
    }
  }
  if (issues.length) throw new CityIndexError(issues);
  return weightsFromRows(
    ids,
    sets.map((s) => [...s].map((j) => [j, 1] as [number, number])),
    options.description ?? 'contiguity(neighbour lists)',
    'binary',
  );
}

/**
 * Contiguity on a regular rows × cols lattice (libpysal `lat2W`), cells numbered row by row from 0,
 * ids `"0"`, `"1"`, …; `rook` (default) links edge neighbours, `queen` also diagonal ones.
 * @example latticeWeights(2, 2).neighbors // => Int32Array [1, 2, 0, 3, 0, 3, 1, 2]
 */
export function latticeWeights(
  rows: number,
  cols: number,
  options: { contiguity?: 'rook' | 'queen' } = {},
): SpatialWeights {
  const contiguity = options.contiguity ?? 'rook';
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `latticeWeights: ${rows} × ${cols} is not a lattice`,
      expected: 'positive whole numbers',
    });
  }
  let steps: Array<[number, number]>;
  switch (contiguity) {
    case 'rook':
      steps = [
        [-1, 0],
        [0, -1],
        [0, 1],
        [1, 0],
      ];
      break;
    case 'queen':
      steps = [
        [-1, -1],
        [-1, 0],
        [-1, 1],
        [0, -1],
        [0, 1],
        [1, -1],
        [1, 0],
        [1, 1],
      ];
      break;
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown contiguity "${String(contiguity)}"`,
        expected: 'rook | queen',
      });
  }
  const ids: string[] = [];
  const out: Array<Array<[number, number]>> = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      ids.push(String(r * cols + c));
      const row: Array<[number, number]> = [];
      for (const [dr, dc] of steps) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) row.push([rr * cols + cc, 1]);
      }
      out.push(row);
    }
  }
  return weightsFromRows(ids, out, `lattice(${rows}×${cols}, ${contiguity})`, 'binary');
}

/**
 * Parse a GAL contiguity file (GeoDa / libpysal): header `n` or `0 n name idVariable`, then for each unit
 * a line `id k` followed by a line of its k neighbour ids. Ids keep the file's order (as libpysal's
 * `id_order`); use `alignWeights` to put them in the data's order.
 * @example parseGal('2\n1 1\n2\n2 1\n1\n').ids // => ['1', '2']
 */
export function parseGal(text: string, file = 'GAL'): SpatialWeights {
  const lines = text
    .split(/\r?\n/)
    .map((l, k) => ({ tokens: l.trim().split(/\s+/).filter(Boolean), row: k + 1 }))
    .filter((l) => l.tokens.length > 0);
  if (lines.length === 0) throw new CityIndexError({ code: 'E_GAL', message: 'empty GAL file', file });
  const head = lines[0].tokens;
  const n = Number(head.length >= 2 ? head[1] : head[0]);
  if (!Number.isInteger(n) || n < 0)
    throw new CityIndexError({
      code: 'E_GAL',
      message: `GAL header "${head.join(' ')}" does not give the number of units`,
      file,
      row: lines[0].row,
      expected: '"n" or "0 n name idVariable"',
    });
  const ids: string[] = [];
  const lists: Record<string, string[]> = Object.create(null);
  let p = 1;
  for (let u = 0; u < n; u++) {
    const line = lines[p];
    if (!line) throw new CityIndexError({ code: 'E_GAL', message: `GAL file ends after ${u} of ${n} units`, file });
    const [id, kText] = line.tokens;
    const k = Number(kText);
    if (line.tokens.length !== 2 || !Number.isInteger(k) || k < 0)
      throw new CityIndexError({
        code: 'E_GAL',
        message: `expected "id k" (unit id and neighbour count), found "${line.tokens.join(' ')}"`,
        file,
        row: line.row,
      });
    p++;
    let nbs: string[] = [];
    if (k > 0) {
      const nbLine = lines[p];
      if (!nbLine || nbLine.tokens.length !== k)
        throw new CityIndexError({
          code: 'E_GAL',
          message: `unit "${id}" should list ${k} neighbours, found ${nbLine ? nbLine.tokens.length : 0}`,
          file,
          row: nbLine?.row ?? line.row + 1,
          unit: id,
        });
      nbs = nbLine.tokens;
      p++;
    }
    if (lists[id])
      throw new CityIndexError({ code: 'E_GAL', message: `unit "${id}" appears twice`, file, row: line.row, unit: id });
    ids.push(id);
    lists[id] = nbs;
  }
  return fromNeighborLists(ids, lists, { description: `contiguity(${file})` });
}

/**
 * Reorder weights to a given id order (the data's row order). Both must hold the same ids.
 * @example alignWeights(parseGal('2\n1 1\n2\n2 1\n1\n'), ['2', '1']).ids // => ['2', '1']
 */
export function alignWeights(w: SpatialWeights, ids: readonly string[]): SpatialWeights {
  const n = w.ids.length;
  const newIndex = new Map(ids.map((id, i) => [id, i] as const));
  const missing = w.ids.filter((id) => !newIndex.has(id));
  const extra = ids.filter((id) => !w.ids.includes(id));
  if (ids.length !== n || missing.length || extra.length) {
    throw new CityIndexError({
      code: 'E_UNITS_MISMATCH',
      message:
        'spatial weights and data have different units ' +
        `(only in weights: ${missing.slice(0, 10).join(', ') || 'none'}; ` +
        `only in data: ${extra.slice(0, 10).join(', ') || 'none'})`,
    });
  }
  const rows: Array<Array<[number, number]>> = ids.map(() => []);
  for (let i = 0; i < n; i++) {
    const ni = newIndex.get(w.ids[i])!;
    for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++)
      rows[ni].push([newIndex.get(w.ids[w.neighbors[p]])!, w.weights[p]]);
  }
  return weightsFromRows(ids, rows, w.description, w.transform);
}

/** Arc indices of a polygon geometry (Polygon or MultiPolygon; other types have none). */
function polygonArcs(g: GeometryCollection['geometries'][number]): number[] {
  const out: number[] = [];
  const ring = (r: readonly number[]) => r.forEach((a) => out.push(a < 0 ? ~a : a));
  if (g.type === 'Polygon') g.arcs.forEach(ring);
  else if (g.type === 'MultiPolygon') g.arcs.forEach((poly) => poly.forEach(ring));
  return out;
}

/**
 * Queen neighbours of the geometries: those sharing any arc vertex. Arcs of a quantised topology are
 * delta-encoded; positions are compared after decoding, before the transform (exact integers).
 */
function queenNeighbors(topology: Topology, geoms: GeometryCollection['geometries']): number[][] {
  const quantised = topology.transform !== undefined;
  const arcVertices = topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map((pt) => {
      if (quantised) {
        x += pt[0];
        y += pt[1];
      } else {
        x = pt[0];
        y = pt[1];
      }
      return `${x},${y}`;
    });
  });
  const byVertex = new Map<string, Set<number>>();
  geoms.forEach((g, gi) => {
    for (const a of polygonArcs(g)) {
      for (const key of arcVertices[a] ?? []) {
        const set = byVertex.get(key);
        if (set) set.add(gi);
        else byVertex.set(key, new Set([gi]));
      }
    }
  });
  const nbs = geoms.map(() => new Set<number>());
  for (const set of byVertex.values()) {
    if (set.size < 2) continue;
    for (const i of set) for (const j of set) if (i !== j) nbs[i].add(j);
  }
  return nbs.map((s) => [...s].sort((a, b) => a - b));
}

/**
 * Contiguity from a TopoJSON topology. `rule: 'rook'` (default): two units are neighbours when their
 * polygons share an arc (topojson-client `neighbors()`), so polygons touching at a single point are not.
 * `rule: 'queen'`: they are neighbours when their boundaries share any vertex (libpysal `Queen`: a shared
 * point is enough), compared on the topology's own (quantised) coordinates. Ids come from each
 * geometry's `id`, or from `properties[idProperty]`.
 * @example
 * // two unit squares sharing the edge x = 1 (arc 0)
 * const topology = { type: 'Topology' as const, arcs: [[[1, 0], [1, 1]], [[1, 1], [0, 1], [0, 0], [1, 0]],
 *   [[1, 0], [2, 0], [2, 1], [1, 1]]], objects: { cities: { type: 'GeometryCollection' as const, geometries: [
 *   { type: 'Polygon' as const, arcs: [[0, 1]], properties: { adcode: 'a' } },
 *   { type: 'Polygon' as const, arcs: [[-1, 2]], properties: { adcode: 'b' } }] } } };
 * const w = contiguityFromTopology(topology as never, 'cities', { idProperty: 'adcode' });
 * w.description // => 'rook(topology:cities)'
 * w.neighbors // => Int32Array [1, 0]
 */
export function contiguityFromTopology(
  topology: Topology,
  objectName: string,
  options: { idProperty?: string; rule?: 'rook' | 'queen' } = {},
): SpatialWeights {
  const rule = options.rule ?? 'rook';
  if (rule !== 'rook' && rule !== 'queen')
    throw new CityIndexError({
      code: 'E_OPTION',
      message: `contiguity rule "${String(rule)}"`,
      field: 'rule',
      expected: 'rook | queen',
    });
  const obj = topology.objects[objectName];
  if (!obj || obj.type !== 'GeometryCollection') {
    throw new CityIndexError({
      code: 'E_TOPOLOGY',
      message: `the topology has no geometry collection "${objectName}"`,
      field: 'objects',
      expected: Object.keys(topology.objects).join(', '),
    });
  }
  const geoms = (obj as GeometryCollection).geometries;
  const ids = geoms.map((g, i) => {
    const props = (g.properties ?? {}) as Record<string, unknown>;
    const raw = options.idProperty ? props[options.idProperty] : g.id;
    if (raw === undefined || raw === null) {
      throw new CityIndexError({
        code: 'E_TOPOLOGY',
        message:
          `geometry ${i} of "${objectName}" has no ` + (options.idProperty ? `property "${options.idProperty}"` : 'id'),
        field: options.idProperty ?? 'id',
      });
    }
    return String(raw);
  });
  // topojson-client lists a geometry as its own neighbour when two of its parts share an arc: dropped
  const nbs =
    rule === 'rook'
      ? topologyNeighbors(geoms).map((row, i) => row.filter((j) => j !== i))
      : queenNeighbors(topology, geoms);
  return weightsFromRows(
    ids,
    nbs.map((row) => row.map((j) => [j, 1] as [number, number])),
    `${rule}(topology:${objectName})`,
    'binary',
  );
}

/**
 * Transform weights (libpysal `w.transform`): `row` divides each row by its sum (rows without
 * neighbours stay empty), `binary` sets every link to 1, `original` returns the weights unchanged.
 * @example
 * transformWeights(fromNeighborLists(['a','b','c'], { a: ['b','c'], b: ['a'], c: ['a'] }), 'row').weights
 * // => Float64Array [0.5, 0.5, 1, 1]
 */
export function transformWeights(w: SpatialWeights, transform: WeightsTransform): SpatialWeights {
  const n = w.ids.length;
  const out = new Float64Array(w.weights.length);
  switch (transform) {
    case 'original':
      return w;
    case 'binary':
      out.fill(1);
      break;
    case 'row':
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++) s += w.weights[p];
        for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++) out[p] = s > 0 ? w.weights[p] / s : 0;
      }
      break;
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown weights transform "${String(transform)}"`,
        expected: 'original | binary | row',
      });
  }
  return { ...w, weights: out, transform };
}

/** Number of neighbours of each unit (libpysal `cardinalities`). */
export function cardinalities(w: SpatialWeights): Int32Array {
  const n = w.ids.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = w.offsets[i + 1] - w.offsets[i];
  return out;
}

/** Row indices of units without neighbours (libpysal `islands`). */
export function findIslands(w: SpatialWeights): number[] {
  const out: number[] = [];
  for (let i = 0; i < w.ids.length; i++) if (w.offsets[i + 1] === w.offsets[i]) out.push(i);
  return out;
}

function assertNoIslands(w: SpatialWeights, message: string): void {
  const isl = findIslands(w);
  if (isl.length) {
    throw new CityIndexError(
      isl.map((i) => ({
        code: 'E_ISLAND',
        message: `unit "${w.ids[i]}" has no neighbours: ${message}`,
        unit: w.ids[i],
      })),
    );
  }
}

/** The sums S0, S1, S2 that the analytic moments of Moran's I and Geary's C need. */
export interface WeightSums {
  /** S0 = ΣΣ w_ij. */
  S0: number;
  /** S1 = ½ ΣΣ (w_ij + w_ji)². */
  S1: number;
  /** S2 = Σ_i (w_i· + w_·i)². */
  S2: number;
}

/**
 * S0, S1, S2 (Cliff & Ord 1981; libpysal `w.s0`, `w.s1`, `w.s2`), exact for asymmetric weights.
 * @example weightSums(fromNeighborLists(['a','b'], { a: ['b'], b: ['a'] })) // => { S0: 2, S1: 4, S2: 8 }
 */
export function weightSums(w: SpatialWeights): WeightSums {
  const n = w.ids.length;
  const t = transposeCsr(w);
  const rowSum = new Float64Array(n);
  const colSum = new Float64Array(n);
  let S0 = 0;
  let S1 = 0;
  for (let i = 0; i < n; i++) {
    // merge row i of W with row i of Wᵀ (both sorted by column)
    let p = w.offsets[i];
    const pe = w.offsets[i + 1];
    let q = t.offsets[i];
    const qe = t.offsets[i + 1];
    while (p < pe || q < qe) {
      const cp = p < pe ? w.neighbors[p] : n;
      const cq = q < qe ? t.neighbors[q] : n;
      let s: number;
      if (cp === cq) {
        s = w.weights[p++] + t.weights[q++];
      } else if (cp < cq) {
        s = w.weights[p++];
      } else {
        s = t.weights[q++];
      }
      S1 += s * s;
    }
    for (let k = w.offsets[i]; k < pe; k++) {
      const v = w.weights[k];
      S0 += v;
      rowSum[i] += v;
      colSum[w.neighbors[k]] += v;
    }
  }
  let S2 = 0;
  for (let i = 0; i < n; i++) S2 += (rowSum[i] + colSum[i]) ** 2;
  return { S0, S1: S1 / 2, S2 };
}

function transposeCsr(w: SpatialWeights): { offsets: Int32Array; neighbors: Int32Array; weights: Float64Array } {
  const n = w.ids.length;
  const nnz = w.neighbors.length;
  const offsets = new Int32Array(n + 1);
  for (let p = 0; p < nnz; p++) offsets[w.neighbors[p] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const neighbors = new Int32Array(nnz);
  const weights = new Float64Array(nnz);
  for (let i = 0; i < n; i++) {
    for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++) {
      const j = w.neighbors[p];
      const pos = fill[j]++;
      neighbors[pos] = i;
      weights[pos] = w.weights[p];
    }
  }
  return { offsets, neighbors, weights };
}

/**
 * Spatial lag (Wy)_i = Σ_j w_ij y_j, written into `out` (no allocation when `out` is given).
 * @example spatialLag(fromNeighborLists(['a','b'], { a: ['b'], b: ['a'] }), [1, 5]) // => Float64Array [5, 1]
 */
export function spatialLag(
  w: SpatialWeights,
  y: ArrayLike<number>,
  out: Float64Array = new Float64Array(w.ids.length),
): Float64Array {
  const n = w.ids.length;
  const { offsets, neighbors, weights } = w;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = offsets[i]; p < offsets[i + 1]; p++) s += weights[p] * y[neighbors[p]];
    out[i] = s;
  }
  return out;
}

/**
 * Dense n×n copy (row-major), for tests and small displays.
 * @example toDense(fromNeighborLists(['a','b'], { a: ['b'] })) // => Float64Array [0, 1, 0, 0]
 */
export function toDense(w: SpatialWeights): Float64Array {
  const n = w.ids.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++) out[i * n + w.neighbors[p]] = w.weights[p];
  return out;
}

/** Point-based weights as named data (for build specs and the dashboard), resolved by `buildPointWeights`. */
export type PointWeightsSpec =
  | ({ method: 'knn' } & KnnOptions)
  | ({ method: 'distanceBand' } & DistanceBandOptions)
  | ({ method: 'inverseDistance' } & InverseDistanceOptions);

/**
 * Build point weights from a spec: one exhaustive switch over the method names.
 * @example
 * const lonLat = [[120.16, 30.27], [121.47, 31.23], [118.8, 32.06]] as const; // 杭州, 上海, 南京
 * buildPointWeights(['330100', '310100', '320100'], lonLat, { method: 'knn', k: 1 }).description
 * // => 'knn(k=1, greatCircle)'
 */
export function buildPointWeights(
  ids: readonly string[],
  points: readonly Point[],
  spec: PointWeightsSpec,
): SpatialWeights {
  switch (spec.method) {
    case 'knn':
      return knnWeights(ids, points, spec);
    case 'distanceBand':
      return distanceBandWeights(ids, points, spec);
    case 'inverseDistance':
      return inverseDistanceWeights(ids, points, spec);
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown spatial weights method "${String((spec as { method: unknown }).method)}"`,
        field: 'method',
        expected: 'knn | distanceBand | inverseDistance',
      });
  }
}

/**
 * Ids and [lon, lat] points of units, from `attributes.lon` / `attributes.lat` (or other attribute names).
 * Units without coordinates are errors that name them (drop them first, e.g. 三沙 in the admin table).
 * @example
 * pointsFromUnits([{ code: '330100', name: { zh: '杭州' }, groups: {}, attributes: { lon: 120.15, lat: 30.29 } }]).points
 * // => [[120.15, 30.29]]
 */
export function pointsFromUnits(
  units: readonly Unit[],
  options: { lon?: string; lat?: string } = {},
): { ids: string[]; points: Point[] } {
  const lonKey = options.lon ?? 'lon';
  const latKey = options.lat ?? 'lat';
  const issues: Issue[] = [];
  const points: Point[] = units.map((u) => {
    const lon = unitAttribute(u, lonKey);
    const lat = unitAttribute(u, latKey);
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      issues.push({
        code: 'E_COORDINATE',
        message: `unit "${u.code}" has no coordinates`,
        unit: u.code,
        field: `${lonKey}/${latKey}`,
        expected: 'longitude and latitude in degrees',
      });
      return [NaN, NaN] as const;
    }
    return [lon, lat] as const;
  });
  if (issues.length) throw new CityIndexError(issues);
  return { ids: units.map((u) => u.code), points };
}
