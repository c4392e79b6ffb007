import { describe, expect, it } from 'vitest';
import type { Action } from './access';
import type { SessionUser } from './api/types';
import repliesJson from './api/recorded/replies.json?raw';

/** What the real core's session of this recorded user may do (`recorded/replies.json`). */
function recordedMay(session: 'administrator' | 'auditor' | 'branch_secretary'): Action[] {
  const replies = JSON.parse(repliesJson) as { sessions: Record<string, { command: string; ok?: unknown }[]> };
  const reply = replies.sessions[session]!.find((r) => r.command === 'session_user');
  return (reply!.ok as SessionUser).may;
}
import { entryOf, firstView, loadNavCollapsed, moveFocus, NAV, saveNavCollapsed, visibleNav, type NavGroup } from './nav';

/** The menu as a session with these actions sees it: each group's id and its entries' testids. */
function menu(may: readonly Action[]): [string, string[]][] {
  return visibleNav((a) => may.includes(a)).map((g) => [g.id, g.entries.map((e) => e.testid)]);
}

describe('the side menu shows what the session may do, grouped', () => {
  it.each<[string, readonly Action[], [string, string[]][]]>([
    [
      'an administrator (as the core records one): every entry but the complaints register, and no empty group',
      recordedMay('administrator'),
      [
        ['daily', ['nav-dashboard', 'nav-calendar']],
        ['people', ['nav-members']],
        ['organisation', ['nav-life', 'nav-dues', 'nav-transfers', 'nav-appraisal']],
        ['statistics', ['nav-statistics']],
        ['system', ['nav-users', 'nav-audit', 'backup-open']],
      ],
    ],
    [
      'an organiser: backups, but no users and no audit log',
      ['read_members', 'edit_members', 'edit_organisation', 'approve_transfers', 'edit_calendar', 'backup', 'restore', 'verify'],
      [
        ['daily', ['nav-dashboard', 'nav-calendar']],
        ['people', ['nav-members']],
        ['organisation', ['nav-life', 'nav-dues', 'nav-transfers', 'nav-appraisal']],
        ['statistics', ['nav-statistics']],
        ['system', ['backup-open']],
      ],
    ],
    [
      'an auditor (as the core records one): the audit log under 系统',
      recordedMay('auditor'),
      [
        ['daily', ['nav-dashboard', 'nav-calendar']],
        ['people', ['nav-members']],
        ['organisation', ['nav-life', 'nav-dues', 'nav-transfers', 'nav-appraisal']],
        ['statistics', ['nav-statistics']],
        ['system', ['nav-audit']],
      ],
    ],
    [
      'a branch secretary (as the core records one): their statistics, and no 系统 group at all',
      recordedMay('branch_secretary'),
      [
        ['daily', ['nav-dashboard', 'nav-calendar']],
        ['people', ['nav-members']],
        ['organisation', ['nav-life', 'nav-dues', 'nav-transfers', 'nav-appraisal']],
        ['statistics', ['nav-statistics']],
      ],
    ],
    [
      'a discipline inspector: the members, and the complaints register under 组织 (theirs alone)',
      ['read_members', 'handle_complaints'],
      [
        ['daily', ['nav-dashboard', 'nav-calendar']],
        ['people', ['nav-members']],
        ['organisation', ['nav-life', 'nav-dues', 'nav-transfers', 'nav-appraisal', 'nav-complaints']],
        ['statistics', ['nav-statistics']],
      ],
    ],
    ['the recovery key: user management only', ['manage_users'], [['system', ['nav-users']]]],
  ])('%s', (_, may, expected) => {
    expect(menu(may)).toEqual(expected);
  });

  it('keeps the groups in order, 组织生活, 党费, 组织关系, 民主评议 and 信访举报 under 组织', () => {
    expect(NAV.map((g) => g.id)).toEqual(['daily', 'people', 'organisation', 'statistics', 'system']);
    const life = entryOf(visibleNav((a) => a === 'read_members'), 'life');
    expect([life?.group.id, life?.entry.testid, life?.entry.label]).toEqual(['organisation', 'nav-life', 'nav.life']);
    const dues = entryOf(visibleNav((a) => a === 'read_members'), 'dues');
    expect([dues?.group.id, dues?.entry.testid, dues?.entry.label]).toEqual(['organisation', 'nav-dues', 'nav.dues']);
    const transfers = entryOf(visibleNav((a) => a === 'read_members'), 'transfers');
    expect([transfers?.group.id, transfers?.entry.testid, transfers?.entry.label]).toEqual(['organisation', 'nav-transfers', 'nav.transfers']);
    const appraisal = entryOf(visibleNav((a) => a === 'read_members'), 'appraisal');
    expect([appraisal?.group.id, appraisal?.entry.testid, appraisal?.entry.label]).toEqual(['organisation', 'nav-appraisal', 'nav.appraisal']);
    expect(entryOf(visibleNav((a) => a === 'manage_users'), 'appraisal')).toBeNull();
    const complaints = entryOf(visibleNav((a) => a === 'handle_complaints'), 'complaints');
    expect([complaints?.group.id, complaints?.entry.testid, complaints?.entry.label]).toEqual(['organisation', 'nav-complaints', 'nav.complaints']);
    expect(entryOf(visibleNav((a) => a !== 'handle_complaints'), 'complaints')).toBeNull();
    expect(entryOf(visibleNav((a) => a === 'manage_users'), 'life')).toBeNull();
  });

  it('on a shared server shows only the screens of the areas it offers, whatever the role may do', () => {
    // What a server's session lists today (dangan-core's `Area::ON_A_SERVER`).
    const onServer = new Set(['deadlines', 'members', 'rosters', 'organisation', 'statistics', 'users', 'audit']);
    const shown = visibleNav(() => true, NAV, (area) => onServer.has(area)).flatMap((g) => g.entries.map((e) => e.testid));
    expect(shown).toEqual(['nav-dashboard', 'nav-calendar', 'nav-members', 'nav-statistics', 'nav-users', 'nav-audit']);
  });

  it('gives every entry its own testid, which the end-to-end tests click', () => {
    const testids = NAV.flatMap((g) => g.entries.map((e) => e.testid));
    expect(new Set(testids).size).toBe(testids.length);
  });
});

describe('where the shell is', () => {
  const groups = visibleNav(() => true);

  it('names the current screen and its group for the top bar', () => {
    const here = entryOf(groups, 'audit');
    expect([here?.group.title, here?.entry.label]).toEqual(['nav.group.system', 'nav.audit']);
  });

  it('has no entry for a screen the session may not see, and sends its user to the first screen offered', () => {
    const auditor = visibleNav((a) => a !== 'manage_users');
    expect(entryOf(auditor, 'users')).toBeNull();
    expect(firstView(auditor)).toBe('dashboard');
    expect(firstView(visibleNav((a) => a === 'manage_users'))).toBe('users');
  });

  it('never takes the backup dialog for a screen', () => {
    const backupOnly: NavGroup[] = visibleNav((a) => a === 'backup');
    expect(firstView(backupOnly)).toBeNull();
  });
});

describe('keys in the menu', () => {
  it.each([
    ['ArrowDown', 0, 1],
    ['ArrowDown', 4, 0],
    ['ArrowUp', 0, 4],
    ['ArrowUp', 3, 2],
    ['Home', 3, 0],
    ['End', 1, 4],
  ])('%s from entry %i of five goes to entry %i (wrapping round)', (key, from, to) => {
    expect(moveFocus(from, key, 5)).toBe(to);
  });

  it('leaves other keys (Tab, Enter, Space) to the browser', () => {
    expect([moveFocus(1, 'Tab', 5), moveFocus(1, 'Enter', 5), moveFocus(1, ' ', 5)]).toEqual([null, null, null]);
  });
});

describe('the collapsed menu is remembered', () => {
  it('reads back what was saved, and knows when no choice was made', () => {
    const kept = new Map<string, string>();
    const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    expect(loadNavCollapsed(storage)).toBeNull();
    kept.set('dangan.nav.collapsed', 'sideways');
    expect(loadNavCollapsed(storage)).toBeNull();
    saveNavCollapsed(true, storage);
    expect(loadNavCollapsed(storage)).toBe(true);
    saveNavCollapsed(false, storage);
    expect(loadNavCollapsed(storage)).toBe(false);
  });
});
