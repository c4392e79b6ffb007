//! The one surface the shells call: a [`Session`] is an unlocked workspace, and every operation
//! the app or the CLI performs is one method here (rust-analyzer's `Analysis` is the model). Each
//! method is a short hand-off to the module that owns the concept; the logic, and every role
//! check, lives there. What a shell used to assemble from several calls (the recovery sheet, the
//! daily backup after new settings, an import from a file) is assembled here, once.
//!
//! Locked operations (create, unlock, restore, change one's passphrase) are associated functions
//! taking the [`Workspace`] folder.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::access::{NewUser, Role, SessionUser, User};
use crate::backup::{BackupSettings, BackupWritten, VerifyReport};
use crate::calendar::Date;
use crate::checklist::ChecklistLine;
use crate::deadlines::{Dashboard, DeadlineItem, DeadlineQuery};
use crate::domain::{
    AttachmentInfo, Attendee, EventKind, FileRecord, Id, Meeting, MeetingRecord, OrgKind, OrgUnit, PartyGroup, Person,
    PostHeld, PostRecord, ProcedureEvent,
};
use crate::dossier::{DossierOptions, DossierWritten, DossiersWritten, RecoverySheet};
use crate::jobs::Progress;
use crate::keys::RecoveryCode;
use crate::late::LateStep;
use crate::reminders::{Notice, Reminder};
use crate::roster::{ImportOptions, ImportReport, Roster};
use crate::rules::RuleSet;
use crate::statistics::export::ChartImage;
use crate::statistics::{AnnualReport, CellRef, Statistics, StatsQuery};
use crate::store::{
    AuditPage, AuditQuery, MeetingQuery, MemberDetail, MemberFile, MemberPage, MemberQuery, MemberSummary,
    NewAttachment, OrgTree,
};
use crate::study::StudyHours;
use crate::workdays::CalendarDay;
use crate::workspace::NewWorkspace;
use crate::{Result, Store, Text, Workspace};

/// An unlocked workspace: its folder and its open store, signed in as one user. Dropping it
/// locks the workspace (the key goes with the store).
pub struct Session {
    workspace: Workspace,
    store: Store,
    /// A discipline inspector's keys of the complaints register, unsealed at sign-in; `None` for
    /// everyone else, and for an inspector no other inspector has given the key yet.
    register: Option<crate::keys::RegisterKeys>,
    /// Why an inspector's register keys could not be opened at sign-in (the session opens all
    /// the same; only the register is refused, with this reason).
    register_error: Option<Text>,
}

/// A progress callback of a long job (see [`crate::jobs`]).
pub trait Report: FnMut(Progress) -> ControlFlow<()> {}
impl<F: FnMut(Progress) -> ControlFlow<()>> Report for F {}

impl Session {
    // --- Locked: making and opening a workspace ---------------------------------------------

    /// Creates the encrypted workspace, `new.user` its administrator, and opens it. The recovery
    /// code is returned this once.
    pub fn create(workspace: Workspace, new: &NewWorkspace<'_>) -> Result<(Session, RecoveryCode)> {
        let (store, code) = workspace.create_with_recovery(new)?;
        Ok((Session { workspace, store, register: None, register_error: None }, code))
    }

    /// Opens the workspace as `user`, or as whoever the passphrase belongs to when `None`.
    pub fn unlock(workspace: Workspace, user: Option<&str>, passphrase: &str) -> Result<Session> {
        let mut store = workspace.open_as(user, passphrase)?;
        let (register, register_error) = Session::register_of(&workspace, &mut store, passphrase);
        Ok(Session { workspace, store, register, register_error })
    }

    /// An inspector's register keys (see `Workspace::open_register`); nobody else's.
    fn register_of(
        workspace: &Workspace,
        store: &mut Store,
        passphrase: &str,
    ) -> (Option<crate::keys::RegisterKeys>, Option<Text>) {
        if store.session_user().role != Role::DisciplineInspector {
            return (None, None);
        }
        match workspace.open_register(store, passphrase) {
            Ok(keys) => (keys, None),
            Err(e) => (None, Some(e.text())),
        }
    }

    /// Opens the workspace with the recovery code: user management only, to set passphrases anew.
    pub fn unlock_with_recovery(workspace: Workspace, code: &str) -> Result<Session> {
        let store = workspace.open_with_recovery(code)?;
        Ok(Session { workspace, store, register: None, register_error: None })
    }

    /// Makes a workspace of a backup in the empty folder `into`, checked whole first, and opens it.
    pub fn restore(
        from: &Path,
        into: Workspace,
        user: Option<&str>,
        passphrase: &str,
        progress: impl Report,
    ) -> Result<Session> {
        let mut store = crate::backup::restore_backup_with_progress(from, &into, user, passphrase, progress)?;
        let (register, register_error) = Session::register_of(&into, &mut store, passphrase);
        Ok(Session { workspace: into, store, register, register_error })
    }

    /// Creates a workspace for demo data: as [`Session::create`], but without a recovery key,
    /// since nothing in it needs recovering.
    pub fn create_demo(workspace: Workspace, new: &NewWorkspace<'_>) -> Result<Session> {
        let store = workspace.create(new)?;
        Ok(Session { workspace, store, register: None, register_error: None })
    }

    /// Changes a user's passphrase (theirs: `old` must open their slot). Needs no session.
    pub fn change_passphrase(workspace: &Workspace, user: Option<&str>, old: &str, new: &str) -> Result<()> {
        workspace.change_passphrase_as(user, old, new)
    }

    // --- The session itself ------------------------------------------------------------------

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// Who is signed in, and what they may do.
    pub fn session_user(&self) -> &SessionUser {
        self.store.session_user()
    }

    /// The day deadlines count from: the system's date, unless a test or the CLI's `--today` fixed it.
    pub fn today(&self) -> Date {
        self.store.today()
    }

    pub fn set_today(&mut self, today: Date) {
        self.store.set_today(today);
    }

    /// The procedure's stages and steps, with what each step allows, for a shell to offer them.
    pub fn procedure(&self) -> crate::domain::Procedure {
        crate::domain::Procedure::current()
    }

    /// Builds the in-memory indexes now (after unlocking, in the background).
    pub fn warm_up(&self) -> Result<()> {
        self.store.warm_up()
    }

    /// The store, for the core's own tests and tools that measure it. Shells call the methods.
    #[doc(hidden)]
    pub fn store(&self) -> &Store {
        &self.store
    }

    // --- Members and their procedure ---------------------------------------------------------

    pub fn list_members(&self, query: &MemberQuery) -> Result<MemberPage> {
        self.store.list_members(query)
    }

    /// Every member `query` lists, page by page in list order, whatever its offset and limit;
    /// returns how many. `ControlFlow::Break` stops early.
    pub fn for_each_member_page(
        &self,
        query: &MemberQuery,
        each_page: impl FnMut(&[MemberSummary]) -> Result<ControlFlow<()>>,
    ) -> Result<u64> {
        self.store.for_each_member_page(query, each_page)
    }

    pub fn count_people(&self) -> Result<u64> {
        self.store.count_people()
    }

    pub fn member(&self, id: Id) -> Result<MemberDetail> {
        self.store.member(id)
    }

    pub fn late_steps_of(&self, ids: &[Id]) -> Result<Vec<Vec<LateStep>>> {
        self.store.late_steps_of(ids)
    }

    /// Creates a person (`id: None`) or updates one.
    pub fn save_person(&mut self, person: Person) -> Result<MemberDetail> {
        self.store.save_person(person)
    }

    /// Adds an event (`id: None`) to a person's procedure or changes one.
    pub fn save_event(&mut self, person_id: Id, event: ProcedureEvent) -> Result<MemberDetail> {
        self.store.save_event(person_id, event)
    }

    /// Records one step for several people, all or none, naming each person refused.
    pub fn save_event_for_many(&mut self, person_ids: &[Id], event: &ProcedureEvent) -> Result<Vec<MemberDetail>> {
        self.store.save_event_for_many(person_ids, event)
    }

    pub fn delete_event(&mut self, person_id: Id, event_id: Id) -> Result<MemberDetail> {
        self.store.delete_event(person_id, event_id)
    }

    // --- Membership status (issue 17) ----------------------------------------------------------

    /// A person's status changes, oldest first.
    pub fn status_history(&self, person_id: Id) -> Result<Vec<crate::domain::StatusChange>> {
        self.store.status_history(person_id)
    }

    /// Records a change of membership status, checked against the person's stage and history.
    pub fn change_status(&mut self, change: crate::domain::StatusChange) -> Result<MemberDetail> {
        self.store.change_status(change)
    }

    /// Takes back the latest status change (recorded in error); with `seen` (the change the user
    /// was shown), only if that is still the latest.
    pub fn undo_status_change(&mut self, person_id: Id, seen: Option<Id>) -> Result<MemberDetail> {
        self.store.undo_status_change(person_id, seen)
    }

    // --- Transfers by introduction letter (issue 17) ---------------------------------------------

    /// Issues a transfer letter (the member leaves the register on its day) and, given a path,
    /// writes it as a PDF there. The path is checked first: a path inside the workspace issues
    /// nothing.
    pub fn issue_letter(
        &mut self,
        new: crate::transfer::NewLetter,
        path: Option<&Path>,
    ) -> Result<crate::transfer::TransferLetter> {
        // The file is opened first: a folder that is missing or cannot be written issues nothing.
        let out = self.letters_file(path)?;
        let letter = self.store.issue_letter(new)?;
        if let Some(out) = out {
            self.finish_letters(out, &[letter.id])?;
        }
        Ok(letter)
    }

    /// Where letters about to be issued will be printed, opened before they are.
    fn letters_file(&self, path: Option<&Path>) -> Result<Option<crate::output::OutputFile>> {
        path.map(|path| crate::output::OutputFile::create(self.store.workspace_dir(), path)).transpose()
    }

    /// Prints letters just issued into the file opened for them.
    fn finish_letters(&self, out: crate::output::OutputFile, ids: &[Id]) -> Result<()> {
        finish_letters(out, || self.store.letters_to_print(ids), self.today())
    }

    /// Keeps a graduate's relationship at the university from the day they graduated, or (`None`)
    /// ends the keeping: the item falls due when the rule's two years end.
    pub fn keep_graduate(&mut self, person_id: Id, graduated_on: Option<Date>) -> Result<crate::store::MemberDetail> {
        self.store.keep_graduate(person_id, graduated_on)
    }

    /// Writes the letters (of one person, or only those awaiting their receipt) as a workbook.
    pub fn export_letters(&self, person: Option<Id>, open_only: bool, path: &Path) -> Result<()> {
        let letters = self.store.letters(person, open_only)?;
        crate::lists::write_sheets(self.store.workspace_dir(), path, &[crate::lists::letters_sheet(&letters)])
    }

    /// The people of a class year (年级) still in the register, under a unit.
    pub fn class_of(&self, class_year: u16, unit: Option<Id>) -> Result<Vec<Id>> {
        self.store.class_of(class_year, unit)
    }

    /// Checks a batch of letters (a graduating class) without issuing any: who would be refused
    /// and why, what each still owes, whose conversion falls due before leaving.
    pub fn check_letters(
        &mut self,
        letters: &[crate::transfer::NewLetter],
    ) -> Result<Vec<crate::transfer::LeaverCheck>> {
        self.store.check_letters(letters)
    }

    /// Issues a batch of letters in one transaction and, given a path, prints them all to one PDF
    /// there (checked first: a path inside the workspace issues nothing). Stopped or refused for
    /// one, none is issued.
    pub fn issue_letters(
        &mut self,
        letters: &[crate::transfer::NewLetter],
        path: Option<&Path>,
        progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<Vec<crate::transfer::TransferLetter>> {
        let out = self.letters_file(path)?;
        let issued = self.store.issue_letters(letters, progress)?;
        if let Some(out) = out {
            let ids: Vec<Id> = issued.iter().map(|l| l.id).collect();
            self.finish_letters(out, &ids)?;
        }
        Ok(issued)
    }

    /// Writes letters (each on its page, three parts under one number) to one PDF.
    pub fn write_letters(&self, ids: &[Id], path: &Path) -> Result<()> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let (letters, committee) = self.store.letters_to_print(ids)?;
        let pdf = crate::dossier::letter::letters_pdf(&letters, &committee, self.today())?;
        crate::output::write(self.store.workspace_dir(), path, &pdf)
    }

    /// Records the receipt returned for a letter.
    pub fn record_receipt(&mut self, letter_id: Id, date: Date) -> Result<crate::transfer::TransferLetter> {
        self.store.record_receipt(letter_id, date)
    }

    /// Reissues an expired letter under a new number and, given a path, writes the new letter as
    /// a PDF there (opened first: a path inside the workspace or a missing folder reissues nothing).
    pub fn reissue_letter(
        &mut self,
        letter_id: Id,
        issued_on: Date,
        validity_days: Option<u32>,
        path: Option<&Path>,
    ) -> Result<crate::transfer::TransferLetter> {
        let out = self.letters_file(path)?;
        let letter = self.store.reissue_letter(letter_id, issued_on, validity_days)?;
        if let Some(out) = out {
            self.finish_letters(out, &[letter.id])?;
        }
        Ok(letter)
    }

    /// Cancels a letter not yet received: the member is back in the register.
    pub fn cancel_letter(
        &mut self,
        letter_id: Id,
        date: Date,
        reason: Option<String>,
    ) -> Result<crate::transfer::TransferLetter> {
        self.store.cancel_letter(letter_id, date, reason)
    }

    /// The letters (of one person, or only those awaiting their receipt), newest first.
    pub fn letters(&self, person: Option<Id>, open_only: bool) -> Result<Vec<crate::transfer::TransferLetter>> {
        self.store.letters(person, open_only)
    }

    pub fn letter(&self, id: Id) -> Result<crate::transfer::TransferLetter> {
        self.store.letter(id)
    }

    /// Records a member's application to transfer out (转出申请).
    pub fn apply_transfer(
        &mut self,
        new: crate::transfer_request::NewTransferRequest,
    ) -> Result<crate::transfer_request::TransferRequest> {
        self.store.apply_transfer(new)
    }

    /// Approves an application awaiting its decision: the letter may then be issued.
    pub fn approve_transfer(&mut self, request_id: Id, date: Date) -> Result<crate::transfer_request::TransferRequest> {
        self.store.approve_transfer(request_id, date)
    }

    /// Declines an application (or withdraws an approval before the letter), with the reason.
    pub fn decline_transfer(
        &mut self,
        request_id: Id,
        date: Date,
        reason: &str,
    ) -> Result<crate::transfer_request::TransferRequest> {
        self.store.decline_transfer(request_id, date, reason)
    }

    /// The applications (of one person, or only the open ones), newest first.
    pub fn transfer_requests(
        &self,
        person: Option<Id>,
        open_only: bool,
    ) -> Result<Vec<crate::transfer_request::TransferRequest>> {
        self.store.transfer_requests(person, open_only)
    }

    pub fn transfer_request(&self, id: Id) -> Result<crate::transfer_request::TransferRequest> {
        self.store.transfer_request(id)
    }

    /// Registers a member arriving by transfer (转入) with the steps they took elsewhere, the
    /// letter they came with and the materials that arrived; returns their page.
    pub fn register_arrival(&mut self, arrival: crate::arrival::NewArrival) -> Result<crate::store::MemberDetail> {
        self.store.register_arrival(arrival)
    }

    /// Writes the member package of a letter (the member's whole file, sealed under the code on
    /// the letter) to `path`, outside the workspace.
    pub fn write_member_package(&self, letter_id: Id, path: &Path) -> Result<crate::package::PackageWritten> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let (package, code) = self.store.member_package(letter_id)?;
        write_package(self.store.workspace_dir(), path, package, &code)
    }

    /// Registers the member a package carried, opened with the code on their letter, into a
    /// branch: refused, importing nothing, when the package is for another office (unless the
    /// worker confirms it is for this one, `addressed_here`: the letter names it in another
    /// form), the code is wrong or a byte has changed.
    pub fn receive_member_package(
        &mut self,
        path: &Path,
        code: &str,
        branch_id: Id,
        received_on: Date,
        addressed_here: bool,
    ) -> Result<crate::store::MemberDetail> {
        let committee = self.store.committee_name()?;
        let here = [committee];
        let package = open_package(path, code, (!addressed_here).then_some(&here[..]))?;
        self.store.receive_package(package, branch_id, received_on)
    }

    /// How the person came into the register, if by transfer.
    pub fn arrival(&self, person_id: Id) -> Result<Option<crate::arrival::ArrivalRecord>> {
        self.store.arrival(person_id)
    }

    // --- The democratic appraisal (issue 18) ---------------------------------------------------

    /// Opens the appraisal of `year` for a branch, or for every branch under a unit that has none.
    pub fn open_appraisals(
        &mut self,
        unit: Id,
        year: i32,
        opened_on: Date,
    ) -> Result<Vec<crate::appraisal::Appraisal>> {
        self.store.open_appraisals(unit, year, opened_on)
    }

    pub fn appraisal(&self, id: Id) -> Result<crate::appraisal::Appraisal> {
        self.store.appraisal(id)
    }

    /// The appraisal of a branch for a year.
    pub fn appraisal_of(&self, unit: Id, year: i32) -> Result<crate::appraisal::Appraisal> {
        self.store.appraisal_of(unit, year)
    }

    /// The appraisals of a year (under a unit, or all the user may see).
    pub fn appraisals(&self, year: i32, unit: Option<Id>) -> Result<Vec<crate::appraisal::Appraisal>> {
        self.store.appraisals(year, unit)
    }

    /// Dates a step of an appraisal, or takes its day back.
    pub fn date_appraisal_step(
        &mut self,
        id: Id,
        step: crate::appraisal::AppraisalStep,
        date: Option<Date>,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.date_appraisal_step(id, step, date)
    }

    /// Records the vote: the ballots cast and the members' counts, all or none.
    pub fn record_votes(
        &mut self,
        id: Id,
        ballots_cast: u32,
        rows: &[crate::appraisal::VoteRow],
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.record_votes(id, ballots_cast, rows)
    }

    /// Records the vote from a sheet (.xlsx or .csv: 姓名 or 学号工号, 优秀, 合格, 基本合格, 不合格),
    /// all rows or none, every bad row named.
    pub fn import_votes(&mut self, id: Id, ballots_cast: u32, path: &Path) -> Result<crate::appraisal::Appraisal> {
        let (rows, mut problems) = crate::appraisal::read_vote_sheet(path)?;
        let appraisal = self.store.appraisal(id)?;
        let votes = crate::appraisal::vote_rows_of_sheet(&appraisal, &rows, ballots_cast, &mut problems);
        problems.refuse()?;
        self.store.record_votes(id, ballots_cast, &votes)
    }

    /// Sets (or clears) the branch's proposed grade of a member by hand.
    pub fn propose_grade(
        &mut self,
        id: Id,
        person_id: Id,
        grade: Option<crate::domain::Grade>,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.propose_grade(id, person_id, grade)
    }

    /// Decides a member's grade, checked against the rules (the third, the probationary member,
    /// the reason of 不合格).
    pub fn grade_member(
        &mut self,
        id: Id,
        decision: &crate::appraisal::GradeDecision,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.grade_member(id, decision)
    }

    /// Closes an appraisal: each grade into its member's file, a correction period begun for 不合格.
    pub fn close_appraisal(&mut self, id: Id, date: Date) -> Result<crate::appraisal::Appraisal> {
        self.store.close_appraisal(id, date)
    }

    /// Records how an unsatisfactory member's correction period ended.
    pub fn end_correction(
        &mut self,
        id: Id,
        person_id: Id,
        outcome: crate::appraisal::CorrectionOutcome,
        date: Date,
        note: Option<&str>,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.end_correction(id, person_id, outcome, date, note)
    }

    /// Writes the ballot and the tally sheet of an appraisal as one PDF.
    pub fn write_ballots(&self, id: Id, path: &Path) -> Result<()> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let appraisal = self.store.appraisal(id)?;
        let pdf = crate::dossier::appraisal::ballots_pdf(&appraisal, &self.store.committee_name()?, self.today())?;
        crate::output::write(self.store.workspace_dir(), path, &pdf)
    }

    /// Writes a branch's results sheet as a PDF.
    pub fn write_appraisal_results(&self, id: Id, path: &Path) -> Result<()> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let appraisal = self.store.appraisal(id)?;
        let pdf = crate::dossier::appraisal::results_pdf(&appraisal, &self.store.committee_name()?, self.today())?;
        crate::output::write(self.store.workspace_dir(), path, &pdf)
    }

    /// Writes the year's results of every branch (under a unit) as a workbook.
    pub fn export_appraisals(&self, year: i32, unit: Option<Id>, path: &Path) -> Result<()> {
        let appraisals = self.store.appraisals(year, unit)?;
        crate::lists::write_sheets(self.store.workspace_dir(), path, &[crate::lists::appraisal_sheet(&appraisals)])
    }

    // --- The complaints register (issue 18) ------------------------------------------------------

    /// The register keys, for a discipline inspector who holds them: anyone else is refused
    /// (`Forbidden`), an inspector not yet given the key is told to wait for another's sign-in.
    fn register_keys(&self) -> Result<&crate::keys::RegisterKeys> {
        self.store.require(crate::access::Action::HandleComplaints)?;
        if let Some(why) = &self.register_error {
            return Err(crate::Error::invalid("register", why.zh.clone(), why.en.clone()));
        }
        self.register.as_ref().ok_or_else(|| crate::Error::invalid(
            "register",
            "信访举报登记簿的密钥尚未交给你：须由一名持有它的纪检委员交给你（dangan complaints grant）；新添加的纪检委员、口令被重设后均如此",
            "the complaints register's key has not been given to you yet: an inspector who holds it gives it to you (dangan complaints grant); so for a new inspector, and after a passphrase was set anew",
        ))
    }

    /// The whole register opened, for its inspector to move it onto a shared server
    /// (`ServerSession::upload_register`).
    pub(crate) fn register_for_upload(&self) -> Result<Vec<crate::store::KeptComplaint>> {
        self.store.register_for_upload(self.register_keys()?)
    }

    /// One file of the register, opened, for its move onto a shared server.
    pub(crate) fn register_file(&self, attachment: Id) -> Result<crate::store::NewAttachment> {
        self.store.register_file(self.register_keys()?, attachment)
    }

    /// The register keys a change is made with, checked against the key file (replaced since
    /// sign-in: refused; an inspector removed meanwhile: the key replaced first).
    fn register_keys_for_change(&mut self) -> Result<crate::keys::RegisterKeys> {
        let keys = self.register_keys()?.clone();
        let fresh = self.workspace.register_keys_now(&mut self.store, &keys)?;
        self.register = Some(fresh.clone());
        Ok(fresh)
    }

    /// Gives the register key to another discipline inspector (named): only a holder can, and
    /// only to a user whose role is discipline inspector. Logged.
    pub fn grant_register(&mut self, user: &str) -> Result<()> {
        let keys = self.register_keys_for_change()?;
        let (name, slot) = self.store.inspector_slot(user)?;
        self.workspace.grant_register(&keys, &slot)?;
        self.store.log_account_event(&name, "register", "given the complaints register's key")
    }

    /// The discipline inspectors still waiting for the register key.
    pub fn register_waiting(&self) -> Result<Vec<String>> {
        self.store.require(crate::access::Action::HandleComplaints)?;
        let holders = self.workspace.register_holders()?;
        Ok(self.store.inspectors()?.into_iter().filter(|(_, slot)| !holders.contains(slot)).map(|(n, _)| n).collect())
    }

    /// That the register exists and how many entries are open: anyone signed in may know this.
    pub fn complaints_overview(&self) -> Result<crate::complaints::ComplaintsOverview> {
        self.store.complaints_overview()
    }

    /// Registers an entry of the complaints register.
    pub fn add_complaint(&mut self, new: &crate::complaints::NewComplaint) -> Result<crate::complaints::Complaint> {
        let keys = self.register_keys_for_change()?;
        self.store.add_complaint(&keys, new)
    }

    /// The register, newest first (open entries only, or all), without any entry's words.
    pub fn complaints(&self, open_only: bool) -> Result<Vec<crate::complaints::ComplaintLine>> {
        self.store.complaints(open_only)
    }

    /// Opens an entry (by number or id); the reading goes into the audit log.
    pub fn complaint(&self, number_or_id: &str) -> Result<crate::complaints::Complaint> {
        let keys = self.register_keys()?;
        let id = self.store.complaint_id(number_or_id)?;
        self.store.complaint(keys, id)
    }

    /// Records a step of an entry's handling.
    pub fn handle_complaint(
        &mut self,
        number_or_id: &str,
        handling: &crate::complaints::NewHandling,
    ) -> Result<crate::complaints::Complaint> {
        let keys = self.register_keys_for_change()?;
        let id = self.store.complaint_id(number_or_id)?;
        self.store.handle_complaint(&keys, id, handling)
    }

    /// Attaches files (scans, photos, PDFs) to an open entry, sealed like its words.
    pub fn add_complaint_attachments(
        &mut self,
        number_or_id: &str,
        paths: &[PathBuf],
    ) -> Result<crate::complaints::Complaint> {
        let keys = self.register_keys_for_change()?;
        let id = self.store.complaint_id(number_or_id)?;
        let files = paths.iter().map(|p| NewAttachment::read(p)).collect::<Result<Vec<_>>>()?;
        self.store.add_complaint_attachments(&keys, id, &files)
    }

    /// Writes a copy of one of an entry's files outside the workspace (the reading is recorded).
    pub fn save_complaint_attachment_as(
        &self,
        number_or_id: &str,
        attachment: Id,
        path: &Path,
    ) -> Result<crate::complaints::ComplaintAttachment> {
        let keys = self.register_keys()?;
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let id = self.store.complaint_id(number_or_id)?;
        let (meta, bytes) = self.store.complaint_attachment(keys, id, attachment)?;
        crate::output::write(self.store.workspace_dir(), path, &bytes)?;
        Ok(meta)
    }

    /// Prints an entry's handling form as a PDF: the register's only way out of the workspace, one
    /// entry at a time (the reading is in the audit log).
    pub fn write_complaint_form(&self, number_or_id: &str, path: &Path) -> Result<()> {
        let keys = self.register_keys()?;
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let id = self.store.complaint_id(number_or_id)?;
        let complaint = self.store.complaint(keys, id)?;
        let pdf =
            crate::dossier::complaint::handling_form_pdf(&complaint, &self.store.committee_name()?, self.today())?;
        crate::output::write(self.store.workspace_dir(), path, &pdf)
    }

    /// Closes an entry with its result.
    pub fn close_complaint(
        &mut self,
        number_or_id: &str,
        date: Date,
        result: &str,
    ) -> Result<crate::complaints::Complaint> {
        let keys = self.register_keys_for_change()?;
        let id = self.store.complaint_id(number_or_id)?;
        self.store.close_complaint(&keys, id, date, result)
    }

    // --- Party dues (issue 17) ------------------------------------------------------------------

    /// Records a sheet of dues payments and deferrals (.xlsx or .csv: 姓名 or 学号工号, 起始月份,
    /// 月数, 交纳日期, 代交人, 缓交原因), all rows or none, every bad row named.
    pub fn import_dues(
        &mut self,
        path: &Path,
        mut progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let (rows, problems) = crate::dues::read_payment_sheet(path)?;
        self.store.import_dues(&rows, problems, &mut progress)
    }

    /// The payments received in the months `from..=to` under a unit, one line each.
    pub fn dues_receipts(
        &self,
        unit: Option<Id>,
        from: crate::dues::Month,
        to: crate::dues::Month,
    ) -> Result<Vec<crate::store::DuesReceipt>> {
        self.store.dues_receipts(unit, from, to)
    }

    /// Writes the period's dues: the branch summary and the payments as a workbook (`.xlsx`), or
    /// the receipt list to sign (`.pdf`).
    pub fn export_dues(
        &self,
        unit: Option<Id>,
        from: crate::dues::Month,
        to: crate::dues::Month,
        path: &Path,
    ) -> Result<()> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let summary = self.store.dues_summary(unit, from, to)?;
        let receipts = self.store.dues_receipts(unit, from, to)?;
        let committee = self.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        crate::dues_report::write(self.store.workspace_dir(), path, &committee, (from, to), &summary, &receipts)
    }

    /// The monthly dues of a category and base (in fen) under the workspace's rules.
    pub fn dues_rate(&self, category: crate::domain::DuesCategory, base_fen: i64) -> Result<i64> {
        self.store.rules().dues().monthly_fen(category, base_fen)
    }

    /// Sets a member's dues category and base from a month on.
    pub fn set_dues_base(&mut self, base: crate::store::DuesBase) -> Result<crate::store::DuesLedger> {
        self.store.set_dues_base(base)
    }

    /// Records months paid or deferred in a row.
    pub fn record_dues(&mut self, payment: crate::store::DuesPayment) -> Result<crate::store::DuesLedger> {
        self.store.record_dues(payment)
    }

    /// Takes back the latest month paid or deferred; with `seen`, only if that is still the latest
    /// (the month the user was shown: another worker may have recorded one since).
    pub fn undo_dues_month(
        &mut self,
        person_id: Id,
        seen: Option<crate::dues::Month>,
    ) -> Result<crate::store::DuesLedger> {
        self.store.undo_dues_month(person_id, seen)
    }

    pub fn dues_ledger(&self, person_id: Id) -> Result<crate::store::DuesLedger> {
        self.store.dues_ledger(person_id)
    }

    pub fn dues_arrears(&self, unit: Option<Id>) -> Result<Vec<crate::store::DuesArrears>> {
        self.store.dues_arrears(unit)
    }

    /// Each branch's dues for a month, or for the months of a range (a year).
    pub fn dues_summary(
        &self,
        unit: Option<Id>,
        from: crate::dues::Month,
        to: crate::dues::Month,
    ) -> Result<Vec<crate::store::BranchDues>> {
        self.store.dues_summary(unit, from, to)
    }

    // --- The organisation --------------------------------------------------------------------

    pub fn org_tree(&self) -> Result<OrgTree> {
        self.store.org_tree()
    }

    pub fn org_units(&self) -> Result<Vec<OrgUnit>> {
        Ok(self.store.org_tree()?.units().to_vec())
    }

    pub fn add_org_unit(&mut self, parent_id: Id, kind: OrgKind, name: &str) -> Result<OrgUnit> {
        self.store.add_org_unit(parent_id, kind, name)
    }

    // --- Rosters -----------------------------------------------------------------------------

    /// Reads the roster at `path` and imports it, all rows or none (see `roster/import.rs`).
    pub fn import_roster_file(
        &mut self,
        path: &Path,
        options: ImportOptions,
        progress: impl Report,
    ) -> Result<ImportReport> {
        let roster = crate::roster::read(path)?;
        self.store.import_roster(roster, options, progress)
    }

    /// Imports a roster already read (the CLI reads it while the workspace unlocks).
    pub fn import_roster(
        &mut self,
        roster: Roster,
        options: ImportOptions,
        progress: impl Report,
    ) -> Result<ImportReport> {
        self.store.import_roster(roster, options, progress)
    }

    /// Writes the members `query` lists (all of them) to an .xlsx file; returns how many.
    pub fn export_members(&self, query: &MemberQuery, path: &Path, progress: impl Report) -> Result<u64> {
        crate::roster::export_xlsx_with_progress(&self.store, query, path, progress)
    }

    /// Writes an empty roster with every column, and a sample row, for an office to fill in. It
    /// needs no unlocking: the template holds no one's data, and `workspace` is only the folder it
    /// must not be written into.
    pub fn roster_template(workspace: &Workspace, path: &Path) -> Result<()> {
        crate::roster::write_template(workspace.dir(), path)
    }

    /// Fills a new workspace with `count` generated people (see [`crate::demo`]); refuses one
    /// that holds people already.
    pub fn fill_demo(&mut self, count: usize, seed: u64) -> Result<ImportReport> {
        crate::demo::populate(&mut self.store, count, seed)
    }

    // --- Dossiers ----------------------------------------------------------------------------

    fn dossier_options(&self) -> DossierOptions {
        DossierOptions { generated_on: self.store.today(), created_at: chrono::Utc::now() }
    }

    /// Prints one member's file as a PDF dossier at `path`.
    pub fn write_dossier(&self, member_id: Id, path: &Path) -> Result<DossierWritten> {
        crate::dossier::write_one(&self.store, member_id, path, &self.dossier_options())
    }

    /// Prints the dossiers of the members `query` lists into `dir`, on all cores.
    pub fn write_dossiers(&self, query: &MemberQuery, dir: &Path, progress: impl Report) -> Result<DossiersWritten> {
        crate::dossier::write_listed(&self.store, query, dir, &self.dossier_options(), progress)
    }

    // --- Deadlines and reminders -------------------------------------------------------------

    pub fn dashboard(&self, as_of: Option<Date>, branch_id: Option<Id>) -> Result<Dashboard> {
        self.store.dashboard(as_of, branch_id)
    }

    pub fn deadlines(&self, query: &DeadlineQuery) -> Result<Vec<DeadlineItem>> {
        self.store.deadlines(query)
    }

    /// Writes the items a query selects to a workbook (`.xlsx`).
    pub fn export_deadlines(&self, query: &DeadlineQuery, path: &Path) -> Result<()> {
        let items = self.store.deadlines(query)?;
        let as_of = query.as_of.unwrap_or_else(|| self.store.today());
        let sheet = crate::lists::deadline_sheet("期限", &items, as_of);
        crate::lists::write_sheets(self.store.workspace_dir(), path, &[sheet])
    }

    /// Writes the dashboard to a workbook: the counts per branch, then every pending item.
    pub fn export_dashboard(&self, as_of: Option<Date>, branch_id: Option<Id>, path: &Path) -> Result<()> {
        let dashboard = self.store.dashboard(as_of, branch_id)?;
        let query = DeadlineQuery { as_of: Some(dashboard.as_of), branch_id, ..DeadlineQuery::default() };
        let items = self.store.deadlines(&query)?;
        crate::lists::write_sheets(
            self.store.workspace_dir(),
            path,
            &crate::lists::dashboard_sheets(&dashboard, &items),
        )
    }

    /// Acknowledges an item (`until: None`) or snoozes it until a day.
    pub fn dismiss_deadline(&mut self, member_id: Id, rule: &str, due: Date, until: Option<Date>) -> Result<()> {
        self.store.dismiss_deadline(member_id, rule, due, until)
    }

    pub fn restore_deadline(&mut self, member_id: Id, rule: &str, due: Date) -> Result<()> {
        self.store.restore_deadline(member_id, rule, due)
    }

    /// Sets aside a meeting a unit (or one of its party groups) owes: acknowledged, or snoozed.
    pub fn dismiss_unit_deadline(
        &mut self,
        unit_id: Id,
        group_id: Option<Id>,
        rule: &str,
        due: Date,
        until: Option<Date>,
    ) -> Result<()> {
        self.store.dismiss_unit_deadline(unit_id, group_id, rule, due, until)
    }

    pub fn restore_unit_deadline(&mut self, unit_id: Id, group_id: Option<Id>, rule: &str, due: Date) -> Result<()> {
        self.store.restore_unit_deadline(unit_id, group_id, rule, due)
    }

    pub fn reminders_due(&self, as_of: Option<Date>) -> Result<Vec<Reminder>> {
        self.store.reminders_due(as_of)
    }

    /// Sends the reminders due through `send`, recording each as sent once delivered.
    pub fn deliver_reminders(
        &mut self,
        as_of: Option<Date>,
        lang: crate::Lang,
        send: impl FnMut(&Notice) -> Result<()>,
    ) -> Result<Vec<Reminder>> {
        self.store.deliver_reminders(as_of, lang, send)
    }

    /// The pending items `query` selects as an iCalendar file at `path`; returns how many.
    pub fn write_calendar(&self, query: &DeadlineQuery, path: &Path) -> Result<usize> {
        let items = self.store.deadlines(query)?;
        let ics = crate::ics::write_ics(&items, &self.store.calendar_id()?, chrono::Utc::now());
        crate::output::write(self.workspace.dir(), path, ics.as_bytes())?;
        Ok(items.len())
    }

    pub fn holidays(&self) -> Result<(Vec<CalendarDay>, Vec<i32>)> {
        self.store.holidays()
    }

    pub fn set_holidays(&mut self, days: &[CalendarDay]) -> Result<Vec<i32>> {
        self.store.set_holidays(days)
    }

    pub fn rules(&self) -> &RuleSet {
        self.store.rules()
    }

    // --- The procedure's documents (issue 19) ----------------------------------------------------

    /// Every document, grouped by the stage of the people it is about, the office's own wording
    /// where it loaded one.
    pub fn documents(&self) -> Result<Vec<crate::documents::DocumentInfo>> {
        self.store.documents()
    }

    /// A document's template as a file, for an office to start its own wording from.
    pub fn document_template_source(&self, id: &str) -> Result<String> {
        Ok(self.store.document_template(id)?.source().to_owned())
    }

    /// Loads an office's own wording of a document, refusing a bad one whole, naming its line.
    pub fn load_document_template(&mut self, source: &str) -> Result<crate::documents::DocumentInfo> {
        self.store.load_document_template(source)
    }

    pub fn reset_document_template(&mut self, id: &str) -> Result<()> {
        self.store.reset_document_template(id)
    }

    /// Document `id` about `members` (one, or a batch in one table), dated `date` (today when
    /// none), filled in: what the app shows before it is saved.
    pub fn preview_document(
        &self,
        id: &str,
        members: &[Id],
        date: Option<Date>,
    ) -> Result<crate::documents::DocumentPreview> {
        self.store.preview_document(id, members, date)
    }

    /// Makes document `id` as [`Session::preview_document`] fills it in, as .docx or PDF by
    /// `out`'s extension. With `record_step`, the step issuing it starts (a publicity's first
    /// day) is recorded for each person too, dated the document's date: all or none, and before
    /// the file is written, so a refused step leaves no document behind.
    pub fn make_document(
        &mut self,
        id: &str,
        members: &[Id],
        date: Option<Date>,
        out: &Path,
        record_step: bool,
    ) -> Result<crate::documents::MadeDocument> {
        crate::documents::DocumentFormat::of_path(out)?;
        let template = self.store.document_template(id)?;
        let preview = self.store.preview_template(&template, members, date)?;
        let today = self.store.today();
        let store = &mut self.store;
        crate::documents::save(preview, out, self.workspace.dir(), today, || {
            Ok(if record_step { store.record_document_step(&template, members, date)?.len() } else { 0 })
        })
    }

    /// Loads an office's own rule file on top of the shipped rules, refusing a bad one whole.
    pub fn load_rules(&mut self, source: &str) -> Result<&RuleSet> {
        self.store.load_rules(source)
    }

    pub fn reset_rules(&mut self) -> Result<()> {
        self.store.reset_rules()
    }

    pub fn rules_warning(&self) -> Option<&Text> {
        self.store.rules_warning()
    }

    // --- Branch life -------------------------------------------------------------------------

    /// Records a meeting (new when its id is `None`) with its attendance.
    pub fn save_meeting(&mut self, meeting: Meeting, attendees: &[Attendee]) -> Result<MeetingRecord> {
        self.store.save_meeting(meeting, attendees)
    }

    pub fn meeting(&self, id: Id) -> Result<MeetingRecord> {
        self.store.meeting(id)
    }

    /// The meetings a query selects, oldest first, with their attendance.
    pub fn meetings(&self, query: &MeetingQuery) -> Result<Vec<MeetingRecord>> {
        self.store.meetings(query)
    }

    /// Records a meeting's attendance from an .xlsx or .csv sheet (姓名 or 学号工号, 出席情况,
    /// 事由), all rows or none, every bad row named.
    pub fn import_attendance(&mut self, id: Id, path: &Path) -> Result<MeetingRecord> {
        let (rows, problems) = crate::meetings::read_attendance_sheet(path)?;
        self.store.import_attendance(id, &rows, problems)
    }

    /// Records a sheet of held meetings (单位, 会议类型, 日期, and optionally 党小组, 主题, 地点, 主持人,
    /// 记录人, 学时, 出席, 请假, 缺席, 迟到), all rows or none, every bad row named.
    pub fn import_meetings(
        &mut self,
        path: &Path,
        mut progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let (rows, problems) = crate::meetings::read_meeting_sheet(path)?;
        self.store.import_meetings(&rows, problems, &mut progress)
    }

    /// Adds files to a meeting (sign-in sheet scans, photos), read from these paths, all or none.
    pub fn add_meeting_attachments(&mut self, meeting_id: Id, paths: &[PathBuf]) -> Result<MeetingRecord> {
        let files = paths.iter().map(|p| crate::store::NewAttachment::read(p)).collect::<Result<Vec<_>>>()?;
        self.store.add_meeting_attachments(meeting_id, &files)
    }

    /// A meeting's file: its description and bytes.
    pub fn meeting_attachment(&self, attachment_id: Id) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.store.meeting_attachment(attachment_id)
    }

    /// Writes a copy of a meeting's file outside the workspace.
    pub fn save_meeting_attachment_as(&self, attachment_id: Id, path: &Path) -> Result<AttachmentInfo> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let (info, bytes) = self.store.meeting_attachment(attachment_id)?;
        crate::output::write(self.store.workspace_dir(), path, &bytes)?;
        Ok(info)
    }

    pub fn delete_meeting_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.store.delete_meeting_attachment(attachment_id)
    }

    pub fn delete_meeting(&mut self, id: Id) -> Result<()> {
        self.store.delete_meeting(id)
    }

    /// Prints a meeting as a PDF: the sign-in sheet listing the unit's members (for a meeting not
    /// yet held, or when asked), else the minutes with the attendance.
    pub fn write_meeting_paper(&self, id: Id, sign_in: bool, path: &Path) -> Result<()> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let record = self.store.meeting(id)?;
        let query = MemberQuery { branch_id: Some(record.meeting.unit_id), ..MemberQuery::all() };
        let mut members = Vec::new();
        self.store.for_each_member_page(&query, |page| {
            members.extend(page.iter().filter(|m| crate::dossier::meeting::on_sign_in_sheet(m)).cloned());
            Ok(ControlFlow::Continue(()))
        })?;
        let committee = self.store.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        let paper = crate::dossier::meeting::MeetingPaper {
            record: &record,
            committee: &committee,
            members: &members,
            generated_on: self.store.today(),
        };
        let pdf = crate::dossier::meeting::paper(&paper, sign_in)?;
        crate::output::write(self.store.workspace_dir(), path, &pdf)
    }

    /// A branch's year of organisational life as a grid: each kind of meeting it owes, each
    /// period held, owed, missed or to come.
    pub fn life_plan(&self, unit: Id, year: i32, as_of: Option<Date>) -> Result<crate::life_plan::LifePlan> {
        self.store.life_plan(unit, year, as_of)
    }

    /// Records a training class with its sessions (new when its id is `None`).
    pub fn save_class(&mut self, class: crate::domain::TrainingClass) -> Result<crate::domain::ClassRecord> {
        self.store.save_class(class)
    }

    pub fn class(&self, id: Id) -> Result<crate::domain::ClassRecord> {
        self.store.class(id)
    }

    /// The classes of a unit's subtree that ran in a year, the latest first.
    pub fn classes(&self, unit: Option<Id>, year: Option<i32>) -> Result<Vec<crate::domain::ClassRecord>> {
        self.store.classes(unit, year)
    }

    pub fn delete_class(&mut self, id: Id) -> Result<()> {
        self.store.delete_class(id)
    }

    /// Enrols people in a class in one step.
    pub fn enrol(&mut self, class_id: Id, people: &[Id]) -> Result<crate::domain::ClassRecord> {
        self.store.enrol(class_id, people)
    }

    /// Takes trainees out of a class, with their attendance and results.
    pub fn unenrol(&mut self, class_id: Id, people: &[Id]) -> Result<crate::domain::ClassRecord> {
        self.store.unenrol(class_id, people)
    }

    /// Records exactly who attended a session.
    pub fn set_session_attendance(&mut self, session_id: Id, present: &[Id]) -> Result<crate::domain::ClassRecord> {
        self.store.set_session_attendance(session_id, present)
    }

    /// Records trainees' exam scores and results.
    pub fn set_results(
        &mut self,
        class_id: Id,
        results: &[crate::domain::TraineeResult],
    ) -> Result<crate::domain::ClassRecord> {
        self.store.set_results(class_id, results)
    }

    /// Records the centralised training step of everyone who passed a development targets'
    /// class, refusing all when one attended too little (细则第十七条).
    pub fn record_training_steps(&mut self, class_id: Id) -> Result<Vec<Id>> {
        self.store.record_training_steps(class_id)
    }

    /// Prints the certificates (结业证书) of everyone who passed a class, as one PDF.
    pub fn write_certificates(&self, class_id: Id, path: &Path) -> Result<()> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let record = self.store.class_for_certificates(class_id)?;
        let committee = self.store.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        let pdf = crate::dossier::training::certificates(&record, &committee, self.store.today())?;
        crate::output::write(self.store.workspace_dir(), path, &pdf)
    }

    /// Records a member's own study (an online course and the like).
    pub fn add_study_entry(&mut self, entry: crate::domain::StudyEntry) -> Result<crate::domain::StudyEntry> {
        self.store.add_study_entry(entry)
    }

    /// Records own study from a sheet (.xlsx or .csv: 姓名 or 学号工号, 日期, 学时, 学习内容, 学习途径),
    /// all rows or none, every bad row named.
    pub fn import_study_entries(
        &mut self,
        path: &Path,
        mut progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let (rows, problems) = crate::study::read_study_sheet(path)?;
        self.store.import_study_entries(rows, problems, &mut progress)
    }

    /// Deletes an entry of own study (entered by mistake, or twice).
    pub fn delete_study_entry(&mut self, id: Id) -> Result<()> {
        self.store.delete_study_entry(id)
    }

    /// A member's own study in a year.
    pub fn study_entries(&self, person: Id, year: i32) -> Result<Vec<crate::domain::StudyEntry>> {
        self.store.study_entries(person, year)
    }

    /// Sets the day from which a unit owes its meetings.
    pub fn set_life_from(&mut self, unit: Id, from: Date) -> Result<()> {
        self.store.set_life_from(unit, from)
    }

    /// Makes a party group in a branch, or renames one.
    pub fn save_group(&mut self, id: Option<Id>, branch_id: Id, name: &str) -> Result<PartyGroup> {
        self.store.save_group(id, branch_id, name)
    }

    /// Sets who belongs to a party group. With `seen` (the members the form was opened with),
    /// refused (`conflict`) if they changed meanwhile.
    pub fn set_group_members(&mut self, group_id: Id, people: &[Id], seen: Option<&[Id]>) -> Result<PartyGroup> {
        self.store.set_group_members(group_id, people, seen)
    }

    /// The party groups of a unit's branches.
    pub fn groups(&self, unit: Option<Id>) -> Result<Vec<PartyGroup>> {
        self.store.groups(unit)
    }

    /// Prints a unit's year (党支部工作手册) as a PDF: its committee, its meetings with their
    /// attendance and study time, and each member's study hours.
    pub fn write_work_register(&self, unit: Id, year: i32, path: &Path) -> Result<()> {
        crate::output::ensure_outside(self.store.workspace_dir(), path)?;
        let (from, to) = match (Date::from_ymd_opt(year, 1, 1), Date::from_ymd_opt(year, 12, 31)) {
            (Some(from), Some(to)) => (from, to),
            _ => {
                return Err(crate::Error::invalid(
                    "year",
                    format!("年份 {year} 无效"),
                    format!("{year} is not a year"),
                ));
            }
        };
        let meetings =
            self.store.meetings(&MeetingQuery { unit: Some(unit), from: Some(from), to: Some(to), kind: None })?;
        let posts = self.store.posts(Some(unit))?;
        let hours = self.store.study_hours(year, Some(unit))?;
        let tree = self.store.org_tree()?;
        let committee = tree.committee().map(|c| c.name.clone()).unwrap_or_default();
        let unit_name = tree.path(unit);
        let pdf = crate::dossier::meeting::work_register(&crate::dossier::meeting::WorkRegister {
            unit: &unit_name,
            year,
            committee: &committee,
            posts: &posts,
            meetings: &meetings,
            hours: &hours,
            generated_on: self.store.today(),
        })?;
        crate::output::write(self.store.workspace_dir(), path, &pdf)
    }

    /// Records that someone holds (or held) a post of a unit's committee.
    pub fn save_post(&mut self, post: PostHeld) -> Result<PostRecord> {
        self.store.save_post(post)
    }

    /// The committee posts of a unit, current first.
    pub fn posts(&self, unit: Option<Id>) -> Result<Vec<PostRecord>> {
        self.store.posts(unit)
    }

    /// Each member's study hours in a year, with the hours asked of them.
    pub fn study_hours(&self, year: i32, unit: Option<Id>) -> Result<Vec<StudyHours>> {
        self.store.study_hours(year, unit)
    }

    // --- Statistics --------------------------------------------------------------------------

    /// The statistics as of a day, for a unit or everything the user may see.
    pub fn statistics(&self, query: &StatsQuery) -> Result<Statistics> {
        self.store.statistics(query)
    }

    /// The annual party statistics report of `year`, with its consistency check.
    pub fn annual_report(&self, year: i32, unit: Option<Id>) -> Result<AnnualReport> {
        self.store.annual_report(year, unit)
    }

    /// The people one number of a report counts, in list order (the drill-down).
    pub fn cell_people(&self, cell: &CellRef, offset: u64, limit: u64) -> Result<MemberPage> {
        self.store.list_members(&MemberQuery { cell: Some(cell.clone()), offset, limit, ..MemberQuery::default() })
    }

    /// Writes the statistics' tables: a workbook, one sheet per table (`.xlsx`), or a PDF.
    pub fn write_statistics(&self, query: &StatsQuery, path: &Path) -> Result<()> {
        let stats = self.store.statistics(query)?;
        crate::statistics::export::write_statistics(self.store.workspace_dir(), path, &stats)
    }

    /// Writes the annual report: a workbook (one sheet per table and the check) or a PDF.
    pub fn write_annual_report(&self, year: i32, unit: Option<Id>, path: &Path) -> Result<()> {
        let report = self.store.annual_report(year, unit)?;
        crate::statistics::export::write_annual_report(self.store.workspace_dir(), path, &report)
    }

    /// Saves a chart the statistics screen drew, as PNG or as a PDF page.
    pub fn save_chart(&self, chart: &ChartImage, path: &Path) -> Result<()> {
        self.store.require(crate::access::Action::ReadMembers)?;
        let committee = self.store.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        crate::statistics::export::write_chart(self.store.workspace_dir(), path, chart, &committee)
    }

    // --- A member's file ---------------------------------------------------------------------

    pub fn member_file(&self, member_id: Id) -> Result<MemberFile> {
        self.store.member_file(member_id)
    }

    pub fn records(&self, member_id: Id) -> Result<Vec<FileRecord>> {
        self.store.records(member_id)
    }

    pub fn checklist(&self, member_id: Id) -> Result<Vec<ChecklistLine>> {
        self.store.checklist(member_id)
    }

    /// The member's latest event of `kind` (a record can be linked to it).
    pub fn latest_event(&self, member_id: Id, kind: EventKind) -> Result<Id> {
        self.store.latest_event(member_id, kind)
    }

    /// Adds a record (`id: None`) or changes one, attaching the files at `attach`, all or nothing.
    pub fn save_record(&mut self, record: FileRecord, attach: &[PathBuf]) -> Result<FileRecord> {
        let files = attach.iter().map(|path| NewAttachment::read(path)).collect::<Result<Vec<_>>>()?;
        self.store.save_record(record, &files)
    }

    pub fn delete_record(&mut self, record_id: Id) -> Result<()> {
        self.store.delete_record(record_id)
    }

    /// An attachment's description and bytes.
    pub fn attachment(&self, attachment_id: Id) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.store.attachment(attachment_id)
    }

    pub fn delete_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.store.delete_attachment(attachment_id)
    }

    pub fn save_attachment_as(&self, attachment_id: Id, path: &Path) -> Result<()> {
        self.store.save_attachment_as(attachment_id, path)
    }

    /// Writes an attachment out to `path` and says which it was (its name, for a message).
    pub fn write_attachment(&self, attachment_id: Id, path: &Path) -> Result<AttachmentInfo> {
        self.store.write_attachment(attachment_id, path)
    }

    // --- Backups and checks ------------------------------------------------------------------

    /// Writes a backup of the whole workspace to `path`, while it is in use.
    pub fn backup_now(&self, path: &Path, progress: impl Report + Send + 'static) -> Result<BackupWritten> {
        let bytes = crate::backup::write_backup_with_progress(&self.store, &self.workspace, path, progress)?;
        Ok(BackupWritten { path: path.display().to_string(), bytes })
    }

    pub fn backup_settings(&self) -> Result<BackupSettings> {
        self.store.backup_settings()
    }

    /// Turns daily backups on (into `dir`, keeping `keep`) or off; turning them on makes today's
    /// at once.
    pub fn set_backup_settings(&mut self, dir: Option<&Path>, keep: u32) -> Result<BackupSettings> {
        self.store.set_backup_settings(dir, keep)?;
        self.daily_backup()?;
        self.store.backup_settings()
    }

    /// Today's automatic backup, if they are on and today's is not made yet.
    pub fn daily_backup(&mut self) -> Result<Option<PathBuf>> {
        let today = self.store.today();
        crate::backup::daily_backup(&mut self.store, &self.workspace, today)
    }

    /// The whole workspace as `dangan server upload` moves it (see `ServerSession::upload_workspace`).
    pub(crate) fn contents_for_upload(&self) -> Result<crate::store::WorkspaceContents> {
        self.store.contents_for_upload()
    }

    /// Checks the whole workspace: page authentication, structure, the audit chain, every attachment.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.store.verify()
    }

    // --- Users, the recovery key and the audit log -------------------------------------------

    pub fn users(&self) -> Result<Vec<User>> {
        self.store.users()
    }

    /// The user who signs in as `name`; `NotFound` naming them when there is none.
    pub fn user_named(&self, name: &str) -> Result<User> {
        self.store.user_named(name)
    }

    /// Adds a user with a key slot of their own.
    pub fn add_user(&mut self, new: &NewUser<'_>) -> Result<User> {
        self.workspace.add_user(&mut self.store, new)
    }

    pub fn set_user_role(&mut self, user_id: Id, role: Role, branches: &[Id]) -> Result<User> {
        self.store.set_user_role(user_id, role, branches)
    }

    /// Removes a user and deletes their key slot.
    pub fn remove_user(&mut self, user_id: Id) -> Result<()> {
        self.workspace.remove_user(&mut self.store, user_id)
    }

    pub fn reset_passphrase(&self, user_id: Id, new: &str) -> Result<()> {
        self.workspace.reset_passphrase(&self.store, user_id, new)
    }

    /// Changes the signed-in user's own passphrase; `current` must open their slot.
    pub fn change_own_passphrase(&self, current: &str, new: &str) -> Result<()> {
        let me = self.store.session_user().name.clone();
        self.workspace.change_passphrase_as(Some(&me), current, new)
    }

    /// Makes a new recovery code (the old one stops working).
    pub fn new_recovery_code(&self) -> Result<RecoveryCode> {
        self.workspace.new_recovery_code(&self.store)
    }

    /// Writes the one-page recovery key sheet for `code` at `path`.
    pub fn write_recovery_sheet(&self, code: &RecoveryCode, path: &Path) -> Result<()> {
        let committee = self.store.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        let sheet = RecoverySheet {
            committee: &committee,
            workspace: self.workspace.dir(),
            made_on: self.store.today(),
            created_at: chrono::Utc::now(),
        };
        crate::dossier::write_recovery_sheet(self.workspace.dir(), path, &sheet, code)
    }

    /// Makes a new recovery code and writes its sheet at `path`; the old code is replaced only once
    /// the path is known to be writable (outside the workspace).
    pub fn new_recovery_sheet(&self, path: &Path) -> Result<RecoveryCode> {
        crate::output::ensure_outside(self.workspace.dir(), path)?;
        let code = self.new_recovery_code()?;
        self.write_recovery_sheet(&code, path)?;
        Ok(code)
    }

    pub fn audit_log(&self, query: &AuditQuery) -> Result<AuditPage> {
        self.store.audit_log(query)
    }

    /// Writes every entry `query` matches, oldest first, as CSV; returns how many.
    pub fn export_audit(&self, query: &AuditQuery, path: &Path) -> Result<u64> {
        self.store.export_audit_csv(query, path)
    }
}

/// Prints letters just issued (`printed` reads them) into the file opened for them, on either
/// engine. Should this fail (a full disk), the error says the letters were issued and how to
/// print them again.
pub(crate) fn finish_letters(
    mut out: crate::output::OutputFile,
    printed: impl FnOnce() -> Result<(Vec<crate::store::PrintedLetter>, String)>,
    today: Date,
) -> Result<()> {
    use std::io::Write as _;
    let target = out.target().to_owned();
    let written = (|| {
        let (letters, committee) = printed()?;
        let pdf = crate::dossier::letter::letters_pdf(&letters, &committee, today)?;
        out.write_all(&pdf).map_err(crate::Error::io(&target))?;
        out.commit()
    })();
    written.map_err(|e| {
        let why = e.text();
        crate::Error::invalid(
            "path",
            format!("介绍信已开具，但未能写入 {}：{}。请用「打印」重新写出", target.display(), why.zh),
            format!(
                "the letters were issued, but {} could not be written: {}. Print them again",
                target.display(),
                why.en
            ),
        )
    })
}

/// Seals a member package under its letter's code and writes it to `path`, outside the workspace;
/// what was written, for the worker to pass on with the letter. On either engine.
pub(crate) fn write_package(
    workspace_dir: &Path,
    path: &Path,
    package: crate::package::MemberPackage,
    code: &crate::package::PackageCode,
) -> Result<crate::package::PackageWritten> {
    let sealed = crate::package::seal(&package, code)?;
    crate::output::write(workspace_dir, path, &sealed)?;
    Ok(crate::package::PackageWritten {
        name: package.manifest.person.name,
        letter_number: package.manifest.letter_number,
        destination: package.manifest.destination,
        code: code.grouped().to_string(),
        bytes: sealed.len() as u64,
        attachments: package.blobs.len(),
    })
}

/// Reads and opens the package at `path` with the code typed from its letter, checked to be
/// addressed to one of `committees` when given (the receiving branch's committees, nearest first:
/// a letter may name a college's committee or the university's); a damaged file is named by its path.
pub(crate) fn open_package(
    path: &Path,
    code: &str,
    committees: Option<&[String]>,
) -> Result<crate::package::MemberPackage> {
    let code = crate::package::PackageCode::parse(code)?;
    let bytes = crate::package::read(path)?;
    let named = |e| match e {
        crate::Error::Corrupt { reason, .. } => crate::Error::Corrupt { path: path.to_owned(), reason },
        other => other,
    };
    let here = match committees {
        None => None,
        Some([]) => {
            return Err(crate::Error::invalid(
                "addressed_here",
                "不知道接收支部所属的党委，无法核对档案包寄往何处。若档案包确为寄给本单位，请确认后再接收",
                "the receiving branch's committee is not known here, so whom the package is for cannot be checked. \
                 If it is for this office, confirm it and receive again",
            ));
        }
        Some(names @ [nearest, ..]) => {
            let to = crate::package::address(&bytes).map_err(named)?.to;
            Some(names.iter().find(|c| crate::package::addressed_to(&to, c)).unwrap_or(nearest).as_str())
        }
    };
    crate::package::open(&bytes, &code, here).map_err(named)
}
