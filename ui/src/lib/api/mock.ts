// An in-memory backend for `npm run dev` in a browser and for unit tests: a few hundred generated members in three
// branches, at every stage, with simple validation of the procedure's rules and their deadlines (mock-deadlines.ts).
// A workspace created here starts as the real one does: the committee alone, no branch, nobody. The real rules live
// in dangan-core; these only exercise the UI's paths (violations, invalid input, import problems and likely
// duplicates, cancel, reminders). Members' files (records, attachments, the checklist) live in mock-files.ts; users,
// their roles, the recovery key and the audit log in mock-accounts.ts. Every call checks the signed-in user's role as
// the core does (`forbidden`), a branch secretary sees only their branches, and every change is logged.

import type { Backend, FileFilter } from './backend';
import type { Action } from '../access';
import { appError } from './errors';
import { MONTHS_RANGE, REPEATABLE_EVENT_KINDS, eventOrder, statusOrder } from './domain';
import { addToDate, pinyinInitials, rng, samplePerson, toProcedureEvents } from './mock-data';
import { pendingOf } from './mock-deadlines';
import { MockFileStore, checklist } from './mock-files';
import { DEMO_USERS, MockAccounts, forbidden, parseRecoveryCode, type DemoUser } from './mock-accounts';
import type {
  AuditPage,
  AuditQuery,
  BackupProgress,
  BackupSettings,
  BackupWritten,
  BranchCounts,
  Dashboard,
  DeadlineItem,
  DeadlineQuery,
  DossierProgress,
  DossiersWritten,
  DossierWritten,
  Duplicates,
  ExportProgress,
  FileRecord,
  ImportProgress,
  ImportReport,
  LikelyDuplicate,
  MemberDetail,
  MemberFile,
  MemberPage,
  MemberQuery,
  MemberSummary,
  OrgKind,
  OrgUnit,
  Person,
  ProcedureEvent,
  Role,
  RowProblem,
  SessionUser,
  Stage,
  StatusCounts,
  User,
  Violation,
  Lang,
  RemindersChecked,
  WorkspaceStatus,
} from './types';
import { addDays } from '../calendar/month-grid';
import { isDismissed } from '../deadlines';
import { parseIsoDate, todayIso } from '../i18n/format';

export interface MockOptions {
  /** `missing`: first run; `locked`: exists, needs the passphrase; `unlocked`: ready, with sample data. */
  state?: 'missing' | 'locked' | 'unlocked';
  /** The administrator's passphrase of an existing workspace (`locked`/`unlocked`); see `DEMO_USERS` for the others. */
  passphrase?: string;
  /** Signed in (`unlocked`) as the sample user of this role; the administrator by default. */
  role?: Role;
  /** How many sample people; a few hundred by default. */
  size?: number;
  seed?: number;
  /** Delay before each answer, to make loading states visible. */
  latencyMs?: number;
  /** Delay per 25 roster rows of an import and per 50 rows of an export, so that progress and cancel can be seen. */
  importStepMs?: number;
  /** Delay per step of a backup (eight of them), so that progress and cancel can be seen. */
  backupStepMs?: number;
  /** Delay per dossier written (a batch's step; one dossier alone takes 25 of them), so that progress can be seen. */
  dossierStepMs?: number;
  /** "Today" for sample dates and the no-future-dates check. */
  today?: string;
}

interface Stored {
  person: Person & { id: number };
  events: ProcedureEvent[];
  initials: string;
}

/** A roster row that repeats a registered member (see `rosterCopies`). */
interface RosterCopy {
  row: number;
  person: Person;
  events: ProcedureEvent[];
}

export const DEMO_PASSPHRASE = 'dangan-demo';
const DEFAULT_COMMITTEE = '计算机学院党委';
const WORKSPACE_PATH = '~/.local/share/dangan/workspace.db';
/** The people a restored mock workspace holds: "a few", so a restore is quick to check by eye. */
const RESTORED_SIZE = 12;
const DEFAULT_BACKUP_KEEP = 7;
/** The size of the mock's backup file, and what a step of it "writes": eight steps, the last one short. */
const BACKUP_BYTES = 123456;
const BACKUP_STEP_BYTES = 16384;

const STAGE_OF_EVENT: Partial<Record<ProcedureEvent['kind'], Stage>> = {
  activist_determined: 'activist',
  candidate_determined: 'candidate',
  admitted: 'probationary',
  conversion_approved: 'full_member',
};
const STAGE_RANK: Record<Stage, number> = { applicant: 0, activist: 1, candidate: 2, probationary: 3, full_member: 4 };

/** The stage a history has reached: the latest stage-setting event. */
export function stageOf(events: ProcedureEvent[]): Stage {
  let stage: Stage = 'applicant';
  for (const e of events) {
    const s = STAGE_OF_EVENT[e.kind];
    if (s && STAGE_RANK[s] > STAGE_RANK[stage]) stage = s;
  }
  return stage;
}

function sortEvents(events: ProcedureEvent[]): ProcedureEvent[] {
  return [...events].sort((a, b) => a.date.localeCompare(b.date) || eventOrder(a.kind) - eventOrder(b.kind));
}

const RULES = '《中国共产党发展党员工作细则》';

/** The mock's rules of the procedure, checked on a whole history after a change. */
export function checkRules(events: ProcedureEvent[]): Violation[] {
  const first = (kind: ProcedureEvent['kind']) =>
    events.filter((e) => e.kind === kind).map((e) => e.date).sort()[0];
  const out: Violation[] = [];
  const once = new Set<ProcedureEvent['kind']>();
  for (const e of events) {
    if (REPEATABLE_EVENT_KINDS.has(e.kind)) continue;
    if (once.has(e.kind)) {
      out.push({
        rule: 'event_once',
        field: e.kind,
        clause: '',
        message_zh: '这一步骤已经登记过；除培养教育考察和思想汇报外，每个步骤只登记一次',
        message_en: 'This step is already recorded; apart from activist reviews and thought reports, each step is recorded once',
      });
      break;
    }
    once.add(e.kind);
  }
  const applied = first('application_received');
  const talk = first('applicant_talk');
  const activist = first('activist_determined');
  const candidate = first('candidate_determined');
  const admitted = first('admitted');
  const conversion = first('conversion_meeting');
  if (applied && talk && talk < applied) {
    out.push({
      rule: 'talk_after_application',
      field: 'date',
      clause: `${RULES}第七条`,
      message_zh: `谈话不得早于申请入党日期（${RULES}第七条）`,
      message_en: 'The talk cannot come before the application (Detailed Rules on Admitting Party Members, art. 7)',
    });
  }
  if (applied && activist && activist < applied) {
    out.push({
      rule: 'activist_after_application',
      field: 'date',
      clause: `${RULES}第八条`,
      message_zh: `确定入党积极分子不得早于申请入党日期（${RULES}第八条）`,
      message_en: 'An activist is chosen from among applicants, so not before the application (Detailed Rules, art. 8)',
    });
  }
  if (activist && candidate && candidate < addToDate(activist, 12)) {
    out.push({
      rule: 'candidate_after_one_year',
      field: 'date',
      clause: `${RULES}第十三条`,
      message_zh: `确定为发展对象须经一年以上培养教育和考察（${RULES}第十三条）`,
      message_en: 'A candidate needs more than a year as an activist (Detailed Rules, art. 13)',
    });
  }
  if (admitted && conversion && conversion < addToDate(admitted, 12)) {
    out.push({
      rule: 'probation_one_year',
      field: 'date',
      clause: '《中国共产党章程》第七条',
      message_zh: '预备期为一年，自支部大会通过之日起算，期满后方可讨论转正（《中国共产党章程》第七条）',
      message_en: 'The probation lasts one year from the branch meeting before conversion (Party Constitution, art. 7)',
    });
  }
  return out;
}

function invalid(field: string, reason_zh: string, reason_en: string) {
  return appError('invalid_input', `invalid ${field}`, { field, reason_zh, reason_en });
}

export class MockBackend implements Backend {
  private exists: boolean;
  private unlocked: boolean;
  private readonly accounts: MockAccounts;
  private units: OrgUnit[] = [];
  private nextUnitId = 1;
  private people = new Map<number, Stored>();
  private nextPersonId = 1;
  private nextEventId = 1;
  private openMemberHandlers = new Set<(memberId: number) => void>();
  private fileDropHandlers = new Set<{ drop: (paths: string[]) => void; hover?: ((over: boolean) => void) | undefined }>();
  private files = new MockFileStore();
  private picks = 0;
  private cancelRequested = false;
  private exportCancelRequested = false;
  private backupCancelRequested = false;
  private dossiersCancelRequested = false;
  /** The paths `openPath` handed to the "system viewer", for tests. */
  readonly opened: string[] = [];
  /** The files the recovery sheet and the audit export "wrote", for tests. */
  readonly written: string[] = [];
  /** What the worker set aside, by `member|rule|due`: `null` acknowledged, a date snoozed until that day. */
  private dismissals = new Map<string, string | null>();
  private backup: BackupSettings = { dir: null, keep: DEFAULT_BACKUP_KEEP, last: null };
  private readonly opts: Required<MockOptions>;

  constructor(options: MockOptions = {}) {
    this.opts = {
      state: options.state ?? 'missing',
      passphrase: options.passphrase ?? DEMO_PASSPHRASE,
      role: options.role ?? 'administrator',
      size: options.size ?? 360,
      seed: options.seed ?? 20261124,
      latencyMs: options.latencyMs ?? 0,
      importStepMs: options.importStepMs ?? 40,
      dossierStepMs: options.dossierStepMs ?? 8,
      backupStepMs: options.backupStepMs ?? 60,
      today: options.today ?? todayIso(),
    };
    this.exists = this.opts.state !== 'missing';
    this.unlocked = this.opts.state === 'unlocked';
    this.accounts = new MockAccounts(() => this.opts.today, () => this.now(), rng(this.opts.seed + 1));
    if (this.exists) this.populate(DEFAULT_COMMITTEE, this.opts.passphrase);
    if (this.unlocked) {
      const user = demoUsers(this.opts.passphrase).find((u) => u.role === this.opts.role)!;
      this.accounts.signIn(user.passphrase, user.name);
    }
  }

  // ---- workspace ----------------------------------------------------------------------------------------------

  /** The mock's messages are its own; the language is only remembered. */
  language: Lang = 'zh-CN';
  async setLanguage(lang: Lang): Promise<void> {
    this.language = lang;
  }

  async workspaceStatus(): Promise<WorkspaceStatus> {
    await this.delay();
    return { exists: this.exists, unlocked: this.unlocked, path: WORKSPACE_PATH, today: this.opts.today };
  }

  /** As the core: its first user an administrator, signed in; resolves to the recovery code, shown once. */
  async createWorkspace(passphrase: string, committeeName: string, userName: string): Promise<string> {
    await this.delay();
    if (this.exists) throw appError('workspace_exists', `a workspace exists at ${WORKSPACE_PATH}`);
    if ([...passphrase].length < 8) throw invalid('passphrase', '口令至少需要 8 个字符', 'the passphrase needs at least 8 characters');
    if (!committeeName.trim()) throw invalid('committee', '党委名称不能为空', 'the committee name is empty');
    if (!userName.trim()) throw invalid('user', '用户名不能为空', 'the user name is empty');
    this.exists = true;
    this.unlocked = true;
    this.units = [{ id: 1, parent_id: null, kind: 'committee', name: committeeName.trim() }];
    this.nextUnitId = 2;
    this.people.clear();
    this.files = new MockFileStore();
    const code = this.accounts.create(userName.trim(), passphrase);
    this.audit.inserted('org_units', 1, null, { ...this.units[0]! });
    return code;
  }

  /** As `userName`, or whoever the passphrase belongs to (`null`); see `DEMO_USERS` for a sample workspace's. */
  async unlock(passphrase: string, userName: string | null): Promise<void> {
    await this.delay();
    if (!this.exists) throw appError('workspace_missing', 'no workspace');
    this.accounts.signIn(passphrase, userName);
    this.unlocked = true;
    // The day's automatic backup, as the shell makes it after the first unlock of a day.
    if (this.backup.dir !== null && this.backup.last !== this.opts.today) this.backup.last = this.opts.today;
  }

  /** A sample workspace's code is `DEMO_RECOVERY_CODE`; a created one's is what `createWorkspace` resolved to. */
  async unlockWithRecovery(code: string): Promise<void> {
    await this.delay();
    if (!this.exists) throw appError('workspace_missing', 'no workspace');
    this.accounts.signInRecovery(code);
    this.unlocked = true;
  }

  async lock(): Promise<void> {
    await this.delay();
    this.unlocked = false;
    this.accounts.signOut();
  }

  async sessionUser(): Promise<SessionUser> {
    await this.ready();
    return this.accounts.current();
  }

  // ---- users and the recovery key -----------------------------------------------------------------------------

  async listUsers(): Promise<User[]> {
    await this.ready();
    return this.accounts.list();
  }

  async addUser(name: string, role: Role, branches: number[], passphrase: string): Promise<User> {
    await this.ready();
    return this.accounts.add(name, role, branches, passphrase, this.units);
  }

  async setUserRole(userId: number, role: Role, branches: number[]): Promise<User> {
    await this.ready();
    return this.accounts.setRole(userId, role, branches, this.units);
  }

  async removeUser(userId: number): Promise<void> {
    await this.ready();
    this.accounts.remove(userId);
  }

  async resetPassphrase(userId: number, passphrase: string): Promise<void> {
    await this.ready();
    this.accounts.reset(userId, passphrase);
  }

  async changePassphrase(current: string, next: string): Promise<void> {
    await this.ready();
    this.accounts.change(current, next);
  }

  async newRecoveryCode(): Promise<string> {
    await this.ready();
    return this.accounts.newRecoveryCode();
  }

  /** Pretends to write the sheet; a path containing `readonly` is an `io` error. The code must be one. */
  async writeRecoverySheet(code: string, path: string): Promise<void> {
    await this.ready();
    parseRecoveryCode(code);
    const p = path.trim();
    if (!p) throw invalid('path', '请选择保存位置', 'Choose where to save the sheet');
    if (/readonly/i.test(p)) throw appError('io', `permission denied: ${p}`);
    this.written.push(p);
  }

  // ---- the audit log ------------------------------------------------------------------------------------------

  async auditLog(query: AuditQuery): Promise<AuditPage> {
    await this.ready();
    this.require('read_audit');
    return this.audit.query(query, (id) => this.people.get(id)?.person.name ?? null);
  }

  /** Pretends to write the CSV; resolves to how many entries match. A path containing `readonly` is an `io` error. */
  async exportAudit(query: AuditQuery, path: string): Promise<number> {
    await this.ready();
    this.require('read_audit');
    const p = path.trim();
    if (!p) throw invalid('path', '请选择保存位置', 'Choose where to save the file');
    if (/readonly/i.test(p)) throw appError('io', `permission denied: ${p}`);
    this.written.push(p);
    return this.audit.query({ ...query, offset: 0, limit: 0 }, () => null).total;
  }

  // ---- backup and restore -------------------------------------------------------------------------------------

  /**
   * Pretends to write, `BACKUP_STEP_BYTES` a step; a path containing `readonly` is an `io` error, as a full or locked
   * USB stick would be. A cancel stops between two steps with `cancelled`, having written nothing.
   */
  async backupNow(path: string, onProgress: (p: BackupProgress) => void): Promise<BackupWritten> {
    this.backupCancelRequested = false;
    await this.ready();
    this.require('backup');
    const p = path.trim();
    if (!p) throw invalid('path', '请选择备份文件的保存位置', 'Choose where to save the backup');
    if (/readonly/i.test(p)) throw appError('io', `permission denied: ${p}`);
    const total = BACKUP_BYTES;
    for (let done = 0; done < total; done = Math.min(total, done + BACKUP_STEP_BYTES)) {
      onProgress({ done_bytes: done, total_bytes: total });
      await sleep(this.opts.backupStepMs);
      if (this.backupCancelRequested) throw appError('cancelled', 'backup cancelled');
    }
    onProgress({ done_bytes: total, total_bytes: total });
    return { path: p, bytes: total };
  }

  async cancelBackup(): Promise<void> {
    this.backupCancelRequested = true;
  }

  async backupSettings(): Promise<BackupSettings> {
    await this.ready();
    return { ...this.backup };
  }

  /** As the shell: keep is 1–60; a folder makes the first backup at once (a `readonly` folder is an `io` error). */
  async setBackupSettings(dir: string | null, keep: number): Promise<BackupSettings> {
    await this.ready();
    this.require('backup');
    if (!Number.isInteger(keep) || keep < 1 || keep > 60)
      throw invalid('keep', '保留份数应为 1 至 60 之间的整数', 'Keep between 1 and 60 backups');
    const folder = dir === null ? null : dir.trim();
    if (folder === '') throw invalid('dir', '请选择自动备份的文件夹', 'Choose a folder for the automatic backups');
    if (folder !== null && /readonly/i.test(folder)) throw appError('io', `permission denied: ${folder}`);
    const before = { backup_dir: this.backup.dir, backup_keep: this.backup.keep };
    this.backup = { dir: folder, keep, last: folder === null ? this.backup.last : this.opts.today };
    for (const [key, value] of Object.entries({ backup_dir: folder, backup_keep: keep })) {
      this.audit.updated('meta', key, null, { value: before[key as keyof typeof before] }, { value });
    }
    return { ...this.backup };
  }

  /**
   * Into a mock with no workspace only. A path containing `cut` is a truncated file (`corrupt`), one containing
   * `missing` is not there (`io`), and the passphrase `wrong` does not open it; each restores nothing. Otherwise the
   * mock becomes an unlocked workspace with a few people, opened by `passphrase`.
   */
  async restoreBackup(path: string, passphrase: string): Promise<void> {
    await this.delay();
    if (this.exists) throw appError('workspace_exists', `a workspace exists at ${WORKSPACE_PATH}`);
    const p = path.trim();
    if (!p) throw invalid('path', '请选择备份文件', 'Choose the backup file');
    if (/missing/i.test(p)) throw appError('io', `no such file: ${p}`);
    if (/cut/i.test(p)) throw appError('corrupt', `备份文件不完整：文件在第 81920 字节处中断（${p}）`);
    if (passphrase === 'wrong') throw appError('wrong_passphrase', 'the passphrase does not open the backup');
    this.exists = true;
    this.unlocked = true;
    this.backup = { dir: null, keep: DEFAULT_BACKUP_KEEP, last: null };
    this.dismissals.clear();
    this.populate(DEFAULT_COMMITTEE, passphrase, RESTORED_SIZE);
    this.accounts.signIn(passphrase, null);
  }

  // ---- members ------------------------------------------------------------------------------------------------

  /** A branch secretary's list holds their branches' members only, as the core's. */
  async listMembers(q: MemberQuery): Promise<MemberPage> {
    await this.ready();
    this.require('read_members');
    const visible = this.visibleUnits();
    const units = q.branch_id === null ? null : this.descendants(q.branch_id);
    const needle = q.search?.trim().toLowerCase() ?? '';
    const matches: MemberSummary[] = [];
    for (const s of this.people.values()) {
      if (units && !units.has(s.person.branch_id)) continue;
      if (visible && !visible.has(s.person.branch_id)) continue;
      const stage = stageOf(s.events);
      if (q.stage && stage !== q.stage) continue;
      if (needle && !this.matches(s, needle)) continue;
      matches.push(this.summary(s, stage));
    }
    const limit = Math.max(0, q.limit);
    const offset = Math.max(0, q.offset);
    return { total: matches.length, offset, items: matches.slice(offset, offset + limit) };
  }

  async getMember(id: number): Promise<MemberDetail> {
    await this.ready();
    this.requireMember('read_members', id);
    return this.detail(this.stored(id));
  }

  async savePerson(p: Person): Promise<MemberDetail> {
    await this.ready();
    if (p.id !== null) this.requireMember('edit_members', p.id);
    this.requireBranch('edit_members', p.branch_id);
    const name = p.name.trim();
    if (!name) throw invalid('name', '请填写姓名', 'Enter the name');
    const unit = this.units.find((u) => u.id === p.branch_id);
    if (!unit || unit.kind !== 'branch') throw invalid('branch_id', '请选择一个党支部', 'Choose a party branch');
    if (p.id_number && !/^\d{17}[\dXx]$/.test(p.id_number))
      throw invalid('id_number', '身份证号应为 18 位，末位可为 X', 'An ID card number has 18 characters; the last may be X');
    if (p.birth_date && !parseIsoDate(p.birth_date))
      throw invalid('birth_date', '日期格式应为“年-月-日”，例如 2000-09-01', 'Write the date as year-month-day, e.g. 2000-09-01');
    if (p.phone && !/^1\d{10}$/.test(p.phone))
      throw invalid('phone', '手机号应为以 1 开头的 11 位数字', 'A mobile number has 11 digits starting with 1');
    if (p.student_no) {
      for (const s of this.people.values()) {
        if (s.person.id !== p.id && s.person.student_no === p.student_no)
          throw invalid('student_no', `学号/工号已被 ${s.person.name} 使用`, `This number is already used by ${s.person.name}`);
      }
    }
    if (p.id === null) {
      const id = this.nextPersonId++;
      const stored: Stored = { person: { ...p, id, name }, events: [], initials: pinyinInitials(name) };
      this.people.set(id, stored);
      this.audit.inserted('people', id, id, { ...stored.person });
      return this.detail(stored);
    }
    const stored = this.stored(p.id);
    const before = stored.person;
    stored.person = { ...p, id: p.id, name };
    stored.initials = pinyinInitials(name);
    this.audit.updated('people', p.id, p.id, { ...before }, { ...stored.person });
    return this.detail(stored);
  }

  async saveEvent(personId: number, e: ProcedureEvent): Promise<MemberDetail> {
    await this.ready();
    this.requireMember('edit_members', personId);
    const stored = this.stored(personId);
    if (!parseIsoDate(e.date))
      throw invalid('date', '日期格式应为“年-月-日”，例如 2026-11-24', 'Write the date as year-month-day, e.g. 2026-11-24');
    if (e.date > this.opts.today) throw invalid('date', '日期不能晚于今天', 'The date cannot be in the future');
    if (e.kind === 'probation_extended' && (e.months === null || e.months < 1 || e.months > 12))
      throw invalid('months', '延长预备期最长不超过一年：请填写 1 至 12 个月', 'A probation is extended by at most a year: 1 to 12 months');
    if (e.kind === 'approval_extended' && (e.months === null || e.months < 1 || e.months > 3))
      throw invalid('months', '延长审批期限为 1 至 3 个月', 'An approval is extended by 1 to 3 months');
    const clean: ProcedureEvent = {
      ...e,
      months: MONTHS_RANGE[e.kind] ? e.months : null,
      note: e.note?.trim() ? e.note.trim() : null,
    };
    let next: ProcedureEvent[];
    const before = clean.id === null ? undefined : stored.events.find((x) => x.id === clean.id);
    const saved = { ...clean, id: clean.id ?? this.nextEventId };
    if (clean.id === null) {
      next = [...stored.events, saved];
    } else {
      if (!before) throw appError('not_found', `event ${clean.id}`);
      next = stored.events.map((x) => (x.id === clean.id ? saved : x));
    }
    const violations = checkRules(next);
    if (violations.length) throw appError('violations', violations.map((v) => v.rule).join(', '), violations);
    if (clean.id === null) this.nextEventId++;
    stored.events = sortEvents(next);
    if (before) this.audit.updated('events', saved.id, personId, eventRow(personId, before), eventRow(personId, saved));
    else this.audit.inserted('events', saved.id, personId, eventRow(personId, saved));
    return this.detail(stored);
  }

  async deleteEvent(personId: number, eventId: number): Promise<MemberDetail> {
    await this.ready();
    this.requireMember('edit_members', personId);
    const stored = this.stored(personId);
    const gone = stored.events.find((e) => e.id === eventId);
    if (!gone) throw appError('not_found', `event ${eventId}`);
    stored.events = stored.events.filter((e) => e.id !== eventId);
    for (const recordId of this.files.untie(eventId))
      this.audit.updated('records', recordId, personId, { event_id: eventId }, { event_id: null });
    this.audit.deleted('events', eventId, personId, eventRow(personId, gone));
    return this.detail(stored);
  }

  // ---- members' files -----------------------------------------------------------------------------------------

  async memberFile(memberId: number): Promise<MemberFile> {
    await this.ready();
    this.requireMember('read_members', memberId);
    const s = this.stored(memberId);
    const records = this.files.recordsOf(memberId);
    return { records, checklist: checklist(s.events, records) };
  }

  /** As the core; see `readAttachment` for the paths that make a bad file. */
  async saveRecord(record: FileRecord, attach: string[]): Promise<FileRecord> {
    await this.ready();
    this.requireMember('edit_members', record.person_id);
    const s = this.stored(record.person_id);
    const before = record.id === null ? undefined : this.files.record(record.id);
    const saved = this.files.save(record, attach, s.events, this.opts.today);
    const member = saved.person_id;
    if (before) this.audit.updated('records', saved.id!, member, recordRow(before), recordRow(saved));
    else this.audit.inserted('records', saved.id!, member, recordRow(saved));
    for (const a of saved.attachments.filter((x) => !before?.attachments.some((y) => y.id === x.id)))
      this.audit.inserted('attachments', a.id, member, { ...a, record_id: saved.id });
    return saved;
  }

  async deleteRecord(recordId: number): Promise<void> {
    await this.ready();
    this.require('edit_members');
    const record = this.files.record(recordId);
    if (!record) throw appError('not_found', `材料 ${recordId} / record ${recordId}`);
    this.requireMember('edit_members', record.person_id);
    this.files.delete(recordId);
    for (const a of record.attachments) this.audit.deleted('attachments', a.id, record.person_id, { ...a, record_id: recordId });
    this.audit.deleted('records', recordId, record.person_id, recordRow(record));
  }

  async attachmentBytes(attachmentId: number): Promise<ArrayBuffer> {
    await this.ready();
    this.requireAttachment('read_members', attachmentId);
    return this.files.attachment(attachmentId).bytes.slice().buffer;
  }

  async deleteAttachment(attachmentId: number): Promise<void> {
    await this.ready();
    const owner = this.requireAttachment('edit_members', attachmentId);
    const info = this.files.attachment(attachmentId).info;
    this.files.deleteAttachment(attachmentId);
    this.audit.deleted('attachments', attachmentId, owner?.person_id ?? null, { ...info, record_id: owner?.id ?? null });
  }

  /** Pretends to write; a path containing `readonly` is an `io` error, as a locked file would be. */
  async saveAttachmentAs(attachmentId: number, path: string): Promise<void> {
    await this.ready();
    this.requireAttachment('read_members', attachmentId);
    this.files.attachment(attachmentId);
    if (/readonly/i.test(path)) throw appError('io', `permission denied: ${path}`);
  }

  /** Dropping files exists only in the real window; here a test (or the console) calls `dropFiles` itself. */
  async onFileDrop(handler: (paths: string[]) => void, onHover?: (over: boolean) => void): Promise<() => void> {
    const entry = { drop: handler, hover: onHover };
    this.fileDropHandlers.add(entry);
    return () => this.fileDropHandlers.delete(entry);
  }

  /** What the shell reports while files are dragged over the window (`true`) and when they leave it (`false`). */
  hoverFiles(over: boolean): void {
    for (const h of this.fileDropHandlers) h.hover?.(over);
  }

  /** What the shell reports when files are dropped on the window. */
  dropFiles(paths: string[]): void {
    for (const h of [...this.fileDropHandlers]) {
      h.hover?.(false);
      h.drop([...paths]);
    }
  }

  // ---- deadlines ----------------------------------------------------------------------------------------------

  async deadlines(q: DeadlineQuery): Promise<DeadlineItem[]> {
    await this.ready();
    this.require('read_members');
    return this.collect(q);
  }

  /** As the core: totals and branches leave out what the worker set aside; urgent is overdue then due soon. */
  async dashboard(asOf: string | null, branchId: number | null): Promise<Dashboard> {
    await this.ready();
    this.require('read_members');
    const day = asOf ?? this.opts.today;
    const items = this.collect({ ...NO_FILTER, as_of: day, branch_id: branchId, include_dismissed: true });
    const totals = emptyCounts();
    const perBranch = new Map<number, StatusCounts>();
    const urgent: DeadlineItem[] = [];
    let dismissed = 0;
    for (const item of items) {
      if (isDismissed(item, day)) {
        dismissed++;
        continue;
      }
      totals[item.status]++;
      let counts = perBranch.get(item.branch_id);
      if (!counts) perBranch.set(item.branch_id, (counts = emptyCounts()));
      counts[item.status]++;
      if (item.status === 'overdue' || item.status === 'due_soon') urgent.push(item);
    }
    urgent.sort((a, b) => statusOrder(a.status) - statusOrder(b.status) || a.due.localeCompare(b.due));
    const branches: BranchCounts[] = this.treeOrder()
      .filter((u) => perBranch.has(u.id))
      .map((u) => ({ branch_id: u.id, branch: this.branchPath(u.id, false), counts: perBranch.get(u.id)! }));
    return { as_of: day, totals, branches, urgent: urgent.slice(0, URGENT_SHOWN), urgent_total: urgent.length, dismissed };
  }

  async dismissDeadline(memberId: number, rule: string, due: string, until: string | null): Promise<void> {
    await this.ready();
    this.requireMember('edit_members', memberId);
    if (until !== null && (!parseIsoDate(until) || until <= this.opts.today))
      throw invalid('until', '稍后提醒的日期须晚于今天', 'a snooze must last until a day after today');
    const pending = this.collect({ ...NO_FILTER, member_id: memberId, include_dismissed: true });
    if (!pending.some((i) => i.rule === rule && i.due === due))
      throw appError('not_found', `member ${memberId}'s pending item ${rule} due ${due}`);
    const key = dismissalKey(memberId, rule, due);
    const row = { person_id: memberId, rule, due, until };
    if (this.dismissals.has(key))
      this.audit.updated('dismissals', `${rule} ${due}`, memberId, { ...row, until: this.dismissals.get(key) }, row);
    else this.audit.inserted('dismissals', `${rule} ${due}`, memberId, row);
    this.dismissals.set(key, until);
  }

  async restoreDeadline(memberId: number, rule: string, due: string): Promise<void> {
    await this.ready();
    this.requireMember('edit_members', memberId);
    const key = dismissalKey(memberId, rule, due);
    if (this.dismissals.has(key))
      this.audit.deleted('dismissals', `${rule} ${due}`, memberId, { person_id: memberId, rule, due, until: this.dismissals.get(key) });
    this.dismissals.delete(key);
  }

  async listOrgUnits(): Promise<OrgUnit[]> {
    await this.ready();
    return this.units.map((u) => ({ ...u }));
  }

  /** The core's checks: the level, a non-empty name of at most 64 characters, unique among its siblings. */
  async addOrgUnit(parentId: number, kind: OrgKind, name: string): Promise<OrgUnit> {
    await this.ready();
    this.require('edit_organisation');
    const trimmed = name.trim();
    if (!trimmed) throw invalid('name', '组织名称不能为空', 'the unit name is empty');
    const parent = this.units.find((u) => u.id === parentId);
    if (!parent) throw appError('not_found', `上级组织 / the parent unit ${parentId}`);
    const allowed =
      (parent.kind === 'committee' && (kind === 'general_branch' || kind === 'branch')) ||
      (parent.kind === 'general_branch' && kind === 'branch');
    if (!allowed)
      throw invalid(
        'kind',
        '党总支只能设在党委下，党支部设在党委或党总支下',
        'general branches sit under the committee; branches under the committee or a general branch',
      );
    if (this.units.some((u) => u.parent_id === parentId && u.name === trimmed))
      throw invalid('name', `「${trimmed}」已存在`, `“${trimmed}” already exists`);
    if ([...trimmed].length > 64)
      throw invalid('name', `组织名称「${trimmed}」超过 64 个字`, `the unit name “${trimmed}” is longer than 64 characters`);
    const unit: OrgUnit = { id: this.nextUnitId++, parent_id: parentId, kind, name: trimmed };
    this.units.push(unit);
    this.audit.inserted('org_units', unit.id, null, { ...unit });
    return { ...unit };
  }

  // ---- import and export --------------------------------------------------------------------------------------

  /**
   * A pretend roster: its size comes from the file name, and a name containing `bad` or `问题` gives a roster with
   * problems. A name containing `dup` or `重复` gives a roster whose first new rows repeat registered members without
   * their student numbers (likely duplicates, see `rosterCopies`), one containing `wait` or `等待` first waits for
   * another writer. Other extensions than .xlsx/.csv are an `io` error, a name containing `missing` is a missing file.
   */
  async importRoster(
    path: string,
    dryRun: boolean,
    duplicates: Duplicates,
    onProgress: (p: ImportProgress) => void,
  ): Promise<ImportReport> {
    // Cleared before the first await, so a cancel sent right after the start is not lost.
    this.cancelRequested = false;
    await this.ready();
    this.require('edit_members');
    const p = path.trim();
    if (!/\.(xlsx|csv)$/i.test(p)) throw appError('io', `unsupported file type: ${p}`);
    if (/missing/i.test(p)) throw appError('io', `no such file: ${p}`);
    let hash = 0;
    for (const c of p) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    const total = 120 + (hash % 200);
    const problems: RowProblem[] = [];
    if (/bad|问题/i.test(p)) {
      problems.push(
        { row: 7, column: '身份证号', reason_zh: '身份证号应为 18 位', reason_en: 'An ID card number has 18 characters' },
        { row: 15, column: '申请入党日期', reason_zh: '无法识别的日期“2023.13.01”', reason_en: 'Unrecognised date “2023.13.01”' },
        { row: 15, column: '所在支部', reason_zh: '支部名称为空', reason_en: 'The branch is empty' },
        { row: 42, column: '谈话日期', reason_zh: `谈话不得早于申请入党日期（${RULES}第七条）`, reason_en: 'The talk cannot come before the application (art. 7)' },
        { row: 88, column: '学号', reason_zh: '与第 12 行学号重复', reason_en: 'Same student number as row 12' },
      );
    }
    const problemRows = new Set(problems.map((x) => x.row));
    const updatedRows = [3, 9, 27].filter((r) => r <= total);
    if (/wait|等待/i.test(p)) {
      // As the core while another import holds the workspace: progress says so, and a cancel still stops it.
      for (let i = 0; i < 3; i++) {
        onProgress({ done: 0, total, waiting: true });
        await sleep(this.opts.importStepMs);
        if (this.cancelRequested) throw appError('cancelled', 'import cancelled');
      }
    }
    const copies = /dup|重复/i.test(p) ? this.rosterCopies(updatedRows, problemRows) : [];
    const likely = copies.flatMap((c) => this.lookalike(c) ?? []);
    const skipped = duplicates === 'skip' ? likely.map((d) => d.row) : [];
    for (let done = 0; done < total; done = Math.min(total, done + 25)) {
      onProgress({ done, total, waiting: false });
      await sleep(this.opts.importStepMs);
      if (this.cancelRequested) throw appError('cancelled', 'import cancelled');
    }
    onProgress({ done: total, total, waiting: false });
    const report: ImportReport = {
      rows: total,
      created: total - updatedRows.length - problemRows.size - skipped.length,
      updated: updatedRows.length,
      updated_rows: updatedRows,
      branches_created: /new|新/.test(p) ? ['研究生第二党支部'] : [],
      ignored_columns: [],
      problems,
      likely_duplicates: likely,
      // Which steps came late is the core's to say (dangan-core's `late`); the mock flags none.
      late: [],
      skipped_rows: skipped,
      committed: false,
    };
    if (dryRun) return report;
    if (problems.length) throw appError('import_rejected', `${problems.length} problems`, report);
    if (duplicates === 'ask' && likely.length) throw appError('likely_duplicates', `${likely.length} likely duplicates`, report);
    const r = rng(hash);
    if (!this.units.some((u) => u.kind === 'branch')) {
      // A first roster into an empty workspace creates its branches, as the real import does.
      const committee = this.units.find((u) => u.parent_id === null)!;
      const unit: OrgUnit = { id: this.nextUnitId++, parent_id: committee.id, kind: 'branch', name: '第一党支部' };
      this.units.push(unit);
      this.audit.inserted('org_units', unit.id, null, { ...unit });
      report.branches_created.push('第一党支部');
    }
    const added = copies.filter((c) => !skipped.includes(c.row));
    for (const c of added) this.logInserted(this.addCopy(c));
    const branches = this.units.filter((u) => u.kind === 'branch');
    for (let i = 0; i < report.created - added.length; i++) {
      const b = Math.floor(r() * branches.length);
      this.logInserted(this.addSample(r, branches[b]!.id, b));
    }
    return { ...report, committed: true };
  }

  async cancelImport(): Promise<void> {
    this.cancelRequested = true;
  }

  /** Pretends to write, 50 rows a step; a path containing `readonly` is an `io` error, as a locked file would be. */
  async exportMembers(q: MemberQuery, path: string, onProgress: (p: ExportProgress) => void): Promise<number> {
    this.exportCancelRequested = false;
    await this.ready();
    this.require('read_members');
    if (!/\.xlsx$/i.test(path.trim())) throw appError('io', `not an .xlsx path: ${path}`);
    if (/readonly/i.test(path)) throw appError('io', `permission denied: ${path}`);
    const total = (await this.listMembers({ ...q, offset: 0, limit: 0 })).total;
    for (let written = 0; written < total; written = Math.min(total, written + 50)) {
      onProgress({ written, total });
      await sleep(this.opts.importStepMs);
      if (this.exportCancelRequested) throw appError('cancelled', 'export cancelled');
    }
    onProgress({ written: total, total });
    return total;
  }

  async cancelExport(): Promise<void> {
    this.exportCancelRequested = true;
  }

  // ---- dossiers -----------------------------------------------------------------------------------------------

  /**
   * Pretends to render: a cover and a page per material. A path containing `readonly` is an `io` error; a name
   * with a character the fonts lack (see `missingChars`) reports it.
   */
  async writeDossier(memberId: number, path: string): Promise<DossierWritten> {
    await this.ready();
    this.requireMember('read_members', memberId);
    const s = this.stored(memberId);
    if (/readonly/i.test(path)) throw appError('io', `permission denied: ${path}`);
    await sleep(this.opts.dossierStepMs * 25);
    return { path, pages: 2 + this.files.recordsOf(memberId).length, missing_chars: missingChars(s.person.name) };
  }

  /** One file per member matching `q`, a step each; cancel stops between two files, leaving those written. */
  async writeDossiers(q: MemberQuery, dir: string, onProgress: (p: DossierProgress) => void): Promise<DossiersWritten> {
    this.dossiersCancelRequested = false;
    await this.ready();
    if (!dir.trim()) throw invalid('dir', '请选择保存档案的文件夹', 'Choose a folder for the dossiers');
    if (/readonly/i.test(dir)) throw appError('io', `permission denied: ${dir}`);
    const members = (await this.listMembers({ ...q, offset: 0, limit: Number.MAX_SAFE_INTEGER })).items;
    const total = members.length;
    const missing = new Set<string>();
    onProgress({ done: 0, total });
    for (let done = 0; done < total; ) {
      await sleep(this.opts.dossierStepMs);
      if (this.dossiersCancelRequested) throw appError('cancelled', `dossiers cancelled after ${done} of ${total}`);
      for (const c of missingChars(members[done]!.name)) missing.add(c);
      done++;
      onProgress({ done, total });
    }
    return { dir: dir.trim(), written: total, missing_chars: [...missing] };
  }

  async cancelDossiers(): Promise<void> {
    this.dossiersCancelRequested = true;
  }

  async pickFolder(): Promise<string | null> {
    await this.delay();
    return '/home/user/文档/发展党员档案';
  }

  /** There is no system viewer here: the path is only recorded in `opened`. */
  async openPath(path: string): Promise<void> {
    await this.delay();
    if (!path.trim()) throw appError('not_found', 'no path to open');
    this.opened.push(path);
  }

  /** A roster when asked for a spreadsheet; otherwise a new scan of the first filter's first type each time. */
  async pickOpenFile(filters: FileFilter[]): Promise<string | null> {
    await this.delay();
    const ext = filters[0]?.extensions[0] ?? 'xlsx';
    if (ext === 'dangan-backup') return '/media/usb/档案备份/档案备份-2026-11-24.dangan-backup';
    if (ext === 'xlsx' || ext === 'csv') return '/home/user/文档/2026级入党申请人花名册.xlsx';
    return `/home/user/扫描/扫描件${++this.picks}.${ext}`;
  }

  async pickSaveFile(defaultName: string): Promise<string | null> {
    await this.delay();
    return `/home/user/文档/${defaultName}`;
  }

  /** The mock has no reminder clock: nothing is ever checked. */
  async remindersChecked(): Promise<RemindersChecked> {
    return { checks: 0, sent: 0, at: null };
  }
  async onRemindersChecked(_handler: (tally: RemindersChecked) => void): Promise<() => void> {
    return () => {};
  }

  /** Notifications exist only in the real app; here a test may call `openMember` itself. */
  async onOpenMember(handler: (memberId: number) => void): Promise<() => void> {
    this.openMemberHandlers.add(handler);
    return () => this.openMemberHandlers.delete(handler);
  }

  /** What the shell does when a reminder notification is clicked. */
  openMember(memberId: number): void {
    for (const handler of this.openMemberHandlers) handler(memberId);
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  /** The pending items matching `q`, by due day, then name: the core's order. */
  private collect(q: DeadlineQuery): DeadlineItem[] {
    const asOf = q.as_of ?? this.opts.today;
    const units = q.branch_id === null ? null : this.descendants(q.branch_id);
    const horizon = q.within === null ? null : addDays(asOf, q.within);
    const people = q.member_id === null ? [...this.people.values()] : [this.people.get(q.member_id)].filter((s) => s !== undefined);
    const visible = this.visibleUnits();
    const out: DeadlineItem[] = [];
    for (const s of people) {
      if (units && !units.has(s.person.branch_id)) continue;
      if (visible && !visible.has(s.person.branch_id)) continue;
      for (const item of this.itemsOf(s, asOf)) {
        if (horizon !== null && item.due > horizon) continue;
        if ((q.due_from !== null && item.due < q.due_from) || (q.due_to !== null && item.due > q.due_to)) continue;
        const dismissed = isDismissed(item, asOf);
        if (dismissed ? !q.include_dismissed && !q.only_dismissed : q.only_dismissed) continue;
        out.push(item);
      }
    }
    return out.sort(
      (a, b) => a.due.localeCompare(b.due) || a.name.localeCompare(b.name) || a.member_id - b.member_id || a.rule.localeCompare(b.rule),
    );
  }

  private itemsOf(s: Stored, asOf: string): DeadlineItem[] {
    return pendingOf(s.events, asOf).map((p) => {
      const dismissal = this.dismissals.get(dismissalKey(s.person.id, p.rule.id, p.due));
      return {
        member_id: s.person.id,
        name: s.person.name,
        branch_id: s.person.branch_id,
        branch: this.branchPath(s.person.branch_id, false),
        rule: p.rule.id,
        rule_name_zh: p.rule.name_zh,
        rule_name_en: p.rule.name_en,
        kind: p.rule.kind,
        due: p.due,
        status: p.status,
        clause: p.rule.clause,
        clause_en: p.rule.clause_en,
        done_by: p.rule.done_by,
        provisional: p.provisional,
        acknowledged: dismissal === null,
        snoozed_until: dismissal ?? null,
      };
    });
  }

  /** Depth-first, children in the order they were added: the organisation tree as the screens show it. */
  private treeOrder(): OrgUnit[] {
    const out: OrgUnit[] = [];
    const walk = (parent: number | null) => {
      for (const u of this.units.filter((x) => x.parent_id === parent)) {
        out.push(u);
        walk(u.id);
      }
    };
    walk(null);
    return out;
  }

  /**
   * A sample workspace: the organisation, `size` people, the sample users (the administrator's passphrase is
   * `passphrase`) and a short history in the audit log, dated before today.
   */
  private populate(committee: string, passphrase: string, size = this.opts.size): void {
    const start = addDays(this.opts.today, -60);
    this.accounts.seed(demoUsers(passphrase), start, `${start}T01:00:00Z`);
    this.units = [
      { id: 1, parent_id: null, kind: 'committee', name: committee },
      { id: 2, parent_id: 1, kind: 'general_branch', name: '学生党总支' },
      { id: 3, parent_id: 2, kind: 'branch', name: '本科生第一党支部' },
      { id: 4, parent_id: 2, kind: 'branch', name: '本科生第二党支部' },
      { id: 5, parent_id: 1, kind: 'branch', name: '研究生及教工党支部' },
    ];
    this.nextUnitId = 6;
    const branchIds = [3, 4, 5];
    const r = rng(this.opts.seed);
    this.people.clear();
    this.files = new MockFileStore();
    const fixed = ['张三', '李四', '王五'];
    for (let i = 0; i < size; i++) {
      const b = i % branchIds.length;
      this.addSample(r, branchIds[b]!, b, fixed[i]);
    }
    this.seedHistory(start);
  }

  /**
   * What the log of a sample workspace shows: the organisation set up by the administrator, the first members entered
   * by 王老师 (organiser), and two later corrections to 张三 (by 王老师, and by 李书记, her branch's secretary).
   * Only the first few people: a sample of 100,000 would otherwise log 800,000 rows.
   */
  private seedHistory(start: string): void {
    const log = this.audit;
    const at = (days: number, time: string) => `${addDays(start, days)}T${time}Z`;
    log.actor = DEMO_USERS[0]!.name;
    for (const u of this.units) log.inserted('org_units', u.id, null, { ...u }, at(0, '01:05:00'));
    log.actor = DEMO_USERS[1]!.name;
    const first = [...this.people.values()].slice(0, 3);
    first.forEach((s, i) => {
      log.inserted('people', s.person.id, s.person.id, { ...s.person }, at(2 + i, '02:10:00'));
      for (const e of s.events) log.inserted('events', e.id!, s.person.id, eventRow(s.person.id, e), at(2 + i, '02:12:00'));
    });
    const zhang = first[0];
    if (!zhang) return;
    log.updated('people', zhang.person.id, zhang.person.id, { phone: '13800000000' }, { phone: zhang.person.phone }, at(40, '06:30:00'));
    log.actor = DEMO_USERS[2]!.name;
    log.updated('people', zhang.person.id, zhang.person.id, { native_place: '北京' }, { native_place: zhang.person.native_place }, at(55, '00:45:00'));
    log.actor = 'system';
  }

  /** Logs a new person and their steps, as the core's triggers would on an import. */
  private logInserted(s: Stored): void {
    this.audit.inserted('people', s.person.id, s.person.id, { ...s.person });
    for (const e of s.events) this.audit.inserted('events', e.id!, s.person.id, eventRow(s.person.id, e));
  }

  /**
   * The rows of a `dup` roster that repeat registered members, as a roster without numbers would: the first member by
   * name and birth date, the second by name, branch and application date (no birth date). They take the first rows
   * that neither update anyone nor have a problem.
   */
  private rosterCopies(updatedRows: number[], problemRows: Set<number>): RosterCopy[] {
    const members = [...this.people.values()].slice(0, 2);
    const copies: RosterCopy[] = [];
    for (let row = 2; copies.length < members.length; row++) {
      if (updatedRows.includes(row) || problemRows.has(row)) continue;
      const s = members[copies.length]!;
      const person: Person = { ...s.person, id: null, student_no: null, id_number: null };
      if (copies.length === 1) person.birth_date = null;
      copies.push({ row, person, events: s.events.map((e) => ({ ...e, id: null })) });
    }
    return copies;
  }

  /**
   * The registered member a new row looks like, as dangan-core's `Lookalikes::find` decides: the same name and birth
   * date, or the same name, branch and application date, unless both have an identity or a student number and those
   * differ.
   */
  private lookalike(c: RosterCopy): LikelyDuplicate | null {
    const { name } = c.person;
    const applied = applicationDate(c.events);
    for (const s of this.people.values()) {
      const m = s.person;
      if (m.name !== name || differ(m.id_number, c.person.id_number) || differ(m.student_no, c.person.student_no)) continue;
      const sameBirth = m.birth_date !== null && m.birth_date === c.person.birth_date;
      const sameApplication = applied !== null && m.branch_id === c.person.branch_id && applicationDate(s.events) === applied;
      if (!sameBirth && !sameApplication) continue;
      const [zh, en] = sameBirth ? ['姓名和出生日期', 'name and birth date'] : ['姓名、支部和申请日期', 'name, branch and application date'];
      return {
        row: c.row,
        name,
        member_id: m.id,
        same_as_row: null,
        reason_zh: `「${name}」与已登记的党员（编号 ${m.id}）${zh}相同，可能是同一人`,
        reason_en: `“${name}” has the same ${en} as registered member ${m.id}: likely the same person`,
      };
    }
    return null;
  }

  /** Registers a roster row that repeats a member (imported with `add`): a new person with the same history. */
  private addCopy(c: RosterCopy): Stored {
    const id = this.nextPersonId++;
    const events = sortEvents(c.events.map((e) => ({ ...e, id: this.nextEventId++ })));
    const stored: Stored = { person: { ...c.person, id }, events, initials: pinyinInitials(c.person.name) };
    this.people.set(id, stored);
    return stored;
  }

  private addSample(r: () => number, branchId: number, branchIndex: number, fixedName?: string): Stored {
    const id = this.nextPersonId++;
    const s = samplePerson(r, id, branchIndex, this.opts.today, fixedName);
    const person: Person & { id: number } = {
      id,
      branch_id: branchId,
      name: s.name,
      gender: s.gender,
      ethnicity: s.ethnicity,
      birth_date: s.birth_date,
      id_number: null,
      student_no: s.student_no,
      category: s.category,
      department: '计算机学院',
      class_name: s.class_name,
      phone: s.phone,
      native_place: s.native_place,
      notes: null,
    };
    const events = sortEvents(toProcedureEvents(s.events, () => this.nextEventId++));
    const stored: Stored = { person, events, initials: pinyinInitials(s.name) };
    this.people.set(id, stored);
    if (fixedName) this.files.seed(id, events);
    return stored;
  }

  private matches(s: Stored, needle: string): boolean {
    if (s.person.name.toLowerCase().includes(needle)) return true;
    if (/^[a-z]+$/.test(needle) && s.initials.startsWith(needle)) return true;
    return (s.person.student_no ?? '').toLowerCase().includes(needle);
  }

  private descendants(id: number): Set<number> {
    const out = new Set<number>([id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const u of this.units) {
        if (u.parent_id !== null && out.has(u.parent_id) && !out.has(u.id)) {
          out.add(u.id);
          grew = true;
        }
      }
    }
    return out;
  }

  private branchName(id: number): string {
    return this.units.find((u) => u.id === id)?.name ?? '';
  }

  /**
   * The unit's path from the committee, or (`withCommittee` false) from just below it joined by `/` as the core's
   * deadline lists write it.
   */
  private branchPath(id: number, withCommittee = true): string {
    const names: string[] = [];
    let u = this.units.find((x) => x.id === id);
    while (u) {
      if (withCommittee || u.parent_id !== null) names.unshift(u.name);
      const parent = u.parent_id;
      u = parent === null ? undefined : this.units.find((x) => x.id === parent);
    }
    return names.join(withCommittee ? ' / ' : '/');
  }

  private summary(s: Stored, stage: Stage): MemberSummary {
    return {
      id: s.person.id,
      name: s.person.name,
      stage,
      branch: this.branchName(s.person.branch_id),
      branch_id: s.person.branch_id,
      student_no: s.person.student_no,
      gender: s.person.gender,
      ended: s.events.some((e) => e.kind === 'membership_ended'),
    };
  }

  private detail(s: Stored): MemberDetail {
    return {
      person: { ...s.person },
      events: s.events.map((e) => ({ ...e })),
      stage: stageOf(s.events),
      ended: s.events.some((e) => e.kind === 'membership_ended'),
      branch_path: this.branchPath(s.person.branch_id),
      deadlines: this.collect({ ...NO_FILTER, member_id: s.person.id, include_dismissed: true }),
      // As for an import: late steps are the core's rule, never worked out twice here.
      late: [],
    };
  }

  private stored(id: number): Stored {
    const s = this.people.get(id);
    if (!s) throw appError('not_found', `person ${id}`);
    return s;
  }

  private async ready(): Promise<void> {
    await this.delay();
    if (!this.exists) throw appError('workspace_missing', 'no workspace');
    if (!this.unlocked) throw appError('locked', 'the workspace is locked');
  }

  private get audit() {
    return this.accounts.log;
  }

  /** An audit entry's time: today's date (the mock's "today"), the real time of day, in UTC as the core writes it. */
  private now(): string {
    return `${this.opts.today}T${new Date().toISOString().slice(11, 19)}Z`;
  }

  private require(action: Action): void {
    this.accounts.require(action);
  }

  /** The units a branch secretary may see, with everything under them; `null` when not limited. */
  private visibleUnits(): Set<number> | null {
    const assigned = this.accounts.assignedBranches();
    if (assigned === null) return null;
    const out = new Set<number>();
    for (const b of assigned) for (const u of this.descendants(b)) out.add(u);
    return out;
  }

  /** Refuses unless the role allows `action` in `branchId` (the core's `require_branch`). */
  private requireBranch(action: Action, branchId: number): void {
    this.require(action);
    const visible = this.visibleUnits();
    if (visible && !visible.has(branchId)) {
      const path = this.branchPath(branchId);
      throw appError('forbidden', `当前用户无权查看或修改「${path}」的党员`, { branch_id: branchId });
    }
  }

  /** Refuses unless the role allows `action` on this member (a member not found is the caller's to report). */
  private requireMember(action: Action, memberId: number): void {
    this.require(action);
    const s = this.people.get(memberId);
    if (s) this.requireBranch(action, s.person.branch_id);
  }

  /** As `requireMember`, for the member whose file holds the attachment; resolves to its record. */
  private requireAttachment(action: Action, attachmentId: number): FileRecord | undefined {
    this.require(action);
    const owner = this.files.ownerOf(attachmentId);
    if (owner) this.requireMember(action, owner.person_id);
    return owner;
  }

  private delay(): Promise<void> {
    return this.opts.latencyMs > 0 ? sleep(this.opts.latencyMs) : Promise.resolve();
  }
}

const URGENT_SHOWN = 200;

const NO_FILTER: DeadlineQuery = {
  as_of: null,
  within: null,
  branch_id: null,
  member_id: null,
  due_from: null,
  due_to: null,
  include_dismissed: false,
  only_dismissed: false,
};

function emptyCounts(): StatusCounts {
  return { overdue: 0, due_soon: 0, upcoming: 0, not_yet: 0, open: 0 };
}

/** The sample users, the administrator's passphrase `passphrase`. */
function demoUsers(passphrase: string): DemoUser[] {
  return DEMO_USERS.map((u) => ({ ...u, branches: [...u.branches], passphrase: u.passphrase ?? passphrase }));
}

/** An `events` row as the log shows it. */
function eventRow(personId: number, e: ProcedureEvent): Record<string, unknown> {
  return { id: e.id, person_id: personId, kind: e.kind, date: e.date, months: e.months, note: e.note };
}

/** A `records` row as the log shows it: the kind-specific fields as JSON, the attachments apart. */
function recordRow(r: FileRecord): Record<string, unknown> {
  return {
    id: r.id, person_id: r.person_id, kind: r.kind, date: r.date, event_id: r.event_id, title: r.title, body: r.body,
    fields: JSON.stringify(r.fields),
  };
}

/** Both have the number and the numbers differ: two people. */
function differ(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a !== b;
}

function applicationDate(events: ProcedureEvent[]): string | null {
  return events.filter((e) => e.kind === 'application_received').map((e) => e.date).sort()[0] ?? null;
}

function dismissalKey(memberId: number, rule: string, due: string): string {
  return `${memberId}|${rule}|${due}`;
}

/**
 * The characters of `text` the mock pretends its fonts lack, once each, in order: those from U+30000 on (CJK
 * Extension G and beyond, e.g. 𰀀), a stand-in for the real fonts' gaps.
 */
export function missingChars(text: string): string[] {
  return [...new Set([...text].filter((c) => c.codePointAt(0)! >= 0x30000))];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Options from the page's query string, for a browser preview: `?demo=unlocked` (or `locked`) starts with sample
 * data, `&role=auditor` (or `organiser`, `branch_secretary`) signs in as that sample user, `&size=100000` makes a
 * large list, `&latency=80` slows every answer.
 */
export function mockOptionsFromSearch(search: string): MockOptions {
  const params = new URLSearchParams(search);
  const opts: MockOptions = { latencyMs: 15 };
  const demo = params.get('demo');
  if (demo === 'unlocked' || demo === 'locked') opts.state = demo;
  const role = params.get('role');
  if (role === 'administrator' || role === 'organiser' || role === 'branch_secretary' || role === 'auditor') opts.role = role;
  const size = Number(params.get('size'));
  if (Number.isInteger(size) && size > 0 && size <= 200_000) opts.size = size;
  const latency = Number(params.get('latency'));
  if (Number.isFinite(latency) && latency >= 0 && params.has('latency')) opts.latencyMs = latency;
  return opts;
}
