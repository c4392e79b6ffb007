import { describe, expect, it } from 'vitest';
import { lateFlagsFor, unplacedLate } from './late';
import type { LateStep, ProcedureEvent } from './api/types';

const event = (kind: ProcedureEvent['kind'], date: string, id = 1): ProcedureEvent => ({ id, kind, date, months: null, note: null });

const flag = (step: LateStep['step'], date: string, rule: string): LateStep => ({
  step, date, rule, due: null, days_late: null, clause: '《中国共产党发展党员工作细则》第七条',
  note_zh: '逾期', note_en: 'late', message_zh: '逾期', message_en: 'late',
});

// 张三: the talk three days late (第七条), and determined as an activist before that talk.
const talkLate = flag('applicant_talk', '2026-03-03', 'application_talk');
const beforeTalk = flag('activist_determined', '2026-02-20', 'activist_before_talk');
const events = [
  event('application_received', '2026-01-31', 1),
  event('activist_determined', '2026-02-20', 2),
  event('applicant_talk', '2026-03-03', 3),
];

describe('lateFlagsFor', () => {
  it('puts each flag beside the step of its kind and day, and none beside the others', () => {
    const late = [talkLate, beforeTalk];
    expect(events.map((e) => lateFlagsFor(e, late).map((l) => l.rule))).toEqual([[], ['activist_before_talk'], ['application_talk']]);
  });

  it('keeps every flag a step carries, in the core order', () => {
    const second = flag('applicant_talk', '2026-03-03', 'another_rule');
    expect(lateFlagsFor(events[2]!, [talkLate, beforeTalk, second])).toEqual([talkLate, second]);
  });

  it('does not move a flag to another step of the same kind on another day', () => {
    const reports = [event('thought_report', '2026-04-01', 4), event('thought_report', '2026-07-01', 5)];
    const late = [flag('thought_report', '2026-07-01', 'some_rule')];
    expect(reports.map((e) => lateFlagsFor(e, late).length)).toEqual([0, 1]);
  });

  it('finds nothing when the core flagged nothing', () => {
    expect(events.flatMap((e) => lateFlagsFor(e, []))).toEqual([]);
  });
});

describe('unplacedLate', () => {
  it('is empty when every flag has its step on the list', () => {
    expect(unplacedLate(events, [talkLate, beforeTalk])).toEqual([]);
  });

  it('keeps a flag whose step is not on the list, or is there on another day', () => {
    const elsewhere = flag('applicant_talk', '2026-03-04', 'application_talk');
    const absent = flag('oath', '2026-05-01', 'oath');
    expect(unplacedLate(events, [talkLate, elsewhere, absent])).toEqual([elsewhere, absent]);
  });
});
