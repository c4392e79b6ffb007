// What each role may do: dangan-core's permission matrix (`access.rs`), mirrored so the UI can hide what the core
// would refuse. The core checks every call itself; nothing here grants anything. The mock backend enforces the same
// matrix through `may`.
//
// | role | members | org units, calendar, backups | rules, users | audit log |
// |---|---|---|---|---|
// | administrator (管理员) | all, read and change | yes | yes | yes |
// | organiser (组织员) | all, read and change | yes | no | no |
// | branch secretary (支部书记) | only the assigned branches | no | no | no |
// | auditor (审计员) | all, read only | no | no | yes |

import type { Action } from './api/bindings/Action';
import type { Role } from './api/types';

/** What a caller asks to do (dangan-core's `Action`). */
export type { Action };

export const ALL_ACTIONS: readonly Action[] = [
  'read_members',
  'edit_members',
  'edit_organisation',
  'edit_calendar',
  'edit_rules',
  'backup',
  'restore',
  'manage_users',
  'read_audit',
  'verify',
];

const ALLOWED: Record<Role, ReadonlySet<Action>> = {
  administrator: new Set<Action>([
    'read_members',
    'edit_members',
    'edit_organisation',
    'edit_calendar',
    'edit_rules',
    'backup',
    'restore',
    'manage_users',
    'read_audit',
    'verify',
  ]),
  organiser: new Set<Action>([
    'read_members',
    'edit_members',
    'edit_organisation',
    'edit_calendar',
    'backup',
    'restore',
    'verify',
  ]),
  branch_secretary: new Set<Action>(['read_members', 'edit_members']),
  auditor: new Set<Action>(['read_members', 'read_audit', 'verify']),
};

/** Whether the role allows the action at all (a branch secretary's branches are checked member by member). */
export function may(role: Role, action: Action): boolean {
  return ALLOWED[role].has(action);
}

// The helpers the screens use take the signed-in role, or `null` while it is not known (an older shell without
// `session_user`): then the screens show what they showed before there were roles, except the two screens that
// only exist with roles.

export function mayManageUsers(role: Role | null): boolean {
  return role !== null && may(role, 'manage_users');
}

export function mayReadAudit(role: Role | null): boolean {
  return role !== null && may(role, 'read_audit');
}

/** Add or change members, their steps and files; import; set reminders aside. */
export function mayEdit(role: Role | null): boolean {
  return role === null || may(role, 'edit_members');
}

export function mayBackup(role: Role | null): boolean {
  return role === null || may(role, 'backup');
}

/** Add branches and general branches. */
export function mayEditOrganisation(role: Role | null): boolean {
  return role === null || may(role, 'edit_organisation');
}
