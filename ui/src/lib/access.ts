// What the signed-in user may do, so that the screens hide what the core would refuse. The answer is the core's own:
// the session lists its user's actions (`SessionUser.may`, from dangan-core's `access.rs`), and nothing here keeps
// a copy of the role table to consult. The core checks every call itself; nothing here grants anything.
//
// While no session is known (an older shell without `session_user`, or a failed read), the screens show what they
// showed before there were roles (editing, backups, new branches), except the screens that only exist with roles:
// 用户管理, 审计日志 and 信访举报 (the discipline inspectors' register).

import type { Action } from './api/bindings/Action';
import type { Area } from './api/bindings/Area';
import type { SessionUser } from './api/types';
import { sessionUser } from './session.svelte';

/** What a caller asks to do (dangan-core's `Action`). */
export type { Action };

/** The actions offered only to a known session: the screens that came with roles. */
const ONLY_WITH_ROLES: ReadonlySet<Action> = new Set<Action>(['manage_users', 'read_audit', 'handle_complaints']);

/** Whether this session lists the action; with no session, what the screens showed before roles. */
export function allows(user: SessionUser | null, action: Action): boolean {
  return user === null ? !ONLY_WITH_ROLES.has(action) : user.may.includes(action);
}

/** Whether the signed-in user may take the action (see `allows`). Reactive: reads the session's state. */
export function sessionMay(action: Action): boolean {
  return allows(sessionUser(), action);
}

export function mayManageUsers(): boolean {
  return sessionMay('manage_users');
}

export function mayReadAudit(): boolean {
  return sessionMay('read_audit');
}

/** Add or change members, their steps and files; import; set reminders aside. */
export function mayEdit(): boolean {
  return sessionMay('edit_members');
}

/** Approve or decline a member's application to transfer out (转出申请). */
export function mayApproveTransfers(): boolean {
  return sessionMay('approve_transfers');
}

export function mayBackup(): boolean {
  return sessionMay('backup');
}

/** Add branches and general branches. */
export function mayEditOrganisation(): boolean {
  return sessionMay('edit_organisation');
}

/** Whether the records open offer an area of work (`SessionUser.areas`, from dangan-core's `areas.rs`): a workspace
 * all of them, a shared server those that run on it so far. With no session known, every area. */
export function offers(area: Area): boolean {
  const user = sessionUser();
  return user === null || user.areas.includes(area);
}

/** The shared server signed in to (its address), or `null` in a workspace. */
export function onServer(): string | null {
  return sessionUser()?.server ?? null;
}
