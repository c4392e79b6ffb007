//! What the worker set aside: a deadline item acknowledged (no more reminders, off the
//! dashboard) or snoozed until a day, keyed by member, rule and due day.

use std::collections::HashMap;

use rusqlite::params;

use super::Store;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::deadlines::{DeadlineQuery, OwnerKey};
use crate::domain::Id;
use crate::{Error, Result, Text};

/// What the worker did about items, by owner: `(rule, due, until)`, `until` being `None` for an
/// acknowledgement. Looked up per owner, and most have none.
#[derive(Default)]
pub(crate) struct Dismissals(HashMap<OwnerKey, Vec<(String, Date, Option<Date>)>>);

impl Dismissals {
    /// `None`: not set aside; `Some(None)`: acknowledged; `Some(Some(day))`: snoozed until then.
    pub(super) fn get(&self, owner: OwnerKey, rule: &str, due: Date) -> Option<Option<Date>> {
        self.0.get(&owner)?.iter().find(|(r, d, _)| r == rule && *d == due).map(|(_, _, until)| *until)
    }

    pub(super) fn is_dismissed(&self, owner: OwnerKey, rule: &str, due: Date, as_of: Date) -> bool {
        match self.get(owner, rule, due) {
            None => false,
            Some(None) => true,
            Some(Some(until)) => until > as_of,
        }
    }

    /// A member's item set aside, as a shared server reads them.
    pub(crate) fn add_member(&mut self, person: Id, rule: String, due: Date, until: Option<Date>) {
        self.0.entry(OwnerKey::Member(person)).or_default().push((rule, due, until));
    }

    /// A unit's item (`group` 0) or its party group's, as a shared server reads them.
    pub(crate) fn add_unit(&mut self, unit: Id, group: Id, rule: String, due: Date, until: Option<Date>) {
        self.0.entry(unit_key(unit, group)).or_default().push((rule, due, until));
    }

    fn add(&mut self, owner: OwnerKey, rule: String, due: &str, until: Option<String>) {
        let Some(due) = calendar::parse_iso(due) else { return };
        self.0.entry(owner).or_default().push((rule, due, until.as_deref().and_then(calendar::parse_iso)));
    }
}

/// The rules of setting a member's item aside, on either engine: a snooze lasts past today, and
/// the item is one the procedure asks of them now (`pending`: their items, set aside or not).
pub(crate) fn check_set_aside(
    pending: &[crate::deadlines::DeadlineItem],
    member_id: Id,
    rule: &str,
    due: Date,
    until: Option<Date>,
    today: Date,
) -> Result<()> {
    check_snooze(until, today)?;
    if !pending.iter().any(|i| i.owner.member_id() == Some(member_id) && &*i.rule == rule && i.due == due) {
        return Err(Error::NotFound {
            what: Text::new(
                format!("成员 {member_id} 于 {} 到期的待办「{rule}」", calendar::format_zh(due)),
                format!("member {member_id}'s pending item `{rule}` due {due}"),
            ),
        });
    }
    Ok(())
}

/// The rules of setting a unit's item aside, on either engine: a snooze lasts past today, and the
/// item is one the unit (or its party group) owes now (`pending`: the unit's items, set aside or
/// not).
pub(crate) fn check_unit_set_aside(
    pending: &[crate::deadlines::DeadlineItem],
    (unit_id, group_id): (Id, Option<Id>),
    rule: &str,
    due: Date,
    until: Option<Date>,
    today: Date,
) -> Result<()> {
    check_snooze(until, today)?;
    let owes = |item: &crate::deadlines::DeadlineItem| matches!(&item.owner, crate::deadlines::Owner::Unit { unit_id: u, group_id: g, complaint_id: None, .. } if *u == unit_id && *g == group_id);
    if !pending.iter().any(|i| owes(i) && &*i.rule == rule && i.due == due) {
        return Err(Error::NotFound {
            what: Text::new(
                format!("组织 {unit_id} 于 {} 到期的待办「{rule}」", calendar::format_zh(due)),
                format!("unit {unit_id}'s pending item `{rule}` due {due}"),
            ),
        });
    }
    Ok(())
}

/// The key of a unit's item (`group` 0) or its party group's.
pub(crate) fn unit_key(unit: Id, group: Id) -> OwnerKey {
    if group == 0 { OwnerKey::Unit(unit) } else { OwnerKey::Group { unit, group } }
}

fn check_snooze(until: Option<Date>, today: Date) -> Result<()> {
    if until.is_some_and(|u| u <= today) {
        return Err(Error::invalid("until", "稍后提醒的日期须晚于今天", "a snooze must last until a day after today"));
    }
    Ok(())
}

impl Store {
    /// Everything set aside: the people's items and the units'.
    pub(super) fn dismissals(&self) -> Result<Dismissals> {
        let mut out =
            self.read_dismissals("SELECT person_id, rule, due, until FROM dismissals WHERE ?1 IS NULL", None)?;
        let mut stmt = self.conn.prepare_cached("SELECT unit_id, group_id, rule, due, until FROM unit_dismissals")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, Id>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        for row in rows {
            let (unit, group, rule, due, until) = row?;
            out.add(unit_key(unit, group), rule, &due, until);
        }
        Ok(out)
    }

    pub(super) fn dismissals_of(&self, id: Id) -> Result<Dismissals> {
        self.read_dismissals("SELECT person_id, rule, due, until FROM dismissals WHERE person_id = ?1", Some(id))
    }

    fn read_dismissals(&self, sql: &str, id: Option<Id>) -> Result<Dismissals> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })?;
        let mut out = Dismissals::default();
        for row in rows {
            let (person, rule, due, until) = row?;
            out.add(OwnerKey::Member(person), rule, &due, until);
        }
        Ok(out)
    }

    /// Sets an item aside: acknowledged (`until` is `None`: no more reminders, off the dashboard)
    /// or snoozed until a day. The item must be pending now.
    pub fn dismiss_deadline(&mut self, member_id: Id, rule: &str, due: Date, until: Option<Date>) -> Result<()> {
        self.require_member(Action::EditMembers, member_id)?;
        let pending = self.deadlines(&DeadlineQuery {
            member_id: Some(member_id),
            include_dismissed: true,
            ..Default::default()
        })?;
        check_set_aside(&pending, member_id, rule, due, until, self.today())?;
        self.conn.execute(
            "INSERT INTO dismissals (person_id, rule, due, until) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id, rule, due) DO UPDATE SET until = excluded.until",
            params![member_id, rule, due.to_string(), until.map(|u| u.to_string())],
        )?;
        Ok(())
    }

    /// Undoes a snooze or an acknowledgement.
    pub fn restore_deadline(&mut self, member_id: Id, rule: &str, due: Date) -> Result<()> {
        self.require_member(Action::EditMembers, member_id)?;
        self.conn.execute(
            "DELETE FROM dismissals WHERE person_id = ?1 AND rule = ?2 AND due = ?3",
            params![member_id, rule, due.to_string()],
        )?;
        Ok(())
    }

    /// Sets aside an item a unit (or one of its party groups) owes, as [`Store::dismiss_deadline`]
    /// does a member's.
    pub fn dismiss_unit_deadline(
        &mut self,
        unit_id: Id,
        group_id: Option<Id>,
        rule: &str,
        due: Date,
        until: Option<Date>,
    ) -> Result<()> {
        self.require_branch(Action::EditMembers, unit_id)?;
        let pending =
            self.deadlines(&DeadlineQuery { branch_id: Some(unit_id), include_dismissed: true, ..Default::default() })?;
        check_unit_set_aside(&pending, (unit_id, group_id), rule, due, until, self.today())?;
        self.conn.execute(
            "INSERT INTO unit_dismissals (unit_id, group_id, rule, due, until) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (unit_id, group_id, rule, due) DO UPDATE SET until = excluded.until",
            params![unit_id, group_id.unwrap_or(0), rule, due.to_string(), until.map(|u| u.to_string())],
        )?;
        Ok(())
    }

    /// Undoes a snooze or an acknowledgement of a unit's item.
    pub fn restore_unit_deadline(&mut self, unit_id: Id, group_id: Option<Id>, rule: &str, due: Date) -> Result<()> {
        self.require_branch(Action::EditMembers, unit_id)?;
        self.conn.execute(
            "DELETE FROM unit_dismissals WHERE unit_id = ?1 AND group_id = ?2 AND rule = ?3 AND due = ?4",
            params![unit_id, group_id.unwrap_or(0), rule, due.to_string()],
        )?;
        Ok(())
    }
}
