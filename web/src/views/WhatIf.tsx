/**
 * What-if for one city: sliders over its raw indicator values (from the lowest to the highest value of
 * any city), recomputed by the engine worker (a full re-build with the published weights) → its new
 * scores and ranks; and the engine's smallest single-indicator improvements that lift it k places.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';
import { formatRoute } from '../route.ts';
import { localText, unitName } from '../site.ts';
import { startEngine } from '../engine-client.ts';
import type { ImproveResult } from '../../../src/engine/browser.ts';
import { carry } from './Overview.tsx';

/** Values of the `v` parameter (`CODE:1.5,…`), finite only, known codes only. */
export function parseValues(text: string | undefined, codes: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!text) return out;
  const known = new Set(codes);
  for (const part of text.split(',').slice(0, 500)) {
    const k = part.lastIndexOf(':');
    const code = part.slice(0, k);
    const v = Number(part.slice(k + 1));
    if (k > 0 && known.has(code) && part.slice(k + 1) !== '' && Number.isFinite(v)) out.set(code, v);
  }
  return out;
}

export function WhatIf({ site, route, lang, setParams }: ViewProps) {
  const { t } = useTranslation();
  const d = site.data;
  const unit = route.unit ?? '';
  const u = site.unitByCode.get(unit);
  const raw = d.live.input.raw;
  const n = raw.unitCodes.length;
  const row = raw.unitCodes.indexOf(unit);
  const codes = raw.codes;
  const ranges = useMemo(
    () =>
      codes.map((_, c) => {
        const col = raw.values.slice(c * n, (c + 1) * n).filter((v): v is number => v !== null);
        return { min: Math.min(...col), max: Math.max(...col) };
      }),
    [codes, raw, n],
  );
  const changed = parseValues(route.params.get('v') ?? undefined, codes);
  const k = Math.min(10, Math.max(1, Number(route.params.get('k')) || 1));
  const [result, setResult] = useState<{
    scores: Record<string, number | null>;
    ranks: Record<string, number | null>;
  } | null>(null);
  const [improve, setImprove] = useState<ImproveResult | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const key = route.params.get('v') ?? '';
  useEffect(() => {
    if (!u) return;
    let stale = false;
    const values = Object.fromEntries(parseValues(key, codes));
    startEngine(site)
      .then((e) => e.request({ kind: 'whatif', unit, values }))
      .then((r) => !stale && setResult(r.value as typeof result))
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [site, unit, u, key, codes]);
  useEffect(() => {
    if (!u) return;
    let stale = false;
    startEngine(site)
      .then((e) => e.request({ kind: 'improve', unit, k }))
      .then((r) => !stale && setImprove(r.value as ImproveResult | null))
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [site, unit, u, k]);
  if (!u || row < 0) return <p role="alert">{t('city.unknown')}</p>;
  const ix = d.indexCode;
  const pubRow = site.rowOf.get(unit)!;
  const nodeName = (c: string) => localText(site.nodeByCode.get(c)?.name, lang) || c;
  const setValue = (code: string, v: number | null) => {
    const next = new Map(changed);
    if (v === null) next.delete(code);
    else next.set(code, v);
    setParams({ v: [...next].map(([c, x]) => `${c}:${+x.toPrecision(6)}`).join(',') || null });
  };
  return (
    <article className="whatif">
      <p>
        <a href={formatRoute({ view: 'city', unit, params: carry(route.params) })}>← {unitName(u, lang)}</a>
      </p>
      <h1>{t('whatif.title', { name: unitName(u, lang) })}</h1>
      <p className="note">{t('whatif.intro')}</p>
      <div className="panel result" role="status" aria-live="polite" data-testid="whatif-result">
        {error ? t('common.error', { msg: error }) : null}
        <span>
          {t('whatif.newScore')}: <strong data-testid="whatif-score">{result?.scores[ix]?.toFixed(2) ?? '…'}</strong> (
          {d.results.scores[ix][pubRow]?.toFixed(2)})
        </span>{' '}
        <span>
          {t('whatif.newRank')}: <strong data-testid="whatif-rank">{result?.ranks[ix] ?? '…'}</strong> (
          {d.results.ranks[ix][pubRow]})
        </span>
        <button type="button" onClick={() => setParams({ v: null })} disabled={changed.size === 0}>
          {t('whatif.reset')}
        </button>
      </div>
      <section className="panel">
        {codes.map((code, c) => {
          const orig = raw.values[c * n + row];
          const v = changed.get(code) ?? orig;
          const { min, max } = ranges[c];
          if (!Number.isFinite(min) || !Number.isFinite(max) || min === max) return null;
          const step = (max - min) / 200;
          return (
            <div className="slider" key={code}>
              <label htmlFor={`v-${code}`}>
                {nodeName(code)}
                {orig === null ? <mark className="flag"> {t('city.missing')}</mark> : null}
              </label>
              <input
                id={`v-${code}`}
                type="range"
                min={min}
                max={max}
                step={step}
                value={v ?? min}
                aria-label={t('whatif.value', { name: nodeName(code) })}
                onChange={(e) => setValue(code, Number(e.target.value))}
              />
              <output htmlFor={`v-${code}`}>{v === null ? '–' : +v.toPrecision(4)}</output>
            </div>
          );
        })}
      </section>
      <section className="panel" aria-labelledby="improve-title">
        <h2 id="improve-title">{t('whatif.improve', { k })}</h2>
        <label>
          k{' '}
          <select value={k} onChange={(e) => setParams({ k: e.target.value === '1' ? null : e.target.value })}>
            {[1, 2, 3, 5, 10].map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        {improve === undefined ? (
          <p className="note">{t('city.loading')}</p>
        ) : improve === null ? (
          <p>{d.results.ranks[ix][pubRow] === 1 ? t('whatif.first') : t('whatif.none', { k })}</p>
        ) : (
          <div className="scroll">
            <table data-testid="improvements">
              <thead>
                <tr>
                  <th scope="col">{t('whatif.indicator')}</th>
                  <th scope="col">{t('whatif.need')}</th>
                  <th scope="col">{t('whatif.needRaw')}</th>
                  <th scope="col">{t('whatif.newRank')}</th>
                </tr>
              </thead>
              <tbody>
                {improve.indicators
                  .filter((x) => x.status === 'ok')
                  .slice(0, 8)
                  .map((x) => (
                    <tr key={x.code}>
                      <th scope="row">{nodeName(x.code)}</th>
                      <td className="num">{x.improvement.toFixed(2)}</td>
                      <td className="num">
                        {Number.isFinite(x.rawImprovement) ? +x.rawImprovement.toPrecision(4) : '–'}
                      </td>
                      <td className="num">{x.newRank}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
            {improve.indicators.every((x) => x.status !== 'ok') ? <p>{t('whatif.none', { k })}</p> : null}
          </div>
        )}
      </section>
    </article>
  );
}
