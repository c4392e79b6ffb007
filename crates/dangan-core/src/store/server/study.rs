//! Branch committees and members' own study on the server (version 7), and each member's study
//! hours from them and from the meetings of version 6. Checked by the workspace's own rules
//! (`check_post_dates`, `check_study_entry`, `study_entry_conflict`, `study_entries_of_sheet`)
//! and summed into the workspace's own lines (`committee::Sums`); read and changed under each
//! row's unit by the server's policies.

use std::collections::{HashMap, HashSet};

use postgres::GenericClient;

use super::{ServerStore, ServerUnit, branch_path, failure, lost_at_commit, subtree};
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::{CommitteePost, Id, PostHeld, PostRecord, StudyEntry};
use crate::store::committee::{
    Sums, check_post_dates, holder_not_in_unit, post_held_by, post_not_found, post_unit_not_found, year_span,
};
use crate::store::training::{study_entries_of_sheet, study_entry_conflict, study_entry_not_found};
use crate::study::StudyHours;
use crate::{Error, Result, Text};

/// The advisory lock a unit's committee posts are saved under (with the unit's number), so two
/// users giving one post two holders at once are checked one after the other.
const POSTS_LOCK: i32 = 0x706f_7374;

impl ServerStore {
    /// Records that someone holds (or held) a post of a unit's committee, refused as a workspace
    /// refuses it: the holder not of the unit, the end before the start, the post held by
    /// someone else any day of the period.
    pub(crate) fn save_post(&mut self, post: PostHeld) -> Result<PostRecord> {
        self.require(Action::EditMembers)?;
        let units = self.units()?;
        if !units.iter().any(|u| u.id == post.unit_id) {
            return Err(post_unit_not_found());
        }
        self.require_meeting_unit(&units, post.unit_id)?;
        check_post_dates(&post)?;
        let below = subtree(&units, post.unit_id);
        let read = self.units_read(&units);
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let person: Option<(Id, String)> = tx
            .query_opt("SELECT branch_id, name FROM dangan.people WHERE id = $1", &[&post.person_id])
            .map_err(fail)?
            .map(|r| (r.get(0), r.get(1)));
        let Some((_, name)) = person.filter(|(branch, _)| below.contains(branch)) else {
            return Err(holder_not_in_unit());
        };
        // Truncated to the lock's 32 bits: two units sharing a lock only wait for each other.
        let unit_key = post.unit_id as i32;
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&POSTS_LOCK, &unit_key]).map_err(fail)?;
        // One holder at a time for each post but the plain 委员, a holder the user no longer reads
        // (moved to another college) by number.
        if post.post != CommitteePost::Member {
            let far = post.until.map_or_else(|| "9999-12-31".to_owned(), |d| d.to_string());
            let other = tx
                .query_opt(
                    "SELECT coalesce(p.name, '#' || c.person_id), c.since::text FROM dangan.committee_posts c
                     LEFT JOIN dangan.people p ON p.id = c.person_id
                     WHERE c.unit_id = $1 AND c.post = $2 AND c.id IS DISTINCT FROM $3
                       AND c.since <= $4::text::date AND (c.until IS NULL OR c.until >= $5::text::date) LIMIT 1",
                    &[&post.unit_id, &post.post.as_str(), &post.id, &far, &post.since.to_string()],
                )
                .map_err(fail)?;
            if let Some(other) = other {
                return Err(post_held_by(other.get(0), other.get(1), post.post));
            }
        }
        let (since, until) = (post.since.to_string(), post.until.map(|d| d.to_string()));
        let id: Id = match post.id {
            None => tx
                .query_one(
                    "INSERT INTO dangan.committee_posts (unit_id, person_id, post, since, until)
                     VALUES ($1, $2, $3, $4::text::date, $5::text::date) RETURNING id",
                    &[&post.unit_id, &post.person_id, &post.post.as_str(), &since, &until],
                )
                .map_err(fail)?
                .get(0),
            Some(id) => {
                let stored: Option<Id> = tx
                    .query_opt("SELECT unit_id FROM dangan.committee_posts WHERE id = $1 FOR UPDATE", &[&id])
                    .map_err(fail)?
                    .map(|r| r.get(0));
                // The post changed must be one of a unit the user reads, wherever it moves to.
                super::meetings::check_meeting_unit(&units, &read, stored.ok_or_else(post_not_found)?)?;
                let changed = tx
                    .execute(
                        "UPDATE dangan.committee_posts SET unit_id = $1, person_id = $2, post = $3,
                             since = $4::text::date, until = $5::text::date WHERE id = $6",
                        &[&post.unit_id, &post.person_id, &post.post.as_str(), &since, &until, &id],
                    )
                    .map_err(fail)?;
                if changed == 0 {
                    return Err(post_not_found());
                }
                id
            }
        };
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(PostRecord { held: PostHeld { id: Some(id), ..post }, name, unit: branch_path(&units, post.unit_id) })
    }

    /// The posts of a unit's committee (its whole subtree; everything the user reads when
    /// `None`), current first then the latest start first, as a workspace lists them.
    pub(crate) fn posts(&mut self, unit: Option<Id>) -> Result<Vec<PostRecord>> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let wanted = self.wanted_units(&units, unit)?;
        let address = self.address.clone();
        let bad = |id| Error::Server {
            server: address.to_string(),
            reason: format!("row {id} of table committee_posts cannot be read"),
        };
        let rows = self
            .client
            .query(
                "SELECT c.id, c.unit_id, c.person_id, c.post, c.since::text, c.until::text,
                        coalesce(p.name, '#' || c.person_id)
                 FROM dangan.committee_posts c LEFT JOIN dangan.people p ON p.id = c.person_id
                 WHERE c.unit_id = ANY($1) ORDER BY c.until IS NOT NULL, c.since DESC, c.id",
                &[&wanted],
            )
            .map_err(|e| failure(e, &address))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Id = r.get(0);
            let unit_id: Id = r.get(1);
            let date =
                |i: usize| r.get::<_, Option<&str>>(i).map(|d| d.parse::<Date>().map_err(|_| bad(id))).transpose();
            out.push(PostRecord {
                held: PostHeld {
                    id: Some(id),
                    unit_id,
                    person_id: r.get(2),
                    post: CommitteePost::parse(r.get(3)).ok_or_else(|| bad(id))?,
                    since: date(4)?.ok_or_else(|| bad(id))?,
                    until: date(5)?,
                },
                name: r.get(6),
                unit: branch_path(&units, unit_id),
            });
        }
        Ok(out)
    }

    /// The units a listing covers: a unit's subtree among those the user reads, or all of them.
    pub(super) fn wanted_units(&self, units: &[ServerUnit], unit: Option<Id>) -> Result<Vec<Id>> {
        let read = self.units_read(units);
        match unit {
            Some(unit) if !units.iter().any(|u| u.id == unit) => {
                Err(Error::invalid("unit", format!("没有编号为 {unit} 的组织"), format!("no unit has id {unit}")))
            }
            Some(unit) => Ok(subtree(units, unit).into_iter().filter(|u| read.contains(u)).collect()),
            None => Ok(read.into_iter().collect()),
        }
    }

    /// The year's study of everyone this user reads, as the annual report's training table counts
    /// it (`Sums::study_year`).
    pub(crate) fn study_year(&mut self, year: i32) -> Result<crate::statistics::annual::StudyYear> {
        self.require(Action::ReadMembers)?;
        let (first, last) = year_span(year)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let sums = study_sums(&mut tx, first, last).map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(sums.study_year())
    }

    /// Each member's (probationary or full, in the register) study hours in `year`, for a unit or
    /// everything the user reads, in pinyin order: the workspace's lines from the server's
    /// meetings, classes and own study.
    pub(crate) fn study_hours(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<StudyHours>> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let wanted = self.wanted_units(&units, unit)?;
        let (first, last) = year_span(year)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let sums = study_sums(&mut tx, first, last).map_err(fail)?;
        let people = tx
            .query(
                "SELECT id, name, branch_id FROM dangan.people
                 WHERE NOT ended AND status = 'in_register' AND stage IN ('probationary', 'full_member')
                   AND branch_id = ANY($1)
                 ORDER BY sort_key, id",
                &[&wanted],
            )
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        let mut paths: HashMap<Id, String> = HashMap::new();
        Ok(people
            .iter()
            .map(|r| {
                let branch_id: Id = r.get(2);
                let branch = paths.entry(branch_id).or_insert_with(|| branch_path(&units, branch_id)).clone();
                sums.hours_of(r.get(0), r.get(1), branch)
            })
            .collect())
    }

    /// Records a member's own study, refused as a workspace refuses it (the same entry twice, a
    /// day's study beyond a day), with the person locked while it is checked.
    pub(crate) fn add_study_entry(&mut self, entry: StudyEntry) -> Result<StudyEntry> {
        self.require(Action::EditMembers)?;
        let entry = crate::training::check_study_entry(entry, self.today())?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        super::people::load(&mut tx, &mut self.statements, entry.person_id, true)
            .map_err(|e| e.into_error(&address))?;
        if let Some(why) = conflict(&mut tx, &entry, 0).map_err(fail)? {
            return Err(Error::InvalidInput { field: "date".into(), reason: why });
        }
        let id = insert_entry(&mut tx, &entry).map_err(fail)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(StudyEntry { id: Some(id), ..entry })
    }

    /// Records a sheet of own study (.xlsx or .csv rows, read by `study::read_study_sheet`), all
    /// rows or none, each row checked as a workspace checks it, the people locked meanwhile. What
    /// the people named already have on the sheet's days is read once, and the entries written in
    /// one statement: a handful of round trips whatever the sheet's length.
    pub(crate) fn import_study_entries(
        &mut self,
        rows: Vec<crate::study::StudyRow>,
        problems: crate::roster::sheet::RowProblems,
        progress: &mut dyn FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        self.require(Action::EditMembers)?;
        let total = rows.len();
        let mut count = crate::jobs::RowCount::start(total, progress)?;
        let today = self.today();
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        // The people a sheet may name, locked so that no one adds their study meanwhile.
        let named: Vec<String> = rows.iter().map(|r| r.who.clone()).collect();
        let found: Vec<(Id, String, Option<String>)> = tx
            .query(
                "SELECT id, name, student_no FROM dangan.people
                 WHERE NOT ended AND (name = ANY($1) OR student_no = ANY($1)) ORDER BY id FOR UPDATE",
                &[&named],
            )
            .map_err(fail)?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let mut find = |who: &str| -> Result<Vec<Id>> {
            Ok(found.iter().filter(|(_, name, no)| name == who || no.as_deref() == Some(who)).map(|p| p.0).collect())
        };
        let ids: Vec<Id> = found.iter().map(|p| p.0).collect();
        let days: Vec<String> = rows.iter().map(|r| r.date.to_string()).collect();
        // (person, day) → the entries kept that day: (title, minutes).
        let mut kept: HashMap<(Id, Date), Vec<(String, i32)>> = HashMap::new();
        for r in tx
            .query(
                "SELECT person_id, date::text, title, minutes FROM dangan.study_entries
                 WHERE person_id = ANY($1) AND date = ANY($2::text[]::date[])",
                &[&ids, &days],
            )
            .map_err(fail)?
        {
            let Ok(day) = r.get::<_, &str>(1).parse::<Date>() else { continue };
            kept.entry((r.get(0), day)).or_default().push((r.get(2), r.get(3)));
        }
        // As `conflict` asks the server, of what was read.
        let mut check = |entry: &StudyEntry, pending: u32| {
            let day = kept.get(&(entry.person_id, entry.date)).map_or(&[][..], Vec::as_slice);
            let minutes = i32::try_from(entry.minutes).unwrap_or(i32::MAX);
            let same = day.iter().any(|(title, m)| *title == entry.title && *m == minutes);
            let sum: i64 = day.iter().map(|(_, m)| i64::from(*m)).sum();
            Ok(study_entry_conflict(entry, same, u32::try_from(sum).unwrap_or(u32::MAX).saturating_add(pending)))
        };
        let entries = study_entries_of_sheet(rows, problems, today, &mut count, &mut find, &mut check)?;
        let column = |f: &dyn Fn(&StudyEntry) -> Option<String>| entries.iter().map(f).collect::<Vec<_>>();
        let minutes: Vec<i32> = entries.iter().map(|e| i32::try_from(e.minutes).unwrap_or(i32::MAX)).collect();
        let people: Vec<Id> = entries.iter().map(|e| e.person_id).collect();
        tx.execute(
            "INSERT INTO dangan.study_entries (person_id, date, minutes, title, source)
             SELECT e.person_id, e.date::date, e.minutes, e.title, e.source
             FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[], $5::text[])
                  WITH ORDINALITY AS e (person_id, date, minutes, title, source, n)
             ORDER BY e.n",
            &[
                &people,
                &column(&|e| Some(e.date.to_string())),
                &minutes,
                &column(&|e| Some(e.title.clone())),
                &column(&|e| e.source.clone()),
            ],
        )
        .map_err(fail)?;
        // Stopped while they were written: nothing recorded.
        count.at(total)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(entries.len())
    }

    /// Deletes an entry of own study.
    pub(crate) fn delete_study_entry(&mut self, id: Id) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        // The policies keep an entry of a person the user only reads: not found to change.
        let deleted = self
            .client
            .execute("DELETE FROM dangan.study_entries WHERE id = $1", &[&id])
            .map_err(|e| failure(e, &address))?;
        if deleted == 0 {
            return Err(study_entry_not_found());
        }
        Ok(())
    }

    /// A member's own study in a year.
    pub(crate) fn study_entries(&mut self, person: Id, year: i32) -> Result<Vec<StudyEntry>> {
        self.require(Action::ReadMembers)?;
        let (first, last) = year_span(year)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        super::people::load(&mut tx, &mut self.statements, person, false).map_err(|e| e.into_error(&address))?;
        let rows = tx
            .query(
                "SELECT id, date::text, minutes, title, source FROM dangan.study_entries
                 WHERE person_id = $1 AND date BETWEEN $2::text::date AND $3::text::date ORDER BY date, id",
                &[&person, &first.to_string(), &last.to_string()],
            )
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        rows.iter()
            .map(|r| {
                let id: Id = r.get(0);
                let date = r.get::<_, &str>(1).parse::<Date>().map_err(|_| Error::Server {
                    server: address.to_string(),
                    reason: format!("row {id} of table study_entries cannot be read"),
                })?;
                let minutes: i32 = r.get(2);
                Ok(StudyEntry {
                    id: Some(id),
                    person_id: person,
                    date,
                    minutes: u32::try_from(minutes).unwrap_or(0),
                    title: r.get(3),
                    source: r.get(4),
                })
            })
            .collect()
    }
}

pub(super) fn insert_entry(
    client: &mut impl GenericClient,
    entry: &StudyEntry,
) -> std::result::Result<Id, postgres::Error> {
    let minutes = i32::try_from(entry.minutes).unwrap_or(i32::MAX);
    Ok(client
        .query_one(
            "INSERT INTO dangan.study_entries (person_id, date, minutes, title, source)
             VALUES ($1, $2::text::date, $3, $4, $5) RETURNING id",
            &[&entry.person_id, &entry.date.to_string(), &minutes, &entry.title, &entry.source],
        )?
        .get(0))
}

/// Why an entry cannot join what the server keeps (`pending`: the minutes of the same day the
/// sheet's earlier rows add).
fn conflict(
    client: &mut impl GenericClient,
    entry: &StudyEntry,
    pending: u32,
) -> std::result::Result<Option<Text>, postgres::Error> {
    let minutes = i32::try_from(entry.minutes).unwrap_or(i32::MAX);
    let row = client.query_one(
        "SELECT EXISTS (SELECT 1 FROM dangan.study_entries
                        WHERE person_id = $1 AND date = $2::text::date AND title = $3 AND minutes = $4),
                coalesce((SELECT sum(minutes) FROM dangan.study_entries WHERE person_id = $1 AND date = $2::text::date), 0)::bigint",
        &[&entry.person_id, &entry.date.to_string(), &entry.title, &minutes],
    )?;
    let day: i64 = row.get(1);
    Ok(study_entry_conflict(entry, row.get(0), u32::try_from(day).unwrap_or(u32::MAX).saturating_add(pending)))
}

/// Each source of study summed per person between two days (what the user reads), and who sat
/// on a committee then: the workspace's sums from the server's rows.
fn study_sums(client: &mut impl GenericClient, first: Date, last: Date) -> std::result::Result<Sums, postgres::Error> {
    let (first, last) = (first.to_string(), last.to_string());
    let mut sums = |sql: &str| -> std::result::Result<HashMap<Id, i64>, postgres::Error> {
        Ok(client.query(sql, &[&first, &last])?.iter().map(|r| (r.get(0), r.get(1))).collect())
    };
    let meetings = sums(
        "SELECT a.person_id, sum(m.study_minutes)::bigint FROM dangan.meetings m
         JOIN dangan.attendance a ON a.meeting_id = m.id
         WHERE m.held AND m.study_minutes > 0 AND m.date BETWEEN $1::text::date AND $2::text::date
           AND a.attendance IN ('present', 'late')
         GROUP BY a.person_id",
    )?;
    let own = sums(
        "SELECT person_id, sum(minutes)::bigint FROM dangan.study_entries
         WHERE date BETWEEN $1::text::date AND $2::text::date GROUP BY person_id",
    )?;
    let classes = sums(
        "SELECT a.person_id, sum(s.minutes)::bigint FROM dangan.class_sessions s
         JOIN dangan.session_attendance a ON a.session_id = s.id
         WHERE s.date BETWEEN $1::text::date AND $2::text::date GROUP BY a.person_id",
    )?;
    let committee: HashSet<Id> = client
        .query(
            "SELECT DISTINCT person_id FROM dangan.committee_posts
             WHERE since <= $2::text::date AND (until IS NULL OR until >= $1::text::date)",
            &[&first, &last],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(Sums { meetings, classes, own, committee })
}
