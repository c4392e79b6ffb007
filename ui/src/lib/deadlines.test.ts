import { describe, expect, it } from 'vitest';
import {
  compareOwners,
  dueText,
  isDismissed,
  isMemberItem,
  isUnitItem,
  itemKey,
  ownerOf,
  recordTarget,
  restoreItem,
  setAside,
  sharedStep,
  snoozeUntil,
  splitBranch,
  tickedPeople,
  type MemberItem,
  type UnitItem,
} from './deadlines';

const item = (over: Partial<MemberItem> = {}): MemberItem => ({
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

/** A meeting a unit owes, as the core lists it: the unit's fields stand where a member's would. */
const owed = (over: Partial<UnitItem> = {}): UnitItem => ({
  unit_id: 3, unit: '学生党总支/本科生第一党支部', group_id: null, group: null, meeting: 'committee_meeting', branch_id: 3,
  branch: '学生党总支/本科生第一党支部', rule: 'committee_meeting', rule_name_zh: '支委会', rule_name_en: 'Committee meeting',
  kind: 'recurring', due: '2026-11-30', status: 'due_soon', clause: '《中国共产党支部工作条例（试行）》第十八条', clause_en: 'art. 18',
  provisional: false, acknowledged: false, snoozed_until: null, ...over,
});

describe("an item's owner", () => {
  it('tells a unit’s owed meeting from a member’s step', () => {
    expect([isUnitItem(owed()), isMemberItem(owed()), isUnitItem(item()), isMemberItem(item())]).toEqual([true, false, false, true]);
  });

  it('names the member, the unit, or the unit and its party group', () => {
    expect(ownerOf(item())).toEqual({ kind: 'member', id: 1, name: '张三' });
    expect(ownerOf(owed())).toEqual({ kind: 'unit', id: 3, groupId: null, name: '学生党总支/本科生第一党支部' });
    expect(ownerOf(owed({ meeting: 'group_meeting', group_id: 7, group: '第一党小组' }))).toEqual({
      kind: 'unit', id: 3, groupId: 7, name: '学生党总支/本科生第一党支部 · 第一党小组',
    });
  });

  it('keys items apart: a member and a unit of the same id, two groups of one branch, two due days', () => {
    const keys = [
      itemKey(item({ member_id: 3, rule: 'committee_meeting', due: '2026-11-30' })),
      itemKey(owed()),
      itemKey(owed({ group_id: 7 })),
      itemKey(owed({ group_id: 8 })),
      itemKey(owed({ due: '2026-12-31' })),
      // Two register entries received the same day: the same committee, rule and day.
      itemKey(owed({ rule: 'complaint_forward', complaint_id: 1 })),
      itemKey(owed({ rule: 'complaint_forward', complaint_id: 2 })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(itemKey(owed())).toBe(itemKey(owed()));
  });

  it('sorts by the owner’s name', () => {
    const list = [item({ name: '王五' }), owed({ unit: '机关党支部' }), item({ name: '李四' })];
    expect(list.sort(compareOwners).map((i) => ownerOf(i).name)).toEqual(['机关党支部', '李四', '王五']);
  });
});

describe('what 登记 does', () => {
  it("records a member's step, or a unit's meeting of its kind", () => {
    expect(recordTarget(item())).toMatchObject({ kind: 'step', item: { member_id: 1, done_by: 'applicant_talk' } });
    expect(recordTarget(owed({ meeting: 'group_meeting', group_id: 7 }))).toMatchObject({
      kind: 'meeting', item: { unit_id: 3, meeting: 'group_meeting', group_id: 7 },
    });
  });

  it("opens the 组织生活 of the member's branch, or of the unit, when no one event or meeting satisfies the item", () => {
    expect(recordTarget(item({ done_by: null, branch_id: 5 }))).toEqual({ kind: 'unit', unitId: 5 });
    expect(recordTarget(owed({ meeting: null, unit_id: 4 }))).toEqual({ kind: 'unit', unitId: 4 });
  });
});

describe('setting an item aside goes to the command for its owner', () => {
  function fakeApi() {
    const calls: [string, ...unknown[]][] = [];
    const record =
      (name: string) =>
      async (...args: unknown[]) => {
        calls.push([name, ...args]);
      };
    return {
      calls,
      api: {
        dismissDeadline: record('dismissDeadline'),
        restoreDeadline: record('restoreDeadline'),
        dismissUnitDeadline: record('dismissUnitDeadline'),
        restoreUnitDeadline: record('restoreUnitDeadline'),
      },
    };
  }

  it("snoozes, acknowledges and restores a member's step by member", async () => {
    const { api, calls } = fakeApi();
    await setAside(api, item(), '2026-11-25');
    await setAside(api, item(), null);
    await restoreItem(api, item());
    expect(calls).toEqual([
      ['dismissDeadline', 1, 'application_talk', '2026-11-24', '2026-11-25'],
      ['dismissDeadline', 1, 'application_talk', '2026-11-24', null],
      ['restoreDeadline', 1, 'application_talk', '2026-11-24'],
    ]);
  });

  it("snoozes, acknowledges and restores a unit's meeting by unit and group", async () => {
    const { api, calls } = fakeApi();
    const groupMeeting = owed({ meeting: 'group_meeting', rule: 'group_meeting', group_id: 7, group: '第一党小组' });
    await setAside(api, groupMeeting, '2026-12-01');
    await setAside(api, owed(), null);
    await restoreItem(api, groupMeeting);
    expect(calls).toEqual([
      ['dismissUnitDeadline', 3, 7, 'group_meeting', '2026-11-30', '2026-12-01'],
      ['dismissUnitDeadline', 3, null, 'committee_meeting', '2026-11-30', null],
      ['restoreUnitDeadline', 3, 7, 'group_meeting', '2026-11-30'],
    ]);
  });

  it('counts a set-aside unit item as dismissed, as a member’s', () => {
    expect(isDismissed(owed({ acknowledged: true }), '2026-11-24')).toBe(true);
    expect(isDismissed(owed({ snoozed_until: '2026-11-24' }), '2026-11-24')).toBe(false);
  });
});

describe('the rows ticked on the dashboard', () => {
  const rows = [
    item({ member_id: 7, name: '张三', rule: 'application_talk' }),
    owed(),
    item({ member_id: 19, name: '李四', rule: 'application_talk' }),
    item({ member_id: 7, name: '张三', rule: 'activist_review', done_by: 'activist_review' }),
    item({ member_id: 31, name: '王五', rule: 'application_talk' }),
  ];
  const tickedKeys = (...keys: number[]) => (i: (typeof rows)[number]) => keys.some((k) => rows[k] === i);

  it('are about their people each once, in the rows’ order, named as the rows name them', () => {
    expect(tickedPeople(rows, tickedKeys(4, 3, 0, 2))).toEqual([
      { id: 7, name: '张三' },
      { id: 19, name: '李四' },
      { id: 31, name: '王五' },
    ]);
  });

  it('leave out a unit’s owed meeting, which concerns no one', () => {
    expect(tickedPeople(rows, tickedKeys(1))).toEqual([]);
    expect(tickedPeople(rows, tickedKeys(1, 4))).toEqual([{ id: 31, name: '王五' }]);
  });

  it('propose the step they all name, and none when they name several or none', () => {
    expect(sharedStep(rows, tickedKeys(0, 2, 4))).toBe('applicant_talk');
    expect(sharedStep(rows, tickedKeys(0, 1, 2))).toBe('applicant_talk');
    expect(sharedStep(rows, tickedKeys(0, 3))).toBeNull();
    expect(sharedStep(rows, tickedKeys(1))).toBeNull();
    expect(sharedStep([item({ done_by: null })], () => true)).toBeNull();
  });
});
