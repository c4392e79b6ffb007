//! Writing rosters: the blank template, the export of a member list, and roster files of
//! generated people (for the demo and the benchmarks). All use the columns of `columns.rs`, so
//! whatever Dangan writes, it reads back.

use std::ops::ControlFlow;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::RosterRecord;
use super::columns::{COLUMNS, Column, Field};
use chrono::Datelike;

use crate::calendar::Date;
use crate::domain::{EventKind, Person, ProcedureEvent, Stage};
use crate::output::OutputFile;
use crate::store::{MemberQuery, Store};
use crate::{Error, Result, Text};

/// One row to write: a person, their branch's path and their events.
pub struct RowOut<'a> {
    pub person: &'a Person,
    pub branch: &'a str,
    pub events: &'a [ProcedureEvent],
}

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| match e {
        XlsxError::IoError(source) => Error::Io { path: path.to_owned(), source },
        other => Error::Io { path: path.to_owned(), source: std::io::Error::other(other.to_string()) },
    }
}

struct Formats {
    header: Format,
    date: Format,
    text: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new().set_bold().set_align(FormatAlign::Center).set_background_color("#EDEDED"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        text: Format::new().set_num_format("@"),
    }
}

fn write_header(sheet: &mut Worksheet, f: &Formats) -> std::result::Result<(), XlsxError> {
    for (i, column) in COLUMNS.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, column.zh, &f.header)?;
        let width = if column.is_date() {
            14.0
        } else if column.is_text_only() {
            20.0
        } else {
            12.0
        };
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// Writes a blank roster: the header row, text-formatted identity and phone columns, date-formatted
/// date columns, and a second sheet explaining each column. `path` must be outside the workspace
/// folder `workspace_dir` (see [`crate::output`]).
pub fn write_template(workspace_dir: &Path, path: &Path) -> Result<()> {
    let out = OutputFile::create(workspace_dir, path)?;
    let err = xlsx_error(path);
    let f = formats();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("名册").map_err(&err)?;
    write_header(sheet, &f).map_err(&err)?;
    for (i, column) in COLUMNS.iter().enumerate() {
        if column.is_text_only() {
            sheet.set_column_format(i as u16, &f.text).map_err(&err)?;
        } else if column.is_date() {
            sheet.set_column_format(i as u16, &f.date).map_err(&err)?;
        }
    }
    let notes = workbook.add_worksheet().set_name("填写说明").map_err(&err)?;
    for (c, title) in ["列名", "英文列名", "说明"].iter().enumerate() {
        notes.write_string_with_format(0, c as u16, *title, &f.header).map_err(&err)?;
    }
    for (i, column) in COLUMNS.iter().enumerate() {
        let row = i as u32 + 1;
        notes.write_string(row, 0, column.zh).map_err(&err)?;
        notes.write_string(row, 1, column.key).map_err(&err)?;
        notes.write_string(row, 2, column.hint_zh).map_err(&err)?;
    }
    let footer = COLUMNS.len() as u32 + 2;
    notes
        .write_string(footer, 0, "日期可写作 2026-11-24、2026/11/24、2026.11.24 或 2026年11月24日；表头必须在第 1 行；整份名册有一行出错则全部不导入，并逐行列出错误。")
        .map_err(&err)?;
    notes.set_column_width(0, 20).map_err(&err)?;
    notes.set_column_width(1, 26).map_err(&err)?;
    notes.set_column_width(2, 60).map_err(&err)?;
    workbook.save(out.temp_path()).map_err(&err)?;
    out.commit()
}

/// A `.xlsx` roster being written row by row. Rows are streamed to disk (rust_xlsxwriter's
/// constant-memory mode), so memory stays flat however many there are. The file appears at its
/// path only when [`XlsxRosterWriter::finish`] succeeds.
pub struct XlsxRosterWriter {
    out: OutputFile,
    workbook: Workbook,
    formats: Formats,
    rows: u32,
}

impl XlsxRosterWriter {
    pub fn create(out: OutputFile) -> Result<XlsxRosterWriter> {
        let path = out.target().to_owned();
        let formats = formats();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory().map_err(xlsx_error(&path))?;
        let sheet = sheet.set_name("名册").map_err(xlsx_error(&path))?;
        write_header(sheet, &formats).map_err(xlsx_error(&path))?;
        Ok(XlsxRosterWriter { out, workbook, formats, rows: 0 })
    }

    pub fn write_row(&mut self, row: &RowOut<'_>) -> Result<()> {
        let err = xlsx_error(self.out.target());
        self.rows += 1;
        let r = self.rows;
        let f = &self.formats;
        let sheet = self.workbook.worksheet_from_index(0).map_err(&err)?;
        for (c, column) in COLUMNS.iter().enumerate() {
            let c = c as u16;
            match cell_value(column, row) {
                CellOut::Empty => {}
                CellOut::Date(d) => {
                    let (y, m, dd) = (d.year(), d.month(), d.day());
                    let dt = ExcelDateTime::from_ymd(y as u16, m as u8, dd as u8).map_err(&err)?;
                    sheet.write_datetime_with_format(r, c, &dt, &f.date).map_err(&err)?;
                }
                CellOut::Text(s) if column.is_text_only() => {
                    sheet.write_string_with_format(r, c, s, &f.text).map_err(&err)?;
                }
                CellOut::Text(s) => {
                    sheet.write_string(r, c, s).map_err(&err)?;
                }
                CellOut::Number(n) => {
                    sheet.write_number(r, c, n).map_err(&err)?;
                }
            }
        }
        Ok(())
    }

    /// Saves the file; returns how many rows it holds.
    pub fn finish(mut self) -> Result<u64> {
        self.workbook.save(self.out.temp_path()).map_err(xlsx_error(self.out.target()))?;
        self.out.commit()?;
        Ok(u64::from(self.rows))
    }
}

/// A UTF-8 `.csv` roster with a byte-order mark (so Excel opens it as UTF-8), written row by row.
/// Cells that a spreadsheet would run as a formula are neutralised ([`crate::output::csv_cell`]);
/// the roster reader takes the mark off again, so the file re-imports as it was.
pub struct CsvRosterWriter {
    path: std::path::PathBuf,
    writer: csv::Writer<std::io::BufWriter<OutputFile>>,
    record: Vec<String>,
    rows: u64,
}

impl CsvRosterWriter {
    pub fn create(mut out: OutputFile) -> Result<CsvRosterWriter> {
        let path = out.target().to_owned();
        std::io::Write::write_all(&mut out, b"\xEF\xBB\xBF").map_err(Error::io(&path))?;
        let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(out));
        writer.write_record(COLUMNS.iter().map(|c| c.zh)).map_err(csv_error(&path))?;
        Ok(CsvRosterWriter { path, writer, record: Vec::with_capacity(COLUMNS.len()), rows: 0 })
    }

    pub fn write_row(&mut self, row: &RowOut<'_>) -> Result<()> {
        self.record.clear();
        self.record.extend(COLUMNS.iter().map(|column| match cell_value(column, row) {
            CellOut::Empty => String::new(),
            CellOut::Date(d) => d.to_string(),
            CellOut::Text(s) => crate::output::csv_cell(s).into_owned(),
            CellOut::Number(n) => n.to_string(),
        }));
        self.writer.write_record(&self.record).map_err(csv_error(&self.path))?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<u64> {
        let buffered =
            self.writer.into_inner().map_err(|e| Error::Io { path: self.path.clone(), source: e.into_error() })?;
        let out = buffered.into_inner().map_err(|e| Error::Io { path: self.path.clone(), source: e.into_error() })?;
        out.commit()?;
        Ok(self.rows)
    }
}

fn csv_error(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::Io { path: path.to_owned(), source: std::io::Error::other(e.to_string()) }
}

enum CellOut<'a> {
    Empty,
    Text(&'a str),
    Date(Date),
    Number(f64),
}

fn cell_value<'a>(column: &Column, row: &RowOut<'a>) -> CellOut<'a> {
    let p = row.person;
    let text = |v: &'a Option<String>| v.as_deref().map_or(CellOut::Empty, CellOut::Text);
    // A repeated step's column holds the latest one.
    let event = |kind: EventKind| row.events.iter().filter(|e| e.kind == kind).max_by_key(|e| e.date);
    match column.field {
        Field::Name => CellOut::Text(&p.name),
        Field::Gender => p
            .gender
            .map_or(CellOut::Empty, |g| CellOut::Text(if g == crate::domain::Gender::Male { "男" } else { "女" })),
        Field::Ethnicity => text(&p.ethnicity),
        Field::BirthDate => p.birth_date.map_or(CellOut::Empty, CellOut::Date),
        Field::IdNumber => text(&p.id_number),
        Field::StudentNo => text(&p.student_no),
        Field::Category => p.category.map_or(CellOut::Empty, |c| {
            CellOut::Text(match c {
                crate::domain::Category::Student => "学生",
                crate::domain::Category::Teacher => "教师",
                crate::domain::Category::Staff => "职工",
            })
        }),
        Field::Department => text(&p.department),
        Field::ClassName => text(&p.class_name),
        Field::Phone => text(&p.phone),
        Field::NativePlace => text(&p.native_place),
        Field::Branch => CellOut::Text(row.branch),
        Field::Event(kind) => event(kind).map_or(CellOut::Empty, |e| CellOut::Date(e.date)),
        Field::ExtensionMonths => event(EventKind::ProbationExtended)
            .and_then(|e| e.months)
            .map_or(CellOut::Empty, |m| CellOut::Number(f64::from(m))),
        Field::Notes => text(&p.notes),
        Field::Education => p.education.map_or(CellOut::Empty, |e| CellOut::Text(e.zh())),
        Field::ClassYear => p.class_year.map_or(CellOut::Empty, |y| CellOut::Number(f64::from(y))),
        Field::StudentLevel => p.student_level.map_or(CellOut::Empty, |l| CellOut::Text(l.zh())),
        Field::Occupation => p.occupation.map_or(CellOut::Empty, |o| CellOut::Text(o.zh())),
        Field::JoinedOn => p.joined_on.map_or(CellOut::Empty, CellOut::Date),
        Field::Stage => CellOut::Text(stage_label(Stage::of_person(p, row.events))),
    }
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Applicant => "入党申请人",
        Stage::Activist => "入党积极分子",
        Stage::Candidate => "发展对象",
        Stage::Probationary => "预备党员",
        Stage::FullMember => "正式党员",
    }
}

/// Exports the members a query lists to a `.xlsx` roster. Returns how many were written.
pub fn export_xlsx(store: &Store, query: &MemberQuery, path: &Path) -> Result<u64> {
    export_xlsx_with_progress(store, query, path, |_| ControlFlow::Continue(()))
}

/// Rows between two progress reports: often enough for a smooth bar, rare enough to cost nothing.
const EXPORT_PROGRESS_EVERY: u64 = 500;

/// [`export_xlsx`], reporting progress; `ControlFlow::Break` from `progress` cancels it
/// ([`Error::Cancelled`]) and no file is written (the workbook is saved only at the end, so a
/// file already at `path` stays as it was).
/// Where an exported roster may go: outside the workspace folder (checked first: that refusal
/// matters more than the file name's ending), as a workbook.
pub(crate) fn check_export_path(workspace_dir: &Path, path: &Path) -> Result<()> {
    crate::output::ensure_outside(workspace_dir, path)?;
    if path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some("xlsx") {
        return Err(Error::InvalidInput {
            field: "path".into(),
            reason: Text::new("导出文件名应以 .xlsx 结尾", "the export file name must end in .xlsx"),
        });
    }
    Ok(())
}

pub fn export_xlsx_with_progress(
    store: &Store,
    query: &MemberQuery,
    path: &Path,
    mut progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()>,
) -> Result<u64> {
    check_export_path(store.workspace_dir(), path)?;
    // Everyone the query selects, page by page: an export kept as a roster backup must not lose
    // anyone, however many there are.
    let total = store.list_members(&MemberQuery { offset: 0, limit: 0, ..query.clone() })?.total;
    if progress(crate::jobs::Progress::new(0, total, crate::jobs::Unit::Rows)).is_break() {
        return Err(Error::Cancelled);
    }
    let mut out = XlsxRosterWriter::create(OutputFile::create(store.workspace_dir(), path)?)?;
    // The organisation tree is read once for the whole export, not once per member.
    let tree = store.org_tree()?;
    let mut written = 0u64;
    let mut cancelled = false;
    store.for_each_member_page(query, |page| {
        for member in page {
            let (person, events) = store.record(member.id)?;
            out.write_row(&RowOut { person: &person, branch: &tree.path(person.branch_id), events: &events })?;
            written += 1;
            if (written.is_multiple_of(EXPORT_PROGRESS_EVERY) || written == total)
                && progress(crate::jobs::Progress::new(written, total, crate::jobs::Unit::Rows)).is_break()
            {
                cancelled = true;
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if cancelled {
        return Err(Error::Cancelled);
    }
    out.finish()
}

/// Writes roster records (generated people) to a `.xlsx` file.
pub fn write_records_xlsx(workspace_dir: &Path, path: &Path, records: &[RosterRecord]) -> Result<u64> {
    let mut out = XlsxRosterWriter::create(OutputFile::create(workspace_dir, path)?)?;
    for r in records {
        out.write_row(&RowOut { person: &r.person, branch: &r.branch, events: &r.events })?;
    }
    out.finish()
}

/// Writes roster records (generated people) to a `.csv` file.
pub fn write_records_csv(workspace_dir: &Path, path: &Path, records: &[RosterRecord]) -> Result<u64> {
    let mut out = CsvRosterWriter::create(OutputFile::create(workspace_dir, path)?)?;
    for r in records {
        out.write_row(&RowOut { person: &r.person, branch: &r.branch, events: &r.events })?;
    }
    out.finish()
}
