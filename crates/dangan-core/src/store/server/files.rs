//! A member's file on the server (`dangan.records`, `dangan.attachments`, version 4): records
//! checked by the workspace's own rules (`store::files::check_record`, `check_attachment`), read
//! and changed under the person's branch as their steps are, each change logged by the server
//! (an attachment's bytes never in the log).

use postgres::GenericClient;

use super::people::{LoadError, load, refuse_if_changed};
use super::{ServerStore, Statements, failure, lost_at_commit};
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::{AttachmentInfo, FileRecord, Id, MediaType, RecordKind};
use crate::store::appraisals::filed_grade_stays;
use crate::store::files::{NewAttachment, attachment_not_found, check_attachment, check_record, record_not_found};
use crate::{Error, Result, Text};

impl ServerStore {
    /// A member's records, oldest first, each with its attachments (without their bytes); the
    /// person must be one this user may read.
    pub(crate) fn records_of(&mut self, person_id: Id) -> Result<Vec<FileRecord>> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        let mut tx = super::snapshot(&mut self.client).map_err(|e| failure(e, &address))?;
        load(&mut tx, &mut self.statements, person_id, false).map_err(|e| e.into_error(&address))?;
        let records = read_records(&mut tx, &mut self.statements, person_id).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| failure(e, &address))?;
        Ok(records)
    }

    /// Adds a record (`id: None`) or changes one, with files to attach, in one transaction, the
    /// person locked while it is checked against their steps: a bad field or file changes nothing.
    /// Refused, naming who, when the record changed since the version it was read at.
    pub(crate) fn save_record(&mut self, mut record: FileRecord, attach: &[NewAttachment]) -> Result<FileRecord> {
        self.require(Action::EditMembers)?;
        let checked: Vec<(&NewAttachment, MediaType)> =
            attach.iter().map(|a| Ok((a, check_attachment(&a.name, &a.bytes)?))).collect::<Result<_>>()?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let today = self.today();
        let mut tx = self.client.transaction().map_err(fail)?;
        let person = load(&mut tx, &mut self.statements, record.person_id, true).map_err(|e| e.into_error(&address))?;
        check_record(&mut record, &person.events, today)?;
        let fields = serde_json::to_string(&record.fields)
            .map_err(|e| Error::invalid("fields", e.to_string(), e.to_string()))?;
        if let Some(id) = record.id {
            let filed = filed_grade(&mut tx, id).map_err(fail)?;
            filed_grade_stays(filed, Some(&record))?;
        }
        let id: Id = match record.id {
            None => insert_record(&mut tx, &mut self.statements, &record, &[]).map_err(|e| e.into_error(&address))?,
            Some(id) => {
                let update = self
                    .statements
                    .get(
                        &mut tx,
                        "UPDATE dangan.records SET kind = $1, date = $2::text::date, event_id = $3, title = $4,
                             body = $5, fields = $6::text::jsonb
                         WHERE id = $7 AND person_id = $8 AND ($9::integer IS NULL OR version = $9)",
                    )
                    .map_err(fail)?;
                let changed = tx
                    .execute(
                        &update,
                        &[
                            &record.kind.as_str(),
                            &record.date.to_string(),
                            &record.event_id,
                            &record.title,
                            &record.body,
                            &fields,
                            &id,
                            &record.person_id,
                            &record.version,
                        ],
                    )
                    .map_err(fail)?;
                if changed == 0 {
                    // Not written: changed since the version read (the person's lock holds it
                    // as it is now), or not one this user may change.
                    let now = tx
                        .query_opt(
                            "SELECT version, changed_by FROM dangan.records WHERE id = $1 AND person_id = $2",
                            &[&id, &record.person_id],
                        )
                        .map_err(fail)?;
                    if let Some(now) = now {
                        let named = || {
                            let kind = record.kind.label();
                            Text::new(
                                format!("{}的{}", person.person.name, kind.zh),
                                format!("{}'s {}", person.person.name, kind.en),
                            )
                        };
                        refuse_if_changed(named, record.version, (now.get(0), now.get(1)))?;
                    }
                    return Err(record_not_found(id));
                }
                id
            }
        };
        insert_attachments(&mut tx, &mut self.statements, id, &checked).map_err(fail)?;
        let saved = read_records(&mut tx, &mut self.statements, record.person_id)
            .map_err(|e| e.into_error(&address))?
            .into_iter()
            .find(|r| r.id == Some(id))
            .ok_or_else(|| record_not_found(id))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(saved)
    }

    /// Deletes a record and its attachments.
    pub(crate) fn delete_record(&mut self, record_id: Id) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let filed = filed_grade(&mut self.client, record_id).map_err(|e| failure(e, &address))?;
        filed_grade_stays(filed, None)?;
        let delete = self
            .statements
            .get(&mut self.client, "DELETE FROM dangan.records WHERE id = $1")
            .map_err(|e| failure(e, &address))?;
        // The policies hide a record of a person the user may not change, so it is not found.
        if self.client.execute(&delete, &[&record_id]).map_err(|e| failure(e, &address))? == 0 {
            return Err(record_not_found(record_id));
        }
        Ok(())
    }

    /// An attachment's description and bytes.
    pub(crate) fn attachment(&mut self, attachment_id: Id) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        let read = self
            .statements
            .get(&mut self.client, "SELECT name, media_type, content FROM dangan.attachments WHERE id = $1")
            .map_err(|e| failure(e, &address))?;
        let row = self.client.query_opt(&read, &[&attachment_id]).map_err(|e| failure(e, &address))?;
        let row = row.ok_or_else(|| attachment_not_found(attachment_id))?;
        let media_type = MediaType::parse(row.get(1)).ok_or_else(|| corrupt(&address, "attachments", attachment_id))?;
        let bytes: Vec<u8> = row.get(2);
        Ok((AttachmentInfo { id: attachment_id, name: row.get(0), media_type, size: bytes.len() as u64 }, bytes))
    }

    pub(crate) fn delete_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let delete = self
            .statements
            .get(&mut self.client, "DELETE FROM dangan.attachments WHERE id = $1")
            .map_err(|e| failure(e, &address))?;
        if self.client.execute(&delete, &[&attachment_id]).map_err(|e| failure(e, &address))? == 0 {
            return Err(attachment_not_found(attachment_id));
        }
        Ok(())
    }
}

/// A person's records with their attachments' descriptions, oldest first.
/// Adds a checked record, its `fields` as JSON, with its files; its number.
pub(super) fn insert_record(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    record: &FileRecord,
    attach: &[(&NewAttachment, MediaType)],
) -> std::result::Result<Id, super::Failed> {
    let fields =
        serde_json::to_string(&record.fields).map_err(|e| Error::invalid("fields", e.to_string(), e.to_string()))?;
    let insert = statements.get(
        client,
        "INSERT INTO dangan.records (person_id, kind, date, event_id, title, body, fields)
         VALUES ($1, $2, $3::text::date, $4, $5, $6, $7::text::jsonb) RETURNING id",
    )?;
    let id: Id = client
        .query_one(
            &insert,
            &[
                &record.person_id,
                &record.kind.as_str(),
                &record.date.to_string(),
                &record.event_id,
                &record.title,
                &record.body,
                &fields,
            ],
        )?
        .get(0);
    insert_attachments(client, statements, id, attach)?;
    Ok(id)
}

/// Attaches checked files to a record.
fn insert_attachments(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    record_id: Id,
    attach: &[(&NewAttachment, MediaType)],
) -> std::result::Result<(), postgres::Error> {
    let insert = statements.get(
        client,
        "INSERT INTO dangan.attachments (record_id, name, media_type, size, content) VALUES ($1, $2, $3, $4, $5)",
    )?;
    for (file, media_type) in attach {
        let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
        client.execute(&insert, &[&record_id, &file.name.trim(), &media_type.as_str(), &size, &file.bytes])?;
    }
    Ok(())
}

pub(super) fn read_records(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    person_id: Id,
) -> std::result::Result<Vec<FileRecord>, LoadError> {
    let records = statements.get(
        client,
        "SELECT id, kind, date::text, event_id, title, body, fields::text, version FROM dangan.records
         WHERE person_id = $1 ORDER BY date, id",
    )?;
    let attachments = statements.get(
        client,
        "SELECT record_id, id, name, media_type, size FROM dangan.attachments WHERE person_id = $1 ORDER BY id",
    )?;
    let mut out = Vec::new();
    for r in client.query(&records, &[&person_id])? {
        let id: Id = r.get(0);
        let bad = || LoadError::Corrupt("records", id);
        out.push(FileRecord {
            id: Some(id),
            person_id,
            kind: RecordKind::parse(r.get(1)).ok_or_else(bad)?,
            date: r.get::<_, &str>(2).parse::<Date>().map_err(|_| bad())?,
            event_id: r.get(3),
            title: r.get(4),
            body: r.get(5),
            fields: serde_json::from_str(r.get(6)).map_err(|_| bad())?,
            attachments: Vec::new(),
            version: Some(r.get(7)),
        });
    }
    for a in client.query(&attachments, &[&person_id])? {
        let (record_id, id): (Id, Id) = (a.get(0), a.get(1));
        let media_type = MediaType::parse(a.get(3)).ok_or(LoadError::Corrupt("attachments", id))?;
        let info = AttachmentInfo { id, name: a.get(2), media_type, size: a.get::<_, i64>(4).unsigned_abs() };
        if let Some(record) = out.iter_mut().find(|r| r.id == Some(record_id)) {
            record.attachments.push(info);
        }
    }
    Ok(out)
}

fn corrupt(address: &super::ServerAddress, table: &str, id: Id) -> Error {
    Error::Server { server: address.to_string(), reason: format!("row {id} of table {table} cannot be read") }
}

/// The year, the day closed and the grade of the appraisal that filed a record, if one did (its
/// grade and day then stay: `filed_grade_stays`).
fn filed_grade(
    client: &mut impl postgres::GenericClient,
    record_id: Id,
) -> std::result::Result<Option<(i32, String, String)>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT a.year, a.closed_on::text, m.grade FROM dangan.appraisal_members m
             JOIN dangan.appraisals a ON a.id = m.appraisal_id WHERE m.record_id = $1 AND a.closed_on IS NOT NULL",
            &[&record_id],
        )?
        .map(|r| (r.get(0), r.get(1), r.get(2))))
}
