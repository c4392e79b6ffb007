// Pins the generated client (bindings/commands.ts, from src-tauri/src/bridge.rs) against what the Rust side accepts:
// command names, camelCase argument names, progress on a Channel; and the shell's events.

import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn<(cmd: string, args?: Record<string, unknown>) => Promise<unknown>>();

vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => invoke(cmd, args),
  Channel: class {
    constructor(public onmessage: (m: unknown) => void) {}
  },
}));

const listen = vi.fn<(event: string, handler: (e: { payload: unknown }) => void) => Promise<() => void>>();

vi.mock('@tauri-apps/api/event', () => ({
  listen: (event: string, handler: (e: { payload: unknown }) => void) => listen(event, handler),
}));

type DragDrop = { payload: { type: 'enter' | 'over' | 'drop' | 'leave'; paths?: string[] } };
const onDragDropEvent = vi.fn<(handler: (e: DragDrop) => void) => Promise<() => void>>();

vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({ onDragDropEvent: (handler: (e: DragDrop) => void) => onDragDropEvent(handler) }),
}));

const { tauriBackend } = await import('./backend');

const q = { stage: null, branch_id: 3, search: 'zs', offset: 100, limit: 100, cell: null };
const person = {
  id: null, branch_id: 3, name: '张三', gender: null, ethnicity: null, birth_date: null, id_number: null,
  student_no: null, category: null, department: null, class_name: null, phone: null, native_place: null, notes: null,
};
const event = { id: null, kind: 'oath' as const, date: '2026-11-24', months: null, note: null };
const statusChange = { id: null, person_id: 7, status: 'transferred_out' as const, date: '2026-06-30', reason: '转往某大学党委' };
const fileRecord = {
  id: null, person_id: 7, kind: 'talk_record' as const, date: '2026-11-24', event_id: 12, title: null, body: '谈话内容',
  fields: { who: '王老师', course: null, hours: null, certificate: null, grade: null, score: null }, attachments: [],
};
const dq = {
  as_of: null, within: null, branch_id: 3, member_id: null, due_from: '2026-10-26', due_to: '2026-12-06', include_dismissed: false,
  only_dismissed: false, owed_by: 'unit',
};
const meeting = {
  id: null, unit_id: 3, group_id: 7, kind: 'group_meeting' as const, date: '2026-11-20', held: true, place: '会议室', chair: '李书记',
  recorder: null, topic: '学习党章', minutes: null, decisions: null, study_minutes: 90, guests: null,
};
const attendees = [{ person_id: 4, attendance: 'leave' as const, reason: '出差' }];
const mq = { unit: 3, kind: null, from: '2026-01-01', to: '2026-12-31' };
const post = { id: null, unit_id: 3, person_id: 4, post: 'secretary' as const, since: '2026-01-01', until: null };

const newLetter = {
  person_id: 7, destination: '中共某某大学委员会', addressee: null, validity_days: null, issued_on: '2026-06-30', assessment: '预备期表现良好',
};
const newRequest = { person_id: 7, destination: '中共某某公司委员会', reason: '工作调动', applied_on: '2026-06-01' };
const arrival = {
  person: { ...person, joined_on: null }, steps: [{ ...event, kind: 'admitted' as const, date: '2026-06-20' }], received_on: '2026-09-05',
  origin: '中共某大学委员会', letter_number: '2026-015', letter_issued_on: '2026-08-30', dues_paid_through: '2026-08', materials: ['admission_resolution'],
};
const duesBase = { person_id: 7, category: 'salaried' as const, base_fen: 420000, from_month: '2026-05' };
const payment = { person_id: 7, from_month: '2026-05', months: 3, paid_on: '2026-05-20', paid_by: null, deferred: null };

const voteRows = [{ person_id: 7, votes: { excellent: 20, qualified: 10, basically_qualified: 0, unqualified: 0 } }];
const decision = { person_id: 7, grade: 'unqualified' as const, reason: '长期不参加组织生活' };

const newComplaint = {
  channel: 'letter' as const, received_on: '2026-11-18', complainant: null, concerning: 7, category: '违反廉洁纪律', summary: '反映某党员收受礼金', belongs_elsewhere: false,
};
const handling = { handling: 'forwarded' as const, date: '2026-11-20', to: '区纪委', note: null, reported_on: null };

const aq = { member_id: 7, actor: '王老师', entity: 'people', from: '2026-11-01', to: '2026-11-24', offset: 50, limit: 50 };

describe('TauriBackend', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue(null);
  });

  it.each([
    ['workspaceStatus', [], 'workspace_status', undefined],
    ['createWorkspace', ['pw', '某某党委', '管理员'], 'create_workspace', { passphrase: 'pw', committeeName: '某某党委', userName: '管理员' }],
    ['unlock', ['pw', null], 'unlock', { passphrase: 'pw', userName: null }],
    ['unlock', ['pw', '王老师'], 'unlock', { passphrase: 'pw', userName: '王老师' }],
    ['unlockWithRecovery', ['7F3K-0V62-CS34-HKPE-R8YW-0GMT'], 'unlock_with_recovery', { code: '7F3K-0V62-CS34-HKPE-R8YW-0GMT' }],
    ['lock', [], 'lock', undefined],
    ['sessionUser', [], 'session_user', undefined],
    ['listUsers', [], 'list_users', undefined],
    ['addUser', ['李书记', 'branch_secretary', [3, 4], 'secretary-pw'], 'add_user', { name: '李书记', role: 'branch_secretary', branches: [3, 4], passphrase: 'secretary-pw' }],
    ['setUserRole', [2, 'auditor', []], 'set_user_role', { userId: 2, role: 'auditor', branches: [] }],
    ['removeUser', [2], 'remove_user', { userId: 2 }],
    ['resetPassphrase', [2, 'new passphrase'], 'reset_passphrase', { userId: 2, passphrase: 'new passphrase' }],
    ['changePassphrase', ['old passphrase', 'new passphrase'], 'change_passphrase', { current: 'old passphrase', next: 'new passphrase' }],
    ['newRecoveryCode', [], 'new_recovery_code', undefined],
    ['writeRecoverySheet', ['7F3K-0V62-CS34-HKPE-R8YW-0GMT', '/tmp/恢复密钥.pdf'], 'write_recovery_sheet', { code: '7F3K-0V62-CS34-HKPE-R8YW-0GMT', path: '/tmp/恢复密钥.pdf' }],
    ['auditLog', [aq], 'audit_log', { query: aq }],
    ['exportAudit', [aq, '/tmp/审计日志.csv'], 'export_audit', { query: aq, path: '/tmp/审计日志.csv' }],
    ['cancelJob', [4], 'cancel_job', { job: 4 }],
    ['backupSettings', [], 'backup_settings', undefined],
    ['setBackupSettings', ['/media/usb', 7], 'set_backup_settings', { dir: '/media/usb', keep: 7 }],
    ['setBackupSettings', [null, 7], 'set_backup_settings', { dir: null, keep: 7 }],
    ['listMembers', [q], 'list_members', { query: q }],
    ['getMember', [7], 'get_member', { id: 7 }],
    ['savePerson', [person], 'save_person', { person }],
    ['saveEvent', [7, event], 'save_event', { personId: 7, event }],
    ['saveEventForMany', [[7, 8], event], 'save_event_for_many', { personIds: [7, 8], event }],
    ['deleteEvent', [7, 9], 'delete_event', { personId: 7, eventId: 9 }],
    ['changeStatus', [statusChange], 'change_status', { change: statusChange }],
    ['undoStatusChange', [7, 31], 'undo_status_change', { personId: 7, change: 31 }],
    ['issueLetter', [newLetter, '/tmp/介绍信 张三.pdf'], 'issue_letter', { letter: newLetter, path: '/tmp/介绍信 张三.pdf' }],
    ['issueLetter', [newLetter, null], 'issue_letter', { letter: newLetter, path: null }],
    ['writeLetters', [[3, 1], '/tmp/介绍信 2 封.pdf'], 'write_letters', { ids: [3, 1], path: '/tmp/介绍信 2 封.pdf' }],
    ['recordReceipt', [3, '2026-08-01'], 'record_receipt', { letterId: 3, date: '2026-08-01' }],
    ['reissueLetter', [3, '2026-08-15', null, null], 'reissue_letter', { letterId: 3, issuedOn: '2026-08-15', validityDays: null, path: null }],
    ['reissueLetter', [3, '2026-08-15', 45, '/tmp/介绍信 张三.pdf'], 'reissue_letter', { letterId: 3, issuedOn: '2026-08-15', validityDays: 45, path: '/tmp/介绍信 张三.pdf' }],
    ['applyTransfer', [newRequest], 'apply_transfer', { request: newRequest }],
    ['approveTransfer', [4, '2026-06-05'], 'approve_transfer', { requestId: 4, date: '2026-06-05' }],
    ['declineTransfer', [4, '2026-06-05', '本人撤回申请'], 'decline_transfer', { requestId: 4, date: '2026-06-05', reason: '本人撤回申请' }],
    ['transferRequests', [null, true], 'transfer_requests', { personId: null, openOnly: true }],
    ['transferRequests', [7, false], 'transfer_requests', { personId: 7, openOnly: false }],
    ['cancelLetter', [3, '2026-08-01', '本人不再转出'], 'cancel_letter', { letterId: 3, date: '2026-08-01', reason: '本人不再转出' }],
    ['cancelLetter', [3, '2026-08-01', null], 'cancel_letter', { letterId: 3, date: '2026-08-01', reason: null }],
    ['registerArrival', [arrival], 'register_arrival', { arrival }],
    ['writeMemberPackage', [3, '/tmp/张三.dangan-member'], 'write_member_package', { letterId: 3, path: '/tmp/张三.dangan-member' }],
    [
      'receiveMemberPackage',
      ['/tmp/张三.dangan-member', '7F3K-0V62-CS34-HKPE-R8YW-0GMT', 3, '2026-09-05'],
      'receive_member_package',
      { path: '/tmp/张三.dangan-member', code: '7F3K-0V62-CS34-HKPE-R8YW-0GMT', branchId: 3, receivedOn: '2026-09-05' },
    ],
    ['keepGraduate', [7, '2026-06-30'], 'keep_graduate', { personId: 7, graduatedOn: '2026-06-30' }],
    ['keepGraduate', [7, null], 'keep_graduate', { personId: 7, graduatedOn: null }],
    ['classOf', [2022, null], 'class_of', { classYear: 2022, unit: null }],
    ['classOf', [2022, 3], 'class_of', { classYear: 2022, unit: 3 }],
    ['checkLetters', [[newLetter]], 'check_letters', { letters: [newLetter] }],
    ['exportLetters', [null, true, '/tmp/待收回执的介绍信.xlsx'], 'export_letters', { personId: null, openOnly: true, path: '/tmp/待收回执的介绍信.xlsx' }],
    ['letters', [null, true], 'letters', { personId: null, openOnly: true }],
    ['letters', [7, false], 'letters', { personId: 7, openOnly: false }],
    ['duesRate', ['salaried', 420000], 'dues_rate', { category: 'salaried', baseFen: 420000 }],
    ['setDuesBase', [duesBase], 'set_dues_base', { base: duesBase }],
    ['recordDues', [payment], 'record_dues', { payment }],
    ['undoDuesMonth', [7, '2026-10'], 'undo_dues_month', { personId: 7, month: '2026-10' }],
    ['duesLedger', [7], 'dues_ledger', { personId: 7 }],
    ['duesArrears', [null], 'dues_arrears', { unit: null }],
    ['duesSummary', [3, '2026-01', '2026-12'], 'dues_summary', { unit: 3, from: '2026-01', to: '2026-12' }],
    ['duesReceipts', [null, '2026-11', '2026-11'], 'dues_receipts', { unit: null, from: '2026-11', to: '2026-11' }],
    ['exportDues', [3, '2026-01', '2026-12', '/tmp/党费收据清单 2026年全年.pdf'], 'export_dues', { unit: 3, from: '2026-01', to: '2026-12', path: '/tmp/党费收据清单 2026年全年.pdf' }],
    ['openAppraisals', [3, 2026, '2026-11-20'], 'open_appraisals', { unit: 3, year: 2026, openedOn: '2026-11-20' }],
    ['appraisal', [5], 'appraisal', { id: 5 }],
    ['appraisals', [2026, null], 'appraisals', { year: 2026, unit: null }],
    ['dateAppraisalStep', [5, 'vote', '2026-11-27'], 'date_appraisal_step', { id: 5, step: 'vote', date: '2026-11-27' }],
    ['recordVotes', [5, 30, voteRows], 'record_votes', { id: 5, ballotsCast: 30, rows: voteRows }],
    ['importVotes', [5, 30, '/tmp/计票表.xlsx'], 'import_votes', { id: 5, ballotsCast: 30, path: '/tmp/计票表.xlsx' }],
    ['proposeGrade', [5, 7, null], 'propose_grade', { id: 5, personId: 7, grade: null }],
    ['gradeMember', [5, decision], 'grade_member', { id: 5, decision }],
    ['closeAppraisal', [5, '2026-12-20'], 'close_appraisal', { id: 5, date: '2026-12-20' }],
    ['endCorrection', [5, 7, 'corrected', '2027-12-01', null], 'end_correction', { id: 5, personId: 7, outcome: 'corrected', date: '2027-12-01', note: null }],
    ['writeBallots', [5, '/tmp/2026年度民主测评表.pdf'], 'write_ballots', { id: 5, path: '/tmp/2026年度民主测评表.pdf' }],
    ['writeAppraisalResults', [5, '/tmp/民主评议结果.pdf'], 'write_appraisal_results', { id: 5, path: '/tmp/民主评议结果.pdf' }],
    ['exportAppraisals', [2026, null, '/tmp/2026年度民主评议结果汇总.xlsx'], 'export_appraisals', { year: 2026, unit: null, path: '/tmp/2026年度民主评议结果汇总.xlsx' }],
    ['complaintsOverview', [], 'complaints_overview', undefined],
    ['addComplaint', [newComplaint], 'add_complaint', { complaint: newComplaint }],
    ['complaints', [true], 'complaints', { openOnly: true }],
    ['complaint', ['2026-001'], 'complaint', { entry: '2026-001' }],
    ['handleComplaint', ['2026-001', handling], 'handle_complaint', { entry: '2026-001', handling }],
    ['closeComplaint', ['2026-001', '2026-11-24', '经初步核实，反映问题不属实，予以了结'], 'close_complaint', { entry: '2026-001', date: '2026-11-24', result: '经初步核实，反映问题不属实，予以了结' }],
    ['grantRegister', ['周纪检'], 'grant_register', { user: '周纪检' }],
    ['registerWaiting', [], 'register_waiting', undefined],
    ['addComplaintAttachments', ['2026-001', ['/tmp/举报信.jpg']], 'add_complaint_attachments', { entry: '2026-001', paths: ['/tmp/举报信.jpg'] }],
    ['saveComplaintAttachmentAs', ['2026-001', 3, '/tmp/副本.jpg'], 'save_complaint_attachment_as', { entry: '2026-001', attachment: 3, path: '/tmp/副本.jpg' }],
    ['writeComplaintForm', ['2026-001', '/tmp/信访举报件办理登记表 2026-001.pdf'], 'write_complaint_form', { entry: '2026-001', path: '/tmp/信访举报件办理登记表 2026-001.pdf' }],
    ['listMembers', [{ ...q, status: 'archived' }], 'list_members', { query: { ...q, status: 'archived' } }],
    ['listOrgUnits', [], 'list_org_units', undefined],
    ['addOrgUnit', [1, 'branch', '第一党支部'], 'add_org_unit', { parentId: 1, kind: 'branch', name: '第一党支部' }],
    ['dashboard', [null, 3], 'dashboard', { asOf: null, branchId: 3 }],
    ['dashboard', ['2026-11-24', null], 'dashboard', { asOf: '2026-11-24', branchId: null }],
    ['deadlines', [dq], 'deadlines', { query: dq }],
    ['exportDeadlines', [dq, '/tmp/期限 2026年11月.xlsx'], 'export_deadlines', { query: dq, path: '/tmp/期限 2026年11月.xlsx' }],
    ['exportDashboard', ['2026-11-24', 3, '/tmp/工作提醒 2026-11-24.xlsx'], 'export_dashboard', { asOf: '2026-11-24', branchId: 3, path: '/tmp/工作提醒 2026-11-24.xlsx' }],
    ['exportDashboard', ['2026-11-24', null, '/tmp/a.xlsx'], 'export_dashboard', { asOf: '2026-11-24', branchId: null, path: '/tmp/a.xlsx' }],
    ['dismissDeadline', [7, 'oath', '2026-12-01', null], 'dismiss_deadline', { memberId: 7, rule: 'oath', due: '2026-12-01', until: null }],
    ['dismissDeadline', [7, 'oath', '2026-12-01', '2026-12-08'], 'dismiss_deadline', { memberId: 7, rule: 'oath', due: '2026-12-01', until: '2026-12-08' }],
    ['restoreDeadline', [7, 'oath', '2026-12-01'], 'restore_deadline', { memberId: 7, rule: 'oath', due: '2026-12-01' }],
    ['dismissUnitDeadline', [3, null, 'committee_meeting', '2026-11-30', null], 'dismiss_unit_deadline', { unitId: 3, groupId: null, rule: 'committee_meeting', due: '2026-11-30', until: null }],
    ['dismissUnitDeadline', [3, 7, 'group_meeting', '2026-12-31', '2026-12-01'], 'dismiss_unit_deadline', { unitId: 3, groupId: 7, rule: 'group_meeting', due: '2026-12-31', until: '2026-12-01' }],
    ['restoreUnitDeadline', [3, 7, 'group_meeting', '2026-12-31'], 'restore_unit_deadline', { unitId: 3, groupId: 7, rule: 'group_meeting', due: '2026-12-31' }],
    ['lifePlan', [3, 2026], 'life_plan', { unit: 3, year: 2026 }],
    ['meetings', [mq], 'meetings', { query: mq }],
    ['saveMeeting', [meeting, attendees], 'save_meeting', { meeting, attendees }],
    ['deleteMeeting', [12], 'delete_meeting', { id: 12 }],
    ['importAttendance', [12, '/tmp/签到表.xlsx'], 'import_attendance', { id: 12, path: '/tmp/签到表.xlsx' }],
    ['writeMeetingPaper', [12, true, '/tmp/签到表.pdf'], 'write_meeting_paper', { id: 12, signIn: true, path: '/tmp/签到表.pdf' }],
    ['writeWorkRegister', [3, 2026, '/tmp/工作手册.pdf'], 'write_work_register', { unit: 3, year: 2026, path: '/tmp/工作手册.pdf' }],
    ['addMeetingAttachments', [12, ['/tmp/签到表.jpg', '/tmp/合影.png']], 'add_meeting_attachments', { meetingId: 12, paths: ['/tmp/签到表.jpg', '/tmp/合影.png'] }],
    ['meetingAttachmentBytes', [9], 'meeting_attachment_bytes', { attachmentId: 9 }],
    ['saveMeetingAttachmentAs', [9, '/tmp/签到表.jpg'], 'save_meeting_attachment_as', { attachmentId: 9, path: '/tmp/签到表.jpg' }],
    ['deleteMeetingAttachment', [9], 'delete_meeting_attachment', { attachmentId: 9 }],
    ['posts', [3], 'posts', { unit: 3 }],
    ['savePost', [post], 'save_post', { post }],
    ['groups', [3], 'groups', { unit: 3 }],
    ['saveGroup', [null, 3, '第一党小组'], 'save_group', { id: null, branchId: 3, name: '第一党小组' }],
    ['setGroupMembers', [7, [4, 5], [4]], 'set_group_members', { groupId: 7, people: [4, 5], seen: [4] }],
    ['studyHours', [2026, 3], 'study_hours', { year: 2026, unit: 3 }],
    ['unenrol', [5, [14]], 'unenrol', { classId: 5, people: [14] }],
    ['studyEntries', [14, 2026], 'study_entries', { person: 14, year: 2026 }],
    ['deleteStudyEntry', [9], 'delete_study_entry', { id: 9 }],
    ['setLifeFrom', [3, '2026-03-01'], 'set_life_from', { unit: 3, from: '2026-03-01' }],
    ['memberFile', [7], 'member_file', { memberId: 7 }],
    ['saveRecord', [fileRecord, ['/tmp/a.jpg']], 'save_record', { record: fileRecord, attach: ['/tmp/a.jpg'] }],
    ['deleteRecord', [5], 'delete_record', { recordId: 5 }],
    ['attachmentBytes', [9], 'attachment_bytes', { attachmentId: 9 }],
    ['deleteAttachment', [9], 'delete_attachment', { attachmentId: 9 }],
    ['saveAttachmentAs', [9, '/tmp/决议.pdf'], 'save_attachment_as', { attachmentId: 9, path: '/tmp/决议.pdf' }],
    ['pickOpenFile', [[{ name: 'Roster', extensions: ['xlsx'] }]], 'pick_open_file', { filters: [{ name: 'Roster', extensions: ['xlsx'] }] }],
    ['pickSaveFile', ['a.xlsx'], 'pick_save_file', { defaultName: 'a.xlsx' }],
    ['writeDossier', [7, '/tmp/张三-发展党员档案.pdf'], 'write_dossier', { memberId: 7, path: '/tmp/张三-发展党员档案.pdf' }],
    ['documents', [], 'documents', undefined],
    ['previewDocument', ['candidate_publicity', [7, 8], null], 'preview_document', { id: 'candidate_publicity', members: [7, 8], date: null }],
    ['makeDocument', ['candidate_publicity', [7, 8], '2026-11-24', '/tmp/公示.docx', true], 'make_document', { id: 'candidate_publicity', members: [7, 8], date: '2026-11-24', path: '/tmp/公示.docx', recordStep: true }],
    ['pickFolder', [], 'pick_folder', undefined],
    ['openPath', ['/tmp/档案'], 'open_path', { path: '/tmp/档案' }],
    ['setLanguage', ['en'], 'set_language', { lang: 'en' }],
    ['remindersChecked', [], 'reminders_checked', undefined],
  ] as const)('%s calls %s', async (method, args, command, expected) => {
    const b = tauriBackend as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await b[method]!(...args);
    expect(invoke).toHaveBeenCalledWith(command, expected);
  });

  it('passes backup progress through a Channel named onProgress', async () => {
    const seen: unknown[] = [];
    await tauriBackend.backupNow('/media/usb/档案备份.dangan-backup', (p) => seen.push(p));
    const [command, args] = invoke.mock.calls[0]!;
    expect(command).toBe('backup_now');
    expect(Object.keys(args!).sort()).toEqual(['onProgress', 'path']);
    expect(args).toMatchObject({ path: '/media/usb/档案备份.dangan-backup' });
    (args!.onProgress as { onmessage: (m: unknown) => void }).onmessage({ job: 1, done: 4096, total: 8192, unit: 'bytes', waiting: false });
    expect(seen).toEqual([{ job: 1, done: 4096, total: 8192, unit: 'bytes', waiting: false }]);
  });

  it('passes import progress through a Channel named onProgress, beside what to do with likely duplicates', async () => {
    const seen: unknown[] = [];
    await tauriBackend.importRoster('/tmp/r.xlsx', false, 'skip', (p) => seen.push(p));
    const [command, args] = invoke.mock.calls[0]!;
    expect(command).toBe('import_roster');
    expect(Object.keys(args!).sort()).toEqual(['dryRun', 'duplicates', 'onProgress', 'path']);
    expect(args).toMatchObject({ path: '/tmp/r.xlsx', dryRun: false, duplicates: 'skip' });
    (args!.onProgress as { onmessage: (m: unknown) => void }).onmessage({ job: 2, done: 0, total: 2, unit: 'rows', waiting: true });
    expect(seen).toEqual([{ job: 2, done: 0, total: 2, unit: 'rows', waiting: true }]);
  });

  it.each([
    ['importDues', 'import_dues', '/tmp/党费.xlsx'],
    ['importMeetings', 'import_meetings', '/tmp/会议登记.xlsx'],
    ['importStudyEntries', 'import_study_entries', '/tmp/个人学习.xlsx'],
  ] as const)('%s passes its rows’ progress through a Channel named onProgress', async (method, command, path) => {
    const seen: unknown[] = [];
    await tauriBackend[method](path, (p) => seen.push(p));
    const [called, args] = invoke.mock.calls[0]!;
    expect(called).toBe(command);
    expect(Object.keys(args!).sort()).toEqual(['onProgress', 'path']);
    expect(args).toMatchObject({ path });
    (args!.onProgress as { onmessage: (m: unknown) => void }).onmessage({ job: 4, done: 100, total: 2000, unit: 'rows', waiting: false });
    expect(seen).toEqual([{ job: 4, done: 100, total: 2000, unit: 'rows', waiting: false }]);
  });

  it('passes export progress through a Channel named onProgress', async () => {
    const seen: unknown[] = [];
    await tauriBackend.exportMembers(q, '/tmp/a.xlsx', (p) => seen.push(p));
    const [command, args] = invoke.mock.calls[0]!;
    expect(command).toBe('export_members');
    expect(args).toMatchObject({ query: q, path: '/tmp/a.xlsx' });
    (args!.onProgress as { onmessage: (m: unknown) => void }).onmessage({ job: 3, done: 50, total: 100, unit: 'rows', waiting: false });
    expect(seen).toEqual([{ job: 3, done: 50, total: 100, unit: 'rows', waiting: false }]);
  });

  it('passes restore progress through a Channel named onProgress, beside the file and the passphrase', async () => {
    const seen: unknown[] = [];
    await tauriBackend.restoreBackup('/media/usb/a.dangan-backup', 'pw', (p) => seen.push(p));
    const [command, args] = invoke.mock.calls[0]!;
    expect(command).toBe('restore_backup');
    expect(Object.keys(args!).sort()).toEqual(['onProgress', 'passphrase', 'path']);
    expect(args).toMatchObject({ path: '/media/usb/a.dangan-backup', passphrase: 'pw' });
    (args!.onProgress as { onmessage: (m: unknown) => void }).onmessage({ job: 5, done: 2, total: 5, unit: 'steps', waiting: false });
    expect(seen).toEqual([{ job: 5, done: 2, total: 5, unit: 'steps', waiting: false }]);
  });

  it('passes the progress of a batch of letters through a Channel named onProgress, beside the letters and the PDF', async () => {
    const seen: unknown[] = [];
    await tauriBackend.issueLetters([newLetter], '/tmp/2022级毕业生介绍信.pdf', (p) => seen.push(p));
    const [command, args] = invoke.mock.calls[0]!;
    expect(command).toBe('issue_letters');
    expect(Object.keys(args!).sort()).toEqual(['letters', 'onProgress', 'path']);
    expect(args).toMatchObject({ letters: [newLetter], path: '/tmp/2022级毕业生介绍信.pdf' });
    (args!.onProgress as { onmessage: (m: unknown) => void }).onmessage({ job: 6, done: 1, total: 1, unit: 'letters', waiting: false });
    expect(seen).toEqual([{ job: 6, done: 1, total: 1, unit: 'letters', waiting: false }]);
  });

  it('passes dossier progress through a Channel named onProgress', async () => {
    const seen: unknown[] = [];
    await tauriBackend.writeDossiers(q, '/tmp/档案', (p) => seen.push(p));
    const [command, args] = invoke.mock.calls[0]!;
    expect(command).toBe('write_dossiers');
    expect(args).toMatchObject({ query: q, dir: '/tmp/档案' });
    (args!.onProgress as { onmessage: (m: unknown) => void }).onmessage({ job: 4, done: 3, total: 10, unit: 'dossiers', waiting: false });
    expect(seen).toEqual([{ job: 4, done: 3, total: 10, unit: 'dossiers', waiting: false }]);
  });

  it('resolves with what the shell returns: the recovery code, shown once, and the count of exported entries', async () => {
    invoke.mockResolvedValueOnce('7F3K-0V62-CS34-HKPE-R8YW-0GMT');
    expect(await tauriBackend.createWorkspace('pw', '某某党委', '管理员')).toBe('7F3K-0V62-CS34-HKPE-R8YW-0GMT');
    invoke.mockResolvedValueOnce(12);
    expect(await tauriBackend.exportAudit(aq, '/tmp/a.csv')).toBe(12);
  });

  it('rejects with the BridgeError the shell sent', async () => {
    invoke.mockRejectedValue({ kind: 'wrong_passphrase', message: 'no', details: null });
    await expect(tauriBackend.unlock('x', null)).rejects.toEqual({ kind: 'wrong_passphrase', message: 'no', details: null });
  });

  it('turns any other rejection into internal', async () => {
    invoke.mockRejectedValue('command unlock not found');
    await expect(tauriBackend.unlock('x', null)).rejects.toEqual({ kind: 'internal', message: 'command unlock not found', details: null });
  });

  it('opens the member a clicked reminder names, from the shell\'s open-member event', async () => {
    const unlisten = vi.fn();
    listen.mockImplementation(async (_event, handler) => {
      handler({ payload: 42 });
      return unlisten;
    });
    const opened: number[] = [];
    const stop = await tauriBackend.onOpenMember((id) => opened.push(id));
    expect(listen).toHaveBeenCalledWith('open-member', expect.any(Function));
    expect(opened).toEqual([42]);
    stop();
    expect(unlisten).toHaveBeenCalled();
  });

  it("opens the unit a clicked reminder of an owed meeting names, from the shell's open-unit event", async () => {
    const unlisten = vi.fn();
    listen.mockImplementation(async (_event, handler) => {
      handler({ payload: 3 });
      return unlisten;
    });
    const opened: number[] = [];
    const stop = await tauriBackend.onOpenUnit((id) => opened.push(id));
    expect(listen).toHaveBeenCalledWith('open-unit', expect.any(Function));
    expect(opened).toEqual([3]);
    stop();
    expect(unlisten).toHaveBeenCalled();
  });

  it('hands the paths of files dropped on the webview to the handler, and the drag over it to onHover', async () => {
    const unlisten = vi.fn();
    let emit: (e: DragDrop) => void = () => {};
    onDragDropEvent.mockImplementation(async (handler) => {
      emit = handler;
      return unlisten;
    });
    const dropped: string[][] = [];
    const hover: boolean[] = [];
    const stop = await tauriBackend.onFileDrop((paths) => dropped.push(paths), (over) => hover.push(over));
    emit({ payload: { type: 'enter', paths: ['/tmp/a.jpg'] } });
    emit({ payload: { type: 'over' } });
    emit({ payload: { type: 'leave' } });
    emit({ payload: { type: 'enter', paths: ['/tmp/a.jpg', '/tmp/b.pdf'] } });
    emit({ payload: { type: 'drop', paths: ['/tmp/a.jpg', '/tmp/b.pdf'] } });
    expect(dropped).toEqual([['/tmp/a.jpg', '/tmp/b.pdf']]);
    expect(hover).toEqual([true, false, true, false]);
    stop();
    expect(unlisten).toHaveBeenCalled();
  });

  it('drops without a hover handler', async () => {
    let emit: (e: DragDrop) => void = () => {};
    onDragDropEvent.mockImplementation(async (handler) => {
      emit = handler;
      return () => {};
    });
    const dropped: string[][] = [];
    await tauriBackend.onFileDrop((paths) => dropped.push(paths));
    emit({ payload: { type: 'enter', paths: ['/tmp/a.png'] } });
    emit({ payload: { type: 'drop', paths: ['/tmp/a.png'] } });
    expect(dropped).toEqual([['/tmp/a.png']]);
  });
});
