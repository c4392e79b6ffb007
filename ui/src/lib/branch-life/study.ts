// The study-hours table's view of the core's figures (`StudyHours`): who is short of the hours asked of them, and the
// list narrowed to them; and an entry of a member's own study (个人学习) as its dialog reads it. The hours, their three
// parts (meetings, classes, own study) and the hours asked (32, or 56 for a committee member) are the core's; so is
// which of a member's entries fall in the year (`studyEntries`), listed with their time in hours.

import type { StudyEntry, StudyHours } from '../api/types';
import { parseIsoDate } from '../i18n/format';
import { hoursToMinutes } from './meeting-form';

/** Studied fewer hours than asked. */
export function isShort(h: Pick<StudyHours, 'hours' | 'required'>): boolean {
  return h.hours < h.required;
}

/** The rows shown: everyone, or only those short of their hours. */
export function studyRows(rows: readonly StudyHours[], onlyShort: boolean): StudyHours[] {
  return onlyShort ? rows.filter(isShort) : [...rows];
}

/** Hours to a tenth, as the core rounds them: `12.5`, `32`. */
export function fmtHours(hours: number): string {
  return String(Math.round(hours * 10) / 10);
}

/** An entry's time (stored in minutes) as hours to a tenth: `90` → `1.5`, `50` → `0.8`. */
export function entryHours(minutes: number): string {
  return fmtHours(minutes / 60);
}

/** The time of a member's entries added up, in minutes (for their total, in hours, beside the list). */
export function entriesMinutes(entries: readonly Pick<StudyEntry, 'minutes'>[]): number {
  return entries.reduce((sum, e) => sum + e.minutes, 0);
}

/** An entry of own study as the study dialog holds it. */
export interface StudyDraft {
  /** The member, as the select's value (empty until chosen). */
  personId: string;
  date: string;
  hours: string;
  title: string;
  source: string;
}

export interface StudyRead {
  /** The entry for the core, when every field could be read. */
  entry: StudyEntry | null;
  /** The fields left empty or not readable: no member, no date, no number of hours, no title. */
  bad: { person: boolean; date: boolean; hours: boolean; title: boolean };
}

/**
 * The dialog's fields as the core's `StudyEntry` (a new one): hours in whole minutes, texts trimmed, no source as
 * `null`. Whether the day is past and the time at most a day is the core's to say.
 */
export function readStudyEntry(d: StudyDraft): StudyRead {
  const minutes = d.hours.trim() === '' ? null : hoursToMinutes(d.hours);
  const bad = {
    person: !/^\d+$/.test(d.personId),
    date: parseIsoDate(d.date) === null,
    hours: minutes === null,
    title: d.title.trim() === '',
  };
  if (bad.person || bad.date || bad.hours || bad.title || minutes === null) return { entry: null, bad };
  const source = d.source.trim();
  return {
    entry: { id: null, person_id: Number(d.personId), date: d.date.trim(), minutes, title: d.title.trim(), source: source === '' ? null : source },
    bad,
  };
}
