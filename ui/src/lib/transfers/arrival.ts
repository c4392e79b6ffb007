// Members arriving by transfer (转入) as the 组织关系 screen registers them: the arrival dialog's fields as the core's
// `NewArrival` (the person, the steps taken elsewhere with their days, the letter, the materials that came with the
// file), a member package's receipt as typed, and the branches a new member may be put in. Whether the steps are in
// order, a day is allowed, a material's step is on file or a package opens is the core's to say: each form sends
// what was typed (checking only that a day is a day and a month a month) and shows the core's refusal beside the
// field it names.

import { CHECKLIST_MATERIALS } from '../api/domain';
import type { ArrivalRecord, EventKind, Gender, NewArrival, OrgUnit, ProcedureEvent } from '../api/types';
import { lifeUnits, type UnitChoice } from '../branch-life/units';
import { optional } from '../branch-life/meeting-form';
import { parseMonth } from '../dues/months';
import { translate, type Locale } from '../i18n/catalogue';
import { formatDate, parseIsoDate } from '../i18n/format';

/**
 * The steps the dialog asks the day of, in procedure order: those a letter and its file attest (the application,
 * activist, development target, admission, approval, conversion; `NewArrival.steps`). Any left empty is not sent.
 */
export const ARRIVAL_STEPS = [
  'application_received',
  'activist_determined',
  'candidate_determined',
  'admitted',
  'admission_approved',
  'conversion_approved',
] as const satisfies readonly EventKind[];

export type ArrivalStep = (typeof ARRIVAL_STEPS)[number];

/** The texts the arrival dialog asks, by the core's names: the name, ID card and student numbers, 转出党组织, the letter's number. */
export const ARRIVAL_TEXTS = ['name', 'id_number', 'student_no', 'from', 'letter'] as const;
export type ArrivalText = (typeof ARRIVAL_TEXTS)[number];

/**
 * The days it asks, by the core's names: the birth date, the letter's day, the day received (the one required), the
 * steps' days, and 入党时间 (`joined_on`) of a full member whose admission is not among the steps.
 */
export const ARRIVAL_DAYS = ['birth_date', 'letter_date', 'received', ...ARRIVAL_STEPS, 'joined_on'] as const;
export type ArrivalDay = (typeof ARRIVAL_DAYS)[number];

/** The arrival dialog's fields as typed. */
export interface ArrivalDraft {
  text: Record<ArrivalText, string>;
  /** Each empty when not known (or, for a step, not taken). */
  days: Record<ArrivalDay, string>;
  branchId: number | '';
  gender: Gender | '';
  /** The month dues were paid up to, `2026-05`, or empty. */
  duesThrough: string;
  /** The checklist's materials ticked. */
  materials: readonly string[];
  /** The worker confirmed this is someone else than the namesake who already arrived from the same organisation. */
  anotherPerson: boolean;
}

/** Nothing typed yet, but the day received: `today`. */
export function blankArrival(today: string): Pick<ArrivalDraft, 'text' | 'days'> {
  const blank = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, ''])) as Record<K, string>;
  return { text: blank(ARRIVAL_TEXTS), days: { ...blank(ARRIVAL_DAYS), received: today } };
}

export interface ArrivalRead {
  arrival: NewArrival | null;
  /** The fields, by the core's names (`name`, `branch_id`, `from`, `received`, a step's kind…), not as they must be. */
  bad: ReadonlySet<string>;
}

/**
 * The arrival dialog's fields as the core's `NewArrival`: a new person (no id) in the branch chosen, only the facts
 * the dialog asks (the rest empty), the steps dated in procedure order, and the materials in the checklist's order.
 */
export function readArrival(d: ArrivalDraft): ArrivalRead {
  const bad = new Set<string>();
  const day = (field: ArrivalDay): string | null => {
    const typed = d.days[field].trim();
    if (typed === '') return null;
    if (parseIsoDate(typed)) return typed;
    bad.add(field);
    return null;
  };
  const name = d.text.name.trim();
  const origin = d.text.from.trim();
  if (name === '') bad.add('name');
  if (d.branchId === '') bad.add('branch_id');
  if (origin === '') bad.add('from');
  const birthDate = day('birth_date');
  const joinedOn = day('joined_on');
  const letterDate = day('letter_date');
  const receivedOn = day('received');
  if (receivedOn === null) bad.add('received');
  const dues = d.duesThrough.trim() === '' ? null : parseMonth(d.duesThrough);
  if (dues === null && d.duesThrough.trim() !== '') bad.add('dues_paid_through');
  const steps: ProcedureEvent[] = [];
  for (const kind of ARRIVAL_STEPS) {
    const date = day(kind);
    if (date !== null) steps.push({ id: null, kind, date, months: null, note: null });
  }
  if (bad.size > 0 || d.branchId === '' || receivedOn === null) return { arrival: null, bad };
  return {
    arrival: {
      person: {
        id: null,
        branch_id: d.branchId,
        name,
        gender: d.gender === '' ? null : d.gender,
        ethnicity: null,
        birth_date: birthDate,
        id_number: optional(d.text.id_number),
        student_no: optional(d.text.student_no),
        category: null,
        department: null,
        class_name: null,
        phone: null,
        native_place: null,
        notes: null,
        education: null,
        class_year: null,
        student_level: null,
        occupation: null,
        joined_on: joinedOn,
      },
      steps,
      received_on: receivedOn,
      origin,
      letter_number: optional(d.text.letter),
      letter_issued_on: letterDate,
      dues_paid_through: dues,
      materials: CHECKLIST_MATERIALS.filter((m) => d.materials.includes(m)),
      another_person: d.anotherPerson,
    },
    bad,
  };
}

/** The receive-package dialog's fields as typed. */
export interface PackageDraft {
  path: string;
  /** As on the letter: 24 characters, dashes and spaces as the worker likes (the core reads it). */
  code: string;
  branchId: number | '';
  receivedOn: string;
}

/** What `receiveMemberPackage` is asked. */
export interface PackageReceipt {
  path: string;
  code: string;
  branchId: number;
  receivedOn: string;
}

export interface PackageRead {
  receipt: PackageReceipt | null;
  /** The fields left empty or not as they must be: `path`, `code`, `branch_id`, `received`. */
  bad: ReadonlySet<string>;
}

export function readPackageReceipt(d: PackageDraft): PackageRead {
  const path = d.path.trim();
  const code = d.code.trim();
  const receivedOn = d.receivedOn.trim();
  const bad = new Set<string>();
  if (path === '') bad.add('path');
  if (code === '') bad.add('code');
  if (d.branchId === '') bad.add('branch_id');
  if (parseIsoDate(receivedOn) === null) bad.add('received');
  if (bad.size > 0 || d.branchId === '') return { receipt: null, bad };
  return { receipt: { path, code, branchId: d.branchId, receivedOn }, bad };
}

/**
 * The branches a member arriving may be registered in: the 党支部 of the tree, only the session's own (and those
 * below them) when it names some. The core still refuses a branch the session may not edit.
 */
export function arrivalBranches(units: readonly OrgUnit[], mine: readonly number[]): UnitChoice[] {
  return lifeUnits(units, mine).filter((u) => u.kind === 'branch');
}

/** The branch chosen when the dialog opens: the only one offered, else none (the worker chooses). */
export function defaultBranch(choices: readonly UnitChoice[]): number | '' {
  const [only] = choices;
  return choices.length === 1 && only ? only.id : '';
}

/** The letter an arrival came with, as the member page says it: its number and day, either, or `null` for neither. */
export function arrivalLetter(a: Pick<ArrivalRecord, 'letter_number' | 'letter_issued_on'>, locale: Locale): string | null {
  const date = a.letter_issued_on === null ? null : formatDate(a.letter_issued_on, locale);
  if (a.letter_number !== null && date !== null) return translate(locale, 'arrival.letter_number_date', { number: a.letter_number, date });
  if (a.letter_number !== null) return translate(locale, 'arrival.letter_number_only', { number: a.letter_number });
  return date === null ? null : translate(locale, 'arrival.letter_date_only', { date });
}
