// The backend boundary: everything the UI asks of the Rust side, as one interface.
//
// One implementation, `tauri.ts`, over `invoke`: the shell's commands in the app, and in a plain browser during
// development the replies recorded from the core (`recorded.ts`). Every method rejects with an `AppError` (see
// `errors.ts`), never with a bare string.

import type {
  AuditPage,
  AuditQuery,
  BackupSettings,
  BackupWritten,
  Dashboard,
  DeadlineItem,
  DeadlineQuery,
  DossiersWritten,
  DossierWritten,
  Duplicates,
  FileFilter,
  FileRecord,
  JobId,
  JobProgress,
  ImportReport,
  MemberDetail,
  MemberFile,
  MemberPage,
  MemberQuery,
  OrgKind,
  OrgUnit,
  Person,
  ProcedureEvent,
  Role,
  SessionUser,
  User,
  Lang,
  RemindersChecked,
  WorkspaceStatus,
} from './types';

/** A file-type filter for the native open dialog, e.g. `{ name: 'Excel', extensions: ['xlsx'] }` (generated). */
export type { FileFilter };

export interface Backend {
  workspaceStatus(): Promise<WorkspaceStatus>;
  /** The UI's language: the shell's messages (errors and their details, notifications) follow it from now on. */
  setLanguage(lang: Lang): Promise<void>;
  /**
   * Creates the encrypted workspace, `userName` its first administrator, and leaves it unlocked. Resolves to the
   * recovery code (`7F3K-0V62-CS34-HKPE-R8YW-0GMT`), which is shown this once. Rejects with `workspace_exists` if
   * there is one, `invalid_input` (field `passphrase`, `committee` or `user`).
   */
  createWorkspace(passphrase: string, committeeName: string, userName: string): Promise<string>;
  /**
   * Unlocks as `userName`, or as whichever user the passphrase belongs to when it is `null`. Rejects with
   * `wrong_passphrase` when the passphrase does not open that user's key slot (or any, or the name is unknown).
   */
  unlock(passphrase: string, userName: string | null): Promise<void>;
  /**
   * Unlocks with the recovery code, with an administrator's rights (`sessionUser().recovery` is then `true`), to set a
   * forgotten passphrase anew. Rejects with `invalid_input` (field `recovery_code`) for what cannot be a code, and
   * `wrong_passphrase` for a code that does not open the workspace.
   */
  unlockWithRecovery(code: string): Promise<void>;
  lock(): Promise<void>;
  /** Who is signed in: name, role, a branch secretary's branches, and whether with the recovery key. */
  sessionUser(): Promise<SessionUser>;

  // ---- users (administrators only: the others are refused with `forbidden`) ----

  /** Every user, by name. */
  listUsers(): Promise<User[]>;
  /**
   * Adds a user with a key slot of their own. Rejects with `invalid_input`: field `name` (empty, too long, taken),
   * `branches` (a branch secretary needs at least one branch or general branch) or `passphrase` (under 8 characters).
   */
  addUser(name: string, role: Role, branches: number[], passphrase: string): Promise<User>;
  /** Changes a user's role and branches. Rejects with `invalid_input` for the last administrator (field `role`). */
  setUserRole(userId: number, role: Role, branches: number[]): Promise<User>;
  /**
   * Removes a user; their passphrase opens nothing any more. Rejects with `invalid_input` when removing oneself or the
   * last administrator.
   */
  removeUser(userId: number): Promise<void>;
  /** Sets a new passphrase for a user who forgot theirs (also with the recovery key). */
  resetPassphrase(userId: number, passphrase: string): Promise<void>;
  /** Changes the signed-in user's own passphrase. Rejects with `wrong_passphrase` when `current` is not it. */
  changePassphrase(current: string, next: string): Promise<void>;
  /** Makes a new recovery code and resolves to it, shown once; the old code opens nothing any more. */
  newRecoveryCode(): Promise<string>;
  /** Writes the one-page recovery key sheet (a PDF to print and keep in the office safe) for `code` to `path`. */
  writeRecoverySheet(code: string, path: string): Promise<void>;

  // ---- the audit log (administrators and auditors) ----

  /** Logged changes matching `query`, newest first, with the total. */
  auditLog(query: AuditQuery): Promise<AuditPage>;
  /** Writes every entry matching `query` (offset and limit aside), oldest first, to a CSV file; resolves to how many. */
  exportAudit(query: AuditQuery, path: string): Promise<number>;
  /**
   * Writes one encrypted backup (the database and key slots, a consistent snapshot) to `path`, openable with the
   * same passphrase, reporting the bytes written so far. Rejects with `io` when the file cannot be written, and with
   * `cancelled` after `cancelJob()` (then no file was written).
   */
  backupNow(path: string, onProgress: (p: JobProgress) => void): Promise<BackupWritten>;
  /**
   * Asks a running job (import, export, dossiers, backup, restore: the id is in each of its progress reports) to
   * stop; the job then rejects with `cancelled`. Resolves `false` when the job had already finished.
   */
  cancelJob(job: JobId): Promise<boolean>;
  backupSettings(): Promise<BackupSettings>;
  /**
   * Chooses the folder of the automatic daily backups (`dir === null` turns them off) and how many to keep. Setting
   * a folder makes the first backup at once, so the result's `last` is today. Rejects with `invalid_input` (field
   * `keep`) outside 1–60, or field `dir`.
   */
  setBackupSettings(dir: string | null, keep: number): Promise<BackupSettings>;
  /**
   * Restores a backup into a new workspace and leaves it unlocked. Only when there is no workspace yet (rejects with
   * `workspace_exists` otherwise). The file is checked fully first: `wrong_passphrase`, `too_many_attempts` or
   * `corrupt` (a damaged or cut file, with a message) restore nothing.
   */
  restoreBackup(path: string, passphrase: string, onProgress: (p: JobProgress) => void): Promise<void>;
  listMembers(q: MemberQuery): Promise<MemberPage>;
  getMember(id: number): Promise<MemberDetail>;
  /** `p.id === null` creates a person; otherwise updates. Rejects with `invalid_input` naming the field. */
  savePerson(p: Person): Promise<MemberDetail>;
  /** `e.id === null` adds an event; otherwise updates. Rejects with `violations` when a rule of the procedure is broken. */
  saveEvent(personId: number, e: ProcedureEvent): Promise<MemberDetail>;
  deleteEvent(personId: number, eventId: number): Promise<MemberDetail>;
  /**
   * The 工作提醒 home screen as of `asOf` (today when `null`), for the whole committee or one unit's subtree.
   * Items the worker acknowledged or snoozed are counted only in `dismissed`.
   */
  dashboard(asOf: string | null, branchId: number | null): Promise<Dashboard>;
  /** Pending items matching `q`, by due day, then name. */
  deadlines(q: DeadlineQuery): Promise<DeadlineItem[]>;
  /**
   * Sets an item aside: `until === null` acknowledges it (no more reminders), a date snoozes it until that day.
   * Rejects with `invalid_input` (field `until`) for a day that is not after today, `not_found` when the item is
   * not pending.
   */
  dismissDeadline(memberId: number, rule: string, due: string, until: string | null): Promise<void>;
  /** Undoes `dismissDeadline`. */
  restoreDeadline(memberId: number, rule: string, due: string): Promise<void>;
  listOrgUnits(): Promise<OrgUnit[]>;
  /**
   * Adds a general branch (under the committee) or a branch (under the committee or a general branch). Rejects with
   * `invalid_input` (field `name` or `kind`) for an empty name, a sibling's name or a wrong level.
   */
  addOrgUnit(parentId: number, kind: OrgKind, name: string): Promise<OrgUnit>;
  /**
   * Reads a roster (.xlsx or .csv). `dryRun` validates and reports without saving; the real import is
   * all-or-nothing (rejects with `import_rejected`, carrying the report, when any row has a problem).
   * `duplicates` says what to do with new people who look already registered (the report's `likely_duplicates`):
   * `ask` makes the real import reject with `likely_duplicates`, carrying the report, `add` adds them, `skip` leaves
   * those rows out (`skipped_rows`); a dry run with `ask` lists them. While another writer holds the workspace,
   * progress says `waiting`; past the wait, rejects with `busy`. Rejects with `cancelled` after `cancelJob()`.
   */
  importRoster(
    path: string,
    dryRun: boolean,
    duplicates: Duplicates,
    onProgress: (p: JobProgress) => void,
  ): Promise<ImportReport>;
  /**
   * Writes the members matching `q` (ignoring offset and limit) to an .xlsx file; resolves to the number written.
   * Rejects with `cancelled` after `cancelJob()`.
   */
  exportMembers(q: MemberQuery, path: string, onProgress: (p: JobProgress) => void): Promise<number>;
  /**
   * Writes one member's file as a PDF dossier (发展党员档案) to `path`. Characters the fonts lack are drawn as 〓 and
   * listed in `missing_chars` (the text layer keeps the originals). Rejects with `io` when the file cannot be written.
   */
  writeDossier(memberId: number, path: string): Promise<DossierWritten>;
  /**
   * Writes one dossier PDF per member matching `q` (ignoring offset and limit) into the folder `dir`. Rejects with
   * `cancelled` after `cancelJob()`; the files already written stay in the folder.
   */
  writeDossiers(q: MemberQuery, dir: string, onProgress: (p: JobProgress) => void): Promise<DossiersWritten>;
  /** A member's file: the records, oldest first, and the checklist of materials in the archive's order. */
  memberFile(memberId: number): Promise<MemberFile>;
  /**
   * `record.id === null` adds a record; otherwise updates it. `attach` are absolute paths (from the open dialog or a
   * drop) of files to attach; the record and all its files are saved, or nothing is. Rejects with `invalid_input`
   * naming the field (`date`, `event_id`, `who`, `course`, `hours`, `grade`, `score`, `title`, `body`, or
   * `attachment`, whose reason names the file), or `not_found`. Resolves to the record as stored.
   */
  saveRecord(record: FileRecord, attach: string[]): Promise<FileRecord>;
  /** Deletes a record with its attachments. */
  deleteRecord(recordId: number): Promise<void>;
  /** An attachment's content, decrypted, for a preview. */
  attachmentBytes(attachmentId: number): Promise<ArrayBuffer>;
  deleteAttachment(attachmentId: number): Promise<void>;
  /** Writes a copy of an attachment to `path` (a PDF to open in a viewer, a scan to print). */
  saveAttachmentAs(attachmentId: number, path: string): Promise<void>;
  /**
   * Calls `handler` with the paths of files dropped on the window, and `onHover` (if given) with `true` while files
   * are dragged over it and `false` when they leave or are dropped. Resolves to the function that stops listening.
   */
  onFileDrop(handler: (paths: string[]) => void, onHover?: (over: boolean) => void): Promise<() => void>;
  /**
   * Calls `handler` with a member's id when the shell asks to open that member (a clicked reminder notification).
   * Resolves to the function that stops listening.
   */
  onOpenMember(handler: (memberId: number) => void): Promise<() => void>;
  /** The reminder checks the shell has made since the records were unlocked (after unlocking, then hourly). */
  remindersChecked(): Promise<RemindersChecked>;
  /** Calls `handler` with the new tally after each reminder check. Resolves to the function that stops listening. */
  onRemindersChecked(handler: (tally: RemindersChecked) => void): Promise<() => void>;
  /** Native open dialog; `null` when the user cancels. */
  pickOpenFile(filters: FileFilter[]): Promise<string | null>;
  /** Native save dialog; `null` when the user cancels. */
  pickSaveFile(defaultName: string): Promise<string | null>;
  /** Native folder dialog; `null` when the user cancels. */
  pickFolder(): Promise<string | null>;
  /** Hands a file (a dossier PDF, to print) or a folder to the system's viewer. */
  openPath(path: string): Promise<void>;
}
