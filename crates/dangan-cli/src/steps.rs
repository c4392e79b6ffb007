//! `dangan step`: a member's procedure one step at a time, for what a roster cannot carry (an
//! approval extension with its reason, a probation extension, a single late talk). Each change goes
//! through the same checks as the app's, each refusal names its article, each change is audited.

use clap::Subcommand;
use dangan_core::Result;
use dangan_core::domain::{Id, ProcedureEvent};

use crate::commands::Context;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum StepAction {
    /// Record a step: its kind, its date, and for the extensions their months and reason
    Add {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The step: application_received, applicant_talk, activist_determined, activist_review,
        /// contacts_assigned, thought_report, candidate_publicity, candidate_determined,
        /// political_review, centralised_training, prereview_passed, admitted, approval_extended,
        /// admission_approved, oath, conversion_meeting, conversion_approved, probation_extended,
        /// membership_ended (or its Chinese name: 与入党申请人谈话, …)
        #[arg(long)]
        kind: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Why: required for an approval extension (approval_extended)
        #[arg(long)]
        reason: Option<String>,
        /// The months of an extension: 1 to 3 for approval_extended, 6 to 12 for probation_extended
        #[arg(long)]
        months: Option<u32>,
    },
    /// List a member's steps in procedure order, with any that came late
    List {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// Print {member, name, events: [...], late: [...]} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Remove a step (by its id, from `step list`), if what remains still follows the rules
    Remove {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The step's id
        #[arg(long, value_name = "STEP_ID")]
        id: Id,
    },
}

pub fn step(action: StepAction, cx: &Context) -> Result<()> {
    match action {
        StepAction::Add { member, kind, date, reason, months } => add(member, &kind, &date, reason, months, cx),
        StepAction::List { member, json } => list(member, json, cx),
        StepAction::Remove { member, id } => remove(member, id, cx),
    }
}

fn add(member: Id, kind: &str, date: &str, reason: Option<String>, months: Option<u32>, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    let kind = parse::step_kind(kind)?;
    let date = parse::date("date", date)?;
    let detail = session.save_event(member, ProcedureEvent { id: None, kind, date, months, note: reason })?;
    cx.human.step_recorded(&detail.person.name, kind, date, detail.late.iter().filter(|l| l.step == kind))
}

fn list(member: Id, json: bool, cx: &Context) -> Result<()> {
    let detail = cx.unlock()?.member(member)?;
    if json { json::steps(member, &detail) } else { cx.human.steps(&detail) }
}

fn remove(member: Id, id: Id, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    // Read before it goes, to say what was removed.
    let before = session.member(member)?;
    let removed = before.events.iter().find(|e| e.id == Some(id)).map(|e| (e.kind, e.date));
    let detail = session.delete_event(member, id)?;
    match removed {
        Some((kind, date)) => cx.human.step_removed(&detail.person.name, kind, date),
        None => Ok(()),
    }
}
