//! `dangan`: the command-line face of Dangan, for scripts, OS schedulers and tests.
//!
//! Every command is a thin call into `dangan-core`. The public interface (command names, flags,
//! the JSON fields of `members --json`, exit codes) is relied on by scripts: change it only
//! compatibly. Exit codes: 0 success, 1 failure, 2 usage error, 3 wrong passphrase, 4 roster
//! refused (or it holds likely duplicates and --duplicates was not given), 5 no notification service (`remind --notify`), 6 not allowed for the user's role,
//! 130 cancelled. 3 also means too many wrong passphrases in a row (wait and try again).

mod accounts;
mod appraisal;
mod commands;
mod committee;
mod complaints;
mod documents;
mod dossiers;
mod dues;
mod files;
mod human;
mod json;
mod meetings;
mod members;
mod parse;
mod passphrase;
mod planning;
mod progress;
mod rosters;
mod server;
mod statistics;
mod status;
mod steps;
mod training;
mod transfer;
mod ui;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
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
    /// A shared server instead of a workspace: postgres://HOST[:PORT]/DATABASE[?sslrootcert=CA.pem]
    /// (over TCP always TLS, the certificate verified against the host name)
    #[arg(long, global = true, env = "DANGAN_SERVER", value_name = "URL")]
    server: Option<String>,
    /// The user to sign in as (each user has a passphrase of their own) [default: whoever the passphrase opens]
    #[arg(long, global = true, env = "DANGAN_USER", value_name = "NAME")]
    user: Option<String>,
    /// Message language: zh or en [default: from the locale]
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Every command, each run by one function (see `commands::run`); the arguments of each are
/// declared beside that function.
#[derive(Subcommand)]
enum Command {
    /// Create a new encrypted workspace (refuses to overwrite one); --user names its administrator
    Init(workspace::InitArgs),
    /// Import a roster (.xlsx or .csv): all rows or none
    Import(rosters::ImportArgs),
    /// Export members to a .xlsx roster that re-imports cleanly
    Export(rosters::ExportArgs),
    /// Write a blank roster template (.xlsx)
    Template(rosters::TemplateArgs),
    /// List members in pinyin order
    Members(members::MembersArgs),
    /// Pending deadlines of the procedure, most urgent first
    Deadlines(planning::DeadlinesArgs),
    /// A branch's organisational life: its meetings (三会一课, 主题党日, …) and who attended
    Meetings {
        #[command(subcommand)]
        action: meetings::MeetingsAction,
    },
    /// A branch committee's posts and who holds them
    Committee {
        #[command(subcommand)]
        action: committee::CommitteeAction,
    },
    /// A branch's party groups (党小组) and their members
    Groups {
        #[command(subcommand)]
        action: committee::GroupsAction,
    },
    /// Training classes (党校培训班): sessions, trainees, attendance, results, certificates
    Classes {
        #[command(subcommand)]
        action: training::ClassesAction,
    },
    /// Study hours, and a member's own study
    Training {
        #[command(subcommand)]
        action: training::TrainingAction,
    },
    /// Statistics as of a day: people at each stage, per branch, per year, per class year, members by
    /// gender, ethnicity, age and education; every number's people with --people
    Stats(statistics::StatsArgs),
    /// Reports to the upper committee
    Report {
        #[command(subcommand)]
        action: statistics::ReportAction,
    },
    /// Remind of deadlines that newly reached a lead time (30, 7, 1 days) or became overdue; for cron,
    /// systemd timers, Task Scheduler or launchd. Each reminder is sent once.
    Remind(planning::RemindArgs),
    /// The rule set: show it, load the office's own rule file on top, or go back to the shipped one
    Rules {
        #[command(subcommand)]
        action: Option<planning::RulesAction>,
    },
    /// The official holiday calendar, for working-day periods
    Holidays {
        #[command(subcommand)]
        action: Option<planning::HolidaysAction>,
    },
    /// A member's procedure, one step at a time: add (with an extension's months and reason), list, remove
    Step {
        #[command(subcommand)]
        action: steps::StepAction,
    },
    /// A person's membership status (在册, 转出, 停止党籍, 退党, 去世, …): show it, change it, take
    /// back the latest change; whoever is out of the register leaves the working lists
    Status {
        #[command(subcommand)]
        action: status::StatusAction,
    },
    /// Transfers of the organisational relationship by introduction letter: out (issue and print),
    /// receipt, reissue, cancel, list, print
    Transfer {
        #[command(subcommand)]
        action: transfer::TransferAction,
    },
    /// The yearly democratic appraisal of a branch (民主评议党员): open, step, ballots, votes, grade,
    /// close, correction, show, list, results
    Appraisal {
        #[command(subcommand)]
        action: appraisal::AppraisalAction,
    },
    /// The confidential register of complaints and reports (信访举报), for discipline inspectors:
    /// add, list, show, handle, close; count (anyone)
    Complaints {
        #[command(subcommand)]
        action: complaints::ComplaintsAction,
    },
    /// Party dues (党费): the rate of a category and base, a member's base, months paid or deferred,
    /// the ledger, arrears and each branch's summary
    Dues {
        #[command(subcommand)]
        action: dues::DuesAction,
    },
    /// The procedure's documents (发展对象公示, 预审请示, 转正请示, …) filled from the records, as
    /// .docx or PDF: list, make; the office's own wording: templates show, load, reset
    Doc {
        #[command(subcommand)]
        action: documents::DocAction,
    },
    /// A member's file: its records, their attachments, and the checklist of materials
    Records(files::RecordsArgs),
    /// Add a record to a member's file, with its text and files (JPEG, PNG, PDF) to attach
    Record(Box<files::RecordArgs>),
    /// Write an attachment out to a file
    Attachment(files::AttachmentArgs),
    /// Print member files as PDF dossiers: one member to a file, or many (all, or those the filters
    /// select) to a folder, on all cores
    Dossier(dossiers::DossierArgs),
    /// Write the whole workspace to one backup file (encrypted as the workspace is), while in use
    Backup(workspace::BackupArgs),
    /// Restore a backup into the workspace folder, which must not hold a workspace yet
    Restore(workspace::RestoreArgs),
    /// Check the workspace: every page, every reference, every attachment; exit 1 naming what is wrong
    Verify,
    /// Fill a new workspace with a demo organisation (creates the workspace if needed)
    Demo(workspace::DemoArgs),
    /// Change the passphrase (new one from DANGAN_NEW_PASSPHRASE, --new-passphrase-file or a prompt)
    Passwd(workspace::PasswdArgs),
    /// Users and their roles: list, add, change, remove, reset a passphrase (administrators)
    Users {
        #[command(subcommand)]
        action: Option<accounts::UsersAction>,
        /// With no subcommand: the list as JSON (`name`, `role`, `branches`; on a server `db_role` too)
        #[arg(long)]
        json: bool,
    },
    /// Make a new recovery key (the old one stops working) and write its sheet to a PDF (administrators)
    Recovery(accounts::RecoveryArgs),
    /// Forgotten passphrase: open with the recovery key (DANGAN_RECOVERY_CODE or a prompt) and set
    /// a new passphrase for --user (from DANGAN_NEW_PASSPHRASE or a prompt)
    Recover,
    /// The audit log: every change, who made it and when, newest first (administrators, auditors)
    Audit(accounts::AuditArgs),
    /// A shared PostgreSQL server for a university's offices: set one up
    Server {
        #[command(subcommand)]
        action: server::ServerAction,
    },
    /// Write a roster of generated people, for benchmarks
    #[command(hide = true)]
    BenchRoster(rosters::BenchRosterArgs),
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let command_name = matches.subcommand_name().unwrap_or_default().to_owned();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let lang = match cli.lang.as_deref() {
        Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        Some(_) => Lang::En,
        None => Lang::from_locale_vars(|k| std::env::var(k).ok()),
    };
    ui::install_panic_hook(lang);
    match commands::run(cli, &command_name, lang) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`); what the command did stands. See `ui::is_closed_stdout`.
        Err(e) if ui::is_closed_stdout(&e) => ExitCode::SUCCESS,
        Err(e) => {
            human::Human::new(lang).error(&e);
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command's arguments are consistent (unique names, valid conflicts): clap checks them
    /// only when a command is parsed, so a clash would otherwise surface as a panic for the user.
    #[test]
    fn every_command_is_declared_consistently() {
        super::Cli::command().debug_assert();
    }
}
