//! A member arriving by transfer (组织关系转入): who they are, the steps they took elsewhere with
//! the days they happened, and the letter they came with. Their steps keep their dates, so every
//! deadline — a probationary member's conversion included — is computed as if they had always been
//! here (《中国共产党党员教育管理工作条例》第二十五条; 《中国共产党发展党员工作细则》第二十九条: probation runs
//! from the branch meeting's admission). The materials that came with the file are named from the
//! checklist (`checklist.rs`), so the member's page shows at once what is missing. The store writes
//! an arrival (`store/arrivals.rs`); a member package between two offices arrives the same way.

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::checklist::Material;
use crate::domain::{EventKind, Id, Person, ProcedureEvent};
use crate::dues::Month;
use crate::{Error, Result};

/// What the worker gives to register an arriving member.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewArrival {
    /// The person, `id: None`, in the branch that receives them (a full member from before the
    /// records has `joined_on`).
    pub person: Person,
    /// The steps taken elsewhere, with their days (application, activist, development target,
    /// admission, approval, conversion).
    pub steps: Vec<ProcedureEvent>,
    /// The day the letter was received here: the member is in the register from it.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub received_on: Date,
    /// The sending organisation (转出党组织).
    pub origin: String,
    /// The number of the letter they came with.
    pub letter_number: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub letter_issued_on: Option<Date>,
    /// The month their dues were paid up to at the sending organisation, as the letter says.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub dues_paid_through: Option<Month>,
    /// The checklist's materials (`application_letter`, `political_review`, …) that came with the
    /// file.
    #[serde(default)]
    pub materials: Vec<String>,
    /// The worker confirms this is another person than the one of the same name who already
    /// arrived from the same organisation (a second letter, reissued, would otherwise register
    /// one person twice when neither carries an identity number).
    #[serde(default)]
    pub another_person: bool,
}

/// How a member came into the register, as their page shows it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArrivalRecord {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub received_on: Date,
    pub origin: String,
    pub letter_number: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub letter_issued_on: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub dues_paid_through: Option<Month>,
    /// When they came in a member package: the sending office's audit trail of them, one line a
    /// change (when, who, what; no values).
    pub history: Vec<String>,
}

impl ArrivalRecord {
    /// The reason written on the status change the arrival makes: 自…转入（介绍信第…号）.
    pub fn reason(&self) -> String {
        match &self.letter_number {
            Some(number) => format!("自{}转入（介绍信第 {number} 号）", self.origin),
            None => format!("自{}转入", self.origin),
        }
    }
}

/// Checks what the worker gave beyond the person and steps (which `validate` checks like any
/// other): the origin, the days in order and not after today, each step before the arrival, each
/// material one of the checklist's whose step is among the steps. Returns the record to keep and
/// the materials to file.
pub fn check_arrival<'m>(
    arrival: &NewArrival,
    materials: &'m [Material],
    today: Date,
) -> Result<(ArrivalRecord, Vec<&'m Material>)> {
    let origin = arrival.origin.trim();
    if origin.is_empty() {
        return Err(Error::invalid("from", "请写转出的党组织", "give the organisation the member comes from"));
    }
    if origin.chars().count() > 100 {
        return Err(Error::invalid(
            "from",
            "转出党组织名称过长（最多 100 字）",
            "the sending organisation's name is too long (100 characters at most)",
        ));
    }
    crate::text::check_chars("from", ("转出党组织", "sending organisation"), origin, false)?;
    let received = arrival.received_on;
    if received > today {
        return Err(Error::invalid(
            "received",
            format!("接收日期 {} 晚于今天", calendar::format_zh(received)),
            format!("the day received, {received}, is after today"),
        ));
    }
    if let Some(issued) = arrival.letter_issued_on
        && issued > received
    {
        return Err(Error::invalid(
            "letter_date",
            format!("介绍信开具日期 {} 晚于接收日期 {}", calendar::format_zh(issued), calendar::format_zh(received)),
            format!("the letter was issued on {issued}, after it was received ({received})"),
        ));
    }
    let letter_number = arrival.letter_number.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    if let Some(number) = &letter_number
        && (number.chars().count() > 40 || crate::text::forbidden_char(number, false).is_some())
    {
        return Err(Error::invalid("letter", "介绍信编号有误", "the letter's number is malformed"));
    }
    if let Some(late) = arrival.steps.iter().find(|s| s.date > received) {
        return Err(Error::invalid(
            late.kind.as_str(),
            format!(
                "「{}」（{}）晚于转入日期 {}：转入后的步骤请在登记后记录",
                late.kind.label().zh,
                calendar::format_zh(late.date),
                calendar::format_zh(received)
            ),
            format!(
                "“{}” ({}) is after the arrival ({received}): record steps taken here once the member is registered",
                late.kind.label().en,
                late.date
            ),
        ));
    }
    let mut filed = Vec::new();
    for id in &arrival.materials {
        let id = id.trim();
        // By its id or as the checklist names it (入党志愿书).
        let Some(material) = materials.iter().find(|m| m.id == id || m.name.zh == id) else {
            let known: Vec<&str> = materials.iter().map(|m| m.id.as_str()).collect();
            return Err(Error::invalid(
                "materials",
                format!("材料目录中没有「{id}」（可用：{}）", known.join("、")),
                format!("the checklist has no material `{id}` (known: {})", known.join(", ")),
            ));
        };
        let step = material.event.unwrap_or(material.when);
        if !has_step(&arrival.steps, step) {
            return Err(Error::invalid(
                "materials",
                format!("「{}」记载「{}」，但未给出这一步的日期", material.name.zh, step.label().zh),
                format!("“{}” documents “{}”, which has no date here", material.name.en, step.label().en),
            ));
        }
        if !filed.iter().any(|m: &&Material| m.id == material.id) {
            filed.push(material);
        }
    }
    let record = ArrivalRecord {
        person_id: 0,
        received_on: received,
        origin: origin.to_owned(),
        letter_number,
        letter_issued_on: arrival.letter_issued_on,
        dues_paid_through: arrival.dues_paid_through,
        history: Vec::new(),
    };
    Ok((record, filed))
}

fn has_step(steps: &[ProcedureEvent], kind: EventKind) -> bool {
    steps.iter().any(|s| s.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::materials;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn arrival() -> NewArrival {
        NewArrival {
            person: Person { name: "周九".into(), ..Person::default() },
            steps: vec![
                ProcedureEvent::new(EventKind::ApplicationReceived, d("2023-10-01")),
                ProcedureEvent::new(EventKind::Admitted, d("2026-06-20")),
            ],
            received_on: d("2026-09-05"),
            origin: " 中共某大学委员会 ".into(),
            letter_number: Some("2026-015".into()),
            letter_issued_on: Some(d("2026-08-30")),
            dues_paid_through: None,
            materials: vec!["application_letter".into(), "admission_resolution".into()],
            another_person: false,
        }
    }

    #[test]
    fn an_arrival_keeps_its_origin_and_files_the_materials_of_its_steps() {
        let (record, filed) = check_arrival(&arrival(), materials(), d("2026-12-01")).unwrap();
        assert_eq!(record.origin, "中共某大学委员会");
        assert_eq!(record.reason(), "自中共某大学委员会转入（介绍信第 2026-015 号）");
        let ids: Vec<&str> = filed.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["application_letter", "admission_resolution"]);
    }

    #[test]
    fn what_cannot_be_true_of_an_arrival_is_refused_naming_the_field() {
        let today = d("2026-12-01");
        let field = |a: NewArrival| match check_arrival(&a, materials(), today) {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(field(NewArrival { origin: "  ".into(), ..arrival() }), "from");
        assert_eq!(field(NewArrival { received_on: d("2026-12-02"), ..arrival() }), "received");
        assert_eq!(field(NewArrival { letter_issued_on: Some(d("2026-09-06")), ..arrival() }), "letter_date");
        let mut late = arrival();
        late.steps.push(ProcedureEvent::new(EventKind::Oath, d("2026-09-10")));
        assert_eq!(field(late), "oath");
        assert_eq!(field(NewArrival { materials: vec!["入党誓词本".into()], ..arrival() }), "materials");
        // The conversion's resolution documents a step the arrival does not have.
        assert_eq!(field(NewArrival { materials: vec!["conversion_resolution".into()], ..arrival() }), "materials");
    }
}
