import { describe, expect, it } from 'vitest';
import type { PlanPeriod, PlanRow } from '../api/types';
import { cellAction, cellTestid, dayWithin, periodColumns, rowCells, rowKey } from './plan-grid';

const period = (from: string, to: string, months: number, over: Partial<PlanPeriod> = {}): PlanPeriod => ({
  from, to, months, state: 'upcoming', meetings: [], ...over,
});

const row = (over: Partial<PlanRow> = {}): PlanRow => ({
  kind: 'committee_meeting', group_id: null, group: null, rule_name_zh: '支委会', rule_name_en: 'Committee meeting',
  clause: '《中国共产党支部工作条例（试行）》第十八条', clause_en: 'art. 18', periods: [], ...over,
});

describe('periodColumns places a period among the twelve months', () => {
  it.each([
    ['a month', period('2026-03-01', '2026-03-31', 1), { start: 3, span: 1 }],
    ['a quarter', period('2026-04-01', '2026-06-30', 3), { start: 4, span: 3 }],
    ['the last quarter', period('2026-10-01', '2026-12-31', 3), { start: 10, span: 3 }],
    ['a half year', period('2026-07-01', '2026-12-31', 6), { start: 7, span: 6 }],
    ['the whole year', period('2026-01-01', '2026-12-31', 12), { start: 1, span: 12 }],
    ['a period begun the year before, cut at January', period('2025-12-01', '2026-02-28', 3), { start: 1, span: 2 }],
    ['a period running into next year, cut at December', period('2026-11-01', '2027-01-31', 3), { start: 11, span: 2 }],
  ])('%s', (_, p, expected) => {
    expect(periodColumns(p, 2026)).toEqual(expected);
  });
});

describe('rowCells', () => {
  it('names each cell by kind, group (0 for the branch) and index, side by side across the year', () => {
    const quarters = ['01', '04', '07', '10'].map((m, i) =>
      period(`2026-${m}-01`, `2026-${String(Number(m) + 2).padStart(2, '0')}-28`, 3, { state: i === 0 ? 'held' : 'upcoming' }),
    );
    const cells = rowCells(row({ kind: 'group_meeting', group_id: 7, periods: quarters }), 2026);
    expect(cells.map((c) => [c.testid, c.start, c.span])).toEqual([
      ['life-cell-group_meeting-7-0', 1, 3],
      ['life-cell-group_meeting-7-1', 4, 3],
      ['life-cell-group_meeting-7-2', 7, 3],
      ['life-cell-group_meeting-7-3', 10, 3],
    ]);
    expect(cellTestid(row(), 11)).toBe('life-cell-committee_meeting-0-11');
    expect(rowKey(row({ group_id: 7 }))).not.toBe(rowKey(row({ group_id: 8 })));
  });
});

describe('cellAction', () => {
  const r = row({ kind: 'group_meeting', group_id: 7 });
  it('shows the meetings of a held period', () => {
    expect(cellAction(r, period('2026-01-01', '2026-03-31', 3, { state: 'held', meetings: [4, 9] }), '2026-11-24')).toEqual({
      kind: 'show', meetings: [4, 9],
    });
  });

  it('offers to record the meeting owed or missed, for the row’s kind and group, on a day within the period', () => {
    expect(cellAction(r, period('2026-10-01', '2026-12-31', 3, { state: 'owed' }), '2026-11-24')).toEqual({
      kind: 'record', meeting: 'group_meeting', groupId: 7, date: '2026-11-24',
    });
    expect(cellAction(r, period('2026-04-01', '2026-06-30', 3, { state: 'missed' }), '2026-11-24')).toEqual({
      kind: 'record', meeting: 'group_meeting', groupId: 7, date: '2026-06-30',
    });
  });

  it('does nothing for a period to come or not tracked', () => {
    expect(cellAction(r, period('2026-12-01', '2026-12-31', 1, { state: 'upcoming' }), '2026-11-24').kind).toBe('none');
    expect(cellAction(r, period('2026-01-01', '2026-01-31', 1, { state: 'untracked' }), '2026-11-24').kind).toBe('none');
  });

  it('proposes a day inside the period', () => {
    expect(dayWithin({ from: '2026-12-01', to: '2026-12-31' }, '2026-11-24')).toBe('2026-12-01');
    expect(dayWithin({ from: '2026-01-01', to: '2026-01-31' }, '2026-11-24')).toBe('2026-01-31');
  });
});
