//! `dangan import`, `export`, `template` (and the hidden `bench-roster`): rosters in and out.
//! An import is all rows or none; likely duplicates are listed and saved only when told how.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use clap::Args;
use dangan_core::roster::{self, Duplicates, ImportOptions, ImportReport};
use dangan_core::server::ServerSession;
use dangan_core::{Error, Result, Session, calendar, demo};

use crate::commands::Context;
use crate::human::Human;
use crate::members::Filter;
use crate::progress::{self, Progress};
use crate::{json, parse};

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Check everything and report, but save nothing
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// New people who look already registered (same name and birth date, or same name, branch
    /// and application date): `add` them anyway or `skip` those rows. Without it the import
    /// lists them and saves nothing (in a terminal it asks).
    #[arg(long, value_name = "add|skip")]
    duplicates: Option<String>,
}

pub fn import(args: ImportArgs, cx: &Context) -> Result<()> {
    let human = cx.human;
    // The roster is read on this thread while the workspace unlocks: this thread imports it, so
    // the memory the import frees is reused here (read on the other thread, the peak grew 35 MB).
    let (mut session, first) = cx.unlock_while(|| read_roster(&args.file, human))?;
    import_with(args, first, human, |roster, options, progress| session.import_roster(roster, options, progress))
}

/// The same on a shared server, signed in as the user.
pub fn import_on_server(args: ImportArgs, session: &mut ServerSession, cx: &Context) -> Result<()> {
    let first = read_roster(&args.file, cx.human);
    import_with(args, first, cx.human, |roster, options, progress| session.import_roster(roster, options, progress))
}

/// The import's conversation, whichever store takes the rows: the report or the problems, and
/// the question about likely duplicates (then the file is read and imported again).
fn import_with(
    args: ImportArgs,
    first: Result<roster::Roster>,
    human: Human,
    mut import_roster: impl FnMut(
        roster::Roster,
        ImportOptions,
        &mut dyn FnMut(dangan_core::jobs::Progress) -> ControlFlow<()>,
    ) -> Result<ImportReport>,
) -> Result<()> {
    let duplicates = parse::optional(args.duplicates.as_deref(), parse::duplicates)?;
    let mut options = ImportOptions { dry_run: args.dry_run, duplicates: duplicates.unwrap_or_default() };
    // A second attempt, after the question about likely duplicates, reads the file again.
    let mut read = Some(first);
    loop {
        let roster = read.take().unwrap_or_else(|| read_roster(&args.file, human));
        match import_once(&mut import_roster, roster, options, human) {
            Ok(report) if args.json => return json::print(&report),
            Ok(report) => return human.import_report(&report),
            Err(Error::ImportRejected { report }) => {
                if args.json {
                    json::print(&report)?;
                } else {
                    human.import_problems(&report);
                }
                return Err(Error::ImportRejected { report });
            }
            Err(Error::LikelyDuplicates { report }) => {
                if args.json {
                    json::print(&report)?;
                    return Err(Error::LikelyDuplicates { report });
                }
                human.likely_duplicates(&report);
                match ask_about_duplicates(human) {
                    Some(choice) => options.duplicates = choice,
                    None => {
                        human.nothing_imported();
                        return Err(Error::LikelyDuplicates { report });
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// In a terminal, asks what to do with likely duplicates; `None` (cancel) otherwise, so a script
/// never blocks on a question it cannot answer.
fn ask_about_duplicates(human: Human) -> Option<Duplicates> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    human.ask_about_duplicates();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).ok()?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "a" | "add" => Some(Duplicates::Add),
        "s" | "skip" => Some(Duplicates::Skip),
        _ => None,
    }
}

/// Reads a roster with a spinner: a large workbook takes a second or more.
fn read_roster(path: &Path, human: Human) -> Result<roster::Roster> {
    let reading = progress::spinner(human.reading_roster());
    let parsed = roster::read(path);
    reading.finish_and_clear();
    parsed
}

/// Imports a roster read once, with a progress bar; Ctrl+C cancels: the transaction rolls back
/// and nothing is imported.
fn import_once(
    import_roster: &mut impl FnMut(
        roster::Roster,
        ImportOptions,
        &mut dyn FnMut(dangan_core::jobs::Progress) -> ControlFlow<()>,
    ) -> Result<ImportReport>,
    parsed: Result<roster::Roster>,
    options: ImportOptions,
    human: Human,
) -> Result<ImportReport> {
    let parsed = parsed?;

    let bar = Progress::new(parsed.records.len() as u64, human.ctrl_c_cancels());
    // DANGAN_TRACE_PHASES=1 says on standard error when the import's transaction has begun and
    // when it commits, so the durability test can aim its kills at the commit.
    let trace = std::env::var_os("DANGAN_TRACE_PHASES").is_some();
    let mut began = false;
    let result = import_roster(parsed, options, &mut |p| {
        if trace && !p.waiting {
            if !std::mem::replace(&mut began, true) {
                eprintln!("phase: transaction");
            }
            if p.done == p.total {
                eprintln!("phase: committing");
            }
        }
        bar.at(p.done)
    });
    bar.finish();
    result
}

#[derive(Args)]
pub struct ExportArgs {
    file: PathBuf,
    #[command(flatten)]
    filter: Filter,
}

pub fn export(args: ExportArgs, cx: &Context) -> Result<()> {
    let session = cx.unlock()?;
    let query = args.filter.query(&session)?;
    let count = session.export_members(&query, &args.file, |_| ControlFlow::Continue(()))?;
    cx.human.exported(count, &args.file)
}

/// `export` on a server: the members the filters select among those the user may read.
pub fn export_on_server(args: ExportArgs, session: &mut ServerSession, cx: &Context) -> Result<()> {
    let query = args.filter.query_with(|branch| session.find_unit(branch, "branch"))?;
    let count = session.export_members(&query, &args.file, cx.workspace.dir())?;
    cx.human.exported(count, &args.file)
}

#[derive(Args)]
pub struct TemplateArgs {
    file: PathBuf,
}

pub fn template(args: TemplateArgs, cx: &Context) -> Result<()> {
    Session::roster_template(&cx.workspace, &args.file)?;
    cx.human.template_written(&args.file)
}

#[derive(Args)]
pub struct BenchRosterArgs {
    #[arg(long)]
    rows: usize,
    #[arg(long)]
    out: PathBuf,
}

/// Writes generated people (seed 7) as a roster, .csv or else .xlsx by the file's extension.
pub fn bench_roster(args: BenchRosterArgs, cx: &Context) -> Result<()> {
    let records = demo::records(args.rows, calendar::today(), 7);
    let written = match args.out.extension().and_then(|e| e.to_str()) {
        Some("csv") => roster::write_records_csv(cx.workspace.dir(), &args.out, &records)?,
        _ => roster::write_records_xlsx(cx.workspace.dir(), &args.out, &records)?,
    };
    cx.human.rows_written(written)
}
