//! What the commands print with `--json`: every shape a script reads, in one place. The field
//! names are a public interface (the end-to-end tests pin them); change them only compatibly.
//!
//! Most shapes are the core's own types serialised; the few assembled here say so.

use dangan_core::checklist::ChecklistLine;
use dangan_core::domain::{FileRecord, Id};
use dangan_core::late::LateStep;
use dangan_core::store::{MemberDetail, MemberSummary};
use dangan_core::{Error, Result};

use crate::ui::outln;

fn json_error(e: serde_json::Error) -> Error {
    Error::Io { path: "stdout".into(), source: e.into() }
}

/// Prints `value` as indented JSON.
pub fn print(value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(json_error)?;
    outln!("{text}");
    Ok(())
}

/// `records --json`: `{records: [...], checklist: [...]}`.
pub fn member_file(records: &[FileRecord], checklist: &[ChecklistLine]) -> Result<()> {
    print(&serde_json::json!({ "records": records, "checklist": checklist }))
}

/// `step list --json`: `{member, name, events: [...], late: [...]}`.
pub fn steps(member: Id, detail: &MemberDetail) -> Result<()> {
    print(&serde_json::json!({
        "member": member,
        "name": detail.person.name,
        "events": detail.events,
        "late": detail.late,
    }))
}

/// `status show --json`: `{member, name, status, history: [{id, person_id, status, date, reason}]}`.
pub fn status(detail: &MemberDetail) -> Result<()> {
    print(&serde_json::json!({
        "member": detail.person.id,
        "name": detail.person.name,
        "status": detail.status,
        "history": detail.status_history,
    }))
}

/// `dues rate --json`: `{category, base_fen, amount_fen, amount}` (amount in yuan, as text).
pub fn dues_rate(category: dangan_core::domain::DuesCategory, base_fen: i64, amount_fen: i64) -> Result<()> {
    print(&serde_json::json!({
        "category": category,
        "base_fen": base_fen,
        "amount_fen": amount_fen,
        "amount": dangan_core::dues::format_yuan(amount_fen),
    }))
}

/// `members --json`: a JSON array of every member listed, each with the steps that came late or
/// out of order (`late`, see `dangan_core::late`), one object a line, written a page at a time.
#[derive(Default)]
pub struct MemberArray {
    /// Each line is printed once the next is known, so the last one goes without a comma.
    held: Option<String>,
    /// The opening bracket waits for the first page, so a refused list prints no half array.
    opened: bool,
}

impl MemberArray {
    /// One page of members, each with its late steps, which `late_steps_of` gives for the ids
    /// of the page in the same order.
    pub fn page(
        &mut self,
        page: &[MemberSummary],
        late_steps_of: impl FnOnce(&[Id]) -> Result<Vec<Vec<LateStep>>>,
    ) -> Result<()> {
        if !std::mem::replace(&mut self.opened, true) {
            outln!("[");
        }
        let ids: Vec<Id> = page.iter().map(|m| m.id).collect();
        for (m, late) in page.iter().zip(late_steps_of(&ids)?) {
            let mut value = serde_json::to_value(m).map_err(json_error)?;
            if let Some(object) = value.as_object_mut() {
                object.insert("late".into(), serde_json::to_value(late).map_err(json_error)?);
            }
            let item = serde_json::to_string(&value).map_err(json_error)?;
            if let Some(previous) = self.held.replace(item) {
                outln!("  {previous},");
            }
        }
        Ok(())
    }

    /// Closes the array (opening it first when there was no page).
    pub fn finish(self) -> Result<()> {
        if !self.opened {
            outln!("[");
        }
        if let Some(last) = self.held {
            outln!("  {last}");
        }
        outln!("]");
        Ok(())
    }
}
