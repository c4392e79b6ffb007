//! A document as .docx (docx-rs), in the official-document style of GB/T 9704: A4 with its
//! margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), the title in 小标宋 二号, the body
//! in 仿宋 三号 on a fixed 28-point line with a two-character indent, the issuing body and date
//! four characters from the right, and the page number as “— 1 —” in the footer. The people are a
//! real table, so an office edits them as one.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType, Table, TableAlignmentType, TableCell, TableRow, WidthType,
};

use super::markup::{self, Block, Rendered};
use crate::{Error, Result, Text};

/// Twips in a millimetre (1,440 a inch).
fn mm(millimetres: f32) -> i32 {
    (millimetres * 1440.0 / 25.4).round() as i32
}

/// Font sizes in half-points: 二号 22 pt, 三号 16 pt; tables in 小四 12 pt, as the PDF's, so that
/// a list of eight columns keeps each name and date on one line.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 24;
/// One character of the body (三号), in twips: the indent's unit.
const BODY_CHAR: i32 = 320;
/// The usable width: A4's 210 mm less the margins.
const TEXT_WIDTH_MM: f32 = 210.0 - 28.0 - 26.0;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn body_run(text: &str) -> Run {
    Run::new().add_text(text).fonts(fonts("仿宋_GB2312")).size(BODY_SIZE)
}

fn exact_line(points: u32) -> LineSpacing {
    LineSpacing::new().line((points * 20) as i32).line_rule(LineSpacingType::Exact)
}

/// Writes `rendered` as a .docx.
pub fn write(rendered: &Rendered) -> Result<Vec<u8>> {
    let margin = PageMargin {
        top: mm(37.0),
        bottom: mm(35.0),
        left: mm(28.0),
        right: mm(26.0),
        header: mm(15.0),
        footer: mm(17.5),
        gutter: 0,
    };
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("— ").fonts(fonts("宋体")).size(TABLE_SIZE))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" —").fonts(fonts("宋体")).size(TABLE_SIZE)),
    );
    let mut doc = Docx::new()
        .page_size(mm(210.0) as u32, mm(297.0) as u32)
        .page_margin(margin)
        .default_fonts(fonts("仿宋_GB2312"))
        .default_size(BODY_SIZE)
        .footer(footer);
    doc = doc.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(exact_line(36).after(200))
            .add_run(Run::new().add_text(&rendered.title).fonts(fonts("方正小标宋简体")).size(TITLE_SIZE)),
    );
    for block in &rendered.blocks {
        doc = match block {
            Block::Subtitle { text } => doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(exact_line(28))
                    .add_run(Run::new().add_text(text).fonts(fonts("楷体_GB2312")).size(BODY_SIZE)),
            ),
            Block::Paragraph { text } => doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Both)
                    .indent(None, Some(SpecialIndentType::FirstLine(2 * BODY_CHAR)), None, None)
                    .line_spacing(exact_line(28))
                    .add_run(body_run(text)),
            ),
            Block::Plain { text } => {
                doc.add_paragraph(Paragraph::new().line_spacing(exact_line(28)).add_run(body_run(text)))
            }
            Block::Right { text } => doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .indent(None, None, Some(4 * BODY_CHAR), None)
                    .line_spacing(exact_line(28))
                    .add_run(body_run(text)),
            ),
            Block::Table { header, rows } => doc.add_table(table(header, rows)),
        };
    }
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| Error::Corrupt {
        path: "document.docx".into(),
        reason: Text::new(format!("生成的 .docx 无法写出：{e}"), format!("the .docx could not be written: {e}")),
    })?;
    Ok(out.into_inner())
}

/// The people's table: the header in 黑体, each cell centred, the columns as wide as their
/// longest cell asks (within reason), filling the text width.
fn table(header: &[String], rows: &[Vec<String>]) -> Table {
    let weights = markup::column_weights(header, rows, TEXT_WIDTH_MM / (TABLE_SIZE as f32 / 2.0 * 25.4 / 72.0));
    let total: f32 = weights.iter().sum();
    let widths: Vec<usize> = weights.iter().map(|w| mm(TEXT_WIDTH_MM * w / total) as usize).collect();
    let cell = |text: &str, width: usize, head: bool| {
        let run = Run::new().add_text(text).size(TABLE_SIZE);
        let run = if head { run.fonts(fonts("黑体")) } else { run.fonts(fonts("仿宋_GB2312")) };
        TableCell::new()
            .width(width, WidthType::Dxa)
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run))
    };
    let mut table_rows =
        vec![TableRow::new(header.iter().zip(&widths).map(|(text, &width)| cell(text, width, true)).collect())];
    for row in rows {
        table_rows.push(TableRow::new(
            widths
                .iter()
                .enumerate()
                .map(|(i, &width)| cell(row.get(i).map_or("", String::as_str), width, false))
                .collect(),
        ));
    }
    Table::new(table_rows)
        .set_grid(widths.clone())
        .width(widths.iter().sum(), WidthType::Dxa)
        .align(TableAlignmentType::Center)
}
