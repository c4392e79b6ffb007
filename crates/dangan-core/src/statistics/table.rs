//! One kind of table for every statistic: rows and columns, and a rule that says which cells a
//! person counts in. The same rule counts a table and lists the people behind any one of its
//! numbers, so a figure and its list can never disagree.

use serde::Serialize;

use super::census::Counted;
use crate::Text;
use crate::domain::Id;

/// A table as shells show, print and export it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Stable: `by_stage`, `by_branch`, `changes`, … (a cell reference names it).
    pub id: String,
    pub title: Text,
    /// How it counts, citing the rule it follows.
    pub note: Text,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub key: String,
    pub label: Text,
    /// `false` for what Dangan does not record yet: its values are `null`, not 0.
    pub recorded: bool,
    /// A share column: `count` as a part of `base` in the same row, in hundredths of a percent
    /// (1234 is 12.34 %). Its people are those of `count`.
    pub share_of: Option<ShareOf>,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareOf {
    pub count: String,
    pub base: String,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub key: String,
    pub label: Text,
    /// One per column: a count, a share (see [`Column::share_of`]), or `null` when not recorded
    /// or a share of nobody.
    #[cfg_attr(feature = "typescript", ts(type = "Array<number | null>"))]
    pub values: Vec<Option<u64>>,
    /// The total row: each column's people in any other row.
    pub total: bool,
}

/// Which cells a person counts in, as (row, column) indexes.
pub(crate) type Classify<'a> = Box<dyn Fn(&Counted, &mut Vec<(usize, usize)>) + 'a>;

/// A table before counting: its shape and its rule.
pub(crate) struct Spec<'a> {
    pub id: &'static str,
    pub title: Text,
    pub note: Text,
    pub columns: Vec<Column>,
    /// Without the total row, which [`Spec::with_total`] adds.
    pub rows: Vec<(String, Text)>,
    pub total: bool,
    pub classify: Classify<'a>,
}

impl<'a> Spec<'a> {
    pub fn new(
        id: &'static str,
        title: Text,
        note: Text,
        columns: Vec<Column>,
        rows: Vec<(String, Text)>,
        classify: impl Fn(&Counted, &mut Vec<(usize, usize)>) + 'a,
    ) -> Spec<'a> {
        // Labels borrowed from the vocabularies are lower case in English (“male”); a table heads
        // its rows and columns with capitals.
        let columns = columns.into_iter().map(|c| Column { label: capitalised(c.label), ..c }).collect();
        let rows = rows.into_iter().map(|(key, label)| (key, capitalised(label))).collect();
        Spec { id, title, note, columns, rows, total: false, classify: Box::new(classify) }
    }

    /// Adds a 合计 row summing the others (for rows that do not overlap).
    pub fn with_total(mut self) -> Spec<'a> {
        self.total = true;
        self
    }

    fn column_index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// Counts everyone in `people` into the table.
    pub fn count<'p>(&self, people: impl Iterator<Item = &'p Counted>) -> Table {
        let (rows, columns) = (self.rows.len() + usize::from(self.total), self.columns.len());
        let mut counts = vec![vec![0u64; columns]; rows];
        let mut cells = Vec::new();
        for person in people {
            cells.clear();
            (self.classify)(person, &mut cells);
            for &(r, c) in &cells {
                counts[r][c] += 1;
                if self.total {
                    counts[rows - 1][c] += 1;
                }
            }
        }
        let mut out_rows: Vec<Row> = self
            .rows
            .iter()
            .cloned()
            .chain(self.total.then(|| ("total".to_owned(), Text::new("合计", "Total"))))
            .enumerate()
            .map(|(r, (key, label))| Row {
                key,
                label,
                values: self.columns.iter().enumerate().map(|(c, col)| col.recorded.then_some(counts[r][c])).collect(),
                total: self.total && r == rows - 1,
            })
            .collect();
        for (c, column) in self.columns.iter().enumerate() {
            let Some(share) = &column.share_of else { continue };
            let (Some(count), Some(base)) = (self.column_index(&share.count), self.column_index(&share.base)) else {
                continue;
            };
            for (r, row) in out_rows.iter_mut().enumerate() {
                let (part, whole) = (counts[r][count], counts[r][base]);
                row.values[c] = (whole > 0).then(|| (part * 10_000 + whole / 2) / whole);
            }
        }
        Table {
            id: self.id.to_owned(),
            title: self.title.clone(),
            note: self.note.clone(),
            columns: self.columns.clone(),
            rows: out_rows,
        }
    }

    /// The people one cell counts, in the order given. `None` when the table has no such row or
    /// column.
    pub fn people<'p>(&self, people: impl Iterator<Item = &'p Counted>, row: &str, column: &str) -> Option<Vec<Id>> {
        let mut c = self.column_index(column)?;
        if let Some(share) = &self.columns[c].share_of {
            c = self.column_index(&share.count)?;
        }
        let any_row = self.total && row == "total";
        let r = if any_row { usize::MAX } else { self.rows.iter().position(|(key, _)| key == row)? };
        let mut cells = Vec::new();
        Some(
            people
                .filter(|person| {
                    cells.clear();
                    (self.classify)(person, &mut cells);
                    cells.iter().any(|&(pr, pc)| pc == c && (any_row || pr == r))
                })
                .map(|person| person.id)
                .collect(),
        )
    }
}

/// The label with its English first letter in capitals.
fn capitalised(label: Text) -> Text {
    let mut chars = label.en.chars();
    let en = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    Text { en, ..label }
}

/// A counted column.
pub(crate) fn column(key: &str, zh: &str, en: &str) -> Column {
    Column { key: key.to_owned(), label: Text::new(zh, en), recorded: true, share_of: None }
}

/// `count` as a share of `base`, in hundredths of a percent.
pub(crate) fn share(key: &str, zh: &str, en: &str, count: &str, base: &str) -> Column {
    Column { share_of: Some(ShareOf { count: count.to_owned(), base: base.to_owned() }), ..column(key, zh, en) }
}
