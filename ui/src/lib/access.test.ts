import { describe, expect, it } from 'vitest';
import { may, mayBackup, mayEdit, mayEditOrganisation, mayManageUsers, mayReadAudit, type Action } from './access';
import { ROLES } from './api/domain';

const EVERY_ACTION: Action[] = [
  'read_members',
  'edit_members',
  'edit_organisation',
  'edit_calendar',
  'edit_rules',
  'backup',
  'manage_users',
  'read_audit',
];

describe('the permission matrix', () => {
  it('lets an administrator do everything', () => {
    expect(EVERY_ACTION.every((a) => may('administrator', a))).toBe(true);
  });

  it('lets only administrators manage users and rules', () => {
    expect(ROLES.filter((r) => may(r, 'manage_users'))).toEqual(['administrator']);
    expect(ROLES.filter((r) => may(r, 'edit_rules'))).toEqual(['administrator']);
  });

  it('lets administrators and auditors read the audit log', () => {
    expect(ROLES.filter((r) => may(r, 'read_audit'))).toEqual(['administrator', 'auditor']);
  });

  it('lets the auditor read everything and change nothing', () => {
    expect(EVERY_ACTION.filter((a) => may('auditor', a))).toEqual(['read_members', 'read_audit']);
  });

  it('lets a branch secretary edit members but not the organisation, backups or the calendar', () => {
    expect(EVERY_ACTION.filter((a) => may('branch_secretary', a))).toEqual(['read_members', 'edit_members']);
  });

  it('lets an organiser do all but users, rules and the audit log', () => {
    expect(EVERY_ACTION.filter((a) => !may('organiser', a))).toEqual(['edit_rules', 'manage_users', 'read_audit']);
  });
});

describe('what the screens show', () => {
  it('offers 用户管理 to administrators only, and 审计日志 to administrators and auditors', () => {
    expect(ROLES.filter(mayManageUsers)).toEqual(['administrator']);
    expect(ROLES.filter(mayReadAudit)).toEqual(['administrator', 'auditor']);
  });

  it('hides the editing controls from the auditor only', () => {
    expect(ROLES.filter((r) => !mayEdit(r))).toEqual(['auditor']);
  });

  it('offers backups and new branches to administrators and organisers', () => {
    expect(ROLES.filter(mayBackup)).toEqual(['administrator', 'organiser']);
    expect(ROLES.filter(mayEditOrganisation)).toEqual(['administrator', 'organiser']);
  });

  it('shows what it showed before roles while the role is not known, but neither role-only screen', () => {
    expect([mayEdit(null), mayBackup(null), mayEditOrganisation(null)]).toEqual([true, true, true]);
    expect([mayManageUsers(null), mayReadAudit(null)]).toEqual([false, false]);
  });
});
