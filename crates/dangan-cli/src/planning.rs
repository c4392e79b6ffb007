//! `dangan deadlines`, `remind`, `rules` and `holidays`: the deadline engine from a terminal or
//! an OS scheduler, the rule set it follows, and the official calendar its working days count on.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use dangan_core::deadlines::{DeadlineQuery, OwnerKind};
use dangan_core::reminders::Reminding;
use dangan_core::rules::RuleSet;
use dangan_core::server::ServerSession;
use dangan_core::workdays::CalendarDay;
use dangan_core::{Error, Result, Session, Text, calendar};

use crate::commands::Context;
use crate::members::find_branch;
use crate::{json, parse};

#[derive(Args)]
pub struct DeadlinesArgs {
    /// Compute them as of this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Only overdue items and those due within this many days
    #[arg(long, value_name = "DAYS")]
    within: Option<u32>,
    /// A branch or general branch, by name or path
    #[arg(long)]
    branch: Option<String>,
    /// Only the members' items (`member`) or only the meetings units owe (`unit`)
    #[arg(long, value_name = "member|unit", value_parser = parse_owner_kind)]
    owed_by: Option<OwnerKind>,
    /// Print a JSON array: a member's item has {member_id, name, rule, due, status, ...}, a unit's
    /// owed meeting {unit_id, unit, group_id, group, rule (the meeting's kind), due, status, ...}
    #[arg(long)]
    json: bool,
    /// Write the pending deadlines to an iCalendar (.ics) file for Outlook, a phone or any calendar
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
    /// Also list items set aside in the app (acknowledged or snoozed)
    #[arg(long)]
    all: bool,
    /// Write the list to a workbook (.xlsx)
    #[arg(long, value_name = "FILE", conflicts_with = "ics")]
    out: Option<PathBuf>,
}

impl DeadlinesArgs {
    /// What the flags ask of either store.
    fn query(&self, as_of: calendar::Date, branch_id: Option<dangan_core::domain::Id>) -> DeadlineQuery {
        DeadlineQuery {
            as_of: Some(as_of),
            within: self.within,
            branch_id,
            include_dismissed: self.all,
            owed_by: self.owed_by,
            ..Default::default()
        }
    }
}

fn parse_owner_kind(s: &str) -> std::result::Result<OwnerKind, String> {
    match s.trim() {
        "member" | "members" | "成员" => Ok(OwnerKind::Member),
        "unit" | "units" | "组织" => Ok(OwnerKind::Unit),
        other => Err(format!("“{other}” is neither `member` nor `unit`")),
    }
}

pub fn deadlines(args: DeadlinesArgs, cx: &Context) -> Result<()> {
    let session = cx.unlock()?;
    let as_of = parse::as_of(args.as_of.as_deref())?;
    let branch_id = parse::optional(args.branch.as_deref(), |b| find_branch(&session, b))?;
    let query = args.query(as_of, branch_id);
    if let Some(path) = args.ics {
        let written = session.write_calendar(&query, &path)?;
        return cx.human.calendar_written(written, &path);
    }
    if let Some(path) = args.out {
        session.export_deadlines(&query, &path)?;
        return cx.human.file_written(&path);
    }
    let items = session.deadlines(&query)?;
    if args.json { json::print(&items) } else { cx.human.deadlines(&items) }
}

/// The same on a shared server: the items of the members and units the user may read (the
/// procedure's and organisational life's: a server keeps no dues or letters yet), printed or
/// written as a workspace prints and writes them.
pub fn deadlines_on_server(args: DeadlinesArgs, session: &mut ServerSession, cx: &Context) -> Result<()> {
    let as_of = parse::as_of(args.as_of.as_deref())?;
    let branch_id = parse::optional(args.branch.as_deref(), |b| session.find_unit(b, "branch"))?;
    let query = args.query(as_of, branch_id);
    if let Some(path) = args.ics {
        let written = session.write_calendar(&query, &path, cx.workspace.dir())?;
        return cx.human.calendar_written(written, &path);
    }
    if let Some(path) = args.out {
        session.export_deadlines(&query, &path, cx.workspace.dir())?;
        return cx.human.file_written(&path);
    }
    let items = session.deadlines(&query)?;
    if args.json { json::print(&items) } else { cx.human.deadlines(&items) }
}

#[derive(Args)]
pub struct RemindArgs {
    /// Check as of this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Send desktop notifications (else only print what would be sent)
    #[arg(long)]
    notify: bool,
    /// Print a JSON array of the reminders
    #[arg(long)]
    json: bool,
}

/// Prints the reminders due; with `--notify`, sends them and records them as sent. A notification
/// service that is not there stops before anything is recorded, so the next run tries again.
pub fn remind(args: RemindArgs, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    remind_with(args, &mut session, cx)
}

/// The same on a shared server: the signed-in user's own reminders (their units' items), each
/// recorded as sent to them on the server once delivered.
pub fn remind_on_server(args: RemindArgs, session: &mut ServerSession, cx: &Context) -> Result<()> {
    remind_with(args, session, cx)
}

fn remind_with(args: RemindArgs, reminders: &mut impl Reminding, cx: &Context) -> Result<()> {
    let as_of = parse::as_of(args.as_of.as_deref())?;
    // First, so that a scheduler set up without the session's bus fails today, not on the day
    // something falls due.
    if args.notify {
        dangan_notify::server()?;
    }
    let due = reminders.due(as_of)?;
    if args.json {
        json::print(&due)?;
    } else {
        cx.human.reminders(&due, args.notify)?;
    }
    if !args.notify || due.is_empty() {
        return Ok(());
    }
    let sent = reminders.deliver(as_of, cx.lang, |notice| dangan_notify::send(notice).map(|_| ()))?;
    if !args.json {
        cx.human.reminders_sent(sent.len())?;
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum RulesAction {
    /// List every deadline rule with its period and clause (the default)
    Show,
    /// Load a rule file on top of the shipped rules (changes entries by id, adds new ones)
    Load { file: PathBuf },
    /// Drop the office's own rule file
    Reset,
}

/// Loads or drops the office's rule file when asked, then shows the rules in force.
pub fn rules(action: Option<RulesAction>, cx: &Context) -> Result<()> {
    rules_with(action, &mut cx.unlock()?, cx)
}

/// Where the office's own rule file is kept: a workspace's own, or the university's on the
/// server (one for every college, loaded by the department).
pub trait Rules {
    fn rules(&self) -> &RuleSet;
    fn load_rules(&mut self, source: &str) -> Result<&RuleSet>;
    fn reset_rules(&mut self) -> Result<()>;
    fn rules_warning(&self) -> Option<&Text>;
}

impl Rules for Session {
    fn rules(&self) -> &RuleSet {
        Session::rules(self)
    }
    fn load_rules(&mut self, source: &str) -> Result<&RuleSet> {
        Session::load_rules(self, source)
    }
    fn reset_rules(&mut self) -> Result<()> {
        Session::reset_rules(self)
    }
    fn rules_warning(&self) -> Option<&Text> {
        Session::rules_warning(self)
    }
}

impl Rules for ServerSession {
    fn rules(&self) -> &RuleSet {
        ServerSession::rules(self)
    }
    fn load_rules(&mut self, source: &str) -> Result<&RuleSet> {
        ServerSession::load_rules(self, source)
    }
    fn reset_rules(&mut self) -> Result<()> {
        ServerSession::reset_rules(self)
    }
    fn rules_warning(&self) -> Option<&Text> {
        ServerSession::rules_warning(self)
    }
}

/// `rules` wherever the rule file is kept: loaded or dropped when asked, then the rules in force.
pub fn rules_with(action: Option<RulesAction>, session: &mut impl Rules, cx: &Context) -> Result<()> {
    match action.unwrap_or(RulesAction::Show) {
        RulesAction::Show => {}
        RulesAction::Load { file } => {
            session.load_rules(&parse::read_text(&file)?)?;
            cx.human.rules_loaded(&file)?;
        }
        RulesAction::Reset => {
            session.reset_rules()?;
            cx.human.rules_reset()?;
        }
    }
    cx.human.rules(session.rules(), session.rules_warning())
}

#[derive(Subcommand)]
pub enum HolidaysAction {
    /// List the entered years and days (the default)
    List,
    /// Enter the official calendar from a CSV file of `date,kind[,name]` lines (kind: 假日/holiday or
    /// 工作日/workday); replaces what the years in the file had
    Import { file: PathBuf },
}

/// Enters a year's official calendar when asked, then lists what is entered.
pub fn holidays(action: Option<HolidaysAction>, cx: &Context) -> Result<()> {
    holidays_with(action, &mut cx.unlock()?, cx)
}

/// Where the holiday calendar is kept: a workspace's own, or the university's on the server.
pub trait Calendar {
    fn holidays(&mut self) -> Result<(Vec<CalendarDay>, Vec<i32>)>;
    fn set_holidays(&mut self, days: &[CalendarDay]) -> Result<Vec<i32>>;
}

impl Calendar for Session {
    fn holidays(&mut self) -> Result<(Vec<CalendarDay>, Vec<i32>)> {
        Session::holidays(self)
    }
    fn set_holidays(&mut self, days: &[CalendarDay]) -> Result<Vec<i32>> {
        Session::set_holidays(self, days)
    }
}

impl Calendar for ServerSession {
    fn holidays(&mut self) -> Result<(Vec<CalendarDay>, Vec<i32>)> {
        ServerSession::holidays(self)
    }
    fn set_holidays(&mut self, days: &[CalendarDay]) -> Result<Vec<i32>> {
        ServerSession::set_holidays(self, days)
    }
}

/// `holidays` wherever the calendar is kept: the year's days entered when asked, then the list.
pub fn holidays_with(action: Option<HolidaysAction>, calendar: &mut impl Calendar, cx: &Context) -> Result<()> {
    match action.unwrap_or(HolidaysAction::List) {
        HolidaysAction::List => {}
        HolidaysAction::Import { file } => {
            let text = parse::read_text(&file)?;
            let days = dangan_core::workdays::parse_calendar(&text).map_err(|problems| Error::InvalidInput {
                field: "file".into(),
                reason: Text::new(
                    format!(
                        "节假日文件 {} 有误，未做任何更改：\n{}",
                        file.display(),
                        problems.iter().map(|p| p.zh.as_str()).collect::<Vec<_>>().join("\n")
                    ),
                    format!(
                        "the holiday file {} has errors; nothing was changed:\n{}",
                        file.display(),
                        problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("\n")
                    ),
                ),
            })?;
            let years = calendar.set_holidays(&days)?;
            cx.human.holidays_entered(&years, days.len())?;
        }
    }
    let (days, years) = calendar.holidays()?;
    cx.human.holidays(days, &years)
}
