// The training classes' forms, pure: a class's sessions edited as rows (hours typed, minutes stored), whom the enrol
// picker offers first for each kind of class, the trainees' results as typed, who attended a session, and a class's
// figures for its row. Nothing here judges a class: its dates, a day's time, the 3 days or 24 hours a development
// targets' class asks (细则第十七条) and the scores' range are the core's, which names what it refuses.

import { STAGES } from '../api/domain';
import type { ClassKind, ClassRecord, ClassSession, MemberQuery, MemberSummary, Stage, Trainee, TraineeResult } from '../api/types';
import { parseIsoDate } from '../i18n/format';
import { hoursToMinutes } from './meeting-form';

/** Minutes as hours for a table, to two decimals: `90` → `1.5`, `100` → `1.67`, `0` → `0`. */
export function fmtMinutes(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** Minutes as hours for a field: `90` → `1.5`; none as empty. */
function hoursField(minutes: number): string {
  return minutes > 0 ? fmtMinutes(minutes) : '';
}

/** A session's time as typed, in whole minutes (`1.5` → 90); `null` when empty or not a number of hours. */
export function sessionMinutes(text: string): number | null {
  return text.trim() === '' ? null : hoursToMinutes(text);
}

/** One session as the class dialog edits it: its stored id (`null` for a new one), and its fields as typed. */
export interface SessionRow {
  /** Keeps a row's inputs with it when another is removed. */
  key: number;
  id: number | null;
  date: string;
  hours: string;
  topic: string;
}

/** The rows of a class's stored sessions, in its order. */
export function sessionRows(sessions: readonly ClassSession[]): SessionRow[] {
  return sessions.map((s, i) => ({ key: i, id: s.id, date: s.date, hours: hoursField(s.minutes), topic: s.topic ?? '' }));
}

/** The day after `iso` (`2026-10-31` → `2026-11-01`); `null` when `iso` is not a date. */
export function nextDay(iso: string): string | null {
  const d = parseIsoDate(iso);
  if (!d) return null;
  return new Date(Date.UTC(d.year, d.month - 1, d.day + 1)).toISOString().slice(0, 10);
}

/**
 * The rows with a new session last: the day after the last session (the class's first day when there is none, or the
 * last is no date), as long as the last one.
 */
export function addSession(rows: readonly SessionRow[], starts: string): SessionRow[] {
  const last = rows.at(-1);
  const date = (last && nextDay(last.date)) ?? starts.trim();
  const key = rows.reduce((k, r) => Math.max(k, r.key + 1), 0);
  return [...rows, { key, id: null, date, hours: last?.hours ?? '', topic: '' }];
}

/** The rows without the one at `index`: a stored session left out is deleted by the core, with its attendance. */
export function removeSession(rows: readonly SessionRow[], index: number): SessionRow[] {
  return rows.filter((_, i) => i !== index);
}

export interface SessionsRead {
  /** The sessions for the core, in the rows' order; only whole when no row is bad. */
  sessions: ClassSession[];
  /** The rows whose date is not a date. */
  badDates: number[];
  /** The rows whose time is empty or not a number of hours. */
  badHours: number[];
}

/** The rows as the core's sessions: ids kept (a kept session keeps its attendance), times in minutes, topics trimmed. */
export function readSessions(rows: readonly SessionRow[]): SessionsRead {
  const out: SessionsRead = { sessions: [], badDates: [], badHours: [] };
  rows.forEach((row, i) => {
    const minutes = sessionMinutes(row.hours);
    const dateOk = parseIsoDate(row.date) !== null;
    if (!dateOk) out.badDates.push(i);
    if (minutes === null) out.badHours.push(i);
    if (!dateOk || minutes === null) return;
    const topic = row.topic.trim();
    out.sessions.push({ id: row.id, date: row.date.trim(), minutes, topic: topic === '' ? null : topic });
  });
  return out;
}

/** Whom the enrol picker lists: the people at a stage, or `member`, the members (预备党员 and 正式党员). */
export type EnrolStage = Stage | 'member';

/** The picker's choices: the stages in the procedure's order, then the members together. */
export const ENROL_STAGES: readonly EnrolStage[] = [...STAGES, 'member'];

/** Whom each kind of class trains, offered first: 入党积极分子, 发展对象, or the members. */
const DEFAULT_ENROL_STAGE: Record<ClassKind, EnrolStage> = {
  activist_class: 'activist',
  candidate_class: 'candidate',
  member_class: 'member',
};

export function defaultEnrolStage(kind: ClassKind): EnrolStage {
  return DEFAULT_ENROL_STAGE[kind];
}

/** The most people the picker reads for one unit, as the unit's member lists do. */
export const ENROL_LIMIT = 5000;

/** The question for the picker: the unit's people (its whole subtree) at the stage; the members are read together. */
export function enrolQuery(stage: EnrolStage, unit: number): MemberQuery {
  return { stage: stage === 'member' ? null : stage, branch_id: unit, search: null, offset: 0, limit: ENROL_LIMIT, cell: null };
}

/** The people the picker offers from the core's answer: those at the stage whose membership has not ended. */
export function enrolPeople(items: readonly MemberSummary[], stage: EnrolStage): MemberSummary[] {
  const at = (s: Stage) => (stage === 'member' ? s === 'probationary' || s === 'full_member' : s === stage);
  return items.filter((m) => !m.ended && at(m.stage));
}

/** The people shown whose name or number contains what is typed. */
export function filterPeople(people: readonly MemberSummary[], text: string): MemberSummary[] {
  const q = text.trim().toLowerCase();
  if (q === '') return [...people];
  return people.filter((p) => p.name.toLowerCase().includes(q) || (p.student_no ?? '').toLowerCase().includes(q));
}

/** A trainee's result as the select says it. */
export type Passed = 'yes' | 'no' | 'undecided';

export const PASSED_CHOICES: readonly Passed[] = ['undecided', 'yes', 'no'];

export function passedOf(passed: boolean | null): Passed {
  return passed === null ? 'undecided' : passed ? 'yes' : 'no';
}

export function readPassed(passed: Passed): boolean | null {
  return passed === 'undecided' ? null : passed === 'yes';
}

/**
 * A score as typed: empty is none, a whole number (full-width digits too, as a Chinese keyboard types them) is the
 * score; anything else is not one (`ok: false`). Whether it is within 0–100 is the core's to say.
 */
export function readScore(text: string): { ok: true; score: number | null } | { ok: false } {
  const t = text.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (t === '') return { ok: true, score: null };
  if (!/^\d{1,9}$/.test(t)) return { ok: false };
  return { ok: true, score: Number(t) };
}

/** A trainee's result as typed. */
export interface ResultDraft {
  score: string;
  passed: Passed;
}

/**
 * The results as the form shows them: each trainee's as stored, but one already typed (`previous`) kept, so that
 * another change of the class (someone enrolled, a session's attendance) does not undo what is being typed.
 */
export function resultDrafts(trainees: readonly Trainee[], previous?: ReadonlyMap<number, ResultDraft>): Map<number, ResultDraft> {
  return new Map(
    trainees.map((t) => [
      t.person_id,
      previous?.get(t.person_id) ?? { score: t.score === null ? '' : String(t.score), passed: passedOf(t.passed) },
    ]),
  );
}

/** Whether a result as typed differs from one stored: a score compared as a number when it is one (`８０` is 80). */
export function resultChanged(typed: ResultDraft, stored: ResultDraft): boolean {
  const scoreOf = (text: string) => {
    const read = readScore(text);
    return read.ok ? read.score : text.trim();
  };
  return scoreOf(typed.score) !== scoreOf(stored.score) || typed.passed !== stored.passed;
}

/**
 * The results as the form shows them once the class is read again (`after`, another worker's change included): what
 * was typed over the results stored `before` is kept, and every other trainee shows what is stored now, so neither
 * an unchanged draft hides the other's change nor a save writes the old value back over it.
 */
export function draftsAfterReread(
  before: readonly Trainee[],
  after: readonly Trainee[],
  drafts: ReadonlyMap<number, ResultDraft>,
): Map<number, ResultDraft> {
  const stored = resultDrafts(before);
  const typed = new Map(
    [...drafts].filter(([id, draft]) => {
      const was = stored.get(id);
      return was !== undefined && resultChanged(draft, was);
    }),
  );
  return resultDrafts(after, typed);
}

/** The results for the core, every trainee in the class's order; `bad` names those whose score is not a number. */
export function readResults(
  trainees: readonly Trainee[],
  drafts: ReadonlyMap<number, ResultDraft>,
): { results: TraineeResult[]; bad: number[] } {
  const results: TraineeResult[] = [];
  const bad: number[] = [];
  for (const t of trainees) {
    const draft = drafts.get(t.person_id) ?? { score: t.score === null ? '' : String(t.score), passed: passedOf(t.passed) };
    const score = readScore(draft.score);
    if (!score.ok) bad.push(t.person_id);
    else results.push({ person_id: t.person_id, score: score.score, passed: readPassed(draft.passed) });
  }
  return { results, bad };
}

/** The trainees recorded at a session, in the class's order. */
export function presentAt(trainees: readonly Trainee[], sessionId: number): number[] {
  return trainees.filter((t) => t.sessions.includes(sessionId)).map((t) => t.person_id);
}

export interface ClassFigures {
  /** The class time of all its sessions. */
  minutes: number;
  trainees: number;
  passed: number;
}

/** A class's row: its total time, its trainees, and those the core records as passed. */
export function classFigures(record: ClassRecord): ClassFigures {
  return {
    minutes: record.class.sessions.reduce((sum, s) => sum + s.minutes, 0),
    trainees: record.trainees.length,
    passed: record.trainees.filter((t) => t.passed === true).length,
  };
}
