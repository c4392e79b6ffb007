// What the member-file screens work out from the bridge's types, kept out of the components so it can be tested:
// a checklist line's state, a record's one-line summary, the steps a record may document, the fields each kind
// carries, sizes, and which picked or dropped files can be attached at all. The attachment helpers serve a meeting's
// files (会议文件) as well: the core keeps both kinds of file the same way.

import { RECORD_STEPS } from './api/domain';
import type {
  AttachmentInfo,
  ChecklistLine,
  FileFilter,
  FileRecord,
  Grade,
  MediaType,
  ProcedureEvent,
  RecordFields,
  RecordKind,
} from './api/types';

/** present: on file; missing: its step is recorded but the file lacks it; not_yet: its step has not happened. */
export type LineState = 'present' | 'missing' | 'not_yet';

/** A material already on file counts as present even before its step is recorded (a letter filed early). */
export function lineState(line: ChecklistLine): LineState {
  if (line.records.length > 0) return 'present';
  return line.expected ? 'missing' : 'not_yet';
}

export function missingCount(lines: readonly ChecklistLine[]): number {
  return lines.filter((l) => lineState(l) === 'missing').length;
}

/** What a list shows for a record: its title, else the first non-blank line of its text, else nothing. */
export function recordSummary(r: Pick<FileRecord, 'title' | 'body'>): string {
  const title = r.title?.trim();
  if (title) return title;
  return r.body.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** The member's events a record of `kind` may document, oldest first: the core refuses any other. */
export function stepChoices(kind: RecordKind, events: readonly ProcedureEvent[]): ProcedureEvent[] {
  const steps = RECORD_STEPS[kind];
  return events.filter((e) => e.id !== null && steps.includes(e.kind)).sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The step to tie a record to after its kind changes: the current one while it is still allowed, else the only
 * allowed one, else none. With several (thought reports, the two branch meetings) the worker chooses.
 */
export function stepFor(kind: RecordKind, events: readonly ProcedureEvent[], current: number | null): number | null {
  const choices = stepChoices(kind, events);
  if (current !== null && choices.some((e) => e.id === current)) return current;
  return choices.length === 1 ? choices[0]!.id : null;
}

export type OwnField = 'who' | 'course' | 'hours' | 'certificate' | 'grade' | 'score';

/** The fields a kind carries besides its text (`RecordFields`); the core requires who, course, hours and grade. */
export const OWN_FIELDS: Record<RecordKind, readonly OwnField[]> = {
  application_letter: [],
  talk_record: ['who'],
  thought_report: [],
  activist_review: [],
  training_record: ['course', 'hours', 'certificate'],
  introducer_opinion: [],
  political_review: [],
  membership_form: [],
  branch_resolution: [],
  approval: [],
  oath: [],
  conversion_application: [],
  study_note: [],
  appraisal: ['grade', 'score'],
};

/** The own fields as the form holds them: text, as typed. */
export interface FieldsForm {
  who: string;
  course: string;
  hours: string;
  certificate: string;
  grade: Grade | null;
  score: string;
}

export function fieldsForm(f: RecordFields | null): FieldsForm {
  return {
    who: f?.who ?? '',
    course: f?.course ?? '',
    hours: f?.hours != null ? String(f.hours) : '',
    certificate: f?.certificate ?? '',
    grade: f?.grade ?? null,
    score: f?.score != null ? String(f.score) : '',
  };
}

/** A number as typed: `null` when blank, `NaN` when it is not a number (the form says so before asking the core). */
export function parseNumber(text: string): number | null {
  // NFKC: full-width digits and point, as a Chinese input method types them, become ASCII.
  const s = text.normalize('NFKC').trim();
  if (s === '') return null;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
}

/**
 * The record's fields for its kind: the kind's own, the others empty, so that a record whose kind was changed in the
 * form does not keep a stale course or grade.
 */
export function buildFields(kind: RecordKind, form: FieldsForm): RecordFields {
  const own = new Set(OWN_FIELDS[kind]);
  const text = (f: OwnField, v: string) => (own.has(f) && v.trim() ? v.trim() : null);
  const num = (f: OwnField, v: string) => (own.has(f) ? parseNumber(v) : null);
  return {
    who: text('who', form.who),
    course: text('course', form.course),
    hours: num('hours', form.hours),
    certificate: text('certificate', form.certificate),
    grade: own.has('grade') ? form.grade : null,
    score: num('score', form.score),
  };
}

/** The fields the core names in `invalid_input` that the record form shows beside an input. */
export const FORM_FIELDS = ['date', 'event_id', 'title', 'body', 'who', 'course', 'hours', 'certificate', 'grade', 'score', 'attachment'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** What the core accepts as an attachment, by name; it checks the content too. */
export const ATTACHABLE_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'pdf'];

/** The open dialog's filters for an attachment: every kind the core accepts (named `allName`), then each alone. */
export function attachmentFilters(allName: string): FileFilter[] {
  return [
    { name: allName, extensions: [...ATTACHABLE_EXTENSIONS] },
    { name: 'JPEG', extensions: ['jpg', 'jpeg'] },
    { name: 'PNG', extensions: ['png'] },
    { name: 'PDF', extensions: ['pdf'] },
  ];
}

/** The file's name: the last part of a path, with either separator (paths come from Windows too). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function isAttachable(path: string): boolean {
  const ext = /\.([^.\\/]+)$/.exec(path.trim())?.[1]?.toLowerCase();
  return ext !== undefined && ATTACHABLE_EXTENSIONS.includes(ext);
}

/**
 * Adds picked or dropped files to those waiting to be attached: once each, in the order given. Files the core would
 * refuse by their name alone (a .docx) are not added but returned, so the form can say which at once.
 */
export function addPending(pending: readonly string[], paths: readonly string[]): { pending: string[]; refused: string[] } {
  const next = [...pending];
  const refused: string[] = [];
  for (const p of paths) {
    if (!isAttachable(p)) refused.push(p);
    else if (!next.includes(p)) next.push(p);
  }
  return { pending: next, refused };
}

/** Which waiting file an `attachment` error is about: the core's reason names the file. */
export function pendingNamedIn(reason: string, pending: readonly string[]): string | null {
  return pending.find((p) => reason.includes(`「${fileName(p)}」`) || reason.includes(`“${fileName(p)}”`)) ?? null;
}

/** `850 B`, `12 KB`, `3.4 MB`: the same in both languages. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** The short tag an attachment chip shows. */
export const MEDIA_TAG: Record<MediaType, string> = { 'image/jpeg': 'JPG', 'image/png': 'PNG', 'application/pdf': 'PDF' };

export function isImage(mediaType: MediaType): boolean {
  return mediaType === 'image/jpeg' || mediaType === 'image/png';
}

/** The extensions a stored file's content answers to, the usual one first. */
const MEDIA_EXTENSIONS: Record<MediaType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'application/pdf': ['pdf'],
};

/**
 * The name a saved copy is offered under: the name the file was added under, with the extension of what it holds
 * when that name lacks it (the core recognised the file by its content, so `签到表` may be a PNG), so that the copy
 * opens in the right application.
 */
export function copyName(a: Pick<AttachmentInfo, 'name' | 'media_type'>): string {
  const name = a.name.trim() || 'file';
  const ext = /\.([^.\\/]+)$/.exec(name)?.[1]?.toLowerCase();
  const own = MEDIA_EXTENSIONS[a.media_type];
  return ext !== undefined && own.includes(ext) ? name : `${name}.${own[0]}`;
}
