//! `dangan status`: a person's membership status beside their stage (在册, 转出, 停止党籍, 退党, …)
//! with its history; setting a new one, checked against the person's stage and history; taking
//! back the latest change recorded in error.

use clap::Subcommand;
use dangan_core::domain::{Id, StatusChange};
use dangan_core::server::ServerSession;
use dangan_core::store::MemberDetail;
use dangan_core::{Result, Session};

use crate::commands::Context;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum StatusAction {
    /// A person's status and every change of it
    Show {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// Print {member, name, status, history: [{id, status, date, reason}]} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record a change: in_register, transferred_out, suspended, withdrew, removed, expelled,
    /// lapsed, deceased, probation_cancelled (or its Chinese name: 停止党籍, 去世, …)
    Set {
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long)]
        status: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// The reason or the decision's number: required for a suspension, a leaving and a
        /// cancelled probation
        #[arg(long)]
        reason: Option<String>,
    },
    /// Take back the latest change, recorded in error
    Undo {
        #[arg(long, value_name = "ID")]
        member: Id,
    },
}

/// Where a person's status is kept: a workspace, or the shared server.
pub trait Statuses {
    fn member(&mut self, id: Id) -> Result<MemberDetail>;
    fn change_status(&mut self, change: StatusChange) -> Result<MemberDetail>;
    fn undo_status_change(&mut self, id: Id) -> Result<MemberDetail>;
}

impl Statuses for Session {
    fn member(&mut self, id: Id) -> Result<MemberDetail> {
        Session::member(self, id)
    }
    fn change_status(&mut self, change: StatusChange) -> Result<MemberDetail> {
        Session::change_status(self, change)
    }
    fn undo_status_change(&mut self, id: Id) -> Result<MemberDetail> {
        Session::undo_status_change(self, id, None)
    }
}

impl Statuses for ServerSession {
    fn member(&mut self, id: Id) -> Result<MemberDetail> {
        Ok(ServerSession::member(self, id)?.detail)
    }
    fn change_status(&mut self, change: StatusChange) -> Result<MemberDetail> {
        Ok(ServerSession::change_status(self, change)?.detail)
    }
    fn undo_status_change(&mut self, id: Id) -> Result<MemberDetail> {
        Ok(ServerSession::undo_status_change(self, id, None)?.detail)
    }
}

/// What was asked, its words read before anything is opened: a bad status or date is said
/// without a passphrase asked for.
enum Asked {
    Show { member: Id, json: bool },
    Set(StatusChange),
    Undo { member: Id },
}

fn asked(action: StatusAction) -> Result<Asked> {
    Ok(match action {
        StatusAction::Show { member, json } => Asked::Show { member, json },
        StatusAction::Set { member, status, date, reason } => {
            let status = parse::status(&status)?;
            let date = parse::date("date", &date)?;
            Asked::Set(StatusChange { id: None, person_id: member, status, date, reason })
        }
        StatusAction::Undo { member } => Asked::Undo { member },
    })
}

pub fn status(action: StatusAction, cx: &Context) -> Result<()> {
    let asked = asked(action)?;
    run(asked, &mut cx.unlock()?, cx)
}

/// `status --server`: on the shared server, as in a workspace.
pub fn status_on_server(
    action: StatusAction,
    server: impl FnOnce() -> Result<ServerSession>,
    cx: &Context,
) -> Result<()> {
    let asked = asked(action)?;
    run(asked, &mut server()?, cx)
}

fn run(asked: Asked, kept: &mut impl Statuses, cx: &Context) -> Result<()> {
    match asked {
        Asked::Show { member, json } => {
            let detail = kept.member(member)?;
            if json { json::status(&detail) } else { cx.human.status(&detail) }
        }
        Asked::Set(change) => {
            let detail = kept.change_status(change)?;
            cx.human.status(&detail)
        }
        Asked::Undo { member } => {
            let detail = kept.undo_status_change(member)?;
            cx.human.status(&detail)
        }
    }
}
