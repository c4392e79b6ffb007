//! Reminders as the store keeps them: which are due (a pending deadline past a threshold that no
//! reminder has marked yet), marking those sent, and the calendar's stable id.

use std::collections::HashMap;

use rusqlite::params;

use super::Store;
use super::deadlines::{Found, make_items};
use super::dismissals::Dismissals;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::deadlines::{Owner, OwnerKey};
use crate::domain::Id;
use crate::reminders::{self, Notice, Reminder, Threshold};
use crate::rules::DeadlineKind;
use crate::{Error, Result};

impl Store {
    /// The reminders not sent yet as of a day: every pending deadline (not an earliest date, not
    /// set aside) that has reached a threshold no reminder of it has marked. Most urgent first.
    ///
    /// Reminders are work to do: a user who may not change records (an auditor) gets none, a
    /// branch secretary only their branches', and a discipline inspector only the complaints
    /// register's (which are theirs alone: the scan shows them to no one else).
    pub fn reminders_due(&self, as_of: Option<Date>) -> Result<Vec<Reminder>> {
        let edits = self.require(Action::EditMembers).is_ok();
        if !edits && self.require(Action::HandleComplaints).is_err() {
            return Ok(Vec::new());
        }
        let scope = self.scope(None, None)?;
        let as_of = as_of.unwrap_or_else(|| self.today());
        let mut sent: HashMap<(OwnerKey, String, Date), i64> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT 'member', person_id, 0, rule, due, min(threshold) FROM reminders_sent GROUP BY 2, 4, 5
             UNION ALL
             SELECT 'unit', unit_id, group_id, rule, due, min(threshold) FROM unit_reminders_sent GROUP BY 2, 3, 4, 5
             UNION ALL
             SELECT 'complaint', complaint_id, 0, rule, due, min(threshold) FROM complaint_reminders_sent GROUP BY 2, 4, 5",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Id>(1)?,
                r.get::<_, Id>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        for row in rows {
            let (owner, id, group, rule, due, code) = row?;
            let key = match (owner.as_str(), group) {
                ("member", _) => OwnerKey::Member(id),
                ("complaint", _) => OwnerKey::Complaint(id),
                (_, 0) => OwnerKey::Unit(id),
                (_, group) => OwnerKey::Group { unit: id, group },
            };
            if let Some(due) = calendar::parse_iso(&due) {
                sent.insert((key, rule, due), code);
            }
        }
        let dismissals = self.dismissals()?;
        let tree = self.org_tree()?;
        self.with_indexes(|index, life| {
            let seen = Seen { dismissals: &dismissals, sent: &sent, as_of };
            reminders_among(
                |f| self.scan(index, life, &scope, as_of, f),
                |f| edits || f.is_complaint(),
                &seen,
                |unit| tree.path(unit),
            )
        })
    }

    /// Sends the reminders due as of a day, as notices in `lang`, through `send`, recording each
    /// notice's reminders as sent the moment it is delivered. A failure stops there: what was
    /// delivered stays recorded, the rest is tried again next time. Returns what was delivered.
    pub fn deliver_reminders(
        &mut self,
        as_of: Option<Date>,
        lang: crate::Lang,
        send: impl FnMut(&Notice) -> Result<()>,
    ) -> Result<Vec<Reminder>> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let due = self.reminders_due(Some(as_of))?;
        reminders::deliver(&due, lang, as_of, send, |covered| self.mark_reminded(covered, as_of))
    }

    /// Records reminders as sent, so they are not sent again.
    pub fn mark_reminded(&mut self, reminders: &[Reminder], on: Date) -> Result<()> {
        let tx = self.begin_change()?;
        // Reminders are work to do (see `reminders_due`): the register's only for its inspectors;
        // the others only for who may change the records, and a branch secretary only for their
        // branches' members.
        let (register, others): (Vec<&Reminder>, Vec<&Reminder>) =
            reminders.iter().partition(|r| r.item.owner.complaint_id().is_some());
        if !register.is_empty() {
            self.require(Action::HandleComplaints)?;
        }
        if !others.is_empty() {
            self.require(Action::EditMembers)?;
        }
        let mut members: Vec<Id> = reminders.iter().filter_map(|r| r.item.owner.member_id()).collect();
        members.sort_unstable();
        members.dedup();
        for member in members {
            self.require_member(Action::EditMembers, member)?;
        }
        let mut units: Vec<Id> = others
            .iter()
            .filter_map(|r| match r.item.owner {
                Owner::Unit { unit_id, .. } => Some(unit_id),
                Owner::Member { .. } => None,
            })
            .collect();
        units.sort_unstable();
        units.dedup();
        for unit in units {
            self.require_branch(Action::EditMembers, unit)?;
        }
        {
            let mut member_sent = tx.prepare_cached(
                "INSERT OR IGNORE INTO reminders_sent (person_id, rule, due, threshold, sent_on) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut unit_sent = tx.prepare_cached(
                "INSERT OR IGNORE INTO unit_reminders_sent (unit_id, group_id, rule, due, threshold, sent_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut complaint_sent = tx.prepare_cached(
                "INSERT OR IGNORE INTO complaint_reminders_sent (complaint_id, rule, due, threshold, sent_on)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for r in reminders {
                let (rule, due, code, on) = (&r.item.rule, r.item.due.to_string(), r.threshold.code(), on.to_string());
                match &r.item.owner {
                    Owner::Member { member_id, .. } => member_sent.execute(params![member_id, rule, due, code, on])?,
                    Owner::Unit { complaint_id: Some(entry), .. } => {
                        complaint_sent.execute(params![entry, rule, due, code, on])?
                    }
                    Owner::Unit { unit_id, group_id, .. } => {
                        unit_sent.execute(params![unit_id, group_id.unwrap_or(0), rule, due, code, on])?
                    }
                };
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A random id of this workspace's calendar, made on first use: the stable part of the UIDs
    /// of exported calendar events.
    pub fn calendar_id(&self) -> Result<String> {
        // Whoever may list deadlines may write them to a calendar; the id is made on first use.
        self.require(Action::ReadMembers)?;
        let existing: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = 'calendar_id'")?
            .query_map([], |r| r.get(0))?
            .next()
            .transpose()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|_| Error::Crypto("random source unavailable"))?;
        let id = hex::encode(bytes);
        self.conn.execute("INSERT INTO meta (key, value) VALUES ('calendar_id', ?1)", [&id])?;
        Ok(id)
    }
}

/// What a user has seen to: the items set aside, and the most urgent threshold they were sent of
/// each item (`Threshold::code`), as of a day.
pub(super) struct Seen<'a> {
    pub(super) dismissals: &'a Dismissals,
    pub(super) sent: &'a HashMap<(OwnerKey, String, Date), i64>,
    pub(super) as_of: Date,
}

/// The reminders among what `scan` finds that `wanted` keeps: not an earliest date, not set
/// aside, past a threshold no reminder marked. Most urgent first. On either engine.
pub(super) fn reminders_among<'s>(
    scan: impl FnOnce(&mut dyn FnMut(Found<'s>)),
    wanted: impl Fn(&Found<'s>) -> bool,
    seen: &Seen<'_>,
    path_of: impl Fn(Id) -> String,
) -> Vec<Reminder> {
    let as_of = seen.as_of;
    let mut thresholds = HashMap::new();
    let mut found = Vec::new();
    scan(&mut |f: Found<'s>| {
        if f.kind() == DeadlineKind::Earliest || f.is_dismissed(seen.dismissals, as_of) || !wanted(&f) {
            return;
        }
        let Some(threshold) = Threshold::reached(f.due, f.lead_days(), as_of) else { return };
        let key = (f.key(), f.rule_id().to_owned(), f.due);
        if threshold.is_new(seen.sent.get(&key).copied()) {
            thresholds.insert(key, threshold);
            found.push(f);
        }
    });
    // The scan kept exactly the items whose threshold is new; each is made here from its found
    // form, so the threshold is worked out once, by the same lead days.
    let thresholds: HashMap<(OwnerKey, String, Date), Threshold> = thresholds;
    make_items(found, seen.dismissals, path_of)
        .into_iter()
        .filter_map(|item| {
            let threshold = *thresholds.get(&(item.owner.key(), item.rule.to_string(), item.due))?;
            Some(Reminder { item, threshold })
        })
        .collect()
}
