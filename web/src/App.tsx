/**
 * The site's shell: header with the project name, navigation, language switch; the view of the URL hash.
 * Every view keeps its state in the hash (web/src/route.ts), so a view can be shared and reloaded.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRoute, parseRoute, type Route } from './route.ts';
import { localText, type Lang, type Site } from './site.ts';
import { Overview } from './views/Overview.tsx';
import { CityProfile } from './views/CityProfile.tsx';
import { Compare } from './views/Compare.tsx';
import { WhatIf } from './views/WhatIf.tsx';
import { Methodology } from './views/Methodology.tsx';
import { Cases } from './views/Cases.tsx';
import { Kpi } from './views/Kpi.tsx';
import { Downloads } from './views/Downloads.tsx';
import { WorkbenchHost } from './workbench/host.tsx';

/** Props every view receives. */
export interface ViewProps {
  site: Site;
  route: Route;
  lang: Lang;
  /** Go to another route (push: a new history entry; replace: same entry, e.g. typing or a slider). */
  navigate(r: Route, mode?: 'push' | 'replace'): void;
  /** Update parameters of the current route. */
  setParams(changes: Record<string, string | null>, mode?: 'push' | 'replace'): void;
}

function useRoute(): [Route, (r: Route, mode?: 'push' | 'replace') => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const navigate = useCallback((r: Route, mode: 'push' | 'replace' = 'push') => {
    const hash = formatRoute(r);
    if (mode === 'replace') history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    setRoute(parseRoute(hash));
  }, []);
  return [route, navigate];
}

const NAV = ['overview', 'compare', 'method', 'cases', 'kpi', 'downloads'] as const;

export function App({ site }: { site: Site }) {
  const { t, i18n } = useTranslation();
  const [route, navigate] = useRoute();
  const lang: Lang = route.params.get('lang') === 'en' ? 'en' : 'zh';
  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = localText(site.data.project.name, lang);
  }, [lang, i18n, site]);
  const setParams = useCallback(
    (changes: Record<string, string | null>, mode: 'push' | 'replace' = 'replace') => {
      const params = new Map(route.params);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') params.delete(k);
        else params.set(k, v);
      }
      navigate({ ...route, params }, mode);
    },
    [route, navigate],
  );
  /** Keep lang and weights when moving between views. */
  const carry = useMemo(() => {
    const m = new Map<string, string>();
    for (const k of ['lang', 'w']) {
      const v = route.params.get(k);
      if (v) m.set(k, v);
    }
    return m;
  }, [route.params]);
  const props: ViewProps = { site, route, lang, navigate, setParams };
  const href = (view: Route['view']) => formatRoute({ view, unit: null, params: carry });
  const switchLang = () => setParams({ lang: lang === 'zh' ? 'en' : null }, 'push');
  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('site.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <span className="title">{localText(site.data.project.name, lang)}</span>
          {site.data.project.edition ? <span className="edition">{site.data.project.edition}</span> : null}
        </div>
        <nav aria-label={t('site.nav')}>
          <ul>
            {NAV.filter((v) => v !== 'kpi' || site.data.kpi).map((v) => (
              <li key={v}>
                <a href={href(v)} aria-current={route.view === v ? 'page' : undefined}>
                  {t(`nav.${v}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          className="lang"
          onClick={switchLang}
          title={t('site.langLabel')}
          lang={lang === 'zh' ? 'en' : 'zh-CN'}
        >
          {t('site.lang')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.view === 'city' ? (
          <CityProfile {...props} />
        ) : route.view === 'compare' ? (
          <Compare {...props} />
        ) : route.view === 'whatif' ? (
          <WhatIf {...props} />
        ) : route.view === 'method' ? (
          <Methodology {...props} />
        ) : route.view === 'cases' ? (
          <Cases {...props} />
        ) : route.view === 'kpi' ? (
          <Kpi {...props} />
        ) : route.view === 'downloads' ? (
          <Downloads {...props} />
        ) : route.view === 'workbench' ? (
          <WorkbenchHost lang={lang} />
        ) : (
          <Overview {...props} />
        )}
      </main>
    </>
  );
}
