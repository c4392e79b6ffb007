//! The encrypted store: one SQLCipher database per workspace, reached only through typed
//! functions. Nothing outside this module writes SQL.
//!
//! Invariants kept here:
//! - the connection is keyed with the raw 32-byte database key before any other statement;
//! - every change to a person's events recomputes their cached stage in the same transaction;
//! - a change that breaks a rule of the procedure is refused whole (see [`crate::validate`]).

mod appraisals;
mod arrivals;
mod audit;
#[cfg(feature = "unencrypted-benchmarks")]
mod bench_fill;
mod bulk;
mod census;
mod committee;
mod complaints;
mod deadlines;
pub(crate) use deadlines::{PersonSteps, item_order};
pub(crate) use life_index::LifeIndex;
pub(crate) mod dismissals;
mod documents;
mod dues;
pub(crate) mod files;
mod graduation;
mod groups;
mod holidays;
mod life_index;
mod lookalikes;
mod maintenance;
mod meetings;
mod member_index;
mod org;
mod packages;
mod people;
mod procedure_index;
mod reminders;
mod rules;
mod schema;
mod search;
pub mod server;
mod sheet_people;
mod status;
mod training;
mod transfer_requests;
mod transfers;
mod upload;
mod users;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use zeroize::Zeroizing;

pub(crate) use audit::write_audit_csv;
pub use audit::{AuditEntry, AuditPage, AuditQuery};
pub use dues::{BranchDues, DuesArrears, DuesBase, DuesLedger, DuesPayment, DuesReceipt, LedgerMonth};
pub use files::{MAX_ATTACHMENT_BYTES, MemberFile, NewAttachment, check_attachment};
pub(crate) use graduation::leaver_check;
pub use meetings::MeetingQuery;
pub use people::MemberDetail;
pub use search::{MemberPage, MemberQuery, MemberSummary, StatusFilter};
pub use transfers::PrintedLetter;

use crate::access::{Action, Actor, SessionUser};
use crate::calendar::{self, Date};
use crate::keys::DatabaseKey;
use crate::rules::{RuleSet, RuleSetId};
use crate::validate::Context;
use crate::workdays::WorkCalendar;
use crate::{Error, Result, Text};

/// 64 MiB of page cache (SQLite counts negative sizes in KiB). With SQLCipher every page read
/// from disk is decrypted; with the default 2 MB cache a search measured 6× slower than on a
/// plain database, with 64 MB the same (see ARCHITECTURE.md).
const CACHE_KIB: i64 = 64 * 1024;

/// How long an everyday write waits for another writer before it gives up ([`Error::Busy`]).
/// Write transactions begin `IMMEDIATE`, so the wait happens at their start, never halfway.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long an import or a sheet waits for another writer before it says so and gives up: long
/// enough for another import of a large roster to finish, short enough that nobody wonders if it
/// hangs. It says it waits meanwhile, and can be cancelled ([`Store::begin_change_waiting`]).
pub(crate) const WAIT_FOR_WRITER: std::time::Duration = std::time::Duration::from_secs(120);

/// How many prepared statements a connection keeps for `prepare_cached`.
const STATEMENT_CACHE: usize = 64;

/// An unlocked workspace's database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    rule_set_id: RuleSetId,
    /// The shipped rule set, with the office's own file on top when one is loaded.
    rules: RuleSet,
    /// Why the office's rule file is not applied (see `rules::load_rules`).
    rules_warning: Option<Text>,
    workdays: WorkCalendar,
    today: Option<Date>,
    /// Built on the first list; see `member_index.rs` for how writes keep it true.
    index: RefCell<Option<member_index::MemberIndex>>,
    /// Built on the first deadline scan, kept true the same way.
    procedure: RefCell<Option<procedure_index::ProcedureIndex>>,
    /// Read on the first statistics; dropped by any change to a person (statistics count
    /// everyone, so there is nothing cheaper to keep true).
    census: RefCell<Option<crate::statistics::Census>>,
    /// Built on the first deadline scan; see `life_index.rs` for how meetings keep it true.
    life: RefCell<Option<life_index::LifeIndex>>,
    /// SQLite's `data_version` when the indexes above were last known true: it moves when
    /// another connection commits (`dangan` run while the app is open, a second window), whose
    /// changes this store's own writes did not put in them (`forget_others_changes`).
    data_version: std::cell::Cell<i64>,
    /// Who is signed in: every call checks their role (`require`), every change is logged as them.
    actor: Actor,
    /// The database key, kept (zeroised on drop) so an administrator can add a user's key slot
    /// without typing a passphrase again. Dropping the store drops it: that is what locking means.
    pub(crate) key: Option<DatabaseKey>,
    /// Where an earlier version's workspace on read-only media was copied to be brought up to
    /// date (`migrated_copy`); removed when the store closes.
    scratch: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).field("rules", &self.rules.id).finish()
    }
}

/// How the database file is protected. Plain databases exist only for the benchmark that
/// measures what encryption costs.
#[derive(Clone, Copy)]
pub(crate) enum Cipher<'k> {
    Key(&'k DatabaseKey),
    #[cfg_attr(not(feature = "unencrypted-benchmarks"), allow(dead_code))]
    None,
}

impl Store {
    /// Creates a new database at `path` (which must not exist) with the committee at the root.
    pub(crate) fn create(
        path: &Path,
        cipher: Cipher<'_>,
        committee: &str,
        rule_set: RuleSetId,
        creator: &str,
    ) -> Result<Store> {
        let mut conn = connect(path, cipher, true)?;
        schema::migrations().to_latest(&mut conn).map_err(|e| migration_error(path, e))?;
        audit::install(&conn, creator)?;
        let tx = conn.transaction()?;
        tx.execute("INSERT INTO meta (key, value) VALUES ('rule_set', ?1)", [rule_set.as_str()])?;
        tx.execute(
            &format!(
                "INSERT INTO org_units (parent_id, kind, name, uid) VALUES (NULL, 'committee', ?1, {})",
                schema::NEW_UID
            ),
            [committee.trim()],
        )?;
        tx.commit()?;
        Store::finish_open(conn, path)
    }

    /// Opens an existing database and brings its schema up to date.
    pub(crate) fn open(path: &Path, cipher: Cipher<'_>) -> Result<Store> {
        let mut conn = connect(path, cipher, false)?;
        if conn.is_readonly(rusqlite::MAIN_DB)? && schema::is_behind(&conn)? {
            // An earlier version's workspace on read-only media: migrations write, so they run on
            // a copy, read as the media is.
            let (scratch, migrated) = migrated_copy(path, cipher)?;
            let mut store = Store::finish_open(migrated, path)?;
            store.scratch = Some(scratch);
            return Ok(store);
        }
        schema::migrations().to_latest(&mut conn).map_err(|e| migration_error(path, e))?;
        Store::finish_open(conn, path)
    }

    fn finish_open(conn: Connection, path: &Path) -> Result<Store> {
        let rule_set: String = conn.query_row("SELECT value FROM meta WHERE key = 'rule_set'", [], |r| r.get(0))?;
        let id = RuleSetId::parse(&rule_set).ok_or_else(|| Error::Corrupt {
            path: path.to_owned(),
            reason: Text::new(format!("未知的规则版本 {rule_set}"), format!("unknown rule set {rule_set}")),
        })?;
        let (rules, rules_warning) = rules::load_rules(&conn, RuleSet::builtin(id))?;
        let workdays = holidays::load_workdays(&conn)?;
        let actor = Actor::system();
        audit::install(&conn, &actor.session.name)?;
        let data_version = std::cell::Cell::new(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?);
        Ok(Store {
            conn,
            path: path.to_owned(),
            rule_set_id: id,
            rules,
            rules_warning,
            workdays,
            today: None,
            index: RefCell::new(None),
            procedure: RefCell::new(None),
            census: RefCell::new(None),
            life: RefCell::new(None),
            data_version,
            scratch: None,
            actor,
            key: None,
        })
    }

    /// Opens a plain (unencrypted) database, for the benchmark that compares it with SQLCipher.
    #[cfg(feature = "unencrypted-benchmarks")]
    pub fn create_unencrypted_for_benchmarks(path: &Path) -> Result<Store> {
        Store::create(path, Cipher::None, "基准测试党委", RuleSetId::default(), "system")
    }

    /// Creates an encrypted database with a fresh random key, for benchmarks (no key file).
    #[cfg(feature = "unencrypted-benchmarks")]
    pub fn create_encrypted_for_benchmarks(path: &Path) -> Result<Store> {
        let key = DatabaseKey::generate()?;
        Store::create(path, Cipher::Key(&key), "基准测试党委", RuleSetId::default(), "system")
    }

    /// The rule set this workspace follows.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The date validation treats as today: the machine's date unless overridden.
    pub fn today(&self) -> Date {
        self.today.unwrap_or_else(calendar::today)
    }

    /// Pins "today" (for tests, and for checking a roster as of a past date).
    pub fn set_today(&mut self, today: Date) {
        self.today = Some(today);
    }

    pub(crate) fn context(&self) -> Context<'_> {
        Context { rules: &self.rules, today: self.today(), workdays: &self.workdays }
    }

    /// Begins a change's transaction (IMMEDIATE: the workspace's write lock) before the change
    /// reads what it rests on. Another process may be writing (the app importing while `dangan`
    /// records a step): a change that waited for it must check and write what that writer
    /// committed, not what it read before waiting, or it writes the old rows back over the new.
    /// A shared borrow, so the checks reading through `self` run inside it (one connection).
    pub(crate) fn begin_change(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?)
    }

    /// A write transaction for long work (an import, a sheet): while another writer holds the
    /// workspace it waits, calling `waiting` about every quarter second (`ControlFlow::Break`
    /// cancels), for at most `max`; then it gives up with one plain [`Error::Busy`]. An everyday
    /// change gives up after [`BUSY_TIMEOUT`]; a sheet started in the app while `dangan` imports
    /// or backs up (or the other way round) would fail for no fault of its own. (Within one app,
    /// long work waits for the shell's session instead.)
    pub(crate) fn begin_change_waiting(
        &self,
        max: std::time::Duration,
        mut waiting: impl FnMut() -> std::ops::ControlFlow<()>,
    ) -> Result<rusqlite::Transaction<'_>> {
        let started = std::time::Instant::now();
        self.conn.busy_timeout(std::time::Duration::from_millis(250))?;
        let outcome = loop {
            match self.begin_change() {
                Ok(tx) => break Ok(tx),
                Err(Error::Database(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
                    if started.elapsed() >= max {
                        break Err(Error::Busy { reason: crate::error::busy_text() });
                    }
                    if waiting().is_break() {
                        break Err(Error::Cancelled);
                    }
                }
                Err(e) => break Err(e),
            }
        };
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        outcome
    }

    /// The official holiday calendar as entered, for working-day periods.
    pub(crate) fn work_calendar(&self) -> &WorkCalendar {
        &self.workdays
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The workspace folder: no file Dangan writes for the user may go inside it.
    pub fn workspace_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Who is signed in.
    pub fn session_user(&self) -> &SessionUser {
        &self.actor.session
    }

    /// Refuses unless the signed-in user's role allows `action`. Before a change, it also makes
    /// sure the audit triggers are in place: a bulk write that suspended them and then failed in
    /// a way that could not put them back (a panic) must not leave later edits unlogged.
    pub(crate) fn require(&self, action: Action) -> Result<()> {
        self.actor.require(action)?;
        if action.changes() && !audit::installed(&self.conn)? {
            audit::resume(&self.conn)?;
        }
        Ok(())
    }

    /// The units the signed-in user may see (with their subtrees); `None` when not limited.
    pub(crate) fn visible_units(&self, tree: &OrgTree) -> Option<std::collections::HashSet<crate::domain::Id>> {
        self.actor.scope(tree)
    }

    /// The units a list or a scan covers: `asked`'s subtree (everything when `None`), cut to what
    /// the signed-in user may see; `None` when nothing limits it. Asking for a unit wholly outside
    /// what the user may see is refused (`Forbidden`), not answered with an empty list that
    /// would read as "nobody there".
    pub(crate) fn units_shown(
        &self,
        tree: &OrgTree,
        asked: Option<crate::domain::Id>,
    ) -> Result<Option<std::collections::HashSet<crate::domain::Id>>> {
        let asked_units: Option<std::collections::HashSet<_>> =
            asked.map(|unit| tree.subtree(unit).into_iter().collect());
        Ok(match (asked_units, self.visible_units(tree)) {
            (Some(asked_units), Some(visible)) => {
                let shown: std::collections::HashSet<_> = asked_units.intersection(&visible).copied().collect();
                if shown.is_empty() {
                    let name = asked.map(|unit| tree.path(unit)).unwrap_or_default();
                    let name = crate::text::excerpt(&name, 60);
                    return Err(Error::Forbidden {
                        what: Text::new(
                            format!("查看「{name}」：它不在你负责的党支部之内"),
                            format!("see “{name}”: it is not one of your branches"),
                        ),
                    });
                }
                Some(shown)
            }
            (asked_units, visible) => asked_units.or(visible),
        })
    }

    /// Refuses unless the role allows `action` and the member's branch is one the user may see.
    pub(crate) fn require_member(&self, action: Action, member_id: crate::domain::Id) -> Result<()> {
        self.require(action)?;
        if self.actor.session.role != crate::access::Role::BranchSecretary {
            return Ok(());
        }
        let branch: Option<crate::domain::Id> = self
            .conn
            .prepare_cached("SELECT branch_id FROM people WHERE id = ?1")?
            .query_row([member_id], |r| r.get(0))
            .optional()?;
        let Some(branch) = branch else { return Ok(()) }; // the caller reports "not found"
        self.require_branch(action, branch)
    }

    /// [`Store::require_member`] for each of `member_ids`, reading the organisation once.
    pub(crate) fn require_members(&self, action: Action, member_ids: &[crate::domain::Id]) -> Result<()> {
        self.require(action)?;
        if self.actor.session.role != crate::access::Role::BranchSecretary {
            return Ok(());
        }
        let tree = OrgTree::load(&self.conn)?;
        let Some(units) = self.visible_units(&tree) else { return Ok(()) };
        let mut branch_of = self.conn.prepare_cached("SELECT branch_id FROM people WHERE id = ?1")?;
        for &member_id in member_ids {
            let branch: Option<crate::domain::Id> = branch_of.query_row([member_id], |r| r.get(0)).optional()?;
            // An id of nobody has nothing to hide: `require_member` lets it through too.
            if let Some(branch) = branch.filter(|b| !units.contains(b)) {
                return Err(outside_branches(&tree, branch));
            }
        }
        Ok(())
    }

    /// Refuses unless the role allows `action` in `branch_id`.
    pub(crate) fn require_branch(&self, action: Action, branch_id: crate::domain::Id) -> Result<()> {
        self.require(action)?;
        let tree = OrgTree::load(&self.conn)?;
        match self.visible_units(&tree) {
            Some(units) if !units.contains(&branch_id) => Err(outside_branches(&tree, branch_id)),
            _ => Ok(()),
        }
    }

    /// Brings the in-memory indexes up to date after one person changed (no-op until built).
    pub(super) fn refresh_index(&self, id: crate::domain::Id) -> Result<()> {
        if let Some(index) = self.index.borrow_mut().as_mut() {
            index.refresh(&self.conn, id)?;
        }
        if let Some(index) = self.procedure.borrow_mut().as_mut() {
            index.refresh(&self.conn, id)?;
        }
        self.census.borrow_mut().take();
        if let Some(life) = self.life.borrow_mut().as_mut() {
            life.forget_staffing();
        }
        Ok(())
    }

    /// Forgets the in-memory indexes after a bulk change; the next read rebuilds them.
    pub(crate) fn drop_index(&self) {
        self.index.borrow_mut().take();
        self.procedure.borrow_mut().take();
        self.census.borrow_mut().take();
        self.life.borrow_mut().take();
    }

    /// Forgets the in-memory indexes if another connection has committed since they were last
    /// known true (the app open while `dangan import` runs): the next read builds them again, so
    /// a list, a scan or a count shows what the other process wrote. One pragma, no read of the
    /// database otherwise. Each index's reader calls it before taking its own.
    pub(super) fn forget_others_changes(&self) -> Result<()> {
        let now: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if now == self.data_version.get() {
            return Ok(());
        }
        // An index in use further up the stack (a reader called inside another's) is left for
        // the next call, which finds the version still moved.
        let slots_free = self.index.try_borrow_mut().map(|mut i| i.take()).is_ok()
            & self.procedure.try_borrow_mut().map(|mut p| p.take()).is_ok()
            & self.census.try_borrow_mut().map(|mut c| c.take()).is_ok()
            & self.life.try_borrow_mut().map(|mut l| l.take()).is_ok();
        if slots_free {
            self.data_version.set(now);
        }
        Ok(())
    }

    /// Forgets the owed-meetings index after a meeting is deleted or moved, or a unit or group
    /// changes; the next scan rebuilds it.
    pub(crate) fn drop_life_index(&self) {
        self.life.borrow_mut().take();
    }
}

/// SQLCipher registers `sqlcipher_export` (and its other functions) for each new connection from
/// an initialisation step it runs at the end of `sqlite3_initialize`, outside SQLite's lock: a
/// connection opened by a second thread in that moment lacks them (`no such function:
/// sqlcipher_export`, seen in parallel tests). Opening one throwaway connection first, once and
/// with every other thread waiting, closes that window.
fn initialise_sqlcipher() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = Connection::open_in_memory();
    });
}

fn connect(path: &Path, cipher: Cipher<'_>, create: bool) -> Result<Connection> {
    initialise_sqlcipher();
    match connect_with(path, cipher, create, Access::ReadWrite) {
        // A WAL database on read-only media cannot be opened the usual way (it would need its
        // shared-memory file): opened immutable instead, it reads, and every write is refused as
        // read-only.
        Err(e) if !create && on_read_only_media(path) => {
            // Opened immutable, SQLite would not read a journal of changes not yet folded in:
            // refuse rather than show records older than they are.
            let wal = path.with_extension("db-wal");
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(Error::invalid(
                    "workspace",
                    "只读介质上的工作区没有正常关闭，其日志中还有未并入的更改；请把整个文件夹复制到可写的位置再打开",
                    "the workspace on read-only media was not closed cleanly and its journal holds changes; copy the whole folder to a writable place and open it there",
                ));
            }
            connect_with(path, cipher, false, Access::ReadOnlyMedia).map_err(|_| e)
        }
        other => other,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnlyMedia,
}

/// Whether the database's folder is on a read-only file system (a probe file cannot be created
/// for that reason).
fn on_read_only_media(db: &Path) -> bool {
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let probe = dir.join(".dangan-write-probe");
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            false
        }
        Err(e) => e.kind() == std::io::ErrorKind::ReadOnlyFilesystem,
    }
}

/// `file:` URI of a path, percent-encoding all but unreserved characters and `/`.
fn file_uri(path: &Path, query: &str) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

fn connect_with(path: &Path, cipher: Cipher<'_>, create: bool, access: Access) -> Result<Connection> {
    let opened = match access {
        Access::ReadWrite => {
            let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            if create {
                flags |= OpenFlags::SQLITE_OPEN_CREATE;
            }
            Connection::open_with_flags(path, flags)
        }
        Access::ReadOnlyMedia => Connection::open_with_flags(
            file_uri(path, "immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ),
    };
    let conn = opened.map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) => Error::Io {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "cannot open the database file"),
        },
        _ => Error::Database(e),
    })?;
    // SQLCipher writes its own lines ("hmac check failed") to standard error when it meets a
    // damaged page; Dangan says what is wrong itself. (A pragma that answers with a row.)
    let _ = conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
    if let Cipher::Key(key) = cipher {
        // SQLCipher's raw-key form: the 32 bytes are the cipher key, no passphrase derivation.
        let pragma =
            Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", Zeroizing::new(hex::encode(key.as_bytes())).as_str()));
        conn.execute_batch(&pragma)?;
    }
    // The first read decrypts page 1: with a key that does not belong to the file, or a damaged
    // file, this is where it fails.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|e| {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => Error::Corrupt {
                path: path.to_owned(),
                reason: Text::new(
                    "数据库文件已损坏，或与密钥文件不匹配",
                    "the database is damaged or does not belong with the key file",
                ),
            },
            _ => Error::Database(e),
        }
    })?;
    if access == Access::ReadWrite {
        let journal: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        debug_assert_eq!(journal.to_ascii_lowercase(), "wal");
    }
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -{CACHE_KIB};
         PRAGMA temp_store = MEMORY;
         PRAGMA synchronous = FULL;"
    ))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A batch (a year's graduates' letters, an appraisal's close) runs a dozen or more statements
    // for each person, and one the audit log's triggers watch is slow to prepare: rusqlite's 16
    // would let them push each other out.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    schema::register_new_uid(&conn)?;
    Ok(conn)
}

/// A copy of the database at `path` (encrypted as it is) in a temporary folder, brought up to date
/// and opened read-only and immutable, as the read-only media it came from would be: every write
/// is refused as read-only, and the original is left as it was.
fn migrated_copy(path: &Path, cipher: Cipher<'_>) -> Result<(tempfile::TempDir, Connection)> {
    let io = |source| Error::Io { path: path.to_owned(), source };
    let scratch = tempfile::Builder::new().prefix("dangan-read-only-").tempdir().map_err(io)?;
    let copy = scratch.path().join(path.file_name().unwrap_or(std::ffi::OsStr::new("dangan.db")));
    std::fs::copy(path, &copy).map_err(io)?;
    {
        let mut conn = connect_with(&copy, cipher, false, Access::ReadWrite)?;
        schema::migrations().to_latest(&mut conn).map_err(|e| migration_error(path, e))?;
        // Folded into the file: the immutable connection reads no journal.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
    }
    let conn = connect_with(&copy, cipher, false, Access::ReadOnlyMedia)?;
    Ok((scratch, conn))
}

fn migration_error(path: &Path, e: rusqlite_migration::Error) -> Error {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => Error::Database(err),
        other => Error::Corrupt {
            path: path.to_owned(),
            reason: Text::new(
                format!("数据库结构无法升级：{other}"),
                format!("the schema cannot be migrated: {other}"),
            ),
        },
    }
}

/// A branch secretary's refusal for a member of `branch_id`, outside their branches.
fn outside_branches(tree: &OrgTree, branch_id: crate::domain::Id) -> Error {
    outside_units(&tree.path(branch_id))
}

/// The refusal of a unit the user may not see or change, named by its path; on either engine.
pub(crate) fn outside_units(path: &str) -> Error {
    Error::Forbidden {
        what: Text::new(format!("查看或修改「{path}」的党员"), format!("see or change members of “{path}”")),
    }
}

/// Empty strings are stored as NULL, so "no value" has one spelling.
pub(crate) fn none_if_blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) use bulk::{Finish, Found, Likeness};
pub(crate) use committee::year_span;
pub(crate) use complaints::KeptComplaint;
pub(crate) use lookalikes::Lookalike;
pub(crate) use member_index::{IndexEntry, MemberIndex};
pub use org::{OrgTree, ResolvedBranch};
pub(crate) use people::{Derived, IsoDate, normalize, number_taken, sort_events};
pub(crate) use upload::{Scan, WorkspaceContents};
pub(crate) use users::RECOVERY_ACTOR;

#[cfg(test)]
mod tests {
    use super::*;

    /// An earlier version's workspace (here 17) where it cannot be written (read-only media) is
    /// brought up to date in a copy, which then reads as the media does; the original is left
    /// at its version.
    #[test]
    fn an_earlier_versions_database_is_migrated_in_a_copy_that_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dangan.db");
        {
            let mut conn = connect(&path, Cipher::None, true).unwrap();
            schema::migrations().to_version(&mut conn, 17).unwrap();
            conn.execute_batch(
                "INSERT INTO org_units (id, parent_id, kind, name) VALUES (1, NULL, 'committee', '党委')",
            )
            .unwrap();
        }
        let (scratch, conn) = migrated_copy(&path, Cipher::None).unwrap();
        let uid: String = conn.query_row("SELECT uid FROM org_units WHERE id = 1", [], |r| r.get(0)).unwrap();
        assert_eq!(uid.len(), 36, "{uid}");
        assert!(conn.is_readonly(rusqlite::MAIN_DB).unwrap());
        let refused = conn.execute("UPDATE org_units SET name = '别的党委'", []).unwrap_err();
        assert_eq!(refused.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly), "{refused}");
        drop(conn);
        let original = connect(&path, Cipher::None, false).unwrap();
        assert!(schema::is_behind(&original).unwrap(), "the original keeps its version");
        let copy_dir = scratch.path().to_owned();
        drop(scratch);
        assert!(!copy_dir.exists(), "the copy goes with the store");
    }
}
