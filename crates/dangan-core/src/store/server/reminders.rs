//! The reminders each user was sent on the server (`dangan.reminders_sent` of members' items,
//! `dangan.unit_reminders_sent` of units', `dangan.complaint_reminders_sent` of the complaints
//! register's entries, each user's own rows under the policies), so that
//! nothing is sent to a user twice; which are due is worked out as a workspace works it out.

use std::collections::HashMap;

use super::{ServerStore, failure, lost_at_commit};
use crate::Result;
use crate::access::Action;
use crate::calendar::Date;
use crate::deadlines::{Owner, OwnerKey};
use crate::domain::Id;
use crate::reminders::Reminder;
use crate::store::dismissals::unit_key;

impl ServerStore {
    /// The most urgent threshold this user was sent of each item (by owner, rule and due day), as
    /// its code (`Threshold::code`).
    pub(crate) fn reminders_sent(&mut self) -> Result<HashMap<(OwnerKey, String, Date), i64>> {
        let fail = |e| failure(e, &self.address);
        let sent = self
            .statements
            .get(
                &mut self.client,
                "SELECT person_id, 0::bigint, rule, due::text, min(threshold)::bigint, true FROM dangan.reminders_sent
                 GROUP BY 1, 3, 4
                 UNION ALL
                 SELECT unit_id, group_id, rule, due::text, min(threshold)::bigint, false FROM dangan.unit_reminders_sent
                 GROUP BY 1, 2, 3, 4
                 UNION ALL
                 SELECT complaint_id, -1::bigint, rule, due::text, min(threshold)::bigint, false
                 FROM dangan.complaint_reminders_sent GROUP BY 1, 3, 4",
            )
            .map_err(fail)?;
        let rows = self.client.query(&sent, &[]).map_err(fail)?;
        let mut marked = HashMap::new();
        for r in rows {
            let key = match (r.get(5), r.get::<_, Id>(1)) {
                (true, _) => OwnerKey::Member(r.get(0)),
                (false, -1) => OwnerKey::Complaint(r.get(0)),
                (false, group) => unit_key(r.get(0), group),
            };
            if let Ok(due) = r.get::<_, String>(3).parse::<Date>() {
                marked.insert((key, r.get(2), due), r.get(4));
            }
        }
        Ok(marked)
    }

    /// Records reminders as sent to this user, so they are not sent to them again.
    pub(crate) fn mark_reminded(&mut self, reminders: &[Reminder], on: Date) -> Result<()> {
        let (complaints, work): (Vec<&Reminder>, Vec<&Reminder>) =
            reminders.iter().partition(|r| r.item.owner.complaint_id().is_some());
        if !work.is_empty() {
            self.require(Action::EditMembers)?;
        }
        if !complaints.is_empty() {
            self.require(Action::HandleComplaints)?;
        }
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let insert = self
            .statements
            .get(
                &mut tx,
                "INSERT INTO dangan.reminders_sent (person_id, rule, due, threshold, sent_on)
                 VALUES ($1, $2, $3::text::date, $4, $5::text::date) ON CONFLICT DO NOTHING",
            )
            .map_err(fail)?;
        let insert_unit = self
            .statements
            .get(
                &mut tx,
                "INSERT INTO dangan.unit_reminders_sent (unit_id, group_id, rule, due, threshold, sent_on)
                 VALUES ($1, $2, $3, $4::text::date, $5, $6::text::date) ON CONFLICT DO NOTHING",
            )
            .map_err(fail)?;
        let insert_complaint = self
            .statements
            .get(
                &mut tx,
                "INSERT INTO dangan.complaint_reminders_sent (complaint_id, rule, due, threshold, sent_on)
                 VALUES ($1, $2, $3::text::date, $4, $5::text::date) ON CONFLICT DO NOTHING",
            )
            .map_err(fail)?;
        for r in reminders {
            let threshold = i32::try_from(r.threshold.code()).unwrap_or(i32::MAX);
            let (rule, due, on) = (&*r.item.rule, r.item.due.to_string(), on.to_string());
            match &r.item.owner {
                Owner::Member { member_id, .. } => {
                    tx.execute(&insert, &[member_id, &rule, &due, &threshold, &on]).map_err(fail)?
                }
                Owner::Unit { complaint_id: Some(entry), .. } => {
                    tx.execute(&insert_complaint, &[entry, &rule, &due, &threshold, &on]).map_err(fail)?
                }
                Owner::Unit { unit_id, group_id, .. } => {
                    let group = group_id.unwrap_or(0);
                    tx.execute(&insert_unit, &[unit_id, &group, &rule, &due, &threshold, &on]).map_err(fail)?
                }
            };
        }
        tx.commit().map_err(|e| lost_at_commit(e, &address))
    }
}
