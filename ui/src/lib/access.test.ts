import { afterEach, describe, expect, it } from 'vitest';
import {
  allows,
  mayApproveTransfers,
  mayBackup,
  mayEdit,
  mayEditOrganisation,
  mayManageUsers,
  mayReadAudit,
  offers,
  onServer,
  sessionMay,
  type Action,
} from './access';
import type { SessionUser } from './api/types';
import { setSessionUser } from './session.svelte';

/** A session as the core sends it: whatever its role, the screens read only `may`. */
function session(may: Action[], role: SessionUser['role'] = 'administrator'): SessionUser {
  return { name: '张老师', role, branches: [], recovery: false, may, areas: [], server: null };
}

/** What each helper answers, in one row: the seven questions the screens ask (信访举报 through the menu's `when`). */
function answers() {
  return {
    edit: mayEdit(),
    approve: mayApproveTransfers(),
    backup: mayBackup(),
    organisation: mayEditOrganisation(),
    users: mayManageUsers(),
    audit: mayReadAudit(),
    complaints: sessionMay('handle_complaints'),
  };
}

/** Every action there is (dangan-core's `Action::ALL`): a `Record`, so that a new action is a type error here. */
const EVERY_ACTION = Object.keys({
  read_members: true, edit_members: true, edit_organisation: true, approve_transfers: true, edit_calendar: true, edit_rules: true, backup: true,
  restore: true, manage_users: true, read_audit: true, verify: true, handle_complaints: true,
} satisfies Record<Action, true>) as Action[];

afterEach(() => setSessionUser(null));

describe('what the screens offer follows the session’s `may`, not its role', () => {
  it.each<[string, Action[], ReturnType<typeof answers>]>([
    [
      'everything listed: everything offered',
      EVERY_ACTION,
      { edit: true, approve: true, backup: true, organisation: true, users: true, audit: true, complaints: true },
    ],
    [
      'an administrator’s list: every action but the complaints register, the discipline inspectors’ alone',
      EVERY_ACTION.filter((a) => a !== 'handle_complaints'),
      { edit: true, approve: true, backup: true, organisation: true, users: true, audit: true, complaints: false },
    ],
    [
      'an organiser’s list: approves transfers, but no users, no audit log, no complaints',
      ['read_members', 'edit_members', 'edit_organisation', 'approve_transfers', 'edit_calendar', 'backup', 'restore', 'verify'],
      { edit: true, approve: true, backup: true, organisation: true, users: false, audit: false, complaints: false },
    ],
    [
      'a branch secretary’s list: edits members, approves no transfer, nothing else',
      ['read_members', 'edit_members'],
      { edit: true, approve: false, backup: false, organisation: false, users: false, audit: false, complaints: false },
    ],
    [
      'an auditor’s list: reads and the audit log, no editing, no complaints',
      ['read_members', 'read_audit', 'verify'],
      { edit: false, approve: false, backup: false, organisation: false, users: false, audit: true, complaints: false },
    ],
    [
      'a discipline inspector’s list: reads members and keeps the complaints register, nothing else',
      ['read_members', 'handle_complaints'],
      { edit: false, approve: false, backup: false, organisation: false, users: false, audit: false, complaints: true },
    ],
    [
      'signed in with the recovery key: user management only',
      ['manage_users'],
      { edit: false, approve: false, backup: false, organisation: false, users: true, audit: false, complaints: false },
    ],
  ])('%s', (_, may, expected) => {
    setSessionUser(session(may));
    expect(answers()).toEqual(expected);
  });

  it('trusts the list over the role: an administrator whose session lists nothing is offered nothing', () => {
    setSessionUser(session([], 'administrator'));
    expect(Object.values(answers()).some(Boolean)).toBe(false);
    expect(sessionMay('read_members')).toBe(false);
  });
});

describe('while no session is known', () => {
  it('shows what it showed before roles, but none of the role-only screens (users, audit log, complaints)', () => {
    expect(answers()).toEqual({ edit: true, approve: true, backup: true, organisation: true, users: false, audit: false, complaints: false });
  });

  it('answers the same through `allows` for a session passed in', () => {
    expect(allows(null, 'edit_members')).toBe(true);
    expect(allows(null, 'manage_users')).toBe(false);
    expect(allows(null, 'handle_complaints')).toBe(false);
    expect(allows(session(['read_members', 'handle_complaints'], 'discipline_inspector'), 'handle_complaints')).toBe(true);
    expect(allows(session(['read_audit']), 'read_audit')).toBe(true);
    expect(allows(session(['read_audit']), 'edit_members')).toBe(false);
  });
});

describe('what the records offer follows the session’s `areas`', () => {
  it('with no session every area; on a shared server only the areas it lists, and its address', () => {
    expect(offers('files')).toBe(true);
    expect(onServer()).toBeNull();
    setSessionUser({ ...session(['read_members']), areas: ['members', 'deadlines'], server: 'postgres://db.example.edu.cn/dangan' });
    expect(offers('members')).toBe(true);
    expect(offers('files')).toBe(false);
    expect(offers('dues')).toBe(false);
    expect(onServer()).toBe('postgres://db.example.edu.cn/dangan');
  });
});
