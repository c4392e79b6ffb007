import { describe, expect, it } from 'vitest';
import { DEMO_PASSPHRASE, MockBackend, checkRules, missingChars } from './mock';
import { duplicatesReportOf, isAppError, violationsOf } from './errors';
import type { AppError, BackupProgress, DeadlineItem, DeadlineQuery, DossierProgress, EventKind, ExportProgress, ImportProgress, MemberQuery, MemberSummary, ProcedureEvent } from './types';

const TODAY = '2026-11-24';
const query = (q: Partial<MemberQuery> = {}): MemberQuery => ({ stage: null, branch_id: null, search: null, offset: 0, limit: 100, ...q });

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('MockBackend workspace', () => {
  it('starts missing, creates, locks and unlocks', async () => {
    const b = new MockBackend({ today: TODAY });
    expect(await b.workspaceStatus()).toMatchObject({ exists: false, unlocked: false });
    expect((await rejection(b.listMembers(query()))).kind).toBe('workspace_missing');
    await b.createWorkspace('long enough passphrase', '测试学院党委', '管理员');
    expect(await b.workspaceStatus()).toMatchObject({ exists: true, unlocked: true });
    expect(await b.listOrgUnits()).toEqual([{ id: 1, parent_id: null, kind: 'committee', name: '测试学院党委' }]);
    expect((await b.listMembers(query())).total).toBe(0);
    await b.lock();
    expect((await rejection(b.listMembers(query()))).kind).toBe('locked');
    expect((await rejection(b.unlock('wrong', null))).kind).toBe('wrong_passphrase');
    await b.unlock('long enough passphrase', null);
    expect((await b.listOrgUnits()).length).toBe(1);
  });

  it('refuses a second workspace', async () => {
    const b = new MockBackend({ state: 'locked', today: TODAY });
    expect((await rejection(b.createWorkspace('another passphrase', 'x', '管理员'))).kind).toBe('workspace_exists');
    await b.unlock(DEMO_PASSPHRASE, null);
  });
});

describe('MockBackend backup and restore', () => {
  const BACKUP = '/media/usb/档案备份-2026-11-24.dangan-backup';

  it('writes a backup where asked, and fails with io where it cannot write', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 3, today: TODAY, backupStepMs: 0 });
    expect(await b.backupNow(BACKUP, () => {})).toEqual({ path: BACKUP, bytes: 123456 });
    const seen: BackupProgress[] = [];
    expect((await rejection(b.backupNow('/media/readonly/a.dangan-backup', (p) => seen.push(p)))).kind).toBe('io');
    expect(seen).toEqual([]);
  });

  it('reports the bytes written, in a few steps, ending at the size of the file', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 3, today: TODAY, backupStepMs: 0 });
    const seen: BackupProgress[] = [];
    const written = await b.backupNow(BACKUP, (p) => seen.push(p));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen[0]).toEqual({ done_bytes: 0, total_bytes: written.bytes });
    expect(seen.at(-1)).toEqual({ done_bytes: written.bytes, total_bytes: written.bytes });
    expect(seen.every((p) => p.total_bytes === written.bytes)).toBe(true);
    const done = seen.map((p) => p.done_bytes);
    expect(done).toEqual([...done].sort((x, y) => x - y));
  });

  it('stops with cancelled when cancelled, and the next backup runs again', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 3, today: TODAY, backupStepMs: 5 });
    const seen: BackupProgress[] = [];
    const run = b.backupNow(BACKUP, (p) => seen.push(p));
    await b.cancelBackup();
    expect((await rejection(run)).kind).toBe('cancelled');
    expect(seen.at(-1)!.done_bytes).toBeLessThan(seen.at(-1)!.total_bytes);
    expect(await b.backupNow(BACKUP, () => {})).toEqual({ path: BACKUP, bytes: 123456 });
  });

  it('starts with automatic backups off, keeping 7; a folder makes the first backup today', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 3, today: TODAY });
    expect(await b.backupSettings()).toEqual({ dir: null, keep: 7, last: null });
    expect(await b.setBackupSettings(' /media/usb ', 10)).toEqual({ dir: '/media/usb', keep: 10, last: TODAY });
    expect(await b.backupSettings()).toEqual({ dir: '/media/usb', keep: 10, last: TODAY });
    expect(await b.setBackupSettings(null, 10)).toEqual({ dir: null, keep: 10, last: TODAY });
  });

  it.each([0, 61, 2.5, Number.NaN])('refuses to keep %s backups, on the field keep, changing nothing', async (keep) => {
    const b = new MockBackend({ state: 'unlocked', size: 3, today: TODAY });
    const e = await rejection(b.setBackupSettings('/media/usb', keep));
    expect(e).toMatchObject({ kind: 'invalid_input', details: { field: 'keep' } });
    expect(await b.backupSettings()).toEqual({ dir: null, keep: 7, last: null });
  });

  it.each([1, 60])('keeps %s backups, the ends of the range', async (keep) => {
    const b = new MockBackend({ state: 'unlocked', size: 3, today: TODAY });
    expect((await b.setBackupSettings('/media/usb', keep)).keep).toBe(keep);
  });

  it('refuses to restore over an existing workspace', async () => {
    const b = new MockBackend({ state: 'locked', size: 3, today: TODAY });
    expect((await rejection(b.restoreBackup(BACKUP, 'long enough passphrase'))).kind).toBe('workspace_exists');
    expect((await rejection(b.unlock('long enough passphrase', null))).kind).toBe('wrong_passphrase');
    await b.unlock(DEMO_PASSPHRASE, null);
    expect((await b.listMembers(query())).total).toBe(3);
  });

  it('restores nothing from a cut file or with a wrong passphrase', async () => {
    const b = new MockBackend({ today: TODAY });
    const cut = await rejection(b.restoreBackup('/media/usb/cut.dangan-backup', 'long enough passphrase'));
    expect(cut.kind).toBe('corrupt');
    expect(cut.message).toContain('备份文件不完整');
    expect((await rejection(b.restoreBackup(BACKUP, 'wrong'))).kind).toBe('wrong_passphrase');
    expect(await b.workspaceStatus()).toMatchObject({ exists: false, unlocked: false });
    expect((await rejection(b.listMembers(query()))).kind).toBe('workspace_missing');
  });

  it('restores into a new workspace, left unlocked with a few people, opened by the backup’s passphrase', async () => {
    const b = new MockBackend({ today: TODAY });
    await b.restoreBackup(BACKUP, 'long enough passphrase');
    expect(await b.workspaceStatus()).toMatchObject({ exists: true, unlocked: true });
    const total = (await b.listMembers(query())).total;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(50);
    await b.lock();
    expect((await rejection(b.unlock(DEMO_PASSPHRASE, null))).kind).toBe('wrong_passphrase');
    await b.unlock('long enough passphrase', null);
    expect((await rejection(b.restoreBackup(BACKUP, 'long enough passphrase'))).kind).toBe('workspace_exists');
  });
});

describe('MockBackend organisation', () => {
  it('adds general branches and branches where the core allows them', async () => {
    const b = new MockBackend({ today: TODAY });
    await b.createWorkspace('long enough passphrase', '测试学院党委', '管理员');
    const general = await b.addOrgUnit(1, 'general_branch', ' 学生党总支 ');
    expect(general).toMatchObject({ parent_id: 1, kind: 'general_branch', name: '学生党总支' });
    const branch = await b.addOrgUnit(general.id, 'branch', '本科生第一党支部');
    expect(branch).toMatchObject({ parent_id: general.id, kind: 'branch' });
    expect(await b.addOrgUnit(1, 'branch', '本科生第一党支部')).toMatchObject({ parent_id: 1 });
    expect((await b.listOrgUnits()).map((u) => u.name)).toEqual(['测试学院党委', '学生党总支', '本科生第一党支部', '本科生第一党支部']);
  });

  it('refuses an empty name, a sibling’s name and a wrong level as invalid_input', async () => {
    const b = new MockBackend({ today: TODAY });
    await b.createWorkspace('long enough passphrase', '测试学院党委', '管理员');
    const branch = await b.addOrgUnit(1, 'branch', '第一党支部');
    const details = async (p: Promise<unknown>) => (await rejection(p)).details as { field: string; reason_zh: string };
    expect(await details(b.addOrgUnit(1, 'branch', '  '))).toMatchObject({ field: 'name' });
    expect(await details(b.addOrgUnit(1, 'branch', '第一党支部'))).toMatchObject({ field: 'name', reason_zh: '「第一党支部」已存在' });
    expect(await details(b.addOrgUnit(branch.id, 'branch', '下级'))).toMatchObject({ field: 'kind' });
    expect(await details(b.addOrgUnit(1, 'committee', '另一个党委'))).toMatchObject({ field: 'kind' });
    expect((await rejection(b.addOrgUnit(99, 'branch', 'x'))).kind).toBe('not_found');
  });
});

describe('MockBackend search and paging', () => {
  const b = new MockBackend({ state: 'unlocked', size: 360, today: TODAY });

  it('has a few hundred members in three branches at every stage', async () => {
    const all = await b.listMembers(query({ limit: 1000 }));
    expect(all.total).toBe(360);
    expect(new Set(all.items.map((m) => m.branch_id)).size).toBe(3);
    expect(new Set(all.items.map((m) => m.stage))).toEqual(
      new Set(['applicant', 'activist', 'candidate', 'probationary', 'full_member']),
    );
  });

  it('pages without overlap and reports the total on every page', async () => {
    const seen: MemberSummary[] = [];
    for (let offset = 0; offset < 360; offset += 100) {
      const page = await b.listMembers(query({ offset, limit: 100 }));
      expect(page.total).toBe(360);
      expect(page.offset).toBe(offset);
      seen.push(...page.items);
    }
    expect(seen).toHaveLength(360);
    expect(new Set(seen.map((m) => m.id)).size).toBe(360);
  });

  it('returns an empty page past the end', async () => {
    const page = await b.listMembers(query({ offset: 1000 }));
    expect(page).toEqual({ total: 360, offset: 1000, items: [] });
  });

  it('finds 张三 by name, by pinyin initials and by student number', async () => {
    const byName = await b.listMembers(query({ search: '张三' }));
    expect(byName.items.map((m) => m.name)).toContain('张三');
    const zs = byName.items.find((m) => m.name === '张三')!;
    const byInitials = await b.listMembers(query({ search: 'zs', limit: 1000 }));
    expect(byInitials.items.map((m) => m.id)).toContain(zs.id);
    expect(byInitials.items.every((m) => m.name.startsWith('张') || m.name.startsWith('周') || m.name.startsWith('赵') || m.name.startsWith('朱') || m.name.startsWith('钟') || m.name.startsWith('邹') || m.name.startsWith('曾'))).toBe(true);
    const byNumber = await b.listMembers(query({ search: zs.student_no! }));
    expect(byNumber.items.map((m) => m.id)).toEqual([zs.id]);
  });

  it('filters by stage and by branch, including the branches under a general branch', async () => {
    const probationary = await b.listMembers(query({ stage: 'probationary', limit: 1000 }));
    expect(probationary.items.every((m) => m.stage === 'probationary')).toBe(true);
    const general = await b.listMembers(query({ branch_id: 2, limit: 1000 }));
    expect(new Set(general.items.map((m) => m.branch_id))).toEqual(new Set([3, 4]));
    const one = await b.listMembers(query({ branch_id: 5, limit: 1000 }));
    expect(one.items.every((m) => m.branch_id === 5)).toBe(true);
    expect(general.total + one.total).toBe(360);
  });

  it('generates histories that break none of its own rules', async () => {
    const all = await b.listMembers(query({ limit: 1000 }));
    for (const m of all.items.slice(0, 120)) {
      const d = await b.getMember(m.id);
      expect(checkRules(d.events)).toEqual([]);
      expect(d.stage).toBe(m.stage);
    }
  });
});

describe('MockBackend validation', () => {
  it('rejects a talk before the application, naming the rule', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 10, today: TODAY });
    const created = await b.savePerson({
      id: null, branch_id: 3, name: '测试', gender: null, ethnicity: null, birth_date: null, id_number: null,
      student_no: null, category: null, department: null, class_name: null, phone: null, native_place: null, notes: null,
    });
    const id = created.person.id!;
    await b.saveEvent(id, { id: null, kind: 'application_received', date: '2026-03-01', months: null, note: null });
    const e = await rejection(b.saveEvent(id, { id: null, kind: 'applicant_talk', date: '2026-02-01', months: null, note: null }));
    expect(e.kind).toBe('violations');
    expect(violationsOf(e)[0]!.message_zh).toBe('谈话不得早于申请入党日期（《中国共产党发展党员工作细则》第七条）');
    expect((await b.getMember(id)).events).toHaveLength(1);
  });

  it('rejects a person without a name as invalid input on the name field', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 10, today: TODAY });
    const e = await rejection(b.savePerson({
      id: null, branch_id: 3, name: '  ', gender: null, ethnicity: null, birth_date: null, id_number: null,
      student_no: null, category: null, department: null, class_name: null, phone: null, native_place: null, notes: null,
    }));
    expect(e).toMatchObject({ kind: 'invalid_input', details: { field: 'name' } });
  });
});

describe('MockBackend import', () => {
  it('dry-runs with progress, then imports all at once', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 30, today: TODAY, importStepMs: 0 });
    const progress: number[] = [];
    const dry = await b.importRoster('/tmp/名册.xlsx', true, 'ask', (p) => progress.push(p.done));
    expect(dry.committed).toBe(false);
    expect(dry.likely_duplicates).toEqual([]);
    expect(progress.at(-1)).toBe(dry.rows);
    expect((await b.listMembers(query())).total).toBe(30);
    const done = await b.importRoster('/tmp/名册.xlsx', false, 'ask', () => {});
    expect(done.committed).toBe(true);
    expect((await b.listMembers(query())).total).toBe(30 + done.created);
  });

  it('refuses a roster with problems, changing nothing', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 30, today: TODAY, importStepMs: 0 });
    const dry = await b.importRoster('/tmp/bad.csv', true, 'ask', () => {});
    expect(dry.problems.length).toBeGreaterThan(0);
    const e = await rejection(b.importRoster('/tmp/bad.csv', false, 'ask', () => {}));
    expect(e.kind).toBe('import_rejected');
    expect((await b.listMembers(query())).total).toBe(30);
  });

  it('stops when cancelled', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 30, today: TODAY, importStepMs: 5 });
    const run = b.importRoster('/tmp/名册.xlsx', false, 'ask', () => {});
    await b.cancelImport();
    expect((await rejection(run)).kind).toBe('cancelled');
    expect((await b.listMembers(query())).total).toBe(30);
  });

  it('says while it waits for another writer, then goes on; a cancel stops it while waiting', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 30, today: TODAY, importStepMs: 1 });
    const seen: ImportProgress[] = [];
    const done = await b.importRoster('/tmp/等待名册.xlsx', false, 'ask', (p) => seen.push(p));
    expect(done.committed).toBe(true);
    expect(seen[0]!.waiting).toBe(true);
    expect(seen.at(-1)).toEqual({ done: done.rows, total: done.rows, waiting: false });

    const waited: ImportProgress[] = [];
    const run = b.importRoster('/tmp/等待名册.xlsx', false, 'ask', (p) => waited.push(p));
    await b.cancelImport();
    expect((await rejection(run)).kind).toBe('cancelled');
    expect(waited.length).toBeGreaterThan(0);
    expect(waited.every((p) => p.waiting)).toBe(true);
  });
});

describe('MockBackend import of people who look already registered', () => {
  // A roster named 重复 repeats registered members without their student numbers, as an old register would.
  const ROSTER = '/tmp/重复名册.xlsx';
  const unlocked = () => new MockBackend({ state: 'unlocked', size: 30, today: TODAY, importStepMs: 0 });
  const count = async (b: MockBackend, name: string) =>
    (await b.listMembers(query({ limit: 1000 }))).items.filter((m) => m.name === name).length;

  it('lists them in a dry run, each with the registered member it resembles', async () => {
    const b = unlocked();
    const dry = await b.importRoster(ROSTER, true, 'ask', () => {});
    expect(dry.likely_duplicates.length).toBeGreaterThan(0);
    for (const d of dry.likely_duplicates) {
      expect((await b.getMember(d.member_id!)).person.name).toBe(d.name);
      expect(d.reason_zh).toContain(d.name);
      expect(d.reason_en).toContain(d.name);
    }
    expect(dry.skipped_rows).toEqual([]);
    expect(dry.committed).toBe(false);
  });

  it('resembles a member by name and birth date, or by name, branch and application date', async () => {
    const b = unlocked();
    const members = await Promise.all([1, 2].map((id) => b.getMember(id)));
    const dry = await b.importRoster(ROSTER, true, 'ask', () => {});
    expect(dry.likely_duplicates.map((d) => d.member_id)).toEqual(members.map((m) => m.person.id));
    // Whoever is added anyway carries the roster's row: the first has the member's birth date, the second none but
    // the member's branch and application date.
    await b.importRoster(ROSTER, false, 'add', () => {});
    const copies = await Promise.all(
      members.map(async (m) => {
        const page = await b.listMembers(query({ search: m.person.name, limit: 1000 }));
        const other = page.items.find((x) => x.name === m.person.name && x.id !== m.person.id)!;
        return b.getMember(other.id);
      }),
    );
    const applied = (d: { events: ProcedureEvent[] }) => d.events.find((e) => e.kind === 'application_received')?.date;
    expect(copies[0]!.person.birth_date).toBe(members[0]!.person.birth_date);
    expect(copies[1]!.person.birth_date).toBeNull();
    expect(copies[1]!.person.branch_id).toBe(members[1]!.person.branch_id);
    expect(applied(copies[1]!)).toBe(applied(members[1]!));
  });

  it('refuses the import when asked to ask, with the report, and adds nobody', async () => {
    const b = unlocked();
    const dry = await b.importRoster(ROSTER, true, 'ask', () => {});
    const e = await rejection(b.importRoster(ROSTER, false, 'ask', () => {}));
    expect(e.kind).toBe('likely_duplicates');
    const report = duplicatesReportOf(e);
    expect(report?.likely_duplicates).toEqual(dry.likely_duplicates);
    expect(report?.committed).toBe(false);
    expect((await b.listMembers(query())).total).toBe(30);
  });

  it('adds them when told they are different people', async () => {
    const b = unlocked();
    const dry = await b.importRoster(ROSTER, true, 'ask', () => {});
    const before = await Promise.all(dry.likely_duplicates.map((d) => count(b, d.name)));
    const done = await b.importRoster(ROSTER, false, 'add', () => {});
    expect(done.committed).toBe(true);
    expect(done.skipped_rows).toEqual([]);
    expect(done.created).toBe(dry.created);
    expect((await b.listMembers(query())).total).toBe(30 + done.created);
    const after = await Promise.all(dry.likely_duplicates.map((d) => count(b, d.name)));
    expect(after).toEqual(before.map((n) => n + 1));
  });

  it('skips those rows when told to, and imports the rest', async () => {
    const b = unlocked();
    const dry = await b.importRoster(ROSTER, true, 'ask', () => {});
    const before = await Promise.all(dry.likely_duplicates.map((d) => count(b, d.name)));
    const done = await b.importRoster(ROSTER, false, 'skip', () => {});
    expect(done.committed).toBe(true);
    expect(done.skipped_rows).toEqual(dry.likely_duplicates.map((d) => d.row));
    expect(done.created).toBe(dry.created - done.skipped_rows.length);
    expect((await b.listMembers(query())).total).toBe(30 + done.created);
    const after = await Promise.all(dry.likely_duplicates.map((d) => count(b, d.name)));
    expect(after).toEqual(before);
  });

  it('finds nobody to resemble in an empty workspace', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 0, today: TODAY, importStepMs: 0 });
    const done = await b.importRoster(ROSTER, false, 'ask', () => {});
    expect(done.likely_duplicates).toEqual([]);
    expect(done.committed).toBe(true);
  });
});

describe('MockBackend deadlines', () => {
  const person = (name: string, branch_id = 3) => ({
    id: null, branch_id, name, gender: null, ethnicity: null, birth_date: null, id_number: null,
    student_no: null, category: null, department: null, class_name: null, phone: null, native_place: null, notes: null,
  });
  const ev = (kind: EventKind, date: string, months: number | null = null): ProcedureEvent => ({ id: null, kind, date, months, note: null });
  const dq = (q: Partial<DeadlineQuery> = {}): DeadlineQuery => ({
    as_of: null, within: null, branch_id: null, member_id: null, due_from: null, due_to: null, include_dismissed: false, only_dismissed: false, ...q,
  });

  /** A workspace with nobody but one new person, who has these events. */
  async function one(events: ProcedureEvent[], name = '测试') {
    const b = new MockBackend({ state: 'unlocked', size: 0, today: TODAY, importStepMs: 0 });
    const id = (await b.savePerson(person(name))).person.id!;
    for (const e of events) await b.saveEvent(id, e);
    return { b, id, items: async (q: Partial<DeadlineQuery> = {}) => b.deadlines(dq({ member_id: id, ...q })) };
  }
  const brief = (items: DeadlineItem[]) => items.map((i) => [i.rule, i.due, i.status]);

  it('owes the applicant a talk within a month of the application, citing article 7', async () => {
    const { items } = await one([ev('application_received', '2026-11-01')]);
    const [talk] = await items();
    expect(talk).toMatchObject({
      rule: 'application_talk', kind: 'deadline', due: '2026-12-01', status: 'due_soon', done_by: 'applicant_talk',
      clause: '《中国共产党发展党员工作细则》第七条', provisional: false, acknowledged: false, snoozed_until: null,
      branch_id: 3, branch: '学生党总支/本科生第一党支部',
    });
  });

  it('counts months by the corresponding-day rule: 31 January + 1 month is 28 February', async () => {
    const { items } = await one([ev('application_received', '2026-01-31')]);
    expect(brief(await items({ as_of: '2026-01-31' }))).toEqual([['application_talk', '2026-02-28', 'due_soon']]);
    expect(brief(await items({ as_of: '2026-03-01' }))).toEqual([['application_talk', '2026-02-28', 'overdue']]);
  });

  it('makes the item disappear once its done_by event is recorded', async () => {
    const { b, id, items } = await one([ev('application_received', '2026-10-01')]);
    expect((await b.dashboard(null, null)).urgent.map((i) => i.rule)).toEqual(['application_talk']);
    const detail = await b.saveEvent(id, ev('applicant_talk', TODAY));
    expect(detail.deadlines).toEqual([]);
    expect(await items()).toEqual([]);
    expect((await b.dashboard(null, null)).totals.overdue).toBe(0);
  });

  it('is due for conversion a year after admission, plus an extension', async () => {
    const path = [
      ev('application_received', '2023-09-01'), ev('applicant_talk', '2023-09-10'), ev('activist_determined', '2024-01-10'),
      ev('candidate_determined', '2025-02-20'), ev('prereview_passed', '2025-05-10'), ev('admitted', '2025-06-01'),
      ev('admission_approved', '2025-07-01'), ev('oath', '2025-07-01'),
    ];
    const { b, id, items } = await one(path);
    const conversion = (all: DeadlineItem[]) => all.find((i) => i.rule === 'conversion_due')?.due;
    expect(conversion(await items())).toBe('2026-06-01');
    await b.saveEvent(id, ev('probation_extended', '2026-06-01', 6));
    expect(conversion(await items())).toBe('2026-12-01');
  });

  it('asks for a thought report every quarter, the next one three months after the latest', async () => {
    const { b, id, items } = await one([ev('application_received', '2026-01-05'), ev('activist_determined', '2026-05-06')]);
    const report = async () => (await items()).find((i) => i.rule === 'thought_report');
    expect(await report()).toMatchObject({ kind: 'recurring', due: '2026-08-06', status: 'overdue', done_by: 'thought_report' });
    await b.saveEvent(id, ev('thought_report', '2026-08-01'));
    expect(await report()).toMatchObject({ due: '2026-11-01', status: 'overdue' });
    await b.saveEvent(id, ev('thought_report', TODAY));
    expect(await report()).toMatchObject({ due: '2027-02-24', status: 'upcoming' });
    expect((await b.getMember(id)).events.filter((e) => e.kind === 'thought_report')).toHaveLength(2);
  });

  it('stops the half-yearly activist review once the person is a candidate', async () => {
    const { b, id, items } = await one([ev('application_received', '2024-09-01'), ev('activist_determined', '2025-01-10')]);
    expect((await items()).map((i) => i.rule)).toContain('activist_review');
    await b.saveEvent(id, ev('candidate_determined', '2026-02-01'));
    expect((await items()).map((i) => i.rule)).not.toContain('activist_review');
  });

  it('opens a candidate five working days after the publicity begins, provisionally without a holiday calendar', async () => {
    // Friday 20 November: Fri, Mon, Tue, Wed, Thu are the five working days, so the day after is Friday 27.
    const { items } = await one([
      ev('application_received', '2025-01-05'), ev('activist_determined', '2025-05-06'), ev('candidate_publicity', '2026-11-20'),
    ]);
    expect((await items()).find((i) => i.rule === 'candidate_publicity')).toMatchObject({
      kind: 'earliest', due: '2026-11-27', status: 'not_yet', provisional: true,
    });
  });

  it('refuses a second record of a step that happens once, but not of a thought report', async () => {
    const { b, id } = await one([ev('application_received', '2026-01-05'), ev('activist_determined', '2026-05-06')]);
    expect((await rejection(b.saveEvent(id, ev('application_received', '2026-02-01')))).kind).toBe('violations');
    await b.saveEvent(id, ev('thought_report', '2026-08-01'));
    await b.saveEvent(id, ev('thought_report', '2026-11-01'));
  });

  it('hides an acknowledged item from the dashboard and brings it back on restore', async () => {
    const { b, id, items } = await one([ev('application_received', '2026-10-01')]);
    const [item] = await items();
    await b.dismissDeadline(id, item!.rule, item!.due, null);
    let d = await b.dashboard(null, null);
    expect(d).toMatchObject({ urgent: [], urgent_total: 0, dismissed: 1, totals: { overdue: 0 } });
    expect(await items()).toEqual([]);
    expect(await items({ include_dismissed: true })).toMatchObject([{ rule: 'application_talk', acknowledged: true }]);
    expect((await b.getMember(id)).deadlines).toMatchObject([{ acknowledged: true }]);
    await b.restoreDeadline(id, item!.rule, item!.due);
    d = await b.dashboard(null, null);
    expect(d).toMatchObject({ urgent_total: 1, dismissed: 0, totals: { overdue: 1 } });
  });

  it('hides a snoozed item until the day it was snoozed to', async () => {
    const { b, id, items } = await one([ev('application_received', '2026-10-01')]);
    await b.dismissDeadline(id, 'application_talk', '2026-11-01', '2026-12-01');
    expect(await items()).toEqual([]);
    expect(await items({ as_of: '2026-11-30' })).toEqual([]);
    expect(brief(await items({ as_of: '2026-12-01' }))).toEqual([['application_talk', '2026-11-01', 'overdue']]);
    expect((await b.dashboard('2026-12-01', null)).urgent_total).toBe(1);
  });

  it('refuses a snooze that ends today and an item that is not pending', async () => {
    const { b, id } = await one([ev('application_received', '2026-10-01')]);
    expect(await rejection(b.dismissDeadline(id, 'application_talk', '2026-11-01', TODAY))).toMatchObject({
      kind: 'invalid_input', details: { field: 'until' },
    });
    expect((await rejection(b.dismissDeadline(id, 'oath', '2026-11-01', null))).kind).toBe('not_found');
  });

  it('lists the calendar range and the dashboard by branch, overdue first', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 360, today: TODAY });
    const d = await b.dashboard(null, null);
    expect(d.as_of).toBe(TODAY);
    expect(d.branches.map((x) => x.branch_id)).toEqual([3, 4, 5]);
    expect(d.urgent.length).toBeLessThanOrEqual(200);
    expect(d.urgent_total).toBe(d.totals.overdue + d.totals.due_soon);
    const statuses = d.urgent.map((i) => i.status);
    expect(statuses.indexOf('due_soon')).toBeGreaterThan(statuses.lastIndexOf('overdue'));
    const general = await b.dashboard(null, 2);
    expect(general.branches.map((x) => x.branch_id)).toEqual([3, 4]);
    expect(general.urgent.every((i) => i.branch_id === 3 || i.branch_id === 4)).toBe(true);

    const month = await b.deadlines(dq({ due_from: '2026-10-26', due_to: '2026-12-06' }));
    expect(month.length).toBeGreaterThan(0);
    expect(month.every((i) => i.due >= '2026-10-26' && i.due <= '2026-12-06')).toBe(true);
    expect(month.map((i) => i.due)).toEqual([...month.map((i) => i.due)].sort());
    const soon = await b.deadlines(dq({ within: 7 }));
    expect(soon.every((i) => i.due <= '2026-12-01')).toBe(true);
  });
});

describe('MockBackend export', () => {
  it('reports progress and resolves to the number written', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 120, today: TODAY, importStepMs: 0 });
    const seen: ExportProgress[] = [];
    expect(await b.exportMembers(query(), '/tmp/名单.xlsx', (p) => seen.push(p))).toBe(120);
    expect(seen.at(-1)).toEqual({ written: 120, total: 120 });
  });

  it('stops when cancelled', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 300, today: TODAY, importStepMs: 5 });
    const run = b.exportMembers(query(), '/tmp/名单.xlsx', () => {});
    await b.cancelExport();
    expect((await rejection(run)).kind).toBe('cancelled');
  });
});

describe('MockBackend dossiers', () => {
  const unlocked = (opts: { size?: number; dossierStepMs?: number } = {}) =>
    new MockBackend({ state: 'unlocked', size: opts.size ?? 12, today: TODAY, dossierStepMs: opts.dossierStepMs ?? 0 });

  it('writes one member\'s dossier where asked, and names the characters the fonts lack', async () => {
    const b = unlocked();
    const written = await b.writeDossier(1, '/tmp/张三-发展党员档案.pdf');
    expect(written).toMatchObject({ path: '/tmp/张三-发展党员档案.pdf', missing_chars: [] });
    expect(written.pages).toBeGreaterThan(0);

    const rare = await b.savePerson({ ...(await b.getMember(2)).person, name: '𰀀明𰀀' });
    expect((await b.writeDossier(rare.person.id!, '/tmp/a.pdf')).missing_chars).toEqual(['𰀀']);
  });

  it('refuses a path it cannot write and a member it does not know', async () => {
    const b = unlocked();
    expect((await rejection(b.writeDossier(1, '/readonly/a.pdf'))).kind).toBe('io');
    expect((await rejection(b.writeDossier(9999, '/tmp/a.pdf'))).kind).toBe('not_found');
    expect((await rejection(b.writeDossiers(query(), '/readonly/档案', () => {}))).kind).toBe('io');
  });

  it('writes one file per member the query lists, offset and limit aside, with progress up to the total', async () => {
    const b = unlocked();
    const branch = (await b.listMembers({ ...query(), branch_id: 3 })).total;
    const seen: DossierProgress[] = [];
    const result = await b.writeDossiers({ ...query(), branch_id: 3, offset: 2, limit: 1 }, '/tmp/档案', (p) => seen.push(p));
    expect(result).toEqual({ dir: '/tmp/档案', written: branch, missing_chars: [] });
    expect(seen[0]).toEqual({ done: 0, total: branch });
    expect(seen.at(-1)).toEqual({ done: branch, total: branch });
    expect(seen.map((p) => p.done)).toEqual([...Array(branch + 1).keys()]);
  });

  it('gathers the missing characters of the whole batch', async () => {
    const b = unlocked();
    await b.savePerson({ ...(await b.getMember(4)).person, name: '王𰀀' });
    expect((await b.writeDossiers(query(), '/tmp/档案', () => {})).missing_chars).toEqual(['𰀀']);
  });

  it('stops when cancelled, rejecting with cancelled; the files written so far are the last progress reported', async () => {
    const b = unlocked({ size: 60, dossierStepMs: 2 });
    let last: DossierProgress | null = null;
    const run = b.writeDossiers(query(), '/tmp/档案', (p) => {
      last = p;
      if (p.done === 5) void b.cancelDossiers();
    });
    expect((await rejection(run)).kind).toBe('cancelled');
    expect(last).toEqual({ done: 5, total: 60 });
    // A new batch starts afresh.
    expect((await b.writeDossiers(query({ branch_id: 5 }), '/tmp/档案', () => {})).written).toBe(20);
  });

  it('records what it hands to the system viewer, and picks a folder', async () => {
    const b = unlocked();
    await b.openPath('/tmp/档案');
    expect(b.opened).toEqual(['/tmp/档案']);
    expect(await b.pickFolder()).toMatch(/\S/);
  });

  it.each([
    ['张三', []],
    ['𰀀', ['𰀀']],
    ['𰀀明𰀁𰀀', ['𰀀', '𰀁']],
    ['𪚥', []],
  ])('finds in %j the characters %j that the mock\'s fonts lack', (name, chars) => {
    expect(missingChars(name)).toEqual(chars);
  });
});
