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
        /// The member; or --selection for several at once
        #[arg(long, value_name = "ID", required_unless_present = "selection", conflicts_with = "selection")]
        member: Option<Id>,
        /// Several members taking the step together (one branch meeting): ID,ID,…; recorded for
        /// all or for none, each person refused named
        #[arg(long, value_name = "ID,ID,…", value_delimiter = ',')]
        selection: Vec<Id>,
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

/// The step `step add` describes.
pub fn new_event(kind: &str, date: &str, reason: Option<String>, months: Option<u32>) -> Result<ProcedureEvent> {
    Ok(ProcedureEvent {
        id: None,
        kind: parse::step_kind(kind)?,
        date: parse::date("date", date)?,
        months,
        note: reason,
    })
}

pub fn step(action: StepAction, cx: &Context) -> Result<()> {
    match action {
        StepAction::Add { member, selection, kind, date, reason, months } => {
            let event = new_event(&kind, &date, reason, months)?;
            match member {
                Some(member) => add(member, event, cx),
                None => add_for_many(&selection, &event, cx),
            }
        }
        StepAction::List { member, json } => list(member, json, cx),
        StepAction::Remove { member, id } => remove(member, id, cx),
    }
}

fn add(member: Id, event: ProcedureEvent, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    let (kind, date) = (event.kind, event.date);
    let detail = session.save_event(member, event)?;
    cx.human.step_recorded(&detail.person.name, kind, date, detail.late.iter().filter(|l| l.step == kind))
}

/// The same step for a selection: all recorded, each said as for one, or none.
fn add_for_many(selection: &[Id], event: &ProcedureEvent, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    for detail in session.save_event_for_many(selection, event)? {
        let late = detail.late.iter().filter(|l| l.step == event.kind);
        cx.human.step_recorded(&detail.person.name, event.kind, event.date, late)?;
    }
    Ok(())
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
