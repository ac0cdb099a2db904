/**
 * The workbench's own script (assets/workbench.js, a classic script loaded only when `#/workbench` is
 * opened, so the public overview's initial JavaScript does not grow): registers
 * `globalThis.__CITYINDEX_WORKBENCH__.render(element, { lang })`, which the page's host component calls
 * (web/src/workbench/host.tsx). The workbench is its own React root inside that element.
 */
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Workbench } from './Workbench.tsx';
import type { WbLang } from './text.ts';
import './workbench.css';

const roots = new WeakMap<Element, Root>();

(globalThis as { __CITYINDEX_WORKBENCH__?: unknown }).__CITYINDEX_WORKBENCH__ = {
  render(el: Element, options: { lang: WbLang }) {
    let root = roots.get(el);
    if (!root) roots.set(el, (root = createRoot(el)));
    root.render(
      <StrictMode>
        <Workbench lang={options.lang} />
      </StrictMode>,
    );
  },
  unmount(el: Element) {
    roots.get(el)?.unmount();
    roots.delete(el);
  },
};
