//! `dangan`: the command-line face of Dangan, for scripts, OS schedulers and tests.
//!
//! Every command is a thin call into `dangan-core`. The public interface (command names, flags,
//! the JSON fields of `members --json`, exit codes) is relied on by scripts: change it only
//! compatibly. Exit codes: 0 success, 1 failure, 2 usage error, 3 wrong passphrase, 4 roster
//! refused (or it holds likely duplicates and --duplicates was not given), 5 no notification service (`remind --notify`), 6 not allowed for the user's role,
//! 130 cancelled. 3 also means too many wrong passphrases in a row (wait and try again).

mod accounts;
mod commands;
mod passphrase;
mod steps;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dangan_core::{Error, Lang};

#[derive(Parser)]
#[command(name = "dangan", version, about = "Dangan (档案): party-membership records, encrypted, offline.")]
struct Cli {
    /// The workspace folder [default: the OS data folder, e.g. ~/.local/share/dangan]
    #[arg(long, global = true, env = "DANGAN_WORKSPACE", value_name = "DIR")]
    workspace: Option<PathBuf>,
    /// Read the passphrase from this file (else DANGAN_PASSPHRASE, else a prompt)
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// The user to sign in as (each user has a passphrase of their own) [default: whoever the passphrase opens]
    #[arg(long, global = true, env = "DANGAN_USER", value_name = "NAME")]
    user: Option<String>,
    /// Message language: zh or en [default: from the locale]
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new encrypted workspace (refuses to overwrite one); --user names its administrator
    Init {
        /// The name of the committee (党委) at the root of the organisation
        #[arg(long, default_value = "党委")]
        committee: String,
        /// The rule set: cpc-2026 (the May 2026 revision) or cpc-2014
        #[arg(long, default_value = "cpc-2026")]
        rules: String,
        /// Write the recovery key sheet (one page to print and keep in the office safe) to this PDF
        #[arg(long, value_name = "FILE")]
        recovery_pdf: Option<PathBuf>,
    },
    /// Import a roster (.xlsx or .csv): all rows or none
    Import {
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
    },
    /// Export members to a .xlsx roster that re-imports cleanly
    Export {
        file: PathBuf,
        #[command(flatten)]
        filter: commands::Filter,
    },
    /// Write a blank roster template (.xlsx)
    Template { file: PathBuf },
    /// List members in pinyin order
    Members {
        #[command(flatten)]
        filter: commands::Filter,
        /// Print a JSON array of {id, name, stage, branch, ..., late: [...]}
        #[arg(long)]
        json: bool,
    },
    /// Pending deadlines of the procedure, most urgent first
    Deadlines {
        /// Compute them as of this date [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Only overdue items and those due within this many days
        #[arg(long, value_name = "DAYS")]
        within: Option<u32>,
        /// A branch or general branch, by name or path
        #[arg(long)]
        branch: Option<String>,
        /// Print a JSON array of {member_id, name, rule, kind, due, status, ...}
        #[arg(long)]
        json: bool,
        /// Write the pending deadlines to an iCalendar (.ics) file for Outlook, a phone or any calendar
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
        /// Also list items set aside in the app (acknowledged or snoozed)
        #[arg(long)]
        all: bool,
    },
    /// Remind of deadlines that newly reached a lead time (30, 7, 1 days) or became overdue; for cron,
    /// systemd timers, Task Scheduler or launchd. Each reminder is sent once.
    Remind {
        /// Check as of this date [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Send desktop notifications (else only print what would be sent)
        #[arg(long)]
        notify: bool,
        /// Print a JSON array of the reminders
        #[arg(long)]
        json: bool,
    },
    /// The rule set: show it, load the office's own rule file on top, or go back to the shipped one
    Rules {
        #[command(subcommand)]
        action: Option<RulesAction>,
    },
    /// The official holiday calendar, for working-day periods
    Holidays {
        #[command(subcommand)]
        action: Option<HolidaysAction>,
    },
    /// A member's procedure, one step at a time: add (with an extension's months and reason), list, remove
    Step {
        #[command(subcommand)]
        action: steps::StepAction,
    },
    /// A member's file: its records, their attachments, and the checklist of materials
    Records {
        #[arg(long, value_name = "ID")]
        member: i64,
        /// Print {records: [...], checklist: [...]} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Add a record to a member's file, with its text and files (JPEG, PNG, PDF) to attach
    Record(Box<commands::NewRecordArgs>),
    /// Write an attachment out to a file
    Attachment {
        /// The attachment's id (see `dangan records`)
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print member files as PDF dossiers: one member to a file, or many (all, or those the filters
    /// select) to a folder, on all cores
    Dossier {
        /// One member, written to --out FILE.pdf
        #[arg(long, value_name = "ID", conflicts_with = "all")]
        member: Option<i64>,
        /// Every member, or those --stage/--branch/--search select, written into the folder --out
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        filter: commands::Filter,
        #[arg(long, value_name = "FILE|DIR")]
        out: PathBuf,
    },
    /// Write the whole workspace to one backup file (encrypted as the workspace is), while in use
    Backup { file: PathBuf },
    /// Restore a backup into the workspace folder, which must not hold a workspace yet
    Restore { file: PathBuf },
    /// Check the workspace: every page, every reference, every attachment; exit 1 naming what is wrong
    Verify,
    /// Fill a new workspace with a demo organisation (creates the workspace if needed)
    Demo {
        /// How many people to generate (spread over the five stages)
        #[arg(long, default_value_t = 1000)]
        people: usize,
    },
    /// Change the passphrase (new one from DANGAN_NEW_PASSPHRASE, --new-passphrase-file or a prompt)
    Passwd {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Users and their roles: list, add, change, remove, reset a passphrase (administrators)
    Users {
        #[command(subcommand)]
        action: Option<accounts::UsersAction>,
    },
    /// Make a new recovery key (the old one stops working) and write its sheet to a PDF (administrators)
    Recovery {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Forgotten passphrase: open with the recovery key (DANGAN_RECOVERY_CODE or a prompt) and set
    /// a new passphrase for --user (from DANGAN_NEW_PASSPHRASE or a prompt)
    Recover,
    /// The audit log: every change, who made it and when, newest first (administrators, auditors)
    Audit(accounts::AuditArgs),
    /// Write a roster of generated people, for benchmarks
    #[command(hide = true)]
    BenchRoster {
        #[arg(long)]
        rows: usize,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum RulesAction {
    /// List every deadline rule with its period and clause (the default)
    Show,
    /// Load a rule file on top of the shipped rules (changes entries by id, adds new ones)
    Load { file: PathBuf },
    /// Drop the office's own rule file
    Reset,
}

#[derive(Subcommand)]
enum HolidaysAction {
    /// List the entered years and days (the default)
    List,
    /// Enter the official calendar from a CSV file of `date,kind[,name]` lines (kind: 假日/holiday or
    /// 工作日/workday); replaces what the years in the file had
    Import { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = match cli.lang.as_deref() {
        Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        Some(_) => Lang::En,
        None => Lang::from_locale_vars(|k| std::env::var(k).ok()),
    };
    ui::install_panic_hook(lang);
    match commands::run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`); what the command did stands. See `ui::is_closed_stdout`.
        Err(e) if ui::is_closed_stdout(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}{}", ui::t(lang, "错误：", "error: "), ui::terminal_safe(&e.message(lang)));
            ExitCode::from(exit_code(&e))
        }
    }
}

fn exit_code(e: &Error) -> u8 {
    match e {
        Error::WrongPassphrase
        | Error::WrongUserOrPassphrase
        | Error::WrongRecoveryCode
        | Error::TooManyAttempts { .. } => 3,
        Error::ImportRejected { .. } | Error::LikelyDuplicates { .. } => 4,
        Error::NotificationsUnavailable { .. } => 5,
        Error::Forbidden { .. } => 6,
        Error::Cancelled => 130,
        _ => 1,
    }
}
