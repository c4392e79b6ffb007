//! Other clients' changes as they commit: a connection of its own that LISTENs on
//! `dangan_changes`, where the server announces every committed change to a unit, a person or
//! their records (`dangan.announce_changes` in v1.sql), to branch life's register, and to the
//! accounts and the holiday calendar (`dangan.announce_table` in v21.sql). An open app keeps its
//! lists, its user's account and its calendar true with it.

use std::time::Duration;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;
use serde::Deserialize;

use super::roles::Roles;
use super::{ServerAddress, failure};
use crate::Result;
use crate::domain::Id;

/// The channel the server announces changes on.
const CHANNEL: &str = "dangan_changes";

/// One committed change, as announced.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Change {
    /// The table changed: `org_units`, `people`, `events`, …, `users`, `holidays`.
    pub table: String,
    /// The changed row's number; none when one statement changed more than 100 rows, which
    /// means: read the table again.
    pub id: Option<Id>,
    /// The person it concerns, for people and their steps.
    pub person: Option<Id>,
}

/// What a change means to a client that keeps the member lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    /// The organisation: a unit added or renamed.
    Units,
    /// One person: their row, steps, status, file or items set aside.
    Person(Id),
    /// The register of branch life (groups, meetings, attendance, a unit's items set aside): the
    /// member lists stand.
    BranchLife,
    /// The users, their roles or branches (version 21): a session reads its own account again,
    /// and with it what it may see.
    Account,
    /// The holiday calendar (version 21): working-day periods are counted anew.
    Calendar,
    /// The office's own rule file (version 22): every deadline is counted anew.
    Rules,
    /// Anything: many rows at once, or a table this Dangan does not know. Read everything again.
    All,
}

/// The tables of branch life (versions 6 to 9) and of the complaints register (version 12), whose
/// announcements name no person.
const BRANCH_LIFE: [&str; 18] = [
    "party_groups",
    "group_members",
    "meetings",
    "attendance",
    "meeting_attachments",
    "committee_posts",
    "study_entries",
    "training_classes",
    "class_sessions",
    "trainees",
    "session_attendance",
    "unit_dismissals",
    "registers",
    "register_copies",
    "inspector_keys",
    "complaints",
    "complaint_attachments",
    "complaint_reads",
];

impl Change {
    pub fn concern(&self) -> Concern {
        match (self.table.as_str(), self.person) {
            ("org_units", _) => Concern::Units,
            ("users" | "user_branches", _) => Concern::Account,
            ("holidays" | "holiday_years", _) => Concern::Calendar,
            ("own_rules", _) => Concern::Rules,
            (table, _) if BRANCH_LIFE.contains(&table) => Concern::BranchLife,
            (_, Some(person)) => Concern::Person(person),
            (_, None) => Concern::All,
        }
    }
}

/// A listening connection.
pub struct ChangeFeed {
    client: Client,
    address: ServerAddress,
}

impl ChangeFeed {
    /// Listens as `user` (a connection of its own, so waiting never holds up the session's work).
    pub fn open(address: &ServerAddress, user: &str, passphrase: &str) -> Result<ChangeFeed> {
        let role = Roles::of(address.database()).login_role(user);
        let mut client = address.connect_as(&role, passphrase)?;
        client.batch_execute(&format!("LISTEN {CHANNEL}")).map_err(|e| failure(e, address))?;
        Ok(ChangeFeed { client, address: address.clone() })
    }

    /// The changes committed since the last call: waits up to `timeout` for the first, then takes
    /// whatever else has arrived without waiting. Empty if nothing changed meanwhile.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<Change>> {
        let first = self.client.notifications().timeout_iter(timeout).next().map_err(|e| failure(e, &self.address))?;
        let Some(first) = first else { return Ok(Vec::new()) };
        let mut changes = vec![parse(first.payload())];
        let mut notifications = self.client.notifications();
        let mut pending = notifications.iter();
        while let Some(next) = pending.next().map_err(|e| failure(e, &self.address))? {
            changes.push(parse(next.payload()));
        }
        Ok(changes)
    }
}

/// An announcement as a change; one Dangan cannot read (a newer server's, say) names no row,
/// which means: read everything again. Never a reason to drop the feed.
fn parse(payload: &str) -> Change {
    serde_json::from_str(payload).unwrap_or(Change { table: String::new(), id: None, person: None })
}
