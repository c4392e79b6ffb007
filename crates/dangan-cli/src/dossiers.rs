//! `dangan dossier`: member files printed as PDF dossiers, one to a file, or many into a folder
//! on all cores, with a progress bar and Ctrl+C to stop.

use std::path::{Path, PathBuf};

use clap::Args;
use dangan_core::domain::Id;
use dangan_core::dossier::{DossierWritten, DossiersWritten};
use dangan_core::server::ServerSession;
use dangan_core::store::MemberQuery;
use dangan_core::{Error, Result, Session};

use crate::commands::Context;
use crate::members::Filter;
use crate::progress::Progress;

#[derive(Args)]
pub struct DossierArgs {
    /// One member, written to --out FILE.pdf
    #[arg(long, value_name = "ID", conflicts_with = "all")]
    member: Option<i64>,
    /// Every member, or those --stage/--branch/--search select, written into the folder --out
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    filter: Filter,
    #[arg(long, value_name = "FILE|DIR")]
    out: PathBuf,
}

/// Where the dossiers are printed from: a workspace, or the shared server.
pub trait Dossiers {
    fn name(&mut self, member: Id) -> Result<String>;
    fn write_one(&mut self, member: Id, out: &Path, cx: &Context) -> Result<DossierWritten>;
    fn member_query(&mut self, filter: &Filter) -> Result<MemberQuery>;
    fn write_many(&mut self, query: &MemberQuery, out: &Path, bar: &Progress, cx: &Context) -> Result<DossiersWritten>;
}

impl Dossiers for Session {
    fn name(&mut self, member: Id) -> Result<String> {
        Ok(self.member(member)?.person.name)
    }
    fn write_one(&mut self, member: Id, out: &Path, _: &Context) -> Result<DossierWritten> {
        self.write_dossier(member, out)
    }
    fn member_query(&mut self, filter: &Filter) -> Result<MemberQuery> {
        filter.query(self)
    }
    fn write_many(&mut self, query: &MemberQuery, out: &Path, bar: &Progress, _: &Context) -> Result<DossiersWritten> {
        self.write_dossiers(query, out, |p| bar.report(p))
    }
}

impl Dossiers for ServerSession {
    fn name(&mut self, member: Id) -> Result<String> {
        Ok(self.member(member)?.detail.person.name)
    }
    fn write_one(&mut self, member: Id, out: &Path, cx: &Context) -> Result<DossierWritten> {
        self.write_dossier(member, out, cx.workspace.dir())
    }
    fn member_query(&mut self, filter: &Filter) -> Result<MemberQuery> {
        filter.query_with(|branch| self.find_unit(branch, "branch"))
    }
    fn write_many(&mut self, query: &MemberQuery, out: &Path, bar: &Progress, cx: &Context) -> Result<DossiersWritten> {
        self.write_dossiers(query, out, cx.workspace.dir(), |p| bar.report(p))
    }
}

pub fn dossier<K: Dossiers>(args: DossierArgs, open: impl FnOnce() -> Result<K>, cx: &Context) -> Result<()> {
    if let Some(id) = args.member {
        if args.filter.is_set() {
            return Err(Error::invalid(
                "member",
                "--member 与筛选条件不能同时使用",
                "--member cannot be combined with filters",
            ));
        }
        let mut session = open()?;
        let written = session.write_one(id, &args.out, cx)?;
        cx.human.dossier_written(&session.name(id)?, &args.out, written.pages)?;
        cx.human.missing_chars(&written.missing_chars);
        return Ok(());
    }
    if !args.all && !args.filter.is_set() {
        return Err(Error::invalid(
            "member",
            "请用 --member ID 指定一人，或用 --all、--stage、--branch、--search 指定多人",
            "name one member with --member ID, or many with --all, --stage, --branch or --search",
        ));
    }
    let mut session = open()?;
    let query = session.member_query(&args.filter)?;
    // Ctrl+C stops the batch; the dossiers already written stay.
    let bar = Progress::new(0, cx.human.ctrl_c_cancels());
    let result = session.write_many(&query, &args.out, &bar, cx);
    bar.finish();
    let written = result?;
    cx.human.dossiers_written(written.written, &args.out)?;
    cx.human.missing_chars(&written.missing_chars);
    Ok(())
}
