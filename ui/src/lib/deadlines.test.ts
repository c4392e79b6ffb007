import { describe, expect, it } from 'vitest';
import { dueText, isDismissed, snoozeUntil, splitBranch } from './deadlines';
import type { DeadlineItem } from './api/types';

const item = (over: Partial<DeadlineItem> = {}): DeadlineItem => ({
  member_id: 1, name: '张三', branch_id: 3, branch: '第一党支部', rule: 'application_talk', rule_name_zh: '与入党申请人谈话',
  rule_name_en: 'Talk with the applicant', kind: 'deadline', due: '2026-11-24', status: 'due_soon', clause: '第七条',
  clause_en: 'art. 7', done_by: 'applicant_talk', provisional: false, acknowledged: false, snoozed_until: null, ...over,
});

describe('dueText', () => {
  it.each([
    ['deadline', '2026-11-20', 'due.overdue', 4],
    ['deadline', '2026-11-23', 'due.overdue_one', 1],
    ['recurring', '2026-11-24', 'due.today', 0],
    ['deadline', '2026-11-25', 'due.left_one', 1],
    ['recurring', '2026-12-24', 'due.left', 30],
    ['earliest', '2026-11-27', 'due.opens_in', 3],
    ['earliest', '2026-11-25', 'due.opens_in_one', 1],
    ['earliest', '2026-11-24', 'due.open', 0],
    ['earliest', '2026-01-01', 'due.open', 0],
  ] as const)('a %s due %s reads %s (%i) on 2026-11-24', (kind, due, key, n) => {
    expect(dueText({ kind, due }, '2026-11-24')).toEqual({ key, n });
  });
});

describe('isDismissed', () => {
  it('holds for an acknowledged item and for a snooze that has not ended', () => {
    expect(isDismissed(item(), '2026-11-24')).toBe(false);
    expect(isDismissed(item({ acknowledged: true }), '2026-11-24')).toBe(true);
    expect(isDismissed(item({ snoozed_until: '2026-11-25' }), '2026-11-24')).toBe(true);
    expect(isDismissed(item({ snoozed_until: '2026-11-24' }), '2026-11-24')).toBe(false);
  });

  it('snoozes to tomorrow or a week later', () => {
    expect(snoozeUntil('2026-11-24', 1)).toBe('2026-11-25');
    expect(snoozeUntil('2026-11-30', 7)).toBe('2026-12-07');
  });
});

describe('splitBranch', () => {
  it('separates the branch from the units above it', () => {
    expect(splitBranch('学生党总支/本科生第一党支部')).toEqual({ name: '本科生第一党支部', parent: '学生党总支' });
    expect(splitBranch('研究生及教工党支部')).toEqual({ name: '研究生及教工党支部', parent: '' });
    expect(splitBranch('')).toEqual({ name: '', parent: '' });
  });
});
