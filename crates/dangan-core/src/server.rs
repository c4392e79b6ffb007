//! The shared server's use cases (issue 20), as [`crate::Session`] is the workspace's: a
//! university's offices on one PostgreSQL database, each user signed in as a login role of their
//! own. What runs on a server so far: setting one up and upgrading its schema, its users, checking
//! its audit log, the member list and search, each member's steps (recorded with the workspace's
//! checks), the procedure's deadlines (the workspace's engine over the server's steps) with items
//! set aside and each user's reminders, the
//! roster import, moves between colleges, the holiday calendar, statistics and the upload of a
//! workspace; the rest of Dangan still runs on a workspace only (ARCHITECTURE.md, "The shared
//! server").

use std::collections::HashMap;
use std::path::Path;

use crate::access::{Action, Role};
use crate::backup::VerifyReport;
use crate::calendar::Date;
use crate::deadlines::{DeadlineItem, DeadlineQuery, Fact};
use crate::domain::{EventKind, Id, MembershipStatus, ProcedureEvent, Stage, StatusChange, current_status};
use crate::late::{LateStep, late_steps};
use crate::reminders::{self, Notice, Reminder, Threshold};
use crate::rules::DeadlineKind;
use crate::store::dismissals::{check_set_aside, check_unit_set_aside};
pub use crate::store::server::{
    Change, ChangeFeed, Concern, RegisterMoved, ServerAddress, ServerInit, ServerUnit, ServerUser, UploadReport,
};
use crate::store::server::{HeldSteps, ServerPerson, ServerStore, branch_path, committee_above, subtree, unit_named};
use crate::store::{LifeIndex, PersonSteps, item_order};
use crate::store::{MemberDetail, MemberIndex, MemberPage, MemberQuery, MemberSummary};
use crate::{Error, Lang, Result, Text};

/// A member on the server: their whole record as a workspace gives it, and the version a change
/// made from it must name (`save_event`'s `seen_version`).
#[derive(Debug, Clone)]
pub struct ServerMember {
    pub detail: MemberDetail,
    pub version: i32,
    /// Who made the latest change.
    pub changed_by: Option<String>,
}

/// A member moved to another branch (`dangan transfer move`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MemberMoved {
    pub id: Id,
    pub name: String,
    /// The branch left and the branch joined, each as its path of names from the top.
    pub from: String,
    pub to: String,
    /// The branch joined, by number.
    pub branch_id: Id,
    /// The member's version after the move.
    pub version: i32,
}

/// The version of the server's schema this Dangan works with (`dangan server upgrade` brings a
/// database to it).
pub const SCHEMA_VERSION: i32 = crate::store::server::SCHEMA_VERSION;

/// The file in an office's folder that names the shared server it uses (one line: its address,
/// without a password), written by [`ServerSession::connect`].
pub const SERVER_FILE: &str = "dangan.server";

/// One signed-in user's connection to the server.
pub struct ServerSession {
    store: ServerStore,
    /// The member list's rows, read on the first list or search and kept true by this session's
    /// own changes and by the others' as announced ([`ServerSession::apply_changes`]).
    index: Option<MemberIndex>,
    /// Each readable person's steps as facts for the rules (and whether they owe any), read on the
    /// first deadline scan or list and kept true the same way: a scan then reads nothing from the
    /// server.
    facts: Option<HashMap<Id, HeldSteps>>,
    /// The people of the statistics' number last listed (its pages, and the stage counts beside
    /// them, ask again and again): counted once, forgotten at any change.
    cell: Option<(crate::statistics::CellRef, std::collections::HashSet<Id>)>,
    /// The units, as the page a change returns names its member's branch: read by the first
    /// change and kept until the organisation is announced changed (or everything is read
    /// again), so that a change needs no read before its transaction. For that page only: lists,
    /// scans and checks read the units afresh.
    page_units: Option<Vec<ServerUnit>>,
}

impl ServerSession {
    /// `dangan server init`: the schema, the roles, the policies, the root committee and its
    /// first administrator, on an empty database whose owner the address names.
    pub fn initialise(address: &ServerAddress, committee: &str, admin: &str, passphrase: &str) -> Result<ServerInit> {
        ServerStore::initialise(address, committee, admin, passphrase)
    }

    /// [`ServerSession::initialise`] at an earlier version of the schema, as an older Dangan
    /// made it: for the tests of [`ServerSession::upgrade`].
    #[doc(hidden)]
    pub fn initialise_at(
        address: &ServerAddress,
        committee: &str,
        admin: &str,
        passphrase: &str,
        version: i32,
    ) -> Result<ServerInit> {
        ServerStore::initialise_at(address, committee, admin, passphrase, version)
    }

    /// `dangan server upgrade`: brings a database an earlier Dangan set up to this Dangan's
    /// schema, as its owner (the address's user), all or nothing. Users cannot sign in to a
    /// server behind it.
    pub fn upgrade(address: &ServerAddress) -> Result<crate::store::server::Upgrade> {
        ServerStore::upgrade(address)
    }

    /// Signs in: the user's passphrase is their login role's password, so a wrong one is refused
    /// by the server itself.
    pub fn sign_in(address: &ServerAddress, user: Option<&str>, passphrase: &str) -> Result<ServerSession> {
        let user = user.map(str::trim).filter(|u| !u.is_empty()).ok_or_else(|| {
            Error::invalid("user", "在服务器上请用 --user 指明用户名", "on a server, name the user with --user")
        })?;
        let store = ServerStore::sign_in(address, user, passphrase)?;
        Ok(ServerSession { store, index: None, facts: None, cell: None, page_units: None })
    }

    pub fn address(&self) -> &ServerAddress {
        self.store.address()
    }

    /// The app's "connect to a server": signs in to the server at `url` for the office whose folder
    /// is `folder`, and then notes the address in it ([`SERVER_FILE`]), so that the app offers
    /// that server's sign-in from then on instead of setting up a workspace. Refused when the
    /// folder holds a workspace (an office uses one or the other: `dangan server upload` moves a
    /// workspace's records onto a server) or the address carries a password (a user signs in with
    /// their own passphrase; the owner's password is for `server init` only, and is never kept).
    pub fn connect(folder: &Path, url: &str, user: Option<&str>, passphrase: &str) -> Result<ServerSession> {
        let address: ServerAddress = url.parse()?;
        if address.carries_password() {
            return Err(Error::invalid(
                "server",
                "服务器地址中不要写密码：每位用户以自己的口令登录",
                "leave the password out of the server's address: each user signs in with their own passphrase",
            ));
        }
        let workspace = crate::Workspace::at(folder.to_owned());
        if workspace.exists() {
            return Err(Error::invalid(
                "server",
                format!("{} 已有本机工作区；请先用 dangan server upload 把它移到服务器上", folder.display()),
                format!("{} holds a workspace; move it onto the server first (dangan server upload)", folder.display()),
            ));
        }
        let session = ServerSession::sign_in(&address, user, passphrase)?;
        // Kept with its certificate's path made absolute: the app may start elsewhere next time.
        let kept = crate::store::server::with_absolute_root_cert(url.trim());
        let io = |source| Error::Io { path: folder.join(SERVER_FILE), source };
        std::fs::create_dir_all(folder).map_err(io)?;
        let mut file = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
        std::io::Write::write_all(&mut file, format!("{kept}\n").as_bytes()).map_err(io)?;
        file.persist(folder.join(SERVER_FILE)).map_err(|e| io(e.error))?;
        Ok(session)
    }

    /// The shared server an office's folder names ([`ServerSession::connect`] noted it), as the
    /// file says it: checked when signing in, so that an address damaged or edited by hand is
    /// shown to be mended (or forgotten) rather than keep the app from starting. `None` when the
    /// folder names none, or its file cannot be read.
    pub fn remembered(folder: &Path) -> Option<String> {
        let url = std::fs::read_to_string(folder.join(SERVER_FILE)).ok()?;
        // A password written into the file by hand is never shown.
        Some(crate::store::server::shown(url.trim())).filter(|url| !url.is_empty())
    }

    /// Forgets the server an office's folder names: the app offers to set up a workspace again.
    /// Nothing on the server changes.
    pub fn forget(folder: &Path) -> Result<()> {
        match std::fs::remove_file(folder.join(SERVER_FILE)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::Io { path: folder.join(SERVER_FILE), source: err })
            }
            _ => Ok(()),
        }
    }

    /// Other clients' changes as they commit, on a connection of its own (see [`ChangeFeed`]).
    pub fn watch(address: &ServerAddress, user: &str, passphrase: &str) -> Result<ChangeFeed> {
        ChangeFeed::open(address, user, passphrase)
    }

    /// Who is signed in.
    pub fn user(&self) -> &ServerUser {
        self.store.me()
    }

    /// Who is signed in, as a workspace's session says it to a shell: their role's actions as far
    /// as the areas that run on a server use them, those areas, and the server's address.
    pub fn session_user(&self) -> crate::access::SessionUser {
        let me = self.store.me();
        crate::access::SessionUser::on_a_server(
            me.name.clone(),
            me.role,
            me.branches.clone(),
            self.store.address().to_string(),
        )
    }

    /// The units this user sees, as a workspace's shell reads its organisation: each under its
    /// parent, the topmost seen a root (a college's committee, for its users), a committee
    /// below another standing as a general branch does (it holds branches).
    pub fn org_units(&mut self) -> Result<Vec<crate::domain::OrgUnit>> {
        let units = self.store.units()?;
        // The units above the user's committee are seen (to name paths), not worked in.
        let mine = subtree(&units, self.store.me().unit_id);
        let own: Vec<ServerUnit> = units.into_iter().filter(|u| mine.contains(&u.id)).collect();
        Ok(visible_tree(&own))
    }

    /// Writes the items a query selects to a workbook (`.xlsx`), as a workspace does; never into
    /// `workspace_dir`, the PC's own workspace folder.
    pub fn export_deadlines(&mut self, query: &DeadlineQuery, path: &Path, workspace_dir: &Path) -> Result<()> {
        let items = self.deadlines(query)?;
        let as_of = query.as_of.unwrap_or_else(|| self.store.today());
        let sheet = crate::lists::deadline_sheet("期限", &items, as_of);
        crate::lists::write_sheets(workspace_dir, path, &[sheet])
    }

    /// Writes the items a query selects to an iCalendar file (for Outlook, a phone or any
    /// calendar), as a workspace does; never into `workspace_dir`. The calendar's id, the stable
    /// part of each event's UID, is this user's on this server (made of the university's UUID
    /// and their login role), so a calendar that took an earlier file updates its events rather
    /// than adding them twice. Returns how many items were written.
    pub fn write_calendar(&mut self, query: &DeadlineQuery, path: &Path, workspace_dir: &Path) -> Result<usize> {
        use sha2::{Digest, Sha256};
        crate::output::ensure_outside(workspace_dir, path)?;
        let items = self.deadlines(query)?;
        let units = self.store.units()?;
        let university = units.iter().find(|u| u.parent_id.is_none()).map_or("", |u| u.uid.as_str());
        let digest = Sha256::digest(format!("{university}/{}", self.store.me().db_role).as_bytes());
        let calendar_id = hex::encode(&digest[..8]);
        let ics = crate::ics::write_ics(&items, &calendar_id, chrono::Utc::now());
        crate::output::write(workspace_dir, path, ics.as_bytes())?;
        Ok(items.len())
    }

    /// Writes the dashboard to a workbook, as a workspace does: the counts per branch, then every
    /// pending item.
    pub fn export_dashboard(
        &mut self,
        as_of: Option<Date>,
        branch_id: Option<Id>,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<()> {
        let dashboard = self.dashboard(as_of, branch_id)?;
        let query = DeadlineQuery { as_of: Some(dashboard.as_of), branch_id, ..DeadlineQuery::default() };
        let items = self.deadlines(&query)?;
        crate::lists::write_sheets(workspace_dir, path, &crate::lists::dashboard_sheets(&dashboard, &items))
    }

    /// Adds a general branch or a branch by hand, as a workspace's 组织 does: by administrators and
    /// organisers, within the units their committee holds (the server's policies say so too).
    pub fn add_org_unit(
        &mut self,
        parent_id: Id,
        kind: crate::domain::OrgKind,
        name: &str,
    ) -> Result<crate::domain::OrgUnit> {
        let tree = self.org_units()?;
        self.store.add_org_unit(&tree, parent_id, kind, name)
    }

    /// The 工作提醒 home screen as of a day, for everyone in scope or one unit's subtree: the
    /// procedure's items and organisational life's counted as a workspace counts them, those set
    /// aside apart.
    pub fn dashboard(&mut self, as_of: Option<Date>, branch_id: Option<Id>) -> Result<crate::deadlines::Dashboard> {
        let as_of = as_of.unwrap_or_else(|| self.store.today());
        let query =
            DeadlineQuery { as_of: Some(as_of), branch_id, include_dismissed: true, ..DeadlineQuery::default() };
        let items = self.deadlines(&query)?;
        let order: Vec<Id> = self.org_units()?.iter().map(|u| u.id).collect();
        Ok(crate::deadlines::Dashboard::of_items(as_of, items, &order))
    }

    pub fn users(&mut self) -> Result<Vec<ServerUser>> {
        self.store.users()
    }

    /// Adds a user. A branch secretary is given branches by name or path (`学院党委/第一支部`);
    /// anyone else the committee whose office they work for (by default the administrator's own).
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        committee: Option<&str>,
        branches: &[String],
        passphrase: &str,
    ) -> Result<ServerUser> {
        self.store.require(Action::ManageUsers)?;
        let units = self.store.units()?;
        let branch_ids = branches.iter().map(|b| unit_named(&units, b, "branch")).collect::<Result<Vec<_>>>()?;
        let unit_id = match (committee, branch_ids.first()) {
            (Some(name), _) => {
                let id = unit_named(&units, name, "committee")?;
                if units.iter().any(|u| u.id == id && u.kind != "committee") {
                    return Err(Error::invalid(
                        "committee",
                        format!("「{name}」不是党委"),
                        format!("{name} is not a committee"),
                    ));
                }
                id
            }
            // A branch secretary works for the committee above their first branch.
            (None, Some(&branch)) => committee_above(&units, branch).unwrap_or(self.store.me().unit_id),
            (None, None) => self.store.me().unit_id,
        };
        self.store.add_user(name, role, unit_id, &branch_ids, passphrase)
    }

    /// Gives a user another role; a branch secretary's branches are named as in `add_user`.
    pub fn set_user_role(&mut self, name: &str, role: Role, branches: &[String]) -> Result<ServerUser> {
        self.store.require(Action::ManageUsers)?;
        let units = self.store.units()?;
        let branch_ids = branches.iter().map(|b| unit_named(&units, b, "branch")).collect::<Result<Vec<_>>>()?;
        self.store.set_user_role(name, role, &branch_ids)
    }

    /// A page of the server's audit log, newest first, as a workspace filters its own; what the
    /// policies let this user read (administrators and auditors, each their committee's).
    pub fn audit_log(&mut self, query: &crate::store::AuditQuery) -> Result<crate::store::AuditPage> {
        self.store.audit_log(query)
    }

    /// Writes every entry `query` matches, oldest first, as CSV (never into `workspace_dir`, the
    /// PC's own workspace folder); returns how many.
    pub fn export_audit(
        &mut self,
        query: &crate::store::AuditQuery,
        path: &std::path::Path,
        workspace_dir: &std::path::Path,
    ) -> Result<u64> {
        let mut all = self.store.audit_log(&crate::store::AuditQuery { offset: 0, limit: 0, ..query.clone() })?.entries;
        all.reverse();
        crate::store::write_audit_csv(workspace_dir, path, &all)
    }

    /// A new passphrase for the signed-in user (signing in proved the old one).
    pub fn set_own_passphrase(&mut self, passphrase: &str) -> Result<()> {
        self.store.set_own_passphrase(passphrase)
    }

    /// Removes a user: their passphrase opens nothing any more.
    pub fn remove_user(&mut self, name: &str) -> Result<()> {
        self.store.remove_user(name)
    }

    /// Sets a new passphrase for a user who forgot theirs.
    pub fn reset_passphrase(&mut self, name: &str, passphrase: &str) -> Result<()> {
        self.store.reset_passphrase(name, passphrase)
    }

    /// The units this user sees: their own and every unit above them.
    pub fn units(&mut self) -> Result<Vec<ServerUnit>> {
        self.store.units()
    }

    /// Follows the server's audit log along its hash chain.
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.store.verify()
    }

    /// Pins "today" for the checks (tests; a past date).
    pub fn set_today(&mut self, today: Date) {
        self.store.set_today(today);
    }

    /// A page of the members this user may read that `query` selects, in pinyin order: by stage,
    /// unit (with everything under it), a search of names, pinyin initials, full pinyin and
    /// student numbers, and status, as a workspace selects them (one index and one matcher for
    /// both). Everyone on a server is in the register: it keeps no status changes yet.
    pub fn list_members(&mut self, query: &MemberQuery) -> Result<MemberPage> {
        // A number of the statistics clicked: its people, by the rule that counted them.
        let only: Option<std::collections::HashSet<Id>> = match &query.cell {
            Some(cell) => match &self.cell {
                Some((held, people)) if held == cell => Some(people.clone()),
                _ => {
                    let people: std::collections::HashSet<Id> = self.cell_people(cell)?.into_iter().collect();
                    self.cell = Some((cell.clone(), people.clone()));
                    Some(people)
                }
            },
            None => None,
        };
        let units = self.store.units()?;
        let branches = match query.branch_id {
            None => None,
            Some(root) if units.iter().any(|u| u.id == root) => Some(subtree(&units, root)),
            Some(root) => {
                return Err(Error::invalid(
                    "branch_id",
                    format!("没有编号为 {root} 的组织"),
                    format!("no unit has id {root}"),
                ));
            }
        };
        let (total, items) =
            self.index()?.query(query, branches.as_ref(), only.as_ref(), |branch| branch_path(&units, branch));
        Ok(MemberPage { total, offset: query.offset, items })
    }

    /// Every member `query` selects (all pages), each with their late steps.
    pub fn members(&mut self, query: &MemberQuery) -> Result<Vec<(MemberSummary, Vec<LateStep>)>> {
        let items = self.every_page(query)?;
        self.facts()?;
        let Some(facts) = self.facts.as_ref() else { return Ok(Vec::new()) };
        let (rules, workdays) = (self.store.rules(), self.store.work_calendar());
        Ok(items
            .into_iter()
            .map(|summary| {
                let late = late_steps(facts.get(&summary.id).map_or(&[][..], |h| &h.facts[..]), rules, workdays);
                (summary, late)
            })
            .collect())
    }

    /// Every member `query` selects, page after page however many there are.
    fn every_page(&mut self, query: &MemberQuery) -> Result<Vec<MemberSummary>> {
        let mut items = Vec::new();
        loop {
            let offset = items.len() as u64;
            let page = self.list_members(&MemberQuery { offset, limit: MemberQuery::MAX_LIMIT, ..query.clone() })?;
            let done = page.items.is_empty() || offset + page.items.len() as u64 >= page.total;
            items.extend(page.items);
            if done {
                return Ok(items);
            }
        }
    }

    /// Keeps the member list true after changes other clients committed (as a [`ChangeFeed`]
    /// delivers them): each changed person's row read again, or the whole list when a change
    /// named no row; the user's own account read again when the accounts changed (and, if theirs
    /// changed, the lists, which the user's branches bound), the holiday calendar when it
    /// changed. It never fails: what cannot be read again is read at its next use, or stays as it
    /// was (the server's policies decide either way, and a lost connection is the feed's to say).
    /// True when the signed-in user's own account changed: what they may do is to be read again.
    pub fn apply_changes(&mut self, changes: &[Change]) -> bool {
        if !changes.is_empty() {
            self.cell = None;
        }
        let concerns: Vec<Concern> = changes.iter().map(Change::concern).collect();
        let everything = concerns.contains(&Concern::All);
        if concerns.iter().any(|c| matches!(c, Concern::Units | Concern::All | Concern::Account)) {
            self.page_units = None;
        }
        let own_account = (everything || concerns.contains(&Concern::Account)) && self.read_account_again();
        if everything || concerns.contains(&Concern::Calendar) {
            self.store.reload_calendar().ok();
        }
        if everything || concerns.contains(&Concern::Rules) {
            self.store.reload_rules().ok();
        }
        for concern in concerns {
            if self.index.is_none() && self.facts.is_none() {
                break;
            }
            match concern {
                Concern::Units | Concern::BranchLife | Concern::Account | Concern::Calendar | Concern::Rules => {}
                Concern::Person(person) => self.refresh(person),
                Concern::All => self.reload(),
            }
        }
        own_account
    }

    /// Reads everything again: the user's account and the calendar now, the lists and steps at
    /// their next use (when the feed of changes starts again, say: changes may have gone
    /// unannounced meanwhile). True when the user's own account changed.
    pub fn read_again(&mut self) -> bool {
        self.reload();
        self.store.reload_calendar().ok();
        self.store.reload_rules().ok();
        self.read_account_again()
    }

    /// Reads the user's own account again, and the lists if it changed (another user's change, a
    /// passphrase set, leaves them as they are). True when it changed.
    fn read_account_again(&mut self) -> bool {
        let before = self.store.me().clone();
        self.store.reload_account().ok();
        let changed = *self.store.me() != before;
        if changed {
            self.reload();
        }
        changed
    }

    /// The member list's rows, read once.
    fn index(&mut self) -> Result<&MemberIndex> {
        if self.index.is_none() {
            self.index = Some(MemberIndex::from_sorted(self.store.index_entries()?));
        }
        Ok(self.index.get_or_insert_default())
    }

    /// Each readable person's steps as facts, read once.
    fn facts(&mut self) -> Result<&HashMap<Id, HeldSteps>> {
        if self.facts.is_none() {
            self.facts = Some(self.store.all_facts()?);
        }
        Ok(self.facts.get_or_insert_default())
    }

    /// One person's row and steps read again, where they are held. It never fails: it runs after
    /// a commit (a change made is not reported as failed), and what cannot be read again is
    /// dropped, to be read whole at the next list or scan.
    fn refresh(&mut self, person: Id) {
        self.cell = None;
        if self.index.is_some() {
            match self.store.index_entry(person) {
                Ok(entry) => {
                    if let Some(index) = self.index.as_mut() {
                        index.put(person, entry);
                    }
                }
                Err(_) => self.index = None,
            }
        }
        if self.facts.is_some() {
            match self.store.person_facts(person) {
                Ok(held) => self.hold_steps(person, held),
                Err(_) => self.facts = None,
            }
        }
    }

    /// This session's own change, as its transaction returned the person (every column of the
    /// list row, and the steps, read or written there), put where the lists and steps are held:
    /// no read of them again.
    fn refresh_with(&mut self, person: &ServerPerson) {
        self.cell = None;
        let id = person.person.id.unwrap_or_default();
        if let Some(index) = self.index.as_mut() {
            index.put(id, Some(person.list_row()));
        }
        if self.facts.is_some() {
            self.hold_steps(id, person.held_steps());
        }
    }

    /// One person's steps put where everyone's are held (none: they are gone or have none).
    fn hold_steps(&mut self, person: Id, held: HeldSteps) {
        let Some(all) = self.facts.as_mut() else { return };
        if held.facts.is_empty() {
            all.remove(&person);
        } else {
            all.insert(person, held);
        }
    }

    /// Signs in again with `passphrase` if the connection to the server was lost (it never
    /// comes back by itself), and then reads the lists and steps whole again: changes may have
    /// been missed meanwhile. True when it signed in anew.
    pub fn reconnect_if_lost(&mut self, passphrase: &str) -> Result<bool> {
        let renewed = self.store.reconnect_if_lost(passphrase)?;
        if renewed {
            self.reload();
        }
        Ok(renewed)
    }

    /// A new passphrase for the signed-in user, once `current` is proved theirs (by signing in
    /// with it anew, so the server itself checks it).
    pub fn change_own_passphrase(&mut self, current: &str, next: &str) -> Result<()> {
        ServerStore::sign_in(self.store.address(), &self.store.me().name, current)?;
        self.store.set_own_passphrase(next)
    }

    /// Forgets the lists and steps held, to be read whole again (when the feed of changes was
    /// lost, say, and some may have been missed).
    pub fn reload(&mut self) {
        self.index = None;
        self.facts = None;
        self.cell = None;
        self.page_units = None;
    }

    /// The page of a member this session just changed, as [`ServerSession::member`] gives it:
    /// their branch named with the units kept for pages (read again first if they lack it), their
    /// items of organisational life from the index the session read at its last scan (a session
    /// that scanned nothing, a command's, shows none). It never fails (it runs after a commit):
    /// units that cannot be read leave the branch unnamed on the page.
    fn changed_member(&mut self, person: ServerPerson) -> ServerMember {
        let branch = person.person.branch_id;
        if !self.page_units.as_ref().is_some_and(|units| units.iter().any(|u| u.id == branch)) {
            self.page_units = self.store.units().ok();
        }
        let life = self.store.held_life();
        self.member_of(person, self.page_units.as_deref().unwrap_or_default(), life.as_deref())
    }

    /// Imports a roster already read, all rows or none, with a workspace's checks, report and
    /// questions (see `store/server/import.rs`); the branches it names are added when the user
    /// organises their committee.
    pub fn import_roster(
        &mut self,
        roster: crate::roster::Roster,
        options: crate::roster::ImportOptions,
        progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<crate::roster::ImportReport> {
        let report = self.store.import_roster(roster, options, progress);
        // Many people change at once: the lists and steps held are read whole again.
        self.reload();
        report
    }

    /// Reads the roster at `path` and imports it.
    pub fn import_roster_file(
        &mut self,
        path: &std::path::Path,
        options: crate::roster::ImportOptions,
        progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<crate::roster::ImportReport> {
        let roster = crate::roster::read(path)?;
        self.import_roster(roster, options, progress)
    }

    /// The users as a workspace lists them, for the app's 用户管理: each with a number of its own,
    /// the same at every read (taken from their UUID), by which the app names them back.
    pub fn users_listed(&mut self) -> Result<Vec<crate::access::User>> {
        Ok(self.users()?.into_iter().map(listed).collect())
    }

    /// Adds a user as the app does, a branch secretary's branches by number.
    pub fn add_user_listed(
        &mut self,
        name: &str,
        role: Role,
        branches: &[Id],
        passphrase: &str,
    ) -> Result<crate::access::User> {
        let branches: Vec<String> = branches.iter().map(Id::to_string).collect();
        self.add_user(name, role, None, &branches, passphrase).map(listed)
    }

    /// Changes the role (and a branch secretary's branches, by number) of the user the app names.
    pub fn set_user_role_listed(&mut self, user: Id, role: Role, branches: &[Id]) -> Result<crate::access::User> {
        let name = self.user_listed_as(user)?;
        let branches: Vec<String> = branches.iter().map(Id::to_string).collect();
        self.set_user_role(&name, role, &branches).map(listed)
    }

    /// Removes the user the app names.
    pub fn remove_user_listed(&mut self, user: Id) -> Result<()> {
        let name = self.user_listed_as(user)?;
        self.remove_user(&name)
    }

    /// Sets a forgotten passphrase anew for the user the app names.
    pub fn reset_passphrase_listed(&mut self, user: Id, passphrase: &str) -> Result<()> {
        let name = self.user_listed_as(user)?;
        self.reset_passphrase(&name, passphrase)
    }

    /// The name of the user listed as `number`.
    fn user_listed_as(&mut self, number: Id) -> Result<String> {
        let users = self.users()?;
        let found = users.into_iter().find(|u| listed_number(&u.id) == number);
        found.map(|u| u.name).ok_or_else(|| Error::NotFound {
            what: Text::new(format!("编号为 {number} 的用户"), format!("user {number}")),
        })
    }

    /// A unit this user sees, by its number, UUID, name or path.
    pub fn find_unit(&mut self, wanted: &str, field: &str) -> Result<Id> {
        unit_named(&self.store.units()?, wanted, field)
    }

    /// What the procedure and organisational life still ask of the members and units this user
    /// may read, as a workspace lists its deadlines: everyone in scope, or a unit's subtree
    /// (`branch_id`), or one member, chosen and sorted as a workspace chooses and sorts them,
    /// those set aside marked (and left out unless asked for); a discipline inspector's register's
    /// items too. A server keeps no transfer letters yet, so owes none of their items.
    pub fn deadlines(&mut self, query: &DeadlineQuery) -> Result<Vec<DeadlineItem>> {
        self.items_of(query, true)
    }

    /// The items `query` selects: the procedure's, and with `life` organisational life's too
    /// (read from the server's register, which the reminders read their own way).
    fn items_of(&mut self, query: &DeadlineQuery, life: bool) -> Result<Vec<DeadlineItem>> {
        let units = self.store.units()?;
        let in_scope: Option<std::collections::HashSet<Id>> = match query.branch_id {
            None => None,
            Some(root) if units.iter().any(|u| u.id == root) => Some(subtree(&units, root)),
            Some(root) => {
                return Err(Error::NotFound { what: Text::new(format!("组织 {root}"), format!("unit {root}")) });
            }
        };
        let set_aside = self.store.dismissals(query.member_id)?;
        self.facts()?;
        self.index()?;
        let (Some(index), Some(held)) = (self.index.as_ref(), self.facts.as_ref()) else { return Ok(Vec::new()) };
        let people = index
            .people_in_register()
            .filter(|(_, _, branch)| in_scope.as_ref().is_none_or(|s| s.contains(branch)))
            .filter(|(id, ..)| query.member_id.is_none_or(|m| m == *id))
            .filter_map(|(id, name, branch_id)| {
                let steps = held.get(&id).filter(|h| h.owes_steps)?;
                Some(PersonSteps { id, name, branch_id, facts: &steps.facts })
            });
        self.store.deadline_items(query, in_scope.clone(), (people, life), &set_aside, |unit| branch_path(&units, unit))
    }

    /// Records a change of a member's membership status (转出, 停止党籍, 去世, …), checked against
    /// their stage and history as a workspace checks it; someone out of the register leaves the
    /// working lists and deadlines at once, for everyone (the server keeps their status).
    pub fn change_status(&mut self, change: StatusChange) -> Result<ServerMember> {
        let person = self.store.change_status(change)?;
        self.refresh_with(&person);
        Ok(self.changed_member(person))
    }

    /// Takes back a member's latest status change (recorded in error).
    pub fn undo_status_change(&mut self, person_id: Id, seen: Option<Id>) -> Result<ServerMember> {
        let person = self.store.undo_status_change(person_id, seen)?;
        self.refresh_with(&person);
        Ok(self.changed_member(person))
    }

    /// Every document of the procedure, as a workspace lists them, in the wording this user's
    /// documents use: their committee's own, else the nearest committee's above it, else the
    /// shipped one (`custom` when not the shipped).
    pub fn documents(&mut self) -> Result<Vec<crate::documents::DocumentInfo>> {
        let rule_set = self.store.rule_set_id();
        // The units and the templates read once for the whole list.
        let (units, own) = (self.store.units()?, self.store.document_templates()?);
        let me = self.store.me().unit_id;
        Ok(crate::documents::shipped()
            .into_iter()
            .map(|shipped| {
                let (template, custom) = in_use(shipped, &units, &own, me);
                template.info(rule_set, custom)
            })
            .collect())
    }

    /// The template of document `id` this user's documents use, and whether it is a committee's own:
    /// their committee's, else the nearest one's above it, else the shipped one. One stored by an
    /// earlier version that no longer parses is passed over, as a workspace passes it over.
    fn template_for(&mut self, id: &str) -> Result<(crate::documents::Template, bool)> {
        let shipped = crate::documents::shipped_or_refused(id)?;
        let (units, own) = (self.store.units()?, self.store.document_templates()?);
        Ok(in_use(shipped, &units, &own, self.store.me().unit_id))
    }

    /// A document's template as a file (the one this user's documents use), for a committee to
    /// start its own wording from.
    pub fn document_template_source(&mut self, id: &str) -> Result<String> {
        Ok(self.template_for(id)?.0.source().to_owned())
    }

    /// Loads the user's committee's own wording of a document (administrators: EditRules, as in
    /// a workspace), refusing a bad one whole, naming its line; its users' documents and those of
    /// the committees below that have none of their own use it.
    pub fn load_document_template(&mut self, source: &str) -> Result<crate::documents::DocumentInfo> {
        self.store.require(Action::EditRules)?;
        let template = crate::documents::check_override(source)?;
        let committee = self.store.me().unit_id;
        self.store.put_document_template(committee, template.id(), template.source())?;
        Ok(template.info(self.store.rule_set_id(), true))
    }

    /// Goes back, for the user's committee, to the wording above it (the shipped one, or a
    /// committee's above theirs).
    pub fn reset_document_template(&mut self, id: &str) -> Result<()> {
        self.store.require(Action::EditRules)?;
        crate::documents::shipped_or_refused(id)?;
        let committee = self.store.me().unit_id;
        self.store.remove_document_template(committee, id)
    }

    /// Document `id` about `members`, dated `date` (today when none), filled in from the server's
    /// records as the user may read them, by the workspace's rules (`documents::context`): the
    /// branch is named below its college's committee, which the document speaks for (the
    /// university's when the people belong to several colleges).
    pub fn preview_document(
        &mut self,
        id: &str,
        members: &[Id],
        date: Option<Date>,
    ) -> Result<crate::documents::DocumentPreview> {
        let (template, _) = self.template_for(id)?;
        self.preview_template(&template, members, date)
    }

    fn preview_template(
        &mut self,
        template: &crate::documents::Template,
        members: &[Id],
        date: Option<Date>,
    ) -> Result<crate::documents::DocumentPreview> {
        self.store.require(Action::ReadMembers)?;
        let date = date.unwrap_or_else(|| self.store.today());
        let units = self.store.units()?;
        let rule_set = self.store.rule_set_id();
        let context = crate::documents::context(
            template,
            members,
            date,
            crate::documents::Records {
                member: &mut |id| Ok(self.member(id)?.detail),
                path: &|unit| branch_path(&units, unit),
                committee: &|branches| common_committee(&units, branches),
                rule_set,
            },
        )?;
        let (document, provisional) = crate::documents::render(template, &context, self.store.work_calendar())?;
        Ok(crate::documents::DocumentPreview {
            document,
            people: context.people.len(),
            provisional,
            committee: context.committee,
        })
    }

    /// Makes document `id` as [`ServerSession::preview_document`] fills it in, as .docx or PDF by
    /// `out`'s extension, never into `workspace_dir` (the PC's own folder). With `record_step`,
    /// the step it starts is recorded for each person, dated the document's date: all or none,
    /// and a refused step leaves no document behind.
    pub fn make_document(
        &mut self,
        id: &str,
        members: &[Id],
        date: Option<Date>,
        out: &Path,
        workspace_dir: &Path,
        record_step: bool,
    ) -> Result<crate::documents::MadeDocument> {
        crate::documents::DocumentFormat::of_path(out)?;
        let (template, _) = self.template_for(id)?;
        let preview = self.preview_template(&template, members, date)?;
        let today = self.store.today();
        let date = date.unwrap_or(today);
        crate::documents::save(preview, out, workspace_dir, today, || {
            if !record_step {
                return Ok(0);
            }
            let step = ProcedureEvent::new(crate::documents::step_started(&template)?, date);
            Ok(self.save_event_for_many(members, &step)?.len())
        })
    }

    // --- A member's file --------------------------------------------------------------------

    /// A member's records, oldest first, each with its attachments (without their bytes).
    pub fn records(&mut self, member_id: Id) -> Result<Vec<crate::domain::FileRecord>> {
        self.store.records_of(member_id)
    }

    /// A member's records and the checklist of what their file holds and lacks, as a workspace
    /// gives them (`checklist::check` over their steps and records).
    pub fn member_file(&mut self, member_id: Id) -> Result<crate::store::MemberFile> {
        let person = self.store.person(member_id)?;
        let records = self.store.records_of(member_id)?;
        let checklist = crate::checklist::check(crate::checklist::materials(), &person.events, &records);
        Ok(crate::store::MemberFile { records, checklist })
    }

    pub fn checklist(&mut self, member_id: Id) -> Result<Vec<crate::checklist::ChecklistLine>> {
        Ok(self.member_file(member_id)?.checklist)
    }

    /// The member's latest event of a step: what a record made from the command line documents.
    pub fn latest_event(&mut self, member_id: Id, kind: EventKind) -> Result<Id> {
        let person = self.store.person(member_id)?;
        crate::store::files::latest_of(&person.events, kind)
    }

    /// Adds a record (`id: None`) or changes one, attaching the files at `attach`, all or
    /// nothing, checked as a workspace checks it.
    pub fn save_record(
        &mut self,
        record: crate::domain::FileRecord,
        attach: &[std::path::PathBuf],
    ) -> Result<crate::domain::FileRecord> {
        let files =
            attach.iter().map(|path| crate::store::files::NewAttachment::read(path)).collect::<Result<Vec<_>>>()?;
        self.store.save_record(record, &files)
    }

    pub fn delete_record(&mut self, record_id: Id) -> Result<()> {
        self.store.delete_record(record_id)
    }

    /// An attachment's description and bytes.
    pub fn attachment(&mut self, attachment_id: Id) -> Result<(crate::domain::AttachmentInfo, Vec<u8>)> {
        self.store.attachment(attachment_id)
    }

    pub fn delete_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.store.delete_attachment(attachment_id)
    }

    /// Writes a copy of an attachment to `path` (never into `workspace_dir`, the office's own
    /// folder), whole or not at all; says which it was.
    pub fn write_attachment(
        &mut self,
        attachment_id: Id,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<crate::domain::AttachmentInfo> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let (info, bytes) = self.store.attachment(attachment_id)?;
        crate::output::write(workspace_dir, path, &bytes)?;
        Ok(info)
    }

    /// Everything one member's dossier prints, from the server: their page and file, each
    /// attachment's bytes, and the committee whose file it is (their college's).
    fn dossier_data(&mut self, member_id: Id) -> Result<crate::dossier::DossierData> {
        let units = self.store.units()?;
        let detail = self.member(member_id)?.detail;
        let committee = common_committee(&units, &[detail.person.branch_id]);
        let file = self.member_file(member_id)?;
        let store = &mut self.store;
        crate::dossier::DossierData::gathered(member_id, committee, detail, file, |id| Ok(store.attachment(id)?.1))
    }

    fn dossier_options(&self) -> crate::dossier::DossierOptions {
        crate::dossier::DossierOptions { generated_on: self.store.today(), created_at: chrono::Utc::now() }
    }

    /// Prints one member's file as a PDF dossier at `path`, never into `workspace_dir`.
    pub fn write_dossier(
        &mut self,
        member_id: Id,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<crate::dossier::DossierWritten> {
        let options = self.dossier_options();
        crate::dossier::write_one_of(workspace_dir, || self.dossier_data(member_id), path, &options)
    }

    /// Prints the dossiers of the members `query` lists (every page of it) into `dir`, rendered
    /// on all cores as a workspace's are, never into `workspace_dir`.
    pub fn write_dossiers(
        &mut self,
        query: &MemberQuery,
        dir: &Path,
        workspace_dir: &Path,
        progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<crate::dossier::DossiersWritten> {
        let ids: Vec<Id> = self.every_page(query)?.into_iter().map(|m| m.id).collect();
        let options = self.dossier_options();
        let report =
            crate::dossier::write_batch_of(workspace_dir, |id| self.dossier_data(id), &ids, dir, &options, progress)?;
        Ok(crate::dossier::batch_written(dir, &report))
    }

    // --- Branch life: the register of party groups and meetings --------------------------------

    /// Records a meeting (new when its id is `None`) with its attendance, checked as a
    /// workspace checks it.
    pub fn save_meeting(
        &mut self,
        meeting: crate::domain::Meeting,
        attendees: &[crate::domain::Attendee],
    ) -> Result<crate::domain::MeetingRecord> {
        self.store.save_meeting(meeting, attendees)
    }

    pub fn meeting(&mut self, id: Id) -> Result<crate::domain::MeetingRecord> {
        self.store.meeting(id)
    }

    /// The meetings a query selects, oldest first, with their attendance and files.
    pub fn meetings(&mut self, query: &crate::store::MeetingQuery) -> Result<Vec<crate::domain::MeetingRecord>> {
        self.store.meetings(query)
    }

    pub fn delete_meeting(&mut self, id: Id) -> Result<()> {
        self.store.delete_meeting(id)
    }

    /// Adds files to a meeting, read from these paths, all or none.
    pub fn add_meeting_attachments(
        &mut self,
        meeting_id: Id,
        paths: &[std::path::PathBuf],
    ) -> Result<crate::domain::MeetingRecord> {
        let files = paths.iter().map(|p| crate::store::NewAttachment::read(p)).collect::<Result<Vec<_>>>()?;
        self.store.add_meeting_attachments(meeting_id, &files)
    }

    /// A meeting's file: its description and bytes.
    pub fn meeting_attachment(&mut self, attachment_id: Id) -> Result<(crate::domain::AttachmentInfo, Vec<u8>)> {
        self.store.meeting_attachment(attachment_id)
    }

    /// Writes a copy of a meeting's file to `path`, never into `workspace_dir`.
    pub fn save_meeting_attachment_as(
        &mut self,
        attachment_id: Id,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<crate::domain::AttachmentInfo> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let (info, bytes) = self.store.meeting_attachment(attachment_id)?;
        crate::output::write(workspace_dir, path, &bytes)?;
        Ok(info)
    }

    pub fn delete_meeting_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.store.delete_meeting_attachment(attachment_id)
    }

    /// Prints a meeting as a PDF at `path` (never into `workspace_dir`): the sign-in sheet listing
    /// the unit's members (for a meeting not yet held, or when asked), else the minutes, in the
    /// name of the unit's college committee.
    pub fn write_meeting_paper(&mut self, id: Id, sign_in: bool, path: &Path, workspace_dir: &Path) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let record = self.store.meeting(id)?;
        let query = MemberQuery { branch_id: Some(record.meeting.unit_id), ..MemberQuery::all() };
        let members: Vec<MemberSummary> =
            self.every_page(&query)?.into_iter().filter(crate::dossier::meeting::on_sign_in_sheet).collect();
        let units = self.store.units()?;
        let committee = common_committee(&units, &[record.meeting.unit_id]);
        let paper = crate::dossier::meeting::MeetingPaper {
            record: &record,
            committee: &committee,
            members: &members,
            generated_on: self.store.today(),
        };
        let pdf = crate::dossier::meeting::paper(&paper, sign_in)?;
        crate::output::write(workspace_dir, path, &pdf)
    }

    /// Records a held meeting's attendance from an .xlsx or .csv sheet (姓名 or 学号工号, 出席情况,
    /// 事由), all rows or none, every bad row named.
    pub fn import_attendance(&mut self, id: Id, path: &Path) -> Result<crate::domain::MeetingRecord> {
        let (rows, problems) = crate::meetings::read_attendance_sheet(path)?;
        self.store.import_attendance(id, &rows, problems)
    }

    /// Records a sheet of held meetings (单位, 会议类型, 日期, and optionally 党小组, 主题, 地点, 主持人,
    /// 记录人, 学时, 出席, 请假, 缺席, 迟到), all rows or none, every bad row named.
    pub fn import_meetings(
        &mut self,
        path: &Path,
        mut progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let (rows, problems) = crate::meetings::read_meeting_sheet(path)?;
        self.store.import_meetings(&rows, problems, &mut progress)
    }

    /// A branch's year of organisational life as a grid, as a workspace shows it.
    pub fn life_plan(&mut self, unit: Id, year: i32, as_of: Option<Date>) -> Result<crate::life_plan::LifePlan> {
        self.store.life_plan(unit, year, as_of)
    }

    /// Sets the day from which a unit owes its meetings.
    pub fn set_life_from(&mut self, unit: Id, from: Date) -> Result<()> {
        self.store.set_life_from(unit, from)
    }

    /// Makes a party group in a branch, or renames one.
    pub fn save_group(&mut self, id: Option<Id>, branch_id: Id, name: &str) -> Result<crate::domain::PartyGroup> {
        self.store.save_group(id, branch_id, name)
    }

    /// Sets who belongs to a party group; with `seen`, refused if its members changed meanwhile.
    pub fn set_group_members(
        &mut self,
        group_id: Id,
        people: &[Id],
        seen: Option<&[Id]>,
    ) -> Result<crate::domain::PartyGroup> {
        self.store.set_group_members(group_id, people, seen)
    }

    /// The party groups of a unit's branches (everything the user may see when `None`).
    pub fn groups(&mut self, unit: Option<Id>) -> Result<Vec<crate::domain::PartyGroup>> {
        self.store.groups(unit)
    }

    /// Records a training class with its sessions (new when its id is `None`).
    pub fn save_class(&mut self, class: crate::domain::TrainingClass) -> Result<crate::domain::ClassRecord> {
        self.store.save_class(class)
    }

    pub fn class(&mut self, id: Id) -> Result<crate::domain::ClassRecord> {
        self.store.class(id)
    }

    /// The classes of a unit's subtree that ran in a year, the latest first.
    pub fn classes(&mut self, unit: Option<Id>, year: Option<i32>) -> Result<Vec<crate::domain::ClassRecord>> {
        self.store.classes(unit, year)
    }

    pub fn delete_class(&mut self, id: Id) -> Result<()> {
        self.store.delete_class(id)
    }

    /// Enrols people in a class, in one step.
    pub fn enrol(&mut self, class_id: Id, people: &[Id]) -> Result<crate::domain::ClassRecord> {
        self.store.enrol(class_id, people)
    }

    /// Takes trainees out of a class, with their attendance and results.
    pub fn unenrol(&mut self, class_id: Id, people: &[Id]) -> Result<crate::domain::ClassRecord> {
        self.store.unenrol(class_id, people)
    }

    /// Records who attended a session (replacing what was recorded). With `seen_version` (the
    /// class's, as the sheet was filled from it), refused if anyone changed the class since.
    pub fn set_session_attendance(
        &mut self,
        session_id: Id,
        present: &[Id],
        seen_version: Option<i32>,
    ) -> Result<crate::domain::ClassRecord> {
        self.store.set_session_attendance(session_id, present, seen_version)
    }

    /// Records trainees' exam scores and results, all or none. With `seen_version` (the
    /// class's, as the sheet was filled from it), refused if anyone changed the class since.
    pub fn set_results(
        &mut self,
        class_id: Id,
        results: &[crate::domain::TraineeResult],
        seen_version: Option<i32>,
    ) -> Result<crate::domain::ClassRecord> {
        self.store.set_results(class_id, results, seen_version)
    }

    /// For a development targets' class: records each passed trainee's centralised training step.
    pub fn record_training_steps(&mut self, class_id: Id) -> Result<Vec<Id>> {
        let recorded = self.store.record_training_steps(class_id)?;
        for id in &recorded {
            self.refresh(*id);
        }
        Ok(recorded)
    }

    /// Prints the certificates (结业证书) of everyone who passed a class as one PDF at `path`,
    /// never into `workspace_dir`, in the name of the class's college committee.
    pub fn write_certificates(&mut self, class_id: Id, path: &Path, workspace_dir: &Path) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let record = self.store.class_for_certificates(class_id)?;
        let units = self.store.units()?;
        let committee = common_committee(&units, &[record.class.unit_id]);
        let pdf = crate::dossier::training::certificates(&record, &committee, self.store.today())?;
        crate::output::write(workspace_dir, path, &pdf)
    }

    /// Records that someone holds (or held) a post of a unit's committee.
    pub fn save_post(&mut self, post: crate::domain::PostHeld) -> Result<crate::domain::PostRecord> {
        self.store.save_post(post)
    }

    /// The committee posts of a unit, current first.
    pub fn posts(&mut self, unit: Option<Id>) -> Result<Vec<crate::domain::PostRecord>> {
        self.store.posts(unit)
    }

    /// Each member's study hours in a year, with the hours asked of them.
    pub fn study_hours(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<crate::study::StudyHours>> {
        self.store.study_hours(year, unit)
    }

    /// Records a member's own study (an online course and the like).
    pub fn add_study_entry(&mut self, entry: crate::domain::StudyEntry) -> Result<crate::domain::StudyEntry> {
        self.store.add_study_entry(entry)
    }

    /// Records own study from a sheet (.xlsx or .csv: 姓名 or 学号工号, 日期, 学时, 学习内容, 学习途径),
    /// all rows or none, every bad row named.
    pub fn import_study_entries(
        &mut self,
        path: &Path,
        mut progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let (rows, problems) = crate::study::read_study_sheet(path)?;
        self.store.import_study_entries(rows, problems, &mut progress)
    }

    pub fn delete_study_entry(&mut self, id: Id) -> Result<()> {
        self.store.delete_study_entry(id)
    }

    /// A member's own study in a year.
    pub fn study_entries(&mut self, person: Id, year: i32) -> Result<Vec<crate::domain::StudyEntry>> {
        self.store.study_entries(person, year)
    }

    /// Prints a unit's year (党支部工作手册) as a PDF at `path`, never into `workspace_dir`: its
    /// committee, its meetings with their attendance and study time, each member's study hours.
    pub fn write_work_register(&mut self, unit: Id, year: i32, path: &Path, workspace_dir: &Path) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let (from, to) = crate::store::year_span(year)?;
        let query = crate::store::MeetingQuery { unit: Some(unit), from: Some(from), to: Some(to), kind: None };
        let meetings = self.store.meetings(&query)?;
        let posts = self.store.posts(Some(unit))?;
        let hours = self.store.study_hours(year, Some(unit))?;
        let units = self.store.units()?;
        let pdf = crate::dossier::meeting::work_register(&crate::dossier::meeting::WorkRegister {
            unit: &branch_path(&units, unit),
            year,
            committee: &common_committee(&units, &[unit]),
            posts: &posts,
            meetings: &meetings,
            hours: &hours,
            generated_on: self.store.today(),
        })?;
        crate::output::write(workspace_dir, path, &pdf)
    }

    /// Sets a member's pending item aside: acknowledged (`until: None`: no more reminders, off
    /// the dashboard) or snoozed until a day after today, for everyone who sees the member, as a
    /// workspace's office shares it. Logged by the server.
    pub fn dismiss_deadline(&mut self, member_id: Id, rule: &str, due: Date, until: Option<Date>) -> Result<()> {
        self.store.require(Action::EditMembers)?;
        let pending = self.deadlines(&DeadlineQuery {
            member_id: Some(member_id),
            include_dismissed: true,
            ..DeadlineQuery::default()
        })?;
        check_set_aside(&pending, member_id, rule, due, until, self.store.today())?;
        self.store.dismiss(member_id, rule, due, until)
    }

    /// Undoes a snooze or an acknowledgement.
    pub fn restore_deadline(&mut self, member_id: Id, rule: &str, due: Date) -> Result<()> {
        self.store.require(Action::EditMembers)?;
        // Named as a workspace names a member it cannot find (the policies would hide the row).
        self.store.person(member_id)?;
        self.store.restore(member_id, rule, due)
    }

    // --- Party dues ----------------------------------------------------------------------------

    /// The monthly dues of a category and base (in fen) under the server's rules.
    pub fn dues_rate(&self, category: crate::domain::DuesCategory, base_fen: i64) -> Result<i64> {
        self.store.rules().dues().monthly_fen(category, base_fen)
    }

    /// Sets a member's dues category and base from a month on, checked as in a workspace.
    pub fn set_dues_base(&mut self, base: crate::store::DuesBase) -> Result<crate::store::DuesLedger> {
        self.store.set_dues_base(base)
    }

    /// Records months paid or deferred in a row, checked as in a workspace.
    pub fn record_dues(&mut self, payment: crate::store::DuesPayment) -> Result<crate::store::DuesLedger> {
        self.store.record_dues(payment)
    }

    /// Takes back a member's latest month paid or deferred.
    pub fn undo_dues_month(
        &mut self,
        person_id: Id,
        seen: Option<crate::dues::Month>,
    ) -> Result<crate::store::DuesLedger> {
        self.store.undo_dues_month(person_id, seen)
    }

    pub fn dues_ledger(&mut self, person_id: Id) -> Result<crate::store::DuesLedger> {
        self.store.dues_ledger(person_id)
    }

    /// The members in arrears under a unit (or all the user reads), each with the months and the
    /// amount owed, the longest behind first: the deadline scan's arrears items, as a workspace
    /// lists them.
    pub fn dues_arrears(&mut self, unit: Option<Id>) -> Result<Vec<crate::store::DuesArrears>> {
        let query = DeadlineQuery {
            branch_id: unit,
            owed_by: Some(crate::deadlines::OwnerKind::Member),
            include_dismissed: true,
            ..DeadlineQuery::default()
        };
        let items = self.deadlines(&query)?.into_iter().filter(|i| &*i.rule == crate::dues::ArrearsRule::ID).collect();
        self.store.dues_arrears(items)
    }

    /// Records a sheet of payments and deferrals (as a workspace reads it), all rows or none,
    /// every bad row named.
    pub fn import_dues(
        &mut self,
        path: &Path,
        mut progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let (rows, problems) = crate::dues::read_payment_sheet(path)?;
        self.store.import_dues(&rows, problems, &mut progress)
    }

    /// The payments received in the months `from..=to` under a unit, one line each.
    pub fn dues_receipts(
        &mut self,
        unit: Option<Id>,
        from: crate::dues::Month,
        to: crate::dues::Month,
    ) -> Result<Vec<crate::store::DuesReceipt>> {
        self.store.dues_receipts(unit, (from, to))
    }

    /// Each branch's dues for a month, or for the months of a range (a year).
    pub fn dues_summary(
        &mut self,
        unit: Option<Id>,
        from: crate::dues::Month,
        to: crate::dues::Month,
    ) -> Result<Vec<crate::store::BranchDues>> {
        self.store.dues_summary(unit, (from, to))
    }

    /// Writes the period's dues as a workspace writes them (the summary and the payments as a
    /// workbook, or the receipt list to sign as a PDF), headed by the user's committee; never
    /// into `workspace_dir`.
    pub fn export_dues(
        &mut self,
        unit: Option<Id>,
        from: crate::dues::Month,
        to: crate::dues::Month,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let summary = self.store.dues_summary(unit, (from, to))?;
        let receipts = self.store.dues_receipts(unit, (from, to))?;
        let committee = self.committee_name()?;
        crate::dues_report::write(workspace_dir, path, &committee, (from, to), &summary, &receipts)
    }

    /// The name of the committee the user works for, which their papers are headed by.
    fn committee_name(&mut self) -> Result<String> {
        let units = self.store.units()?;
        let me = self.store.me().unit_id;
        Ok(units.iter().find(|u| u.id == me).map(|u| u.name.clone()).unwrap_or_default())
    }

    // --- The democratic appraisal ----------------------------------------------------------------

    /// Opens the appraisal of `year` for a branch, or for every branch under a unit that has none.
    pub fn open_appraisals(
        &mut self,
        unit: Id,
        year: i32,
        opened_on: Date,
    ) -> Result<Vec<crate::appraisal::Appraisal>> {
        self.store.open_appraisals(unit, year, opened_on)
    }

    pub fn appraisal(&mut self, id: Id) -> Result<crate::appraisal::Appraisal> {
        self.store.appraisal(id)
    }

    /// The appraisal of a branch for a year.
    pub fn appraisal_of(&mut self, unit: Id, year: i32) -> Result<crate::appraisal::Appraisal> {
        self.store.appraisal_of(unit, year)
    }

    /// The appraisals of a year (under a unit, or all the user reads).
    pub fn appraisals(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<crate::appraisal::Appraisal>> {
        self.store.appraisals(year, unit)
    }

    /// Dates a step of an appraisal, or takes its day back.
    pub fn date_appraisal_step(
        &mut self,
        id: Id,
        step: crate::appraisal::AppraisalStep,
        date: Option<Date>,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.date_appraisal_step(id, step, date)
    }

    /// Records the vote: the ballots cast and the members' counts, all or none.
    pub fn record_votes(
        &mut self,
        id: Id,
        ballots_cast: u32,
        rows: &[crate::appraisal::VoteRow],
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.record_votes(id, ballots_cast, rows)
    }

    /// Records the vote from a sheet, read as a workspace reads it, all rows or none.
    pub fn import_votes(&mut self, id: Id, ballots_cast: u32, path: &Path) -> Result<crate::appraisal::Appraisal> {
        let (rows, mut problems) = crate::appraisal::read_vote_sheet(path)?;
        let appraisal = self.store.appraisal(id)?;
        let votes = crate::appraisal::vote_rows_of_sheet(&appraisal, &rows, ballots_cast, &mut problems);
        problems.refuse()?;
        self.store.record_votes(id, ballots_cast, &votes)
    }

    /// Sets (or clears) the branch's proposed grade of a member by hand.
    pub fn propose_grade(
        &mut self,
        id: Id,
        person_id: Id,
        grade: Option<crate::domain::Grade>,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.propose_grade(id, person_id, grade)
    }

    /// Decides a member's grade, checked against the rules.
    pub fn grade_member(
        &mut self,
        id: Id,
        decision: &crate::appraisal::GradeDecision,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.grade_member(id, decision)
    }

    /// Closes an appraisal: each grade into its member's file, a correction period begun for 不合格.
    pub fn close_appraisal(&mut self, id: Id, date: Date) -> Result<crate::appraisal::Appraisal> {
        self.store.close_appraisal(id, date)
    }

    /// Records how an unsatisfactory member's correction period ended.
    pub fn end_correction(
        &mut self,
        id: Id,
        person_id: Id,
        outcome: crate::appraisal::CorrectionOutcome,
        date: Date,
        note: Option<&str>,
    ) -> Result<crate::appraisal::Appraisal> {
        self.store.end_correction(id, person_id, outcome, date, note)
    }

    /// Writes the ballot and the tally sheet of an appraisal as one PDF; never into `workspace_dir`.
    pub fn write_ballots(&mut self, id: Id, path: &Path, workspace_dir: &Path) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let appraisal = self.store.appraisal(id)?;
        let pdf = crate::dossier::appraisal::ballots_pdf(&appraisal, &self.committee_name()?, self.store.today())?;
        crate::output::write(workspace_dir, path, &pdf)
    }

    /// Writes a branch's results sheet as a PDF; never into `workspace_dir`.
    pub fn write_appraisal_results(&mut self, id: Id, path: &Path, workspace_dir: &Path) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let appraisal = self.store.appraisal(id)?;
        let pdf = crate::dossier::appraisal::results_pdf(&appraisal, &self.committee_name()?, self.store.today())?;
        crate::output::write(workspace_dir, path, &pdf)
    }

    /// Writes the year's results of every branch (under a unit) as a workbook.
    pub fn export_appraisals(&mut self, year: i32, unit: Option<Id>, path: &Path, workspace_dir: &Path) -> Result<()> {
        let appraisals = self.store.appraisals(year, unit)?;
        crate::lists::write_sheets(workspace_dir, path, &[crate::lists::appraisal_sheet(&appraisals)])
    }

    /// Sets aside an item a unit (or one of its party groups) owes, as `dismiss_deadline` does a
    /// member's.
    pub fn dismiss_unit_deadline(
        &mut self,
        unit_id: Id,
        group_id: Option<Id>,
        rule: &str,
        due: Date,
        until: Option<Date>,
    ) -> Result<()> {
        self.store.require(Action::EditMembers)?;
        let pending = self.deadlines(&DeadlineQuery {
            branch_id: Some(unit_id),
            include_dismissed: true,
            ..DeadlineQuery::default()
        })?;
        check_unit_set_aside(&pending, (unit_id, group_id), rule, due, until, self.store.today())?;
        self.store.dismiss_unit(unit_id, group_id, rule, due, until)
    }

    /// Undoes a snooze or an acknowledgement of a unit's item.
    pub fn restore_unit_deadline(&mut self, unit_id: Id, group_id: Option<Id>, rule: &str, due: Date) -> Result<()> {
        self.store.require(Action::EditMembers)?;
        if !self.store.units()?.iter().any(|u| u.id == unit_id) {
            return Err(Error::NotFound { what: Text::new(format!("组织 {unit_id}"), format!("unit {unit_id}")) });
        }
        self.store.restore_unit(unit_id, group_id, rule, due)
    }

    // --- Transfers out: applications and letters ------------------------------------------------

    /// Records a member's application to transfer out (转出申请).
    pub fn apply_transfer(
        &mut self,
        new: crate::transfer_request::NewTransferRequest,
    ) -> Result<crate::transfer_request::TransferRequest> {
        self.store.apply_transfer(new)
    }

    /// Approves an application awaiting its decision (the committee's): the letter may then be issued.
    pub fn approve_transfer(&mut self, request_id: Id, date: Date) -> Result<crate::transfer_request::TransferRequest> {
        self.store.approve_transfer(request_id, date)
    }

    /// Declines an application, with the reason.
    pub fn decline_transfer(
        &mut self,
        request_id: Id,
        date: Date,
        reason: &str,
    ) -> Result<crate::transfer_request::TransferRequest> {
        self.store.decline_transfer(request_id, date, reason)
    }

    /// The applications (of one person, or only those still open), newest first.
    pub fn transfer_requests(
        &mut self,
        person: Option<Id>,
        open_only: bool,
    ) -> Result<Vec<crate::transfer_request::TransferRequest>> {
        self.store.transfer_requests(person, open_only)
    }

    /// Issues a letter (the member leaves the register on its day) and, given a path, writes it
    /// as a PDF there: the file is opened first, so a folder that is missing or cannot be written,
    /// or a path inside `workspace_dir`, issues nothing.
    pub fn issue_letter(
        &mut self,
        new: crate::transfer::NewLetter,
        path: Option<&Path>,
        workspace_dir: &Path,
    ) -> Result<crate::transfer::TransferLetter> {
        let out = path.map(|path| crate::output::OutputFile::create(workspace_dir, path)).transpose()?;
        let person = new.person_id;
        let letter = self.store.issue_letter(new)?;
        self.refresh(person);
        if let Some(out) = out {
            let today = self.store.today();
            crate::session::finish_letters(out, || self.store.letters_to_print(&[letter.id]), today)?;
        }
        Ok(letter)
    }

    /// Records the receipt returned for a letter.
    pub fn record_receipt(&mut self, letter_id: Id, date: Date) -> Result<crate::transfer::TransferLetter> {
        self.store.record_receipt(letter_id, date)
    }

    /// Keeps a graduate's relationship at the university from the day they graduated, or (`None`)
    /// ends the keeping: the item falls due when the rule's two years end.
    pub fn keep_graduate(&mut self, person_id: Id, graduated_on: Option<Date>) -> Result<ServerMember> {
        self.store.keep_graduate(person_id, graduated_on)?;
        self.member(person_id)
    }

    /// Registers a member arriving by transfer (转入) with the steps they took elsewhere, the
    /// letter they came with and the materials that arrived; returns their page.
    pub fn register_arrival(&mut self, arrival: crate::arrival::NewArrival) -> Result<ServerMember> {
        let id = self.store.arrive(arrival, None)?;
        self.refresh(id);
        self.member(id)
    }

    /// Writes the member package of a letter (the member's whole file, sealed under the code on
    /// the letter) to `path`, outside `workspace_dir`.
    pub fn write_member_package(
        &mut self,
        letter_id: Id,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<crate::package::PackageWritten> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let (package, code) = self.store.member_package(letter_id)?;
        crate::session::write_package(workspace_dir, path, package, &code)
    }

    /// Registers the member a package carried, opened with the code on their letter, into a
    /// branch: refused, importing nothing, when the package is for none of the committees above
    /// the branch (unless the worker confirms it is for this office, `addressed_here`), the code
    /// is wrong or a byte has changed.
    pub fn receive_member_package(
        &mut self,
        path: &Path,
        code: &str,
        branch_id: Id,
        received_on: Date,
        addressed_here: bool,
    ) -> Result<ServerMember> {
        let units = self.store.units()?;
        // The committees above the branch, nearest first: the letter may name any of them.
        let mut committees = Vec::new();
        let mut above = committee_above(&units, branch_id);
        while let Some(committee) = above.and_then(|c| units.iter().find(|u| u.id == c)) {
            if committees.contains(&committee.name) {
                break;
            }
            committees.push(committee.name.clone());
            above = committee.parent_id.and_then(|parent| committee_above(&units, parent));
        }
        let package = crate::session::open_package(path, code, (!addressed_here).then_some(&committees[..]))?;
        let id = self.store.receive_package(&package, branch_id, received_on)?;
        self.refresh(id);
        self.member(id)
    }

    /// The people of a class year (年级) still in the register, under a unit.
    pub fn class_of(&mut self, class_year: u16, unit: Option<Id>) -> Result<Vec<Id>> {
        self.store.class_of(class_year, unit)
    }

    /// Checks a batch of letters (a graduating class) without issuing any: who would be refused
    /// and why, what each still owes, whose conversion falls due before leaving.
    pub fn check_letters(
        &mut self,
        letters: &[crate::transfer::NewLetter],
    ) -> Result<Vec<crate::transfer::LeaverCheck>> {
        let refusals = self.store.letter_refusals(letters)?;
        let units = self.store.units()?;
        let mut out = Vec::with_capacity(letters.len());
        for (new, refusal) in letters.iter().zip(refusals) {
            let member = self.member(new.person_id)?;
            let items =
                self.deadlines(&DeadlineQuery { member_id: Some(new.person_id), ..DeadlineQuery::default() })?;
            let detail = member.detail;
            let branch = branch_path(&units, detail.person.branch_id);
            out.push(crate::store::leaver_check(new, detail.person.name, branch, detail.stage, refusal, &items));
        }
        Ok(out)
    }

    /// Issues a batch of letters in one transaction, reporting progress; refused for one (named)
    /// or stopped, none is issued. Given a path, they are printed to one PDF there (opened first).
    pub fn issue_letters(
        &mut self,
        letters: &[crate::transfer::NewLetter],
        path: Option<&Path>,
        workspace_dir: &Path,
        progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<Vec<crate::transfer::TransferLetter>> {
        let out = path.map(|path| crate::output::OutputFile::create(workspace_dir, path)).transpose()?;
        let issued = self.store.issue_letters(letters, progress)?;
        for new in letters {
            self.refresh(new.person_id);
        }
        if let Some(out) = out {
            let ids: Vec<Id> = issued.iter().map(|l| l.id).collect();
            let today = self.store.today();
            crate::session::finish_letters(out, || self.store.letters_to_print(&ids), today)?;
        }
        Ok(issued)
    }

    /// Reissues an expired letter under a new number and, given a path, writes it as a PDF there
    /// (opened first).
    pub fn reissue_letter(
        &mut self,
        letter_id: Id,
        issued_on: Date,
        validity_days: Option<u32>,
        path: Option<&Path>,
        workspace_dir: &Path,
    ) -> Result<crate::transfer::TransferLetter> {
        let out = path.map(|path| crate::output::OutputFile::create(workspace_dir, path)).transpose()?;
        let letter = self.store.reissue_letter(letter_id, issued_on, validity_days)?;
        if let Some(out) = out {
            let today = self.store.today();
            crate::session::finish_letters(out, || self.store.letters_to_print(&[letter.id]), today)?;
        }
        Ok(letter)
    }

    /// Cancels a letter not yet received: the member is back in the register.
    pub fn cancel_letter(
        &mut self,
        letter_id: Id,
        date: Date,
        reason: Option<String>,
    ) -> Result<crate::transfer::TransferLetter> {
        let letter = self.store.cancel_letter(letter_id, date, reason.as_deref())?;
        self.refresh(letter.person_id);
        Ok(letter)
    }

    /// The letters (of one person, or only those awaiting their receipt), newest first.
    pub fn letters(&mut self, person: Option<Id>, open_only: bool) -> Result<Vec<crate::transfer::TransferLetter>> {
        self.store.letters(person, open_only)
    }

    pub fn letter(&mut self, id: Id) -> Result<crate::transfer::TransferLetter> {
        self.store.letter(id)
    }

    /// Prints letters as one PDF, headed by the committee that issued them; never into
    /// `workspace_dir`.
    pub fn write_letters(&mut self, ids: &[Id], path: &Path, workspace_dir: &Path) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let (letters, committee) = self.store.letters_to_print(ids)?;
        let pdf = crate::dossier::letter::letters_pdf(&letters, &committee, self.store.today())?;
        crate::output::write(workspace_dir, path, &pdf)
    }

    /// Writes the letters (of one person, or only those awaiting their receipt) as a workbook.
    pub fn export_letters(
        &mut self,
        person: Option<Id>,
        open_only: bool,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<()> {
        let letters = self.store.letters(person, open_only)?;
        crate::lists::write_sheets(workspace_dir, path, &[crate::lists::letters_sheet(&letters)])
    }

    // --- The complaints register ------------------------------------------------------------------

    /// That registers exist and how many entries are open, over the units this user reads:
    /// anyone signed in may know this.
    pub fn complaints_overview(&mut self) -> Result<crate::complaints::ComplaintsOverview> {
        self.store.complaints_overview()
    }

    /// Registers an entry of the inspector's register.
    pub fn add_complaint(&mut self, new: &crate::complaints::NewComplaint) -> Result<crate::complaints::Complaint> {
        self.store.add_complaint(new)
    }

    /// The register, newest first (open entries only, or all), without any entry's words.
    pub fn complaints(&mut self, open_only: bool) -> Result<Vec<crate::complaints::ComplaintLine>> {
        self.store.complaints(open_only)
    }

    /// Opens an entry (by number or id); the reading goes into the audit log.
    pub fn complaint(&mut self, number_or_id: &str) -> Result<crate::complaints::Complaint> {
        let id = self.store.complaint_id(number_or_id)?;
        self.store.complaint(id)
    }

    /// Records a step of an entry's handling.
    pub fn handle_complaint(
        &mut self,
        number_or_id: &str,
        handling: &crate::complaints::NewHandling,
    ) -> Result<crate::complaints::Complaint> {
        let id = self.store.complaint_id(number_or_id)?;
        self.store.handle_complaint(id, handling)
    }

    /// Closes an entry with its result.
    pub fn close_complaint(
        &mut self,
        number_or_id: &str,
        date: Date,
        result: &str,
    ) -> Result<crate::complaints::Complaint> {
        let id = self.store.complaint_id(number_or_id)?;
        self.store.close_complaint(id, date, result)
    }

    /// Attaches files (scans, photos, PDFs) to an open entry, sealed like its words.
    pub fn add_complaint_attachments(
        &mut self,
        number_or_id: &str,
        paths: &[std::path::PathBuf],
    ) -> Result<crate::complaints::Complaint> {
        let id = self.store.complaint_id(number_or_id)?;
        let files = paths.iter().map(|p| crate::store::NewAttachment::read(p)).collect::<Result<Vec<_>>>()?;
        self.store.add_complaint_attachments(id, &files)
    }

    /// Writes a copy of one of an entry's files (the reading is recorded); never into `workspace_dir`.
    pub fn save_complaint_attachment_as(
        &mut self,
        number_or_id: &str,
        attachment: Id,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<crate::complaints::ComplaintAttachment> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let id = self.store.complaint_id(number_or_id)?;
        let (meta, bytes) = self.store.complaint_attachment(id, attachment)?;
        crate::output::write(workspace_dir, path, &bytes)?;
        Ok(meta)
    }

    /// Prints an entry's handling form as a PDF, headed by the register's unit (the reading is in
    /// the audit log); never into `workspace_dir`.
    pub fn write_complaint_form(&mut self, number_or_id: &str, path: &Path, workspace_dir: &Path) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let complaint = self.complaint(number_or_id)?;
        let pdf =
            crate::dossier::complaint::handling_form_pdf(&complaint, &self.committee_name()?, self.store.today())?;
        crate::output::write(workspace_dir, path, &pdf)
    }

    /// Gives the register's key to another inspector of the register (named).
    pub fn grant_register(&mut self, user: &str) -> Result<()> {
        self.store.grant_register(user)
    }

    /// The inspectors of the register still waiting for its key.
    pub fn register_waiting(&mut self) -> Result<Vec<String>> {
        self.store.register_waiting()
    }

    /// The reminders not sent to this user yet as of a day: every pending item of the procedure
    /// and of organisational life in their units (not an earliest date) that has reached a
    /// threshold no reminder to them marked, most urgent first, as a workspace works them out.
    /// Reminders are work to do: a user who may not change records (an auditor) gets none.
    pub fn reminders_due(&mut self, as_of: Option<Date>) -> Result<Vec<Reminder>> {
        // Reminders are work to do: none for an auditor; a discipline inspector's are their
        // register's only (found with organisational life's below).
        let edits = self.store.require(Action::EditMembers).is_ok();
        if !edits && self.store.require(Action::HandleComplaints).is_err() {
            return Ok(Vec::new());
        }
        let as_of = as_of.unwrap_or_else(|| self.store.today());
        let sent = self.store.reminders_sent()?;
        // The procedure's items only: organisational life's are found below with their thresholds.
        let items = if edits {
            self.items_of(&DeadlineQuery { as_of: Some(as_of), ..DeadlineQuery::default() }, false)?
        } else {
            Vec::new()
        };
        let rules = self.store.rules().deadlines();
        let mut due: Vec<Reminder> = items
            .into_iter()
            .filter(|item| item.kind != DeadlineKind::Earliest)
            .filter_map(|item| {
                let rule = rules.iter().find(|r| *r.id == *item.rule)?;
                let threshold = Threshold::reached(item.due, &rule.lead_days, as_of)?;
                threshold
                    .is_new(sent.get(&(item.owner.key(), item.rule.to_string(), item.due)).copied())
                    .then_some(Reminder { item, threshold })
            })
            .collect();
        let units = self.store.units()?;
        let set_aside = self.store.dismissals(None)?;
        let life = self.store.life_reminders(as_of, &set_aside, &sent, |unit| branch_path(&units, unit))?;
        if !life.is_empty() {
            due.extend(life);
            due.sort_by(|a, b| item_order(&a.item, &b.item));
        }
        Ok(due)
    }

    /// Sends this user's reminders due through `send`, recording each as sent to them once
    /// delivered (a failure stops there; the rest is tried again next time).
    pub fn deliver_reminders(
        &mut self,
        as_of: Option<Date>,
        lang: Lang,
        send: impl FnMut(&Notice) -> Result<()>,
    ) -> Result<Vec<Reminder>> {
        let as_of = as_of.unwrap_or_else(|| self.store.today());
        let due = self.reminders_due(Some(as_of))?;
        reminders::deliver(&due, lang, as_of, send, |covered| self.store.mark_reminded(covered, as_of))
    }

    /// A member's whole record, with what the procedure still owes them, as a workspace gives it.
    pub fn member(&mut self, id: Id) -> Result<ServerMember> {
        let units = self.store.units()?;
        let person = self.store.person(id)?;
        // Their absence from organisational life too, as a workspace's member page shows it.
        let life = self.store.life_index()?;
        Ok(self.member_of(person, &units, Some(&life)))
    }

    /// Adds a person (`id: None`) or changes one, checked as in a workspace. With `seen_version`,
    /// refused if anyone changed the person since that version.
    pub fn save_person(&mut self, person: crate::domain::Person, seen_version: Option<i32>) -> Result<ServerMember> {
        // Nothing is read before the write, and nothing that can fail comes after its commit: the
        // items set aside come with the person, read in the save's transaction, and the units
        // naming the branch are those kept for pages.
        let person = self.store.save_person(person, seen_version)?;
        self.refresh_with(&person);
        Ok(self.changed_member(person))
    }

    /// Records a step for a member (or changes one, by its id), checked as in a workspace. With
    /// `seen_version`, refused if anyone changed the member since that version.
    pub fn save_event(
        &mut self,
        person_id: Id,
        event: ProcedureEvent,
        seen_version: Option<i32>,
    ) -> Result<ServerMember> {
        let person = self.store.save_event(person_id, event, seen_version)?;
        self.refresh_with(&person);
        Ok(self.changed_member(person))
    }

    /// Records the same step for several people (`dangan step add --selection`, the app's step
    /// for the rows ticked): each checked as one alone, all or none, each refused person named.
    pub fn save_event_for_many(&mut self, person_ids: &[Id], event: &ProcedureEvent) -> Result<Vec<ServerMember>> {
        let people = self.store.save_event_for_many(person_ids, event)?;
        for person in &people {
            self.refresh_with(person);
        }
        Ok(people.into_iter().map(|p| self.changed_member(p)).collect())
    }

    /// Removes a step, if what remains still follows the rules.
    pub fn delete_event(&mut self, person_id: Id, event_id: Id, seen_version: Option<i32>) -> Result<ServerMember> {
        let person = self.store.delete_event(person_id, event_id, seen_version)?;
        self.refresh_with(&person);
        Ok(self.changed_member(person))
    }

    /// Moves a member to the branch at `destination` (a path of names from the top), anywhere on
    /// the server: another college's branch too. The committee's decision (ApproveTransfers); one
    /// transaction, logged by the server. With `seen_version`, refused if anyone changed the
    /// member since that version.
    pub fn move_member(&mut self, id: Id, destination: &str, seen_version: Option<i32>) -> Result<MemberMoved> {
        let units = self.store.units()?;
        let moved = self.store.move_person(id, destination, seen_version)?;
        self.refresh(id);
        // The mover may no longer see the branch (another college's): then the path they gave,
        // from the top as the server found it.
        let to = match units.iter().find(|u| u.id == moved.to_branch) {
            Some(unit) => crate::store::server::path_of(&units, unit),
            None => {
                let mut names: Vec<&str> = destination.split('/').map(str::trim).filter(|n| !n.is_empty()).collect();
                if let Some(root) = units.iter().find(|u| u.parent_id.is_none())
                    && names.first() != Some(&root.name.as_str())
                {
                    names.insert(0, &root.name);
                }
                names.join("/")
            }
        };
        let from = units.iter().find(|u| u.id == moved.from_branch).map(|u| crate::store::server::path_of(&units, u));
        Ok(MemberMoved {
            id: moved.id,
            name: moved.name,
            from: from.unwrap_or_default(),
            to,
            branch_id: moved.to_branch,
            version: moved.version,
        })
    }

    /// `dangan server upload`: moves a college's workspace (opened by its administrator) onto the
    /// server under the committee of its name, all or nothing: its units, its people and their
    /// steps with the server's checks, and its audit log kept verbatim and anchored in the server's
    /// chain. A workspace holding records a server cannot hold yet is refused, naming them.
    /// `progress` is called at each stage; `ControlFlow::Break` cancels and nothing is saved.
    pub fn upload_workspace(
        &mut self,
        workspace: &crate::Session,
        progress: impl FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<UploadReport> {
        let contents = workspace.contents_for_upload()?;
        // A scan's bytes are read as it is sent, not all at once.
        let report = self.store.upload(
            contents,
            |scan| match scan {
                crate::store::Scan::Record(id) => Ok(workspace.attachment(id)?.1),
                crate::store::Scan::Meeting(id) => Ok(workspace.meeting_attachment(id)?.1),
            },
            progress,
        );
        self.reload();
        report
    }

    /// Moves a workspace's complaints register onto the server, run by a discipline inspector who
    /// holds its keys in the workspace (`workspace`, unlocked as them) and this unit's register
    /// here: every entry and file opened there and sealed anew here, into a register that holds
    /// nothing yet, all of it or nothing. The workspace is left as it was.
    pub fn upload_register(&mut self, workspace: &crate::Session) -> Result<RegisterMoved> {
        let entries = workspace.register_for_upload()?;
        // Each file read from the workspace as it is sent, not all at once.
        self.store.receive_register(&entries, |file| workspace.register_file(file))
    }

    /// The university's holiday calendar: its days by date, and the years entered.
    pub fn holidays(&mut self) -> Result<(Vec<crate::workdays::CalendarDay>, Vec<i32>)> {
        self.store.holidays()
    }

    /// The rules in force: the shipped rule set chosen at `init`, with the office's own file on
    /// top when the department loaded one.
    pub fn rules(&self) -> &crate::rules::RuleSet {
        self.store.rules()
    }

    /// Loads an office's own rule file for every office of the server (the department's
    /// administrators only), refusing a bad one whole, naming its line.
    pub fn load_rules(&mut self, source: &str) -> Result<&crate::rules::RuleSet> {
        self.cell = None;
        self.store.load_rules(source)
    }

    /// Goes back to the shipped rule set alone, for every office of the server.
    pub fn reset_rules(&mut self) -> Result<()> {
        self.cell = None;
        self.store.reset_rules()
    }

    /// Why the office's own rule file is not applied, when it no longer fits the shipped rules.
    pub fn rules_warning(&self) -> Option<&Text> {
        self.store.rules_warning()
    }

    /// Enters the calendar of the years the days fall in, replacing what those years had: the
    /// department's administrators and organisers (the server refuses anyone else). Returns the years.
    pub fn set_holidays(&mut self, days: &[crate::workdays::CalendarDay]) -> Result<Vec<i32>> {
        self.store.set_holidays(days)
    }

    /// The statistics as of a day (today by default), of a unit or of everything the user may
    /// read, counted by the workspace's own statistics over the server's people and steps. A
    /// college's user counts their college; a branch secretary their branches.
    pub fn statistics(&mut self, query: &crate::statistics::StatsQuery) -> Result<crate::statistics::Statistics> {
        let as_of = query.as_of.unwrap_or_else(|| self.store.today());
        self.count(query.unit, |scope, unit| Ok(crate::statistics::figures::statistics(scope, as_of, unit)))
    }

    /// Writes the members `query` selects to a roster workbook (.xlsx) that re-imports cleanly, as
    /// a workspace exports them, each branch named by its path below the university (what an
    /// import on this server finds it by); never into `workspace_dir`, the PC's own workspace.
    /// Returns how many were written.
    pub fn export_members(
        &mut self,
        query: &MemberQuery,
        path: &std::path::Path,
        workspace_dir: &std::path::Path,
    ) -> Result<u64> {
        crate::roster::check_export_path(workspace_dir, path)?;
        // Their numbers only: an export needs no late steps (nor everyone's steps read for them).
        let ids: Vec<Id> = self.every_page(query)?.into_iter().map(|m| m.id).collect();
        let units = self.store.units()?;
        let records = self.store.records(&ids)?;
        let below_root = |branch: Id| {
            let Some(unit) = units.iter().find(|u| u.id == branch) else { return String::new() };
            let path = crate::store::server::path_of(&units, unit);
            match units.iter().find(|u| u.parent_id.is_none()) {
                Some(root) => path.strip_prefix(&format!("{}/", root.name)).map_or(path.clone(), str::to_owned),
                None => path,
            }
        };
        let rows: Vec<crate::roster::RosterRecord> = records
            .into_iter()
            .enumerate()
            .map(|(i, (person, events))| crate::roster::RosterRecord {
                row: i as u64 + 2,
                branch: below_root(person.branch_id),
                person,
                events,
                extension_months: None,
            })
            .collect();
        crate::roster::write_records_xlsx(workspace_dir, path, &rows)
    }

    /// Writes the statistics to a workbook (.xlsx) or a PDF, as a workspace writes them; never
    /// into `workspace_dir`, the PC's own workspace folder (its files are the encrypted records).
    pub fn write_statistics(
        &mut self,
        query: &crate::statistics::StatsQuery,
        path: &std::path::Path,
        workspace_dir: &std::path::Path,
    ) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let stats = self.statistics(query)?;
        crate::statistics::export::write_statistics(workspace_dir, path, &stats)
    }

    /// Saves a chart as the screen drew it (.png, or a printable .pdf headed by the user's
    /// committee), never into `workspace_dir`.
    pub fn save_chart(
        &mut self,
        chart: &crate::statistics::export::ChartImage,
        path: &Path,
        workspace_dir: &Path,
    ) -> Result<()> {
        self.store.require(Action::ReadMembers)?;
        let units = self.store.units()?;
        let me = self.store.me().unit_id;
        let committee = units.iter().find(|u| u.id == me).map(|u| u.name.clone()).unwrap_or_default();
        crate::statistics::export::write_chart(workspace_dir, path, chart, &committee)
    }

    /// The annual party statistics report of `year` (党内统计年报) with its consistency check,
    /// of a unit or of everything the user may read, counted as a workspace counts it over the
    /// server's people, steps, study and closed appraisals.
    pub fn annual_report(&mut self, year: i32, unit: Option<Id>) -> Result<crate::statistics::AnnualReport> {
        let facts = crate::statistics::annual::YearFacts {
            study: self.store.study_year(year)?,
            grades: self.store.appraisal_grades(year)?,
        };
        self.count(unit, |scope, unit| crate::statistics::annual::annual(scope, year, unit, &facts))
    }

    /// Writes the annual report to a workbook (.xlsx) or a PDF, as a workspace writes it; never
    /// into `workspace_dir`, the PC's own workspace folder.
    pub fn write_annual_report(
        &mut self,
        year: i32,
        unit: Option<Id>,
        path: &std::path::Path,
        workspace_dir: &std::path::Path,
    ) -> Result<()> {
        crate::output::ensure_outside(workspace_dir, path)?;
        let report = self.annual_report(year, unit)?;
        crate::statistics::export::write_annual_report(workspace_dir, path, &report)
    }

    /// The people one number of the statistics or the annual report counts, in id order.
    pub fn cell_people(&mut self, cell: &crate::statistics::CellRef) -> Result<Vec<Id>> {
        match cell.report {
            crate::statistics::Report::Statistics { as_of, unit } => {
                self.count(unit, |scope, _| crate::statistics::figures::people(scope, as_of, cell))
            }
            crate::statistics::Report::Annual { year, unit } => {
                // Only the training table reads the year's study, as in a workspace.
                let mut facts = crate::statistics::annual::YearFacts::default();
                if cell.table == "training" {
                    facts.study = self.store.study_year(year)?;
                }
                if cell.table == "appraisal" {
                    facts.grades = self.store.appraisal_grades(year)?;
                }
                self.count(unit, |scope, _| crate::statistics::annual::people(scope, year, cell, &facts))
            }
        }
    }

    /// Counts with `f` over the census of what the user may read, within `unit` when one is
    /// asked: by default a college's user's committee, a branch secretary's branches, the
    /// department's everything.
    fn count<T>(
        &mut self,
        unit: Option<Id>,
        f: impl FnOnce(&crate::statistics::Scope<'_>, Option<Id>) -> Result<T>,
    ) -> Result<T> {
        self.store.require(Action::ReadMembers)?;
        let units = self.store.units()?;
        if let Some(unit) = unit.filter(|&u| !units.iter().any(|x| x.id == u)) {
            return Err(Error::invalid("unit", format!("没有编号为 {unit} 的组织"), format!("no unit has id {unit}")));
        }
        let me = self.store.me().clone();
        let at_root = units.iter().any(|u| u.parent_id.is_none() && u.id == me.unit_id);
        // A unit above the user's own (the university, for a college's user) would be headed as
        // the whole and hold only their part: refused, as a workspace refuses a unit not theirs.
        let mine: std::collections::HashSet<Id> = if me.role == Role::BranchSecretary {
            me.branches.iter().flat_map(|&b| subtree(&units, b)).collect()
        } else {
            subtree(&units, me.unit_id)
        };
        if let Some(unit) = unit.filter(|u| !mine.contains(u)) {
            let name = units.iter().find(|u| u.id == unit).map(|u| u.name.clone()).unwrap_or_default();
            return Err(Error::Forbidden {
                what: Text::new(
                    format!("统计「{name}」（只能统计本单位）"),
                    format!("count {name} (only your own units)"),
                ),
            });
        }
        let (unit, shown) = match unit {
            Some(unit) => (Some(unit), Some(subtree(&units, unit))),
            None if me.role == Role::BranchSecretary => {
                (None, Some(me.branches.iter().flat_map(|&b| subtree(&units, b)).collect()))
            }
            None if at_root => (None, None),
            None => (Some(me.unit_id), Some(subtree(&units, me.unit_id))),
        };
        let census = self.store.census()?;
        let tree = statistics_tree(&units);
        let scope = crate::statistics::Scope {
            census: &census,
            tree: &tree,
            units: shown,
            rules: crate::statistics::CountingRules::shipped(),
        };
        f(&scope, unit)
    }

    /// A member's whole record, with what the procedure still owes them (from their own steps: no
    /// one else's are read for it) and, with `life`, what organisational life, dues and letters
    /// await of them.
    fn member_of(&self, p: ServerPerson, units: &[ServerUnit], life: Option<&LifeIndex>) -> ServerMember {
        let set_aside = &p.dismissals();
        let facts: Vec<Fact> = p.events.iter().map(Into::into).collect();
        let late = late_steps(&facts, self.store.rules(), self.store.work_calendar());
        let id = p.person.id.unwrap_or_default();
        // A member from before the records owes no step (as a workspace's member page shows them).
        let owed: &[Fact] = if p.person.joined_before_records(&p.events) { &[] } else { &facts };
        let steps = PersonSteps { id, name: &p.person.name, branch_id: p.person.branch_id, facts: owed };
        // Every item, those set aside marked, as a workspace's member page shows them; someone out
        // of the register owes nothing.
        let status = current_status(&p.status_history);
        let deadlines = if status == MembershipStatus::InRegister {
            self.store.member_items(steps, life, set_aside, |unit| branch_path(units, unit))
        } else {
            Vec::new()
        };
        // From the steps, as a workspace gives them, whatever the stored columns say.
        let detail = MemberDetail {
            branch_path: branch_path(units, p.person.branch_id),
            stage: Stage::of_person(&p.person, &p.events),
            ended: p.events.iter().any(|e| e.kind == EventKind::MembershipEnded),
            status,
            status_history: p.status_history,
            arrival: p.arrival,
            graduate_kept_since: p.graduate_kept_since,
            person: p.person,
            events: p.events,
            deadlines,
            late,
            uid: Some(p.uid),
            version: Some(p.version),
        };
        ServerMember { detail, version: p.version, changed_by: p.changed_by }
    }
}

/// The wording of `shipped`'s document a user of committee `me` uses, and whether it is a
/// committee's own: theirs, else the nearest committee's above it, else the shipped one.
fn in_use(
    shipped: crate::documents::Template,
    units: &[ServerUnit],
    own: &[(Id, String, String)],
    me: Id,
) -> (crate::documents::Template, bool) {
    let mut current = units.iter().find(|u| u.id == me);
    let mut hops = 0;
    while let Some(unit) = current.filter(|_| hops <= units.len()) {
        let theirs = own.iter().find(|(at, doc, _)| *at == unit.id && doc == shipped.id());
        if let Some(template) = theirs.and_then(|(_, doc, source)| crate::documents::Template::parse(doc, source).ok())
        {
            return (template, true);
        }
        current = units.iter().find(|u| Some(u.id) == unit.parent_id);
        hops += 1;
    }
    (shipped, false)
}

/// The committee a document about people of these branches speaks for: the nearest committee
/// above them all (their college's, or the university's when they belong to several colleges).
fn common_committee(units: &[ServerUnit], branches: &[Id]) -> String {
    let committees_above = |id: Id| {
        let mut chain = Vec::new();
        let mut current = units.iter().find(|u| u.id == id);
        while let Some(unit) = current.filter(|_| chain.len() <= units.len()) {
            if unit.kind == "committee" {
                chain.push(unit);
            }
            current = units.iter().find(|u| Some(u.id) == unit.parent_id);
        }
        chain
    };
    let Some((first, rest)) = branches.split_first() else { return String::new() };
    committees_above(*first)
        .into_iter()
        .find(|c| rest.iter().all(|&b| committees_above(b).iter().any(|x| x.id == c.id)))
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// The organisation as the statistics read it: the university's committee the one committee, a
/// college's committee standing as a unit under it, so that a branch is named by its path below
/// the university (`计算机学院党委/第一支部`): two colleges' 第一支部 are two rows, told apart.
fn statistics_tree(units: &[ServerUnit]) -> crate::store::OrgTree {
    use crate::domain::{OrgKind, OrgUnit};
    let mut ordered: Vec<&ServerUnit> = units.iter().collect();
    ordered.sort_by_key(|u| (u.parent_id.is_some(), u.id));
    crate::store::OrgTree::new(
        ordered
            .into_iter()
            .map(|u| OrgUnit {
                id: u.id,
                parent_id: u.parent_id,
                kind: match (u.parent_id, OrgKind::parse(&u.kind)) {
                    (None, _) => OrgKind::Committee,
                    (Some(_), Some(OrgKind::Branch)) => OrgKind::Branch,
                    (Some(_), _) => OrgKind::GeneralBranch,
                },
                name: u.name.clone(),
            })
            .collect(),
    )
}

/// A server's user as a workspace lists one.
fn listed(user: ServerUser) -> crate::access::User {
    crate::access::User {
        id: listed_number(&user.id),
        name: user.name,
        role: user.role,
        branches: user.branches,
        created_on: user.created_on,
    }
}

/// A user's number in the app's list: the first 52 bits of their UUID, exact as a JavaScript
/// number, and as good as unique among a university's users.
fn listed_number(uuid: &str) -> Id {
    let hex: String = uuid.chars().filter(char::is_ascii_hexdigit).take(13).collect();
    Id::from_str_radix(&hex, 16).unwrap_or_default()
}

/// The units seen, depth first from each root (a unit whose parent is not seen is a root), each
/// child after its parent in the order the units were made.
fn visible_tree(units: &[ServerUnit]) -> Vec<crate::domain::OrgUnit> {
    use crate::domain::{OrgKind, OrgUnit};
    let seen = |id: Option<Id>| id.filter(|p| units.iter().any(|u| u.id == *p));
    let mut ordered = Vec::with_capacity(units.len());
    let mut stack: Vec<&ServerUnit> = units.iter().filter(|u| seen(u.parent_id).is_none()).collect();
    stack.sort_by_key(|u| std::cmp::Reverse(u.id));
    while let Some(unit) = stack.pop() {
        if ordered.iter().any(|o: &OrgUnit| o.id == unit.id) {
            continue;
        }
        let parent_id = seen(unit.parent_id);
        let kind = match (parent_id, OrgKind::parse(&unit.kind)) {
            (None, _) => OrgKind::Committee,
            (Some(_), Some(OrgKind::Branch)) => OrgKind::Branch,
            (Some(_), _) => OrgKind::GeneralBranch,
        };
        ordered.push(OrgUnit { id: unit.id, parent_id, kind, name: unit.name.clone() });
        let mut children: Vec<&ServerUnit> = units.iter().filter(|u| u.parent_id == Some(unit.id)).collect();
        children.sort_by_key(|u| std::cmp::Reverse(u.id));
        stack.extend(children);
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::server::path_of;

    fn unit(id: Id, parent: Option<Id>, kind: &str, name: &str) -> ServerUnit {
        let uid = format!("00000000-0000-4000-8000-{id:012}");
        ServerUnit { id, uid, parent_id: parent, kind: kind.into(), name: name.into() }
    }

    fn university() -> Vec<ServerUnit> {
        vec![
            unit(1, None, "committee", "大学党委"),
            unit(2, Some(1), "committee", "计算机学院党委"),
            unit(3, Some(1), "committee", "数学学院党委"),
            unit(21, Some(2), "branch", "第一支部"),
            unit(31, Some(3), "branch", "第一支部"),
        ]
    }

    /// The app reads a server's units as a workspace's tree: the department's from the
    /// university down, a college's from its own committee (the university, unseen, is no parent).
    #[test]
    fn the_units_seen_make_a_tree_rooted_where_the_user_sees_from() {
        use crate::domain::OrgKind;
        let all = visible_tree(&university());
        let shape: Vec<_> = all.iter().map(|u| (u.id, u.parent_id, u.kind)).collect();
        assert_eq!(
            shape,
            [
                (1, None, OrgKind::Committee),
                (2, Some(1), OrgKind::GeneralBranch),
                (21, Some(2), OrgKind::Branch),
                (3, Some(1), OrgKind::GeneralBranch),
                (31, Some(3), OrgKind::Branch),
            ]
        );
        let college: Vec<ServerUnit> = university().into_iter().filter(|u| [2, 21].contains(&u.id)).collect();
        let shape: Vec<_> = visible_tree(&college).iter().map(|u| (u.id, u.parent_id, u.kind)).collect();
        assert_eq!(shape, [(2, None, OrgKind::Committee), (21, Some(2), OrgKind::Branch)]);
    }

    /// The app names a server's users by numbers taken from their UUIDs: the same at every read,
    /// exact in JavaScript, different for different users.
    #[test]
    fn a_users_number_in_the_app_is_stable_exact_in_javascript_and_their_own() {
        let first = listed_number("6f1c2a9e-03b4-4d5e-8f60-1a2b3c4d5e6f");
        assert_eq!(first, 0x0006_f1c2_a9e0_3b44);
        assert_eq!(listed_number("6f1c2a9e-03b4-4d5e-8f60-1a2b3c4d5e6f"), first);
        assert!(first < (1 << 53));
        assert_ne!(listed_number("6f1c2a9e-03b4-5d5e-8f60-1a2b3c4d5e6f"), first);
    }

    #[test]
    fn a_unit_is_found_by_id_name_or_path_and_a_shared_name_asks_for_the_path() {
        let units = university();
        assert_eq!(unit_named(&units, "数学学院党委", "committee").unwrap(), 3);
        assert_eq!(unit_named(&units, "计算机学院党委/第一支部", "branch").unwrap(), 21);
        assert_eq!(unit_named(&units, "21", "branch").unwrap(), 21);
        assert_eq!(unit_named(&units, "00000000-0000-4000-8000-000000000031", "branch").unwrap(), 31);
        assert_eq!(branch_path(&units, 21), "第一支部", "below its committee, as in a workspace");
        assert_eq!(branch_path(&units, 2), "计算机学院党委");
        let err = unit_named(&units, "第一支部", "branch").unwrap_err();
        assert!(err.message(crate::Lang::En).contains("大学党委/计算机学院党委/第一支部"), "{err}");
        assert!(matches!(unit_named(&units, "物理学院党委", "committee"), Err(Error::NotFound { .. })));
        assert_eq!(committee_above(&units, 31), Some(3));
        // A loop the server should never hold still ends.
        let mut looped = university();
        looped[1].parent_id = Some(21);
        assert_eq!(committee_above(&looped, 21), Some(2));
        assert!(path_of(&looped, &looped[3]).len() < 1000);
    }
}
