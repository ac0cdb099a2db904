/**
 * The charts bundle (assets/charts.js, loaded after the first render so the table shows at once): the
 * parts of ECharts 6 the site uses (map, bar, radar; canvas) and the China map registration from the
 * report's simplified TopoJSON (data/maps/china-cities.topo.json, shipped as data/china-map.js),
 * registered as `china` so ECharts adds the 南海诸岛 inset. Sets `globalThis.__CITYINDEX_CHARTS__`.
 */
import * as echarts from 'echarts/core';
import { BarChart, MapChart, RadarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { feature } from 'topojson-client';
import type { GeometryObject, Topology } from 'topojson-specification';

echarts.use([
  BarChart,
  MapChart,
  RadarChart,
  GridComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
  CanvasRenderer,
]);

/** What the charts bundle provides to the page. */
export interface ChartsApi {
  echarts: typeof echarts;
  /** Register the map from its TopoJSON under `china`; returns the number of regions. */
  registerChinaMap(topology: Topology): number;
}

const api: ChartsApi = {
  echarts,
  registerChinaMap(topology) {
    const fc = feature(topology, topology.objects.cities as GeometryObject) as unknown as { features: unknown[] };
    echarts.registerMap('china', fc as unknown as Parameters<typeof echarts.registerMap>[1]);
    return fc.features.length;
  },
};
(globalThis as { __CITYINDEX_CHARTS__?: ChartsApi }).__CITYINDEX_CHARTS__ = api;
