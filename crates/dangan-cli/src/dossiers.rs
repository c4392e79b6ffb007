//! `dangan dossier`: member files printed as PDF dossiers, one to a file, or many into a folder
//! on all cores, with a progress bar and Ctrl+C to stop.

use std::path::PathBuf;

use clap::Args;
use dangan_core::{Error, Result};

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

pub fn dossier(args: DossierArgs, cx: &Context) -> Result<()> {
    let session = cx.unlock()?;
    if let Some(id) = args.member {
        if args.filter.is_set() {
            return Err(Error::invalid(
                "member",
                "--member 与筛选条件不能同时使用",
                "--member cannot be combined with filters",
            ));
        }
        let written = session.write_dossier(id, &args.out)?;
        cx.human.dossier_written(&session.member(id)?.person.name, &args.out, written.pages)?;
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
    let query = args.filter.query(&session)?;
    // Ctrl+C stops the batch; the dossiers already written stay.
    let bar = Progress::new(0, cx.human.ctrl_c_cancels());
    let result = session.write_dossiers(&query, &args.out, |p| bar.report(p));
    bar.finish();
    let written = result?;
    cx.human.dossiers_written(written.written, &args.out)?;
    cx.human.missing_chars(&written.missing_chars);
    Ok(())
}
