/**
 * The survey pages, routed by path: /survey/monitor/<wave> (staff), /survey/<wave>/<city> (residents),
 * /survey/panel (the panels), /survey/panel/<id> (an expert's AHP judgements) and /survey/panel/<id>/results
 * (the author's view).
 */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ExpertPanel, PanelList, PanelResults } from './ahp.tsx';
import { FieldworkMonitor } from './monitor.tsx';
import { ResidentForm } from './form.tsx';
import { initialLang, type Lang } from './text.ts';
import './style.css';

function App() {
  const [lang, setLang] = useState<Lang>(initialLang());
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const parts = location.pathname
    .replace(/^\/survey\/?/, '')
    .split('/')
    .filter(Boolean);
  if (parts[0] === 'panel' && parts.length === 1) return <PanelList lang={lang} setLang={setLang} />;
  if (parts[0] === 'panel' && /^[0-9]{1,9}$/.test(parts[1] ?? '')) {
    const View = parts[2] === 'results' ? PanelResults : ExpertPanel;
    return <View panelId={Number(parts[1])} lang={lang} setLang={setLang} />;
  }
  if (parts[0] === 'monitor' && parts[1]) return <FieldworkMonitor wave={parts[1]} lang={lang} setLang={setLang} />;
  if (parts.length >= 2 && /^[0-9]{6}$/.test(parts[1]))
    return <ResidentForm wave={parts[0]} city={parts[1]} lang={lang} setLang={setLang} />;
  return (
    <main className="page">
      <h1>{lang === 'zh' ? '找不到该页面' : 'No such page'}</h1>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
