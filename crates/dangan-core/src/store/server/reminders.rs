//! The reminders each user was sent on the server (`dangan.reminders_sent` of members' items,
//! `dangan.unit_reminders_sent` of units', each user's own rows under the policies), so that
//! nothing is sent to a user twice; which are due is worked out as a workspace works it out.

use std::collections::HashMap;

use super::{ServerStore, failure, lost_at_commit};
use crate::access::Action;
use crate::calendar::Date;
use crate::deadlines::{Owner, OwnerKey};
use crate::reminders::Reminder;
use crate::store::dismissals::unit_key;
use crate::{Error, Result};

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
                 GROUP BY 1, 2, 3, 4",
            )
            .map_err(fail)?;
        let rows = self.client.query(&sent, &[]).map_err(fail)?;
        let mut marked = HashMap::new();
        for r in rows {
            let key = if r.get(5) { OwnerKey::Member(r.get(0)) } else { unit_key(r.get(0), r.get(1)) };
            if let Ok(due) = r.get::<_, String>(3).parse::<Date>() {
                marked.insert((key, r.get(2), due), r.get(4));
            }
        }
        Ok(marked)
    }

    /// Records reminders as sent to this user, so they are not sent to them again.
    pub(crate) fn mark_reminded(&mut self, reminders: &[Reminder], on: Date) -> Result<()> {
        self.require(Action::EditMembers)?;
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
        for r in reminders {
            let threshold = i32::try_from(r.threshold.code()).unwrap_or(i32::MAX);
            let (rule, due, on) = (&*r.item.rule, r.item.due.to_string(), on.to_string());
            match &r.item.owner {
                Owner::Member { member_id, .. } => {
                    tx.execute(&insert, &[member_id, &rule, &due, &threshold, &on]).map_err(fail)?
                }
                Owner::Unit { complaint_id: Some(_), .. } => {
                    return Err(Error::Server {
                        server: address.to_string(),
                        reason: "a server keeps no complaints register".into(),
                    });
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
