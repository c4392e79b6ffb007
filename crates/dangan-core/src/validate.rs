//! Validation of a person and their events, each check citing the clause it enforces.
//!
//! The same checks run everywhere a record changes: the app's editor, roster import, the CLI and
//! the demo generator. A check never fixes data; it reports a [`Violation`] and the caller saves
//! nothing.

use serde::Serialize;

use crate::calendar::{self, Date};
use crate::domain::{EventKind, IdNumber, IdNumberError, Person, ProcedureEvent};
use crate::rules::RuleSet;

/// One broken rule: which check, which field (a person field or an event kind), the clause, and
/// the message in both languages.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The check's id (`application_talk`, `minimum_age`, …) or `invalid_field` for a malformed value.
    pub rule: String,
    /// A person field (`birth_date`) or an event kind (`applicant_talk`).
    pub field: String,
    /// The citation in Chinese, empty for checks that are not procedure rules.
    pub clause: String,
    pub message_zh: String,
    pub message_en: String,
}

/// What a check needs besides the record: the rule set to cite and the date that is "today".
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub today: Date,
    /// For working-day periods (the 2026 publicity).
    pub workdays: &'a crate::workdays::WorkCalendar,
}

/// Checks a person's own fields and their events. An empty result means the record may be saved.
pub fn check_member(person: &Person, events: &[ProcedureEvent], cx: Context<'_>) -> Vec<Violation> {
    let mut out = check_person(person, cx.today);
    out.extend(check_events(person, events, cx));
    out
}

/// Checks the values of a person's fields (not the procedure).
pub fn check_person(person: &Person, today: Date) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut bad = |field: &str, zh: String, en: String| {
        out.push(Violation {
            rule: "invalid_field".into(),
            field: field.into(),
            clause: String::new(),
            message_zh: zh,
            message_en: en,
        });
    };
    // Control and text-direction characters, in any field: refused, naming the field and the
    // character (they drive terminals and disguise text; see `text::forbidden_char`).
    for (field, value, zh, en, multiline) in [
        ("name", Some(person.name.as_str()), "姓名", "name", false),
        ("ethnicity", person.ethnicity.as_deref(), "民族", "ethnicity", false),
        ("id_number", person.id_number.as_deref(), "身份证号", "identity number", false),
        ("student_no", person.student_no.as_deref(), "学号工号", "student number", false),
        ("department", person.department.as_deref(), "院系部门", "department", false),
        ("class_name", person.class_name.as_deref(), "班级", "class", false),
        ("phone", person.phone.as_deref(), "联系电话", "phone", false),
        ("native_place", person.native_place.as_deref(), "籍贯", "native place", false),
        ("notes", person.notes.as_deref(), "备注", "notes", true),
    ] {
        if let Some(c) = value.and_then(|v| crate::text::forbidden_char(v, multiline)) {
            let message = crate::text::forbidden_char_message(&crate::Text::new(zh, en), c);
            bad(field, message.zh, message.en);
        }
    }
    let name = person.name.trim();
    if name.is_empty() {
        bad("name", "姓名不能为空".into(), "the name is empty".into());
    } else if name.chars().count() > 50 {
        bad("name", "姓名超过 50 个字".into(), "the name is longer than 50 characters".into());
    }
    let mut birth_from_id = None;
    if let Some(raw) = person.id_number.as_deref() {
        match IdNumber::parse(raw) {
            Ok(n) => birth_from_id = Some(n.birth_date()),
            Err(e) => {
                let (zh, en) = match e {
                    IdNumberError::Format => ("应为 17 位数字加 1 位数字或 X", "it must be 17 digits and a digit or X"),
                    IdNumberError::BirthDate => {
                        ("其中的出生日期（第 7–14 位）不是有效日期", "its birth date (digits 7–14) is not a date")
                    }
                    IdNumberError::CheckDigit => ("校验码不正确（GB 11643）", "its check digit is wrong (GB 11643)"),
                };
                bad(
                    "id_number",
                    format!("身份证号 {raw} 无效：{zh}"),
                    format!("identity number {raw} is invalid: {en}"),
                );
            }
        }
    }
    if let Some(birth) = person.birth_date {
        if birth > today {
            bad("birth_date", "出生日期晚于今天".into(), "the birth date is in the future".into());
        }
        if let Some(from_id) = birth_from_id.filter(|d| *d != birth) {
            bad(
                "birth_date",
                format!(
                    "出生日期 {} 与身份证号中的 {} 不一致",
                    calendar::format_zh(birth),
                    calendar::format_zh(from_id)
                ),
                format!("the birth date {birth} differs from {from_id} in the identity number"),
            );
        }
    }
    if let Some(year) = person.class_year.filter(|y| !(1950..=2100).contains(y)) {
        bad(
            "class_year",
            format!("年级 {year} 不在 1950 至 2100 之间"),
            format!("the class year {year} is not between 1950 and 2100"),
        );
    }
    if let Some(joined) = person.joined_on.filter(|d| *d < calendar::FOUNDING) {
        bad(
            "joined_on",
            format!("入党时间 {} 早于中国共产党成立（1921年7月1日）", calendar::format_zh(joined)),
            format!("the date of joining, {joined}, is before the Party was founded (1 July 1921)"),
        );
    }
    if let Some(phone) = person.phone.as_deref() {
        let ok = phone.chars().count() <= 20 && phone.chars().all(|c| c.is_ascii_digit() || "+- ()".contains(c));
        if !ok {
            bad(
                "phone",
                format!("电话号码 {phone} 只能包含数字、+、-、空格和括号"),
                format!("phone number {phone} may hold only digits, +, -, spaces and brackets"),
            );
        }
    }
    for (field, value, zh) in [
        ("student_no", &person.student_no, "学号工号"),
        ("ethnicity", &person.ethnicity, "民族"),
        ("department", &person.department, "院系"),
        ("class_name", &person.class_name, "班级"),
        ("native_place", &person.native_place, "籍贯"),
    ] {
        if value.as_deref().is_some_and(|v| v.chars().count() > 64) {
            bad(field, format!("{zh}超过 64 个字"), format!("{field} is longer than 64 characters"));
        }
    }
    out
}

/// `(later, earlier, check)`: when both are recorded, `later` may not be dated before `earlier`.
const ORDER: &[(EventKind, EventKind, &str)] = {
    use EventKind::*;
    &[
        (ApplicantTalk, ApplicationReceived, "application_talk"),
        (ActivistDetermined, ApplicationReceived, "activist_after_application"),
        (ContactsAssigned, ActivistDetermined, "contacts_after_activist"),
        (ActivistReview, ActivistDetermined, "activist_review"),
        (ThoughtReport, ApplicationReceived, "activist_after_application"),
        (CandidatePublicity, ActivistDetermined, "candidate_eligible"),
        (CandidateDetermined, CandidatePublicity, "candidate_eligible"),
        (PoliticalReview, CandidateDetermined, "political_review"),
        (CentralisedTraining, CandidateDetermined, "centralised_training"),
        (PrereviewPassed, CandidateDetermined, "prereview"),
        (Admitted, CandidateDetermined, "branch_meeting_after_prereview"),
        (Admitted, PoliticalReview, "political_review"),
        (Admitted, CentralisedTraining, "centralised_training"),
        (Admitted, PrereviewPassed, "branch_meeting_after_prereview"),
        (AdmissionApproved, Admitted, "admission_approval"),
        (ApprovalExtended, Admitted, "admission_approval"),
        (Oath, AdmissionApproved, "oath"),
        (ProbationExtended, Admitted, "probation_extension"),
        (ConversionApproved, ConversionMeeting, "conversion_approval"),
    ]
};

/// `(step, prerequisite, check)`: `step` cannot be recorded without `prerequisite`.
const REQUIRES: &[(EventKind, EventKind, &str)] = {
    use EventKind::*;
    &[
        (ApplicantTalk, ApplicationReceived, "application_talk"),
        (ActivistDetermined, ApplicationReceived, "activist_after_application"),
        (ContactsAssigned, ActivistDetermined, "contacts_after_activist"),
        (ActivistReview, ActivistDetermined, "activist_review"),
        (ThoughtReport, ApplicationReceived, "activist_after_application"),
        (CandidatePublicity, ActivistDetermined, "candidate_eligible"),
        (CandidateDetermined, ActivistDetermined, "candidate_eligible"),
        (PoliticalReview, CandidateDetermined, "political_review"),
        (CentralisedTraining, CandidateDetermined, "centralised_training"),
        (PrereviewPassed, CandidateDetermined, "prereview"),
        (Admitted, CandidateDetermined, "branch_meeting_after_prereview"),
        (AdmissionApproved, Admitted, "admission_approval"),
        (ApprovalExtended, Admitted, "admission_approval"),
        (Oath, Admitted, "oath"),
        (ProbationExtended, Admitted, "probation_extension"),
        (ConversionMeeting, Admitted, "conversion_earliest"),
        (ConversionApproved, Admitted, "conversion_approval"),
    ]
};

/// Checks the procedure recorded for a person.
pub fn check_events(person: &Person, events: &[ProcedureEvent], cx: Context<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    // The first event of each kind, indexed by kind (this runs for every row of a roster).
    let mut first: [Option<&ProcedureEvent>; EventKind::ALL.len()] = [None; EventKind::ALL.len()];
    for (i, event) in events.iter().enumerate() {
        let slot = &mut first[event.kind as usize];
        let twice = if event.kind.repeats() {
            events[..i].iter().any(|e| e.kind == event.kind && e.date == event.date)
        } else {
            slot.is_some()
        };
        if twice && event.kind.repeats() {
            out.push(Violation {
                rule: "duplicate_event".into(),
                field: event.kind.as_str().into(),
                clause: String::new(),
                message_zh: format!("「{}」在 {} 已记录过", event.kind.label().zh, calendar::format_zh(event.date)),
                message_en: format!("“{}” is already recorded on {}", event.kind.label().en, event.date),
            });
        } else if twice {
            out.push(Violation {
                rule: "duplicate_event".into(),
                field: event.kind.as_str().into(),
                clause: String::new(),
                message_zh: format!("「{}」只能记录一次", event.kind.label().zh),
                message_en: format!("“{}” can be recorded only once", event.kind.label().en),
            });
        } else if slot.is_none_or(|f| event.date < f.date) {
            // For a repeated step, the earliest one is what the order checks below compare.
            *slot = Some(event);
        }
        if event.date > cx.today {
            out.push(Violation {
                rule: "future_date".into(),
                field: event.kind.as_str().into(),
                clause: String::new(),
                message_zh: format!("「{}」的日期 {} 晚于今天", event.kind.label().zh, calendar::format_zh(event.date)),
                message_en: format!("the date of “{}”, {}, is in the future", event.kind.label().en, event.date),
            });
        }
    }
    let date = |kind: EventKind| first[kind as usize].map(|e| e.date);

    // 入党时间 is the admission's date when the admission is recorded: two different dates for
    // one joining would put the member in two places in the statistics.
    if let Some(joined) = person.joined_on {
        if joined > cx.today {
            out.push(Violation {
                rule: "future_date".into(),
                field: "joined_on".into(),
                clause: String::new(),
                message_zh: format!("入党时间 {} 晚于今天", calendar::format_zh(joined)),
                message_en: format!("the date of joining, {joined}, is in the future"),
            });
        }
        if let Some(admitted) = date(EventKind::Admitted).filter(|d| *d != joined) {
            out.push(Violation {
                rule: "joined_on_differs".into(),
                field: "joined_on".into(),
                clause: String::new(),
                message_zh: format!(
                    "入党时间 {} 与接收预备党员日期 {} 不一致：已记录接收日期时，入党时间即为该日期，请留空",
                    calendar::format_zh(joined),
                    calendar::format_zh(admitted)
                ),
                message_en: format!(
                    "the date of joining, {joined}, differs from the admission on {admitted}: with the admission recorded, that is the date of joining; leave it blank"
                ),
            });
        }
    }

    // 细则(2026)第十三条: the development target is determined once the publicity's working days
    // have passed. The earliest day counts weekends; a year whose holidays are not entered can only
    // make it later, so a determination before it is too early whatever the holidays.
    if let Some(publicity_rule) = cx.rules.deadlines().iter().find(|r| r.id == "candidate_publicity")
        && let crate::rules::Period::WorkingDays(days) = publicity_rule.period
        && let (Some(publicity), Some(candidate)) =
            (date(EventKind::CandidatePublicity), date(EventKind::CandidateDetermined))
        && let Some((earliest, _)) = cx.workdays.after_working_days(publicity, days)
        && candidate < earliest
    {
        out.push(Violation {
            rule: "candidate_publicity".into(),
            field: EventKind::CandidateDetermined.as_str().into(),
            message_zh: format!(
                "确定为发展对象（{}）须在公示期（自 {} 起 {days} 个工作日）满后，最早为 {}（{}）",
                calendar::format_zh(candidate),
                calendar::format_zh(publicity),
                calendar::format_zh(earliest),
                publicity_rule.clause.zh
            ),
            message_en: format!(
                "a development target ({candidate}) is determined after the publicity of {days} working days from {publicity}: not before {earliest} ({})",
                publicity_rule.clause.en
            ),
            clause: publicity_rule.clause.zh.clone(),
        });
    }

    let mut rule = |check: &str, kind: EventKind, zh: String, en: String| {
        let clause = cx.rules.cite(check);
        out.push(Violation {
            rule: check.into(),
            field: kind.as_str().into(),
            message_zh: format!("{zh}（{}）", clause.zh),
            message_en: format!("{en} ({})", clause.en),
            clause: clause.zh,
        });
    };

    for &(step, prerequisite, check) in REQUIRES {
        if date(step).is_some() && date(prerequisite).is_none() {
            rule(
                check,
                step,
                format!("记录「{}」之前须先有「{}」", step.label().zh, prerequisite.label().zh),
                format!("“{}” needs “{}” to be recorded first", step.label().en, prerequisite.label().en),
            );
        }
    }
    for &(later, earlier, check) in ORDER {
        if let (Some(l), Some(e)) = (date(later), date(earlier))
            && l < e
        {
            rule(
                check,
                later,
                format!(
                    "「{}」（{}）不得早于「{}」（{}）",
                    later.label().zh,
                    calendar::format_zh(l),
                    earlier.label().zh,
                    calendar::format_zh(e)
                ),
                format!("“{}” ({l}) cannot precede “{}” ({e})", later.label().en, earlier.label().en),
            );
        }
    }

    // 细则第十三条: a development target is chosen from activists trained for more than one year.
    if let (Some(activist), Some(candidate)) =
        (date(EventKind::ActivistDetermined), date(EventKind::CandidateDetermined))
        && let Some(eligible) = calendar::add_years(activist, 1)
        && candidate < eligible
    {
        rule(
            "candidate_eligible",
            EventKind::CandidateDetermined,
            format!(
                "确定为发展对象（{}）须在确定为入党积极分子一年以后，最早为 {}",
                calendar::format_zh(candidate),
                calendar::format_zh(eligible)
            ),
            format!("a development target ({candidate}) must have been an activist for a year: not before {eligible}"),
        );
    }

    // Probation is one year from the branch meeting, longer by any extension; the conversion
    // meeting cannot be held before it ends.
    let extension = first[EventKind::ProbationExtended as usize].map(|e| e.months);
    let probation_range = EventKind::ProbationExtended.months_range();
    let allowed = |months: u32| probation_range.is_some_and(|r| r.contains(months));
    if let Some(months) = extension {
        match months {
            Some(m) if allowed(m) => {}
            Some(m) => rule(
                "probation_extension",
                EventKind::ProbationExtended,
                format!("延长预备期为 {m} 个月，应为 6 至 12 个月"),
                format!("the probation extension of {m} months must be 6 to 12 months"),
            ),
            None => rule(
                "probation_extension",
                EventKind::ProbationExtended,
                "延长预备期须写明月数（6 至 12 个月）".into(),
                "a probation extension needs its length in months (6 to 12)".into(),
            ),
        }
    }
    // 细则: the approval comes within three months; special cases up to six, with the reason on record.
    if let Some(extension) = first[EventKind::ApprovalExtended as usize] {
        let range = EventKind::ApprovalExtended.months_range();
        if !extension.months.is_some_and(|m| range.is_some_and(|r| r.contains(m))) {
            rule(
                "admission_approval",
                EventKind::ApprovalExtended,
                "延长审批期限须写明月数（1 至 3 个月，连同原有的 3 个月最长 6 个月）".into(),
                "an approval extension needs its months (1 to 3: at most six months in all)".into(),
            );
        }
        if extension.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            rule(
                "admission_approval",
                EventKind::ApprovalExtended,
                "延长审批期限须在备注中写明理由".into(),
                "an approval extension needs its reason in the note".into(),
            );
        }
    }
    if let (Some(admitted), Some(meeting)) = (date(EventKind::Admitted), date(EventKind::ConversionMeeting)) {
        // Only a valid extension extends probation; an invalid one is reported above, once.
        let extended = extension.flatten().filter(|&m| allowed(m)).unwrap_or(0);
        let months = 12 + extended;
        // The extension runs from the end of the first year (see `deadlines`).
        if let Some(end) = calendar::add_years(admitted, 1).and_then(|year| calendar::add_months(year, extended))
            && meeting < end
        {
            rule(
                "conversion_earliest",
                EventKind::ConversionMeeting,
                format!(
                    "转正支部大会（{}）不得早于预备期满（{}，自接收为预备党员起 {months} 个月）",
                    calendar::format_zh(meeting),
                    calendar::format_zh(end)
                ),
                format!(
                    "the conversion meeting ({meeting}) cannot precede the end of probation ({end}, {months} months after admission)"
                ),
            );
        }
    }

    // 细则第五条: applicants are at least eighteen years old.
    let birth = person
        .birth_date
        .or_else(|| person.id_number.as_deref().and_then(|n| IdNumber::parse(n).ok()).map(|n| n.birth_date()));
    if let (Some(birth), Some(applied)) = (birth, date(EventKind::ApplicationReceived)) {
        let age = calendar::age_on(birth, applied);
        if age < 18 {
            rule(
                "minimum_age",
                EventKind::ApplicationReceived,
                format!("申请入党时（{}）年龄为 {age} 岁，须年满十八岁", calendar::format_zh(applied)),
                format!("the applicant was {age} when applying ({applied}); the minimum age is 18"),
            );
        }
    }

    if let Some(ended) = date(EventKind::MembershipEnded)
        && let Some(after) = events.iter().find(|e| e.kind != EventKind::MembershipEnded && e.date > ended)
    {
        out.push(Violation {
            rule: "after_end".into(),
            field: after.kind.as_str().into(),
            clause: String::new(),
            message_zh: format!(
                "「{}」（{}）晚于终止日期（{}）",
                after.kind.label().zh,
                calendar::format_zh(after.date),
                calendar::format_zh(ended)
            ),
            message_en: format!("“{}” ({}) is after the procedure ended ({ended})", after.kind.label().en, after.date),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleSet, RuleSetId};
    use EventKind::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> Date {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn person() -> Person {
        Person { name: "张三".into(), birth_date: Some(d("2000-05-01")), ..Person::default() }
    }

    fn events(list: &[(EventKind, &str)]) -> Vec<ProcedureEvent> {
        list.iter().map(|(k, date)| ProcedureEvent::new(*k, d(date))).collect()
    }

    fn rules_broken(person: &Person, list: &[ProcedureEvent]) -> Vec<String> {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let cx = Context { rules: &rules, today: d("2026-11-24"), workdays: &crate::workdays::WorkCalendar::default() };
        check_member(person, list, cx).into_iter().map(|v| v.rule).collect()
    }

    /// 细则(2026)第十三条: five working days of publicity, then the determination. Published from
    /// Monday 2027-02-22, the last day is Friday 02-26, the earliest determination 02-27.
    #[test]
    fn a_determination_during_the_publicity_is_refused_2026_article_13() {
        let check = |set: RuleSetId, determined: &str| {
            let rules = RuleSet::builtin(set);
            let cx =
                Context { rules: &rules, today: d("2027-03-15"), workdays: &crate::workdays::WorkCalendar::default() };
            let list = events(&[
                (ApplicationReceived, "2025-09-01"),
                (ApplicantTalk, "2025-09-10"),
                (ActivistDetermined, "2025-12-01"),
                (CandidatePublicity, "2027-02-22"),
                (CandidateDetermined, determined),
            ]);
            check_events(&person(), &list, cx)
        };
        let refused = check(RuleSetId::Cpc2026, "2027-02-23");
        assert_eq!(refused.iter().map(|v| v.rule.as_str()).collect::<Vec<_>>(), ["candidate_publicity"]);
        assert!(
            refused[0].message_zh.contains("最早为 2027年2月27日") && refused[0].message_zh.contains("第十三条"),
            "{refused:?}"
        );
        assert!(
            check(RuleSetId::Cpc2026, "2027-02-26").iter().any(|v| v.rule == "candidate_publicity"),
            "the last day of the publicity is too early"
        );
        assert!(check(RuleSetId::Cpc2026, "2027-02-27").is_empty());
    }

    #[test]
    fn a_complete_procedure_in_order_is_valid() {
        let list = events(&[
            (ApplicationReceived, "2022-09-10"),
            (ApplicantTalk, "2022-09-30"),
            (ActivistDetermined, "2023-03-01"),
            (ContactsAssigned, "2023-03-05"),
            (CandidateDetermined, "2024-03-01"),
            (PoliticalReview, "2024-04-01"),
            (CentralisedTraining, "2024-04-10"),
            (PrereviewPassed, "2024-05-01"),
            (Admitted, "2024-05-20"),
            (AdmissionApproved, "2024-06-20"),
            (Oath, "2024-07-01"),
            (ConversionMeeting, "2025-05-20"),
            (ConversionApproved, "2025-06-10"),
        ]);
        assert_eq!(rules_broken(&person(), &list), Vec::<String>::new());
    }

    #[test]
    fn application_talk_cannot_precede_the_application_article_7() {
        let list = events(&[(ApplicationReceived, "2026-02-01"), (ApplicantTalk, "2026-01-10")]);
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let v = check_events(
            &person(),
            &list,
            Context { rules: &rules, today: d("2026-11-24"), workdays: &crate::workdays::WorkCalendar::default() },
        );
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rule, "application_talk");
        assert_eq!(v[0].field, "applicant_talk");
        assert_eq!(v[0].clause, "《中国共产党发展党员工作细则》第七条");
        assert!(v[0].message_zh.contains("不得早于「递交入党申请书」"), "{}", v[0].message_zh);
        assert!(v[0].message_en.contains("Art. 7"), "{}", v[0].message_en);
    }

    #[test]
    fn applicants_are_at_least_eighteen_article_5() {
        let young = Person { birth_date: Some(d("2008-11-25")), ..person() };
        assert_eq!(rules_broken(&young, &events(&[(ApplicationReceived, "2026-11-24")])), ["minimum_age"]);
        let of_age = Person { birth_date: Some(d("2008-11-24")), ..person() };
        assert!(rules_broken(&of_age, &events(&[(ApplicationReceived, "2026-11-24")])).is_empty());
    }

    #[test]
    fn the_age_rule_reads_the_birth_date_from_the_identity_number() {
        let p =
            Person { birth_date: None, id_number: Some(crate::domain::id_number_for_tests("20090101")), ..person() };
        assert_eq!(rules_broken(&p, &events(&[(ApplicationReceived, "2026-11-24")])), ["minimum_age"]);
    }

    #[test]
    fn a_development_target_needs_a_year_as_activist_article_13() {
        let base = [(ApplicationReceived, "2024-01-01"), (ActivistDetermined, "2025-02-28")];
        let early = events(&[base[0], base[1], (CandidateDetermined, "2026-02-27")]);
        assert_eq!(rules_broken(&person(), &early), ["candidate_eligible"]);
        let on_time = events(&[base[0], base[1], (CandidateDetermined, "2026-02-28")]);
        assert!(rules_broken(&person(), &on_time).is_empty());
    }

    #[test]
    fn the_conversion_meeting_waits_for_the_end_of_probation_article_31() {
        let base = [
            (ApplicationReceived, "2022-01-01"),
            (ActivistDetermined, "2022-03-01"),
            (CandidateDetermined, "2023-03-01"),
            (Admitted, "2024-02-29"),
        ];
        let early = events(&[base[0], base[1], base[2], base[3], (ConversionMeeting, "2025-02-27")]);
        assert_eq!(rules_broken(&person(), &early), ["conversion_earliest"]);
        let on_time = events(&[base[0], base[1], base[2], base[3], (ConversionMeeting, "2025-02-28")]);
        assert!(rules_broken(&person(), &on_time).is_empty());
    }

    #[test]
    fn an_extension_moves_the_end_of_probation_article_32() {
        let mut list = events(&[
            (ApplicationReceived, "2022-01-01"),
            (ActivistDetermined, "2022-03-01"),
            (CandidateDetermined, "2023-03-01"),
            (Admitted, "2024-05-20"),
            (ProbationExtended, "2025-05-20"),
            (ConversionMeeting, "2025-08-20"),
        ]);
        list[4].months = Some(6);
        assert_eq!(rules_broken(&person(), &list), ["conversion_earliest"]);
        list[5].date = d("2025-11-20");
        assert!(rules_broken(&person(), &list).is_empty());
        list[4].months = Some(13);
        assert_eq!(rules_broken(&person(), &list), ["probation_extension"]);
        list[4].months = None;
        assert!(rules_broken(&person(), &list).contains(&"probation_extension".to_string()));
    }

    #[test]
    fn steps_need_their_prerequisites() {
        let list = events(&[(Admitted, "2025-01-01")]);
        assert_eq!(rules_broken(&person(), &list), ["branch_meeting_after_prereview"]);
    }

    #[test]
    fn an_approval_extension_needs_its_months_and_its_reason() {
        let base = [
            (ApplicationReceived, "2023-01-01"),
            (ActivistDetermined, "2023-03-01"),
            (CandidateDetermined, "2024-03-05"),
            (Admitted, "2025-11-30"),
        ];
        let mut list = events(&base);
        let mut extension = ProcedureEvent::new(ApprovalExtended, d("2026-02-20"));
        extension.months = Some(4);
        list.push(extension.clone());
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let cx = Context { rules: &rules, today: d("2026-11-24"), workdays: &crate::workdays::WorkCalendar::default() };
        let broken = check_events(&person(), &list, cx);
        let messages: Vec<&str> = broken.iter().map(|v| v.message_zh.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("1 至 3 个月") && messages[1].contains("理由"), "{messages:?}");
        assert!(broken.iter().all(|v| v.clause.contains("第二十五条")), "{broken:?}");
        extension.months = Some(3);
        extension.note = Some("政审材料需补充外调".into());
        *list.last_mut().unwrap() = extension;
        let clean = check_events(&person(), &list, cx);
        assert!(clean.is_empty(), "{clean:?}");
    }

    #[test]
    fn events_cannot_be_in_the_future_or_recorded_twice() {
        let list = events(&[(ApplicationReceived, "2026-11-25")]);
        assert_eq!(rules_broken(&person(), &list), ["future_date"]);
        let list = events(&[(ApplicationReceived, "2026-01-01"), (ApplicationReceived, "2026-02-01")]);
        assert_eq!(rules_broken(&person(), &list), ["duplicate_event"]);
    }

    #[test]
    fn person_fields_are_checked() {
        let p = Person {
            name: " ".into(),
            id_number: Some("110105194912310021".into()),
            phone: Some("call me".into()),
            ..person()
        };
        let fields: Vec<String> = check_person(&p, d("2026-11-24")).into_iter().map(|v| v.field).collect();
        assert_eq!(fields, ["name", "id_number", "phone"]);
        let p = Person { id_number: Some("11010519491231002X".into()), ..person() };
        let v = check_person(&p, d("2026-11-24"));
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(v[0].message_zh.contains("不一致"));
    }

    #[test]
    fn the_2014_rule_set_cites_its_own_articles() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2014);
        let list = events(&[
            (ApplicationReceived, "2022-01-01"),
            (ActivistDetermined, "2022-03-01"),
            (CandidateDetermined, "2023-03-01"),
            (Admitted, "2024-05-20"),
            (ConversionMeeting, "2025-01-01"),
        ]);
        let v = check_events(
            &person(),
            &list,
            Context { rules: &rules, today: d("2026-11-24"), workdays: &crate::workdays::WorkCalendar::default() },
        );
        assert_eq!(v[0].clause, "《中国共产党发展党员工作细则》第三十二条");
    }
}
