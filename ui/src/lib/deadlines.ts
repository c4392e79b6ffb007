// What the screens work out about a deadline item on their own: whether it is set aside, and how its due day reads
// relative to today ("逾期 3 天", "还有 5 天"). Pure, so that the wording's choices are tested without a component.

import { addDays, daysBetween } from './calendar/month-grid';
import type { DeadlineItem } from './api/types';
import type { MessageKey } from './i18n/catalogue';

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
