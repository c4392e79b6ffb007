// The real backend: a thin mapping of `Backend` onto Tauri commands.
//
// Command names are the snake_case of the method names; arguments are camelCase, as Tauri v2 converts them to the
// Rust commands' snake_case parameters. Backup, import, export and dossier progress arrive over a `Channel` passed
// as `onProgress`. Nothing here knows the domain: a rejection is normalised to an `AppError` and passed on.
//
// The Rust parameters these expect: workspace_status(), set_language(lang), reminders_checked(), create_workspace(passphrase, committee_name, user_name),
// unlock(passphrase, user_name), unlock_with_recovery(code), lock(), session_user(), list_users(),
// add_user(name, role, branches, passphrase), set_user_role(user_id, role, branches), remove_user(user_id),
// reset_passphrase(user_id, passphrase), change_passphrase(current, next), new_recovery_code(),
// write_recovery_sheet(code, path), audit_log(query), export_audit(query, path),
// backup_now(path, on_progress: Channel<JobProgress>), cancel_job(job), backup_settings(), set_backup_settings(dir, keep),
// restore_backup(path, passphrase), list_members(query), get_member(id), save_person(person),
// save_event(person_id, event), delete_event(person_id, event_id), list_org_units(),
// add_org_unit(parent_id, kind, name), import_roster(path, dry_run, duplicates, on_progress: Channel<JobProgress>),
// export_members(query, path, on_progress: Channel<JobProgress>),
// write_dossier(member_id, path), write_dossiers(query, dir, on_progress: Channel<JobProgress>),
// dashboard(as_of, branch_id), deadlines(query), dismiss_deadline(member_id, rule, due, until),
// restore_deadline(member_id, rule, due), member_file(member_id), save_record(record, attach), delete_record(record_id),
// attachment_bytes(attachment_id) (a raw binary response, which arrives as an ArrayBuffer), delete_attachment(attachment_id),
// save_attachment_as(attachment_id, path), pick_open_file(filters), pick_save_file(default_name), pick_folder(),
// open_path(path); and it listens for the shell's `open-member` event (payload: a member id), its `reminders-checked`
// event (payload: RemindersChecked, also asked with reminders_checked()) and for files dragged onto the webview.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { Backend, FileFilter } from './backend';
import { toAppError } from './errors';
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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export class TauriBackend implements Backend {
  setLanguage(lang: Lang): Promise<void> {
    return call('set_language', { lang });
  }
  workspaceStatus(): Promise<WorkspaceStatus> {
    return call('workspace_status');
  }
  createWorkspace(passphrase: string, committeeName: string, userName: string): Promise<string> {
    return call('create_workspace', { passphrase, committeeName, userName });
  }
  unlock(passphrase: string, userName: string | null): Promise<void> {
    return call('unlock', { passphrase, userName });
  }
  unlockWithRecovery(code: string): Promise<void> {
    return call('unlock_with_recovery', { code });
  }
  lock(): Promise<void> {
    return call('lock');
  }
  sessionUser(): Promise<SessionUser> {
    return call('session_user');
  }
  listUsers(): Promise<User[]> {
    return call('list_users');
  }
  addUser(name: string, role: Role, branches: number[], passphrase: string): Promise<User> {
    return call('add_user', { name, role, branches, passphrase });
  }
  setUserRole(userId: number, role: Role, branches: number[]): Promise<User> {
    return call('set_user_role', { userId, role, branches });
  }
  removeUser(userId: number): Promise<void> {
    return call('remove_user', { userId });
  }
  resetPassphrase(userId: number, passphrase: string): Promise<void> {
    return call('reset_passphrase', { userId, passphrase });
  }
  changePassphrase(current: string, next: string): Promise<void> {
    return call('change_passphrase', { current, next });
  }
  newRecoveryCode(): Promise<string> {
    return call('new_recovery_code');
  }
  writeRecoverySheet(code: string, path: string): Promise<void> {
    return call('write_recovery_sheet', { code, path });
  }
  auditLog(query: AuditQuery): Promise<AuditPage> {
    return call('audit_log', { query });
  }
  exportAudit(query: AuditQuery, path: string): Promise<number> {
    return call('export_audit', { query, path });
  }
  backupNow(path: string, onProgress: (p: JobProgress) => void): Promise<BackupWritten> {
    return call('backup_now', { path, onProgress: new Channel<JobProgress>(onProgress) });
  }
  cancelJob(job: JobId): Promise<boolean> {
    return call('cancel_job', { job });
  }
  backupSettings(): Promise<BackupSettings> {
    return call('backup_settings');
  }
  setBackupSettings(dir: string | null, keep: number): Promise<BackupSettings> {
    return call('set_backup_settings', { dir, keep });
  }
  restoreBackup(path: string, passphrase: string, onProgress: (p: JobProgress) => void): Promise<void> {
    return call('restore_backup', { path, passphrase, onProgress: new Channel<JobProgress>(onProgress) });
  }
  listMembers(q: MemberQuery): Promise<MemberPage> {
    return call('list_members', { query: q });
  }
  getMember(id: number): Promise<MemberDetail> {
    return call('get_member', { id });
  }
  savePerson(p: Person): Promise<MemberDetail> {
    return call('save_person', { person: p });
  }
  saveEvent(personId: number, e: ProcedureEvent): Promise<MemberDetail> {
    return call('save_event', { personId, event: e });
  }
  deleteEvent(personId: number, eventId: number): Promise<MemberDetail> {
    return call('delete_event', { personId, eventId });
  }
  dashboard(asOf: string | null, branchId: number | null): Promise<Dashboard> {
    return call('dashboard', { asOf, branchId });
  }
  deadlines(q: DeadlineQuery): Promise<DeadlineItem[]> {
    return call('deadlines', { query: q });
  }
  dismissDeadline(memberId: number, rule: string, due: string, until: string | null): Promise<void> {
    return call('dismiss_deadline', { memberId, rule, due, until });
  }
  restoreDeadline(memberId: number, rule: string, due: string): Promise<void> {
    return call('restore_deadline', { memberId, rule, due });
  }
  listOrgUnits(): Promise<OrgUnit[]> {
    return call('list_org_units');
  }
  addOrgUnit(parentId: number, kind: OrgKind, name: string): Promise<OrgUnit> {
    return call('add_org_unit', { parentId, kind, name });
  }
  importRoster(path: string, dryRun: boolean, duplicates: Duplicates, onProgress: (p: JobProgress) => void): Promise<ImportReport> {
    return call('import_roster', { path, dryRun, duplicates, onProgress: new Channel<JobProgress>(onProgress) });
  }
  exportMembers(q: MemberQuery, path: string, onProgress: (p: JobProgress) => void): Promise<number> {
    return call('export_members', { query: q, path, onProgress: new Channel<JobProgress>(onProgress) });
  }
  writeDossier(memberId: number, path: string): Promise<DossierWritten> {
    return call('write_dossier', { memberId, path });
  }
  writeDossiers(q: MemberQuery, dir: string, onProgress: (p: JobProgress) => void): Promise<DossiersWritten> {
    return call('write_dossiers', { query: q, dir, onProgress: new Channel<JobProgress>(onProgress) });
  }
  memberFile(memberId: number): Promise<MemberFile> {
    return call('member_file', { memberId });
  }
  saveRecord(record: FileRecord, attach: string[]): Promise<FileRecord> {
    return call('save_record', { record, attach });
  }
  deleteRecord(recordId: number): Promise<void> {
    return call('delete_record', { recordId });
  }
  attachmentBytes(attachmentId: number): Promise<ArrayBuffer> {
    return call('attachment_bytes', { attachmentId });
  }
  deleteAttachment(attachmentId: number): Promise<void> {
    return call('delete_attachment', { attachmentId });
  }
  saveAttachmentAs(attachmentId: number, path: string): Promise<void> {
    return call('save_attachment_as', { attachmentId, path });
  }
  // The shell's native drag and drop, not the DOM's: only it knows the files' paths, and with it enabled the webview
  // receives no HTML drop events for files at all (on Windows).
  onFileDrop(handler: (paths: string[]) => void, onHover?: (over: boolean) => void): Promise<() => void> {
    return getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === 'drop') {
        onHover?.(false);
        handler(p.paths);
      } else if (p.type === 'enter') {
        onHover?.(true);
      } else if (p.type === 'leave') {
        onHover?.(false);
      }
    });
  }
  onOpenMember(handler: (memberId: number) => void): Promise<() => void> {
    return listen<number>('open-member', (event) => handler(event.payload));
  }
  remindersChecked(): Promise<RemindersChecked> {
    return call('reminders_checked');
  }
  onRemindersChecked(handler: (tally: RemindersChecked) => void): Promise<() => void> {
    return listen<RemindersChecked>('reminders-checked', (event) => handler(event.payload));
  }
  pickOpenFile(filters: FileFilter[]): Promise<string | null> {
    return call('pick_open_file', { filters });
  }
  pickSaveFile(defaultName: string): Promise<string | null> {
    return call('pick_save_file', { defaultName });
  }
  pickFolder(): Promise<string | null> {
    return call('pick_folder');
  }
  openPath(path: string): Promise<void> {
    return call('open_path', { path });
  }
}
