// One number of a statistics table as the screen shows it: its text (a count, a share as `12.34%`, `—` for what is
// not recorded) and, when someone is behind it, the drill-down to the member list (`CellFilter`, a `CellRef` with the
// words for the banner). Which people a number counts is the core's answer to the `CellRef`; nothing here counts.

import type { CellRef, Column, Report, Table, Text } from '../api/types';

/** A drill-down: the list restricted to one number's people, with what the list's banner says about it. */
export interface CellFilter {
  cell: CellRef;
  table: Text;
  row: Text;
  column: Text;
  /** The number as the table showed it (for a share, its count): how many people the cell names. */
  count: number;
}

/** The cell `table`/`row`/`column` of `report` (a `CellRef` is the report's fields beside the cell's). */
export function cellRef(report: Report, table: string, row: string, column: string): CellRef {
  return { ...report, table, row, column };
}

/** A share in hundredths of a percent as the office writes it: 1234 → `12.34%`. */
export function shareText(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(Math.round(hundredths));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/** A value as the table shows it: a count, a share, or `empty` (`—`) where the core gives none. */
export function cellText(column: Column, value: number | null, empty: string): string {
  if (value === null) return empty;
  return column.share_of ? shareText(value) : String(value);
}

/**
 * How many people a cell names: its count, or for a share column the count it is a share of (a share's people are
 * those of its count, as the core lists them). `null` where the table gives no number.
 */
export function peopleCount(table: Table, rowIndex: number, columnIndex: number): number | null {
  const row = table.rows[rowIndex];
  const column = table.columns[columnIndex];
  if (!row || !column) return null;
  const value = row.values[columnIndex] ?? null;
  if (value === null || !column.share_of) return value;
  const count = table.columns.findIndex((c) => c.key === column.share_of?.count);
  return count < 0 ? null : (row.values[count] ?? null);
}

/**
 * The drill-down behind a cell, or `null` when nobody is behind it (a 0, or a value not recorded): only a number
 * with people is a link.
 */
export function cellFilter(report: Report, table: Table, rowIndex: number, columnIndex: number): CellFilter | null {
  const row = table.rows[rowIndex];
  const column = table.columns[columnIndex];
  const count = peopleCount(table, rowIndex, columnIndex);
  if (!row || !column || count === null || count <= 0) return null;
  return { cell: cellRef(report, table.id, row.key, column.key), table: table.title, row: row.label, column: column.label, count };
}

/** The test id of a cell's link, which the end-to-end tests click: never change its shape. */
export function cellTestid(table: string, row: string, column: string): string {
  return `stat-cell-${table}-${row}-${column}`;
}

