// Membership status (党籍状态) as the screens show it: the label with the day it took effect, the banner over the
// file of someone out of the register, the choices of the status dialog and the list's status filter as a query.
// The rules — which status may follow which, for which stage, when a reason is needed, which days are allowed — are
// dangan-core's (`domain::check_status_change`): the dialog sends what was chosen and shows the core's refusal.

import { MEMBERSHIP_STATUSES } from '../api/domain';
import type { MemberDetail, MemberQuery, MembershipStatus, StatusChange } from '../api/types';
import { translate, type Locale } from '../i18n/catalogue';
import { formatDate } from '../i18n/format';

/** What each part of a member's status section is given: the member's page, and where the core's next page goes. */
export interface StatusPartProps {
  personId: number;
  detail: MemberDetail;
  /** The session may edit members: the part offers its changes. */
  editable: boolean;
  /** The core's page after a change or its undoing. */
  onsaved: (d: MemberDetail) => void;
  onlocked: () => void;
}

/** On the register of this committee (在册): the working lists, deadlines and reminders count them. */
export function inRegister(status: MembershipStatus): boolean {
  return status === 'in_register';
}

/** The change that set the status the person has now: the latest of their history (oldest first), if any. */
export function latestChange(history: readonly StatusChange[]): StatusChange | null {
  return history.at(-1) ?? null;
}

/** What the status dialog offers: every status but the current one, in the core's order. */
export function statusChoices(current: MembershipStatus): MembershipStatus[] {
  return MEMBERSHIP_STATUSES.filter((s) => s !== current);
}

/** The status with the day it took effect, for a badge: `转出 · 2026年6月30日`, or `在册` with no change recorded. */
export function statusSince(locale: Locale, status: MembershipStatus, since: StatusChange | null): string {
  const label = translate(locale, `status.${status}`);
  return since ? translate(locale, 'membership.since', { status: label, date: formatDate(since.date, locale) }) : label;
}

/**
 * The banner over the file of someone out of the register:
 * `已不在册（转出，2026年6月30日）：档案仅供查阅和打印`.
 */
export function archivedBanner(locale: Locale, status: MembershipStatus, since: StatusChange | null): string {
  const label = translate(locale, `status.${status}`);
  const what = since ? translate(locale, 'membership.what', { status: label, date: formatDate(since.date, locale) }) : label;
  return translate(locale, 'membership.banner', { what });
}

/** The status dialog's fields as typed. */
export interface StatusDraft {
  status: MembershipStatus;
  date: string;
  reason: string;
}

/** The dialog's fields as the core's `StatusChange` (a new one): the date trimmed, no reason as `null`. */
export function statusChange(personId: number, d: StatusDraft): StatusChange {
  const reason = d.reason.trim();
  return { id: null, person_id: personId, status: d.status, date: d.date.trim(), reason: reason === '' ? null : reason };
}

/** The member list's status filter: the working list (在册), those out of the register (已归档), or everyone. */
export type ListStatus = 'in_register' | 'archived' | 'all';

/** The filter's options, in the order of its select. */
export const LIST_STATUSES: readonly ListStatus[] = ['in_register', 'archived', 'all'];

/**
 * The filter's choice when the list opens: the working list; in a drill-down from 统计, everyone the number counted,
 * whatever their status today (as the core lists a `cell` with no status), so that the list matches the number.
 */
export function defaultListStatus(drilled: boolean): ListStatus {
  return drilled ? 'all' : 'in_register';
}

/**
 * The query's `status` for the filter's choice. The working list sends none (the core's default); in a drill-down,
 * where the core's default is everyone counted, every choice is sent as it is.
 */
export function statusQuery(choice: ListStatus, drilled: boolean): Pick<MemberQuery, 'status'> {
  return choice === 'in_register' && !drilled ? {} : { status: choice };
}
