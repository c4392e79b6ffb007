// A graduating class, or any list of people (those ticked in the member list), transferred out in one batch
// (毕业生批量转出) as its dialog reads and shows it: the fields as the core's values (whom: the class year and unit, or
// the people given; and one `NewLetter` for each of them), whether a check still belongs to the fields it was made
// with, and how a failed issue reads. Who is in the class, who would be refused and why, what each still owes and whose
// conversion falls due are the core's answers (`classOf`, `checkLetters`): nothing here looks at a stage. The
// assessment is sent for everyone; the core applies it to probationary members only.

import { toAppError } from '../api/errors';
import type { ErrorKind, LeaverCheck, NewLetter, Unfinished } from '../api/types';
import { translate, type Locale } from '../i18n/catalogue';
import { readNewLetter } from './letters';

/** The batch dialog's fields as typed (the class year and unit unused when the people are given). */
export interface GraduationDraft {
  classYear: string;
  /** The unit chosen (a branch or general branch); `''` for all the session sees. */
  unit: number | '';
  destination: string;
  validity: string;
  date: string;
  assessment: string;
}

/** The letter everyone of the class gets: a `NewLetter` but for whom. */
export type BatchLetter = Omit<NewLetter, 'person_id'>;

/** Whom a batch is for: the class of `classYear` under `unit`, as the core names it, or the people given, in order. */
export type Leavers = { classYear: number; unit: number | null } | { people: readonly number[] };

/** What the core is asked: whom, and the letter each of them gets. */
export interface GraduationBatch {
  who: Leavers;
  letter: BatchLetter;
}

export interface GraduationRead {
  batch: GraduationBatch | null;
  bad: { classYear: boolean; destination: boolean; validity: boolean; date: boolean };
}

/** A class year (年级) as typed: four digits, `2022`, spaces around allowed; `null` for anything else. */
export function readClassYear(text: string): number | null {
  const typed = text.trim();
  return /^\d{4}$/.test(typed) ? Number(typed) : null;
}

/**
 * The dialog's fields as the core's question: whom (the `people` given, else the class year and the unit, `null` for
 * all), and the letter as the issue dialog reads one (destination trimmed; validity and assessment `null` when left
 * empty; no addressee, so the core writes the destination's organisation department).
 */
export function readGraduation(d: GraduationDraft, people: readonly number[] | null = null): GraduationRead {
  const who = readLeavers(d, people);
  const { letter, bad } = readNewLetter(0, { ...d, addressee: '' });
  const read = { ...bad, classYear: who === null };
  if (!letter || who === null) return { batch: null, bad: read };
  const { person_id: _, ...same } = letter;
  return { batch: { who, letter: same }, bad: read };
}

function readLeavers(d: GraduationDraft, people: readonly number[] | null): Leavers | null {
  if (people !== null) return { people: [...people] };
  const classYear = readClassYear(d.classYear);
  return classYear === null ? null : { classYear, unit: d.unit === '' ? null : d.unit };
}

/** The people of a batch, in its order: those given as they are, or the class as the core names it (`classOf`). */
export async function leaverIds(who: Leavers, classOf: (classYear: number, unit: number | null) => Promise<number[]>): Promise<readonly number[]> {
  return 'people' in who ? who.people : classOf(who.classYear, who.unit);
}

/** One letter for each person of the batch, in its order. */
export function batchLetters(ids: readonly number[], letter: BatchLetter): NewLetter[] {
  return ids.map((person_id) => ({ person_id, ...letter }));
}

/** What a check was made with: a check answers only the fields it was asked with (the PDF's path aside). */
export function batchKey(batch: GraduationBatch): string {
  const { letter } = batch;
  return JSON.stringify([batch.who, letter.destination, letter.validity_days, letter.issued_on, letter.assessment]);
}

/** How many of the class the core would refuse: while any, the batch issues nothing. */
export function refusedCount(checks: readonly Pick<LeaverCheck, 'refusal'>[]): number {
  return checks.filter((c) => c.refusal !== null).length;
}

/** Up to this many open items are listed in a row; more are folded into their count. */
export const UNFINISHED_LISTED = 3;

/** Whether a row folds its open items into a count (opened on demand). */
export function unfinishedFolded(items: readonly Unfinished[]): boolean {
  return items.length > UNFINISHED_LISTED;
}

/** The title of the letters' PDF, for the save dialog's default name: `2022级毕业生介绍信`. */
export function graduationTitle(classYear: number | null, locale: Locale): string {
  return classYear === null ? translate(locale, 'graduation.file_any') : translate(locale, 'graduation.file', { year: classYear });
}

/**
 * The kinds of failure the core reports before anything is written: a refusal (of a field, of one person, of the
 * session), the workspace busy or read-only, or the worker's cancel. Issuing is one transaction, so after any of
 * these no letter was issued. Any other (the PDF could not be written after the letters were) may come after.
 */
const NOTHING_WRITTEN: readonly ErrorKind[] = ['invalid_input', 'violations', 'forbidden', 'not_found', 'busy', 'read_only', 'cancelled'];

/** Whether a failed issue certainly issued nothing; otherwise the list must be read again to know. */
export function nothingIssued(error: unknown): boolean {
  return NOTHING_WRITTEN.includes(toAppError(error).kind);
}
