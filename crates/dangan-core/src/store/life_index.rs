//! The owed-meetings index: every unit that owes meetings (each 党支部, each party group), the day
//! its tracking began, and the latest meeting of each kind it held. The deadline scan reads it for
//! the items units owe (`meeting_rules.rs` says which); it is built on first use from one grouped
//! read, kept up to date as a meeting is recorded, and dropped when a meeting is deleted or a
//! unit or group changes.
//!
//! Only a unit with party members owes meetings (organisational life is the members'): a branch
//! of applicants alone, or a group nobody was put in, owes nothing. Who has members changes with
//! any person, so that part ([`Staffed`]) is read again after any change to a person.
//!
//! It also holds what the other branch-life items need: each branch's current secretary's post
//! (the committee's term counts from it), and each member's latest organisational life (a held
//! meeting they attended or were excused from with a reason, cached in `people.last_life` by the
//! meeting writes), from which their absence is flagged.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use crate::Result;
use crate::calendar::{self, Date};
use crate::domain::{Id, MeetingKind};
use crate::dues::Month;

/// A unit or a party group that owes meetings.
#[derive(Debug)]
pub(crate) struct Ower {
    pub(crate) unit_id: Id,
    /// A party group of the unit, with its name.
    pub(crate) group: Option<(Id, String)>,
    pub(crate) tracked_from: Date,
    /// The latest meeting held of each kind.
    latest: Vec<(MeetingKind, Date)>,
}

impl Ower {
    pub(crate) fn latest(&self, kind: MeetingKind) -> Option<Date> {
        self.latest.iter().find(|(k, _)| *k == kind).map(|(_, d)| *d)
    }

    pub(crate) fn group_id(&self) -> Option<Id> {
        self.group.as_ref().map(|(id, _)| *id)
    }
}

#[derive(Debug, Default)]
pub(crate) struct LifeIndex {
    owers: Vec<Ower>,
    /// Where each `(unit, group or 0)` is in `owers`.
    at: HashMap<(Id, Id), usize>,
    /// Which owers have members; `None` after a person changed, until read again.
    staffed: Option<Staffed>,
    /// What transfers still await: letters' receipts, kept graduates' relationships; `None` after
    /// a letter or a keeping changed.
    letters: Option<Vec<Awaited>>,
    /// The complaints register's open entries, by their clear days (their deadlines are shown to
    /// discipline inspectors only); `None` after an entry changed.
    complaints: Option<Vec<OpenComplaint>>,
    /// Each branch's current secretary: the day they took the post, their name, and the latest
    /// party lecture they gave (a held 党课 of the branch chaired by that name).
    secretaries: HashMap<Id, Secretary>,
}

/// An open entry of the complaints register, as its deadlines read it: never its words.
#[derive(Debug)]
pub(crate) struct OpenComplaint {
    pub(crate) id: Id,
    pub(crate) number: Box<str>,
    pub(crate) received_on: Date,
    pub(crate) to_forward: bool,
    pub(crate) reported_on: Option<Date>,
}

impl OpenComplaint {
    fn load(conn: &Connection) -> Result<Vec<OpenComplaint>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, number, received_on, belongs_elsewhere AND forwarded_on IS NULL, reported_on
             FROM complaints WHERE closed_on IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, number, received, to_forward, reported) = row?;
            let Some(received_on) = calendar::parse_iso(&received) else { continue };
            let reported_on = reported.as_deref().and_then(calendar::parse_iso);
            out.push(OpenComplaint { id, number: number.into(), received_on, to_forward, reported_on });
        }
        Ok(out)
    }
}

/// A branch's current secretary, as the term and the yearly lecture read them.
#[derive(Debug)]
pub(crate) struct Secretary {
    pub(crate) since: Date,
    pub(crate) name: String,
    pub(crate) latest_lecture: Option<Date>,
}

/// Something still awaited of a person: the receipt of their letter (not received, cancelled or
/// reissued), the move of a graduate's relationship kept at the university, or the outcome of an
/// unsatisfactory member's correction period.
#[derive(Debug)]
pub(crate) struct Awaited {
    pub(crate) person_id: Id,
    pub(crate) name: Box<str>,
    pub(crate) branch_id: Id,
    pub(crate) what: Awaiting,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Awaiting {
    /// A letter's receipt, the letter valid to this day.
    Receipt { valid_until: Date },
    /// A graduate kept in the register since graduating on this day (条例第三十四条).
    KeptGraduate { graduated_on: Date },
    /// An unsatisfactory member's correction period, ending on this day (条例第三十条).
    Correction { until: Date },
}

/// Who awaits something from a day for a span: (person, name, branch, day as stored, span).
type Span = (Id, String, Id, String, u32);

/// The rows of `sql`, each a [`Span`].
fn spans(conn: &Connection, sql: &str) -> Result<Vec<Span>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Awaited {
    fn load(conn: &Connection) -> Result<Vec<Awaited>> {
        let letters = spans(
            conn,
            "SELECT l.person_id, p.name, p.branch_id, l.issued_on, l.validity_days
             FROM transfer_letters l JOIN people p ON p.id = l.person_id
             WHERE l.receipt_on IS NULL AND l.cancelled_on IS NULL
               AND NOT EXISTS (SELECT 1 FROM transfer_letters n WHERE n.reissue_of = l.id)
             ORDER BY l.person_id",
        )?;
        let mut awaited = Vec::new();
        for (person_id, name, branch_id, issued, days) in letters {
            let Some(issued) = calendar::parse_iso(&issued) else { continue };
            let what = Awaiting::Receipt { valid_until: crate::transfer::valid_until(issued, days) };
            awaited.push(Awaited { person_id, name: name.into(), branch_id, what });
        }
        // Kept graduates still in the register: a letter (or a status change) ends the keeping.
        let mut stmt = conn.prepare_cached(
            "SELECT k.person_id, p.name, p.branch_id, k.graduated_on
             FROM kept_graduates k JOIN people p ON p.id = k.person_id
             WHERE p.status = 'in_register' ORDER BY k.person_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, Id>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (person_id, name, branch_id, graduated) = row?;
            let Some(graduated_on) = calendar::parse_iso(&graduated) else { continue };
            awaited.push(Awaited {
                person_id,
                name: name.into(),
                branch_id,
                what: Awaiting::KeptGraduate { graduated_on },
            });
        }
        // Correction periods without their outcome, of members still in the register.
        let corrections = spans(
            conn,
            "SELECT c.person_id, p.name, p.branch_id, c.from_on, c.months
             FROM corrections c JOIN people p ON p.id = c.person_id
             WHERE c.outcome IS NULL AND p.status = 'in_register' ORDER BY c.person_id",
        )?;
        for (person_id, name, branch_id, from, months) in corrections {
            let Some(from) = calendar::parse_iso(&from) else { continue };
            let until = calendar::add_months(from, months).unwrap_or(from);
            awaited.push(Awaited { person_id, name: name.into(), branch_id, what: Awaiting::Correction { until } });
        }
        Ok(awaited)
    }
}

/// A probationary or full member in the register, as the absence check reads them.
#[derive(Debug)]
pub(crate) struct LifeMember {
    pub(crate) id: Id,
    pub(crate) name: Box<str>,
    pub(crate) branch_id: Id,
    /// Their admission (or the day they joined, before the records), or the day they arrived by
    /// transfer when that is later: their absence from organisational life here is not counted
    /// from before they came (a cancelled letter's return is no arrival: they never left).
    pub(crate) member_since: Option<Date>,
    /// Their latest organisational life (`people.last_life`).
    pub(crate) last_life: Option<Date>,
    /// Their first month of dues and the last of the unbroken run paid or deferred
    /// (`people.dues_from`, `people.dues_through`); no dues tracked without a base.
    pub(crate) dues_from: Option<Month>,
    pub(crate) dues_through: Option<Month>,
}

/// The members, and the branches and party groups with at least one of them.
#[derive(Debug, Default)]
pub(crate) struct Staffed {
    members: Vec<LifeMember>,
    branches: HashSet<Id>,
    groups: HashSet<Id>,
}

impl Staffed {
    fn load(conn: &Connection) -> Result<Staffed> {
        const MEMBER: &str = "ended = 0 AND status = 'in_register' AND stage IN ('probationary', 'full_member')";
        let mut members = Vec::new();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, name, branch_id,
                    coalesce((SELECT min(date) FROM events e WHERE e.person_id = people.id AND e.kind = 'admitted'),
                             joined_on),
                    last_life, dues_from, dues_through,
                    (SELECT a.received_on FROM arrivals a WHERE a.person_id = people.id)
             FROM people WHERE {MEMBER} ORDER BY id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Id>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<i32>>(5)?,
                r.get::<_, Option<i32>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        for row in rows {
            let (id, name, branch_id, since, last, dues_from, dues_through, arrived) = row?;
            let arrived = arrived.as_deref().and_then(calendar::parse_iso);
            let member_since = since.as_deref().and_then(calendar::parse_iso).max(arrived);
            let last_life = last.as_deref().and_then(calendar::parse_iso);
            members.push(LifeMember {
                id,
                name: name.into(),
                branch_id,
                member_since,
                last_life,
                dues_from: dues_from.map(Month),
                dues_through: dues_through.map(Month),
            });
        }
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT DISTINCT g.group_id FROM group_members g JOIN people ON people.id = g.person_id WHERE {MEMBER}"
        ))?;
        let groups = stmt.query_map([], |r| r.get::<_, Id>(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(Staffed::of(members, groups))
    }

    /// The members (in number order) and the groups any of them is in.
    pub(crate) fn of(members: Vec<LifeMember>, groups: HashSet<Id>) -> Staffed {
        let branches = members.iter().map(|m| m.branch_id).collect();
        Staffed { members, branches, groups }
    }
}

/// What the owed-meetings index is made of, as either engine reads it.
#[derive(Debug, Default)]
pub(crate) struct LifeRows {
    /// Each branch and the day its tracking began.
    pub(crate) branches: Vec<(Id, Date)>,
    /// Each party group: its number, branch and name, and the day it owes from (the later of its
    /// own day and its branch's: a branch whose tracking the office moved later moves its groups
    /// with it).
    pub(crate) groups: Vec<(Id, Id, String, Date)>,
    /// The latest meeting held of each kind by each unit and group (0 for none).
    pub(crate) held: Vec<(Id, Id, MeetingKind, Date)>,
    /// Each branch's current secretary's post, the oldest first: the unit, the day they took it,
    /// their name and the latest party lecture they gave.
    pub(crate) secretaries: Vec<(Id, Date, String, Option<Date>)>,
}

impl LifeIndex {
    pub(crate) fn load(conn: &Connection) -> Result<LifeIndex> {
        let mut read = LifeRows::default();
        let mut stmt = conn.prepare(
            "SELECT id, life_from FROM org_units WHERE kind = 'branch' AND life_from IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (unit_id, from) = row?;
            let Some(tracked_from) = calendar::parse_iso(&from) else { continue };
            read.branches.push((unit_id, tracked_from));
        }
        let mut stmt = conn.prepare(
            "SELECT g.id, g.branch_id, g.name,
                    CASE WHEN g.life_from IS NULL OR g.life_from < u.life_from THEN u.life_from ELSE g.life_from END
             FROM party_groups g JOIN org_units u ON u.id = g.branch_id WHERE u.life_from IS NOT NULL
             ORDER BY g.branch_id, g.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (group, unit_id, name, from) = row?;
            let Some(tracked_from) = calendar::parse_iso(&from) else { continue };
            read.groups.push((group, unit_id, name, tracked_from));
        }
        let mut stmt = conn.prepare(
            "SELECT unit_id, ifnull(group_id, 0), kind, max(date) FROM meetings WHERE held = 1
             GROUP BY unit_id, kind, ifnull(group_id, 0)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (unit, group, kind, date) = row?;
            if let (Some(kind), Some(date)) = (MeetingKind::parse(&kind), calendar::parse_iso(&date)) {
                read.held.push((unit, group, kind, date));
            }
        }
        let mut stmt = conn.prepare(
            "SELECT c.unit_id, c.since, p.name,
                    (SELECT max(m.date) FROM meetings m WHERE m.unit_id = c.unit_id AND m.kind = 'party_lecture'
                       AND m.held = 1 AND trim(m.chair) = p.name)
             FROM committee_posts c JOIN people p ON p.id = c.person_id
             WHERE c.post = 'secretary' AND c.until IS NULL ORDER BY c.since",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })?;
        for row in rows {
            let (unit, since, name, latest) = row?;
            if let Some(since) = calendar::parse_iso(&since) {
                read.secretaries.push((unit, since, name, latest.as_deref().and_then(calendar::parse_iso)));
            }
        }
        Ok(LifeIndex::of_rows(read))
    }

    /// The index of what was read.
    pub(crate) fn of_rows(rows: LifeRows) -> LifeIndex {
        let mut index = LifeIndex::default();
        let push = |index: &mut LifeIndex, ower: Ower| {
            index.at.insert((ower.unit_id, ower.group_id().unwrap_or(0)), index.owers.len());
            index.owers.push(ower);
        };
        for (unit_id, tracked_from) in rows.branches {
            push(&mut index, Ower { unit_id, group: None, tracked_from, latest: Vec::new() });
        }
        for (group, unit_id, name, tracked_from) in rows.groups {
            push(&mut index, Ower { unit_id, group: Some((group, name)), tracked_from, latest: Vec::new() });
        }
        for (unit, group, kind, date) in rows.held {
            index.held(unit, group_of(kind, group), kind, date, None);
        }
        for (unit, since, name, latest_lecture) in rows.secretaries {
            // The latest post wins (they come oldest first).
            index.secretaries.insert(unit, Secretary { since, name, latest_lecture });
        }
        index
    }

    /// The index with its members, what is awaited of them and the complaints register's open
    /// entries: the shared server's.
    pub(crate) fn with_members(
        mut self,
        staffed: Staffed,
        awaited: Vec<Awaited>,
        complaints: Vec<OpenComplaint>,
    ) -> LifeIndex {
        self.staffed = Some(staffed);
        self.letters = Some(awaited);
        self.complaints = Some(complaints);
        self
    }

    /// A branch's current secretary, if it has one.
    pub(crate) fn secretary(&self, unit: Id) -> Option<&Secretary> {
        self.secretaries.get(&unit)
    }

    /// Where a branch's tracking began (its own entry).
    pub(crate) fn tracked_from(&self, unit: Id) -> Option<Date> {
        self.at.get(&(unit, 0)).map(|&at| self.owers[at].tracked_from)
    }

    /// The members in the register (empty until [`LifeIndex::ensure_staffed`]).
    pub(crate) fn members(&self) -> &[LifeMember] {
        self.staffed.as_ref().map_or(&[], |s| s.members.as_slice())
    }

    /// Notes a meeting held: it becomes its owner's latest of its kind if it is later, and a
    /// party lecture the secretary chaired their latest lecture.
    pub(crate) fn held(&mut self, unit: Id, group: Option<Id>, kind: MeetingKind, date: Date, chair: Option<&str>) {
        if kind == MeetingKind::PartyLecture
            && let Some(secretary) = self.secretaries.get_mut(&unit)
            && chair.is_some_and(|c| c.trim() == secretary.name)
        {
            secretary.latest_lecture = Some(secretary.latest_lecture.map_or(date, |d| d.max(date)));
        }
        let Some(&at) = self.at.get(&(unit, group_of(kind, group.unwrap_or(0)).unwrap_or(0))) else { return };
        let latest = &mut self.owers[at].latest;
        match latest.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, d)) => *d = (*d).max(date),
            None => latest.push((kind, date)),
        }
    }

    /// Notes who took part in a meeting held on `date`: their latest organisational life.
    pub(crate) fn took_part(&mut self, people: impl IntoIterator<Item = Id>, date: Date) {
        let Some(staffed) = self.staffed.as_mut() else { return };
        for person in people {
            // Members are read in id order.
            if let Ok(at) = staffed.members.binary_search_by_key(&person, |m| m.id) {
                let last = &mut staffed.members[at].last_life;
                *last = Some(last.map_or(date, |d| d.max(date)));
            }
        }
    }

    /// A member's dues caches after a payment or a new base (`store::dues`).
    pub(crate) fn dues_changed(&mut self, person: Id, from: Option<Month>, through: Option<Month>) {
        let Some(staffed) = self.staffed.as_mut() else { return };
        if let Ok(at) = staffed.members.binary_search_by_key(&person, |m| m.id) {
            staffed.members[at].dues_from = from;
            staffed.members[at].dues_through = through;
        }
    }

    /// What is awaited of members: letters' receipts, kept graduates, corrections' outcomes.
    pub(crate) fn awaited(&self) -> &[Awaited] {
        self.letters.as_deref().unwrap_or_default()
    }

    /// The complaints register's open entries (empty until [`LifeIndex::ensure_staffed`]).
    pub(crate) fn open_complaints(&self) -> &[OpenComplaint] {
        self.complaints.as_deref().unwrap_or_default()
    }

    /// Forgets what is awaited after a letter, a correction or a complaint changed; the next scan
    /// reads it again.
    pub(crate) fn forget_awaited(&mut self) {
        self.letters = None;
        self.complaints = None;
    }

    /// Reads again who has members, if a person changed since.
    pub(crate) fn ensure_staffed(&mut self, conn: &Connection) -> Result<()> {
        if self.staffed.is_none() {
            self.staffed = Some(Staffed::load(conn)?);
        }
        if self.complaints.is_none() {
            self.complaints = Some(OpenComplaint::load(conn)?);
        }
        if self.letters.is_none() {
            self.letters = Some(Awaited::load(conn)?);
        }
        Ok(())
    }

    /// Forgets who has members and what is awaited of them (a person changed: their name or
    /// branch is on both).
    pub(crate) fn forget_staffing(&mut self) {
        self.staffed = None;
        self.letters = None;
    }

    /// The units and groups that owe meetings now: those with members.
    pub(crate) fn owers(&self) -> impl Iterator<Item = &Ower> {
        let staffed = self.staffed.as_ref();
        self.owers.iter().filter(move |o| {
            staffed.is_some_and(|s| match o.group_id() {
                Some(group) => s.groups.contains(&group),
                None => s.branches.contains(&o.unit_id),
            })
        })
    }
}

/// A 党小组会 is owed by its group; every other meeting by the unit itself, whichever group (if
/// any) it names.
fn group_of(kind: MeetingKind, group: Id) -> Option<Id> {
    (kind == MeetingKind::GroupMeeting && group != 0).then_some(group)
}
