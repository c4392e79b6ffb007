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

/// How wide each column of a table should be, relative to the others: its longest cell (the
/// header included), counted in characters, within 3 and 12 (a two-character name and its cell padding fit in 3).
pub fn column_weights(header: &[String], rows: &[Vec<String>]) -> Vec<f32> {
    (0..header.len().max(1))
        .map(|i| {
            let longest = std::iter::once(header.get(i))
                .chain(rows.iter().map(|r| r.get(i)))
                .flatten()
                .map(|t| t.chars().count())
                .max()
                .unwrap_or(1);
            longest.clamp(3, 12) as f32
        })
        .collect()
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
