// Transfer letters (组织关系介绍信) as the 组织关系 screen and the member's page read and write them: which actions a
// row offers for the state the core gave it, the forms' fields as the core's values, the default name of a printed
// letter, and the rows chosen for a batch print. What a letter's validity may be, whether an assessment is needed,
// whether a day is allowed or a letter may still be reissued is the core's to say: each form sends what was typed
// (checking only that a day is a day and a number a number) and shows the core's refusal beside the field it names.

import type { LetterState, NewLetter, TransferLetter } from '../api/types';
import { translate, type Locale } from '../i18n/catalogue';
import { parseIsoDate } from '../i18n/format';

/** What can be done to a letter after it is issued: 记录回执, 重开, 作废. Printing is offered for every letter. */
export type LetterAction = 'receipt' | 'reissue' | 'cancel';

/**
 * The actions a row offers for its state (the core's `LetterState` says: a receipt or a cancellation while the
 * letter is open, issued or expired; a reissue once it expired). An offer is no promise: the core checks again (a
 * reissue only within its months, a day not before the letter's), and its refusal is shown.
 */
export function letterActions(state: LetterState): LetterAction[] {
  switch (state) {
    case 'issued':
      return ['receipt', 'cancel'];
    case 'expired':
      return ['receipt', 'reissue', 'cancel'];
    default:
      return [];
  }
}

/**
 * Whether a row offers its member package (导出档案包): while the letter is in force, issued, expired or received (the
 * core refuses one cancelled or replaced: the member did not go with it).
 */
export function packageOffered(state: LetterState): boolean {
  return state === 'issued' || state === 'expired' || state === 'received';
}

/** A whole number of days as typed: empty is `null` (the rule's default); `undefined` when it is not a number. */
export function readValidity(text: string): number | null | undefined {
  const typed = text.trim();
  if (typed === '') return null;
  return /^\d{1,9}$/.test(typed) ? Number(typed) : undefined;
}

/** The issue dialog's fields as typed. */
export interface IssueDraft {
  destination: string;
  addressee: string;
  validity: string;
  date: string;
  assessment: string;
}

/**
 * The fields `LetterFields` shows, as typed: a letter's own and where to save it as a PDF; the addressee only where
 * the dialog offers it.
 */
export interface LetterFieldsDraft extends Omit<IssueDraft, 'addressee'> {
  addressee?: string;
  path: string;
}

/** Where to write the letters as a PDF, as typed: `null` (write none) when left empty. */
export function pdfPath(text: string): string | null {
  const typed = text.trim();
  return typed === '' ? null : typed;
}

export interface IssueRead {
  letter: NewLetter | null;
  bad: { destination: boolean; validity: boolean; date: boolean };
}

/**
 * The issue dialog's fields as the core's `NewLetter`: text trimmed, an addressee or assessment left empty as `null`
 * (the core writes the destination's organisation department, or asks for an assessment when the member is
 * probationary), the validity `null` for the rule's default.
 */
export function readNewLetter(personId: number, d: IssueDraft): IssueRead {
  const destination = d.destination.trim();
  const addressee = d.addressee.trim();
  const assessment = d.assessment.trim();
  const validity = readValidity(d.validity);
  const date = d.date.trim();
  const bad = { destination: destination === '', validity: validity === undefined, date: parseIsoDate(date) === null };
  if (validity === undefined || bad.destination || bad.date) return { letter: null, bad };
  return {
    letter: {
      person_id: personId,
      destination,
      addressee: addressee === '' ? null : addressee,
      validity_days: validity,
      issued_on: date,
      assessment: assessment === '' ? null : assessment,
    },
    bad,
  };
}

/**
 * A change to a letter, as its dialog sends it: the receipt's day, a reissue (with where to write the new letter as a
 * PDF, `null` for none), or a cancellation with its reason.
 */
export type LetterChange =
  | { action: 'receipt'; date: string }
  | { action: 'reissue'; issuedOn: string; validityDays: number | null; path: string | null }
  | { action: 'cancel'; date: string; reason: string | null };

/**
 * The letter dialog's fields as typed (a receipt uses the day; a reissue also the validity and where to save the new
 * letter; a cancellation the reason).
 */
export interface ChangeDraft {
  date: string;
  validity: string;
  reason: string;
  path: string;
}

export interface ChangeRead {
  change: LetterChange | null;
  bad: { date: boolean; validity: boolean };
}

export function readLetterChange(action: LetterAction, d: ChangeDraft): ChangeRead {
  const date = d.date.trim();
  const validity = action === 'reissue' ? readValidity(d.validity) : null;
  const bad = { date: parseIsoDate(date) === null, validity: validity === undefined };
  if (bad.date || validity === undefined) return { change: null, bad };
  const reason = d.reason.trim();
  const change: LetterChange =
    action === 'receipt'
      ? { action, date }
      : action === 'reissue'
        ? { action, issuedOn: date, validityDays: validity, path: pdfPath(d.path) }
        : { action, date, reason: reason === '' ? null : reason };
  return { change, bad };
}

/** The printed letters' title, for the save dialog's file name: the one letter's number and name, or how many. */
export function lettersTitle(letters: readonly Pick<TransferLetter, 'number' | 'name'>[], locale: Locale): string {
  const [only] = letters;
  return letters.length === 1 && only
    ? translate(locale, 'transfer.file_one', { number: only.number, name: only.name })
    : translate(locale, 'transfer.file_many', { n: letters.length });
}

/** The selection with one letter chosen or left out. */
export function toggled(selected: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selected);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** The letters chosen among those shown, in the list's order: what a batch print writes, a page each. */
export function chosen<L extends Pick<TransferLetter, 'id'>>(selected: ReadonlySet<number>, letters: readonly L[]): L[] {
  return letters.filter((l) => selected.has(l.id));
}
