/**
 * Governance KPIs from service case logs (`#/kpi`): the pages the report prints — each log's monthly trends
 * with their 95 % Wilson band, the category table and the district league table of the latest year, every
 * KPI's formula, numerator, denominator and exclusions, the SIMULATED banner of a generated log, the source of
 * a real one — written by `export-site` into data/kpi-pages.js in both languages and loaded only here.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';
import { loadScript } from '../load-script.ts';

type Pages = { zh: string; en: string };

/** The KPI view. */
export function Kpi({ site, lang }: ViewProps) {
  const { t } = useTranslation();
  const file = site.data.kpi?.html;
  const el = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  useEffect(() => {
    if (!file) return;
    loadScript(file).then(
      () => setState('ready'),
      () => setState('failed'),
    );
  }, [file]);
  useEffect(() => {
    const pages = (globalThis as { __CITYINDEX_KPI_HTML__?: Pages }).__CITYINDEX_KPI_HTML__;
    // the export's own HTML, made from escaped values (src/report/sections/caselog.ts), no script in it
    if (state === 'ready' && pages && el.current) el.current.innerHTML = pages[lang];
  }, [state, lang]);
  if (!file) return <p className="panel">{t('kpi.none')}</p>;
  return (
    <article className="kpi-view">
      {state === 'failed' ? <p role="alert">{t('kpi.failed')}</p> : null}
      {state === 'loading' ? <p className="note">{t('kpi.loading')}</p> : null}
      <div ref={el} className="kpi-pages" data-testid="kpi-pages" />
    </article>
  );
}
