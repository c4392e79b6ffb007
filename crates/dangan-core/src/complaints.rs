//! The confidential register of complaints and reports (信访举报, issue 18 part 2;
//! 《纪检监察机关处理检举控告工作规则》(2020)): what an entry says, how it is handled, and the
//! checks on what a discipline inspector enters. Only discipline inspectors use it: the store keeps
//! each entry's words sealed under the register key (`keys/register.rs`, `store/complaints.rs`),
//! so the database key alone opens nothing of it; only the day received, whether it belongs
//! elsewhere and the days it was forwarded, reported back and closed are in the clear, for the
//! counts everyone may see and the deadlines the inspectors are shown.

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::domain::Id;
use crate::{Error, Result, Text};

crate::domain::vocabulary! {
    /// How a complaint came in.
    Channel {
        Letter = "letter", "来信", "letter", [];
        Visit = "visit", "来访", "visit", [];
        Phone = "phone", "电话", "phone", [];
        Online = "online", "网络", "online", [];
        InPerson = "in_person", "当面", "in person", [];
    }
}

crate::domain::vocabulary! {
    /// How an entry is handled (第十四至十八条): by talk or written inquiry, preliminary
    /// verification, held pending, closed, or forwarded to the body it belongs to.
    Handling {
        TalkOrLetter = "talk_or_letter", "谈话函询", "talk or written inquiry", [];
        PreliminaryVerification = "preliminary_verification", "初步核实", "preliminary verification", [];
        Holding = "holding", "暂存待查", "held pending", [];
        Closing = "closing", "予以了结", "closed", [];
        Forwarded = "forwarded", "转送有关机关", "forwarded", [];
    }
}

/// One step of an entry's handling, as recorded.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlingStep {
    pub handling: Handling,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    /// For a forwarding, the body it went to.
    pub to: Option<String>,
    pub note: Option<String>,
}

/// What an entry says: sealed whole under the register key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Content {
    pub channel: Channel,
    /// None: anonymous.
    pub complainant: Option<String>,
    /// The member concerned, if on file (they are never told), and the name as given.
    pub concerning: Option<Id>,
    pub concerning_name: Option<String>,
    pub category: Option<String>,
    pub summary: String,
    pub steps: Vec<HandlingStep>,
    pub result: Option<String>,
}

/// Where an entry stands.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintState {
    /// Registered, not yet handled.
    Registered,
    /// Being handled.
    Handling,
    /// Closed with its result.
    Closed,
}

/// An entry as an inspector opens it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    /// `2026-001`: the year received and the register's sequence in it.
    pub number: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub received_on: Date,
    pub channel: Channel,
    pub complainant: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub concerning: Option<Id>,
    pub concerning_name: Option<String>,
    pub category: Option<String>,
    pub summary: String,
    pub steps: Vec<HandlingStep>,
    pub result: Option<String>,
    /// It belongs to another body: forwarded within five working days (第十四条).
    pub belongs_elsewhere: bool,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub forwarded_on: Option<Date>,
    /// The latest report back of its handling (quarterly while open).
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub reported_on: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub closed_on: Option<Date>,
    pub state: ComplaintState,
    /// Its scans and photos (their names and sizes; the bytes are read one at a time).
    pub attachments: Vec<ComplaintAttachment>,
}

/// A file of an entry, as the entry lists it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintAttachment {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    pub name: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub size: u64,
}

/// An entry as the register lists it, from its clear columns only: nothing it says (opening an
/// entry to read that is a recorded reading).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintLine {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    pub number: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub received_on: Date,
    pub belongs_elsewhere: bool,
    pub state: ComplaintState,
    /// The day it must be forwarded by (five working days), while it belongs elsewhere and is not.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub forward_due: Option<Date>,
    /// The day its next report back is due, while open.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub report_due: Option<Date>,
}

/// What anyone signed in may know of the register: that it exists and how many entries are open.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ComplaintsOverview {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub total: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub open: u64,
}

/// A new entry as an inspector registers it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewComplaint {
    pub channel: Channel,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub received_on: Date,
    /// None or empty: anonymous.
    pub complainant: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub concerning: Option<Id>,
    pub category: Option<String>,
    pub summary: String,
    /// It belongs to another body and is to be forwarded.
    #[serde(default)]
    pub belongs_elsewhere: bool,
}

/// A step of handling as an inspector records it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewHandling {
    pub handling: Handling,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    /// For a forwarding: the body it goes to (required).
    pub to: Option<String>,
    pub note: Option<String>,
    /// The handling was reported back on this day too.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub reported_on: Option<Date>,
}

/// The rules of the register's deadlines: forwarding within five working days (第十四条), a
/// report back every three months while open.
pub const FORWARD_WORKING_DAYS: u32 = 5;
pub const REPORT_MONTHS: u32 = 3;

/// A deadline of the register, as the scan shows it to discipline inspectors.
#[derive(Debug)]
pub struct ComplaintRule {
    pub id: &'static str,
    pub name: Text,
    pub clause: Text,
    pub lead_days: Vec<u32>,
}

fn clause() -> Text {
    Text::new(
        "《纪检监察机关处理检举控告工作规则》",
        "Rules on Handling Reports and Accusations by Discipline Inspection Organs",
    )
}

/// An entry belonging elsewhere is forwarded within five working days.
pub fn forward_rule() -> &'static ComplaintRule {
    static RULE: std::sync::OnceLock<ComplaintRule> = std::sync::OnceLock::new();
    RULE.get_or_init(|| ComplaintRule {
        id: "complaint_forward",
        name: Text::new("信访举报件须转送有关机关", "A complaint belonging elsewhere is to be forwarded"),
        clause: clause(),
        lead_days: vec![2],
    })
}

/// An open entry's handling is reported back every three months.
pub fn report_rule() -> &'static ComplaintRule {
    static RULE: std::sync::OnceLock<ComplaintRule> = std::sync::OnceLock::new();
    RULE.get_or_init(|| ComplaintRule {
        id: "complaint_report",
        name: Text::new("信访举报办理情况须按季度反馈", "A complaint's handling is to be reported back this quarter"),
        clause: clause(),
        lead_days: vec![14],
    })
}

/// Trimmed text of at most `max` characters without control or direction characters; `None`
/// when empty.
pub(crate) fn text(field: &str, label: (&str, &str), given: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(given) = given.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    crate::text::check_chars(field, label, given, true)?;
    if given.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{}过长（最多 {max} 字）", label.0),
            format!("the {} is too long ({max} characters at most)", label.1),
        ));
    }
    Ok(Some(given.to_owned()))
}

/// Checks a day: not after today, not before `earliest` (named).
pub(crate) fn check_day(field: &str, day: Date, earliest: Option<(Date, &str, &str)>, today: Date) -> Result<()> {
    if day > today {
        return Err(Error::invalid(
            field,
            format!("日期 {} 晚于今天", calendar::format_zh(day)),
            format!("the day, {day}, is after today"),
        ));
    }
    if let Some((earliest, zh, en)) = earliest.filter(|(e, ..)| day < *e) {
        return Err(Error::invalid(
            field,
            format!("日期 {} 早于{zh}（{}）", calendar::format_zh(day), calendar::format_zh(earliest)),
            format!("the day, {day}, is before {en}, {earliest}"),
        ));
    }
    Ok(())
}

/// The new entry's words, checked: a summary is required.
pub(crate) fn check_new(new: &NewComplaint, today: Date) -> Result<Content> {
    check_day("received", new.received_on, None, today)?;
    let summary = text("summary", ("内容摘要", "summary"), Some(&new.summary), 2000)?
        .ok_or_else(|| Error::invalid("summary", "请写明反映的主要内容", "give the summary of what is reported"))?;
    Ok(Content {
        channel: new.channel,
        complainant: text("complainant", ("反映人", "complainant"), new.complainant.as_deref(), 100)?,
        concerning: new.concerning,
        concerning_name: None,
        category: text("category", ("问题类别", "category"), new.category.as_deref(), 100)?,
        summary,
        steps: Vec::new(),
        result: None,
    })
}

/// A step of handling, checked against the entry: after its receipt, a forwarding naming where.
pub(crate) fn check_handling(new: &NewHandling, received_on: Date, today: Date) -> Result<HandlingStep> {
    check_day("date", new.date, Some((received_on, "受理日期", "the day received")), today)?;
    if let Some(reported) = new.reported_on {
        check_day("reported", reported, Some((received_on, "受理日期", "the day received")), today)?;
    }
    let to = text("to", ("转送机关", "body forwarded to"), new.to.as_deref(), 100)?;
    if new.handling == Handling::Forwarded && to.is_none() {
        return Err(Error::invalid("to", "转送须写明转送的机关", "a forwarding needs the body it goes to"));
    }
    Ok(HandlingStep {
        handling: new.handling,
        date: new.date,
        to,
        note: text("note", ("说明", "note"), new.note.as_deref(), 2000)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_forwarding_names_where_and_a_step_comes_after_the_receipt() {
        let today = d("2026-11-24");
        let step = |handling, date: &str, to: Option<&str>| NewHandling {
            handling,
            date: d(date),
            to: to.map(str::to_owned),
            note: None,
            reported_on: None,
        };
        assert!(
            check_handling(&step(Handling::Forwarded, "2026-11-20", Some("区纪委")), d("2026-11-18"), today).is_ok()
        );
        let field = |r: Result<HandlingStep>| match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(check_handling(&step(Handling::Forwarded, "2026-11-20", None), d("2026-11-18"), today)), "to");
        assert_eq!(field(check_handling(&step(Handling::Holding, "2026-11-17", None), d("2026-11-18"), today)), "date");
        assert_eq!(field(check_handling(&step(Handling::Holding, "2026-11-25", None), d("2026-11-18"), today)), "date");
        assert_eq!(Channel::parse("in_person"), Some(Channel::InPerson));
        assert_eq!(Handling::parse("暂存待查"), Some(Handling::Holding));
    }
}
