/**
 * Charts of the site on ECharts 6 (only the parts used: map, bar, radar; canvas; legends in HTML), and the China city
 * map: the simplified prefecture map of the report (data/maps/china-cities.topo.json, shipped as
 * `data/china-map.js`) registered as `china`, so ECharts adds the 南海诸岛 inset; regions keyed by adcode.
 */
import { useEffect, useRef, useState } from 'react';
import type { ECharts } from 'echarts/core';
import type { Topology } from 'topojson-specification';
import type { ChartsApi } from './charts-entry.ts';
import { loadScript } from './load-script.ts';

let chartsReady: Promise<ChartsApi> | undefined;

/**
 * Load the charts bundle once (assets/charts.js).
 * @example // no-run: needs a browser
 * const { echarts } = await loadCharts();
 */
export function loadCharts(): Promise<ChartsApi> {
  chartsReady ??= loadScript('assets/charts.js').then(() => {
    const api = (globalThis as { __CITYINDEX_CHARTS__?: ChartsApi }).__CITYINDEX_CHARTS__;
    if (!api) throw new Error('the charts script did not load');
    return api;
  });
  return chartsReady;
}

let mapReady: Promise<void> | undefined;

/**
 * Load and register the China map once.
 * @example // no-run: needs a browser
 * await loadChinaMap();
 */
export function loadChinaMap(): Promise<void> {
  mapReady ??= Promise.all([loadCharts(), loadScript('data/china-map.js')]).then(([api]) => {
    const topo = (globalThis as { __CITYINDEX_MAP__?: Topology }).__CITYINDEX_MAP__;
    if (!topo) throw new Error('map data missing');
    api.registerChinaMap(topo);
  });
  return mapReady;
}

type Option = Record<string, unknown>;

/** One ECharts chart in a div; `onClick` receives the clicked item's name. */
export function EChart(props: {
  option: Option;
  height: number;
  label: string;
  onClick?: (name: string) => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [api, setApi] = useState<ChartsApi | null>(null);
  const click = useRef(props.onClick);
  click.current = props.onClick;
  useEffect(() => {
    let gone = false;
    loadCharts().then(
      (a) => !gone && setApi(a),
      () => undefined,
    );
    return () => {
      gone = true;
    };
  }, []);
  useEffect(() => {
    if (!ref.current || !api) return;
    const c = api.echarts.init(ref.current, undefined, { renderer: 'canvas' });
    c.setOption(props.option, { notMerge: true });
    chart.current = c;
    c.on('click', (p: { name?: string }) => {
      if (p.name && click.current) click.current(p.name);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- made once per library load; the next effect sets option
  }, [api]);
  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      style={{ width: '100%', height: props.height }}
    />
  );
}

/** Series colours of the radar charts (ECharts' default order), shared with their HTML legend. */
export const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666'];

/** A chart legend in HTML (readable by screen readers; ECharts' legend component is not loaded). */
export function ChartLegend({ names }: { names: readonly string[] }) {
  return (
    <ul className="legend">
      {names.map((n, i) => (
        <li key={n}>
          <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
          {n}
        </li>
      ))}
    </ul>
  );
}
