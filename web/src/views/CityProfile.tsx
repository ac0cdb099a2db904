/**
 * A city's profile: scores and ranks at every level, the rank interval of the uncertainty analysis, a
 * radar of its dimensions against its peers (same region, tier or other group), its strengths and gaps
 * (短板) against the peer mean, the lineage drill-down (index → dimension → indicator → raw value →
 * source, imputed and borrowed values marked) from the engine, and related cases.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';
import { formatRoute } from '../route.ts';
import { localText, tierName, unitName, type Lang, type Site } from '../site.ts';
import { startEngine } from '../engine-client.ts';
import type { ScoreExplanation } from '../../../src/engine/browser.ts';
import { ChartLegend, EChart, PALETTE } from '../charts.tsx';
import { ChangePanel } from './ChangePanel.tsx';
import { carry } from './Overview.tsx';

/** Mean score of `code` over the units in `peers` (published results). */
export function peerMean(site: Site, code: string, peers: readonly string[]): number | null {
  const col = site.data.results.scores[code];
  if (!col) return null;
  let s = 0,
    n = 0;
  for (const u of peers) {
    const v = col[site.rowOf.get(u) ?? -1];
    if (v !== null && v !== undefined) {
      s += v;
      n++;
    }
  }
  return n ? s / n : null;
}

/** Units sharing a group value (or tier) with `unit`, itself included. */
export function peersOf(site: Site, unit: string, key: string): string[] {
  const u = site.unitByCode.get(unit);
  if (!u) return [];
  const value = key === 'tier' ? u.tier : Object.hasOwn(u.groups, key) ? u.groups[key] : null;
  if (!value) return site.data.units.map((x) => x.code);
  const own = value.split('|');
  return site.data.units
    .filter((x) => {
      const v = key === 'tier' ? x.tier : Object.hasOwn(x.groups, key) ? x.groups[key] : null;
      return v !== null && v.split('|').some((p) => own.includes(p));
    })
    .map((x) => x.code);
}

/** Normalised indicator values of a unit against the peer mean, largest difference first. */
function indicatorDiffs(site: Site, unit: string, peers: readonly string[]) {
  const nd = site.data.normalised;
  if (!nd) return [];
  const n = nd.unitCodes.length;
  const row = nd.unitCodes.indexOf(unit);
  const peerRows = peers.map((p) => nd.unitCodes.indexOf(p)).filter((r) => r >= 0);
  const out: Array<{ code: string; value: number; mean: number; diff: number }> = [];
  nd.codes.forEach((code, c) => {
    const v = nd.values[c * n + row];
    let s = 0,
      k = 0;
    for (const r of peerRows) {
      const x = nd.values[c * n + r];
      if (x !== null) {
        s += x;
        k++;
      }
    }
    if (v !== null && k > 0) out.push({ code, value: v, mean: s / k, diff: v - s / k });
  });
  return out.sort((a, b) => b.diff - a.diff);
}

const fmt = (v: number | null | undefined, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d);

function fmtRaw(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 1 ? +v.toFixed(3) + '' : +v.toPrecision(4) + '';
}

export function CityProfile({ site, route, lang, setParams }: ViewProps) {
  const { t } = useTranslation();
  const d = site.data;
  const unit = route.unit ?? '';
  const u = site.unitByCode.get(unit);
  const peerKeys = useMemo(() => [...d.filters, ...(d.units.some((x) => x.tier) ? ['tier'] : [])], [d]);
  const peerKey = peerKeys.includes(route.params.get('peer') ?? '') ? route.params.get('peer')! : (peerKeys[0] ?? '');
  const peers = useMemo(() => (u ? peersOf(site, unit, peerKey) : []), [site, unit, peerKey, u]);
  const [lineage, setLineage] = useState<ScoreExplanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!u) return;
    let stale = false;
    setLineage(null);
    startEngine(site)
      .then((e) => e.request({ kind: 'explain', unit }))
      .then((r) => !stale && setLineage(r.value as ScoreExplanation))
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [site, unit, u]);
  if (!u) return <p role="alert">{t('city.unknown')}</p>;
  const row = site.rowOf.get(unit)!;
  const nodeName = (c: string) => localText(site.nodeByCode.get(c)?.name, lang) || c;
  const iv = d.intervals?.[unit];
  const n = d.results.units.length;
  const peerValue = peerKey === 'tier' ? tierName(d, u.tier, lang) : (u.groups[peerKey] ?? '');
  const peerLabel = peerKey ? `${t(`filter.${peerKey}`, { defaultValue: peerKey })}: ${peerValue}` : '';
  const diffs = indicatorDiffs(
    site,
    unit,
    peers.filter((p) => p !== unit),
  );
  const dims = site.weightCodes;
  const radar =
    dims.length >= 3
      ? {
          tooltip: {},
          color: PALETTE,
          radar: {
            indicator: dims.map((c) => ({
              name: nodeName(c),
              max: Math.max(100, ...d.results.scores[c].map((v) => v ?? 0)),
            })),
            radius: '60%',
          },
          series: [
            {
              type: 'radar',
              data: [
                { name: unitName(u, lang), value: dims.map((c) => d.results.scores[c][row] ?? 0) },
                {
                  name: t('city.peerMean', { group: peerLabel }),
                  value: dims.map((c) => +(peerMean(site, c, peers) ?? 0).toFixed(2)),
                },
              ],
            },
          ],
        }
      : null;
  const params = carry(route.params);
  const cases = d.cases.filter((c) => c.city === unit);
  return (
    <article className="profile">
      <p>
        <a href={formatRoute({ view: 'overview', unit: null, params })}>← {t('city.back')}</a>
      </p>
      <h1>
        {unitName(u, lang)} <span className="alt">{lang === 'zh' ? u.name.en : u.name.zh}</span>{' '}
        <span className="code">{u.code}</span>
      </h1>
      <p className="badges">
        {Object.entries(u.groups)
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <span key={k} className="badge">
              {t(`filter.${k}`, { defaultValue: k })}: {v}
            </span>
          ))}
        {u.tier ? (
          <span className="badge">
            {t('col.tier')}: {tierName(d, u.tier, lang)}
          </span>
        ) : null}
      </p>
      <p className="row">
        <a className="button" href={formatRoute({ view: 'whatif', unit, params })}>
          {t('city.whatif')}
        </a>
        <a
          className="button"
          href={formatRoute({ view: 'compare', unit: null, params: new Map([...params, ['u', unit]]) })}
        >
          {t('city.compare')}
        </a>
      </p>
      <section className="panel" aria-labelledby="scores-title">
        <h2 id="scores-title">{t('city.scores')}</h2>
        <p data-testid="interval">
          {iv ? t('city.interval', { lo: Math.round(iv.q5), hi: Math.round(iv.q95) }) : t('city.noInterval')}
        </p>
        <div className="scroll">
          <table data-testid="profile-scores">
            <thead>
              <tr>
                <th scope="col">{t('overview.code')}</th>
                <th scope="col">{t('col.score')}</th>
                <th scope="col">{t('col.rank')}</th>
              </tr>
            </thead>
            <tbody>
              {d.levels.flatMap((l) =>
                l.codes.map((c) => (
                  <tr key={c} className={`level-${l.level}`}>
                    <th scope="row">{nodeName(c)}</th>
                    <td className="num">{fmt(d.results.scores[c][row])}</td>
                    <td className="num">
                      {d.results.ranks[c][row] ?? '–'} / {n}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </section>
      {d.kpi?.units.includes(unit) ? (
        <p className="note">
          <a href={formatRoute({ view: 'kpi', unit: null, params: carry(route.params) })}>{t('kpi.link')}</a>
        </p>
      ) : null}
      <ChangePanel site={site} unit={unit} />
      <section className="panel" aria-labelledby="peers-title">
        <h2 id="peers-title">{t('city.radar')}</h2>
        {peerKeys.length ? (
          <label>
            {t('city.peers')}{' '}
            <select value={peerKey} onChange={(e) => setParams({ peer: e.target.value })}>
              {peerKeys.map((k) => (
                <option key={k} value={k}>
                  {t(`filter.${k}`, { defaultValue: k })}
                </option>
              ))}
            </select>{' '}
            ({peers.length})
          </label>
        ) : null}
        {radar ? <EChart option={radar} height={320} label={t('city.radar')} /> : null}
        {radar ? <ChartLegend names={[unitName(u, lang), t('city.peerMean', { group: peerLabel })]} /> : null}
        <div className="two">
          <div>
            <h3>{t('city.strengths')}</h3>
            <ul data-testid="strengths">
              {diffs
                .filter((x) => x.diff > 0)
                .slice(0, 3)
                .map((x) => (
                  <li key={x.code}>
                    {nodeName(x.code)}: {fmt(x.value, 1)} ({fmt(x.mean, 1)}, +{fmt(x.diff, 1)})
                  </li>
                ))}
            </ul>
          </div>
          <div>
            <h3>{t('city.gaps')}</h3>
            <ul data-testid="gaps">
              {diffs
                .filter((x) => x.diff < 0)
                .reverse()
                .slice(0, 3)
                .map((x) => (
                  <li key={x.code}>
                    {nodeName(x.code)}: {fmt(x.value, 1)} ({fmt(x.mean, 1)}, {fmt(x.diff, 1)})
                  </li>
                ))}
            </ul>
          </div>
        </div>
      </section>
      <section className="panel" aria-labelledby="lineage-title">
        <h2 id="lineage-title">{t('city.lineage')}</h2>
        {error ? <p role="alert">{t('common.error', { msg: error })}</p> : null}
        {lineage ? (
          <Lineage site={site} lineage={lineage} lang={lang} unit={unit} />
        ) : (
          <p className="note">{t('city.loading')}</p>
        )}
      </section>
      {cases.length ? (
        <section className="panel" aria-labelledby="cases-title">
          <h2 id="cases-title">{t('city.cases')}</h2>
          <ul>
            {cases.map((c) => (
              <li key={c.id}>
                {localText(c.title, lang)} ({c.year})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

/** A source for readers: its name and year (no file paths). */
export function sourceText(s: { name?: string; year?: string | number } | null | undefined): string {
  if (!s?.name) return '–';
  return s.year !== undefined ? `${s.name} (${s.year})` : s.name;
}

/** Parent chain of a node up to (not including) the root. */
function ancestors(site: Site, code: string): string[] {
  const out: string[] = [];
  let p = site.nodeByCode.get(code)?.parent ?? null;
  while (p !== null && p !== site.data.indexCode) {
    out.unshift(p);
    p = site.nodeByCode.get(p)?.parent ?? null;
  }
  return out;
}

function Lineage({ site, lineage, lang, unit }: { site: Site; lineage: ScoreExplanation; lang: Lang; unit: string }) {
  const { t } = useTranslation();
  const d = site.data;
  const row = site.rowOf.get(unit)!;
  const groups = new Map<string, ScoreExplanation['indicators']>();
  for (const ind of lineage.indicators) {
    const top = ancestors(site, ind.code)[0] ?? '';
    if (!groups.has(top)) groups.set(top, []);
    groups.get(top)!.push(ind);
  }
  const nodeName = (c: string) => localText(site.nodeByCode.get(c)?.name, lang) || c;
  return (
    <div className="lineage" data-testid="lineage">
      <p>
        {nodeName(d.indexCode)}: <strong>{fmt(lineage.score)}</strong> ({t('common.rankN', { n: lineage.rank })})
      </p>
      {[...groups].map(([dim, inds]) => (
        <details key={dim}>
          <summary>
            {nodeName(dim)}: {fmt(d.results.scores[dim]?.[row])}
          </summary>
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('whatif.indicator')}</th>
                  <th scope="col">{t('city.raw')}</th>
                  <th scope="col">{t('city.normalised')}</th>
                  <th scope="col">{t('city.contribution')}</th>
                  <th scope="col">{t('city.source')}</th>
                </tr>
              </thead>
              <tbody>
                {inds.map((ind) => {
                  const flag = site.flagOf.get(`${unit}\u0000${ind.code}`);
                  const last = ind.stages[ind.stages.length - 1];
                  const node = site.nodeByCode.get(ind.code);
                  return (
                    <tr key={ind.code}>
                      <th scope="row">{localText(ind.name, lang) || ind.code}</th>
                      <td className="num">
                        {Number.isFinite(ind.raw) ? fmtRaw(ind.raw) : <em>{t('city.missing')}</em>}
                        {node?.unit ? <span className="unit"> {node.unit}</span> : null}
                        {flag ? (
                          <mark className="flag"> {t(flag === 'imputed' ? 'city.imputed' : 'city.copied')}</mark>
                        ) : null}
                      </td>
                      <td className="num">{last ? fmt(last.value) : '–'}</td>
                      <td className="num">{fmt(ind.contribution)}</td>
                      <td className="source">{sourceText(ind.source)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </details>
      ))}
    </div>
  );
}
