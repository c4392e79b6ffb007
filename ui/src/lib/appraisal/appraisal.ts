// 民主评议 (the yearly democratic appraisal of members, 第十八条) as its screen reads an `Appraisal` the core gave:
// the years the screen offers, the units an appraisal can be opened for, a step's day, the figures of a branch's
// appraisal (who is graded, how many decided, each grade's count beside the core's 优秀 cap), what a row and the
// appraisal offer for the session and the appraisal's state, and the default names of the files it writes. Every
// rule — who is graded, how many may be 优秀, which grade needs a reason, whether it may still change — is the core's:
// these only decide what is shown, and the core refuses what it does not allow.

import type { Action } from '../access';
import type { Appraisal, AppraisalStep, Grade, OrgUnit, Participant } from '../api/types';
import { GRADES } from '../api/domain';
import { lifeUnits, type UnitChoice } from '../branch-life/units';
import { splitBranch } from '../deadlines';
import { translate, type Locale } from '../i18n/catalogue';

/** How many years back the year selector goes. */
export const YEARS_BACK = 6;

/** The years the screen offers, newest first: this year and the `YEARS_BACK` before it, and the one shown if outside. */
export function appraisalYears(thisYear: number, shown: number, back: number = YEARS_BACK): number[] {
  const years = new Set<number>([shown]);
  for (let y = thisYear; y >= thisYear - back; y--) years.add(y);
  return [...years].sort((a, b) => b - a);
}

/** The year of a day `2026-11-24`. */
export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

/**
 * The units an appraisal can be opened for: the committee first (all its branches at once), then the general
 * branches (all theirs) and branches, depth first. A session limited to some branches (a branch secretary's) is
 * offered only those and what is below them, never the committee. The core still refuses a unit the session may not
 * change, or a branch that already has its appraisal of the year.
 */
export function openingUnits(units: readonly OrgUnit[], mine: readonly number[] = []): UnitChoice[] {
  const committees: UnitChoice[] =
    mine.length > 0 ? [] : units.filter((u) => u.parent_id === null).map((u) => ({ id: u.id, kind: u.kind, label: u.name, depth: 0 }));
  const below = committees.length > 0 ? 1 : 0;
  return [...committees, ...lifeUnits(units, mine).map((c) => ({ ...c, depth: c.depth + below }))];
}

/** The day a step was held, as the core has it; `null` while it is not dated. */
export function stepDate(appraisal: Pick<Appraisal, 'steps'>, step: AppraisalStep): string | null {
  return appraisal.steps.find((s) => s.step === step)?.date ?? null;
}

/** A branch's appraisal in figures, for its row in the list and the heading of its table. */
export interface AppraisalTally {
  /** Full members, graded (the core's count). */
  graded: number;
  /** Probationary members: they take part, ungraded. */
  probationary: number;
  /** Graded members whose grade is decided. */
  decided: number;
  /** How many are decided each grade, best first. */
  counts: Record<Grade, number>;
  /** The core's 优秀 cap: more than this needs a reason each. */
  cap: number;
}

export function tallyOf(a: Pick<Appraisal, 'participants' | 'graded' | 'excellent_cap'>): AppraisalTally {
  const counts = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  for (const p of a.participants) if (p.grade !== null) counts[p.grade]++;
  return {
    graded: a.graded,
    probationary: a.participants.filter((p) => !p.graded).length,
    decided: a.participants.filter((p) => p.graded && p.grade !== null).length,
    counts,
    cap: a.excellent_cap,
  };
}

/** Whether the appraisal is closed: its grades are in the members' files and it no longer changes. */
export function isClosed(a: Pick<Appraisal, 'closed_on'>): boolean {
  return a.closed_on !== null;
}

/** What the chosen appraisal offers the session: changing it (its steps, the vote, closing it) while it is open. */
export interface AppraisalOffers {
  /** Date its steps, enter or import the vote, close it. */
  change: boolean;
  /** Print its ballots and results (a reader's too). */
  print: boolean;
}

export function appraisalOffers(a: Pick<Appraisal, 'closed_on'>, may: (action: Action) => boolean): AppraisalOffers {
  return { change: may('edit_members') && !isClosed(a), print: may('read_members') };
}

/** What a participant's row offers the session. */
export interface RowOffers {
  /** Four vote counts to type (saved with the others). */
  votes: boolean;
  /** The branch's proposed grade to change. */
  propose: boolean;
  /** The grade to decide, with its reason. */
  grade: boolean;
  /** The outcome of a correction period still running (also once the appraisal is closed). */
  endCorrection: boolean;
}

/**
 * A row's controls: a graded member's votes, proposal and grade while the appraisal is open and the session may edit
 * members; a probationary member's row shows them taking part, with nothing to enter. The outcome of a correction
 * period is recorded after closing, while it has none.
 */
export function rowOffers(
  p: Pick<Participant, 'graded' | 'in_register' | 'correction'>,
  a: Pick<Appraisal, 'closed_on'>,
  may: (action: Action) => boolean,
): RowOffers {
  const edit = may('edit_members');
  // One who has left the register since is graded no more (the core says so, with `in_register`).
  const open = edit && !isClosed(a) && p.graded && p.in_register;
  return { votes: open, propose: open, grade: open, endCorrection: edit && p.correction !== null && p.correction.outcome === null };
}

/** The branch's own name (the last of its path `学生党总支/本科生第一党支部`). */
export function branchName(a: Pick<Appraisal, 'unit'>): string {
  return splitBranch(a.unit).name || a.unit;
}

/** The title of the ballots' PDF, for the save dialog's default name: `本科生第一党支部 2026年度民主测评表`. */
export function ballotsTitle(a: Pick<Appraisal, 'unit' | 'year'>, locale: Locale): string {
  return translate(locale, 'appraisal.file_ballots', { branch: branchName(a), year: a.year });
}

/** The title of a branch's results PDF: `本科生第一党支部 2026年度民主评议结果`. */
export function resultsTitle(a: Pick<Appraisal, 'unit' | 'year'>, locale: Locale): string {
  return translate(locale, 'appraisal.file_results', { branch: branchName(a), year: a.year });
}

/** The title of the year's workbook: `2026年度民主评议结果汇总`. */
export function yearTitle(year: number, locale: Locale): string {
  return translate(locale, 'appraisal.file_year', { year });
}

/** The list with one appraisal replaced by what the core returned after a change (the others as they were). */
export function replaced(list: readonly Appraisal[], changed: Appraisal): Appraisal[] {
  return list.map((a) => (a.id === changed.id ? changed : a));
}

/**
 * The appraisal shown after the list was read: the one chosen before, as the list now has it; else the only one
 * when there is just one (a branch secretary's); else none.
 */
export function keptChoice(list: readonly Appraisal[], chosen: number | null): Appraisal | null {
  return list.find((a) => a.id === chosen) ?? (list.length === 1 ? (list[0] ?? null) : null);
}
