// A member's dues ledger (`DuesLedger`) and the branches' summaries (`BranchDues`) as the 党费 screens read them: each
// month's state, the month a new payment starts from by default, the latest month recorded (what 撤销最近一次 takes
// back), the category in force, and the summary's total row. Every figure is the core's; these only pick from what it
// returned, or add its rows up.

import type { BranchDues, DuesArrears, DuesBase, DuesLedger, LedgerMonth } from '../api/types';
import { isMemberItem } from '../deadlines';
import { nextMonth, type Month } from './months';

/** How one month of the ledger stands: paid (on a day), deferred (with a reason), or neither. */
export type MonthState = 'paid' | 'deferred' | 'unpaid';

export function monthState(m: Pick<LedgerMonth, 'paid_on' | 'deferred'>): MonthState {
  if (m.paid_on !== null) return 'paid';
  if (m.deferred !== null) return 'deferred';
  return 'unpaid';
}

/**
 * The month a new payment or deferral starts from, as the ledger shows it: the first month listed with neither a day
 * paid nor a deferral, else the month after the one paid through; `null` when the ledger names neither.
 */
export function defaultFromMonth(ledger: Pick<DuesLedger, 'months' | 'paid_through'>): Month | null {
  const open = ledger.months.find((m) => monthState(m) === 'unpaid');
  if (open) return open.month;
  return ledger.paid_through === null ? null : nextMonth(ledger.paid_through);
}

/** The latest month with a payment or deferral recorded: the one 撤销最近一次 takes back; `null` with none. */
export function latestRecorded(ledger: Pick<DuesLedger, 'months'>): LedgerMonth | null {
  let latest: LedgerMonth | null = null;
  for (const m of ledger.months) if (monthState(m) !== 'unpaid' && (latest === null || m.month > latest.month)) latest = m;
  return latest;
}

/** The base set from the latest month: the base dialog's starting values; `null` before any is set. */
export function latestBase(ledger: Pick<DuesLedger, 'bases'>): DuesBase | null {
  let latest: DuesBase | null = null;
  for (const b of ledger.bases) if (latest === null || b.from_month >= latest.from_month) latest = b;
  return latest;
}

/** The bases as the ledger lists them, the latest first. */
export function basesNewestFirst(bases: readonly DuesBase[]): DuesBase[] {
  return [...bases].sort((a, b) => b.from_month.localeCompare(a.from_month));
}

/** The figures of the summary's 合计 row: the branches' own figures added up. */
export type DuesTotal = Omit<BranchDues, 'branch_id' | 'branch'>;

export function summaryTotal(rows: readonly BranchDues[]): DuesTotal {
  const total: DuesTotal = { members: 0, due_fen: 0, paid_fen: 0, paid_months: 0, deferred_months: 0, outstanding_fen: 0 };
  for (const r of rows) {
    total.members += r.members;
    total.due_fen += r.due_fen;
    total.paid_fen += r.paid_fen;
    total.paid_months += r.paid_months;
    total.deferred_months += r.deferred_months;
    total.outstanding_fen += r.outstanding_fen;
  }
  return total;
}

/** The member an arrears row names (its item is always a member's; a unit's item is left out). */
export function arrearsMember(a: DuesArrears): { id: number; name: string } | null {
  return isMemberItem(a.item) ? { id: a.item.member_id, name: a.item.name } : null;
}
