// The 组织生活 grid's layout: where each period of a row (as the core's `life_plan` gives it) stands among the twelve
// month columns of the year, and what a click on it means. No rule: which periods there are, how long each is and how
// it stands are the core's; this only places them.

import type { MeetingKind, PlanPeriod, PlanRow } from '../api/types';
import { parseIsoDate } from '../i18n/format';

export const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

export interface GridCell {
  /** The period's index in its row: the testid's last part. */
  index: number;
  /** The first month column (1–12) and how many columns the cell spans. */
  start: number;
  span: number;
  period: PlanPeriod;
  testid: string;
}

/**
 * The columns of one period within `year`: from the month it starts in, `months` wide (the core's span), cut where the
 * period or the year ends. A period that began in the year before starts in January.
 */
export function periodColumns(period: Pick<PlanPeriod, 'from' | 'to' | 'months'>, year: number): { start: number; span: number } {
  const from = parseIsoDate(period.from);
  const to = parseIsoDate(period.to);
  const start = !from || from.year < year ? 1 : from.year > year ? 12 : from.month;
  const last = !to || to.year > year ? 12 : to.year < year ? 1 : to.month;
  const span = Math.max(1, Math.min(period.months, last - start + 1, 13 - start));
  return { start, span };
}

/** The testid of a cell: `life-cell-{kind}-{groupId or 0}-{periodIndex}`. */
export function cellTestid(row: Pick<PlanRow, 'kind' | 'group_id'>, index: number): string {
  return `life-cell-${row.kind}-${row.group_id ?? 0}-${index}`;
}

/** The cells of a row, in order. */
export function rowCells(row: PlanRow, year: number): GridCell[] {
  return row.periods.map((period, index) => ({ index, ...periodColumns(period, year), period, testid: cellTestid(row, index) }));
}

/** A key unique among a plan's rows (a kind owed by the branch, or by each of its party groups). */
export function rowKey(row: Pick<PlanRow, 'kind' | 'group_id'>): string {
  return `${row.kind}|${row.group_id ?? 0}`;
}

/** What clicking a cell does: show the meetings held in it, offer to record the one owed, or nothing. */
export type CellAction =
  | { kind: 'show'; meetings: number[] }
  | { kind: 'record'; meeting: MeetingKind; groupId: number | null; date: string }
  | { kind: 'none' };

export function cellAction(row: Pick<PlanRow, 'kind' | 'group_id'>, period: PlanPeriod, today: string): CellAction {
  switch (period.state) {
    case 'held':
      return { kind: 'show', meetings: period.meetings };
    case 'owed':
    case 'missed':
      return { kind: 'record', meeting: row.kind, groupId: row.group_id, date: dayWithin(period, today) };
    default:
      return { kind: 'none' };
  }
}

/** The day a meeting recorded from a cell is proposed for: today while the period runs, else the period's last day. */
export function dayWithin(period: Pick<PlanPeriod, 'from' | 'to'>, today: string): string {
  if (today < period.from) return period.from;
  return today > period.to ? period.to : today;
}
