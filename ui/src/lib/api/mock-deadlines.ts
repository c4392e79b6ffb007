// The mock backend's deadline rules: a copy of the main rules of dangan-core's rule file (cpc-2026.toml), enough to
// make the dashboard and the calendar usable in a browser and testable in vitest. The real engine, with the holiday
// calendar, an office's own rules and the exact lead times, lives in dangan-core.

import { addDays, weekdayOf } from '../calendar/month-grid';
import { addToDate } from './mock-data';
import type { DeadlineKind, EventKind, ProcedureEvent, Status } from './types';

export interface MockRule {
  id: string;
  name_zh: string;
  name_en: string;
  kind: DeadlineKind;
  from: EventKind;
  /** The period: months by the corresponding-day rule, or working days (Monday to Friday here). */
  months?: number;
  workingDays?: number;
  /** Adds a recorded probation extension (conversion). */
  plusExtension?: boolean;
  /** For a recurring rule: the events that end it. */
  until?: EventKind[];
  done_by: EventKind;
  clause: string;
  clause_en: string;
  /** Days before the due day when a deadline counts as due soon. */
  lead: number;
}

const RULES_ZH = '《中国共产党发展党员工作细则》';
const RULES_EN = 'Rules on Recruiting Party Members';
const article = (zh: string, n: number) => ({ clause: `${RULES_ZH}第${zh}条`, clause_en: `${RULES_EN}, art. ${n}` });

export const MOCK_RULES: readonly MockRule[] = [
  {
    id: 'application_talk', name_zh: '与入党申请人谈话', name_en: 'Talk with the applicant',
    kind: 'deadline', from: 'application_received', months: 1, done_by: 'applicant_talk', lead: 30, ...article('七', 7),
  },
  {
    id: 'candidate_eligible', name_zh: '可确定为发展对象', name_en: 'May become a development target',
    kind: 'earliest', from: 'activist_determined', months: 12, done_by: 'candidate_determined', lead: 30, ...article('十三', 13),
  },
  {
    id: 'branch_meeting_after_prereview', name_zh: '预审通过后召开支部大会', name_en: 'Branch meeting after the pre-review',
    kind: 'deadline', from: 'prereview_passed', months: 1, done_by: 'admitted', lead: 30, ...article('十九', 19),
  },
  {
    id: 'admission_approval', name_zh: '上级党委审批接收预备党员', name_en: 'Upper committee approves the admission',
    kind: 'deadline', from: 'admitted', months: 3, done_by: 'admission_approved', lead: 30, ...article('二十五', 25),
  },
  {
    id: 'oath', name_zh: '组织入党宣誓', name_en: 'Oath',
    kind: 'deadline', from: 'admission_approved', months: 1, done_by: 'oath', lead: 30, ...article('二十九', 29),
  },
  {
    id: 'conversion_due', name_zh: '预备期满，讨论转正', name_en: 'Probation ends: conversion meeting',
    kind: 'deadline', from: 'admitted', months: 12, plusExtension: true, done_by: 'conversion_meeting', lead: 30,
    ...article('三十一', 31),
  },
  {
    id: 'conversion_approval', name_zh: '上级党委审批转正', name_en: 'Upper committee approves the conversion',
    kind: 'deadline', from: 'conversion_meeting', months: 3, done_by: 'conversion_approved', lead: 30, ...article('三十三', 33),
  },
  {
    id: 'activist_review', name_zh: '培养教育考察（每半年）', name_en: 'Activist review (every six months)',
    kind: 'recurring', from: 'activist_determined', months: 6, until: ['candidate_determined'], done_by: 'activist_review',
    lead: 30, ...article('十一', 11),
  },
  {
    id: 'thought_report', name_zh: '思想汇报（每季度）', name_en: 'Thought report (every quarter)',
    kind: 'recurring', from: 'activist_determined', months: 3, until: ['conversion_approved'], done_by: 'thought_report',
    lead: 7,
    clause: '工作惯例：入党积极分子、发展对象和预备党员每季度至少提交一次思想汇报',
    clause_en: 'Common practice: activists, development targets and probationary members report every quarter',
  },
  {
    id: 'candidate_publicity', name_zh: '发展对象公示期满（五个工作日）', name_en: 'Candidate publicity ends (five working days)',
    kind: 'earliest', from: 'candidate_publicity', workingDays: 5, done_by: 'candidate_determined', lead: 30,
    ...article('十三', 13),
  },
];

export interface MockPending {
  rule: MockRule;
  due: string;
  status: Status;
  provisional: boolean;
}

/** The day after the last of `n` working days counted from `start` (itself counted when it is a working day). */
export function afterWorkingDays(start: string, n: number): string {
  let day = start;
  let counted = 0;
  for (;;) {
    if (weekdayOf(day) <= 5 && ++counted === n) return addDays(day, 1);
    day = addDays(day, 1);
  }
}

function statusOf(rule: MockRule, due: string, asOf: string): Status {
  if (rule.kind === 'earliest') return asOf < due ? 'not_yet' : 'open';
  if (due < asOf) return 'overdue';
  return due <= addDays(asOf, rule.lead) ? 'due_soon' : 'upcoming';
}

/** What the rules still ask of a person with these events, as of a day; nothing once the procedure has ended. */
export function pendingOf(events: readonly ProcedureEvent[], asOf: string, rules: readonly MockRule[] = MOCK_RULES): MockPending[] {
  const has = (kind: EventKind) => events.some((e) => e.kind === kind);
  if (has('membership_ended')) return [];
  const dates = (kind: EventKind) => events.filter((e) => e.kind === kind).map((e) => e.date).sort();
  const extension = events.find((e) => e.kind === 'probation_extended')?.months ?? 0;
  const out: MockPending[] = [];
  for (const rule of rules) {
    const start = dates(rule.from)[0];
    if (!start) continue;
    let anchor = start;
    let extra = 0;
    if (rule.kind === 'recurring') {
      if ((rule.until ?? []).some(has)) continue;
      anchor = dates(rule.done_by).filter((d) => d >= start).at(-1) ?? start;
    } else {
      if (has(rule.done_by)) continue;
      if (rule.plusExtension) extra = extension;
    }
    // No holiday calendar in the mock: every working-day date is provisional, as a year without one is in the app.
    const provisional = rule.workingDays !== undefined;
    const due = rule.workingDays !== undefined ? afterWorkingDays(anchor, rule.workingDays) : addToDate(anchor, (rule.months ?? 0) + extra);
    out.push({ rule, due, status: statusOf(rule, due, asOf), provisional });
  }
  return out;
}
