//! Statistics written out: as a workbook (one sheet per table: title, what it counts as of, the
//! table, its counting note; for the annual report a last sheet with the consistency check) or as
//! an official-document PDF of the same, and a chart as PNG or PDF. Written whole or not at all,
//! never inside the workspace.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use serde::Deserialize;

use super::{AnnualReport, Statistics, Table};
use crate::calendar::format_zh;
use crate::dossier::report::{ReportInfo, Section, render_report};
use crate::{Error, Result, Text};

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Io { path: path.to_owned(), source: std::io::Error::other(e.to_string()) }
}

/// What a file's name asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Xlsx,
    Pdf,
    Png,
}

fn format_of(path: &Path, allowed: &[FileKind]) -> Result<FileKind> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let format = match ext.as_deref() {
        Some("xlsx") => Some(FileKind::Xlsx),
        Some("pdf") => Some(FileKind::Pdf),
        Some("png") => Some(FileKind::Png),
        _ => None,
    };
    match format.filter(|f| allowed.contains(f)) {
        Some(f) => Ok(f),
        None => {
            let names: Vec<&str> = allowed
                .iter()
                .map(|f| match f {
                    FileKind::Xlsx => ".xlsx",
                    FileKind::Pdf => ".pdf",
                    FileKind::Png => ".png",
                })
                .collect();
            Err(Error::invalid(
                "path",
                format!("文件名应以 {} 结尾", names.join(" 或 ")),
                format!("the file name must end in {}", names.join(" or ")),
            ))
        }
    }
}

fn report_info<'a>(title: &'a str, subtitle: String, author: &'a str) -> ReportInfo<'a> {
    ReportInfo {
        title,
        subtitle: vec![subtitle],
        author,
        generated_on: crate::calendar::today(),
        created_at: chrono::Utc::now(),
    }
}

struct Formats {
    title: Format,
    header: Format,
    cell: Format,
    share: Format,
    note: Format,
}

fn formats() -> Formats {
    let bordered = || Format::new().set_border(FormatBorder::Thin);
    Formats {
        title: Format::new().set_bold().set_font_size(14),
        header: bordered().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
        cell: bordered(),
        share: bordered().set_num_format("0.00%"),
        note: Format::new().set_text_wrap().set_italic(),
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the book.
fn sheet_name(title: &str, taken: &mut Vec<String>) -> String {
    let clean: String = title.chars().filter(|c| !"[]:*?/\\'".contains(*c)).take(28).collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{clean}{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

fn write_table(sheet: &mut Worksheet, f: &Formats, table: &Table, context: &str) -> std::result::Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, &table.title.zh, &f.title)?;
    sheet.write_string(1, 0, context)?;
    let header_row = 3;
    sheet.write_string_with_format(header_row, 0, "项目", &f.header)?;
    sheet.set_column_width(0, 24)?;
    for (c, column) in table.columns.iter().enumerate() {
        let col = (c + 1) as u16;
        sheet.write_string_with_format(header_row, col, &column.label.zh, &f.header)?;
        sheet.set_column_width(col, 12)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let at = header_row + 1 + r as u32;
        sheet.write_string_with_format(at, 0, &row.label.zh, &f.cell)?;
        for (c, (value, column)) in row.values.iter().zip(&table.columns).enumerate() {
            let col = (c + 1) as u16;
            match (value, column.share_of.is_some()) {
                (Some(v), false) => sheet.write_number_with_format(at, col, *v as f64, &f.cell)?,
                (Some(v), true) => sheet.write_number_with_format(at, col, *v as f64 / 10_000.0, &f.share)?,
                (None, _) => sheet.write_string_with_format(at, col, "—", &f.cell)?,
            };
        }
    }
    let note_row = header_row + 2 + table.rows.len() as u32;
    let last = table.columns.len().max(4) as u16;
    sheet.merge_range(note_row, 0, note_row, last, &format!("说明：{}", table.note.zh), &f.note)?;
    sheet.set_row_height(note_row, 60)?;
    Ok(())
}

fn book(tables: &[Table], context: &str) -> std::result::Result<(Workbook, Vec<String>), XlsxError> {
    let f = formats();
    let mut workbook = Workbook::new();
    let mut taken = Vec::new();
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&table.title.zh, &mut taken))?;
        write_table(sheet, &f, table, context)?;
    }
    Ok((workbook, taken))
}

/// The statistics as of a day: a workbook with one sheet per table, or a PDF of the tables.
pub fn write_statistics(workspace_dir: &Path, path: &Path, stats: &Statistics) -> Result<()> {
    crate::output::ensure_outside(workspace_dir, path)?;
    let format = format_of(path, &[FileKind::Xlsx, FileKind::Pdf])?;
    let context = format!("{}　截至 {}", stats.unit_name, format_zh(stats.as_of));
    if format == FileKind::Pdf {
        let sections: Vec<Section<'_>> = stats.tables.iter().map(Section::Table).collect();
        let pdf = render_report(&report_info("党员发展统计", context, &stats.unit_name), &sections)?;
        return crate::output::write(workspace_dir, path, &pdf);
    }
    let err = xlsx_error(path);
    let (mut workbook, _) = book(&stats.tables, &context).map_err(&err)?;
    let bytes = workbook.save_to_buffer().map_err(&err)?;
    crate::output::write(workspace_dir, path, &bytes)
}

/// The annual report: a workbook with one sheet per table and the consistency check, or an
/// official-document PDF of the same.
pub fn write_annual_report(workspace_dir: &Path, path: &Path, report: &AnnualReport) -> Result<()> {
    crate::output::ensure_outside(workspace_dir, path)?;
    let format = format_of(path, &[FileKind::Xlsx, FileKind::Pdf])?;
    let context = format!(
        "{}　{}年度（{} 至 {}）",
        report.unit_name,
        report.year,
        format_zh(report.start.succ_opt().unwrap_or(report.start)),
        format_zh(report.end)
    );
    if format == FileKind::Pdf {
        let title = format!("{}年度党内统计", report.year);
        let mut sections: Vec<Section<'_>> = report.tables.iter().map(Section::Table).collect();
        let lines = check_lines(report).into_iter().map(|l| l.zh).collect();
        sections.push(Section::Lines { heading: "一致性检查".into(), lines });
        let pdf = render_report(&report_info(&title, context, &report.unit_name), &sections)?;
        return crate::output::write(workspace_dir, path, &pdf);
    }
    let err = xlsx_error(path);
    let (mut workbook, mut taken) = book(&report.tables, &context).map_err(&err)?;
    let f = formats();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name("一致性检查", &mut taken)).map_err(&err)?;
    let lines = check_lines(report);
    sheet.write_string_with_format(0, 0, "一致性检查", &f.title).map_err(&err)?;
    sheet.set_column_width(0, 100).map_err(&err)?;
    for (i, line) in lines.iter().enumerate() {
        sheet.write_string(i as u32 + 2, 0, &line.zh).map_err(&err)?;
    }
    let bytes = workbook.save_to_buffer().map_err(&err)?;
    crate::output::write(workspace_dir, path, &bytes)
}

/// The consistency check in sentences: the balance, each branch that misses it, each person why.
pub fn check_lines(report: &AnnualReport) -> Vec<Text> {
    let check = &report.check;
    let mut lines = vec![Text::new(
        "年初党员数 + 发展党员 + 转入 − 转出 − 出党 − 死亡 = 年底党员数（按党支部核对）",
        "members at the start + developed + transferred in − out − left − died = members at the end (per branch)",
    )];
    if check.ok {
        lines.push(Text::new("各党支部数字一致。", "Every branch balances."));
        return lines;
    }
    for b in &check.branches {
        let expected = b.start as i64 + b.developed as i64 - b.left as i64;
        let (name, start, developed, left, end, diff) = (&b.branch, b.start, b.developed, b.left, b.end, b.difference);
        lines.push(Text::new(
            format!("{name}：{start} + {developed} − {left} = {expected}，实际年底 {end}，相差 {diff:+}"),
            format!("{name}: {start} + {developed} − {left} = {expected}, but {end} at the end: {diff:+}"),
        ));
    }
    for p in &check.people {
        lines.push(Text::new(
            format!("{}（{}）：{}", p.name, p.branch, p.reason.zh),
            format!("{} ({}): {}", p.name, p.branch, p.reason.en),
        ));
    }
    lines
}

/// A chart as the statistics screen drew it, to save as PNG or print as PDF.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChartImage {
    pub title: String,
    /// The unit and the day it counts, printed under the title.
    pub subtitle: String,
    /// The picture, PNG, base64 (what a canvas's `toDataURL` gives after its `data:image/png;base64,`).
    pub png_base64: String,
}

/// The largest chart picture accepted (a 1280×800 screen at twice its density is about 2 MB).
const MAX_CHART_BYTES: usize = 32 * 1024 * 1024;

/// Writes a chart: the picture itself (.png), or an A4 page with its title and the picture (.pdf).
pub fn write_chart(workspace_dir: &Path, path: &Path, chart: &ChartImage, author: &str) -> Result<()> {
    use base64::Engine;
    crate::output::ensure_outside(workspace_dir, path)?;
    let format = format_of(path, &[FileKind::Png, FileKind::Pdf])?;
    let encoded = chart.png_base64.trim();
    let encoded = encoded.strip_prefix("data:image/png;base64,").unwrap_or(encoded);
    let bad = || Error::invalid("image", "图表图片不是有效的 PNG", "the chart's picture is not a valid PNG");
    if encoded.len() > MAX_CHART_BYTES / 3 * 4 + 4 {
        return Err(Error::invalid("image", "图表图片过大", "the chart's picture is too large"));
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|_| bad())?;
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(bad());
    }
    if format == FileKind::Png {
        return crate::output::write(workspace_dir, path, &bytes);
    }
    let section = Section::Png { bytes: &bytes, caption: chart.title.clone() };
    let pdf = render_report(&report_info(&chart.title, chart.subtitle.clone(), author), &[section])?;
    crate::output::write(workspace_dir, path, &pdf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn chart_png() -> Vec<u8> {
        let picture = image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([200, (x * 6) as u8, 40]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    fn chart(png: &[u8]) -> ChartImage {
        let encoded = base64::engine::general_purpose::STANDARD.encode(png);
        ChartImage {
            title: "发展党员工作各阶段人数".into(),
            subtitle: "中共测试大学委员会 截至 2026年11月24日".into(),
            png_base64: format!("data:image/png;base64,{encoded}"),
        }
    }

    #[test]
    fn a_chart_saves_as_its_png_or_as_a_pdf_page_and_nothing_else() {
        let (workspace, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let png = chart_png();
        let picture = out.path().join("chart.png");
        write_chart(workspace.path(), &picture, &chart(&png), "党委").unwrap();
        assert_eq!(std::fs::read(&picture).unwrap(), png, "the picture as drawn");
        let page = out.path().join("chart.pdf");
        write_chart(workspace.path(), &page, &chart(&png), "党委").unwrap();
        assert!(std::fs::read(&page).unwrap().starts_with(b"%PDF-"));

        let refused = |path: &Path, chart: &ChartImage| match write_chart(workspace.path(), path, chart, "党委") {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("refused by field: {other:?}"),
        };
        assert_eq!(refused(&out.path().join("chart.docx"), &chart(&png)), "path");
        let not_png = ChartImage { png_base64: "aGVsbG8=".into(), ..chart(&png) };
        assert_eq!(refused(&out.path().join("x.png"), &not_png), "image");
        let not_base64 = ChartImage { png_base64: "%%%".into(), ..chart(&png) };
        assert_eq!(refused(&out.path().join("y.png"), &not_base64), "image");
        assert!(!out.path().join("x.png").exists() && !out.path().join("y.png").exists());
        // Inside the workspace: refused, nothing written.
        let inside = workspace.path().join("chart.png");
        assert!(write_chart(workspace.path(), &inside, &chart(&png), "党委").is_err());
        assert!(!inside.exists());
    }
}
