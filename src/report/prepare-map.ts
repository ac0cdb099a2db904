/**
 * Prepare the report's China map: decode the prefecture-level `china-cities.json` shipped in
 * echarts@4.9.0 (ECharts' "UTF8Encoding" compressed polygons), re-key each feature to today's adcode
 * through `data/sources/admin_divisions/prefecture_level_divisions.csv` (`echarts4_map_id`), repair the
 * ring structure (ECharts 4 stores islands as extra rings of one polygon), add the 钓鱼岛 polygon that
 * ECharts adds to 台湾 at run time, then simplify with topojson-simplify and write a quantised TopoJSON.
 *
 * Deterministic: the same input gives the same bytes. Run it again when the source or the settings change:
 *   npx tsx src/report/prepare-map.ts            # writes data/maps/china-cities.topo.json
 *   npx tsx src/report/prepare-map.ts --check    # exits 1 when the committed file is stale
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { topology } from 'topojson-server';
import { presimplify, simplify, filter, filterWeight } from 'topojson-simplify';
import { feature } from 'topojson-client';
import type { GeometryObject, Topology } from 'topojson-specification';

/** Settings of the simplification (documented in data/maps/PROVENANCE.md). */
export const MAP_SETTINGS = {
  /**
   * Visvalingam–Whyatt: drop points whose effective triangle area is below this many square degrees
   * (about 0.0005 deg² ≈ 5 km² at 30°N; one pixel of an 800-px-wide map of China is about 8 km).
   */
  minWeight: 0.001,
  /** Drop rings (islands) whose planar area is below this many square degrees (holes are kept). */
  minRingArea: 0.002,
  /** Final quantisation of the written file. */
  outputQuantization: 1e4,
} as const;

type Ring = Array<[number, number]>;

interface EncodedFeature {
  id: string;
  properties: { name: string; cp?: [number, number] };
  geometry: {
    type: 'Polygon' | 'MultiPolygon';
    coordinates: string[] | string[][];
    encodeOffsets: Array<[number, number]> | Array<Array<[number, number]>>;
  };
}

/** ECharts 4 `decodePolygon`: zig-zag delta-encoded character pairs, scale 1024. */
function decodeRing(encoded: string, offset: [number, number], scale: number): Ring {
  const out: Ring = [];
  let px = offset[0],
    py = offset[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += px;
    y += py;
    px = x;
    py = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

function pointInRing(p: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i],
      [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function close(r: Ring): Ring {
  const a = r[0],
    b = r[r.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? r : [...r, [a[0], a[1]]];
}

function signedArea(r: Ring): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return s / 2;
}

/** GeoJSON orientation (RFC 7946): exterior counter-clockwise, holes clockwise. */
function orient(r: Ring, exterior: boolean): Ring {
  const ccw = signedArea(r) > 0;
  return ccw === exterior ? r : [...r].reverse();
}

/**
 * Rings of one ECharts polygon → GeoJSON polygons: the first ring is an exterior; another ring is a
 * hole of it when its first vertex lies inside the first ring, otherwise a separate part (an island).
 */
function ringsToPolygons(rings: Ring[]): Ring[][] {
  const [first, ...rest] = rings.map(close).filter((r) => r.length >= 4);
  if (!first) return [];
  const main: Ring[] = [orient(first, true)];
  const parts: Ring[][] = [main];
  for (const r of rest) {
    if (pointInRing(r[0], first)) main.push(orient(r, false));
    else parts.push([orient(r, true)]);
  }
  return parts;
}

/** The 钓鱼岛 polygon ECharts adds to the region 台湾 of the map `china` (echarts/src/coord/geo/fix/diaoyuIsland.ts). */
const DIAOYU: Ring = [
  [123.45165252685547, 25.73527164402261],
  [123.49731445312499, 25.73527164402261],
  [123.49731445312499, 25.750734064600884],
  [123.45165252685547, 25.750734064600884],
  [123.45165252685547, 25.73527164402261],
];

export interface PreparedMap {
  topology: Topology;
  /** Features re-keyed from an ECharts 4 id to a current adcode. */
  rekeyed: Array<{ from: string; to: string; name: string }>;
  features: number;
}

/**
 * Decode, re-key, repair and simplify the ECharts 4 city map.
 * @example
 * import { readFileSync } from 'node:fs';
 * const source = JSON.parse(readFileSync('node_modules/echarts4/map/json/china-cities.json', 'utf8'));
 * const divisions = readFileSync('data/sources/admin_divisions/prefecture_level_divisions.csv', 'utf8');
 * prepareMap(source, divisions).features // => 367
 */
export function prepareMap(
  source: { features: EncodedFeature[]; UTF8Encoding?: boolean; UTF8Scale?: number },
  divisionsCsv: string,
): PreparedMap {
  const scale = source.UTF8Scale ?? 1024;
  const rows = parse(divisionsCsv, { columns: true, skip_empty_lines: true, bom: true }) as Array<
    Record<string, string>
  >;
  const toAdcode = new Map<string, string>();
  for (const r of rows) if (r.echarts4_map_id) toAdcode.set(r.echarts4_map_id, r.adcode);
  const rekeyed: PreparedMap['rekeyed'] = [];
  const features = source.features.map((f) => {
    const g = f.geometry;
    const rawPolys: Ring[][] =
      g.type === 'Polygon'
        ? [
            (g.coordinates as string[]).map((s, k) =>
              decodeRing(s, (g.encodeOffsets as Array<[number, number]>)[k], scale),
            ),
          ]
        : (g.coordinates as string[][]).map((poly, p) =>
            poly.map((s, k) => decodeRing(s, (g.encodeOffsets as Array<Array<[number, number]>>)[p][k], scale)),
          );
    const polys = rawPolys.flatMap(ringsToPolygons);
    if (f.id === '710000') polys.push([orient(DIAOYU, true)]);
    const adcode = toAdcode.get(f.id) ?? f.id;
    if (adcode !== f.id) rekeyed.push({ from: f.id, to: adcode, name: f.properties.name });
    return {
      type: 'Feature' as const,
      properties: { adcode, name: f.properties.name, ...(f.properties.cp ? { cp: f.properties.cp } : {}) },
      geometry:
        polys.length === 1
          ? { type: 'Polygon' as const, coordinates: polys[0] }
          : { type: 'MultiPolygon' as const, coordinates: polys },
    };
  });
  // The ECharts 4 polygons do not share their boundary vertices consistently (neighbours agree on some
  // vertices and not others), so one topology of all features falls apart into ~20 000 two-point arcs
  // that cannot be simplified. Simplify each feature on its own (unquantised, planar areas in degrees),
  // then build the shared topology of the simplified features for compact storage.
  const simplified = features.map((f) => {
    type Topo = Parameters<typeof presimplify>[0];
    let t = topology({ f } as Record<string, GeoJSON.GeoJsonObject>) as unknown as Topo;
    t = simplify(presimplify(t), MAP_SETTINGS.minWeight);
    t = filter(t, filterWeight(t, MAP_SETTINGS.minRingArea)) as unknown as Topo;
    const g = feature(t as unknown as Topology, t.objects.f as unknown as GeometryObject) as unknown as GeoJSON.Feature;
    return { ...f, geometry: g.geometry };
  });
  const fc = { type: 'FeatureCollection' as const, features: simplified };
  const topo = topology({ cities: fc } as Record<string, GeoJSON.GeoJsonObject>, MAP_SETTINGS.outputQuantization);
  return { topology: topo, rekeyed, features: features.length };
}

/** Round arc deltas are already integers after quantisation; this strips presimplify's z values. */
function serialise(t: Topology): string {
  return JSON.stringify(t, (_k, v: unknown) =>
    Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number') ? v.slice(0, 2) : v,
  );
}

async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const source = JSON.parse(readFileSync(join(root, 'node_modules/echarts4/map/json/china-cities.json'), 'utf8'));
  const divisions = readFileSync(join(root, 'data/sources/admin_divisions/prefecture_level_divisions.csv'), 'utf8');
  const { topology: topo, rekeyed, features } = prepareMap(source, divisions);
  const text = serialise(topo) + '\n';
  const out = join(root, 'data/maps/china-cities.topo.json');
  if (process.argv.includes('--check')) {
    let old = '';
    try {
      old = readFileSync(out, 'utf8');
    } catch {
      /* missing */
    }
    if (old !== text) {
      process.stderr.write(`${out} is stale: run npx tsx src/report/prepare-map.ts\n`);
      process.exit(1);
    }
    process.stderr.write('map is up to date\n');
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const rekeyedList = rekeyed.map((r) => `${r.name} ${r.from}→${r.to}`).join(', ');
  const size = `${(text.length / 1024).toFixed(0)} KiB`;
  process.stderr.write(`wrote ${out}: ${features} features, ${size}; re-keyed ${rekeyed.length}: ${rekeyedList}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
