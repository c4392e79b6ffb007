//! `dangan appraisal`: the yearly democratic appraisal of a branch (民主评议党员). `open` starts it
//! (for a branch, or every branch under a unit), `step` dates its steps, `ballots` prints the
//! ballot and tally sheet, `votes` records the vote (by hand or from a sheet), `grade` decides a
//! member's grade, `close` files every grade, `correction` ends an unsatisfactory member's
//! correction period, `show`, `list` and `results` read it back. An appraisal is named by its
//! branch and year. In a workspace or on a server alike (`Appraisals`).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use dangan_core::appraisal::{Appraisal, AppraisalStep, CorrectionOutcome, GradeDecision, VoteRow, Votes};
use dangan_core::calendar::Date;
use dangan_core::domain::{Grade, Id};
use dangan_core::server::ServerSession;
use dangan_core::{Error, Result, Session};

use crate::commands::Context;
use crate::{json, parse};

/// Which appraisal: a branch (name or path) and the year appraised.
#[derive(Args)]
pub struct Which {
    #[arg(long)]
    branch: String,
    /// The year appraised (an appraisal of 2026 may be held early in 2027)
    #[arg(long, value_name = "YEAR")]
    year: i32,
}

#[derive(Subcommand)]
pub enum AppraisalAction {
    /// Open the appraisal of a year for a branch, or for every branch under a general branch or
    /// the committee; who takes part is read as of its day
    Open {
        #[command(flatten)]
        which: Which,
        /// The day it opens; today when left out
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Date a step: study, self_assessment, mutual_assessment, vote, decision, announcement
    Step {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        step: String,
        #[arg(long, value_name = "YYYY-MM-DD", required_unless_present = "clear")]
        date: Option<String>,
        /// Take the step's day back
        #[arg(long, conflicts_with = "date")]
        clear: bool,
    },
    /// Print the ballot (民主测评表) and its tally sheet as one PDF
    Ballots {
        #[command(flatten)]
        which: Which,
        #[arg(long, value_name = "BALLOTS.pdf")]
        out: PathBuf,
    },
    /// Record the vote: the ballots cast and one member's counts, or every member's from a sheet
    /// (.xlsx or .csv: 姓名 or 学号工号, 优秀, 合格, 基本合格, 不合格), all rows or none
    Votes(Box<VotesArgs>),
    /// Decide a member's grade: 优秀|合格|基本合格|不合格 (or excellent, satisfactory, basic,
    /// unsatisfactory); a refused grade names its rule
    Grade {
        #[command(flatten)]
        which: Which,
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long)]
        grade: String,
        /// Why: required for 不合格, and for 优秀 past a third of the graded members
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Close the appraisal: every graded member needs a grade; each goes into their file
    Close {
        #[command(flatten)]
        which: Which,
        /// The day decided; today when left out
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record how an unsatisfactory member's correction period ended: corrected,
    /// persuaded_to_leave or removed
    Correction {
        #[command(flatten)]
        which: Which,
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long)]
        outcome: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// One appraisal: its steps and each member's votes and grade
    Show {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// The appraisals of a year, per branch (under --branch, or all)
    List {
        #[arg(long, value_name = "YEAR")]
        year: i32,
        #[arg(long)]
        branch: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The results: a branch's sheet as a PDF (--branch, --out .pdf), or the year's results of
    /// every branch (under --branch) as a workbook (--out .xlsx); without --out, printed
    Results {
        #[arg(long, value_name = "YEAR")]
        year: i32,
        #[arg(long)]
        branch: Option<String>,
        #[arg(long, value_name = "FILE.pdf|FILE.xlsx", conflicts_with = "json")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct VotesArgs {
    #[command(flatten)]
    which: Which,
    /// The ballots cast (收回的测评票)
    #[arg(long, value_name = "N")]
    ballots: u32,
    /// A sheet of every member's counts
    #[arg(long, value_name = "SHEET.xlsx", conflicts_with = "member")]
    import: Option<PathBuf>,
    /// One member's counts (those left out are 0; the other members keep theirs)
    #[arg(long, value_name = "ID", required_unless_present = "import")]
    member: Option<Id>,
    #[arg(long, default_value_t = 0)]
    excellent: u32,
    #[arg(long, default_value_t = 0)]
    qualified: u32,
    #[arg(long, default_value_t = 0)]
    basically_qualified: u32,
    #[arg(long, default_value_t = 0)]
    unqualified: u32,
    #[arg(long)]
    json: bool,
}

/// Where appraisals are kept: a workspace, or the shared server (`dangan appraisal` runs on both).
pub trait Appraisals {
    /// A branch or general branch by name or path.
    fn branch(&mut self, name: &str) -> Result<Id>;
    fn open_appraisals(&mut self, unit: Id, year: i32, on: Date) -> Result<Vec<Appraisal>>;
    fn appraisal_of(&mut self, unit: Id, year: i32) -> Result<Appraisal>;
    fn appraisals(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<Appraisal>>;
    fn date_appraisal_step(&mut self, id: Id, step: AppraisalStep, date: Option<Date>) -> Result<Appraisal>;
    fn record_votes(&mut self, id: Id, ballots: u32, rows: &[VoteRow]) -> Result<Appraisal>;
    fn import_votes(&mut self, id: Id, ballots: u32, sheet: &Path) -> Result<Appraisal>;
    fn grade_member(&mut self, id: Id, decision: &GradeDecision) -> Result<Appraisal>;
    fn close_appraisal(&mut self, id: Id, date: Date) -> Result<Appraisal>;
    fn end_correction(
        &mut self,
        id: Id,
        member: Id,
        outcome: CorrectionOutcome,
        date: Date,
        note: Option<&str>,
    ) -> Result<Appraisal>;
    fn write_ballots(&mut self, id: Id, out: &Path, cx: &Context) -> Result<()>;
    fn write_appraisal_results(&mut self, id: Id, out: &Path, cx: &Context) -> Result<()>;
    fn export_appraisals(&mut self, year: i32, unit: Option<Id>, out: &Path, cx: &Context) -> Result<()>;
}

impl Appraisals for Session {
    fn branch(&mut self, name: &str) -> Result<Id> {
        crate::members::find_branch(self, name)
    }
    fn open_appraisals(&mut self, unit: Id, year: i32, on: Date) -> Result<Vec<Appraisal>> {
        Session::open_appraisals(self, unit, year, on)
    }
    fn appraisal_of(&mut self, unit: Id, year: i32) -> Result<Appraisal> {
        Session::appraisal_of(self, unit, year)
    }
    fn appraisals(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<Appraisal>> {
        Session::appraisals(self, year, unit)
    }
    fn date_appraisal_step(&mut self, id: Id, step: AppraisalStep, date: Option<Date>) -> Result<Appraisal> {
        Session::date_appraisal_step(self, id, step, date)
    }
    fn record_votes(&mut self, id: Id, ballots: u32, rows: &[VoteRow]) -> Result<Appraisal> {
        Session::record_votes(self, id, ballots, rows)
    }
    fn import_votes(&mut self, id: Id, ballots: u32, sheet: &Path) -> Result<Appraisal> {
        Session::import_votes(self, id, ballots, sheet)
    }
    fn grade_member(&mut self, id: Id, decision: &GradeDecision) -> Result<Appraisal> {
        Session::grade_member(self, id, decision)
    }
    fn close_appraisal(&mut self, id: Id, date: Date) -> Result<Appraisal> {
        Session::close_appraisal(self, id, date)
    }
    fn end_correction(
        &mut self,
        id: Id,
        member: Id,
        outcome: CorrectionOutcome,
        date: Date,
        note: Option<&str>,
    ) -> Result<Appraisal> {
        Session::end_correction(self, id, member, outcome, date, note)
    }
    fn write_ballots(&mut self, id: Id, out: &Path, _: &Context) -> Result<()> {
        Session::write_ballots(self, id, out)
    }
    fn write_appraisal_results(&mut self, id: Id, out: &Path, _: &Context) -> Result<()> {
        Session::write_appraisal_results(self, id, out)
    }
    fn export_appraisals(&mut self, year: i32, unit: Option<Id>, out: &Path, _: &Context) -> Result<()> {
        Session::export_appraisals(self, year, unit, out)
    }
}

impl Appraisals for ServerSession {
    fn branch(&mut self, name: &str) -> Result<Id> {
        self.find_unit(name, "branch")
    }
    fn open_appraisals(&mut self, unit: Id, year: i32, on: Date) -> Result<Vec<Appraisal>> {
        ServerSession::open_appraisals(self, unit, year, on)
    }
    fn appraisal_of(&mut self, unit: Id, year: i32) -> Result<Appraisal> {
        ServerSession::appraisal_of(self, unit, year)
    }
    fn appraisals(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<Appraisal>> {
        ServerSession::appraisals(self, year, unit)
    }
    fn date_appraisal_step(&mut self, id: Id, step: AppraisalStep, date: Option<Date>) -> Result<Appraisal> {
        ServerSession::date_appraisal_step(self, id, step, date)
    }
    fn record_votes(&mut self, id: Id, ballots: u32, rows: &[VoteRow]) -> Result<Appraisal> {
        ServerSession::record_votes(self, id, ballots, rows)
    }
    fn import_votes(&mut self, id: Id, ballots: u32, sheet: &Path) -> Result<Appraisal> {
        ServerSession::import_votes(self, id, ballots, sheet)
    }
    fn grade_member(&mut self, id: Id, decision: &GradeDecision) -> Result<Appraisal> {
        ServerSession::grade_member(self, id, decision)
    }
    fn close_appraisal(&mut self, id: Id, date: Date) -> Result<Appraisal> {
        ServerSession::close_appraisal(self, id, date)
    }
    fn end_correction(
        &mut self,
        id: Id,
        member: Id,
        outcome: CorrectionOutcome,
        date: Date,
        note: Option<&str>,
    ) -> Result<Appraisal> {
        ServerSession::end_correction(self, id, member, outcome, date, note)
    }
    fn write_ballots(&mut self, id: Id, out: &Path, cx: &Context) -> Result<()> {
        ServerSession::write_ballots(self, id, out, cx.workspace.dir())
    }
    fn write_appraisal_results(&mut self, id: Id, out: &Path, cx: &Context) -> Result<()> {
        ServerSession::write_appraisal_results(self, id, out, cx.workspace.dir())
    }
    fn export_appraisals(&mut self, year: i32, unit: Option<Id>, out: &Path, cx: &Context) -> Result<()> {
        ServerSession::export_appraisals(self, year, unit, out, cx.workspace.dir())
    }
}

fn find(book: &mut impl Appraisals, which: &Which) -> Result<Appraisal> {
    let branch = book.branch(&which.branch)?;
    book.appraisal_of(branch, which.year)
}

fn print(cx: &Context, appraisal: &Appraisal, json: bool) -> Result<()> {
    if json { json::print(appraisal) } else { cx.human.appraisal(appraisal) }
}

fn grade_named(given: &str) -> Result<Grade> {
    Grade::parse(given).ok_or_else(|| {
        let shown = dangan_core::text::excerpt(given, 20);
        Error::invalid(
            "grade",
            format!("等次应为优秀、合格、基本合格或不合格，而不是「{shown}」"),
            format!("the grade is excellent, satisfactory, basic or unsatisfactory, not “{shown}”"),
        )
    })
}

/// `dangan appraisal` in a workspace.
pub fn appraisal(action: AppraisalAction, cx: &Context) -> Result<()> {
    appraisal_in(action, || cx.unlock(), cx)
}

/// `dangan appraisal` on a workspace's session or a server's (`open` signs in).
pub fn appraisal_in<A: Appraisals>(
    action: AppraisalAction,
    open: impl FnOnce() -> Result<A>,
    cx: &Context,
) -> Result<()> {
    match action {
        AppraisalAction::Open { which, date, json } => {
            let date = parse::as_of(date.as_deref())?;
            let mut session = open()?;
            let unit = session.branch(&which.branch)?;
            let opened = session.open_appraisals(unit, which.year, date)?;
            if json { json::print(&opened) } else { cx.human.appraisals(&opened) }
        }
        AppraisalAction::Step { which, step, date, clear } => {
            let step = AppraisalStep::parse(&step).ok_or_else(|| {
                let shown = dangan_core::text::excerpt(&step, 20);
                Error::invalid(
                    "step",
                    format!("没有名为「{shown}」的步骤（study、self_assessment、mutual_assessment、vote、decision、announcement）"),
                    format!("no step “{shown}” (study, self_assessment, mutual_assessment, vote, decision, announcement)"),
                )
            })?;
            let date = if clear { None } else { parse::optional(date.as_deref(), |d| parse::date("date", d))? };
            let mut session = open()?;
            let id = find(&mut session, &which)?.id;
            let appraisal = session.date_appraisal_step(id, step, date)?;
            cx.human.appraisal(&appraisal)
        }
        AppraisalAction::Ballots { which, out } => {
            let mut session = open()?;
            let id = find(&mut session, &which)?.id;
            session.write_ballots(id, &out, cx)?;
            cx.human.file_written(&out)
        }
        AppraisalAction::Votes(args) => {
            let VotesArgs {
                which,
                ballots,
                import,
                member,
                excellent,
                qualified,
                basically_qualified,
                unqualified,
                json,
            } = *args;
            let mut session = open()?;
            let id = find(&mut session, &which)?.id;
            let appraisal = match (import, member) {
                (Some(sheet), _) => session.import_votes(id, ballots, &sheet)?,
                (None, Some(person_id)) => {
                    let votes = Votes { excellent, qualified, basically_qualified, unqualified };
                    session.record_votes(id, ballots, &[VoteRow { person_id, votes }])?
                }
                (None, None) => session.record_votes(id, ballots, &[])?,
            };
            print(cx, &appraisal, json)
        }
        AppraisalAction::Grade { which, member, grade, reason, json } => {
            let decision = GradeDecision { person_id: member, grade: grade_named(&grade)?, reason };
            let mut session = open()?;
            let id = find(&mut session, &which)?.id;
            let appraisal = session.grade_member(id, &decision)?;
            print(cx, &appraisal, json)
        }
        AppraisalAction::Close { which, date, json } => {
            let date = parse::as_of(date.as_deref())?;
            let mut session = open()?;
            let id = find(&mut session, &which)?.id;
            let appraisal = session.close_appraisal(id, date)?;
            print(cx, &appraisal, json)
        }
        AppraisalAction::Correction { which, member, outcome, date, note } => {
            let outcome = CorrectionOutcome::parse(&outcome).ok_or_else(|| {
                let shown = dangan_core::text::excerpt(&outcome, 20);
                Error::invalid(
                    "outcome",
                    format!("结论应为 corrected、persuaded_to_leave 或 removed，而不是「{shown}」"),
                    format!("the outcome is corrected, persuaded_to_leave or removed, not “{shown}”"),
                )
            })?;
            let date = parse::date("date", &date)?;
            let mut session = open()?;
            let id = find(&mut session, &which)?.id;
            let appraisal = session.end_correction(id, member, outcome, date, note.as_deref())?;
            cx.human.appraisal(&appraisal)
        }
        AppraisalAction::Show { which, json } => {
            let mut session = open()?;
            print(cx, &find(&mut session, &which)?, json)
        }
        AppraisalAction::List { year, branch, json } => {
            let mut session = open()?;
            let unit = parse::optional(branch.as_deref(), |b| session.branch(b))?;
            let appraisals = session.appraisals(year, unit)?;
            if json { json::print(&appraisals) } else { cx.human.appraisals(&appraisals) }
        }
        AppraisalAction::Results { year, branch, out, json } => {
            let mut session = open()?;
            let unit = parse::optional(branch.as_deref(), |b| session.branch(b))?;
            let Some(out) = out else {
                let appraisals = session.appraisals(year, unit)?;
                return if json { json::print(&appraisals) } else { cx.human.appraisal_results(&appraisals) };
            };
            let extension = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            match (extension.as_deref(), unit) {
                (Some("pdf"), Some(unit)) => {
                    let id = session.appraisal_of(unit, year)?.id;
                    session.write_appraisal_results(id, &out, cx)?;
                }
                (Some("pdf"), None) => {
                    return Err(Error::invalid(
                        "branch",
                        "结果表按支部打印：请用 --branch 指定支部",
                        "a results sheet is a branch's: name it with --branch",
                    ));
                }
                _ => session.export_appraisals(year, unit, &out, cx)?,
            }
            cx.human.file_written(&out)
        }
    }
}
