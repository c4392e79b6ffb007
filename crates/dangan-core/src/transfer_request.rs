//! The application to transfer out (转出申请) and its approval (审批), the steps before the letter:
//! the member or their branch applies, naming where to; the committee approves or declines; the
//! letter is then issued against the approved application (`store/transfers.rs`). A letter may
//! also be issued without one by those who approve transfers (the committee deciding itself, as in
//! a graduating class's batch); a branch secretary's letter needs an approved application.
//! The store keeps applications in `store/transfer_requests.rs`.

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::domain::Id;
use crate::{Error, Result};

/// Where an application stands.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Applied, awaiting the committee's decision.
    Applied,
    /// Approved: the letter may be issued.
    Approved,
    /// Declined, with the reason.
    Declined,
    /// The letter was issued against it.
    LetterIssued,
}

/// An application to transfer out.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferRequest {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    /// The member's branch path.
    pub branch: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub applied_on: Date,
    /// The organisation the member asks to transfer to (转往).
    pub destination: String,
    /// Why (a new employer, a move, graduation …).
    pub reason: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub approved_on: Option<Date>,
    /// The user who approved or declined it.
    pub decided_by: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub declined_on: Option<Date>,
    pub declined_reason: Option<String>,
    /// The letter issued against it.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub letter_id: Option<Id>,
    pub letter_number: Option<String>,
    pub state: RequestState,
}

impl TransferRequest {
    pub fn state_of(approved: bool, declined: bool, letter: bool) -> RequestState {
        match (letter, declined, approved) {
            (true, _, _) => RequestState::LetterIssued,
            (false, true, _) => RequestState::Declined,
            (false, false, true) => RequestState::Approved,
            (false, false, false) => RequestState::Applied,
        }
    }
}

/// What the worker gives to record an application.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewTransferRequest {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub destination: String,
    pub reason: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub applied_on: Date,
}

/// Checks an application: a destination of sane length without control characters, a day not
/// after today. Returns the trimmed destination and reason.
pub fn check_new_request(new: &NewTransferRequest, today: Date) -> Result<(String, Option<String>)> {
    let destination = new.destination.trim();
    crate::text::check_chars("to", ("转往", "destination"), destination, false)?;
    crate::text::check_chars("reason", ("申请理由", "reason"), new.reason.as_deref().unwrap_or(""), true)?;
    if destination.is_empty() {
        return Err(Error::invalid(
            "to",
            "请写申请转往的党组织",
            "give the organisation the member asks to transfer to",
        ));
    }
    if destination.chars().count() > 100 {
        return Err(Error::invalid(
            "to",
            "转往的党组织名称过长（最多 100 字）",
            "the destination is too long (100 characters at most)",
        ));
    }
    let reason = new.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(Error::invalid(
            "reason",
            "申请理由过长（最多 500 字）",
            "the reason is too long (500 characters at most)",
        ));
    }
    check_not_after_today("date", new.applied_on, today)?;
    Ok((destination.to_owned(), reason.map(str::to_owned)))
}

/// Checks the day of a decision: not before the application, not after today.
pub fn check_decision_day(request: &TransferRequest, day: Date, today: Date) -> Result<()> {
    check_not_after_today("date", day, today)?;
    if day < request.applied_on {
        return Err(Error::invalid(
            "date",
            format!("审批日期 {} 早于申请日期 {}", calendar::format_zh(day), calendar::format_zh(request.applied_on)),
            format!("the day of the decision, {day}, is before the application, {}", request.applied_on),
        ));
    }
    Ok(())
}

fn check_not_after_today(field: &str, day: Date, today: Date) -> Result<()> {
    if day > today {
        return Err(Error::invalid(
            field,
            format!("日期 {} 晚于今天", calendar::format_zh(day)),
            format!("the day, {day}, is after today"),
        ));
    }
    Ok(())
}

/// The reason of a declined application: required, one line or several, at most 500 characters.
pub fn check_decline_reason(reason: &str) -> Result<String> {
    let reason = reason.trim();
    crate::text::check_chars("reason", ("不予批准的理由", "reason"), reason, true)?;
    if reason.is_empty() {
        return Err(Error::invalid("reason", "不予批准须写明理由", "a declined application needs its reason"));
    }
    if reason.chars().count() > 500 {
        return Err(Error::invalid(
            "reason",
            "理由过长（最多 500 字）",
            "the reason is too long (500 characters at most)",
        ));
    }
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn field(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_application_names_where_to_and_is_not_dated_ahead() {
        let new = |to: &str, on: &str| NewTransferRequest {
            person_id: 1,
            destination: to.into(),
            reason: Some("  工作调动 ".into()),
            applied_on: d(on),
        };
        let today = d("2026-06-10");
        assert_eq!(
            check_new_request(&new(" 中共某某公司委员会 ", "2026-06-01"), today).unwrap(),
            ("中共某某公司委员会".to_owned(), Some("工作调动".to_owned()))
        );
        assert_eq!(field(check_new_request(&new(" ", "2026-06-01"), today)), "to");
        assert_eq!(field(check_new_request(&new("某处\u{202e}", "2026-06-01"), today)), "to");
        assert_eq!(field(check_new_request(&new("某处", "2026-06-11"), today)), "date");
    }

    #[test]
    fn a_decision_falls_between_the_application_and_today() {
        let request = TransferRequest {
            id: 1,
            person_id: 1,
            name: "张三".into(),
            branch: "某支部".into(),
            branch_id: 2,
            applied_on: d("2026-06-01"),
            destination: "某处".into(),
            reason: None,
            approved_on: None,
            decided_by: None,
            declined_on: None,
            declined_reason: None,
            letter_id: None,
            letter_number: None,
            state: RequestState::Applied,
        };
        let today = d("2026-06-10");
        assert!(check_decision_day(&request, d("2026-06-01"), today).is_ok());
        assert_eq!(field(check_decision_day(&request, d("2026-05-31"), today)), "date");
        assert_eq!(field(check_decision_day(&request, d("2026-06-11"), today)), "date");
        assert_eq!(field(check_decline_reason("  ")), "reason");
        assert_eq!(TransferRequest::state_of(true, false, true), RequestState::LetterIssued);
        assert_eq!(TransferRequest::state_of(true, false, false), RequestState::Approved);
        assert_eq!(TransferRequest::state_of(false, true, false), RequestState::Declined);
    }
}
