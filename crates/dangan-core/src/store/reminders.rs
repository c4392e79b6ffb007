//! Reminders as the store keeps them: which are due (a pending deadline past a threshold that no
//! reminder has marked yet), marking those sent, and the calendar's stable id.

use std::collections::HashMap;

use rusqlite::params;

use super::Store;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::domain::Id;
use crate::reminders::{self, Notice, Reminder, Threshold};
use crate::rules::DeadlineKind;
use crate::{Error, Result};

impl Store {
    /// The reminders not sent yet as of a day: every pending deadline (not an earliest date, not
    /// set aside) that has reached a threshold no reminder of it has marked. Most urgent first.
    ///
    /// Reminders are work to do: a user who may not change records (an auditor) gets none, and a
    /// branch secretary only their branches'.
    pub fn reminders_due(&self, as_of: Option<Date>) -> Result<Vec<Reminder>> {
        if self.require(Action::EditMembers).is_err() {
            return Ok(Vec::new());
        }
        let scope = self.scope(None, None)?;
        let as_of = as_of.unwrap_or_else(|| self.today());
        let mut sent: HashMap<(Id, String, Date), i64> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person_id, rule, due, min(threshold) FROM reminders_sent GROUP BY 1, 2, 3")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
        })?;
        for row in rows {
            let (person, rule, due, code) = row?;
            if let Some(due) = calendar::parse_iso(&due) {
                sent.insert((person, rule, due), code);
            }
        }
        let dismissals = self.dismissals()?;
        let items = self.with_procedure(|index| {
            let mut found = Vec::new();
            self.scan(index, &scope, as_of, |f| {
                let rule = f.pending.rule;
                if rule.kind == DeadlineKind::Earliest
                    || dismissals.is_dismissed(f.member_id, &rule.id, f.pending.due, as_of)
                {
                    return;
                }
                let Some(threshold) = Threshold::reached(f.pending.due, &rule.lead_days, as_of) else { return };
                let already = sent.get(&(f.member_id, rule.id.clone(), f.pending.due));
                if already.is_none_or(|&code| code > threshold.code()) {
                    found.push(f);
                }
            });
            self.make_items(found, &dismissals)
        })??;
        let lead_days =
            |rule: &str| self.rules.deadlines().iter().find(|r| r.id == rule).map(|r| r.lead_days.as_slice());
        Ok(items
            .into_iter()
            .filter_map(|item| {
                let threshold = Threshold::reached(item.due, lead_days(&item.rule)?, as_of)?;
                Some(Reminder { item, threshold })
            })
            .collect())
    }

    /// Sends the reminders due as of a day, as notices in `lang`, through `send`, recording each
    /// notice's reminders as sent the moment it is delivered. A failure stops there: what was
    /// delivered stays recorded, the rest is tried again next time. Returns what was delivered.
    pub fn deliver_reminders(
        &mut self,
        as_of: Option<Date>,
        lang: crate::Lang,
        mut send: impl FnMut(&Notice) -> Result<()>,
    ) -> Result<Vec<Reminder>> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let due = self.reminders_due(Some(as_of))?;
        let mut delivered = Vec::new();
        for notice in reminders::notices(&due, lang, as_of) {
            send(&notice)?;
            let covered: Vec<Reminder> = notice.covers.iter().filter_map(|&i| due.get(i).cloned()).collect();
            self.mark_reminded(&covered, as_of)?;
            delivered.extend(covered);
        }
        Ok(delivered)
    }

    /// Records reminders as sent, so they are not sent again.
    pub fn mark_reminded(&mut self, reminders: &[Reminder], on: Date) -> Result<()> {
        // Reminders are work to do (see `reminders_due`): only for who may change the records, and
        // a branch secretary only for their branches' members.
        self.require(Action::EditMembers)?;
        let mut members: Vec<Id> = reminders.iter().map(|r| r.item.member_id).collect();
        members.sort_unstable();
        members.dedup();
        for member in members {
            self.require_member(Action::EditMembers, member)?;
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO reminders_sent (person_id, rule, due, threshold, sent_on) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for r in reminders {
                stmt.execute(params![
                    r.item.member_id,
                    r.item.rule,
                    r.item.due.to_string(),
                    r.threshold.code(),
                    on.to_string()
                ])?;
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
