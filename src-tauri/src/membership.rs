//! Membership over time (issue 17): a person's status beside their stage (在册, 转出, 停止党籍, …),
//! changed and taken back from the member's page; transfers by introduction letter (组织关系
//! 介绍信); and the 党费 screen's party dues.

use std::path::PathBuf;

use dangan_core::arrival::NewArrival;
use dangan_core::calendar::Date;
use dangan_core::domain::{DuesCategory, Id, StatusChange};
use dangan_core::dues::Month;
use dangan_core::jobs::{JobProgress, Unit};
use dangan_core::package::PackageWritten;
use dangan_core::store::{BranchDues, DuesArrears, DuesBase, DuesLedger, DuesPayment, DuesReceipt, MemberDetail};
use dangan_core::transfer::{LeaverCheck, NewLetter, TransferLetter};
use dangan_core::transfer_request::{NewTransferRequest, TransferRequest};
use tauri::State;
use tauri::ipc::Channel;

use crate::commands::{blocking, reporting};
use crate::error::Reply;
use crate::shell::Shell;

/// Records a change of membership status; the member's page as it now reads.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_status(shell: State<'_, Shell>, change: StatusChange) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            change,
            |session, change| session.change_status(change),
            |server, change| Ok(server.change_status(change)?.detail),
        )
    })
    .await
}

/// Takes back the latest change of a person's status, only if it is still `change`, the one the
/// user was shown.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn undo_status_change(shell: State<'_, Shell>, person_id: Id, change: Option<Id>) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.undo_status_change(person_id, change),
            |server| Ok(server.undo_status_change(person_id, change)?.detail),
        )
    })
    .await
}

/// Issues a transfer letter (the member leaves the register on its day) and, given a path, writes
/// it there as a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue_letter(shell: State<'_, Shell>, letter: NewLetter, path: Option<PathBuf>) -> Reply<TransferLetter> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either_given(
            letter,
            |session, letter| session.issue_letter(letter, path.as_deref()),
            |server, letter| server.issue_letter(letter, path.as_deref(), &folder),
        )
    })
    .await
}

/// Registers a member arriving by transfer; their page.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register_arrival(shell: State<'_, Shell>, arrival: NewArrival) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            arrival,
            |session, arrival| session.register_arrival(arrival),
            |server, arrival| Ok(server.register_arrival(arrival)?.detail),
        )
    })
    .await
}

/// Writes a letter's member package (the member's whole file for the receiving office).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn write_member_package(shell: State<'_, Shell>, letter_id: Id, path: PathBuf) -> Reply<PackageWritten> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_member_package(letter_id, &path),
            |server| server.write_member_package(letter_id, &path, &folder),
        )
    })
    .await
}

/// Registers the member a package from another office carries; their page.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn receive_member_package(
    shell: State<'_, Shell>,
    path: PathBuf,
    code: String,
    branch_id: Id,
    received_on: Date,
    addressed_here: bool,
) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.receive_member_package(&path, &code, branch_id, received_on, addressed_here),
            |server| Ok(server.receive_member_package(&path, &code, branch_id, received_on, addressed_here)?.detail),
        )
    })
    .await
}

/// Keeps a graduate's relationship at the university from the day they graduated, or ends it.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn keep_graduate(shell: State<'_, Shell>, person_id: Id, graduated_on: Option<Date>) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.keep_graduate(person_id, graduated_on),
            |server| Ok(server.keep_graduate(person_id, graduated_on)?.detail),
        )
    })
    .await
}

/// The people of a class year (年级) still in the register, under a unit.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn class_of(shell: State<'_, Shell>, class_year: u16, unit: Option<Id>) -> Reply<Vec<Id>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.class_of(class_year, unit), |server| server.class_of(class_year, unit))
    })
    .await
}

/// Checks a batch of letters without issuing any.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn check_letters(shell: State<'_, Shell>, letters: Vec<NewLetter>) -> Reply<Vec<LeaverCheck>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.check_letters(&letters), |server| server.check_letters(&letters))
    })
    .await
}

/// Issues a batch of letters in one transaction (printed to one PDF when a path is given),
/// reporting progress on `on_progress`; `cancel_job` stops it, and then no letter is issued.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue_letters(
    shell: State<'_, Shell>,
    letters: Vec<NewLetter>,
    path: Option<PathBuf>,
    on_progress: Channel<JobProgress>,
) -> Reply<Vec<TransferLetter>> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Letters, reporting(on_progress));
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either_given(
            report,
            |session, report| session.issue_letters(&letters, path.as_deref(), report),
            |server, report| server.issue_letters(&letters, path.as_deref(), &folder, report),
        )
    })
    .await
}

/// Writes the letters (of one person, or those awaiting their receipt) as a workbook.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn export_letters(
    shell: State<'_, Shell>,
    person_id: Option<Id>,
    open_only: bool,
    path: PathBuf,
) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.export_letters(person_id, open_only, &path),
            |server| server.export_letters(person_id, open_only, &path, &folder),
        )
    })
    .await
}

/// Prints letters, a page each, to one PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn write_letters(shell: State<'_, Shell>, ids: Vec<Id>, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_letters(&ids, &path),
            |server| server.write_letters(&ids, &path, &folder),
        )
    })
    .await
}

/// Records the receipt the receiving committee returned.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_receipt(shell: State<'_, Shell>, letter_id: Id, date: Date) -> Reply<TransferLetter> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.record_receipt(letter_id, date),
            |server| server.record_receipt(letter_id, date),
        )
    })
    .await
}

/// Reissues an expired letter under a new number and, given a path, writes it there as a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reissue_letter(
    shell: State<'_, Shell>,
    letter_id: Id,
    issued_on: Date,
    validity_days: Option<u32>,
    path: Option<PathBuf>,
) -> Reply<TransferLetter> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.reissue_letter(letter_id, issued_on, validity_days, path.as_deref()),
            |server| server.reissue_letter(letter_id, issued_on, validity_days, path.as_deref(), &folder),
        )
    })
    .await
}

/// Records a member's application to transfer out.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn apply_transfer(shell: State<'_, Shell>, request: NewTransferRequest) -> Reply<TransferRequest> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            request,
            |session, request| session.apply_transfer(request),
            |server, request| server.apply_transfer(request),
        )
    })
    .await
}

/// Approves an application awaiting its decision.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn approve_transfer(shell: State<'_, Shell>, request_id: Id, date: Date) -> Reply<TransferRequest> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.approve_transfer(request_id, date),
            |server| server.approve_transfer(request_id, date),
        )
    })
    .await
}

/// Declines an open application, with the reason.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decline_transfer(
    shell: State<'_, Shell>,
    request_id: Id,
    date: Date,
    reason: String,
) -> Reply<TransferRequest> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.decline_transfer(request_id, date, &reason),
            |server| server.decline_transfer(request_id, date, &reason),
        )
    })
    .await
}

/// The applications (of one person, or only the open ones), newest first.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn transfer_requests(
    shell: State<'_, Shell>,
    person_id: Option<Id>,
    open_only: bool,
) -> Reply<Vec<TransferRequest>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.transfer_requests(person_id, open_only),
            |server| server.transfer_requests(person_id, open_only),
        )
    })
    .await
}

/// Cancels a letter not yet received: the member is back in the register.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cancel_letter(
    shell: State<'_, Shell>,
    letter_id: Id,
    date: Date,
    reason: Option<String>,
) -> Reply<TransferLetter> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            reason,
            |session, reason| session.cancel_letter(letter_id, date, reason),
            |server, reason| server.cancel_letter(letter_id, date, reason),
        )
    })
    .await
}

/// The letters the user may see (of one person, or only those awaiting their receipt).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn letters(shell: State<'_, Shell>, person_id: Option<Id>, open_only: bool) -> Reply<Vec<TransferLetter>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell
            .with_either(|session| session.letters(person_id, open_only), |server| server.letters(person_id, open_only))
    })
    .await
}

/// The monthly dues, in fen, of a category and base under the workspace's rules.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn dues_rate(shell: State<'_, Shell>, category: DuesCategory, base_fen: i64) -> Reply<i64> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell
            .with_either(|session| session.dues_rate(category, base_fen), |server| server.dues_rate(category, base_fen))
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_dues_base(shell: State<'_, Shell>, base: DuesBase) -> Reply<DuesLedger> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            base,
            |session, base| session.set_dues_base(base),
            |server, base| server.set_dues_base(base),
        )
    })
    .await
}

/// Records months paid or deferred in a row; the member's ledger after it.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_dues(shell: State<'_, Shell>, payment: DuesPayment) -> Reply<DuesLedger> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(payment, |session, p| session.record_dues(p), |server, p| server.record_dues(p))
    })
    .await
}

/// Takes back a member's latest month, only if it is still `month`, the one the user was shown.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn undo_dues_month(shell: State<'_, Shell>, person_id: Id, month: Option<Month>) -> Reply<DuesLedger> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.undo_dues_month(person_id, month),
            |server| server.undo_dues_month(person_id, month),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn dues_ledger(shell: State<'_, Shell>, person_id: Id) -> Reply<DuesLedger> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.dues_ledger(person_id), |server| server.dues_ledger(person_id))
    })
    .await
}

/// The members behind with their dues under a unit (all the user may see without one).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn dues_arrears(shell: State<'_, Shell>, unit: Option<Id>) -> Reply<Vec<DuesArrears>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.dues_arrears(unit), |server| server.dues_arrears(unit))
    })
    .await
}

/// Records a sheet of dues payments, all rows or none. Its rows are counted off on
/// `on_progress`; `cancel_job` stops it, and then nothing is recorded.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn import_dues(shell: State<'_, Shell>, path: PathBuf, on_progress: Channel<JobProgress>) -> Reply<usize> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Rows, reporting(on_progress));
    blocking(shell.lang(), move || {
        shell.with_either_given(
            report,
            |session, report| session.import_dues(&path, report),
            |server, report| server.import_dues(&path, report),
        )
    })
    .await
}

/// The payments received in the months `from` to `to`, one line each.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn dues_receipts(
    shell: State<'_, Shell>,
    unit: Option<Id>,
    from: Month,
    to: Month,
) -> Reply<Vec<DuesReceipt>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell
            .with_either(|session| session.dues_receipts(unit, from, to), |server| server.dues_receipts(unit, from, to))
    })
    .await
}

/// Writes the period's dues as a workbook (.xlsx) or the receipt list (.pdf).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn export_dues(
    shell: State<'_, Shell>,
    unit: Option<Id>,
    from: Month,
    to: Month,
    path: PathBuf,
) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.export_dues(unit, from, to, &path),
            |server| server.export_dues(unit, from, to, &path, &folder),
        )
    })
    .await
}

/// Each branch's dues for the months `from` to `to` (one month, or a year).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn dues_summary(shell: State<'_, Shell>, unit: Option<Id>, from: Month, to: Month) -> Reply<Vec<BranchDues>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.dues_summary(unit, from, to), |server| server.dues_summary(unit, from, to))
    })
    .await
}
