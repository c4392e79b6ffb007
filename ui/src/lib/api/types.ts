// The types that cross the bridge, generated from the Rust types by ts-rs into ./bindings — never written here by
// hand. dangan-core's come from `cargo test -p dangan-core --features typescript`, the shell's own (WorkspaceStatus,
// FileFilter) from src-tauri's feature of the same name; `cargo xtask test` fails when ./bindings is stale.
//
// `BridgeError.details` is `unknown` on purpose: its shape depends on `kind` (violations: Violation[];
// import_rejected and likely_duplicates: ImportReport; invalid_input: { field, reason_zh, reason_en }); read it
// through `errors.ts`.

export type { BridgeError } from './bindings/BridgeError';
export type { AttachmentInfo } from './bindings/AttachmentInfo';
export type { AuditEntry } from './bindings/AuditEntry';
export type { AuditPage } from './bindings/AuditPage';
export type { AuditQuery } from './bindings/AuditQuery';
export type { BackupSettings } from './bindings/BackupSettings';
export type { BackupWritten } from './bindings/BackupWritten';
export type { BranchCounts } from './bindings/BranchCounts';
export type { Category } from './bindings/Category';
export type { ChecklistLine } from './bindings/ChecklistLine';
export type { Dashboard } from './bindings/Dashboard';
export type { DeadlineItem } from './bindings/DeadlineItem';
export type { DeadlineKind } from './bindings/DeadlineKind';
export type { DeadlineQuery } from './bindings/DeadlineQuery';
export type { DossierWritten } from './bindings/DossierWritten';
export type { DossiersWritten } from './bindings/DossiersWritten';
export type { Duplicates } from './bindings/Duplicates';
export type { ErrorKind } from './bindings/ErrorKind';
export type { EventKind } from './bindings/EventKind';
export type { FileFilter } from './bindings/FileFilter';
export type { FileRecord } from './bindings/FileRecord';
export type { Gender } from './bindings/Gender';
export type { Grade } from './bindings/Grade';
export type { ImportReport } from './bindings/ImportReport';
export type { LateStep } from './bindings/LateStep';
export type { LikelyDuplicate } from './bindings/LikelyDuplicate';
export type { MediaType } from './bindings/MediaType';
export type { MemberDetail } from './bindings/MemberDetail';
export type { MemberFile } from './bindings/MemberFile';
export type { MemberPage } from './bindings/MemberPage';
export type { MemberQuery } from './bindings/MemberQuery';
export type { MemberSummary } from './bindings/MemberSummary';
export type { OrgKind } from './bindings/OrgKind';
export type { OrgUnit } from './bindings/OrgUnit';
export type { Person } from './bindings/Person';
export type { ProcedureEvent } from './bindings/ProcedureEvent';
export type { RecordFields } from './bindings/RecordFields';
export type { RecordKind } from './bindings/RecordKind';
export type { Role } from './bindings/Role';
export type { RowLate } from './bindings/RowLate';
export type { RowProblem } from './bindings/RowProblem';
export type { SessionUser } from './bindings/SessionUser';
export type { Stage } from './bindings/Stage';
export type { Status } from './bindings/Status';
export type { StatusCounts } from './bindings/StatusCounts';
export type { User } from './bindings/User';
export type { Violation } from './bindings/Violation';
export type { WorkspaceStatus } from './bindings/WorkspaceStatus';
export type { RemindersChecked } from './bindings/RemindersChecked';
export type { Lang } from './bindings/Lang';
export type { JobId } from './bindings/JobId';
export type { JobProgress } from './bindings/JobProgress';
export type { Progress } from './bindings/Progress';
export type { Unit } from './bindings/Unit';
export type { ErrorDetails } from './bindings/ErrorDetails';
export type { MonthsRange } from './bindings/MonthsRange';
export type { Procedure } from './bindings/Procedure';
export type { Step } from './bindings/Step';
