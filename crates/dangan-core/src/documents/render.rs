//! A template rendered with the records: the fields a template may use, the filters and functions
//! it may call, and the refusal of a field that does not exist (minijinja's strict undefined
//! values), named by the template file's line.
//!
//! Fields: `committee`, `branch` (the people's branch), `branch_path`, `date` (the document's),
//! `rules` (`2014` or `2026`), `clause` (the article requiring the document), `people` (each as `person` below) and `person` (the first, for a
//! document about one person). A person has `name`, `gender`, `ethnicity`, `birth`, `education`,
//! `native_place`, `department`, `class_name`, `student_no`, `id_number`, `phone`, `category`,
//! `stage`, `branch`, `branch_path`, and `steps`, every step's latest date by its id
//! (`steps.activist_determined`). Dates are `YYYY-MM-DD`; a missing value prints as nothing.
//! Filters: `zh` (2026年11月24日), `zh_month` (2026年11月). Functions: `working_days_end(date, n)`,
//! the n-th working day counted from `date` by the office's holiday calendar (a publicity
//! period's end), and `months_after(date, n)`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use minijinja::value::Serde;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;

use super::Template;
use super::markup::{self, Rendered};
use crate::calendar::{self, Date};
use crate::domain::EventKind;
use crate::workdays::WorkCalendar;
use crate::{Error, Result};

/// What a template is rendered with.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentContext {
    pub committee: String,
    pub branch: String,
    pub branch_path: String,
    /// The branch that acted, as a sentence names it: its name for people of one branch, 各党支部
    /// ("each branch") for several (a development targets' publicity: 经{by_branch}委员会研究).
    pub by_branch: String,
    pub date: String,
    pub rules: String,
    /// The article that requires the document, under the workspace's rule set.
    pub clause: String,
    pub people: Vec<PersonFields>,
    pub person: Option<PersonFields>,
}

/// One person as a template sees them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonFields {
    pub name: String,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub birth: Option<String>,
    pub education: Option<String>,
    pub native_place: Option<String>,
    pub department: Option<String>,
    pub class_name: Option<String>,
    pub student_no: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub category: Option<String>,
    pub stage: String,
    pub branch: String,
    pub branch_path: String,
    /// Every step's id, with the latest date it happened on, or none.
    pub steps: BTreeMap<&'static str, Option<String>>,
}

impl PersonFields {
    /// Every step's id with no date yet: a template may name any step.
    pub fn no_steps() -> BTreeMap<&'static str, Option<String>> {
        EventKind::ALL.iter().map(|k| (k.as_str(), None)).collect()
    }
}

/// Renders `template` with `context`; `calendar` counts working days. Returns the document and
/// whether a working-day count ran without some year's official calendar.
pub fn render(template: &Template, context: &DocumentContext, calendar: &WorkCalendar) -> Result<(Rendered, bool)> {
    let provisional = Arc::new(AtomicBool::new(false));
    let env = environment(calendar.clone(), provisional.clone());
    let (body, body_line) = template.body();
    let refuse = |e: minijinja::Error| refusal(template, body_line, &e);
    let compiled = env.template_from_named_str(template.id(), body).map_err(refuse)?;
    let output = compiled.render(Value::from(Serde(context))).map_err(refuse)?;
    let rendered = markup::parse(&output);
    if rendered.title.is_empty() {
        return Err(Error::invalid(
            "template",
            format!("文书模板 {} 没有标题行（以 # 开头）", template.id()),
            format!("document template {} has no title line (one starting with #)", template.id()),
        ));
    }
    Ok((rendered, provisional.load(Ordering::Relaxed)))
}

/// Renders `template` with sample records (two people, every field filled), so that a syntax
/// error or a field that does not exist is refused when the template is loaded, not on the day a
/// document is made.
pub fn check(template: &Template) -> Result<()> {
    let sample = |name: &str| PersonFields {
        name: name.into(),
        gender: Some("男".into()),
        ethnicity: Some("汉族".into()),
        birth: Some("2004-05-01".into()),
        education: Some("大学本科".into()),
        native_place: Some("江苏南京".into()),
        department: Some("数学学院".into()),
        class_name: Some("数学2201班".into()),
        student_no: Some("2022001".into()),
        id_number: Some("110101200405010011".into()),
        phone: Some("13800000000".into()),
        category: Some("学生".into()),
        stage: "入党积极分子".into(),
        branch: "本科生第一党支部".into(),
        branch_path: "数学学院党委/本科生第一党支部".into(),
        steps: EventKind::ALL.iter().map(|k| (k.as_str(), Some("2025-03-01".into()))).collect(),
    };
    let people = vec![sample("张三"), sample("李四")];
    let context = DocumentContext {
        committee: "中共某某大学数学学院委员会".into(),
        branch: "本科生第一党支部".into(),
        branch_path: "数学学院党委/本科生第一党支部".into(),
        by_branch: "本科生第一党支部".into(),
        date: "2026-11-24".into(),
        rules: "2026".into(),
        clause: "《中国共产党发展党员工作细则》第十三条".into(),
        person: people.first().cloned(),
        people,
    };
    render(template, &context, &WorkCalendar::default()).map(|_| ())
}

fn environment(calendar: WorkCalendar, provisional: Arc<AtomicBool>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        out.write_str(&markup::escape(&value.to_string()))?;
        Ok(())
    });
    env.add_filter("zh", |value: Value| -> std::result::Result<String, minijinja::Error> {
        Ok(date_of(&value)?.map(calendar::format_zh).unwrap_or_default())
    });
    env.add_filter("zh_month", |value: Value| -> std::result::Result<String, minijinja::Error> {
        Ok(date_of(&value)?.map(|d| d.format("%Y年%-m月").to_string()).unwrap_or_default())
    });
    env.add_function(
        "working_days_end",
        move |start: Value, n: u32| -> std::result::Result<String, minijinja::Error> {
            let start = date_of(&start)?.ok_or_else(|| bad_argument("working_days_end needs a date"))?;
            let (after, unofficial) = calendar
                .after_working_days(start, n.max(1))
                .ok_or_else(|| bad_argument("the working days run past the calendar"))?;
            if unofficial {
                provisional.store(true, Ordering::Relaxed);
            }
            Ok(after.pred_opt().unwrap_or(after).to_string())
        },
    );
    env.add_function("months_after", |start: Value, n: u32| -> std::result::Result<String, minijinja::Error> {
        let start = date_of(&start)?.ok_or_else(|| bad_argument("months_after needs a date"))?;
        calendar::add_months(start, n).map(|d| d.to_string()).ok_or_else(|| bad_argument("the date is out of range"))
    });
    env
}

/// A date field's value: none (or empty) is no date; anything else must be `YYYY-MM-DD`.
fn date_of(value: &Value) -> std::result::Result<Option<Date>, minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(None);
    }
    let text = value.as_str().ok_or_else(|| bad_argument("a date is written YYYY-MM-DD"))?;
    if text.is_empty() {
        return Ok(None);
    }
    calendar::parse_iso(text).map(Some).ok_or_else(|| bad_argument("a date is written YYYY-MM-DD"))
}

fn bad_argument(why: &str) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, why.to_owned())
}

/// A template's error as the office reads it: the file's line, and what is wrong there.
fn refusal(template: &Template, body_line: usize, e: &minijinja::Error) -> Error {
    let line = e.line().map(|l| l + body_line - 1);
    let (what_zh, what_en) = match e.kind() {
        ErrorKind::UndefinedError => ("模板引用了不存在的字段", "the template names a field that does not exist"),
        ErrorKind::SyntaxError => ("模板语法错误", "the template's syntax is wrong"),
        _ => ("模板无法填写", "the template cannot be filled in"),
    };
    let detail = e.detail().map(|d| format!("：{d}")).unwrap_or_default();
    let detail_en = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let at_zh = line.map(|l| format!("第 {l} 行：")).unwrap_or_default();
    let at_en = line.map(|l| format!("line {l}: ")).unwrap_or_default();
    Error::invalid(
        "template",
        format!("文书模板 {} {at_zh}{what_zh}{detail}", template.id()),
        format!("document template {}, {at_en}{what_en}{detail_en}", template.id()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(body: &str) -> Template {
        let head = "+++\nid = \"candidate_publicity\"\ntitle = \"t\"\ntitle_en = \"t\"\nstage = \"any\"\nbatch = true\n\
                    clause = { cpc-2014 = \"第十三条\", cpc-2026 = \"第十三条\" }\n\
                    clause_en = { cpc-2014 = \"art. 13\", cpc-2026 = \"art. 13\" }\n+++\n";
        Template::parse("mine.jinja", &format!("{head}{body}")).unwrap()
    }

    #[test]
    fn an_unknown_field_or_a_syntax_error_is_refused_naming_the_files_line() {
        // The head takes lines 1–9; the body starts on line 10.
        let unknown = template("# 标题\n正文\n{{ person.nickname }}\n");
        let message = check(&unknown).unwrap_err().message(crate::Lang::En);
        assert!(message.contains("line 12") && message.contains("field that does not exist"), "{message}");
        let broken = template("# 标题\n{% for p in people %}\n{{ p.name }}\n");
        let message = check(&broken).unwrap_err().message(crate::Lang::En);
        assert!(message.contains("syntax"), "{message}");
        assert!(check(&template("# 标题\n{% for p in people %}{{ p.name }}{% endfor %}\n")).is_ok());
    }

    #[test]
    fn dates_print_in_chinese_and_a_publicity_ends_on_its_fifth_working_day() {
        let t = template(
            "# 公示\n公示期为{{ date|zh }}至{{ working_days_end(date, 5)|zh }}，出生{{ person.birth|zh_month }}，民族{{ person.ethnicity }}。\n",
        );
        let mut person = PersonFields { name: "张三".into(), birth: Some("2004-05-01".into()), ..Default::default() };
        person.steps = PersonFields::no_steps();
        let context = DocumentContext {
            committee: String::new(),
            branch: String::new(),
            branch_path: String::new(),
            by_branch: String::new(),
            date: "2026-11-24".into(),
            rules: "2026".into(),
            clause: String::new(),
            people: vec![person.clone()],
            person: Some(person),
        };
        // 2026-11-24 is a Tuesday: with the weekend, the fifth working day is Monday the 30th.
        let (rendered, provisional) = render(&t, &context, &WorkCalendar::default()).unwrap();
        assert_eq!(
            rendered.blocks,
            [markup::Block::Paragraph {
                text: "公示期为2026年11月24日至2026年11月30日，出生2004年5月，民族。".into()
            }]
        );
        assert!(provisional, "2026's official calendar is not entered here");
        let entered = WorkCalendar::new([], [2026]);
        assert!(!render(&t, &context, &entered).unwrap().1);
    }
}
