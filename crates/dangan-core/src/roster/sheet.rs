//! Reading a roster file as rows of cells: `.xlsx` through calamine's streaming cell reader, and
//! `.csv` in UTF-8 (with or without a byte-order mark) or GB18030, the encoding older Excel
//! versions save Chinese CSVs in.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use crate::calendar::{self, Date};
use crate::{Error, Result, Text};

/// One cell as the roster parser sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    /// A cell Excel itself marks as an error (`#VALUE!`).
    Error(String),
}

/// Calls `row` for each row of the first sheet, with its 1-based spreadsheet row number; the
/// first call is the header row. Stops at the first error `row` returns.
pub fn for_each_row(path: &Path, mut row: impl FnMut(u64, Vec<Cell>) -> Result<()>) -> Result<()> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("xlsx") => read_xlsx(path, &mut row),
        Some("csv" | "txt") => read_csv(path, &mut row),
        Some("xls") => Err(unreadable(
            "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx",
            "the old .xls format is not supported; save it as .xlsx in Excel",
        )),
        _ => Err(unreadable(
            "只能导入 .xlsx、.csv 或 Unicode 文本（.txt）文件",
            "only .xlsx, .csv and Unicode text (.txt) files can be imported",
        )),
    }
}

fn unreadable(zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::RosterUnreadable { reason: Text::new(zh, en) }
}

impl Cell {
    /// A cell as the text a side sheet (attendance, own study, a register of meetings) reads:
    /// trimmed, a whole number without its decimals, a date as ISO, nothing for an empty or
    /// erroneous cell.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Empty | Cell::Error(_) => String::new(),
        }
    }
}

/// The bad rows of a sheet read for one purpose (an attendance sheet, a sheet of own study, a
/// register of meetings): each row's problem in both languages, so that reading the values and
/// finding the people can both add to it and the user hears of every bad row at once, in row
/// order.
#[derive(Debug, Default)]
pub struct RowProblems(Vec<(u64, String, String)>);

impl RowProblems {
    /// Row `row` is bad: `zh` and `en` say why (the row number is added in front).
    pub fn add(&mut self, row: u64, zh: impl Into<String>, en: impl Into<String>) {
        self.0.push((row, format!("第 {row} 行：{}", zh.into()), format!("row {row}: {}", en.into())));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Refuses the sheet naming every bad row, when there is one.
    pub fn refuse(mut self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by_key(|(row, _, _)| *row);
        let (zh, en): (Vec<String>, Vec<String>) = self.0.into_iter().map(|(_, zh, en)| (zh, en)).unzip();
        Err(Error::invalid("sheet", zh.join("；"), en.join("; ")))
    }
}

/// The largest roster file read. A 100,000-row roster is about 15 MB as CSV and 6 MB as .xlsx.
pub(crate) const MAX_ROSTER_BYTES: u64 = 200 * 1024 * 1024;
/// The most an .xlsx may inflate to, all its parts together: calamine holds the shared strings
/// in memory, so a small file that inflates to gigabytes (a zip bomb) would exhaust it.
pub(crate) const MAX_XLSX_INFLATED_BYTES: u64 = 512 * 1024 * 1024;

/// Refuses a file too big to be a roster before reading any of it.
fn check_size(path: &Path) -> Result<()> {
    let size = std::fs::metadata(path).map_err(Error::io(path))?.len();
    if size > MAX_ROSTER_BYTES {
        return Err(too_big(size));
    }
    Ok(())
}

fn too_big(size: u64) -> Error {
    let (mb, max) = (size / (1024 * 1024), MAX_ROSTER_BYTES / (1024 * 1024));
    unreadable(
        format!("名册文件过大（{mb} MB），最多 {max} MB；请分成几个文件导入"),
        format!("the roster file is too large ({mb} MB); at most {max} MB: split it into several files"),
    )
}

/// Refuses an .xlsx whose parts would inflate beyond [`MAX_XLSX_INFLATED_BYTES`], from the sizes
/// its directory declares.
fn check_inflated_size(path: &Path) -> Result<()> {
    let file = File::open(path).map_err(Error::io(path))?;
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(()); // not a zip: calamine says so, in its words
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_XLSX_INFLATED_BYTES {
        let (mb, max) = (total / (1024 * 1024), MAX_XLSX_INFLATED_BYTES / (1024 * 1024));
        return Err(unreadable(
            format!("这个 .xlsx 文件展开后有 {mb} MB，超过 {max} MB，不像是名册，未读取"),
            format!(
                "this .xlsx unpacks to {mb} MB, more than {max} MB; it does not look like a roster and was not read"
            ),
        ));
    }
    Ok(())
}

fn read_xlsx(path: &Path, row: &mut dyn FnMut(u64, Vec<Cell>) -> Result<()>) -> Result<()> {
    check_size(path)?;
    check_inflated_size(path)?;
    let file = File::open(path).map_err(Error::io(path))?;
    let not_xlsx = |e: calamine::XlsxError| {
        unreadable(
            format!("{} 不是有效的 .xlsx 文件（{e}）", path.display()),
            format!("{} is not a valid .xlsx file ({e})", path.display()),
        )
    };
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::new(file)).map_err(not_xlsx)?;
    let Some(first) = workbook.sheet_names().into_iter().next() else {
        return Err(unreadable("工作簿中没有工作表", "the workbook has no sheet"));
    };
    let mut cells = workbook.worksheet_cells_reader(&first).map_err(not_xlsx)?;
    let mut current: Option<u32> = None;
    let mut values: Vec<Cell> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(not_xlsx)? {
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if let Some(done) = current {
                row(u64::from(done) + 1, std::mem::take(&mut values))?;
            }
            current = Some(r);
        }
        let c = c as usize;
        if values.len() <= c {
            values.resize(c + 1, Cell::Empty);
        }
        values[c] = match cell.get_value() {
            DataRef::Empty => Cell::Empty,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text(s),
            DataRef::SharedString(s) => text(s),
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Bool(b) => Cell::Text(b.to_string()),
            DataRef::DateTime(dt) => match dt.as_datetime() {
                Some(dt) => Cell::Date(dt.date()),
                None => Cell::Number(dt.as_f64()),
            },
            DataRef::Error(e) => Cell::Error(e.to_string()),
        };
    }
    if let Some(done) = current {
        row(u64::from(done) + 1, values)?;
    }
    Ok(())
}

fn text(s: &str) -> Cell {
    if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_owned()) }
}

fn read_csv(path: &Path, row: &mut dyn FnMut(u64, Vec<Cell>) -> Result<()>) -> Result<()> {
    check_size(path)?;
    let content = decode_csv(std::fs::read(path).map_err(Error::io(path))?)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&content))
        .from_reader(content.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut number = 0u64;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                number += 1;
                // A cell Dangan neutralised against formula injection reads back as it was.
                row(number, record.iter().map(|cell| text(crate::output::csv_cell_read(cell))).collect())?;
            }
            Err(e) => {
                return Err(unreadable(
                    format!("CSV 文件第 {} 行无法解析：{e}", number + 1),
                    format!("row {} of the CSV file cannot be parsed: {e}", number + 1),
                ));
            }
        }
    }
}

/// Commas, or tabs when the header row has tabs and no commas: Excel's "Unicode text" (UTF-16,
/// what 另存为 → Unicode 文本 writes) separates cells with tabs.
fn delimiter(content: &str) -> u8 {
    let header = content.lines().next().unwrap_or_default();
    if header.contains('\t') && !header.contains(',') { b'\t' } else { b',' }
}

/// UTF-16 with its byte-order mark (Excel's "Unicode text"), UTF-8 (a byte-order mark is
/// dropped), else GB18030; anything else is refused rather than imported as mojibake. UTF-8, what
/// most files are, becomes the text without a copy.
pub(crate) fn decode_csv(mut bytes: Vec<u8>) -> Result<String> {
    for (bom, encoding) in [(&b"\xFF\xFE"[..], encoding_rs::UTF_16LE), (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|s| s.into_owned())
                .ok_or_else(|| unreadable("CSV 文件的 UTF-16 编码有误", "the CSV file's UTF-16 text is malformed"));
        }
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(not_utf8) => not_utf8.into_bytes(),
    };
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes).map(|s| s.into_owned()).ok_or_else(
        || unreadable("CSV 文件既不是 UTF-8 也不是 GB18030 编码", "the CSV file is neither UTF-8 nor GB18030"),
    )
}

/// Reads a cell as a date: a date cell, a date written as text, or an Excel serial number.
pub(crate) fn cell_date(cell: &Cell) -> std::result::Result<Option<Date>, ()> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Text(s) => calendar::parse_flexible(s).map(Some).ok_or(()),
        Cell::Number(n) => calendar::from_excel_serial(*n).map(Some).ok_or(()),
        Cell::Error(_) => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_in_gb18030_decode_alike() {
        let text = "姓名,所在支部\n张三,第一党支部\n";
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(text.as_bytes());
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode_csv(text.as_bytes().to_vec()).unwrap(), text);
        assert_eq!(decode_csv(with_bom).unwrap(), text);
        assert_eq!(decode_csv(gb.to_vec()).unwrap(), text);
        let err = decode_csv(vec![0xff, 0xff, 0x81]).unwrap_err();
        assert!(err.message(crate::Lang::En).contains("neither UTF-8 nor GB18030"), "{err}");
        // Excel's "Unicode text": UTF-16 with its mark, both byte orders.
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_csv(le).unwrap(), text);
        assert_eq!(decode_csv(be).unwrap(), text);
    }
}
