import { describe, expect, it } from 'vitest';
import type { Column, Report, Table } from '../api/types';
import { cellFilter, cellRef, cellTestid, cellText, peopleCount, shareText } from './cells';

const text = (zh: string, en: string) => ({ zh, en });
const col = (key: string, over: Partial<Column> = {}): Column => ({ key, label: text(key, key), recorded: true, share_of: null, ...over });

/** A table shaped as the core's by_class_year (a count, a share of it) and changes (a column not recorded). */
const table: Table = {
  id: 'by_class_year',
  title: text('各年级学生党员和入党积极性情况', 'Students by class year'),
  note: text('', ''),
  columns: [
    col('students'),
    col('members', { label: text('党员', 'Members') }),
    col('members_share', { share_of: { count: 'members', base: 'students' } }),
    col('transferred_in', { recorded: false }),
  ],
  rows: [
    { key: '2023', label: text('2023级', 'Class of 2023'), values: [3, 1, 3333, null], total: false },
    { key: '2026', label: text('2026级', 'Class of 2026'), values: [4, 0, 0, null], total: false },
    { key: 'unrecorded', label: text('年级未填写', 'No class year'), values: [0, 0, null, null], total: false },
    { key: 'total', label: text('合计', 'Total'), values: [7, 1, 1429, null], total: true },
  ],
};

const asOf: Report = { report: 'statistics', as_of: '2026-11-24', unit: null };

describe('a share reads as the office writes it, from hundredths of a percent', () => {
  it.each([
    [1234, '12.34%'],
    [3333, '33.33%'],
    [10000, '100.00%'],
    [5, '0.05%'],
    [0, '0.00%'],
  ])('%i is %s', (hundredths, shown) => {
    expect(shareText(hundredths)).toBe(shown);
  });
});

describe("a cell's text", () => {
  it('is the count, the share as a percent, or — where the core gives no value (not 0)', () => {
    const [students, , share, notRecorded] = table.columns as [Column, Column, Column, Column];
    expect(cellText(students, 0, '—')).toBe('0');
    expect(cellText(students, 3, '—')).toBe('3');
    expect(cellText(share, 3333, '—')).toBe('33.33%');
    expect(cellText(share, null, '—')).toBe('—');
    expect(cellText(notRecorded, null, '—')).toBe('—');
  });
});

describe('the drill-down behind a cell', () => {
  it("names the report's day and unit, the table, the row and the column, as the core's CellRef does", () => {
    expect(cellRef(asOf, 'by_stage', 'activist', 'count')).toEqual({
      report: 'statistics', as_of: '2026-11-24', unit: null, table: 'by_stage', row: 'activist', column: 'count',
    });
    expect(cellRef({ report: 'annual', year: 2026, unit: 7 }, 'changes', 'total', 'developed')).toEqual({
      report: 'annual', year: 2026, unit: 7, table: 'changes', row: 'total', column: 'developed',
    });
  });

  it('carries the words of the banner and the number of people', () => {
    expect(cellFilter(asOf, table, 0, 1)).toEqual({
      cell: { report: 'statistics', as_of: '2026-11-24', unit: null, table: 'by_class_year', row: '2023', column: 'members' },
      table: table.title,
      row: text('2023级', 'Class of 2023'),
      column: text('党员', 'Members'),
      count: 1,
    });
  });

  it("counts a share's people as its count's: the share column itself is the cell, as the core resolves it", () => {
    expect(peopleCount(table, 0, 2)).toBe(1);
    expect(cellFilter(asOf, table, 0, 2)?.cell.column).toBe('members_share');
    expect(cellFilter(asOf, table, 0, 2)?.count).toBe(1);
  });

  it('is none where nobody is behind the number: a 0, a share of nobody, a value not recorded', () => {
    expect(cellFilter(asOf, table, 1, 1)).toBeNull(); // 0 members
    expect(cellFilter(asOf, table, 1, 2)).toBeNull(); // 0.00% of 4: still nobody
    expect(cellFilter(asOf, table, 2, 2)).toBeNull(); // a share of nobody: null
    expect(cellFilter(asOf, table, 0, 3)).toBeNull(); // not recorded
    expect(cellFilter(asOf, table, 9, 0)).toBeNull(); // no such row
  });

  it('drills down from the total row too (its people are those of every other row)', () => {
    expect(cellFilter(asOf, table, 3, 0)?.cell).toMatchObject({ row: 'total', column: 'students' });
  });

  it('gives each link the test id the end-to-end tests click', () => {
    expect(cellTestid('by_age', '31_35', 'members')).toBe('stat-cell-by_age-31_35-members');
  });
});
