/**
 * Sobol' low-discrepancy sequence (Sobol' 1967) with Joe & Kuo (2008) direction numbers, generated in
 * Gray-code order (Antonov & Saleev 1979) — the same points as SciPy `qmc.Sobol(d, scramble=False)`.
 * Up to 101 dimensions and 2³² − 1 points; 32-bit direction integers.
 */
import { CityIndexError } from '../../core/errors.ts';
import { JOE_KUO_DIRECTIONS } from './sobol-directions.ts';

/** Largest dimension supported by the embedded direction numbers. */
export const SOBOL_MAX_DIMENSION = JOE_KUO_DIRECTIONS.length + 1;

const BITS = 32;
const SCALE = 2 ** -32;

/** Direction integers V[dim*32 + k] (k = 0 … 31, bit k+1 from the top). */
function directionIntegers(d: number): Uint32Array {
  const v = new Uint32Array(d * BITS);
  for (let k = 0; k < BITS; k++) v[k] = (1 << (31 - k)) >>> 0; // dimension 1: van der Corput
  for (let dim = 1; dim < d; dim++) {
    const row = JOE_KUO_DIRECTIONS[dim - 1];
    const poly = row[0];
    const s = Math.floor(Math.log2(poly));
    const base = dim * BITS;
    for (let k = 0; k < s; k++) v[base + k] = (row[1 + k] << (31 - k)) >>> 0;
    for (let k = s; k < BITS; k++) {
      let x = v[base + k - s] ^ (v[base + k - s] >>> s);
      for (let j = 1; j < s; j++) if ((poly >>> (s - j)) & 1) x ^= v[base + k - j];
      v[base + k] = x >>> 0;
    }
  }
  return v;
}

/**
 * Points `skip … skip + n − 1` of the d-dimensional Sobol' sequence, row-major (`out[r*d + j]`), in [0, 1).
 * Point 0 is the origin; Saltelli designs skip it (`skip = 1`, the default).
 * @example sobolPoints(5, 1) // => Float64Array [0.5, 0.75, 0.25, 0.375, 0.875]
 */
export function sobolPoints(n: number, d: number, skip = 1): Float64Array {
  if (!Number.isInteger(d) || d < 1 || d > SOBOL_MAX_DIMENSION) {
    throw new CityIndexError({
      code: 'E_SOBOL_DIMENSION',
      message: `Sobol' sequence: dimension ${d} is not supported`,
      field: 'dimension',
      expected: `1 … ${SOBOL_MAX_DIMENSION}`,
    });
  }
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(skip) || skip < 0 || n + skip > 2 ** 32 - 1) {
    throw new CityIndexError({
      code: 'E_SOBOL_POINTS',
      message: `Sobol' sequence: ${n} points after ${skip} skipped are not available`,
      field: 'N',
      expected: 'a whole number, at most 2^32 − 1 points in all',
    });
  }
  const v = directionIntegers(d);
  const x = new Uint32Array(d);
  const out = new Float64Array(n * d);
  const total = skip + n;
  for (let i = 0; i < total; i++) {
    if (i >= skip) for (let j = 0; j < d; j++) out[(i - skip) * d + j] = x[j] * SCALE;
    // next point: flip the direction integer of the lowest zero bit of i
    let c = 0;
    let t = i;
    while (t & 1) {
      t = Math.floor(t / 2);
      c++;
    }
    for (let j = 0; j < d; j++) x[j] = (x[j] ^ v[j * BITS + c]) >>> 0;
  }
  return out;
}
