//! `dangan doc`: the procedure's documents (发展对象公示, 预审请示, …) filled from the records, as
//! .docx to edit or PDF to print, and an office's own wording of them.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use dangan_core::calendar::Date;
use dangan_core::documents::{DocumentInfo, MadeDocument};
use dangan_core::domain::Id;
use dangan_core::server::ServerSession;
use dangan_core::{Error, Result, Session};

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
    doc_with(action, || cx.unlock(), cx)
}

/// `doc --server`: the documents from the server's records, in the wording of the user's
/// committee (its own, or the nearest above it, or the shipped one).
pub fn doc_on_server(action: DocAction, server: impl FnOnce() -> Result<ServerSession>, cx: &Context) -> Result<()> {
    doc_with(action, server, cx)
}

/// Where a document's facts are kept: a workspace, or the shared server.
pub trait Documents {
    fn documents(&mut self) -> Result<Vec<DocumentInfo>>;
    fn template_source(&mut self, id: &str) -> Result<String>;
    /// Everyone the filters select, in list order.
    fn selected(&mut self, filter: &Filter) -> Result<Vec<Id>>;
    fn make(&mut self, args: &MakeArgs, members: &[Id], date: Option<Date>, cx: &Context) -> Result<MadeDocument>;
    fn load_template(&mut self, source: &str) -> Result<DocumentInfo>;
    fn reset_template(&mut self, id: &str) -> Result<()>;
}

impl Documents for Session {
    fn documents(&mut self) -> Result<Vec<DocumentInfo>> {
        Session::documents(self)
    }
    fn template_source(&mut self, id: &str) -> Result<String> {
        self.document_template_source(id)
    }
    fn selected(&mut self, filter: &Filter) -> Result<Vec<Id>> {
        let query = filter.query(self)?;
        Ok(self.list_members(&query)?.items.into_iter().map(|m| m.id).collect())
    }
    fn make(&mut self, args: &MakeArgs, members: &[Id], date: Option<Date>, _: &Context) -> Result<MadeDocument> {
        self.make_document(&args.id, members, date, &args.out, args.record_step)
    }
    fn load_template(&mut self, source: &str) -> Result<DocumentInfo> {
        self.load_document_template(source)
    }
    fn reset_template(&mut self, id: &str) -> Result<()> {
        self.reset_document_template(id)
    }
}

impl Documents for ServerSession {
    fn documents(&mut self) -> Result<Vec<DocumentInfo>> {
        ServerSession::documents(self)
    }
    fn template_source(&mut self, id: &str) -> Result<String> {
        self.document_template_source(id)
    }
    fn selected(&mut self, filter: &Filter) -> Result<Vec<Id>> {
        let query = filter.query_with(|branch| self.find_unit(branch, "branch"))?;
        Ok(self.list_members(&query)?.items.into_iter().map(|m| m.id).collect())
    }
    fn make(&mut self, args: &MakeArgs, members: &[Id], date: Option<Date>, cx: &Context) -> Result<MadeDocument> {
        self.make_document(&args.id, members, date, &args.out, cx.workspace.dir(), args.record_step)
    }
    fn load_template(&mut self, source: &str) -> Result<DocumentInfo> {
        self.load_document_template(source)
    }
    fn reset_template(&mut self, id: &str) -> Result<()> {
        self.reset_document_template(id)
    }
}

/// `doc` wherever the records are kept; `open` opens them once the command's words are read.
fn doc_with<K: Documents>(action: DocAction, open: impl FnOnce() -> Result<K>, cx: &Context) -> Result<()> {
    match action {
        DocAction::List { json } => {
            let documents = open()?.documents()?;
            if json { json::print(&documents) } else { cx.human.documents(&documents) }
        }
        DocAction::Make(args) => make(args, open, cx),
        DocAction::Templates { action: TemplatesAction::Show { id } } => {
            crate::ui::outln!("{}", open()?.template_source(&id)?.trim_end());
            Ok(())
        }
        DocAction::Templates { action: TemplatesAction::Load { file } } => {
            let source = parse::read_text(&file)?;
            let info = open()?.load_template(&source)?;
            cx.human.document_template_loaded(&info, &file)
        }
        DocAction::Templates { action: TemplatesAction::Reset { id } } => {
            open()?.reset_template(&id)?;
            cx.human.document_template_reset(&id)
        }
    }
}

fn make<K: Documents>(args: MakeArgs, open: impl FnOnce() -> Result<K>, cx: &Context) -> Result<()> {
    let date = args.date.as_deref().map(|d| parse::date("date", d)).transpose()?;
    let chosen = (args.member, args.members.is_empty(), args.filter.is_set());
    if !matches!(chosen, (Some(_), true, false) | (None, false, false) | (None, true, true)) {
        return Err(if chosen == (None, true, false) {
            Error::invalid(
                "member",
                "请用 --member ID 指定一人，或用 --members ID,ID,… 或 --stage、--branch、--search 指定多人",
                "name one member with --member ID, or several with --members ID,ID,… or --stage, --branch, --search",
            )
        } else {
            Error::invalid(
                "member",
                "--member、--members 与筛选条件只能用其一",
                "use one of --member, --members or the filters",
            )
        });
    }
    let mut kept = open()?;
    let members: Vec<Id> = match args.member {
        Some(id) => vec![id],
        None if !args.members.is_empty() => args.members.clone(),
        None => kept.selected(&args.filter)?,
    };
    if members.is_empty() {
        return Err(Error::invalid("member", "筛选条件没有选中任何人", "the filters select no one"));
    }
    let made = kept.make(&args, &members, date, cx)?;
    cx.human.document_made(&made)
}
