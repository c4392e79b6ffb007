//! `dangan transfer`: transfers of the organisational relationship by introduction letter.
//! `apply`, `approve`, `decline` and `requests` are the application before the letter; `out`
//! issues a letter (the member leaves the register on its day) and writes it as a PDF; `receipt`
//! records the receipt returned; `in` registers a member arriving with their letter; `package` and
//! `receive` move a member's whole file between two offices; `reissue` and `cancel` an expired or withdrawn letter; `list` and
//! `print`. A letter is named by its number (`2026-001`) or its id.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use dangan_core::arrival::NewArrival;
use dangan_core::calendar::Date;
use dangan_core::checklist::ChecklistLine;
use dangan_core::domain::FileRecord;
use dangan_core::domain::{EventKind, Gender, Id, Person, ProcedureEvent};
use dangan_core::jobs::Progress as JobProgress;
use dangan_core::package::PackageWritten;
use dangan_core::server::ServerSession;
use dangan_core::store::MemberDetail;
use dangan_core::transfer::{LeaverCheck, NewLetter, TransferLetter};
use dangan_core::transfer_request::{NewTransferRequest, TransferRequest};
use dangan_core::{Error, Result, Session, Text};

use crate::commands::Context;
use crate::progress::Progress;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum TransferAction {
    /// Issue a letter: the member is transferred out on its day; the letter is written as a PDF
    Out {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The organisation the member transfers to (转往); where their approved application asked
        /// when left out
        #[arg(long, value_name = "DESTINATION")]
        to: Option<String>,
        /// Days the letter is valid (at most 90); the rule's default (30) when left out
        #[arg(long, value_name = "DAYS")]
        validity: Option<u32>,
        /// The day issued
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Whom the letter is addressed to (抬头); the destination's organisation department by default
        #[arg(long)]
        addressee: Option<String>,
        /// For a probationary member: the sending branch's assessment of the probation (required)
        #[arg(long)]
        assessment: Option<String>,
        /// Where to write the letter (PDF), outside the workspace
        #[arg(long, value_name = "LETTER.pdf")]
        out: PathBuf,
        /// Print the letter as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record a member's application to transfer out (转出申请); the committee then approves or
    /// declines it, and the letter is issued against it
    Apply {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The organisation the member asks to transfer to
        #[arg(long, value_name = "DESTINATION")]
        to: String,
        /// The day applied
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Why (a new employer, a move, graduation …)
        #[arg(long)]
        reason: Option<String>,
        /// Print the application as JSON
        #[arg(long)]
        json: bool,
    },
    /// Approve a member's application awaiting its decision (an organiser or administrator)
    Approve {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The day approved
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long)]
        json: bool,
    },
    /// Decline a member's open application (or withdraw its approval before the letter), with the
    /// reason
    Decline {
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// The applications to transfer out, newest first: those open (awaiting the decision or the
    /// letter), or with `--all` every one
    Requests {
        #[arg(long, value_name = "ID")]
        member: Option<Id>,
        /// Also those declined or closed by their letter
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// On a shared server: move a member to a branch anywhere on it, another college's too, in one
    /// audited transaction (the committee's decision: an administrator or organiser). Between
    /// workspaces a member moves by letter and package instead
    Move {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The branch's whole path from the top, such as 数学学院党委/第一支部
        #[arg(long, value_name = "PATH")]
        to: String,
        /// Print {id, name, from, to, branch_id, version} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Register a member arriving by transfer (转入) with the dates of their steps elsewhere, the
    /// letter they came with and the materials that arrived
    In(Box<ArrivalArgs>),
    /// Write the member's whole file for the receiving office, sealed under the code printed on
    /// their letter (a .dangan-member file)
    Package {
        /// The letter's number (2026-001) or id
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "MEMBER.dangan-member")]
        out: PathBuf,
        /// Print {name, letter_number, destination, code, bytes, attachments} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Register the member a package from another office carries, opened with the code on their
    /// letter; nothing is imported if the package is for another office, the code is wrong or a
    /// byte has changed
    Receive {
        #[arg(long, value_name = "MEMBER.dangan-member")]
        package: PathBuf,
        /// The code printed on the letter (dashes and case do not matter)
        #[arg(long)]
        code: String,
        /// The branch that receives them (name or path)
        #[arg(long)]
        branch: String,
        /// The day the letter was received; today when left out
        #[arg(long, value_name = "YYYY-MM-DD")]
        received: Option<String>,
        /// The letter is for this office though it names it in another form (the code and the
        /// seal are still checked)
        #[arg(long)]
        addressed_here: bool,
        /// Print the member's page as JSON
        #[arg(long)]
        json: bool,
    },
    /// Transfer out a graduating class (年级) in one batch: every letter in one transaction and one
    /// PDF, a page each; `--check` only lists who would be refused, what each still owes and whose
    /// conversion falls due before leaving
    Graduate {
        /// The class year leaving (e.g. 2022)
        #[arg(long, value_name = "YEAR", required_unless_present = "members", conflicts_with = "members")]
        class_year: Option<u16>,
        /// Only the class under this branch or general branch (name or path)
        #[arg(long, requires = "class_year")]
        branch: Option<String>,
        /// Any list of members instead of a class year, in the letters' order (as `dangan members
        /// --json` filtered them): ID,ID,…
        #[arg(long, value_name = "ID,ID,…", value_delimiter = ',')]
        members: Vec<Id>,
        /// Where their relationships go (转往)
        #[arg(long, value_name = "DESTINATION")]
        to: String,
        /// The day the letters are issued
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Days the letters are valid; the rule's default when left out
        #[arg(long, value_name = "DAYS")]
        validity: Option<u32>,
        /// For the probationary members among them: the branch's assessment of their probation
        #[arg(long)]
        assessment: Option<String>,
        /// Check only: nothing is issued
        #[arg(long)]
        check: bool,
        /// Where to write the letters (one PDF), outside the workspace
        #[arg(long, value_name = "LETTERS.pdf", required_unless_present = "check")]
        out: Option<PathBuf>,
        /// Print the check (or the letters issued) as JSON
        #[arg(long)]
        json: bool,
    },
    /// Keep a graduate's relationship at the university (条例第三十四条): due to move two years
    /// after graduating; `--end` stops keeping it
    Keep {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The day they graduated
        #[arg(long, value_name = "YYYY-MM-DD", required_unless_present = "end", conflicts_with = "end")]
        graduated: Option<String>,
        /// No longer kept (placed, or moved on without a letter)
        #[arg(long)]
        end: bool,
    },
    /// Record the receipt the receiving committee returned
    Receipt {
        /// The letter's number (2026-001) or id
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
    },
    /// Reissue an expired letter under a new number (within 6 months of its expiry)
    Reissue {
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long, value_name = "DAYS")]
        validity: Option<u32>,
        #[arg(long, value_name = "LETTER.pdf")]
        out: PathBuf,
    },
    /// Cancel a letter not yet received: the member is back in the register
    Cancel {
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// The letters, newest first: all, one member's, or those awaiting their receipt
    List {
        #[arg(long, value_name = "ID")]
        member: Option<Id>,
        /// Only letters still awaiting their receipt
        #[arg(long)]
        open: bool,
        #[arg(long, conflicts_with = "out")]
        json: bool,
        /// Write the list as a workbook (.xlsx) instead
        #[arg(long, value_name = "LETTERS.xlsx")]
        out: Option<PathBuf>,
    },
    /// Print a letter again
    Print {
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "LETTER.pdf")]
        out: PathBuf,
    },
}

/// `transfer in`: who arrives, from where, with which letter, and the days of their steps.
#[derive(Args)]
pub struct ArrivalArgs {
    #[arg(long)]
    name: String,
    /// The branch that receives them (name or path)
    #[arg(long)]
    branch: String,
    /// The organisation they come from (转出党组织)
    #[arg(long = "from", value_name = "ORGANISATION")]
    origin: String,
    /// The day the letter was received: in the register from it
    #[arg(long, value_name = "YYYY-MM-DD")]
    received: String,
    /// The number of their introduction letter
    #[arg(long, value_name = "NUMBER")]
    letter: Option<String>,
    /// The day their letter was issued
    #[arg(long, value_name = "YYYY-MM-DD")]
    letter_date: Option<String>,
    /// 入党时间, for a full member whose earlier steps are not on file
    #[arg(long, value_name = "YYYY-MM-DD")]
    joined: Option<String>,
    /// The day their application was received (递交入党申请书)
    #[arg(long, value_name = "YYYY-MM-DD")]
    applied: Option<String>,
    /// The day they became an activist (确定为入党积极分子)
    #[arg(long, value_name = "YYYY-MM-DD")]
    activist: Option<String>,
    /// The day they became a development target (确定为发展对象)
    #[arg(long, value_name = "YYYY-MM-DD")]
    candidate: Option<String>,
    /// The branch meeting's admission (支部大会接收为预备党员): probation runs from it
    #[arg(long, value_name = "YYYY-MM-DD")]
    admitted: Option<String>,
    /// The upper committee's approval of the admission
    #[arg(long, value_name = "YYYY-MM-DD")]
    approved: Option<String>,
    /// The upper committee's approval of the conversion (转为正式党员)
    #[arg(long, value_name = "YYYY-MM-DD")]
    converted: Option<String>,
    /// 男 or 女
    #[arg(long)]
    gender: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    birth: Option<String>,
    #[arg(long)]
    id_number: Option<String>,
    #[arg(long)]
    student_no: Option<String>,
    /// The month their dues were paid up to, as the letter says
    #[arg(long, value_name = "YYYY-MM")]
    dues_paid_through: Option<String>,
    /// The checklist's materials that came with the file, comma-separated
    /// (application_letter,political_review,… or their names, 入党申请书,入党志愿书,…; `dangan
    /// records --member ID` lists them)
    #[arg(long, value_delimiter = ',')]
    materials: Vec<String>,
    /// This is someone else than the one of the same name who already arrived from the same
    /// organisation (without it, such an arrival is refused as registering one person twice)
    #[arg(long)]
    another_person: bool,
    /// Print the member's page as JSON
    #[arg(long)]
    json: bool,
}

/// Where transfers are kept: a workspace, or the shared server (every `dangan transfer` command
/// runs on both but `move`, which is the server's own).
pub trait Transfers {
    fn register_arrival(&mut self, arrival: NewArrival) -> Result<MemberDetail>;
    fn write_member_package(&mut self, letter: Id, out: &Path, cx: &Context) -> Result<PackageWritten>;
    fn receive_member_package(
        &mut self,
        package: &Path,
        code: &str,
        branch: Id,
        received_on: Date,
        addressed_here: bool,
    ) -> Result<MemberDetail>;
    /// A member's records and their checklist.
    fn member_file(&mut self, member: Id) -> Result<(Vec<FileRecord>, Vec<ChecklistLine>)>;
    fn issue_letter(&mut self, new: NewLetter, out: &Path, cx: &Context) -> Result<TransferLetter>;
    fn apply_transfer(&mut self, new: NewTransferRequest) -> Result<TransferRequest>;
    fn approve_transfer(&mut self, id: Id, date: Date) -> Result<TransferRequest>;
    fn decline_transfer(&mut self, id: Id, date: Date, reason: &str) -> Result<TransferRequest>;
    fn transfer_requests(&mut self, member: Option<Id>, open_only: bool) -> Result<Vec<TransferRequest>>;
    fn record_receipt(&mut self, id: Id, date: Date) -> Result<TransferLetter>;
    fn reissue_letter(
        &mut self,
        id: Id,
        date: Date,
        validity: Option<u32>,
        out: &Path,
        cx: &Context,
    ) -> Result<TransferLetter>;
    fn cancel_letter(&mut self, id: Id, date: Date, reason: Option<String>) -> Result<TransferLetter>;
    fn letters(&mut self, member: Option<Id>, open_only: bool) -> Result<Vec<TransferLetter>>;
    fn export_letters(&mut self, member: Option<Id>, open_only: bool, out: &Path, cx: &Context) -> Result<()>;
    fn write_letters(&mut self, ids: &[Id], out: &Path, cx: &Context) -> Result<()>;
    /// A branch or general branch by name or path.
    fn branch(&mut self, name: &str) -> Result<Id>;
    fn keep_graduate(&mut self, member: Id, graduated: Option<Date>) -> Result<MemberDetail>;
    fn class_of(&mut self, class_year: u16, unit: Option<Id>) -> Result<Vec<Id>>;
    fn check_letters(&mut self, letters: &[NewLetter]) -> Result<Vec<LeaverCheck>>;
    fn issue_letters(
        &mut self,
        letters: &[NewLetter],
        out: &Path,
        progress: &mut dyn FnMut(JobProgress) -> ControlFlow<()>,
        cx: &Context,
    ) -> Result<Vec<TransferLetter>>;
}

impl Transfers for Session {
    fn register_arrival(&mut self, arrival: NewArrival) -> Result<MemberDetail> {
        Session::register_arrival(self, arrival)
    }
    fn write_member_package(&mut self, letter: Id, out: &Path, _: &Context) -> Result<PackageWritten> {
        Session::write_member_package(self, letter, out)
    }
    fn receive_member_package(
        &mut self,
        package: &Path,
        code: &str,
        branch: Id,
        received_on: Date,
        addressed_here: bool,
    ) -> Result<MemberDetail> {
        Session::receive_member_package(self, package, code, branch, received_on, addressed_here)
    }
    fn member_file(&mut self, member: Id) -> Result<(Vec<FileRecord>, Vec<ChecklistLine>)> {
        Ok((self.records(member)?, self.checklist(member)?))
    }
    fn issue_letter(&mut self, new: NewLetter, out: &Path, _: &Context) -> Result<TransferLetter> {
        Session::issue_letter(self, new, Some(out))
    }
    fn apply_transfer(&mut self, new: NewTransferRequest) -> Result<TransferRequest> {
        Session::apply_transfer(self, new)
    }
    fn approve_transfer(&mut self, id: Id, date: Date) -> Result<TransferRequest> {
        Session::approve_transfer(self, id, date)
    }
    fn decline_transfer(&mut self, id: Id, date: Date, reason: &str) -> Result<TransferRequest> {
        Session::decline_transfer(self, id, date, reason)
    }
    fn transfer_requests(&mut self, member: Option<Id>, open_only: bool) -> Result<Vec<TransferRequest>> {
        Session::transfer_requests(self, member, open_only)
    }
    fn record_receipt(&mut self, id: Id, date: Date) -> Result<TransferLetter> {
        Session::record_receipt(self, id, date)
    }
    fn reissue_letter(
        &mut self,
        id: Id,
        date: Date,
        validity: Option<u32>,
        out: &Path,
        _: &Context,
    ) -> Result<TransferLetter> {
        Session::reissue_letter(self, id, date, validity, Some(out))
    }
    fn cancel_letter(&mut self, id: Id, date: Date, reason: Option<String>) -> Result<TransferLetter> {
        Session::cancel_letter(self, id, date, reason)
    }
    fn letters(&mut self, member: Option<Id>, open_only: bool) -> Result<Vec<TransferLetter>> {
        Session::letters(self, member, open_only)
    }
    fn export_letters(&mut self, member: Option<Id>, open_only: bool, out: &Path, _: &Context) -> Result<()> {
        Session::export_letters(self, member, open_only, out)
    }
    fn write_letters(&mut self, ids: &[Id], out: &Path, _: &Context) -> Result<()> {
        Session::write_letters(self, ids, out)
    }
    fn branch(&mut self, name: &str) -> Result<Id> {
        crate::members::find_branch(self, name)
    }
    fn keep_graduate(&mut self, member: Id, graduated: Option<Date>) -> Result<MemberDetail> {
        Session::keep_graduate(self, member, graduated)
    }
    fn class_of(&mut self, class_year: u16, unit: Option<Id>) -> Result<Vec<Id>> {
        Session::class_of(self, class_year, unit)
    }
    fn check_letters(&mut self, letters: &[NewLetter]) -> Result<Vec<LeaverCheck>> {
        Session::check_letters(self, letters)
    }
    fn issue_letters(
        &mut self,
        letters: &[NewLetter],
        out: &Path,
        progress: &mut dyn FnMut(JobProgress) -> ControlFlow<()>,
        _: &Context,
    ) -> Result<Vec<TransferLetter>> {
        Session::issue_letters(self, letters, Some(out), progress)
    }
}

impl Transfers for ServerSession {
    fn register_arrival(&mut self, arrival: NewArrival) -> Result<MemberDetail> {
        Ok(ServerSession::register_arrival(self, arrival)?.detail)
    }
    fn write_member_package(&mut self, letter: Id, out: &Path, cx: &Context) -> Result<PackageWritten> {
        ServerSession::write_member_package(self, letter, out, cx.workspace.dir())
    }
    fn receive_member_package(
        &mut self,
        package: &Path,
        code: &str,
        branch: Id,
        received_on: Date,
        addressed_here: bool,
    ) -> Result<MemberDetail> {
        Ok(ServerSession::receive_member_package(self, package, code, branch, received_on, addressed_here)?.detail)
    }
    fn member_file(&mut self, member: Id) -> Result<(Vec<FileRecord>, Vec<ChecklistLine>)> {
        Ok((self.records(member)?, self.checklist(member)?))
    }
    fn issue_letter(&mut self, new: NewLetter, out: &Path, cx: &Context) -> Result<TransferLetter> {
        ServerSession::issue_letter(self, new, Some(out), cx.workspace.dir())
    }
    fn apply_transfer(&mut self, new: NewTransferRequest) -> Result<TransferRequest> {
        ServerSession::apply_transfer(self, new)
    }
    fn approve_transfer(&mut self, id: Id, date: Date) -> Result<TransferRequest> {
        ServerSession::approve_transfer(self, id, date)
    }
    fn decline_transfer(&mut self, id: Id, date: Date, reason: &str) -> Result<TransferRequest> {
        ServerSession::decline_transfer(self, id, date, reason)
    }
    fn transfer_requests(&mut self, member: Option<Id>, open_only: bool) -> Result<Vec<TransferRequest>> {
        ServerSession::transfer_requests(self, member, open_only)
    }
    fn record_receipt(&mut self, id: Id, date: Date) -> Result<TransferLetter> {
        ServerSession::record_receipt(self, id, date)
    }
    fn reissue_letter(
        &mut self,
        id: Id,
        date: Date,
        validity: Option<u32>,
        out: &Path,
        cx: &Context,
    ) -> Result<TransferLetter> {
        ServerSession::reissue_letter(self, id, date, validity, Some(out), cx.workspace.dir())
    }
    fn cancel_letter(&mut self, id: Id, date: Date, reason: Option<String>) -> Result<TransferLetter> {
        ServerSession::cancel_letter(self, id, date, reason)
    }
    fn letters(&mut self, member: Option<Id>, open_only: bool) -> Result<Vec<TransferLetter>> {
        ServerSession::letters(self, member, open_only)
    }
    fn export_letters(&mut self, member: Option<Id>, open_only: bool, out: &Path, cx: &Context) -> Result<()> {
        ServerSession::export_letters(self, member, open_only, out, cx.workspace.dir())
    }
    fn write_letters(&mut self, ids: &[Id], out: &Path, cx: &Context) -> Result<()> {
        ServerSession::write_letters(self, ids, out, cx.workspace.dir())
    }
    fn branch(&mut self, name: &str) -> Result<Id> {
        self.find_unit(name, "branch")
    }
    fn keep_graduate(&mut self, member: Id, graduated: Option<Date>) -> Result<MemberDetail> {
        Ok(ServerSession::keep_graduate(self, member, graduated)?.detail)
    }
    fn class_of(&mut self, class_year: u16, unit: Option<Id>) -> Result<Vec<Id>> {
        ServerSession::class_of(self, class_year, unit)
    }
    fn check_letters(&mut self, letters: &[NewLetter]) -> Result<Vec<LeaverCheck>> {
        ServerSession::check_letters(self, letters)
    }
    fn issue_letters(
        &mut self,
        letters: &[NewLetter],
        out: &Path,
        progress: &mut dyn FnMut(JobProgress) -> ControlFlow<()>,
        cx: &Context,
    ) -> Result<Vec<TransferLetter>> {
        ServerSession::issue_letters(self, letters, Some(out), cx.workspace.dir(), progress)
    }
}

pub fn transfer(action: TransferAction, cx: &Context) -> Result<()> {
    match action {
        TransferAction::Move { .. } => Err(Error::invalid(
            "server",
            "「transfer move」用于共享服务器（--server）；工作区之间请用介绍信和档案包（transfer out、package、receive）",
            "`transfer move` is for a shared server (--server); between workspaces a member moves by letter and package (transfer out, package, receive)",
        )),
        shared => transfer_in(shared, || cx.unlock(), cx),
    }
}

/// `dangan transfer`'s applications and letters on either kind of session, opened by
/// `open_session` once the arguments are read.
pub fn transfer_in<T: Transfers>(
    action: TransferAction,
    open_session: impl FnOnce() -> Result<T>,
    cx: &Context,
) -> Result<()> {
    match action {
        TransferAction::Out { member, to, validity, date, addressee, assessment, out, json } => {
            let issued_on = parse::date("date", &date)?;
            let new = NewLetter {
                person_id: member,
                destination: to.unwrap_or_default(),
                addressee,
                validity_days: validity,
                issued_on,
                assessment,
            };
            let letter = open_session()?.issue_letter(new, &out, cx)?;
            if json { json::print(&letter) } else { cx.human.letter_issued(&letter, &out) }
        }
        TransferAction::Apply { member, to, date, reason, json } => {
            let new = NewTransferRequest {
                person_id: member,
                destination: to,
                reason,
                applied_on: parse::date("date", &date)?,
            };
            let request = open_session()?.apply_transfer(new)?;
            if json { json::print(&request) } else { cx.human.transfer_requests(std::slice::from_ref(&request)) }
        }
        TransferAction::Approve { member, date, json } => {
            let date = parse::date("date", &date)?;
            let mut session = open_session()?;
            let id = open_request(&mut session, member)?;
            let request = session.approve_transfer(id, date)?;
            if json { json::print(&request) } else { cx.human.transfer_requests(std::slice::from_ref(&request)) }
        }
        TransferAction::Decline { member, date, reason, json } => {
            let date = parse::date("date", &date)?;
            let mut session = open_session()?;
            let id = open_request(&mut session, member)?;
            let request = session.decline_transfer(id, date, &reason)?;
            if json { json::print(&request) } else { cx.human.transfer_requests(std::slice::from_ref(&request)) }
        }
        TransferAction::Requests { member, all, json } => {
            let requests = open_session()?.transfer_requests(member, !all)?;
            if json { json::print(&requests) } else { cx.human.transfer_requests(&requests) }
        }
        TransferAction::Receipt { letter, date } => {
            let mut session = open_session()?;
            let id = find_letter(&mut session, &letter)?;
            let letter = session.record_receipt(id, parse::date("date", &date)?)?;
            cx.human.letters(std::slice::from_ref(&letter))
        }
        TransferAction::Reissue { letter, date, validity, out } => {
            let mut session = open_session()?;
            let id = find_letter(&mut session, &letter)?;
            let letter = session.reissue_letter(id, parse::date("date", &date)?, validity, &out, cx)?;
            cx.human.letter_issued(&letter, &out)
        }
        TransferAction::Cancel { letter, date, reason } => {
            let mut session = open_session()?;
            let id = find_letter(&mut session, &letter)?;
            let letter = session.cancel_letter(id, parse::date("date", &date)?, reason)?;
            cx.human.letters(std::slice::from_ref(&letter))
        }
        TransferAction::List { member, open, json: _, out: Some(out) } => {
            open_session()?.export_letters(member, open, &out, cx)?;
            cx.human.file_written(&out)
        }
        TransferAction::List { member, open, json, out: None } => {
            let letters = open_session()?.letters(member, open)?;
            if json { json::print(&letters) } else { cx.human.letters(&letters) }
        }
        TransferAction::Graduate { class_year, branch, members, to, date, validity, assessment, check, out, json } => {
            let issued_on = parse::date("date", &date)?;
            let mut session = open_session()?;
            let leaving = match class_year {
                Some(year) => {
                    let unit = parse::optional(branch.as_deref(), |b| session.branch(b))?;
                    session.class_of(year, unit)?
                }
                None => members,
            };
            let letters: Vec<NewLetter> = leaving
                .into_iter()
                .map(|person_id| NewLetter {
                    person_id,
                    destination: to.clone(),
                    addressee: None,
                    validity_days: validity,
                    issued_on,
                    assessment: assessment.clone(),
                })
                .collect();
            let checks = session.check_letters(&letters)?;
            let refused = checks.iter().filter(|c| c.refusal.is_some()).count();
            let Some(out) = out.filter(|_| !check && refused == 0) else {
                if json {
                    json::print(&checks)?
                } else {
                    cx.human.leavers(&checks)?
                }
                return if refused == 0 || check {
                    Ok(())
                } else {
                    Err(Error::invalid(
                        "class_year",
                        format!("{refused} 人不能转出，未开具任何介绍信"),
                        format!("{refused} of them cannot leave as given; no letter was issued"),
                    ))
                };
            };
            let bar = Progress::new(letters.len() as u64, cx.human.ctrl_c_cancels());
            let result = session.issue_letters(&letters, &out, &mut |p| bar.report(p), cx);
            bar.finish();
            let issued = result?;
            if json { json::print(&issued) } else { cx.human.letters_issued(&issued, &out) }
        }
        TransferAction::Keep { member, graduated, end: _ } => {
            let graduated = parse::optional(graduated.as_deref(), |g| parse::date("graduated", g))?;
            let detail = open_session()?.keep_graduate(member, graduated)?;
            cx.human.kept(&detail)
        }
        TransferAction::Print { letter, out } => {
            let mut session = open_session()?;
            let id = find_letter(&mut session, &letter)?;
            session.write_letters(&[id], &out, cx)?;
            cx.human.file_written(&out)
        }
        TransferAction::In(args) => {
            let mut session = open_session()?;
            let json = args.json;
            let arrival = arrival(&mut session, *args)?;
            let detail = session
                .register_arrival(arrival)
                .map_err(|e| confirmed_by_flag(e, "another_person", "--another-person"))?;
            arrived(&mut session, &detail, json, cx)
        }
        TransferAction::Package { letter, out, json } => {
            let mut session = open_session()?;
            let id = find_letter(&mut session, &letter)?;
            let written = session.write_member_package(id, &out, cx)?;
            if json { json::print(&written) } else { cx.human.package_written(&written, &out) }
        }
        TransferAction::Receive { package, code, branch, received, addressed_here, json } => {
            let received_on = parse::as_of(received.as_deref())?;
            let mut session = open_session()?;
            let branch = session.branch(&branch)?;
            let detail = session
                .receive_member_package(&package, &code, branch, received_on, addressed_here)
                .map_err(|e| confirmed_by_flag(e, "addressed_here", "--addressed-here"))?;
            arrived(&mut session, &detail, json, cx)
        }
        // A move is the server's own (its dispatch), never handed here.
        TransferAction::Move { .. } => {
            Err(Error::invalid("transfer", "这一转接操作不在此处办理", "this transfer action is not handled here"))
        }
    }
}

/// An arrived member's page: as JSON, or their arrival and their file with what it still lacks.
fn arrived(session: &mut impl Transfers, detail: &MemberDetail, json: bool, cx: &Context) -> Result<()> {
    if json {
        return json::print(detail);
    }
    let id = detail.person.id.unwrap_or_default();
    cx.human.arrived(detail)?;
    let (records, checklist) = session.member_file(id)?;
    cx.human.member_file(&records, &checklist)
}

/// A refusal the core lifts when the worker confirms (`field`), naming the flag that confirms.
fn confirmed_by_flag(e: Error, field: &str, flag: &str) -> Error {
    match e {
        Error::InvalidInput { field: named, reason } if named == field => Error::InvalidInput {
            field: named,
            reason: Text::new(format!("{}（{flag}）", reason.zh), format!("{} ({flag})", reason.en)),
        },
        other => other,
    }
}

/// The member's open application (awaiting its decision or its letter), named by the member.
fn open_request(session: &mut impl Transfers, member: Id) -> Result<Id> {
    match session.transfer_requests(Some(member), true)?.first() {
        Some(request) => Ok(request.id),
        None => Err(Error::NotFound {
            what: Text::new(
                format!(
                    "编号为 {member} 的人员的待处理转出申请（`dangan transfer requests --all --member {member}` 列出全部）"
                ),
                format!(
                    "an open application to transfer out of member {member} (`dangan transfer requests --all --member {member}` lists every one)"
                ),
            ),
        }),
    }
}

/// What `transfer in` was given, read into an arrival: every value checked before anything opens.
fn arrival(session: &mut impl Transfers, args: ArrivalArgs) -> Result<NewArrival> {
    let ArrivalArgs {
        name,
        branch,
        origin,
        received,
        letter,
        letter_date,
        joined,
        applied,
        activist,
        candidate,
        admitted,
        approved,
        converted,
        gender,
        birth,
        id_number,
        student_no,
        dues_paid_through,
        materials,
        another_person,
        json: _,
    } = args;
    let day = |field: &str, s: Option<String>| parse::optional(s.as_deref(), |s| parse::date(field, s));
    let mut steps = Vec::new();
    for (field, kind, given) in [
        ("applied", EventKind::ApplicationReceived, applied),
        ("activist", EventKind::ActivistDetermined, activist),
        ("candidate", EventKind::CandidateDetermined, candidate),
        ("admitted", EventKind::Admitted, admitted),
        ("approved", EventKind::AdmissionApproved, approved),
        ("converted", EventKind::ConversionApproved, converted),
    ] {
        if let Some(date) = day(field, given)? {
            steps.push(ProcedureEvent::new(kind, date));
        }
    }
    let gender = parse::optional(gender.as_deref(), |g| {
        Gender::parse(g).ok_or_else(|| {
            Error::invalid("gender", format!("性别应为男或女，而不是「{g}」"), format!("gender is 男 or 女, not “{g}”"))
        })
    })?;
    let person = Person {
        branch_id: session.branch(&branch)?,
        name,
        gender,
        birth_date: day("birth", birth)?,
        id_number,
        student_no,
        joined_on: day("joined", joined)?,
        ..Person::default()
    };
    Ok(NewArrival {
        person,
        steps,
        received_on: parse::date("received", &received)?,
        origin,
        letter_number: letter,
        letter_issued_on: day("letter_date", letter_date)?,
        dues_paid_through: parse::optional(dues_paid_through.as_deref(), |m| parse::month("dues_paid_through", m))?,
        materials,
        another_person,
    })
}

/// A letter by its number (`2026-001`) or its id.
fn find_letter(session: &mut impl Transfers, given: &str) -> Result<Id> {
    let given = given.trim();
    if let Ok(id) = given.parse::<Id>() {
        return Ok(id);
    }
    let shown = dangan_core::text::excerpt(given, 30);
    let matching: Vec<TransferLetter> =
        session.letters(None, false)?.into_iter().filter(|l| l.number == given).collect();
    match matching.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::NotFound {
            what: Text::new(format!("第 {shown} 号介绍信（从未开具）"), format!("letter {shown} (never issued)")),
        }),
        // On a shared server each committee numbers its own letters: the same number in two of
        // them is named by its id instead, never guessed.
        several => {
            let (zh, en): (Vec<String>, Vec<String>) = several
                .iter()
                .map(|l| {
                    (
                        format!("{}（{}，编号 {}）", l.name, l.branch, l.id),
                        format!("{} ({}, id {})", l.name, l.branch, l.id),
                    )
                })
                .unzip();
            Err(Error::invalid(
                "letter",
                format!("有 {} 封第 {shown} 号介绍信：{}；请用编号指明", several.len(), zh.join("、")),
                format!("{} letters are numbered {shown}: {}; name one by its id", several.len(), en.join(", ")),
            ))
        }
    }
}
