//! Training classes and a member's own study as the store keeps them (issue 16): a class with its
//! sessions, its trainees, who attended which session, each trainee's exam and result; passing a
//! development targets' class records each trainee's centralised training step.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{OptionalExtension, params};

use super::Store;
use super::people::corrupt_row;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::domain::Person;
use crate::domain::{
    ClassKind, ClassRecord, ClassSession, Id, ProcedureEvent, StudyEntry, Trainee, TraineeResult, TrainingClass,
};
use crate::meeting_rules::TrainingRule;
use crate::{Error, Result, Text};

/// Why a trainee who passed cannot have the centralised training step (细则第十七条), in both languages.
pub(crate) fn below_rule(trainee: &Trainee, rule: TrainingRule, clause: &Text) -> (String, String) {
    let hours = crate::study::hours_of(u64::from(trainee.minutes));
    (
        format!(
            "{}只参加了 {} 天、{hours} 学时，不足 {} 天或 {} 学时（{}）",
            trainee.name, trainee.days, rule.min_days, rule.min_hours, clause.zh
        ),
        format!(
            "{} attended {} day(s), {hours} hour(s): less than {} days or {} hours ({})",
            trainee.name, trainee.days, rule.min_days, rule.min_hours, clause.en
        ),
    )
}

pub(crate) fn class_not_found() -> Error {
    Error::NotFound { what: Text::new("该培训班", "the training class") }
}

impl Store {
    /// Records a class with its sessions (new when its id is `None`). Sessions keep their
    /// attendance when kept; a session left out is deleted with its attendance.
    pub fn save_class(&mut self, class: TrainingClass) -> Result<ClassRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let tree = self.org_tree()?;
        if tree.get(class.unit_id).is_none() {
            return Err(class_unit_not_found());
        }
        self.require_branch(Action::ReadMembers, class.unit_id)?;
        let class = crate::training::check_class(class)?;
        let id = match class.id {
            None => {
                tx.execute(
                    "INSERT INTO training_classes (unit_id, kind, name, starts, ends) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        class.unit_id,
                        class.kind.as_str(),
                        class.name,
                        class.starts.to_string(),
                        class.ends.to_string()
                    ],
                )?;
                tx.last_insert_rowid()
            }
            Some(id) => {
                let stored: Option<Id> = tx
                    .query_row("SELECT unit_id FROM training_classes WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?;
                let stored = stored.ok_or_else(class_not_found)?;
                self.require_branch(Action::ReadMembers, stored)?;
                tx.execute(
                    "UPDATE training_classes SET unit_id = ?1, kind = ?2, name = ?3, starts = ?4, ends = ?5 WHERE id = ?6",
                    params![
                        class.unit_id,
                        class.kind.as_str(),
                        class.name,
                        class.starts.to_string(),
                        class.ends.to_string(),
                        id
                    ],
                )?;
                id
            }
        };
        let kept: Vec<Id> = class.sessions.iter().filter_map(|s| s.id).collect();
        let existing: Vec<Id> = tx
            .prepare("SELECT id FROM class_sessions WHERE class_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(stray) = kept.iter().find(|k| !existing.contains(k)) {
            return Err(stray_session(*stray));
        }
        for gone in existing.iter().filter(|e| !kept.contains(e)) {
            tx.execute("DELETE FROM class_sessions WHERE id = ?1", [gone])?;
        }
        for session in &class.sessions {
            let topic = session.topic.as_deref().map(str::trim).filter(|t| !t.is_empty());
            match session.id {
                Some(sid) => tx.execute(
                    "UPDATE class_sessions SET date = ?1, minutes = ?2, topic = ?3 WHERE id = ?4",
                    params![session.date.to_string(), session.minutes, topic, sid],
                )?,
                None => tx.execute(
                    "INSERT INTO class_sessions (class_id, date, minutes, topic) VALUES (?1, ?2, ?3, ?4)",
                    params![id, session.date.to_string(), session.minutes, topic],
                )?,
            };
        }
        tx.commit()?;
        self.class(id)
    }

    /// One class with its sessions and trainees.
    pub fn class(&self, id: Id) -> Result<ClassRecord> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        let row = self
            .conn
            .prepare_cached("SELECT unit_id, kind, name, starts, ends FROM training_classes WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()?;
        let (unit_id, kind, name, starts, ends) = row.ok_or_else(class_not_found)?;
        self.require_branch(Action::ReadMembers, unit_id)?;
        let corrupt = || corrupt_row("training_classes", id);
        let kind = ClassKind::parse(&kind).ok_or_else(corrupt)?;
        let starts = calendar::parse_iso(&starts).ok_or_else(corrupt)?;
        let ends = calendar::parse_iso(&ends).ok_or_else(corrupt)?;
        let mut sessions = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, date, minutes, topic FROM class_sessions WHERE class_id = ?1 ORDER BY date, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?, r.get::<_, Option<String>>(3)?))
        })?;
        for row in rows {
            let (sid, date, minutes, topic) = row?;
            let date = calendar::parse_iso(&date).ok_or_else(|| corrupt_row("class_sessions", sid))?;
            sessions.push(ClassSession { id: Some(sid), date, minutes, topic });
        }
        let mut attended: HashMap<Id, Vec<Id>> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.person_id, a.session_id FROM session_attendance a JOIN class_sessions s ON s.id = a.session_id
             WHERE s.class_id = ?1",
        )?;
        for row in stmt.query_map([id], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?)))? {
            let (person, session) = row?;
            attended.entry(person).or_default().push(session);
        }
        let mut trainees = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.person_id, p.name, p.branch_id, t.score, t.passed FROM trainees t JOIN people p ON p.id = t.person_id
             WHERE t.class_id = ?1 ORDER BY p.sort_key",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Id>(2)?,
                r.get::<_, Option<u32>>(3)?,
                r.get::<_, Option<bool>>(4)?,
            ))
        })?;
        for row in rows {
            let (person_id, name, branch_id, score, passed) = row?;
            let their: Vec<Id> = attended.remove(&person_id).unwrap_or_default();
            trainees.push(trainee_of(&sessions, person_id, name, tree.path(branch_id), their, score, passed));
        }
        Ok(ClassRecord {
            class: TrainingClass { version: None, id: Some(id), unit_id, kind, name, starts, ends, sessions },
            unit: tree.path(unit_id),
            trainees,
        })
    }

    /// The classes of a unit's subtree (everything the user may see when `None`) that ran in a
    /// year (all years when `None`), the latest first.
    pub fn classes(&self, unit: Option<Id>, year: Option<i32>) -> Result<Vec<ClassRecord>> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        let units = self.units_shown(&tree, unit)?;
        let (from, to) = match year {
            Some(year) => (format!("{year:04}-01-01"), format!("{year:04}-12-31")),
            None => ("0000-01-01".to_owned(), "9999-12-31".to_owned()),
        };
        let ids: Vec<(Id, Id)> = self
            .conn
            .prepare_cached(
                "SELECT id, unit_id FROM training_classes WHERE ends >= ?1 AND starts <= ?2 ORDER BY starts DESC, id DESC",
            )?
            .query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .filter(|(_, u)| units.as_ref().is_none_or(|units| units.contains(u)))
            .map(|(id, _)| self.class(id))
            .collect()
    }

    /// Deletes a class with its sessions, trainees and attendance (steps it recorded stay).
    pub fn delete_class(&mut self, id: Id) -> Result<()> {
        self.require(Action::EditMembers)?;
        self.class(id)?;
        self.conn.execute("DELETE FROM training_classes WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Enrols people in a class, in one step; someone already enrolled stays as they are. Each
    /// must be someone the user may change.
    pub fn enrol(&mut self, class_id: Id, people: &[Id]) -> Result<ClassRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        self.class(class_id)?;
        for &person in people {
            self.require_member(Action::EditMembers, person)?;
        }
        {
            let mut insert =
                tx.prepare_cached("INSERT OR IGNORE INTO trainees (class_id, person_id) VALUES (?1, ?2)")?;
            for person in people {
                insert.execute(params![class_id, person])?;
            }
        }
        tx.commit()?;
        self.class(class_id)
    }

    /// Records who attended a session: exactly these trainees (replacing what was recorded).
    pub fn set_session_attendance(&mut self, session_id: Id, present: &[Id]) -> Result<ClassRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let class_id: Id = self
            .conn
            .query_row("SELECT class_id FROM class_sessions WHERE id = ?1", [session_id], |r| r.get(0))
            .optional()?
            .ok_or_else(session_not_found)?;
        let record = self.class(class_id)?;
        check_session_attendance(&record, session_id, present, self.today())?;
        tx.execute("DELETE FROM session_attendance WHERE session_id = ?1", [session_id])?;
        {
            let mut insert =
                tx.prepare_cached("INSERT OR IGNORE INTO session_attendance (session_id, person_id) VALUES (?1, ?2)")?;
            for person in present {
                insert.execute(params![session_id, person])?;
            }
        }
        tx.commit()?;
        self.class(class_id)
    }

    /// Records trainees' exam scores and results, all or none.
    pub fn set_results(&mut self, class_id: Id, results: &[TraineeResult]) -> Result<ClassRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let record = self.class(class_id)?;
        check_results(&record, results)?;
        {
            let mut update = tx
                .prepare_cached("UPDATE trainees SET score = ?1, passed = ?2 WHERE class_id = ?3 AND person_id = ?4")?;
            for r in results {
                update.execute(params![r.score, r.passed, class_id, r.person_id])?;
            }
        }
        tx.commit()?;
        self.class(class_id)
    }

    /// For a development targets' class: records the centralised training step (dated the class's
    /// last day) of every trainee who passed and has none yet. Refused whole, naming each trainee,
    /// when one who passed attended less than the rule asks (细则第十七条: 3 days or 24 class
    /// hours) or the step would break their procedure's order. Returns who got the step.
    pub fn record_training_steps(&mut self, class_id: Id) -> Result<Vec<Id>> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let record = self.class(class_id)?;
        let mut to_record = trainees_given_the_step(&record, &self.rules, self.context(), |id| {
            // Someone the user may not change refuses the whole batch, before anything is written.
            self.require_member(Action::EditMembers, id)?;
            let Some(person) = super::people::load_person(&self.conn, id)? else { return Ok(None) };
            Ok(Some((person, super::people::load_events(&self.conn, id)?)))
        })?;
        // Every step in one transaction: all recorded, or none.
        for (id, person, events) in &mut to_record {
            super::people::write_events(&tx, *id, events)?;
            super::people::write_person(&tx, person, events)?;
        }
        tx.commit()?;
        for (id, _, _) in &to_record {
            self.refresh_index(*id)?;
        }
        Ok(to_record.into_iter().map(|(id, _, _)| id).collect())
    }

    /// A class whose certificates may print: a development targets' class refuses, naming each,
    /// when someone who passed attended less than the centralised training asks (细则第十七条),
    /// as recording their step would.
    pub fn class_for_certificates(&self, class_id: Id) -> Result<ClassRecord> {
        printable_certificates(self.class(class_id)?, &self.rules)
    }

    /// Takes trainees out of a class, with their attendance and results.
    pub fn unenrol(&mut self, class_id: Id, people: &[Id]) -> Result<ClassRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        self.class(class_id)?;
        for &person in people {
            self.require_member(Action::EditMembers, person)?;
        }
        for person in people {
            tx.execute(
                "DELETE FROM session_attendance WHERE person_id = ?1
                   AND session_id IN (SELECT id FROM class_sessions WHERE class_id = ?2)",
                params![person, class_id],
            )?;
            tx.execute("DELETE FROM trainees WHERE class_id = ?1 AND person_id = ?2", params![class_id, person])?;
        }
        tx.commit()?;
        self.class(class_id)
    }

    /// Records a member's own study (an online course, a lecture outside the branch). The same
    /// entry twice (person, day, title, time) is refused, and a day's study stays within a day.
    pub fn add_study_entry(&mut self, entry: StudyEntry) -> Result<StudyEntry> {
        self.require_member(Action::EditMembers, entry.person_id)?;
        let entry = crate::training::check_study_entry(entry, self.today())?;
        if let Some(why) = self.study_entry_conflict(&entry, 0)? {
            return Err(Error::InvalidInput { field: "date".into(), reason: why });
        }
        self.conn.execute(
            "INSERT INTO study_entries (person_id, date, minutes, title, source) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![entry.person_id, entry.date.to_string(), entry.minutes, entry.title, entry.source],
        )?;
        Ok(StudyEntry { id: Some(self.conn.last_insert_rowid()), ..entry })
    }

    /// Records a sheet of own study, all rows or none: each names a visible member by student
    /// number or by a name only one of them has, and is checked as one entered by hand against
    /// what is stored and the sheet's earlier rows, every bad row named. Read and written in one
    /// transaction, so what another process records meanwhile is checked against too.
    pub fn import_study_entries(
        &mut self,
        rows: Vec<crate::study::StudyRow>,
        problems: crate::roster::sheet::RowProblems,
        progress: &mut dyn FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let total = rows.len();
        let mut count = crate::jobs::RowCount::start(total, progress)?;
        let tx = self.begin_change_waiting(super::WAIT_FOR_WRITER, || count.waiting())?;
        self.require(Action::EditMembers)?;
        let entries = self.resolve_study_rows(rows, problems, &mut count)?;
        let mut checked = Vec::with_capacity(entries.len());
        for entry in entries {
            self.require_member(Action::EditMembers, entry.person_id)?;
            checked.push(entry);
        }
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO study_entries (person_id, date, minutes, title, source) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for e in &checked {
                insert.execute(params![e.person_id, e.date.to_string(), e.minutes, e.title, e.source])?;
            }
        }
        // Stopped while they were written: nothing recorded.
        count.at(total)?;
        tx.commit()?;
        Ok(checked.len())
    }

    /// The people a sheet of own study names, each by student number or by a name only one
    /// visible member has; every row naming nobody or several is named, and any refuses the sheet.
    fn resolve_study_rows(
        &self,
        rows: Vec<crate::study::StudyRow>,
        problems: crate::roster::sheet::RowProblems,
        count: &mut crate::jobs::RowCount<'_>,
    ) -> Result<Vec<StudyEntry>> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        let units = self.units_shown(&tree, None)?;
        let people = super::sheet_people::SheetPeople::read(&self.conn, rows.iter().map(|r| r.who.as_str()))?;
        let mut find = |who: &str| -> Result<Vec<Id>> {
            Ok(people
                .named(who)
                .filter(|p| !p.ended && units.as_ref().is_none_or(|u| u.contains(&p.branch_id)))
                .map(|p| p.id)
                .collect())
        };
        study_entries_of_sheet(rows, problems, self.today(), count, &mut find, &mut |entry, pending| {
            self.study_entry_conflict(entry, pending)
        })
    }

    /// Why an entry cannot join what is stored: the same entry already there, or the day's study
    /// (stored, plus `pending` minutes of the same sheet) beyond a day.
    fn study_entry_conflict(&self, entry: &StudyEntry, pending: u32) -> Result<Option<Text>> {
        let (same, day_minutes): (bool, u32) = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM study_entries WHERE person_id = ?1 AND date = ?2 AND title = ?3 AND minutes = ?4),
                    ifnull((SELECT sum(minutes) FROM study_entries WHERE person_id = ?1 AND date = ?2), 0)",
            params![entry.person_id, entry.date.to_string(), entry.title, entry.minutes],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(study_entry_conflict(entry, same, day_minutes + pending))
    }

    /// Deletes an entry of own study.
    pub fn delete_study_entry(&mut self, id: Id) -> Result<()> {
        let person: Option<Id> =
            self.conn.query_row("SELECT person_id FROM study_entries WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let person = person.ok_or_else(study_entry_not_found)?;
        self.require_member(Action::EditMembers, person)?;
        self.conn.execute("DELETE FROM study_entries WHERE id = ?1", [id])?;
        Ok(())
    }

    /// A member's own study in a year.
    pub fn study_entries(&self, person: Id, year: i32) -> Result<Vec<StudyEntry>> {
        self.require_member(Action::ReadMembers, person)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, date, minutes, title, source FROM study_entries WHERE person_id = ?1 AND date BETWEEN ?2 AND ?3
             ORDER BY date, id",
        )?;
        let rows = stmt.query_map(params![person, format!("{year:04}-01-01"), format!("{year:04}-12-31")], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, date, minutes, title, source) = row?;
            let date = calendar::parse_iso(&date).ok_or_else(|| corrupt_row("study_entries", id))?;
            out.push(StudyEntry { id: Some(id), person_id: person, date, minutes, title, source });
        }
        Ok(out)
    }
}

/// The entries a sheet of own study gives, each row's person found by `find` (among those the
/// user sees, not left) and checked against what is kept by `conflict` (the minutes the sheet's
/// own earlier rows add to the day given); every bad row named, and any refuses the sheet. For
/// both engines.
pub(crate) fn study_entries_of_sheet(
    rows: Vec<crate::study::StudyRow>,
    mut problems: crate::roster::sheet::RowProblems,
    today: Date,
    count: &mut crate::jobs::RowCount<'_>,
    find: &mut dyn FnMut(&str) -> Result<Vec<Id>>,
    conflict: &mut dyn FnMut(&StudyEntry, u32) -> Result<Option<Text>>,
) -> Result<Vec<StudyEntry>> {
    // The last row's count is the caller's, just before its commit (a cancel heard until then).
    let mut entries: Vec<StudyEntry> = Vec::new();
    let mut sheet_days: HashMap<(Id, Date), u32> = HashMap::new();
    // The sheet's rows so far, to find one repeated: (person, day, title, minutes).
    let mut seen: std::collections::HashSet<(Id, Date, String, u32)> = std::collections::HashSet::new();
    for (done, row) in rows.into_iter().enumerate() {
        count.at(done)?;
        let found = find(&row.who)?;
        let who = crate::text::excerpt(&row.who, 40);
        match found.as_slice() {
            [person_id] => {
                let entry = StudyEntry {
                    id: None,
                    person_id: *person_id,
                    date: row.date,
                    minutes: row.minutes,
                    title: row.title,
                    source: row.source,
                };
                let entry = match crate::training::check_study_entry(entry, today) {
                    Ok(entry) => entry,
                    Err(e) => {
                        problems.add(row.row, e.message(crate::Lang::Zh), e.message(crate::Lang::En));
                        continue;
                    }
                };
                // The sheet's own earlier rows of the day count too.
                let key = (entry.person_id, entry.date);
                let pending = sheet_days.get(&key).copied().unwrap_or(0);
                if !seen.insert((entry.person_id, entry.date, entry.title.clone(), entry.minutes)) {
                    problems.add(row.row, "与本表前面一行重复", "repeats an earlier row of the sheet");
                    continue;
                }
                if let Some(why) = conflict(&entry, pending)? {
                    problems.add(row.row, why.zh, why.en);
                    continue;
                }
                *sheet_days.entry(key).or_default() += entry.minutes;
                entries.push(entry);
            }
            [] => problems.add(row.row, format!("没有名为「{who}」的人员"), format!("nobody is named “{who}”")),
            many => problems.add(
                row.row,
                format!("有 {} 人名为「{who}」，请改用学号工号", many.len()),
                format!("{} people are named “{who}”; give the student number", many.len()),
            ),
        }
    }
    problems.refuse()?;
    Ok(entries)
}

/// The trainees of a development targets' class who get its centralised training step (dated
/// the class's last day): each who passed and has no such step yet, with their steps and the new
/// one, as `load` reads them. Refused whole, naming each trainee, when one who passed attended
/// less than the rule asks (细则第十七条: 3 days or 24 class hours) or the step would break their
/// procedure's order; refused when the class records no step. For both engines.
pub(crate) fn trainees_given_the_step(
    record: &ClassRecord,
    rules: &crate::rules::RuleSet,
    cx: crate::validate::Context<'_>,
    mut load: impl FnMut(Id) -> Result<Option<(Person, Vec<ProcedureEvent>)>>,
) -> Result<Vec<(Id, Person, Vec<ProcedureEvent>)>> {
    let Some(step) = record.class.kind.records_step() else {
        return Err(Error::invalid(
            "kind",
            format!("「{}」不是发展对象培训班，结业不记入发展程序", record.class.name),
            format!("“{}” is not a development targets' class: passing it records no step", record.class.name),
        ));
    };
    let rule = rules.life().training;
    let clause = rules.cite("centralised_training");
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut to_record = Vec::new();
    for trainee in record.trainees.iter().filter(|t| t.passed == Some(true)) {
        if !rule.is_met(trainee.days, trainee.minutes) {
            problems.push(below_rule(trainee, rule, &clause));
            continue;
        }
        let Some((person, mut events)) = load(trainee.person_id)? else { continue };
        if events.iter().any(|e| e.kind == step) {
            continue;
        }
        events.push(ProcedureEvent::new(step, record.class.ends));
        let violations = crate::validate::check_events(&person, &events, cx);
        if let Some(first) = violations.first() {
            problems.push((
                format!("{}：{}", trainee.name, first.message_zh),
                format!("{}: {}", trainee.name, first.message_en),
            ));
            continue;
        }
        to_record.push((trainee.person_id, person, events));
    }
    if !problems.is_empty() {
        let (zh, en): (Vec<String>, Vec<String>) = problems.into_iter().unzip();
        return Err(Error::invalid("trainees", zh.join("；"), en.join("; ")));
    }
    Ok(to_record)
}

/// A class whose certificates may print: a development targets' class refuses, naming each,
/// when someone who passed attended less than the centralised training asks (细则第十七条), as
/// recording their step would. For both engines.
pub(crate) fn printable_certificates(record: ClassRecord, rules: &crate::rules::RuleSet) -> Result<ClassRecord> {
    if record.class.kind.records_step().is_some() {
        let rule = rules.life().training;
        let clause = rules.cite("centralised_training");
        let problems: Vec<(String, String)> = record
            .trainees
            .iter()
            .filter(|t| t.passed == Some(true) && !rule.is_met(t.days, t.minutes))
            .map(|t| below_rule(t, rule, &clause))
            .collect();
        if !problems.is_empty() {
            let (zh, en): (Vec<String>, Vec<String>) = problems.into_iter().unzip();
            return Err(Error::invalid("trainees", zh.join("；"), en.join("; ")));
        }
    }
    Ok(record)
}

/// Who may be marked present at a session, and when: only the class's trainees, and nobody
/// before the session has taken place. For both engines.
pub(crate) fn check_session_attendance(
    record: &ClassRecord,
    session_id: Id,
    present: &[Id],
    today: Date,
) -> Result<()> {
    let session_date = record.class.sessions.iter().find(|s| s.id == Some(session_id)).map(|s| s.date);
    if session_date.is_some_and(|date| date > today) && !present.is_empty() {
        return Err(Error::invalid(
            "date",
            "该课次尚未举行，不能记录出勤",
            "the session has not taken place yet: no attendance can be recorded",
        ));
    }
    let enrolled: BTreeSet<Id> = record.trainees.iter().map(|t| t.person_id).collect();
    if let Some(stranger) = present.iter().find(|p| !enrolled.contains(p)) {
        return Err(Error::invalid(
            "present",
            format!("编号 {stranger} 的人员不是该培训班的学员"),
            format!("person {stranger} is not a trainee of the class"),
        ));
    }
    Ok(())
}

/// Results only of the class's trainees, each score 0 to 100. For both engines.
pub(crate) fn check_results(record: &ClassRecord, results: &[TraineeResult]) -> Result<()> {
    for result in results {
        let Some(trainee) = record.trainees.iter().find(|t| t.person_id == result.person_id) else {
            return Err(Error::invalid(
                "person",
                format!("编号 {} 的人员不是该培训班的学员", result.person_id),
                format!("person {} is not a trainee of the class", result.person_id),
            ));
        };
        if result.score.is_some_and(|s| s > 100) {
            return Err(Error::invalid(
                "score",
                format!("{}的成绩应为 0 至 100", trainee.name),
                format!("{}'s score must be from 0 to 100", trainee.name),
            ));
        }
    }
    Ok(())
}

/// A class's trainees as the record shows them: each with the sessions they attended (sorted),
/// their time and days. For both engines.
pub(crate) fn trainee_of(
    sessions: &[ClassSession],
    person_id: Id,
    name: String,
    branch: String,
    mut attended: Vec<Id>,
    score: Option<u32>,
    passed: Option<bool>,
) -> Trainee {
    attended.sort_unstable();
    let (minutes, days) = attendance_totals(sessions, &attended);
    Trainee { person_id, name, branch, sessions: attended, minutes, days, score, passed }
}

pub(crate) fn session_not_found() -> Error {
    Error::NotFound { what: Text::new("该课次", "the session") }
}

pub(crate) fn class_unit_not_found() -> Error {
    Error::NotFound { what: Text::new("举办培训班的组织", "the unit running the class") }
}

/// A session kept by a class edit that is not one of the class's.
pub(crate) fn stray_session(stray: Id) -> Error {
    Error::invalid(
        "sessions",
        format!("课次 {stray} 不属于该培训班"),
        format!("session {stray} is not one of the class's"),
    )
}

/// Why an entry cannot join those of its day: the same entry there already (`same`), or the day's
/// study (`day_minutes` besides it) beyond a day. For both engines.
pub(crate) fn study_entry_conflict(entry: &StudyEntry, same: bool, day_minutes: u32) -> Option<Text> {
    let day = calendar::format_zh(entry.date);
    if same {
        return Some(Text::new(
            format!("{day}的「{}」已经记录过", entry.title),
            format!("“{}” on {} is already recorded", entry.title, entry.date),
        ));
    }
    if day_minutes + entry.minutes > crate::domain::MAX_STUDY_MINUTES {
        return Some(Text::new(
            format!("{day}的个人学习合计超过 24 小时"),
            format!("the own study on {} adds up to more than 24 hours", entry.date),
        ));
    }
    None
}

pub(crate) fn study_entry_not_found() -> Error {
    Error::NotFound { what: Text::new("该条个人学习", "the study entry") }
}

/// Class time attended, in minutes, and on how many distinct days.
fn attendance_totals(sessions: &[ClassSession], attended: &[Id]) -> (u32, u32) {
    let mut days: BTreeSet<Date> = BTreeSet::new();
    let mut minutes = 0;
    for session in sessions.iter().filter(|s| s.id.is_some_and(|id| attended.contains(&id))) {
        minutes += session.minutes;
        days.insert(session.date);
    }
    (minutes, u32::try_from(days.len()).unwrap_or(u32::MAX))
}
