//! What a dossier says, section by section, as blocks for the layout: the cover, the 材料目录,
//! 基本情况, 发展过程 with 下一步, then every record with its attachments.

use std::collections::HashMap;

use super::DossierData;
use super::attach::Prepared;
use super::layout::{Align, Block, Cell, Column};
use crate::calendar::format_zh;
use crate::domain::{EventKind, FileRecord, Id, MembershipStatus};
use crate::rules::DeadlineKind;

/// The blocks and the number of anchors they use (one per record: the page it starts on).
pub(crate) fn blocks(
    data: &DossierData,
    generated_on: &str,
    keys: &HashMap<Id, usize>,
    prepared: &[Prepared],
) -> (Vec<Block>, usize) {
    let order = record_order(data);
    let anchor_of = |id: Id| order.iter().position(|r| r.id == Some(id));
    let mut out = Vec::new();
    cover(data, generated_on, &mut out);
    out.push(Block::PageBreak);
    contents(data, &order, &anchor_of, &mut out);
    basic_information(data, &mut out);
    procedure(data, &mut out);
    out.push(Block::Heading { text: "四、档案材料".into(), anchor: None });
    if order.is_empty() {
        out.push(Block::Plain("档案中尚无材料。".into()));
    }
    for (anchor, record) in order.iter().enumerate() {
        record_blocks(record, anchor, keys, prepared, &mut out);
    }
    (out, order.len())
}

/// The records in the checklist's archive order, then the others (kinds not on the checklist)
/// by date.
fn record_order(data: &DossierData) -> Vec<&FileRecord> {
    let by_id: HashMap<Id, &FileRecord> = data.records.iter().filter_map(|r| Some((r.id?, r))).collect();
    let mut order: Vec<&FileRecord> = Vec::with_capacity(data.records.len());
    for line in &data.checklist {
        for id in &line.records {
            if let Some(record) = by_id.get(id)
                && !order.iter().any(|r| r.id == Some(*id))
            {
                order.push(record);
            }
        }
    }
    let mut rest: Vec<&FileRecord> = data.records.iter().filter(|r| !order.iter().any(|o| o.id == r.id)).collect();
    rest.sort_by_key(|r| (r.date, r.id));
    order.extend(rest);
    order
}

/// The file number: the student or staff number, or else the member id, zero-padded.
pub(crate) fn file_number(data: &DossierData) -> String {
    match data.detail.person.student_no.as_deref().map(str::trim) {
        Some(number) if !number.is_empty() => number.to_owned(),
        _ => format!("{:06}", data.member_id),
    }
}

fn cover(data: &DossierData, generated_on: &str, out: &mut Vec<Block>) {
    out.push(Block::Spacer(110.0));
    out.push(Block::Title("发展党员档案".into()));
    out.push(Block::Spacer(70.0));
    let person = &data.detail.person;
    for (label, value) in [
        ("所属党委", data.committee.clone()),
        ("所在支部", data.detail.branch_path.clone()),
        ("姓名", person.name.clone()),
        ("档案编号", file_number(data)),
        ("制作日期", generated_on.to_owned()),
    ] {
        out.push(Block::Field { label: label.into(), value });
        out.push(Block::Spacer(8.0));
    }
}

fn column(header: &'static str, width_mm: f32, align: Align) -> Column {
    Column { header: header.to_owned(), width_mm, align }
}

fn contents(data: &DossierData, order: &[&FileRecord], anchor_of: &dyn Fn(Id) -> Option<usize>, out: &mut Vec<Block>) {
    out.push(Block::Heading { text: "一、材料目录".into(), anchor: None });
    let columns = vec![
        column("序号", 14.0, Align::Center),
        column("材料", 72.0, Align::Left),
        column("日期", 36.0, Align::Center),
        column("页码", 16.0, Align::Center),
        column("状态", 18.0, Align::Center),
    ];
    let mut rows = Vec::new();
    let mut row = |name: String, date: Option<crate::calendar::Date>, page: Option<usize>, status: &str| {
        let number = (rows.len() + 1).to_string();
        rows.push(vec![
            Cell::Text(number),
            Cell::Text(name),
            Cell::Text(date.map(format_zh).unwrap_or_default()),
            page.map_or(Cell::Text(String::new()), Cell::PageOf),
            Cell::Text(status.to_owned()),
        ]);
    };
    let mut listed: Vec<Id> = Vec::new();
    for line in data.checklist.iter().filter(|l| l.expected || !l.records.is_empty()) {
        listed.extend(&line.records);
        match line.records.first() {
            None => row(line.name_zh.clone(), None, None, "缺"),
            Some(&first) => {
                let name = match line.records.len() {
                    1 => line.name_zh.clone(),
                    n => format!("{}（{n} 份）", line.name_zh),
                };
                row(name, line.date, anchor_of(first), "有");
            }
        }
    }
    for record in order {
        let Some(id) = record.id else { continue };
        if !listed.contains(&id) {
            row(record_name(record), Some(record.date), anchor_of(id), "有");
        }
    }
    if rows.is_empty() {
        out.push(Block::Plain("尚无应有的材料。".into()));
    } else {
        out.push(Block::Table { columns, header: true, rows });
    }
}

fn record_name(record: &FileRecord) -> String {
    let kind = record.kind.label().zh;
    match record.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() => format!("{kind}：{title}"),
        _ => kind,
    }
}

fn basic_information(data: &DossierData, out: &mut Vec<Block>) {
    out.push(Block::Heading { text: "二、基本情况".into(), anchor: None });
    let p = &data.detail.person;
    let text = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).unwrap_or("—").to_owned();
    let department = [p.department.as_deref(), p.class_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut rows: Vec<(&str, String)> = vec![
        ("姓名", p.name.clone()),
        ("性别", p.gender.map_or_else(|| "—".into(), |g| g.label().zh)),
        ("出生日期", p.birth_date.map_or_else(|| "—".into(), format_zh)),
        ("民族", text(p.ethnicity.as_deref())),
        ("籍贯", text(p.native_place.as_deref())),
        ("身份证号", text(p.id_number.as_deref())),
        ("学号/工号", text(p.student_no.as_deref())),
        ("人员类别", p.category.map_or_else(|| "—".into(), |c| c.label().zh)),
        ("院系/班级", text(Some(&department))),
        ("所在支部", text(Some(&data.detail.branch_path))),
        ("学历", p.education.map_or_else(|| "—".into(), |e| e.zh().to_owned())),
        ("当前阶段", data.detail.stage.label().zh + if data.detail.ended { "（已终止）" } else { "" }),
    ];
    if let Some(joined) = p.joined(&data.detail.events) {
        rows.push(("入党时间", format_zh(joined)));
    }
    // An archived file says why it is out of the register, and since when.
    if let Some(last) = data.detail.status_history.last().filter(|c| c.status != MembershipStatus::InRegister) {
        let reason = last.reason.as_deref().map(|r| format!("，{r}")).unwrap_or_default();
        rows.push(("党籍状态", format!("{}（{}{reason}）", last.status.zh(), format_zh(last.date))));
    }
    out.push(Block::Table {
        columns: vec![column("项目", 36.0, Align::Center), column("内容", 120.0, Align::Left)],
        header: false,
        rows: rows.into_iter().map(|(label, value)| vec![Cell::Text(label.into()), Cell::Text(value)]).collect(),
    });
}

fn procedure(data: &DossierData, out: &mut Vec<Block>) {
    out.push(Block::Heading { text: "三、发展过程".into(), anchor: None });
    let mut events: Vec<_> = data.detail.events.iter().collect();
    events.sort_by_key(|e| (e.date, e.kind, e.id));
    if events.is_empty() {
        out.push(Block::Plain("尚未记录任何步骤。".into()));
    } else {
        let rows = events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut note = Vec::new();
                if let Some(months) = e.months {
                    let what = match e.kind {
                        EventKind::ProbationExtended | EventKind::ApprovalExtended => "延长",
                        _ => "",
                    };
                    note.push(format!("{what}{months} 个月"));
                }
                if let Some(text) = e.note.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    note.push(text.to_owned());
                }
                // A late or out-of-order step is on file as it happened, and says so.
                for flag in data.detail.late.iter().filter(|l| l.step == e.kind && l.date == e.date) {
                    note.push(format!("{}（{}）", flag.note_zh, flag.clause));
                }
                vec![
                    Cell::Text((i + 1).to_string()),
                    Cell::Text(format_zh(e.date)),
                    Cell::Text(e.kind.label().zh),
                    Cell::Text(note.join("；")),
                ]
            })
            .collect();
        out.push(Block::Table {
            columns: vec![
                column("序号", 14.0, Align::Center),
                column("日期", 36.0, Align::Center),
                column("步骤", 56.0, Align::Left),
                column("说明", 50.0, Align::Left),
            ],
            header: true,
            rows,
        });
    }
    out.push(Block::Heading { text: "下一步".into(), anchor: None });
    let deadlines = &data.detail.deadlines;
    if deadlines.is_empty() {
        out.push(Block::Plain("无待办事项。".into()));
        return;
    }
    let rows = deadlines
        .iter()
        .map(|d| {
            let when = match d.kind {
                DeadlineKind::Earliest => format!("{}起", format_zh(d.due)),
                DeadlineKind::Deadline | DeadlineKind::Recurring => format!("{}前", format_zh(d.due)),
            };
            vec![
                Cell::Text(d.rule_name_zh.to_string()),
                Cell::Text(when),
                Cell::Text(d.status.label().zh),
                Cell::Text(d.clause.to_string()),
            ]
        })
        .collect();
    out.push(Block::Table {
        columns: vec![
            column("事项", 44.0, Align::Left),
            column("期限", 38.0, Align::Center),
            column("状态", 22.0, Align::Center),
            column("依据", 52.0, Align::Left),
        ],
        header: true,
        rows,
    });
}

fn number(v: f64) -> String {
    // 8.0 → "8", 7.5 → "7.5": hours and scores as people write them.
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn record_blocks(
    record: &FileRecord,
    anchor: usize,
    keys: &HashMap<Id, usize>,
    prepared: &[Prepared],
    out: &mut Vec<Block>,
) {
    out.push(Block::Heading {
        text: format!("{}（{}）", record_name(record), format_zh(record.date)),
        anchor: Some(anchor),
    });
    let f = &record.fields;
    let mut fields = Vec::new();
    if let Some(who) = f.who.as_deref().filter(|s| !s.trim().is_empty()) {
        fields.push(format!("谈话人：{}", who.trim()));
    }
    if let Some(course) = f.course.as_deref().filter(|s| !s.trim().is_empty()) {
        fields.push(format!("课程：{}", course.trim()));
    }
    if let Some(hours) = f.hours {
        fields.push(format!("学时：{}", number(hours)));
    }
    if let Some(certificate) = f.certificate.as_deref().filter(|s| !s.trim().is_empty()) {
        fields.push(format!("证书编号：{}", certificate.trim()));
    }
    if let Some(grade) = f.grade {
        fields.push(format!("评议等次：{}", grade.label().zh));
    }
    if let Some(score) = f.score {
        fields.push(format!("得分：{}", number(score)));
    }
    out.extend(fields.into_iter().map(Block::Plain));
    for paragraph in record.body.lines().map(str::trim).filter(|p| !p.is_empty()) {
        out.push(Block::Para(paragraph.to_owned()));
    }
    for attachment in &record.attachments {
        let key = keys.get(&attachment.id).copied();
        match key.and_then(|k| prepared.get(k).map(|p| (k, p))) {
            Some((key, image @ Prepared::Image { .. })) => {
                // Laid out as it stands on the page: a photo turned upright swaps its sides.
                let (width_px, height_px) = image.upright_size().unwrap_or((1, 1));
                out.push(Block::Image { key, width_px, height_px, caption: format!("附件：{}", attachment.name) });
            }
            Some((key, Prepared::Pdf { pages, .. })) => {
                out.push(Block::Plain(format!("附件「{}」共 {pages} 页，附后。", attachment.name)));
                out.push(Block::Attached { key, pages: *pages });
            }
            Some((_, Prepared::Unreadable)) | None => {
                out.push(Block::Plain(format!("附件「{}」无法读取，未能附入。", attachment.name)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn hours_and_scores_print_as_written() {
        assert_eq!([number(8.0), number(7.5), number(92.25), number(0.0)], ["8", "7.5", "92.25", "0"]);
    }
}
