//! The shared server from the command line (issue 20): `dangan server init`, `upgrade` and `upload`, and the commands that
//! run on a server when given `--server URL` (or `DANGAN_SERVER`) instead of `--workspace`. So far
//! those are `verify`, `users` (list, add, role, remove, reset-passphrase), `members` (with its filters), `step` (add for one member,
//! list, remove), `deadlines`, `remind`, `import`, `transfer move`, `holidays`, `status`, `doc`, `records`, `record`, `attachment`,
//! `dossier`, `groups`, `committee`, `classes`, `training` and `meetings`; every other command says plainly that it does
//! not run on a server yet, and changes nothing.

use clap::{Args, Subcommand};
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_core::{Error, Result, Text};

use dangan_core::late::LateStep;
use dangan_core::store::MemberSummary;

use crate::Command;
use crate::accounts::UsersAction;
use crate::commands::Context;
use crate::complaints::ComplaintsAction;
use crate::members::MembersArgs;
use crate::passphrase::{self, Secret};
use crate::steps::{self, StepAction};
use crate::transfer::TransferAction;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum ServerAction {
    /// Set up an empty PostgreSQL database for Dangan: the schema, the roles, the row-level
    /// policies, the root committee and its first administrator (--user; passphrase from
    /// DANGAN_NEW_PASSPHRASE or a prompt). The URL carries the database owner's credentials, which
    /// Dangan does not keep.
    Init(InitArgs),
    /// Move a college's workspace (--workspace DIR) onto the server under the committee of its
    /// name, all or nothing: its units, people and steps, and its audit log kept verbatim. Signs in
    /// to the server as --user and to the workspace as --workspace-user (passphrase from
    /// DANGAN_WORKSPACE_PASSPHRASE or a prompt); both must be administrators
    Upload(UploadArgs),
    /// Bring a database an earlier Dangan set up to this Dangan's schema, all or nothing (users
    /// cannot sign in to a server behind it). The URL carries the database owner's credentials
    Upgrade(UpgradeArgs),
}

#[derive(Args)]
pub struct UpgradeArgs {
    /// postgres://OWNER:PASSWORD@HOST[:PORT]/DATABASE[?sslrootcert=CA.pem], as for init
    #[arg(long, value_name = "URL")]
    url: String,
    /// Print {from, to}, the schema's versions before and after, as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct UploadArgs {
    /// The workspace's user [default: whoever the workspace's passphrase opens]
    #[arg(long, value_name = "NAME")]
    workspace_user: Option<String>,
    /// Print {upload_id, committee, committee_id, committee_created, units_created, people, steps,
    /// audit_entries, users_to_add} as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct InitArgs {
    /// postgres://OWNER:PASSWORD@HOST[:PORT]/DATABASE[?sslrootcert=CA.pem]; over TCP always TLS
    /// with the certificate verified against the host name
    #[arg(long, value_name = "URL")]
    url: String,
    /// The root committee: the university's (党委), whose organisation department keeps the server
    #[arg(long, value_name = "NAME")]
    committee: String,
    #[arg(long)]
    json: bool,
}

pub fn server(action: ServerAction, cx: &Context) -> Result<()> {
    match action {
        ServerAction::Init(args) => init(args, cx),
        ServerAction::Upgrade(args) => {
            let address: ServerAddress = args.url.parse()?;
            let done = ServerSession::upgrade(&address)?;
            if args.json { json::print(&done) } else { cx.human.server_upgraded(&address, done.from, done.to) }
        }
        ServerAction::Upload(_) => Err(Error::invalid(
            "server",
            "请用 --server 给出要上传到的服务器",
            "name the server to upload to with --server",
        )),
    }
}

/// `server upload`: the workspace opened by its administrator, moved by the server's.
fn upload(args: UploadArgs, address: &ServerAddress, cx: &Context) -> Result<()> {
    cx.require_workspace()?;
    let mut server = sign_in(address, cx)?;
    let pass = cx.passphrase(Secret::UploadedWorkspace)?;
    let workspace = dangan_core::Session::unlock(cx.workspace.clone(), args.workspace_user.as_deref(), &pass)?;
    let bar = crate::progress::Progress::new(4, cx.human.ctrl_c_cancels());
    let report = server.upload_workspace(&workspace, |p| bar.report(p));
    bar.finish();
    let report = report?;
    if args.json { json::print(&report) } else { cx.human.workspace_uploaded(&report) }
}

fn init(args: InitArgs, cx: &Context) -> Result<()> {
    let address: ServerAddress = args.url.parse()?;
    let Some(user) = cx.user() else {
        return Err(Error::invalid(
            "user",
            "请用 --user 给出第一个管理员的用户名",
            "name the first administrator with --user",
        ));
    };
    let pass = cx.passphrase(Secret::ServerAdministrator)?;
    let made = ServerSession::initialise(&address, &args.committee, user, &pass)?;
    if args.json { json::print(&made) } else { cx.human.server_initialised(&address, &made.administrator) }
}

/// A command given `--server`: run on the server if it can, else refused, naming the command.
pub fn run_on_server(command: Command, name: &str, address: ServerAddress, cx: &Context) -> Result<()> {
    match command {
        Command::Server { action: ServerAction::Upload(args) } => upload(args, &address, cx),
        Command::Server { action } => server(action, cx),
        Command::Verify => verify(&mut sign_in(&address, cx)?, cx),
        Command::Users { action, json } => users(action.unwrap_or(UsersAction::List { json }), &address, cx),
        Command::Members(args) => members(&mut sign_in(&address, cx)?, &args, cx),
        Command::Step { action } => step(action, &address, cx),
        Command::Deadlines(args) => crate::planning::deadlines_on_server(args, &mut sign_in(&address, cx)?, cx),
        Command::Import(args) => crate::rosters::import_on_server(args, &mut sign_in(&address, cx)?, cx),
        Command::Remind(args) => crate::planning::remind_on_server(args, &mut sign_in(&address, cx)?, cx),
        Command::Holidays { action } => crate::planning::holidays_with(action, &mut sign_in(&address, cx)?, cx),
        Command::Rules { action } => crate::planning::rules_with(action, &mut sign_in(&address, cx)?, cx),
        Command::Status { action } => crate::status::status_on_server(action, || sign_in(&address, cx), cx),
        Command::Doc { action } => crate::documents::doc_on_server(action, || sign_in(&address, cx), cx),
        Command::Records(args) => crate::files::records(args, &mut sign_in(&address, cx)?, cx),
        Command::Record(args) => crate::files::record(*args, || sign_in(&address, cx), cx),
        Command::Attachment(args) => crate::files::attachment(args, &mut sign_in(&address, cx)?, cx),
        Command::Dossier(args) => crate::dossiers::dossier(args, || sign_in(&address, cx), cx),
        Command::Meetings { action } => crate::meetings::meetings(action, || sign_in(&address, cx), cx),
        Command::Groups { action } => crate::committee::groups(action, || sign_in(&address, cx), cx),
        Command::Committee { action } => crate::committee::committee(action, || sign_in(&address, cx), cx),
        Command::Training { action } => crate::training::training(action, || sign_in(&address, cx), cx),
        Command::Classes { action } => crate::training::classes(action, || sign_in(&address, cx), cx),
        Command::Stats(args) => crate::statistics::stats_on_server(args, &mut sign_in(&address, cx)?, cx),
        Command::Dues { action } => crate::dues::dues_in(action, || sign_in(&address, cx), cx),
        Command::Appraisal { action } => crate::appraisal::appraisal_in(action, || sign_in(&address, cx), cx),
        Command::Complaints { action: ComplaintsAction::Upload { workspace_user, json } } => {
            cx.require_workspace()?;
            let mut server = sign_in(&address, cx)?;
            let pass = cx.passphrase(Secret::UploadedWorkspace)?;
            let workspace = dangan_core::Session::unlock(cx.workspace.clone(), workspace_user.as_deref(), &pass)?;
            let moved = server.upload_register(&workspace)?;
            if json { json::print(&moved) } else { cx.human.register_moved(&moved) }
        }
        Command::Complaints { action } => crate::complaints::complaints_in(action, || sign_in(&address, cx), cx),
        Command::Report { action } => crate::statistics::report_on_server(action, &mut sign_in(&address, cx)?, cx),
        Command::Export(args) => crate::rosters::export_on_server(args, &mut sign_in(&address, cx)?, cx),
        Command::Audit(args) => crate::accounts::audit_on_server(args, &mut sign_in(&address, cx)?, cx),
        // A blank roster holds nobody's data: written as a workspace writes it.
        Command::Template(args) => crate::rosters::template(args, cx),
        Command::Passwd(args) => {
            // Signed in with the current passphrase, then the new one set.
            let mut session = ServerSession::sign_in(&address, cx.user(), &cx.passphrase(Secret::Current)?)?;
            let new = passphrase::read(Secret::New, args.new_passphrase_file(), cx.lang)?;
            session.set_own_passphrase(&new)?;
            cx.human.passphrase_changed()
        }
        Command::Transfer { action: TransferAction::Move { member, to, json } } => {
            let mut session = sign_in(&address, cx)?;
            // Moved as read: a change by someone else meanwhile refuses it.
            let seen = session.member(member)?.version;
            let moved = session.move_member(member, &to, Some(seen))?;
            if json { json::print(&moved) } else { cx.human.member_moved(&moved) }
        }
        Command::Transfer { action } => crate::transfer::transfer_in(action, || sign_in(&address, cx), cx),
        _ => Err(not_on_a_server(name)),
    }
}

/// The members the filters select among those the user may read, in pinyin order: the same
/// table or JSON as a workspace's.
fn members(session: &mut ServerSession, args: &MembersArgs, cx: &Context) -> Result<()> {
    let query = args.query_with(|branch| session.find_unit(branch, "branch"))?;
    print_members(session.members(&query)?, args.json(), cx)
}

/// Members with their late steps, as `dangan members` prints them.
pub fn print_members(members: Vec<(MemberSummary, Vec<LateStep>)>, as_json: bool, cx: &Context) -> Result<()> {
    let (summaries, late): (Vec<MemberSummary>, Vec<Vec<LateStep>>) = members.into_iter().unzip();
    if as_json {
        let mut array = json::MemberArray::default();
        array.page(&summaries, |_| Ok(late))?;
        array.finish()
    } else {
        let mut table = cx.human.member_table();
        table.page(&summaries)?;
        table.finish(summaries.len() as u64)
    }
}

/// A member's steps on the server, one at a time, with the workspace's checks and words.
fn step(action: StepAction, address: &ServerAddress, cx: &Context) -> Result<()> {
    match action {
        StepAction::Add { member: Some(member), kind, date, reason, months, .. } => {
            let event = steps::new_event(&kind, &date, reason, months)?;
            let (kind, date) = (event.kind, event.date);
            let detail = sign_in(address, cx)?.save_event(member, event, None)?.detail;
            cx.human.step_recorded(&detail.person.name, kind, date, detail.late.iter().filter(|l| l.step == kind))
        }
        StepAction::Add { member: None, selection, kind, date, reason, months } => {
            let event = steps::new_event(&kind, &date, reason, months)?;
            for member in sign_in(address, cx)?.save_event_for_many(&selection, &event)? {
                let detail = member.detail;
                let late = detail.late.iter().filter(|l| l.step == event.kind);
                cx.human.step_recorded(&detail.person.name, event.kind, event.date, late)?;
            }
            Ok(())
        }
        StepAction::List { member, json } => {
            let detail = sign_in(address, cx)?.member(member)?.detail;
            if json { json::steps(member, &detail) } else { cx.human.steps(&detail) }
        }
        StepAction::Remove { member, id } => {
            let mut session = sign_in(address, cx)?;
            let before = session.member(member)?;
            let removed = before.detail.events.iter().find(|e| e.id == Some(id)).map(|e| (e.kind, e.date));
            // Removed as read: a change by someone else meanwhile refuses it.
            let detail = session.delete_event(member, id, Some(before.version))?.detail;
            match removed {
                Some((kind, date)) => cx.human.step_removed(&detail.person.name, kind, date),
                None => Ok(()),
            }
        }
    }
}

fn sign_in(address: &ServerAddress, cx: &Context) -> Result<ServerSession> {
    let pass = cx.passphrase(Secret::Passphrase)?;
    ServerSession::sign_in(address, cx.user(), &pass)
}

fn verify(session: &mut ServerSession, cx: &Context) -> Result<()> {
    let report = session.verify()?;
    cx.human.server_verified(&report)?;
    if report.is_ok() {
        return Ok(());
    }
    Err(Error::Server {
        server: session.address().to_string(),
        reason: report.problems.iter().map(|p| p.get(cx.lang).to_owned()).collect::<Vec<_>>().join("; "),
    })
}

fn users(action: UsersAction, address: &ServerAddress, cx: &Context) -> Result<()> {
    match action {
        UsersAction::List { json } => {
            let users = sign_in(address, cx)?.users()?;
            if json { json::print(&users) } else { cx.human.server_users(&users) }
        }
        UsersAction::Add { name, role, branches, committee, new_passphrase_file } => {
            let role = parse::role(&role)?;
            let mut session = sign_in(address, cx)?;
            let pass = passphrase::read(Secret::NewUser, new_passphrase_file.as_deref(), cx.lang)?;
            let user = session.add_user(&name, role, committee.as_deref(), &branches, &pass)?;
            cx.human.server_user_added(&user)
        }
        UsersAction::Role { name, role, branches } => {
            let role = parse::role(&role)?;
            let user = sign_in(address, cx)?.set_user_role(&name, role, &branches)?;
            cx.human.server_role_set(&user)
        }
        UsersAction::Remove { name } => {
            sign_in(address, cx)?.remove_user(&name)?;
            cx.human.user_removed()
        }
        UsersAction::ResetPassphrase { name, new_passphrase_file } => {
            let mut session = sign_in(address, cx)?;
            let pass = passphrase::read(Secret::New, new_passphrase_file.as_deref(), cx.lang)?;
            session.reset_passphrase(&name, &pass)?;
            cx.human.passphrase_reset()
        }
    }
}

pub fn not_on_a_server(command: &str) -> Error {
    Error::invalid(
        "server",
        format!(
            "「dangan {command}」还不能在服务器上运行（目前可用：server init、server upload、verify、users（list、add、role、remove、reset-passphrase）、members、export、template、audit、stats、report annual、dues、appraisal、complaints、passwd、step add/list/remove、deadlines、remind、import、transfer（move、apply、approve、decline、requests、out、receipt、reissue、cancel、list、print、graduate、keep）、holidays、rules、status、doc、records、record、attachment、dossier、groups、committee、classes、training、meetings），没有做任何更改；请改用 --workspace"
        ),
        format!(
            "`dangan {command}` does not run on a server yet (so far: server init, server upload, verify, users (list, add, role, remove, reset-passphrase), members, export, template, audit, stats, report annual, dues, appraisal, complaints, passwd, step add/list/remove, deadlines, remind, import, transfer (move, apply, approve, decline, requests, out, receipt, reissue, cancel, list, print, graduate, keep), holidays, rules, status, doc, records, record, attachment, dossier, groups, committee, classes, training, meetings); nothing was changed: use --workspace"
        ),
    )
}

/// `--committee` names a server's committee; a workspace has one committee only.
pub fn committee_is_for_a_server() -> Error {
    Error::InvalidInput {
        field: "committee".into(),
        reason: Text::new(
            "--committee 只用于服务器上的用户（工作区只有一个党委）",
            "--committee is for users of a server (a workspace has one committee)",
        ),
    }
}
