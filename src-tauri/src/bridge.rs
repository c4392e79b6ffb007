//! The bridge, declared once: every command the UI may call, with its parameters and its reply, in
//! the one table at the end of this file. From it come
//! - the registration with Tauri ([`handler`]),
//! - the list of commands the build script grants permissions for (`build.rs` reads this file),
//! - the TypeScript client, `ui/src/lib/api/bindings/commands.ts` (written by the
//!   `export_bindings_commands` test with the type bindings; `cargo xtask test` fails if stale),
//!
//! and the compiler checks each line against its function (`signatures_match`): a parameter or a
//! reply changed on one side only does not build. Types keep their Rust names in TypeScript.
//!
//! A line reads `module::command(injected; name: Type, … | progress) -> Reply;`: first what Tauri
//! injects (`shell`, the app's state; `app`; `window`), then the arguments the UI passes, then the
//! `Channel<JobProgress>` of a long job, if any.

use std::path::PathBuf;

use dangan_core::Lang;
use dangan_core::access::{Role, SessionUser, User};
use dangan_core::appraisal::{Appraisal, AppraisalStep, CorrectionOutcome, GradeDecision, VoteRow};
use dangan_core::arrival::NewArrival;
use dangan_core::backup::{BackupSettings, BackupWritten};
use dangan_core::calendar::Date;
use dangan_core::complaints::{
    Complaint, ComplaintAttachment, ComplaintLine, ComplaintsOverview, NewComplaint, NewHandling,
};
use dangan_core::deadlines::{Dashboard, DeadlineItem, DeadlineQuery};
use dangan_core::documents::{DocumentInfo, DocumentPreview, MadeDocument};
use dangan_core::domain::{
    Attendee, ClassRecord, DuesCategory, FileRecord, Grade, Id, Meeting, MeetingRecord, OrgKind, OrgUnit, PartyGroup,
    Person, PostHeld, PostRecord, Procedure, ProcedureEvent, StatusChange, StudyEntry, TraineeResult, TrainingClass,
};
use dangan_core::dossier::{DossierWritten, DossiersWritten};
use dangan_core::dues::Month;
use dangan_core::jobs::JobId;
use dangan_core::life_plan::LifePlan;
use dangan_core::package::PackageWritten;
use dangan_core::roster::{Duplicates, ImportReport};
use dangan_core::statistics::export::ChartImage;
use dangan_core::statistics::{AnnualReport, Statistics, StatsQuery};
use dangan_core::store::{
    AuditPage, AuditQuery, BranchDues, DuesArrears, DuesBase, DuesLedger, DuesPayment, DuesReceipt, MeetingQuery,
    MemberDetail, MemberFile, MemberPage, MemberQuery,
};
use dangan_core::study::StudyHours;
use dangan_core::transfer::{LeaverCheck, NewLetter, TransferLetter};
use dangan_core::transfer_request::{NewTransferRequest, TransferRequest};

use crate::commands::FileFilter;
use crate::shell::{RemindersChecked, WorkspaceStatus};
use crate::{accounts, appraisal, branch_life, commands, complaints, documents, membership, server, statistics};

/// Raw bytes for the UI (an attachment): an `ArrayBuffer` there, never a JSON array of numbers.
pub struct Bytes(pub Vec<u8>);

impl tauri::ipc::IpcResponse for Bytes {
    fn body(self) -> tauri::Result<tauri::ipc::InvokeResponseBody> {
        tauri::ipc::Response::new(self.0).body()
    }
}

/// The type of what Tauri injects into a command, by the name the table gives it.
macro_rules! injected {
    (shell) => { tauri::State<'_, crate::Shell> };
    (app) => { tauri::AppHandle };
    (window) => { tauri::WebviewWindow };
}

macro_rules! bridge {
    ($(
        $module:ident :: $name:ident ( $($inject:ident),+ $(; $($arg:ident : $ty:ty),+ )? $(| $progress:ident)? ) -> $ret:ty;
    )*) => {
        /// Every command's name, in the table's order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Every command, registered with Tauri.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$name),*]
        }

        /// Never run: it only has to compile, which it does when every line of the table calls its
        /// function with the table's arguments, in order, and gets the table's reply.
        #[allow(unreachable_code, unused_variables, dead_code, clippy::diverging_sub_expression)]
        async fn signatures_match() {
            $({
                $( let $inject: injected!($inject) = unreachable!(); )+
                $( let progress: tauri::ipc::Channel<dangan_core::jobs::JobProgress> = unreachable!(); let $progress = progress; )?
                let _: crate::error::Reply<$ret> = $module::$name(
                    $($inject,)+
                    $($( { let value: $ty = unreachable!(); value }, )+)?
                    $($progress)?
                ).await;
            })*
        }

        /// The table as the TypeScript client is written from it.
        #[cfg(all(test, feature = "typescript"))]
        pub(crate) fn declared() -> Vec<typescript::Command> {
            let cfg = typescript::config();
            vec![$(
                typescript::Command {
                    name: stringify!($name),
                    args: vec![$($( (stringify!($arg), <$ty as typescript::BridgeTs>::ts(&cfg)) ),+)?],
                    progress: [$(stringify!($progress))?].first().copied(),
                    reply: <$ret as typescript::BridgeTs>::ts(&cfg),
                }
            ),*]
        }
    };
}

#[cfg(all(test, feature = "typescript"))]
mod typescript;

bridge! {
    commands::workspace_status(shell) -> WorkspaceStatus;
    commands::set_language(shell; lang: Lang) -> ();
    commands::reminders_checked(shell) -> RemindersChecked;
    commands::create_workspace(shell; passphrase: String, committee_name: String, user_name: String) -> String;
    commands::unlock(shell; passphrase: String, user_name: Option<String>) -> ();
    commands::lock(shell) -> ();
    server::connect_server(app, shell; address: String, user_name: String, passphrase: String) -> ();
    server::forget_server(shell) -> ();
    commands::list_members(shell; query: MemberQuery) -> MemberPage;
    commands::get_member(shell; id: Id) -> MemberDetail;
    commands::save_person(shell; person: Person, seen_version: Option<i32>) -> MemberDetail;
    commands::save_event(shell; person_id: Id, event: ProcedureEvent, seen_version: Option<i32>) -> MemberDetail;
    commands::save_event_for_many(shell; person_ids: Vec<Id>, event: ProcedureEvent) -> Vec<MemberDetail>;
    commands::delete_event(shell; person_id: Id, event_id: Id, seen_version: Option<i32>) -> MemberDetail;
    membership::change_status(shell; change: StatusChange) -> MemberDetail;
    membership::undo_status_change(shell; person_id: Id, change: Option<Id>) -> MemberDetail;
    membership::issue_letter(shell; letter: NewLetter, path: Option<PathBuf>) -> TransferLetter;
    membership::register_arrival(shell; arrival: NewArrival) -> MemberDetail;
    membership::write_member_package(shell; letter_id: Id, path: PathBuf) -> PackageWritten;
    membership::receive_member_package(shell; path: PathBuf, code: String, branch_id: Id, received_on: Date, addressed_here: bool) -> MemberDetail;
    membership::keep_graduate(shell; person_id: Id, graduated_on: Option<Date>) -> MemberDetail;
    membership::class_of(shell; class_year: u16, unit: Option<Id>) -> Vec<Id>;
    membership::check_letters(shell; letters: Vec<NewLetter>) -> Vec<LeaverCheck>;
    membership::issue_letters(shell; letters: Vec<NewLetter>, path: Option<PathBuf> | on_progress) -> Vec<TransferLetter>;
    membership::export_letters(shell; person_id: Option<Id>, open_only: bool, path: PathBuf) -> ();
    membership::write_letters(shell; ids: Vec<Id>, path: PathBuf) -> ();
    membership::record_receipt(shell; letter_id: Id, date: Date) -> TransferLetter;
    membership::reissue_letter(shell; letter_id: Id, issued_on: Date, validity_days: Option<u32>, path: Option<PathBuf>) -> TransferLetter;
    membership::apply_transfer(shell; request: NewTransferRequest) -> TransferRequest;
    membership::approve_transfer(shell; request_id: Id, date: Date) -> TransferRequest;
    membership::decline_transfer(shell; request_id: Id, date: Date, reason: String) -> TransferRequest;
    membership::transfer_requests(shell; person_id: Option<Id>, open_only: bool) -> Vec<TransferRequest>;
    membership::cancel_letter(shell; letter_id: Id, date: Date, reason: Option<String>) -> TransferLetter;
    membership::letters(shell; person_id: Option<Id>, open_only: bool) -> Vec<TransferLetter>;
    membership::dues_rate(shell; category: DuesCategory, base_fen: i64) -> i64;
    membership::set_dues_base(shell; base: DuesBase) -> DuesLedger;
    membership::record_dues(shell; payment: DuesPayment) -> DuesLedger;
    membership::undo_dues_month(shell; person_id: Id, month: Option<Month>) -> DuesLedger;
    membership::dues_ledger(shell; person_id: Id) -> DuesLedger;
    membership::dues_arrears(shell; unit: Option<Id>) -> Vec<DuesArrears>;
    membership::dues_summary(shell; unit: Option<Id>, from: Month, to: Month) -> Vec<BranchDues>;
    membership::import_dues(shell; path: PathBuf | on_progress) -> usize;
    membership::dues_receipts(shell; unit: Option<Id>, from: Month, to: Month) -> Vec<DuesReceipt>;
    membership::export_dues(shell; unit: Option<Id>, from: Month, to: Month, path: PathBuf) -> ();
    appraisal::open_appraisals(shell; unit: Id, year: i32, opened_on: Date) -> Vec<Appraisal>;
    appraisal::appraisal(shell; id: Id) -> Appraisal;
    appraisal::appraisals(shell; year: i32, unit: Option<Id>) -> Vec<Appraisal>;
    appraisal::date_appraisal_step(shell; id: Id, step: AppraisalStep, date: Option<Date>) -> Appraisal;
    appraisal::record_votes(shell; id: Id, ballots_cast: u32, rows: Vec<VoteRow>) -> Appraisal;
    appraisal::import_votes(shell; id: Id, ballots_cast: u32, path: PathBuf) -> Appraisal;
    appraisal::propose_grade(shell; id: Id, person_id: Id, grade: Option<Grade>) -> Appraisal;
    appraisal::grade_member(shell; id: Id, decision: GradeDecision) -> Appraisal;
    appraisal::close_appraisal(shell; id: Id, date: Date) -> Appraisal;
    appraisal::end_correction(shell; id: Id, person_id: Id, outcome: CorrectionOutcome, date: Date, note: Option<String>) -> Appraisal;
    appraisal::write_ballots(shell; id: Id, path: PathBuf) -> ();
    appraisal::write_appraisal_results(shell; id: Id, path: PathBuf) -> ();
    appraisal::export_appraisals(shell; year: i32, unit: Option<Id>, path: PathBuf) -> ();
    complaints::complaints_overview(shell) -> ComplaintsOverview;
    complaints::add_complaint(shell; complaint: NewComplaint) -> Complaint;
    complaints::complaints(shell; open_only: bool) -> Vec<ComplaintLine>;
    complaints::complaint(shell; entry: String) -> Complaint;
    complaints::handle_complaint(shell; entry: String, handling: NewHandling) -> Complaint;
    complaints::close_complaint(shell; entry: String, date: Date, result: String) -> Complaint;
    complaints::write_complaint_form(shell; entry: String, path: PathBuf) -> ();
    complaints::grant_register(shell; user: String) -> ();
    complaints::register_waiting(shell) -> Vec<String>;
    complaints::add_complaint_attachments(shell; entry: String, paths: Vec<PathBuf>) -> Complaint;
    complaints::save_complaint_attachment_as(shell; entry: String, attachment: Id, path: PathBuf) -> ComplaintAttachment;
    commands::list_org_units(shell) -> Vec<OrgUnit>;
    commands::add_org_unit(shell; parent_id: Id, kind: OrgKind, name: String) -> OrgUnit;
    commands::import_roster(shell; path: PathBuf, dry_run: bool, duplicates: Duplicates | on_progress) -> ImportReport;
    commands::cancel_job(shell; job: JobId) -> bool;
    commands::export_members(shell; query: MemberQuery, path: PathBuf | on_progress) -> u64;
    commands::dashboard(shell; as_of: Option<Date>, branch_id: Option<Id>) -> Dashboard;
    commands::deadlines(shell; query: DeadlineQuery) -> Vec<DeadlineItem>;
    commands::export_deadlines(shell; query: DeadlineQuery, path: PathBuf) -> ();
    commands::export_dashboard(shell; as_of: Option<Date>, branch_id: Option<Id>, path: PathBuf) -> ();
    commands::dismiss_deadline(shell; member_id: Id, rule: String, due: Date, until: Option<Date>) -> ();
    commands::restore_deadline(shell; member_id: Id, rule: String, due: Date) -> ();
    commands::member_file(shell; member_id: Id) -> MemberFile;
    commands::save_record(shell; record: FileRecord, attach: Vec<PathBuf>) -> FileRecord;
    commands::delete_record(shell; record_id: Id) -> ();
    commands::attachment_bytes(shell; attachment_id: Id) -> Bytes;
    commands::delete_attachment(shell; attachment_id: Id) -> ();
    commands::save_attachment_as(shell; attachment_id: Id, path: PathBuf) -> ();
    commands::write_dossier(shell; member_id: Id, path: PathBuf) -> DossierWritten;
    documents::documents(shell) -> Vec<DocumentInfo>;
    documents::preview_document(shell; id: String, members: Vec<Id>, date: Option<Date>) -> DocumentPreview;
    documents::make_document(shell; id: String, members: Vec<Id>, date: Option<Date>, path: PathBuf, record_step: bool) -> MadeDocument;
    commands::write_dossiers(shell; query: MemberQuery, dir: PathBuf | on_progress) -> DossiersWritten;
    commands::open_path(app, shell; path: PathBuf) -> ();
    commands::pick_folder(app, window, shell) -> Option<PathBuf>;
    commands::backup_now(shell; path: PathBuf | on_progress) -> BackupWritten;
    commands::backup_settings(shell) -> BackupSettings;
    commands::set_backup_settings(shell; dir: Option<PathBuf>, keep: u32) -> BackupSettings;
    commands::restore_backup(shell; path: PathBuf, passphrase: String | on_progress) -> ();
    commands::pick_open_file(app, window, shell; filters: Vec<FileFilter>) -> Option<PathBuf>;
    commands::pick_save_file(app, window, shell; default_name: String) -> Option<PathBuf>;
    statistics::statistics(shell; query: StatsQuery) -> Statistics;
    statistics::annual_report(shell; year: i32, unit: Option<Id>) -> AnnualReport;
    statistics::write_statistics(shell; query: StatsQuery, path: PathBuf) -> ();
    statistics::write_annual_report(shell; year: i32, unit: Option<Id>, path: PathBuf) -> ();
    statistics::save_chart(shell; chart: ChartImage, path: PathBuf) -> ();
    branch_life::life_plan(shell; unit: Id, year: i32) -> LifePlan;
    branch_life::meetings(shell; query: MeetingQuery) -> Vec<MeetingRecord>;
    branch_life::save_meeting(shell; meeting: Meeting, attendees: Vec<Attendee>) -> MeetingRecord;
    branch_life::delete_meeting(shell; id: Id) -> ();
    branch_life::import_attendance(shell; id: Id, path: PathBuf) -> MeetingRecord;
    branch_life::import_meetings(shell; path: PathBuf | on_progress) -> usize;
    branch_life::write_meeting_paper(shell; id: Id, sign_in: bool, path: PathBuf) -> ();
    branch_life::write_work_register(shell; unit: Id, year: i32, path: PathBuf) -> ();
    branch_life::posts(shell; unit: Option<Id>) -> Vec<PostRecord>;
    branch_life::save_post(shell; post: PostHeld) -> PostRecord;
    branch_life::groups(shell; unit: Option<Id>) -> Vec<PartyGroup>;
    branch_life::save_group(shell; id: Option<Id>, branch_id: Id, name: String) -> PartyGroup;
    branch_life::set_group_members(shell; group_id: Id, people: Vec<Id>, seen: Option<Vec<Id>>) -> PartyGroup;
    branch_life::study_hours(shell; year: i32, unit: Option<Id>) -> Vec<StudyHours>;
    branch_life::set_life_from(shell; unit: Id, from: Date) -> ();
    branch_life::dismiss_unit_deadline(shell; unit_id: Id, group_id: Option<Id>, rule: String, due: Date, until: Option<Date>) -> ();
    branch_life::restore_unit_deadline(shell; unit_id: Id, group_id: Option<Id>, rule: String, due: Date) -> ();
    branch_life::classes(shell; unit: Option<Id>, year: Option<i32>) -> Vec<ClassRecord>;
    branch_life::training_class(shell; id: Id) -> ClassRecord;
    branch_life::save_class(shell; training_class: TrainingClass) -> ClassRecord;
    branch_life::delete_class(shell; id: Id) -> ();
    branch_life::enrol(shell; class_id: Id, people: Vec<Id>) -> ClassRecord;
    branch_life::set_session_attendance(shell; session_id: Id, present: Vec<Id>, seen_version: Option<i32>) -> ClassRecord;
    branch_life::set_results(shell; class_id: Id, results: Vec<TraineeResult>, seen_version: Option<i32>) -> ClassRecord;
    branch_life::record_training_steps(shell; class_id: Id) -> Vec<Id>;
    branch_life::write_certificates(shell; class_id: Id, path: PathBuf) -> ();
    branch_life::add_study_entry(shell; entry: StudyEntry) -> StudyEntry;
    branch_life::import_study_entries(shell; path: PathBuf | on_progress) -> usize;
    branch_life::unenrol(shell; class_id: Id, people: Vec<Id>) -> ClassRecord;
    branch_life::study_entries(shell; person: Id, year: i32) -> Vec<StudyEntry>;
    branch_life::delete_study_entry(shell; id: Id) -> ();
    branch_life::add_meeting_attachments(shell; meeting_id: Id, paths: Vec<PathBuf>) -> MeetingRecord;
    branch_life::meeting_attachment_bytes(shell; attachment_id: Id) -> Bytes;
    branch_life::save_meeting_attachment_as(shell; attachment_id: Id, path: PathBuf) -> ();
    branch_life::delete_meeting_attachment(shell; attachment_id: Id) -> ();
    accounts::unlock_with_recovery(shell; code: String) -> ();
    accounts::session_user(shell) -> SessionUser;
    accounts::procedure(shell) -> Procedure;
    accounts::list_users(shell) -> Vec<User>;
    accounts::add_user(shell; name: String, role: Role, branches: Vec<Id>, passphrase: String) -> User;
    accounts::set_user_role(shell; user_id: Id, role: Role, branches: Vec<Id>) -> User;
    accounts::remove_user(shell; user_id: Id) -> ();
    accounts::reset_passphrase(shell; user_id: Id, passphrase: String) -> ();
    accounts::change_passphrase(app, shell; current: String, next: String) -> ();
    accounts::new_recovery_code(shell) -> String;
    accounts::write_recovery_sheet(shell; code: String, path: PathBuf) -> ();
    accounts::audit_log(shell; query: AuditQuery) -> AuditPage;
    accounts::export_audit(shell; query: AuditQuery, path: PathBuf) -> u64;
}

#[cfg(test)]
mod tests {
    /// The window's capability grants exactly the table's commands (and listening to the shell's
    /// events): a command added to the table and not granted would be refused at run time, and a
    /// grant left behind for a command that is gone would hide a typo.
    #[test]
    fn the_capability_grants_exactly_the_tables_commands() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities/default.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut granted: Vec<String> = json["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|c| c.replace('-', "_")))
            .collect();
        let mut commands: Vec<String> = super::COMMANDS.iter().map(|c| c.to_string()).collect();
        granted.sort();
        commands.sort();
        assert_eq!(granted, commands);
    }
}
