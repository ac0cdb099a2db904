/**
 * The dashboard's entry (a classic script, assets/app.js): read the site data that data/site-data.js
 * assigned, start i18n in the URL's language (zh-CN by default), render the app. On `serve`'s page before
 * the first publish (no data script) the notice stays and `#/workbench` opens the workbench alone.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { initI18n } from './i18n.ts';
import { indexSite } from './site.ts';
import { parseRoute } from './route.ts';
import { WorkbenchHost } from './workbench/host.tsx';
import type { SiteData } from './site.ts';
import './style.css';

const root = document.getElementById('root')!;
const data = (globalThis as { __CITYINDEX_SITE__?: SiteData }).__CITYINDEX_SITE__;
if (data === undefined && !document.querySelector('script[src="data/site-data.js"]')) {
  // serve's page before the first edition is published: its notice stays; the staff's link opens the workbench
  const notice = root.innerHTML;
  let app: ReturnType<typeof createRoot> | undefined;
  const show = () => {
    const route = parseRoute(location.hash);
    if (route.view === 'workbench' && !app) {
      app = createRoot(root);
      app.render(<WorkbenchHost lang={route.params.get('lang') === 'en' ? 'en' : 'zh'} />);
    } else if (route.view !== 'workbench' && app) {
      app.unmount();
      app = undefined;
      root.innerHTML = notice;
    }
  };
  addEventListener('hashchange', show);
  show();
} else
  try {
    const site = indexSite(data);
    initI18n(parseRoute(location.hash).params.get('lang') === 'en' ? 'en' : 'zh');
    createRoot(root).render(
      <StrictMode>
        <App site={site} />
      </StrictMode>,
    );
  } catch (e) {
    root.textContent = `无法载入数据 / The data could not be loaded: ${(e as Error).message}`;
  }
