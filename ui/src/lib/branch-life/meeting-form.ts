// The meeting dialog's arithmetic, pure: study time typed in hours and stored in minutes, who is on the attendance
// list, the marks made turned into the core's `Attendee`s, and a meeting's attendance counted for its row. The core
// checks everything again (who belongs to the unit, at most a day of study, no held meeting in the future).

import type { Attendance, Attendee, AttendeeName, Meeting, MeetingKind, MemberSummary, PartyGroup } from '../api/types';

/** Hours as typed (`1.5`, `2`, `0,5`) in whole minutes; `null` for what is not a number of hours at least 0. */
export function hoursToMinutes(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (t === '') return 0;
  if (!/^\d*\.?\d*$/.test(t) || t === '.') return null;
  const hours = Number(t);
  return Number.isFinite(hours) ? Math.round(hours * 60) : null;
}

/** Minutes as hours for the field: `90` → `1.5`, `100` → `1.67`, `0` → empty. */
export function minutesToHours(minutes: number): string {
  if (minutes <= 0) return '';
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** Who may be on a meeting's attendance list: members (预备党员 and 正式党员) whose membership has not ended. */
export function attendable(members: readonly MemberSummary[]): MemberSummary[] {
  return members.filter((m) => !m.ended && (m.stage === 'probationary' || m.stage === 'full_member'));
}

export interface RosterLine {
  person_id: number;
  name: string;
}

/**
 * The attendance list: a party group's members for its meeting (when the group has any), else the unit's members; and
 * anyone already recorded as attending who is no longer among them, so that editing keeps them.
 */
export function roster(
  members: readonly MemberSummary[],
  group: Pick<PartyGroup, 'members'> | null,
  recorded: readonly AttendeeName[] = [],
): RosterLine[] {
  const base: RosterLine[] =
    group && group.members.length > 0
      ? group.members.map((m) => ({ person_id: m.person_id, name: m.name }))
      : attendable(members).map((m) => ({ person_id: m.id, name: m.name }));
  const seen = new Set(base.map((l) => l.person_id));
  const extra = recorded.filter((a) => !seen.has(a.person_id)).map((a) => ({ person_id: a.person_id, name: a.name }));
  return [...base, ...extra];
}

export interface Mark {
  attendance: Attendance;
  reason: string;
}

/** The marks of a meeting already recorded, by person. */
export function marksOf(attendees: readonly AttendeeName[]): Map<number, Mark> {
  return new Map(attendees.map((a) => [a.person_id, { attendance: a.attendance, reason: a.reason ?? '' }]));
}

/**
 * The core's attendees from the marks of the people on the list, in its order; someone not marked is not recorded.
 * A reason is kept for leave only (the only mark that asks for one).
 */
export function attendeesOf(lines: readonly RosterLine[], marks: ReadonlyMap<number, Mark>): Attendee[] {
  const out: Attendee[] = [];
  for (const line of lines) {
    const mark = marks.get(line.person_id);
    if (!mark) continue;
    const reason = mark.attendance === 'leave' ? mark.reason.trim() || null : null;
    out.push({ person_id: line.person_id, attendance: mark.attendance, reason });
  }
  return out;
}

export interface Tally {
  present: number;
  late: number;
  leave: number;
  absent: number;
  /** Took part: present or late (dangan-core's `Attendance::attended`). */
  attended: number;
  total: number;
}

export function tally(attendees: readonly { attendance: Attendance }[]): Tally {
  const t: Tally = { present: 0, late: 0, leave: 0, absent: 0, attended: 0, total: attendees.length };
  for (const a of attendees) {
    t[a.attendance]++;
    if (a.attendance === 'present' || a.attendance === 'late') t.attended++;
  }
  return t;
}

/** What a new meeting starts as: the kind (and group) asked for, on `date`, held unless `date` is after `today`. */
export function newMeeting(
  unitId: number,
  preset: { kind: MeetingKind; groupId: number | null; date: string },
  today: string,
): Meeting {
  return {
    id: null,
    unit_id: unitId,
    group_id: preset.kind === 'group_meeting' ? preset.groupId : null,
    kind: preset.kind,
    date: preset.date,
    held: preset.date <= today,
    place: null,
    chair: null,
    recorder: null,
    topic: null,
    minutes: null,
    decisions: null,
    study_minutes: 0,
    guests: null,
    version: null,
  };
}

/** A text field's value for the core: trimmed, and `null` when empty. */
export function optional(text: string): string | null {
  const t = text.trim();
  return t === '' ? null : t;
}
