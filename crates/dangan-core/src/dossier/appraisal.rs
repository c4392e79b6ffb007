//! The democratic appraisal's papers as PDFs through the report machinery: the ballot (民主测评表:
//! each graded member with the four grades to tick) with the tally sheet (计票表) that follows it,
//! and a branch's results sheet (民主评议党员结果), in the official-document style.

use super::report::{ReportInfo, Section, render_report};
use crate::appraisal::Appraisal;
use crate::calendar::{Date, format_zh};
use crate::domain::Grade;
use crate::{Error, Result};

const BOX: &str = "□";

fn info<'a>(title: &'a str, subtitle: Vec<String>, committee: &'a str, generated_on: Date) -> ReportInfo<'a> {
    ReportInfo { title, subtitle, author: committee, generated_on, created_at: chrono::Utc::now() }
}

fn refuse_empty(appraisal: &Appraisal) -> Result<()> {
    if appraisal.graded == 0 {
        return Err(Error::invalid(
            "appraisal",
            format!("{}{}年度的民主评议没有参评的正式党员", appraisal.unit, appraisal.year),
            format!("the appraisal of {} for {} grades no full member", appraisal.unit, appraisal.year),
        ));
    }
    Ok(())
}

/// The ballot a voter fills in, then the tally sheet the counters fill in: one PDF.
pub fn ballots_pdf(appraisal: &Appraisal, committee: &str, generated_on: Date) -> Result<Vec<u8>> {
    refuse_empty(appraisal)?;
    let title = format!("{}年度民主评议党员民主测评表", appraisal.year);
    let graded: Vec<_> = appraisal.participants.iter().filter(|p| p.graded).collect();
    let grades = Grade::ALL.map(|g| g.label().zh);
    let mut columns = vec![("序号".to_owned(), 14.0), ("姓名".to_owned(), 42.0)];
    columns.extend(grades.iter().map(|g| (g.clone(), 25.0)));
    let rows = graded
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![(i + 1).to_string(), p.name.clone()];
            row.extend(grades.iter().map(|_| BOX.to_owned()));
            row
        })
        .collect();
    let cap = appraisal.excellent_cap;
    let mut sections = vec![
        Section::Paragraphs(vec![format!(
            "请在每名党员相应等次下的方框内划“√”，每人只选一个等次。评为“优秀”的一般不超过参评正式党员的三分之一（本支部参评 {} 人，至多 {cap} 人）。预备党员参加评议，不评定等次，不列入本表。",
            appraisal.graded
        )]),
        Section::TextTable { heading: None, columns, rows },
        Section::SmallLines {
            heading: None,
            lines: vec!["测评人不署名。".to_owned(), format!("{committee}{}", appraisal.unit)],
        },
        Section::NewPage { title: format!("{}年度民主评议党员民主测评计票表", appraisal.year) },
    ];
    let mut tally_columns = vec![("序号".to_owned(), 14.0), ("姓名".to_owned(), 36.0)];
    tally_columns.extend(grades.iter().map(|g| (g.clone(), 21.0)));
    tally_columns.push(("合计".to_owned(), 22.0));
    let tally_rows = graded
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![(i + 1).to_string(), p.name.clone()];
            row.extend(std::iter::repeat_n(String::new(), grades.len() + 1));
            row
        })
        .collect();
    sections.push(Section::Paragraphs(vec![
        "发出测评票　　　张，收回　　　张，有效　　　张。每名党员的各等次票数合计不得多于收回的测评票数。".to_owned(),
    ]));
    sections.push(Section::TextTable { heading: None, columns: tally_columns, rows: tally_rows });
    sections.push(Section::SmallLines {
        heading: None,
        lines: vec!["计票人：　　　　　　监票人：　　　　　　　　年　　月　　日".to_owned()],
    });
    let subtitle = vec![format!("{committee}{}", appraisal.unit)];
    render_report(&info(&title, subtitle, committee, generated_on), &sections)
}

/// A branch's results: each member with their votes and grade (a probationary member as taking
/// part), the count of each grade, the steps' days.
pub fn results_pdf(appraisal: &Appraisal, committee: &str, generated_on: Date) -> Result<Vec<u8>> {
    refuse_empty(appraisal)?;
    let title = format!("{}年度民主评议党员结果", appraisal.year);
    let columns = vec![
        ("序号".to_owned(), 14.0),
        ("姓名".to_owned(), 30.0),
        ("测评票数（优秀/合格/基本合格/不合格）".to_owned(), 54.0),
        ("评定等次".to_owned(), 26.0),
        ("说明".to_owned(), 32.0),
    ];
    let rows = appraisal
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let votes = p.votes.map_or_else(
                || "—".to_owned(),
                |v| format!("{}/{}/{}/{}", v.excellent, v.qualified, v.basically_qualified, v.unqualified),
            );
            let (grade, note) = if p.graded {
                (
                    p.grade.map_or_else(|| "（未评定）".to_owned(), |g| g.label().zh),
                    p.reason.clone().unwrap_or_default(),
                )
            } else {
                ("—".to_owned(), "预备党员，参加评议不评定等次".to_owned())
            };
            vec![(i + 1).to_string(), p.name.clone(), votes, grade, crate::text::excerpt(&note, 40).into_owned()]
        })
        .collect();
    let counts = Grade::ALL.map(|g| format!("{} {} 人", g.label().zh, appraisal.count(g))).join("，");
    let mut lines = vec![format!("参评正式党员 {} 人：{counts}。", appraisal.graded)];
    if let Some(ballots) = appraisal.ballots_cast {
        lines.push(format!("收回测评票 {ballots} 张。"));
    }
    for step in &appraisal.steps {
        lines.push(format!("{}：{}", step.step.label().zh, format_zh(step.date)));
    }
    let closed = appraisal.closed_on.map_or_else(|| "（尚未结束）".to_owned(), format_zh);
    let sections = vec![
        Section::TextTable { heading: None, columns, rows },
        Section::Paragraphs(lines),
        Section::SmallLines {
            heading: None, lines: vec![format!("{committee}{}（盖章）　{closed}", appraisal.unit)]
        },
    ];
    let subtitle = vec![format!("{committee}{}", appraisal.unit)];
    render_report(&info(&title, subtitle, committee, generated_on), &sections)
}
