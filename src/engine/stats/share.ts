/**
 * Threshold comparisons on shares of counts (data availability, non-zero share). A share k/n is compared
 * with a slack of 1e-9 — far below 1/n for any real n — so that a share exactly at the threshold passes
 * however it was rounded: COINr computes availability as `1 − nNA/n`, and 1 − 4/5 = 0.19999999999999996
 * fails a threshold of 0.2 that 1 available value of 5 meets.
 */

/** Slack for comparing a share of counts with a threshold. */
export const SHARE_SLACK = 1e-9;

/**
 * True when `share` reaches `threshold` (share ≥ threshold, up to `SHARE_SLACK`); NaN never does.
 * @example reachesShare(1 - 4 / 5, 0.2) // => true  (1 − 4/5 = 0.19999999999999996)
 * @example reachesShare(0.5, 0.6) // => false
 */
export function reachesShare(share: number, threshold: number): boolean {
  return share >= threshold - SHARE_SLACK;
}
