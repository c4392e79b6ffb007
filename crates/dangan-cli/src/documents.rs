//! `dangan doc`: the procedure's documents (发展对象公示, 预审请示, …) filled from the records, as
//! .docx to edit or PDF to print, and an office's own wording of them.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use dangan_core::domain::Id;
use dangan_core::{Error, Result};

use crate::commands::Context;
use crate::members::Filter;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum DocAction {
    /// Every document: its id, the stage of the people it is about, whether it is about several
    /// people (one table), its title and the article that requires it
    List {
        /// Print a JSON array of objects with `id`, `title`, `stage` and `batch`
        #[arg(long)]
        json: bool,
    },
    /// Make a document, as .docx or PDF by --out's extension: about --member, or --members, or the
    /// people --stage/--branch/--search select (one document with a table)
    Make(MakeArgs),
    /// The office's own wording: show a template, load one, or go back to the shipped one
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
}

#[derive(Args)]
pub struct MakeArgs {
    /// The document's id (`dangan doc list`)
    id: String,
    /// The one member it is about
    #[arg(long, value_name = "ID", conflicts_with = "members")]
    member: Option<Id>,
    /// The members it is about, in the table's order: ID,ID,…
    #[arg(long, value_name = "ID,ID,…", value_delimiter = ',')]
    members: Vec<Id>,
    #[command(flatten)]
    filter: Filter,
    /// The document's date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// FILE.docx or FILE.pdf
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Also record the step the document starts (a publicity notice: `candidate_publicity`) for
    /// each person, dated the document's date: all or none, before the file is written
    #[arg(long)]
    record_step: bool,
}

#[derive(Subcommand)]
pub enum TemplatesAction {
    /// Print a document's template (the office's own if loaded): the file to start from
    Show { id: String },
    /// Load the office's own wording of a document from a template file (its `id` says which)
    Load { file: PathBuf },
    /// Go back to the shipped wording of a document
    Reset { id: String },
}

pub fn doc(action: DocAction, cx: &Context) -> Result<()> {
    match action {
        DocAction::List { json } => {
            let session = cx.unlock()?;
            let documents = session.documents()?;
            if json { json::print(&documents) } else { cx.human.documents(&documents) }
        }
        DocAction::Make(args) => make(args, cx),
        DocAction::Templates { action } => {
            let mut session = cx.unlock()?;
            match action {
                TemplatesAction::Show { id } => {
                    crate::ui::outln!("{}", session.document_template_source(&id)?.trim_end());
                    Ok(())
                }
                TemplatesAction::Load { file } => {
                    let info = session.load_document_template(&parse::read_text(&file)?)?;
                    cx.human.document_template_loaded(&info, &file)
                }
                TemplatesAction::Reset { id } => {
                    session.reset_document_template(&id)?;
                    cx.human.document_template_reset(&id)
                }
            }
        }
    }
}

fn make(args: MakeArgs, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    let date = args.date.as_deref().map(|d| parse::date("date", d)).transpose()?;
    let members: Vec<Id> = match (args.member, args.members.is_empty(), args.filter.is_set()) {
        (Some(id), true, false) => vec![id],
        (None, false, false) => args.members,
        (None, true, true) => {
            let query = args.filter.query(&session)?;
            session.list_members(&query)?.items.into_iter().map(|m| m.id).collect()
        }
        (None, true, false) => {
            return Err(Error::invalid(
                "member",
                "请用 --member ID 指定一人，或用 --members ID,ID,… 或 --stage、--branch、--search 指定多人",
                "name one member with --member ID, or several with --members ID,ID,… or --stage, --branch, --search",
            ));
        }
        _ => {
            return Err(Error::invalid(
                "member",
                "--member、--members 与筛选条件只能用其一",
                "use one of --member, --members or the filters",
            ));
        }
    };
    if members.is_empty() {
        return Err(Error::invalid("member", "筛选条件没有选中任何人", "the filters select no one"));
    }
    let made = session.make_document(&args.id, &members, date, &args.out, args.record_step)?;
    cx.human.document_made(&made)
}
