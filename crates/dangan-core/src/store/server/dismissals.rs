//! Items set aside on the server (`dangan.dismissals`, version 2; a unit's in
//! `dangan.unit_dismissals`, version 9): acknowledged or snoozed, read and set as their person's
//! steps and their unit's meetings are. Which item may be set aside, and until when, is the
//! workspace's rule (`store/dismissals.rs`, `check_set_aside`), checked by the façade.

use super::{ServerStore, failure};
use crate::Result;
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::Id;
use crate::store::dismissals::Dismissals;

impl ServerStore {
    /// Every item this user may read that was set aside, the units' too (version 9), or one
    /// person's.
    pub(crate) fn dismissals(&mut self, person: Option<Id>) -> Result<Dismissals> {
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let read = self
            .statements
            .get(
                &mut self.client,
                "SELECT person_id, rule, due::text, until::text FROM dangan.dismissals
                 WHERE $1::bigint IS NULL OR person_id = $1",
            )
            .map_err(fail)?;
        let mut out = Dismissals::default();
        for r in self.client.query(&read, &[&person]).map_err(fail)? {
            let due = r.get::<_, String>(2).parse::<Date>();
            let until = r.get::<_, Option<String>>(3).map(|d| d.parse::<Date>());
            let (Ok(due), until) = (due, until) else { continue };
            let until = match until {
                None => None,
                Some(Ok(day)) => Some(day),
                Some(Err(_)) => continue,
            };
            out.add_member(r.get(0), r.get(1), due, until);
        }
        if person.is_some() {
            return Ok(out);
        }
        let units = self
            .statements
            .get(&mut self.client, "SELECT unit_id, group_id, rule, due::text, until::text FROM dangan.unit_dismissals")
            .map_err(fail)?;
        for r in self.client.query(&units, &[]).map_err(fail)? {
            let (Ok(due), until) = (r.get::<_, String>(3).parse::<Date>(), r.get::<_, Option<String>>(4)) else {
                continue;
            };
            let until = match until.map(|d| d.parse::<Date>()) {
                None => None,
                Some(Ok(day)) => Some(day),
                Some(Err(_)) => continue,
            };
            out.add_unit(r.get(0), r.get(1), r.get(2), due, until);
        }
        Ok(out)
    }

    /// Sets a person's item aside (`until: None`: acknowledged), or changes how; the policies let
    /// only who may change the person do it.
    pub(crate) fn dismiss(&mut self, person: Id, rule: &str, due: Date, until: Option<Date>) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let insert = self
            .statements
            .get(
                &mut self.client,
                "INSERT INTO dangan.dismissals (person_id, rule, due, until) VALUES ($1, $2, $3::text::date, $4::text::date)
                 ON CONFLICT (person_id, rule, due) DO UPDATE SET until = excluded.until
                 WHERE dangan.dismissals.until IS DISTINCT FROM excluded.until",
            )
            .map_err(fail)?;
        let until = until.map(|d| d.to_string());
        self.client.execute(&insert, &[&person, &rule, &due.to_string(), &until]).map_err(fail)?;
        Ok(())
    }

    /// Undoes a snooze or an acknowledgement. Nothing set aside: nothing to do.
    pub(crate) fn restore(&mut self, person: Id, rule: &str, due: Date) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let delete = self
            .statements
            .get(
                &mut self.client,
                "DELETE FROM dangan.dismissals WHERE person_id = $1 AND rule = $2 AND due = $3::text::date",
            )
            .map_err(fail)?;
        self.client.execute(&delete, &[&person, &rule, &due.to_string()]).map_err(fail)?;
        Ok(())
    }

    /// Sets a unit's (or its party group's) item aside (`until: None`: acknowledged), or changes
    /// how; the policies let only who may change the unit do it.
    pub(crate) fn dismiss_unit(
        &mut self,
        unit: Id,
        group: Option<Id>,
        rule: &str,
        due: Date,
        until: Option<Date>,
    ) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let insert = self
            .statements
            .get(
                &mut self.client,
                "INSERT INTO dangan.unit_dismissals (unit_id, group_id, rule, due, until)
                 VALUES ($1, $2, $3, $4::text::date, $5::text::date)
                 ON CONFLICT (unit_id, group_id, rule, due) DO UPDATE SET until = excluded.until
                 WHERE dangan.unit_dismissals.until IS DISTINCT FROM excluded.until",
            )
            .map_err(fail)?;
        let until = until.map(|d| d.to_string());
        let group = group.unwrap_or(0);
        self.client.execute(&insert, &[&unit, &group, &rule, &due.to_string(), &until]).map_err(fail)?;
        Ok(())
    }

    /// Undoes a snooze or an acknowledgement of a unit's item. Nothing set aside: nothing to do.
    pub(crate) fn restore_unit(&mut self, unit: Id, group: Option<Id>, rule: &str, due: Date) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let delete = self
            .statements
            .get(
                &mut self.client,
                "DELETE FROM dangan.unit_dismissals
                 WHERE unit_id = $1 AND group_id = $2 AND rule = $3 AND due = $4::text::date",
            )
            .map_err(fail)?;
        self.client.execute(&delete, &[&unit, &group.unwrap_or(0), &rule, &due.to_string()]).map_err(fail)?;
        Ok(())
    }
}
