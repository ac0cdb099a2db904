/**
 * The dashboard's entry (a classic script, assets/app.js): read the site data that data/site-data.js
 * assigned, start i18n in the URL's language (zh-CN by default), render the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { initI18n } from './i18n.ts';
import { indexSite } from './site.ts';
import { parseRoute } from './route.ts';
import type { SiteData } from './site.ts';
import './style.css';

const root = document.getElementById('root')!;
try {
  const site = indexSite((globalThis as { __CITYINDEX_SITE__?: SiteData }).__CITYINDEX_SITE__);
  initI18n(parseRoute(location.hash).params.get('lang') === 'en' ? 'en' : 'zh');
  createRoot(root).render(
    <StrictMode>
      <App site={site} />
    </StrictMode>,
  );
} catch (e) {
  root.textContent = `无法载入数据 / The data could not be loaded: ${(e as Error).message}`;
}
