//! `dangan init`, `passwd`, `backup`, `restore`, `verify` and `demo`: making a workspace, changing
//! its passphrase, and keeping it safe.

use std::path::PathBuf;

use clap::Args;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Error, Result, Text, backup, demo};

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
    let (store, code) = cx.workspace.create_with_recovery(&new)?;
    cx.human.workspace_created(cx.workspace.dir())?;
    accounts::hand_over_recovery_code(&store, &code, args.recovery_pdf.as_deref(), cx)
}

#[derive(Args)]
pub struct PasswdArgs {
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
}

pub fn passwd(args: PasswdArgs, cx: &Context) -> Result<()> {
    cx.require_workspace()?;
    let old = cx.passphrase(Secret::Current)?;
    let new = passphrase::read(Secret::New, args.new_passphrase_file.as_deref(), cx.lang)?;
    cx.workspace.change_passphrase_as(cx.user(), &old, &new)?;
    cx.human.passphrase_changed()
}

#[derive(Args)]
pub struct BackupArgs {
    file: PathBuf,
}

pub fn backup(args: BackupArgs, cx: &Context) -> Result<()> {
    let store = cx.unlock()?;
    let size = backup::write_backup(&store, &cx.workspace, &args.file)?;
    cx.human.backed_up(&args.file, size)
}

#[derive(Args)]
pub struct RestoreArgs {
    file: PathBuf,
}

pub fn restore(args: RestoreArgs, cx: &Context) -> Result<()> {
    cx.require_no_workspace()?;
    let pass = cx.passphrase(Secret::Backup)?;
    let store = backup::restore_backup_as(&args.file, &cx.workspace, cx.user(), &pass)?;
    cx.human.restored(cx.workspace.dir(), store.count_people()?)
}

/// Exits 1 (`Corrupt`) after naming each problem found.
pub fn verify(cx: &Context) -> Result<()> {
    let store = cx.unlock()?;
    let report = store.verify()?;
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
    let mut store = if cx.workspace.exists() {
        cx.unlock()?
    } else {
        let pass = cx.passphrase(Secret::NewWorkspace)?;
        // Named as `init` names it, so the person told the user name can sign in with it.
        cx.workspace.create(&NewWorkspace {
            user: cx.user().unwrap_or("admin"),
            ..NewWorkspace::new(&pass, "中共示范大学委员会")
        })?
    };
    if store.count_people()? > 0 {
        return Err(Error::InvalidInput {
            field: "workspace".into(),
            reason: Text::new(
                "工作区中已有人员，演示数据只能填入新的工作区",
                "the workspace already holds people; demo data goes into a new workspace only",
            ),
        });
    }
    let report = demo::populate(&mut store, args.people, 20_26_11_24)?;
    cx.human.demo_filled(cx.workspace.dir(), &report)
}
