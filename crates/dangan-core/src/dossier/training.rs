//! A training class's certificates (结业证书, issue 16): one page for each trainee who passed, in
//! one PDF, through the printed-report machinery. The wording follows the common form of a party
//! school's certificate; dates read 2026年11月24日.

use super::report::{ReportInfo, Section, render_report};
use crate::calendar::{Date, format_zh};
use crate::domain::ClassRecord;
use crate::{Error, Result};

/// The certificates of everyone who passed `record`'s class, issued by `committee` on `issued_on`.
pub fn certificates(record: &ClassRecord, committee: &str, issued_on: Date) -> Result<Vec<u8>> {
    let passed: Vec<_> = record.trainees.iter().filter(|t| t.passed == Some(true)).collect();
    if passed.is_empty() {
        return Err(Error::invalid(
            "trainees",
            format!("「{}」还没有考核合格的学员，没有结业证书可打印", record.class.name),
            format!("nobody has passed “{}” yet: there is no certificate to print", record.class.name),
        ));
    }
    const TITLE: &str = "结业证书";
    let mut sections = Vec::new();
    for (i, trainee) in passed.iter().enumerate() {
        if i > 0 {
            sections.push(Section::NewPage { title: TITLE.to_owned() });
        }
        let hours = crate::study::hours_of(u64::from(trainee.minutes));
        sections.push(Section::Paragraphs(vec![
            format!(
                "{}同志于{}至{}参加{}，完成学习{hours}学时，经考核合格，准予结业。",
                trainee.name,
                format_zh(record.class.starts),
                format_zh(record.class.ends),
                record.class.name
            ),
            "特发此证。".to_owned(),
        ]));
        sections.push(Section::Lines {
            heading: String::new(),
            lines: vec![format!("所在支部：{}", trainee.branch), committee.to_owned(), format_zh(issued_on)],
        });
    }
    let info = ReportInfo {
        title: TITLE,
        subtitle: Vec::new(),
        author: committee,
        generated_on: issued_on,
        created_at: chrono::Utc::now(),
    };
    render_report(&info, &sections)
}
