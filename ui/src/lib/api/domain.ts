// Orderings of the bridge's enums, for menus, filters and exhaustiveness tests.
//
// Each list is derived from a `Record<Union, …>` so that adding a variant to `types.ts` without adding it here
// is a type error.

import type {
  AppraisalStep,
  Attendance,
  Category,
  Channel,
  ClassKind,
  CommitteePost,
  ComplaintState,
  CorrectionOutcome,
  DeadlineKind,
  DuesCategory,
  Education,
  ErrorKind,
  EventKind,
  Gender,
  Grade,
  Handling,
  LetterState,
  MediaType,
  MeetingKind,
  MembershipStatus,
  Occupation,
  PeriodState,
  RecordKind,
  RequestState,
  Role,
  Stage,
  Status,
  StudentLevel,
} from './types';

function keysInOrder<K extends string>(order: Record<K, number>): K[] {
  return (Object.keys(order) as K[]).sort((a, b) => order[a] - order[b]);
}

/** 入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员 */
export const STAGES: readonly Stage[] = keysInOrder<Stage>({
  applicant: 0,
  activist: 1,
  candidate: 2,
  probationary: 3,
  full_member: 4,
});

/** The procedure's events in the order they normally happen. */
export const EVENT_KINDS: readonly EventKind[] = keysInOrder<EventKind>({
  application_received: 0,
  applicant_talk: 1,
  activist_determined: 2,
  activist_review: 3,
  contacts_assigned: 4,
  thought_report: 5,
  candidate_publicity: 6,
  candidate_determined: 7,
  political_review: 8,
  centralised_training: 9,
  prereview_passed: 10,
  admitted: 11,
  approval_extended: 12,
  admission_approved: 13,
  oath: 14,
  conversion_meeting: 15,
  conversion_approved: 16,
  probation_extended: 17,
  membership_ended: 18,
});

/** The materials of a member's file, in the order the editor offers them (dangan-core's `RecordKind::ALL`). */
export const RECORD_KINDS: readonly RecordKind[] = keysInOrder<RecordKind>({
  application_letter: 0,
  talk_record: 1,
  thought_report: 2,
  activist_review: 3,
  training_record: 4,
  introducer_opinion: 5,
  political_review: 6,
  membership_form: 7,
  branch_resolution: 8,
  approval: 9,
  oath: 10,
  conversion_application: 11,
  study_note: 12,
  appraisal: 13,
});

/**
 * The steps a record of each kind may document (dangan-core's `RecordKind::events`); the core refuses a record tied
 * to any other. Two kinds serve two steps each: the branch meeting resolves to admit and, a year later, to convert;
 * the upper committee approves both.
 */
export const RECORD_STEPS: Record<RecordKind, readonly EventKind[]> = {
  application_letter: ['application_received'],
  talk_record: ['applicant_talk'],
  thought_report: ['thought_report'],
  activist_review: ['activist_review'],
  training_record: ['centralised_training'],
  introducer_opinion: ['admitted'],
  political_review: ['political_review'],
  membership_form: ['admitted'],
  branch_resolution: ['admitted', 'conversion_meeting'],
  approval: ['admission_approved', 'conversion_approved'],
  oath: ['oath'],
  conversion_application: ['conversion_meeting'],
  study_note: [],
  appraisal: [],
};

/**
 * The materials of a complete member's file (入党材料目录), in the order they are archived: the ids of dangan-core's
 * `rules/checklist.toml`. The core gives them with a member's file (`MemberFile.checklist`), but a member arriving by
 * transfer has no file yet, so the arrival dialog offers them from here; `domain.test.ts` keeps this list and the
 * catalogue's `material.*` names equal to the checklist lines the core recorded.
 */
export const CHECKLIST_MATERIALS = [
  'application_letter',
  'talk_record',
  'thought_reports',
  'activist_reviews',
  'training',
  'political_review',
  'membership_form',
  'introducer_opinion',
  'admission_resolution',
  'admission_approval',
  'oath',
  'conversion_application',
  'conversion_resolution',
  'conversion_approval',
] as const;

export type ChecklistMaterial = (typeof CHECKLIST_MATERIALS)[number];

/** 民主评议's grades, best first. */
export const GRADES: readonly Grade[] = keysInOrder<Grade>({
  excellent: 0,
  qualified: 1,
  basically_qualified: 2,
  unqualified: 3,
});

/** 民主评议's steps in the order they happen (dangan-core's `AppraisalStep::ALL`, 第十八条). */
export const APPRAISAL_STEPS: readonly AppraisalStep[] = keysInOrder<AppraisalStep>({
  study: 0,
  self_assessment: 1,
  mutual_assessment: 2,
  vote: 3,
  decision: 4,
  announcement: 5,
});

/** How an unsatisfactory member's correction period ends (第三十一条), the hoped-for outcome first. */
export const CORRECTION_OUTCOMES: readonly CorrectionOutcome[] = keysInOrder<CorrectionOutcome>({
  corrected: 0,
  persuaded_to_leave: 1,
  removed: 2,
});

/** What an attachment may be; the core recognises each by its content, and refuses a file whose name says otherwise. */
export const MEDIA_TYPES: readonly MediaType[] = keysInOrder<MediaType>({
  'image/jpeg': 0,
  'image/png': 1,
  'application/pdf': 2,
});

/** Most urgent first: the order of the dashboard's tiles and of a day's items in the calendar. */
export const STATUSES: readonly Status[] = keysInOrder<Status>({
  overdue: 0,
  due_soon: 1,
  upcoming: 2,
  not_yet: 3,
  open: 4,
});

/**
 * Where a person's membership stands, in dangan-core's order: 在册 first, then the ways out of the register
 * (转出, 停止党籍, then the final ones). Which may follow which is the core's to say.
 */
export const MEMBERSHIP_STATUSES: readonly MembershipStatus[] = keysInOrder<MembershipStatus>({
  in_register: 0,
  transferred_out: 1,
  suspended: 2,
  withdrew: 3,
  removed: 4,
  expelled: 5,
  lapsed: 6,
  deceased: 7,
  probation_cancelled: 8,
});

export const DEADLINE_KINDS: readonly DeadlineKind[] = keysInOrder<DeadlineKind>({
  deadline: 0,
  earliest: 1,
  recurring: 2,
});

export const GENDERS: readonly Gender[] = keysInOrder<Gender>({ male: 0, female: 1 });
export const CATEGORIES: readonly Category[] = keysInOrder<Category>({ student: 0, teacher: 1, staff: 2 });
/** 学历, highest first (dangan-core's `Education::ALL`). */
export const EDUCATIONS: readonly Education[] = keysInOrder<Education>({
  postgraduate: 0,
  undergraduate: 1,
  junior_college: 2,
  secondary: 3,
  basic: 4,
});
export const STUDENT_LEVELS: readonly StudentLevel[] = keysInOrder<StudentLevel>({
  junior_college: 0,
  undergraduate: 1,
  master: 2,
  doctoral: 3,
});
export const OCCUPATIONS: readonly Occupation[] = keysInOrder<Occupation>({
  professional: 0,
  manager: 1,
  worker: 2,
  retired: 3,
});

/**
 * 党费类别, in the order the base dialog offers them (dangan-core's `DuesCategory::ALL`): which of the dues rules sets
 * a member's monthly amount is the core's (`dues_rate`).
 */
export const DUES_CATEGORIES: readonly DuesCategory[] = keysInOrder<DuesCategory>({
  salaried: 0,
  retired: 1,
  student: 2,
  unemployed: 3,
  low_income: 4,
});

/**
 * Where a transfer letter stands (dangan-core's `LetterState`), in the order of its life: issued, then received, or
 * expired and then reissued or cancelled. The state is the core's, as of its today.
 */
export const LETTER_STATES: readonly LetterState[] = keysInOrder<LetterState>({
  issued: 0,
  received: 1,
  expired: 2,
  reissued: 3,
  cancelled: 4,
});

/**
 * Where an application to transfer out stands (dangan-core's `RequestState`), in the order of its life: applied, then
 * approved and its letter issued, or declined. The state is the core's.
 */
export const REQUEST_STATES: readonly RequestState[] = keysInOrder<RequestState>({
  applied: 0,
  approved: 1,
  letter_issued: 2,
  declined: 3,
});

/** The roles of a workspace's users, most rights first (dangan-core's `Role::ALL`). */
export const ROLES: readonly Role[] = keysInOrder<Role>({
  administrator: 0,
  organiser: 1,
  branch_secretary: 2,
  auditor: 3,
  discipline_inspector: 4,
});

/** How a complaint or report came in (dangan-core's `Channel::ALL`): 来信, 来访, 电话, 网络, 当面. */
export const CHANNELS: readonly Channel[] = keysInOrder<Channel>({
  letter: 0,
  visit: 1,
  phone: 2,
  online: 3,
  in_person: 4,
});

/**
 * How an entry of the complaints register is handled (dangan-core's `Handling::ALL`, 第十四至十八条): 谈话函询,
 * 初步核实, 暂存待查, 予以了结, 转送有关机关.
 */
export const HANDLINGS: readonly Handling[] = keysInOrder<Handling>({
  talk_or_letter: 0,
  preliminary_verification: 1,
  holding: 2,
  closing: 3,
  forwarded: 4,
});

/** Where an entry of the complaints register stands, in the order of its life: 已登记, 办理中, 已办结. */
export const COMPLAINT_STATES: readonly ComplaintState[] = keysInOrder<ComplaintState>({
  registered: 0,
  handling: 1,
  closed: 2,
});

export const ERROR_KINDS: readonly ErrorKind[] = keysInOrder<ErrorKind>({
  wrong_passphrase: 0,
  too_many_attempts: 1,
  workspace_missing: 2,
  workspace_exists: 3,
  locked: 4,
  invalid_input: 5,
  violations: 6,
  not_found: 7,
  forbidden: 8,
  import_rejected: 9,
  likely_duplicates: 10,
  busy: 11,
  read_only: 12,
  roster_unreadable: 13,
  cancelled: 14,
  rule_file: 15,
  notifications_unavailable: 16,
  unreachable: 17,
  conflict: 18,
  corrupt: 19,
  io: 20,
  internal: 21,
});

/** The kinds of meeting, in the order the meeting dialog offers them (dangan-core's `MeetingKind`): 三会一课 first. */
export const MEETING_KINDS: readonly MeetingKind[] = keysInOrder<MeetingKind>({
  general_meeting: 0,
  committee_meeting: 1,
  group_meeting: 2,
  party_lecture: 3,
  theme_day: 4,
  life_meeting: 5,
  heart_talk: 6,
  other: 7,
});

/** How a member attended, in the order of the attendance buttons. */
export const ATTENDANCES: readonly Attendance[] = keysInOrder<Attendance>({ present: 0, leave: 1, absent: 2, late: 3 });

/** The posts of a branch committee, the secretary first. */
export const COMMITTEE_POSTS: readonly CommitteePost[] = keysInOrder<CommitteePost>({
  secretary: 0,
  deputy_secretary: 1,
  organisation: 2,
  publicity: 3,
  discipline: 4,
  youth: 5,
  member: 6,
});

/** How a period of the 组织生活 grid stands, in the legend's order. */
export const PERIOD_STATES: readonly PeriodState[] = keysInOrder<PeriodState>({
  held: 0,
  owed: 1,
  missed: 2,
  upcoming: 3,
  untracked: 4,
});

/** The kinds of training class, in the order of the procedure they serve (dangan-core's `ClassKind`). */
export const CLASS_KINDS: readonly ClassKind[] = keysInOrder<ClassKind>({
  activist_class: 0,
  candidate_class: 1,
  member_class: 2,
});

export function eventOrder(kind: EventKind): number {
  return EVENT_KINDS.indexOf(kind);
}

export function statusOrder(status: Status): number {
  return STATUSES.indexOf(status);
}
