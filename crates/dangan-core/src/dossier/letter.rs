//! The introduction letter of a transfer (党员组织关系介绍信, 组通字〔2006〕45号 format) as a PDF: on one
//! A4 page the counterfoil (存根), the letter (介绍信) and the receipt (回执联), each under the same
//! number, with cut lines between them; a batch (a graduating class) is one PDF, a page a letter.

use super::report::{ReportInfo, Section, render_report};
use crate::calendar::{Date, age_on, format_zh};
use crate::domain::{Person, Stage};
use crate::store::PrintedLetter;
use crate::transfer::TransferLetter;
use crate::{Error, Result};

const TITLE: &str = "中国共产党党员组织关系介绍信";
const CUT: &str = "－ － － － － － － － － － 沿 此 线 剪 开 － － － － － － － － － －";

/// What the letter calls the person's standing: 中共正式党员, 中共预备党员, or their stage.
fn standing(stage: Stage) -> String {
    match stage {
        Stage::FullMember => "中共正式党员".to_owned(),
        Stage::Probationary => "中共预备党员".to_owned(),
        other => other.label().zh,
    }
}

/// 男，32岁，汉族，身份证号 …: what the file knows, in the letter's order.
fn particulars(person: &Person, on: Date) -> String {
    let mut parts = Vec::new();
    if let Some(gender) = person.gender {
        parts.push(gender.label().zh);
    }
    if let Some(birth) = person.birth_date {
        parts.push(format!("{}岁", age_on(birth, on)));
    }
    if let Some(ethnicity) = person.ethnicity.as_deref().filter(|e| !e.trim().is_empty()) {
        parts.push(ethnicity.trim().to_owned());
    }
    if let Some(id) = person.id_number.as_deref().filter(|n| !n.trim().is_empty()) {
        parts.push(format!("身份证号 {}", id.trim()));
    }
    if parts.is_empty() { String::new() } else { format!("（{}）", parts.join("，")) }
}

fn paid_up_to(letter: &TransferLetter) -> String {
    letter.dues_paid_through.map_or_else(|| "（未记录）".to_owned(), |m| m.zh())
}

/// The three parts of one letter.
fn parts(printed: &PrintedLetter, committee: &str, out: &mut Vec<Section<'static>>) {
    let (letter, person) = (&printed.letter, &printed.person);
    let number = format!("第 {} 号", letter.number);
    let from = format!("{committee}{}", letter.branch);
    out.push(Section::SmallLines {
        heading: Some(format!("存根　　{number}")),
        lines: vec![
            format!("{}{}，{}", letter.name, particulars(person, letter.issued_on), standing(letter.stage)),
            format!("组织关系由{from}转往{}", letter.destination),
            format!(
                "党费交至{}　有效期{}天（至{}）",
                paid_up_to(letter),
                letter.validity_days,
                format_zh(letter.valid_until)
            ),
            format!("开具日期：{}", format_zh(letter.issued_on)),
        ],
    });
    out.push(Section::SmallLines { heading: None, lines: vec![CUT.to_owned()] });
    let mut body = vec![
        format!("{}：", letter.addressee),
        format!(
            "兹介绍{}同志{}系{}，组织关系由{from}转往{}，请接洽。",
            letter.name,
            particulars(person, letter.issued_on),
            standing(letter.stage),
            letter.destination
        ),
        format!("该同志党费已交到{}。", paid_up_to(letter)),
    ];
    if let Some(assessment) = &letter.assessment {
        body.push(format!("预备期考察意见：{assessment}"));
    }
    body.push(format!("（有效期{}天）", letter.validity_days));

    body.push(format!("{committee}（盖章）　{}", format_zh(letter.issued_on)));
    out.push(Section::Lines { heading: format!("介绍信　　{number}"), lines: body });
    if let Some(code) = &printed.package_code {
        // In the table's size: a line for the receiving office's computer, not the letter's text.
        out.push(Section::SmallLines { heading: None, lines: vec![format!("党员档案包提取码：{code}")] });
    }
    out.push(Section::SmallLines { heading: None, lines: vec![CUT.to_owned()] });
    out.push(Section::SmallLines {
        heading: Some(format!("回执　　{number}")),
        lines: vec![
            format!("{committee}："),
            format!("{}同志的党员组织关系已转达我处，特此回执。", letter.name),
            "接收党组织（盖章）：　　　　　　　　　年　　月　　日".to_owned(),
        ],
    });
}

/// The letters, each with its person, as one PDF: a page a letter.
pub fn letters_pdf(letters: &[PrintedLetter], committee: &str, generated_on: Date) -> Result<Vec<u8>> {
    if letters.is_empty() {
        return Err(Error::invalid("letters", "没有要打印的介绍信", "there is no letter to print"));
    }
    let mut sections = Vec::new();
    for (i, printed) in letters.iter().enumerate() {
        if i > 0 {
            sections.push(Section::NewPage { title: TITLE.to_owned() });
        }
        parts(printed, printed.committee.as_deref().unwrap_or(committee), &mut sections);
    }
    let info = ReportInfo {
        title: TITLE,
        subtitle: Vec::new(),
        author: committee,
        generated_on,
        created_at: chrono::Utc::now(),
    };
    render_report(&info, &sections)
}
