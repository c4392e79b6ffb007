//! The democratic appraisal on the server (`dangan.appraisals` and its parts, version 11): a
//! branch's for a year, read and changed under the branch, as its meetings are. Every rule is the
//! workspace's (`appraisal.rs`, and `store/appraisals.rs`: `takes_part`, `check_step`,
//! `vote_problems`, `check_close`, `filed_record`, `check_correction_end`), checked with the
//! appraisal's row locked, so two workers grading one branch are checked one after the other.

use std::collections::HashMap;

use postgres::GenericClient;

use super::people::{LoadError, read_people, server_person_of};
use super::{ServerStore, ServerUnit, branch_path, failure, lost_at_commit, subtree};
use crate::access::Action;
use crate::appraisal::{
    self, Appraisal, AppraisalRules, AppraisalStep, Correction, CorrectionOutcome, GradeDecision, Participant,
    StepDate, VoteRow, Votes,
};
use crate::calendar::Date;
use crate::domain::{Grade, Id};
use crate::store::appraisals::{
    AppraisalHead, assembled, check_close, check_correction_end, check_step, closed, filed_record, participant,
    takes_part, vote_problems,
};
use crate::store::outside_units;
use crate::{Error, Result, Text};

impl ServerStore {
    /// Opens the appraisal of `year` on `opened_on` for the branch `unit`, or for every branch
    /// under it that has none yet, with who takes part as of that day, as a workspace opens them.
    pub(crate) fn open_appraisals(&mut self, unit: Id, year: i32, opened_on: Date) -> Result<Vec<Appraisal>> {
        self.require(Action::EditMembers)?;
        appraisal::check_opening(year, opened_on, self.today())?;
        let units = self.units()?;
        let Some(asked) = units.iter().find(|u| u.id == unit) else {
            return Err(Error::invalid(
                "branch",
                format!("没有编号为 {unit} 的组织"),
                format!("no unit has id {unit}"),
            ));
        };
        let one_branch = asked.kind == "branch";
        let branches: Vec<Id> = if one_branch {
            vec![unit]
        } else {
            let mut under: Vec<Id> = subtree(&units, unit)
                .into_iter()
                .filter(|&u| units.iter().any(|x| x.id == u && x.kind == "branch"))
                .collect();
            under.sort_unstable();
            under
        };
        let mine = self.units_read(&units);
        if let Some(&outside) = branches.iter().find(|b| !mine.contains(b)) {
            return Err(outside_units(&branch_path(&units, outside)));
        }
        let rules = self.rules().appraisal().clone();
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let mut opened = Vec::new();
        for &branch in &branches {
            let existing: Option<String> = tx
                .query_opt(
                    "SELECT opened_on::text FROM dangan.appraisals WHERE unit_id = $1 AND year = $2",
                    &[&branch, &year],
                )
                .map_err(fail)?
                .map(|r| r.get(0));
            if let Some(on) = existing {
                if one_branch {
                    let path = branch_path(&units, branch);
                    return Err(Error::invalid(
                        "branch",
                        format!("{path}{year}年度的民主评议已于 {on} 开始"),
                        format!("the appraisal of {path} for {year} was opened on {on}"),
                    ));
                }
                continue;
            }
            let id: Id = tx
                .query_one(
                    "INSERT INTO dangan.appraisals (unit_id, year, opened_on) VALUES ($1, $2, $3::text::date) RETURNING id",
                    &[&branch, &year, &opened_on.to_string()],
                )
                .map_err(fail)?
                .get(0);
            // The branch's people read at once, each asked as a workspace asks who takes part.
            let people: Vec<Id> = tx
                .query("SELECT id FROM dangan.people WHERE branch_id = $1 ORDER BY id", &[&branch])
                .map_err(fail)?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let (mut taking_part, mut graded) = (Vec::new(), Vec::new());
            for row in read_people(&mut tx, &mut self.statements, &people).map_err(|e| e.into_error(&address))? {
                let read = server_person_of(&row).map_err(|e| e.into_error(&address))?;
                let Some(person) = read.person.id else { continue };
                if let Some(grade) = takes_part(read.person, read.events, &read.status_history, opened_on) {
                    taking_part.push(person);
                    graded.push(grade);
                }
            }
            // Someone appraised this year already (in the branch they came from) is not twice.
            tx.execute(
                "INSERT INTO dangan.appraisal_members (appraisal_id, person_id, graded)
                 SELECT $1, t.person, t.graded FROM unnest($2::bigint[], $3::boolean[]) AS t (person, graded)
                 WHERE NOT EXISTS (
                     SELECT 1 FROM dangan.appraisal_members m JOIN dangan.appraisals a ON a.id = m.appraisal_id
                     WHERE a.year = $4 AND m.person_id = t.person)
                 ORDER BY t.person",
                &[&id, &taking_part, &graded, &year],
            )
            .map_err(fail)?;
            opened.push(id);
        }
        let made = opened
            .into_iter()
            .map(|id| read_appraisal(&mut tx, &units, &rules, id)?.ok_or_else(|| not_found(id)))
            .collect::<std::result::Result<Vec<_>, LoadError>>()
            .map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(made)
    }

    /// One appraisal by its number.
    pub(crate) fn appraisal(&mut self, id: Id) -> Result<Appraisal> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let rules = self.rules().appraisal().clone();
        let address = self.address.clone();
        let mut tx = super::snapshot(&mut self.client).map_err(|e| failure(e, &address))?;
        let found = read_appraisal(&mut tx, &units, &rules, id).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| failure(e, &address))?;
        found.ok_or_else(|| not_found_error(id))
    }

    /// The appraisal of a branch for a year.
    pub(crate) fn appraisal_of(&mut self, unit: Id, year: i32) -> Result<Appraisal> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        if !self.units_read(&units).contains(&unit) {
            return Err(outside_units(&branch_path(&units, unit)));
        }
        let address = self.address.clone();
        let id: Option<Id> = self
            .client
            .query_opt("SELECT id FROM dangan.appraisals WHERE unit_id = $1 AND year = $2", &[&unit, &year])
            .map_err(|e| failure(e, &address))?
            .map(|r| r.get(0));
        match id {
            Some(id) => self.appraisal(id),
            None => {
                let name = branch_path(&units, unit);
                Err(Error::NotFound {
                    what: Text::new(
                        format!("{name}{year}年度的民主评议（尚未开始）"),
                        format!("an appraisal of {name} for {year} (not opened)"),
                    ),
                })
            }
        }
    }

    /// The appraisals of a year under `unit` (or all the user reads), in the units' order.
    pub(crate) fn appraisals(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<Appraisal>> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let wanted = self.wanted_units(&units, unit)?;
        let rules = self.rules().appraisal().clone();
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let ids: Vec<Id> = tx
            .query(
                "SELECT id FROM dangan.appraisals WHERE year = $1 AND unit_id = ANY($2) ORDER BY unit_id",
                &[&year, &wanted],
            )
            .map_err(fail)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::new();
        for id in ids {
            if let Some(found) = read_appraisal(&mut tx, &units, &rules, id).map_err(|e| e.into_error(&address))? {
                out.push(found);
            }
        }
        tx.commit().map_err(fail)?;
        Ok(out)
    }

    /// Dates a step (or, `None`, takes its day back), as a workspace does.
    pub(crate) fn date_appraisal_step(&mut self, id: Id, step: AppraisalStep, date: Option<Date>) -> Result<Appraisal> {
        let today = self.today();
        self.change_appraisal(id, |tx, appraisal| {
            check_step(appraisal, step, date, today)?;
            match date {
                Some(date) => tx.execute(
                    "INSERT INTO dangan.appraisal_steps (appraisal_id, step, date) VALUES ($1, $2, $3::text::date)
                     ON CONFLICT (appraisal_id, step) DO UPDATE SET date = excluded.date",
                    &[&id, &step.as_str(), &date.to_string()],
                ),
                None => tx.execute(
                    "DELETE FROM dangan.appraisal_steps WHERE appraisal_id = $1 AND step = $2",
                    &[&id, &step.as_str()],
                ),
            }
            .map_err(Changing::Server)?;
            Ok(())
        })
    }

    /// Records the vote: the ballots cast and the counts of the members given, all or none.
    pub(crate) fn record_votes(&mut self, id: Id, ballots_cast: u32, rows: &[VoteRow]) -> Result<Appraisal> {
        let rule = self.rules().appraisal().proposal;
        self.change_appraisal(id, |tx, appraisal| {
            if appraisal.closed_on.is_some() {
                return Err(closed(appraisal).into());
            }
            let problems = vote_problems(appraisal, ballots_cast, rows);
            if !problems.is_empty() {
                let (zh, en): (Vec<String>, Vec<String>) = problems.into_iter().unzip();
                return Err(Error::invalid("votes", zh.join("；"), en.join("; ")).into());
            }
            let ballots = i32::try_from(ballots_cast).unwrap_or(i32::MAX);
            tx.execute("UPDATE dangan.appraisals SET ballots_cast = $2 WHERE id = $1", &[&id, &ballots])
                .map_err(Changing::Server)?;
            for row in rows {
                let v = row.votes;
                let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
                let proposed = v.propose(rule).map(Grade::as_str);
                tx.execute(
                    "UPDATE dangan.appraisal_members SET excellent = $3, qualified = $4, basically_qualified = $5,
                         unqualified = $6, proposed = $7
                     WHERE appraisal_id = $1 AND person_id = $2",
                    &[
                        &id,
                        &row.person_id,
                        &count(v.excellent),
                        &count(v.qualified),
                        &count(v.basically_qualified),
                        &count(v.unqualified),
                        &proposed,
                    ],
                )
                .map_err(Changing::Server)?;
            }
            Ok(())
        })
    }

    /// Sets the branch's proposed grade of a member by hand (or clears it).
    pub(crate) fn propose_grade(&mut self, id: Id, person_id: Id, grade: Option<Grade>) -> Result<Appraisal> {
        let rules = self.rules().appraisal().clone();
        self.change_appraisal(id, |tx, appraisal| {
            if appraisal.closed_on.is_some() {
                return Err(closed(appraisal).into());
            }
            let who = participant(appraisal, person_id)?;
            if grade.is_some() && !who.graded {
                // Refused, naming the rule: a probationary member is not graded.
                appraisal::check_grade(appraisal, who, Grade::Qualified, None, &rules)?;
            }
            tx.execute(
                "UPDATE dangan.appraisal_members SET proposed = $3 WHERE appraisal_id = $1 AND person_id = $2",
                &[&id, &person_id, &grade.map(Grade::as_str)],
            )
            .map_err(Changing::Server)?;
            Ok(())
        })
    }

    /// Decides a member's grade, checked against the rules and the grades decided so far.
    pub(crate) fn grade_member(&mut self, id: Id, decision: &GradeDecision) -> Result<Appraisal> {
        let rules = self.rules().appraisal().clone();
        self.change_appraisal(id, |tx, appraisal| {
            if appraisal.closed_on.is_some() {
                return Err(closed(appraisal).into());
            }
            let who = participant(appraisal, decision.person_id)?;
            let reason = appraisal::check_reason(decision.reason.as_deref())?;
            appraisal::check_grade(appraisal, who, decision.grade, reason.as_deref(), &rules)?;
            tx.execute(
                "UPDATE dangan.appraisal_members SET grade = $3, reason = $4 WHERE appraisal_id = $1 AND person_id = $2",
                &[&id, &decision.person_id, &decision.grade.as_str(), &reason],
            )
            .map_err(Changing::Server)?;
            Ok(())
        })
    }

    /// Closes the appraisal on `date`, as a workspace closes it: each grade filed in its member's
    /// file as the 民主评议 record, an unsatisfactory member's correction period begun.
    pub(crate) fn close_appraisal(&mut self, id: Id, date: Date) -> Result<Appraisal> {
        let (today, months) = (self.today(), self.rules().appraisal().correction_months);
        self.change_appraisal(id, |tx, appraisal| {
            if appraisal.closed_on.is_some() {
                return Err(closed(appraisal).into());
            }
            // A graded member who moved since to a branch this user does not read is not among the
            // participants read (the policies hide the person): closed without them, their grade
            // would never be filed nor their correction begun. Someone who reads them closes it.
            // (Those not graded, probationary members, need nothing at the close.)
            let unseen: i64 = tx
                .query_one(
                    "SELECT count(*) FROM dangan.appraisal_members m
                     WHERE m.appraisal_id = $1 AND m.graded
                       AND NOT EXISTS (SELECT 1 FROM dangan.people p WHERE p.id = m.person_id)",
                    &[&id],
                )
                .map_err(Changing::Server)?
                .get(0);
            if unseen > 0 {
                return Err(Error::invalid(
                    "appraisal",
                    format!(
                        "参加评议的党员中有 {unseen} 人已转到你看不到的支部，这次评议没有结束；请由能看到他们的组织员或管理员（转到其他学院的，由组织部）来结束"
                    ),
                    format!(
                        "{unseen} member(s) of this appraisal have moved to branches you cannot see, so it was not closed: an organiser or administrator who sees them (the department's, if they moved to another college) closes it"
                    ),
                )
                .into());
            }
            check_close(appraisal, date, today)?;
            let months = i32::try_from(months).unwrap_or(i32::MAX);
            for p in appraisal.participants.iter().filter(|p| p.graded) {
                let Some(record) = filed_record(appraisal, p, date) else { continue };
                let fields = serde_json::to_string(&record.fields)
                    .map_err(|e| Changing::Refused(Error::invalid("fields", e.to_string(), e.to_string())))?;
                let record_id: Id = tx
                    .query_one(
                        "INSERT INTO dangan.records (person_id, kind, date, title, body, fields)
                         VALUES ($1, $2, $3::text::date, $4, $5, $6::text::jsonb) RETURNING id",
                        &[
                            &record.person_id,
                            &record.kind.as_str(),
                            &record.date.to_string(),
                            &record.title,
                            &record.body,
                            &fields,
                        ],
                    )
                    .map_err(Changing::Server)?
                    .get(0);
                tx.execute(
                    "UPDATE dangan.appraisal_members SET record_id = $3 WHERE appraisal_id = $1 AND person_id = $2",
                    &[&id, &p.person_id, &record_id],
                )
                .map_err(Changing::Server)?;
                if p.grade == Some(Grade::Unqualified) {
                    tx.execute(
                        "INSERT INTO dangan.corrections (appraisal_id, person_id, from_on, months)
                         VALUES ($1, $2, $3::text::date, $4)",
                        &[&id, &p.person_id, &date.to_string(), &months],
                    )
                    .map_err(Changing::Server)?;
                }
            }
            tx.execute(
                "INSERT INTO dangan.appraisal_steps (appraisal_id, step, date) VALUES ($1, 'decision', $2::text::date)
                 ON CONFLICT (appraisal_id, step) DO NOTHING",
                &[&id, &date.to_string()],
            )
            .map_err(Changing::Server)?;
            tx.execute(
                "UPDATE dangan.appraisals SET closed_on = $2::text::date WHERE id = $1",
                &[&id, &date.to_string()],
            )
            .map_err(Changing::Server)?;
            Ok(())
        })
    }

    /// Records how an unsatisfactory member's correction ended (第三十一条).
    pub(crate) fn end_correction(
        &mut self,
        id: Id,
        person_id: Id,
        outcome: CorrectionOutcome,
        date: Date,
        note: Option<&str>,
    ) -> Result<Appraisal> {
        let today = self.today();
        self.change_appraisal(id, |tx, appraisal| {
            let note = check_correction_end(appraisal, person_id, date, note, today)?;
            tx.execute(
                "UPDATE dangan.corrections SET outcome = $3, decided_on = $4::text::date, note = $5
                 WHERE appraisal_id = $1 AND person_id = $2",
                &[&id, &person_id, &outcome.as_str(), &date.to_string(), &note],
            )
            .map_err(Changing::Server)?;
            Ok(())
        })
    }

    /// Each member's grade in the closed appraisals of `year` the user reads (the annual report's).
    pub(crate) fn appraisal_grades(&mut self, year: i32) -> Result<HashMap<Id, Grade>> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        let rows = self
            .client
            .query(
                "SELECT m.person_id, m.grade FROM dangan.appraisal_members m JOIN dangan.appraisals a ON a.id = m.appraisal_id
                 WHERE a.year = $1 AND a.closed_on IS NOT NULL AND m.grade IS NOT NULL",
                &[&year],
            )
            .map_err(|e| failure(e, &address))?;
        Ok(rows.iter().filter_map(|r| Some((r.get(0), Grade::parse(r.get(1))?))).collect())
    }

    /// Changes an appraisal with `change`, in one transaction with its row locked (so two
    /// workers' changes are checked one after the other), by someone who may change its branch;
    /// returns it as it then is.
    fn change_appraisal(
        &mut self,
        id: Id,
        change: impl FnOnce(&mut postgres::Transaction<'_>, &Appraisal) -> std::result::Result<(), Changing>,
    ) -> Result<Appraisal> {
        self.require(Action::EditMembers)?;
        let units = self.units()?;
        let rules = self.rules().appraisal().clone();
        let mine = self.units_read(&units);
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let unit: Option<Id> = tx
            .query_opt("SELECT unit_id FROM dangan.appraisals WHERE id = $1 FOR UPDATE", &[&id])
            .map_err(fail)?
            .map(|r| r.get(0));
        let Some(unit) = unit else { return Err(not_found_error(id)) };
        if !mine.contains(&unit) {
            return Err(outside_units(&branch_path(&units, unit)));
        }
        let before = read_appraisal(&mut tx, &units, &rules, id)
            .map_err(|e| e.into_error(&address))?
            .ok_or_else(|| not_found_error(id))?;
        change(&mut tx, &before).map_err(|e| match e {
            Changing::Refused(e) => e,
            Changing::Server(e) => failure(e, &address),
        })?;
        let after = read_appraisal(&mut tx, &units, &rules, id)
            .map_err(|e| e.into_error(&address))?
            .ok_or_else(|| not_found_error(id))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(after)
    }
}

/// Why a change of an appraisal stopped: its rules refused it, or the server failed.
enum Changing {
    Refused(Error),
    Server(postgres::Error),
}

impl From<Error> for Changing {
    fn from(e: Error) -> Changing {
        Changing::Refused(e)
    }
}

fn not_found(id: Id) -> LoadError {
    LoadError::NotFound(id)
}

fn not_found_error(id: Id) -> Error {
    Error::NotFound { what: Text::new(format!("编号为 {id} 的民主评议"), format!("appraisal {id}")) }
}

fn day(table: &'static str, id: Id, text: Option<String>) -> std::result::Result<Option<Date>, LoadError> {
    text.map(|t| t.parse::<Date>().map_err(|_| LoadError::Corrupt(table, id))).transpose()
}

/// An appraisal whole, as a workspace reads it: its steps and participants (in the member
/// list's order) with their corrections.
fn read_appraisal(
    client: &mut impl GenericClient,
    units: &[ServerUnit],
    rules: &AppraisalRules,
    id: Id,
) -> std::result::Result<Option<Appraisal>, LoadError> {
    let Some(head) = client.query_opt(
        "SELECT unit_id, year, opened_on::text, ballots_cast, closed_on::text FROM dangan.appraisals WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let unit_id: Id = head.get(0);
    let opened_on = day("appraisals", id, head.get(2))?.ok_or(LoadError::Corrupt("appraisals", id))?;
    let head = AppraisalHead {
        id,
        unit_id,
        unit: branch_path(units, unit_id),
        year: head.get(1),
        opened_on,
        ballots_cast: head.get::<_, Option<i32>>(3).and_then(|b| u32::try_from(b).ok()),
        closed_on: day("appraisals", id, head.get(4))?,
    };
    let mut steps = Vec::new();
    for r in client.query("SELECT step, date::text FROM dangan.appraisal_steps WHERE appraisal_id = $1", &[&id])? {
        let step = AppraisalStep::parse(r.get(0)).ok_or(LoadError::Corrupt("appraisal_steps", id))?;
        let date = day("appraisal_steps", id, r.get(1))?.ok_or(LoadError::Corrupt("appraisal_steps", id))?;
        steps.push(StepDate { step, date });
    }
    steps.sort_by_key(|s| (s.step, s.date));
    let mut participants = Vec::new();
    for r in client.query(
        "SELECT m.person_id, p.name, p.student_no, m.graded, m.excellent, m.qualified, m.basically_qualified,
                m.unqualified, m.proposed, m.grade, m.reason, c.from_on::text, c.months, c.outcome, c.decided_on::text,
                c.note, p.status = 'in_register'
         FROM dangan.appraisal_members m JOIN dangan.people p ON p.id = m.person_id
         LEFT JOIN dangan.corrections c ON c.appraisal_id = m.appraisal_id AND c.person_id = m.person_id
         WHERE m.appraisal_id = $1 ORDER BY p.sort_key, p.id",
        &[&id],
    )? {
        let count = |i: usize| r.get::<_, Option<i32>>(i).and_then(|n| u32::try_from(n).ok());
        let votes = match [count(4), count(5), count(6), count(7)] {
            [Some(excellent), Some(qualified), Some(basically_qualified), Some(unqualified)] => {
                Some(Votes { excellent, qualified, basically_qualified, unqualified })
            }
            _ => None,
        };
        let grade = |i: usize| -> std::result::Result<Option<Grade>, LoadError> {
            r.get::<_, Option<&str>>(i)
                .map(|g| Grade::parse(g).ok_or(LoadError::Corrupt("appraisal_members", id)))
                .transpose()
        };
        let correction = match day("corrections", id, r.get(11))? {
            Some(from) => {
                let months = u32::try_from(r.get::<_, i32>(12)).unwrap_or(0);
                Some(Correction {
                    from,
                    until: crate::calendar::add_months(from, months).unwrap_or(from),
                    outcome: r
                        .get::<_, Option<&str>>(13)
                        .map(|o| CorrectionOutcome::parse(o).ok_or(LoadError::Corrupt("corrections", id)))
                        .transpose()?,
                    decided_on: day("corrections", id, r.get(14))?,
                    note: r.get(15),
                })
            }
            None => None,
        };
        participants.push(Participant {
            person_id: r.get(0),
            name: r.get(1),
            student_no: r.get(2),
            graded: r.get(3),
            in_register: r.get(16),
            votes,
            proposed: grade(8)?,
            grade: grade(9)?,
            reason: r.get(10),
            correction,
        });
    }
    Ok(Some(assembled(head, steps, participants, rules)))
}

/// The corrections still open of members in the register the user reads: the deadline scan's
/// items (`life_index::Awaiting::Correction`).
pub(super) fn open_corrections(
    client: &mut impl GenericClient,
) -> std::result::Result<Vec<crate::store::life_index::Awaited>, postgres::Error> {
    let rows = client.query(
        "SELECT c.person_id, p.name, p.branch_id, c.from_on::text, c.months
         FROM dangan.corrections c JOIN dangan.people p ON p.id = c.person_id
         WHERE c.outcome IS NULL AND p.status = 'in_register' ORDER BY c.person_id",
        &[],
    )?;
    let mut out = Vec::new();
    for r in rows {
        let Ok(from) = r.get::<_, String>(3).parse::<Date>() else { continue };
        let months = u32::try_from(r.get::<_, i32>(4)).unwrap_or(0);
        let until = crate::calendar::add_months(from, months).unwrap_or(from);
        let name: String = r.get(1);
        out.push(crate::store::life_index::Awaited {
            person_id: r.get(0),
            name: name.into(),
            branch_id: r.get(2),
            what: crate::store::life_index::Awaiting::Correction { until },
        });
    }
    Ok(out)
}
