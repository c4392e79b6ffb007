//! The democratic appraisal as the store keeps it (`appraisals`, `appraisal_steps`,
//! `appraisal_members`, `corrections`): opened for a branch and a year with who takes part as of
//! its day, the steps dated, the vote's counts with the proposal they make, each grade decided,
//! and the close that files each grade as the member's 民主评议 record and starts an
//! unsatisfactory member's correction period (an item of the deadline scan, `life_index.rs`). The
//! rules are `appraisal.rs`.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use super::org::OrgTree;
use super::people::{corrupt_row, load_events, load_person};
use crate::access::Action;
use crate::appraisal::{
    self, Appraisal, AppraisalRules, AppraisalStep, Correction, CorrectionOutcome, GradeDecision, Participant,
    StepDate, VoteRow, Votes,
};
use crate::calendar::{self, Date};
use crate::domain::{FileRecord, Grade, Id, MembershipStatus, OrgKind, RecordFields, RecordKind, Stage};
use crate::{Error, Result, Text};

fn day(table: &str, id: Id, text: Option<String>) -> Result<Option<Date>> {
    text.map(|t| calendar::parse_iso(&t).ok_or_else(|| corrupt_row(table, id))).transpose()
}

/// Reads an appraisal whole: its steps and participants (in the member list's order) with their
/// corrections.
fn load(conn: &Connection, tree: &OrgTree, rules: &AppraisalRules, id: Id) -> Result<Option<Appraisal>> {
    /// The unit, year, opening, ballots and close as stored.
    type Head = (Id, i32, String, Option<u32>, Option<String>);
    let head: Option<Head> = conn
        .prepare_cached("SELECT unit_id, year, opened_on, ballots_cast, closed_on FROM appraisals WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    let Some((unit_id, year, opened_on, ballots_cast, closed_on)) = head else { return Ok(None) };
    let mut steps = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT step, date FROM appraisal_steps WHERE appraisal_id = ?1")?;
    for row in stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (step, date) = row?;
        let step = AppraisalStep::parse(&step).ok_or_else(|| corrupt_row("appraisal_steps", id))?;
        let date = day("appraisal_steps", id, Some(date))?.ok_or_else(|| corrupt_row("appraisal_steps", id))?;
        steps.push(StepDate { step, date });
    }
    steps.sort_by_key(|s| (s.step, s.date));
    let mut stmt = conn.prepare_cached(
        "SELECT m.person_id, p.name, p.student_no, m.graded, m.excellent, m.qualified, m.basically_qualified,
                m.unqualified, m.proposed, m.grade, m.reason, c.from_on, c.months, c.outcome, c.decided_on, c.note,
                p.status = 'in_register'
         FROM appraisal_members m JOIN people p ON p.id = m.person_id
         LEFT JOIN corrections c ON c.appraisal_id = m.appraisal_id AND c.person_id = m.person_id
         WHERE m.appraisal_id = ?1 ORDER BY p.sort_key, p.id",
    )?;
    let mut rows = stmt.query([id])?;
    let mut participants = Vec::new();
    while let Some(r) = rows.next()? {
        let counts: [Option<u32>; 4] = [r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?];
        let votes = match counts {
            [Some(excellent), Some(qualified), Some(basically_qualified), Some(unqualified)] => {
                Some(Votes { excellent, qualified, basically_qualified, unqualified })
            }
            _ => None,
        };
        let grade = |i: usize| -> Result<Option<Grade>> {
            let text: Option<String> = r.get(i)?;
            text.map(|g| Grade::parse(&g).ok_or_else(|| corrupt_row("appraisal_members", id))).transpose()
        };
        let correction = match day("corrections", id, r.get(11)?)? {
            Some(from) => {
                let months: u32 = r.get(12)?;
                let outcome: Option<String> = r.get(13)?;
                Some(Correction {
                    from,
                    until: calendar::add_months(from, months).unwrap_or(from),
                    outcome: outcome
                        .map(|o| CorrectionOutcome::parse(&o).ok_or_else(|| corrupt_row("corrections", id)))
                        .transpose()?,
                    decided_on: day("corrections", id, r.get(14)?)?,
                    note: r.get(15)?,
                })
            }
            None => None,
        };
        participants.push(Participant {
            person_id: r.get(0)?,
            name: r.get(1)?,
            student_no: r.get(2)?,
            graded: r.get(3)?,
            in_register: r.get(16)?,
            votes,
            proposed: grade(8)?,
            grade: grade(9)?,
            reason: r.get(10)?,
            correction,
        });
    }
    let opened_on = day("appraisals", id, Some(opened_on))?.ok_or_else(|| corrupt_row("appraisals", id))?;
    let head = AppraisalHead {
        id,
        unit_id,
        unit: tree.path(unit_id),
        year,
        opened_on,
        ballots_cast,
        closed_on: day("appraisals", id, closed_on)?,
    };
    Ok(Some(assembled(head, steps, participants, rules)))
}

/// An appraisal's own row as either engine reads it, its unit named by path.
pub(crate) struct AppraisalHead {
    pub(crate) id: Id,
    pub(crate) unit_id: Id,
    pub(crate) unit: String,
    pub(crate) year: i32,
    pub(crate) opened_on: Date,
    pub(crate) ballots_cast: Option<u32>,
    pub(crate) closed_on: Option<Date>,
}

/// An appraisal whole from its row, its steps (in step order) and its participants (in the
/// member list's order), with what the rules make of them.
pub(crate) fn assembled(
    head: AppraisalHead,
    steps: Vec<StepDate>,
    participants: Vec<Participant>,
    rules: &AppraisalRules,
) -> Appraisal {
    let graded = participants.iter().filter(|p| p.graded).count() as u32;
    Appraisal {
        id: head.id,
        unit_id: head.unit_id,
        unit: head.unit,
        year: head.year,
        opened_on: head.opened_on,
        steps,
        ballots_cast: head.ballots_cast,
        closed_on: head.closed_on,
        participants,
        graded,
        excellent_cap: rules.excellent_cap(graded),
    }
}

fn appraisal_not_found(what: String, what_en: String) -> Error {
    Error::NotFound { what: Text::new(what, what_en) }
}

pub(crate) fn closed(appraisal: &Appraisal) -> Error {
    let on = appraisal.closed_on.map(calendar::format_zh).unwrap_or_default();
    Error::invalid(
        "appraisal",
        format!("{}{}年度的民主评议已于 {on} 结束，不能再更改", appraisal.unit, appraisal.year),
        format!(
            "the appraisal of {} for {} closed on {}: it no longer changes",
            appraisal.unit,
            appraisal.year,
            appraisal.closed_on.map(|d| d.to_string()).unwrap_or_default()
        ),
    )
}

pub(crate) fn participant(appraisal: &Appraisal, person_id: Id) -> Result<&Participant> {
    appraisal.participants.iter().find(|p| p.person_id == person_id).ok_or_else(|| {
        Error::invalid(
            "member",
            format!("编号为 {person_id} 的人员没有参加{}{}年度的民主评议", appraisal.unit, appraisal.year),
            format!("person {person_id} takes no part in the appraisal of {} for {}", appraisal.unit, appraisal.year),
        )
    })
}

/// Who of a branch takes part in an appraisal held on `on`: its members who were in the register
/// that day, full members (graded) or probationary members (not graded), their procedure not
/// ended by then. The branch is the one each belongs to now (branches are not kept over time).
fn participants_on(conn: &Connection, branch: Id, on: Date) -> Result<Vec<(Id, bool)>> {
    let ids: Vec<Id> = conn
        .prepare_cached("SELECT id FROM people WHERE branch_id = ?1 ORDER BY id")?
        .query_map([branch], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for id in ids {
        let history = super::status::load_history(conn, id)?;
        let Some(person) = load_person(conn, id)? else { continue };
        if let Some(graded) = takes_part(person, load_events(conn, id)?, &history, on) {
            out.push((id, graded));
        }
    }
    Ok(out)
}

/// Whether someone takes part in an appraisal held on `on`, and graded or not: a member who was
/// in the register that day, full (graded) or probationary (not graded), their procedure not
/// ended by then (`history`: their status changes in date order). On either engine.
pub(crate) fn takes_part(
    person: crate::domain::Person,
    events: Vec<crate::domain::ProcedureEvent>,
    history: &[crate::domain::StatusChange],
    on: Date,
) -> Option<bool> {
    let in_register_then = match history.iter().rfind(|c| c.date <= on) {
        Some(change) => change.status == MembershipStatus::InRegister,
        // A history that begins with 在册 begins with an arrival: before it, not here.
        None => history.first().is_none_or(|c| c.status != MembershipStatus::InRegister),
    };
    if !in_register_then {
        return None;
    }
    let events: Vec<_> = events.into_iter().filter(|e| e.date <= on).collect();
    if events.iter().any(|e| e.kind == crate::domain::EventKind::MembershipEnded) {
        return None;
    }
    let joined = person.joined_on.filter(|&j| j <= on);
    match Stage::of_person(&crate::domain::Person { joined_on: joined, ..person }, &events) {
        Stage::FullMember => Some(true),
        Stage::Probationary => Some(false),
        _ => None,
    }
}

impl Store {
    fn appraisal_rules(&self) -> &AppraisalRules {
        self.rules.appraisal()
    }

    /// Opens the appraisal of `year` on `opened_on` for the branch `unit`, or for every branch
    /// under it that has none yet. Who takes part is read as of that day. A branch asked for by
    /// itself that has one already is refused, naming it.
    pub fn open_appraisals(&mut self, unit: Id, year: i32, opened_on: Date) -> Result<Vec<Appraisal>> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        appraisal::check_opening(year, opened_on, self.today())?;
        let tree = OrgTree::load(&self.conn)?;
        let Some(asked) = tree.get(unit) else {
            return Err(Error::invalid(
                "branch",
                format!("没有编号为 {unit} 的组织"),
                format!("no unit has id {unit}"),
            ));
        };
        let branches: Vec<Id> = if asked.kind == OrgKind::Branch {
            vec![unit]
        } else {
            tree.subtree(unit).into_iter().filter(|&u| tree.get(u).is_some_and(|u| u.kind == OrgKind::Branch)).collect()
        };
        for &branch in &branches {
            self.require_branch(Action::EditMembers, branch)?;
        }
        let mut opened = Vec::new();
        {
            for &branch in &branches {
                let existing: Option<String> = tx
                    .query_row(
                        "SELECT opened_on FROM appraisals WHERE unit_id = ?1 AND year = ?2",
                        params![branch, year],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(on) = existing {
                    if asked.kind == OrgKind::Branch {
                        return Err(Error::invalid(
                            "branch",
                            format!("{}{year}年度的民主评议已于 {on} 开始", tree.path(branch)),
                            format!("the appraisal of {} for {year} was opened on {on}", tree.path(branch)),
                        ));
                    }
                    continue;
                }
                tx.execute(
                    "INSERT INTO appraisals (unit_id, year, opened_on) VALUES (?1, ?2, ?3)",
                    params![branch, year, opened_on.to_string()],
                )?;
                let id = tx.last_insert_rowid();
                // Someone appraised this year already (in the branch they came from) is not twice.
                let mut add = tx.prepare_cached(
                    "INSERT INTO appraisal_members (appraisal_id, person_id, graded)
                     SELECT ?1, ?2, ?3 WHERE NOT EXISTS (
                         SELECT 1 FROM appraisal_members m JOIN appraisals a ON a.id = m.appraisal_id
                         WHERE a.year = ?4 AND m.person_id = ?2)",
                )?;
                for (person_id, graded) in participants_on(&tx, branch, opened_on)? {
                    add.execute(params![id, person_id, graded, year])?;
                }
                opened.push(id);
            }
            tx.commit()?;
        }
        opened.into_iter().map(|id| self.find_appraisal(id)).collect()
    }

    fn find_appraisal(&self, id: Id) -> Result<Appraisal> {
        let tree = OrgTree::load(&self.conn)?;
        load(&self.conn, &tree, self.appraisal_rules(), id)?
            .ok_or_else(|| appraisal_not_found(format!("编号为 {id} 的民主评议"), format!("appraisal {id}")))
    }

    /// One appraisal by its id.
    pub fn appraisal(&self, id: Id) -> Result<Appraisal> {
        let appraisal = self.find_appraisal(id)?;
        self.require_branch(Action::ReadMembers, appraisal.unit_id)?;
        Ok(appraisal)
    }

    /// The appraisal of a branch for a year.
    pub fn appraisal_of(&self, unit: Id, year: i32) -> Result<Appraisal> {
        self.require_branch(Action::ReadMembers, unit)?;
        let id: Option<Id> = self
            .conn
            .query_row("SELECT id FROM appraisals WHERE unit_id = ?1 AND year = ?2", params![unit, year], |r| r.get(0))
            .optional()?;
        let tree = OrgTree::load(&self.conn)?;
        let name = tree.path(unit);
        match id {
            Some(id) => self.find_appraisal(id),
            None => Err(appraisal_not_found(
                format!("{name}{year}年度的民主评议（尚未开始）"),
                format!("an appraisal of {name} for {year} (not opened)"),
            )),
        }
    }

    /// The appraisals of a year the user may see (under `unit`, or all), in tree order.
    pub fn appraisals(&self, year: i32, unit: Option<Id>) -> Result<Vec<Appraisal>> {
        self.require(Action::ReadMembers)?;
        let tree = OrgTree::load(&self.conn)?;
        let shown = self.units_shown(&tree, unit)?;
        let ids: Vec<(Id, Id)> = self
            .conn
            .prepare_cached("SELECT id, unit_id FROM appraisals WHERE year = ?1")?
            .query_map([year], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let order: HashMap<Id, usize> = tree.units().iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let mut out = Vec::new();
        for (id, unit_id) in ids {
            if shown.as_ref().is_none_or(|s| s.contains(&unit_id)) {
                let found = load(&self.conn, &tree, self.appraisal_rules(), id)?
                    .ok_or_else(|| corrupt_row("appraisals", id))?;
                out.push(found);
            }
        }
        out.sort_by_key(|a| order.get(&a.unit_id).copied().unwrap_or(usize::MAX));
        Ok(out)
    }

    /// An appraisal to change: found, the user allowed on its branch, not closed.
    fn open_for_change(&self, id: Id) -> Result<Appraisal> {
        let appraisal = self.find_appraisal(id)?;
        self.require_branch(Action::EditMembers, appraisal.unit_id)?;
        if appraisal.closed_on.is_some() {
            return Err(closed(&appraisal));
        }
        Ok(appraisal)
    }

    /// Dates a step (or, `None`, takes its day back).
    pub fn date_appraisal_step(&mut self, id: Id, step: AppraisalStep, date: Option<Date>) -> Result<Appraisal> {
        let appraisal = self.find_appraisal(id)?;
        self.require_branch(Action::EditMembers, appraisal.unit_id)?;
        check_step(&appraisal, step, date, self.today())?;
        match date {
            Some(date) => {
                self.conn.execute(
                    "INSERT INTO appraisal_steps (appraisal_id, step, date) VALUES (?1, ?2, ?3)
                     ON CONFLICT (appraisal_id, step) DO UPDATE SET date = excluded.date",
                    params![id, step.as_str(), date.to_string()],
                )?;
            }
            None => {
                self.conn.execute(
                    "DELETE FROM appraisal_steps WHERE appraisal_id = ?1 AND step = ?2",
                    params![id, step.as_str()],
                )?;
            }
        }
        self.find_appraisal(id)
    }

    /// Records the vote: the ballots cast and the counts of the members given (the others keep
    /// theirs), all or none. Each member's counts are checked against the ballots, the members'
    /// counts already entered too when the ballots change; the proposal follows the rule.
    pub fn record_votes(&mut self, id: Id, ballots_cast: u32, rows: &[VoteRow]) -> Result<Appraisal> {
        let tx = self.begin_change()?;
        let appraisal = self.open_for_change(id)?;
        let problems = vote_problems(&appraisal, ballots_cast, rows);
        if !problems.is_empty() {
            let (zh, en): (Vec<String>, Vec<String>) = problems.into_iter().unzip();
            return Err(Error::invalid("votes", zh.join("；"), en.join("; ")));
        }
        let rule = self.appraisal_rules().proposal;
        tx.execute("UPDATE appraisals SET ballots_cast = ?2 WHERE id = ?1", params![id, ballots_cast])?;
        {
            let mut set = tx.prepare_cached(
                "UPDATE appraisal_members SET excellent = ?3, qualified = ?4, basically_qualified = ?5,
                     unqualified = ?6, proposed = ?7
                 WHERE appraisal_id = ?1 AND person_id = ?2",
            )?;
            for row in rows {
                let v = row.votes;
                let proposed = v.propose(rule).map(Grade::as_str);
                set.execute(params![
                    id,
                    row.person_id,
                    v.excellent,
                    v.qualified,
                    v.basically_qualified,
                    v.unqualified,
                    proposed
                ])?;
            }
        }
        tx.commit()?;
        self.find_appraisal(id)
    }

    /// Sets the branch's proposed grade of a member by hand (or clears it).
    pub fn propose_grade(&mut self, id: Id, person_id: Id, grade: Option<Grade>) -> Result<Appraisal> {
        let appraisal = self.open_for_change(id)?;
        let who = participant(&appraisal, person_id)?;
        if grade.is_some() && !who.graded {
            // Refused, naming the rule: a probationary member is not graded.
            appraisal::check_grade(&appraisal, who, Grade::Qualified, None, self.appraisal_rules())?;
        }
        self.conn.execute(
            "UPDATE appraisal_members SET proposed = ?3 WHERE appraisal_id = ?1 AND person_id = ?2",
            params![id, person_id, grade.map(Grade::as_str)],
        )?;
        self.find_appraisal(id)
    }

    /// Decides a member's grade, checked against the rules and the grades decided so far.
    pub fn grade_member(&mut self, id: Id, decision: &GradeDecision) -> Result<Appraisal> {
        let appraisal = self.open_for_change(id)?;
        let who = participant(&appraisal, decision.person_id)?;
        let reason = appraisal::check_reason(decision.reason.as_deref())?;
        appraisal::check_grade(&appraisal, who, decision.grade, reason.as_deref(), self.appraisal_rules())?;
        self.conn.execute(
            "UPDATE appraisal_members SET grade = ?3, reason = ?4 WHERE appraisal_id = ?1 AND person_id = ?2",
            params![id, decision.person_id, decision.grade.as_str(), reason],
        )?;
        self.find_appraisal(id)
    }

    /// Closes the appraisal on `date`: every graded member needs their grade. Each grade goes into
    /// its member's file as the 民主评议 record; an unsatisfactory member's correction period
    /// begins (第三十条), an item of the deadline scan until its outcome is recorded.
    pub fn close_appraisal(&mut self, id: Id, date: Date) -> Result<Appraisal> {
        let tx = self.begin_change()?;
        let appraisal = self.open_for_change(id)?;
        check_close(&appraisal, date, self.today())?;
        let months = self.appraisal_rules().correction_months;
        for p in appraisal.participants.iter().filter(|p| p.graded) {
            let Some(record) = filed_record(&appraisal, p, date) else { continue };
            let grade = p.grade.unwrap_or(Grade::Qualified);
            let record_id = super::files::insert_record(&tx, &record, &[])?;
            // Cached, as the record's insert: once a member.
            tx.prepare_cached(
                "UPDATE appraisal_members SET record_id = ?3 WHERE appraisal_id = ?1 AND person_id = ?2",
            )?
            .execute(params![id, p.person_id, record_id])?;
            if grade == Grade::Unqualified {
                tx.prepare_cached(
                    "INSERT INTO corrections (appraisal_id, person_id, from_on, months) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![id, p.person_id, date.to_string(), months])?;
            }
        }
        tx.execute(
            "INSERT INTO appraisal_steps (appraisal_id, step, date) VALUES (?1, 'decision', ?2)
             ON CONFLICT (appraisal_id, step) DO NOTHING",
            params![id, date.to_string()],
        )?;
        tx.execute("UPDATE appraisals SET closed_on = ?2 WHERE id = ?1", params![id, date.to_string()])?;
        tx.commit()?;
        self.awaited_changed();
        self.find_appraisal(id)
    }

    /// Records how an unsatisfactory member's correction ended (第三十一条): its item is done.
    pub fn end_correction(
        &mut self,
        id: Id,
        person_id: Id,
        outcome: CorrectionOutcome,
        date: Date,
        note: Option<&str>,
    ) -> Result<Appraisal> {
        let appraisal = self.find_appraisal(id)?;
        // The member's branch now decides (the item is theirs), whichever branch appraised them.
        self.require_member(Action::EditMembers, person_id)?;
        let note = check_correction_end(&appraisal, person_id, date, note, self.today())?;
        self.conn.execute(
            "UPDATE corrections SET outcome = ?3, decided_on = ?4, note = ?5 WHERE appraisal_id = ?1 AND person_id = ?2",
            params![id, person_id, outcome.as_str(), date.to_string(), note],
        )?;
        self.awaited_changed();
        self.find_appraisal(id)
    }

    /// Each member's grade in the closed appraisals of `year`, for the annual report.
    pub(super) fn appraisal_grades(&self, year: i32) -> Result<HashMap<Id, Grade>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.person_id, m.grade FROM appraisal_members m JOIN appraisals a ON a.id = m.appraisal_id
             WHERE a.year = ?1 AND a.closed_on IS NOT NULL AND m.grade IS NOT NULL",
        )?;
        let mut out = HashMap::new();
        for row in stmt.query_map([year], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))? {
            let (person, grade) = row?;
            if let Some(grade) = Grade::parse(&grade) {
                out.insert(person, grade);
            }
        }
        Ok(out)
    }
}

/// Refuses to change the grade, kind or day of a 民主评议 record a closed appraisal filed, or to
/// delete it (`None`): the appraisal does not change, and its record says what it decided. Its
/// text and scans may still be added to.
pub(super) fn refuse_changing_filed_grade(
    conn: &Connection,
    record_id: Id,
    changed: Option<&FileRecord>,
) -> Result<()> {
    let filed: Option<(i32, String, String)> = conn
        .prepare_cached(
            "SELECT a.year, a.closed_on, m.grade FROM appraisal_members m JOIN appraisals a ON a.id = m.appraisal_id
             WHERE m.record_id = ?1",
        )?
        .query_row([record_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    filed_grade_stays(filed, changed)
}

/// The rule of [`refuse_changing_filed_grade`] on either engine: `filed` is the year, the day
/// closed and the grade of the appraisal that filed the record, if one did.
pub(crate) fn filed_grade_stays(filed: Option<(i32, String, String)>, changed: Option<&FileRecord>) -> Result<()> {
    let Some((year, closed_on, grade)) = filed else { return Ok(()) };
    let same = changed.is_some_and(|r| {
        r.kind == RecordKind::Appraisal
            && r.fields.grade.map(Grade::as_str) == Some(grade.as_str())
            && r.date.to_string() == closed_on
    });
    if same {
        return Ok(());
    }
    Err(Error::invalid(
        "record",
        format!("这份民主评议记录由{year}年度的民主评议写入，其等次和日期不能在档案中更改或删除"),
        format!(
            "this appraisal record was filed by the appraisal of {year}: its grade and day are not changed or deleted here"
        ),
    ))
}

/// What is wrong with a vote, each problem in both languages: ballots, members who take no part,
/// probationary members, counts past the ballots (those given and those already entered).
pub(crate) fn vote_problems(appraisal: &Appraisal, ballots_cast: u32, rows: &[VoteRow]) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if ballots_cast == 0 {
        problems.push(("收回的测评票应多于 0 张".to_owned(), "the ballots cast must be more than 0".to_owned()));
        return problems;
    }
    let given: HashMap<Id, &Votes> = rows.iter().map(|r| (r.person_id, &r.votes)).collect();
    for row in rows {
        match appraisal.participants.iter().find(|p| p.person_id == row.person_id) {
            None => problems.push((
                format!("编号为 {} 的人员没有参加本次民主评议", row.person_id),
                format!("person {} takes no part in this appraisal", row.person_id),
            )),
            Some(p) if !p.graded && row.votes.total() > 0 => problems.push((
                format!("{}是预备党员，不参加测评", p.name),
                format!("{} is a probationary member: not voted on", p.name),
            )),
            Some(p) => {
                if let Err(e) = appraisal::check_votes(&p.name, &row.votes, ballots_cast) {
                    let why = e.text();
                    problems.push((why.zh, why.en));
                }
            }
        }
    }
    // Counts entered before stay: they must fit the ballots too.
    for p in appraisal.participants.iter().filter(|p| !given.contains_key(&p.person_id)) {
        if let Some(votes) = &p.votes
            && let Err(e) = appraisal::check_votes(&p.name, votes, ballots_cast)
        {
            let why = e.text();
            problems.push((why.zh, why.en));
        }
    }
    problems
}

/// The rules of dating a step, on either engine: a closed appraisal changes no more, but for the
/// announcement of its results, after the close; a day of the appraisal's year, not after today.
pub(crate) fn check_step(appraisal: &Appraisal, step: AppraisalStep, date: Option<Date>, today: Date) -> Result<()> {
    // The results are announced after the decision: that step may be dated once closed.
    match step {
        AppraisalStep::Announcement => {
            if let (Some(closed), Some(day)) = (appraisal.closed_on, date) {
                appraisal::check_between(day, (closed, "评议结束", "the close"), today)?;
            }
        }
        _ if appraisal.closed_on.is_some() => return Err(closed(appraisal)),
        _ => {}
    }
    if let Some(date) = date {
        appraisal::check_opening(appraisal.year, date, today).map_err(|e| match e {
            Error::InvalidInput { reason, .. } => Error::InvalidInput { field: "date".into(), reason },
            other => other,
        })?;
    }
    Ok(())
}

/// The rules of closing, on either engine: a day from the opening to today, and every graded
/// member still in the register given their grade.
pub(crate) fn check_close(appraisal: &Appraisal, date: Date, today: Date) -> Result<()> {
    appraisal::check_between(date, (appraisal.opened_on, "评议开始", "the opening"), today)?;
    let ungraded: Vec<&str> = appraisal
        .participants
        .iter()
        .filter(|p| p.graded && p.in_register && p.grade.is_none())
        .map(|p| p.name.as_str())
        .collect();
    if !ungraded.is_empty() {
        let joined = ungraded.join("、");
        let names = crate::text::excerpt(&joined, 120);
        return Err(Error::invalid(
            "grade",
            format!("尚有 {} 名党员未评定等次：{names}", ungraded.len()),
            format!("{} members have no grade yet: {names}", ungraded.len()),
        ));
    }
    Ok(())
}

/// The 民主评议 record a close files in a graded member's file (none without a grade).
pub(crate) fn filed_record(appraisal: &Appraisal, p: &Participant, date: Date) -> Option<FileRecord> {
    let grade = p.grade?;
    let mut body = format!("{}年度民主评议党员，{}评定为{}。", appraisal.year, appraisal.unit, grade.label().zh);
    if let Some(reason) = &p.reason {
        body.push_str(&format!("理由：{reason}"));
    }
    Some(FileRecord {
        version: None,
        id: None,
        person_id: p.person_id,
        kind: RecordKind::Appraisal,
        date,
        event_id: None,
        title: Some(format!("{}年度民主评议", appraisal.year)),
        body,
        fields: RecordFields { grade: Some(grade), ..RecordFields::default() },
        attachments: Vec::new(),
    })
}

/// The rules of ending a correction, on either engine: a participant whose correction has no
/// outcome yet, a day from its start to today; returns the note as kept.
pub(crate) fn check_correction_end(
    appraisal: &Appraisal,
    person_id: Id,
    date: Date,
    note: Option<&str>,
    today: Date,
) -> Result<Option<String>> {
    let who = participant(appraisal, person_id)?;
    let Some(correction) = &who.correction else {
        return Err(Error::invalid(
            "member",
            format!("{}没有限期改正", who.name),
            format!("{} has no correction period", who.name),
        ));
    };
    if correction.outcome.is_some() {
        return Err(Error::invalid(
            "member",
            format!("{}的限期改正已有结论", who.name),
            format!("{}'s correction already has its outcome", who.name),
        ));
    }
    appraisal::check_between(date, (correction.from, "改正期开始", "the correction's start"), today)?;
    appraisal::check_reason(note)
}
