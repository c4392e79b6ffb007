//! Every list as a workbook (issue 15, "every list exports"): the deadline list and the 工作提醒
//! dashboard, beside the member list (`roster/write.rs`) and the statistics (`statistics/export.rs`).
//! One small sheet writer serves them: a header row and rows of text, numbers and dates.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::calendar::Date;
use crate::deadlines::{Dashboard, DeadlineItem, Status};
use crate::{Error, Result};

/// One cell of a list.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Number(f64),
    Date(Date),
    Empty,
}

/// One sheet: its name, header and rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Io { path: path.to_owned(), source: std::io::Error::other(e.to_string()) }
}

/// Writes the sheets to `path` (`.xlsx`), whole or not at all, never inside the workspace.
pub fn write_sheets(workspace_dir: &Path, path: &Path, sheets: &[Sheet]) -> Result<()> {
    crate::output::ensure_outside(workspace_dir, path)?;
    if path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some("xlsx") {
        return Err(Error::invalid("path", "导出文件名应以 .xlsx 结尾", "the export file name must end in .xlsx"));
    }
    let err = xlsx_error(path);
    let (header, date) = (Format::new().set_bold(), Format::new().set_num_format("yyyy-mm-dd"));
    let mut workbook = Workbook::new();
    for sheet in sheets {
        let out = workbook.add_worksheet();
        out.set_name(&sheet.name).map_err(&err)?;
        for (c, title) in sheet.header.iter().enumerate() {
            out.write_string_with_format(0, c as u16, title, &header).map_err(&err)?;
            out.set_column_width(c as u16, 14).map_err(&err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                match value {
                    // Text goes in as text: a name beginning with = is never run as a formula.
                    Value::Text(s) => out.write_string(r, c, s).map(|_| ()),
                    Value::Number(n) => out.write_number(r, c, *n).map(|_| ()),
                    Value::Date(d) => {
                        let at = rust_xlsxwriter::ExcelDateTime::from_ymd(
                            chrono::Datelike::year(d) as u16,
                            chrono::Datelike::month(d) as u8,
                            chrono::Datelike::day(d) as u8,
                        )
                        .map_err(&err)?;
                        out.write_datetime_with_format(r, c, &at, &date).map(|_| ())
                    }
                    Value::Empty => Ok(()),
                }
                .map_err(&err)?;
            }
        }
    }
    let bytes = workbook.save_to_buffer().map_err(&err)?;
    crate::output::write(workspace_dir, path, &bytes)
}

/// The deadline list as a sheet: status, due day, days left, who owes it (a member's name, or the
/// unit and its party group), branch, step, clause, set aside.
pub fn deadline_sheet(name: &str, items: &[DeadlineItem], as_of: Date) -> Sheet {
    let header = ["状态", "期限", "剩余天数", "姓名或组织", "所在支部", "事项", "依据", "已处理或暂缓"];
    Sheet {
        name: name.into(),
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        rows: items
            .iter()
            .map(|item| {
                let set_aside = if item.acknowledged {
                    "已处理".to_owned()
                } else if let Some(until) = item.snoozed_until.filter(|u| *u > as_of) {
                    format!("暂缓至 {}", crate::calendar::format_zh(until))
                } else {
                    String::new()
                };
                vec![
                    Value::Text(item.status.label().zh),
                    Value::Date(item.due),
                    Value::Number(item.days_left(as_of) as f64),
                    Value::Text(item.owner.display_name()),
                    Value::Text(item.branch.to_string()),
                    Value::Text(item.rule_name_zh.to_string()),
                    Value::Text(item.clause.to_string()),
                    if set_aside.is_empty() { Value::Empty } else { Value::Text(set_aside) },
                ]
            })
            .collect(),
    }
}

/// The dashboard: the counts per branch and status, then every pending item (not only the 200 it shows).
pub fn dashboard_sheets(dashboard: &Dashboard, items: &[DeadlineItem]) -> Vec<Sheet> {
    let mut header = vec!["所在支部".to_owned()];
    header.extend(Status::ALL.iter().map(|s| s.label().zh));
    let counts = |c: &crate::deadlines::StatusCounts| -> Vec<Value> {
        [c.overdue, c.due_soon, c.upcoming, c.not_yet, c.open].iter().map(|n| Value::Number(f64::from(*n))).collect()
    };
    let mut rows: Vec<Vec<Value>> = dashboard
        .branches
        .iter()
        .map(|b| std::iter::once(Value::Text(b.branch.clone())).chain(counts(&b.counts)).collect())
        .collect();
    rows.push(std::iter::once(Value::Text("合计".into())).chain(counts(&dashboard.totals)).collect());
    vec![Sheet { name: "各支部待办".into(), header, rows }, deadline_sheet("全部待办事项", items, dashboard.as_of)]
}

/// The transfer letters as a sheet: number, name, branch, destination, issued, valid until,
/// state, receipt returned.
pub fn letters_sheet(letters: &[crate::transfer::TransferLetter]) -> Sheet {
    use crate::transfer::LetterState;
    let header = ["编号", "姓名", "所在支部", "转往", "开具日期", "有效期至", "状态", "回执日期"];
    let rows = letters
        .iter()
        .map(|l| {
            let state = match l.state {
                LetterState::Issued => "有效期内",
                LetterState::Received => "已收到回执",
                LetterState::Expired => "已过有效期",
                LetterState::Reissued => "已重开",
                LetterState::Cancelled => "已作废",
            };
            vec![
                Value::Text(l.number.clone()),
                Value::Text(l.name.clone()),
                Value::Text(l.branch.clone()),
                Value::Text(l.destination.clone()),
                Value::Date(l.issued_on),
                Value::Date(l.valid_until),
                Value::Text(state.to_owned()),
                l.receipt_on.map_or(Value::Empty, Value::Date),
            ]
        })
        .collect();
    Sheet { name: "组织关系介绍信".into(), header: header.iter().map(|h| (*h).to_owned()).collect(), rows }
}

/// A year's appraisals as one sheet: each branch's members with their votes, grade and reason;
/// a probationary member as taking part.
pub fn appraisal_sheet(appraisals: &[crate::appraisal::Appraisal]) -> Sheet {
    let header =
        ["党支部", "姓名", "参评", "优秀票", "合格票", "基本合格票", "不合格票", "评定等次", "理由", "结束日期"];
    let mut rows = Vec::new();
    for a in appraisals {
        for p in &a.participants {
            let count = |n: Option<u32>| n.map_or(Value::Empty, |n| Value::Number(f64::from(n)));
            let votes = p.votes;
            rows.push(vec![
                Value::Text(a.unit.clone()),
                Value::Text(p.name.clone()),
                Value::Text(if p.graded { "正式党员" } else { "预备党员（不评定等次）" }.to_owned()),
                count(votes.map(|v| v.excellent)),
                count(votes.map(|v| v.qualified)),
                count(votes.map(|v| v.basically_qualified)),
                count(votes.map(|v| v.unqualified)),
                p.grade.map_or(Value::Empty, |g| Value::Text(g.label().zh)),
                p.reason.clone().map_or(Value::Empty, Value::Text),
                a.closed_on.map_or(Value::Empty, Value::Date),
            ]);
        }
    }
    let year = appraisals.first().map(|a| a.year.to_string()).unwrap_or_default();
    Sheet { name: format!("{year}年度民主评议"), header: header.iter().map(|h| (*h).to_owned()).collect(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadlines::{BranchCounts, StatusCounts};

    #[test]
    fn the_dashboard_sheet_counts_each_branch_and_totals_them() {
        let counts = StatusCounts { overdue: 2, due_soon: 1, ..StatusCounts::default() };
        let dashboard = Dashboard {
            as_of: "2026-11-24".parse().unwrap(),
            totals: counts,
            branches: vec![BranchCounts { branch_id: 2, branch: "第一党支部".into(), counts }],
            urgent: Vec::new(),
            urgent_total: 3,
            dismissed: 0,
        };
        let sheets = dashboard_sheets(&dashboard, &[]);
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].header[1], "已逾期");
        let first: Vec<String> = sheets[0].rows[0]
            .iter()
            .map(|v| match v {
                Value::Text(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(first, ["第一党支部", "2", "1", "0", "0", "0"]);
        assert!(matches!(&sheets[0].rows[1][0], Value::Text(t) if t == "合计"));
    }

    #[test]
    fn a_list_is_never_written_inside_the_workspace_or_under_another_ending() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("list.xlsx");
        assert!(write_sheets(dir.path(), &inside, &[]).is_err());
        let outside = tempfile::tempdir().unwrap();
        let wrong = outside.path().join("list.csv");
        assert!(write_sheets(dir.path(), &wrong, &[]).is_err());
        assert!(!wrong.exists());
    }
}
