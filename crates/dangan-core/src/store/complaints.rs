//! The complaints register as the store keeps it (`complaints`, `complaint_reads`): each entry's
//! words sealed under the register key of its generation, beside the days the counts and the
//! deadlines need; every opening of an entry is a row of `complaint_reads`, so that the audit log
//! records who read which entry when, on top of every change. Only a discipline inspector's
//! session reaches these (`Action::HandleComplaints`), with the register keys it unsealed at sign-in.
//! The sealing, the states, the days due and the checks of a change are engine-free functions,
//! which the shared server's register (`store/server/complaints.rs`) uses too.

use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::Store;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::complaints::{
    self, Complaint, ComplaintAttachment, ComplaintLine, ComplaintState, ComplaintsOverview, Content, Handling,
    NewComplaint, NewHandling,
};
use crate::domain::Id;
use crate::keys::{RegisterKeys, open_bytes, open_entry, seal_bytes, seal_entry};
use crate::workdays::WorkCalendar;
use crate::{Error, Result, Text};
use chrono::Datelike;

/// An entry of the register as its inspector moves it onto a shared server, opened: its facts, its
/// words, the UUID of the member it concerns, and its files' numbers (each opened as it is sent,
/// `Store::register_file`).
pub(crate) struct KeptComplaint {
    pub(crate) row: Row,
    pub(crate) handled: bool,
    pub(crate) content: Content,
    pub(crate) concerning_uid: Option<String>,
    pub(crate) files: Vec<Id>,
}

/// What an entry's seal is bound to: the entry and the generation of its key, so that a sealed
/// text moved to another entry, or another generation, does not open.
pub(crate) fn context(id: Id, generation: u32) -> String {
    format!("dangan-complaint-v1 {id} {generation}")
}

/// What a file's seal is bound to: the file, its key's generation and which part it is.
pub(crate) fn attachment_context(id: Id, generation: u32, part: &str) -> String {
    format!("dangan-complaint-file-v1 {id} {generation} {part}")
}

/// An entry's row: the clear days and the sealed words.
pub(crate) struct Row {
    pub(crate) id: Id,
    pub(crate) number: String,
    pub(crate) received_on: Date,
    pub(crate) belongs_elsewhere: bool,
    pub(crate) forwarded_on: Option<Date>,
    pub(crate) reported_on: Option<Date>,
    pub(crate) closed_on: Option<Date>,
    pub(crate) generation: u32,
    pub(crate) sealed: String,
}

const COLUMNS: &str =
    "id, number, received_on, belongs_elsewhere, forwarded_on, reported_on, closed_on, generation, sealed";

fn row_from(r: &rusqlite::Row<'_>) -> Result<Row> {
    let id: Id = r.get(0)?;
    let day = |i: usize| -> Result<Option<Date>> {
        let text: Option<String> = r.get(i)?;
        text.map(|t| calendar::parse_iso(&t).ok_or_else(|| super::people::corrupt_row("complaints", id))).transpose()
    };
    Ok(Row {
        id,
        number: r.get(1)?,
        received_on: day(2)?.ok_or_else(|| super::people::corrupt_row("complaints", id))?,
        belongs_elsewhere: r.get(3)?,
        forwarded_on: day(4)?,
        reported_on: day(5)?,
        closed_on: day(6)?,
        generation: r.get(7)?,
        sealed: r.get(8)?,
    })
}

pub(crate) fn open_content(keys: &RegisterKeys, row: &Row) -> Result<Content> {
    let key = keys.of(row.generation).ok_or_else(|| Error::Corrupt {
        path: "dangan.key".into(),
        reason: Text::new(
            format!("信访举报登记第 {} 号所用的密钥不在密钥文件中", row.number),
            format!("the key of register entry {} is not in the key file", row.number),
        ),
    })?;
    let plain = open_entry(key, &context(row.id, row.generation), &row.sealed)?;
    serde_json::from_slice(&plain).map_err(|_| super::people::corrupt_row("complaints", row.id))
}

pub(crate) fn seal_content(keys: &RegisterKeys, id: Id, content: &Content) -> Result<(u32, String)> {
    let (generation, key) = keys.newest().ok_or(Error::Crypto("no register key"))?;
    let plain = zeroize::Zeroizing::new(
        serde_json::to_vec(content).map_err(|e| Error::invalid("complaint", e.to_string(), e.to_string()))?,
    );
    Ok((generation, seal_entry(key, &context(id, generation), &plain)?))
}

fn state_of(row: &Row, content: &Content) -> ComplaintState {
    if row.closed_on.is_some() {
        ComplaintState::Closed
    } else if content.steps.is_empty() {
        ComplaintState::Registered
    } else {
        ComplaintState::Handling
    }
}

pub(crate) fn not_found(id: Id) -> Error {
    Error::NotFound { what: Text::new(format!("信访举报登记第 {id} 条"), format!("register entry {id}")) }
}

fn attachment_not_found(attachment: Id) -> Error {
    Error::NotFound {
        what: Text::new(format!("信访举报登记的材料 {attachment}"), format!("register file {attachment}")),
    }
}

/// The day an entry received on `received_on` must be forwarded by: the fifth working day after
/// it, by the office's holiday calendar.
pub(crate) fn forward_due(calendar: &WorkCalendar, received_on: Date) -> Date {
    let from = received_on.succ_opt().unwrap_or(received_on);
    calendar
        .after_working_days(from, complaints::FORWARD_WORKING_DAYS)
        .and_then(|(after, _)| after.pred_opt())
        .unwrap_or(received_on)
}

/// The register's line of an entry, from its clear columns only (`handled`: a step was recorded).
pub(crate) fn line_of(row: &Row, handled: bool, calendar: &WorkCalendar) -> ComplaintLine {
    let open = row.closed_on.is_none();
    let state = match (open, handled) {
        (false, _) => ComplaintState::Closed,
        (true, true) => ComplaintState::Handling,
        (true, false) => ComplaintState::Registered,
    };
    let forward_due =
        (open && row.belongs_elsewhere && row.forwarded_on.is_none()).then(|| forward_due(calendar, row.received_on));
    let since = row.reported_on.unwrap_or(row.received_on);
    let report_due = open.then(|| calendar::add_months(since, complaints::REPORT_MONTHS).unwrap_or(since));
    ComplaintLine {
        id: row.id,
        number: row.number.clone(),
        received_on: row.received_on,
        belongs_elsewhere: row.belongs_elsewhere,
        state,
        forward_due,
        report_due,
    }
}

/// An entry opened: its row's days and its words.
pub(crate) fn complaint_from(row: &Row, content: Content, attachments: Vec<ComplaintAttachment>) -> Complaint {
    let state = state_of(row, &content);
    Complaint {
        id: row.id,
        number: row.number.clone(),
        received_on: row.received_on,
        channel: content.channel,
        complainant: content.complainant,
        concerning: content.concerning,
        concerning_name: content.concerning_name,
        category: content.category,
        summary: content.summary,
        steps: content.steps,
        result: content.result,
        belongs_elsewhere: row.belongs_elsewhere,
        forwarded_on: row.forwarded_on,
        reported_on: row.reported_on,
        closed_on: row.closed_on,
        state,
        attachments,
    }
}

/// The number of the next entry received in `year`, after the highest of that year (`last`).
pub(crate) fn next_number(year: i32, last: Option<u32>) -> String {
    format!("{year:04}-{:03}", last.unwrap_or(0) + 1)
}

/// A closed entry takes no more files.
pub(crate) fn check_open_for_files(row: &Row) -> Result<()> {
    match row.closed_on {
        Some(closed) => Err(Error::invalid(
            "complaint",
            format!("第 {} 号已于 {} 办结，不再添加材料", row.number, calendar::format_zh(closed)),
            format!("entry {} was closed on {closed}: no more files", row.number),
        )),
        None => Ok(()),
    }
}

/// A file's sealed description and bytes, under the newest register key, bound to its number.
pub(crate) fn seal_attachment(
    keys: &RegisterKeys,
    attachment: Id,
    file: &super::NewAttachment,
) -> Result<(u32, String, Vec<u8>)> {
    let (generation, key) = keys.newest().ok_or(Error::Crypto("no register key"))?;
    let meta = ComplaintAttachment { id: attachment, name: file.name.clone(), size: file.bytes.len() as u64 };
    let meta = serde_json::to_vec(&meta).map_err(|e| Error::invalid("attachment", e.to_string(), e.to_string()))?;
    let meta = seal_entry(key, &attachment_context(attachment, generation, "meta"), &meta)?;
    let content = seal_bytes(key, &attachment_context(attachment, generation, "content"), &file.bytes)?;
    Ok((generation, meta, content))
}

/// A file's description, opened.
pub(crate) fn open_attachment_meta(
    keys: &RegisterKeys,
    attachment: Id,
    generation: u32,
    meta: &str,
) -> Result<ComplaintAttachment> {
    let key = keys.of(generation).ok_or(Error::Crypto("an attachment's register key is missing"))?;
    let plain = open_entry(key, &attachment_context(attachment, generation, "meta"), meta)?;
    serde_json::from_slice(&plain).map_err(|_| super::people::corrupt_row("complaint_attachments", attachment))
}

/// A file's description and bytes, opened.
pub(crate) fn open_attachment(
    keys: &RegisterKeys,
    attachment: Id,
    generation: u32,
    meta: &str,
    content: &[u8],
) -> Result<(ComplaintAttachment, Zeroizing<Vec<u8>>)> {
    let meta = open_attachment_meta(keys, attachment, generation, meta)?;
    let key = keys.of(generation).ok_or(Error::Crypto("an attachment's register key is missing"))?;
    let bytes = open_bytes(key, &attachment_context(attachment, generation, "content"), content)?;
    Ok((meta, bytes))
}

/// A file re-sealed under the newest register key (a new key after an inspector was removed).
pub(crate) fn reseal_attachment(
    keys: &RegisterKeys,
    attachment: Id,
    generation: u32,
    meta: &str,
    content: &[u8],
) -> Result<(u32, String, Vec<u8>)> {
    let key = keys.of(generation).ok_or(Error::Crypto("an attachment's register key is missing"))?;
    let meta = open_entry(key, &attachment_context(attachment, generation, "meta"), meta)?;
    let content = open_bytes(key, &attachment_context(attachment, generation, "content"), content)?;
    let (newest, new_key) = keys.newest().ok_or(Error::Crypto("no register key"))?;
    let meta = seal_entry(new_key, &attachment_context(attachment, newest, "meta"), &meta)?;
    let content = seal_bytes(new_key, &attachment_context(attachment, newest, "content"), &content)?;
    Ok((newest, meta, content))
}

/// A step of an entry's handling checked and added to its words: the words, and its days of
/// forwarding and reporting back as they become.
pub(crate) fn handled(
    keys: &RegisterKeys,
    row: &Row,
    new: &NewHandling,
    today: Date,
) -> Result<(Content, Option<Date>, Option<Date>)> {
    if let Some(closed) = row.closed_on {
        return Err(Error::invalid(
            "complaint",
            format!("第 {} 号已于 {} 办结", row.number, calendar::format_zh(closed)),
            format!("entry {} was closed on {closed}", row.number),
        ));
    }
    let step = complaints::check_handling(new, row.received_on, today)?;
    let mut content = open_content(keys, row)?;
    let forwarded_on = if step.handling == Handling::Forwarded { Some(step.date) } else { row.forwarded_on };
    content.steps.push(step);
    Ok((content, forwarded_on, new.reported_on.or(row.reported_on)))
}

/// An entry's close checked: its words with the result.
pub(crate) fn closing(keys: &RegisterKeys, row: &Row, date: Date, result: &str, today: Date) -> Result<Content> {
    if row.closed_on.is_some() {
        return Err(Error::invalid(
            "complaint",
            format!("第 {} 号已办结", row.number),
            format!("entry {} is closed", row.number),
        ));
    }
    complaints::check_day("date", date, Some((row.received_on, "受理日期", "the day received")), today)?;
    let result = complaints::text("result", ("办理结果", "result"), Some(result), 2000)?
        .ok_or_else(|| Error::invalid("result", "办结须写明办理结果", "closing needs the result"))?;
    let mut content = open_content(keys, row)?;
    content.result = Some(result);
    Ok(content)
}

/// The id of the entry named by `number` (`2026-003`) if there is one, else `number` read as an
/// id; neither: not found.
pub(crate) fn entry_named(number: &str, by_number: Option<Id>) -> Result<Id> {
    match (by_number, number.trim().parse::<Id>()) {
        (Some(id), _) => Ok(id),
        (None, Ok(id)) => Ok(id),
        (None, Err(_)) => Err(Error::NotFound {
            what: Text::new(
                format!("编号为 {} 的信访举报登记", crate::text::excerpt(number, 20)),
                format!("register entry {}", crate::text::excerpt(number, 20)),
            ),
        }),
    }
}

impl Store {
    fn complaint_row(&self, id: Id) -> Result<Row> {
        let sql = format!("SELECT {COLUMNS} FROM complaints WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => row_from(r),
            None => Err(not_found(id)),
        }
    }

    fn complaint_of(&self, keys: &RegisterKeys, row: &Row, content: Content) -> Result<Complaint> {
        Ok(complaint_from(row, content, self.attachment_list(keys, row.id)?))
    }

    /// An entry's files: each name and size, opened from its sealed description.
    fn attachment_list(&self, keys: &RegisterKeys, id: Id) -> Result<Vec<ComplaintAttachment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, generation, meta FROM complaint_attachments WHERE complaint_id = ?1 ORDER BY id",
        )?;
        let rows: Vec<(Id, u32, String)> =
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(attachment, generation, meta)| open_attachment_meta(keys, attachment, generation, &meta))
            .collect()
    }

    /// Attaches files (scans, photos, PDFs) to an open entry, sealed like its words.
    pub fn add_complaint_attachments(
        &mut self,
        keys: &RegisterKeys,
        id: Id,
        files: &[super::NewAttachment],
    ) -> Result<Complaint> {
        let tx = self.begin_change()?;
        self.require(Action::HandleComplaints)?;
        let row = self.complaint_row(id)?;
        check_open_for_files(&row)?;
        for file in files {
            super::files::check_attachment(&file.name, &file.bytes)?;
        }
        for file in files {
            // The number first, so that the seal can be bound to it.
            tx.execute(
                "INSERT INTO complaint_attachments (complaint_id, generation, meta, content) VALUES (?1, 0, '', x'')",
                params![id],
            )?;
            let attachment = tx.last_insert_rowid();
            let (generation, meta, content) = seal_attachment(keys, attachment, file)?;
            tx.execute(
                "UPDATE complaint_attachments SET generation = ?2, meta = ?3, content = ?4 WHERE id = ?1",
                params![attachment, generation, meta, content],
            )?;
        }
        tx.commit()?;
        let content = open_content(keys, &row)?;
        self.complaint_of(keys, &row, content)
    }

    /// One file of an entry, opened: the reading is recorded, as an entry's is.
    pub fn complaint_attachment(
        &self,
        keys: &RegisterKeys,
        id: Id,
        attachment: Id,
    ) -> Result<(ComplaintAttachment, Zeroizing<Vec<u8>>)> {
        self.require(Action::HandleComplaints)?;
        let found: Option<(u32, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT generation, meta, content FROM complaint_attachments WHERE id = ?1 AND complaint_id = ?2",
                params![attachment, id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((generation, meta, content)) = found else { return Err(attachment_not_found(attachment)) };
        let opened = open_attachment(keys, attachment, generation, &meta, &content)?;
        self.record_reading(id)?;
        Ok(opened)
    }

    /// Records that the signed-in inspector opened an entry (or one of its files).
    fn record_reading(&self, id: Id) -> Result<()> {
        self.conn.execute(
            "INSERT INTO complaint_reads (complaint_id, reader, read_at) VALUES (?1, ?2, ?3)",
            params![id, self.session_user().name, chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()],
        )?;
        Ok(())
    }

    /// That the register exists and how many entries are open: anyone signed in may know this.
    pub fn complaints_overview(&self) -> Result<ComplaintsOverview> {
        let (total, open): (i64, i64) = self.conn.query_row(
            "SELECT count(*), count(*) FILTER (WHERE closed_on IS NULL) FROM complaints",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ComplaintsOverview { total: total.unsigned_abs(), open: open.unsigned_abs() })
    }

    /// The register key generations the entries and their files are sealed under, for `verify`.
    pub(crate) fn register_generations_in_use(&self) -> Result<Vec<u32>> {
        let mut stmt = self.conn.prepare(
            "SELECT generation FROM complaints UNION SELECT generation FROM complaint_attachments ORDER BY 1",
        )?;
        let generations = stmt.query_map([], |r| r.get::<_, u32>(0))?.collect::<rusqlite::Result<Vec<u32>>>()?;
        Ok(generations)
    }

    /// The whole register opened, for its inspector to move it onto a shared server: each entry's
    /// facts and words, the UUID of the member it concerns (their number differs there), and its
    /// files, oldest first.
    pub(crate) fn register_for_upload(&self, keys: &RegisterKeys) -> Result<Vec<KeptComplaint>> {
        self.require(Action::HandleComplaints)?;
        let mut stmt = self.conn.prepare(&format!("SELECT {COLUMNS}, handled FROM complaints ORDER BY id"))?;
        let rows =
            stmt.query_map([], |r| Ok((row_from(r), r.get::<_, bool>(9)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut kept = Vec::with_capacity(rows.len());
        for (row, handled) in rows {
            let row = row?;
            let content = open_content(keys, &row)?;
            let concerning_uid = match content.concerning {
                Some(person) => self
                    .conn
                    .query_row("SELECT uid FROM people WHERE id = ?1", [person], |r| r.get::<_, String>(0))
                    .optional()?,
                None => None,
            };
            let files = self
                .conn
                .prepare_cached("SELECT id FROM complaint_attachments WHERE complaint_id = ?1 ORDER BY id")?
                .query_map([row.id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<Id>>>()?;
            kept.push(KeptComplaint { row, handled, content, concerning_uid, files });
        }
        Ok(kept)
    }

    /// One file of the register, opened, for its move onto a shared server.
    pub(crate) fn register_file(&self, keys: &RegisterKeys, attachment: Id) -> Result<super::NewAttachment> {
        self.require(Action::HandleComplaints)?;
        let (generation, meta, content): (u32, String, Vec<u8>) = self.conn.query_row(
            "SELECT generation, meta, content FROM complaint_attachments WHERE id = ?1",
            [attachment],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let (meta, bytes) = open_attachment(keys, attachment, generation, &meta, &content)?;
        Ok(super::NewAttachment { name: meta.name, bytes: bytes.to_vec() })
    }

    /// Whether the register holds any entry (its key must then be in the key file).
    pub(crate) fn complaints_exist(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM complaints)", [], |r| r.get(0))?)
    }

    /// Registers an entry, numbered within the year received, its words sealed.
    pub fn add_complaint(&mut self, keys: &RegisterKeys, new: &NewComplaint) -> Result<Complaint> {
        let tx = self.begin_change()?;
        self.require(Action::HandleComplaints)?;
        let mut content = complaints::check_new(new, self.today())?;
        if let Some(member) = content.concerning {
            let name: Option<String> =
                self.conn.query_row("SELECT name FROM people WHERE id = ?1", [member], |r| r.get(0)).optional()?;
            content.concerning_name = Some(name.ok_or_else(|| super::people::not_found(member))?);
        }
        let year = new.received_on.year();
        let last: Option<u32> = tx.query_row(
            "SELECT MAX(CAST(substr(number, 6) AS INTEGER)) FROM complaints WHERE number LIKE ?1",
            [format!("{year:04}-%")],
            |r| r.get(0),
        )?;
        let number = next_number(year, last);
        // The id first, so that the seal can be bound to it.
        tx.execute(
            "INSERT INTO complaints (number, received_on, belongs_elsewhere, generation, sealed)
             VALUES (?1, ?2, ?3, 0, '')",
            params![number, new.received_on.to_string(), new.belongs_elsewhere],
        )?;
        let id = tx.last_insert_rowid();
        let (generation, sealed) = seal_content(keys, id, &content)?;
        tx.execute(
            "UPDATE complaints SET generation = ?2, sealed = ?3 WHERE id = ?1",
            params![id, generation, sealed],
        )?;
        tx.commit()?;
        self.awaited_changed();
        let row = self.complaint_row(id)?;
        self.complaint_of(keys, &row, content)
    }

    /// The register, newest first: each entry's number, days, state and what is due, all from
    /// the clear columns: listing opens no entry (opening one is a recorded reading).
    pub fn complaints(&self, open_only: bool) -> Result<Vec<ComplaintLine>> {
        self.require(Action::HandleComplaints)?;
        let mut sql = format!("SELECT {COLUMNS}, handled FROM complaints");
        if open_only {
            sql.push_str(" WHERE closed_on IS NULL");
        }
        sql.push_str(" ORDER BY received_on DESC, id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let row = row_from(r)?;
            out.push(line_of(&row, r.get(9)?, self.work_calendar()));
        }
        Ok(out)
    }

    /// Opens an entry: its words, handling and result. The reading is recorded (who, which,
    /// when), and so is in the audit log.
    pub fn complaint(&self, keys: &RegisterKeys, id: Id) -> Result<Complaint> {
        self.require(Action::HandleComplaints)?;
        let row = self.complaint_row(id)?;
        let content = open_content(keys, &row)?;
        self.record_reading(id)?;
        self.complaint_of(keys, &row, content)
    }

    /// The entry with the number given (`2026-003`), or by its id.
    pub fn complaint_id(&self, number: &str) -> Result<Id> {
        self.require(Action::HandleComplaints)?;
        let by_number: Option<Id> = self
            .conn
            .query_row("SELECT id FROM complaints WHERE number = ?1", [number.trim()], |r| r.get(0))
            .optional()?;
        entry_named(number, by_number)
    }

    /// Records a step of an entry's handling (a forwarding dates its forwarding; a report back
    /// dates it). A closed entry is not handled further.
    pub fn handle_complaint(&mut self, keys: &RegisterKeys, id: Id, new: &NewHandling) -> Result<Complaint> {
        let tx = self.begin_change()?;
        self.require(Action::HandleComplaints)?;
        // Read, changed and written in one transaction: the app and the CLI handling the same entry
        // at once each add their step, neither losing the other's.
        let row = self.complaint_row(id)?;
        let (content, forwarded_on, reported_on) = handled(keys, &row, new, self.today())?;
        let (generation, sealed) = seal_content(keys, id, &content)?;
        self.conn.execute(
            "UPDATE complaints SET generation = ?2, sealed = ?3, forwarded_on = ?4, reported_on = ?5, handled = 1
             WHERE id = ?1",
            params![id, generation, sealed, forwarded_on.map(|d| d.to_string()), reported_on.map(|d| d.to_string())],
        )?;
        tx.commit()?;
        self.awaited_changed();
        let row = self.complaint_row(id)?;
        self.complaint_of(keys, &row, content)
    }

    /// Closes an entry with its result.
    pub fn close_complaint(&mut self, keys: &RegisterKeys, id: Id, date: Date, result: &str) -> Result<Complaint> {
        let tx = self.begin_change()?;
        self.require(Action::HandleComplaints)?;
        let row = self.complaint_row(id)?;
        let content = closing(keys, &row, date, result, self.today())?;
        let (generation, sealed) = seal_content(keys, id, &content)?;
        self.conn.execute(
            "UPDATE complaints SET generation = ?2, sealed = ?3, closed_on = ?4 WHERE id = ?1",
            params![id, generation, sealed, date.to_string()],
        )?;
        tx.commit()?;
        self.awaited_changed();
        let row = self.complaint_row(id)?;
        self.complaint_of(keys, &row, content)
    }

    /// Re-encrypts every entry under the newest register key, in one transaction (a new key after
    /// an inspector was removed).
    pub(crate) fn rekey_complaints(&mut self, keys: &RegisterKeys) -> Result<()> {
        let tx = self.begin_change()?;
        // Read inside the transaction: an entry written meanwhile is not left under the old key.
        let rows: Vec<Row> = {
            let sql = format!("SELECT {COLUMNS} FROM complaints");
            let mut stmt = tx.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(row_from(r)?);
            }
            out
        };
        for row in &rows {
            let content = open_content(keys, row)?;
            let (generation, sealed) = seal_content(keys, row.id, &content)?;
            tx.execute(
                "UPDATE complaints SET generation = ?2, sealed = ?3 WHERE id = ?1",
                params![row.id, generation, sealed],
            )?;
        }
        let files: Vec<(Id, u32, String, Vec<u8>)> = tx
            .prepare("SELECT id, generation, meta, content FROM complaint_attachments")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (attachment, generation, meta, content) in &files {
            let (newest, meta, content) = reseal_attachment(keys, *attachment, *generation, meta, content)?;
            tx.execute(
                "UPDATE complaint_attachments SET generation = ?2, meta = ?3, content = ?4 WHERE id = ?1",
                params![attachment, newest, meta, content],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{NewUser, Role};
    use crate::complaints::Channel;
    use crate::keys::{KdfParams, RegisterKey};
    use crate::workspace::NewWorkspace;
    use crate::{Workspace, domain::Person};

    /// Read with the database key, every table of the workspace holds no word of an entry: only
    /// the register key opens them.
    #[test]
    fn the_database_key_opens_no_word_of_the_register() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path().join("ws"));
        let new = NewWorkspace {
            kdf: KdfParams::FOR_TESTS,
            user: "管理员",
            ..NewWorkspace::new("admin-passphrase", "测试党委")
        };
        let mut admin = ws.create(&new).unwrap();
        let top = admin.org_tree().unwrap().committee().unwrap().id;
        let branch = admin.add_org_unit(top, crate::domain::OrgKind::Branch, "第一党支部").unwrap().id;
        let member = admin.save_person(Person { branch_id: branch, name: "张三".into(), ..Person::default() }).unwrap();
        let inspector =
            NewUser { name: "纪检", role: Role::DisciplineInspector, branches: &[], passphrase: "inspector-pass" };
        ws.add_user_with_kdf(&mut admin, &inspector, KdfParams::FOR_TESTS).unwrap();
        let mut store = ws.open_as(Some("纪检"), "inspector-pass").unwrap();
        let keys = RegisterKeys { keys: vec![(1, RegisterKey::generate().unwrap())] };
        let words = "某学院评优材料弄虚作假一事的详细经过";
        let new = NewComplaint {
            channel: Channel::Online,
            received_on: store.today(),
            complainant: Some("实名举报人王某".into()),
            concerning: member.person.id,
            category: Some("违反廉洁纪律".into()),
            summary: words.into(),
            belongs_elsewhere: false,
        };
        let id = store.add_complaint(&keys, &new).unwrap().id;
        store.complaint(&keys, id).unwrap();
        let tables: Vec<String> = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut seen = 0;
        for table in tables {
            let mut stmt = store.conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                for i in 0..columns {
                    let text = match row.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        _ => continue,
                    };
                    seen += 1;
                    for secret in [words, "实名举报人王某", "违反廉洁纪律"] {
                        assert!(!text.contains(secret), "{table} holds “{secret}”");
                    }
                }
            }
        }
        assert!(seen > 100, "the tables were read");
    }
}
