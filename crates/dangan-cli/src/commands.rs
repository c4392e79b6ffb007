//! One function per command, each a thin call into `dangan-core`.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;
use dangan_core::deadlines::{DeadlineItem, DeadlineQuery, Status};
use dangan_core::domain::Stage;
use dangan_core::roster::{self, ImportOptions, ImportReport};
use dangan_core::rules::RuleSetId;
use dangan_core::store::{MemberQuery, MemberSummary};
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Error, Lang, Result, Store, Text, Workspace, calendar, demo};
use indicatif::{ProgressBar, ProgressStyle};

use crate::ui::{pad, t};
use crate::{Cli, Command, passphrase};

/// The filters shared by `members` and `export`.
#[derive(Args, Debug, Clone, Default)]
pub struct Filter {
    /// A stage: applicant, activist, candidate, probationary, full_member (or its Chinese name)
    #[arg(long)]
    stage: Option<String>,
    /// A branch or general branch, by name or path (总支/支部)
    #[arg(long)]
    branch: Option<String>,
    /// Name, pinyin initials (zs), full pinyin (zhangsan) or student number
    #[arg(long)]
    search: Option<String>,
}

pub fn run(cli: Cli, lang: Lang) -> Result<()> {
    let workspace = match cli.workspace.clone().or_else(Workspace::default_dir) {
        Some(dir) => Workspace::at(dir),
        None => {
            return Err(Error::InvalidInput {
                field: "workspace".into(),
                reason: Text::new(
                    "找不到默认的数据目录，请用 --workspace 指定",
                    "no default data folder; pass --workspace",
                ),
            });
        }
    };
    let file = cli.passphrase_file.as_deref();
    let unlock = || -> Result<Store> {
        if !workspace.exists() {
            return Err(Error::WorkspaceMissing { path: workspace.dir().to_owned() });
        }
        let pass = passphrase::read("DANGAN_PASSPHRASE", file, lang, t(lang, "口令：", "Passphrase: "), false)?;
        workspace.open(&pass)
    };
    match cli.command {
        Command::Init { committee, rules } => {
            let rule_set = RuleSetId::parse(&rules).ok_or_else(|| Error::InvalidInput {
                field: "rules".into(),
                reason: Text::new(
                    format!("未知的规则版本「{rules}」，可选 cpc-2026 或 cpc-2014"),
                    format!("unknown rule set “{rules}”: choose cpc-2026 or cpc-2014"),
                ),
            })?;
            if workspace.exists() {
                return Err(Error::WorkspaceExists { path: workspace.dir().to_owned() });
            }
            let pass =
                passphrase::read("DANGAN_PASSPHRASE", file, lang, t(lang, "设置口令：", "New passphrase: "), true)?;
            let new = NewWorkspace { rule_set, ..NewWorkspace::new(&pass, &committee) };
            workspace.create(&new)?;
            println!(
                "{} {}",
                t(lang, "已创建加密工作区：", "Created an encrypted workspace at"),
                workspace.dir().display()
            );
            Ok(())
        }
        Command::Import { file: roster_file, dry_run, json } => {
            let mut store = unlock()?;
            import(&mut store, &roster_file, dry_run, json, lang)
        }
        Command::Export { file: out, filter } => {
            let store = unlock()?;
            let query = query(&store, &filter)?;
            let count = roster::export_xlsx(&store, &query, &out)?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("已导出 {count} 人到 {}", out.display()),
                    Lang::En => format!("Exported {count} people to {}", out.display()),
                }
            );
            Ok(())
        }
        Command::Template { file: out } => {
            roster::write_template(&out)?;
            println!("{} {}", t(lang, "已写出名册模板：", "Wrote a roster template to"), out.display());
            Ok(())
        }
        Command::Members { filter, json } => {
            let store = unlock()?;
            let query = query(&store, &filter)?;
            let page = store.list_members(&query)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&page.items)
                        .map_err(|e| Error::Io { path: "stdout".into(), source: e.into() })?
                );
            } else {
                print_members(&page.items, page.total, lang);
            }
            Ok(())
        }
        Command::Deadlines { as_of, within, branch, json } => {
            let store = unlock()?;
            let as_of = match as_of.as_deref() {
                None => calendar::today(),
                Some(s) => calendar::parse_flexible(s).ok_or_else(|| Error::InvalidInput {
                    field: "as_of".into(),
                    reason: Text::new(
                        format!("无法识别的日期「{s}」，应写作 2026-11-24"),
                        format!("“{s}” is not a date; write 2026-11-24"),
                    ),
                })?,
            };
            let branch_id = match branch.as_deref() {
                None => None,
                Some(b) => Some(find_branch(&store, b)?),
            };
            let items = store.deadlines(&DeadlineQuery { as_of, within, branch_id })?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&items)
                        .map_err(|e| Error::Io { path: "stdout".into(), source: e.into() })?
                );
            } else {
                print_deadlines(&items, lang);
            }
            Ok(())
        }
        Command::Demo { people } => {
            let mut store = if workspace.exists() {
                unlock()?
            } else {
                let pass =
                    passphrase::read("DANGAN_PASSPHRASE", file, lang, t(lang, "设置口令：", "New passphrase: "), true)?;
                workspace.create(&NewWorkspace::new(&pass, "中共示范大学委员会"))?
            };
            if store.count_people()? > 0 {
                return Err(Error::InvalidInput {
                    field: "workspace".into(),
                    reason: Text::new(
                        "工作区中已有人员，演示数据只能填入新的工作区",
                        "the workspace already holds people; demo data goes into a new workspace only",
                    ),
                });
            }
            let report = demo::populate(&mut store, people, 20_26_11_24)?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "已在 {} 生成演示数据：{} 人，{} 个支部",
                        workspace.dir().display(),
                        report.created,
                        report.branches_created.len()
                    ),
                    Lang::En => format!(
                        "Filled {} with demo data: {} people in {} branches",
                        workspace.dir().display(),
                        report.created,
                        report.branches_created.len()
                    ),
                }
            );
            Ok(())
        }
        Command::Passwd { new_passphrase_file } => {
            if !workspace.exists() {
                return Err(Error::WorkspaceMissing { path: workspace.dir().to_owned() });
            }
            let old = passphrase::read(
                "DANGAN_PASSPHRASE",
                file,
                lang,
                t(lang, "当前口令：", "Current passphrase: "),
                false,
            )?;
            let new = passphrase::read(
                "DANGAN_NEW_PASSPHRASE",
                new_passphrase_file.as_deref(),
                lang,
                t(lang, "新口令：", "New passphrase: "),
                true,
            )?;
            workspace.change_passphrase(&old, &new)?;
            println!("{}", t(lang, "口令已更改", "The passphrase was changed"));
            Ok(())
        }
        Command::BenchRoster { rows, out } => {
            let records = demo::records(rows, calendar::today(), 7);
            let written = match out.extension().and_then(|e| e.to_str()) {
                Some("csv") => roster::write_records_csv(&out, &records)?,
                _ => roster::write_records_xlsx(&out, &records)?,
            };
            println!("{written}");
            Ok(())
        }
    }
}

fn query(store: &Store, filter: &Filter) -> Result<MemberQuery> {
    let stage = match filter.stage.as_deref() {
        None => None,
        Some(s) => Some(Stage::parse(s).ok_or_else(|| Error::InvalidInput {
            field: "stage".into(),
            reason: Text::new(
                format!("未知的阶段「{s}」，可选 applicant、activist、candidate、probationary、full_member"),
                format!("unknown stage “{s}”: choose applicant, activist, candidate, probationary or full_member"),
            ),
        })?),
    };
    let branch_id = match filter.branch.as_deref() {
        None => None,
        Some(b) => Some(find_branch(store, b)?),
    };
    Ok(MemberQuery { stage, branch_id, search: filter.search.clone(), offset: 0, limit: MemberQuery::MAX_LIMIT })
}

fn find_branch(store: &Store, name: &str) -> Result<i64> {
    store.org_tree()?.find(name)?.ok_or_else(|| Error::NotFound {
        what: Text::new(format!("名为「{name}」的支部"), format!("a branch named “{name}”")),
    })
}

fn print_deadlines(items: &[DeadlineItem], lang: Lang) {
    let name_w = items.iter().map(|i| crate::ui::display_width(&i.name)).max().unwrap_or(4).max(4);
    let rule_w = items.iter().map(|i| crate::ui::display_width(rule_name(i, lang))).max().unwrap_or(4).max(4);
    println!(
        "{}  {}  {}  {}  {}",
        pad(t(lang, "状态", "status"), 10),
        pad(t(lang, "期限", "due"), 10),
        pad(t(lang, "姓名", "name"), name_w),
        pad(t(lang, "事项", "step"), rule_w),
        t(lang, "依据", "clause")
    );
    for item in items {
        println!(
            "{}  {}  {}  {}  {}",
            pad(item.status.label().get(lang), 10),
            item.due,
            pad(&item.name, name_w),
            pad(rule_name(item, lang), rule_w),
            item.clause
        );
    }
    let overdue = items.iter().filter(|i| i.status == Status::Overdue).count();
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("共 {} 项，其中已逾期 {overdue} 项", items.len()),
            Lang::En => format!("{} items, {overdue} overdue", items.len()),
        }
    );
}

fn rule_name(item: &DeadlineItem, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &item.rule_name_zh,
        Lang::En => &item.rule_name_en,
    }
}

fn print_members(items: &[MemberSummary], total: u64, lang: Lang) {
    let name_w = items.iter().map(|m| crate::ui::display_width(&m.name)).max().unwrap_or(4).max(4);
    let stage_w = 12;
    let branch_w = items.iter().map(|m| crate::ui::display_width(&m.branch)).max().unwrap_or(4).clamp(4, 40);
    println!(
        "{}  {}  {}  {}  {}",
        pad(t(lang, "编号", "id"), 6),
        pad(t(lang, "姓名", "name"), name_w),
        pad(t(lang, "阶段", "stage"), stage_w),
        pad(t(lang, "所在支部", "branch"), branch_w),
        t(lang, "学号工号", "student no.")
    );
    for m in items {
        let stage = m.stage.label();
        println!(
            "{}  {}  {}  {}  {}",
            pad(&m.id.to_string(), 6),
            pad(&m.name, name_w),
            pad(stage.get(lang), stage_w),
            pad(&m.branch, branch_w),
            m.student_no.as_deref().unwrap_or("")
        );
    }
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("共 {total} 人"),
            Lang::En => format!("{total} people"),
        }
    );
}

fn import(store: &mut Store, path: &Path, dry_run: bool, json: bool, lang: Lang) -> Result<()> {
    let reading = ProgressBar::new_spinner().with_message(t(lang, "正在读取名册…", "Reading the roster…").to_owned());
    // Reading a large workbook takes a second or more: keep the spinner moving meanwhile.
    reading.enable_steady_tick(std::time::Duration::from_millis(100));
    let parsed = roster::read(path);
    reading.finish_and_clear();
    let parsed = parsed?;

    let cancelled = Arc::new(AtomicBool::new(false));
    {
        let cancelled = cancelled.clone();
        // Ctrl+C cancels: the transaction rolls back and nothing is imported.
        let _ = ctrlc::set_handler(move || cancelled.store(true, Ordering::SeqCst));
    }
    let bar = ProgressBar::new(parsed.records.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(t(lang, "（Ctrl+C 取消）", "(Ctrl+C cancels)").to_owned());
    let result = store.import_roster(parsed, ImportOptions { dry_run }, |p| {
        bar.set_position(p.done);
        if cancelled.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    });
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            if json {
                print_json(&report);
            } else {
                print_report(&report, lang);
            }
            Ok(())
        }
        Err(Error::ImportRejected { report }) => {
            if json {
                print_json(&report);
            } else {
                for p in &report.problems {
                    eprintln!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("第 {} 行「{}」：{}", p.row, p.column, p.reason_zh),
                            Lang::En => format!("row {}, column “{}”: {}", p.row, p.column, p.reason_en),
                        }
                    );
                }
            }
            Err(Error::ImportRejected { report })
        }
        Err(e) => Err(e),
    }
}

fn print_json(report: &ImportReport) {
    println!("{}", serde_json::to_string_pretty(report).unwrap_or_default());
}

fn print_report(report: &ImportReport, lang: Lang) {
    let rows = report.updated_rows.iter().map(u64::to_string).collect::<Vec<_>>().join("、");
    let line = match (lang, report.committed) {
        (Lang::Zh, true) => {
            format!("已导入 {} 行：新增 {} 人，更新 {} 人", report.rows, report.created, report.updated)
        }
        (Lang::Zh, false) => {
            format!("预检通过，未保存：{} 行，将新增 {} 人，更新 {} 人", report.rows, report.created, report.updated)
        }
        (Lang::En, true) => {
            format!("Imported {} rows: {} added, {} updated", report.rows, report.created, report.updated)
        }
        (Lang::En, false) => format!(
            "Dry run passed, nothing saved: {} rows would add {} and update {}",
            report.rows, report.created, report.updated
        ),
    };
    println!("{line}");
    if report.updated > 0 {
        println!(
            "{}",
            match lang {
                Lang::Zh => format!("已有人员被更新而非重复添加（按身份证号或学号识别）：第 {rows} 行"),
                Lang::En => format!(
                    "Already registered people were updated, not duplicated (matched by ID or student number): rows {rows}"
                ),
            }
        );
    }
    if !report.branches_created.is_empty() {
        println!("{}{}", t(lang, "新建支部：", "New branches: "), report.branches_created.join(t(lang, "、", ", ")));
    }
    if !report.ignored_columns.is_empty() {
        println!(
            "{}{}",
            t(
                lang,
                "注意：以下列无法识别，其内容没有导入：",
                "Note: these columns were not recognised and were not imported: "
            ),
            report.ignored_columns.join(t(lang, "、", ", "))
        );
    }
}
