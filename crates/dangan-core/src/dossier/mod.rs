//! The printable dossier (档案): a member's whole file as one A4 PDF, and batches of them.
//!
//! A dossier holds a cover, the 材料目录 (each material, its date, the page it starts on, or 缺),
//! 基本情况, 发展过程 with the next deadlines and their clauses, then every record with its text
//! and attachments: images on the page, PDF attachments' own pages right after their record.
//! The layout follows GB/T 9704-2012 (see `layout.rs`); it prints in black and white.
//!
//! How: [`DossierData::read`] takes everything from the store (sequentially: a `Store` is not
//! `Sync`); [`render`] is pure, so a batch renders on all cores ([`write_batch`]). Our own code
//! breaks lines (with the rules of Chinese typesetting, `linebreak.rs`) and paginates; printpdf
//! 0.12 is used as a low-level writer of positioned glyph runs and subsets the fonts; lopdf merges
//! attached PDFs and sets the metadata.
//!
//! What the files achieve (checked by `tests/dossier.rs` with poppler and qpdf):
//! - Both bundled fonts (Noto Serif/Sans CJK SC, SIL OFL) are embedded as subsets of the glyphs
//!   used, as CID-keyed CFF with `/ToUnicode`: a three-page text dossier is about 80 KB, and
//!   `pdftotext` gives the Chinese back exactly, rare name characters (䶮, 𠀾) included.
//! - A character neither font has is printed as 〓, carries the real character as
//!   `/ActualText` (extraction still finds it) and is reported in
//!   [`RenderedDossier::missing_chars`]. No fallback font is bundled.
//! - Title, author (the committee) and creation date are in the document information; printpdf's
//!   empty `/GTS_PDFXVersion` is removed. The header says PDF 1.7.
//! - Not PDF/A: there is no XMP metadata, no output intent, and attached PDFs are merged as they
//!   are. A lopdf fix-up (XMP with `pdfaid` 2B, an sRGB output intent) was prototyped but could not
//!   be validated offline (no veraPDF), so nothing claims conformance.

pub mod appraisal;
mod attach;
pub mod complaint;
mod content;
mod fonts;
mod layout;
pub mod letter;
mod linebreak;
pub mod meeting;
mod pdf;
mod recovery;
pub mod report;
pub mod training;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

pub use fonts::DossierFonts;
pub use recovery::{RecoverySheet, render_recovery_sheet, write_recovery_sheet};

use crate::calendar::{Date, format_zh};
use crate::checklist::ChecklistLine;
use crate::domain::{FileRecord, Id};
use crate::store::MemberDetail;
use crate::{Error, Result, Store, Text};

/// When and for whom a dossier is made.
#[derive(Debug, Clone, Copy)]
pub struct DossierOptions {
    /// The day printed on the cover and in the footer (制作日期, 生成日期).
    pub generated_on: Date,
    /// The PDF's creation date.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Everything one dossier prints, read from the store (sequential: Store is not Sync).
#[derive(Debug, Clone)]
pub struct DossierData {
    member_id: Id,
    committee: String,
    detail: MemberDetail,
    records: Vec<FileRecord>,
    checklist: Vec<ChecklistLine>,
    /// Attachment bytes by attachment id.
    attachments: HashMap<Id, Vec<u8>>,
}

impl DossierData {
    /// Reads a member, their records with every attachment's bytes, and the checklist.
    pub fn read(store: &Store, member_id: Id) -> Result<DossierData> {
        let detail = store.member(member_id)?;
        let file = store.member_file(member_id)?;
        let committee = store.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        DossierData::gathered(member_id, committee, detail, file, |id| Ok(store.attachment(id)?.1))
    }

    /// A dossier's data from either engine: the member's page and file, the committee whose
    /// file it is, and each attachment's bytes as `bytes` reads them.
    pub(crate) fn gathered(
        member_id: Id,
        committee: String,
        detail: MemberDetail,
        file: crate::store::MemberFile,
        mut bytes: impl FnMut(Id) -> Result<Vec<u8>>,
    ) -> Result<DossierData> {
        let crate::store::MemberFile { records, checklist } = file;
        let mut attachments = HashMap::new();
        for info in records.iter().flat_map(|r| &r.attachments) {
            attachments.insert(info.id, bytes(info.id)?);
        }
        Ok(DossierData { member_id, committee, detail, records, checklist, attachments })
    }

    pub fn member_id(&self) -> Id {
        self.member_id
    }

    pub fn name(&self) -> &str {
        &self.detail.person.name
    }
}

/// A finished dossier.
#[derive(Debug, Clone)]
pub struct RenderedDossier {
    pub pdf: Vec<u8>,
    /// Pages in all, appended attachment pages included.
    pub pages: u32,
    /// Characters neither bundled font has, each printed as 〓 (in the order of code points).
    pub missing_chars: Vec<char>,
}

/// Renders a dossier. Pure: no store, so a batch renders on all cores.
///
/// Every dossier page carries `第 N 页 共 M 页` and the generation date in its footer. Pages
/// appended from PDF attachments carry no footer (they are printed as they are), but they are
/// counted: N and M number the printed sheets, attachments included.
///
/// An attachment that cannot be read (a PDF lopdf cannot parse or that is encrypted, an image
/// that does not decode) does not fail the dossier: a line saying so, 「附件「name」无法读取，未能
/// 附入」, stands in its place.
pub fn render(data: &DossierData, fonts: &DossierFonts, options: &DossierOptions) -> Result<RenderedDossier> {
    // printpdf and lopdf panic on some inputs they do not expect (an odd image, a strange PDF
    // attachment): that member's dossier fails with a message, the app and a batch go on.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_inner(data, fonts, options))).unwrap_or_else(|_| {
        Err(Error::Corrupt {
            path: PathBuf::from(file_name(data)),
            reason: Text::new(
                "生成档案时出错（可能是某个附件格式异常），请检查该成员的附件",
                "making the dossier failed (perhaps an attachment is malformed); check this member's attachments",
            ),
        })
    })
}

fn render_inner(data: &DossierData, fonts: &DossierFonts, options: &DossierOptions) -> Result<RenderedDossier> {
    let title = format!("发展党员档案：{}", data.name());
    let mut doc = printpdf::PdfDocument::new(&title);
    let mut prepared = Vec::new();
    let mut keys = HashMap::new();
    for info in data.records.iter().flat_map(|r| &r.attachments) {
        let ready = match data.attachments.get(&info.id) {
            Some(bytes) => attach::prepare(info.media_type, bytes, &mut doc),
            None => attach::Prepared::Unreadable,
        };
        keys.insert(info.id, prepared.len());
        prepared.push(ready);
    }
    let generated_on = format_zh(options.generated_on);
    let (blocks, anchors) = content::blocks(data, &generated_on, &keys, &prepared);
    let mut shaper = fonts::Shaper::new(fonts);
    let laid = layout::lay_out(&blocks, anchors, &mut shaper);
    let info = pdf::Info { title: &title, author: &data.committee, created: options.created_at, generated_on };
    let finished = pdf::write(doc, laid, prepared, &mut shaper, &info).map_err(|e| Error::Corrupt {
        path: PathBuf::from(file_name(data)),
        reason: Text::new(format!("生成的 PDF 结构有误：{e}"), format!("the PDF came out malformed: {e}")),
    })?;
    Ok(RenderedDossier {
        pdf: finished.pdf,
        pages: finished.pages,
        missing_chars: shaper.missing.into_iter().collect(),
    })
}

/// The file name for a member's dossier, `.pdf` included: `张三-2026001.pdf` (the name and the
/// student number, or the member id zero-padded when there is none). Characters that are not
/// allowed in file names on Windows, macOS or Linux (path separators among them) become `_`.
pub fn file_name(data: &DossierData) -> String {
    let raw = format!("{}-{}", data.name().trim(), content::file_number(data));
    let clean: String =
        raw.chars().map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { '_' } else { c }).collect();
    let clean = clean.trim_matches(|c: char| c == '.' || c.is_whitespace());
    format!("{clean}.pdf")
}

/// One dossier written, as the app reports it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DossierWritten {
    pub path: String,
    pub pages: u32,
    /// Characters printed as 〓 (see [`RenderedDossier::missing_chars`]).
    pub missing_chars: Vec<String>,
}

/// A batch written, as the app reports it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DossiersWritten {
    pub dir: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub written: u64,
    /// Characters printed as 〓 in any of them, each once.
    pub missing_chars: Vec<String>,
}

/// Renders one member's dossier with the bundled fonts and writes it to `path` (outside the
/// workspace folder, whole or not at all: see [`crate::output`]).
pub fn write_one(store: &Store, member_id: Id, path: &Path, options: &DossierOptions) -> Result<DossierWritten> {
    write_one_of(store.workspace_dir(), || DossierData::read(store, member_id), path, options)
}

/// [`write_one`] of a dossier's data as `read` gathers it (a workspace's or a server's), never
/// into `workspace_dir`, the office's own folder.
pub(crate) fn write_one_of(
    workspace_dir: &Path,
    read: impl FnOnce() -> Result<DossierData>,
    path: &Path,
    options: &DossierOptions,
) -> Result<DossierWritten> {
    crate::output::ensure_outside(workspace_dir, path)?;
    let data = read()?;
    let rendered = render(&data, &DossierFonts::bundled(), options)?;
    crate::output::write(workspace_dir, path, &rendered.pdf)?;
    Ok(DossierWritten {
        path: path.display().to_string(),
        pages: rendered.pages,
        missing_chars: rendered.missing_chars.iter().map(char::to_string).collect(),
    })
}

/// [`write_batch`] for the members a query lists (all of them, whatever its offset and limit).
pub fn write_listed(
    store: &Store,
    query: &crate::store::MemberQuery,
    dir: &Path,
    options: &DossierOptions,
    progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()>,
) -> Result<DossiersWritten> {
    let ids = store.member_ids(query)?;
    let report = write_batch(store, &ids, dir, options, progress)?;
    Ok(batch_written(dir, &report))
}

/// What a batch wrote, as the shells report it.
pub(crate) fn batch_written(dir: &Path, report: &BatchReport) -> DossiersWritten {
    let missing: BTreeSet<char> = report.missing_chars.iter().map(|(_, c)| *c).collect();
    DossiersWritten {
        dir: dir.display().to_string(),
        written: report.written.len() as u64,
        missing_chars: missing.iter().map(char::to_string).collect(),
    }
}

/// What a batch wrote.
#[derive(Debug, Clone, Default)]
pub struct BatchReport {
    /// The files, in the order of the member ids given.
    pub written: Vec<PathBuf>,
    /// Characters printed as 〓, by member.
    pub missing_chars: Vec<(Id, char)>,
}

/// Writes one dossier per member into `dir` (created if needed), as `dir/`[`file_name`]; when
/// two members of the batch would share a file name, the later one's member id is added to it.
///
/// Reads each member's data in turn on the calling thread (the store is not `Sync`) and renders
/// on all cores (`std::thread::available_parallelism`); a bounded queue keeps memory flat however
/// many members there are. `progress` is called after each file is written; when it returns
/// `Break`, the batch stops and returns [`Error::Cancelled`]. Files already written stay.
/// The first error (a member that cannot be read, a file that cannot be written) stops the batch
/// the same way. `dir` must be outside the workspace folder; each file appears whole or not at all.
pub fn write_batch(
    store: &Store,
    member_ids: &[Id],
    dir: &Path,
    options: &DossierOptions,
    progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()>,
) -> Result<BatchReport> {
    write_batch_of(store.workspace_dir(), |id| DossierData::read(store, id), member_ids, dir, options, progress)
}

/// [`write_batch`] of the dossiers' data as `read` gathers each in turn (a workspace's or a
/// server's), never into `workspace_dir`, the office's own folder.
pub(crate) fn write_batch_of(
    workspace_dir: &Path,
    mut read: impl FnMut(Id) -> Result<DossierData>,
    member_ids: &[Id],
    dir: &Path,
    options: &DossierOptions,
    mut progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()>,
) -> Result<BatchReport> {
    crate::output::ensure_outside(workspace_dir, dir)?;
    std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let fonts = DossierFonts::bundled();
    let workers = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, member_ids.len().max(1));
    let total = member_ids.len() as u64;
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, DossierData, String)>(workers * 2);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Result<(PathBuf, Id, Vec<char>)>)>();
    let mut written: Vec<Option<(PathBuf, Id, Vec<char>)>> = vec![None; member_ids.len()];

    let outcome = std::thread::scope(|scope| {
        for _ in 0..workers {
            let (job_rx, done_tx, fonts, stop) = (&job_rx, done_tx.clone(), &fonts, &stop);
            scope.spawn(move || {
                loop {
                    // Take the next job; the lock is held only while waiting for one.
                    let job = job_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok((index, data, name)) = job else { break };
                    if stop.load(Ordering::Relaxed) {
                        continue; // drain without working
                    }
                    let result = render(&data, fonts, options).and_then(|dossier| {
                        let path = dir.join(name);
                        crate::output::write(workspace_dir, &path, &dossier.pdf)?;
                        Ok((path, data.member_id, dossier.missing_chars))
                    });
                    if done_tx.send((index, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);

        let mut done = 0u64;
        let mut names = HashSet::new();
        let mut failure: Option<Error> = None;
        let mut handle = |(index, result): (usize, Result<(PathBuf, Id, Vec<char>)>),
                          failure: &mut Option<Error>,
                          done: &mut u64| {
            if failure.is_some() {
                return;
            }
            match result {
                Ok(file) => {
                    written[index] = Some(file);
                    *done += 1;
                    if progress(crate::jobs::Progress::new(*done, total, crate::jobs::Unit::Dossiers)).is_break() {
                        *failure = Some(Error::Cancelled);
                    }
                }
                Err(e) => *failure = Some(e),
            }
        };
        for (index, &id) in member_ids.iter().enumerate() {
            while let Ok(finished) = done_rx.try_recv() {
                handle(finished, &mut failure, &mut done);
            }
            if failure.is_some() {
                break;
            }
            match read(id) {
                Ok(data) => {
                    let mut name = file_name(&data);
                    if !names.insert(name.clone()) {
                        name = format!("{}-{}.pdf", name.trim_end_matches(".pdf"), data.member_id);
                        names.insert(name.clone());
                    }
                    if job_tx.send((index, data, name)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if failure.is_some() {
            stop.store(true, Ordering::Relaxed);
        }
        drop(job_tx);
        for finished in done_rx.iter() {
            handle(finished, &mut failure, &mut done);
            if failure.is_some() {
                stop.store(true, Ordering::Relaxed);
            }
        }
        failure
    });
    if let Some(error) = outcome {
        return Err(error);
    }
    let mut report = BatchReport::default();
    for (path, id, missing) in written.into_iter().flatten() {
        report.written.push(path);
        let missing: BTreeSet<char> = missing.into_iter().collect();
        report.missing_chars.extend(missing.into_iter().map(|c| (id, c)));
    }
    Ok(report)
}
