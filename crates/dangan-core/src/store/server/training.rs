//! Training classes on the server (version 8): a class with its sessions, trainees, attendance
//! and results, checked by the workspace's own rules (`training::check_class`,
//! `check_session_attendance`, `check_results`, `trainees_given_the_step`,
//! `printable_certificates`), read and changed under the class's unit by the server's policies.
//! Passing a development targets' class records each trainee's step as a step is recorded on the
//! server: the people locked, all or none.

use std::collections::HashMap;

use postgres::GenericClient;

use super::meetings::LoadError;
use super::people::refuse_if_changed;
use super::{ServerStore, ServerUnit, branch_path, failure, lost_at_commit};
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::{ClassKind, ClassRecord, ClassSession, Id, TraineeResult, TrainingClass};
use crate::store::groups::person_not_found;
use crate::store::training::{
    check_results, check_session_attendance, class_not_found, class_unit_not_found, printable_certificates,
    session_not_found, stray_session, trainee_of, trainees_given_the_step,
};
use crate::{Result, Text};

impl ServerStore {
    /// Records a class with its sessions (new when its id is `None`). Sessions keep their
    /// attendance when kept; a session left out is deleted with its attendance. Refused, naming
    /// who, when the class changed since the version it was read at.
    pub(crate) fn save_class(&mut self, class: TrainingClass) -> Result<ClassRecord> {
        self.require(Action::EditMembers)?;
        let units = self.units()?;
        if !units.iter().any(|u| u.id == class.unit_id) {
            return Err(class_unit_not_found());
        }
        self.require_meeting_unit(&units, class.unit_id)?;
        let class = crate::training::check_class(class)?;
        let read = self.units_read(&units);
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let (starts, ends) = (class.starts.to_string(), class.ends.to_string());
        let id: Id = match class.id {
            None => tx
                .query_one(
                    "INSERT INTO dangan.training_classes (unit_id, kind, name, starts, ends)
                     VALUES ($1, $2, $3, $4::text::date, $5::text::date) RETURNING id",
                    &[&class.unit_id, &class.kind.as_str(), &class.name, &starts, &ends],
                )
                .map_err(fail)?
                .get(0),
            Some(id) => {
                let stored = tx
                    .query_opt(
                        "SELECT unit_id, version, changed_by FROM dangan.training_classes WHERE id = $1 FOR UPDATE",
                        &[&id],
                    )
                    .map_err(fail)?
                    .ok_or_else(class_not_found)?;
                super::meetings::check_meeting_unit(&units, &read, stored.get(0))?;
                refuse_if_changed(|| class_named(&class.name), class.version, (stored.get(1), stored.get(2)))?;
                tx.execute(
                    "UPDATE dangan.training_classes SET unit_id = $1, kind = $2, name = $3, starts = $4::text::date,
                         ends = $5::text::date WHERE id = $6",
                    &[&class.unit_id, &class.kind.as_str(), &class.name, &starts, &ends, &id],
                )
                .map_err(fail)?;
                id
            }
        };
        let kept: Vec<Id> = class.sessions.iter().filter_map(|s| s.id).collect();
        let existing: Vec<Id> = tx
            .query("SELECT id FROM dangan.class_sessions WHERE class_id = $1", &[&id])
            .map_err(fail)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if let Some(stray) = kept.iter().find(|k| !existing.contains(k)) {
            return Err(stray_session(*stray));
        }
        let gone: Vec<Id> = existing.into_iter().filter(|e| !kept.contains(e)).collect();
        tx.execute("DELETE FROM dangan.class_sessions WHERE id = ANY($1)", &[&gone]).map_err(fail)?;
        for session in &class.sessions {
            let topic = session.topic.as_deref().map(str::trim).filter(|t| !t.is_empty());
            let minutes = i32::try_from(session.minutes).unwrap_or(i32::MAX);
            let date = session.date.to_string();
            match session.id {
                Some(sid) => tx.execute(
                    "UPDATE dangan.class_sessions SET date = $1::text::date, minutes = $2, topic = $3 WHERE id = $4",
                    &[&date, &minutes, &topic, &sid],
                ),
                None => tx.execute(
                    "INSERT INTO dangan.class_sessions (class_id, date, minutes, topic) VALUES ($1, $2::text::date, $3, $4)",
                    &[&id, &date, &minutes, &topic],
                ),
            }
            .map_err(fail)?;
        }
        let saved = read_class(&mut tx, &units, id).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        saved.ok_or_else(class_not_found)
    }

    /// One class with its sessions and trainees.
    pub(crate) fn class(&mut self, id: Id) -> Result<ClassRecord> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let address = self.address.clone();
        let mut tx = super::snapshot(&mut self.client).map_err(|e| failure(e, &address))?;
        let found = read_class(&mut tx, &units, id).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| failure(e, &address))?;
        let found = found.ok_or_else(class_not_found)?;
        self.require_meeting_unit(&units, found.class.unit_id)?;
        Ok(found)
    }

    /// The classes of a unit's subtree (everything the user reads when `None`) that ran in a
    /// year (all years when `None`), the latest first.
    pub(crate) fn classes(&mut self, unit: Option<Id>, year: Option<i32>) -> Result<Vec<ClassRecord>> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let wanted = self.wanted_units(&units, unit)?;
        let (from, to) = match year {
            Some(year) => {
                let (from, to) = crate::store::year_span(year)?;
                (from.to_string(), to.to_string())
            }
            None => ("0001-01-01".to_owned(), "9999-12-31".to_owned()),
        };
        let address = self.address.clone();
        let mut tx = super::snapshot(&mut self.client).map_err(|e| failure(e, &address))?;
        let ids: Vec<Id> = tx
            .query(
                "SELECT id FROM dangan.training_classes
                 WHERE unit_id = ANY($1) AND ends >= $2::text::date AND starts <= $3::text::date
                 ORDER BY starts DESC, id DESC",
                &[&wanted, &from, &to],
            )
            .map_err(|e| failure(e, &address))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(class) = read_class(&mut tx, &units, id).map_err(|e| e.into_error(&address))? {
                out.push(class);
            }
        }
        tx.commit().map_err(|e| failure(e, &address))?;
        Ok(out)
    }

    /// Deletes a class with its sessions, trainees and attendance (steps it recorded stay).
    pub(crate) fn delete_class(&mut self, id: Id) -> Result<()> {
        self.require(Action::EditMembers)?;
        self.class(id)?;
        let address = self.address.clone();
        let deleted = self
            .client
            .execute("DELETE FROM dangan.training_classes WHERE id = $1", &[&id])
            .map_err(|e| failure(e, &address))?;
        if deleted == 0 {
            return Err(class_not_found());
        }
        Ok(())
    }

    /// Enrols people in a class, in one step; someone already enrolled stays as they are. Each
    /// must be someone the user may change.
    pub(crate) fn enrol(&mut self, class_id: Id, people: &[Id]) -> Result<ClassRecord> {
        self.require(Action::EditMembers)?;
        self.class(class_id)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        require_editable(&mut tx, people).map_err(|e| e.into_error(&address))?;
        tx.execute(
            "INSERT INTO dangan.trainees (class_id, person_id) SELECT $1, p FROM unnest($2::bigint[]) AS p
             ON CONFLICT (class_id, person_id) DO NOTHING",
            &[&class_id, &people],
        )
        .map_err(fail)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        self.class(class_id)
    }

    /// Takes trainees out of a class, with their attendance and results.
    pub(crate) fn unenrol(&mut self, class_id: Id, people: &[Id]) -> Result<ClassRecord> {
        self.require(Action::EditMembers)?;
        self.class(class_id)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        require_editable(&mut tx, people).map_err(|e| e.into_error(&address))?;
        tx.execute(
            "DELETE FROM dangan.session_attendance WHERE person_id = ANY($1)
               AND session_id IN (SELECT id FROM dangan.class_sessions WHERE class_id = $2)",
            &[&people, &class_id],
        )
        .map_err(fail)?;
        tx.execute("DELETE FROM dangan.trainees WHERE class_id = $1 AND person_id = ANY($2)", &[&class_id, &people])
            .map_err(fail)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        self.class(class_id)
    }

    /// Records who attended a session: exactly these trainees (replacing what was recorded).
    /// Refused, naming who, when the class changed since `seen_version`; raises its version.
    pub(crate) fn set_session_attendance(
        &mut self,
        session_id: Id,
        present: &[Id],
        seen_version: Option<i32>,
    ) -> Result<ClassRecord> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let class_id: Id = self
            .client
            .query_opt("SELECT class_id FROM dangan.class_sessions WHERE id = $1", &[&session_id])
            .map_err(fail)?
            .map(|r| r.get(0))
            .ok_or_else(session_not_found)?;
        let record = self.class(class_id)?;
        check_session_attendance(&record, session_id, present, self.today())?;
        let mut tx = self.client.transaction().map_err(fail)?;
        sheet_of_class(&mut tx, &record.class, seen_version, &address)?;
        tx.execute("DELETE FROM dangan.session_attendance WHERE session_id = $1", &[&session_id]).map_err(fail)?;
        tx.execute(
            "INSERT INTO dangan.session_attendance (session_id, person_id)
             SELECT $1, p FROM unnest($2::bigint[]) AS p ON CONFLICT DO NOTHING",
            &[&session_id, &present],
        )
        .map_err(fail)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        self.class(class_id)
    }

    /// Records trainees' exam scores and results, all or none. Refused, naming who, when the
    /// class changed since `seen_version`; raises its version.
    pub(crate) fn set_results(
        &mut self,
        class_id: Id,
        results: &[TraineeResult],
        seen_version: Option<i32>,
    ) -> Result<ClassRecord> {
        self.require(Action::EditMembers)?;
        let record = self.class(class_id)?;
        check_results(&record, results)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        sheet_of_class(&mut tx, &record.class, seen_version, &address)?;
        for r in results {
            let score = r.score.map(|s| i32::try_from(s).unwrap_or(i32::MAX));
            tx.execute(
                "UPDATE dangan.trainees SET score = $1, passed = $2 WHERE class_id = $3 AND person_id = $4",
                &[&score, &r.passed, &class_id, &r.person_id],
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        self.class(class_id)
    }

    /// For a development targets' class: records the centralised training step of every trainee
    /// who passed and has none yet, refused whole as a workspace refuses it, the people locked
    /// while they are checked. Returns who got the step.
    pub(crate) fn record_training_steps(&mut self, class_id: Id) -> Result<Vec<Id>> {
        self.require(Action::EditMembers)?;
        let record = self.class(class_id)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let cx = crate::validate::Context { rules: &self.rules, today: self.today(), workdays: &self.workdays };
        let mut tx = self.client.transaction().map_err(fail)?;
        // The class as read above, held until the steps are written: who passed and what they
        // attended were read before this transaction, and a result or an attendance saved since
        // raised its version (`sheet_of_class`), so the steps would rest on what is no longer so.
        let stored = tx
            .query_opt("SELECT version, changed_by FROM dangan.training_classes WHERE id = $1 FOR UPDATE", &[&class_id])
            .map_err(fail)?
            .ok_or_else(class_not_found)?;
        refuse_if_changed(|| class_named(&record.class.name), record.class.version, (stored.get(0), stored.get(1)))?;
        let statements = &mut self.statements;
        // The people in the order of their numbers, so two batches wait rather than deadlock.
        let mut loaded = HashMap::new();
        let mut ids: Vec<Id> = record.trainees.iter().filter(|t| t.passed == Some(true)).map(|t| t.person_id).collect();
        ids.sort_unstable();
        for id in ids {
            let before = super::people::load(&mut tx, statements, id, true).map_err(|e| e.into_error(&address))?;
            loaded.insert(id, before);
        }
        let given = trainees_given_the_step(&record, &self.rules, cx, |id| {
            Ok(loaded.get(&id).map(|before| (before.person.clone(), before.events.clone())))
        })?;
        for (id, _, events) in &given {
            let before = &loaded[id];
            super::people::write_restaged(&mut tx, statements, before, events).map_err(|e| e.into_error(&address))?;
        }
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(given.into_iter().map(|(id, _, _)| id).collect())
    }

    /// A class whose certificates may print, refused as a workspace refuses it.
    pub(crate) fn class_for_certificates(&mut self, class_id: Id) -> Result<ClassRecord> {
        let record = self.class(class_id)?;
        printable_certificates(record, &self.rules)
    }
}

/// Refuses, naming the first, anyone among `people` the user may not change (the policies let
/// a user lock only those).
fn require_editable(client: &mut impl GenericClient, people: &[Id]) -> std::result::Result<(), LoadError> {
    let locked: Vec<Id> = client
        .query("SELECT id FROM dangan.people WHERE id = ANY($1) ORDER BY id FOR UPDATE", &[&people])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    match people.iter().find(|p| !locked.contains(p)) {
        Some(missing) => Err(LoadError::Refused(person_not_found(*missing))),
        None => Ok(()),
    }
}

/// A class with its sessions and trainees (in name order; someone the user may no longer read,
/// by number), or `None` when the user reads no such class.
/// A class's sheet saved whole (its results, a session's attendance), as its form is: the class
/// locked, refused when it changed since the version the sheet was filled from (`seen`), and its
/// version raised (its name set as it is: `dangan.stamp_change` fires on it, and the log records
/// no change).
fn sheet_of_class(
    tx: &mut postgres::Transaction<'_>,
    class: &TrainingClass,
    seen: Option<i32>,
    address: &super::ServerAddress,
) -> Result<()> {
    let fail = |e| failure(e, address);
    let id = class.id.ok_or_else(class_not_found)?;
    let stored = tx
        .query_opt("SELECT version, changed_by FROM dangan.training_classes WHERE id = $1 FOR UPDATE", &[&id])
        .map_err(fail)?
        .ok_or_else(class_not_found)?;
    refuse_if_changed(|| class_named(&class.name), seen, (stored.get(0), stored.get(1)))?;
    tx.execute("UPDATE dangan.training_classes SET name = name WHERE id = $1", &[&id]).map_err(fail)?;
    Ok(())
}

/// A class as a refusal names it.
fn class_named(name: &str) -> Text {
    Text::new(format!("培训班「{name}」"), format!("the class “{name}”"))
}

fn read_class(
    client: &mut impl GenericClient,
    units: &[ServerUnit],
    id: Id,
) -> std::result::Result<Option<ClassRecord>, LoadError> {
    let Some(row) = client.query_opt(
        "SELECT unit_id, kind, name, starts::text, ends::text, version FROM dangan.training_classes WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let bad = |table| LoadError::Corrupt(table, id);
    let date = |text: &str, table| text.parse::<Date>().map_err(|_| bad(table));
    let unit_id: Id = row.get(0);
    let kind = ClassKind::parse(row.get(1)).ok_or_else(|| bad("training_classes"))?;
    let (starts, ends) = (date(row.get(3), "training_classes")?, date(row.get(4), "training_classes")?);
    let mut sessions = Vec::new();
    for r in client.query(
        "SELECT id, date::text, minutes, topic FROM dangan.class_sessions WHERE class_id = $1 ORDER BY date, id",
        &[&id],
    )? {
        let minutes: i32 = r.get(2);
        sessions.push(ClassSession {
            id: Some(r.get(0)),
            date: date(r.get(1), "class_sessions")?,
            minutes: u32::try_from(minutes).map_err(|_| bad("class_sessions"))?,
            topic: r.get(3),
        });
    }
    let mut attended: HashMap<Id, Vec<Id>> = HashMap::new();
    for r in client.query(
        "SELECT a.person_id, a.session_id FROM dangan.session_attendance a
         JOIN dangan.class_sessions s ON s.id = a.session_id WHERE s.class_id = $1",
        &[&id],
    )? {
        attended.entry(r.get(0)).or_default().push(r.get(1));
    }
    let mut trainees = Vec::new();
    for r in client.query(
        "SELECT t.person_id, p.name, p.branch_id, t.score, t.passed FROM dangan.trainees t
         LEFT JOIN dangan.people p ON p.id = t.person_id WHERE t.class_id = $1 ORDER BY p.sort_key NULLS LAST, t.person_id",
        &[&id],
    )? {
        let person_id: Id = r.get(0);
        let name: Option<String> = r.get(1);
        let branch: Option<Id> = r.get(2);
        let score: Option<i32> = r.get(3);
        trainees.push(trainee_of(
            &sessions,
            person_id,
            name.unwrap_or_else(|| format!("#{person_id}")),
            branch.map(|b| branch_path(units, b)).unwrap_or_default(),
            attended.remove(&person_id).unwrap_or_default(),
            score.and_then(|s| u32::try_from(s).ok()),
            r.get(4),
        ));
    }
    Ok(Some(ClassRecord {
        class: TrainingClass {
            id: Some(id),
            unit_id,
            kind,
            name: row.get(2),
            starts,
            ends,
            sessions,
            version: Some(row.get(5)),
        },
        unit: branch_path(units, unit_id),
        trainees,
    }))
}
