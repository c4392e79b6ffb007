//! `dangan status`: a person's membership status beside their stage (在册, 转出, 停止党籍, 退党, …)
//! with its history; setting a new one, checked against the person's stage and history; taking
//! back the latest change recorded in error.

use clap::Subcommand;
use dangan_core::Result;
use dangan_core::domain::{Id, StatusChange};

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

pub fn status(action: StatusAction, cx: &Context) -> Result<()> {
    match action {
        StatusAction::Show { member, json } => {
            let detail = cx.unlock()?.member(member)?;
            if json { json::status(&detail) } else { cx.human.status(&detail) }
        }
        StatusAction::Set { member, status, date, reason } => {
            let status = parse::status(&status)?;
            let date = parse::date("date", &date)?;
            let mut session = cx.unlock()?;
            let detail = session.change_status(StatusChange { id: None, person_id: member, status, date, reason })?;
            cx.human.status(&detail)
        }
        StatusAction::Undo { member } => {
            let detail = cx.unlock()?.undo_status_change(member)?;
            cx.human.status(&detail)
        }
    }
}
