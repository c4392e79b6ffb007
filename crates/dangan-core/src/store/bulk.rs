//! Writing many people in one transaction: the store's half of a roster import. The roster module
//! decides what each row means (`roster/import.rs`); a [`BulkWrite`] holds the transaction and
//! does every read and write that needs, so that no SQL and no connection leave `store/`.
//!
//! While it runs, the audit triggers on people and events are suspended and each person gets one
//! entry instead ([`BulkWrite::log_member`]); they are back before anything else can write,
//! whatever happens (an error, a panic).

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::time::Duration;

use rusqlite::Connection;

use super::Store;
use super::audit::{self, BulkLog};
use super::lookalikes::{Lookalike, Lookalikes};
use super::org::{self, OrgTree, ResolvedBranch};
use super::people::{self, Derived, NewPeople};
use crate::Result;
use crate::access::Action;
use crate::domain::{Id, Person, ProcedureEvent};
use crate::validate::Violation;

pub(crate) use super::lookalikes::{Found, Likeness};

/// How a bulk write ends: saved, or rolled back (a dry run, a refusal).
pub(crate) enum Finish {
    Commit,
    Rollback,
}

/// One transaction of a bulk write, with what it has learnt on the way: the organisation tree
/// (branches it created included), the audit chain's head, and who is registered by name.
pub(crate) struct BulkWrite<'t> {
    /// The transaction's connection.
    tx: &'t Connection,
    tree: OrgTree,
    /// The units the signed-in user may write to, from the tree as this transaction reads it
    /// (not as it was before a wait for another writer); `None` when not limited.
    visible: Option<HashSet<Id>>,
    log: BulkLog<'t>,
    new_people: NewPeople<'t>,
    /// The workspace had nobody when the write began: nobody can be registered already, so the
    /// look-ups are skipped (people repeated within the file are the caller's to catch).
    empty_at_start: bool,
    /// Who is registered and who this write has added, loaded on the first new person.
    lookalikes: Option<Lookalikes>,
    /// The branches the roster has named so far, as it writes them.
    branches: HashMap<String, Id>,
    /// The store's today: a branch the roster creates owes its meetings from it.
    today: crate::calendar::Date,
}

impl Store {
    /// Runs `work` in one write transaction taken at once (`BEGIN IMMEDIATE`), with the audit
    /// triggers on people and events suspended. While another writer holds the workspace it waits,
    /// calling `waiting` about every quarter second (`ControlFlow::Break` cancels), for at most
    /// `max`; then it gives up with one plain [`Error::Busy`], before any row is touched.
    ///
    /// `work` says whether to commit; an error rolls everything back.
    pub(crate) fn bulk_write<T>(
        &mut self,
        action: Action,
        max: Duration,
        waiting: impl FnMut() -> ControlFlow<()>,
        work: impl FnOnce(&mut BulkWrite<'_>) -> Result<(T, Finish)>,
    ) -> Result<T> {
        self.require(action)?;
        audit::suspend(&self.conn, &["people", "events"])?;
        // A bulk write passes through far more pages than any cache holds, and writes each once
        // whatever the cache's size (measured: the same pages encrypted, the same instructions,
        // with 16 MiB as with 64); the smaller cache leaves room for the roster being imported.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            set_cache_kib(&self.conn, BULK_CACHE_KIB)?;
            self.bulk_write_suspended(max, waiting, work)
        }))
        .unwrap_or_else(|panic| {
            // Best effort on the way out; should it fail, the next change puts the triggers
            // back before it writes (`Store::require`).
            let _ = set_cache_kib(&self.conn, super::CACHE_KIB);
            let _ = audit::resume(&self.conn);
            std::panic::resume_unwind(panic)
        });
        let restored = set_cache_kib(&self.conn, super::CACHE_KIB);
        audit::resume(&self.conn)?;
        restored?;
        let (value, committed) = outcome?;
        if committed {
            self.drop_index();
        }
        Ok(value)
    }

    fn bulk_write_suspended<T>(
        &self,
        max: Duration,
        waiting: impl FnMut() -> ControlFlow<()>,
        work: impl FnOnce(&mut BulkWrite<'_>) -> Result<(T, Finish)>,
    ) -> Result<(T, bool)> {
        let tx = self.begin_change_waiting(max, waiting)?;
        let (value, finish) = {
            let tree = OrgTree::load(&tx)?;
            let visible = self.visible_units(&tree);
            let empty_at_start = !tx.query_row("SELECT EXISTS (SELECT 1 FROM people)", [], |r| r.get::<_, bool>(0))?;
            let (log, new_people) = (BulkLog::begin(&tx)?, NewPeople::prepare(&tx)?);
            let mut bulk = BulkWrite {
                tx: &tx,
                tree,
                visible,
                log,
                new_people,
                empty_at_start,
                lookalikes: None,
                branches: HashMap::new(),
                today: self.today(),
            };
            let (value, finish) = work(&mut bulk)?;
            // A dry run writes everything too, so it fails wherever the import would.
            bulk.flush()?;
            (value, finish)
        };
        match finish {
            Finish::Commit => tx.commit()?,
            Finish::Rollback => tx.rollback()?,
        }
        Ok((value, matches!(finish, Finish::Commit)))
    }
}

/// The page cache of a bulk write, in KiB.
const BULK_CACHE_KIB: i64 = 16 * 1024;

fn set_cache_kib(conn: &Connection, kib: i64) -> Result<()> {
    conn.pragma_update(None, "cache_size", -kib)?;
    Ok(())
}

impl BulkWrite<'_> {
    /// The units the signed-in user may write to, as the transaction found them (once).
    pub(crate) fn take_visible_units(&mut self) -> Option<HashSet<Id>> {
        self.visible.take()
    }

    /// The branch a roster names, created (with its general branch) when it does not exist yet.
    /// A name met before in this write is answered from memory: the tree only grows meanwhile,
    /// so it names the same branch.
    pub(crate) fn resolve_branch(&mut self, path: &str) -> Result<ResolvedBranch> {
        if let Some(&id) = self.branches.get(path) {
            return Ok(ResolvedBranch { id, created: vec![] });
        }
        let resolved = org::resolve_branch(self.tx, &mut self.tree, path, self.today)?;
        if !resolved.created.is_empty() {
            self.log.invalidate(); // the new branches' own entries (by trigger) came first
        }
        self.branches.insert(path.to_owned(), resolved.id);
        Ok(resolved)
    }

    /// The person registered under the same identity number, or else the same student number.
    pub(crate) fn find_same_person(&self, person: &Person) -> Result<Option<Id>> {
        if self.empty_at_start { Ok(None) } else { people::find_same_person(self.tx, person) }
    }

    pub(crate) fn person(&self, id: Id) -> Result<Option<Person>> {
        people::load_person(self.tx, id)
    }

    /// A person's events, those still waiting to be written included.
    pub(crate) fn events(&mut self, id: Id) -> Result<Vec<ProcedureEvent>> {
        self.flush()?;
        people::load_events(self.tx, id)
    }

    /// Someone registered, or remembered earlier in this bulk write, who looks like `person`
    /// (see `lookalikes.rs`).
    pub(crate) fn lookalike(
        &mut self,
        person: &Person,
        applied: Option<crate::calendar::Date>,
    ) -> Result<Option<Found>> {
        if self.lookalikes.is_none() {
            let loaded = if self.empty_at_start {
                Lookalikes::default()
            } else {
                self.flush()?; // it reads application dates
                Lookalikes::load(self.tx)?
            };
            self.lookalikes = Some(loaded);
        }
        Ok(self.lookalikes.as_ref().and_then(|l| l.find(person, applied)))
    }

    /// Remembers a new person as `row` of this write, for the lookalikes of later rows.
    pub(crate) fn remember(&mut self, person: &Person, applied: Option<crate::calendar::Date>, row: u64) {
        if let Some(lookalikes) = self.lookalikes.as_mut() {
            lookalikes.add(person, applied, Lookalike::Row(row));
        }
    }

    /// Numbers of `person` that belong to someone else (limited to `visible` units when set).
    pub(crate) fn uniqueness_conflict(
        &self,
        person: &Person,
        visible: Option<&HashSet<Id>>,
    ) -> Result<Option<Violation>> {
        people::uniqueness_conflict(self.tx, person, visible)
    }

    /// Writes a new person, returning their id; their events are written by the next
    /// [`flush`](Self::flush) at the latest (their ids are not read back).
    pub(crate) fn insert(&mut self, person: &Person, derived: &Derived, events: Vec<ProcedureEvent>) -> Result<Id> {
        self.new_people.insert(person, derived, events)
    }

    /// Writes a registered person (`person.id` set) with their events, replacing the stored ones.
    pub(crate) fn update(&mut self, person: &Person, events: &mut [ProcedureEvent]) -> Result<Id> {
        self.flush()?; // events keep the order in which they were made
        let id = people::write_person(self.tx, person, events)?;
        people::write_events(self.tx, id, events)?;
        Ok(id)
    }

    /// The one audit entry of a person this write inserted or changed.
    pub(crate) fn log_member(&mut self, id: Id, action: &str, before: Option<&str>, after: &str) -> Result<()> {
        self.log.member(id, action, before, Some(after))
    }

    /// Writes the events still waiting.
    fn flush(&mut self) -> Result<()> {
        self.new_people.flush()
    }
}

impl crate::roster::RosterTarget for BulkWrite<'_> {
    fn resolve_branch(&mut self, path: &str) -> Result<ResolvedBranch> {
        BulkWrite::resolve_branch(self, path)
    }

    fn find_same_person(&self, person: &Person) -> Result<Option<Id>> {
        BulkWrite::find_same_person(self, person)
    }

    fn person(&self, id: Id) -> Result<Option<Person>> {
        BulkWrite::person(self, id)
    }

    fn events(&mut self, id: Id) -> Result<Vec<ProcedureEvent>> {
        BulkWrite::events(self, id)
    }

    fn lookalike(&mut self, person: &Person, applied: Option<crate::calendar::Date>) -> Result<Option<Found>> {
        BulkWrite::lookalike(self, person, applied)
    }

    fn remember(&mut self, person: &Person, applied: Option<crate::calendar::Date>, row: u64) {
        BulkWrite::remember(self, person, applied, row);
    }

    fn uniqueness_conflict(&self, person: &Person, visible: Option<&HashSet<Id>>) -> Result<Option<Violation>> {
        BulkWrite::uniqueness_conflict(self, person, visible)
    }

    fn insert(&mut self, _row: u64, person: &Person, derived: &Derived, events: Vec<ProcedureEvent>) -> Result<Id> {
        BulkWrite::insert(self, person, derived, events)
    }

    fn update(&mut self, person: &Person, events: &mut [ProcedureEvent]) -> Result<Id> {
        BulkWrite::update(self, person, events)
    }

    fn log_member(&mut self, id: Id, action: &str, before: Option<&str>, after: &str) -> Result<()> {
        BulkWrite::log_member(self, id, action, before, after)
    }
}
