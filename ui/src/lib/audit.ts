// How the audit log reads on screen: which kinds of thing the filter offers, the words for an entry's entity, action
// and column, a logged value made readable where it is one of the domain's codes, and long values shortened. The
// entries themselves come from the core (`AuditEntry`), whose column names are the database's.

import type { AuditQuery } from './api/types';
import { zhCN, type MessageKey } from './i18n/zh-CN';

/** Entries per page of the audit screen. */
export const AUDIT_PAGE_SIZE = 50;
/** Entries in a member's 修改记录. */
export const HISTORY_SIZE = 20;

/** The kinds of thing the filter offers, in its order (the core's table names). */
export const AUDIT_ENTITIES = [
  'people',
  'events',
  'records',
  'attachments',
  'dismissals',
  'unit_dismissals',
  'org_units',
  'holidays',
  'meta',
  'users',
  'user_branches',
  'meetings',
  'attendance',
  'party_groups',
  'group_members',
  'committee_posts',
  'meeting_attachments',
  'training_classes',
  'class_sessions',
  'trainees',
  'session_attendance',
  'study_entries',
  'status_changes',
  'dues_bases',
  'dues_months',
  'transfer_letters',
  'transfer_requests',
  'arrivals',
  'kept_graduates',
  'appraisals',
  'appraisal_steps',
  'appraisal_members',
  'corrections',
  'complaints',
  'complaint_reads',
  'document_templates',
] as const;

export function emptyAuditQuery(): AuditQuery {
  return { member_id: null, actor: null, entity: null, from: null, to: null, offset: 0, limit: AUDIT_PAGE_SIZE };
}

function known(key: string): MessageKey | null {
  return key in zhCN ? (key as MessageKey) : null;
}

/** 人员, 发展步骤, …; `null` for an entity the UI does not know (shown as the core names it). */
export function entityLabelKey(entity: string): MessageKey | null {
  return known(`audit.entity.${entity}`);
}

/** 新增, 修改, 删除. */
export function actionLabelKey(action: string): MessageKey | null {
  return known(`audit.action.${action}`);
}

/** Columns whose label is not `<entity prefix>.<column>`. */
const FIELD_KEYS: Record<string, Record<string, MessageKey>> = {
  people: { branch_id: 'person.branch' },
  events: { kind: 'event_editor.kind', date: 'event_editor.date', months: 'event_editor.months', note: 'event_editor.note' },
  records: {
    kind: 'file_record.kind',
    date: 'file_record.date',
    event_id: 'file_record.event',
    title: 'file_record.title',
    body: 'file_record.body',
    fields: 'audit.field.fields',
  },
  attachments: { name: 'audit.field.name' },
  meeting_attachments: { name: 'audit.field.name' },
  dismissals: { until: 'audit.field.until' },
  unit_dismissals: { until: 'audit.field.until' },
  org_units: { name: 'org.name', parent_id: 'org.parent', kind: 'audit.field.kind' },
  holidays: { name: 'audit.field.name', kind: 'audit.field.kind' },
  meta: { value: 'audit.field.value' },
  users: { name: 'users.col.name', role: 'users.col.role' },
  appraisals: { year: 'appraisal.col.year', opened_on: 'appraisal.col.opened_on', ballots_cast: 'appraisal.ballots', closed_on: 'appraisal.col.closed_on' },
  appraisal_steps: { step: 'appraisal.col.step', date: 'appraisal.col.date' },
  appraisal_members: {
    excellent: 'grade.excellent',
    qualified: 'grade.qualified',
    basically_qualified: 'grade.basically_qualified',
    unqualified: 'grade.unqualified',
    proposed: 'appraisal.col.proposed',
    grade: 'appraisal.col.grade',
    reason: 'appraisal.reason',
  },
  corrections: { outcome: 'appraisal.correction_outcome', decided_on: 'appraisal.correction_date', note: 'appraisal.correction_note' },
  // The register's words are sealed: the log shows only what is kept in the clear (and the sealed text as such).
  complaints: {
    number: 'complaint.col.number',
    received_on: 'complaint.received_on',
    belongs_elsewhere: 'complaint.belongs_elsewhere',
    forwarded_on: 'complaint.forwarded_on',
    reported_on: 'complaint.reported_on',
    closed_on: 'complaint.closed_on',
    generation: 'audit.field.complaints.generation',
    sealed: 'audit.field.complaints.sealed',
  },
  complaint_reads: {
    complaint_id: 'audit.field.complaint_reads.complaint_id',
    reader: 'audit.field.complaint_reads.reader',
    read_at: 'audit.field.complaint_reads.read_at',
  },
  document_templates: {
    id: 'audit.field.document_templates.id',
    source: 'audit.field.document_templates.source',
  },
};

/** The label of a logged column (a person's 联系电话, a step's 日期); `null` where there is none (the raw name shows). */
export function fieldLabelKey(entity: string, field: string): MessageKey | null {
  return FIELD_KEYS[entity]?.[field] ?? (entity === 'people' ? known(`person.${field}`) : null);
}

/** Columns holding one of the domain's codes, and the catalogue prefix that names each code. */
const CODED: Record<string, Record<string, string>> = {
  people: { gender: 'gender', category: 'category' },
  events: { kind: 'event' },
  records: { kind: 'record_kind' },
  users: { role: 'role' },
  meetings: { kind: 'meeting_kind' },
  attendance: { attendance: 'attendance' },
  committee_posts: { post: 'committee_post' },
  unit_dismissals: { rule: 'meeting_kind' },
  appraisal_steps: { step: 'appraisal_step' },
  appraisal_members: { proposed: 'grade', grade: 'grade' },
  corrections: { outcome: 'correction_outcome' },
};

/** The words for a logged value that is one of the domain's codes (`male` → 男, `oath` → 入党宣誓); else `null`. */
export function valueLabelKey(entity: string, field: string | null, value: string | null): MessageKey | null {
  if (field === null || value === null) return null;
  const prefix = CODED[entity]?.[field];
  return prefix ? known(`${prefix}.${value}`) : null;
}

/** `text` cut to `max` characters (not UTF-16 units) with an ellipsis; the whole goes in a title attribute. */
export function truncate(text: string, max = 40): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
