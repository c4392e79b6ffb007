import { describe, expect, it } from 'vitest';
import type { BranchDues, DeadlineItem, DuesArrears, DuesBase, LedgerMonth } from '../api/types';
import { arrearsMember, basesNewestFirst, defaultFromMonth, latestBase, latestRecorded, monthState, summaryTotal } from './ledger';

const month = (m: string, state: Partial<LedgerMonth> = {}): LedgerMonth => ({
  month: m,
  due_fen: 2100,
  paid_fen: null,
  paid_on: null,
  paid_by: null,
  deferred: null,
  ...state,
});
const paid = (m: string) => month(m, { paid_fen: 2100, paid_on: `${m}-10` });
const deferred = (m: string) => month(m, { deferred: '家庭困难' });

describe('a month of the ledger', () => {
  it('is paid, deferred, or neither, as the core recorded it', () => {
    expect([monthState(paid('2026-01')), monthState(deferred('2026-02')), monthState(month('2026-03'))]).toEqual([
      'paid',
      'deferred',
      'unpaid',
    ]);
  });
});

describe('a new payment starts', () => {
  it('at the first month the ledger shows neither paid nor deferred', () => {
    const ledger = { months: [paid('2026-01'), deferred('2026-02'), month('2026-03'), month('2026-04')], paid_through: '2026-02' };
    expect(defaultFromMonth(ledger)).toBe('2026-03');
  });

  it('after the month paid through, when every month shown is recorded (paying ahead)', () => {
    expect(defaultFromMonth({ months: [paid('2026-11'), paid('2026-12')], paid_through: '2026-12' })).toBe('2027-01');
  });

  it('nowhere in particular when the ledger names no month', () => {
    expect(defaultFromMonth({ months: [], paid_through: null })).toBeNull();
  });
});

describe('撤销最近一次 takes back', () => {
  it('the latest month paid or deferred, not a later unpaid one', () => {
    expect(latestRecorded({ months: [paid('2026-01'), deferred('2026-02'), month('2026-03')] })?.month).toBe('2026-02');
  });

  it('nothing when nothing was recorded', () => {
    expect(latestRecorded({ months: [month('2026-01')] })).toBeNull();
  });
});

describe('the bases', () => {
  const base = (from: string, fen: number): DuesBase => ({ person_id: 7, category: 'salaried', base_fen: fen, from_month: from });
  const bases = [base('2025-01', 400000), base('2026-07', 520000), base('2026-01', 450000)];

  it('start the base dialog from the one set from the latest month', () => {
    expect(latestBase({ bases })?.base_fen).toBe(520000);
    expect(latestBase({ bases: [] })).toBeNull();
  });

  it('are listed the latest first', () => {
    expect(basesNewestFirst(bases).map((b) => b.from_month)).toEqual(['2026-07', '2026-01', '2025-01']);
    expect(bases[0]?.from_month).toBe('2025-01');
  });
});

describe('the summary’s 合计 row', () => {
  const row = (id: number, f: Partial<BranchDues>): BranchDues => ({
    branch_id: id,
    branch: `第${id}党支部`,
    members: 0,
    due_fen: 0,
    paid_fen: 0,
    paid_months: 0,
    deferred_months: 0,
    outstanding_fen: 0,
    ...f,
  });

  it('adds up the branches’ own figures', () => {
    const total = summaryTotal([
      row(1, { members: 10, due_fen: 21000, paid_fen: 18900, paid_months: 9, deferred_months: 0, outstanding_fen: 2100 }),
      row(2, { members: 4, due_fen: 800, paid_fen: 400, paid_months: 2, deferred_months: 1, outstanding_fen: 200 }),
    ]);
    expect(total).toEqual({ members: 14, due_fen: 21800, paid_fen: 19300, paid_months: 11, deferred_months: 1, outstanding_fen: 2300 });
  });

  it('is all zero with no branch', () => {
    expect(Object.values(summaryTotal([])).every((n) => n === 0)).toBe(true);
  });
});

describe('an arrears row', () => {
  const item = {
    branch_id: 3, branch: '第一党支部', rule: 'dues_arrears', rule_name_zh: '党费欠交', rule_name_en: 'Dues in arrears',
    kind: 'deadline', due: '2026-09-30', status: 'overdue', clause: '党章第九条', clause_en: 'Party Constitution, art. 9',
    provisional: false, acknowledged: false, snoozed_until: null,
  } as const;

  it('opens the member it names', () => {
    const a: DuesArrears = { item: { ...item, member_id: 7, name: '张三', done_by: null }, paid_through: '2026-03', months_behind: 7, owed_fen: 14700 };
    expect(arrearsMember(a)).toEqual({ id: 7, name: '张三' });
  });

  it('names no member for a unit’s item', () => {
    const unitItem: DeadlineItem = { ...item, unit_id: 3, unit: '第一党支部', group_id: null, group: null, meeting: null };
    expect(arrearsMember({ item: unitItem, paid_through: null, months_behind: 0, owed_fen: 0 })).toBeNull();
  });
});
