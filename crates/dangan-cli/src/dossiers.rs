//! `dangan dossier`: member files printed as PDF dossiers, one to a file, or many into a folder
//! on all cores, with a progress bar and Ctrl+C to stop.

use std::path::PathBuf;

use clap::Args;
use dangan_core::dossier::{self, DossierData, DossierFonts, DossierOptions};
use dangan_core::{Error, Result, calendar};

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
    let store = cx.unlock()?;
    let options = DossierOptions { generated_on: calendar::today(), created_at: chrono::Utc::now() };
    if let Some(id) = args.member {
        if args.filter.is_set() {
            return Err(Error::invalid(
                "member",
                "--member 与筛选条件不能同时使用",
                "--member cannot be combined with filters",
            ));
        }
        dangan_core::output::ensure_outside(store.workspace_dir(), &args.out)?;
        let data = DossierData::read(&store, id)?;
        let rendered = dossier::render(&data, &DossierFonts::bundled(), &options)?;
        dangan_core::output::write(store.workspace_dir(), &args.out, &rendered.pdf)?;
        cx.human.dossier_written(data.name(), &args.out, rendered.pages)?;
        cx.human.missing_chars(&rendered.missing_chars);
        return Ok(());
    }
    if !args.all && !args.filter.is_set() {
        return Err(Error::invalid(
            "member",
            "请用 --member ID 指定一人，或用 --all、--stage、--branch、--search 指定多人",
            "name one member with --member ID, or many with --all, --stage, --branch or --search",
        ));
    }
    let ids = store.member_ids(&args.filter.query(&store)?)?;
    // Ctrl+C stops the batch; the dossiers already written stay.
    let bar = Progress::new(ids.len() as u64, cx.human.ctrl_c_cancels());
    let result = dossier::write_batch(&store, &ids, &args.out, &options, |p| bar.at(p.done));
    bar.finish();
    let report = result?;
    cx.human.dossiers_written(report.written.len(), &args.out)?;
    let mut missing: Vec<char> = report.missing_chars.iter().map(|(_, c)| *c).collect();
    missing.sort_unstable();
    missing.dedup();
    cx.human.missing_chars(&missing);
    Ok(())
}
