//! From rows of cells to roster records: the header row decides which column is which, and each
//! data row becomes a person, a branch name and dated events, or a list of problems naming the
//! row, the column and the reason.

use crate::text::excerpt;
use std::collections::HashMap;

use super::columns::{self, Column, Field, HeaderMatch};
use super::sheet::{Cell, cell_date};
use super::{RosterRecord, RowProblem};
use crate::calendar::{self, Date};
use crate::domain::{Category, Education, EventKind, Gender, Occupation, Person, ProcedureEvent, StudentLevel};
use crate::{Error, Result, Text};

/// The columns of a file, as its header row names them.
#[derive(Debug, Clone)]
pub struct Header {
    /// For each position, the column it fills (None: ignored).
    slots: Vec<Option<&'static Column>>,
    /// How the file spells each column's header, for reports in the user's own words.
    spelled: HashMap<&'static str, String>,
    pub ignored: Vec<String>,
}

impl Header {
    pub fn parse(cells: &[Cell]) -> Result<Header> {
        let mut slots = Vec::with_capacity(cells.len());
        let mut spelled = HashMap::new();
        let mut ignored = Vec::new();
        for cell in cells {
            let raw = match cell {
                Cell::Text(s) => s.trim().to_owned(),
                Cell::Empty => String::new(),
                Cell::Number(n) => n.to_string(),
                Cell::Date(d) => d.to_string(),
                Cell::Error(e) => e.clone(),
            };
            match columns::match_header(&raw) {
                HeaderMatch::Column(column) => {
                    if spelled.insert(column.key, raw.clone()).is_some() {
                        return Err(Error::RosterUnreadable {
                            reason: Text::new(
                                format!("第 1 行（表头）中「{}」列出现了两次", excerpt(&raw, 40)),
                                format!("row 1 (the header) has the column “{}” twice", excerpt(&raw, 40)),
                            ),
                        });
                    }
                    slots.push(Some(column));
                }
                HeaderMatch::RowNumber => slots.push(None),
                HeaderMatch::Unknown => {
                    if !raw.is_empty() {
                        ignored.push(excerpt(&raw, 40).into_owned());
                    }
                    slots.push(None);
                }
            }
        }
        for required in [Field::Name, Field::Branch] {
            let column = columns::column_of(required);
            if !spelled.contains_key(column.key) {
                return Err(Error::RosterUnreadable {
                    reason: Text::new(
                        format!(
                            "第 1 行（表头）缺少「{}」列；表头应在第 1 行，可用 dangan template 生成模板",
                            column.zh
                        ),
                        format!(
                            "row 1 (the header) lacks the column “{}” ({}); the header must be row 1 — `dangan template` writes one",
                            column.key, column.zh
                        ),
                    ),
                });
            }
        }
        Ok(Header { slots, spelled, ignored })
    }

    /// The header text of a column as this file writes it, else its Chinese name.
    pub fn spelling(&self, column: &Column) -> String {
        self.spelled.get(column.key).cloned().unwrap_or_else(|| column.zh.to_owned())
    }

    /// How this file spells each column it has, by column key.
    pub fn spellings(&self) -> HashMap<&'static str, String> {
        self.spelled.clone()
    }
}

/// Parses one data row. Returns `None` for a row with no value at all (trailing blank rows).
pub fn parse_row(
    header: &Header,
    row: u64,
    cells: Vec<Cell>,
) -> Option<std::result::Result<RosterRecord, Vec<RowProblem>>> {
    if cells.iter().all(|c| matches!(c, Cell::Empty)) {
        return None;
    }
    let mut record = RosterRecord {
        row,
        person: Person::default(),
        branch: String::new(),
        events: Vec::new(),
        extension_months: None,
    };
    let mut problems = Vec::new();
    let mut problem = |column: &Column, zh: String, en: String| {
        problems.push(RowProblem { row, column: header.spelling(column), reason_zh: zh, reason_en: en });
    };
    // Cells are taken by value so text moves into the record instead of being copied.
    for (column, cell) in header.slots.iter().zip(cells) {
        let Some(column) = column else { continue };
        if matches!(cell, Cell::Empty) {
            continue;
        }
        if let Cell::Error(e) = cell {
            problem(column, format!("单元格是 Excel 错误值 {e}"), format!("the cell holds the Excel error {e}"));
            continue;
        }
        if column.is_date() {
            match cell_date(&cell) {
                Ok(Some(date)) => match column.field {
                    Field::BirthDate => record.person.birth_date = Some(date),
                    Field::JoinedOn => record.person.joined_on = Some(date),
                    Field::Event(kind) => record.events.push(ProcedureEvent::new(kind, date)),
                    _ => {}
                },
                Ok(None) => {}
                Err(()) => problem(
                    column,
                    format!(
                        "无法识别的日期「{}」，应写作 2026-11-24、2026/11/24、2026.11.24 或 2026年11月24日",
                        shown(&cell)
                    ),
                    format!(
                        "“{}” is not a date; write 2026-11-24, 2026/11/24, 2026.11.24 or 2026年11月24日",
                        shown(&cell)
                    ),
                ),
            }
            continue;
        }
        let value = match text_value(column, cell) {
            Ok(v) => v,
            Err(reason) => {
                problem(column, reason.zh, reason.en);
                continue;
            }
        };
        let person = &mut record.person;
        match column.field {
            Field::Name => person.name = value,
            Field::Ethnicity => person.ethnicity = Some(value),
            Field::IdNumber => person.id_number = Some(value),
            Field::StudentNo => person.student_no = Some(value),
            Field::Department => person.department = Some(value),
            Field::ClassName => person.class_name = Some(value),
            Field::Phone => person.phone = Some(value),
            Field::NativePlace => person.native_place = Some(value),
            Field::Notes => person.notes = Some(value),
            Field::Branch => record.branch = value,
            Field::Gender => match Gender::parse(&value) {
                Some(g) => person.gender = Some(g),
                None => problem(
                    column,
                    format!("性别「{}」应为「男」或「女」", excerpt(&value, 20)),
                    format!("gender “{}” must be 男 or 女 (male or female)", excerpt(&value, 20)),
                ),
            },
            Field::Category => match Category::parse(&value) {
                Some(c) => person.category = Some(c),
                None => problem(
                    column,
                    format!("人员类别「{}」应为学生、教师或职工", excerpt(&value, 20)),
                    format!("category “{}” must be student, teacher or staff", excerpt(&value, 20)),
                ),
            },
            Field::Education => match Education::parse(&value) {
                Some(e) => person.education = Some(e),
                None => problem(
                    column,
                    format!(
                        "学历「{}」应为{}",
                        excerpt(&value, 20),
                        zh_choices(Education::ALL.iter().map(|e| e.label()))
                    ),
                    format!(
                        "education “{}” must be one of {}",
                        excerpt(&value, 20),
                        en_choices(Education::ALL.iter().map(|e| e.label()))
                    ),
                ),
            },
            Field::StudentLevel => match StudentLevel::parse(&value) {
                Some(l) => person.student_level = Some(l),
                None => problem(
                    column,
                    format!(
                        "学生层次「{}」应为{}",
                        excerpt(&value, 20),
                        zh_choices(StudentLevel::ALL.iter().map(|l| l.label()))
                    ),
                    format!(
                        "student level “{}” must be one of {}",
                        excerpt(&value, 20),
                        en_choices(StudentLevel::ALL.iter().map(|l| l.label()))
                    ),
                ),
            },
            Field::Occupation => match Occupation::parse(&value) {
                Some(o) => person.occupation = Some(o),
                // Rosters write 学生 in the column for students, who have no occupation.
                None if Category::parse(&value) == Some(Category::Student) => {}
                None => problem(
                    column,
                    format!(
                        "职业「{}」应为{}",
                        excerpt(&value, 20),
                        zh_choices(Occupation::ALL.iter().map(|o| o.label()))
                    ),
                    format!(
                        "occupation “{}” must be one of {}",
                        excerpt(&value, 20),
                        en_choices(Occupation::ALL.iter().map(|o| o.label()))
                    ),
                ),
            },
            Field::ClassYear => match crate::domain::parse_class_year(&value) {
                Some(y) => person.class_year = Some(y),
                None => problem(
                    column,
                    format!("年级「{}」应写作 2024 或 2024级", excerpt(&value, 20)),
                    format!("class year “{}” must be written 2024 or 2024级", excerpt(&value, 20)),
                ),
            },
            Field::ExtensionMonths => match value.parse::<u32>() {
                Ok(m) => record.extension_months = Some(m),
                Err(_) => problem(
                    column,
                    format!("延长预备期月数「{}」应为 6 至 12 的整数", excerpt(&value, 20)),
                    format!("the extension “{}” must be a whole number of months, 6 to 12", excerpt(&value, 20)),
                ),
            },
            Field::Stage | Field::BirthDate | Field::JoinedOn | Field::Event(_) => {}
        }
    }
    if record.person.name.trim().is_empty() {
        let column = columns::column_of(Field::Name);
        problem(column, "姓名不能为空".into(), "the name is empty".into());
    }
    if record.branch.trim().is_empty() {
        let column = columns::column_of(Field::Branch);
        problem(column, "所在支部不能为空".into(), "the branch is empty".into());
    }
    if let Some(months) = record.extension_months {
        let mut event = ProcedureEvent::new(EventKind::ProbationExtended, extension_date(&record.events));
        event.months = Some(months);
        record.events.push(event);
    }
    Some(if problems.is_empty() { Ok(record) } else { Err(problems) })
}

/// A roster gives an extension's length, not its date: the extension is decided when the first
/// year of probation ends, so it is dated then (or at the conversion meeting, if earlier).
pub(crate) fn extension_date(events: &[ProcedureEvent]) -> Date {
    let date_of = |kind| events.iter().find(|e| e.kind == kind).map(|e| e.date);
    let first_year_end = date_of(EventKind::Admitted).and_then(|d| calendar::add_years(d, 1));
    match (first_year_end, date_of(EventKind::ConversionMeeting)) {
        (Some(end), Some(meeting)) => end.min(meeting),
        (Some(end), None) => end.min(calendar::today()),
        (None, Some(meeting)) => meeting,
        (None, None) => calendar::today(),
    }
}

/// 「研究生」「大学本科」或「大学专科」: the Chinese labels as a list to choose from.
fn zh_choices(labels: impl Iterator<Item = Text>) -> String {
    let labels: Vec<String> = labels.map(|l| format!("「{}」", l.zh)).collect();
    match labels.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}或{last}", rest.join("")),
        None => String::new(),
    }
}

/// `postgraduate, undergraduate or junior college`.
fn en_choices(labels: impl Iterator<Item = Text>) -> String {
    let labels: Vec<String> = labels.map(|l| l.en).collect();
    match labels.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => excerpt(s.trim(), 40).into_owned(),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::Error(e) => e.clone(),
        Cell::Empty => String::new(),
    }
}

/// A cell read as text. Numbers are written without a fraction (Excel stores a student number
/// typed into a general cell as 2023001.0); an identity number stored as a number has already
/// lost its last digits, so it is refused with the fix.
fn text_value(column: &Column, cell: Cell) -> std::result::Result<String, Text> {
    match cell {
        Cell::Text(s) if s.trim().len() == s.len() => Ok(s),
        Cell::Text(s) => Ok(s.trim().to_owned()),
        Cell::Number(n) if column.field == Field::IdNumber => Err(Text::new(
            format!("身份证号被 Excel 存成了数字（{n}），末几位已经丢失；请把该列设为文本格式后重新录入"),
            format!(
                "the identity number was stored by Excel as a number ({n}) and lost its last digits; format the column as text and enter it again"
            ),
        )),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Ok(format!("{}", n as i64)),
        Cell::Number(n) => Ok(n.to_string()),
        Cell::Date(d) if column.is_text_only() || column.field == Field::Name => {
            Err(Text::new(format!("这里应填文字，却是日期 {d}"), format!("expected text here but found the date {d}")))
        }
        Cell::Date(d) => Ok(d.to_string()),
        Cell::Empty | Cell::Error(_) => Ok(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(values: &[&str]) -> Vec<Cell> {
        values.iter().map(|v| if v.is_empty() { Cell::Empty } else { Cell::Text((*v).to_owned()) }).collect()
    }

    #[test]
    fn a_good_row_becomes_a_record() {
        let header =
            Header::parse(&cells(&["序号", "姓名", "性别", "所在支部", "申请入党日期", "谈话日期", "政治面貌"]))
                .unwrap();
        assert_eq!(header.ignored, ["政治面貌"]);
        let record =
            parse_row(&header, 2, cells(&["1", "张三", "男", "第一党支部", "2026/3/1", "2026年3月20日", "共青团员"]))
                .unwrap()
                .unwrap();
        assert_eq!(record.person.name, "张三");
        assert_eq!(record.person.gender, Some(Gender::Male));
        assert_eq!(record.branch, "第一党支部");
        assert_eq!(record.events.len(), 2);
        assert_eq!(record.events[1].kind, EventKind::ApplicantTalk);
        assert_eq!(record.events[1].date.to_string(), "2026-03-20");
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let header = Header::parse(&cells(&["name", "gender", "branch", "applied_on"])).unwrap();
        let problems = parse_row(&header, 7, cells(&["", "X", "一支部", "2026-02-30"])).unwrap().unwrap_err();
        let found: Vec<(u64, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(found, [(7, "gender"), (7, "applied_on"), (7, "name")]);
        assert!(problems[1].reason_zh.contains("2026-02-30"));
    }

    #[test]
    fn a_header_without_name_or_branch_is_refused() {
        let err = Header::parse(&cells(&["姓名", "性别"])).unwrap_err();
        assert!(err.message(crate::Lang::Zh).contains("所在支部"), "{err}");
    }

    #[test]
    fn identity_numbers_stored_as_numbers_are_refused() {
        let header = Header::parse(&cells(&["姓名", "所在支部", "身份证号"])).unwrap();
        let row = vec![Cell::Text("张三".into()), Cell::Text("一支部".into()), Cell::Number(1.10105194912310e17)];
        let problems = parse_row(&header, 2, row).unwrap().unwrap_err();
        assert_eq!(problems[0].column, "身份证号");
        assert!(problems[0].reason_zh.contains("文本格式"));
    }

    #[test]
    fn blank_rows_are_skipped() {
        let header = Header::parse(&cells(&["姓名", "所在支部"])).unwrap();
        assert!(parse_row(&header, 9, cells(&["", ""])).is_none());
    }
}
