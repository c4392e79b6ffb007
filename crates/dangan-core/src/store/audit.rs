//! The audit log: every change to the records, who made it and when, field by field, in a hash
//! chain.
//!
//! Entries are written by SQL triggers, so no write path can forget them and each lands in the
//! same transaction as its change (a rolled-back import leaves no entry either). The triggers are
//! TEMP triggers, created on every connection the store opens: only a temp trigger may read the
//! connection's `temp.audit_actor` (who is signed in) and call `dangan_audit_hash`, a function
//! this connection registers. A connection that is not a `Store` (a backup snapshot being made)
//! writes no records, so it needs none.
//!
//! Each entry's `hash` is SHA-256 over its own fields and the previous entry's hash. Editing or
//! removing an entry, or inserting one in the middle, breaks the chain at that point, and
//! `verify` names it. The chain is not keyed: whoever holds the database key and rewrites the
//! whole log from the point of change onward is not caught, nor is cutting off its newest
//! entries (README, Security).

use std::ops::ControlFlow;
use std::path::Path;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Statement, params_from_iter};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Store;
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::Id;
use crate::{Error, Result, Text};

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A table whose changes are logged: how to name a row, which member it concerns, and which
/// columns are left out (derived caches, file contents).
struct Audited {
    table: &'static str,
    /// An expression over `{r}` (NEW or OLD) naming the row.
    key: &'static str,
    /// An expression over `{r}` giving the member the row belongs to, or NULL.
    member: &'static str,
    skip: &'static [&'static str],
    /// Rows left out altogether (an expression over `{r}`), e.g. the daily backup's bookkeeping.
    unless: &'static str,
}

const AUDITED: &[Audited] = &[
    Audited {
        table: "people",
        key: "{r}.id",
        member: "{r}.id",
        skip: &["pinyin", "initials", "sort_key", "last_life", "status", "dues_from", "dues_through"],
        unless: "0",
    },
    Audited { table: "events", key: "{r}.id", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited { table: "records", key: "{r}.id", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited {
        table: "attachments",
        key: "{r}.id",
        member: "(SELECT person_id FROM main.records WHERE id = {r}.record_id)",
        skip: &["content"],
        unless: "0",
    },
    Audited { table: "dismissals", key: "{r}.rule || ' ' || {r}.due", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited {
        table: "unit_dismissals",
        key: "{r}.unit_id || ' ' || {r}.group_id || ' ' || {r}.rule || ' ' || {r}.due",
        member: "NULL",
        skip: &[],
        unless: "0",
    },
    Audited { table: "org_units", key: "{r}.id", member: "NULL", skip: &[], unless: "0" },
    Audited { table: "meetings", key: "{r}.id", member: "NULL", skip: &[], unless: "0" },
    Audited { table: "meeting_attachments", key: "{r}.id", member: "NULL", skip: &["content"], unless: "0" },
    Audited {
        table: "attendance",
        key: "{r}.meeting_id || ' ' || {r}.person_id",
        member: "{r}.person_id",
        skip: &[],
        unless: "0",
    },
    Audited { table: "party_groups", key: "{r}.id", member: "NULL", skip: &[], unless: "0" },
    Audited {
        table: "group_members",
        key: "{r}.group_id || ' ' || {r}.person_id",
        member: "{r}.person_id",
        skip: &[],
        unless: "0",
    },
    Audited { table: "committee_posts", key: "{r}.id", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited { table: "training_classes", key: "{r}.id", member: "NULL", skip: &[], unless: "0" },
    Audited { table: "class_sessions", key: "{r}.id", member: "NULL", skip: &[], unless: "0" },
    Audited {
        table: "trainees",
        key: "{r}.class_id || ' ' || {r}.person_id",
        member: "{r}.person_id",
        skip: &[],
        unless: "0",
    },
    Audited {
        table: "session_attendance",
        key: "{r}.session_id || ' ' || {r}.person_id",
        member: "{r}.person_id",
        skip: &[],
        unless: "0",
    },
    Audited { table: "study_entries", key: "{r}.id", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited { table: "status_changes", key: "{r}.id", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited { table: "dues_bases", key: "{r}.id", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited {
        table: "dues_months",
        key: "{r}.person_id || ' ' || {r}.month",
        member: "{r}.person_id",
        skip: &[],
        unless: "0",
    },
    // A letter's package code opens the member's whole file: it is printed on the letter, never logged.
    Audited {
        table: "transfer_letters",
        key: "{r}.number",
        member: "{r}.person_id",
        skip: &["package_code"],
        unless: "0",
    },
    Audited { table: "transfer_requests", key: "{r}.id", member: "{r}.person_id", skip: &[], unless: "0" },
    // Never against a member: who an entry concerns is sealed, and the log must not tell.
    Audited { table: "complaints", key: "{r}.number", member: "NULL", skip: &[], unless: "0" },
    Audited { table: "complaint_reads", key: "{r}.complaint_id", member: "NULL", skip: &[], unless: "0" },
    Audited {
        table: "complaint_attachments",
        key: "{r}.complaint_id",
        member: "NULL",
        skip: &["content"],
        unless: "0",
    },
    Audited { table: "appraisals", key: "{r}.id", member: "NULL", skip: &[], unless: "0" },
    Audited {
        table: "appraisal_steps",
        key: "{r}.appraisal_id || ' ' || {r}.step",
        member: "NULL",
        skip: &[],
        unless: "0",
    },
    Audited {
        table: "appraisal_members",
        key: "{r}.appraisal_id || ' ' || {r}.person_id",
        member: "{r}.person_id",
        skip: &[],
        unless: "0",
    },
    Audited {
        table: "corrections",
        key: "{r}.appraisal_id || ' ' || {r}.person_id",
        member: "{r}.person_id",
        skip: &[],
        unless: "0",
    },
    // The sending office's trail that came with a package: another office's log, not this one's.
    Audited { table: "arrivals", key: "{r}.person_id", member: "{r}.person_id", skip: &["history"], unless: "0" },
    Audited { table: "kept_graduates", key: "{r}.person_id", member: "{r}.person_id", skip: &[], unless: "0" },
    Audited { table: "holidays", key: "{r}.date", member: "NULL", skip: &[], unless: "0" },
    Audited { table: "holiday_years", key: "{r}.year", member: "NULL", skip: &[], unless: "0" },
    Audited {
        table: "meta",
        key: "{r}.key",
        member: "NULL",
        skip: &[],
        unless: "{r}.key IN ('backup_last', 'calendar_id')",
    },
    Audited { table: "users", key: "{r}.name", member: "NULL", skip: &[], unless: "0" },
    Audited { table: "document_templates", key: "{r}.id", member: "NULL", skip: &[], unless: "0" },
    Audited {
        table: "user_branches",
        key: "(SELECT name FROM main.users WHERE id = {r}.user_id) || ' ' || {r}.unit_id",
        member: "NULL",
        skip: &[],
        unless: "0",
    },
];

/// Registers the hash function and creates this connection's audit triggers, acting as `actor`.
pub(super) fn install(conn: &Connection, actor: &str) -> Result<()> {
    conn.create_scalar_function("dangan_audit_hash", 11, FunctionFlags::SQLITE_DETERMINISTIC, |ctx| {
        let fields: Vec<Option<String>> = (0..ctx.len()).map(|i| text_of(ctx.get_raw(i))).collect();
        let fields: Vec<Option<&str>> = fields.iter().map(Option::as_deref).collect();
        Ok(chain_hash(&fields))
    })?;
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS audit_actor (actor TEXT NOT NULL);
         DELETE FROM temp.audit_actor;
         INSERT INTO temp.audit_actor (actor) VALUES (?1);\n",
    );
    conn.execute_batch(&sql.replace("?1", &quote(actor)))?;
    sql.clear();
    for audited in AUDITED {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{}') ORDER BY cid", audited.table))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?
            .into_iter()
            .filter(|c| !audited.skip.contains(&c.as_str()))
            .collect();
        let json = |r: &str| {
            let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {r}.\"{c}\"")).collect();
            format!("json_object({})", pairs.join(", "))
        };
        let t = audited.table;
        let entry = |r: &str, action: &str, field: &str, old: &str, new: &str, when: &str| {
            let key = audited.key.replace("{r}", r);
            let member = audited.member.replace("{r}", r);
            let unless = audited.unless.replace("{r}", r);
            format!(
                "INSERT INTO audit_log (seq, at, actor, entity, entity_id, member_id, action, field, old, new, prev_hash, hash)
                 SELECT s.seq, s.at, s.actor, '{t}', CAST({key} AS TEXT), {member}, '{action}', {field}, {old}, {new}, s.prev,
                        dangan_audit_hash(s.prev, s.seq, s.at, s.actor, '{t}', CAST({key} AS TEXT), {member}, '{action}', {field}, {old}, {new})
                 FROM (SELECT ifnull((SELECT max(seq) FROM main.audit_log), 0) + 1 AS seq,
                              strftime('%Y-%m-%dT%H:%M:%SZ', 'now') AS at,
                              (SELECT actor FROM temp.audit_actor) AS actor,
                              ifnull((SELECT hash FROM main.audit_log ORDER BY seq DESC LIMIT 1), '{GENESIS}') AS prev) AS s
                 WHERE ({when}) AND NOT ({unless});\n"
            )
        };
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.audit_{t}_insert;
             CREATE TEMP TRIGGER audit_{t}_insert AFTER INSERT ON main.{t} BEGIN {} END;\n",
            entry("NEW", "insert", "NULL", "NULL", &json("NEW"), "1")
        ));
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.audit_{t}_delete;
             CREATE TEMP TRIGGER audit_{t}_delete AFTER DELETE ON main.{t} BEGIN {} END;\n",
            entry("OLD", "delete", "NULL", &json("OLD"), "NULL", "1")
        ));
        let updates: String = columns
            .iter()
            .map(|c| {
                entry(
                    "NEW",
                    "update",
                    &format!("'{c}'"),
                    &format!("CAST(OLD.\"{c}\" AS TEXT)"),
                    &format!("CAST(NEW.\"{c}\" AS TEXT)"),
                    &format!("OLD.\"{c}\" IS NOT NEW.\"{c}\""),
                )
            })
            .collect();
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.audit_{t}_update;
             CREATE TEMP TRIGGER audit_{t}_update AFTER UPDATE ON main.{t} BEGIN {updates} END;\n"
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Drops this connection's triggers on `tables`, for a bulk write that logs itself through
/// [`BulkLog`]; [`resume`] puts them back.
pub(crate) fn suspend(conn: &Connection, tables: &[&str]) -> Result<()> {
    for t in tables {
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS temp.audit_{t}_insert; DROP TRIGGER IF EXISTS temp.audit_{t}_update;
             DROP TRIGGER IF EXISTS temp.audit_{t}_delete;"
        ))?;
    }
    Ok(())
}

/// Whether this connection's triggers on people and events (the ones [`suspend`] drops) exist.
pub(crate) fn installed(conn: &Connection) -> Result<bool> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger'
         AND name IN ('audit_people_insert', 'audit_people_update', 'audit_people_delete',
                      'audit_events_insert', 'audit_events_update', 'audit_events_delete')",
        [],
        |r| r.get(0),
    )?;
    Ok(count == 6)
}

/// Recreates every trigger [`suspend`] dropped, for the same signed-in user.
pub(crate) fn resume(conn: &Connection) -> Result<()> {
    let actor: String = conn.query_row("SELECT actor FROM temp.audit_actor", [], |r| r.get(0))?;
    install(conn, &actor)
}

/// Appends entries from Rust inside a transaction, continuing the chain: an import logs one entry
/// per person (the person and their events as JSON) instead of one per row the triggers would see,
/// a ninth of the entries and a fraction of the time for a 100,000-person roster.
pub(crate) struct BulkLog<'c> {
    conn: &'c Connection,
    /// [`INSERT_ENTRY`], prepared once for the whole write.
    insert: Statement<'c>,
    at: String,
    actor: String,
    /// The newest entry's seq and hash, once read: the next entry follows it.
    head: Option<(i64, String)>,
}

impl<'c> BulkLog<'c> {
    /// Who and when, for the entries of one bulk write.
    pub(crate) fn begin(conn: &'c Connection) -> Result<BulkLog<'c>> {
        let actor = conn.query_row("SELECT actor FROM temp.audit_actor", [], |r| r.get(0))?;
        let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        Ok(BulkLog { conn, insert: conn.prepare(INSERT_ENTRY)?, at, actor, head: None })
    }

    /// Forgets the newest entry: a trigger has written one since (a branch the import created).
    pub(crate) fn invalidate(&mut self) {
        self.head = None;
    }

    /// Appends one entry about a member (`action` insert or update, the whole record as JSON).
    pub(crate) fn member(&mut self, member_id: Id, action: &str, old: Option<&str>, new: Option<&str>) -> Result<()> {
        let (last, prev) = match self.head.take() {
            Some(head) => head,
            None => newest(self.conn)?,
        };
        let id = member_id.to_string();
        let entry = Entry {
            at: &self.at,
            actor: &self.actor,
            entity: "people",
            entity_id: Some(&id),
            member_id: Some(member_id),
            action,
            field: None,
            old,
            new,
        };
        let hash = write_entry(&mut self.insert, last + 1, &prev, &entry)?;
        self.head = Some((last + 1, hash));
        Ok(())
    }
}

/// One entry as Rust writes it.
struct Entry<'a> {
    at: &'a str,
    actor: &'a str,
    entity: &'a str,
    entity_id: Option<&'a str>,
    member_id: Option<Id>,
    action: &'a str,
    field: Option<&'a str>,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

/// Appends one entry from Rust, as the signed-in user, now: for what no trigger sees (a key
/// slot in the key file).
pub(crate) fn append(
    conn: &Connection,
    entity: &str,
    entity_id: Option<&str>,
    action: &str,
    field: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    let actor: String = conn.query_row("SELECT actor FROM temp.audit_actor", [], |r| r.get(0))?;
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let (last, prev) = newest(conn)?;
    let entry = Entry { at: &at, actor: &actor, entity, entity_id, member_id: None, action, field, old: None, new };
    write_entry(&mut *conn.prepare_cached(INSERT_ENTRY)?, last + 1, &prev, &entry).map(|_| ())
}

/// The newest entry's seq and hash (0 and the genesis hash for an empty log).
fn newest(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS.to_owned())))
}

const INSERT_ENTRY: &str = "INSERT INTO audit_log (seq, at, actor, entity, entity_id, member_id, action, field, old, \
     new, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/// Writes `entry` with `insert` ([`INSERT_ENTRY`]) as number `seq` after the entry whose hash is
/// `prev`, chained exactly as the triggers chain theirs; returns its hash.
fn write_entry(insert: &mut Statement<'_>, seq: i64, prev: &str, e: &Entry<'_>) -> Result<String> {
    let (seq_text, member) = (seq.to_string(), e.member_id.map(|m| m.to_string()));
    let hash = chain_hash(&[
        Some(prev),
        Some(&seq_text),
        Some(e.at),
        Some(e.actor),
        Some(e.entity),
        e.entity_id,
        member.as_deref(),
        Some(e.action),
        e.field,
        e.old,
        e.new,
    ]);
    insert.execute(rusqlite::params![
        seq,
        e.at,
        e.actor,
        e.entity,
        e.entity_id,
        e.member_id,
        e.action,
        e.field,
        e.old,
        e.new,
        prev,
        hash
    ])?;
    Ok(hash)
}

/// Changes who the following changes are logged as.
pub(super) fn set_actor(conn: &Connection, actor: &str) -> Result<()> {
    conn.execute("UPDATE temp.audit_actor SET actor = ?1", [actor])?;
    Ok(())
}

/// A person's audit trail as a summary that may travel with them: one line a change, when, who
/// and what (table, column), never the values.
pub(crate) fn member_history(conn: &Connection, person_id: crate::domain::Id) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT at, actor, action, entity, field FROM audit_log WHERE member_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([person_id], |r| {
        let (at, actor, action, entity): (String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let field: Option<String> = r.get(4)?;
        Ok(match field {
            Some(field) => format!("{at} {actor} {action} {entity}.{field}"),
            None => format!("{at} {actor} {action} {entity}"),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn text_of(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Some(hex::encode(b)),
    }
}

/// SHA-256 over the fields, each length-prefixed so no two different entries encode alike, NULL
/// distinct from the empty string.
fn chain_hash(fields: &[Option<&str>]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"dangan-audit-v1");
    for field in fields {
        match field {
            None => hasher.update([0xff]),
            Some(s) => {
                hasher.update([0x00]);
                hasher.update((s.len() as u64).to_le_bytes());
                hasher.update(s.as_bytes());
            }
        }
    }
    hex::encode(hasher.finalize())
}

/// One logged change.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub seq: i64,
    /// When, in UTC (`2026-11-24T08:30:00Z`).
    pub at: String,
    /// The user who made the change.
    pub actor: String,
    /// What was changed: `people`, `events`, `records`, `attachments`, `dismissals`, `org_units`,
    /// `holidays`, `holiday_years`, `meta` (settings and rules), `users`, `user_branches`, `meetings`,
    /// `attendance`, `party_groups`, `group_members`, `committee_posts`, `unit_dismissals`,
    /// `training_classes`, `class_sessions`, `trainees`, `session_attendance`, `study_entries`,
    /// `meeting_attachments`, `status_changes`, `dues_bases`, `dues_months`, `transfer_letters`, `transfer_requests`,
    /// `arrivals`, `kept_graduates`, `appraisals`, `appraisal_steps`, `appraisal_members`, `corrections`,
    /// `complaints`, `complaint_reads`, `complaint_attachments`.
    pub entity: String,
    pub entity_id: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub member_id: Option<Id>,
    /// The member's name today, when the entry concerns one who still exists.
    pub member_name: Option<String>,
    /// `insert`, `update` or `delete`.
    pub action: String,
    /// The column, for an update; `null` for an insert or delete (whose `new`/`old` is the row as JSON).
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub hash: String,
}

/// Which entries to show, newest first.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub member_id: Option<Id>,
    pub actor: Option<String>,
    pub entity: Option<String>,
    /// First and last day (UTC), inclusive.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub from: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub to: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub offset: u64,
    /// At most this many (0: all).
    pub limit: u32,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditPage {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub total: u64,
    pub entries: Vec<AuditEntry>,
}

/// Where the chain breaks, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainCheck {
    pub(crate) entries: u64,
    pub(crate) broken_at: Option<(i64, Text)>,
}

impl Store {
    /// The audit log, filtered, newest first. Administrators and auditors only.
    pub fn audit_log(&self, query: &AuditQuery) -> Result<AuditPage> {
        self.require(Action::ReadAudit)?;
        let (filter, values) = audit_filter(query);
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM audit_log a WHERE {filter}"),
            params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        let limit = if query.limit == 0 { -1 } else { i64::from(query.limit) };
        let sql = format!(
            "SELECT a.seq, a.at, a.actor, a.entity, a.entity_id, a.member_id, p.name, a.action, a.field, a.old, a.new, a.hash
             FROM audit_log a LEFT JOIN people p ON p.id = a.member_id
             WHERE {filter} ORDER BY a.seq DESC LIMIT {limit} OFFSET {}",
            query.offset
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let entries = stmt
            .query_map(params_from_iter(values.iter()), |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    entity: r.get(3)?,
                    entity_id: r.get(4)?,
                    member_id: r.get(5)?,
                    member_name: r.get(6)?,
                    action: r.get(7)?,
                    field: r.get(8)?,
                    old: r.get(9)?,
                    new: r.get(10)?,
                    hash: r.get(11)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(AuditPage { total: total as u64, entries })
    }

    /// Writes the entries matching `query` (all of them, oldest first) to a CSV file that Excel
    /// opens (UTF-8 with a byte-order mark), hashes included so the copy can be checked.
    /// Returns how many entries were written.
    pub fn export_audit_csv(&self, query: &AuditQuery, path: &Path) -> Result<u64> {
        self.require(Action::ReadAudit)?;
        let mut all = self.audit_log(&AuditQuery { offset: 0, limit: 0, ..query.clone() })?.entries;
        all.reverse();
        write_audit_csv(self.workspace_dir(), path, &all)
    }

    /// Recomputes the whole chain from the first entry.
    /// The newest entry of the audit log (its number and hash), `None` while it is empty. A backup
    /// writes it into its header: the chain alone cannot notice its newest entries cut off.
    pub(crate) fn audit_head(&self) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// The hash of entry `seq`, if the log has it.
    pub(crate) fn audit_hash_at(&self, seq: i64) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| r.get(0)).optional()?)
    }

    pub(crate) fn check_audit_chain(&self) -> Result<ChainCheck> {
        let mut walk = ChainWalk::default();
        let mut broken = None;
        self.each_chain_row(|row| {
            broken = walk.step(row.seq, &row.prev_hash, &row.field_refs(), &row.hash);
            Ok(if broken.is_some() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
        })?;
        Ok(broken.unwrap_or_else(|| walk.end()))
    }

    /// Each entry of the log as the chain hashes it, in order, until `f` breaks.
    pub(crate) fn each_chain_row(&self, mut f: impl FnMut(ChainRow) -> Result<ControlFlow<()>>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, entity, entity_id, member_id, action, field, old, new, prev_hash, hash
             FROM audit_log ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let fields: Vec<Option<String>> =
                (1..=9).map(|i| row.get_ref(i).map(text_of)).collect::<rusqlite::Result<_>>()?;
            let row = ChainRow { seq: row.get(0)?, fields, prev_hash: row.get(10)?, hash: row.get(11)? };
            if f(row)?.is_break() {
                break;
            }
        }
        Ok(())
    }
}

/// One entry of a workspace's log as its chain hashes it: the number, the nine fields after it
/// (`at, actor, entity, entity_id, member_id, action, field, old, new`, as text), the link to
/// the entry before and the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainRow {
    pub(crate) seq: i64,
    pub(crate) fields: Vec<Option<String>>,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

impl ChainRow {
    pub(crate) fn field_refs(&self) -> Vec<Option<&str>> {
        self.fields.iter().map(Option::as_deref).collect()
    }
}

/// Follows the chain from its first entry, one entry at a time: each must be the next number,
/// link to the one before, and hash to what it says. The server's log is the same chain with one
/// field more (`store/server/audit.rs`).
pub(crate) struct ChainWalk {
    expected_prev: String,
    expected_seq: i64,
    entries: u64,
}

impl Default for ChainWalk {
    fn default() -> ChainWalk {
        ChainWalk { expected_prev: GENESIS.to_owned(), expected_seq: 1, entries: 0 }
    }
}

impl ChainWalk {
    /// One entry: its number, the hash it links to, the fields hashed after those two, and its
    /// hash. Says where the chain breaks, if it breaks here.
    pub(crate) fn step(&mut self, seq: i64, prev: &str, fields: &[Option<&str>], hash: &str) -> Option<ChainCheck> {
        self.entries += 1;
        let broken = |zh: String, en: String| {
            Some(ChainCheck { entries: self.entries, broken_at: Some((seq, Text::new(zh, en))) })
        };
        if seq != self.expected_seq {
            return broken(
                format!("审计日志缺少第 {} 条至第 {} 条", self.expected_seq, seq - 1),
                format!("audit entries {} to {} are missing", self.expected_seq, seq - 1),
            );
        }
        if prev != self.expected_prev {
            return broken(
                format!("审计日志第 {seq} 条与前一条不相接"),
                format!("audit entry {seq} does not follow on from the one before"),
            );
        }
        let seq_text = seq.to_string();
        let mut all: Vec<Option<&str>> = vec![Some(prev), Some(&seq_text)];
        all.extend_from_slice(fields);
        if chain_hash(&all) != hash {
            return broken(format!("审计日志第 {seq} 条已被改动"), format!("audit entry {seq} has been altered"));
        }
        hash.clone_into(&mut self.expected_prev);
        self.expected_seq += 1;
        None
    }

    /// The newest entry followed so far: its number and hash.
    pub(crate) fn last(&self) -> Option<(i64, String)> {
        (self.expected_seq > 1).then(|| (self.expected_seq - 1, self.expected_prev.clone()))
    }

    /// The whole chain followed without a break.
    pub(crate) fn end(self) -> ChainCheck {
        ChainCheck { entries: self.entries, broken_at: None }
    }
}

/// Entries as a CSV file, oldest first as given, every user-written cell neutralised against
/// spreadsheet formulas; either engine's log. Returns how many.
pub(crate) fn write_audit_csv(workspace_dir: &Path, path: &Path, all: &[AuditEntry]) -> Result<u64> {
    let mut out = crate::output::OutputFile::create(workspace_dir, path)?;
    std::io::Write::write_all(&mut out, "\u{feff}".as_bytes()).map_err(Error::io(path))?;
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(out));
    let io = |e: csv::Error| Error::Io { path: path.to_owned(), source: std::io::Error::other(e) };
    csv.write_record([
        "序号 seq",
        "时间 at (UTC)",
        "用户 user",
        "对象 entity",
        "编号 id",
        "党员编号 member",
        "党员 name",
        "操作 action",
        "字段 field",
        "原值 old",
        "新值 new",
        "哈希 hash",
    ])
    .map_err(io)?;
    for e in all {
        // Names, user names and values are the users' own text: neutralised so a spreadsheet
        // never runs one as a formula (`=HYPERLINK(…)`).
        let cell = |v: &str| crate::output::csv_cell(v).into_owned();
        let opt = |v: &Option<String>| cell(v.as_deref().unwrap_or_default());
        csv.write_record([
            e.seq.to_string(),
            e.at.clone(),
            cell(&e.actor),
            cell(&e.entity),
            opt(&e.entity_id),
            e.member_id.map(|m| m.to_string()).unwrap_or_default(),
            opt(&e.member_name),
            cell(&e.action),
            opt(&e.field),
            opt(&e.old),
            opt(&e.new),
            e.hash.clone(),
        ])
        .map_err(io)?;
    }
    let buffered = csv.into_inner().map_err(|e| Error::Io { path: path.to_owned(), source: e.into_error() })?;
    let out = buffered.into_inner().map_err(|e| Error::Io { path: path.to_owned(), source: e.into_error() })?;
    out.commit()?;
    Ok(all.len() as u64)
}

fn audit_filter(query: &AuditQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut clauses = vec!["1".to_owned()];
    let mut values = Vec::new();
    if let Some(member) = query.member_id {
        values.push(Value::Integer(member));
        clauses.push(format!("a.member_id = ?{}", values.len()));
    }
    if let Some(actor) = query.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        values.push(Value::Text(actor.to_owned()));
        clauses.push(format!("a.actor = ?{}", values.len()));
    }
    if let Some(entity) = query.entity.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        values.push(Value::Text(entity.to_owned()));
        clauses.push(format!("a.entity = ?{}", values.len()));
    }
    if let Some(from) = query.from {
        values.push(Value::Text(from.to_string()));
        clauses.push(format!("substr(a.at, 1, 10) >= ?{}", values.len()));
    }
    if let Some(to) = query.to {
        values.push(Value::Text(to.to_string()));
        clauses.push(format!("substr(a.at, 1, 10) <= ?{}", values.len()));
    }
    (clauses.join(" AND "), values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Workspace;
    use crate::domain::{OrgKind, Person};
    use crate::keys::KdfParams;
    use crate::workspace::NewWorkspace;

    fn store_with_history() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path().join("ws"));
        let new = NewWorkspace { kdf: KdfParams::FOR_TESTS, ..NewWorkspace::new("passphrase-1", "党委") };
        let mut store = ws.create(&new).unwrap();
        let committee = store.org_tree().unwrap().committee().unwrap().id;
        let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
        let mut person =
            store.save_person(Person { branch_id: branch, name: "张三".into(), ..Person::default() }).unwrap().person;
        person.phone = Some("13800000000".into());
        store.save_person(person).unwrap();
        (dir, store)
    }

    /// What a person with the database key and a SQL shell could do: drop the guards and edit.
    fn tamper(store: &Store, sql: &str) {
        store
            .conn
            .execute_batch(&format!(
                "DROP TRIGGER audit_log_is_append_only_update; DROP TRIGGER audit_log_is_append_only_delete; {sql}"
            ))
            .unwrap();
    }

    #[test]
    fn an_untouched_chain_checks_out() {
        let (_dir, store) = store_with_history();
        let check = store.check_audit_chain().unwrap();
        assert!(check.entries >= 4, "{check:?}");
        assert_eq!(check.broken_at, None);
    }

    #[test]
    fn the_log_refuses_everyday_edits() {
        let (_dir, store) = store_with_history();
        let err = store.conn.execute("UPDATE audit_log SET actor = 'someone else'", []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        let err = store.conn.execute("DELETE FROM audit_log WHERE seq = 1", []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }

    #[test]
    fn an_edited_entry_is_named() {
        let (_dir, store) = store_with_history();
        tamper(&store, "UPDATE audit_log SET new = '13900000000' WHERE field = 'phone'");
        let seq: i64 =
            store.conn.query_row("SELECT seq FROM audit_log WHERE field = 'phone'", [], |r| r.get(0)).unwrap();
        let (at, why) = store.check_audit_chain().unwrap().broken_at.unwrap();
        assert_eq!(at, seq);
        assert!(why.en.contains("altered"), "{why:?}");
    }

    #[test]
    fn a_removed_entry_is_named() {
        let (_dir, store) = store_with_history();
        tamper(&store, "DELETE FROM audit_log WHERE seq = 2");
        let (at, why) = store.check_audit_chain().unwrap().broken_at.unwrap();
        assert_eq!(at, 3);
        assert!(why.en.contains("entries 2 to 2 are missing"), "{why:?}");
    }

    /// The limit the README states: with no anchor outside the database, entries cut off the end
    /// leave a chain that checks out. (A backup's header anchors the head; see `backup`.)
    #[test]
    fn newest_entries_cut_off_leave_a_chain_that_still_checks_out() {
        let (_dir, store) = store_with_history();
        let (head, _) = store.audit_head().unwrap().unwrap();
        tamper(&store, &format!("DELETE FROM audit_log WHERE seq >= {}", head - 1));
        let check = store.check_audit_chain().unwrap();
        assert_eq!(check.broken_at, None, "not noticed by the chain alone");
        assert_eq!(check.entries, (head - 2) as u64);
    }

    #[test]
    fn an_entry_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next() {
        let (_dir, store) = store_with_history();
        // Recomputing the edited entry's own hash is not enough: the next entry still holds the old one.
        tamper(
            &store,
            "UPDATE audit_log SET actor = 'x', hash = dangan_audit_hash(prev_hash, seq, at, 'x', entity, entity_id, member_id, action, field, old, new) WHERE seq = 2",
        );
        let (at, why) = store.check_audit_chain().unwrap().broken_at.unwrap();
        assert_eq!(at, 3);
        assert!(why.en.contains("does not follow"), "{why:?}");
    }
}
