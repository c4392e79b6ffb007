// The 信访举报 screen's reading of the core's register (`ComplaintLine`, `Complaint`): which of a line's days are past
// (须转送于, 须反馈于, highlighted once today is after them), the words for a channel, a handling and a state, and the
// refusal that says the register's key has not reached this inspector yet. Every day, state and check is the core's:
// nothing here works out a deadline, only whether the day the core gave is behind today.

import { invalidInputOf, toAppError, type InvalidInput } from '../api/errors';
import type { Channel, Complaint, ComplaintLine, ComplaintState, Handling } from '../api/types';
import type { MessageKey } from '../i18n/zh-CN';

/** A day the core gave a line, and whether it is past (today is after it). */
export interface DueDay {
  date: string;
  overdue: boolean;
}

/** Whether `due` (`YYYY-MM-DD`) is behind `today`: the day itself is still in time. */
export function pastDue(due: string | null, today: string): boolean {
  return due !== null && due < today;
}

/** A line's two days, 须转送于 and 须反馈于, each `null` where the core gave none (forwarded already, or closed). */
export function dueDays(line: Pick<ComplaintLine, 'forward_due' | 'report_due'>, today: string): { forward: DueDay | null; report: DueDay | null } {
  const day = (date: string | null): DueDay | null => (date === null ? null : { date, overdue: pastDue(date, today) });
  return { forward: day(line.forward_due), report: day(line.report_due) };
}

/** How many of the lines have a day past: the screen's count of what is late. */
export function overdueCount(lines: readonly Pick<ComplaintLine, 'forward_due' | 'report_due'>[], today: string): number {
  return lines.filter((l) => pastDue(l.forward_due, today) || pastDue(l.report_due, today)).length;
}

export const channelKey = (c: Channel): MessageKey => `complaint.channel.${c}`;
export const handlingKey = (h: Handling): MessageKey => `complaint.handling.${h}`;
export const stateKey = (s: ComplaintState): MessageKey => `complaint.state.${s}`;

/** Whether the entry may still be handled or closed, as the core's state says (it refuses a closed one anyway). */
export function stillOpen(c: Pick<Complaint, 'state'>): boolean {
  return c.state !== 'closed';
}

/**
 * The core's refusal of an inspector not yet given the register's key (an `invalid_input` naming `register`: another
 * inspector who holds it must sign in once); `null` for any other failure. The screen says it as it is, alone.
 */
export function registerKeyMissing(e: unknown): InvalidInput | null {
  if (e === null || e === undefined) return null;
  const invalid = invalidInputOf(toAppError(e));
  return invalid?.field === 'register' ? invalid : null;
}
