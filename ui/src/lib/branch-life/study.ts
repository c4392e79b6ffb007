// The study-hours table's view of the core's figures (`StudyHours`): who is short of the hours asked of them, and the
// list narrowed to them. The hours and the hours asked (32, or 56 for a committee member) are the core's.

import type { StudyHours } from '../api/types';

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
