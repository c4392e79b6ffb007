//! The reminders each user was sent on the server (`dangan.reminders_sent`, each user's own rows
//! under the policies), so that nothing is sent to a user twice; which are due is worked out by
//! the façade from the procedure's items, as a workspace works it out.

use std::collections::HashMap;

use super::{ServerStore, failure, lost_at_commit};
use crate::access::Action;
use crate::calendar::Date;
use crate::deadlines::Owner;
use crate::domain::Id;
use crate::reminders::Reminder;
use crate::{Error, Result};

impl ServerStore {
    /// The most urgent threshold this user was sent of each member's item (by member, rule and
    /// due day), as its code (`Threshold::code`).
    pub(crate) fn reminders_sent(&mut self) -> Result<HashMap<(Id, String, Date), i64>> {
        let fail = |e| failure(e, &self.address);
        let sent = self
            .statements
            .get(
                &mut self.client,
                "SELECT person_id, rule, due::text, min(threshold)::bigint FROM dangan.reminders_sent GROUP BY 1, 2, 3",
            )
            .map_err(fail)?;
        let rows = self.client.query(&sent, &[]).map_err(fail)?;
        let mut marked = HashMap::new();
        for r in rows {
            if let Ok(due) = r.get::<_, String>(2).parse::<Date>() {
                marked.insert((r.get(0), r.get(1), due), r.get(3));
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
        for r in reminders {
            let Owner::Member { member_id, .. } = &r.item.owner else {
                return Err(Error::Server {
                    server: address.to_string(),
                    reason: "a server keeps no units' reminders yet".into(),
                });
            };
            let threshold = i32::try_from(r.threshold.code()).unwrap_or(i32::MAX);
            tx.execute(&insert, &[member_id, &&*r.item.rule, &r.item.due.to_string(), &threshold, &on.to_string()])
                .map_err(fail)?;
        }
        tx.commit().map_err(|e| lost_at_commit(e, &address))
    }
}
