//! The items of 工作提醒 on the server: the procedure's steps of the people a session holds, what
//! units owe, and the members' absence from organisational life and their dues in arrears. The
//! workspace's owed-meetings index (`store/life_index.rs`) is built from the register of versions
//! 6, 7 and 10, and everything is found and made by the workspace's own scan (`procedure_found`,
//! `scan_owers`, `scan_members_life`, `make_items`), so that each rule is worked out once (what a
//! worker did about an item is `dismissals.rs`'s). The index is read again when the server has
//! logged a change: its register changes under other users.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use postgres::GenericClient;

use super::{ServerStore, failure};
use crate::Result;
use crate::access::Action;
use crate::calendar::Date;
use crate::deadlines::{DeadlineItem, DeadlineQuery, OwnerKey};
use crate::domain::{Id, MeetingKind};
use crate::dues::Month;
use crate::reminders::Reminder;
use crate::store::deadlines::{
    PersonSteps, Scope, make_items, procedure_found, scan_complaints, scan_members_life, scan_owers, wanted,
};
use crate::store::dismissals::Dismissals;
use crate::store::life_index::{LifeIndex, LifeMember, LifeRows, OpenComplaint, Staffed};
use crate::store::reminders::{Seen, reminders_among};

/// A probationary or full member in the register (`Staffed::load`'s condition, on the server).
const MEMBER: &str = "NOT p.ended AND p.status = 'in_register' AND p.stage IN ('probationary', 'full_member')";

impl ServerStore {
    /// The items the query asks for (of the units in `branches`, or of all this user reads): the
    /// procedure's of `people` (those in scope, in the register), and with `life` organisational
    /// life's, marked with what was set aside, most urgent first; `path_of` names a unit as the
    /// lists do. Found and made as a workspace's scan finds and makes them.
    pub(crate) fn deadline_items<'p>(
        &mut self,
        query: &DeadlineQuery,
        branches: Option<HashSet<Id>>,
        (people, life): (impl IntoIterator<Item = PersonSteps<'p>>, bool),
        dismissals: &Dismissals,
        path_of: impl Fn(Id) -> String,
    ) -> Result<Vec<DeadlineItem>> {
        let life = if life { Some(self.life_index()?) } else { None };
        Ok(self.items_with(query, branches, people, life.as_deref(), dismissals, path_of))
    }

    /// One member's page of items: every item of their steps and, with `life`, of organisational
    /// life, dues and what letters await, those set aside marked, as a workspace's member page
    /// gives them (`Store::deadlines_of`).
    pub(crate) fn member_items(
        &self,
        steps: PersonSteps<'_>,
        life: Option<&LifeIndex>,
        dismissals: &Dismissals,
        path_of: impl Fn(Id) -> String,
    ) -> Vec<DeadlineItem> {
        let page = DeadlineQuery { member_id: Some(steps.id), include_dismissed: true, ..DeadlineQuery::default() };
        self.items_with(&page, None, [steps], life, dismissals, path_of)
    }

    /// The branch-life index this session read at its last scan, if any, without asking the
    /// server whether it is still true: for the page a change returns, after its commit.
    pub(crate) fn held_life(&self) -> Option<Arc<LifeIndex>> {
        self.life_read.as_ref().map(|(_, life)| life.clone())
    }

    /// [`ServerStore::deadline_items`] with the branch-life index given (or none).
    fn items_with<'p>(
        &self,
        query: &DeadlineQuery,
        branches: Option<HashSet<Id>>,
        people: impl IntoIterator<Item = PersonSteps<'p>>,
        life: Option<&LifeIndex>,
        dismissals: &Dismissals,
        path_of: impl Fn(Id) -> String,
    ) -> Vec<DeadlineItem> {
        let as_of = query.as_of.unwrap_or_else(|| self.today());
        let scope = Scope { branches, member_id: query.member_id, owed_by: query.owed_by };
        let rules = self.rules();
        let mut found = Vec::new();
        if scope.members() {
            procedure_found(people, rules, &self.workdays, as_of, &mut |f| found.push(f));
        }
        if let Some(life) = life {
            scan_members_life(life, rules, &scope, as_of, &mut |f| found.push(f));
            if let Some(register) = self.register_kept()
                && scope.units()
                && scope.in_scope(register)
            {
                scan_complaints(life, register, &self.workdays, as_of, &mut |f| found.push(f));
            }
            scan_owers(life, rules, &scope, as_of, &mut |f| found.push(f));
        }
        found.retain(|f| wanted(query, as_of, f.kind(), f.due, f.is_dismissed(dismissals, as_of)));
        make_items(found, dismissals, path_of)
    }

    /// The reminders of organisational life not sent to this user yet as of a day (`sent`: the
    /// most urgent threshold they were sent of each item), most urgent first.
    pub(crate) fn life_reminders(
        &mut self,
        as_of: Date,
        dismissals: &Dismissals,
        sent: &HashMap<(OwnerKey, String, Date), i64>,
        path_of: impl Fn(Id) -> String,
    ) -> Result<Vec<Reminder>> {
        let life = self.life_index()?;
        let rules = self.rules();
        let scope = Scope::default();
        let seen = Seen { dismissals, sent, as_of };
        // Reminders are work to do: of units' and members' items for those who change records, of
        // the complaints register's for the inspector who keeps it.
        let edits = self.require(Action::EditMembers).is_ok();
        let register = self.register_kept();
        let reminders = reminders_among(
            |f| {
                scan_members_life(&life, rules, &scope, as_of, f);
                if let Some(register) = register {
                    scan_complaints(&life, register, &self.workdays, as_of, f);
                }
                scan_owers(&life, rules, &scope, as_of, f);
            },
            |f| edits || f.is_complaint(),
            &seen,
            path_of,
        );
        Ok(reminders)
    }

    /// The unit whose complaints register the signed-in user keeps (a discipline inspector's own):
    /// its entries' items are theirs.
    fn register_kept(&self) -> Option<Id> {
        self.require(Action::HandleComplaints).is_ok().then_some(self.me.unit_id)
    }

    /// The owed-meetings index of what this user reads, with its members, read in one snapshot:
    /// read again only when the server has logged a change since it was read (anyone's: the
    /// chain's head moved), else the one read before (reading it took most of a scan of 100,000
    /// people).
    pub(crate) fn life_index(&mut self) -> Result<Arc<LifeIndex>> {
        let address = self.address.clone();
        let mut tx = self
            .client
            .build_transaction()
            .read_only(true)
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()
            .map_err(|e| failure(e, &address))?;
        let logged: i64 = tx.query_one("SELECT dangan.changes_logged()", &[]).map_err(|e| failure(e, &address))?.get(0);
        if let Some((read_at, index)) = &self.life_read
            && *read_at == logged
        {
            return Ok(index.clone());
        }
        let index = Arc::new(read_life(&mut tx).map_err(|e| failure(e, &address))?);
        tx.commit().map_err(|e| failure(e, &address))?;
        self.life_read = Some((logged, index.clone()));
        Ok(index)
    }
}

fn day(text: Option<String>) -> Option<Date> {
    text?.parse().ok()
}

/// The index as `LifeIndex::load` reads a workspace's, from the server's tables (a member's latest
/// organisational life worked out from the attendance, which a workspace caches on the person).
fn read_life(client: &mut impl GenericClient) -> std::result::Result<LifeIndex, postgres::Error> {
    let mut rows = LifeRows::default();
    for r in client.query(
        "SELECT id, life_from::text FROM dangan.org_units WHERE kind = 'branch' AND life_from IS NOT NULL ORDER BY id",
        &[],
    )? {
        if let Some(from) = day(r.get(1)) {
            rows.branches.push((r.get(0), from));
        }
    }
    for r in client.query(
        "SELECT g.id, g.branch_id, g.name, greatest(g.life_from, u.life_from)::text
         FROM dangan.party_groups g JOIN dangan.org_units u ON u.id = g.branch_id
         WHERE u.life_from IS NOT NULL ORDER BY g.branch_id, g.name COLLATE \"C\"",
        &[],
    )? {
        if let Some(from) = day(r.get(3)) {
            rows.groups.push((r.get(0), r.get(1), r.get(2), from));
        }
    }
    for r in client.query(
        "SELECT unit_id, coalesce(group_id, 0), kind, max(date)::text FROM dangan.meetings WHERE held
         GROUP BY unit_id, kind, coalesce(group_id, 0)",
        &[],
    )? {
        if let (Some(kind), Some(date)) = (MeetingKind::parse(r.get(2)), day(r.get(3))) {
            rows.held.push((r.get(0), r.get(1), kind, date));
        }
    }
    for r in client.query(
        "SELECT c.unit_id, c.since::text, p.name,
                (SELECT max(m.date) FROM dangan.meetings m WHERE m.unit_id = c.unit_id AND m.kind = 'party_lecture'
                   AND m.held AND btrim(m.chair) = p.name)::text
         FROM dangan.committee_posts c JOIN dangan.people p ON p.id = c.person_id
         WHERE c.post = 'secretary' AND c.until IS NULL ORDER BY c.since, c.id",
        &[],
    )? {
        if let Some(since) = day(r.get(1)) {
            rows.secretaries.push((r.get(0), since, r.get(2), day(r.get(3))));
        }
    }
    let mut members = Vec::new();
    for r in client.query(
        &format!(
            "SELECT p.id, p.name, p.branch_id,
                    coalesce((SELECT min(e.date) FROM dangan.events e WHERE e.person_id = p.id AND e.kind = 'admitted'),
                             p.joined_on)::text,
                    (SELECT max(m.date) FROM dangan.attendance a JOIN dangan.meetings m ON m.id = a.meeting_id
                     WHERE a.person_id = p.id AND m.held
                       AND (a.attendance IN ('present', 'late')
                            OR (a.attendance = 'leave' AND btrim(coalesce(a.reason, '')) <> '')))::text,
                    run.from_month, run.through,
                    (SELECT a.received_on FROM dangan.arrivals a WHERE a.person_id = p.id)::text
             FROM dangan.people p, LATERAL dangan.dues_run(p.id) AS run WHERE {MEMBER} ORDER BY p.id"
        ),
        &[],
    )? {
        let name: String = r.get(1);
        members.push(LifeMember {
            id: r.get(0),
            name: name.into(),
            branch_id: r.get(2),
            // As a workspace counts it (`Staffed::load`): not from before they arrived.
            member_since: day(r.get(3)).max(day(r.get(7))),
            last_life: day(r.get(4)),
            dues_from: r.get::<_, Option<i32>>(5).map(Month),
            dues_through: r.get::<_, Option<i32>>(6).map(Month),
        });
    }
    let groups: HashSet<Id> = client
        .query(
            &format!(
                "SELECT DISTINCT g.group_id FROM dangan.group_members g JOIN dangan.people p ON p.id = g.person_id
                 WHERE {MEMBER}"
            ),
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    // What is awaited: the letters' receipts, kept graduates' moves, the corrections of the
    // democratic appraisal.
    let mut awaited = super::transfers::awaited(client)?;
    awaited.extend(super::appraisals::open_corrections(client)?);
    // The open entries of the complaints register, by their clear days: a discipline inspector's
    // own register's only (the policies show no one else any).
    let mut complaints = Vec::new();
    for r in client.query(
        "SELECT id, number, received_on::text, belongs_elsewhere AND forwarded_on IS NULL, reported_on::text
         FROM dangan.complaints WHERE closed_on IS NULL ORDER BY id",
        &[],
    )? {
        let number: String = r.get(1);
        if let Some(received_on) = day(r.get(2)) {
            complaints.push(OpenComplaint {
                id: r.get(0),
                number: number.into(),
                received_on,
                to_forward: r.get(3),
                reported_on: day(r.get(4)),
            });
        }
    }
    Ok(LifeIndex::of_rows(rows).with_members(Staffed::of(members, groups), awaited, complaints))
}
