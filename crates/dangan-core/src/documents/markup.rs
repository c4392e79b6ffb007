//! What a template's output means: a few kinds of lines, so that an office writes its wording as
//! plain text and the same document becomes a .docx or a PDF.
//!
//! - `# 标题` the title (the first one; a later `#` line is a subtitle under it);
//! - `< 各党支部：` a line without indent (an addressee, a heading of a form);
//! - `> 中共某某委员会` a line against the right margin (the issuing body, the date);
//! - `| a | b |` a table row; consecutive rows are one table, the first its header;
//! - any other line, a body paragraph with the two-character indent; blank lines are nothing.
//!
//! Values from the records are escaped before they reach these lines (`escape`), so that a name
//! holding `|` or a line break cannot make a table cell or a line of its own.

/// One part of a document, in order (JSON: `kind` and `text`, or a table's `header` and `rows`).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export, rename = "DocumentBlock"))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Subtitle {
        text: String,
    },
    Paragraph {
        text: String,
    },
    Plain {
        text: String,
    },
    Right {
        text: String,
    },
    /// The header row, then the rows (each as many cells as the header; short ones padded).
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A document as its template rendered it: what the app previews before it is saved.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export, rename = "DocumentText"))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Rendered {
    /// Every word of the document in order, one block a line: what a test compares with the
    /// text read back from the .docx or the PDF.
    pub fn plain_text(&self) -> String {
        let mut out = vec![self.title.clone()];
        for block in &self.blocks {
            match block {
                Block::Subtitle { text }
                | Block::Paragraph { text }
                | Block::Plain { text }
                | Block::Right { text } => out.push(text.clone()),
                Block::Table { header, rows } => {
                    out.push(header.join(" "));
                    out.extend(rows.iter().map(|r| r.join(" ")));
                }
            }
        }
        out.join("\n")
    }
}

/// How wide each column of a table is, in half-ems of the table's font (its shares of the width,
/// for the caller to scale), for a table `width_ems` wide. Each column asks for its longest cell
/// (a long header may go onto two lines) and its padding. Short cells (names, 性别, 学历: up to
/// four Chinese characters) never break: when the table is too wide for every cell on one line,
/// only the longer ones (dates) give way, and all shrink alike only if even that cannot fit.
pub fn column_weights(header: &[String], rows: &[Vec<String>], width_ems: f32) -> Vec<f32> {
    /// A cell's padding, in half-ems (the PDF's 4 pt a side at 12 pt, Word's cell margins).
    const PAD: f32 = 2.0;
    /// What never breaks: four Chinese characters.
    const UNBROKEN: f32 = 8.0;
    let available = 2.0 * width_ems;
    let natural: Vec<f32> = (0..header.len().max(1))
        .map(|i| {
            let body = rows.iter().filter_map(|r| r.get(i)).map(|t| display_width(t)).fold(0.0, f32::max);
            let head = header.get(i).map_or(0.0, |h| display_width(h)).min(UNBROKEN);
            body.max(head).max(2.0) + PAD
        })
        .collect();
    let floor: Vec<f32> = natural.iter().map(|&n| n.min(UNBROKEN + PAD)).collect();
    let (natural_sum, floor_sum): (f32, f32) = (natural.iter().sum(), floor.iter().sum());
    if natural_sum <= available {
        return natural;
    }
    if floor_sum >= available {
        return floor;
    }
    // The room beyond the floors goes to the longer cells, in proportion to what they lack.
    let share = (available - floor_sum) / (natural_sum - floor_sum);
    natural.iter().zip(&floor).map(|(&n, &f)| f + (n - f) * share).collect()
}

/// A text's width in half-ems: a Chinese character (or any wide one) is two, a digit or Latin letter one.
fn display_width(text: &str) -> f32 {
    text.chars().map(|c| if (c as u32) < 0x2E80 { 1.0 } else { 2.0 }).sum()
}

/// Reads a template's output into blocks.
pub fn parse(output: &str) -> Rendered {
    let mut title = None;
    let mut blocks = Vec::new();
    let mut table: Option<(Vec<String>, Vec<Vec<String>>)> = None;
    for line in output.lines() {
        let line = line.trim();
        if let Some(row) = line.strip_prefix('|') {
            let mut cells: Vec<String> = row.split('|').map(|c| c.trim().to_owned()).collect();
            if row.trim_end().ends_with('|') {
                cells.pop();
            }
            match &mut table {
                None => table = Some((cells, Vec::new())),
                Some((header, rows)) => {
                    cells.resize(header.len().max(cells.len()), String::new());
                    rows.push(cells);
                }
            }
            continue;
        }
        if let Some((header, rows)) = table.take() {
            blocks.push(Block::Table { header, rows });
        }
        if line.is_empty() {
            continue;
        }
        if let Some(text) = line.strip_prefix('#') {
            let text = text.trim_start_matches('#').trim().to_owned();
            if title.is_none() {
                title = Some(text);
            } else {
                blocks.push(Block::Subtitle { text });
            }
        } else if let Some(text) = line.strip_prefix('>') {
            blocks.push(Block::Right { text: text.trim().to_owned() });
        } else if let Some(text) = line.strip_prefix('<') {
            blocks.push(Block::Plain { text: text.trim().to_owned() });
        } else {
            blocks.push(Block::Paragraph { text: line.to_owned() });
        }
    }
    if let Some((header, rows)) = table {
        blocks.push(Block::Table { header, rows });
    }
    Rendered { title: title.unwrap_or_default(), blocks }
}

/// A value from the records as it may stand in a line: the characters that mean something at a
/// line's start or in a table become their full-width forms, and line breaks spaces.
pub fn escape(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '|' => '｜',
            '#' => '＃',
            '>' => '＞',
            '<' => '＜',
            '\n' | '\r' | '\t' => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    /// The pre-review list (eight columns) is too wide at 12 pt for every date on one line: names
    /// keep their room (they once broke, 「李\n四」, in the PDF) and only the dates give way.
    #[test]
    fn a_table_too_wide_keeps_its_names_whole_and_lets_dates_wrap() {
        let header = strings(&[
            "序号",
            "姓名",
            "性别",
            "出生年月",
            "学历",
            "确定为发展对象时间",
            "政治审查时间",
            "集中培训时间",
        ]);
        let rows = vec![strings(&[
            "1",
            "欧阳晓明",
            "男",
            "2004年5月",
            "大学本科",
            "2024年9月10日",
            "2024年10月10日",
            "2024年10月20日",
        ])];
        let ems = 36.9;
        let widths = column_weights(&header, &rows, ems);
        assert!((widths.iter().sum::<f32>() - 2.0 * ems).abs() < 0.01, "they fill the width: {widths:?}");
        assert!(widths[1] >= 8.0 + 2.0, "a four-character name and its padding: {widths:?}");
        assert!(widths[0] >= 4.0 + 2.0 && widths[4] >= 10.0, "{widths:?}");
        assert!(widths[7] < 14.0 + 2.0, "the dates give way: {widths:?}");
        // A narrow table fits as it is: each column as wide as its longest cell.
        let widths = column_weights(&strings(&["序号", "姓名"]), &[strings(&["1", "张三"])], ems);
        assert_eq!(widths, [6.0, 6.0]);
    }

    #[test]
    fn lines_become_a_title_paragraphs_a_table_and_a_signature() {
        let rendered = parse(
            "# 关于发展对象的公示\n\n< 各党支部：\n经研究，现予公示。\n| 序号 | 姓名 |\n| 1 | 张三 |\n| 2 |\n\n> 中共某某委员会\n> 2026年11月24日\n",
        );
        assert_eq!(rendered.title, "关于发展对象的公示");
        assert_eq!(
            rendered.blocks,
            [
                Block::Plain { text: "各党支部：".into() },
                Block::Paragraph { text: "经研究，现予公示。".into() },
                Block::Table {
                    header: vec!["序号".into(), "姓名".into()],
                    rows: vec![vec!["1".into(), "张三".into()], vec!["2".into(), String::new()]],
                },
                Block::Right { text: "中共某某委员会".into() },
                Block::Right { text: "2026年11月24日".into() },
            ]
        );
    }

    #[test]
    fn a_value_cannot_make_a_cell_or_a_line_of_its_own() {
        let name = escape("张|三\n# 假标题");
        let rendered = parse(&format!("# 标题\n| 姓名 |\n| {name} |\n"));
        assert_eq!(
            rendered.blocks,
            [Block::Table { header: vec!["姓名".into()], rows: vec![vec!["张｜三 ＃ 假标题".into()]] }]
        );
    }
}
