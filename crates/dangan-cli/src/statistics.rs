//! `dangan stats` and `dangan report annual`: the statistics as of a day and the annual party
//! statistics report, as tables, JSON or a workbook, and the people behind any one number.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use dangan_core::server::ServerSession;
use dangan_core::statistics::{CellRef, Report, StatsQuery};
use dangan_core::{Result, Session};

use crate::commands::Context;
use crate::members::{find_branch, print_members};
use crate::{json, parse};

#[derive(Args)]
pub struct StatsArgs {
    /// Count as of this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// A unit (branch or general branch, by name or path): its whole subtree [default: everything you may see]
    #[arg(long)]
    unit: Option<String>,
    /// Print an object with as_of, by_stage, by_branch and every table
    #[arg(long)]
    json: bool,
    /// Write every table to a workbook (.xlsx), one sheet per table
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print the people one number counts, named TABLE/ROW/COLUMN (by_stage/activist/count)
    #[arg(long, value_name = "TABLE/ROW/COLUMN")]
    people: Option<String>,
}

pub fn stats(args: StatsArgs, cx: &Context) -> Result<()> {
    let session = cx.unlock()?;
    let as_of = parse::as_of(args.as_of.as_deref())?;
    let unit = parse::optional(args.unit.as_deref(), |u| find_branch(&session, u))?;
    if let Some(path) = args.people.as_deref() {
        let cell = CellRef::parse_path(Report::Statistics { as_of, unit }, path)?;
        return people(&session, cell, args.json, cx);
    }
    let query = StatsQuery { as_of: Some(as_of), unit };
    if let Some(path) = args.out {
        session.write_statistics(&query, &path)?;
        return cx.human.file_written(&path);
    }
    let stats = session.statistics(&query)?;
    if args.json { json::print(&stats) } else { cx.human.statistics(&stats) }
}

#[derive(Subcommand)]
pub enum ReportAction {
    /// The annual party statistics report (党内统计年报) at the year's cut-off, with its consistency check
    Annual(AnnualArgs),
}

#[derive(Args)]
pub struct AnnualArgs {
    /// The year to report
    #[arg(long)]
    year: i32,
    /// A unit (branch or general branch, by name or path) [default: everything you may see]
    #[arg(long)]
    unit: Option<String>,
    /// Print an object with year, developed, converted, members_start, members_end, tables and check
    #[arg(long)]
    json: bool,
    /// Write the report to a workbook (.xlsx), one sheet per table and the check
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print the people one number counts, named TABLE/ROW/COLUMN (changes/total/developed)
    #[arg(long, value_name = "TABLE/ROW/COLUMN")]
    people: Option<String>,
}

pub fn report(action: ReportAction, cx: &Context) -> Result<()> {
    let ReportAction::Annual(args) = action;
    let session = cx.unlock()?;
    let unit = parse::optional(args.unit.as_deref(), |u| find_branch(&session, u))?;
    if let Some(path) = args.people.as_deref() {
        let cell = CellRef::parse_path(Report::Annual { year: args.year, unit }, path)?;
        return people(&session, cell, args.json, cx);
    }
    if let Some(path) = args.out {
        session.write_annual_report(args.year, unit, &path)?;
        return cx.human.file_written(&path);
    }
    let report = session.annual_report(args.year, unit)?;
    if args.json { json::print(&report) } else { cx.human.annual_report(&report) }
}

/// `dangan report annual` on a server: the same report, JSON, workbook and people behind a
/// number, counted over what the user may read there.
pub fn report_on_server(action: ReportAction, session: &mut ServerSession, cx: &Context) -> Result<()> {
    let ReportAction::Annual(args) = action;
    let unit = parse::optional(args.unit.as_deref(), |u| session.find_unit(u, "unit"))?;
    if let Some(path) = args.people.as_deref() {
        let cell = CellRef::parse_path(Report::Annual { year: args.year, unit }, path)?;
        return server_people(session, &cell, args.json, cx);
    }
    if let Some(path) = args.out {
        session.write_annual_report(args.year, unit, &path, cx.workspace.dir())?;
        return cx.human.file_written(&path);
    }
    let report = session.annual_report(args.year, unit)?;
    if args.json { json::print(&report) } else { cx.human.annual_report(&report) }
}

/// `dangan stats` on a server: the same tables, JSON, workbook and people behind a number,
/// counted over what the user may read there.
pub fn stats_on_server(args: StatsArgs, session: &mut ServerSession, cx: &Context) -> Result<()> {
    let as_of = parse::as_of(args.as_of.as_deref())?;
    let unit = parse::optional(args.unit.as_deref(), |u| session.find_unit(u, "unit"))?;
    if let Some(path) = args.out {
        session.write_statistics(&StatsQuery { as_of: Some(as_of), unit }, &path, cx.workspace.dir())?;
        return cx.human.file_written(&path);
    }
    if let Some(path) = args.people.as_deref() {
        let cell = CellRef::parse_path(Report::Statistics { as_of, unit }, path)?;
        return server_people(session, &cell, args.json, cx);
    }
    let stats = session.statistics(&StatsQuery { as_of: Some(as_of), unit })?;
    if args.json { json::print(&stats) } else { cx.human.statistics(&stats) }
}

/// The people behind one number on a server: the member list, as `dangan members` prints it.
fn server_people(session: &mut ServerSession, cell: &CellRef, as_json: bool, cx: &Context) -> Result<()> {
    let ids: std::collections::HashSet<_> = session.cell_people(cell)?.into_iter().collect();
    let all = session.members(&dangan_core::store::MemberQuery::all())?;
    let counted = all.into_iter().filter(|(m, _)| ids.contains(&m.id)).collect();
    crate::server::print_members(counted, as_json, cx)
}

/// The people behind one number: the member list, as `dangan members` prints it.
fn people(session: &Session, cell: CellRef, as_json: bool, cx: &Context) -> Result<()> {
    // Asked first on its own, so that a cell that does not exist is named, not listed as nobody.
    session.cell_people(&cell, 0, 0)?;
    let query = dangan_core::store::MemberQuery { cell: Some(cell), ..dangan_core::store::MemberQuery::all() };
    print_members(session, &query, as_json, cx)
}
