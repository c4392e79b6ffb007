//! A graduating class leaving in one batch (毕业生组织关系批量转出): who is in a class year, what
//! each still owes before leaving (a probationary member whose conversion falls due first is
//! named), and their letters issued in one transaction — stopped or refused, none is. And a
//! graduate whose relationship is kept at the university (条例第三十四条): an item when the two
//! years end, until a letter takes them.

use std::ops::ControlFlow;

use rusqlite::{OptionalExtension, params};

use super::Store;
use super::org::OrgTree;
use super::people::MemberDetail;
use super::transfers::write_letter;
use crate::access::Action;
use crate::deadlines::DeadlineQuery;
use crate::domain::{Id, MembershipStatus, Stage};
use crate::jobs::{Progress, Unit};
use crate::transfer::{LeaverCheck, NewLetter, TransferLetter, Unfinished};
use crate::{Error, Result, Text};

/// The rule whose item is a probationary member's conversion.
const CONVERSION: &str = "conversion_due";

impl Store {
    /// The people of a class year (年级) still in the register, under `unit` (all the user sees
    /// without one), in the member list's order.
    pub fn class_of(&self, class_year: u16, unit: Option<Id>) -> Result<Vec<Id>> {
        self.require(Action::ReadMembers)?;
        let tree = OrgTree::load(&self.conn)?;
        let under = unit.map(|u| tree.subtree(u));
        let shown = self.visible_units(&tree);
        let mut stmt = self.conn.prepare(
            "SELECT id, branch_id FROM people WHERE class_year = ?1 AND status = 'in_register' ORDER BY sort_key, id",
        )?;
        let rows = stmt.query_map(params![class_year], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, branch) = row?;
            let in_unit = under.as_ref().is_none_or(|u| u.contains(&branch));
            let visible = shown.as_ref().is_none_or(|s| s.contains(&branch));
            if in_unit && visible {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Checks a batch of letters without issuing any: for each person, what would stop their
    /// letter (the same checks as issuing it, a person twice included), what they still owe, and
    /// a probationary member's conversion falling due by the day of leaving.
    pub fn check_letters(&mut self, letters: &[NewLetter]) -> Result<Vec<LeaverCheck>> {
        let tx = self.begin_change()?;
        for new in letters {
            self.require_member(Action::EditMembers, new.person_id)?;
        }
        let (today, may_approve) = (self.today(), self.may_approve_transfers());
        let tree = OrgTree::load(&self.conn)?;
        let mut refusals = Vec::with_capacity(letters.len());
        {
            // Written and rolled back: exactly what issuing would refuse, in the batch's order.
            for new in letters {
                refusals.push(match write_letter(&tx, &self.rules, today, new, may_approve) {
                    Ok(_) => None,
                    Err(e @ (Error::InvalidInput { .. } | Error::Violations { .. })) => Some(e.text()),
                    Err(other) => return Err(other),
                });
            }
            tx.rollback()?;
        }
        let mut out = Vec::with_capacity(letters.len());
        for (new, refusal) in letters.iter().zip(refusals) {
            let detail = self.member(new.person_id)?;
            let query = DeadlineQuery { member_id: Some(new.person_id), ..DeadlineQuery::default() };
            let items = self.deadlines(&query)?;
            let branch = tree.path(detail.person.branch_id);
            out.push(leaver_check(new, detail.person.name, branch, detail.stage, refusal, &items));
        }
        Ok(out)
    }

    /// Issues a batch of letters in one transaction, telling `progress` after each; refused for
    /// one (named) or stopped, none is issued.
    pub fn issue_letters(
        &mut self,
        letters: &[NewLetter],
        mut progress: impl FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<Vec<TransferLetter>> {
        let tx = self.begin_change()?;
        for new in letters {
            self.require_member(Action::EditMembers, new.person_id)?;
        }
        let (today, may_approve) = (self.today(), self.may_approve_transfers());
        let total = letters.len() as u64;
        let mut ids = Vec::with_capacity(letters.len());
        {
            for (done, new) in letters.iter().enumerate() {
                let id = write_letter(&tx, &self.rules, today, new, may_approve).map_err(|e| {
                    let name: String = tx
                        .query_row("SELECT name FROM people WHERE id = ?1", [new.person_id], |r| r.get(0))
                        .unwrap_or_else(|_| new.person_id.to_string());
                    naming(&name, e)
                })?;
                ids.push(id);
                if progress(Progress::new(done as u64 + 1, total, Unit::Letters)).is_break() {
                    return Err(Error::Cancelled);
                }
            }
            tx.commit()?;
        }
        for new in letters {
            self.refresh_index(new.person_id)?;
        }
        self.drop_life_index();
        ids.into_iter().map(|id| self.find_letter(id)).collect()
    }
}

impl Store {
    /// Keeps a graduate's relationship at the university from the day they graduated (`Some`), or
    /// ends the keeping (`None`); their page after it.
    pub fn keep_graduate(
        &mut self,
        person_id: Id,
        graduated_on: Option<crate::calendar::Date>,
    ) -> Result<MemberDetail> {
        self.require_member(Action::EditMembers, person_id)?;
        let detail = self.member(person_id)?;
        match graduated_on {
            Some(day) => {
                check_keeping(&detail.person.name, detail.status, day, self.today())?;
                self.conn.execute(
                    "INSERT INTO kept_graduates (person_id, graduated_on) VALUES (?1, ?2)
                     ON CONFLICT(person_id) DO UPDATE SET graduated_on = excluded.graduated_on",
                    params![person_id, day.to_string()],
                )?;
            }
            None => {
                self.conn.execute("DELETE FROM kept_graduates WHERE person_id = ?1", [person_id])?;
            }
        }
        self.drop_life_index();
        self.member(person_id)
    }
}

/// Whether a graduate's relationship may be kept from the day they graduated, on either engine:
/// someone in the register, graduated by today.
pub(crate) fn check_keeping(
    name: &str,
    status: MembershipStatus,
    graduated_on: crate::calendar::Date,
    today: crate::calendar::Date,
) -> Result<()> {
    if status != MembershipStatus::InRegister {
        return Err(Error::invalid(
            "member",
            format!("{name}已不在册（{}），无需保留组织关系", status.zh()),
            format!("{name} is out of the register ({}): nothing to keep", status.label().en),
        ));
    }
    if graduated_on > today {
        return Err(Error::invalid(
            "graduated",
            format!("毕业日期 {} 晚于今天", crate::calendar::format_zh(graduated_on)),
            format!("the day of graduating, {graduated_on}, is after today"),
        ));
    }
    Ok(())
}

/// The day a graduate's kept relationship runs from, if it is kept.
pub(crate) fn kept_since(conn: &rusqlite::Connection, person_id: Id) -> Result<Option<crate::calendar::Date>> {
    let day: Option<String> = conn
        .query_row("SELECT graduated_on FROM kept_graduates WHERE person_id = ?1", [person_id], |r| r.get(0))
        .optional()?;
    Ok(day.and_then(|d| crate::calendar::parse_iso(&d)))
}

/// What a leaver's letter meets, on either engine: its refusal, if any, their items still
/// pending (`items`, their deadlines) and a probationary member's conversion falling due by the
/// day of leaving.
pub(crate) fn leaver_check(
    new: &NewLetter,
    name: String,
    branch: String,
    stage: Stage,
    refusal: Option<Text>,
    items: &[crate::deadlines::DeadlineItem],
) -> LeaverCheck {
    let conversion_due = items
        .iter()
        .filter(|i| stage == Stage::Probationary && &*i.rule == CONVERSION && i.due <= new.issued_on)
        .map(|i| i.due)
        .min();
    let unfinished = items
        .iter()
        .map(|i| Unfinished {
            rule: i.rule.to_string(),
            name: Text::new(i.rule_name_zh.to_string(), i.rule_name_en.to_string()),
            due: i.due,
        })
        .collect();
    LeaverCheck { person_id: new.person_id, name, branch, stage, refusal, unfinished, conversion_due }
}

/// A refusal in a batch, with the name of the person it is about.
pub(crate) fn naming(name: &str, e: Error) -> Error {
    match e {
        Error::InvalidInput { field, reason } => Error::InvalidInput {
            field,
            reason: Text::new(format!("{name}：{}", reason.zh), format!("{name}: {}", reason.en)),
        },
        other => other,
    }
}
