/**
 * The China map's TopoJSON read from `data/maps/` (Node only; a web page fetches the same file and
 * passes it to `registerChinaMap`).
 */
import { readFileSync } from 'node:fs';
import type { Topology } from 'topojson-specification';
import { CityIndexError } from '../engine/core/errors.ts';

const MAP_URL = new URL('../../data/maps/china-cities.topo.json', import.meta.url);
let cached: Topology | undefined;

/**
 * Read (once per process) the simplified prefecture-level map of China.
 * @example
 * import { registerChinaMap } from './charts.ts';
 * registerChinaMap(readChinaMap()).length // => 368
 */
export function readChinaMap(): Topology {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(MAP_URL, 'utf8')) as Topology;
  } catch (e) {
    throw new CityIndexError({
      code: 'E_MAP_MISSING',
      message: `cannot read the China map ${MAP_URL.pathname}: ${(e as Error).message}`,
      file: MAP_URL.pathname,
      expected: 'data/maps/china-cities.topo.json (run npx tsx src/report/prepare-map.ts)',
    });
  }
  return cached;
}
