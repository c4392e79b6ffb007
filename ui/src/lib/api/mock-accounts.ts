// Users, the recovery key and the audit log of the mock backend, behaving for the UI as dangan-core's
// `store/users.rs`, `keys/recovery.rs` and `store/audit.rs` do: four roles checked on every call (`forbidden`), the
// last administrator kept, a branch secretary given at least one branch, a recovery code in Crockford's base32 that
// signs in as administrator, and an entry per changed field for every change the mock makes. Passphrases are kept in
// the clear: this is a mock.

import { ALL_ACTIONS, may, type Action } from '../access';
import { appError } from './errors';
import type { AuditEntry, AuditPage, AuditQuery, OrgUnit, Role, SessionUser, User } from './types';

/** Passphrases shorter than this are refused (dangan-core's `MIN_PASSPHRASE_CHARS`). */
export const MIN_PASSPHRASE_CHARS = 8;
const MAX_NAME_CHARS = 32;
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 24;
/** The name the recovery key signs in and is logged as. */
export const RECOVERY_ACTOR = '恢复密钥';

const ACTION_WORDS: Record<Action, [zh: string, en: string]> = {
  read_members: ['查看党员档案', "read members' records"],
  restore: ['从备份恢复工作区', 'restore a workspace from a backup'],
  verify: ['核对整个工作区', 'check the whole workspace'],
  edit_members: ['修改党员档案', "change members' records"],
  edit_organisation: ['修改组织机构', 'change the organisation'],
  edit_calendar: ['修改节假日安排', 'change the holiday calendar'],
  edit_rules: ['修改规则', 'change the rules'],
  backup: ['备份工作区', 'back up the workspace'],
  manage_users: ['管理用户', 'manage users'],
  read_audit: ['查看审计日志', 'read the audit log'],
};

/** The core's refusal, worded as its `Error::Forbidden`. */
export function forbidden(action: Action): ReturnType<typeof appError> {
  return appError('forbidden', `当前用户无权${ACTION_WORDS[action][0]}`);
}

function invalid(field: string, reason_zh: string, reason_en: string) {
  return appError('invalid_input', `invalid ${field}`, { field, reason_zh, reason_en });
}

function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS)
    throw invalid(
      'passphrase',
      `口令至少需要 ${MIN_PASSPHRASE_CHARS} 个字符`,
      `the passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters`,
    );
}

/**
 * Reads a recovery code as a person types it, as the core does: dashes and spaces ignored, either case, O read as 0
 * and I or L as 1. Resolves to the 24 characters, or rejects with `invalid_input` on `recovery_code`.
 */
export function parseRecoveryCode(typed: string): string {
  let code = '';
  for (const raw of typed) {
    if (raw === '-' || /\s/.test(raw)) continue;
    const c = ({ O: '0', I: '1', L: '1' } as Record<string, string>)[raw.toUpperCase()] ?? raw.toUpperCase();
    if (!CODE_ALPHABET.includes(c))
      throw invalid('recovery_code', `恢复密钥中不应有字符「${raw}」`, `a recovery code has no “${raw}”`);
    code += c;
  }
  if (code.length !== CODE_CHARS)
    throw invalid(
      'recovery_code',
      `恢复密钥应为 ${CODE_CHARS} 个字符，这里有 ${code.length} 个`,
      `a recovery code has ${CODE_CHARS} characters; this has ${code.length}`,
    );
  return code;
}

/** `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`, as printed. */
export function groupRecoveryCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

export function generateRecoveryCode(random: () => number): string {
  let code = '';
  for (let i = 0; i < CODE_CHARS; i++) code += CODE_ALPHABET[Math.floor(random() * 32)];
  return groupRecoveryCode(code);
}

// ---- the audit log -------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

/** A column's value as the log's text (SQLite's `CAST(… AS TEXT)`): `null` stays `null`, objects become JSON. */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A stand-in for the core's SHA-256 chain: 64 hex digits that change with every field and the previous hash. */
function chainHash(fields: (string | number | null)[]): string {
  let out = '';
  for (let round = 0; round < 8; round++) {
    let h = (0x811c9dc5 ^ round) >>> 0;
    for (const f of fields) {
      const s = f === null ? '\u0000null' : `\u0001${f}`;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

/** The audit log: append only, newest first when read. */
export class MockAuditLog {
  private entries: AuditEntry[] = [];
  /** Who the next entries are logged as: the signed-in user. */
  actor = 'system';

  /** `clock` gives the time of an entry as the core writes it, `2026-11-24T08:30:00Z`. */
  constructor(private readonly clock: () => string) {}

  clear(): void {
    this.entries = [];
  }

  get size(): number {
    return this.entries.length;
  }

  add(
    entity: string,
    entityId: string | number | null,
    memberId: number | null,
    action: 'insert' | 'update' | 'delete',
    field: string | null,
    old: string | null,
    next: string | null,
    at: string = this.clock(),
  ): void {
    const seq = this.entries.length + 1;
    const prev = this.entries[this.entries.length - 1]?.hash ?? '0'.repeat(64);
    const id = entityId === null ? null : String(entityId);
    const hash = chainHash([prev, seq, at, this.actor, entity, id, memberId, action, field, old, next]);
    this.entries.push({
      seq, at, actor: this.actor, entity, entity_id: id, member_id: memberId, member_name: null, action, field, old, new: next, hash,
    });
  }

  inserted(entity: string, id: string | number, memberId: number | null, row: Row, at?: string): void {
    this.add(entity, id, memberId, 'insert', null, null, JSON.stringify(row), at);
  }

  deleted(entity: string, id: string | number, memberId: number | null, row: Row): void {
    this.add(entity, id, memberId, 'delete', null, JSON.stringify(row), null);
  }

  /** One entry per column whose value changed, as the core's update triggers write them. */
  updated(entity: string, id: string | number, memberId: number | null, before: Row, after: Row, at?: string): void {
    for (const field of Object.keys(after)) {
      const old = asText(before[field]);
      const next = asText(after[field]);
      if (old !== next) this.add(entity, id, memberId, 'update', field, old, next, at);
    }
  }

  /**
   * The core's filter: the member, the exact user name and entity (trimmed; empty means any), and the UTC days from
   * and to, inclusive; newest first, then `offset` and `limit` (0: all). `nameOf` gives a member's name today.
   */
  query(q: AuditQuery, nameOf: (memberId: number) => string | null): AuditPage {
    const actor = q.actor?.trim() || null;
    const entity = q.entity?.trim() || null;
    const matches = this.entries.filter(
      (e) =>
        (q.member_id === null || e.member_id === q.member_id) &&
        (actor === null || e.actor === actor) &&
        (entity === null || e.entity === entity) &&
        (q.from === null || e.at.slice(0, 10) >= q.from) &&
        (q.to === null || e.at.slice(0, 10) <= q.to),
    );
    matches.reverse();
    const offset = Math.max(0, q.offset);
    const page = q.limit > 0 ? matches.slice(offset, offset + q.limit) : matches.slice(offset);
    return {
      total: matches.length,
      entries: page.map((e) => ({ ...e, member_name: e.member_id === null ? null : nameOf(e.member_id) })),
    };
  }
}

// ---- users ---------------------------------------------------------------------------------------------------

interface StoredUser extends User {
  passphrase: string;
}

/** A user of a sample workspace, with the passphrase that opens it. */
export interface DemoUser {
  name: string;
  role: Role;
  branches: number[];
  passphrase: string;
}

/**
 * Who may sign in to the mock's sample workspace, and with what (`null`: the mock's `passphrase`, `dangan-demo` by
 * default). 李书记 sees 本科生第一党支部 only.
 */
export const DEMO_USERS: readonly (Omit<DemoUser, 'passphrase'> & { passphrase: string | null })[] = [
  { name: '管理员', role: 'administrator', branches: [], passphrase: null },
  { name: '王老师', role: 'organiser', branches: [], passphrase: 'organiser-demo' },
  { name: '李书记', role: 'branch_secretary', branches: [3], passphrase: 'secretary-demo' },
  { name: '赵审计', role: 'auditor', branches: [], passphrase: 'auditor-demo' },
];

/** The recovery code of the sample workspace, so that a browser preview can try the recovery flow. */
export const DEMO_RECOVERY_CODE = '7F3K-0V62-CS34-HKPE-R8YW-0GMT';

export class MockAccounts {
  private users: StoredUser[] = [];
  private nextId = 1;
  /** The recovery code, normalised; `null` when the workspace has none. */
  private recovery: string | null = null;
  private session: SessionUser | null = null;
  readonly log: MockAuditLog;

  constructor(
    private readonly today: () => string,
    clock: () => string,
    private readonly random: () => number,
  ) {
    this.log = new MockAuditLog(clock);
  }

  /** A new workspace: its first user an administrator, signed in, and a new recovery code (resolved, grouped). */
  create(name: string, passphrase: string): string {
    this.users = [];
    this.nextId = 1;
    this.log.clear();
    this.log.actor = name;
    const admin = this.insert(name, 'administrator', [], passphrase, this.today());
    this.signInAs(admin);
    const code = generateRecoveryCode(this.random);
    this.recovery = parseRecoveryCode(code);
    return code;
  }

  /** A sample workspace's users, added on `on` (the history's first day), and its known recovery code. */
  seed(users: readonly DemoUser[], on: string, at: string): void {
    this.users = [];
    this.nextId = 1;
    this.log.clear();
    this.log.actor = users[0]?.name ?? 'system';
    for (const u of users) this.insert(u.name, u.role, u.branches, u.passphrase, on, at);
    this.recovery = parseRecoveryCode(DEMO_RECOVERY_CODE);
  }

  /** Signs in as `name`, or as whoever `passphrase` belongs to; `wrong_passphrase` otherwise, naming no one. */
  signIn(passphrase: string, name: string | null): void {
    const wanted = name?.trim() || null;
    const user = this.users.find((u) => (wanted === null || u.name === wanted) && u.passphrase === passphrase);
    if (!user) throw appError('wrong_passphrase', 'the passphrase does not open the key slot');
    this.signInAs(user);
  }

  signInRecovery(typed: string): void {
    const code = parseRecoveryCode(typed);
    if (this.recovery === null) throw appError('not_found', '找不到恢复密钥槽 / a recovery key slot not found');
    if (code !== this.recovery) throw appError('wrong_passphrase', 'the recovery code does not open the workspace');
    this.session = { name: RECOVERY_ACTOR, role: 'administrator', branches: [], recovery: true, may: ['manage_users'] };
    this.log.actor = RECOVERY_ACTOR;
  }

  signOut(): void {
    this.session = null;
  }

  current(): SessionUser {
    if (!this.session) throw appError('locked', 'the workspace is locked');
    return { ...this.session, branches: [...this.session.branches] };
  }

  require(action: Action): void {
    if (!may(this.current().role, action)) throw forbidden(action);
  }

  /** A branch secretary's units (the caller adds what lies under them); `null` for every other role. */
  assignedBranches(): number[] | null {
    const s = this.current();
    return s.role === 'branch_secretary' ? [...s.branches] : null;
  }

  list(): User[] {
    this.require('manage_users');
    return [...this.users].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(publicUser);
  }

  add(name: string, role: Role, branches: number[], passphrase: string, units: readonly OrgUnit[]): User {
    this.require('manage_users');
    checkPassphrase(passphrase);
    const clean = checkName(name);
    const assigned = checkBranches(role, branches, units);
    if (this.users.some((u) => u.name === clean)) throw invalid('name', `用户「${clean}」已存在`, `user “${clean}” already exists`);
    return publicUser(this.insert(clean, role, assigned, passphrase, this.today()));
  }

  setRole(userId: number, role: Role, branches: number[], units: readonly OrgUnit[]): User {
    this.require('manage_users');
    const user = this.find(userId);
    const assigned = checkBranches(role, branches, units);
    if (role !== 'administrator') this.refuseLastAdministrator(user);
    if (user.role !== role) this.log.updated('users', user.name, null, { role: user.role }, { role });
    for (const unit of user.branches.filter((b) => !assigned.includes(b)))
      this.log.deleted('user_branches', `${user.name} ${unit}`, null, { user_id: user.id, unit_id: unit });
    for (const unit of assigned.filter((b) => !user.branches.includes(b)))
      this.log.inserted('user_branches', `${user.name} ${unit}`, null, { user_id: user.id, unit_id: unit });
    user.role = role;
    user.branches = assigned;
    if (this.session && !this.session.recovery && this.session.name === user.name)
      this.session = { ...this.session, role, branches: [...assigned] };
    return publicUser(user);
  }

  remove(userId: number): void {
    this.require('manage_users');
    const user = this.find(userId);
    const s = this.current();
    if (user.name === s.name && !s.recovery)
      throw invalid('user', '不能删除当前登录的用户', 'you cannot remove the user you are signed in as');
    this.refuseLastAdministrator(user);
    for (const unit of user.branches)
      this.log.deleted('user_branches', `${user.name} ${unit}`, null, { user_id: user.id, unit_id: unit });
    this.log.deleted('users', user.name, null, rowOf(user));
    this.users = this.users.filter((u) => u.id !== userId);
  }

  /** A new passphrase for a user who forgot theirs: the key file changes, the database (and so the log) does not. */
  reset(userId: number, passphrase: string): void {
    this.require('manage_users');
    checkPassphrase(passphrase);
    this.find(userId).passphrase = passphrase;
  }

  /** The signed-in user's own passphrase; `current` must open their slot (the recovery key has none). */
  change(current: string, next: string): void {
    checkPassphrase(next);
    const s = this.current();
    const user = s.recovery ? undefined : this.users.find((u) => u.name === s.name);
    if (!user || user.passphrase !== current) throw appError('wrong_passphrase', 'the passphrase does not open the key slot');
    user.passphrase = next;
  }

  newRecoveryCode(): string {
    this.require('manage_users');
    const code = generateRecoveryCode(this.random);
    this.recovery = parseRecoveryCode(code);
    return code;
  }

  private find(userId: number): StoredUser {
    const user = this.users.find((u) => u.id === userId);
    if (!user) throw appError('not_found', `编号为 ${userId} 的用户 / user ${userId}`);
    return user;
  }

  private refuseLastAdministrator(user: StoredUser): void {
    if (user.role === 'administrator' && !this.users.some((u) => u.id !== user.id && u.role === 'administrator'))
      throw invalid(
        'role',
        '这是最后一位管理员，不能删除或降级',
        'this is the last administrator; they cannot be removed or given another role',
      );
  }

  private insert(name: string, role: Role, branches: number[], passphrase: string, on: string, at?: string): StoredUser {
    const user: StoredUser = { id: this.nextId++, name, role, branches: [...branches], created_on: on, passphrase };
    this.users.push(user);
    this.log.inserted('users', name, null, rowOf(user), at);
    for (const unit of user.branches)
      this.log.inserted('user_branches', `${name} ${unit}`, null, { user_id: user.id, unit_id: unit }, at);
    return user;
  }

  private signInAs(user: StoredUser): void {
    this.session = {
      name: user.name,
      role: user.role,
      branches: [...user.branches],
      recovery: false,
      may: ALL_ACTIONS.filter((a) => may(user.role, a)),
    };
    this.log.actor = user.name;
  }
}

function publicUser(u: StoredUser): User {
  return { id: u.id, name: u.name, role: u.role, branches: [...u.branches], created_on: u.created_on };
}

/** The `users` row as the log shows it: never the passphrase (the core's rows hold a slot id, not a secret). */
function rowOf(u: StoredUser): Row {
  return { id: u.id, name: u.name, role: u.role, slot_id: `slot-${u.id}`, created_on: u.created_on };
}

function checkName(name: string): string {
  const clean = name.trim();
  if (!clean) throw invalid('name', '用户名不能为空', 'the user name is empty');
  if ([...clean].length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(clean))
    throw invalid(
      'name',
      `用户名不能超过 ${MAX_NAME_CHARS} 个字符，也不能含控制字符`,
      `a user name has at most ${MAX_NAME_CHARS} characters and no control characters`,
    );
  return clean;
}

/** A branch secretary's units: at least one, each a branch or general branch; nobody else keeps any. */
function checkBranches(role: Role, branches: number[], units: readonly OrgUnit[]): number[] {
  if (role !== 'branch_secretary') return [];
  if (branches.length === 0)
    throw invalid('branches', '支部书记至少需要分配一个党支部', 'a branch secretary needs at least one branch');
  for (const id of branches) {
    const kind = units.find((u) => u.id === id)?.kind;
    if (kind !== 'branch' && kind !== 'general_branch')
      throw invalid('branches', `编号为 ${id} 的组织不是党支部或党总支`, `unit ${id} is not a branch or general branch`);
  }
  return [...new Set(branches)].sort((a, b) => a - b);
}
