// Orderings of the bridge's enums, for menus, filters and exhaustiveness tests.
//
// Each list is derived from a `Record<Union, …>` so that adding a variant to `types.ts` without adding it here
// is a type error.

import type { Category, ErrorKind, EventKind, Gender, Stage } from './types';

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
  contacts_assigned: 3,
  candidate_determined: 4,
  political_review: 5,
  centralised_training: 6,
  prereview_passed: 7,
  admitted: 8,
  admission_approved: 9,
  oath: 10,
  conversion_meeting: 11,
  conversion_approved: 12,
  probation_extended: 13,
  membership_ended: 14,
});

export const GENDERS: readonly Gender[] = keysInOrder<Gender>({ male: 0, female: 1 });
export const CATEGORIES: readonly Category[] = keysInOrder<Category>({ student: 0, teacher: 1, staff: 2 });

export const ERROR_KINDS: readonly ErrorKind[] = keysInOrder<ErrorKind>({
  wrong_passphrase: 0,
  workspace_missing: 1,
  workspace_exists: 2,
  locked: 3,
  invalid_input: 4,
  violations: 5,
  not_found: 6,
  import_rejected: 7,
  roster_unreadable: 8,
  cancelled: 9,
  rule_file: 10,
  corrupt: 11,
  io: 12,
  internal: 13,
});

export function eventOrder(kind: EventKind): number {
  return EVENT_KINDS.indexOf(kind);
}
