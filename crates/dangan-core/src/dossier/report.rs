//! A printed report through the dossier machinery (its fonts, layout and PDF writer): a title,
//! what it covers, then tables, paragraphs and pictures in order. The annual statistics report,
//! the statistics and a chart print this way, as A4 in the official-document style.

use super::layout::{self, Align, Block, Cell, Column};
use super::{DossierFonts, attach, fonts, pdf};
use crate::domain::MediaType;
use crate::statistics::Table;
use crate::{Error, Result, Text};

/// One part of a report, in the order printed.
pub enum Section<'a> {
    /// A statistics table: its title as a heading, the table, its note beneath.
    Table(&'a Table),
    /// A heading and lines of text under it.
    Lines { heading: String, lines: Vec<String> },
    /// A PNG picture (a chart) with its caption.
    Png { bytes: &'a [u8], caption: String },
    /// A table of text: each column's header and width in millimetres, then the rows (a sign-in
    /// sheet's names and blank cells to sign in).
    TextTable { heading: Option<String>, columns: Vec<(String, f32)>, rows: Vec<Vec<String>> },
    /// A heading and paragraphs of text under it (minutes, decisions), each line a paragraph.
    Text { heading: String, text: String },
    /// A heading and lines in the smaller size (a letter's counterfoil and receipt).
    SmallLines { heading: Option<String>, lines: Vec<String> },
    /// Body paragraphs without a heading (a certificate's wording).
    Paragraphs(Vec<String>),
    /// Lines without indent or heading (a notice's addressee).
    PlainLines(Vec<String>),
    /// Lines against the right margin (a notice's issuing body and date).
    RightLines(Vec<String>),
    /// A new page, under its own title (the next certificate of a batch).
    NewPage { title: String },
}

/// What the report says about itself.
pub struct ReportInfo<'a> {
    pub title: &'a str,
    /// Lines under the title: the unit, the period.
    pub subtitle: Vec<String>,
    /// The committee, as the PDF's author.
    pub author: &'a str,
    pub generated_on: crate::calendar::Date,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The usable width of an A4 page in the dossier's margins, in millimetres.
const TEXT_WIDTH_MM: f32 = 156.0;

fn table_blocks(table: &Table, out: &mut Vec<Block>) {
    out.push(Block::Heading { text: table.title.zh.clone(), anchor: None });
    let values = table.columns.len().max(1) as f32;
    let label_mm = (TEXT_WIDTH_MM * 0.3).max(TEXT_WIDTH_MM - values * 22.0).min(60.0);
    let value_mm = (TEXT_WIDTH_MM - label_mm) / values;
    let mut columns = vec![Column { header: "项目".into(), width_mm: label_mm, align: Align::Left }];
    columns.extend(table.columns.iter().map(|c| Column {
        header: c.label.zh.clone(),
        width_mm: value_mm,
        align: Align::Center,
    }));
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![Cell::Text(row.label.zh.clone())];
            cells.extend(row.values.iter().zip(&table.columns).map(|(value, column)| {
                Cell::Text(match (value, &column.share_of) {
                    (None, _) => "—".into(),
                    (Some(v), Some(_)) => format!("{}.{:02}%", v / 100, v % 100),
                    (Some(v), None) => v.to_string(),
                })
            }));
            cells
        })
        .collect();
    out.push(Block::Table { columns, header: true, rows });
    out.push(Block::Plain(format!("说明：{}", table.note.zh)));
    out.push(Block::Spacer(8.0));
}

/// Renders the report as a PDF.
pub fn render_report(info: &ReportInfo<'_>, sections: &[Section<'_>]) -> Result<Vec<u8>> {
    let mut doc = printpdf::PdfDocument::new(info.title);
    let mut prepared = Vec::new();
    let mut blocks = vec![Block::Title(info.title.to_owned())];
    for line in &info.subtitle {
        blocks.push(Block::Plain(line.clone()));
    }
    blocks.push(Block::Spacer(10.0));
    for section in sections {
        match section {
            Section::Table(table) => table_blocks(table, &mut blocks),
            Section::Lines { heading, lines } => {
                blocks.push(Block::Heading { text: heading.clone(), anchor: None });
                blocks.extend(lines.iter().map(|l| Block::Plain(l.clone())));
            }
            Section::SmallLines { heading, lines } => {
                if let Some(heading) = heading {
                    blocks.push(Block::Heading { text: heading.clone(), anchor: None });
                }
                blocks.extend(lines.iter().map(|l| Block::Small(l.clone())));
            }
            Section::TextTable { heading, columns, rows } => {
                if let Some(heading) = heading {
                    blocks.push(Block::Heading { text: heading.clone(), anchor: None });
                }
                let columns = columns
                    .iter()
                    .map(|(header, width_mm)| Column {
                        header: header.clone(),
                        width_mm: *width_mm,
                        align: Align::Center,
                    })
                    .collect();
                let rows = rows.iter().map(|row| row.iter().map(|cell| Cell::Text(cell.clone())).collect()).collect();
                blocks.push(Block::Table { columns, header: true, rows });
            }
            Section::Text { heading, text } => {
                blocks.push(Block::Heading { text: heading.clone(), anchor: None });
                let mut any = false;
                for paragraph in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    blocks.push(Block::Para(paragraph.to_owned()));
                    any = true;
                }
                if !any {
                    blocks.push(Block::Plain("（无）".into()));
                }
            }
            Section::Paragraphs(paragraphs) => {
                blocks.extend(paragraphs.iter().map(|p| Block::Para(p.clone())));
            }
            Section::PlainLines(lines) => blocks.extend(lines.iter().map(|l| Block::Plain(l.clone()))),
            Section::RightLines(lines) => blocks.extend(lines.iter().map(|l| Block::Right(l.clone()))),
            Section::NewPage { title } => {
                blocks.push(Block::PageBreak);
                blocks.push(Block::Title(title.clone()));
                blocks.push(Block::Spacer(10.0));
            }
            Section::Png { bytes, caption } => {
                let ready = attach::prepare(MediaType::Png, bytes, &mut doc);
                let Some((width_px, height_px)) = ready.upright_size() else {
                    return Err(Error::invalid("image", "图表图片无法读取", "the chart's picture cannot be read"));
                };
                blocks.push(Block::Image { key: prepared.len(), width_px, height_px, caption: caption.clone() });
                prepared.push(ready);
            }
        }
    }
    let fonts = DossierFonts::bundled();
    let mut shaper = fonts::Shaper::new(&fonts);
    let laid = layout::lay_out(&blocks, 0, &mut shaper);
    let generated_on = crate::calendar::format_zh(info.generated_on);
    let pdf_info = pdf::Info { title: info.title, author: info.author, created: info.created_at, generated_on };
    let finished = pdf::write(doc, laid, prepared, &mut shaper, &pdf_info).map_err(|e| Error::Corrupt {
        path: "report.pdf".into(),
        reason: Text::new(format!("生成的 PDF 结构有误：{e}"), format!("the PDF came out malformed: {e}")),
    })?;
    Ok(finished.pdf)
}
