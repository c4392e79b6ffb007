//! The statistics screen's figures as of a day: the development funnel, members and pipeline per
//! branch, developed and converted per year over ten years, the per-class-year table universities
//! publish, and members by gender, ethnicity, age band and education.

use chrono::Datelike;
use serde::Serialize;

use super::census::Counted;
use super::table::{Spec, Table, column, share};
use super::{Scope, cell_people};
use crate::Text;
use crate::calendar::Date;
use crate::domain::{Education, Gender, Id, Stage};

/// The five stages' counts: people in the register on the day.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StageCounts {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub applicant: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub activist: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub candidate: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub probationary: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub full_member: u64,
}

/// One branch's stage counts.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchStages {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    /// The branch's path (总支/支部).
    pub branch: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "typescript", ts(flatten))]
    pub counts: StageCounts,
}

/// The statistics as of a day (`dangan stats`, the 统计 screen).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistics {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub as_of: Date,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub unit: Option<Id>,
    pub unit_name: String,
    pub by_stage: StageCounts,
    pub by_branch: Vec<BranchStages>,
    /// Every table, `by_stage` and `by_branch` first; each number's people through a [`super::CellRef`].
    pub tables: Vec<Table>,
}

fn stage_columns() -> Vec<super::Column> {
    Stage::ALL
        .iter()
        .map(|s| {
            let label = s.label();
            column(s.as_str(), &label.zh, &label.en)
        })
        .collect()
}

fn counts_of(row: &super::Row) -> StageCounts {
    let v = |i: usize| row.values.get(i).copied().flatten().unwrap_or(0);
    StageCounts { applicant: v(0), activist: v(1), candidate: v(2), probationary: v(3), full_member: v(4) }
}

/// Rows for a vocabulary, and one more for "not recorded".
fn vocabulary_rows<T: Copy>(
    all: &[T],
    key: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> Text,
) -> Vec<(String, Text)> {
    all.iter()
        .map(|&v| (key(v).to_owned(), label(v)))
        .chain(std::iter::once(("unrecorded".to_owned(), Text::new("未填写", "not recorded"))))
        .collect()
}

/// Members and, of them, probationary members, by one fact: the demographic tables' shape.
fn members_by<'a>(
    id: &'static str,
    title: Text,
    note: Text,
    rows: Vec<(String, Text)>,
    as_of: Date,
    row_of: impl Fn(&Counted) -> usize + 'a,
) -> Spec<'a> {
    Spec::new(
        id,
        title,
        note,
        vec![column("members", "党员", "members"), column("probationary", "其中预备党员", "of whom probationary")],
        rows,
        move |p, out| {
            if p.member_on(as_of) {
                let r = row_of(p);
                out.push((r, 0));
                if p.probationary_on(as_of) {
                    out.push((r, 1));
                }
            }
        },
    )
    .with_total()
}

/// The statistics screen's tables, in the order it shows them.
pub(crate) fn specs<'a>(scope: &Scope<'a>, as_of: Date) -> Vec<Spec<'a>> {
    let rules = scope.rules;
    let stage_index = |s: Stage| Stage::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let mut specs = Vec::new();

    specs.push(
        Spec::new(
            "by_stage",
            Text::new("发展党员工作各阶段人数", "People at each stage of the procedure"),
            rules.note("in_register"),
            vec![column("count", "人数", "people")],
            Stage::ALL.iter().map(|s| (s.as_str().to_owned(), s.label())).collect(),
            move |p, out| {
                if let Some(stage) = p.stage_on(as_of) {
                    out.push((stage_index(stage), 0));
                }
            },
        )
        .with_total(),
    );

    let branches = scope.branch_rows();
    let branch_index: std::collections::HashMap<Id, usize> =
        branches.iter().enumerate().map(|(i, (id, _, _))| (*id, i)).collect();
    specs.push(
        Spec::new(
            "by_branch",
            Text::new("各党支部人数", "People per branch"),
            rules.note("in_register"),
            stage_columns(),
            branches.into_iter().map(|(_, key, label)| (key, label)).collect(),
            move |p, out| {
                if let (Some(stage), Some(&r)) = (p.stage_on(as_of), branch_index.get(&p.branch_id)) {
                    out.push((r, stage_index(stage)));
                }
            },
        )
        .with_total(),
    );

    let last = as_of.year();
    let first = last - 9;
    specs.push(
        Spec::new(
            "by_year",
            Text::new("近十年发展党员和转正人数", "Developed and converted per year, last ten years"),
            rules.notes(&["developed", "converted"]),
            vec![column("developed", "发展党员", "developed"), column("converted", "转正", "converted")],
            (first..=last).map(|y| (y.to_string(), Text::new(format!("{y}年"), y.to_string()))).collect(),
            move |p, out| {
                for (c, date) in [(0, p.developed_on()), (1, p.conversion_approved)] {
                    // Counted where it happened: not before a member arrived by transfer.
                    if let Some(d) = date.filter(|d| *d <= as_of && (first..=last).contains(&d.year()) && !p.out_on(*d))
                    {
                        out.push(((d.year() - first) as usize, c));
                    }
                }
            },
        )
        .with_total(),
    );

    let mut years: Vec<u16> = scope
        .people()
        .filter(|p| p.category == Some(crate::domain::Category::Student) && p.stage_on(as_of).is_some())
        .filter_map(|p| p.class_year)
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut rows: Vec<(String, Text)> =
        years.iter().map(|y| (y.to_string(), Text::new(format!("{y}级"), format!("class of {y}")))).collect();
    rows.push(("unrecorded".into(), Text::new("年级未填写", "class year not recorded")));
    specs.push(
        Spec::new(
            "by_class_year",
            Text::new("各年级学生党员和入党积极性情况", "Students by class year"),
            rules.note("students"),
            vec![
                column("students", "学生数", "students"),
                column("members", "党员", "members"),
                share("members_share", "党员占比", "members, share", "members", "students"),
                column("probationary", "其中预备党员", "of whom probationary"),
                share("probationary_share", "预备党员占比", "probationary, share", "probationary", "students"),
                column("applicants", "入党申请人", "applicants"),
                share("applicants_share", "申请人占比", "applicants, share", "applicants", "students"),
                column("activists", "入党积极分子", "activists"),
                share("activists_share", "积极分子占比", "activists, share", "activists", "students"),
                column("candidates", "发展对象", "development targets"),
                share("candidates_share", "发展对象占比", "development targets, share", "candidates", "students"),
            ],
            rows,
            move |p, out| {
                if p.category != Some(crate::domain::Category::Student) {
                    return;
                }
                let Some(stage) = p.stage_on(as_of) else { return };
                let r = p.class_year.and_then(|y| years.iter().position(|x| *x == y)).unwrap_or(years.len());
                // By the procedure's stage on the day, like the funnel, so that each row's members,
                // applicants, activists and development targets add up to its students.
                out.push((r, 0));
                match stage {
                    Stage::Applicant => out.push((r, 5)),
                    Stage::Activist => out.push((r, 7)),
                    Stage::Candidate => out.push((r, 9)),
                    Stage::Probationary => out.extend([(r, 1), (r, 3)]),
                    Stage::FullMember => out.push((r, 1)),
                }
            },
        )
        .with_total(),
    );

    specs.push(members_by(
        "by_gender",
        Text::new("党员性别", "Members by gender"),
        rules.note("members"),
        vocabulary_rows(&[Gender::Male, Gender::Female], Gender::as_str, Gender::label),
        as_of,
        |p| match p.gender {
            Some(Gender::Male) => 0,
            Some(Gender::Female) => 1,
            None => 2,
        },
    ));
    specs.push(members_by(
        "by_ethnicity",
        Text::new("党员民族", "Members by ethnicity"),
        rules.note("members"),
        vec![
            ("han".into(), Text::new("汉族", "Han")),
            ("minority".into(), Text::new("少数民族", "ethnic minorities")),
            ("unrecorded".into(), Text::new("未填写", "not recorded")),
        ],
        as_of,
        |p| match p.minority {
            Some(false) => 0,
            Some(true) => 1,
            None => 2,
        },
    ));
    let bands = rules.age_band_rows();
    let bounds: Vec<(Option<i32>, Option<i32>)> = bands.iter().map(|(_, _, low, high)| (*low, *high)).collect();
    let mut age_rows: Vec<(String, Text)> = bands.into_iter().map(|(key, label, _, _)| (key, label)).collect();
    age_rows.push(("unrecorded".into(), Text::new("出生日期未填写", "birth date not recorded")));
    specs.push(members_by(
        "by_age",
        Text::new("党员年龄", "Members by age"),
        rules.note("age"),
        age_rows,
        as_of,
        move |p| age_row(&bounds, p.age_on(as_of)),
    ));
    specs.push(members_by(
        "by_education",
        Text::new("党员学历", "Members by education"),
        rules.note("members"),
        vocabulary_rows(Education::ALL, Education::as_str, Education::label),
        as_of,
        |p| p.education.and_then(|e| Education::ALL.iter().position(|x| *x == e)).unwrap_or(Education::ALL.len()),
    ));
    specs
}

/// The row of an age among bands given as (lowest, highest); the last row for an unknown age.
pub(crate) fn age_row(bounds: &[(Option<i32>, Option<i32>)], age: Option<i32>) -> usize {
    age.and_then(|age| {
        bounds.iter().position(|(low, high)| low.is_none_or(|l| age >= l) && high.is_none_or(|h| age <= h))
    })
    .unwrap_or(bounds.len())
}

/// Counts the statistics as of a day.
pub(crate) fn statistics(scope: &Scope<'_>, as_of: Date, unit: Option<Id>) -> Statistics {
    let tables: Vec<Table> = specs(scope, as_of).iter().map(|spec| spec.count(scope.people())).collect();
    let by_stage = tables.first().map(|t| {
        let v = |i: usize| t.rows.get(i).and_then(|r| r.values.first().copied().flatten()).unwrap_or(0);
        StageCounts { applicant: v(0), activist: v(1), candidate: v(2), probationary: v(3), full_member: v(4) }
    });
    let by_branch = tables
        .get(1)
        .map(|t| {
            t.rows
                .iter()
                .filter(|r| !r.total)
                .map(|r| BranchStages {
                    branch_id: r.key.parse().unwrap_or_default(),
                    branch: r.label.zh.clone(),
                    counts: counts_of(r),
                })
                .collect()
        })
        .unwrap_or_default();
    Statistics {
        as_of,
        unit,
        unit_name: scope.unit_name(unit),
        by_stage: by_stage.unwrap_or_default(),
        by_branch,
        tables,
    }
}

/// The people behind one number of the statistics as of a day.
pub(crate) fn people(scope: &Scope<'_>, as_of: Date, cell: &super::CellRef) -> crate::Result<Vec<Id>> {
    cell_people(&specs(scope, as_of), scope, cell)
}
