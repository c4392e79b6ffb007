// The backend boundary: everything the UI asks of the Rust side, as one interface.
//
// Two implementations: `tauri.ts` (the real one, over `invoke`) and `mock.ts` (in memory, for a browser and for
// tests). Every method rejects with an `AppError` (see `errors.ts`), never with a bare string.

import type {
  BackupSettings,
  BackupWritten,
  Dashboard,
  DeadlineItem,
  DeadlineQuery,
  DossierProgress,
  DossiersWritten,
  DossierWritten,
  ExportProgress,
  FileFilter,
  FileRecord,
  ImportProgress,
  ImportReport,
  MemberDetail,
  MemberFile,
  MemberPage,
  MemberQuery,
  OrgKind,
  OrgUnit,
  Person,
  ProcedureEvent,
  WorkspaceStatus,
} from './types';

/** A file-type filter for the native open dialog, e.g. `{ name: 'Excel', extensions: ['xlsx'] }` (generated). */
export type { FileFilter };

export interface Backend {
  workspaceStatus(): Promise<WorkspaceStatus>;
  /** Creates the encrypted workspace and leaves it unlocked. Rejects with `workspace_exists` if there is one. */
  createWorkspace(passphrase: string, committeeName: string): Promise<void>;
  /** Rejects with `wrong_passphrase` when the passphrase does not open the key slot. */
  unlock(passphrase: string): Promise<void>;
  lock(): Promise<void>;
  /**
   * Writes one encrypted backup (the database and key slots, a consistent snapshot) to `path`, openable with the
   * same passphrase. Rejects with `io` when the file cannot be written.
   */
  backupNow(path: string): Promise<BackupWritten>;
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
  restoreBackup(path: string, passphrase: string): Promise<void>;
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
   * Rejects with `cancelled` after `cancelImport()`.
   */
  importRoster(path: string, dryRun: boolean, onProgress: (p: ImportProgress) => void): Promise<ImportReport>;
  cancelImport(): Promise<void>;
  /**
   * Writes the members matching `q` (ignoring offset and limit) to an .xlsx file; resolves to the number written.
   * Rejects with `cancelled` after `cancelExport()`.
   */
  exportMembers(q: MemberQuery, path: string, onProgress: (p: ExportProgress) => void): Promise<number>;
  cancelExport(): Promise<void>;
  /**
   * Writes one member's file as a PDF dossier (发展党员档案) to `path`. Characters the fonts lack are drawn as 〓 and
   * listed in `missing_chars` (the text layer keeps the originals). Rejects with `io` when the file cannot be written.
   */
  writeDossier(memberId: number, path: string): Promise<DossierWritten>;
  /**
   * Writes one dossier PDF per member matching `q` (ignoring offset and limit) into the folder `dir`. Rejects with
   * `cancelled` after `cancelDossiers()`; the files already written stay in the folder.
   */
  writeDossiers(q: MemberQuery, dir: string, onProgress: (p: DossierProgress) => void): Promise<DossiersWritten>;
  cancelDossiers(): Promise<void>;
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
  /** Native open dialog; `null` when the user cancels. */
  pickOpenFile(filters: FileFilter[]): Promise<string | null>;
  /** Native save dialog; `null` when the user cancels. */
  pickSaveFile(defaultName: string): Promise<string | null>;
  /** Native folder dialog; `null` when the user cancels. */
  pickFolder(): Promise<string | null>;
  /** Hands a file (a dossier PDF, to print) or a folder to the system's viewer. */
  openPath(path: string): Promise<void>;
}
