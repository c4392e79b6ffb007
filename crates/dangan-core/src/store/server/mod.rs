//! The shared server's store (issue 20): one PostgreSQL database for a university's offices.
//!
//! Each Dangan user signs in as a PostgreSQL login role of their own, with their passphrase as its
//! password, so the server applies the rules to whatever a user runs, psql included: row-level
//! policies mirror `access.rs`, and the audit log is written by a trigger the users cannot become
//! (`v1.sql` says how). The checks here are the second line, as the workspace's are its first.
//!
//! All SQL of the server lives in this folder, as all SQL of the workspace lives in `store/`.

mod address;
mod appraisals;
mod arrivals;
mod audit;
mod census;
mod changes;
mod complaints;
mod dismissals;
mod dues;
mod files;
mod holidays;
mod import;
mod life;
mod meetings;
mod migrations;
mod moves;
mod people;
mod reminders;
mod roles;
mod rules;
mod status;
mod study;
mod templates;
mod training;
mod transfers;
mod units;
mod upload;
mod upload_life;
mod upload_transfers;

use std::collections::HashMap;

use postgres::error::SqlState;
use postgres::{Client, GenericClient, Statement};
use serde::Serialize;

pub use address::ServerAddress;
pub(crate) use address::{shown, with_absolute_root_cert};
pub use changes::{Change, ChangeFeed, Concern};
pub use complaints::RegisterMoved;
pub use migrations::{LATEST as SCHEMA_VERSION, Upgrade};
pub use moves::MovedPerson;
pub(crate) use people::HeldSteps;
pub use people::ServerPerson;
use roles::Roles;
pub(crate) use units::{branch_path, committee_above, path_of, subtree, unit_named};
pub use upload::UploadReport;

use crate::access::{Action, Role};
use crate::calendar::{self, Date};
use crate::domain::Id;
use crate::error::busy_text;
use crate::rules::{RuleSet, RuleSetId};
use crate::store::users::check_user_name;
use crate::workdays::WorkCalendar;
use crate::workspace::check_passphrase;
use crate::{Error, Result, Text};

/// A Dangan user as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerUser {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The committee whose office they work for: they see it and everything under it.
    pub unit_id: Id,
    /// A branch secretary's branches (each with everything under it); empty for other roles.
    pub branches: Vec<Id>,
    /// Their PostgreSQL login role.
    pub db_role: String,
    /// The day they were added (`YYYY-MM-DD`).
    pub created_on: String,
}

/// A unit of the organisation on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerUnit {
    pub id: Id,
    /// The unit's UUID, the same in every database it is copied to.
    pub uid: String,
    pub parent_id: Option<Id>,
    /// `committee`, `general_branch` or `branch`.
    pub kind: String,
    pub name: String,
}

/// What `dangan server init` made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerInit {
    pub committee_id: Id,
    pub administrator: ServerUser,
    /// The database's three roles: every user's group, the one owning the policies and the log,
    /// the one making login roles.
    pub roles: Vec<String>,
}

/// A connection to the server as one signed-in user.
pub struct ServerStore {
    client: Client,
    address: ServerAddress,
    me: ServerUser,
    /// The rule set the server's offices follow (`rule_set` in `dangan.meta`, chosen at `init`).
    rules: RuleSet,
    rule_set: RuleSetId,
    /// Why the office's own rule file (`rules.rs`) is not applied, when it no longer fits.
    rules_warning: Option<Text>,
    /// The official holiday calendar the server keeps (`holidays.rs`), as read at sign-in.
    workdays: WorkCalendar,
    today: Option<Date>,
    statements: Statements,
    /// A discipline inspector's hold on their unit's complaints register (`complaints.rs`).
    register: complaints::Keeping,
    /// The branch-life index as last read, and how many changes the server had logged then
    /// (`life.rs`): read again once that number moves.
    life_read: Option<(i64, std::sync::Arc<crate::store::life_index::LifeIndex>)>,
}

/// The connection's prepared statements, by their text: the server parses and plans each once
/// per connection rather than at every call, and a call is one round trip instead of two (a
/// save is about eight statements).
#[derive(Default)]
pub(super) struct Statements(HashMap<String, Statement>);

impl Statements {
    pub(super) fn get(
        &mut self,
        client: &mut impl GenericClient,
        sql: &str,
    ) -> std::result::Result<Statement, postgres::Error> {
        if let Some(statement) = self.0.get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(sql)?;
        self.0.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl ServerStore {
    /// Creates the schema, the roles, the policies, the root committee and its first
    /// administrator on an empty database, all or nothing. Connects as the URL's user, the
    /// database's owner, whose credentials Dangan does not keep.
    pub fn initialise(address: &ServerAddress, committee: &str, admin: &str, passphrase: &str) -> Result<ServerInit> {
        ServerStore::initialise_at(address, committee, admin, passphrase, migrations::LATEST)
    }

    /// [`ServerStore::initialise`] at an earlier version of the schema, as an older Dangan made
    /// it: for the tests of `upgrade`.
    #[doc(hidden)]
    pub fn initialise_at(
        address: &ServerAddress,
        committee: &str,
        admin: &str,
        passphrase: &str,
        version: i32,
    ) -> Result<ServerInit> {
        let committee = committee.trim();
        let admin = admin.trim();
        if committee.is_empty() {
            return Err(Error::invalid("committee", "请给出党委的名称", "name the committee"));
        }
        if admin.is_empty() {
            return Err(Error::invalid(
                "user",
                "请用 --user 给出第一个管理员的用户名",
                "name the first administrator with --user",
            ));
        }
        // The workspace's checks of a user name and of free text (control characters refused).
        let admin = check_user_name(admin)?;
        crate::text::check_chars("committee", ("党委名称", "committee name"), committee, false)?;
        check_passphrase(passphrase)?;
        let fail = |e| failure(e, address);
        let mut client = address.connect_as_owner()?;
        let mut tx = client.transaction().map_err(fail)?;
        let initialised: bool = tx
            .query_one("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'dangan')", &[])
            .map_err(fail)?
            .get(0);
        if initialised {
            return Err(Error::invalid(
                "server",
                format!("{address} 上已有 Dangan 的数据，不会覆盖"),
                format!("{address} already holds Dangan's data; it will not be overwritten"),
            ));
        }
        let encoding: String = tx
            .query_one("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()", &[])
            .map_err(fail)?
            .get(0);
        if encoding != "UTF8" {
            // The log's hashes count a field's bytes in the database's encoding and hash its UTF-8.
            return Err(Error::invalid(
                "server",
                format!("数据库的编码是 {encoding}，Dangan 需要 UTF8（createdb -E UTF8）"),
                format!("the database's encoding is {encoding}; Dangan needs UTF8 (createdb -E UTF8)"),
            ));
        }
        let roles = Roles::of(address.database());
        let left_over: Vec<String> = tx
            .query(
                "SELECT rolname::text FROM pg_roles WHERE rolname = ANY ($1) ORDER BY 1",
                &[&roles.group_roles().to_vec()],
            )
            .map_err(fail)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if !left_over.is_empty() {
            return Err(Error::invalid(
                "server",
                format!("服务器上已有同名数据库留下的角色 {}，请先删除（DROP ROLE）", left_over.join("、")),
                format!(
                    "the server has roles left by an earlier database of this name ({}); drop them first (DROP ROLE)",
                    left_over.join(", ")
                ),
            ));
        }
        tx.batch_execute(&roles.create_group_roles()).map_err(fail)?;
        tx.batch_execute(&roles.fill(migrations::first_schema())).map_err(fail)?;
        tx.execute(
            "INSERT INTO dangan.meta (key, value) VALUES ('schema_version', '1'), ('rule_set', $1)",
            &[&RuleSetId::default().as_str()],
        )
        .map_err(fail)?;
        let committee_id: Id = tx
            .query_one("INSERT INTO dangan.org_units (kind, name) VALUES ('committee', $1) RETURNING id", &[&committee])
            .map_err(fail)?
            .get(0);
        let verifier = scram_verifier(passphrase);
        let branches: Vec<Id> = Vec::new();
        tx.execute(
            "SELECT dangan.create_account($1, 'administrator', $2, $3, $4)",
            &[&admin, &committee_id, &branches, &verifier],
        )
        .map_err(fail)?;
        let administrator = users_from(&mut tx, "dangan.user_rows u WHERE u.name = $1", &[&admin]).map_err(fail)?.pop();
        // Giving the predicates and the log to the roles that own them needs membership of those
        // roles for an owner who is not a superuser; it is taken back at once.
        tx.batch_execute(&roles.fill("GRANT {system}, {accounts} TO CURRENT_USER")).map_err(fail)?;
        tx.batch_execute(&roles.fill(migrations::first_security())).map_err(fail)?;
        tx.batch_execute(&roles.fill("REVOKE {system}, {accounts} FROM CURRENT_USER")).map_err(fail)?;
        migrations::apply_after(&mut tx, &roles, 1, version).map_err(fail)?;
        tx.commit().map_err(|e| lost_at_commit(e, address))?;
        let administrator = administrator.ok_or_else(|| Error::Crypto("the administrator just made was not found"))?;
        Ok(ServerInit { committee_id, administrator, roles: roles.group_roles().to_vec() })
    }

    /// `dangan server upgrade`: brings the database's schema to this Dangan's version, as its
    /// owner (the URL's user), all or nothing.
    pub fn upgrade(address: &ServerAddress) -> Result<Upgrade> {
        migrations::upgrade(address)
    }

    /// Signs in as `user` with their passphrase: their login role opens only with it.
    pub fn sign_in(address: &ServerAddress, user: &str, passphrase: &str) -> Result<ServerStore> {
        let role = Roles::of(address.database()).login_role(user);
        let mut client = address.connect_as(&role, passphrase)?;
        let me = users_from(&mut client, "dangan.whoami() u", &[])
            .map_err(|e| not_a_dangan_server(e, address))?
            .pop()
            .ok_or(Error::WrongUserOrPassphrase)?;
        let version: Option<String> = client
            .query_opt("SELECT value FROM dangan.meta WHERE key = 'schema_version'", &[])
            .map_err(|e| failure(e, address))?
            .map(|r| r.get(0));
        migrations::check_version(address, version.as_deref())?;
        let rule_set: Option<String> = client
            .query_opt("SELECT value FROM dangan.meta WHERE key = 'rule_set'", &[])
            .map_err(|e| failure(e, address))?
            .map(|r| r.get(0));
        let rule_set = rule_set.as_deref().and_then(RuleSetId::parse).ok_or_else(|| Error::Server {
            server: address.to_string(),
            reason: format!("the rule set {} is not one Dangan knows", rule_set.as_deref().unwrap_or("(none)")),
        })?;
        let own = rules::own_rules(&mut client).map_err(|e| failure(e, address))?;
        let (rules, rules_warning) = crate::store::rules::with_own_rules(RuleSet::builtin(rule_set), own.as_deref());
        let workdays = holidays::work_calendar(&mut client).map_err(|e| failure(e, address))?;
        let mut store = ServerStore {
            client,
            address: address.clone(),
            me,
            rules,
            rule_set,
            rules_warning,
            workdays,
            today: None,
            statements: Statements::default(),
            register: complaints::Keeping::None,
            life_read: None,
        };
        store.register = store.open_register(passphrase);
        Ok(store)
    }

    /// The rules the server's offices follow.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Which of the shipped rule sets those are.
    pub(crate) fn rule_set_id(&self) -> RuleSetId {
        self.rule_set
    }

    pub(crate) fn work_calendar(&self) -> &WorkCalendar {
        &self.workdays
    }

    /// The date the checks treat as today: the machine's unless pinned.
    pub fn today(&self) -> Date {
        self.today.unwrap_or_else(calendar::today)
    }

    /// Pins "today" (for tests, and for checking as of a past date).
    pub fn set_today(&mut self, today: Date) {
        self.today = Some(today);
    }

    /// Signs in again when the connection was lost (the server restarted, the network came
    /// back): a lost connection never comes back by itself. True when it was made anew; an
    /// error when the server still cannot be reached, or no longer takes the passphrase.
    pub fn reconnect_if_lost(&mut self, passphrase: &str) -> Result<bool> {
        if self.client.is_valid(std::time::Duration::from_secs(5)).is_ok() {
            return Ok(false);
        }
        let fresh = ServerStore::sign_in(&self.address, &self.me.name, passphrase)?;
        *self = ServerStore { today: self.today, ..fresh };
        Ok(true)
    }

    /// Who is signed in.
    pub fn me(&self) -> &ServerUser {
        &self.me
    }

    /// Reads the signed-in user's account again (their role, committee or branches changed, as
    /// announced). Kept as it was if it cannot be read: the server's policies decide either way.
    pub(crate) fn reload_account(&mut self) -> Result<()> {
        let mine = users_from(&mut self.client, "dangan.whoami() u", &[]).map_err(|e| failure(e, &self.address))?;
        if let Some(me) = mine.into_iter().next() {
            self.me = me;
        }
        Ok(())
    }

    /// Reads the holiday calendar again (changed, as announced).
    pub(crate) fn reload_calendar(&mut self) -> Result<()> {
        self.workdays = holidays::work_calendar(&mut self.client).map_err(|e| failure(e, &self.address))?;
        Ok(())
    }

    pub fn address(&self) -> &ServerAddress {
        &self.address
    }

    pub(crate) fn require(&self, action: Action) -> Result<()> {
        if self.me.role.may(action) { Ok(()) } else { Err(action.forbidden()) }
    }

    /// The users of the administrator's committee and below.
    pub fn users(&mut self) -> Result<Vec<ServerUser>> {
        self.require(Action::ManageUsers)?;
        users_from(&mut self.client, "dangan.list_users() u", &[]).map_err(|e| failure(e, &self.address))
    }

    /// Adds a user with a passphrase of their own: a login role whose password is the SCRAM
    /// verifier of that passphrase, computed here so the passphrase never reaches the server.
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        unit_id: Id,
        branches: &[Id],
        passphrase: &str,
    ) -> Result<ServerUser> {
        self.require(Action::ManageUsers)?;
        let name = check_user_name(name)?;
        check_passphrase(passphrase)?;
        check_branches(role, branches)?;
        let verifier = scram_verifier(passphrase);
        let address = self.address.clone();
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        let taken: bool = tx
            .query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = dangan.login_role($1))", &[&name])
            .map_err(|e| failure(e, &address))?
            .get(0);
        if taken {
            return Err(Error::invalid(
                "name",
                format!("已有用户叫「{name}」"),
                format!("there is a user called {name} already"),
            ));
        }
        tx.execute(
            "SELECT dangan.add_user($1, $2, $3, $4, $5)",
            &[&name, &role.as_str(), &unit_id, &branches, &verifier],
        )
        .map_err(|e| user_refused(e, name, &address))?;
        let user = users_from(&mut tx, "dangan.list_users() u WHERE u.name = $1", &[&name])
            .map_err(|e| failure(e, &address))?
            .pop();
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        // The user was made in this transaction, so the list shows them; the administrator sees
        // every user of their committee.
        user.ok_or_else(|| Error::NotFound { what: Text::new(format!("用户「{name}」"), format!("user {name}")) })
    }

    /// Gives a user of the administrator's committee or below another role (a branch secretary
    /// their branches). The department's last administrator stays one.
    pub fn set_user_role(&mut self, name: &str, role: Role, branches: &[Id]) -> Result<ServerUser> {
        self.require(Action::ManageUsers)?;
        check_branches(role, branches)?;
        let address = self.address.clone();
        // The changed user comes back from the change itself: an administrator who made
        // themselves an organiser may no longer list users, yet the change is made.
        let user =
            users_from(&mut self.client, "dangan.set_user_role($1, $2, $3) u", &[&name, &role.as_str(), &branches])
                .map_err(|e| user_refused(e, name, &address))?
                .pop();
        user.ok_or_else(|| user_not_found(name))
    }

    /// Removes a user: their login role is dropped, so their passphrase opens nothing any more.
    /// Not oneself, and not the department's last administrator.
    pub fn remove_user(&mut self, name: &str) -> Result<()> {
        self.require(Action::ManageUsers)?;
        let address = self.address.clone();
        self.client.execute("SELECT dangan.remove_user($1)", &[&name]).map_err(|e| user_refused(e, name, &address))?;
        Ok(())
    }

    /// A new passphrase for a user who forgot theirs: the SCRAM verifier computed here, so the
    /// passphrase never reaches the server.
    pub fn reset_passphrase(&mut self, name: &str, passphrase: &str) -> Result<()> {
        self.require(Action::ManageUsers)?;
        check_passphrase(passphrase)?;
        let verifier = scram_verifier(passphrase);
        let address = self.address.clone();
        self.client
            .execute("SELECT dangan.reset_passphrase($1, $2)", &[&name, &verifier])
            .map_err(|e| user_refused(e, name, &address))?;
        Ok(())
    }

    /// The signed-in user's own new passphrase: the SCRAM verifier computed here, so neither
    /// passphrase reaches the server (signing in proved the old one). An inspector's key pair is
    /// wrapped anew under it in the same transaction.
    pub fn set_own_passphrase(&mut self, passphrase: &str) -> Result<()> {
        check_passphrase(passphrase)?;
        let verifier = scram_verifier(passphrase);
        let address = self.address.clone();
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        tx.execute("SELECT dangan.set_own_passphrase($1)", &[&verifier]).map_err(|e| failure(e, &address))?;
        complaints::rewrap(&self.register, &mut tx, passphrase, &address)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))
    }

    /// The organisation as this user sees it: their units and every unit above them.
    pub fn units(&mut self) -> Result<Vec<ServerUnit>> {
        read_units(&mut self.client, &mut self.statements).map_err(|e| failure(e, &self.address))
    }
}

/// A branch secretary has branches, nobody else does.
fn check_branches(role: Role, branches: &[Id]) -> Result<()> {
    if role == Role::BranchSecretary && branches.is_empty() {
        return Err(Error::invalid(
            "branch",
            "支部书记至少要有一个支部",
            "a branch secretary needs at least one branch",
        ));
    }
    if role != Role::BranchSecretary && !branches.is_empty() {
        return Err(Error::invalid("branch", "只有支部书记限于支部", "only a branch secretary is limited to branches"));
    }
    Ok(())
}

fn user_not_found(name: &str) -> Error {
    Error::NotFound { what: Text::new(format!("用户「{name}」"), format!("user {name}")) }
}

/// The server's refusal of a change to a user, in the user's words: not one of the
/// administrator's users, the department's last administrator, oneself.
fn user_refused(e: postgres::Error, name: &str, address: &ServerAddress) -> Error {
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::NO_DATA_FOUND => user_not_found(name),
        Some(db) if *db.code() == SqlState::INVALID_PARAMETER_VALUE && db.message().contains("last administrator") => {
            Error::invalid(
                "role",
                "这是组织部最后一位管理员，不能删除或降级",
                "this is the department's last administrator; they cannot be removed or given another role",
            )
        }
        Some(db) if *db.code() == SqlState::INVALID_PARAMETER_VALUE && db.message().contains("themselves") => {
            Error::invalid(
                "name",
                "管理员不能删除自己，请由另一位管理员删除",
                "an administrator does not remove themselves; another administrator does",
            )
        }
        Some(db) if *db.code() == SqlState::INVALID_PARAMETER_VALUE && db.message().contains("inspector") => {
            Error::invalid(
                "role",
                "纪检委员的角色不能改设：请删除该用户后按新角色重新添加",
                "the discipline inspector's role is not changed in place: remove the user and add them again with the new role",
            )
        }
        Some(db) if *db.code() == SqlState::INVALID_PARAMETER_VALUE && db.message().contains("branches") => {
            Error::invalid(
                "branch",
                "支部书记的支部须是其所在党委下的党支部或党总支",
                "a branch secretary's branches are branches or general branches of the committee they work for",
            )
        }
        _ => failure(e, address),
    }
}

/// Why work in a transaction stopped: the server failed, a read found nothing or a row Dangan
/// cannot read, or a rule refused; each made into the user's words by [`Failed::into_error`].
enum Failed {
    Server(postgres::Error),
    Load(people::LoadError),
    Refused(Error),
}

impl From<postgres::Error> for Failed {
    fn from(e: postgres::Error) -> Failed {
        Failed::Server(e)
    }
}

impl From<people::LoadError> for Failed {
    fn from(e: people::LoadError) -> Failed {
        Failed::Load(e)
    }
}

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed::Refused(e)
    }
}

impl Failed {
    fn into_error(self, address: &ServerAddress) -> Error {
        match self {
            Failed::Server(e) => failure(e, address),
            Failed::Load(e) => e.into_error(address),
            Failed::Refused(e) => e,
        }
    }
}

/// A read-only transaction that reads one snapshot throughout (REPEATABLE READ): what several
/// reads make together (the log and its head, the people and their steps) is never torn by a
/// writer committing between them.
pub(super) fn snapshot(client: &mut Client) -> std::result::Result<postgres::Transaction<'_>, postgres::Error> {
    client.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start()
}

/// The units the signed-in user sees (their own and every unit above them).
pub(super) fn read_units(
    client: &mut impl GenericClient,
    statements: &mut Statements,
) -> std::result::Result<Vec<ServerUnit>, postgres::Error> {
    let units = statements
        .get(client, "SELECT id, uid::text, parent_id, kind, name FROM dangan.org_units ORDER BY kind, name")?;
    Ok(client
        .query(&units, &[])?
        .iter()
        .map(|r| ServerUnit { id: r.get(0), uid: r.get(1), parent_id: r.get(2), kind: r.get(3), name: r.get(4) })
        .collect())
}

/// Users from `source`, a table expression named `u` with the columns of `dangan.user_rows`:
/// `dangan.list_users()`, `dangan.whoami()`, or (for the owner, in `init`) the view itself.
fn users_from(
    client: &mut impl postgres::GenericClient,
    source: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> std::result::Result<Vec<ServerUser>, postgres::Error> {
    let rows = client.query(
        &format!(
            "SELECT u.id::text, u.name, u.role, u.unit_id, u.branches, u.db_role, u.created_on::text
             FROM {source} ORDER BY u.name"
        ),
        params,
    )?;
    Ok(rows.iter().filter_map(|r| user_of(r).ok()).collect())
}

fn user_of(row: &postgres::Row) -> Result<ServerUser> {
    let role: String = row.get(2);
    Ok(ServerUser {
        id: row.get(0),
        name: row.get(1),
        role: Role::parse(&role).ok_or_else(|| Error::Crypto("the server holds a role Dangan does not know"))?,
        unit_id: row.get(3),
        branches: row.get(4),
        db_role: row.get(5),
        created_on: row.get(6),
    })
}

/// The password a login role is given: PostgreSQL's SCRAM-SHA-256 verifier of the passphrase.
fn scram_verifier(passphrase: &str) -> String {
    postgres_protocol::password::scram_sha_256(passphrase.as_bytes())
}

/// Signing in read the user through `dangan.users`; a database without it is not Dangan's.
fn not_a_dangan_server(e: postgres::Error, address: &ServerAddress) -> Error {
    let missing = e.code().is_some_and(|c| *c == SqlState::UNDEFINED_TABLE || *c == SqlState::INVALID_SCHEMA_NAME);
    if missing {
        return Error::invalid(
            "server",
            format!("{address} 不是 Dangan 的数据库（请先运行 dangan server init）"),
            format!("{address} is not a Dangan database (run `dangan server init` first)"),
        );
    }
    failure(e, address)
}

/// A failure at the commit itself: the server may have committed before the connection was lost,
/// so "nothing was changed" cannot be said; whether it was must be looked at.
pub(crate) fn lost_at_commit(e: postgres::Error, address: &ServerAddress) -> Error {
    // The server going down as it commits may have made the commit durable first: unknown.
    let going_down = e.as_db_error().is_some_and(|db| {
        *db.code() == SqlState::ADMIN_SHUTDOWN
            || *db.code() == SqlState::CRASH_SHUTDOWN
            || *db.code() == SqlState::CANNOT_CONNECT_NOW
    });
    if e.as_db_error().is_some() && !going_down {
        return failure(e, address);
    }
    Error::ServerLostAtCommit { server: address.to_string(), cause: e.to_string() }
}

/// What a failure of the server means to the person.
pub(crate) fn failure(e: postgres::Error, address: &ServerAddress) -> Error {
    let Some(db) = e.as_db_error() else {
        // No answer from the server at all: it cannot be reached, or the TLS handshake failed.
        let mut cause = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            cause.push_str(": ");
            cause.push_str(&s.to_string());
            source = s.source();
        }
        return Error::ServerUnreachable { server: address.to_string(), cause };
    };
    let code = db.code();
    // The server is going down or starting up (its administrator stopped it, it crashed): the
    // connection ends with this, and for the user the server cannot be reached.
    if *code == SqlState::ADMIN_SHUTDOWN || *code == SqlState::CRASH_SHUTDOWN || *code == SqlState::CANNOT_CONNECT_NOW {
        return Error::ServerUnreachable { server: address.to_string(), cause: db.message().to_owned() };
    }
    // A unit or person brought with a UUID the server holds already (a workspace uploaded again
    // under another name, two uploads of one person at once).
    if *code == SqlState::UNIQUE_VIOLATION && db.constraint().is_some_and(|c| c.ends_with("_uid_key")) {
        return Error::invalid(
            "uid",
            "服务器上已有同一标识（UUID）的单位、人员或材料：同一工作区的内容不能再上传一次，没有做任何更改",
            "the server holds a unit, person or file record with the same UUID already: a workspace's records are not uploaded twice; nothing was changed",
        );
    }
    if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
        return Error::WrongUserOrPassphrase;
    }
    if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        return Error::Forbidden {
            what: Text::new(
                format!("这样做（服务器：{}）", db.message()),
                format!("do this (the server says: {})", db.message()),
            ),
        };
    }
    if *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
        || *code == SqlState::LOCK_NOT_AVAILABLE
    {
        return Error::Busy { reason: busy_text() };
    }
    Error::Server { server: address.to_string(), reason: db.message().to_owned() }
}
