/**
 * Audit and sensitivity (staff): for the chosen edition, the Pearson correlation of each dimension with
 * the index and Cronbach's α of the dimensions, computed here with the engine's own kernels from the
 * edition's scores; and the rank intervals (5th–95th percentile) of the chosen edition's uncertainty
 * analysis, when the project has one (its site data from the server, rebuilt from the edition's frozen data
 * and method: GET /api/editions/:id/site-data); and, on request, the Sobol' first- and total-order indices
 * (with bootstrap intervals) of that edition's dimension weights, from the engine's sensitivity analysis in a
 * Web Worker.
 */
import { useEffect, useState } from 'react';
import type { SiteData } from '../../../src/app/site.ts';
import { api } from './api.ts';
import { fmtNum, fmtRank, localName, type WbProps } from './context.ts';
import { useEditions } from './Editions.tsx';
import { auditOf, type ResultsTable } from './figures.ts';
import { WbTable } from './WbTable.tsx';
import { startRegionalEngine } from '../engine-client.ts';
import { indexSite } from '../site.ts';
import type { WeightSensitivityResult } from '../live.ts';

/** Base rows of the Saltelli design and the ± range of the weights (N(d + 2) recomputations). */
const SOBOL_N = 256;
const SOBOL_FACTOR = 0.5;

/**
 * Sobol' indices of the chosen edition's dimension weights, computed on request in the page's
 * second engine worker (the engine's sensitivity analysis; never on the page's main thread).
 */
function SobolPanel({ props, site }: { props: WbProps; site: SiteData }) {
  const { t, lang, project } = props;
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'running' }
    | { kind: 'done'; r: WeightSensitivityResult; ms: number }
    | { kind: 'failed'; e: string }
  >({ kind: 'idle' });
  const indexed = indexSite(site);
  const d = indexed.weightCodes.length;
  const runs = SOBOL_N * (d + 2);
  const name = (code: string) => localName(project.framework.find((n) => n.code === code)?.name, lang, code);
  const iv = (x: [number, number] | null) => (x ? ` [${fmtNum(x[0])}, ${fmtNum(x[1])}]` : '');
  const run = async () => {
    setState({ kind: 'running' });
    try {
      const engine = await startRegionalEngine(indexed);
      const res = await engine.request({ kind: 'sensitivity', N: SOBOL_N, factor: SOBOL_FACTOR });
      setState({ kind: 'done', r: res.value as WeightSensitivityResult, ms: res.ms ?? 0 });
    } catch (e) {
      setState({ kind: 'failed', e: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <section className="panel" aria-labelledby="wb-sobol-title">
      <h2 id="wb-sobol-title">{t('analysis.sobol')}</h2>
      {d < 2 ? (
        <p>{t('analysis.sobolNone')}</p>
      ) : (
        <>
          <p className="note">{t('analysis.sobolNote', { f: SOBOL_FACTOR * 100, runs })}</p>
          <button type="button" onClick={() => void run()} disabled={state.kind === 'running'}>
            {t('analysis.sobolRun')}
          </button>
          <p role="status" data-testid="sobol-status">
            {state.kind === 'running'
              ? t('analysis.sobolRunning', { runs })
              : state.kind === 'done'
                ? t('analysis.sobolDone', { runs: state.r.runs, s: (state.ms / 1000).toFixed(1) })
                : state.kind === 'failed'
                  ? t('analysis.sobolFailed', { e: state.e })
                  : ''}
          </p>
          {state.kind === 'done' ? (
            <WbTable
              testId="sobol"
              caption={t('analysis.sobol')}
              rows={state.r.indices}
              rowKey={(x) => x.code}
              rowProps={(x) => ({ 'data-code': x.code })}
              columns={[
                { key: 'dim', header: t('analysis.dimension'), cell: (x) => name(x.code) },
                {
                  key: 'range',
                  header: t('analysis.sobolRange'),
                  num: true,
                  cell: (x) => `${fmtNum(x.min)} – ${fmtNum(x.max)}`,
                },
                {
                  key: 'si',
                  header: t('analysis.sobolFirst'),
                  num: true,
                  className: 'wb-si',
                  cell: (x) => `${fmtNum(x.Si)}${iv(x.SiInterval)}`,
                },
                {
                  key: 'sti',
                  header: t('analysis.sobolTotal'),
                  num: true,
                  className: 'wb-sti',
                  cell: (x) => `${fmtNum(x.STi)}${iv(x.STiInterval)}`,
                },
              ]}
            />
          ) : null}
        </>
      )}
    </section>
  );
}

export function AnalysisView(props: WbProps) {
  const { t, lang, params, project, go } = props;
  const { editions } = useEditions();
  const [table, setTable] = useState<ResultsTable | null>(null);
  const [site, setSite] = useState<
    { kind: 'loading' } | { kind: 'done'; site: SiteData } | { kind: 'failed'; e: string } | null
  >(null);
  const chosen = editions?.find((e) => String(e.id) === params.get('edition')) ?? editions?.[editions.length - 1];
  const chosenId = chosen?.id;
  useEffect(() => {
    setTable(null);
    // the edition's own analyses, rebuilt on the server from its frozen data (seconds, the first time)
    setSite(chosenId === undefined ? null : { kind: 'loading' });
    if (chosenId === undefined) return;
    let live = true;
    api<{ edition: { results: ResultsTable } }>('GET', `/api/editions/${chosenId}`)
      .then((r) => live && setTable(r.edition.results))
      .catch(() => live && setTable(null));
    api<{ site: SiteData }>('GET', `/api/editions/${chosenId}/site-data`)
      .then((r) => live && setSite({ kind: 'done', site: r.site }))
      .catch((e: unknown) => live && setSite({ kind: 'failed', e: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [chosenId]);
  const root = project.framework.find((n) => n.parent === null);
  const dims = project.framework.filter((n) => root && n.parent === root.code && n.kind !== 'indicator');
  const audit =
    table && root
      ? auditOf(
          table,
          root.code,
          dims.map((d) => d.code),
        )
      : null;
  const data = site?.kind === 'done' ? site.site : undefined;
  const intervals = data?.intervals ?? null;
  const unitName = (code: string) => localName(project.units.find((u) => u.code === code)?.name, lang, code);
  const ranked = intervals
    ? (data?.results.units ?? []).filter((u) => intervals[u]).map((u) => ({ unit: u, ...intervals[u] }))
    : [];
  return (
    <>
      <section className="panel" aria-labelledby="wb-an-title">
        <h1 id="wb-an-title">{t('analysis.title')}</h1>
        {editions?.length ? (
          <label>
            {t('analysis.edition')}{' '}
            <select value={chosen?.id ?? ''} onChange={(e) => go({ edition: e.target.value })}>
              {editions.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name} ({t(`editions.${e.status}`)})
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p>{t('editions.none')}</p>
        )}
        {audit ? (
          <>
            <h2>{t('analysis.corr')}</h2>
            <p className="note">{t('analysis.corrNote')}</p>
            <table className="wb-table" data-testid="correlations">
              <caption className="visually-hidden">{t('analysis.corr')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('analysis.dimension')}</th>
                  <th scope="col" className="num">
                    {t('analysis.withIndex')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {dims.map((d) => (
                  <tr key={d.code}>
                    <th scope="row">{localName(d.name, lang, d.code)}</th>
                    <td className="num">{fmtNum(audit.correlations.get(d.code))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p data-testid="alpha">{t('analysis.alpha', { a: fmtNum(audit.alpha) })}</p>
            <p className="note">{t('analysis.alphaNote')}</p>
          </>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="wb-iv-title">
        <h2 id="wb-iv-title">{t('analysis.intervals')}</h2>
        {site?.kind === 'loading' ? (
          <p role="status" data-testid="site-status">
            {t('analysis.siteLoading')}
          </p>
        ) : site?.kind === 'failed' ? (
          <p role="alert" data-testid="site-status">
            {t('analysis.siteFailed', { e: site.e })}
          </p>
        ) : ranked.length ? (
          <>
            <p className="note">{t('analysis.intervalsNote')}</p>
            <div className="scroll">
              <table className="wb-table" data-testid="intervals">
                <caption className="visually-hidden">{t('analysis.intervals')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('editions.city')}</th>
                    <th scope="col" className="num">
                      {t('analysis.interval')}
                    </th>
                    <th scope="col" className="num">
                      {t('analysis.width')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ranked.map((r) => (
                    <tr key={r.unit}>
                      <th scope="row">{unitName(r.unit)}</th>
                      <td className="num">{`${fmtRank(r.q5)} – ${fmtRank(r.q95)}`}</td>
                      <td className="num">{fmtRank(r.q95 - r.q5)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p>{t('analysis.noIntervals')}</p>
        )}
      </section>
      {data ? <SobolPanel key={chosenId} props={props} site={data} /> : null}
    </>
  );
}
