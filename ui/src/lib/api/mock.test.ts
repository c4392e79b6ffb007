import { describe, expect, it } from 'vitest';
import { DEMO_PASSPHRASE, MockBackend, checkRules } from './mock';
import { isAppError, violationsOf } from './errors';
import type { AppError, MemberQuery, MemberSummary } from './types';

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
    await b.createWorkspace('long enough passphrase', '测试学院党委');
    expect(await b.workspaceStatus()).toMatchObject({ exists: true, unlocked: true });
    expect(await b.listOrgUnits()).toEqual([{ id: 1, parent_id: null, kind: 'committee', name: '测试学院党委' }]);
    expect((await b.listMembers(query())).total).toBe(0);
    await b.lock();
    expect((await rejection(b.listMembers(query()))).kind).toBe('locked');
    expect((await rejection(b.unlock('wrong'))).kind).toBe('wrong_passphrase');
    await b.unlock('long enough passphrase');
    expect((await b.listOrgUnits()).length).toBe(1);
  });

  it('refuses a second workspace', async () => {
    const b = new MockBackend({ state: 'locked', today: TODAY });
    expect((await rejection(b.createWorkspace('another passphrase', 'x'))).kind).toBe('workspace_exists');
    await b.unlock(DEMO_PASSPHRASE);
  });
});

describe('MockBackend organisation', () => {
  it('adds general branches and branches where the core allows them', async () => {
    const b = new MockBackend({ today: TODAY });
    await b.createWorkspace('long enough passphrase', '测试学院党委');
    const general = await b.addOrgUnit(1, 'general_branch', ' 学生党总支 ');
    expect(general).toMatchObject({ parent_id: 1, kind: 'general_branch', name: '学生党总支' });
    const branch = await b.addOrgUnit(general.id, 'branch', '本科生第一党支部');
    expect(branch).toMatchObject({ parent_id: general.id, kind: 'branch' });
    expect(await b.addOrgUnit(1, 'branch', '本科生第一党支部')).toMatchObject({ parent_id: 1 });
    expect((await b.listOrgUnits()).map((u) => u.name)).toEqual(['测试学院党委', '学生党总支', '本科生第一党支部', '本科生第一党支部']);
  });

  it('refuses an empty name, a sibling’s name and a wrong level as invalid_input', async () => {
    const b = new MockBackend({ today: TODAY });
    await b.createWorkspace('long enough passphrase', '测试学院党委');
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
    const dry = await b.importRoster('/tmp/名册.xlsx', true, (p) => progress.push(p.done));
    expect(dry.committed).toBe(false);
    expect(progress.at(-1)).toBe(dry.rows);
    expect((await b.listMembers(query())).total).toBe(30);
    const done = await b.importRoster('/tmp/名册.xlsx', false, () => {});
    expect(done.committed).toBe(true);
    expect((await b.listMembers(query())).total).toBe(30 + done.created);
  });

  it('refuses a roster with problems, changing nothing', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 30, today: TODAY, importStepMs: 0 });
    const dry = await b.importRoster('/tmp/bad.csv', true, () => {});
    expect(dry.problems.length).toBeGreaterThan(0);
    const e = await rejection(b.importRoster('/tmp/bad.csv', false, () => {}));
    expect(e.kind).toBe('import_rejected');
    expect((await b.listMembers(query())).total).toBe(30);
  });

  it('stops when cancelled', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 30, today: TODAY, importStepMs: 5 });
    const run = b.importRoster('/tmp/名册.xlsx', false, () => {});
    await b.cancelImport();
    expect((await rejection(run)).kind).toBe('cancelled');
    expect((await b.listMembers(query())).total).toBe(30);
  });
});
