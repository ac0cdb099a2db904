/**
 * Where the workbench goes in the public site (`#/workbench`): loads assets/workbench.css and
 * assets/workbench.js once (the workbench is not part of the overview's initial JavaScript) and renders
 * it into this element in the page's language.
 */
import { useEffect, useRef, useState } from 'react';
import { loadScript } from '../load-script.ts';

interface WorkbenchGlobal {
  render(el: Element, options: { lang: 'zh' | 'en' }): void;
  unmount(el: Element): void;
}

function loadStyle(href: string): void {
  if (document.querySelector(`link[data-wb="${href}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.dataset.wb = href;
  document.head.appendChild(link);
}

/** The workbench, loaded on first use. */
export function WorkbenchHost({ lang }: { lang: 'zh' | 'en' }) {
  const el = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    loadStyle('assets/workbench.css');
    loadScript('assets/workbench.js').then(
      () => setReady(true),
      () => setFailed(true),
    );
  }, []);
  useEffect(() => {
    const wb = (globalThis as { __CITYINDEX_WORKBENCH__?: WorkbenchGlobal }).__CITYINDEX_WORKBENCH__;
    if (ready && wb && el.current) wb.render(el.current, { lang });
  }, [ready, lang]);
  useEffect(() => {
    const node = el.current;
    return () => {
      const wb = (globalThis as { __CITYINDEX_WORKBENCH__?: WorkbenchGlobal }).__CITYINDEX_WORKBENCH__;
      // after the page's render, and only when the element really left the page
      if (node) setTimeout(() => !node.isConnected && wb?.unmount(node), 0);
    };
  }, []);
  if (failed) return <p>{lang === 'en' ? 'The workbench could not be loaded.' : '无法载入工作台。'}</p>;
  return <div ref={el} className="wb-host" />;
}
