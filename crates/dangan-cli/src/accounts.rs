//! `dangan users`, `recovery`, `recover` and `audit`: who may open the workspace, as what, and
//! what they changed.

use std::path::Path;

use clap::{Args, Subcommand};
use dangan_core::access::NewUser;
use dangan_core::domain::Id;
use dangan_core::dossier::{RecoverySheet, write_recovery_sheet};
use dangan_core::keys::RecoveryCode;
use dangan_core::store::AuditQuery;
use dangan_core::{Error, Result, Store, Text, calendar};

use crate::commands::Context;
use crate::passphrase::{self, Secret};
use crate::{json, parse};

#[derive(Subcommand)]
pub enum UsersAction {
    /// List the users, their roles and branches (the default)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a user with a passphrase of their own (from DANGAN_NEW_PASSPHRASE, --new-passphrase-file or a prompt)
    Add {
        name: String,
        /// administrator, organiser, branch_secretary or auditor
        #[arg(long)]
        role: String,
        /// For a branch secretary: their branch or general branch, by name or path (repeatable)
        #[arg(long = "branch", value_name = "NAME")]
        branches: Vec<String>,
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<std::path::PathBuf>,
    },
    /// Give a user another role (and, for a branch secretary, their branches)
    Role {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long = "branch", value_name = "NAME")]
        branches: Vec<String>,
    },
    /// Remove a user: their key slot is deleted and their passphrase opens nothing any more
    Remove { name: String },
    /// Set a new passphrase for a user who forgot theirs (from DANGAN_NEW_PASSPHRASE or a prompt)
    ResetPassphrase {
        name: String,
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<std::path::PathBuf>,
    },
}

#[derive(Args)]
pub struct RecoveryArgs {
    #[arg(long, value_name = "FILE")]
    out: std::path::PathBuf,
}

#[derive(Args)]
pub struct AuditArgs {
    /// Only entries about this member
    #[arg(long, value_name = "ID")]
    member: Option<i64>,
    /// Only changes made by this user
    #[arg(long = "by", value_name = "USER")]
    actor: Option<String>,
    /// Only changes to one kind of thing: people, events, records, attachments, dismissals,
    /// org_units, holidays, meta, users, user_branches
    #[arg(long)]
    entity: Option<String>,
    /// From this day (UTC)
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    /// To this day (UTC), inclusive
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<String>,
    /// At most this many entries [default: 50; 0 for all]
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[arg(long)]
    json: bool,
    /// Write the matching entries (all of them, oldest first, with their hashes) to a CSV file
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
}

pub fn users(action: Option<UsersAction>, cx: &Context) -> Result<()> {
    let mut store = cx.unlock()?;
    match action.unwrap_or(UsersAction::List { json: false }) {
        UsersAction::List { json } => list_users(&store, json, cx),
        UsersAction::Add { name, role, branches, new_passphrase_file } => {
            let role = parse::role(&role)?;
            let branches = find_units(&store, &branches)?;
            let pass = passphrase::read(Secret::NewUser, new_passphrase_file.as_deref(), cx.lang)?;
            let new = NewUser { name: &name, role, branches: &branches, passphrase: &pass };
            let user = cx.workspace.add_user(&mut store, &new)?;
            cx.human.user_added(&user)
        }
        UsersAction::Role { name, role, branches } => {
            let role = parse::role(&role)?;
            let branches = find_units(&store, &branches)?;
            let user = store.set_user_role(user_id(&store, &name)?, role, &branches)?;
            cx.human.role_changed(&user)
        }
        UsersAction::Remove { name } => {
            let id = user_id(&store, &name)?;
            cx.workspace.remove_user(&mut store, id)?;
            cx.human.user_removed()
        }
        UsersAction::ResetPassphrase { name, new_passphrase_file } => {
            let id = user_id(&store, &name)?;
            let pass = passphrase::read(Secret::New, new_passphrase_file.as_deref(), cx.lang)?;
            cx.workspace.reset_passphrase(&store, id, &pass)?;
            cx.human.passphrase_reset()
        }
    }
}

/// Each user with their role and the paths of their branches.
fn list_users(store: &Store, json: bool, cx: &Context) -> Result<()> {
    let users = store.users()?;
    if json {
        return json::print(&users);
    }
    let tree = store.org_tree()?;
    let users: Vec<_> = users
        .into_iter()
        .map(|user| {
            let branches = user.branches.iter().map(|&b| tree.path(b)).collect();
            (user, branches)
        })
        .collect();
    cx.human.users(&users)
}

fn find_units(store: &Store, names: &[String]) -> Result<Vec<Id>> {
    let tree = store.org_tree()?;
    names
        .iter()
        .map(|name| {
            tree.find(name)?.ok_or_else(|| {
                Error::invalid("branch", format!("没有名为「{name}」的组织"), format!("no unit is named “{name}”"))
            })
        })
        .collect()
}

fn user_id(store: &Store, name: &str) -> Result<Id> {
    store
        .users()?
        .into_iter()
        .find(|u| u.name == name.trim())
        .map(|u| u.id)
        .ok_or_else(|| Error::NotFound { what: Text::new(format!("用户「{name}」"), format!("user “{name}”")) })
}

/// Shows a new recovery code once, and writes its sheet when asked to.
pub fn hand_over_recovery_code(store: &Store, code: &RecoveryCode, pdf: Option<&Path>, cx: &Context) -> Result<()> {
    if let Some(pdf) = pdf {
        let committee = store.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        let sheet = RecoverySheet {
            committee: &committee,
            workspace: cx.workspace.dir(),
            made_on: calendar::today(),
            created_at: chrono::Utc::now(),
        };
        write_recovery_sheet(cx.workspace.dir(), pdf, &sheet, code)?;
        cx.human.recovery_sheet_written(pdf)?;
    }
    cx.human.recovery_code(code)
}

/// A new recovery key; the old one stops working.
pub fn recovery(args: RecoveryArgs, cx: &Context) -> Result<()> {
    let store = cx.unlock()?;
    // Before the new code replaces the old one: a sheet that cannot be written here
    // must not leave the office with a code nobody has.
    dangan_core::output::ensure_outside(cx.workspace.dir(), &args.out)?;
    let code = cx.workspace.new_recovery_code(&store)?;
    hand_over_recovery_code(&store, &code, Some(&args.out), cx)
}

/// A forgotten passphrase: the recovery key opens the workspace, and `--user` gets a new passphrase.
pub fn recover(cx: &Context) -> Result<()> {
    let Some(user) = cx.user() else {
        return Err(Error::invalid(
            "user",
            "请用 --user 或 DANGAN_USER 指明要重新设置口令的用户",
            "name the user whose passphrase to set with --user or DANGAN_USER",
        ));
    };
    let code = passphrase::read(Secret::RecoveryCode, None, cx.lang)?;
    let store = cx.workspace.open_with_recovery(&code)?;
    let id = user_id(&store, user)?;
    let pass = passphrase::read(Secret::New, None, cx.lang)?;
    cx.workspace.reset_passphrase(&store, id, &pass)?;
    cx.human.recovered(user)
}

pub fn audit(args: AuditArgs, cx: &Context) -> Result<()> {
    let store = cx.unlock()?;
    let query = AuditQuery {
        member_id: args.member,
        actor: args.actor,
        entity: args.entity,
        from: parse::optional(args.from.as_deref(), |s| parse::date("from", s))?,
        to: parse::optional(args.to.as_deref(), |s| parse::date("to", s))?,
        offset: 0,
        limit: args.limit,
    };
    if let Some(out) = &args.out {
        let written = store.export_audit_csv(&query, out)?;
        return cx.human.audit_written(written, out);
    }
    let page = store.audit_log(&query)?;
    if args.json { json::print(&page.entries) } else { cx.human.audit(&page) }
}
