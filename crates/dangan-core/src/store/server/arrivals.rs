//! Members arriving by transfer (转入) on the server (`dangan.arrivals`, version 16) and the
//! member packages that carry a member between offices, by the workspace's own functions
//! (`store/arrivals.rs`: `check_new_arrival`, `material_record`, `unpacked_records`;
//! `store/packages.rs`: `check_packable`, `pack_records`, `manifest`; `validate`). An arrival is one
//! transaction: the person (with the UUID a package brings), their steps with their days, the
//! status change, the arrival's row, the materials' records and what a package carried.

use postgres::GenericClient;

use super::people::{load, taken_number, write_person};
use super::transfers::{Issued, read_issued, write_change};
use super::{Failed, ServerStore, Statements, failure, lost_at_commit};
use crate::access::Action;
use crate::arrival::NewArrival;
use crate::calendar::Date;
use crate::domain::{EventKind, Id, Person, ProcedureEvent, Stage};
use crate::package::{MemberPackage, PackageCode};
use crate::store::arrivals::{
    Carried, CheckedArrival, arrived_change, check_new_arrival, kept_history, letter_used, material_record,
    same_person, unpacked_records,
};
use crate::store::packages::{arrival_from, carried, check_packable, manifest, pack_records};
use crate::{Error, Result, validate};

impl ServerStore {
    /// Registers a member arriving by transfer, with what a package carried if it came in one:
    /// checked whole first, then all of it in one transaction, or nothing. Their number.
    pub(crate) fn arrive(&mut self, arrival: NewArrival, carried: Option<Carried<'_>>) -> Result<Id> {
        self.require(Action::EditMembers)?;
        let today = self.today();
        let checked = check_new_arrival(arrival, today)?;
        let address = self.address.clone();
        let cx = validate::Context { rules: &self.rules, today, workdays: &self.workdays };
        let person = checked.person.clone();
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        let id = match write_arrival(&mut tx, &mut self.statements, checked, carried.as_ref(), cx, today) {
            Ok(id) => id,
            Err(Failed::Server(e)) => {
                drop(tx);
                return Err(taken_number(&mut self.client, e, &person, &address));
            }
            Err(e) => return Err(e.into_error(&address)),
        };
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(id)
    }

    /// Registers the member a package carried into `branch_id`, received on `received_on`, with
    /// everything it carried; their number.
    pub(crate) fn receive_package(&mut self, package: &MemberPackage, branch_id: Id, received_on: Date) -> Result<Id> {
        self.arrive(arrival_from(&package.manifest, branch_id, received_on), Some(carried(package)))
    }

    /// The member of a letter gathered whole, with the code printed on the letter (given now to
    /// a letter issued before letters had one). Refused for a letter cancelled or replaced.
    pub(crate) fn member_package(&mut self, letter_id: Id) -> Result<(MemberPackage, PackageCode)> {
        self.require(Action::EditMembers)?;
        let today = self.today();
        let units = self.units()?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let gathered = gather(&mut tx, &mut self.statements, &units, letter_id, today);
        let package = gathered.map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(package)
    }
}

/// Checks what reads the server (the branch, the letter not used before, the same person not
/// registered twice, the person and steps by `validate`) and writes the arrival; the person's number.
fn write_arrival(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut Statements,
    checked: CheckedArrival,
    carried: Option<&Carried<'_>>,
    cx: validate::Context<'_>,
    today: Date,
) -> std::result::Result<Id, Failed> {
    let CheckedArrival { mut record, materials, person, mut steps, sender_ids, another_person } = checked;
    // A branch the user may change (the policies hide the others, so it is not found).
    let kind: Option<String> =
        tx.query_opt("SELECT kind FROM dangan.org_units WHERE id = $1", &[&person.branch_id])?.map(|r| r.get(0));
    if kind.as_deref() != Some("branch") {
        return Err(Error::invalid("branch_id", "请选择一个党支部", "choose a branch").into());
    }
    if let Some(number) = &record.letter_number {
        let used = tx.query_opt(
            "SELECT p.name FROM dangan.arrivals a JOIN dangan.people p ON p.id = a.person_id
             WHERE a.origin = $1 AND a.letter_number = $2",
            &[&record.origin, number],
        )?;
        if let Some(row) = used {
            return Err(letter_used(Some(row.get(0)), &record.origin, number).into());
        }
    }
    if !another_person {
        // Whichever branch received them (the function reads past the policies, and tells only
        // the letter and the day).
        let same = tx.query_opt(
            "SELECT b.letter_number, b.received_on::text FROM dangan.arrived_before($1, $2, $3::text::date, $4) b",
            &[&record.origin, &person.name, &person.birth_date.map(|d| d.to_string()), &person.id_number],
        )?;
        if let Some(row) = same {
            return Err(same_person(&person.name, &record.origin, row.get(0), row.get(1)).into());
        }
    }
    let violations = validate::check_member(&person, &steps, cx);
    if !violations.is_empty() {
        return Err(Error::Violations { violations }.into());
    }
    let person_id = write_arriving_person(tx, statements, &person, &steps, carried.and_then(|c| c.uid))?;
    for step in &mut steps {
        step.id = Some(insert_step(tx, statements, person_id, step)?);
    }
    record.person_id = person_id;
    let change = write_change(tx, &arrived_change(&record))?;
    let history = carried.map(|c| kept_history(c.history)).filter(|h| !h.is_empty());
    let inserted = tx.execute(
        "INSERT INTO dangan.arrivals (person_id, received_on, origin, letter_number, letter_issued_on, dues_through,
             status_change_id, history)
         VALUES ($1, $2::text::date, $3, $4, $5::text::date, $6, $7, $8)",
        &[
            &person_id,
            &record.received_on.to_string(),
            &record.origin,
            &record.letter_number,
            &record.letter_issued_on.map(|d| d.to_string()),
            &record.dues_paid_through.map(|m| m.0),
            &change,
            &history,
        ],
    );
    if let Err(e) = inserted {
        // Someone this user does not see arrived with the letter: refused without naming them.
        return Err(match (constraint_of(&e), &record.letter_number) {
            (Some("arrivals_by_letter"), Some(number)) => letter_used(None, &record.origin, number).into(),
            _ => e.into(),
        });
    }
    for material in materials {
        super::files::insert_record(tx, statements, &material_record(material, &record, &steps), &[])?;
    }
    if let Some(carried) = carried {
        let new_step = |sender: Id| {
            sender_ids.iter().position(|s| *s == Some(sender)).and_then(|i| steps.get(i)).and_then(|s| s.id)
        };
        for (filed, files) in unpacked_records(carried, person_id, new_step, &steps, today)? {
            let attach: Vec<_> = files.iter().map(|(a, t)| (a, *t)).collect();
            super::files::insert_record(tx, statements, &filed, &attach)?;
        }
    }
    Ok(person_id)
}

/// The name of the constraint a write broke, if that is why it failed.
pub(super) fn constraint_of(e: &postgres::Error) -> Option<&str> {
    e.as_db_error()
        .filter(|db| *db.code() == postgres::error::SqlState::UNIQUE_VIOLATION)
        .and_then(|db| db.constraint())
}

/// Adds the arriving person, with the UUID the sending office gave them when a package brought
/// one and no one here has it (someone who left and comes back keeps the old record's; they get a
/// new one). The UUID is tried under a savepoint, so a clash leaves the transaction usable.
fn write_arriving_person(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut Statements,
    person: &Person,
    steps: &[ProcedureEvent],
    uid: Option<&str>,
) -> std::result::Result<Id, Failed> {
    let keys = crate::names::keys(&person.name);
    let stage = Stage::of_person(person, steps);
    let ended = steps.iter().any(|e| e.kind == EventKind::MembershipEnded);
    if let Some(uid) = uid.map(str::to_ascii_lowercase).filter(|u| crate::store::people::is_uuid(u)) {
        let mut attempt = tx.transaction()?;
        match write_person(&mut attempt, statements, person, &keys, stage, ended, Some(&uid)) {
            Ok(row) => {
                attempt.commit()?;
                return Ok(row.get(0));
            }
            Err(e) if constraint_of(&e).is_some_and(|c| c.contains("uid")) => attempt.rollback()?,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(write_person(tx, statements, person, &keys, stage, ended, None)?.get(0))
}

/// Adds one of the arriving person's steps; its number.
fn insert_step(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    person_id: Id,
    step: &ProcedureEvent,
) -> std::result::Result<Id, Failed> {
    let months = step
        .months
        .map(|m| {
            i32::try_from(m)
                .map_err(|_| Error::invalid("months", format!("月数 {m} 过大"), format!("{m} months is too many")))
        })
        .transpose()?;
    let insert = statements.get(
        client,
        "INSERT INTO dangan.events (person_id, kind, date, months, note) VALUES ($1, $2, $3::text::date, $4, $5)
         RETURNING id",
    )?;
    Ok(client
        .query_one(&insert, &[&person_id, &step.kind.as_str(), &step.date.to_string(), &months, &step.note])?
        .get(0))
}

/// A letter's member gathered whole in the caller's transaction: the person, steps, records with
/// their files, the log's history of them, under the committee that issued the letter.
fn gather(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut Statements,
    units: &[crate::server::ServerUnit],
    letter_id: Id,
    today: Date,
) -> std::result::Result<(MemberPackage, PackageCode), Failed> {
    // The person, then the letter, locked and read again, as every change of a person's
    // transfers takes them: a cancel or a second package meanwhile is seen, and waited for.
    let person_id = read_issued(tx, units, letter_id, today)?.letter.person_id;
    let person = load(tx, statements, person_id, true)?;
    tx.execute("SELECT 1 FROM dangan.transfer_letters WHERE id = $1 FOR UPDATE", &[&letter_id])?;
    let Issued { letter, committee_id, package_code } = read_issued(tx, units, letter_id, today)?;
    check_packable(&letter)?;
    let code = match package_code {
        Some(code) => code,
        // The first code given stands: the letter printed from now on shows it.
        None => tx
            .query_one(
                "UPDATE dangan.transfer_letters SET package_code = coalesce(package_code, $2) WHERE id = $1
                 RETURNING package_code",
                &[&letter_id, &PackageCode::generate()?.grouped().as_str()],
            )?
            .get(0),
    };
    let code = PackageCode::parse(&code)?;
    let records = super::files::read_records(tx, statements, letter.person_id)?;
    let content = statements.get(tx, "SELECT content FROM dangan.attachments WHERE id = $1")?;
    let (records, blobs) = pack_records(records, |id| tx.query_one(&content, &[&id]).map(|r| r.get::<_, Vec<u8>>(0)))?;
    let history: Vec<String> = tx
        .query("SELECT line FROM dangan.member_history($1) AS line", &[&letter.person_id])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let committee = units.iter().find(|u| u.id == committee_id).map(|u| u.name.clone()).unwrap_or_default();
    let manifest = manifest(letter, committee, person.person, Some(person.uid), person.events, records, history);
    Ok((MemberPackage { manifest, blobs }, code))
}
