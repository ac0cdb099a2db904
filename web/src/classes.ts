/** Colour classes of the choropleth (quantiles, the report's palette). */

/** Sequential palette of the choropleth (as the report: low → high). */
export const SCORE_PALETTE = ['#fde0c5', '#fdae6b', '#f16913', '#c64102', '#7f2704'];
/** Fill of regions without data. */
export const NO_DATA_COLOUR = '#e4e4e4';

/**
 * Class breaks of a choropleth: k quantile classes of the values (as ECharts pieces, high first).
 * @example classPieces([1, 2, 3, 4], 2).map((p) => [p.min, p.max]) // => [[2.5, 4], [1, 2.5]]
 */
export function classPieces(values: readonly number[], k = 5): Array<{ min: number; max: number; color: string }> {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return [];
  const q = (p: number) => {
    const h = (v.length - 1) * p;
    const lo = Math.floor(h);
    return v[lo] + (h - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? v[lo]) - v[lo]);
  };
  const cuts = [v[0], ...Array.from({ length: k - 1 }, (_, i) => q((i + 1) / k)), v[v.length - 1]];
  const palette = k === SCORE_PALETTE.length ? SCORE_PALETTE : SCORE_PALETTE.slice(0, k);
  const out = [];
  for (let i = 0; i < k; i++) out.push({ min: cuts[i], max: cuts[i + 1], color: palette[i] ?? SCORE_PALETTE[4] });
  return out.reverse();
}
