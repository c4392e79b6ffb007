// The browser preview answers from the core's recorded replies, never from logic of its own: a recorded call gets
// its reply, anything else a clear refusal. And the recording fits the app's client: what `tauri.ts` sends for a
// screen's question is what the recorder asked the core.

import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { offeredDocuments } from '../documents/documents';
import { STAGES } from './domain';
import { RecordedReplies, canonical, installRecordedReplies, loadRecording, repliesFor, type RecordedCall } from './recorded';
import type { BridgeError, Lang, MemberQuery, WorkspaceStatus } from './types';

const refusal = (message: string): Record<Lang, BridgeError> => ({
  'zh-CN': { kind: 'invalid_input', message: `中文：${message}`, details: { field: 'name', reason_zh: '姓名不能为空', reason_en: 'the name is empty' } },
  en: { kind: 'invalid_input', message, details: { field: 'name', reason_zh: '姓名不能为空', reason_en: 'the name is empty' } },
});

const calls: RecordedCall[] = [
  { command: 'get_member', args: { id: 4 }, ok: { person: { id: 4, name: '白安' } } },
  { command: 'list_members', args: { query: { stage: null, branch_id: null, search: null, offset: 0, limit: 100 } }, ok: { total: 1 } },
  { command: 'attachment_bytes', args: { attachmentId: 1 }, bytes: '89504e47' },
  { command: 'save_person', args: { person: { id: null, name: '' } }, write: true, err: refusal('the name is empty') },
];

const rejection = (f: () => unknown): BridgeError => {
  try {
    f();
  } catch (e) {
    return e as BridgeError;
  }
  throw new Error('expected a rejection');
};

describe('RecordedReplies', () => {
  const replies = () => new RecordedReplies(calls, 'DANGAN_RECORD_REPLIES=1 cargo test');

  it('answers a recorded question with the recorded reply, whatever the order of the arguments', () => {
    expect(replies().answer('get_member', { id: 4 })).toEqual({ person: { id: 4, name: '白安' } });
    const query = { limit: 100, offset: 0, search: null, branch_id: null, stage: null };
    expect(replies().answer('list_members', { query })).toEqual({ total: 1 });
  });

  it('answers a binary reply as the bytes, in an ArrayBuffer as the shell sends them', () => {
    const bytes = replies().answer('attachment_bytes', { attachmentId: 1 }) as ArrayBuffer;
    expect([...new Uint8Array(bytes)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("rejects a recorded refusal with the core's error, in the language the UI chose", () => {
    const r = replies();
    expect(rejection(() => r.answer('save_person', { person: { id: null, name: '' } })).message).toBe('中文：the name is empty');
    expect(r.answer('set_language', { lang: 'en' })).toBeNull();
    const err = rejection(() => r.answer('save_person', { person: { name: '', id: null } }));
    expect(err).toEqual(refusal('the name is empty').en);
  });

  it('answers an unrecorded question not_found, naming the call and how to record it', () => {
    const err = rejection(() => replies().answer('get_member', { id: 99 }));
    expect(err.kind).toBe('not_found');
    expect(err.message).toContain('get_member {"id":99}');
    expect(err.message).toContain('DANGAN_RECORD_REPLIES=1 cargo test');
  });

  it('refuses every change it has no recording of as read-only', () => {
    for (const [command, args] of [
      ['save_person', { person: { id: 4, name: '白安' } }],
      ['delete_event', { personId: 4, eventId: 2 }],
      ['import_roster', { path: '/tmp/名册.xlsx', dryRun: false, duplicates: 'ask', onProgress: '__CHANNEL__:1' }],
      ['issue_letter', { letter: { person_id: 4, destination: '中共某某大学委员会' }, path: null }],
      ['record_receipt', { letterId: 1, date: '2026-08-01' }],
      ['reissue_letter', { letterId: 1, issuedOn: '2026-08-01', validityDays: null, path: '/tmp/介绍信.pdf' }],
      ['apply_transfer', { request: { person_id: 4, destination: '中共某某大学委员会', reason: null, applied_on: '2026-08-01' } }],
      ['approve_transfer', { requestId: 1, date: '2026-08-01' }],
      ['decline_transfer', { requestId: 1, date: '2026-08-01', reason: '本人撤回申请' }],
      ['write_letters', { ids: [1], path: '/tmp/介绍信.pdf' }],
      ['register_arrival', { arrival: { person: { id: null, name: '周九' }, origin: '中共某大学委员会' } }],
      ['write_member_package', { letterId: 1, path: '/tmp/白安.dangan-member' }],
      ['receive_member_package', { path: '/tmp/周九.dangan-member', code: '7F3K0V62CS34HKPER8YW0GMT', branchId: 3, receivedOn: '2026-09-05' }],
      ['issue_letters', { letters: [{ person_id: 4, destination: '中共某某市委组织部' }], path: null, onProgress: '__CHANNEL__:2' }],
      ['keep_graduate', { personId: 4, graduatedOn: '2026-06-30' }],
      ['export_letters', { personId: null, openOnly: true, path: '/tmp/介绍信.xlsx' }],
      ['export_dues', { unit: null, from: '2026-11', to: '2026-11', path: '/tmp/党费.xlsx' }],
      ['open_appraisals', { unit: 3, year: 2026, openedOn: '2026-11-20' }],
      ['date_appraisal_step', { id: 1, step: 'vote', date: '2026-11-27' }],
      ['record_votes', { id: 1, ballotsCast: 30, rows: [] }],
      ['import_votes', { id: 1, ballotsCast: 30, path: '/tmp/计票表.xlsx' }],
      ['propose_grade', { id: 1, personId: 4, grade: 'qualified' }],
      ['grade_member', { id: 1, decision: { person_id: 4, grade: 'qualified', reason: null } }],
      ['close_appraisal', { id: 1, date: '2026-12-20' }],
      ['end_correction', { id: 1, personId: 4, outcome: 'corrected', date: '2027-12-01', note: null }],
      ['write_ballots', { id: 1, path: '/tmp/民主测评表.pdf' }],
      ['write_appraisal_results', { id: 1, path: '/tmp/民主评议结果.pdf' }],
      ['export_appraisals', { year: 2026, unit: null, path: '/tmp/民主评议结果.xlsx' }],
      ['add_complaint', { complaint: { channel: 'letter', received_on: '2026-11-18', complainant: null, concerning: null, category: null, summary: '反映某党员收受礼金', belongs_elsewhere: false } }],
      ['handle_complaint', { entry: '2026-001', handling: { handling: 'holding', date: '2026-11-20', to: null, note: null, reported_on: null } }],
      ['close_complaint', { entry: '2026-001', date: '2026-11-24', result: '予以了结' }],
      // Opening an entry writes its reading to the audit log: a change, as far as the preview goes.
      ['complaint', { entry: '2026-001' }],
      ['write_complaint_form', { entry: '2026-001', path: '/tmp/信访举报件办理登记表.pdf' }],
      ['grant_register', { user: '周纪检' }],
      ['add_complaint_attachments', { entry: '2026-001', paths: ['/tmp/举报信.jpg'] }],
      ['save_complaint_attachment_as', { entry: '2026-001', attachment: 3, path: '/tmp/副本.jpg' }],
      ['lock', {}],
    ] as const) {
      expect(rejection(() => replies().answer(command, args)).kind, command).toBe('read_only');
    }
  });
});

describe('canonical', () => {
  it('sorts keys at every level and drops undefined fields, as invoke would send them', () => {
    expect(canonical({ b: [{ y: 1, x: undefined, a: 2 }], a: null })).toBe('{"a":null,"b":[{"a":2,"y":1}]}');
    expect(canonical(undefined)).toBe('{}');
  });
});

describe('the recording', () => {
  const recording = loadRecording();

  it('has the sessions the preview offers, each starting with the workspace status', () => {
    expect(Object.keys(recording.sessions).sort()).toEqual(['administrator', 'auditor', 'branch_secretary', 'locked', 'new']);
    for (const [name, session] of Object.entries(recording.sessions)) expect(session[0]?.command, name).toBe('workspace_status');
  });

  it("writes the shell's workspace status with exactly WorkspaceStatus's fields", () => {
    // A `Record` over the generated type's keys: a field the shell adds is a type error here until recorded.
    const fields: Record<keyof WorkspaceStatus, true> = { exists: true, unlocked: true, path: true, server: true, today: true };
    for (const session of Object.values(recording.sessions)) {
      expect(Object.keys(session[0]?.ok as object).sort()).toEqual(Object.keys(fields).sort());
    }
  });

  it('chooses the session by ?session=, the administrator by default', () => {
    const status = (search: string) => repliesFor(search, recording).answer('workspace_status', {}) as WorkspaceStatus;
    expect(status('').unlocked).toBe(true);
    expect(status('?session=locked')).toMatchObject({ exists: true, unlocked: false });
    expect(status('?session=new').exists).toBe(false);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(status('?session=nobody').unlocked).toBe(true);
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe('the preview over the real client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  async function client(search: string) {
    vi.stubGlobal('window', { crypto: globalThis.crypto });
    installRecordedReplies(search);
    const { tauriBackend } = await import('./backend');
    return tauriBackend;
  }

  const page = (q: Partial<MemberQuery>): MemberQuery => ({ stage: null, branch_id: null, search: null, offset: 0, limit: 100, cell: null, ...q });

  it("answers the administrator's screens with the core's replies", async () => {
    const api = await client('');
    expect((await api.sessionUser()).role).toBe('administrator');
    const list = await api.listMembers(page({}));
    expect(list.items).toHaveLength(list.total);
    const counts = await Promise.all((['applicant', 'full_member'] as const).map((stage) => api.listMembers(page({ stage, limit: 0 }))));
    expect(counts.every((c) => c.total > 0 && c.items.length === 0)).toBe(true);
    const first = list.items[0]!;
    expect((await api.getMember(first.id)).person.name).toBe(first.name);
    expect((await api.memberFile(first.id)).checklist.length).toBeGreaterThan(0);
    const dash = await api.dashboard(null, null);
    expect(dash.as_of).toBe(loadRecording().today);
    expect((await api.listUsers()).map((u) => u.role).sort()).toEqual(['administrator', 'auditor', 'branch_secretary', 'organiser']);
  });

  it("shows the core's refusals: a broken rule, an auditor's change, and read-only for the rest", async () => {
    const admin = await client('');
    const person = (await admin.getMember((await admin.listMembers(page({}))).items[0]!.id)).person;
    await expect(admin.savePerson({ ...person, notes: '预览里改的' }, null)).rejects.toMatchObject({ kind: 'read_only' });
    await expect(admin.getMember(999_999)).rejects.toMatchObject({ kind: 'not_found' });

    const auditor = await client('?session=auditor');
    expect((await auditor.sessionUser()).may).not.toContain('edit_members');
    await expect(auditor.savePerson(person, null)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(auditor.listUsers()).rejects.toMatchObject({ kind: 'forbidden' });

    const locked = await client('?session=locked');
    await expect(locked.unlock('not-the-passphrase', '管理员')).rejects.toMatchObject({ kind: 'wrong_passphrase' });
  });

  it('answers the 组织关系 screen’s question as the recorder asked it, and refuses its changes as read-only', async () => {
    vi.stubGlobal('window', { crypto: globalThis.crypto });
    const letter = { id: 1, person_id: 4, name: '白安', number: '2026-001', state: 'issued' };
    const replies = new RecordedReplies([{ command: 'letters', args: { personId: null, openOnly: true }, ok: [letter] }], 'regenerate');
    mockWindows('main');
    mockIPC((command, args) => replies.answer(command, args), { shouldMockEvents: true });
    const { tauriBackend: api } = await import('./backend');
    expect(await api.letters(null, true)).toEqual([letter]);
    await expect(api.letters(4, false)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(api.recordReceipt(1, '2026-08-01')).rejects.toMatchObject({ kind: 'read_only' });
    await expect(api.writeLetters([1], '/tmp/介绍信.pdf')).rejects.toMatchObject({ kind: 'read_only' });
  });

  it('answers 生成文书 as the dialog asks on a member’s page: the documents, and the preview of each one offered', async () => {
    const api = await client('');
    const all = await api.documents();
    // Issuing the candidates' publicity notice starts that step: the dialog offers to record it.
    expect(all.find((d) => d.id === 'candidate_publicity')?.records).toBe('candidate_publicity');
    const members = (await api.listMembers(page({}))).items;
    let previews = 0;
    for (const stage of STAGES) {
      const member = members.find((m) => m.stage === stage);
      if (!member) continue;
      // As DocumentsDialog asks: the documents of the member's stage or of any stage, about them alone, dated today.
      for (const doc of offeredDocuments(all, { kind: 'member', stage })) {
        const preview = await api.previewDocument(doc.id, [member.id], null);
        expect(preview.people, doc.id).toBe(1);
        expect(preview.document.title, doc.id).not.toBe('');
        previews++;
      }
    }
    expect(previews).toBeGreaterThan(0);
  });

  it('listens for the shell’s events without a shell', async () => {
    const api = await client('');
    const stop = await api.onOpenMember(() => {});
    expect(typeof stop).toBe('function');
    stop();
  });
});
