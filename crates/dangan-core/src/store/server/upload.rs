//! A college's workspace moved onto the server (`dangan server upload`), all or nothing: its
//! units under the committee of its name, its people and their steps through the import's own
//! path (`dangan.import_staged`: the server's checks, one log entry per person), and its audit
//! chain kept verbatim under an upload row that the server's chain logs (`dangan.upload_staged`).

use std::collections::HashMap;
use std::io::Write as _;
use std::ops::ControlFlow;

use serde::Serialize;

use super::import::{Refused, Staged, add_staged, copy_failed, copy_row};
use super::units::add_unit;
use super::upload_life::{LifeCarried, Mapped, Sending, carry_branch_life};
use super::upload_transfers::{Numbers, carry_transfers};
use super::{ServerStore, ServerUnit, failure, lost_at_commit, read_units, subtree};
use crate::access::Action;
use crate::domain::Id;
use crate::jobs::{Progress, Unit};
use crate::store::{Derived, Scan, WorkspaceContents};
use crate::workdays::{CalendarDay, DayKind};
use crate::{Error, Result, Text};
use chrono::Datelike;

/// What an upload did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadReport {
    /// The upload's number: its kept trail is found by it.
    pub upload_id: Id,
    /// The committee the workspace went into, and whether the upload made it.
    pub committee: String,
    pub committee_id: Id,
    pub committee_created: bool,
    /// Units made under the committee (those already there of the same name and kind were used).
    pub units_created: u64,
    pub people: u64,
    pub steps: u64,
    /// Entries of the workspace's audit log kept on the server.
    pub audit_entries: u64,
    /// The workspace's users, who need accounts of their own on the server (`users add`).
    pub users_to_add: Vec<String>,
    /// The years of the workspace's holiday calendar the server had not entered, entered now.
    pub calendar_years_entered: Vec<i32>,
    /// The members' items the workspace had set aside (acknowledged or snoozed), set aside on
    /// the server too.
    pub set_aside: u64,
    /// The members' membership status changes carried (a person out of the register stays so).
    pub status_changes: u64,
    /// The transfer letters, applications and arrivals carried.
    pub transfers: super::upload_transfers::TransfersCarried,
    /// The entries of the workspace's complaints register, left in it until its discipline
    /// inspector moves them (`dangan complaints upload`): their key is the inspectors'.
    pub complaints_left: u64,
    /// The months of the members' dues paid or deferred carried, with their bases.
    pub dues_months: u64,
    /// The graduates whose relationship is kept at the university, still kept on the server.
    pub kept_graduates: u64,
    /// The records of the members' files carried, and their attachments.
    pub records: u64,
    pub attachments: u64,
    /// The democratic appraisals carried, with their steps, participants and corrections.
    pub appraisals: u64,
    /// The office's own document templates, now its committee's on the server.
    pub templates: u64,
    /// What was carried of branch life: party groups, committee posts, meetings and their files,
    /// own study, training classes.
    pub branch_life: LifeCarried,
}

/// The stages an upload reports, as steps of a job.
const STAGES: u64 = 4;

impl ServerStore {
    /// Moves the workspace read as `contents` onto the server under the committee of its name
    /// (made under the university's when there is none: the department's to do), which must
    /// hold nobody yet. An administrator's work (ManageUsers) within their committee. All or
    /// nothing: a workspace holding records a server cannot hold yet is refused, naming them.
    pub(crate) fn upload(
        &mut self,
        contents: WorkspaceContents,
        mut scan: impl FnMut(Scan) -> Result<Vec<u8>>,
        mut progress: impl FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<UploadReport> {
        self.require(Action::ManageUsers)?;
        let server_rules = super::rules::own_rules(&mut self.client).map_err(|e| failure(e, &self.address))?;
        refuse_what_cannot_move(&contents, (self.rule_set, server_rules.as_deref()))?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let step = |done: u64, progress: &mut dyn FnMut(Progress) -> ControlFlow<()>| {
            if progress(Progress::new(done, STAGES, Unit::Steps)).is_break() { Err(Error::Cancelled) } else { Ok(()) }
        };
        step(0, &mut progress)?;
        let mut tx = self.client.transaction().map_err(fail)?;
        let units = read_units(&mut tx, &mut self.statements).map_err(fail)?;
        let committee_uid = contents.units.first().and_then(|c| contents.uids.units.get(&c.id)).map(String::as_str);
        let (committee_id, committee_created) =
            committee_for(&mut tx, &units, &contents.committee, committee_uid, &address)?;
        let mut made = Vec::new();
        let unit_ids = place_units(&mut tx, &units, &contents, committee_id, &mut made, &address)?;
        let may_enter_calendar = self.me.role.may(Action::EditCalendar)
            && units.iter().any(|u| u.parent_id.is_none() && u.id == self.me.unit_id);
        let calendar_years_entered = reconcile_calendar(&mut tx, &contents.calendar, may_enter_calendar, &address)?;
        step(1, &mut progress)?;

        let staged: Vec<Staged> = contents
            .people
            .iter()
            .enumerate()
            .map(|(i, (person, events))| {
                let mut person = person.clone();
                // Each keeps their UUID on the server.
                let uid = person.id.and_then(|id| contents.uids.people.get(&id).cloned());
                person.branch_id = unit_ids.get(&person.branch_id).copied().unwrap_or_default();
                Staged { row: i as u64 + 1, uid, derived: Derived::of(&person, events), person, events: events.clone() }
            })
            .collect();
        let added = add_staged(&mut tx, &staged, &address).map_err(|refused| match refused {
            Refused::Row(problem) => {
                let row = usize::try_from(problem.row).unwrap_or(0);
                let (id, name) = contents
                    .people
                    .get(row.wrapping_sub(1))
                    .map(|(p, _)| (p.id.unwrap_or_default().to_string(), p.name.as_str()))
                    .unwrap_or_else(|| (row.to_string(), ""));
                Error::invalid(
                    "workspace",
                    format!("工作区的成员 {id}（{name}）：{}；没有上传任何内容", problem.reason_zh),
                    format!("the workspace's member {id} ({name}): {}; nothing was uploaded", problem.reason_en),
                )
            }
            Refused::Other(e) => e,
        })?;
        step(2, &mut progress)?;

        let mut copy = tx
            .copy_in(
                "COPY dangan.upload_audit_staged (seq, at, actor, entity, entity_id, member_id, action, field, old, new,
                     prev_hash, hash) FROM STDIN",
            )
            .map_err(fail)?;
        let mut out = Vec::new();
        for row in &contents.chain {
            let seq = row.seq.to_string();
            let mut fields = vec![Some(seq.as_str())];
            fields.extend(row.field_refs());
            fields.extend([Some(row.prev_hash.as_str()), Some(row.hash.as_str())]);
            copy_row(&mut out, &fields);
            if out.len() >= 1 << 20 {
                copy.write_all(&out).map_err(|e| copy_failed(e, &address))?;
                out.clear();
            }
        }
        copy.write_all(&out).map_err(|e| copy_failed(e, &address))?;
        copy.finish().map_err(fail)?;
        let by_row: HashMap<i64, Id> = added.into_iter().collect();
        let (workspace_ids, person_ids): (Vec<Id>, Vec<Id>) = staged
            .iter()
            .filter_map(|s| {
                let row = i64::try_from(s.row).ok()?;
                Some((s.person.id?, *by_row.get(&row)?))
            })
            .unzip();
        let upload_id: Id = tx
            .query_one(
                "SELECT dangan.upload_staged($1, $2, $3, $4)",
                &[&committee_id, &contents.committee, &workspace_ids, &person_ids],
            )
            .map_err(|e| uploaded_already(e, &contents.committee, &address))?
            .get(0);
        let on_server: HashMap<Id, Id> = workspace_ids.iter().copied().zip(person_ids.iter().copied()).collect();
        let set_aside = carry_set_aside(&mut tx, &contents.set_aside, &on_server).map_err(fail)?;
        let changes_on_server = carry_status_changes(&mut tx, &contents.status_changes, &on_server).map_err(fail)?;
        let numbers = Numbers { people: &on_server, changes: &changes_on_server, committee_id };
        let transfers = carry_transfers(&mut tx, &contents.transfers, &numbers).map_err(|e| e.into_error(&address))?;
        let dues_months = carry_dues(&mut tx, &contents.dues, &on_server).map_err(fail)?;
        let kept_graduates = carry_kept_graduates(&mut tx, &contents.kept_graduates, &on_server).map_err(fail)?;
        let steps_on_server = steps_on_server(&mut tx, &staged, &by_row, &address)?;
        // The office's own wording becomes its committee's on the server.
        for (id, source) in &contents.templates {
            tx.execute(
                "INSERT INTO dangan.document_templates (unit_id, id, source) VALUES ($1, $2, $3)
                 ON CONFLICT (unit_id, id) DO UPDATE SET source = excluded.source",
                &[&committee_id, id, source],
            )
            .map_err(fail)?;
        }
        // The scans can take a while: a cancel is honoured between records.
        let mut still_wanted = || step(2, &mut progress);
        let (records, attachments, records_on_server) = carry_files(
            &mut tx,
            &contents.records,
            (&on_server, &steps_on_server),
            Sending { scan: &mut scan, still_wanted: &mut still_wanted },
            &address,
        )?;
        let appraisals = carry_appraisals(&mut tx, &contents.appraisals, (&unit_ids, &on_server, &records_on_server))
            .map_err(fail)?;
        let branch_of: HashMap<Id, Id> =
            contents.people.iter().filter_map(|(p, _)| Some((p.id?, p.branch_id))).collect();
        let mapped = Mapped { units: &unit_ids, people: &on_server, branch_of: &branch_of };
        let branch_life = carry_branch_life(
            &mut tx,
            &mut self.statements,
            &contents.life,
            &mapped,
            Sending { scan: &mut scan, still_wanted: &mut still_wanted },
            &address,
        )?;
        step(3, &mut progress)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        step(STAGES, &mut progress).ok();
        Ok(UploadReport {
            upload_id,
            committee: contents.committee,
            committee_id,
            committee_created,
            units_created: made.len() as u64,
            people: person_ids.len() as u64,
            steps: contents.people.iter().map(|(_, events)| events.len() as u64).sum(),
            audit_entries: contents.chain.len() as u64,
            users_to_add: contents.users,
            calendar_years_entered,
            set_aside,
            status_changes: changes_on_server.len() as u64,
            transfers,
            complaints_left: contents.complaints,
            records,
            attachments,
            templates: contents.templates.len() as u64,
            branch_life,
            dues_months,
            kept_graduates,
            appraisals,
        })
    }
}

/// Each workspace step's number on the server, from the steps `dangan.import_staged` wrote: a
/// person's steps are numbered in the order they were sent, so the n-th of a person's steps on
/// the server is the n-th staged.
fn steps_on_server(
    tx: &mut postgres::Transaction<'_>,
    staged: &[Staged],
    by_row: &HashMap<i64, Id>,
    address: &super::ServerAddress,
) -> Result<HashMap<Id, Id>> {
    let people: Vec<Id> = by_row.values().copied().collect();
    let rows = tx
        .query("SELECT person_id, id FROM dangan.events WHERE person_id = ANY ($1) ORDER BY person_id, id", &[&people])
        .map_err(|e| failure(e, address))?;
    let mut on_server: HashMap<Id, Vec<Id>> = HashMap::new();
    for r in rows {
        on_server.entry(r.get(0)).or_default().push(r.get(1));
    }
    let mut map = HashMap::new();
    for s in staged {
        let Some(person) = i64::try_from(s.row).ok().and_then(|row| by_row.get(&row)) else { continue };
        let theirs = on_server.get(person).map_or(&[][..], Vec::as_slice);
        if theirs.len() != s.events.len() {
            return Err(Error::Server {
                server: address.to_string(),
                reason: format!("member {}'s steps on the server do not match those sent", s.person.name),
            });
        }
        for (sent, made) in s.events.iter().zip(theirs) {
            if let Some(id) = sent.id {
                map.insert(id, *made);
            }
        }
    }
    Ok(map)
}

/// The workspace's records, each under its person's number on the server and documenting the
/// same step there, keeping its UUID, with its attachments, each scan read (`scan`) as it is
/// sent. Logged by the server's triggers as the uploader's. Returns the records and
/// attachments carried.
fn carry_files(
    tx: &mut postgres::Transaction<'_>,
    records: &[(crate::domain::FileRecord, String)],
    (people, steps): (&HashMap<Id, Id>, &HashMap<Id, Id>),
    Sending { scan, still_wanted }: Sending<'_>,
    address: &super::ServerAddress,
) -> Result<(u64, u64, HashMap<Id, Id>)> {
    let fail = |e| failure(e, address);
    let mut made = HashMap::new();
    if records.is_empty() {
        return Ok((0, 0, made));
    }
    let insert = tx
        .prepare(
            "INSERT INTO dangan.records (person_id, kind, date, event_id, title, body, fields, uid)
             VALUES ($1, $2, $3::text::date, $4, $5, $6, $7::text::jsonb, $8::text::uuid) RETURNING id",
        )
        .map_err(fail)?;
    let attach = tx
        .prepare(
            "INSERT INTO dangan.attachments (record_id, name, media_type, size, content) VALUES ($1, $2, $3, $4, $5)",
        )
        .map_err(fail)?;
    let (mut carried, mut attached) = (0, 0);
    for (record, uid) in records {
        still_wanted()?;
        let Some(person) = people.get(&record.person_id) else { continue };
        let event = record.event_id.and_then(|id| steps.get(&id).copied());
        let fields = serde_json::to_string(&record.fields)
            .map_err(|e| Error::invalid("fields", e.to_string(), e.to_string()))?;
        let id: Id = tx
            .query_one(
                &insert,
                &[
                    person,
                    &record.kind.as_str(),
                    &record.date.to_string(),
                    &event,
                    &record.title,
                    &record.body,
                    &fields,
                    uid,
                ],
            )
            .map_err(fail)?
            .get(0);
        if let Some(old) = record.id {
            made.insert(old, id);
        }
        carried += 1;
        for info in &record.attachments {
            let bytes = scan(Scan::Record(info.id))?;
            let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
            tx.execute(&attach, &[&id, &info.name, &info.media_type.as_str(), &size, &bytes]).map_err(fail)?;
            attached += 1;
        }
    }
    Ok((carried, attached, made))
}

/// A workspace's numbers of one kind of row, and the server's for each.
type Renumbered = HashMap<Id, Id>;

/// The workspace's appraisals, each under the server's numbers of its unit, people and filed
/// records, its days and grades as the workspace kept them (the server's checks hold them to the
/// same vocabulary). Returns how many were carried.
fn carry_appraisals(
    tx: &mut postgres::Transaction<'_>,
    appraisals: &[crate::store::upload::KeptAppraisal],
    (units, people, records): (&Renumbered, &Renumbered, &Renumbered),
) -> std::result::Result<u64, postgres::Error> {
    let mut carried = 0;
    for kept in appraisals {
        let Some(unit) = units.get(&kept.unit_id) else { continue };
        let id: Id = tx
            .query_one(
                "INSERT INTO dangan.appraisals (unit_id, year, opened_on) VALUES ($1, $2, $3::text::date) RETURNING id",
                &[unit, &kept.year, &kept.opened_on],
            )?
            .get(0);
        tx.execute(
            "UPDATE dangan.appraisals SET ballots_cast = $2, closed_on = $3::text::date WHERE id = $1",
            &[&id, &kept.ballots_cast, &kept.closed_on],
        )?;
        for (step, date) in &kept.steps {
            tx.execute(
                "INSERT INTO dangan.appraisal_steps (appraisal_id, step, date) VALUES ($1, $2, $3::text::date)",
                &[&id, step, date],
            )?;
        }
        for p in &kept.participants {
            let Some(person) = people.get(&p.person_id) else { continue };
            tx.execute(
                "INSERT INTO dangan.appraisal_members (appraisal_id, person_id, graded) VALUES ($1, $2, $3)",
                &[&id, person, &p.graded],
            )?;
            let record = p.record_id.and_then(|r| records.get(&r).copied());
            let [excellent, qualified, basically, unqualified] = p.votes;
            tx.execute(
                "UPDATE dangan.appraisal_members SET excellent = $3, qualified = $4, basically_qualified = $5,
                     unqualified = $6, proposed = $7, grade = $8, reason = $9, record_id = $10
                 WHERE appraisal_id = $1 AND person_id = $2",
                &[
                    &id,
                    person,
                    &excellent,
                    &qualified,
                    &basically,
                    &unqualified,
                    &p.proposed,
                    &p.grade,
                    &p.reason,
                    &record,
                ],
            )?;
        }
        for c in &kept.corrections {
            let Some(person) = people.get(&c.person_id) else { continue };
            tx.execute(
                "INSERT INTO dangan.corrections (appraisal_id, person_id, from_on, months) VALUES ($1, $2, $3::text::date, $4)",
                &[&id, person, &c.from_on, &c.months],
            )?;
            tx.execute(
                "UPDATE dangan.corrections SET outcome = $3, decided_on = $4::text::date, note = $5
                 WHERE appraisal_id = $1 AND person_id = $2",
                &[&id, person, &c.outcome, &c.decided_on, &c.note],
            )?;
        }
        carried += 1;
    }
    Ok(carried)
}

/// The workspace's dues, each row under its person's number on the server, in two statements
/// (logged by the server's triggers as the uploader's). Returns the months carried.
fn carry_dues(
    tx: &mut postgres::Transaction<'_>,
    dues: &crate::store::upload::Dues,
    on_server: &HashMap<Id, Id>,
) -> std::result::Result<u64, postgres::Error> {
    let (mut people, mut categories, mut bases, mut froms) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for base in &dues.bases {
        let Some(id) = on_server.get(&base.person_id) else { continue };
        people.push(*id);
        categories.push(base.category.as_str());
        bases.push(base.base_fen);
        froms.push(base.from_month.0);
    }
    tx.execute(
        "INSERT INTO dangan.dues_bases (person_id, category, base_fen, from_month)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::integer[])",
        &[&people, &categories, &bases, &froms],
    )?;
    let (mut people, mut months, mut amounts) = (Vec::new(), Vec::new(), Vec::new());
    let (mut days, mut payers, mut reasons) = (Vec::new(), Vec::new(), Vec::new());
    for kept in &dues.months {
        let Some(id) = on_server.get(&kept.person_id) else { continue };
        people.push(*id);
        months.push(kept.month);
        amounts.push(kept.amount_fen);
        days.push(kept.paid_on.map(|d| d.to_string()));
        payers.push(kept.paid_by.as_deref());
        reasons.push(kept.deferred.as_deref());
    }
    tx.execute(
        "INSERT INTO dangan.dues_months (person_id, month, amount_fen, paid_on, paid_by, deferred)
         SELECT p, m, a, d::date, b, r
         FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::text[]) AS s(p, m, a, d, b, r)",
        &[&people, &months, &amounts, &days, &payers, &reasons],
    )
}

/// The workspace's kept graduates, each under its person's number on the server, in one statement
/// (logged by the server's triggers as the uploader's). Returns how many.
fn carry_kept_graduates(
    tx: &mut postgres::Transaction<'_>,
    kept: &[(Id, crate::calendar::Date)],
    on_server: &HashMap<Id, Id>,
) -> std::result::Result<u64, postgres::Error> {
    let (mut people, mut days) = (Vec::new(), Vec::new());
    for (person, day) in kept {
        let Some(id) = on_server.get(person) else { continue };
        people.push(*id);
        days.push(day.to_string());
    }
    tx.execute(
        "INSERT INTO dangan.kept_graduates (person_id, graduated_on)
         SELECT p, d::date FROM unnest($1::bigint[], $2::text[]) AS s(p, d)",
        &[&people, &days],
    )
}

/// The workspace's items set aside, each under its person's number on the server, in one
/// statement (logged by the server's triggers as the uploader's).
fn carry_set_aside(
    tx: &mut postgres::Transaction<'_>,
    set_aside: &[(Id, String, crate::calendar::Date, Option<crate::calendar::Date>)],
    on_server: &HashMap<Id, Id>,
) -> std::result::Result<u64, postgres::Error> {
    let mut people = Vec::new();
    let mut rules = Vec::new();
    let mut dues = Vec::new();
    let mut untils = Vec::new();
    for (person, rule, due, until) in set_aside {
        let Some(id) = on_server.get(person) else { continue };
        people.push(*id);
        rules.push(rule.as_str());
        dues.push(due.to_string());
        untils.push(until.map(|d| d.to_string()));
    }
    if people.is_empty() {
        return Ok(0);
    }
    tx.execute(
        "INSERT INTO dangan.dismissals (person_id, rule, due, until)
         SELECT p, r, d::date, u::date FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS s(p, r, d, u)",
        &[&people, &rules, &dues, &untils],
    )
}

/// The workspace's holiday calendar against the server's, which is the university's: a year both
/// entered must agree day for day (else the same deadline would fall on two days); a year only
/// the workspace entered is entered now, by the department only (the policies hold that too).
/// Returns the years entered.
fn reconcile_calendar(
    tx: &mut postgres::Transaction<'_>,
    (days, years): &(Vec<CalendarDay>, Vec<i32>),
    may_enter: bool,
    address: &super::ServerAddress,
) -> Result<Vec<i32>> {
    let fail = |e| failure(e, address);
    if years.is_empty() {
        return Ok(Vec::new());
    }
    // Compared and entered under the calendar's lock: an entry of it meanwhile waits.
    tx.batch_execute(super::holidays::CALENDAR_LOCK).map_err(fail)?;
    let (server_days, server_years) = super::holidays::read_calendar(tx).map_err(fail)?;
    let of_year = |list: &[CalendarDay], year: i32| -> Vec<(crate::calendar::Date, DayKind)> {
        list.iter().filter(|d| d.date.year() == year).map(|d| (d.date, d.kind)).collect()
    };
    let mut missing = Vec::new();
    for &year in years {
        if !server_years.contains(&year) {
            missing.push(year);
            continue;
        }
        let (ours, theirs) = (of_year(days, year), of_year(&server_days, year));
        if ours != theirs {
            let differs = ours.iter().zip(&theirs).find(|(a, b)| a != b).map(|(a, _)| a.0).or_else(|| {
                let longer = if ours.len() > theirs.len() { &ours } else { &theirs };
                longer.get(ours.len().min(theirs.len())).map(|d| d.0)
            });
            let day = differs.map(|d| d.to_string()).unwrap_or_default();
            return Err(Error::invalid(
                "workspace",
                format!(
                    "工作区录入的 {year} 年节假日与服务器上的不同（{day}），没有上传任何内容；请先核对两边的节假日"
                ),
                format!(
                    "the workspace's holiday calendar of {year} differs from the server's ({day}); nothing was uploaded: check both calendars first"
                ),
            ));
        }
    }
    if missing.is_empty() {
        return Ok(missing);
    }
    if !may_enter {
        let list = missing.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
        return Err(Error::invalid(
            "workspace",
            format!("服务器上还没有 {list} 年的节假日，没有上传任何内容；请组织部先录入（dangan holidays import）"),
            format!(
                "the server has no holiday calendar for {list} yet; nothing was uploaded: ask the department to enter it first (dangan holidays import)"
            ),
        ));
    }
    tx.execute("INSERT INTO dangan.holiday_years (year) SELECT unnest($1::integer[])", &[&missing]).map_err(fail)?;
    for day in days.iter().filter(|d| missing.contains(&d.date.year())) {
        tx.execute(
            "INSERT INTO dangan.holidays (date, kind, name) VALUES ($1::text::date, $2, $3)",
            &[&day.date.to_string(), &day.kind.as_str(), &day.name],
        )
        .map_err(fail)?;
    }
    Ok(missing)
}

/// A second upload into one committee (two PCs at once, say): the committee's one upload is
/// taken, which the server's key on it says.
fn uploaded_already(e: postgres::Error, committee: &str, address: &super::ServerAddress) -> Error {
    let taken = e.as_db_error().is_some_and(|db| {
        *db.code() == postgres::error::SqlState::UNIQUE_VIOLATION && db.constraint() == Some("uploads_unit_id_key")
    });
    if !taken {
        return failure(e, address);
    }
    Error::invalid(
        "committee",
        format!("「{committee}」已经上传过一个工作区（也许刚从另一台电脑上传），这次没有上传任何内容"),
        format!(
            "a workspace was uploaded into {committee} already (perhaps just now, from another PC); nothing was uploaded this time"
        ),
    )
}

/// All or nothing: rules the server does not follow refuse the upload. A workspace's own rule
/// file must be the one the department loaded on the server (`rules.rs`), which every college
/// follows; a workspace without one follows the server's once uploaded.
fn refuse_what_cannot_move(
    contents: &WorkspaceContents,
    (server_rules, server_own): (crate::rules::RuleSetId, Option<&str>),
) -> Result<()> {
    if let Some(own) = &contents.own_rules
        && server_own.map(str::trim) != Some(own.trim())
    {
        return Err(Error::invalid(
            "workspace",
            "工作区载入了本单位的规则文件，与组织部在服务器上载入的规则不同；没有上传任何内容（可先用 dangan rules reset，或请组织部在服务器上载入同一文件）",
            "the workspace has the office's own rule file loaded, and the server follows other rules (the department's); nothing was uploaded (dangan rules reset first, or have the department load the same file on the server)",
        ));
    }
    if contents.rule_set != server_rules {
        return Err(Error::invalid(
            "workspace",
            format!(
                "工作区按「{}」计算期限，服务器按「{}」；没有上传任何内容",
                contents.rule_set.as_str(),
                server_rules.as_str()
            ),
            format!(
                "the workspace follows the rule set {} and the server {}; nothing was uploaded",
                contents.rule_set.as_str(),
                server_rules.as_str()
            ),
        ));
    }
    Ok(())
}

/// The committee of the workspace's name under the university's, made when there is none; one
/// already holding people is refused (an upload is a college's first arrival, never a merge).
fn committee_for(
    tx: &mut postgres::Transaction<'_>,
    units: &[ServerUnit],
    name: &str,
    uid: Option<&str>,
    address: &super::ServerAddress,
) -> Result<(Id, bool)> {
    let fail = |e| failure(e, address);
    let root = units.iter().find(|u| u.parent_id.is_none()).ok_or_else(|| Error::Server {
        server: address.to_string(),
        reason: "the server has no root committee".into(),
    })?;
    let found = if root.name == name {
        Some(root.id)
    } else {
        units.iter().find(|u| u.parent_id == Some(root.id) && u.kind == "committee" && u.name == name).map(|u| u.id)
    };
    let Some(id) = found else {
        return match add_unit(tx, root.id, "committee", name, uid) {
            Ok(id) => Ok((id, true)),
            Err(e)
                if e.as_db_error()
                    .is_some_and(|db| *db.code() == postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) =>
            {
                Err(Error::Forbidden {
                    what: Text::new(
                        format!("在服务器上新建「{name}」（请组织部先建立这个党委，或由组织部的管理员上传）"),
                        format!(
                            "make the committee {name} on the server (ask the department to make it first, or to upload)"
                        ),
                    ),
                })
            }
            Err(e) => Err(fail(e)),
        };
    };
    let below = subtree(units, id);
    let people: i64 = tx
        .query_one(
            "SELECT count(*) FROM dangan.people WHERE branch_id = ANY ($1)",
            &[&below.into_iter().collect::<Vec<_>>()],
        )
        .map_err(fail)?
        .get(0);
    if people > 0 {
        return Err(Error::invalid(
            "committee",
            format!("服务器上的「{name}」已有 {people} 人；工作区只上传到还没有人员的党委，没有上传任何内容"),
            format!(
                "{name} on the server holds {people} people already; a workspace is uploaded into a committee with nobody yet, and nothing was uploaded"
            ),
        ));
    }
    Ok((id, false))
}

/// The workspace's units under the committee, each matched by name and kind under its parent or
/// made; returns the server's number of each workspace unit.
fn place_units(
    tx: &mut postgres::Transaction<'_>,
    units: &[ServerUnit],
    contents: &WorkspaceContents,
    committee_id: Id,
    made: &mut Vec<Id>,
    address: &super::ServerAddress,
) -> Result<HashMap<Id, Id>> {
    let mut ids = HashMap::new();
    for unit in &contents.units {
        let Some(parent) = unit.parent_id.and_then(|p| ids.get(&p).copied()) else {
            ids.insert(unit.id, committee_id);
            continue;
        };
        let kind = unit.kind.as_str();
        let existing = units.iter().find(|u| u.parent_id == Some(parent) && u.name == unit.name && u.kind == kind);
        let id = match existing {
            Some(u) => u.id,
            None => {
                let uid = contents.uids.units.get(&unit.id).map(String::as_str);
                let id = add_unit(tx, parent, kind, &unit.name, uid).map_err(|e| failure(e, address))?;
                made.push(id);
                id
            }
        };
        ids.insert(unit.id, id);
    }
    Ok(ids)
}

/// The workspace's status changes, each under its person's number on the server, in one
/// statement in date order: the server then keeps each person's latest as their status
/// (`dangan.follow_status`) and logs them as the uploader's.
fn carry_status_changes(
    tx: &mut postgres::Transaction<'_>,
    changes: &[crate::domain::StatusChange],
    on_server: &HashMap<Id, Id>,
) -> std::result::Result<HashMap<Id, Id>, postgres::Error> {
    let mut carried = Vec::new();
    let mut people = Vec::new();
    let mut statuses = Vec::new();
    let mut dates = Vec::new();
    let mut reasons = Vec::new();
    for change in changes {
        let Some(id) = on_server.get(&change.person_id) else { continue };
        carried.push(change.id);
        people.push(*id);
        statuses.push(change.status.as_str());
        dates.push(change.date.to_string());
        reasons.push(change.reason.as_deref());
    }
    if people.is_empty() {
        return Ok(HashMap::new());
    }
    // Numbered in the order inserted (the identity is drawn row by row as the ordered rows are
    // inserted): the n-th number returned, in order, is the n-th change sent.
    let mut ids: Vec<Id> = tx
        .query(
            "INSERT INTO dangan.status_changes (person_id, status, date, reason)
             SELECT p, s, d::date, r FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS c(p, s, d, r, n)
             ORDER BY n
             RETURNING id",
            &[&people, &statuses, &dates, &reasons],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    ids.sort_unstable();
    Ok(carried.into_iter().zip(ids).filter_map(|(workspace, server)| Some((workspace?, server))).collect())
}
