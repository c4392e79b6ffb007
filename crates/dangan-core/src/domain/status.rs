//! A person's membership status beside their stage: in the register (在册), or out of it with the
//! day and the reason, and the rules for moving between them. A person out of the register leaves
//! the working lists, deadlines and reminders; their file stays readable and printable.
//!
//! Sources (`../shared/rules/REFERENCE.md`): 《中国共产党党员教育管理工作条例》(2019) 第二十四条
//! (停止党籍: out of contact six months), 第二十五条 (组织关系转接), 第三十一条 (除名, 劝退);
//! 《中国共产党章程》第九条 (退党, 除名, 自行脱党), 第四十条 (开除党籍); 《中国共产党发展党员工作细则》
//! 第三十二条 (取消预备党员资格).

use serde::{Deserialize, Serialize};

use super::{Id, Stage};
use crate::calendar::Date;
use crate::{Error, Result, Text};

vocabulary! {
    /// Where a person's membership stands.
    MembershipStatus {
        /// 在册: on the register of this committee.
        InRegister = "in_register", "在册", "in the register", ["在籍"];
        /// 转出: the organisational relationship moved to another committee.
        TransferredOut = "transferred_out", "转出", "transferred out", ["组织关系转出"];
        /// 停止党籍 (条例第二十四条): out of contact for six months.
        Suspended = "suspended", "停止党籍", "membership suspended", [];
        /// 退党 (党章第九条).
        Withdrew = "withdrew", "退党", "withdrew", [];
        /// 除名 (党章第九条).
        Removed = "removed", "除名", "removed from the register", [];
        /// 开除党籍 (党章第四十条).
        Expelled = "expelled", "开除党籍", "expelled", ["开除"];
        /// 自行脱党 (党章第九条).
        Lapsed = "lapsed", "自行脱党", "lapsed", ["脱党"];
        /// 去世.
        Deceased = "deceased", "去世", "deceased", ["死亡", "病故", "逝世"];
        /// 取消预备党员资格 (细则第三十二条).
        ProbationCancelled = "probation_cancelled", "取消预备党员资格", "probationary membership cancelled", ["取消预备资格"];
    }
}

impl MembershipStatus {
    /// The statuses that end membership for good: nothing follows them.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            MembershipStatus::Withdrew
                | MembershipStatus::Removed
                | MembershipStatus::Expelled
                | MembershipStatus::Lapsed
                | MembershipStatus::Deceased
                | MembershipStatus::ProbationCancelled
        )
    }

    /// The statistics' 出党: leaving the party by a decision or by lapsing.
    pub fn is_leaving(self) -> bool {
        self.is_final() && self != MembershipStatus::Deceased
    }

    /// Decided by an organisation, so the decision is recorded with its reason.
    pub fn needs_reason(self) -> bool {
        !matches!(self, MembershipStatus::InRegister | MembershipStatus::TransferredOut | MembershipStatus::Deceased)
    }

    /// The article the status rests on, as documents cite it.
    pub fn clause(self) -> &'static str {
        match self {
            MembershipStatus::InRegister => "",
            MembershipStatus::TransferredOut => "《中国共产党党员教育管理工作条例》第二十五条",
            MembershipStatus::Suspended => "《中国共产党党员教育管理工作条例》第二十四条",
            MembershipStatus::Withdrew | MembershipStatus::Removed | MembershipStatus::Lapsed => {
                "《中国共产党章程》第九条"
            }
            MembershipStatus::Expelled => "《中国共产党章程》第四十条",
            MembershipStatus::Deceased => "",
            MembershipStatus::ProbationCancelled => "《中国共产党发展党员工作细则》第三十二条",
        }
    }
}

/// One change of a person's status: from this day on, with the reason (a decision's number, a
/// transfer's destination).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub status: MembershipStatus,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    pub reason: Option<String>,
}

/// The refusal of an undo where no change was recorded.
pub fn nothing_to_undo() -> Error {
    Error::invalid("status", "没有可撤销的状态变更", "there is no status change to take back")
}

/// The change an undo takes back: the latest (`latest`), provided it is still the one the user was
/// shown (`seen`, when given); another worker may have recorded one since, and taking back the
/// latest then would remove theirs.
pub fn change_to_undo(latest: Option<Id>, seen: Option<Id>) -> Result<Id> {
    let latest = latest.ok_or_else(nothing_to_undo)?;
    match seen {
        Some(seen) if seen != latest => Err(Error::invalid(
            "status",
            "最近一次状态变更已不是你看到的那一条（刚有人记录或撤销过）；没有撤销任何变更，请看过之后再撤销",
            "the latest status change is no longer the one you were shown (someone recorded or took one back meanwhile); nothing was taken back: look again first",
        )),
        _ => Ok(latest),
    }
}

/// The status after a history of changes (in date order): in the register when there are none.
pub fn current_status(history: &[StatusChange]) -> MembershipStatus {
    history.last().map_or(MembershipStatus::InRegister, |c| c.status)
}

/// Checks a new change against the person's stage and history (in date order) as of `today`;
/// returns it with its reason trimmed.
pub fn check_status_change(
    mut change: StatusChange,
    stage: Stage,
    history: &[StatusChange],
    today: Date,
) -> Result<StatusChange> {
    use MembershipStatus as S;
    let current = current_status(history);
    change.reason = change.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    crate::text::check_chars("reason", ("原因", "reason"), change.reason.as_deref().unwrap_or(""), true)?;
    if change.date > today {
        return Err(Error::invalid(
            "date",
            format!("状态变更日期 {} 晚于今天", change.date),
            format!("the change's date {} is after today", change.date),
        ));
    }
    if let Some(last) = history.last()
        && change.date < last.date
    {
        return Err(Error::invalid(
            "date",
            format!("日期 {} 早于上一次状态变更（{}，{}）", change.date, last.status.zh(), last.date),
            format!("{} is before the last change ({}, {})", change.date, last.status.label().en, last.date),
        ));
    }
    if change.status == current {
        return Err(Error::invalid(
            "status",
            format!("已是“{}”", current.zh()),
            format!("the status is already “{}”", current.label().en),
        ));
    }
    if current.is_final() {
        return Err(Error::invalid(
            "status",
            format!(
                "已“{}”（{}），状态不能再变更",
                current.zh(),
                history.last().map(|c| c.date.to_string()).unwrap_or_default()
            ),
            format!("the person's status is final ({}); it cannot change", current.label().en),
        ));
    }
    let member = matches!(stage, Stage::Probationary | Stage::FullMember);
    match change.status {
        S::InRegister if !matches!(current, S::TransferredOut | S::Suspended) => unreachable_in_register(current),
        S::Suspended | S::Withdrew | S::Removed | S::Expelled | S::Lapsed if !member => Err(Error::invalid(
            "status",
            format!("“{}”只适用于党员，{}的发展过程请记录“终止”", change.status.zh(), stage.label().zh),
            format!(
                "“{}” applies to members only; end a {}'s procedure with “Membership ended”",
                change.status.label().en,
                stage.label().en
            ),
        )),
        S::ProbationCancelled if stage != Stage::Probationary => Err(Error::invalid(
            "status",
            format!("只有预备党员才能取消预备党员资格（当前为{}）", stage.label().zh),
            format!("only a probationary member's probation can be cancelled (this person is a {})", stage.label().en),
        )),
        status if status.needs_reason() && change.reason.is_none() => Err(Error::invalid(
            "reason",
            format!("“{}”须写明原因或决定文号（{}）", status.zh(), status.clause()),
            format!("“{}” needs its reason or decision number ({})", status.label().en, status.clause()),
        )),
        _ => Ok(change),
    }
}

fn unreachable_in_register(current: MembershipStatus) -> Result<StatusChange> {
    Err(Error::invalid(
        "status",
        format!("“{}”后不能恢复为在册", current.zh()),
        format!("a person cannot return to the register from “{}”", current.label().en),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn change(status: MembershipStatus, date: &str, reason: Option<&str>) -> StatusChange {
        StatusChange { id: None, person_id: 1, status, date: d(date), reason: reason.map(str::to_owned) }
    }

    fn check(new: StatusChange, stage: Stage, history: &[StatusChange]) -> Result<StatusChange> {
        check_status_change(new, stage, history, d("2026-12-05"))
    }

    fn refused_field(r: Result<StatusChange>) -> String {
        match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_member_transfers_out_and_comes_back() {
        use MembershipStatus as S;
        let out = check(change(S::TransferredOut, "2026-07-01", None), Stage::FullMember, &[]).unwrap();
        assert_eq!(current_status(std::slice::from_ref(&out)), S::TransferredOut);
        let back = check(change(S::InRegister, "2026-09-01", Some("  ")), Stage::FullMember, &[out]).unwrap();
        assert_eq!(back.reason, None, "a blank reason is no reason");
    }

    #[test]
    fn decisions_need_a_reason_and_members_only() {
        use MembershipStatus as S;
        assert_eq!(refused_field(check(change(S::Expelled, "2026-07-01", None), Stage::FullMember, &[])), "reason");
        assert!(check(change(S::Expelled, "2026-07-01", Some("校党委〔2026〕3号")), Stage::FullMember, &[]).is_ok());
        // An activist is not a member: their procedure ends with 终止 instead.
        assert_eq!(refused_field(check(change(S::Removed, "2026-07-01", Some("x")), Stage::Activist, &[])), "status");
        // Only a probationary member's probation can be cancelled.
        assert_eq!(
            refused_field(check(change(S::ProbationCancelled, "2026-07-01", Some("x")), Stage::FullMember, &[])),
            "status"
        );
        assert!(check(change(S::ProbationCancelled, "2026-07-01", Some("x")), Stage::Probationary, &[]).is_ok());
        // Anyone may transfer or die.
        assert!(check(change(S::TransferredOut, "2026-07-01", None), Stage::Applicant, &[]).is_ok());
    }

    #[test]
    fn dates_run_forward_and_final_statuses_stay() {
        use MembershipStatus as S;
        let history = [change(S::Suspended, "2026-06-01", Some("失联六个月"))];
        assert_eq!(
            refused_field(check(change(S::InRegister, "2026-05-01", None), Stage::FullMember, &history)),
            "date"
        );
        assert_eq!(
            refused_field(check(change(S::Suspended, "2026-07-01", Some("x")), Stage::FullMember, &history)),
            "status"
        );
        assert_eq!(refused_field(check(change(S::Deceased, "2027-01-01", None), Stage::FullMember, &[])), "date");
        let dead = [change(S::Deceased, "2026-06-01", None)];
        assert_eq!(refused_field(check(change(S::InRegister, "2026-07-01", None), Stage::FullMember, &dead)), "status");
        // Back to the register only from a transfer or a suspension.
        assert_eq!(refused_field(check(change(S::InRegister, "2026-07-01", None), Stage::FullMember, &[])), "status");
    }

    #[test]
    fn every_status_parses_from_its_words() {
        for s in MembershipStatus::ALL {
            assert_eq!(MembershipStatus::parse(s.as_str()), Some(*s));
            assert_eq!(MembershipStatus::parse(s.zh()), Some(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.as_str()));
        }
    }
}
