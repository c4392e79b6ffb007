// The 民主评议 screen's fields as the core's values: the vote as typed in the table (the ballots cast and four counts
// per graded member) read into `VoteRow`s, a decided grade (`GradeDecision`), the opening of an appraisal, the close
// and a correction period's outcome. Only the form is checked here (a whole number is one, a day is a day, something
// is chosen); whether the counts fit the ballots, a grade needs its reason or a day is allowed is the core's to say,
// and its refusal is shown beside the field it names.

import type { Appraisal, CorrectionOutcome, Grade, GradeDecision, Participant, VoteRow, Votes } from '../api/types';
import { GRADES } from '../api/domain';
import { parseIsoDate } from '../i18n/format';

/** A whole number as typed (spaces around allowed); `null` for anything else. */
export function readCount(text: string): number | null {
  const typed = text.trim();
  return /^\d{1,9}$/.test(typed) ? Number(typed) : null;
}

/** A day as typed, `2026-11-24`, trimmed; `null` when it is not a day. */
export function readDay(text: string): string | null {
  return parseIsoDate(text) === null ? null : text.trim();
}

/** A member's four counts as typed, by grade. */
export type VoteCells = Record<Grade, string>;

/** The vote as typed in the table: the ballots cast, and each graded member's counts by their id. */
export interface VoteDraft {
  ballots: string;
  rows: Record<number, VoteCells>;
}

const blankCells = (): VoteCells => ({ excellent: '', qualified: '', basically_qualified: '', unqualified: '' });

/** What the table shows to type over: the core's ballots and counts, blank where none was entered. */
export function voteDraftOf(a: Pick<Appraisal, 'ballots_cast' | 'participants'>): VoteDraft {
  const rows: Record<number, VoteCells> = {};
  for (const p of a.participants) {
    if (!p.graded) continue;
    const v = p.votes;
    rows[p.person_id] = v === null ? blankCells() : (Object.fromEntries(GRADES.map((g) => [g, String(v[g])])) as VoteCells);
  }
  return { ballots: a.ballots_cast === null ? '' : String(a.ballots_cast), rows };
}

/** Whether anything was typed over what the core has. */
export function votesEdited(draft: VoteDraft, a: Pick<Appraisal, 'ballots_cast' | 'participants'>): boolean {
  return draftChanged(draft, voteDraftOf(a));
}

/** Whether anything was typed over `was`, the table as it was when typing began. */
export function draftChanged(draft: VoteDraft, was: VoteDraft): boolean {
  const same = (x: VoteCells | undefined, y: VoteCells | undefined) => GRADES.every((g) => (x?.[g] ?? '').trim() === (y?.[g] ?? '').trim());
  if (draft.ballots.trim() !== was.ballots) return true;
  const ids = new Set([...Object.keys(draft.rows), ...Object.keys(was.rows)].map(Number));
  return [...ids].some((id) => !same(draft.rows[id], was.rows[id]));
}

export interface VotesRead {
  /** The ballots cast and the rows to record; `null` while something typed is not a whole number. */
  vote: { ballotsCast: number; rows: VoteRow[] } | null;
  /** The ballots are not a whole number; the cells that are not (`<person id>:<grade>`). */
  bad: { ballots: boolean; cells: string[] };
}

/** The key of one cell of the table, as `VotesRead.bad.cells` names it. */
export function cellKey(personId: number, grade: Grade): string {
  return `${personId}:${grade}`;
}

/**
 * The vote as the core is asked to record it: the ballots cast, and a row for each member with any count typed (a
 * blank count beside typed ones is 0, as on the imported sheet); a member whose four counts are all blank is not
 * sent, and keeps what the core has. Given `was` (the table as the core last gave it) and the same ballots, a member
 * whose counts were not typed over is not sent either: another worker may have recorded theirs since, and sending
 * the counts read before would put the old ones back.
 */
export function readVotes(draft: VoteDraft, was?: VoteDraft): VotesRead {
  const ballotsCast = readCount(draft.ballots);
  const cells: string[] = [];
  const rows: VoteRow[] = [];
  const onlyChanged = was !== undefined && draft.ballots.trim() === was.ballots.trim();
  for (const [id, typed] of Object.entries(draft.rows)) {
    const personId = Number(id);
    if (GRADES.every((g) => typed[g].trim() === '')) continue;
    const before = was?.rows[personId];
    if (onlyChanged && before && GRADES.every((g) => typed[g].trim() === before[g].trim())) continue;
    const votes: Partial<Votes> = {};
    for (const g of GRADES) {
      const count = typed[g].trim() === '' ? 0 : readCount(typed[g]);
      if (count === null) cells.push(cellKey(personId, g));
      else votes[g] = count;
    }
    rows.push({ person_id: personId, votes: votes as Votes });
  }
  const bad = { ballots: ballotsCast === null, cells };
  if (ballotsCast === null || cells.length > 0) return { vote: null, bad };
  return { vote: { ballotsCast, rows }, bad };
}

/** A decided grade as typed: the grade chosen, the reason (none when left blank). */
export function readDecision(personId: number, grade: Grade | '', reason: string): GradeDecision | null {
  if (grade === '') return null;
  const why = reason.trim();
  return { person_id: personId, grade, reason: why === '' ? null : why };
}

/** Whether the grade or its reason as typed differ from what the core has for the member. */
export function decisionEdited(p: Pick<Participant, 'grade' | 'reason'>, grade: Grade | '', reason: string): boolean {
  return grade !== (p.grade ?? '') || reason.trim() !== (p.reason ?? '').trim();
}

/** The 开展民主评议 dialog's fields as typed. */
export interface OpeningDraft {
  /** A branch, or a unit whose branches all open; `''` while none is chosen. */
  unit: number | '';
  year: number;
  date: string;
}

export interface OpeningRead {
  opening: { unit: number; year: number; openedOn: string } | null;
  bad: { unit: boolean; date: boolean };
}

export function readOpening(d: OpeningDraft): OpeningRead {
  const openedOn = readDay(d.date);
  const bad = { unit: d.unit === '', date: openedOn === null };
  if (d.unit === '' || openedOn === null) return { opening: null, bad };
  return { opening: { unit: d.unit, year: d.year, openedOn }, bad };
}

/** The 改正期结论 dialog's fields as typed. */
export interface CorrectionDraft {
  outcome: CorrectionOutcome | '';
  date: string;
  note: string;
}

export interface CorrectionRead {
  end: { outcome: CorrectionOutcome; date: string; note: string | null } | null;
  bad: { outcome: boolean; date: boolean };
}

export function readCorrection(d: CorrectionDraft): CorrectionRead {
  const date = readDay(d.date);
  const bad = { outcome: d.outcome === '', date: date === null };
  if (d.outcome === '' || date === null) return { end: null, bad };
  const note = d.note.trim();
  return { end: { outcome: d.outcome, date, note: note === '' ? null : note }, bad };
}
