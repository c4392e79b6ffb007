//! A member's file in the store: records, their attachments (kept inside the encrypted database),
//! and the checklist of what the file holds and lacks.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::Store;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::checklist::{self, ChecklistLine};
use crate::domain::{AttachmentInfo, FileRecord, Id, MediaType, RecordFields, RecordKind};
use crate::{Error, Result, Text};

/// The largest attachment accepted: a scan of many pages at office resolution fits easily.
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;
/// The longest record text (characters): a long thought report is a few thousand.
const MAX_BODY_CHARS: usize = 100_000;

/// A file to attach: its name (as picked) and its bytes.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl NewAttachment {
    /// Reads a file to attach; one over the size limit is refused before it is read.
    pub fn read(path: &Path) -> Result<NewAttachment> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let size = std::fs::metadata(path).map_err(Error::io(path))?.len();
        if size > MAX_ATTACHMENT_BYTES as u64 {
            // The same words as for bytes in hand; a sample of the right length is not needed.
            return Err(too_large(&name, size as usize));
        }
        Ok(NewAttachment { name, bytes: std::fs::read(path).map_err(Error::io(path))? })
    }
}

/// A member's file as the app shows it: the records and the checklist.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberFile {
    pub records: Vec<FileRecord>,
    pub checklist: Vec<ChecklistLine>,
}

impl Store {
    /// A member's records, oldest first, each with its attachments (without their bytes).
    pub fn records(&self, person_id: Id) -> Result<Vec<FileRecord>> {
        self.require_member(Action::ReadMembers, person_id)?;
        // Not found is an error, not an empty file.
        super::people::load_person(&self.conn, person_id)?.ok_or_else(|| super::people::not_found(person_id))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, date, event_id, title, body, fields FROM records WHERE person_id = ?1 ORDER BY date, id",
        )?;
        let rows = stmt
            .query_map([person_id], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<Id>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut records = Vec::with_capacity(rows.len());
        for (id, kind, date, event_id, title, body, fields) in rows {
            let corrupt = || super::people::corrupt_row("records", id);
            records.push(FileRecord {
                version: None,
                id: Some(id),
                person_id,
                kind: RecordKind::parse(&kind).ok_or_else(corrupt)?,
                date: calendar::parse_iso(&date).ok_or_else(corrupt)?,
                event_id,
                title,
                body,
                fields: serde_json::from_str(&fields).map_err(|_| corrupt())?,
                attachments: self.attachment_infos(id)?,
            });
        }
        Ok(records)
    }

    fn attachment_infos(&self, record_id: Id) -> Result<Vec<AttachmentInfo>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, media_type, size FROM attachments WHERE record_id = ?1 ORDER BY id")?;
        let rows = stmt
            .query_map([record_id], |r| {
                Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, name, media_type, size)| {
                Ok(AttachmentInfo {
                    id,
                    name,
                    media_type: MediaType::parse(&media_type)
                        .ok_or_else(|| super::people::corrupt_row("attachments", id))?,
                    size: size as u64,
                })
            })
            .collect()
    }

    /// Adds a record (`id: None`) or changes one, with files to attach, all in one transaction:
    /// a bad field or a bad file changes nothing. Returns the record as stored.
    pub fn save_record(&mut self, mut record: FileRecord, attach: &[NewAttachment]) -> Result<FileRecord> {
        let tx = self.begin_change()?;
        self.require_member(Action::EditMembers, record.person_id)?;
        let (_, events) = self.record(record.person_id)?;
        check_record(&mut record, &events, self.today())?;
        let checked: Vec<(&NewAttachment, MediaType)> =
            attach.iter().map(|a| Ok((a, check_attachment(&a.name, &a.bytes)?))).collect::<Result<_>>()?;
        let fields = serde_json::to_string(&record.fields)
            .map_err(|e| Error::invalid("fields", e.to_string(), e.to_string()))?;
        if let Some(id) = record.id {
            super::appraisals::refuse_changing_filed_grade(&self.conn, id, Some(&record))?;
        }
        let id = match record.id {
            None => insert_record(&tx, &record, &checked)?,
            Some(id) => {
                let changed = tx.execute(
                    "UPDATE records SET kind = ?1, date = ?2, event_id = ?3, title = ?4, body = ?5, fields = ?6
                     WHERE id = ?7 AND person_id = ?8",
                    params![
                        record.kind.as_str(),
                        record.date.to_string(),
                        record.event_id,
                        record.title,
                        record.body,
                        fields,
                        id,
                        record.person_id
                    ],
                )?;
                if changed == 0 {
                    return Err(record_not_found(id));
                }
                insert_attachments(&tx, id, &checked)?;
                id
            }
        };
        tx.commit()?;
        self.records(record.person_id)?.into_iter().find(|r| r.id == Some(id)).ok_or_else(|| record_not_found(id))
    }

    /// Deletes a record and its attachments.
    pub fn delete_record(&mut self, record_id: Id) -> Result<()> {
        let tx = self.begin_change()?;
        let owner = self.owner_of("SELECT person_id FROM records WHERE id = ?1", record_id)?;
        self.require_member(Action::EditMembers, owner.ok_or_else(|| record_not_found(record_id))?)?;
        super::appraisals::refuse_changing_filed_grade(&self.conn, record_id, None)?;
        // The attachments first, so their audit entries still find the member through the record.
        tx.execute("DELETE FROM attachments WHERE record_id = ?1", [record_id])?;
        tx.execute("DELETE FROM records WHERE id = ?1", [record_id])?;
        tx.commit()?;
        Ok(())
    }

    /// An attachment's description and bytes.
    pub fn attachment(&self, attachment_id: Id) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.require_attachment(Action::ReadMembers, attachment_id)?;
        let row = self
            .conn
            .query_row("SELECT name, media_type, content FROM attachments WHERE id = ?1", [attachment_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?))
            })
            .optional()?;
        let (name, media_type, bytes) = row.ok_or_else(|| attachment_not_found(attachment_id))?;
        let media_type =
            MediaType::parse(&media_type).ok_or_else(|| super::people::corrupt_row("attachments", attachment_id))?;
        Ok((AttachmentInfo { id: attachment_id, name, media_type, size: bytes.len() as u64 }, bytes))
    }

    pub fn delete_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.require_attachment(Action::EditMembers, attachment_id)?;
        if self.conn.execute("DELETE FROM attachments WHERE id = ?1", [attachment_id])? == 0 {
            return Err(attachment_not_found(attachment_id));
        }
        Ok(())
    }

    /// The member's latest event of a step: what a record made from the command line documents.
    pub fn latest_event(&self, person_id: Id, kind: crate::domain::EventKind) -> Result<Id> {
        self.require_member(Action::ReadMembers, person_id)?;
        let (_, events) = self.record(person_id)?;
        latest_of(&events, kind)
    }

    /// A member's records and checklist, together.
    pub fn member_file(&self, person_id: Id) -> Result<MemberFile> {
        self.require_member(Action::ReadMembers, person_id)?;
        let (_, events) = self.record(person_id)?;
        let records = self.records(person_id)?;
        let checklist = checklist::check(checklist::materials(), &events, &records);
        Ok(MemberFile { records, checklist })
    }

    /// Writes a copy of an attachment to a file (to print it, or to open a PDF in a viewer).
    pub fn save_attachment_as(&self, attachment_id: Id, path: &Path) -> Result<()> {
        self.write_attachment(attachment_id, path).map(drop)
    }

    /// [`Store::save_attachment_as`], saying which attachment it was (its name, for the message).
    /// The path is checked before the attachment is read.
    pub fn write_attachment(&self, attachment_id: Id, path: &Path) -> Result<AttachmentInfo> {
        crate::output::ensure_outside(self.workspace_dir(), path)?;
        let (info, bytes) = self.attachment(attachment_id)?;
        crate::output::write(self.workspace_dir(), path, &bytes)?;
        Ok(info)
    }

    /// What the member's file holds and lacks, in the archive's order.
    pub fn checklist(&self, person_id: Id) -> Result<Vec<ChecklistLine>> {
        Ok(self.member_file(person_id)?.checklist)
    }
}

impl Store {
    fn owner_of(&self, sql: &str, id: Id) -> Result<Option<Id>> {
        Ok(self.conn.prepare_cached(sql)?.query_row([id], |r| r.get(0)).optional()?)
    }

    fn require_attachment(&self, action: Action, attachment_id: Id) -> Result<()> {
        let sql = "SELECT r.person_id FROM attachments a JOIN records r ON r.id = a.record_id WHERE a.id = ?1";
        match self.owner_of(sql, attachment_id)? {
            Some(owner) => self.require_member(action, owner),
            None => self.require(action), // the caller reports "not found"
        }
    }
}

/// Writes a new, checked record and its checked attachments inside the caller's transaction.
pub(crate) fn insert_record(
    conn: &Connection,
    record: &FileRecord,
    attach: &[(&NewAttachment, MediaType)],
) -> Result<Id> {
    let fields =
        serde_json::to_string(&record.fields).map_err(|e| Error::invalid("fields", e.to_string(), e.to_string()))?;
    // Cached: an appraisal's close files a record for each of its members, and the audit log's
    // triggers make the statement slow to prepare.
    conn.prepare_cached(&format!(
        "INSERT INTO records (person_id, kind, date, event_id, title, body, fields, uid) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {})",
        super::schema::NEW_UID
    ))?
    .execute(params![
        record.person_id,
        record.kind.as_str(),
        record.date.to_string(),
        record.event_id,
        record.title,
        record.body,
        fields
    ])?;
    let id = conn.last_insert_rowid();
    insert_attachments(conn, id, attach)?;
    Ok(id)
}

fn insert_attachments(conn: &Connection, record_id: Id, attach: &[(&NewAttachment, MediaType)]) -> Result<()> {
    for (file, media_type) in attach {
        conn.execute(
            "INSERT INTO attachments (record_id, name, media_type, size, content) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![record_id, file.name.trim(), media_type.as_str(), file.bytes.len() as i64, file.bytes],
        )?;
    }
    Ok(())
}

pub(crate) fn record_not_found(id: Id) -> Error {
    Error::NotFound { what: Text::new(format!("材料 {id}"), format!("record {id}")) }
}

/// The latest of a person's steps of `kind`, by its number; refused when they have none.
pub(crate) fn latest_of(events: &[crate::domain::ProcedureEvent], kind: crate::domain::EventKind) -> Result<Id> {
    events.iter().filter(|e| e.kind == kind).max_by_key(|e| e.date).and_then(|e| e.id).ok_or_else(|| {
        Error::invalid(
            "step",
            format!("该成员尚未记录「{}」这一步", kind.label().zh),
            format!("the member has no “{}” recorded", kind.label().en),
        )
    })
}

pub(crate) fn attachment_not_found(id: Id) -> Error {
    Error::NotFound { what: Text::new(format!("附件 {id}"), format!("attachment {id}")) }
}

/// Checks a record against its person's events and its kind, naming the field at fault.
pub(crate) fn check_record(
    record: &mut FileRecord,
    events: &[crate::domain::ProcedureEvent],
    today: Date,
) -> Result<()> {
    let kind = record.kind.label();
    if record.date > today {
        return Err(Error::invalid(
            "date",
            format!("「{}」的日期 {} 晚于今天", kind.zh, calendar::format_zh(record.date)),
            format!("the date of the {}, {}, is in the future", kind.en, record.date),
        ));
    }
    if let Some(event_id) = record.event_id {
        let event = events.iter().find(|e| e.id == Some(event_id)).ok_or_else(|| {
            Error::invalid(
                "event_id",
                format!("该成员没有编号为 {event_id} 的事件"),
                format!("the member has no event {event_id}"),
            )
        })?;
        if !record.kind.events().contains(&event.kind) {
            return Err(Error::invalid(
                "event_id",
                format!("「{}」不记载「{}」这一步", kind.zh, event.kind.label().zh),
                format!("a {} does not document “{}”", kind.en, event.kind.label().en),
            ));
        }
    }
    record.title = record.title.take().map(|t| crate::text::normalized(t.trim())).filter(|t| !t.is_empty());
    record.body = crate::text::normalized(&record.body);
    for (field, value, zh, en, multiline) in [
        ("title", record.title.as_deref(), "标题", "title", false),
        ("body", Some(record.body.as_str()), "正文", "text", true),
        ("who", record.fields.who.as_deref(), "谈话人", "who", false),
        ("course", record.fields.course.as_deref(), "课程", "course", false),
        ("certificate", record.fields.certificate.as_deref(), "证书编号", "certificate", false),
    ] {
        if let Some(c) = value.and_then(|v| crate::text::forbidden_char(v, multiline)) {
            let message = crate::text::forbidden_char_message(&Text::new(zh, en), c);
            return Err(Error::InvalidInput { field: field.into(), reason: message });
        }
    }
    if record.title.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(Error::invalid("title", "标题超过 200 个字", "the title is longer than 200 characters"));
    }
    if record.body.chars().count() > MAX_BODY_CHARS {
        return Err(Error::invalid(
            "body",
            format!("正文超过 {MAX_BODY_CHARS} 个字，请作为附件添加"),
            format!("the text is longer than {MAX_BODY_CHARS} characters; attach it as a file"),
        ));
    }
    check_fields(record.kind, &mut record.fields)
}

fn check_fields(kind: RecordKind, fields: &mut RecordFields) -> Result<()> {
    let tidy = |s: &mut Option<String>| {
        *s = s.take().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    };
    tidy(&mut fields.who);
    tidy(&mut fields.course);
    tidy(&mut fields.certificate);
    match kind {
        RecordKind::TalkRecord if fields.who.is_none() => {
            return Err(Error::invalid(
                "who",
                "谈话记录须写明谈话人",
                "a talk record needs who talked with the person",
            ));
        }
        RecordKind::TrainingRecord => {
            if fields.course.is_none() {
                return Err(Error::invalid("course", "培训记录须写明课程名称", "a training record needs the course"));
            }
            match fields.hours {
                Some(h) if h > 0.0 && h <= 1000.0 => {}
                _ => {
                    return Err(Error::invalid(
                        "hours",
                        "培训学时应为 0 至 1000 之间的数",
                        "the training hours must be a number above 0 and at most 1000",
                    ));
                }
            }
        }
        RecordKind::Appraisal => {
            if fields.grade.is_none() {
                return Err(Error::invalid(
                    "grade",
                    "民主评议须写明等次：优秀、合格、基本合格或不合格",
                    "an appraisal needs its grade: excellent, qualified, basically qualified or unqualified",
                ));
            }
            if fields.score.is_some_and(|s| !(0.0..=100.0).contains(&s)) {
                return Err(Error::invalid("score", "评议得分应在 0 至 100 之间", "the score must be 0 to 100"));
            }
        }
        _ => {}
    }
    Ok(())
}

fn too_large(name: &str, size: usize) -> Error {
    Error::invalid(
        "attachment",
        format!(
            "「{name}」有 {:.1} MB，超过单个附件 {} MB 的上限；请降低扫描分辨率或分成几个文件",
            size as f64 / 1048576.0,
            MAX_ATTACHMENT_BYTES / 1048576
        ),
        format!(
            "“{name}” is {:.1} MB, over the {} MB limit for one attachment; scan at a lower resolution or split it",
            size as f64 / 1048576.0,
            MAX_ATTACHMENT_BYTES / 1048576
        ),
    )
}

/// Checks a file before it is attached: not empty, not too large, and really the JPEG, PNG or
/// PDF its name says.
pub fn check_attachment(name: &str, bytes: &[u8]) -> Result<MediaType> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("attachment", "附件须有文件名", "an attachment needs a file name"));
    }
    if bytes.is_empty() {
        return Err(Error::invalid("attachment", format!("「{name}」是空文件"), format!("“{name}” is empty")));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(too_large(name, bytes.len()));
    }
    let actual = MediaType::sniff(bytes);
    let claimed = MediaType::by_name(name);
    match (claimed, actual) {
        (Some(c), Some(a)) if c == a => Ok(a),
        (Some(c), Some(a)) => Err(Error::invalid(
            "attachment",
            format!("「{name}」的文件名表明是{}，内容却是{}；请改正文件名后再添加", c.label().zh, a.label().zh),
            format!(
                "“{name}” is named as {} but holds {}; correct its name and add it again",
                c.label().en,
                a.label().en
            ),
        )),
        (Some(c), None) => Err(Error::invalid(
            "attachment",
            format!("「{name}」的内容不是{}（文件可能已损坏或只是改了扩展名）", c.label().zh),
            format!("“{name}” does not hold {} (it may be damaged, or only renamed)", c.label().en),
        )),
        (None, _) => Err(Error::invalid(
            "attachment",
            format!("「{name}」不是可以添加的文件：只接受 JPEG、PNG 图片和 PDF 文件"),
            format!("“{name}” cannot be attached: only JPEG and PNG images and PDF files are accepted"),
        )),
    }
}
