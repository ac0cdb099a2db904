/**
 * A unit's gaps (短板): the dimensions and indicators where one unit lies furthest below its peers.
 * Peers are the other units of a unit group (e.g. the same `region`), the k units nearest in index
 * score, or all other units. For every element the gap is peer mean − unit value in normalised points
 * (positive = below the peers), also divided by the peers' standard deviation, weighted by the
 * element's effective weight (its share of the index gap under arithmetic aggregation), and — for
 * indicators — in the indicator's own units, from a dataset before normalisation.
 */
import { CityIndexError } from '../../core/errors.ts';
import { column, type Dataset } from '../../core/dataset.ts';
import { unitGroup, type FrameworkNode, type Unit } from '../../core/framework.ts';
import type { Build } from '../../pipeline/build.ts';
import { stepDataset } from '../../pipeline/build.ts';
import { effectiveWeights } from '../../pipeline/ranks.ts';
import { mean, rankDescending, sd } from '../../stats/descriptive.ts';
import { aggregationContext } from '../audit/reaggregate.ts';

/** Who the unit is compared with. */
export type PeerSpec =
  /** Units sharing a value of a unit-group column (`a|b` memberships: any shared value). */
  | { by: 'group'; field: string }
  /** The k units closest in score on `code` (default the index); ties broken by build order. */
  | { by: 'nearest'; k: number; code?: string }
  /** Every other unit. */
  | { by: 'all' };

export interface GapsOptions {
  unit: string;
  /** Default `{ by: 'all' }`. */
  peers?: PeerSpec;
  /**
   * Step id (or `raw`) giving the values in the indicators' own units (default: the dataset entering the first
   * treat/normalise step).
   */
  rawStep?: string;
}

/** The gap of one element. */
export interface Gap {
  code: string;
  level: number;
  parent: string | null;
  /** Unit's normalised score. */
  value: number;
  peerMean: number;
  /** Peer mean − value (positive: below the peers). NaN when the unit or every peer is missing. */
  gap: number;
  /** gap / peer standard deviation (NaN when the sd is 0 or undefined). */
  standardisedGap: number;
  /** gap × effective weight: the part of the index gap this element accounts for under arithmetic means. */
  weightedGap: number;
  effectiveWeight: number;
  /** The unit's rank among itself and its peers (1 = best). */
  rankAmongPeers: number;
  /**
   * Indicators only: the same in the indicator's own units (`rawGap` = peer mean − unit value; with `direction` −1 a
   * negative gap is a shortfall).
   */
  raw?: { value: number; peerMean: number; gap: number; direction: 1 | -1; unit?: string };
}

export interface GapsResult {
  unit: string;
  peers: string[];
  peerSpec: PeerSpec;
  rawStep: string;
  /** The index row. */
  index: Gap;
  /** Aggregates below the index, largest gap first. */
  dimensions: Gap[];
  /** Indicators, largest gap first. */
  indicators: Gap[];
}

/**
 * The peers of a unit (never the unit itself).
 * @example selectPeers(asem.build, 'CHN', { by: 'nearest', k: 3 }) // => ['PAK', 'LAO', 'KAZ'] (closest index scores)
 */
export function selectPeers(build: Build, unit: string, spec: PeerSpec): string[] {
  const scores = build.results.scores;
  const i = scores.unitCodes.indexOf(unit);
  if (i < 0)
    throw new CityIndexError({
      code: 'E_UNKNOWN_UNIT',
      message: `unit "${unit}" is not in the build`,
      unit,
      field: 'unit',
      expected: 'a unit code of the build',
    });
  switch (spec.by) {
    case 'all':
      return scores.unitCodes.filter((u) => u !== unit);
    case 'group': {
      const units = new Map<string, Unit>(build.input.units.map((u) => [u.code, u] as const));
      const own = unitGroup(units.get(unit), spec.field);
      if (own === undefined)
        throw new CityIndexError({
          code: 'E_UNKNOWN_GROUP',
          message: `no unit-group column "${spec.field}"`,
          unit,
          field: 'peers.field',
          expected: `one of: ${Object.keys(units.get(unit)?.groups ?? {}).join(', ')}`,
        });
      if (own === null || own === '')
        throw new CityIndexError({
          code: 'E_NO_GROUP',
          message: `unit "${unit}" has no value in group column "${spec.field}"`,
          unit,
          field: 'peers.field',
          expected: 'a unit with a group',
        });
      const mine = new Set(own.split('|'));
      const peers = scores.unitCodes.filter(
        (u) => u !== unit && (unitGroup(units.get(u), spec.field) ?? '').split('|').some((g) => mine.has(g)),
      );
      if (!peers.length)
        throw new CityIndexError({
          code: 'E_NO_PEERS',
          message: `no other unit shares "${spec.field}" = ${own} with "${unit}"`,
          unit,
          field: 'peers.field',
          expected: 'a group with at least two units',
        });
      return peers;
    }
    case 'nearest': {
      const code = spec.code ?? build.results.indexCode;
      const x = column(scores, code);
      if (!Number.isInteger(spec.k) || spec.k < 1)
        throw new CityIndexError({
          code: 'E_OPTION',
          message: `peers.k must be a whole number ≥ 1, got ${String(spec.k)}`,
          field: 'peers.k',
          expected: '≥ 1',
        });
      if (Number.isNaN(x[i]))
        throw new CityIndexError({
          code: 'E_MISSING',
          message: `unit "${unit}" has no score on "${code}"`,
          unit,
          indicator: code,
        });
      const others = scores.unitCodes
        .map((u, r) => ({ u, d: Math.abs(x[r] - x[i]), r }))
        .filter((o) => o.r !== i && !Number.isNaN(o.d));
      others.sort((p, q) => p.d - q.d || p.r - q.r);
      return others.slice(0, spec.k).map((o) => o.u);
    }
    default: {
      const never: never = spec;
      throw new CityIndexError({
        code: 'E_OPTION',
        message: `unknown peer selection "${(never as { by: string }).by}"`,
        field: 'peers.by',
        expected: 'group | nearest | all',
      });
    }
  }
}

/** Default raw step: the dataset entering the first treat or normalise step. */
function defaultRawStep(build: Build): string {
  const k = build.steps.findIndex((s) => s.kind === 'treat' || s.kind === 'normalise');
  if (k <= 0) return 'raw';
  return build.steps[k - 1].id;
}

function valuesOf(ds: Dataset, code: string, unitCodes: readonly string[]): number[] {
  const j = ds.codes.indexOf(code);
  const n = ds.unitCodes.length;
  const row = new Map(ds.unitCodes.map((u, r) => [u, r] as const));
  return unitCodes.map((u) => {
    const r = row.get(u);
    return j < 0 || r === undefined ? NaN : ds.values[j * n + r];
  });
}

/**
 * The gaps of one unit against its peers, on every indicator and aggregate of the build.
 * @example
 * const gaps = unitGaps(asem.build, { unit: 'CHN', peers: { by: 'group', field: 'EurAsia_group' } });
 * gaps.dimensions[0] // => { code: 'ConEcFin', level: 2, gap: 22.5731047…, rankAmongPeers: 21, … }
 */
export function unitGaps(build: Build, options: GapsOptions): GapsResult {
  const peerSpec = options.peers ?? { by: 'all' };
  const unit = options.unit;
  const peers = selectPeers(build, unit, peerSpec);
  const ctx = aggregationContext(build);
  const fw = ctx.input.framework;
  const weights = effectiveWeights(fw);
  const scores = build.results.scores;
  const rawStep = options.rawStep ?? defaultRawStep(build);
  const rawData = stepDataset(build, rawStep);
  const group = [unit, ...peers];
  const gapOf = (nd: FrameworkNode): Gap => {
    const vals = valuesOf(scores, nd.code, group);
    const value = vals[0];
    const peerVals = vals.slice(1);
    const peerMean = mean(peerVals);
    const gap = peerMean - value;
    const s = sd(peerVals);
    const w = weights[nd.code] ?? NaN;
    const out: Gap = {
      code: nd.code,
      level: nd.level,
      parent: nd.parent,
      value,
      peerMean,
      gap,
      standardisedGap: s > 0 ? gap / s : NaN,
      weightedGap: gap * w,
      effectiveWeight: w,
      rankAmongPeers: rankDescending(vals)[0],
    };
    if (nd.kind === 'indicator') {
      const rv = valuesOf(rawData, nd.code, group);
      const rawPeer = mean(rv.slice(1));
      out.raw = {
        value: rv[0],
        peerMean: rawPeer,
        gap: rawPeer - rv[0],
        direction: nd.direction,
        ...(nd.unit ? { unit: nd.unit } : {}),
      };
    }
    return out;
  };
  const present = new Set(scores.codes);
  const nodes = fw.nodes.filter((nd) => present.has(nd.code));
  const byGap = (p: Gap, q: Gap): number => (Number.isNaN(q.gap) ? -1 : Number.isNaN(p.gap) ? 1 : q.gap - p.gap);
  const root = nodes.find((nd) => nd.parent === null);
  if (!root)
    throw new CityIndexError({
      code: 'E_ROOT',
      message: 'the build has no index column',
      expected: 'a framework root in the scores',
    });
  return {
    unit,
    peers,
    peerSpec,
    rawStep,
    index: gapOf(root),
    dimensions: nodes
      .filter((nd) => nd.kind === 'aggregate' && nd.parent !== null)
      .map(gapOf)
      .sort(byGap),
    indicators: nodes
      .filter((nd) => nd.kind === 'indicator')
      .map(gapOf)
      .sort(byGap),
  };
}
