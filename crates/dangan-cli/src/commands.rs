//! The dispatch table: which function runs each command, and the [`Context`] each one is given.
//!
//! Every command has the same shape: read its arguments (`parse.rs`), make its calls into
//! `dangan_core::Session`, and hand the result to `human.rs` or `json.rs` to print.

use std::path::PathBuf;

use dangan_core::{Error, Lang, Result, Session, Text, Workspace};
use zeroize::Zeroizing;

use crate::human::Human;
use crate::passphrase::{self, Secret};
use crate::{
    Cli, Command, accounts, appraisal, committee, complaints, documents, dossiers, dues, files, meetings, members,
    planning, rosters, server, statistics, status, steps, training, transfer, workspace,
};

pub fn run(cli: Cli, command_name: &str, lang: Lang) -> Result<()> {
    let cx = Context::new(cli.workspace, cli.passphrase_file, cli.user, lang)?;
    if let Some(url) = cli.server.as_deref().filter(|url| !url.trim().is_empty()) {
        return server::run_on_server(cli.command, command_name, url.parse()?, &cx);
    }
    match cli.command {
        Command::Init(args) => workspace::init(args, &cx),
        Command::Import(args) => rosters::import(args, &cx),
        Command::Export(args) => rosters::export(args, &cx),
        Command::Template(args) => rosters::template(args, &cx),
        Command::Members(args) => members::members(args, &cx),
        Command::Deadlines(args) => planning::deadlines(args, &cx),
        Command::Meetings { action } => meetings::meetings(action, || cx.unlock(), &cx),
        Command::Committee { action } => committee::committee(action, || cx.unlock(), &cx),
        Command::Groups { action } => committee::groups(action, || cx.unlock(), &cx),
        Command::Classes { action } => training::classes(action, || cx.unlock(), &cx),
        Command::Training { action } => training::training(action, || cx.unlock(), &cx),
        Command::Stats(args) => statistics::stats(args, &cx),
        Command::Report { action } => statistics::report(action, &cx),
        Command::Remind(args) => planning::remind(args, &cx),
        Command::Rules { action } => planning::rules(action, &cx),
        Command::Holidays { action } => planning::holidays(action, &cx),
        Command::Step { action } => steps::step(action, &cx),
        Command::Status { action } => status::status(action, &cx),
        Command::Appraisal { action } => appraisal::appraisal(action, &cx),
        Command::Complaints { action } => complaints::complaints(action, &cx),
        Command::Dues { action } => dues::dues(action, &cx),
        Command::Transfer { action } => transfer::transfer(action, &cx),
        Command::Records(args) => files::records(args, &mut cx.unlock()?, &cx),
        Command::Record(args) => files::record(*args, || cx.unlock(), &cx),
        Command::Attachment(args) => files::attachment(args, &mut cx.unlock()?, &cx),
        Command::Dossier(args) => dossiers::dossier(args, || cx.unlock(), &cx),
        Command::Doc { action } => documents::doc(action, &cx),
        Command::Backup(args) => workspace::backup(args, &cx),
        Command::Restore(args) => workspace::restore(args, &cx),
        Command::Verify => workspace::verify(&cx),
        Command::Demo(args) => workspace::demo(args, &cx),
        Command::Passwd(args) => workspace::passwd(args, &cx),
        Command::Users { action, json } => accounts::users(action.unwrap_or(accounts::UsersAction::List { json }), &cx),
        Command::Recovery(args) => accounts::recovery(args, &cx),
        Command::Recover => accounts::recover(&cx),
        Command::Audit(args) => accounts::audit(args, &cx),
        Command::Server { action } => server::server(action, &cx),
        Command::BenchRoster(args) => rosters::bench_roster(args, &cx),
    }
}

/// What every command is given: the workspace folder, who signs in, and the language to answer in.
pub struct Context {
    pub workspace: Workspace,
    /// `--user`: who signs in (`init`: the administrator to create; `recover`: whose passphrase to set).
    user: Option<String>,
    /// `--passphrase-file`.
    passphrase_file: Option<PathBuf>,
    pub lang: Lang,
    /// Says each result to the user, in `lang`.
    pub human: Human,
}

impl Context {
    /// The workspace is `--workspace` (or `DANGAN_WORKSPACE`), else the OS data folder.
    fn new(
        dir: Option<PathBuf>,
        passphrase_file: Option<PathBuf>,
        user: Option<String>,
        lang: Lang,
    ) -> Result<Context> {
        let Some(dir) = dir.or_else(Workspace::default_dir) else {
            return Err(Error::InvalidInput {
                field: "workspace".into(),
                reason: Text::new(
                    "找不到默认的数据目录，请用 --workspace 指定",
                    "no default data folder; pass --workspace",
                ),
            });
        };
        Ok(Context { workspace: Workspace::at(dir), user, passphrase_file, lang, human: Human::new(lang) })
    }

    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Opens the workspace as `--user`, with the passphrase from the environment, the file or a
    /// prompt. A folder without a workspace is said before any passphrase is asked for.
    pub fn unlock(&self) -> Result<Session> {
        self.require_workspace()?;
        let pass = self.passphrase(Secret::Passphrase)?;
        Session::unlock(self.workspace.clone(), self.user(), &pass)
    }

    /// [`Context::unlock`] while `meanwhile` runs on this thread: the key derivation (Argon2id,
    /// slow by design) overlaps work that needs no workspace, such as reading a roster. A wrong
    /// passphrase is still the error said first.
    pub fn unlock_while<T>(&self, meanwhile: impl FnOnce() -> T) -> Result<(Session, T)> {
        self.require_workspace()?;
        let pass = self.passphrase(Secret::Passphrase)?;
        let (session, done) = std::thread::scope(|threads| {
            let opening = threads.spawn(|| Session::unlock(self.workspace.clone(), self.user(), &pass));
            let done = meanwhile();
            (opening.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), done)
        });
        Ok((session?, done))
    }

    /// A secret given as the workspace's passphrase is: its environment variable, else
    /// `--passphrase-file`, else a prompt.
    pub fn passphrase(&self, secret: Secret) -> Result<Zeroizing<String>> {
        passphrase::read(secret, self.passphrase_file.as_deref(), self.lang)
    }

    /// Refuses when the folder holds no workspace.
    pub fn require_workspace(&self) -> Result<()> {
        if !self.workspace.exists() {
            return Err(Error::WorkspaceMissing { path: self.workspace.dir().to_owned() });
        }
        Ok(())
    }

    /// Refuses when the folder holds a workspace already (`init`, `restore`): nothing is overwritten.
    pub fn require_no_workspace(&self) -> Result<()> {
        if self.workspace.exists() {
            return Err(Error::WorkspaceExists { path: self.workspace.dir().to_owned() });
        }
        Ok(())
    }
}
