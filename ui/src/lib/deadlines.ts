// What the screens work out about a deadline item on their own: who owes it (a member's step or a unit's meeting),
// whether it is set aside, and how its due day reads relative to today ("逾期 3 天", "还有 5 天"). Pure, so that the
// wording's choices are tested without a component.

import { addDays, daysBetween } from './calendar/month-grid';
import type { Backend } from './api/backend';
import type { DeadlineItem, EventKind, MeetingKind } from './api/types';
import type { MessageKey } from './i18n/catalogue';

/** A step of a member's procedure: the item carries `member_id`, `name` and `done_by`. */
export type MemberItem = Extract<DeadlineItem, { member_id: number }>;
/** A meeting a unit (or one of its party groups) owes: the item carries `unit_id`, `unit`, `group_id` and `meeting`. */
export type UnitItem = Extract<DeadlineItem, { unit_id: number }>;

/** Whether a unit owes the item (an owed meeting), not a member. The one place that tells the two apart. */
export function isUnitItem(item: DeadlineItem): item is UnitItem {
  return 'unit_id' in item;
}

export function isMemberItem(item: DeadlineItem): item is MemberItem {
  return !isUnitItem(item);
}

/** Who owes an item, as a row names it and a click opens it: a member's detail, or the unit's 组织生活. */
export type ItemOwner =
  | { kind: 'member'; id: number; name: string }
  | { kind: 'unit'; id: number; groupId: number | null; name: string };

/** The owner of an item; a party group's meeting is named `unit · group`, as the core's lists name it. */
export function ownerOf(item: DeadlineItem): ItemOwner {
  if (isUnitItem(item)) {
    return { kind: 'unit', id: item.unit_id, groupId: item.group_id, name: item.group ? `${item.unit} · ${item.group}` : item.unit };
  }
  return { kind: 'member', id: item.member_id, name: item.name };
}

/**
 * A key unique among the items of a list: the owner, the rule and the due day. A member and a unit with the same id
 * never collide, nor two party groups of one branch, nor two entries of the complaints register (their items sit under
 * the committee, and two entries received the same day owe the same rule on the same day).
 */
export function itemKey(item: DeadlineItem): string {
  if (isUnitItem(item)) {
    const owner = item.complaint_id === undefined ? `u${item.unit_id}.${item.group_id ?? 0}` : `c${item.complaint_id}`;
    return `${owner}|${item.rule}|${item.due}`;
  }
  return `m${item.member_id}|${item.rule}|${item.due}`;
}

/** A member's step that one event satisfies: 登记 records it (`RecordDialog`). */
export type StepItem = MemberItem & { done_by: EventKind };
/** A unit's owed meeting of one kind: 登记 records it (`MeetingDialog`, the kind and party group filled in). */
export type MeetingItem = UnitItem & { meeting: MeetingKind };

/**
 * What 登记 does for an item: record the member's step, record the unit's meeting, or — where nothing here records
 * it (a member's absence from party life, which a meeting attended ends; a committee's election) — open the unit's
 * 组织生活, the member's branch's for a member.
 */
export type RecordTarget = { kind: 'step'; item: StepItem } | { kind: 'meeting'; item: MeetingItem } | { kind: 'unit'; unitId: number };

export function recordTarget(item: DeadlineItem): RecordTarget {
  if (isUnitItem(item)) {
    const meeting = item.meeting;
    return meeting === null ? { kind: 'unit', unitId: item.unit_id } : { kind: 'meeting', item: { ...item, meeting } };
  }
  const doneBy = item.done_by;
  return doneBy === null ? { kind: 'unit', unitId: item.branch_id } : { kind: 'step', item: { ...item, done_by: doneBy } };
}

type DismissApi = Pick<Backend, 'dismissDeadline' | 'restoreDeadline' | 'dismissUnitDeadline' | 'restoreUnitDeadline'>;

/** Acknowledges (`until: null`) or snoozes an item, through the command for its owner. */
export function setAside(api: DismissApi, item: DeadlineItem, until: string | null): Promise<void> {
  return isUnitItem(item)
    ? api.dismissUnitDeadline(item.unit_id, item.group_id, item.rule, item.due, until)
    : api.dismissDeadline(item.member_id, item.rule, item.due, until);
}

/** Undoes a snooze or an acknowledgement, through the command for the item's owner. */
export function restoreItem(api: DismissApi, item: DeadlineItem): Promise<void> {
  return isUnitItem(item)
    ? api.restoreUnitDeadline(item.unit_id, item.group_id, item.rule, item.due)
    : api.restoreDeadline(item.member_id, item.rule, item.due);
}

/** The list's order within a day or a status: by the owner's name, as a Chinese reader sorts. */
export function compareOwners(a: DeadlineItem, b: DeadlineItem): number {
  return ownerOf(a).name.localeCompare(ownerOf(b).name, 'zh-CN');
}

/** Acknowledged, or snoozed until a day after `asOf`: the core's `DeadlineItem::is_dismissed`. */
export function isDismissed(item: DeadlineItem, asOf: string): boolean {
  return item.acknowledged || (item.snoozed_until !== null && item.snoozed_until > asOf);
}

/** The snooze choices the rows offer, in days from the as-of day. */
export const SNOOZE_DAYS = [1, 7] as const;
export type SnoozeDays = (typeof SNOOZE_DAYS)[number];

/** The day a snooze of `days` lasts until: the item comes back on that day. */
export function snoozeUntil(asOf: string, days: SnoozeDays): string {
  return addDays(asOf, days);
}

/**
 * A branch's path below the committee (`学生党总支/本科生第一党支部`) as its own name and the units above it, so
 * that a narrow column can show the name and keep the rest for a second line or a tooltip.
 */
export function splitBranch(path: string): { name: string; parent: string } {
  const parts = path.split('/').map((p) => p.trim()).filter(Boolean);
  return { name: parts.at(-1) ?? '', parent: parts.slice(0, -1).join(' / ') };
}

export interface DueText {
  key: MessageKey;
  n: number;
}

/**
 * The due day relative to `asOf`, as a catalogue key and its number. A deadline (or a recurring step) is overdue,
 * due today or some days away; an earliest date opens in some days or is open.
 */
export function dueText(item: Pick<DeadlineItem, 'kind' | 'due'>, asOf: string): DueText {
  const days = daysBetween(asOf, item.due);
  if (item.kind === 'earliest') {
    if (days <= 0) return { key: 'due.open', n: 0 };
    return { key: days === 1 ? 'due.opens_in_one' : 'due.opens_in', n: days };
  }
  if (days < 0) return { key: days === -1 ? 'due.overdue_one' : 'due.overdue', n: -days };
  if (days === 0) return { key: 'due.today', n: 0 };
  return { key: days === 1 ? 'due.left_one' : 'due.left', n: days };
}

/**
 * The people of the rows ticked (a member's step each; a unit's owed meeting has no one to tick), each once, in the
 * rows' order and named as the rows name them: whom the dashboard's 生成文书 and 登记步骤 are for.
 */
export function tickedPeople(items: readonly DeadlineItem[], ticked: (item: DeadlineItem) => boolean): { id: number; name: string }[] {
  const seen = new Set<number>();
  const people: { id: number; name: string }[] = [];
  for (const item of items) {
    if (isUnitItem(item) || !ticked(item) || seen.has(item.member_id)) continue;
    seen.add(item.member_id);
    people.push({ id: item.member_id, name: item.name });
  }
  return people;
}

/** The step that records every ticked row, when they all name the same one (the batch's first choice); else `null`. */
export function sharedStep(items: readonly DeadlineItem[], ticked: (item: DeadlineItem) => boolean): EventKind | null {
  const steps = new Set<EventKind | null>();
  for (const item of items) if (isMemberItem(item) && ticked(item)) steps.add(item.done_by);
  const [only = null] = steps;
  return steps.size === 1 ? only : null;
}
