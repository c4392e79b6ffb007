//! Branch committees (支部委员会) and study hours in the store: who held which post from when to
//! when, and each member's hours from the meetings they attended that count as study.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};

use super::Store;
use super::people::corrupt_row;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::domain::{CommitteePost, Id, PostHeld, PostRecord};
use crate::study::{StudyHours, StudyRules, hours_of};
use crate::{Error, Result, Text};

impl Store {
    /// Records that someone holds (or held) a post of a unit's committee. Refused, naming the
    /// holder, when the post is held by someone else for any day of the same period; refused
    /// when the person is not in the unit or `until` comes before `since`.
    pub fn save_post(&mut self, post: PostHeld) -> Result<PostRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let tree = self.org_tree()?;
        if tree.get(post.unit_id).is_none() {
            return Err(post_unit_not_found());
        }
        self.require_meeting_unit(&tree, post.unit_id)?;
        check_post_dates(&post)?;
        let person: Option<(Id, String)> = self
            .conn
            .query_row("SELECT branch_id, name FROM people WHERE id = ?1", [post.person_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let subtree = tree.subtree(post.unit_id);
        let Some((_, name)) = person.filter(|(branch, _)| subtree.contains(branch)) else {
            return Err(holder_not_in_unit());
        };
        // The check and the write in one IMMEDIATE transaction, so no other writer slips a holder
        // in between them.
        // One holder at a time for each post but the plain 委员.
        if post.post != CommitteePost::Member {
            // An open end compares as the last day ISO text can write.
            let far = post.until.map_or_else(|| "9999-12-31".to_owned(), calendar::format_iso);
            let other: Option<(String, String)> = tx
                .query_row(
                    "SELECT p.name, c.since FROM committee_posts c JOIN people p ON p.id = c.person_id
                     WHERE c.unit_id = ?1 AND c.post = ?2 AND c.id IS NOT ?3
                       AND c.since <= ?4 AND (c.until IS NULL OR c.until >= ?5) LIMIT 1",
                    params![post.unit_id, post.post.as_str(), post.id, far, calendar::format_iso(post.since)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((holder, since)) = other {
                return Err(post_held_by(&holder, &since, post.post));
            }
        }
        let (since, until) = (calendar::format_iso(post.since), post.until.map(calendar::format_iso));
        let id = match post.id {
            None => {
                tx.execute(
                    "INSERT INTO committee_posts (unit_id, person_id, post, since, until) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![post.unit_id, post.person_id, post.post.as_str(), since, until],
                )?;
                tx.last_insert_rowid()
            }
            Some(id) => {
                // The post changed must be one of a unit the user may see, wherever it moves to.
                let stored: Option<Id> =
                    tx.query_row("SELECT unit_id FROM committee_posts WHERE id = ?1", [id], |r| r.get(0)).optional()?;
                let stored = stored.ok_or_else(post_not_found)?;
                self.require_meeting_unit(&tree, stored)?;
                let changed = tx.execute(
                    "UPDATE committee_posts SET unit_id = ?1, person_id = ?2, post = ?3, since = ?4, until = ?5 WHERE id = ?6",
                    params![post.unit_id, post.person_id, post.post.as_str(), since, until, id],
                )?;
                if changed == 0 {
                    return Err(post_not_found());
                }
                id
            }
        };
        tx.commit()?;
        // A new secretary's post starts the committee's next term.
        self.drop_life_index();
        Ok(PostRecord { held: PostHeld { id: Some(id), ..post }, name, unit: tree.path(post.unit_id) })
    }

    /// The posts of a unit's committee (its whole subtree; everything the user may see when `None`),
    /// current first then by start.
    pub fn posts(&self, unit: Option<Id>) -> Result<Vec<PostRecord>> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        let units = self.units_shown(&tree, unit)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.unit_id, c.person_id, c.post, c.since, c.until, p.name FROM committee_posts c
             JOIN people p ON p.id = c.person_id ORDER BY c.until IS NOT NULL, c.since DESC, c.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: Id = r.get(0)?;
            let unit_id: Id = r.get(1)?;
            if units.as_ref().is_some_and(|u| !u.contains(&unit_id)) {
                continue;
            }
            let post = r
                .get_ref(3)?
                .as_str()
                .ok()
                .and_then(CommitteePost::parse)
                .ok_or_else(|| corrupt_row("committee_posts", id))?;
            let date = |i: usize| -> Result<Option<Date>> {
                match r.get_ref(i)?.as_str_or_null().map_err(|_| corrupt_row("committee_posts", id))? {
                    None => Ok(None),
                    Some(s) => calendar::parse_iso(s).map(Some).ok_or_else(|| corrupt_row("committee_posts", id)),
                }
            };
            let since = date(4)?.ok_or_else(|| corrupt_row("committee_posts", id))?;
            out.push(PostRecord {
                held: PostHeld { id: Some(id), unit_id, person_id: r.get(2)?, post, since, until: date(5)? },
                name: r.get(6)?,
                unit: tree.path(unit_id),
            });
        }
        Ok(out)
    }

    /// Each member's (probationary or full) study hours in `year`, for a unit or everything the
    /// user may see, in pinyin order: the meetings of the year they attended (present or late)
    /// that count as study. Those on a branch committee any day of the year are asked for more.
    pub fn study_hours(&self, year: i32, unit: Option<Id>) -> Result<Vec<StudyHours>> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        if let Some(unit) = unit.filter(|&u| tree.get(u).is_none()) {
            return Err(Error::invalid("unit", format!("没有编号为 {unit} 的组织"), format!("no unit has id {unit}")));
        }
        let units = self.units_shown(&tree, unit)?;
        let (first, last) = year_span(year)?;
        let sums = self.study_sums(first, last)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, branch_id FROM people WHERE ended = 0 AND status = 'in_register' AND stage IN ('probationary', 'full_member')
             ORDER BY sort_key",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        let mut paths: HashMap<Id, String> = HashMap::new();
        while let Some(r) = rows.next()? {
            let (id, branch_id): (Id, Id) = (r.get(0)?, r.get(2)?);
            if units.as_ref().is_some_and(|u| !u.contains(&branch_id)) {
                continue;
            }
            let branch = paths.entry(branch_id).or_insert_with(|| tree.path(branch_id)).clone();
            out.push(sums.hours_of(id, r.get(1)?, branch));
        }
        Ok(out)
    }

    /// Everyone's study in a year, hours studied and hours asked, for the annual report (which
    /// counts those who were members at its end, whatever they are today).
    pub(super) fn study_year(&self, year: i32) -> Result<crate::statistics::annual::StudyYear> {
        let (Some(first), Some(last)) = (Date::from_ymd_opt(year, 1, 1), Date::from_ymd_opt(year, 12, 31)) else {
            // The report refuses the year itself, naming it.
            return Ok(Default::default());
        };
        Ok(self.study_sums(first, last)?.study_year())
    }

    /// Each source of study summed per person between two days, in one grouped read each over
    /// the period's rows (driven by the date indexes), and who sat on a committee then.
    fn study_sums(&self, first: Date, last: Date) -> Result<Sums> {
        let (first, last) = (calendar::format_iso(first), calendar::format_iso(last));
        let sums = |sql: &str| -> Result<HashMap<Id, i64>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params![first, last], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, i64>(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Sums {
            meetings: sums(
                "SELECT a.person_id, sum(m.study_minutes) FROM meetings m JOIN attendance a ON a.meeting_id = m.id
                 WHERE m.held = 1 AND m.study_minutes > 0 AND m.date BETWEEN ?1 AND ?2
                   AND a.attendance IN ('present', 'late')
                 GROUP BY a.person_id",
            )?,
            classes: sums(
                "SELECT a.person_id, sum(s.minutes) FROM class_sessions s JOIN session_attendance a ON a.session_id = s.id
                 WHERE s.date BETWEEN ?1 AND ?2 GROUP BY a.person_id",
            )?,
            own: sums(
                "SELECT person_id, sum(minutes) FROM study_entries WHERE date BETWEEN ?1 AND ?2 GROUP BY person_id",
            )?,
            committee: self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT person_id FROM committee_posts WHERE since <= ?2 AND (until IS NULL OR until >= ?1)",
                )?
                .query_map(params![first, last], |r| r.get::<_, Id>(0))?
                .collect::<rusqlite::Result<_>>()?,
        })
    }
}

/// A period's study, per person: minutes from meetings, classes and own study, and who sat on a
/// branch committee in it. For both engines.
pub(crate) struct Sums {
    pub(crate) meetings: HashMap<Id, i64>,
    pub(crate) classes: HashMap<Id, i64>,
    pub(crate) own: HashMap<Id, i64>,
    pub(crate) committee: HashSet<Id>,
}

impl Sums {
    /// Everyone's hours studied and hours asked, for the annual report.
    pub(crate) fn study_year(&self) -> crate::statistics::annual::StudyYear {
        let rules = StudyRules::shipped();
        let mut out = crate::statistics::annual::StudyYear::new();
        let everyone =
            self.meetings.keys().chain(self.classes.keys()).chain(self.own.keys()).chain(self.committee.iter());
        for id in everyone {
            let minutes = |source: &HashMap<Id, i64>| u64::try_from(source.get(id).copied().unwrap_or(0)).unwrap_or(0);
            let (required, _) = rules.required(self.committee.contains(id));
            out.insert(
                *id,
                (hours_of(minutes(&self.meetings) + minutes(&self.classes) + minutes(&self.own)), required),
            );
        }
        out
    }

    /// A member's line of the study hours: what they studied and what is asked of them.
    pub(crate) fn hours_of(&self, id: Id, name: String, branch: String) -> StudyHours {
        let on_committee = self.committee.contains(&id);
        let (required, clause) = StudyRules::shipped().required(on_committee);
        let minutes = |source: &HashMap<Id, i64>| u64::try_from(source.get(&id).copied().unwrap_or(0)).unwrap_or(0);
        let (m, c, o) = (minutes(&self.meetings), minutes(&self.classes), minutes(&self.own));
        StudyHours {
            member_id: id,
            name,
            branch,
            hours: hours_of(m + c + o),
            meeting_hours: hours_of(m),
            class_hours: hours_of(c),
            own_hours: hours_of(o),
            required,
            committee: on_committee,
            clause: clause.zh.clone(),
        }
    }
}

/// A year's first and last day, or the refusal naming the year.
pub(crate) fn year_span(year: i32) -> Result<(Date, Date)> {
    match (Date::from_ymd_opt(year, 1, 1), Date::from_ymd_opt(year, 12, 31)) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(Error::invalid("year", format!("年份 {year} 无效"), format!("{year} is not a year"))),
    }
}

pub(crate) fn check_post_dates(post: &PostHeld) -> Result<()> {
    if post.until.is_some_and(|until| until < post.since) {
        return Err(Error::invalid("until", "任职结束日期早于开始日期", "the post's end comes before its start"));
    }
    Ok(())
}

pub(crate) fn post_unit_not_found() -> Error {
    Error::NotFound { what: Text::new("该组织", "the unit") }
}

pub(crate) fn post_not_found() -> Error {
    Error::NotFound { what: Text::new("该任职记录", "the post") }
}

pub(crate) fn holder_not_in_unit() -> Error {
    Error::invalid("person_id", "任职人员不是本单位的人员", "the person holding the post is not in this unit")
}

/// The post is held by someone else (`holder`, from `since`) for a day of the period asked.
pub(crate) fn post_held_by(holder: &str, since: &str, post: CommitteePost) -> Error {
    Error::invalid(
        "post",
        format!("{holder} 自 {since} 起任{}，同一时期不能由两人担任；请先结束其任职", post.zh()),
        format!(
            "{holder} holds the post ({}) from {since}: two people cannot hold it at once; end theirs first",
            post.label().en
        ),
    )
}
