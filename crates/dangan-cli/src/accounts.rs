//! `dangan users`, `recovery`, `recover` and `audit`: who may open the workspace, as what, and
//! what they changed.

use std::path::Path;

use clap::{Args, Subcommand};
use dangan_core::access::NewUser;
use dangan_core::domain::Id;
use dangan_core::keys::RecoveryCode;
use dangan_core::store::AuditQuery;
use dangan_core::{Error, Result, Session};

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
        /// On a server: the committee whose office the user works for [default: the administrator's]
        #[arg(long, value_name = "NAME")]
        committee: Option<String>,
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

pub fn users(action: UsersAction, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    match action {
        UsersAction::List { json } => list_users(&session, json, cx),
        UsersAction::Add { name, role, branches, committee, new_passphrase_file } => {
            if committee.is_some() {
                return Err(crate::server::committee_is_for_a_server());
            }
            let role = parse::role(&role)?;
            let branches = find_units(&session, &branches)?;
            let pass = passphrase::read(Secret::NewUser, new_passphrase_file.as_deref(), cx.lang)?;
            let new = NewUser { name: &name, role, branches: &branches, passphrase: &pass };
            let user = session.add_user(&new)?;
            cx.human.user_added(&user)
        }
        UsersAction::Role { name, role, branches } => {
            let role = parse::role(&role)?;
            let branches = find_units(&session, &branches)?;
            let user = session.set_user_role(session.user_named(&name)?.id, role, &branches)?;
            cx.human.role_changed(&user)
        }
        UsersAction::Remove { name } => {
            let id = session.user_named(&name)?.id;
            session.remove_user(id)?;
            cx.human.user_removed()
        }
        UsersAction::ResetPassphrase { name, new_passphrase_file } => {
            let id = session.user_named(&name)?.id;
            let pass = passphrase::read(Secret::New, new_passphrase_file.as_deref(), cx.lang)?;
            session.reset_passphrase(id, &pass)?;
            cx.human.passphrase_reset()
        }
    }
}

/// Each user with their role and the paths of their branches.
fn list_users(session: &Session, json: bool, cx: &Context) -> Result<()> {
    let users = session.users()?;
    if json {
        return json::print(&users);
    }
    let tree = session.org_tree()?;
    let users: Vec<_> = users
        .into_iter()
        .map(|user| {
            let branches = user.branches.iter().map(|&b| tree.path(b)).collect();
            (user, branches)
        })
        .collect();
    cx.human.users(&users)
}

fn find_units(session: &Session, names: &[String]) -> Result<Vec<Id>> {
    let tree = session.org_tree()?;
    names
        .iter()
        .map(|name| {
            tree.find(name)?.ok_or_else(|| {
                Error::invalid("branch", format!("没有名为「{name}」的组织"), format!("no unit is named “{name}”"))
            })
        })
        .collect()
}

/// Shows a new recovery code once, after saying where its sheet was written (`pdf`).
pub fn hand_over_recovery_code(code: &RecoveryCode, pdf: Option<&Path>, cx: &Context) -> Result<()> {
    if let Some(pdf) = pdf {
        cx.human.recovery_sheet_written(pdf)?;
    }
    cx.human.recovery_code(code)
}

/// A new recovery key; the old one stops working.
pub fn recovery(args: RecoveryArgs, cx: &Context) -> Result<()> {
    let code = cx.unlock()?.new_recovery_sheet(&args.out)?;
    hand_over_recovery_code(&code, Some(&args.out), cx)
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
    let session = Session::unlock_with_recovery(cx.workspace.clone(), &code)?;
    let id = session.user_named(user)?.id;
    let pass = passphrase::read(Secret::New, None, cx.lang)?;
    session.reset_passphrase(id, &pass)?;
    cx.human.recovered(user)
}

pub fn audit(args: AuditArgs, cx: &Context) -> Result<()> {
    let session = cx.unlock()?;
    let query = args.query()?;
    if let Some(out) = &args.out {
        let written = session.export_audit(&query, out)?;
        return cx.human.audit_written(written, out);
    }
    let page = session.audit_log(&query)?;
    if args.json { json::print(&page.entries) } else { cx.human.audit(&page) }
}

/// `audit` on a server: the log's entries the user may read, listed or written as a workspace's.
pub fn audit_on_server(args: AuditArgs, session: &mut dangan_core::server::ServerSession, cx: &Context) -> Result<()> {
    let query = args.query()?;
    if let Some(out) = &args.out {
        let written = session.export_audit(&query, out, cx.workspace.dir())?;
        return cx.human.audit_written(written, out);
    }
    let page = session.audit_log(&query)?;
    if args.json { json::print(&page.entries) } else { cx.human.audit(&page) }
}

impl AuditArgs {
    fn query(&self) -> Result<AuditQuery> {
        Ok(AuditQuery {
            member_id: self.member,
            actor: self.actor.clone(),
            entity: self.entity.clone(),
            from: parse::optional(self.from.as_deref(), |s| parse::date("from", s))?,
            to: parse::optional(self.to.as_deref(), |s| parse::date("to", s))?,
            offset: 0,
            limit: self.limit,
        })
    }
}
