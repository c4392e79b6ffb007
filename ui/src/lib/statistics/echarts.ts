// Apache ECharts as the app bundles it: only the charts, components and renderer the 统计 tab draws with, registered
// once (tree-shaken from `echarts/core`; no CDN, no fonts fetched). The options come from `charts.ts`.

import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, FunnelChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export { init };
export type { ECElementEvent, EChartsType } from 'echarts/core';
