//! The documents the development procedure requires (issue 19): publicity notices, requests to
//! the upper committee, forms, filled from the records and written as .docx to edit or PDF to
//! print.
//!
//! Each document is a template file (`crates/dangan-core/documents/*.jinja`, one per document):
//! a TOML head between `+++` lines (id, title, the stage of the people it is about, whether it is
//! about several people, the article that requires it under each rule set), then the body, a
//! minijinja template (`render.rs`) whose output is a few kinds of lines (`markup.rs`): a title,
//! body paragraphs, a table of the people, lines against the right margin. The same lines become
//! a .docx (`docx.rs`) or a PDF through the dossier machinery (`pdf.rs`). An office replaces any
//! template with its own wording (`store/documents.rs` keeps it); one with a syntax error or a
//! field that does not exist is refused, naming its line.

mod context;
mod docx;
mod markup;
mod pdf;
mod render;

use serde::{Deserialize, Serialize};

pub(crate) use context::{Records, context};
pub use markup::{Block, Rendered};
pub use render::{DocumentContext, PersonFields, render};

use crate::domain::{EventKind, Stage};
use crate::rules::RuleSetId;
use crate::{Error, Result, Text};

/// The templates shipped with Dangan, in the order of the procedure.
const SHIPPED: &[(&str, &str)] = &[
    ("applicant_talk_record", include_str!("../../documents/applicant_talk_record.jinja")),
    ("activist_register_form", include_str!("../../documents/activist_register_form.jinja")),
    ("candidate_publicity", include_str!("../../documents/candidate_publicity.jinja")),
    ("political_review_letter", include_str!("../../documents/political_review_letter.jinja")),
    ("prereview_request", include_str!("../../documents/prereview_request.jinja")),
    ("admission_publicity", include_str!("../../documents/admission_publicity.jinja")),
    ("branch_meeting_notice", include_str!("../../documents/branch_meeting_notice.jinja")),
    ("admission_approval_request", include_str!("../../documents/admission_approval_request.jinja")),
    ("conversion_publicity", include_str!("../../documents/conversion_publicity.jinja")),
    ("conversion_approval_request", include_str!("../../documents/conversion_approval_request.jinja")),
];

/// A document as lists show it (`dangan doc list --json`: `id`, `title`, `stage`, `batch` are a
/// public interface).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    pub id: String,
    pub title: String,
    pub title_en: String,
    /// The stage of the people it is about; `None` for a document of any stage.
    pub stage: Option<Stage>,
    /// About several people at once (one document with a table), not one.
    pub batch: bool,
    /// The article that requires it, under the workspace's rule set.
    pub clause: String,
    pub clause_en: String,
    /// The office's own wording replaces the shipped one.
    pub custom: bool,
    /// The step that issuing it starts, which saving it can record for each person, dated the
    /// document's date (a development targets' publicity starts `candidate_publicity`).
    pub records: Option<EventKind>,
}

/// The output a file's extension asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Docx,
    Pdf,
}

impl DocumentFormat {
    /// By the output file's extension (`.docx`, `.pdf`, in any case); a clear refusal otherwise.
    pub fn of_path(path: &std::path::Path) -> Result<DocumentFormat> {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("docx") => Ok(DocumentFormat::Docx),
            Some("pdf") => Ok(DocumentFormat::Pdf),
            _ => Err(Error::invalid(
                "out",
                format!("文书只能保存为 .docx 或 .pdf（{}）", path.display()),
                format!("a document is saved as .docx or .pdf ({})", path.display()),
            )),
        }
    }
}

/// What making a document did.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MadeDocument {
    pub path: std::path::PathBuf,
    pub title: String,
    /// How many people it is about.
    pub people: usize,
    /// A working-day period was counted without that year's official holiday calendar: the date
    /// it gives may be wrong until the calendar is entered.
    pub provisional: bool,
    /// For how many people the step it starts was recorded with it (none unless asked).
    pub recorded: usize,
}

/// A document filled in, before it is saved: what the app previews.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentPreview {
    pub document: Rendered,
    /// How many people it is about.
    pub people: usize,
    /// As [`MadeDocument::provisional`].
    pub provisional: bool,
    /// The committee, which signs what the office makes.
    #[serde(skip)]
    pub committee: String,
}

/// The head of a template file, between its `+++` lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    id: String,
    title: String,
    title_en: String,
    /// One of the five stages, or `any`.
    stage: String,
    batch: bool,
    /// By rule set (`cpc-2014`, `cpc-2026`), the article that requires the document.
    clause: std::collections::BTreeMap<String, String>,
    clause_en: std::collections::BTreeMap<String, String>,
    /// Spoken by one branch (its meeting, its committee): people of several branches are refused.
    #[serde(default)]
    one_branch: bool,
    /// The step issuing the document starts (an [`EventKind`] id).
    #[serde(default)]
    records: Option<String>,
}

/// A template, its head read and its body checked.
#[derive(Debug, Clone)]
pub struct Template {
    head: Head,
    stage: Option<Stage>,
    records: Option<EventKind>,
    /// The body, a minijinja template.
    body: String,
    /// The file's line on which the body starts, so that an error in the body names the file's line.
    body_line: usize,
    /// The whole file as given, for storing an office's own.
    source: String,
}

impl Template {
    /// Reads a template file; `name` says which in errors. The body is not rendered here (see
    /// [`render::check`]).
    pub fn parse(name: &str, source: &str) -> Result<Template> {
        let refuse = |line: usize, zh: String, en: String| {
            Error::invalid(
                "template",
                format!("文书模板 {name} 第 {line} 行：{zh}"),
                format!("document template {name}, line {line}: {en}"),
            )
        };
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let mut lines = source.split_inclusive('\n');
        if lines.next().map(str::trim_end) != Some("+++") {
            return Err(refuse(
                1,
                "应以 +++ 开头（模板信息）".into(),
                "it must begin with a +++ line (the template's head)".into(),
            ));
        }
        let mut head = String::new();
        let mut body_line = None;
        for (i, line) in lines.by_ref().enumerate() {
            if line.trim_end() == "+++" {
                body_line = Some(i + 3);
                break;
            }
            head.push_str(line);
        }
        let Some(body_line) = body_line else {
            return Err(refuse(1, "模板信息没有以 +++ 结束".into(), "the head is not closed by a +++ line".into()));
        };
        let body: String = lines.collect();
        let head: Head = toml::from_str(&head).map_err(|e| {
            let line = e.span().map(|s| head[..s.start].lines().count().max(1) + 1).unwrap_or(2);
            refuse(line, format!("模板信息有误：{}", e.message()), format!("the head is wrong: {}", e.message()))
        })?;
        let stage = match head.stage.as_str() {
            "any" => None,
            other => Some(Stage::parse(other).ok_or_else(|| {
                refuse(
                    2,
                    format!(
                        "未知的阶段「{other}」（applicant、activist、candidate、probationary、full_member 或 any）"
                    ),
                    format!(
                        "unknown stage `{other}` (applicant, activist, candidate, probationary, full_member or any)"
                    ),
                )
            })?),
        };
        for set in [RuleSetId::Cpc2014, RuleSetId::Cpc2026] {
            if !head.clause.contains_key(set.as_str()) || !head.clause_en.contains_key(set.as_str()) {
                return Err(refuse(
                    2,
                    format!("缺少 {} 规则下的依据条款（clause 与 clause_en）", set.as_str()),
                    format!("the clause under {} is missing (clause and clause_en)", set.as_str()),
                ));
            }
        }
        let records = match head.records.as_deref() {
            None => None,
            Some(kind) => Some(EventKind::parse(kind).ok_or_else(|| {
                let line = source.lines().position(|l| l.trim_start().starts_with("records")).map_or(2, |i| i + 1);
                refuse(line, format!("未知的步骤「{kind}」"), format!("unknown step `{kind}`"))
            })?),
        };
        Ok(Template { head, stage, records, body, body_line, source: source.to_owned() })
    }

    pub fn id(&self) -> &str {
        &self.head.id
    }

    pub fn stage(&self) -> Option<Stage> {
        self.stage
    }

    pub fn batch(&self) -> bool {
        self.head.batch
    }

    /// Spoken by one branch: a batch from several branches is refused.
    pub fn one_branch(&self) -> bool {
        self.head.one_branch
    }

    /// The step issuing it starts, if any.
    pub fn records(&self) -> Option<EventKind> {
        self.records
    }

    pub fn title(&self) -> &str {
        &self.head.title
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub(crate) fn body(&self) -> (&str, usize) {
        (&self.body, self.body_line)
    }

    /// As lists show it, under `rules`.
    pub fn info(&self, rules: RuleSetId, custom: bool) -> DocumentInfo {
        let clause =
            |by: &std::collections::BTreeMap<String, String>| by.get(rules.as_str()).cloned().unwrap_or_default();
        DocumentInfo {
            id: self.head.id.clone(),
            title: self.head.title.clone(),
            title_en: self.head.title_en.clone(),
            stage: self.stage,
            batch: self.head.batch,
            clause: clause(&self.head.clause),
            clause_en: clause(&self.head.clause_en),
            custom,
            records: self.records,
        }
    }
}

/// The shipped templates, parsed (they are tested to parse and render).
pub fn shipped() -> Vec<Template> {
    SHIPPED.iter().filter_map(|(name, source)| Template::parse(name, source).ok()).collect()
}

/// The shipped template of `id`.
pub fn shipped_template(id: &str) -> Option<Template> {
    SHIPPED.iter().find(|(name, _)| *name == id).and_then(|(name, source)| Template::parse(name, source).ok())
}

/// The shipped template of `id`, or the refusal naming it.
pub(crate) fn shipped_or_refused(id: &str) -> Result<Template> {
    shipped_template(id).ok_or_else(|| unknown_document(id))
}

/// A document Dangan does not have.
pub(crate) fn unknown_document(id: &str) -> Error {
    Error::NotFound { what: Text::new(format!("文书「{id}」"), format!("document `{id}`")) }
}

/// Checks an office's own template: it parses, replaces a shipped document of the same id, and
/// renders against sample records without an unknown field.
pub fn check_override(source: &str) -> Result<Template> {
    let template = Template::parse("", source)?;
    if shipped_template(template.id()).is_none() {
        let ids: Vec<&str> = SHIPPED.iter().map(|(id, _)| *id).collect();
        return Err(Error::invalid(
            "template",
            format!("没有编号为「{}」的文书（可替换：{}）", template.id(), ids.join("、")),
            format!("there is no document `{}` to replace (these are: {})", template.id(), ids.join(", ")),
        ));
    }
    render::check(&template)?;
    Ok(template)
}

/// The step issuing `template`'s document starts, to be recorded with it; refused for a document
/// that starts none.
pub(crate) fn step_started(template: &Template) -> Result<EventKind> {
    template.records().ok_or_else(|| {
        Error::invalid(
            "record_step",
            format!("{}不对应任何步骤，无从登记", named(template).zh),
            format!("{} starts no step to record", named(template).en),
        )
    })
}

/// Saves a document filled in at `out` (never inside the office's own folder `workspace_dir`), as
/// .docx or PDF by its extension, on either engine. `record` records the step it starts when
/// asked (returning for how many people), after the file is written but before it is put in
/// place: a refused step leaves no document behind.
pub(crate) fn save(
    preview: DocumentPreview,
    out: &std::path::Path,
    workspace_dir: &std::path::Path,
    today: crate::calendar::Date,
    record: impl FnOnce() -> Result<usize>,
) -> Result<MadeDocument> {
    let format = DocumentFormat::of_path(out)?;
    let bytes = write(&preview.document, format, &preview.committee, today)?;
    let mut file = crate::output::OutputFile::create(workspace_dir, out)?;
    std::io::Write::write_all(&mut file, &bytes).map_err(Error::io(out))?;
    let recorded = record()?;
    file.commit()?;
    Ok(MadeDocument {
        path: out.to_owned(),
        title: preview.document.title,
        people: preview.people,
        provisional: preview.provisional,
        recorded,
    })
}

/// Writes a rendered document in `format`.
pub fn write(
    rendered: &Rendered,
    format: DocumentFormat,
    author: &str,
    today: crate::calendar::Date,
) -> Result<Vec<u8>> {
    match format {
        DocumentFormat::Docx => docx::write(rendered),
        DocumentFormat::Pdf => pdf::write(rendered, author, today),
    }
}

/// A document's title in a message.
pub(crate) fn named(template: &Template) -> Text {
    Text::new(format!("「{}」", template.head.title), format!("“{}”", template.head.title_en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_parses_renders_and_cites_its_article_under_both_rule_sets() {
        assert_eq!(shipped().len(), SHIPPED.len(), "each shipped template parses");
        for (name, source) in SHIPPED {
            let template = Template::parse(name, source).unwrap();
            assert_eq!(template.id(), *name, "the file's id is its name");
            render::check(&template).unwrap_or_else(|e| panic!("{name}: {e}"));
            for set in [RuleSetId::Cpc2014, RuleSetId::Cpc2026] {
                assert!(template.info(set, false).clause.contains('条'), "{name} under {set:?}");
            }
        }
    }

    #[test]
    fn a_head_that_is_not_closed_or_names_an_unknown_stage_is_refused_by_line() {
        let message = |source: &str| Template::parse("mine.jinja", source).unwrap_err().message(crate::Lang::En);
        assert!(message("no head").contains("line 1"), "{}", message("no head"));
        assert!(message("+++\nid = \"x\"\n").contains("not closed"));
        let unknown_stage = "+++\nid = \"x\"\ntitle = \"t\"\ntitle_en = \"t\"\nstage = \"member\"\nbatch = false\n\
                             clause = {}\nclause_en = {}\n+++\nbody\n";
        assert!(message(unknown_stage).contains("unknown stage `member`"), "{}", message(unknown_stage));
        let bad_toml = "+++\nid = \"x\"\ntitle = \n+++\n";
        assert!(message(bad_toml).contains("line 3"), "{}", message(bad_toml));
    }

    #[test]
    fn an_office_template_must_replace_a_shipped_document() {
        let source = SHIPPED[0].1.replace(SHIPPED[0].0, "my_own_notice");
        let err = check_override(&source).unwrap_err();
        assert!(err.message(crate::Lang::En).contains("no document `my_own_notice`"), "{err}");
    }
}
