// The real backend: a thin mapping of `Backend` onto Tauri commands.
//
// Command names are the snake_case of the method names; arguments are camelCase, as Tauri v2 converts them to the
// Rust commands' snake_case parameters. Import progress arrives over a `Channel` passed as `onProgress`. Nothing
// here knows the domain: a rejection is normalised to an `AppError` and passed on.
//
// The Rust parameters these expect: workspace_status(), create_workspace(passphrase, committee_name),
// unlock(passphrase), lock(), list_members(query), get_member(id), save_person(person),
// save_event(person_id, event), delete_event(person_id, event_id), list_org_units(),
// add_org_unit(parent_id, kind, name), import_roster(path, dry_run, on_progress: Channel<ImportProgress>),
// cancel_import(), export_members(query, path), pick_open_file(filters), pick_save_file(default_name).

import { Channel, invoke } from '@tauri-apps/api/core';
import type { Backend, FileFilter } from './backend';
import { toAppError } from './errors';
import type {
  ImportProgress,
  ImportReport,
  MemberDetail,
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
  exportMembers(q: MemberQuery, path: string): Promise<number> {
    return call('export_members', { query: q, path });
  }
  pickOpenFile(filters: FileFilter[]): Promise<string | null> {
    return call('pick_open_file', { filters });
  }
  pickSaveFile(defaultName: string): Promise<string | null> {
    return call('pick_save_file', { defaultName });
  }
}
