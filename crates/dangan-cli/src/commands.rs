//! One function per command, each a thin call into `dangan-core`.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;
use dangan_core::checklist::ChecklistLine;
use dangan_core::deadlines::{DeadlineItem, DeadlineQuery, Status};
use dangan_core::domain::{EventKind, Grade, Record, RecordFields, RecordKind, Stage};
use dangan_core::dossier::{self, DossierData, DossierFonts, DossierOptions};
use dangan_core::reminders::Threshold;
use dangan_core::roster::{self, Duplicates, ImportOptions, ImportReport};
use dangan_core::rules::Period;
use dangan_core::rules::RuleSetId;
use dangan_core::store::{MemberQuery, NewAttachment};
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Error, Lang, Result, Store, Text, Workspace, calendar, demo};
use indicatif::{ProgressBar, ProgressStyle};

use crate::ui::{errln, outln, pad, t};
use crate::{Cli, Command, accounts, passphrase};

/// `dangan record`: what the new record says.
#[derive(Args, Debug, Clone)]
pub struct NewRecordArgs {
    #[arg(long, value_name = "ID")]
    member: i64,
    /// application_letter, talk_record, thought_report, activist_review, training_record,
    /// introducer_opinion, political_review, branch_resolution, approval, oath,
    /// conversion_application, study_note, appraisal (or the Chinese name: 谈话记录, …)
    #[arg(long)]
    kind: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    /// The procedure step it documents (applicant_talk, admitted, …): the member's latest of that step
    #[arg(long, value_name = "STEP")]
    step: Option<String>,
    #[arg(long)]
    title: Option<String>,
    /// The record's text
    #[arg(long, conflicts_with = "text_file")]
    text: Option<String>,
    /// Read the record's text from a UTF-8 file
    #[arg(long, value_name = "FILE")]
    text_file: Option<std::path::PathBuf>,
    /// Who talked with the person (talk records)
    #[arg(long)]
    who: Option<String>,
    /// The course (training records)
    #[arg(long)]
    course: Option<String>,
    /// Class hours (training records)
    #[arg(long)]
    hours: Option<f64>,
    /// The certificate's number (training records)
    #[arg(long)]
    certificate: Option<String>,
    /// 优秀, 合格, 基本合格 or 不合格 (appraisals)
    #[arg(long)]
    grade: Option<String>,
    /// 0 to 100 (appraisals)
    #[arg(long)]
    score: Option<f64>,
    /// A file to attach (JPEG, PNG or PDF); repeat for several
    #[arg(long = "attach", value_name = "FILE")]
    attach: Vec<std::path::PathBuf>,
}

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
    let user = cli.user.as_deref();
    let passphrase = || {
        if !workspace.exists() {
            return Err(Error::WorkspaceMissing { path: workspace.dir().to_owned() });
        }
        passphrase::read("DANGAN_PASSPHRASE", file, lang, t(lang, "口令：", "Passphrase: "), false)
    };
    let unlock = || -> Result<Store> { workspace.open_as(user, &passphrase()?) };
    match cli.command {
        Command::Init { committee, rules, recovery_pdf } => {
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
            if let Some(pdf) = recovery_pdf.as_deref() {
                dangan_core::output::ensure_outside(workspace.dir(), pdf)?;
            }
            let pass =
                passphrase::read("DANGAN_PASSPHRASE", file, lang, t(lang, "设置口令：", "New passphrase: "), true)?;
            let new = NewWorkspace { rule_set, user: user.unwrap_or("admin"), ..NewWorkspace::new(&pass, &committee) };
            let (store, code) = workspace.create_with_recovery(&new)?;
            outln!(
                "{} {}",
                t(lang, "已创建加密工作区：", "Created an encrypted workspace at"),
                workspace.dir().display()
            );
            accounts::hand_over_recovery_code(&workspace, &store, &code, recovery_pdf.as_deref(), lang)
        }
        Command::Import { file: roster_file, dry_run, json, duplicates } => {
            let duplicates = match duplicates.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None => None,
                Some("add") => Some(Duplicates::Add),
                Some("skip") => Some(Duplicates::Skip),
                Some(other) => {
                    return Err(Error::invalid(
                        "duplicates",
                        format!("--duplicates 只能是 add 或 skip，而不是「{}」", dangan_core::text::excerpt(other, 20)),
                        format!("--duplicates takes add or skip, not “{}”", dangan_core::text::excerpt(other, 20)),
                    ));
                }
            };
            let pass = passphrase()?;
            // The workspace unlocks (Argon2, slow by design) while the roster is read. The reading
            // stays on this thread, which imports it: memory it frees is reused here.
            let (store, parsed) = std::thread::scope(|threads| {
                let opening = threads.spawn(|| workspace.open_as(user, &pass));
                let parsed = read_roster(&roster_file, lang);
                (opening.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), parsed)
            });
            let mut store = store?;
            import(
                &mut store,
                &roster_file,
                parsed,
                ImportOptions { dry_run, duplicates: duplicates.unwrap_or_default() },
                json,
                lang,
            )
        }
        Command::Export { file: out, filter } => {
            let store = unlock()?;
            let query = query(&store, &filter)?;
            let count = roster::export_xlsx(&store, &query, &out)?;
            outln!(
                "{}",
                match lang {
                    Lang::Zh => format!("已导出 {count} 人到 {}", out.display()),
                    Lang::En => format!("Exported {count} people to {}", out.display()),
                }
            );
            Ok(())
        }
        Command::Template { file: out } => {
            roster::write_template(workspace.dir(), &out)?;
            outln!("{} {}", t(lang, "已写出名册模板：", "Wrote a roster template to"), out.display());
            Ok(())
        }
        Command::Members { filter, json } => {
            let store = unlock()?;
            let query = query(&store, &filter)?;
            if json { print_members_json(&store, &query) } else { print_members(&store, &query, lang) }
        }
        Command::Deadlines { as_of, within, branch, json, ics, all } => {
            let store = unlock()?;
            let as_of = parse_as_of(as_of.as_deref())?;
            let branch_id = match branch.as_deref() {
                None => None,
                Some(b) => Some(find_branch(&store, b)?),
            };
            let items = store.deadlines(&DeadlineQuery {
                as_of: Some(as_of),
                within,
                branch_id,
                include_dismissed: all,
                ..Default::default()
            })?;
            if let Some(path) = ics {
                let text = dangan_core::ics::write_ics(&items, &store.calendar_id()?, chrono::Utc::now());
                dangan_core::output::write(workspace.dir(), &path, text.as_bytes())?;
                outln!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("已将 {} 项期限写入日历文件 {}", items.len(), path.display()),
                        Lang::En => format!("Wrote {} deadlines to the calendar file {}", items.len(), path.display()),
                    }
                );
            } else if json {
                print_json(&items)?;
            } else {
                print_deadlines(&items, lang)?;
            }
            Ok(())
        }
        Command::Remind { as_of, notify, json } => {
            let mut store = unlock()?;
            let as_of = parse_as_of(as_of.as_deref())?;
            remind(&mut store, as_of, notify, json, lang)
        }
        Command::Rules { action } => {
            let mut store = unlock()?;
            match action.unwrap_or(crate::RulesAction::Show) {
                crate::RulesAction::Show => {}
                crate::RulesAction::Load { file } => {
                    let source =
                        std::fs::read_to_string(&file).map_err(|source| Error::Io { path: file.clone(), source })?;
                    store.load_rules(&source)?;
                    outln!("{} {}", t(lang, "已载入本单位规则文件：", "Loaded the office's rule file"), file.display());
                }
                crate::RulesAction::Reset => {
                    store.reset_rules()?;
                    outln!("{}", t(lang, "已恢复为内置规则", "Back to the shipped rules"));
                }
            }
            if let Some(warning) = store.rules_warning() {
                errln!("{}{}", t(lang, "注意：", "note: "), warning.get(lang));
            }
            print_rules(store.rules(), lang)
        }
        Command::Holidays { action } => {
            let mut store = unlock()?;
            match action.unwrap_or(crate::HolidaysAction::List) {
                crate::HolidaysAction::List => {}
                crate::HolidaysAction::Import { file } => {
                    let text =
                        std::fs::read_to_string(&file).map_err(|source| Error::Io { path: file.clone(), source })?;
                    let days =
                        dangan_core::workdays::parse_calendar(&text).map_err(|problems| Error::InvalidInput {
                            field: "file".into(),
                            reason: Text::new(
                                format!(
                                    "节假日文件 {} 有误，未做任何更改：\n{}",
                                    file.display(),
                                    problems.iter().map(|p| p.zh.as_str()).collect::<Vec<_>>().join("\n")
                                ),
                                format!(
                                    "the holiday file {} has errors; nothing was changed:\n{}",
                                    file.display(),
                                    problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("\n")
                                ),
                            ),
                        })?;
                    let years = store.set_holidays(&days)?;
                    let years: Vec<String> = years.iter().map(i32::to_string).collect();
                    outln!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("已录入 {} 年的节假日安排，共 {} 天", years.join("、"), days.len()),
                            Lang::En =>
                                format!("Entered the official calendar of {}: {} days", years.join(", "), days.len()),
                        }
                    );
                }
            }
            let (days, years) = store.holidays()?;
            let years: Vec<String> = years.iter().map(i32::to_string).collect();
            outln!(
                "{}{}",
                t(lang, "已录入的年度：", "Years entered: "),
                if years.is_empty() { t(lang, "无", "none").to_owned() } else { years.join(", ") }
            );
            for day in days {
                let kind = match (day.kind, lang) {
                    (dangan_core::workdays::DayKind::Holiday, Lang::Zh) => "假日",
                    (dangan_core::workdays::DayKind::Workday, Lang::Zh) => "调休上班",
                    (dangan_core::workdays::DayKind::Holiday, Lang::En) => "holiday",
                    (dangan_core::workdays::DayKind::Workday, Lang::En) => "workday",
                };
                outln!("{}  {}  {}", day.date, pad(kind, 8), day.name.unwrap_or_default());
            }
            Ok(())
        }
        Command::Step { action } => {
            let mut store = unlock()?;
            crate::steps::step(&mut store, action, lang)
        }
        Command::Records { member, json } => {
            let store = unlock()?;
            let records = store.records(member)?;
            let checklist = store.checklist(member)?;
            if json {
                print_json(&serde_json::json!({ "records": records, "checklist": checklist }))
            } else {
                print_file(&records, &checklist, lang)
            }
        }
        Command::Record(args) => {
            let mut store = unlock()?;
            let saved = add_record(&mut store, *args)?;
            outln!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "已添加材料 {}：{}（{}），附件 {} 个",
                        saved.id.unwrap_or_default(),
                        saved.kind.label().zh,
                        calendar::format_zh(saved.date),
                        saved.attachments.len()
                    ),
                    Lang::En => format!(
                        "Added record {}: {} ({}), {} attachment(s)",
                        saved.id.unwrap_or_default(),
                        saved.kind.label().en,
                        saved.date,
                        saved.attachments.len()
                    ),
                }
            );
            Ok(())
        }
        Command::Attachment { id, out } => {
            let store = unlock()?;
            // Read once: the bytes for the file, the name for the message.
            let (info, bytes) = store.attachment(id)?;
            dangan_core::output::write(store.workspace_dir(), &out, &bytes)?;
            outln!("{} {} → {}", t(lang, "已导出附件", "Wrote attachment"), info.name, out.display());
            Ok(())
        }
        Command::Backup { file: to } => {
            let store = unlock()?;
            let size = dangan_core::backup::write_backup(&store, &workspace, &to)?;
            outln!(
                "{}",
                match lang {
                    Lang::Zh =>
                        format!("已备份到 {}（{:.1} MB），用同一口令可恢复", to.display(), size as f64 / 1048576.0),
                    Lang::En => format!(
                        "Backed up to {} ({:.1} MB); it restores with the same passphrase",
                        to.display(),
                        size as f64 / 1048576.0
                    ),
                }
            );
            Ok(())
        }
        Command::Restore { file: from } => {
            if workspace.exists() {
                return Err(Error::WorkspaceExists { path: workspace.dir().to_owned() });
            }
            let pass = passphrase::read(
                "DANGAN_PASSPHRASE",
                file,
                lang,
                t(lang, "备份的口令：", "The backup's passphrase: "),
                false,
            )?;
            let store = dangan_core::backup::restore_backup_as(&from, &workspace, user, &pass)?;
            outln!(
                "{}",
                match lang {
                    Lang::Zh => format!("已恢复到 {}：{} 人", workspace.dir().display(), store.count_people()?),
                    Lang::En =>
                        format!("Restored into {}: {} people", workspace.dir().display(), store.count_people()?),
                }
            );
            Ok(())
        }
        Command::Verify => {
            let store = unlock()?;
            let report = store.verify()?;
            if report.is_ok() {
                outln!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "工作区完好：每一页、每条关联、{} 个附件和 {} 条审计日志的哈希链均已核对",
                            report.attachments_checked, report.audit_entries_checked
                        ),
                        Lang::En => format!(
                            "The workspace is sound: every page, reference, {} attachment(s) and the hash chain of {} audit entries checked",
                            report.attachments_checked, report.audit_entries_checked
                        ),
                    }
                );
                return Ok(());
            }
            for problem in &report.problems {
                errln!("{}", problem.get(lang));
            }
            Err(Error::Corrupt {
                path: workspace.db_path(),
                reason: Text::new(
                    format!("发现 {} 处问题", report.problems.len()),
                    format!("{} problem(s) found", report.problems.len()),
                ),
            })
        }
        Command::Dossier { member, all, filter, out } => {
            let store = unlock()?;
            dossier(&store, member, all, &filter, &out, lang)
        }
        Command::Demo { people } => {
            let mut store = if workspace.exists() {
                unlock()?
            } else {
                let pass =
                    passphrase::read("DANGAN_PASSPHRASE", file, lang, t(lang, "设置口令：", "New passphrase: "), true)?;
                // Named as `init` names it, so the person told the user name can sign in with it.
                workspace.create(&NewWorkspace {
                    user: user.unwrap_or("admin"),
                    ..NewWorkspace::new(&pass, "中共示范大学委员会")
                })?
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
            outln!(
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
            workspace.change_passphrase_as(user, &old, &new)?;
            outln!("{}", t(lang, "口令已更改", "The passphrase was changed"));
            Ok(())
        }
        Command::Users { action } => {
            let mut store = unlock()?;
            accounts::users(&workspace, &mut store, action, lang)
        }
        Command::Recovery { out } => {
            let store = unlock()?;
            // Before the new code replaces the old one: a sheet that cannot be written here
            // must not leave the office with a code nobody has.
            dangan_core::output::ensure_outside(workspace.dir(), &out)?;
            let code = workspace.new_recovery_code(&store)?;
            accounts::hand_over_recovery_code(&workspace, &store, &code, Some(&out), lang)
        }
        Command::Recover => accounts::recover(&workspace, user, lang),
        Command::Audit(args) => {
            let store = unlock()?;
            accounts::audit(&store, &args, lang)
        }
        Command::BenchRoster { rows, out } => {
            let records = demo::records(rows, calendar::today(), 7);
            let written = match out.extension().and_then(|e| e.to_str()) {
                Some("csv") => roster::write_records_csv(workspace.dir(), &out, &records)?,
                _ => roster::write_records_xlsx(workspace.dir(), &out, &records)?,
            };
            outln!("{written}");
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
    Ok(MemberQuery { stage, branch_id, search: filter.search.clone(), ..MemberQuery::all() })
}

fn add_record(store: &mut Store, args: NewRecordArgs) -> Result<Record> {
    let kind = RecordKind::parse(&args.kind).ok_or_else(|| {
        Error::invalid(
            "kind",
            format!("未知的材料种类「{}」，可选：{}", args.kind, RecordKind::ALL.map(|k| k.label().zh).join("、")),
            format!("unknown record kind “{}”: choose {}", args.kind, RecordKind::ALL.map(|k| k.as_str()).join(", ")),
        )
    })?;
    let date = parse_date("date", &args.date)?;
    let event_id = match args.step.as_deref() {
        None => None,
        Some(step) => {
            let step = EventKind::parse(step).ok_or_else(|| {
                Error::invalid("step", format!("未知的步骤「{step}」"), format!("unknown step “{step}”"))
            })?;
            Some(store.latest_event(args.member, step)?)
        }
    };
    let grade = match args.grade.as_deref() {
        None => None,
        Some(g) => Some(Grade::parse(g).ok_or_else(|| {
            Error::invalid(
                "grade",
                format!("未知的等次「{g}」，应为优秀、合格、基本合格或不合格"),
                format!("unknown grade “{g}”: excellent, qualified, basically_qualified or unqualified"),
            )
        })?),
    };
    let body = match (args.text, args.text_file) {
        (Some(text), _) => text,
        (None, Some(path)) => std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source })?,
        (None, None) => String::new(),
    };
    let attach = args.attach.iter().map(|path| NewAttachment::read(path)).collect::<Result<Vec<_>>>()?;
    let record = Record {
        id: None,
        person_id: args.member,
        kind,
        date,
        event_id,
        title: args.title,
        body,
        fields: RecordFields {
            who: args.who,
            course: args.course,
            hours: args.hours,
            certificate: args.certificate,
            grade,
            score: args.score,
        },
        attachments: Vec::new(),
    };
    store.save_record(record, &attach)
}

fn print_file(records: &[Record], checklist: &[ChecklistLine], lang: Lang) -> Result<()> {
    outln!("{}", t(lang, "材料目录", "Checklist"));
    for line in checklist.iter().filter(|l| l.expected || !l.records.is_empty()) {
        let state = if line.records.is_empty() { t(lang, "缺", "missing") } else { t(lang, "有", "present") };
        let name = if lang == Lang::Zh { &line.name_zh } else { &line.name_en };
        let date = line.date.map(|d| d.to_string()).unwrap_or_default();
        outln!("  {}  {}  {}", pad(state, 8), pad(&date, 10), name);
    }
    outln!("{}", t(lang, "材料", "Records"));
    for r in records {
        let attachments: Vec<String> = r.attachments.iter().map(|a| format!("#{} {}", a.id, a.name)).collect();
        outln!(
            "  {}  {}  {}  {}",
            pad(&r.id.unwrap_or_default().to_string(), 5),
            r.date,
            pad(r.kind.label().get(lang), 16),
            attachments.join(", ")
        );
    }
    outln!(
        "{}",
        match lang {
            Lang::Zh =>
                format!("共 {} 份材料，缺 {} 项", records.len(), checklist.iter().filter(|l| l.is_missing()).count()),
            Lang::En =>
                format!("{} records, {} missing", records.len(), checklist.iter().filter(|l| l.is_missing()).count()),
        }
    );
    Ok(())
}

fn dossier(store: &Store, member: Option<i64>, all: bool, filter: &Filter, out: &Path, lang: Lang) -> Result<()> {
    let options = DossierOptions { generated_on: calendar::today(), created_at: chrono::Utc::now() };
    let filtered = filter.stage.is_some() || filter.branch.is_some() || filter.search.is_some();
    let warn_missing = |chars: &[char]| {
        if !chars.is_empty() {
            let list: String = chars.iter().collect();
            errln!(
                "{}",
                match lang {
                    Lang::Zh => format!("注意：字体中没有这些字符，已以〓代替（复制文字时仍为原字）：{list}"),
                    Lang::En => format!(
                        "note: the fonts lack these characters, printed as 〓 (they copy as themselves): {list}"
                    ),
                }
            );
        }
    };
    if let Some(id) = member {
        if filtered {
            return Err(Error::invalid(
                "member",
                "--member 与筛选条件不能同时使用",
                "--member cannot be combined with filters",
            ));
        }
        dangan_core::output::ensure_outside(store.workspace_dir(), out)?;
        let data = DossierData::read(store, id)?;
        let rendered = dossier::render(&data, &DossierFonts::bundled(), &options)?;
        dangan_core::output::write(store.workspace_dir(), out, &rendered.pdf)?;
        outln!(
            "{}",
            match lang {
                Lang::Zh => format!("已生成 {} 的档案：{}（共 {} 页）", data.name(), out.display(), rendered.pages),
                Lang::En => format!("Wrote {}'s dossier to {} ({} pages)", data.name(), out.display(), rendered.pages),
            }
        );
        warn_missing(&rendered.missing_chars);
        return Ok(());
    }
    if !all && !filtered {
        return Err(Error::invalid(
            "member",
            "请用 --member ID 指定一人，或用 --all、--stage、--branch、--search 指定多人",
            "name one member with --member ID, or many with --all, --stage, --branch or --search",
        ));
    }
    let ids = store.member_ids(&query(store, filter)?)?;
    let cancelled = Arc::new(AtomicBool::new(false));
    {
        let cancelled = cancelled.clone();
        // Ctrl+C stops the batch; the dossiers already written stay.
        let _ = ctrlc::set_handler(move || cancelled.store(true, Ordering::SeqCst));
    }
    let bar = ProgressBar::new(ids.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(t(lang, "（Ctrl+C 取消）", "(Ctrl+C cancels)").to_owned());
    let result = dossier::write_batch(store, &ids, out, &options, |p| {
        bar.set_position(p.done);
        if cancelled.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    });
    bar.finish_and_clear();
    let report = result?;
    outln!(
        "{}",
        match lang {
            Lang::Zh => format!("已生成 {} 份档案，在 {}", report.written.len(), out.display()),
            Lang::En => format!("Wrote {} dossiers into {}", report.written.len(), out.display()),
        }
    );
    let mut missing: Vec<char> = report.missing_chars.iter().map(|(_, c)| *c).collect();
    missing.sort_unstable();
    missing.dedup();
    warn_missing(&missing);
    Ok(())
}

fn parse_as_of(as_of: Option<&str>) -> Result<calendar::Date> {
    as_of.map_or_else(|| Ok(calendar::today()), |s| parse_date("as_of", s))
}

/// A date given on the command line, in any spelling rosters use; a bad one names its option.
pub(crate) fn parse_date(field: &str, s: &str) -> Result<calendar::Date> {
    calendar::parse_flexible(s).ok_or_else(|| {
        Error::invalid(
            field,
            format!("无法识别的日期「{s}」，应写作 2026-11-24"),
            format!("“{s}” is not a date; write 2026-11-24"),
        )
    })
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::Io { path: "stdout".into(), source: e.into() })?;
    outln!("{text}");
    Ok(())
}

/// Prints the reminders due; with `notify`, sends them and records them as sent. A notification
/// service that is not there stops before anything is recorded, so the next run tries again.
fn remind(store: &mut Store, as_of: calendar::Date, notify: bool, json: bool, lang: Lang) -> Result<()> {
    // First, so that a scheduler set up without the session's bus fails today, not on the day
    // something falls due.
    if notify {
        dangan_notify::server()?;
    }
    let due = store.reminders_due(Some(as_of))?;
    if json {
        print_json(&due)?;
    } else if due.is_empty() {
        outln!("{}", t(lang, "没有新的提醒", "No new reminders"));
    } else {
        for r in &due {
            let threshold = match (r.threshold, lang) {
                (Threshold::Overdue, Lang::Zh) => "已逾期".to_owned(),
                (Threshold::Overdue, Lang::En) => "overdue".to_owned(),
                (Threshold::Lead(d), Lang::Zh) => format!("提前 {d} 天"),
                (Threshold::Lead(d), Lang::En) => format!("{d} days ahead"),
            };
            outln!("{}  {}  {}  {}", pad(&threshold, 10), r.item.due, r.item.name, rule_name(&r.item, lang));
        }
    }
    if !notify {
        if !due.is_empty() && !json {
            outln!("{}", t(lang, "（加 --notify 发送桌面通知）", "(add --notify to send desktop notifications)"));
        }
        return Ok(());
    }
    if due.is_empty() {
        return Ok(());
    }
    let sent = store.deliver_reminders(Some(as_of), lang, |notice| dangan_notify::send(notice).map(|_| ()))?;
    if !json {
        outln!(
            "{}",
            match lang {
                Lang::Zh => format!("已发送 {} 条提醒", sent.len()),
                Lang::En => format!("Sent {} reminder(s)", sent.len()),
            }
        );
    }
    Ok(())
}

fn print_rules(rules: &dangan_core::rules::RuleSet, lang: Lang) -> Result<()> {
    outln!(
        "{}{}",
        rules.title.get(lang),
        if rules.is_overridden() { t(lang, "（含本单位规则）", " (with the office's own rules)") } else { "" }
    );
    for rule in rules.deadlines() {
        let period = match (rule.period, lang) {
            (Period::Months(m), Lang::Zh) => format!("{m} 个月"),
            (Period::Months(m), Lang::En) => format!("{m} month(s)"),
            (Period::WorkingDays(d), Lang::Zh) => format!("{d} 个工作日"),
            (Period::WorkingDays(d), Lang::En) => format!("{d} working day(s)"),
        };
        outln!(
            "{}  {}  {}  {}",
            pad(&rule.id, 32),
            pad(rule.name.get(lang), 28),
            pad(&period, 12),
            rule.clause.get(lang)
        );
    }
    Ok(())
}

fn find_branch(store: &Store, name: &str) -> Result<i64> {
    store.org_tree()?.find(name)?.ok_or_else(|| Error::NotFound {
        what: {
            let name = dangan_core::text::excerpt(name, 40);
            Text::new(format!("名为「{name}」的支部"), format!("a branch named “{name}”"))
        },
    })
}

fn print_deadlines(items: &[DeadlineItem], lang: Lang) -> Result<()> {
    let name_w = items.iter().map(|i| crate::ui::display_width(&i.name)).max().unwrap_or(4).max(4);
    let rule_w = items.iter().map(|i| crate::ui::display_width(rule_name(i, lang))).max().unwrap_or(4).max(4);
    outln!(
        "{}  {}  {}  {}  {}",
        pad(t(lang, "状态", "status"), 10),
        pad(t(lang, "期限", "due"), 10),
        pad(t(lang, "姓名", "name"), name_w),
        pad(t(lang, "事项", "step"), rule_w),
        t(lang, "依据", "clause")
    );
    for item in items {
        outln!(
            "{}  {}  {}  {}  {}",
            pad(item.status.label().get(lang), 10),
            item.due,
            pad(&item.name, name_w),
            pad(rule_name(item, lang), rule_w),
            item.clause
        );
    }
    let overdue = items.iter().filter(|i| i.status == Status::Overdue).count();
    outln!(
        "{}",
        match lang {
            Lang::Zh => format!("共 {} 项，其中已逾期 {overdue} 项", items.len()),
            Lang::En => format!("{} items, {overdue} overdue", items.len()),
        }
    );
    Ok(())
}

fn rule_name(item: &DeadlineItem, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &item.rule_name_zh,
        Lang::En => &item.rule_name_en,
    }
}

/// Every member the query selects, page by page so memory stays flat however many there are.
fn print_members(store: &Store, query: &MemberQuery, lang: Lang) -> Result<()> {
    let stage_w = 12;
    let header = || -> Result<()> {
        outln!(
            "{}  {}  {}  {}  {}",
            pad(t(lang, "编号", "id"), 6),
            pad(t(lang, "姓名", "name"), 8),
            pad(t(lang, "阶段", "stage"), stage_w),
            pad(t(lang, "所在支部", "branch"), 24),
            t(lang, "学号工号", "student no.")
        );
        Ok(())
    };
    // The header waits for the first page, so a refused list prints nothing but the refusal.
    let mut headed = false;
    let total = store.for_each_member_page(query, |page| {
        if !std::mem::replace(&mut headed, true) {
            header()?;
        }
        let name_w = page.iter().map(|m| crate::ui::display_width(&m.name)).max().unwrap_or(4).clamp(8, 24);
        let branch_w = page.iter().map(|m| crate::ui::display_width(&m.branch)).max().unwrap_or(4).clamp(24, 40);
        for m in page {
            outln!(
                "{}  {}  {}  {}  {}",
                pad(&m.id.to_string(), 6),
                pad(&m.name, name_w),
                pad(m.stage.label().get(lang), stage_w),
                pad(&m.branch, branch_w),
                m.student_no.as_deref().unwrap_or("")
            );
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if !headed {
        header()?;
    }
    outln!(
        "{}",
        match lang {
            Lang::Zh => format!("共 {total} 人"),
            Lang::En => format!("{total} people"),
        }
    );
    Ok(())
}

/// `members --json`: a JSON array of every member the query selects, one object a line, written
/// page by page.
fn print_members_json(store: &Store, query: &MemberQuery) -> Result<()> {
    // Each line is printed once the next is known, so the last one goes without a comma; the
    // opening bracket waits for the first page, so a refused list prints no half array.
    let mut held: Option<String> = None;
    let mut opened = false;
    store.for_each_member_page(query, |page| {
        if !std::mem::replace(&mut opened, true) {
            outln!("[");
        }
        // Each member with the steps that came late or out of order (`late`, see dangan_core::late).
        let ids: Vec<i64> = page.iter().map(|m| m.id).collect();
        let late = store.late_steps_of(&ids)?;
        for (m, late) in page.iter().zip(late) {
            let json_error = |e: serde_json::Error| Error::Io { path: "stdout".into(), source: e.into() };
            let mut value = serde_json::to_value(m).map_err(json_error)?;
            if let Some(object) = value.as_object_mut() {
                object.insert("late".into(), serde_json::to_value(late).map_err(json_error)?);
            }
            let item = serde_json::to_string(&value).map_err(json_error)?;
            if let Some(previous) = held.replace(item) {
                outln!("  {previous},");
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if !opened {
        outln!("[");
    }
    if let Some(last) = held {
        outln!("  {last}");
    }
    outln!("]");
    Ok(())
}

fn import(
    store: &mut Store,
    path: &Path,
    parsed: Result<roster::Roster>,
    mut options: ImportOptions,
    json: bool,
    lang: Lang,
) -> Result<()> {
    // The first attempt imports the roster read while unlocking; one after a question reads it again.
    let mut parsed = Some(parsed);
    loop {
        let roster = parsed.take().unwrap_or_else(|| read_roster(path, lang));
        match import_once(store, roster, options, lang) {
            Ok(report) => {
                if json {
                    print_json(&report)?;
                } else {
                    print_report(&report, lang)?;
                }
                return Ok(());
            }
            Err(Error::ImportRejected { report }) => {
                if json {
                    print_json(&report)?;
                } else {
                    for p in &report.problems {
                        errln!(
                            "{}",
                            match lang {
                                Lang::Zh => format!("第 {} 行「{}」：{}", p.row, p.column, p.reason_zh),
                                Lang::En => format!("row {}, column “{}”: {}", p.row, p.column, p.reason_en),
                            }
                        );
                    }
                }
                return Err(Error::ImportRejected { report });
            }
            Err(Error::LikelyDuplicates { report }) => {
                if json {
                    print_json(&report)?;
                    return Err(Error::LikelyDuplicates { report });
                }
                print_duplicates(&report, lang);
                match ask_about_duplicates(lang) {
                    Some(choice) => options.duplicates = choice,
                    None => {
                        errln!(
                            "{}",
                            t(
                                lang,
                                "未导入任何数据。确认是不同的人请加 --duplicates add；要跳过这些行请加 --duplicates skip",
                                "Nothing was imported. If they are different people, add --duplicates add; to leave those rows out, --duplicates skip"
                            )
                        );
                        return Err(Error::LikelyDuplicates { report });
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
}

fn print_duplicates(report: &ImportReport, lang: Lang) {
    for d in &report.likely_duplicates {
        errln!(
            "{}",
            match lang {
                Lang::Zh => format!("第 {} 行：{}", d.row, d.reason_zh),
                Lang::En => format!("row {}: {}", d.row, d.reason_en),
            }
        );
    }
}

/// In a terminal, asks what to do with likely duplicates; `None` (cancel) otherwise, so a script
/// never blocks on a question it cannot answer.
fn ask_about_duplicates(lang: Lang) -> Option<Duplicates> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    eprint!(
        "{}",
        t(
            lang,
            "仍然添加这些人(a)、跳过这些行(s)，还是取消(其他)？",
            "Add them anyway (a), skip those rows (s), or cancel (anything else)? "
        )
    );
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).ok()?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "a" | "add" => Some(Duplicates::Add),
        "s" | "skip" => Some(Duplicates::Skip),
        _ => None,
    }
}

/// Reads the roster, with a spinner.
fn read_roster(path: &Path, lang: Lang) -> Result<roster::Roster> {
    let reading = ProgressBar::new_spinner().with_message(t(lang, "正在读取名册…", "Reading the roster…").to_owned());
    // Reading a large workbook takes a second or more: keep the spinner moving meanwhile.
    reading.enable_steady_tick(std::time::Duration::from_millis(100));
    let parsed = roster::read(path);
    reading.finish_and_clear();
    parsed
}

/// Imports the roster once, with a progress bar; Ctrl+C cancels.
fn import_once(
    store: &mut Store,
    parsed: Result<roster::Roster>,
    options: ImportOptions,
    lang: Lang,
) -> Result<ImportReport> {
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
    // DANGAN_TRACE_PHASES=1 says on standard error when the import's transaction has begun and
    // when it commits, so the durability test can aim its kills at the commit.
    let trace = std::env::var_os("DANGAN_TRACE_PHASES").is_some();
    let mut began = false;
    let result = store.import_roster(parsed, options, |p| {
        if trace && !p.waiting {
            if !std::mem::replace(&mut began, true) {
                eprintln!("phase: transaction");
            }
            if p.done == p.total {
                eprintln!("phase: committing");
            }
        }
        bar.set_position(p.done);
        if cancelled.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    });
    bar.finish_and_clear();
    result
}

fn print_report(report: &ImportReport, lang: Lang) -> Result<()> {
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
    outln!("{line}");
    if report.updated > 0 {
        outln!(
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
        outln!("{}{}", t(lang, "新建支部：", "New branches: "), report.branches_created.join(t(lang, "、", ", ")));
    }
    // Late steps are recorded as they happened; the report says so, with the article.
    for late in &report.late {
        outln!(
            "{}",
            match lang {
                Lang::Zh => format!("注意：第 {} 行「{}」：{}", late.row, late.name, late.flag.message_zh),
                Lang::En => format!("note: row {} ({}): {}", late.row, late.name, late.flag.message_en),
            }
        );
    }
    if !report.likely_duplicates.is_empty() {
        let n = report.likely_duplicates.len();
        let skipped = report.skipped_rows.len();
        outln!(
            "{}",
            match (lang, report.committed, skipped > 0) {
                (Lang::Zh, _, true) => format!("以下 {skipped} 行疑似重复，已跳过："),
                (Lang::Zh, true, false) => format!("注意：以下 {n} 人疑似已登记，已按要求仍然添加："),
                (Lang::Zh, false, false) => {
                    format!("注意：以下 {n} 人疑似已登记；正式导入时需用 --duplicates add 或 skip 说明如何处理：")
                }
                (Lang::En, _, true) => format!("{skipped} rows looked like duplicates and were skipped:"),
                (Lang::En, true, false) => format!("Note: {n} people look already registered and were added as asked:"),
                (Lang::En, false, false) =>
                    format!("Note: {n} people look already registered; the real import needs --duplicates add or skip:"),
            }
        );
        for d in &report.likely_duplicates {
            outln!(
                "  {}",
                if lang == Lang::Zh {
                    format!("第 {} 行：{}", d.row, d.reason_zh)
                } else {
                    format!("row {}: {}", d.row, d.reason_en)
                }
            );
        }
    }
    if !report.ignored_columns.is_empty() {
        outln!(
            "{}{}",
            t(
                lang,
                "注意：以下列无法识别，其内容没有导入：",
                "Note: these columns were not recognised and were not imported: "
            ),
            report.ignored_columns.join(t(lang, "、", ", "))
        );
    }
    Ok(())
}
