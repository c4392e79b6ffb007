// Members' files for the mock backend: records and attachments in memory, checked as dangan-core's
// `store/files.rs` checks them, and the checklist (材料目录) computed as `checklist.rs` computes it from
// `rules/checklist.toml`. A simplified port: what is present and what is missing agree with the core's for the
// cases the UI shows; the core remains the reference.

import { appError } from './errors';
import { RECORD_STEPS } from './domain';
import type { AttachmentInfo, ChecklistLine, EventKind, FileRecord, MediaType, ProcedureEvent, RecordKind } from './types';
import { fileName } from '../files';
import { en } from '../i18n/en';
import { parseIsoDate } from '../i18n/format';
import { zhCN } from '../i18n/zh-CN';

/** One material a complete file holds: a line of `rules/checklist.toml`. */
export interface Material {
  id: string;
  name_zh: string;
  name_en: string;
  record: RecordKind;
  /** The step the record must document, where two materials share a kind. */
  event: EventKind | null;
  /** Expected once this step is recorded. */
  when: EventKind;
}

const m = (id: string, name_zh: string, name_en: string, record: RecordKind, when: EventKind, event: EventKind | null = null): Material => ({
  id, name_zh, name_en, record, event, when,
});

/** `rules/checklist.toml`, in the archive's order. */
export const MATERIALS: readonly Material[] = [
  m('application_letter', '入党申请书', 'Application letter', 'application_letter', 'application_received'),
  m('talk_record', '与入党申请人谈话记录', 'Record of the talk with the applicant', 'talk_record', 'applicant_talk'),
  m('thought_reports', '思想汇报', 'Thought reports', 'thought_report', 'thought_report'),
  m('activist_reviews', '培养教育考察意见', 'Activist reviews', 'activist_review', 'activist_review'),
  m('training', '集中培训结业证明', 'Centralised training record', 'training_record', 'centralised_training'),
  m('political_review', '政治审查材料', 'Political review', 'political_review', 'political_review'),
  m('introducer_opinion', '入党介绍人意见', "Introducers' opinion", 'introducer_opinion', 'admitted'),
  m('admission_resolution', '支部大会接收预备党员决议', 'Branch meeting resolution to admit', 'branch_resolution', 'admitted', 'admitted'),
  m('admission_approval', '上级党委审批意见', "Upper committee's approval of the admission", 'approval', 'admission_approved', 'admission_approved'),
  m('oath', '入党宣誓记录', 'Oath', 'oath', 'oath'),
  m('conversion_application', '转正申请书', 'Conversion application', 'conversion_application', 'conversion_meeting'),
  m('conversion_resolution', '支部大会转正决议', 'Branch meeting resolution to convert', 'branch_resolution', 'conversion_meeting', 'conversion_meeting'),
  m('conversion_approval', '上级党委批准转正意见', "Upper committee's approval of the conversion", 'approval', 'conversion_approved', 'conversion_approved'),
];

/**
 * Which materials the file holds and lacks. As the core: a record documenting a step counts for the material of that
 * step; one documenting none, for the first material of its kind that has no step of its own or is still missing
 * (else the last of its kind). Records are taken oldest first.
 */
export function checklist(events: readonly ProcedureEvent[], records: readonly FileRecord[], materials: readonly Material[] = MATERIALS): ChecklistLine[] {
  const stepOf = (id: number | null) => (id === null ? null : (events.find((e) => e.id === id)?.kind ?? null));
  const lines: ChecklistLine[] = materials.map((x) => ({
    material: x.id,
    name_zh: x.name_zh,
    name_en: x.name_en,
    expected: events.some((e) => e.kind === x.when),
    records: [],
    date: null,
  }));
  const sorted = [...records].sort((a, b) => a.date.localeCompare(b.date) || (a.id ?? 0) - (b.id ?? 0));
  for (const r of sorted) {
    if (r.id === null) continue;
    const step = stepOf(r.event_id);
    const sameKind = materials.map((x, i) => ({ x, i })).filter(({ x }) => x.record === r.kind);
    const slot = step
      ? sameKind.find(({ x }) => x.event === null || x.event === step)
      : (sameKind.find(({ x, i }) => x.event === null || lines[i]!.records.length === 0) ?? sameKind.at(-1));
    if (!slot) continue;
    const line = lines[slot.i]!;
    line.records.push(r.id);
    line.date ??= r.date;
  }
  return lines;
}

function invalid(field: string, reason_zh: string, reason_en: string) {
  return appError('invalid_input', `invalid ${field}`, { field, reason_zh, reason_en });
}

/** The words the core uses, from the UI's catalogues (the same words): `[zh, en]`. */
const kindLabel = (kind: RecordKind): [string, string] => [zhCN[`record_kind.${kind}`], en[`record_kind.${kind}`]];
const stepLabel = (kind: EventKind): [string, string] => [zhCN[`event.${kind}`], en[`event.${kind}`]];

const MAX_TITLE_CHARS = 200;
const MAX_BODY_CHARS = 100_000;

function tidy(s: string | null): string | null {
  const v = s?.trim() ?? '';
  return v ? v : null;
}

/** The core's `check_record`: the record as it will be stored (trimmed), or `invalid_input` naming the field. */
export function checkRecord(record: FileRecord, events: readonly ProcedureEvent[], today: string): FileRecord {
  const [kindZh, kindEn] = kindLabel(record.kind);
  const d = parseIsoDate(record.date);
  if (!d) throw invalid('date', '日期格式应为“年-月-日”，例如 2026-11-24', 'Write the date as year-month-day, e.g. 2026-11-24');
  if (record.date > today)
    throw invalid('date', `「${kindZh}」的日期 ${d.year}年${d.month}月${d.day}日 晚于今天`, `the date of the ${kindEn}, ${record.date}, is in the future`);
  if (record.event_id !== null) {
    const event = events.find((e) => e.id === record.event_id);
    if (!event) throw invalid('event_id', `该成员没有编号为 ${record.event_id} 的事件`, `the member has no event ${record.event_id}`);
    if (!RECORD_STEPS[record.kind].includes(event.kind)) {
      const [stepZh, stepEn] = stepLabel(event.kind);
      throw invalid('event_id', `「${kindZh}」不记载「${stepZh}」这一步`, `a ${kindEn} does not document “${stepEn}”`);
    }
  }
  const title = tidy(record.title);
  if (title && [...title].length > MAX_TITLE_CHARS) throw invalid('title', '标题超过 200 个字', 'the title is longer than 200 characters');
  if ([...record.body].length > MAX_BODY_CHARS)
    throw invalid('body', `正文超过 ${MAX_BODY_CHARS} 个字，请作为附件添加`, `the text is longer than ${MAX_BODY_CHARS} characters; attach it as a file`);
  const fields = { ...record.fields, who: tidy(record.fields.who), course: tidy(record.fields.course), certificate: tidy(record.fields.certificate) };
  if (record.kind === 'talk_record' && !fields.who) throw invalid('who', '谈话记录须写明谈话人', 'a talk record needs who talked with the person');
  if (record.kind === 'training_record') {
    if (!fields.course) throw invalid('course', '培训记录须写明课程名称', 'a training record needs the course');
    if (fields.hours === null || !(fields.hours > 0 && fields.hours <= 1000))
      throw invalid('hours', '培训学时应为 0 至 1000 之间的数', 'the training hours must be a number above 0 and at most 1000');
  }
  if (record.kind === 'appraisal') {
    if (!fields.grade)
      throw invalid(
        'grade',
        '民主评议须写明等次：优秀、合格、基本合格或不合格',
        'an appraisal needs its grade: excellent, qualified, basically qualified or unqualified',
      );
    if (fields.score !== null && !(fields.score >= 0 && fields.score <= 100))
      throw invalid('score', '评议得分应在 0 至 100 之间', 'the score must be 0 to 100');
  }
  return { ...record, title, fields };
}

const MEDIA_LABEL: Record<MediaType, [string, string]> = {
  'image/jpeg': ['JPEG 图片', 'a JPEG image'],
  'image/png': ['PNG 图片', 'a PNG image'],
  'application/pdf': ['PDF 文件', 'a PDF file'],
};

function mediaTypeByName(name: string): MediaType | null {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'png') return 'image/png';
  if (ext === 'pdf') return 'application/pdf';
  return null;
}

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

// Small real files, so that a browser preview shows a page: a 60×80 scan-like image in each format, and a one-page PDF.
const SAMPLE_JPEG = decode(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCABQADwDASIAAhEBAxEB/8QAGgABAAMBAQEAAAAAAAAAAAAAAAMEBwUGAv/EACsQAAECAgkEAgMBAAAAAAAAAAABAwIEBRESFBVSk9HhIVNVolSSBhOBkf/EABgBAQEBAQEAAAAAAAAAAAAAAAABAgQD/8QAIBEBAAICAAcBAAAAAAAAAAAAAAERAgMEExRRUpHwEv/aAAwDAQACEQMRAD8A0YAyLB6U8bOaEWx5ZZU6eH0Rtu8qproMiwelPGzmhFsMHpTxs5oRbGeZPZ09Dj5/e2ugyLB6U8bOaEWwwelPGzmhFsOZPY6HHz+9tdB4X8HkJ2Vph5yZlJhmBZdUSJxtYUVbUPTqh7o3jNxbj3a415fmJsKWKSXf9Iti6cy80RlZ0eDcPKU2KSXf9Ithikl3/SLYhvNEZWdHgXmiMrOjwWktNikl3/SLYYpJd/0i2IbzRGVnR4F5ojKzo8Ci1tidl5iNYGXLUSJXVZVOn9LBTlHpFx1UlUbSOzWtluz0/wALhmVgOZeaIys6PB0yC6S3x2foggU7zRGVnR4F5ojKzo8Fy6S3x2fogukt8dn6IW4RTvNEZWdHglYio2YjWBltmKJErq/VV0/qE90lvjs/RD7bYZaitNtNwLVVXDCiC4BthlqK0203AtVVcMKISAEUAAAAAAAAAAAAAAAAAAAAAf/Z',
);
const SAMPLE_PNG = decode(
  'iVBORw0KGgoAAAANSUhEUgAAADwAAABQAgMAAAA4pP7AAAAACVBMVEX08eqmHR2ao65t7uS6AAAAJUlEQVQ4y2NgGHAQigAO9ODTG6xCgAZi+MPW/gbi+KNgFNANAADP912U66iNRQAAAABJRU5ErkJggg==',
);
const SAMPLE_PDF = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const SAMPLE: Record<MediaType, Uint8Array> = { 'image/jpeg': SAMPLE_JPEG, 'image/png': SAMPLE_PNG, 'application/pdf': SAMPLE_PDF };

/**
 * Pretends to read a file to attach, and checks it as the core's `check_attachment` does. Its content follows its
 * extension, except that a path containing `fake` holds another format (a photo renamed .pdf, say) and one containing
 * `missing` does not exist.
 */
export function readAttachment(path: string): { name: string; media_type: MediaType; bytes: Uint8Array } {
  const name = fileName(path.trim()).trim();
  if (/missing/i.test(path)) throw appError('io', `${path}: No such file or directory (os error 2)`);
  const claimed = mediaTypeByName(name);
  if (!claimed)
    throw invalid(
      'attachment',
      `「${name}」不是可以添加的文件：只接受 JPEG、PNG 图片和 PDF 文件`,
      `“${name}” cannot be attached: only JPEG and PNG images and PDF files are accepted`,
    );
  const actual: MediaType = /fake/i.test(path) ? (claimed === 'image/jpeg' ? 'image/png' : 'image/jpeg') : claimed;
  if (actual !== claimed) {
    const [cz, ce] = MEDIA_LABEL[claimed];
    const [az, ae] = MEDIA_LABEL[actual];
    throw invalid(
      'attachment',
      `「${name}」的文件名表明是${cz}，内容却是${az}；请改正文件名后再添加`,
      `“${name}” is named as ${ce} but holds ${ae}; correct its name and add it again`,
    );
  }
  return { name, media_type: actual, bytes: SAMPLE[actual] };
}

interface StoredAttachment {
  info: AttachmentInfo;
  recordId: number;
  bytes: Uint8Array;
}

/** Every member's records and their attachments. The caller checks that the person exists. */
export class MockFileStore {
  private records = new Map<number, FileRecord>();
  private attachments = new Map<number, StoredAttachment>();
  private nextRecordId = 1;
  private nextAttachmentId = 1;

  /** A member's records, oldest first, each with its attachments: copies, as the bridge would give. */
  recordsOf(personId: number): FileRecord[] {
    return [...this.records.values()]
      .filter((r) => r.person_id === personId)
      .sort((a, b) => a.date.localeCompare(b.date) || a.id! - b.id!)
      .map((r) => this.withAttachments(r));
  }

  /** Adds or changes a record with its files, all or nothing, as the core's `save_record`. */
  save(record: FileRecord, attach: readonly string[], events: readonly ProcedureEvent[], today: string): FileRecord {
    const clean = checkRecord(record, events, today);
    const files = attach.map(readAttachment);
    if (clean.id !== null) {
      const old = this.records.get(clean.id);
      if (!old || old.person_id !== clean.person_id) throw appError('not_found', `材料 ${clean.id} / record ${clean.id}`);
    }
    const id = clean.id ?? this.nextRecordId++;
    this.records.set(id, { ...clean, id, fields: { ...clean.fields }, attachments: [] });
    for (const f of files) {
      const info: AttachmentInfo = { id: this.nextAttachmentId++, name: f.name, media_type: f.media_type, size: f.bytes.length };
      this.attachments.set(info.id, { info, recordId: id, bytes: f.bytes });
    }
    return this.withAttachments(this.records.get(id)!);
  }

  /** One record with its attachments, or `undefined`. */
  record(recordId: number): FileRecord | undefined {
    const r = this.records.get(recordId);
    return r ? this.withAttachments(r) : undefined;
  }

  /** The record an attachment belongs to, or `undefined` when there is no such attachment. */
  ownerOf(attachmentId: number): FileRecord | undefined {
    const a = this.attachments.get(attachmentId);
    return a ? this.record(a.recordId) : undefined;
  }

  delete(recordId: number): void {
    if (!this.records.delete(recordId)) throw appError('not_found', `材料 ${recordId} / record ${recordId}`);
    for (const [id, a] of this.attachments) if (a.recordId === recordId) this.attachments.delete(id);
  }

  attachment(attachmentId: number): { info: AttachmentInfo; bytes: Uint8Array } {
    const a = this.attachments.get(attachmentId);
    if (!a) throw appError('not_found', `附件 ${attachmentId} / attachment ${attachmentId}`);
    return { info: { ...a.info }, bytes: a.bytes.slice() };
  }

  deleteAttachment(attachmentId: number): void {
    if (!this.attachments.delete(attachmentId)) throw appError('not_found', `附件 ${attachmentId} / attachment ${attachmentId}`);
  }

  /**
   * A deleted event leaves its records on file, tied to nothing (the schema's `ON DELETE SET NULL`). Returns the ids
   * of the records it untied.
   */
  untie(eventId: number): number[] {
    const untied: number[] = [];
    for (const r of this.records.values()) {
      if (r.event_id !== eventId) continue;
      r.event_id = null;
      untied.push(r.id!);
    }
    return untied;
  }

  /**
   * A few records for a sample member, so that a browser preview shows a file with scans and gaps: the application
   * letter with its scan, the talk's record, and the branch meeting's resolution to admit.
   */
  seed(personId: number, events: readonly ProcedureEvent[]): void {
    const at = (kind: EventKind) => events.find((e) => e.kind === kind);
    const add = (kind: RecordKind, event: ProcedureEvent | undefined, title: string | null, body: string, fields: Partial<FileRecord['fields']>, attach: string[]) => {
      if (!event) return;
      const record: FileRecord = {
        id: null, person_id: personId, kind, date: event.date, event_id: event.id, title, body, attachments: [],
        fields: { who: null, course: null, hours: null, certificate: null, grade: null, score: null, ...fields },
      };
      this.save(record, attach, events, event.date);
    };
    add('application_letter', at('application_received'), null, '敬爱的党组织：\n我志愿加入中国共产党……', {}, ['/home/user/扫描/入党申请书.jpg']);
    add('talk_record', at('applicant_talk'), null, '了解入党动机，介绍党的基本知识。', { who: '王老师' }, []);
    add('branch_resolution', at('admitted'), '关于接收预备党员的决议', '同意接收为中共预备党员。', {}, ['/home/user/扫描/支部大会决议.pdf']);
  }

  private withAttachments(r: FileRecord): FileRecord {
    const attachments = [...this.attachments.values()].filter((a) => a.recordId === r.id).map((a) => ({ ...a.info }));
    return { ...r, fields: { ...r.fields }, attachments };
  }
}
