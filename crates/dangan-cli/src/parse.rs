//! Values given on the command line, read into the core's types. A value that is not one is
//! refused naming its option, before anything is opened or changed.

use std::path::Path;

use dangan_core::access::Role;
use dangan_core::domain::{
    CommitteePost, DuesCategory, EventKind, Grade, MeetingKind, MembershipStatus, RecordKind, Stage,
};
use dangan_core::roster::Duplicates;
use dangan_core::rules::RuleSetId;
use dangan_core::store::StatusFilter;
use dangan_core::text::excerpt;
use dangan_core::{Error, Result, Text, calendar};

/// A date, in any spelling rosters use.
pub fn date(field: &str, s: &str) -> Result<calendar::Date> {
    calendar::parse_flexible(s).ok_or_else(|| {
        Error::invalid(
            field,
            format!("无法识别的日期「{s}」，应写作 2026-11-24"),
            format!("“{s}” is not a date; write 2026-11-24"),
        )
    })
}

/// `--as-of`: the day to compute as of, today when not given.
pub fn as_of(s: Option<&str>) -> Result<calendar::Date> {
    s.map_or_else(|| Ok(calendar::today()), |s| date("as_of", s))
}

/// An optional value, read when given.
pub fn optional<T>(s: Option<&str>, read: impl FnOnce(&str) -> Result<T>) -> Result<Option<T>> {
    s.map(read).transpose()
}

/// `init --rules`.
pub fn rule_set(s: &str) -> Result<RuleSetId> {
    RuleSetId::parse(s).ok_or_else(|| Error::InvalidInput {
        field: "rules".into(),
        reason: Text::new(
            format!("未知的规则版本「{s}」，可选 cpc-2026 或 cpc-2014"),
            format!("unknown rule set “{s}”: choose cpc-2026 or cpc-2014"),
        ),
    })
}

/// `import --duplicates`: add or skip, in any case.
pub fn duplicates(s: &str) -> Result<Duplicates> {
    match s.to_ascii_lowercase().as_str() {
        "add" => Ok(Duplicates::Add),
        "skip" => Ok(Duplicates::Skip),
        other => Err(Error::invalid(
            "duplicates",
            format!("--duplicates 只能是 add 或 skip，而不是「{}」", excerpt(other, 20)),
            format!("--duplicates takes add or skip, not “{}”", excerpt(other, 20)),
        )),
    }
}

/// `--stage`: its id or its Chinese name.
pub fn stage(s: &str) -> Result<Stage> {
    Stage::parse(s).ok_or_else(|| Error::InvalidInput {
        field: "stage".into(),
        reason: Text::new(
            format!("未知的阶段「{s}」，可选 applicant、activist、candidate、probationary、full_member"),
            format!("unknown stage “{s}”: choose applicant, activist, candidate, probationary or full_member"),
        ),
    })
}

/// A membership status (`status set --status`).
pub fn status(s: &str) -> Result<MembershipStatus> {
    MembershipStatus::parse(s).ok_or_else(|| {
        let ids: Vec<&str> = MembershipStatus::ALL.iter().map(|s| s.as_str()).collect();
        let s = excerpt(s, 40);
        Error::invalid(
            "status",
            format!("未知的党籍状态「{s}」，可选 {}", ids.join("、")),
            format!("unknown membership status “{s}”: choose {}", ids.join(", ")),
        )
    })
}

/// A dues category (`dues rate --category`).
pub fn dues_category(s: &str) -> Result<DuesCategory> {
    DuesCategory::parse(s).ok_or_else(|| {
        let ids: Vec<&str> = DuesCategory::ALL.iter().map(|c| c.as_str()).collect();
        let s = excerpt(s, 40);
        Error::invalid(
            "category",
            format!("未知的党费类别「{s}」，可选 {}", ids.join("、")),
            format!("unknown dues category “{s}”: choose {}", ids.join(", ")),
        )
    })
}

/// `--status`: one status, `archived` for everyone out of the register, or `all`.
pub fn status_filter(s: &str) -> Result<StatusFilter> {
    match s.trim() {
        "archived" | "已归档" | "不在册" => return Ok(StatusFilter::Archived),
        "all" | "全部" => return Ok(StatusFilter::All),
        _ => {}
    }
    status(s).map(StatusFilter::Only)
}

/// `users --role`.
pub fn role(s: &str) -> Result<Role> {
    Role::parse(s.trim()).ok_or_else(|| {
        Error::invalid(
            "role",
            format!("未知的角色「{s}」，可选 administrator、organiser、branch_secretary、auditor"),
            format!("unknown role “{s}”: choose administrator, organiser, branch_secretary or auditor"),
        )
    })
}

/// `step add --kind`: a step by its id or Chinese name.
pub fn step_kind(s: &str) -> Result<EventKind> {
    EventKind::from_name(s).ok_or_else(|| {
        let shown = excerpt(s, 40);
        Error::invalid(
            "kind",
            format!("未知的步骤「{shown}」；可用的步骤见 dangan step add --help"),
            format!("unknown step “{shown}”; see `dangan step add --help` for the steps"),
        )
    })
}

/// `record --step`: the step a record documents.
pub fn record_step(s: &str) -> Result<EventKind> {
    EventKind::parse(s)
        .ok_or_else(|| Error::invalid("step", format!("未知的步骤「{s}」"), format!("unknown step “{s}”")))
}

/// `record --kind`: a record kind by its id or Chinese name.
pub fn record_kind(s: &str) -> Result<RecordKind> {
    RecordKind::parse(s).ok_or_else(|| {
        Error::invalid(
            "kind",
            format!("未知的材料种类「{s}」，可选：{}", RecordKind::ALL.map(|k| k.label().zh).join("、")),
            format!("unknown record kind “{s}”: choose {}", RecordKind::ALL.map(|k| k.as_str()).join(", ")),
        )
    })
}

/// `record --grade`.
pub fn grade(s: &str) -> Result<Grade> {
    Grade::parse(s).ok_or_else(|| {
        Error::invalid(
            "grade",
            format!("未知的等次「{s}」，应为优秀、合格、基本合格或不合格"),
            format!("unknown grade “{s}”: excellent, qualified, basically_qualified or unqualified"),
        )
    })
}

/// A text file the command reads (a rule file, a holiday calendar, a record's text).
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })
}

/// `meetings --kind`: its id or its Chinese name.
pub fn meeting_kind(s: &str) -> Result<MeetingKind> {
    MeetingKind::parse(s).ok_or_else(|| {
        let known: Vec<String> = MeetingKind::ALL.iter().map(|k| format!("{} ({})", k.as_str(), k.zh())).collect();
        Error::invalid(
            "kind",
            format!("会议类型「{}」无效，应为：{}", dangan_core::text::excerpt(s, 20), known.join("、")),
            format!(
                "“{}” is not a kind of meeting; use one of {}",
                dangan_core::text::excerpt(s, 20),
                known.join(", ")
            ),
        )
    })
}

/// `--hours` as typed (`1.5`, `2`), to whole minutes.
pub fn study_hours(s: &str) -> Result<u32> {
    let bad = || {
        Error::invalid(
            "hours",
            format!("学时「{}」应为 0 至 24 之间的数，如 1.5", dangan_core::text::excerpt(s, 20)),
            format!("hours “{}” must be a number from 0 to 24, such as 1.5", dangan_core::text::excerpt(s, 20)),
        )
    };
    let value: f64 = s.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || !(0.0..=24.0).contains(&value) {
        return Err(bad());
    }
    Ok((value * 60.0).round() as u32)
}

/// `--year`: its first and last day.
pub fn year(year: i32) -> Result<(calendar::Date, calendar::Date)> {
    let day = |m, d| calendar::Date::from_ymd_opt(year, m, d);
    match (day(1, 1), day(12, 31)) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(Error::invalid("year", format!("年份 {year} 无效"), format!("{year} is not a year"))),
    }
}

/// `committee --post`: its id or its Chinese name.
pub fn committee_post(s: &str) -> Result<CommitteePost> {
    CommitteePost::parse(s).ok_or_else(|| {
        let known: Vec<String> = CommitteePost::ALL.iter().map(|p| format!("{} ({})", p.as_str(), p.zh())).collect();
        Error::invalid(
            "post",
            format!("职务「{}」无效，应为：{}", excerpt(s, 20), known.join("、")),
            format!("“{}” is not a committee post; use one of {}", excerpt(s, 20), known.join(", ")),
        )
    })
}

/// A calendar month, `2026-05`.
pub fn month(field: &str, s: &str) -> Result<dangan_core::dues::Month> {
    dangan_core::dues::Month::parse(s).ok_or_else(|| {
        let shown = excerpt(s, 30);
        Error::invalid(
            field,
            format!("「{shown}」不是月份，应写作 2026-05"),
            format!("“{shown}” is not a month; write 2026-05"),
        )
    })
}
