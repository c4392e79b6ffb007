import { describe, expect, it } from 'vitest';
import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { Statistics, Table, Text } from '../api/types';
import repliesJson from '../api/recorded/replies.json?raw';
import { CHARTS, chartModel, lastSegment, STAGE_COLOURS, type ChartSpec } from './charts';

/** The statistics the real core gave for the demo organisation (`recorded/replies.json`, 2026-11-24). */
function recordedStatistics(): Statistics {
  const replies = JSON.parse(repliesJson) as { sessions: Record<string, { command: string; ok?: unknown }[]> };
  return replies.sessions.administrator!.find((r) => r.command === 'statistics')!.ok as Statistics;
}

const stats = recordedStatistics();
const tableOf = (id: string): Table => stats.tables.find((t) => t.id === id)!;
const specOf = (id: string): ChartSpec => CHARTS.find((c) => c.table === id)!;
const zh = (text: Text) => text.zh;
const en = (text: Text) => text.en;

type Series = BarSeriesOption | LineSeriesOption | FunnelSeriesOption;
const seriesOf = (id: string, label = zh): Series[] => chartModel(tableOf(id), specOf(id), label).option.series as Series[];

describe('the charts of the 统计 tab', () => {
  it("draws tables the core sends, by their ids: the funnel, the branches, the years and the members'", () => {
    expect(CHARTS.map((c) => c.table)).toEqual(['by_stage', 'by_branch', 'by_year', 'by_gender', 'by_ethnicity', 'by_age', 'by_education']);
    for (const c of CHARTS) expect(stats.tables.some((t) => t.id === c.table), c.table).toBe(true);
  });

  it('draws the funnel from applicants to full members, in that order (not sorted), without the total', () => {
    const [funnel] = seriesOf('by_stage') as [FunnelSeriesOption];
    expect(funnel.type).toBe('funnel');
    expect(funnel.sort).toBe('none');
    expect((funnel.data as { name: string; value: number }[]).map((d) => [d.name, d.value])).toEqual([
      ['入党申请人', 5],
      ['入党积极分子', 5],
      ['发展对象', 5],
      ['预备党员', 5],
      ['正式党员', 5],
    ]);
    // The widest band is the largest stage.
    expect(funnel.max).toBe(5);
    expect((funnel.data as { itemStyle?: { color: string } }[])[1]?.itemStyle?.color).toBe(STAGE_COLOURS.activist);
  });

  it('stacks each branch’s five stages in one bar, one series per stage', () => {
    const model = chartModel(tableOf('by_branch'), specOf('by_branch'), zh);
    const series = model.option.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.stack])).toEqual([
      ['入党申请人', 'people'],
      ['入党积极分子', 'people'],
      ['发展对象', 'people'],
      ['预备党员', 'people'],
      ['正式党员', 'people'],
    ]);
    // 研究生党支部 (the fourth branch): three development targets.
    expect(series.map((s) => (s.data as number[])[3])).toEqual([0, 0, 3, 0, 0]);
    expect((model.option.yAxis as { data: string[] }).data).toHaveLength(7);
    // Seven branches need more room than the default.
    expect(model.height).toBeGreaterThan(300);
  });

  it('draws the years as bars of the developed and a line of the converted', () => {
    const series = seriesOf('by_year');
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['bar', '发展党员'],
      ['line', '转正'],
    ]);
    // The table's own columns, year by year (its total row is not a year).
    const years = tableOf('by_year').rows.filter((r) => !r.total);
    expect(series[0]?.data).toEqual(years.map((r) => r.values[0]));
    expect(series[1]?.data).toEqual(years.map((r) => r.values[1]));
    expect(years).toHaveLength(10);
  });

  it("draws the members' tables as bars of the members only (not the probationary among them)", () => {
    const series = seriesOf('by_gender');
    expect(series.map((s) => [s.type, s.name, s.data])).toEqual([['bar', '党员', [7, 3, 0]]]);
  });

  it('speaks the language asked for', () => {
    expect(seriesOf('by_gender', en).map((s) => s.name)).toEqual([tableOf('by_gender').columns[0]?.label.en]);
    const xAxis = chartModel(tableOf('by_gender'), specOf('by_gender'), en).option.xAxis as { data: string[] };
    expect(xAxis.data[0]).toBe(tableOf('by_gender').rows[0]?.label.en);
  });

  it('leaves a value the core does not give undrawn, not 0', () => {
    const table: Table = {
      ...tableOf('by_gender'),
      rows: [{ key: 'male', label: { zh: '男', en: 'Male' }, values: [null, null], total: false }],
    };
    expect((chartModel(table, specOf('by_gender'), zh).option.series as BarSeriesOption[])[0]?.data).toEqual(['-']);
  });
});

describe('a click on a chart is a cell of its table', () => {
  it.each([
    ['by_stage', 0, 1, 'activist', 'count'],
    ['by_branch', 2, 3, '5', 'candidate'],
    ['by_year', 1, 6, '2023', 'converted'],
    ['by_age', 0, 1, '31_35', 'members'],
  ])('%s: series %i, item %i is row %s, column %s', (id, seriesIndex, dataIndex, row, column) => {
    const table = tableOf(id);
    const cell = chartModel(table, specOf(id), zh).cellAt(seriesIndex, dataIndex);
    expect([table.rows[cell!.row]?.key, table.columns[cell!.column]?.key]).toEqual([row, column]);
  });

  it('is nothing outside the drawn series and items', () => {
    const model = chartModel(tableOf('by_gender'), specOf('by_gender'), zh);
    expect(model.cellAt(1, 0)).toBeNull();
    expect(model.cellAt(0, 3)).toBeNull(); // the total row is not drawn
  });
});

describe('a saved picture', () => {
  it('has the title and subtitle drawn in, above the chart', () => {
    const plain = chartModel(tableOf('by_year'), specOf('by_year'), zh);
    const heading = { text: '近十年发展党员和转正人数', subtext: '中共示范大学委员会 截至 2026年11月24日' };
    const titled = chartModel(tableOf('by_year'), specOf('by_year'), zh, heading);
    expect(plain.option.title).toBeUndefined();
    expect(titled.option.title).toMatchObject(heading);
    expect(titled.height).toBeGreaterThan(plain.height);
    expect((titled.option.grid as { top: number }).top).toBeGreaterThan((plain.option.grid as { top: number }).top);
  });
});

describe('lastSegment', () => {
  it("keeps a branch's own name for a narrow axis", () => {
    expect(lastSegment('数学与统计学院党总支/本科生第一党支部')).toBe('本科生第一党支部');
    expect(lastSegment('机关第一党支部')).toBe('机关第一党支部');
  });
});
