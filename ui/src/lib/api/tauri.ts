// The real backend: a thin mapping of `Backend` onto Tauri commands.
//
// Command names are the snake_case of the method names; arguments are camelCase, as Tauri v2 converts them to the
// Rust commands' snake_case parameters. Import, export and dossier progress arrive over a `Channel` passed as
// `onProgress`. Nothing here knows the domain: a rejection is normalised to an `AppError` and passed on.
//
// The Rust parameters these expect: workspace_status(), create_workspace(passphrase, committee_name),
// unlock(passphrase), lock(), backup_now(path), backup_settings(), set_backup_settings(dir, keep),
// restore_backup(path, passphrase), list_members(query), get_member(id), save_person(person),
// save_event(person_id, event), delete_event(person_id, event_id), list_org_units(),
// add_org_unit(parent_id, kind, name), import_roster(path, dry_run, on_progress: Channel<ImportProgress>),
// cancel_import(), export_members(query, path, on_progress: Channel<ExportProgress>), cancel_export(),
// write_dossier(member_id, path), write_dossiers(query, dir, on_progress: Channel<DossierProgress>), cancel_dossiers(),
// dashboard(as_of, branch_id), deadlines(query), dismiss_deadline(member_id, rule, due, until),
// restore_deadline(member_id, rule, due), member_file(member_id), save_record(record, attach), delete_record(record_id),
// attachment_bytes(attachment_id) (a raw binary response, which arrives as an ArrayBuffer), delete_attachment(attachment_id),
// save_attachment_as(attachment_id, path), pick_open_file(filters), pick_save_file(default_name), pick_folder(),
// open_path(path); and it listens for the shell's `open-member` event (payload: a member id) and for files dragged
// onto the webview.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { Backend, FileFilter } from './backend';
import { toAppError } from './errors';
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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export class TauriBackend implements Backend {
  workspaceStatus(): Promise<WorkspaceStatus> {
    return call('workspace_status');
  }
  createWorkspace(passphrase: string, committeeName: string): Promise<void> {
    return call('create_workspace', { passphrase, committeeName });
  }
  unlock(passphrase: string): Promise<void> {
    return call('unlock', { passphrase });
  }
  lock(): Promise<void> {
    return call('lock');
  }
  backupNow(path: string): Promise<BackupWritten> {
    return call('backup_now', { path });
  }
  backupSettings(): Promise<BackupSettings> {
    return call('backup_settings');
  }
  setBackupSettings(dir: string | null, keep: number): Promise<BackupSettings> {
    return call('set_backup_settings', { dir, keep });
  }
  restoreBackup(path: string, passphrase: string): Promise<void> {
    return call('restore_backup', { path, passphrase });
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
  importRoster(path: string, dryRun: boolean, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
    const channel = new Channel<ImportProgress>(onProgress);
    return call('import_roster', { path, dryRun, onProgress: channel });
  }
  cancelImport(): Promise<void> {
    return call('cancel_import');
  }
  exportMembers(q: MemberQuery, path: string, onProgress: (p: ExportProgress) => void): Promise<number> {
    const channel = new Channel<ExportProgress>(onProgress);
    return call('export_members', { query: q, path, onProgress: channel });
  }
  cancelExport(): Promise<void> {
    return call('cancel_export');
  }
  writeDossier(memberId: number, path: string): Promise<DossierWritten> {
    return call('write_dossier', { memberId, path });
  }
  writeDossiers(q: MemberQuery, dir: string, onProgress: (p: DossierProgress) => void): Promise<DossiersWritten> {
    const channel = new Channel<DossierProgress>(onProgress);
    return call('write_dossiers', { query: q, dir, onProgress: channel });
  }
  cancelDossiers(): Promise<void> {
    return call('cancel_dossiers');
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
