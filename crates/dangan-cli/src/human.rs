//! What the commands say to a person: every result, note and table in Chinese or English, in one
//! place, so a command names what happened and this module words it. JSON is `json.rs`'s.
//!
//! Results go to standard output through `outln!` (a closed pipe ends the command quietly, user
//! text is escaped for the terminal); notes and problems to standard error through `errln!`.

use std::fmt::Arguments;
use std::path::Path;

use dangan_core::access::User;
use dangan_core::appraisal::Appraisal;
use dangan_core::backup::VerifyReport;
use dangan_core::checklist::ChecklistLine;
use dangan_core::complaints::{Complaint, ComplaintLine, ComplaintState, ComplaintsOverview};
use dangan_core::deadlines::{DeadlineItem, Status};
use dangan_core::domain::{DuesCategory, Grade};
use dangan_core::domain::{EventKind, FileRecord, MeetingRecord, PartyGroup, PostRecord};
use dangan_core::dues::{Month, format_yuan};
use dangan_core::keys::RecoveryCode;
use dangan_core::late::LateStep;
use dangan_core::reminders::{Reminder, Threshold};
use dangan_core::roster::ImportReport;
use dangan_core::rules::{Period, RuleSet};
use dangan_core::server::{ServerAddress, ServerUser};
use dangan_core::statistics::{AnnualReport, Statistics, Table};
use dangan_core::store::{AuditEntry, AuditPage, BranchDues, DuesArrears, DuesLedger, MemberDetail, MemberSummary};
use dangan_core::study::StudyHours;
use dangan_core::transfer::{LetterState, TransferLetter};
use dangan_core::transfer_request::{RequestState, TransferRequest};
use dangan_core::workdays::{CalendarDay, DayKind};
use dangan_core::{Error, Lang, Result, Text, calendar};

use crate::ui::{display_width, errln, outln, pad, terminal_safe};

/// The user's language, and every sentence the CLI says in it.
#[derive(Clone, Copy)]
pub struct Human {
    lang: Lang,
}

impl Human {
    pub fn new(lang: Lang) -> Human {
        Human { lang }
    }

    /// A fixed text in the user's language.
    fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        crate::ui::t(self.lang, zh, en)
    }

    /// One line of output in the user's language.
    fn say(self, zh: Arguments<'_>, en: Arguments<'_>) -> Result<()> {
        match self.lang {
            Lang::Zh => outln!("{zh}"),
            Lang::En => outln!("{en}"),
        }
        Ok(())
    }

    /// One line on standard error in the user's language.
    fn warn(self, zh: Arguments<'_>, en: Arguments<'_>) {
        match self.lang {
            Lang::Zh => errln!("{zh}"),
            Lang::En => errln!("{en}"),
        }
    }

    /// A text the core worded in both languages.
    fn get(self, text: &Text) -> &str {
        text.get(self.lang)
    }

    /// The line a failed command ends with, on standard error (the exit code says which failure).
    pub fn error(self, e: &Error) {
        eprintln!("{}{}", self.t("错误：", "error: "), terminal_safe(&e.message(self.lang)));
    }

    // The workspace: created, changed, kept safe.

    pub fn workspace_created(self, dir: &Path) -> Result<()> {
        let dir = dir.display();
        self.say(format_args!("已创建加密工作区： {dir}"), format_args!("Created an encrypted workspace at {dir}"))
    }

    pub fn recovery_sheet_written(self, pdf: &Path) -> Result<()> {
        let pdf = pdf.display();
        self.say(
            format_args!("恢复密钥页已写入（请打印后删除该文件）： {pdf}"),
            format_args!("The recovery key sheet was written (print it, then delete the file): {pdf}"),
        )
    }

    pub fn recovery_code(self, code: &RecoveryCode) -> Result<()> {
        let code = code.grouped();
        let code = code.as_str();
        self.say(
            format_args!("恢复密钥（只显示这一次，请抄写或打印后存放在保险柜中）： {code}"),
            format_args!("Recovery key (shown once; keep it on paper in the office safe): {code}"),
        )
    }

    pub fn passphrase_changed(self) -> Result<()> {
        outln!("{}", self.t("口令已更改", "The passphrase was changed"));
        Ok(())
    }

    pub fn backed_up(self, file: &Path, bytes: u64) -> Result<()> {
        let (file, mb) = (file.display(), bytes as f64 / 1048576.0);
        self.say(
            format_args!("已备份到 {file}（{mb:.1} MB），用同一口令可恢复"),
            format_args!("Backed up to {file} ({mb:.1} MB); it restores with the same passphrase"),
        )
    }

    pub fn restored(self, dir: &Path, people: u64) -> Result<()> {
        let dir = dir.display();
        self.say(
            format_args!("已恢复到 {dir}：{people} 人（自动备份未开启：恢复出的档案库不沿用原来的备份文件夹）"),
            format_args!(
                "Restored into {dir}: {people} people (automatic backups are off: the restored workspace does not use the original's backup folder)"
            ),
        )
    }

    /// `verify`: a sound workspace on standard output, each problem of a damaged one on standard error.
    pub fn verified(self, report: &VerifyReport) -> Result<()> {
        if !report.is_ok() {
            for problem in &report.problems {
                errln!("{}", self.get(problem));
            }
            return Ok(());
        }
        let (attachments, entries) = (report.attachments_checked, report.audit_entries_checked);
        self.say(
            format_args!("工作区完好：每一页、每条关联、{attachments} 个附件和 {entries} 条审计日志的哈希链均已核对"),
            format_args!(
                "The workspace is sound: every page, reference, {attachments} attachment(s) and the hash chain of {entries} audit entries checked"
            ),
        )
    }

    pub fn demo_filled(self, dir: &Path, report: &ImportReport) -> Result<()> {
        let (dir, people, branches) = (dir.display(), report.created, report.branches_created.len());
        self.say(
            format_args!("已在 {dir} 生成演示数据：{people} 人，{branches} 个支部"),
            format_args!("Filled {dir} with demo data: {people} people in {branches} branches"),
        )
    }

    // Rosters in and out.

    pub fn reading_roster(self) -> &'static str {
        self.t("正在读取名册…", "Reading the roster…")
    }

    pub fn ctrl_c_cancels(self) -> &'static str {
        self.t("（Ctrl+C 取消）", "(Ctrl+C cancels)")
    }

    /// An import done or dry-run: what it did, and everything the office should look at.
    pub fn import_report(self, report: &ImportReport) -> Result<()> {
        let (rows, created, updated) = (report.rows, report.created, report.updated);
        match report.committed {
            true => self.say(
                format_args!("已导入 {rows} 行：新增 {created} 人，更新 {updated} 人"),
                format_args!("Imported {rows} rows: {created} added, {updated} updated"),
            )?,
            false => self.say(
                format_args!("预检通过，未保存：{rows} 行，将新增 {created} 人，更新 {updated} 人"),
                format_args!("Dry run passed, nothing saved: {rows} rows would add {created} and update {updated}"),
            )?,
        }
        if report.updated > 0 {
            let rows = report.updated_rows.iter().map(u64::to_string).collect::<Vec<_>>().join("、");
            self.say(
                format_args!("已有人员被更新而非重复添加（按身份证号或学号识别）：第 {rows} 行"),
                format_args!(
                    "Already registered people were updated, not duplicated (matched by ID or student number): rows {rows}"
                ),
            )?;
        }
        if !report.branches_created.is_empty() {
            outln!("{}{}", self.t("新建支部：", "New branches: "), report.branches_created.join(self.t("、", ", ")));
        }
        // Late steps are recorded as they happened; the report says so, with the article. Written
        // at once: a roster of 100,000 people can bring as many notes, and a write of each line
        // on its own cost a syscall apiece.
        let mut notes = String::new();
        for late in &report.late {
            use std::fmt::Write as _;
            let (row, name) = (late.row, &late.name);
            let _ = match self.lang {
                Lang::Zh => writeln!(notes, "注意：第 {row} 行「{name}」：{}", late.flag.message_zh),
                Lang::En => writeln!(notes, "note: row {row} ({name}): {}", late.flag.message_en),
            };
        }
        if let Some(notes) = notes.strip_suffix('\n') {
            outln!("{notes}");
        }
        if !report.likely_duplicates.is_empty() {
            let (n, skipped) = (report.likely_duplicates.len(), report.skipped_rows.len());
            match (report.committed, skipped > 0) {
                (_, true) => self.say(
                    format_args!("以下 {skipped} 行疑似重复，已跳过："),
                    format_args!("{skipped} rows looked like duplicates and were skipped:"),
                )?,
                (true, false) => self.say(
                    format_args!("注意：以下 {n} 人疑似已登记，已按要求仍然添加："),
                    format_args!("Note: {n} people look already registered and were added as asked:"),
                )?,
                (false, false) => self.say(
                    format_args!("注意：以下 {n} 人疑似已登记；正式导入时需用 --duplicates add 或 skip 说明如何处理："),
                    format_args!(
                        "Note: {n} people look already registered; the real import needs --duplicates add or skip:"
                    ),
                )?,
            }
            for d in &report.likely_duplicates {
                self.say(
                    format_args!("  第 {} 行：{}", d.row, d.reason_zh),
                    format_args!("  row {}: {}", d.row, d.reason_en),
                )?;
            }
        }
        if !report.ignored_columns.is_empty() {
            outln!(
                "{}{}",
                self.t(
                    "注意：以下列无法识别，其内容没有导入：",
                    "Note: these columns were not recognised and were not imported: "
                ),
                report.ignored_columns.join(self.t("、", ", "))
            );
        }
        Ok(())
    }

    /// A refused roster: every bad cell, on standard error.
    pub fn import_problems(self, report: &ImportReport) {
        for p in &report.problems {
            self.warn(
                format_args!("第 {} 行「{}」：{}", p.row, p.column, p.reason_zh),
                format_args!("row {}, column “{}”: {}", p.row, p.column, p.reason_en),
            );
        }
    }

    /// The rows that look already registered, on standard error.
    pub fn likely_duplicates(self, report: &ImportReport) {
        for d in &report.likely_duplicates {
            self.warn(format_args!("第 {} 行：{}", d.row, d.reason_zh), format_args!("row {}: {}", d.row, d.reason_en));
        }
    }

    /// The question after [`Human::likely_duplicates`] in a terminal; the answer follows on the same line.
    pub fn ask_about_duplicates(self) {
        eprint!(
            "{}",
            self.t(
                "仍然添加这些人(a)、跳过这些行(s)，还是取消(其他)？",
                "Add them anyway (a), skip those rows (s), or cancel (anything else)? "
            )
        );
    }

    pub fn nothing_imported(self) {
        errln!(
            "{}",
            self.t(
                "未导入任何数据。确认是不同的人请加 --duplicates add；要跳过这些行请加 --duplicates skip",
                "Nothing was imported. If they are different people, add --duplicates add; to leave those rows out, --duplicates skip"
            )
        );
    }

    pub fn exported(self, people: u64, file: &Path) -> Result<()> {
        let file = file.display();
        self.say(format_args!("已导出 {people} 人到 {file}"), format_args!("Exported {people} people to {file}"))
    }

    pub fn template_written(self, file: &Path) -> Result<()> {
        let file = file.display();
        self.say(format_args!("已写出名册模板： {file}"), format_args!("Wrote a roster template to {file}"))
    }

    /// `bench-roster`: only the count, for the benchmark to read.
    pub fn rows_written(self, rows: u64) -> Result<()> {
        outln!("{rows}");
        Ok(())
    }

    /// `members`: a table written a page at a time (see [`MemberTable`]).
    pub fn member_table(self) -> MemberTable {
        MemberTable { human: self, headed: false }
    }

    // Deadlines, reminders, rules and the holiday calendar.

    fn rule_name(self, item: &DeadlineItem) -> &str {
        match self.lang {
            Lang::Zh => &item.rule_name_zh,
            Lang::En => &item.rule_name_en,
        }
    }

    pub fn deadlines(self, items: &[DeadlineItem]) -> Result<()> {
        let names: Vec<String> = items.iter().map(|i| i.owner.display_name()).collect();
        let name_w = names.iter().map(|n| display_width(n)).max().unwrap_or(4).max(4);
        let rule_w = items.iter().map(|i| display_width(self.rule_name(i))).max().unwrap_or(4).max(4);
        outln!(
            "{}  {}  {}  {}  {}",
            pad(self.t("状态", "status"), 10),
            pad(self.t("期限", "due"), 10),
            pad(self.t("姓名或组织", "who"), name_w),
            pad(self.t("事项", "step"), rule_w),
            self.t("依据", "clause")
        );
        for (item, name) in items.iter().zip(&names) {
            outln!(
                "{}  {}  {}  {}  {}",
                pad(self.get(&item.status.label()), 10),
                item.due,
                pad(name, name_w),
                pad(self.rule_name(item), rule_w),
                item.clause
            );
        }
        let (all, overdue) = (items.len(), items.iter().filter(|i| i.status == Status::Overdue).count());
        self.say(format_args!("共 {all} 项，其中已逾期 {overdue} 项"), format_args!("{all} items, {overdue} overdue"))
    }

    /// A class: its id, kind, name and dates, then each trainee with their attendance and result.
    pub fn class_saved(self, record: &dangan_core::domain::ClassRecord) -> Result<()> {
        self.classes(std::slice::from_ref(record))
    }

    pub fn classes(self, records: &[dangan_core::domain::ClassRecord]) -> Result<()> {
        for record in records {
            let c = &record.class;
            let hours = dangan_core::study::hours_of(u64::from(record.minutes()));
            outln!(
                "#{}  {}  {}  {} – {}  {}  {hours} {}",
                c.id.unwrap_or_default(),
                self.get(&c.kind.label()),
                c.name,
                c.starts,
                c.ends,
                record.unit,
                self.t("学时", "hours")
            );
            for t in &record.trainees {
                let result = match t.passed {
                    Some(true) => self.t("合格", "passed"),
                    Some(false) => self.t("不合格", "failed"),
                    None => self.t("未考核", "not yet assessed"),
                };
                let score = t.score.map(|s| s.to_string()).unwrap_or_default();
                let attended = dangan_core::study::hours_of(u64::from(t.minutes));
                outln!("    {}  {}  {attended}h/{}d  {score}  {result}", t.name, t.branch, t.days);
            }
        }
        Ok(())
    }

    pub fn training_steps_recorded(self, count: usize) -> Result<()> {
        self.say(
            format_args!("已为 {count} 名学员记录短期集中培训"),
            format_args!("centralised training recorded for {count} trainee(s)"),
        )
    }

    pub fn study_entries(self, entries: &[dangan_core::domain::StudyEntry]) -> Result<()> {
        for e in entries {
            let hours = dangan_core::study::hours_of(u64::from(e.minutes));
            let source = e.source.as_deref().unwrap_or("");
            outln!("#{}  {}  {hours}h  {}  {source}", e.id.unwrap_or_default(), e.date, e.title);
        }
        Ok(())
    }

    pub fn study_deleted(self, id: dangan_core::domain::Id) -> Result<()> {
        self.say(format_args!("已删除第 {id} 条个人学习"), format_args!("study entry {id} deleted"))
    }

    pub fn study_recorded(self, count: usize) -> Result<()> {
        self.say(format_args!("已记录 {count} 条个人学习"), format_args!("{count} study entr(ies) recorded"))
    }

    pub fn meeting_saved(self, record: &MeetingRecord) -> Result<()> {
        let m = &record.meeting;
        let (present, all) =
            (record.attendees.iter().filter(|a| a.attendance.attended()).count(), record.attendees.len());
        let (zh_state, en_state) = if m.held { ("已记录", "Recorded") } else { ("已计划", "Planned") };
        self.say(
            format_args!(
                "{zh_state}：{} {}「{}」，{}，出席 {present}/{all} 人（编号 {}）",
                record.unit,
                m.kind.zh(),
                m.topic.as_deref().unwrap_or(""),
                calendar::format_zh(m.date),
                m.id.unwrap_or_default()
            ),
            format_args!(
                "{en_state}: {} {} “{}” on {}, {present} of {all} present (id {})",
                record.unit,
                m.kind.label().en,
                m.topic.as_deref().unwrap_or(""),
                m.date,
                m.id.unwrap_or_default()
            ),
        )
    }

    pub fn meetings_imported(self, count: usize) -> Result<()> {
        self.say(format_args!("已记录 {count} 次会议"), format_args!("{count} meeting(s) recorded"))
    }

    pub fn life_tracked(self, unit: &str, from: dangan_core::calendar::Date) -> Result<()> {
        self.say(
            format_args!("{unit} 自{}起计算应开的会议", dangan_core::calendar::format_zh(from)),
            format_args!("{unit} owes its meetings from {from}"),
        )
    }

    /// A branch's year: a line per kind of meeting, a mark per period (✓ held, ✗ missed, ○ owed
    /// now, · to come, – before tracking began).
    pub fn life_plan(self, plan: &dangan_core::life_plan::LifePlan) -> Result<()> {
        use dangan_core::life_plan::PeriodState;
        outln!("{} · {}", plan.unit, plan.year);
        let names: Vec<String> = plan
            .rows
            .iter()
            .map(|r| match &r.group {
                Some(group) => format!("{} · {group}", self.get(&r.name())),
                None => self.get(&r.name()).to_owned(),
            })
            .collect();
        let name_w = names.iter().map(|n| display_width(n)).max().unwrap_or(4);
        for (row, name) in plan.rows.iter().zip(&names) {
            let marks: Vec<&str> = row
                .periods
                .iter()
                .map(|p| match p.state {
                    PeriodState::Held => "✓",
                    PeriodState::Missed => "✗",
                    PeriodState::Owed => "○",
                    PeriodState::Upcoming => "·",
                    PeriodState::Untracked => "–",
                })
                .collect();
            outln!("{}  {}  {}", pad(name, name_w), marks.join(" "), row.clause);
        }
        self.say(
            format_args!("✓ 已召开  ✗ 未召开  ○ 本期待开  · 未到期  – 尚未开始记录"),
            format_args!("✓ held  ✗ missed  ○ owed now  · to come  – before tracking began"),
        )
    }

    pub fn meetings(self, records: &[MeetingRecord]) -> Result<()> {
        let unit_w = records.iter().map(|r| display_width(&r.unit)).max().unwrap_or(4).max(4);
        outln!(
            "{}  {}  {}  {}  {}",
            pad(self.t("日期", "date"), 10),
            pad(self.t("单位", "unit"), unit_w),
            pad(self.t("类型", "kind"), 12),
            pad(self.t("出席", "present"), 7),
            self.t("主题", "topic")
        );
        for r in records {
            let m = &r.meeting;
            let present = r.attendees.iter().filter(|a| a.attendance.attended()).count();
            let kind = m.kind.label();
            let planned = if m.held { "" } else { self.t("（计划）", " (planned)") };
            outln!(
                "{}  {}  {}  {}  {}{planned}",
                m.date,
                pad(&r.unit, unit_w),
                pad(self.get(&kind), 12),
                pad(&format!("{present}/{}", r.attendees.len()), 7),
                m.topic.as_deref().unwrap_or("")
            );
        }
        self.say(format_args!("共 {} 次会议", records.len()), format_args!("{} meetings", records.len()))
    }

    pub fn post_saved(self, record: &PostRecord) -> Result<()> {
        let held = &record.held;
        self.say(
            format_args!(
                "已记录：{} 自 {} 起任{}{}",
                record.name,
                calendar::format_zh(held.since),
                record.unit,
                held.post.zh()
            ),
            format_args!(
                "Recorded: {} holds {} of {} from {}",
                record.name,
                held.post.label().en,
                record.unit,
                held.since
            ),
        )
    }

    pub fn posts(self, posts: &[PostRecord]) -> Result<()> {
        let unit_w = posts.iter().map(|p| display_width(&p.unit)).max().unwrap_or(4).max(4);
        for p in posts {
            let post = p.held.post.label();
            let until = p.held.until.map_or_else(|| self.t("至今", "now").to_owned(), |d| d.to_string());
            outln!("{}  {}  {}  {} – {}", pad(&p.unit, unit_w), pad(self.get(&post), 12), p.name, p.held.since, until);
        }
        self.say(format_args!("共 {} 项任职", posts.len()), format_args!("{} posts", posts.len()))
    }

    pub fn groups(self, groups: &[PartyGroup]) -> Result<()> {
        for g in groups {
            let names: Vec<&str> = g.members.iter().map(|m| m.name.as_str()).collect();
            let sep = if self.lang == Lang::Zh { "、" } else { ", " };
            outln!("{} / {}（{}）：{}", g.branch, g.name, names.len(), names.join(sep));
        }
        self.say(format_args!("共 {} 个党小组", groups.len()), format_args!("{} party groups", groups.len()))
    }

    pub fn study_hours(self, year: i32, rows: &[StudyHours]) -> Result<()> {
        let name_w = rows.iter().map(|r| display_width(&r.name)).max().unwrap_or(4).max(4);
        let branch_w = rows.iter().map(|r| display_width(&r.branch)).max().unwrap_or(4).max(4);
        outln!(
            "{}  {}  {}  {}",
            pad(self.t("姓名", "name"), name_w),
            pad(self.t("所在支部", "branch"), branch_w),
            pad(self.t("学时", "hours"), 6),
            self.t("应达", "required")
        );
        for r in rows {
            let short = if r.is_short() { self.t("  未达标", "  short") } else { "" };
            outln!("{}  {}  {:>6}  {}{short}", pad(&r.name, name_w), pad(&r.branch, branch_w), r.hours, r.required);
        }
        let short = rows.iter().filter(|r| r.is_short()).count();
        self.say(
            format_args!("{year} 年：{} 人，其中 {short} 人未达到应学学时", rows.len()),
            format_args!("{year}: {} members, {short} short of the hours asked", rows.len()),
        )
    }

    /// One statistics table: its title, its rows with their numbers, and how it counts.
    fn stats_table(self, table: &Table) -> Result<()> {
        outln!("\n{}", self.get(&table.title));
        let label_w = table.rows.iter().map(|r| display_width(self.get(&r.label))).max().unwrap_or(4).max(4);
        let widths: Vec<usize> = table.columns.iter().map(|c| display_width(self.get(&c.label)).max(6)).collect();
        let mut header = pad("", label_w);
        for (column, w) in table.columns.iter().zip(&widths) {
            header.push_str("  ");
            header.push_str(&pad(self.get(&column.label), *w));
        }
        outln!("{}", header.trim_end());
        for row in &table.rows {
            let mut line = pad(self.get(&row.label), label_w);
            for ((value, column), w) in row.values.iter().zip(&table.columns).zip(&widths) {
                let shown = match (value, &column.share_of) {
                    (None, _) => "—".to_owned(),
                    (Some(v), Some(_)) => format!("{}.{:02}%", v / 100, v % 100),
                    (Some(v), None) => v.to_string(),
                };
                line.push_str("  ");
                line.push_str(&format!("{shown:>w$}", w = *w));
            }
            outln!("{}", line.trim_end());
        }
        self.say(format_args!("（{}）", table.note.zh), format_args!("({})", table.note.en))
    }

    pub fn statistics(self, stats: &Statistics) -> Result<()> {
        let day = stats.as_of;
        self.say(
            format_args!("{}　截至 {}", stats.unit_name, calendar::format_zh(day)),
            format_args!("{}, as of {day}", stats.unit_name),
        )?;
        for table in &stats.tables {
            self.stats_table(table)?;
        }
        Ok(())
    }

    pub fn annual_report(self, report: &AnnualReport) -> Result<()> {
        let year = report.year;
        self.say(
            format_args!(
                "{}　{year}年度党内统计：年初党员 {}，发展党员 {}，转正 {}，年底党员 {}",
                report.unit_name, report.members_start, report.developed, report.converted, report.members_end
            ),
            format_args!(
                "{}, {year}: {} members at the start, {} developed, {} converted, {} at the end",
                report.unit_name, report.members_start, report.developed, report.converted, report.members_end
            ),
        )?;
        for table in &report.tables {
            self.stats_table(table)?;
        }
        outln!("");
        for line in dangan_core::statistics::export::check_lines(report) {
            outln!("{}", self.get(&line));
        }
        Ok(())
    }

    /// A file written whole (a workbook, a PDF).
    pub fn file_written(self, file: &Path) -> Result<()> {
        let file = file.display();
        self.say(format_args!("已写入 {file}"), format_args!("Wrote {file}"))
    }

    pub fn calendar_written(self, items: usize, file: &Path) -> Result<()> {
        let file = file.display();
        self.say(
            format_args!("已将 {items} 项期限写入日历文件 {file}"),
            format_args!("Wrote {items} deadlines to the calendar file {file}"),
        )
    }

    /// The reminders due, as `remind` prints them without `--json`; `notify` says whether they
    /// are being sent (else a hint says how).
    pub fn reminders(self, due: &[Reminder], notify: bool) -> Result<()> {
        if due.is_empty() {
            outln!("{}", self.t("没有新的提醒", "No new reminders"));
            return Ok(());
        }
        for r in due {
            let threshold = match (r.threshold, self.lang) {
                (Threshold::Overdue, Lang::Zh) => "已逾期".to_owned(),
                (Threshold::Overdue, Lang::En) => "overdue".to_owned(),
                (Threshold::Lead(d), Lang::Zh) => format!("提前 {d} 天"),
                (Threshold::Lead(d), Lang::En) => format!("{d} days ahead"),
            };
            let who = r.item.owner.display_name();
            outln!("{}  {}  {}  {}", pad(&threshold, 10), r.item.due, who, self.rule_name(&r.item));
        }
        if !notify {
            outln!("{}", self.t("（加 --notify 发送桌面通知）", "(add --notify to send desktop notifications)"));
        }
        Ok(())
    }

    pub fn reminders_sent(self, sent: usize) -> Result<()> {
        self.say(format_args!("已发送 {sent} 条提醒"), format_args!("Sent {sent} reminder(s)"))
    }

    /// The documents, one a line: id, stage (or 各阶段), one person or a batch, title, article.
    pub fn documents(self, documents: &[dangan_core::documents::DocumentInfo]) -> Result<()> {
        for d in documents {
            let stage = match d.stage {
                Some(stage) => self.get(&stage.label()).to_owned(),
                None => self.t("各阶段", "any stage").to_owned(),
            };
            let batch = if d.batch { self.t("多人", "batch") } else { self.t("一人", "one") };
            let (title, clause) = match self.lang {
                Lang::Zh => (&d.title, &d.clause),
                Lang::En => (&d.title_en, &d.clause_en),
            };
            let own = if d.custom { self.t("（本单位文本）", " (the office's own)") } else { "" };
            outln!("{}  {}  {}  {title}{own}  {clause}", pad(&d.id, 28), pad(&stage, 14), pad(batch, 6));
        }
        Ok(())
    }

    /// A document written: where, how many people; a warning when a working-day period was
    /// counted without the year's official calendar.
    pub fn document_made(self, made: &dangan_core::documents::MadeDocument) -> Result<()> {
        let (title, path, people) = (&made.title, made.path.display(), made.people);
        if made.provisional {
            self.warn(
                format_args!("注意：所涉年份的法定节假日尚未录入（dangan holidays import），文中按工作日计算的日期可能有误"),
                format_args!(
                    "note: the year's official holidays are not entered (dangan holidays import): a date counted in working days may be wrong"
                ),
            );
        }
        self.say(
            format_args!("已生成「{title}」（{people} 人）：{path}"),
            format_args!("Wrote “{title}” ({people} people) to {path}"),
        )?;
        if made.recorded > 0 {
            let recorded = made.recorded;
            self.say(
                format_args!("已为 {recorded} 人登记该文书开始的步骤"),
                format_args!("Recorded the step it starts for {recorded} people"),
            )?;
        }
        Ok(())
    }

    pub fn document_template_loaded(self, info: &dangan_core::documents::DocumentInfo, file: &Path) -> Result<()> {
        let (id, file) = (&info.id, file.display());
        self.say(
            format_args!("已载入本单位的文书模板 {id}：{file}"),
            format_args!("Loaded the office's template of {id} from {file}"),
        )
    }

    pub fn document_template_reset(self, id: &str) -> Result<()> {
        self.say(
            format_args!("文书 {id} 已恢复为内置文本"),
            format_args!("Document {id} is back to the shipped wording"),
        )
    }

    pub fn rules_loaded(self, file: &Path) -> Result<()> {
        let file = file.display();
        self.say(format_args!("已载入本单位规则文件： {file}"), format_args!("Loaded the office's rule file {file}"))
    }

    pub fn rules_reset(self) -> Result<()> {
        outln!("{}", self.t("已恢复为内置规则", "Back to the shipped rules"));
        Ok(())
    }

    /// The rule set in force, each deadline rule with its period and clause; a warning about the
    /// office's rule file first, on standard error.
    pub fn rules(self, rules: &RuleSet, warning: Option<&Text>) -> Result<()> {
        if let Some(warning) = warning {
            errln!("{}{}", self.t("注意：", "note: "), self.get(warning));
        }
        outln!(
            "{}{}",
            self.get(&rules.title),
            if rules.is_overridden() {
                self.t("（含本单位规则）", " (with the office's own rules)")
            } else {
                ""
            }
        );
        for rule in rules.deadlines() {
            let period = match (rule.period, self.lang) {
                (Period::Months(m), Lang::Zh) => format!("{m} 个月"),
                (Period::Months(m), Lang::En) => format!("{m} month(s)"),
                (Period::WorkingDays(d), Lang::Zh) => format!("{d} 个工作日"),
                (Period::WorkingDays(d), Lang::En) => format!("{d} working day(s)"),
            };
            outln!(
                "{}  {}  {}  {}",
                pad(&rule.id, 32),
                pad(self.get(&rule.name), 28),
                pad(&period, 12),
                self.get(&rule.clause)
            );
        }
        Ok(())
    }

    pub fn holidays_entered(self, years: &[i32], days: usize) -> Result<()> {
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        self.say(
            format_args!("已录入 {} 年的节假日安排，共 {days} 天", years.join("、")),
            format_args!("Entered the official calendar of {}: {days} days", years.join(", ")),
        )
    }

    pub fn holidays(self, days: Vec<CalendarDay>, years: &[i32]) -> Result<()> {
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        outln!(
            "{}{}",
            self.t("已录入的年度：", "Years entered: "),
            if years.is_empty() { self.t("无", "none").to_owned() } else { years.join(", ") }
        );
        for day in days {
            let kind = match day.kind {
                DayKind::Holiday => self.t("假日", "holiday"),
                DayKind::Workday => self.t("调休上班", "workday"),
            };
            outln!("{}  {}  {}", day.date, pad(kind, 8), day.name.unwrap_or_default());
        }
        Ok(())
    }

    // A member's procedure, step by step.

    fn late_message(self, flag: &LateStep) -> &str {
        match self.lang {
            Lang::Zh => &flag.message_zh,
            Lang::En => &flag.message_en,
        }
    }

    fn late_notes<'a>(self, flags: impl IntoIterator<Item = &'a LateStep>) -> Result<()> {
        for flag in flags {
            outln!("{}{}", self.t("注意：", "note: "), self.late_message(flag));
        }
        Ok(())
    }

    /// A step recorded, and the flags that say it came late.
    pub fn step_recorded<'a>(
        self,
        name: &str,
        kind: EventKind,
        date: calendar::Date,
        late: impl IntoIterator<Item = &'a LateStep>,
    ) -> Result<()> {
        let label = kind.label();
        self.say(
            format_args!("已记录 {name}：「{}」{}", label.zh, calendar::format_zh(date)),
            format_args!("Recorded for {name}: “{}” on {date}", label.en),
        )?;
        // Recorded, as it happened; said plainly when it came late.
        self.late_notes(late)
    }

    /// A letter issued (or reissued) and where it was written.
    pub fn letter_issued(self, letter: &TransferLetter, file: &Path) -> Result<()> {
        let until = calendar::format_zh(letter.valid_until);
        self.say(
            format_args!(
                "已开具介绍信第 {} 号：{}转往{}，有效期至 {until}；已写入 {}",
                letter.number,
                letter.name,
                letter.destination,
                file.display()
            ),
            format_args!(
                "Issued letter {}: {} to {}, valid until {}; written to {}",
                letter.number,
                letter.name,
                letter.destination,
                letter.valid_until,
                file.display()
            ),
        )
    }

    /// A graduating class as the check found it: each person, what stops them, what they owe.
    pub fn leavers(self, checks: &[dangan_core::transfer::LeaverCheck]) -> Result<()> {
        for c in checks {
            let stage = c.stage.label();
            self.say(
                format_args!("{}（{}，{}）", c.name, c.branch, stage.zh),
                format_args!("{} ({}, {})", c.name, c.branch, stage.en),
            )?;
            if let Some(refusal) = &c.refusal {
                self.say(format_args!("  不能转出：{}", refusal.zh), format_args!("  cannot leave: {}", refusal.en))?;
            }
            if let Some(due) = c.conversion_due {
                self.say(
                    format_args!("  转正到期 {}：离校前应讨论其转正", calendar::format_zh(due)),
                    format_args!("  conversion due {due}: discuss it before they leave"),
                )?;
            }
            for item in &c.unfinished {
                self.say(
                    format_args!("  未完成：{}（{}）", item.name.zh, calendar::format_zh(item.due)),
                    format_args!("  unfinished: {} (due {})", item.name.en, item.due),
                )?;
            }
        }
        let refused = checks.iter().filter(|c| c.refusal.is_some()).count();
        self.say(
            format_args!("共 {} 人，{refused} 人不能转出", checks.len()),
            format_args!("{} people, {refused} cannot leave", checks.len()),
        )
    }

    /// A graduate's relationship kept, or no longer.
    pub fn kept(self, detail: &MemberDetail) -> Result<()> {
        let name = &detail.person.name;
        match detail.graduate_kept_since {
            Some(day) => self.say(
                format_args!("{name}的组织关系自 {} 起保留在校", calendar::format_zh(day)),
                format_args!("{name}'s relationship is kept at the university since {day}"),
            ),
            None => self.say(
                format_args!("{name}的组织关系不再保留在校"),
                format_args!("{name}'s relationship is no longer kept at the university"),
            ),
        }
    }

    /// A batch of letters issued and where they were printed.
    pub fn letters_issued(self, letters: &[TransferLetter], file: &Path) -> Result<()> {
        let numbers = match (letters.first(), letters.last()) {
            (Some(first), Some(last)) => format!("{}–{}", first.number, last.number),
            _ => String::new(),
        };
        self.say(
            format_args!("已开具 {} 封介绍信（{numbers}）：{}", letters.len(), file.display()),
            format_args!("Issued {} letters ({numbers}): {}", letters.len(), file.display()),
        )
    }

    /// A member package written, and the code it opens with.
    pub fn package_written(self, written: &dangan_core::package::PackageWritten, file: &Path) -> Result<()> {
        self.say(
            format_args!(
                "已写出{}的党员档案包（介绍信第 {} 号，{} 个附件）：{}\n提取码（已印在介绍信上）：{}",
                written.name,
                written.letter_number,
                written.attachments,
                file.display(),
                written.code
            ),
            format_args!(
                "Wrote {}'s member package (letter {}, {} attachments): {}\nIts code (printed on the letter): {}",
                written.name,
                written.letter_number,
                written.attachments,
                file.display(),
                written.code
            ),
        )
    }

    /// A member registered on arrival: who, where, from where.
    pub fn arrived(self, detail: &MemberDetail) -> Result<()> {
        let id = detail.person.id.unwrap_or_default();
        let (origin, received) = detail.arrival.as_ref().map(|a| (a.reason(), a.received_on)).unwrap_or_default();
        self.say(
            format_args!(
                "已登记转入：{}（编号 {id}，{}，{}），{origin}，{}接收",
                detail.person.name,
                detail.branch_path,
                detail.stage.label().zh,
                calendar::format_zh(received)
            ),
            format_args!(
                "Registered the arrival of {} (id {id}, {}, {}), {origin}, received {received}",
                detail.person.name,
                detail.branch_path,
                detail.stage.label().en
            ),
        )
    }

    /// Letters, one a line: number, person, destination, day issued, state.
    pub fn letters(self, letters: &[TransferLetter]) -> Result<()> {
        for l in letters {
            let (zh, en) = match l.state {
                LetterState::Issued => ("有效期内".to_owned(), "valid".to_owned()),
                LetterState::Received => (
                    format!("已收回执（{}）", l.receipt_on.map(calendar::format_zh).unwrap_or_default()),
                    format!("receipt returned ({})", l.receipt_on.map(|d| d.to_string()).unwrap_or_default()),
                ),
                LetterState::Expired => ("已过期，未收回执".to_owned(), "expired, no receipt".to_owned()),
                LetterState::Reissued => ("已重开".to_owned(), "reissued".to_owned()),
                LetterState::Cancelled => ("已作废".to_owned(), "cancelled".to_owned()),
            };
            self.say(
                format_args!(
                    "{}  {}  转往{}  {}  {zh}",
                    l.number,
                    l.name,
                    l.destination,
                    calendar::format_zh(l.issued_on)
                ),
                format_args!("{}  {}  to {}  {}  {en}", l.number, l.name, l.destination, l.issued_on),
            )?;
        }
        self.say(format_args!("共 {} 封", letters.len()), format_args!("{} letter(s)", letters.len()))
    }

    /// Applications to transfer out, one a line: who, where to, applied on, and where each stands.
    pub fn transfer_requests(self, requests: &[TransferRequest]) -> Result<()> {
        for r in requests {
            let day = |d: Option<calendar::Date>| {
                (d.map(calendar::format_zh).unwrap_or_default(), d.map(|d| d.to_string()).unwrap_or_default())
            };
            let (zh, en) = match r.state {
                RequestState::Applied => ("待审批".to_owned(), "awaiting the decision".to_owned()),
                RequestState::Approved => {
                    let (zh, en) = day(r.approved_on);
                    (format!("已批准（{zh}），待开介绍信"), format!("approved ({en}), awaiting the letter"))
                }
                RequestState::Declined => {
                    let (zh, en) = day(r.declined_on);
                    let why = r.declined_reason.as_deref().unwrap_or_default();
                    (format!("不予批准（{zh}）：{why}"), format!("declined ({en}): {why}"))
                }
                RequestState::LetterIssued => {
                    let number = r.letter_number.as_deref().unwrap_or_default();
                    (format!("已开介绍信第 {number} 号"), format!("letter {number} issued"))
                }
            };
            self.say(
                format_args!(
                    "{}  {}（{}）  转往{}  申请于 {}  {zh}",
                    r.id,
                    r.name,
                    r.branch,
                    r.destination,
                    calendar::format_zh(r.applied_on)
                ),
                format_args!(
                    "{}  {} ({})  to {}  applied {}  {en}",
                    r.id, r.name, r.branch, r.destination, r.applied_on
                ),
            )?;
        }
        self.say(format_args!("共 {} 份申请", requests.len()), format_args!("{} application(s)", requests.len()))
    }

    /// An appraisal: its branch and year, steps, and each member's votes, proposal and grade.
    pub fn appraisal(self, a: &Appraisal) -> Result<()> {
        let closed = a.closed_on.map(|d| (calendar::format_zh(d), d.to_string()));
        let (state_zh, state_en) = closed.map_or_else(
            || ("进行中".to_owned(), "open".to_owned()),
            |(zh, en)| (format!("已于 {zh} 结束"), format!("closed {en}")),
        );
        self.say(
            format_args!("{}　{}年度民主评议（{state_zh}）", a.unit, a.year),
            format_args!("{}, appraisal of {} ({state_en})", a.unit, a.year),
        )?;
        for step in &a.steps {
            self.say(
                format_args!("  {}：{}", step.step.label().zh, calendar::format_zh(step.date)),
                format_args!("  {}: {}", step.step.label().en, step.date),
            )?;
        }
        let ballots = a.ballots_cast.map(|b| b.to_string()).unwrap_or_else(|| "—".into());
        self.say(
            format_args!("参评正式党员 {} 人（优秀至多 {} 人），收回测评票 {ballots} 张", a.graded, a.excellent_cap),
            format_args!("{} graded (at most {} excellent), {ballots} ballots cast", a.graded, a.excellent_cap),
        )?;
        for p in &a.participants {
            let votes = p.votes.map_or_else(
                || "—".to_owned(),
                |v| format!("{}/{}/{}/{}", v.excellent, v.qualified, v.basically_qualified, v.unqualified),
            );
            let label = |g: Option<Grade>, lang_zh: bool| {
                g.map_or_else(|| "—".to_owned(), |g| if lang_zh { g.label().zh } else { g.label().en })
            };
            if !p.graded {
                self.say(
                    format_args!("{}  {}  预备党员，不评定等次", p.person_id, p.name),
                    format_args!("{}  {}  probationary: not graded", p.person_id, p.name),
                )?;
                continue;
            }
            let reason = p.reason.as_deref().map(|r| format!("  {r}")).unwrap_or_default();
            self.say(
                format_args!(
                    "{}  {}  得票 {votes}  建议 {}  评定 {}{reason}",
                    p.person_id,
                    p.name,
                    label(p.proposed, true),
                    label(p.grade, true)
                ),
                format_args!(
                    "{}  {}  votes {votes}  proposed {}  grade {}{reason}",
                    p.person_id,
                    p.name,
                    label(p.proposed, false),
                    label(p.grade, false)
                ),
            )?;
            if let Some(c) = &p.correction {
                let (outcome_zh, outcome_en) = c
                    .outcome
                    .map(|o| (o.label().zh, o.label().en))
                    .unwrap_or_else(|| ("尚无结论".to_owned(), "no outcome yet".to_owned()));
                self.say(
                    format_args!("    限期改正至 {}：{outcome_zh}", calendar::format_zh(c.until)),
                    format_args!("    correction until {}: {outcome_en}", c.until),
                )?;
            }
        }
        Ok(())
    }

    /// Appraisals, one a line: branch, year, how many graded and graded so far, open or closed.
    pub fn appraisals(self, appraisals: &[Appraisal]) -> Result<()> {
        for a in appraisals {
            let decided = a.participants.iter().filter(|p| p.grade.is_some()).count();
            let (zh, en) = a.closed_on.map_or_else(
                || ("进行中".to_owned(), "open".to_owned()),
                |d| (format!("已结束（{}）", calendar::format_zh(d)), format!("closed ({d})")),
            );
            self.say(
                format_args!("{}  {}年度  参评 {} 人，已评定 {decided} 人  {zh}", a.unit, a.year, a.graded),
                format_args!("{}  {}  {} graded, {decided} decided  {en}", a.unit, a.year, a.graded),
            )?;
        }
        self.say(format_args!("共 {} 个支部", appraisals.len()), format_args!("{} branch(es)", appraisals.len()))
    }

    /// The year's results: each branch's count of each grade.
    pub fn appraisal_results(self, appraisals: &[Appraisal]) -> Result<()> {
        for a in appraisals {
            let zh = Grade::ALL.map(|g| format!("{} {}", g.label().zh, a.count(g))).join("，");
            let en = Grade::ALL.map(|g| format!("{} {}", g.label().en, a.count(g))).join(", ");
            self.say(format_args!("{}  {}年度：{zh}", a.unit, a.year), format_args!("{}  {}: {en}", a.unit, a.year))?;
        }
        Ok(())
    }

    /// An entry of the complaints register, opened.
    pub fn complaint(self, c: &Complaint) -> Result<()> {
        let closed = c.closed_on.map(|d| (calendar::format_zh(d), d.to_string()));
        let (state_zh, state_en) = match (c.state, closed) {
            (ComplaintState::Closed, Some((zh, en))) => (format!("已于 {zh} 办结"), format!("closed {en}")),
            (ComplaintState::Handling, _) => ("办理中".to_owned(), "being handled".to_owned()),
            _ => ("已登记".to_owned(), "registered".to_owned()),
        };
        self.say(
            format_args!(
                "第 {} 号　{}　{}受理　{state_zh}",
                c.number,
                c.channel.label().zh,
                calendar::format_zh(c.received_on)
            ),
            format_args!("entry {}  {}  received {}  {state_en}", c.number, c.channel.label().en, c.received_on),
        )?;
        let anonymous = ("匿名".to_owned(), "anonymous".to_owned());
        let (from_zh, from_en) = c.complainant.clone().map(|n| (n.clone(), n)).unwrap_or(anonymous);
        self.say(format_args!("反映人：{from_zh}"), format_args!("from: {from_en}"))?;
        if let Some(name) = &c.concerning_name {
            self.say(format_args!("被反映人：{name}"), format_args!("concerning: {name}"))?;
        }
        if let Some(category) = &c.category {
            self.say(format_args!("问题类别：{category}"), format_args!("category: {category}"))?;
        }
        self.say(format_args!("内容摘要：{}", c.summary), format_args!("summary: {}", c.summary))?;
        for step in &c.steps {
            let to = step.to.as_deref().map(|t| format!(" → {t}")).unwrap_or_default();
            let note = step.note.as_deref().map(|n| format!("：{n}")).unwrap_or_default();
            self.say(
                format_args!("  {}　{}{to}{note}", calendar::format_zh(step.date), step.handling.label().zh),
                format_args!("  {}  {}{to}{note}", step.date, step.handling.label().en),
            )?;
        }
        if let Some(result) = &c.result {
            self.say(format_args!("办理结果：{result}"), format_args!("result: {result}"))?;
        }
        for a in &c.attachments {
            self.say(
                format_args!("  材料 {}：{}（{} 字节）", a.id, a.name, a.size),
                format_args!("  file {}: {} ({} bytes)", a.id, a.name, a.size),
            )?;
        }
        Ok(())
    }

    /// The register's lines: number, day received, state and what is due.
    pub fn complaint_lines(self, lines: &[ComplaintLine]) -> Result<()> {
        for l in lines {
            let due = |d: Option<calendar::Date>, zh: &str, en: &str| {
                d.map(|d| (format!("  {zh} {}", calendar::format_zh(d)), format!("  {en} {d}"))).unwrap_or_default()
            };
            let (forward_zh, forward_en) = due(l.forward_due, "须转送于", "forward by");
            let (report_zh, report_en) = due(l.report_due, "须反馈于", "report back by");
            let (state_zh, state_en) = match l.state {
                ComplaintState::Registered => ("已登记", "registered"),
                ComplaintState::Handling => ("办理中", "being handled"),
                ComplaintState::Closed => ("已办结", "closed"),
            };
            self.say(
                format_args!("{}  {}  {state_zh}{forward_zh}{report_zh}", l.number, calendar::format_zh(l.received_on)),
                format_args!("{}  {}  {state_en}{forward_en}{report_en}", l.number, l.received_on),
            )?;
        }
        self.say(format_args!("共 {} 件", lines.len()), format_args!("{} entr(ies)", lines.len()))
    }

    /// The register's key was given to an inspector.
    pub fn register_granted(self, user: &str) -> Result<()> {
        self.say(
            format_args!("已把信访举报登记簿的密钥交给 {user}"),
            format_args!("the complaints register's key is given to {user}"),
        )
    }

    /// The inspectors still waiting for the register's key.
    pub fn register_waiting(self, names: &[String]) -> Result<()> {
        for name in names {
            self.say(format_args!("{name}"), format_args!("{name}"))?;
        }
        self.say(
            format_args!("{} 名纪检委员等待登记簿的密钥", names.len()),
            format_args!("{} inspector(s) waiting for the register's key", names.len()),
        )
    }

    /// That the register exists, and how many entries are open.
    pub fn complaints_overview(self, o: &ComplaintsOverview) -> Result<()> {
        self.say(
            format_args!("信访举报登记簿共 {} 件，其中未办结 {} 件（内容仅纪检委员可见）", o.total, o.open),
            format_args!(
                "the complaints register holds {} entries, {} open (their words are the discipline inspectors' alone)",
                o.total, o.open
            ),
        )
    }

    /// The monthly dues of a category and base.
    pub fn dues_rate(self, category: DuesCategory, base_fen: i64, amount_fen: i64) -> Result<()> {
        let (base, amount) = (format_yuan(base_fen), format_yuan(amount_fen));
        self.say(
            format_args!("{}，月收入基数 {base} 元：每月党费 {amount} 元", category.zh()),
            format_args!("{}, monthly base {base} yuan: dues {amount} yuan a month", category.label().en),
        )
    }

    /// A member's dues ledger: the base, paid up to, and each month.
    pub fn dues_ledger(self, ledger: &DuesLedger) -> Result<()> {
        let through = ledger.paid_through.map(|m| (m.zh(), m.to_string()));
        let (through_zh, through_en) = through.unwrap_or_else(|| ("（无）".into(), "(none)".into()));
        let owed = format_yuan(ledger.owed_fen);
        self.say(
            format_args!("{}：党费交至 {through_zh}，欠交 {} 个月 {owed} 元", ledger.name, ledger.months_behind),
            format_args!(
                "{}: dues paid up to {through_en}, {} month(s) behind, {owed} yuan owed",
                ledger.name, ledger.months_behind
            ),
        )?;
        for base in &ledger.bases {
            let yuan = format_yuan(base.base_fen);
            self.say(
                format_args!("  自 {} 起：{}，基数 {yuan} 元", base.from_month.zh(), base.category.zh()),
                format_args!("  from {}: {}, base {yuan} yuan", base.from_month, base.category.label().en),
            )?;
        }
        for m in &ledger.months {
            let due = format_yuan(m.due_fen);
            let by = m.paid_by.as_deref().map(|b| format!(" ({b})")).unwrap_or_default();
            match (m.paid_on, m.deferred.as_deref()) {
                (Some(day), _) => self.say(
                    format_args!("  {}  {due}  已交 {}{by}", m.month, calendar::format_zh(day)),
                    format_args!("  {}  {due}  paid {day}{by}", m.month),
                )?,
                (None, Some(why)) => self.say(
                    format_args!("  {}  {due}  缓交：{why}", m.month),
                    format_args!("  {}  {due}  deferred: {why}", m.month),
                )?,
                (None, None) => {
                    self.say(format_args!("  {}  {due}  未交", m.month), format_args!("  {}  {due}  unpaid", m.month))?
                }
            }
        }
        Ok(())
    }

    /// The members in arrears, the longest behind first.
    pub fn dues_arrears(self, arrears: &[DuesArrears]) -> Result<()> {
        for a in arrears {
            let owed = format_yuan(a.owed_fen);
            let overdue = a.item.status == Status::Overdue;
            self.say(
                format_args!(
                    "{}（{}）欠交 {} 个月 {owed} 元{}",
                    a.item.owner.display_name(),
                    a.item.branch,
                    a.months_behind,
                    if overdue { format!("，已超过六个月（{}）", a.item.clause) } else { String::new() }
                ),
                format_args!(
                    "{} ({}): {} month(s) behind, {owed} yuan{}",
                    a.item.owner.display_name(),
                    a.item.branch,
                    a.months_behind,
                    if overdue { format!(", six months or more ({})", a.item.clause_en) } else { String::new() }
                ),
            )?;
        }
        self.say(format_args!("共 {} 人欠交", arrears.len()), format_args!("{} member(s) in arrears", arrears.len()))
    }

    /// A sheet of payments recorded.
    pub fn dues_imported(self, rows: usize) -> Result<()> {
        self.say(format_args!("已记录 {rows} 行党费交纳"), format_args!("Recorded {rows} rows of dues"))
    }

    /// Payments, one a line: branch, name, months, amount, day, payer.
    pub fn dues_receipts(self, rows: &[dangan_core::store::DuesReceipt]) -> Result<()> {
        for r in rows {
            let months = if r.from_month == r.to_month {
                r.from_month.to_string()
            } else {
                format!("{}–{}", r.from_month, r.to_month)
            };
            outln!(
                "{}  {}  {}  {}  {}  {}",
                pad(&r.branch, 16),
                pad(&r.name, 8),
                pad(&months, 15),
                pad(&dangan_core::dues::format_yuan(r.amount_fen), 10),
                r.paid_on,
                r.paid_by.as_deref().unwrap_or("")
            );
        }
        let total: i64 = rows.iter().map(|r| r.amount_fen).sum();
        let total = dangan_core::dues::format_yuan(total);
        self.say(
            format_args!("共 {} 笔，合计 {total} 元", rows.len()),
            format_args!("{} payments, {total} yuan in all", rows.len()),
        )
    }

    /// Each branch's dues for a period.
    pub fn dues_summary(self, from: Month, to: Month, rows: &[BranchDues]) -> Result<()> {
        let period = if from == to { from.to_string() } else { format!("{from} – {to}") };
        self.say(format_args!("党费收缴情况（{period}）"), format_args!("Party dues, {period}"))?;
        outln!(
            "{}  {}  {}  {}  {}",
            pad(self.t("支部", "branch"), 28),
            pad(self.t("人数", "members"), 8),
            pad(self.t("应交", "due"), 12),
            pad(self.t("已交", "paid"), 12),
            self.t("未交", "outstanding")
        );
        for r in rows {
            outln!(
                "{}  {}  {}  {}  {}",
                pad(&r.branch, 28),
                pad(&r.members.to_string(), 8),
                pad(&format_yuan(r.due_fen), 12),
                pad(&format_yuan(r.paid_fen), 12),
                format_yuan(r.outstanding_fen)
            );
        }
        Ok(())
    }

    /// A person's membership status and its history, oldest first.
    pub fn status(self, detail: &MemberDetail) -> Result<()> {
        let now = detail.status.label();
        self.say(
            format_args!("{}（{}）：{}", detail.person.name, detail.branch_path, now.zh),
            format_args!("{} ({}): {}", detail.person.name, detail.branch_path, now.en),
        )?;
        for change in &detail.status_history {
            let label = change.status.label();
            let reason = change.reason.as_deref().unwrap_or("");
            self.say(
                format_args!("  {}  {}  {reason}", calendar::format_zh(change.date), label.zh),
                format_args!("  {}  {}  {reason}", change.date, label.en),
            )?;
        }
        Ok(())
    }

    /// A member's steps in procedure order, those that came late marked, then what the flags say.
    pub fn steps(self, detail: &MemberDetail) -> Result<()> {
        outln!("{}（{}）", detail.person.name, detail.branch_path);
        for e in &detail.events {
            let mut extra = Vec::new();
            if let Some(m) = e.months {
                extra.push(match self.lang {
                    Lang::Zh => format!("{m} 个月"),
                    Lang::En => format!("{m} month(s)"),
                });
            }
            if let Some(note) = e.note.as_deref() {
                extra.push(note.to_owned());
            }
            let flagged = detail.late.iter().any(|l| l.step == e.kind && l.date == e.date);
            outln!(
                "  {}  {}  {}{}{}",
                pad(&e.id.unwrap_or_default().to_string(), 6),
                e.date,
                pad(self.get(&e.kind.label()), 24),
                extra.join("；"),
                if flagged { self.t("  ⚠ 逾期", "  ⚠ late") } else { "" }
            );
        }
        self.late_notes(&detail.late)
    }

    pub fn step_removed(self, name: &str, kind: EventKind, date: calendar::Date) -> Result<()> {
        let label = kind.label();
        self.say(
            format_args!("已删除 {name} 的「{}」（{}）", label.zh, calendar::format_zh(date)),
            format_args!("Removed “{}” ({date}) of {name}", label.en),
        )
    }

    // A member's file and dossier.

    /// `records`: the checklist of materials, then the records with their attachments.
    pub fn member_file(self, records: &[FileRecord], checklist: &[ChecklistLine]) -> Result<()> {
        outln!("{}", self.t("材料目录", "Checklist"));
        for line in checklist.iter().filter(|l| l.expected || !l.records.is_empty()) {
            let state = if line.records.is_empty() { self.t("缺", "missing") } else { self.t("有", "present") };
            let name = if self.lang == Lang::Zh { &line.name_zh } else { &line.name_en };
            let date = line.date.map(|d| d.to_string()).unwrap_or_default();
            outln!("  {}  {}  {}", pad(state, 8), pad(&date, 10), name);
        }
        outln!("{}", self.t("材料", "Records"));
        for r in records {
            let attachments: Vec<String> = r.attachments.iter().map(|a| format!("#{} {}", a.id, a.name)).collect();
            outln!(
                "  {}  {}  {}  {}",
                pad(&r.id.unwrap_or_default().to_string(), 5),
                r.date,
                pad(self.get(&r.kind.label()), 16),
                attachments.join(", ")
            );
        }
        let (all, missing) = (records.len(), checklist.iter().filter(|l| l.is_missing()).count());
        self.say(format_args!("共 {all} 份材料，缺 {missing} 项"), format_args!("{all} records, {missing} missing"))
    }

    pub fn record_added(self, saved: &FileRecord) -> Result<()> {
        let (id, label, attachments) = (saved.id.unwrap_or_default(), saved.kind.label(), saved.attachments.len());
        self.say(
            format_args!("已添加材料 {id}：{}（{}），附件 {attachments} 个", label.zh, calendar::format_zh(saved.date)),
            format_args!("Added record {id}: {} ({}), {attachments} attachment(s)", label.en, saved.date),
        )
    }

    pub fn attachment_written(self, name: &str, out: &Path) -> Result<()> {
        outln!("{} {} → {}", self.t("已导出附件", "Wrote attachment"), name, out.display());
        Ok(())
    }

    pub fn dossier_written(self, name: &str, file: &Path, pages: u32) -> Result<()> {
        let file = file.display();
        self.say(
            format_args!("已生成 {name} 的档案：{file}（共 {pages} 页）"),
            format_args!("Wrote {name}'s dossier to {file} ({pages} pages)"),
        )
    }

    pub fn dossiers_written(self, count: u64, dir: &Path) -> Result<()> {
        let dir = dir.display();
        self.say(format_args!("已生成 {count} 份档案，在 {dir}"), format_args!("Wrote {count} dossiers into {dir}"))
    }

    /// The characters the fonts lack (printed as 〓), on standard error; nothing when there are none.
    pub fn missing_chars(self, chars: &[String]) {
        if chars.is_empty() {
            return;
        }
        let list = chars.concat();
        self.warn(
            format_args!("注意：字体中没有这些字符，已以〓代替（复制文字时仍为原字）：{list}"),
            format_args!("note: the fonts lack these characters, printed as 〓 (they copy as themselves): {list}"),
        );
    }

    // Users, the recovery key and the audit log.

    /// Each user with their role and, for a branch secretary, the paths of their branches.
    pub fn users(self, users: &[(User, Vec<String>)]) -> Result<()> {
        for (user, branches) in users {
            outln!("{}  {}  {}", pad(&user.name, 12), pad(self.get(&user.role.label()), 10), branches.join("、"));
        }
        Ok(())
    }

    pub fn user_added(self, user: &User) -> Result<()> {
        let (name, role) = (&user.name, user.role.label());
        self.say(format_args!("已添加用户 {name}（{}）", role.zh), format_args!("Added user {name} ({})", role.en))
    }

    pub fn server_users(self, users: &[ServerUser]) -> Result<()> {
        for user in users {
            outln!("{}  {}  {}", pad(&user.name, 12), pad(self.get(&user.role.label()), 10), user.db_role);
        }
        Ok(())
    }

    pub fn server_user_added(self, user: &ServerUser) -> Result<()> {
        let (name, role, db_role) = (&user.name, user.role.label(), &user.db_role);
        self.say(
            format_args!("已添加用户 {name}（{}），数据库登录角色 {db_role}", role.zh),
            format_args!("Added user {name} ({}), database login role {db_role}", role.en),
        )
    }

    pub fn register_moved(self, moved: &dangan_core::server::RegisterMoved) -> Result<()> {
        let (entries, files) = (moved.entries, moved.files);
        self.say(
            format_args!("已将工作区的信访举报登记簿移入服务器：{entries} 件，附件 {files} 个，均已用服务器登记簿的密钥重新加密"),
            format_args!(
                "Moved the workspace's complaints register onto the server: {entries} entries, {files} files, each sealed anew under the server register's key"
            ),
        )
    }

    pub fn workspace_uploaded(self, report: &dangan_core::server::UploadReport) -> Result<()> {
        let (committee, people, steps, entries, units) =
            (&report.committee, report.people, report.steps, report.audit_entries, report.units_created);
        let made = if report.committee_created { self.t("（新建）", " (made now)") } else { "" };
        self.say(
            format_args!(
                "已将工作区上传到「{committee}」{made}：{people} 人、{steps} 个步骤、新建 {units} 个组织；工作区的 {entries} 条审计日志保存为第 {} 次上传",
                report.upload_id
            ),
            format_args!(
                "Uploaded the workspace into {committee}{made}: {people} people, {steps} steps, {units} units made; its {entries} audit entries are kept as upload {}",
                report.upload_id
            ),
        )?;
        if report.set_aside > 0 || report.status_changes > 0 || report.records > 0 {
            let (n, changes, records, attachments) =
                (report.set_aside, report.status_changes, report.records, report.attachments);
            self.say(
                format_args!(
                    "工作区中搁置的 {n} 个提醒事项、{changes} 次党籍状态变更和档案材料 {records} 份（附件 {attachments} 个）也已上传"
                ),
                format_args!(
                    "The workspace's {n} items set aside, {changes} membership status changes and {records} file records ({attachments} attachments) went with it"
                ),
            )?;
        }
        if report.appraisals > 0 {
            let n = report.appraisals;
            self.say(
                format_args!("民主评议也已上传：{n} 次（含各步骤、评议结果和限期改正）"),
                format_args!("The democratic appraisals went with it: {n} (their steps, results and corrections)"),
            )?;
        }
        if report.complaints_left > 0 {
            let n = report.complaints_left;
            self.say(
                format_args!(
                    "信访举报登记簿的 {n} 件留在工作区：其密钥只有纪检委员持有，须由纪检委员用 dangan complaints upload 移入服务器"
                ),
                format_args!(
                    "The complaints register's {n} entries stay in the workspace: only its discipline inspectors hold their key, and one of them moves them with `dangan complaints upload`"
                ),
            )?;
        }
        let transfers = report.transfers;
        if transfers.letters > 0 || transfers.requests > 0 || transfers.arrivals > 0 {
            let (letters, requests, arrivals) = (transfers.letters, transfers.requests, transfers.arrivals);
            self.say(
                format_args!("组织关系也已上传：介绍信 {letters} 封、转出申请 {requests} 份、转入记录 {arrivals} 条"),
                format_args!(
                    "The transfers went with it: {letters} letters, {requests} applications to transfer, {arrivals} arrivals"
                ),
            )?;
        }
        if report.kept_graduates > 0 {
            let n = report.kept_graduates;
            self.say(
                format_args!("保留组织关系的毕业生也已上传：{n} 人"),
                format_args!("The graduates kept went with it: {n}"),
            )?;
        }
        if report.dues_months > 0 {
            let months = report.dues_months;
            self.say(
                format_args!("党费记录也已上传：{months} 个月的交纳或缓交"),
                format_args!("The dues went with it: {months} months paid or deferred"),
            )?;
        }
        let life = &report.branch_life;
        if life.meetings > 0
            || life.party_groups > 0
            || life.committee_posts > 0
            || life.training_classes > 0
            || life.study_entries > 0
            || life.set_aside > 0
        {
            let (meetings, files, groups, posts, classes, study, set_aside) = (
                life.meetings,
                life.meeting_attachments,
                life.party_groups,
                life.committee_posts,
                life.training_classes,
                life.study_entries,
                life.set_aside,
            );
            self.say(
                format_args!(
                    "组织生活也已上传：会议 {meetings} 次（附件 {files} 个）、党小组 {groups} 个、支委会任职 {posts} 条、培训班 {classes} 个、个人学习 {study} 条、搁置的组织生活事项 {set_aside} 个"
                ),
                format_args!(
                    "Branch life went with it: {meetings} meetings ({files} files), {groups} party groups, {posts} committee posts, {classes} training classes, {study} entries of own study, {set_aside} branch items set aside"
                ),
            )?;
        }
        if !report.users_to_add.is_empty() {
            let names = report.users_to_add.join(self.t("、", ", "));
            self.say(
                format_args!("工作区的用户（{names}）需在服务器上另设账号：dangan users add"),
                format_args!("The workspace's users ({names}) need accounts on the server: dangan users add"),
            )?;
        }
        Ok(())
    }

    pub fn member_moved(self, moved: &dangan_core::server::MemberMoved) -> Result<()> {
        let (name, from, to) = (&moved.name, &moved.from, &moved.to);
        self.say(format_args!("已将 {name} 从「{from}」转至「{to}」"), format_args!("Moved {name} from {from} to {to}"))
    }

    pub fn server_initialised(self, server: &ServerAddress, admin: &ServerUser) -> Result<()> {
        let (name, db_role) = (&admin.name, &admin.db_role);
        self.say(
            format_args!(
                "已在 {server} 上建立 Dangan：数据表、角色与行级安全策略、审计日志，以及第一个管理员 {name}（数据库登录角色 {db_role}）。以 --server 和 --user {name} 登录"
            ),
            format_args!(
                "Set up Dangan on {server}: the tables, the roles and row-level policies, the audit log, and the first administrator {name} (database login role {db_role}). Sign in with --server and --user {name}"
            ),
        )
    }

    pub fn server_upgraded(self, server: &ServerAddress, from: i32, to: i32) -> Result<()> {
        if from == to {
            return self.say(
                format_args!("{server} 的数据结构已是第 {to} 版，无需升级"),
                format_args!("{server} holds schema version {to} already: nothing to upgrade"),
            );
        }
        self.say(
            format_args!("已将 {server} 的数据结构从第 {from} 版升级到第 {to} 版，用户现在可以登录"),
            format_args!("Upgraded {server}'s schema from version {from} to {to}: users can sign in now"),
        )
    }

    pub fn server_verified(self, report: &VerifyReport) -> Result<()> {
        if !report.is_ok() {
            for problem in &report.problems {
                errln!("{}", self.get(problem));
            }
            return Ok(());
        }
        let entries = report.audit_entries_checked;
        self.say(
            format_args!("服务器上的审计日志完好：{entries} 条的哈希链均已核对"),
            format_args!("The server's audit log is sound: the hash chain of {entries} entries checked"),
        )
    }

    pub fn role_changed(self, user: &User) -> Result<()> {
        self.now_role(&user.name, user.role)
    }

    fn now_role(self, name: &str, role: dangan_core::access::Role) -> Result<()> {
        let role = role.label();
        self.say(format_args!("{name} 现为{}", role.zh), format_args!("{name} is now {}", role.en))
    }

    pub fn server_role_set(self, user: &ServerUser) -> Result<()> {
        self.now_role(&user.name, user.role)
    }

    pub fn user_removed(self) -> Result<()> {
        outln!(
            "{}",
            self.t("已删除用户，其口令不再能打开工作区", "User removed; their passphrase opens nothing any more")
        );
        Ok(())
    }

    pub fn passphrase_reset(self) -> Result<()> {
        outln!("{}", self.t("口令已重新设置", "The passphrase was set anew"));
        Ok(())
    }

    pub fn recovered(self, user: &str) -> Result<()> {
        self.say(format_args!("已为 {user} 重新设置口令"), format_args!("A new passphrase was set for {user}"))
    }

    pub fn audit_written(self, entries: u64, file: &Path) -> Result<()> {
        let file = file.display();
        self.say(
            format_args!("已将 {entries} 条审计记录写入 {file}"),
            format_args!("Wrote {entries} audit entries to {file}"),
        )
    }

    /// One audit entry a line, newest first, and how to see the rest when the page is not all.
    pub fn audit(self, page: &AuditPage) -> Result<()> {
        for entry in &page.entries {
            outln!("{}", audit_line(entry));
        }
        let (all, shown) = (page.total, page.entries.len());
        if all > shown as u64 {
            self.say(
                format_args!("（共 {all} 条，显示最新的 {shown} 条；--limit 0 显示全部）"),
                format_args!("({all} in all, the newest {shown} shown; --limit 0 shows all)"),
            )?;
        }
        Ok(())
    }
}

/// An audit entry as the log's own words (entity, field, values), the same in both languages.
fn audit_line(e: &AuditEntry) -> String {
    let what = match (&e.member_name, e.member_id) {
        (Some(name), Some(id)) => format!("{} #{} ({name} #{id})", e.entity, e.entity_id.as_deref().unwrap_or("")),
        _ => format!("{} #{}", e.entity, e.entity_id.as_deref().unwrap_or("")),
    };
    let change = match e.action.as_str() {
        "update" => format!(
            "{}: {} → {}",
            e.field.as_deref().unwrap_or(""),
            e.old.as_deref().unwrap_or("∅"),
            e.new.as_deref().unwrap_or("∅")
        ),
        "insert" => format!("+ {}", e.new.as_deref().unwrap_or("")),
        _ => format!("- {}", e.old.as_deref().unwrap_or("")),
    };
    format!("{:>6}  {}  {}  {}  {}", e.seq, e.at, e.actor, what, change)
}

/// `members` as a table, a page at a time so memory stays flat however many there are. The
/// header waits for the first page, so a refused list prints nothing but the refusal.
pub struct MemberTable {
    human: Human,
    headed: bool,
}

impl MemberTable {
    const STAGE_W: usize = 12;

    fn header(&self) -> Result<()> {
        let t = |zh, en| self.human.t(zh, en);
        outln!(
            "{}  {}  {}  {}  {}",
            pad(t("编号", "id"), 6),
            pad(t("姓名", "name"), 8),
            pad(t("阶段", "stage"), Self::STAGE_W),
            pad(t("所在支部", "branch"), 24),
            t("学号工号", "student no.")
        );
        Ok(())
    }

    pub fn page(&mut self, page: &[MemberSummary]) -> Result<()> {
        if !std::mem::replace(&mut self.headed, true) {
            self.header()?;
        }
        let name_w = page.iter().map(|m| display_width(&m.name)).max().unwrap_or(4).clamp(8, 24);
        let branch_w = page.iter().map(|m| display_width(&m.branch)).max().unwrap_or(4).clamp(24, 40);
        for m in page {
            outln!(
                "{}  {}  {}  {}  {}",
                pad(&m.id.to_string(), 6),
                pad(&m.name, name_w),
                pad(&self.stage_and_status(m), Self::STAGE_W),
                pad(&m.branch, branch_w),
                m.student_no.as_deref().unwrap_or("")
            );
        }
        Ok(())
    }

    /// The stage, and the status when out of the register: 正式党员（转出）.
    fn stage_and_status(&self, m: &MemberSummary) -> String {
        let stage = self.human.get(&m.stage.label()).to_owned();
        if m.status == dangan_core::domain::MembershipStatus::InRegister {
            return stage;
        }
        match self.human.lang {
            Lang::Zh => format!("{stage}（{}）", m.status.zh()),
            Lang::En => format!("{stage} ({})", m.status.label().en),
        }
    }

    /// The count of all members listed (after the header, when there was no page).
    pub fn finish(self, total: u64) -> Result<()> {
        if !self.headed {
            self.header()?;
        }
        self.human.say(format_args!("共 {total} 人"), format_args!("{total} people"))
    }
}
