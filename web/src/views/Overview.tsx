/**
 * Overview: the ranking table at every level (sort, filter by the unit groups and tier, search by name,
 * pinyin or adcode), the dimension weight sliders (recomputed by the engine worker on every move, rank
 * change against the published ranks, reset), the China map of any score or rank (click → profile) and
 * the distribution and tier charts. All state lives in the URL.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';
import { formatRoute, formatWeights, parseWeights } from '../route.ts';
import { groupValues, inGroups, matches, rankChange, sortRows, type Row, type SortKey } from '../table.ts';
import { localText, tierName, tierOrder, unitName, type Site } from '../site.ts';
import { startEngine } from '../engine-client.ts';
import type { Ranking } from '../live.ts';
import { EChart, loadChinaMap } from '../charts.tsx';
import { NO_DATA_COLOUR, classPieces } from '../classes.ts';
import { AGGREGATE_CHOICES, NORMALISE_CHOICES, choiceOf, type LiveSettings } from '../choices.ts';
import { AdvancedPanel } from './AdvancedPanel.tsx';
import { RegionalPanel } from './RegionalPanel.tsx';

/** Published weights of the slider level (from the live input's framework). */
export function publishedWeights(site: Site): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of site.data.live.input.framework.nodes) if (site.weightCodes.includes(n.code)) m.set(n.code, n.weight);
  return m;
}

/** Published weights of the indicators (level 1), when the sliders are on a higher level. */
export function publishedIndicatorWeights(site: Site): Map<string, number> {
  const m = new Map<string, number>();
  if (site.weightLevel === null || site.weightLevel <= 1) return m;
  for (const n of site.data.live.input.framework.nodes) if (n.level === 1) m.set(n.code, n.weight);
  return m;
}

/**
 * Live ranking for the settings in the URL: `w` (slider weights), `iw` (indicator weights), `norm` and
 * `agg` (method choices); `live` is null while they are the published ones.
 */
export function useLiveRanking(site: Site, p: ReadonlyMap<string, string>) {
  const published = useMemo(() => publishedWeights(site), [site]);
  const indicatorPublished = useMemo(() => publishedIndicatorWeights(site), [site]);
  const wParam = p.get('w');
  const iwParam = p.get('iw');
  const normalise = choiceOf(p.get('norm'), NORMALISE_CHOICES);
  const aggregate = choiceOf(p.get('agg'), AGGREGATE_CHOICES);
  const weights = useMemo(() => {
    const w = new Map(published);
    for (const [c, v] of parseWeights(wParam, site.weightCodes)) w.set(c, v);
    return w;
  }, [published, wParam, site]);
  const indicators = useMemo(() => {
    const w = new Map(indicatorPublished);
    for (const [c, v] of parseWeights(iwParam, [...indicatorPublished.keys()])) w.set(c, v);
    return w;
  }, [indicatorPublished, iwParam]);
  const changedIndicators = [...indicators].filter(([c, v]) => indicatorPublished.get(c) !== v);
  const modified =
    formatWeights(weights, published) !== '' || changedIndicators.length > 0 || !!normalise || !!aggregate;
  const settings: LiveSettings | null = modified
    ? {
        weights: Object.fromEntries(weights),
        ...(changedIndicators.length ? { indicators: Object.fromEntries(changedIndicators) } : {}),
        ...(normalise ? { normalise } : {}),
        ...(aggregate ? { aggregate } : {}),
      }
    : null;
  const key = JSON.stringify(settings);
  const [live, setLive] = useState<{ ranking: Ranking; ms: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!settings) {
      setLive(null);
      setError(null);
      return;
    }
    let stale = false;
    setBusy(true);
    startEngine(site)
      .then((engine) => engine.reweight(settings))
      .then((res) => {
        if (stale || !res) return;
        setLive({ ranking: res.value as Ranking, ms: res.ms ?? 0 });
        setBusy(false);
        setError(null);
      })
      .catch((e: Error) => {
        if (!stale) {
          setError(e.message);
          setBusy(false);
        }
      });
    return () => {
      stale = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key is the serialised settings (a new object each render)
  }, [key, site]);
  return {
    published,
    weights,
    indicators,
    indicatorPublished,
    normalise,
    aggregate,
    settings,
    modified,
    live: modified ? live : null,
    busy,
    error,
  };
}

function rowsFor(site: Site, code: string, live: Ranking | null): Row[] {
  const d = site.data;
  const pubScores = d.results.scores[code] ?? [];
  const pubRanks = d.results.ranks[code] ?? [];
  const liveIdx = live ? new Map(live.units.map((u, i) => [u, i] as const)) : null;
  return d.results.units.map((code_, i) => {
    const unit = site.unitByCode.get(code_)!;
    const j = liveIdx?.get(code_);
    const iv = code === d.indexCode && d.intervals ? (d.intervals[code_] ?? null) : null;
    return {
      unit,
      score: live && j !== undefined ? (live.scores[code]?.[j] ?? null) : (pubScores[i] ?? null),
      rank: live && j !== undefined ? (live.ranks[code]?.[j] ?? null) : (pubRanks[i] ?? null),
      published: pubRanks[i] ?? null,
      interval: iv ? { q5: iv.q5, q95: iv.q95 } : null,
    };
  });
}

const fmt = (v: number | null, digits = 2) => (v === null ? '–' : v.toFixed(digits));

/** Rows animate to their new place when ranks change (FLIP), unless the reader prefers less motion. */
function useRowAnimation(tbody: React.RefObject<HTMLTableSectionElement | null>, order: string) {
  const last = useRef(new Map<string, number>());
  useLayoutEffect(() => {
    const el = tbody.current;
    if (!el) return;
    const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const now = new Map<string, number>();
    for (const tr of Array.from(el.rows)) now.set(tr.dataset.unit ?? '', tr.offsetTop);
    if (!reduce) {
      for (const tr of Array.from(el.rows)) {
        const before = last.current.get(tr.dataset.unit ?? '');
        const after = now.get(tr.dataset.unit ?? '')!;
        if (before === undefined || before === after) continue;
        tr.style.transition = 'none';
        tr.style.transform = `translateY(${before - after}px)`;
        requestAnimationFrame(() => {
          tr.style.transition = 'transform 300ms ease-out';
          tr.style.transform = '';
        });
      }
    }
    last.current = now;
  }, [order, tbody]);
}

export function Overview({ site, route, lang, setParams, navigate }: ViewProps) {
  const { t } = useTranslation();
  const d = site.data;
  const p = route.params;
  const code = site.aggregateCodes.includes(p.get('code') ?? '') ? p.get('code')! : d.indexCode;
  const level = d.levels.find((l) => l.codes.includes(code))!;
  const sortKey: SortKey = (['rank', 'name', 'score', 'change'] as const).find((k) => k === p.get('sort')) ?? 'rank';
  const dir = p.get('dir') === 'desc' ? 'desc' : 'asc';
  const query = p.get('q') ?? '';
  const metric = p.get('metric') === 'rank' ? 'rank' : 'score';
  const filterKeys = useMemo(() => [...d.filters, ...(d.units.some((u) => u.tier) ? ['tier'] : [])], [d]);
  const selected = useMemo(() => {
    const m = new Map<string, string>();
    for (const k of filterKeys) {
      const v = p.get(`f.${k}`);
      if (v) m.set(k, v);
    }
    return m;
  }, [filterKeys, p]);
  const {
    published,
    weights,
    indicators,
    indicatorPublished,
    normalise,
    aggregate,
    settings,
    modified,
    live,
    busy,
    error,
  } = useLiveRanking(site, p);

  const all = useMemo(() => rowsFor(site, code, live?.ranking ?? null), [site, code, live]);
  const rows = useMemo(
    () =>
      sortRows(
        all.filter((r) => inGroups(r.unit, selected) && matches(r.unit, query)),
        sortKey,
        dir,
        lang,
      ),
    [all, selected, query, sortKey, dir, lang],
  );
  const tbody = useRef<HTMLTableSectionElement>(null);
  useRowAnimation(tbody, rows.map((r) => r.unit.code).join());

  const nodeName = (c: string) => localText(site.nodeByCode.get(c)?.name, lang) || c;
  const profileHref = (u: string) => formatRoute({ view: 'city', unit: u, params: carry(p) });
  const setSort = (k: SortKey) =>
    setParams({ sort: k === 'rank' ? null : k, dir: k === sortKey && dir === 'asc' ? 'desc' : null });
  const sortButton = (k: SortKey, label: string) => (
    <button type="button" className="sort" onClick={() => setSort(k)} aria-label={t('sort.by', { col: label })}>
      {label}
      {sortKey === k ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
    </button>
  );
  const ariaSort = (k: SortKey) => (sortKey === k ? (dir === 'asc' ? 'ascending' : 'descending') : undefined);
  const total = weightsTotal(weights);

  return (
    <div className="overview">
      <section className="panel controls" aria-labelledby="rank-title">
        <h1 id="rank-title">{t('overview.title')}</h1>
        <div className="row">
          <label>
            {t('overview.level')}
            <select
              value={level.level}
              onChange={(e) => {
                const l = d.levels.find((x) => x.level === Number(e.target.value))!;
                setParams({ code: l.codes[0] === d.indexCode ? null : l.codes[0] }, 'push');
              }}
            >
              {d.levels.map((l) => (
                <option key={l.level} value={l.level}>
                  {localText(l.name, lang)}
                </option>
              ))}
            </select>
          </label>
          {level.codes.length > 1 ? (
            <label>
              {t('overview.code')}
              <select value={code} onChange={(e) => setParams({ code: e.target.value }, 'push')}>
                {level.codes.map((c) => (
                  <option key={c} value={c}>
                    {nodeName(c)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label className="search">
            <span className="visually-hidden">{t('overview.search')}</span>
            <input
              type="search"
              value={query}
              placeholder={t('overview.search')}
              onChange={(e) => setParams({ q: e.target.value })}
            />
          </label>
        </div>
        <div className="row filters">
          {filterKeys.map((k) => (
            <label key={k}>
              {t(`filter.${k}`, { defaultValue: k })}
              <select value={selected.get(k) ?? ''} onChange={(e) => setParams({ [`f.${k}`]: e.target.value }, 'push')}>
                <option value="">{t('overview.all')}</option>
                {(k === 'tier' ? tierOrder(d) : groupValues(d.units, k)).map((v) => (
                  <option key={v} value={v}>
                    {k === 'tier' ? tierName(d, v, lang) : v}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      </section>

      {site.weightCodes.length > 1 ? (
        <section className="panel weights" aria-labelledby="w-title">
          <h2 id="w-title">{t('weights.title')}</h2>
          <p className="note">{t('weights.intro')}</p>
          {site.weightCodes.map((c) => {
            const w = weights.get(c) ?? 0;
            return (
              <div className="slider" key={c}>
                <label htmlFor={`w-${c}`}>{nodeName(c)}</label>
                <input
                  id={`w-${c}`}
                  type="range"
                  min={0}
                  max={5}
                  step={0.1}
                  value={w}
                  aria-label={t('weights.weight', { name: nodeName(c) })}
                  aria-valuetext={`${w.toFixed(1)} (${t('weights.share', { pct: share(w, total) })})`}
                  onChange={(e) => {
                    const next = new Map(weights);
                    next.set(c, Number(e.target.value));
                    setParams({ w: formatWeights(next, published) || null });
                  }}
                />
                <output htmlFor={`w-${c}`}>{w.toFixed(1)}</output>
              </div>
            );
          })}
          <AdvancedPanel
            site={site}
            lang={lang}
            indicators={indicators}
            published={indicatorPublished}
            normalise={normalise}
            aggregate={aggregate}
            setParams={setParams}
          />
          <div className="row">
            <button
              type="button"
              onClick={() => setParams({ w: null, iw: null, norm: null, agg: null }, 'push')}
              disabled={!modified}
            >
              {t('weights.reset')}
            </button>
            <span className="status" role="status" aria-live="polite">
              {error
                ? t('common.error', { msg: error })
                : busy && !live
                  ? t('weights.computing')
                  : modified
                    ? `${t('weights.modified')}${live ? ' · ' + t('weights.time', { ms: live.ms.toFixed(1) }) : ''}`
                    : t('weights.published')}
            </span>
          </div>
        </section>
      ) : null}

      <section className="panel table-wrap" aria-labelledby="table-caption">
        <p id="table-caption" className="note" role="status">
          {t('overview.shown', { n: rows.length, total: all.length })}
        </p>
        <div className="scroll">
          <table className="ranking" data-testid="ranking">
            <caption className="visually-hidden">
              {nodeName(code)} — {t('overview.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col" aria-sort={ariaSort('rank')}>
                  {sortButton('rank', t('col.rank'))}
                </th>
                {modified ? (
                  <th scope="col" aria-sort={ariaSort('change')}>
                    {sortButton('change', t('col.change'))}
                  </th>
                ) : null}
                <th scope="col" aria-sort={ariaSort('name')}>
                  {sortButton('name', t('col.name'))}
                </th>
                <th scope="col" aria-sort={ariaSort('score')}>
                  {sortButton('score', t('col.score'))}
                </th>
                {code === d.indexCode && d.intervals ? <th scope="col">{t('col.interval')}</th> : null}
                {d.units.some((u) => u.tier) ? <th scope="col">{t('col.tier')}</th> : null}
              </tr>
            </thead>
            <tbody ref={tbody}>
              {rows.map((r) => {
                const ch = rankChange(r);
                return (
                  <tr key={r.unit.code} data-unit={r.unit.code}>
                    <td className="num rank">{r.rank ?? '–'}</td>
                    {modified ? (
                      <td className={`num change ${ch && ch > 0 ? 'up' : ch && ch < 0 ? 'down' : ''}`}>
                        {ch === null || ch === 0 ? '–' : ch > 0 ? `▲${ch}` : `▼${-ch}`}
                      </td>
                    ) : null}
                    <td>
                      <a href={profileHref(r.unit.code)}>{unitName(r.unit, lang)}</a>
                      {lang === 'en' && r.unit.name.zh ? (
                        <span className="alt" lang="zh-CN">
                          {' '}
                          {r.unit.name.zh}
                        </span>
                      ) : null}
                    </td>
                    <td className="num score">{fmt(r.score)}</td>
                    {code === d.indexCode && d.intervals ? (
                      <td className="num">
                        {r.interval ? `${Math.round(r.interval.q5)}–${Math.round(r.interval.q95)}` : '–'}
                      </td>
                    ) : null}
                    {d.units.some((u) => u.tier) ? <td>{r.unit.tier ? tierName(d, r.unit.tier, lang) : '–'}</td> : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="note">{t('overview.noResults')}</p> : null}
        </div>
      </section>

      <MapPanel
        site={site}
        rows={all}
        code={code}
        metric={metric}
        lang={lang}
        title={nodeName(code)}
        onMetric={(m) => setParams({ metric: m === 'score' ? null : m }, 'push')}
        onPick={(u) => navigate({ view: 'city', unit: u, params: carry(p) })}
        highlight={rows.length < all.length ? new Set(rows.map((r) => r.unit.code)) : null}
      />
      <DistributionPanel site={site} rows={all} lang={lang} />
      <RegionalPanel
        site={site}
        lang={lang}
        settings={settings}
        grouping={p.get('rg') ?? null}
        onGrouping={(g) => setParams({ rg: g }, 'push')}
      />
    </div>
  );
}

const share = (w: number, total: number) => (total > 0 ? ((100 * w) / total).toFixed(0) : '0');

function weightsTotal(w: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const v of w.values()) s += v;
  return s;
}

/** Parameters that follow the reader to other views (language, weights). */
export function carry(p: ReadonlyMap<string, string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const k of ['lang', 'w', 'iw', 'norm', 'agg']) {
    const v = p.get(k);
    if (v) m.set(k, v);
  }
  return m;
}

function MapPanel(props: {
  site: Site;
  rows: Row[];
  code: string;
  metric: 'score' | 'rank';
  lang: 'zh' | 'en';
  title: string;
  highlight: Set<string> | null;
  onMetric(m: 'score' | 'rank'): void;
  onPick(u: string): void;
}) {
  const { t } = useTranslation();
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { rows, metric, lang, highlight } = props;
  const hasMap = props.site.data.units.some((u) => /^[0-9]{6}$/.test(u.code));
  useEffect(() => {
    if (!hasMap) return;
    loadChinaMap().then(
      () => setReady(true),
      (e: Error) => setFailed(e.message),
    );
  }, [hasMap]);
  const option = useMemo(() => {
    const data = rows
      .filter((r) => (metric === 'rank' ? r.rank : r.score) !== null)
      .map((r) => ({
        name: r.unit.code,
        value: metric === 'rank' ? r.rank : Math.round((r.score as number) * 100) / 100,
        label: unitName(r.unit, lang),
        ...(highlight && !highlight.has(r.unit.code) ? { itemStyle: { opacity: 0.25 } } : {}),
      }));
    const values = data.map((x) => x.value as number);
    const pieces = classPieces(values);
    if (metric === 'rank') {
      // rank 1 darkest
      const cols = pieces.map((p) => p.color);
      pieces.forEach((p, i) => (p.color = cols[cols.length - 1 - i]));
    }
    const names = new Map(data.map((x) => [x.name, x.label] as const));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) =>
          names.has(p.name) ? `${names.get(p.name)}: ${Number.isFinite(p.value) ? p.value : '–'}` : '',
      },
      visualMap: {
        type: 'piecewise',
        left: 8,
        bottom: 8,
        pieces: pieces.map((p) => ({ min: p.min, max: p.max, color: p.color })),
        textStyle: { fontSize: 11 },
        outOfRange: { color: NO_DATA_COLOUR },
      },
      series: [
        {
          type: 'map',
          map: 'china',
          nameProperty: 'adcode',
          roam: false,
          selectedMode: false,
          itemStyle: { areaColor: NO_DATA_COLOUR, borderColor: '#ffffff', borderWidth: 0.3 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: '#2b6cb0' } },
          data,
        },
      ],
    };
  }, [rows, metric, lang, highlight]);
  if (!hasMap) return null;
  return (
    <section className="panel map" aria-labelledby="map-title">
      <h2 id="map-title">
        {t('overview.map')} · {props.title}
      </h2>
      <div className="row">
        <fieldset className="metric">
          <legend>{t('overview.metric')}</legend>
          {(['score', 'rank'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="metric" checked={metric === m} onChange={() => props.onMetric(m)} />
              {t(m === 'score' ? 'overview.metricScore' : 'overview.metricRank')}
            </label>
          ))}
        </fieldset>
        <span className="note">{t('overview.mapHint')}</span>
      </div>
      {failed ? (
        <p role="alert">{t('common.error', { msg: failed })}</p>
      ) : ready ? (
        <EChart
          option={option}
          height={460}
          label={`${t('overview.map')} · ${props.title}`}
          onClick={(n) => /^[0-9]{6}$/.test(n) && rows.some((r) => r.unit.code === n) && props.onPick(n)}
          testId="map"
        />
      ) : (
        <p className="note">{t('overview.mapLoading')}</p>
      )}
      <p className="map-note">{props.site.data.mapNote[lang]}</p>
    </section>
  );
}

function DistributionPanel({ site, rows, lang }: { site: Site; rows: Row[]; lang: 'zh' | 'en' }) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    const v = rows.map((r) => r.score).filter((x): x is number => x !== null);
    if (!v.length) return null;
    const lo = Math.floor(Math.min(...v) / 10) * 10;
    const hi = Math.max(lo + 10, Math.ceil(Math.max(...v) / 10) * 10);
    const bins = Math.max(1, Math.round((hi - lo) / 10));
    const width = (hi - lo) / bins;
    const counts = new Array(bins).fill(0);
    for (const x of v) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
    return {
      grid: { left: 40, right: 10, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: counts.map((_, i) => `${+(lo + i * width).toFixed(1)}–${+(lo + (i + 1) * width).toFixed(1)}`),
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: counts, itemStyle: { color: '#c64102' } }],
    };
  }, [rows]);
  const tierOption = useMemo(() => {
    const counts = new Map<string, number>();
    for (const r of rows) if (r.unit.tier) counts.set(r.unit.tier, (counts.get(r.unit.tier) ?? 0) + 1);
    if (!counts.size) return null;
    const labels = tierOrder(site.data).filter((l) => counts.has(l));
    return {
      grid: { left: 40, right: 10, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels.map((l) => tierName(site.data, l, lang)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: labels.map((l) => counts.get(l)), itemStyle: { color: '#2f4554' } }],
    };
  }, [rows, site, lang]);
  return (
    <section className="panel charts" aria-labelledby="dist-title">
      <h2 id="dist-title">{t('overview.distribution')}</h2>
      {option ? <EChart option={option} height={220} label={t('overview.distribution')} /> : null}
      {tierOption ? (
        <>
          <h2>{t('overview.tiers')}</h2>
          <EChart option={tierOption} height={220} label={t('overview.tiers')} />
        </>
      ) : null}
    </section>
  );
}
