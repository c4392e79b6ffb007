//! Party dues written out: a period's branch summary and its payments as a workbook (two sheets
//! through `lists.rs`, amounts in yuan as numbers a spreadsheet adds up), and the list of receipts (党费收据清单) as an
//! A4 PDF to sign and file. Written whole or not at all, never inside the workspace.

use std::path::Path;

use crate::calendar::format_zh;
use crate::dossier::report::{ReportInfo, Section, render_report};
use crate::dues::{Month, format_yuan};
use crate::lists::{Sheet, Value, write_sheets};
use crate::store::{BranchDues, DuesReceipt};
use crate::{Error, Result};

/// The period as a heading says it: 2026年11月, or 2026年1月至2026年12月.
fn period(from: Month, to: Month) -> String {
    if from == to { from.zh() } else { format!("{}至{}", from.zh(), to.zh()) }
}

fn months_of(r: &DuesReceipt) -> String {
    if r.from_month == r.to_month { r.from_month.to_string() } else { format!("{}—{}", r.from_month, r.to_month) }
}

/// Fen as yuan for a spreadsheet cell: exact to the fen.
fn yuan(fen: i64) -> Value {
    Value::Number(fen as f64 / 100.0)
}

/// The period's branch summary and its payments, a sheet each.
fn sheets(summary: &[BranchDues], receipts: &[DuesReceipt]) -> Vec<Sheet> {
    let header = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
    let count = |n: u32| Value::Number(f64::from(n));
    vec![
        Sheet {
            name: "支部汇总".into(),
            header: header(&["党支部", "应交人数", "应交（元）", "已交（元）", "已交月数", "缓交月数", "欠交（元）"]),
            rows: summary
                .iter()
                .map(|b| {
                    vec![
                        Value::Text(b.branch.clone()),
                        count(b.members),
                        yuan(b.due_fen),
                        yuan(b.paid_fen),
                        count(b.paid_months),
                        count(b.deferred_months),
                        yuan(b.outstanding_fen),
                    ]
                })
                .collect(),
        },
        Sheet {
            name: "交纳明细".into(),
            header: header(&["党支部", "姓名", "所交月份", "金额（元）", "交纳日期", "代交人"]),
            rows: receipts
                .iter()
                .map(|r| {
                    vec![
                        Value::Text(r.branch.clone()),
                        Value::Text(r.name.clone()),
                        Value::Text(months_of(r)),
                        yuan(r.amount_fen),
                        Value::Date(r.paid_on),
                        r.paid_by.clone().map_or(Value::Empty, Value::Text),
                    ]
                })
                .collect(),
        },
    ]
}

/// Writes the period's summary and payments: a workbook (`.xlsx`), or the receipt list (`.pdf`).
pub fn write(
    workspace_dir: &Path,
    path: &Path,
    committee: &str,
    period: (Month, Month),
    summary: &[BranchDues],
    receipts: &[DuesReceipt],
) -> Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if ext.as_deref() == Some("pdf") {
        crate::output::ensure_outside(workspace_dir, path)?;
        let pdf = receipt_list(committee, period, receipts)?;
        return crate::output::write(workspace_dir, path, &pdf);
    }
    if ext.as_deref() != Some("xlsx") {
        return Err(Error::invalid("path", "文件名应以 .xlsx 或 .pdf 结尾", "the file name must end in .xlsx or .pdf"));
    }
    write_sheets(workspace_dir, path, &sheets(summary, receipts))
}

/// 党费收据清单: each payment of the period, a line each, by branch, with the total.
fn receipt_list(committee: &str, (from, to): (Month, Month), receipts: &[DuesReceipt]) -> Result<Vec<u8>> {
    let total: i64 = receipts.iter().map(|r| r.amount_fen).sum();
    let rows: Vec<Vec<String>> = receipts
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.name.clone(),
                months_of(r),
                format_yuan(r.amount_fen),
                format_zh(r.paid_on),
                r.paid_by.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let columns = [
        ("序号", 12.0),
        ("姓名", 26.0),
        ("所交月份", 34.0),
        ("金额（元）", 24.0),
        ("交纳日期", 36.0),
        ("代交人", 24.0),
    ]
    .iter()
    .map(|(h, w)| ((*h).to_owned(), *w))
    .collect();
    let sections = [
        Section::TextTable { heading: None, columns, rows },
        Section::Paragraphs(vec![
            format!("共 {} 笔，合计 {} 元。", receipts.len(), format_yuan(total)),
            "收款人（签字）：　　　　　　　　　经办人（签字）：".to_owned(),
        ]),
    ];
    let info = ReportInfo {
        title: "党费收据清单",
        subtitle: vec![committee.to_owned(), period(from, to)],
        author: committee,
        generated_on: crate::calendar::today(),
        created_at: chrono::Utc::now(),
    };
    render_report(&info, &sections)
}
