import { describe, expect, it } from 'vitest';
import { DEMO_PASSPHRASE, MockBackend } from './mock';
import { DEMO_RECOVERY_CODE, MockAuditLog, RECOVERY_ACTOR, parseRecoveryCode } from './mock-accounts';
import { isAppError } from './errors';
import type { AppError, AuditQuery, Role } from './types';

const TODAY = '2026-11-24';
const SECRETARY = { name: '李书记', passphrase: 'secretary-demo' };
const AUDITOR = { name: '赵审计', passphrase: 'auditor-demo' };
const ORGANISER = { name: '王老师', passphrase: 'organiser-demo' };
const audit = (q: Partial<AuditQuery> = {}): AuditQuery => ({
  member_id: null, actor: null, entity: null, from: null, to: null, offset: 0, limit: 50, ...q,
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** A sample workspace, locked, then opened as `who`. */
async function signedInAs(who: { name: string; passphrase: string } | null = null): Promise<MockBackend> {
  const b = new MockBackend({ state: 'locked', size: 30, today: TODAY });
  if (who) await b.unlock(who.passphrase, who.name);
  else await b.unlock(DEMO_PASSPHRASE, null);
  return b;
}

describe('MockBackend sign-in', () => {
  it('creates a workspace with its first user an administrator, and a recovery code shown once', async () => {
    const b = new MockBackend({ today: TODAY });
    const code = await b.createWorkspace('long enough passphrase', '测试学院党委', ' 张老师 ');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    expect(await b.sessionUser()).toMatchObject({ name: '张老师', role: 'administrator', branches: [], recovery: false });
    expect(await b.listUsers()).toEqual([{ id: 1, name: '张老师', role: 'administrator', branches: [], created_on: TODAY }]);
    await b.lock();
    await b.unlockWithRecovery(code.toLowerCase().replace(/-/g, ' '));
    expect(await b.sessionUser()).toMatchObject({ name: RECOVERY_ACTOR, role: 'administrator', recovery: true });
  });

  it('refuses a workspace without a user name, on the field user', async () => {
    const b = new MockBackend({ today: TODAY });
    expect(await rejection(b.createWorkspace('long enough passphrase', '党委', '  '))).toMatchObject({
      kind: 'invalid_input',
      details: { field: 'user' },
    });
  });

  it('signs in whoever the passphrase belongs to, or only the user named', async () => {
    const b = await signedInAs(SECRETARY);
    expect(await b.sessionUser()).toMatchObject({ name: '李书记', role: 'branch_secretary', branches: [3], recovery: false });
    await b.lock();
    await b.unlock('auditor-demo', null);
    expect((await b.sessionUser()).role).toBe('auditor');
    await b.lock();
    expect((await rejection(b.unlock('auditor-demo', '李书记'))).kind).toBe('wrong_passphrase');
    expect((await rejection(b.unlock('auditor-demo', '无此人'))).kind).toBe('wrong_passphrase');
    expect((await rejection(b.sessionUser())).kind).toBe('locked');
  });

  it('reads a recovery code however it is typed, and names what cannot be one', async () => {
    expect(parseRecoveryCode('7f3k 0v62 cs34 hkpe r8yw 0gmt')).toBe('7F3K0V62CS34HKPER8YW0GMT');
    expect(parseRecoveryCode('OOOO-IIII-LLLL-0000-1111-2222')).toBe('000011111111000011112222');
    const b = new MockBackend({ state: 'locked', size: 3, today: TODAY });
    expect(await rejection(b.unlockWithRecovery('ABCD-EFGH'))).toMatchObject({ kind: 'invalid_input', details: { field: 'recovery_code' } });
    expect(await rejection(b.unlockWithRecovery('ABCD-EFGH-JKMN-PQRS-TVWX-YZU0'))).toMatchObject({
      kind: 'invalid_input',
      details: { field: 'recovery_code', reason_en: 'a recovery code has no “U”' },
    });
    expect((await rejection(b.unlockWithRecovery('0000-0000-0000-0000-0000-0000'))).kind).toBe('wrong_passphrase');
    await b.unlockWithRecovery(DEMO_RECOVERY_CODE);
    expect((await b.sessionUser()).recovery).toBe(true);
  });

  it('lets the recovery key set a forgotten passphrase, which then opens the workspace', async () => {
    const b = new MockBackend({ state: 'locked', size: 3, today: TODAY });
    await b.unlockWithRecovery(DEMO_RECOVERY_CODE);
    const admin = (await b.listUsers()).find((u) => u.role === 'administrator')!;
    await b.resetPassphrase(admin.id, 'a new passphrase');
    await b.lock();
    expect((await rejection(b.unlock(DEMO_PASSPHRASE, admin.name))).kind).toBe('wrong_passphrase');
    await b.unlock('a new passphrase', admin.name);
    expect((await b.sessionUser()).name).toBe(admin.name);
  });

  it('makes a new recovery code; the old one opens nothing any more', async () => {
    const b = await signedInAs();
    const code = await b.newRecoveryCode();
    expect(code).not.toBe(DEMO_RECOVERY_CODE);
    await b.lock();
    expect((await rejection(b.unlockWithRecovery(DEMO_RECOVERY_CODE))).kind).toBe('wrong_passphrase');
    await b.unlockWithRecovery(code);
  });

  it('changes the signed-in user’s own passphrase when the current one is right', async () => {
    const b = await signedInAs(ORGANISER);
    expect((await rejection(b.changePassphrase('not it at all', 'brand new passphrase'))).kind).toBe('wrong_passphrase');
    expect(await rejection(b.changePassphrase('organiser-demo', 'short'))).toMatchObject({ details: { field: 'passphrase' } });
    await b.changePassphrase('organiser-demo', 'brand new passphrase');
    await b.lock();
    await b.unlock('brand new passphrase', '王老师');
  });
});

describe('MockBackend users', () => {
  it('lists the sample users by name, the secretary with her branch', async () => {
    const b = await signedInAs();
    const users = await b.listUsers();
    expect(users.map((u) => [u.name, u.role, u.branches])).toEqual(
      [
        ['李书记', 'branch_secretary', [3]],
        ['王老师', 'organiser', []],
        ['管理员', 'administrator', []],
        ['赵审计', 'auditor', []],
      ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    );
  });

  it.each<[string, { name: string; passphrase: string }]>([
    ['an organiser', ORGANISER],
    ['a branch secretary', SECRETARY],
    ['an auditor', AUDITOR],
  ])('refuses %s every user call with forbidden', async (_, who) => {
    const b = await signedInAs(who);
    const calls: Promise<unknown>[] = [
      b.listUsers(),
      b.addUser('新人', 'auditor', [], 'long enough passphrase'),
      b.setUserRole(1, 'auditor', []),
      b.removeUser(2),
      b.resetPassphrase(1, 'long enough passphrase'),
      b.newRecoveryCode(),
    ];
    for (const call of calls) expect((await rejection(call)).kind).toBe('forbidden');
  });

  it('adds a user who can then sign in, and refuses a taken name, an empty one and a short passphrase', async () => {
    const b = await signedInAs();
    const added = await b.addUser(' 钱老师 ', 'organiser', [3], 'long enough passphrase');
    expect(added).toMatchObject({ name: '钱老师', role: 'organiser', branches: [], created_on: TODAY });
    const field = async (p: Promise<unknown>) => ((await rejection(p)).details as { field: string }).field;
    expect(await field(b.addUser('钱老师', 'auditor', [], 'long enough passphrase'))).toBe('name');
    expect(await field(b.addUser('  ', 'auditor', [], 'long enough passphrase'))).toBe('name');
    expect(await field(b.addUser('孙老师', 'auditor', [], 'short'))).toBe('passphrase');
    await b.lock();
    await b.unlock('long enough passphrase', '钱老师');
    expect((await b.sessionUser()).role).toBe('organiser');
  });

  it('gives a branch secretary at least one branch or general branch, and nobody else any', async () => {
    const b = await signedInAs();
    const details = async (p: Promise<unknown>) => (await rejection(p)).details;
    expect(await details(b.addUser('周书记', 'branch_secretary', [], 'long enough passphrase'))).toMatchObject({ field: 'branches' });
    expect(await details(b.addUser('周书记', 'branch_secretary', [1], 'long enough passphrase'))).toMatchObject({ field: 'branches' });
    expect(await details(b.addUser('周书记', 'branch_secretary', [99], 'long enough passphrase'))).toMatchObject({ field: 'branches' });
    const secretary = await b.addUser('周书记', 'branch_secretary', [4, 2, 4], 'long enough passphrase');
    expect(secretary.branches).toEqual([2, 4]);
    expect((await b.setUserRole(secretary.id, 'auditor', [4])).branches).toEqual([]);
  });

  it('keeps the last administrator: neither removed nor given another role', async () => {
    const b = await signedInAs();
    const admin = (await b.listUsers()).find((u) => u.name === '管理员')!;
    const other = await b.addUser('第二管理员', 'administrator', [], 'long enough passphrase');
    // Not oneself.
    expect(await rejection(b.removeUser(admin.id))).toMatchObject({ kind: 'invalid_input', details: { field: 'user' } });
    await b.setUserRole(other.id, 'organiser', []);
    const last = await rejection(b.setUserRole(admin.id, 'auditor', []));
    expect(last).toMatchObject({ kind: 'invalid_input', details: { field: 'role' } });
    // With the recovery key, removing "oneself" is not the question; the last administrator still stays.
    await b.lock();
    await b.unlockWithRecovery(DEMO_RECOVERY_CODE);
    expect(await rejection(b.removeUser(admin.id))).toMatchObject({ kind: 'invalid_input', details: { field: 'role' } });
    await b.setUserRole(other.id, 'administrator', []);
    await b.removeUser(admin.id);
    expect((await b.listUsers()).map((u) => u.name)).not.toContain('管理员');
    expect((await rejection(b.removeUser(admin.id))).kind).toBe('not_found');
  });

  it('signs a removed user out of nothing: their passphrase opens nothing any more', async () => {
    const b = await signedInAs();
    const auditor = (await b.listUsers()).find((u) => u.role === 'auditor')!;
    await b.removeUser(auditor.id);
    await b.lock();
    expect((await rejection(b.unlock(AUDITOR.passphrase, null))).kind).toBe('wrong_passphrase');
  });
});

describe('MockBackend roles on the records', () => {
  it('shows a branch secretary her branch only, and refuses the others’ members', async () => {
    const b = await signedInAs(SECRETARY);
    const page = await b.listMembers({ stage: null, branch_id: null, search: null, offset: 0, limit: 100 });
    expect(page.total).toBe(10);
    expect(new Set(page.items.map((m) => m.branch_id))).toEqual(new Set([3]));
    const outsider = (await new MockBackend({ state: 'unlocked', size: 30, today: TODAY }).listMembers({
      stage: null, branch_id: 5, search: null, offset: 0, limit: 1,
    })).items[0]!;
    expect((await rejection(b.getMember(outsider.id))).kind).toBe('forbidden');
    expect((await rejection(b.memberFile(outsider.id))).kind).toBe('forbidden');
    await b.getMember(page.items[0]!.id);
    const dashboard = await b.dashboard(null, null);
    expect(dashboard.branches.every((x) => x.branch_id === 3)).toBe(true);
    expect((await rejection(b.addOrgUnit(1, 'branch', '新支部'))).kind).toBe('forbidden');
    expect((await rejection(b.backupNow('/media/usb/a.dangan-backup', () => {}))).kind).toBe('forbidden');
  });

  it('lets the auditor read everything and change nothing', async () => {
    const b = await signedInAs(AUDITOR);
    const page = await b.listMembers({ stage: null, branch_id: null, search: null, offset: 0, limit: 100 });
    expect(page.total).toBe(30);
    const detail = await b.getMember(page.items[0]!.id);
    expect((await rejection(b.savePerson({ ...detail.person, phone: '13900000000' }))).kind).toBe('forbidden');
    expect((await rejection(b.deleteEvent(detail.person.id!, detail.events[0]!.id!))).kind).toBe('forbidden');
    expect((await rejection(b.importRoster('/tmp/a.xlsx', true, 'ask', () => {}))).kind).toBe('forbidden');
    expect((await rejection(b.setBackupSettings('/media/usb', 7))).kind).toBe('forbidden');
    expect((await b.auditLog(audit())).total).toBeGreaterThan(0);
  });

  it.each<[Role, { name: string; passphrase: string }]>([
    ['organiser', ORGANISER],
    ['branch_secretary', SECRETARY],
  ])('refuses the audit log to the %s', async (_, who) => {
    const b = await signedInAs(who);
    expect((await rejection(b.auditLog(audit()))).kind).toBe('forbidden');
    expect((await rejection(b.exportAudit(audit(), '/tmp/a.csv'))).kind).toBe('forbidden');
  });
});

describe('MockBackend audit log', () => {
  it('logs a change field by field, under the signed-in user, newest first, with the member’s name', async () => {
    const b = await signedInAs(ORGANISER);
    const zhang = (await b.listMembers({ stage: null, branch_id: null, search: '张三', offset: 0, limit: 1 })).items[0]!;
    const detail = await b.getMember(zhang.id);
    await b.savePerson({ ...detail.person, phone: '13900000000', notes: '转入' });
    await b.lock();
    await b.unlock(DEMO_PASSPHRASE, null);
    const page = await b.auditLog(audit({ member_id: zhang.id, limit: 2 }));
    expect(page.entries.map((e) => [e.actor, e.entity, e.action, e.field, e.old, e.new, e.member_name])).toEqual([
      ['王老师', 'people', 'update', 'notes', null, '转入', '张三'],
      ['王老师', 'people', 'update', 'phone', detail.person.phone, '13900000000', '张三'],
    ]);
    expect(page.entries[0]!.seq).toBeGreaterThan(page.entries[1]!.seq);
    expect(page.entries[0]!.at).toMatch(new RegExp(`^${TODAY}T\\d\\d:\\d\\d:\\d\\dZ$`));
    expect(page.entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logs a new step as one insert holding the row, and its deletion', async () => {
    const b = await signedInAs();
    const created = await b.savePerson({
      id: null, branch_id: 3, name: '新同学', gender: null, ethnicity: null, birth_date: null, id_number: null,
      student_no: null, category: null, department: null, class_name: null, phone: null, native_place: null, notes: null,
    });
    const id = created.person.id!;
    const withStep = await b.saveEvent(id, { id: null, kind: 'application_received', date: '2026-10-01', months: null, note: null });
    await b.deleteEvent(id, withStep.events[0]!.id!);
    const entries = (await b.auditLog(audit({ member_id: id }))).entries;
    expect(entries.map((e) => [e.entity, e.action])).toEqual([
      ['events', 'delete'],
      ['events', 'insert'],
      ['people', 'insert'],
    ]);
    expect(JSON.parse(entries[1]!.new!)).toMatchObject({ kind: 'application_received', date: '2026-10-01' });
    expect(JSON.parse(entries[0]!.old!)).toMatchObject({ kind: 'application_received' });
  });

  it('logs users, roles and branches, never a passphrase', async () => {
    const b = await signedInAs();
    const u = await b.addUser('周书记', 'branch_secretary', [4], 'long enough passphrase');
    await b.setUserRole(u.id, 'auditor', []);
    const entries = (await b.auditLog(audit({ actor: '管理员', limit: 4 }))).entries;
    expect(entries.map((e) => [e.entity, e.entity_id, e.action, e.field])).toEqual([
      ['user_branches', '周书记 4', 'delete', null],
      ['users', '周书记', 'update', 'role'],
      ['user_branches', '周书记 4', 'insert', null],
      ['users', '周书记', 'insert', null],
    ]);
    expect(entries.some((e) => `${e.old}${e.new}`.includes('long enough passphrase'))).toBe(false);
  });

  it('has a short history in a sample workspace, by three users', async () => {
    const b = await signedInAs(AUDITOR);
    const page = await b.auditLog(audit({ limit: 0 }));
    expect(new Set(page.entries.map((e) => e.actor))).toEqual(new Set(['管理员', '王老师', '李书记']));
    expect(page.entries.every((e) => e.at.slice(0, 10) < TODAY)).toBe(true);
  });
});

describe('MockAuditLog', () => {
  const log = new MockAuditLog(() => '2026-11-24T08:30:00Z');
  log.actor = '管理员';
  log.inserted('org_units', 2, null, { id: 2, name: '第一党支部' }, '2026-11-01T02:00:00Z');
  log.actor = '王老师';
  log.inserted('people', 7, 7, { id: 7, name: '张三' }, '2026-11-10T23:59:59Z');
  log.updated('people', 7, 7, { phone: '1', notes: null }, { phone: '2', notes: null }, '2026-11-20T00:00:00Z');
  log.inserted('events', 30, 7, { id: 30 });
  const seqs = (q: Partial<AuditQuery>) => log.query(audit(q), () => '张三').entries.map((e) => e.seq);

  it('writes one entry per changed field only', () => {
    expect(log.size).toBe(4);
  });

  it('filters by member, exact user, entity and UTC days, newest first', () => {
    expect(seqs({})).toEqual([4, 3, 2, 1]);
    expect(seqs({ member_id: 7 })).toEqual([4, 3, 2]);
    expect(seqs({ actor: ' 王老师 ' })).toEqual([4, 3, 2]);
    expect(seqs({ actor: '王' })).toEqual([]);
    expect(seqs({ actor: '' })).toEqual([4, 3, 2, 1]);
    expect(seqs({ entity: 'people' })).toEqual([3, 2]);
    expect(seqs({ from: '2026-11-10', to: '2026-11-20' })).toEqual([3, 2]);
    expect(seqs({ from: '2026-11-11' })).toEqual([4, 3]);
    expect(seqs({ to: '2026-11-09' })).toEqual([1]);
  });

  it('pages with offset and limit, reporting the total of every match', () => {
    const page = log.query(audit({ offset: 1, limit: 2 }), () => null);
    expect(page.total).toBe(4);
    expect(page.entries.map((e) => e.seq)).toEqual([3, 2]);
    expect(log.query(audit({ offset: 0, limit: 0 }), () => null).entries).toHaveLength(4);
  });

  it('names the member of an entry, and no member for the others', () => {
    const [events, , , unit] = log.query(audit(), () => '张三').entries;
    expect(events!.member_name).toBe('张三');
    expect(unit!.member_name).toBeNull();
  });

  it('chains each entry’s hash to the one before', () => {
    const copy = (firstActor: string) => {
      const other = new MockAuditLog(() => '2026-11-24T08:30:00Z');
      other.actor = firstActor;
      other.inserted('org_units', 2, null, { id: 2, name: '第一党支部' }, '2026-11-01T02:00:00Z');
      other.actor = '王老师';
      other.inserted('people', 7, 7, { id: 7, name: '张三' }, '2026-11-10T23:59:59Z');
      return other.query(audit(), () => null).entries.reverse().map((e) => e.hash);
    };
    const ours = log.query(audit(), () => null).entries.reverse().map((e) => e.hash);
    expect(copy('管理员')).toEqual(ours.slice(0, 2));
    // A different first entry changes the second's hash too, though the second is the same.
    expect(copy('别人')[1]).not.toBe(ours[1]);
    expect(new Set(ours).size).toBe(4);
  });

  it('exports every entry that matches, paging aside', async () => {
    const b = await signedInAs();
    const total = (await b.auditLog(audit({ entity: 'people' }))).total;
    expect(await b.exportAudit(audit({ entity: 'people', offset: 5, limit: 1 }), '/tmp/审计日志.csv')).toBe(total);
    expect(b.written).toContain('/tmp/审计日志.csv');
    expect((await rejection(b.exportAudit(audit(), '/media/readonly/a.csv'))).kind).toBe('io');
  });
});
