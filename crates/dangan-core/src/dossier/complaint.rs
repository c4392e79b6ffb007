//! An entry of the complaints register as its printed handling form (信访举报件办理登记表), the only
//! way the register leaves the workspace: one entry, never a list.

use super::report::{ReportInfo, Section, render_report};
use crate::Result;
use crate::calendar::{Date, format_zh};
use crate::complaints::Complaint;

const TITLE: &str = "信访举报件办理登记表";

/// The form of one entry: what it says, each step of its handling, its result.
pub fn handling_form_pdf(c: &Complaint, committee: &str, generated_on: Date) -> Result<Vec<u8>> {
    let day = |d: Option<Date>| d.map_or_else(|| "—".to_owned(), format_zh);
    let rows = vec![
        vec!["编号".to_owned(), c.number.clone()],
        vec!["受理日期".to_owned(), format_zh(c.received_on)],
        vec!["来源方式".to_owned(), c.channel.label().zh],
        vec!["反映人".to_owned(), c.complainant.clone().unwrap_or_else(|| "匿名".to_owned())],
        vec!["被反映人".to_owned(), c.concerning_name.clone().unwrap_or_else(|| "—".to_owned())],
        vec!["问题类别".to_owned(), c.category.clone().unwrap_or_else(|| "—".to_owned())],
        vec!["属其他机关管辖".to_owned(), if c.belongs_elsewhere { "是" } else { "否" }.to_owned()],
        vec!["转送日期".to_owned(), day(c.forwarded_on)],
        vec!["最近反馈日期".to_owned(), day(c.reported_on)],
        vec!["办结日期".to_owned(), day(c.closed_on)],
    ];
    let mut steps: Vec<String> = c
        .steps
        .iter()
        .map(|s| {
            let to = s.to.as_deref().map(|t| format!("（转送{t}）")).unwrap_or_default();
            let note = s.note.as_deref().map(|n| format!("：{n}")).unwrap_or_default();
            format!("{}　{}{to}{note}", format_zh(s.date), s.handling.label().zh)
        })
        .collect();
    if steps.is_empty() {
        steps.push("（尚未办理）".to_owned());
    }
    let sections = vec![
        Section::TextTable { heading: None, columns: vec![("项目".into(), 40.0), ("内容".into(), 116.0)], rows },
        Section::Text { heading: "主要内容".into(), text: c.summary.clone() },
        Section::Lines { heading: "办理经过".into(), lines: steps },
        Section::Text { heading: "办理结果".into(), text: c.result.clone().unwrap_or_default() },
        Section::SmallLines {
            heading: None,
            lines: vec!["本表属保密材料，仅限纪检委员使用，不得复制、外传。".to_owned()],
        },
    ];
    let info = ReportInfo {
        title: TITLE,
        subtitle: vec![committee.to_owned()],
        author: committee,
        generated_on,
        created_at: chrono::Utc::now(),
    };
    render_report(&info, &sections)
}
