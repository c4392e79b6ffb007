import { describe, expect, it } from 'vitest';
import type { MemberSummary } from '../api/types';
import { attendable, attendeesOf, hoursToMinutes, marksOf, minutesToHours, newMeeting, optional, roster, tally } from './meeting-form';

const member = (id: number, name: string, over: Partial<MemberSummary> = {}): MemberSummary => ({
  id, name, stage: 'full_member', branch: '第一党支部', branch_id: 3, student_no: null, gender: null, ended: false, status: 'in_register', ...over,
});

describe('study time: hours typed, minutes stored', () => {
  it.each([
    ['1.5', 90],
    ['2', 120],
    ['0,5', 30],
    ['.25', 15],
    ['1.333', 80],
    ['', 0],
    ['  3  ', 180],
  ])('%s hours are %i minutes', (text, minutes) => {
    expect(hoursToMinutes(text)).toBe(minutes);
  });

  it.each(['-1', 'abc', '1.2.3', '.', '1e3'])('refuses %s', (text) => {
    expect(hoursToMinutes(text)).toBeNull();
  });

  it('shows minutes as hours, to two decimals, and none as empty', () => {
    expect([minutesToHours(90), minutesToHours(120), minutesToHours(100), minutesToHours(0)]).toEqual(['1.5', '2', '1.67', '']);
    expect(hoursToMinutes(minutesToHours(150))).toBe(150);
  });
});

describe('the attendance list', () => {
  const members = [
    member(1, '张三'),
    member(2, '李四', { stage: 'probationary' }),
    member(3, '王五', { stage: 'candidate' }),
    member(4, '赵六', { ended: true }),
  ];

  it('lists the members (probationary and full) whose membership has not ended', () => {
    expect(attendable(members).map((m) => m.id)).toEqual([1, 2]);
    expect(roster(members, null).map((l) => l.person_id)).toEqual([1, 2]);
  });

  it("lists a party group's members for its meeting, the unit's when the group has none", () => {
    const group = { members: [{ person_id: 2, name: '李四' }] };
    expect(roster(members, group).map((l) => l.person_id)).toEqual([2]);
    expect(roster(members, { members: [] }).map((l) => l.person_id)).toEqual([1, 2]);
  });

  it('keeps someone recorded before who is no longer on the list', () => {
    const recorded = [{ person_id: 4, name: '赵六', attendance: 'present' as const, reason: null }];
    expect(roster(members, null, recorded)).toEqual([
      { person_id: 1, name: '张三' },
      { person_id: 2, name: '李四' },
      { person_id: 4, name: '赵六' },
    ]);
  });
});

describe('attendeesOf', () => {
  const lines = [{ person_id: 1, name: '张三' }, { person_id: 2, name: '李四' }, { person_id: 3, name: '王五' }];

  it('sends the marked, in the list’s order, with a reason for leave only', () => {
    const marks = new Map([
      [3, { attendance: 'leave' as const, reason: ' 出差 ' }],
      [1, { attendance: 'absent' as const, reason: '不该送出' }],
    ]);
    expect(attendeesOf(lines, marks)).toEqual([
      { person_id: 1, attendance: 'absent', reason: null },
      { person_id: 3, attendance: 'leave', reason: '出差' },
    ]);
  });

  it('reads back the marks of a meeting recorded', () => {
    const marks = marksOf([{ person_id: 2, name: '李四', attendance: 'leave', reason: null }]);
    expect(marks.get(2)).toEqual({ attendance: 'leave', reason: '' });
    expect(attendeesOf(lines, marks)).toEqual([{ person_id: 2, attendance: 'leave', reason: null }]);
  });
});

describe('tally', () => {
  it('counts those who took part (present or late) out of those recorded', () => {
    const t = tally([{ attendance: 'present' }, { attendance: 'late' }, { attendance: 'leave' }, { attendance: 'absent' }, { attendance: 'present' }]);
    expect(t).toEqual({ present: 2, late: 1, leave: 1, absent: 1, attended: 3, total: 5 });
    expect(tally([]).total).toBe(0);
  });
});

describe('newMeeting', () => {
  it('starts held on a past day, planned on a future one, and keeps a group only for a group meeting', () => {
    const past = newMeeting(3, { kind: 'group_meeting', groupId: 7, date: '2026-11-20' }, '2026-11-24');
    expect([past.unit_id, past.kind, past.group_id, past.held, past.id]).toEqual([3, 'group_meeting', 7, true, null]);
    const future = newMeeting(3, { kind: 'committee_meeting', groupId: 7, date: '2026-12-01' }, '2026-11-24');
    expect([future.group_id, future.held, future.study_minutes]).toEqual([null, false, 0]);
  });

  it('sends an empty text as nothing', () => {
    expect([optional('  '), optional(' 会议室 ')]).toEqual([null, '会议室']);
  });
});
