// The charts of the 统计 tab, drawn from the core's tables as they are: which table each chart draws and how (the
// funnel of the stages, the branches' stacked bars, the years' bars and line, the members' bars), the ECharts option
// for it, and which table cell a clicked bar or segment stands for. Pure: no ECharts here but its option types (the
// library itself is set up once in `echarts.ts`), so the options are tested as data.

import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Table, Text } from '../api/types';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | FunnelSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

/** How a table is drawn: a funnel of its rows, stacked bars per row, bars then lines per column, or plain bars. */
export type ChartKind = 'funnel' | 'stacked' | 'bar_line' | 'bars';

export interface ChartSpec {
  /** The table drawn (`Table.id`); its chart's test id is `chart-<table>`. */
  table: string;
  kind: ChartKind;
  /** The columns drawn, by key; all the counted ones (recorded, not shares) when absent. */
  columns?: readonly string[];
}

/** The charts of the 统计 tab, in the order shown. A table the core does not send is simply not drawn. */
export const CHARTS: readonly ChartSpec[] = [
  { table: 'by_stage', kind: 'funnel' },
  { table: 'by_branch', kind: 'stacked' },
  { table: 'by_year', kind: 'bar_line' },
  { table: 'by_gender', kind: 'bars', columns: ['members'] },
  { table: 'by_ethnicity', kind: 'bars', columns: ['members'] },
  { table: 'by_age', kind: 'bars', columns: ['members'] },
  { table: 'by_education', kind: 'bars', columns: ['members'] },
];

/** The stages' colours, as the member list's dots show them (keyed as the core keys the stages' rows and columns). */
export const STAGE_COLOURS: Readonly<Record<string, string>> = {
  applicant: '#8a929e',
  activist: '#2f6cb3',
  candidate: '#c08a12',
  probationary: '#d0642a',
  full_member: '#a61d1d',
};

/** Other series, in turn: the accent first. */
export const PALETTE: readonly string[] = ['#a61d1d', '#2f6cb3', '#c08a12', '#17703a', '#6b4fa3', '#d0642a', '#5c636e'];

/** The app's fonts (app.css): system fonts only, nothing fetched. */
export const CHART_FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/** A title drawn into the picture itself, for a saved PNG that says what it shows. */
export interface Heading {
  text: string;
  subtext: string;
}

export interface ChartModel {
  option: ChartOption;
  /** The chart's height in pixels (the branches' bars grow with the branches). */
  height: number;
  /** The table cell a drawn item stands for, as indexes into `table.rows` and `table.columns`; `null` for none. */
  cellAt(seriesIndex: number, dataIndex: number): { row: number; column: number } | null;
}

const HEADING_HEIGHT = 58;

/**
 * Tooltips drawn on the canvas, not as HTML: ECharts' HTML tooltips carry inline `style` attributes, which the
 * window's CSP (`default-src 'self'`) refuses.
 */
const TOOLTIP = { renderMode: 'richText', textStyle: { fontFamily: CHART_FONT } } as const;

/** The last part of a branch's path (`总支/支部` → `支部`), for an axis; the tooltip keeps the whole path. */
export function lastSegment(path: string): string {
  const parts = path.split('/').map((p) => p.trim()).filter(Boolean);
  return parts.at(-1) ?? path;
}

/** An ECharts value: a number, or `'-'` (nothing drawn) where the table has none. */
function datum(value: number | null | undefined): number | '-' {
  return value === null || value === undefined ? '-' : value;
}

/**
 * The chart of `table` drawn as `spec` says, its words through `label` (the current language's side of a `Text`).
 * `heading` draws a title into the picture (for a saved image; on screen the card's heading names the chart).
 */
export function chartModel(table: Table, spec: ChartSpec, label: (text: Text) => string, heading?: Heading): ChartModel {
  const rows = table.rows.map((row, index) => ({ row, index })).filter(({ row }) => !row.total);
  const columns = table.columns
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => (spec.columns ? spec.columns.includes(column.key) : column.recorded && !column.share_of));
  const top = heading ? HEADING_HEIGHT : 0;
  const base: ChartOption = {
    animationDuration: 300,
    textStyle: { fontFamily: CHART_FONT },
    color: [...PALETTE],
    ...(heading
      ? {
          title: {
            text: heading.text,
            subtext: heading.subtext,
            left: 'center',
            top: 8,
            textStyle: { fontSize: 16, fontWeight: 600, color: '#1d2129', fontFamily: CHART_FONT },
            subtextStyle: { fontSize: 12, color: '#646c78', fontFamily: CHART_FONT },
          },
        }
      : {}),
  };

  const cellOf = (seriesIndex: number, dataIndex: number) => {
    const row = rows[dataIndex];
    const column = columns[seriesIndex];
    return row && column ? { row: row.index, column: column.index } : null;
  };

  if (spec.kind === 'funnel') {
    const column = columns[0];
    const values = rows.map(({ row }) => (column ? (row.values[column.index] ?? null) : null));
    const height = 300 + top;
    return {
      height,
      option: {
        ...base,
        tooltip: { ...TOOLTIP, trigger: 'item', formatter: '{b}: {c}' },
        series: [
          {
            type: 'funnel',
            name: column ? label(column.column.label) : '',
            sort: 'none',
            min: 0,
            // The widest band is the largest stage, not a fixed 100.
            max: Math.max(1, ...values.map((v) => v ?? 0)),
            minSize: '12%',
            gap: 2,
            left: '10%',
            right: '10%',
            top: top + 12,
            bottom: 12,
            label: { show: true, position: 'inside', formatter: '{b}  {c}', color: '#fff', fontFamily: CHART_FONT },
            data: rows.map(({ row }, i) => ({
              name: label(row.label),
              value: datum(values[i]),
              ...(STAGE_COLOURS[row.key] ? { itemStyle: { color: STAGE_COLOURS[row.key] } } : {}),
            })),
          },
        ],
      },
      cellAt: (seriesIndex, dataIndex) => (seriesIndex === 0 ? cellOf(0, dataIndex) : null),
    };
  }

  const legend = columns.length > 1;
  const gridTop = top + (legend ? 40 : 16);
  // One line of legend (paged when the words are long), so it never runs into the chart.
  const legendOption: ChartOption = legend
    ? { legend: { type: 'scroll', top: top + 6, left: 12, right: 12, textStyle: { fontFamily: CHART_FONT } } }
    : {};
  const names = rows.map(({ row }) => label(row.label));
  const colour = (key: string, i: number) => STAGE_COLOURS[key] ?? PALETTE[i % PALETTE.length] ?? '#a61d1d';

  if (spec.kind === 'stacked') {
    // One bar per row (a branch), laid down: long names read along the axis, one branch under the other.
    const height = Math.max(220, gridTop + 24 + rows.length * 34) + top;
    return {
      height,
      option: {
        ...base,
        ...legendOption,
        tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 12, right: 24, top: gridTop, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: {
          type: 'category',
          inverse: true,
          data: names,
          axisLabel: { formatter: (value: string) => lastSegment(value), width: 180, overflow: 'truncate' },
        },
        series: columns.map(({ column, index }, i) => ({
          type: 'bar',
          name: label(column.label),
          stack: 'people',
          barMaxWidth: 22,
          emphasis: { focus: 'series' },
          itemStyle: { color: colour(column.key, i) },
          data: rows.map(({ row }) => datum(row.values[index])),
        })),
      },
      cellAt: cellOf,
    };
  }

  const many = rows.length > 6;
  const height = 300 + top;
  return {
    height,
    option: {
      ...base,
      ...legendOption,
      tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: spec.kind === 'bar_line' ? 'line' : 'shadow' } },
      grid: { left: 12, right: 16, top: gridTop, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: many ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: columns.map(({ column, index }, i): BarSeriesOption | LineSeriesOption => {
        const common = { name: label(column.label), data: rows.map(({ row }) => datum(row.values[index])) };
        // By year: the first column (developed) as bars, the others (converted) as a line over them.
        if (spec.kind === 'bar_line' && i > 0) {
          return { ...common, type: 'line', symbolSize: 8, itemStyle: { color: PALETTE[i % PALETTE.length] } };
        }
        return { ...common, type: 'bar', barMaxWidth: 36, itemStyle: { color: PALETTE[i % PALETTE.length] } };
      }),
    },
    cellAt: cellOf,
  };
}
