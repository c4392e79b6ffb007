//! `dangan init`, `passwd`, `backup`, `restore`, `verify` and `demo`: making a workspace, changing
//! its passphrase, and keeping it safe.

use std::ops::ControlFlow;
use std::path::PathBuf;

use clap::Args;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Error, Result, Session, Text};

use crate::accounts;
use crate::commands::Context;
use crate::parse;
use crate::passphrase::{self, Secret};

#[derive(Args)]
pub struct InitArgs {
    /// The name of the committee (党委) at the root of the organisation
    #[arg(long, default_value = "党委")]
    committee: String,
    /// The rule set: cpc-2026 (the May 2026 revision) or cpc-2014
    #[arg(long, default_value = "cpc-2026")]
    rules: String,
    /// Write the recovery key sheet (one page to print and keep in the office safe) to this PDF
    #[arg(long, value_name = "FILE")]
    recovery_pdf: Option<PathBuf>,
}

pub fn init(args: InitArgs, cx: &Context) -> Result<()> {
    let rule_set = parse::rule_set(&args.rules)?;
    cx.require_no_workspace()?;
    if let Some(pdf) = args.recovery_pdf.as_deref() {
        dangan_core::output::ensure_outside(cx.workspace.dir(), pdf)?;
    }
    let pass = cx.passphrase(Secret::NewWorkspace)?;
    let new =
        NewWorkspace { rule_set, user: cx.user().unwrap_or("admin"), ..NewWorkspace::new(&pass, &args.committee) };
    let (session, code) = Session::create(cx.workspace.clone(), &new)?;
    cx.human.workspace_created(cx.workspace.dir())?;
    if let Some(pdf) = args.recovery_pdf.as_deref() {
        session.write_recovery_sheet(&code, pdf)?;
    }
    accounts::hand_over_recovery_code(&code, args.recovery_pdf.as_deref(), cx)
}

#[derive(Args)]
pub struct PasswdArgs {
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
}

impl PasswdArgs {
    pub fn new_passphrase_file(&self) -> Option<&std::path::Path> {
        self.new_passphrase_file.as_deref()
    }
}

pub fn passwd(args: PasswdArgs, cx: &Context) -> Result<()> {
    cx.require_workspace()?;
    let old = cx.passphrase(Secret::Current)?;
    let new = passphrase::read(Secret::New, args.new_passphrase_file.as_deref(), cx.lang)?;
    Session::change_passphrase(&cx.workspace, cx.user(), &old, &new)?;
    cx.human.passphrase_changed()
}

#[derive(Args)]
pub struct BackupArgs {
    file: PathBuf,
}

pub fn backup(args: BackupArgs, cx: &Context) -> Result<()> {
    let written = cx.unlock()?.backup_now(&args.file, |_| ControlFlow::Continue(()))?;
    cx.human.backed_up(&args.file, written.bytes)
}

#[derive(Args)]
pub struct RestoreArgs {
    file: PathBuf,
}

pub fn restore(args: RestoreArgs, cx: &Context) -> Result<()> {
    cx.require_no_workspace()?;
    let pass = cx.passphrase(Secret::Backup)?;
    let session = Session::restore(&args.file, cx.workspace.clone(), cx.user(), &pass, |_| ControlFlow::Continue(()))?;
    cx.human.restored(cx.workspace.dir(), session.count_people()?)
}

/// Exits 1 (`Corrupt`) after naming each problem found: the exit code is how a script hears of
/// them, so the report becomes an error here.
pub fn verify(cx: &Context) -> Result<()> {
    let report = cx.unlock()?.verify()?;
    cx.human.verified(&report)?;
    if report.is_ok() {
        return Ok(());
    }
    let problems = report.problems.len();
    Err(Error::Corrupt {
        path: cx.workspace.db_path(),
        reason: Text::new(format!("发现 {problems} 处问题"), format!("{problems} problem(s) found")),
    })
}

#[derive(Args)]
pub struct DemoArgs {
    /// How many people to generate (spread over the five stages)
    #[arg(long, default_value_t = 1000)]
    people: usize,
}

pub fn demo(args: DemoArgs, cx: &Context) -> Result<()> {
    let mut session = if cx.workspace.exists() {
        cx.unlock()?
    } else {
        let pass = cx.passphrase(Secret::NewWorkspace)?;
        // Named as `init` names it, so the person told the user name can sign in with it.
        Session::create_demo(
            cx.workspace.clone(),
            &NewWorkspace {
                user: cx.user().unwrap_or("admin"), ..NewWorkspace::new(&pass, "中共示范大学委员会")
            },
        )?
    };
    let report = session.fill_demo(args.people, 20_26_11_24)?;
    cx.human.demo_filled(cx.workspace.dir(), &report)
}
