//! The democratic appraisal (issue 18, part 1): who is graded, the vote against the ballots cast,
//! the proposal it makes, the grade's checks with their articles (第十八条: the third, the
//! probationary member; 第三十条: the reason and the correction period, a deadline item until its
//! outcome), the close filing each grade in the member's file and the annual report counting it,
//! the votes' sheet all or nothing, and the ballot read back from its PDF.

use crate::common::office::{Office, office, probationary};
use crate::common::{TODAY, d};
use dangan_core::appraisal::{Appraisal, AppraisalStep, CorrectionOutcome, GradeDecision, VoteRow, Votes};
use dangan_core::deadlines::DeadlineQuery;
use dangan_core::domain::{EventKind, Grade, Id, Person, ProcedureEvent, RecordKind};
use dangan_core::{Error, ErrorKind, Store};

fn full_member(store: &mut Store, branch: Id, name: &str) -> Id {
    let person = Person { branch_id: branch, name: name.into(), joined_on: Some(d("2015-07-01")), ..Person::default() };
    store.save_person(person).unwrap().person.id.unwrap()
}

/// Branch A with six full members (张三 is an applicant there already) and a probationary member:
/// the appraisal of 2026 opened on 2026-11-20.
fn branch_appraisal() -> (Office, Vec<Id>, Id, Appraisal) {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let full: Vec<Id> =
        ["赵一", "钱二", "孙三", "李四", "周五", "吴六"].iter().map(|n| full_member(store, branch, n)).collect();
    let probation = probationary(store, branch, "郑七");
    let opened = store.open_appraisals(branch, 2026, d("2026-11-20")).unwrap();
    let appraisal = opened.into_iter().next().unwrap();
    (office, full, probation, appraisal)
}

fn refused<T: std::fmt::Debug>(r: dangan_core::Result<T>) -> (String, String) {
    match r {
        Err(Error::InvalidInput { field, reason }) => (field, reason.zh),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn votes(excellent: u32, qualified: u32, basically_qualified: u32, unqualified: u32) -> Votes {
    Votes { excellent, qualified, basically_qualified, unqualified }
}

fn grade(person_id: Id, grade: Grade, reason: Option<&str>) -> GradeDecision {
    GradeDecision { person_id, grade, reason: reason.map(str::to_owned) }
}

#[test]
fn full_members_are_graded_and_a_probationary_member_takes_part_ungraded_article_18() {
    let (mut office, full, probation, appraisal) = branch_appraisal();
    assert_eq!(appraisal.graded, 6);
    assert_eq!(appraisal.excellent_cap, 2, "a third of six");
    let of = |id: Id| appraisal.participants.iter().find(|p| p.person_id == id).unwrap();
    assert!(full.iter().all(|&id| of(id).graded));
    assert!(!of(probation).graded);
    assert!(!appraisal.participants.iter().any(|p| p.person_id == office.zhang), "an applicant takes no part");

    // The probationary member is not graded, naming article 18.
    let (field, why) = refused(office.admin.grade_member(appraisal.id, &grade(probation, Grade::Qualified, None)));
    assert_eq!(field, "grade");
    assert!(why.contains("第十八条") && why.contains("不评定等次"), "{why}");
    // A second appraisal of the branch for the year is refused, naming the first.
    let (field, why) = refused(office.admin.open_appraisals(office.branch_a, 2026, d("2026-11-21")));
    assert_eq!(field, "branch");
    assert!(why.contains("2026-11-20"), "{why}");
}

#[test]
fn votes_beyond_the_ballots_cast_are_refused_and_the_proposal_is_the_most_voted_grade() {
    let (mut office, full, probation, appraisal) = branch_appraisal();
    let store = &mut office.admin;
    let rows = vec![
        VoteRow { person_id: full[0], votes: votes(5, 2, 0, 0) },
        VoteRow { person_id: full[1], votes: votes(1, 6, 0, 0) },
        VoteRow { person_id: full[2], votes: votes(0, 3, 3, 1) },
    ];
    // Eight votes for 孙三 where seven ballots came back: refused, nothing recorded.
    let (field, why) = refused(store.record_votes(appraisal.id, 6, &rows));
    assert_eq!(field, "votes");
    assert!(why.contains("孙三"), "{why}");
    assert!(store.appraisal(appraisal.id).unwrap().participants.iter().all(|p| p.votes.is_none()));
    // A probationary member is not voted on.
    let on_probation = [VoteRow { person_id: probation, votes: votes(1, 0, 0, 0) }];
    assert_eq!(refused(store.record_votes(appraisal.id, 7, &on_probation)).0, "votes");

    let recorded = store.record_votes(appraisal.id, 7, &rows).unwrap();
    assert_eq!(recorded.ballots_cast, Some(7));
    let proposed: Vec<Option<Grade>> = full[..3]
        .iter()
        .map(|id| recorded.participants.iter().find(|p| p.person_id == *id).unwrap().proposed)
        .collect();
    // A 3–3 tie between 合格 and 基本合格 goes to 合格.
    assert_eq!(proposed, [Some(Grade::Excellent), Some(Grade::Qualified), Some(Grade::Qualified)]);
    // Fewer ballots than a member's counts already entered: refused.
    assert_eq!(refused(store.record_votes(appraisal.id, 5, &[])).0, "votes");
}

#[test]
fn excellent_past_a_third_of_the_graded_members_needs_a_reason_article_18() {
    let (mut office, full, _, appraisal) = branch_appraisal();
    let store = &mut office.admin;
    store.grade_member(appraisal.id, &grade(full[0], Grade::Excellent, None)).unwrap();
    store.grade_member(appraisal.id, &grade(full[1], Grade::Excellent, None)).unwrap();
    let (field, why) = refused(store.grade_member(appraisal.id, &grade(full[2], Grade::Excellent, None)));
    assert_eq!(field, "grade");
    assert!(why.contains("第十八条") && why.contains("三分之一"), "{why}");
    let third = store.appraisal(appraisal.id).unwrap();
    assert_eq!(third.count(Grade::Excellent), 2, "the refused grade was not recorded");
    // With the branch's reason it stands; re-grading one already excellent does not count twice.
    let with_reason = grade(full[2], Grade::Excellent, Some("抗疫一线表现突出，支部大会一致同意"));
    assert_eq!(store.grade_member(appraisal.id, &with_reason).unwrap().count(Grade::Excellent), 3);
    store.grade_member(appraisal.id, &grade(full[0], Grade::Excellent, None)).unwrap();
}

#[test]
fn unqualified_needs_its_reason_and_the_correction_period_is_a_deadline_until_its_outcome_article_30() {
    let (mut office, full, _, appraisal) = branch_appraisal();
    let store = &mut office.admin;
    let (field, why) = refused(store.grade_member(appraisal.id, &grade(full[5], Grade::Unqualified, None)));
    assert_eq!(field, "reason");
    assert!(why.contains("第三十条"), "{why}");
    store.grade_member(appraisal.id, &grade(full[5], Grade::Unqualified, Some("长期不参加组织生活"))).unwrap();
    // Not closed while anyone graded has no grade, naming them.
    let (field, why) = refused(store.close_appraisal(appraisal.id, d("2026-11-23")));
    assert_eq!(field, "grade");
    assert!(why.contains("赵一"), "{why}");
    for &id in &full[..5] {
        store.grade_member(appraisal.id, &grade(id, Grade::Qualified, None)).unwrap();
    }
    let closed = store.close_appraisal(appraisal.id, d("2026-11-23")).unwrap();
    assert_eq!(closed.closed_on, Some(d("2026-11-23")));
    assert!(closed.steps.iter().any(|s| s.step == AppraisalStep::Decision && s.date == d("2026-11-23")));
    // The correction period of twelve months is an item of the member's deadlines.
    let query = DeadlineQuery { member_id: Some(full[5]), ..DeadlineQuery::default() };
    let items = store.deadlines(&query).unwrap();
    let item = items.iter().find(|i| &*i.rule == "appraisal_correction").expect("the correction is a deadline");
    assert_eq!(item.due, d("2027-11-23"));
    assert!(item.clause.contains("第三十条"), "{}", item.clause);
    let everyone = store.deadlines(&DeadlineQuery::default()).unwrap();
    assert!(everyone.iter().any(|i| &*i.rule == "appraisal_correction"), "on the office's list too");
    // A closed appraisal does not change.
    assert_eq!(refused(store.grade_member(appraisal.id, &grade(full[0], Grade::Excellent, None))).0, "appraisal");

    // Its outcome recorded, the item is done.
    store.end_correction(appraisal.id, full[5], CorrectionOutcome::Corrected, d("2026-11-24"), None).unwrap();
    let items = store.deadlines(&query).unwrap();
    assert!(!items.iter().any(|i| &*i.rule == "appraisal_correction"), "{items:?}");
}

#[test]
fn closing_files_each_grade_in_the_members_file_and_the_annual_report_counts_them() {
    let (mut office, full, probation, appraisal) = branch_appraisal();
    let store = &mut office.admin;
    let grades = [Grade::Excellent, Grade::Qualified, Grade::Qualified, Grade::Qualified, Grade::BasicallyQualified];
    for (&id, &g) in full.iter().zip(&grades) {
        store.grade_member(appraisal.id, &grade(id, g, None)).unwrap();
    }
    store.grade_member(appraisal.id, &grade(full[5], Grade::Unqualified, Some("拒不完成党组织分配的任务"))).unwrap();
    store.close_appraisal(appraisal.id, d("2026-11-23")).unwrap();

    let records = store.records(full[0]).unwrap();
    let filed = records.iter().find(|r| r.kind == RecordKind::Appraisal).expect("the grade is in the file");
    assert_eq!((filed.fields.grade, filed.date), (Some(Grade::Excellent), d("2026-11-23")));
    assert!(filed.body.contains("2026年度") && filed.body.contains("优秀"), "{}", filed.body);
    assert!(store.records(probation).unwrap().iter().all(|r| r.kind != RecordKind::Appraisal), "not graded, not filed");

    let report = store.annual_report(2026, None).unwrap();
    let table = report.tables.iter().find(|t| t.id == "appraisal").unwrap();
    assert_eq!(table.rows[0].values, [Some(1), Some(3), Some(1), Some(1)]);
    // The year before has none.
    let before = store.annual_report(2025, None).unwrap();
    assert_eq!(before.tables.iter().find(|t| t.id == "appraisal").unwrap().rows[0].values, [Some(0); 4]);
}

#[test]
fn a_branch_secretary_appraises_only_their_branch_and_an_auditor_none() {
    use crate::common::office::{add, open_as};
    use dangan_core::access::Role;
    let (mut office, _, _, appraisal) = branch_appraisal();
    let (a, b) = (office.branch_a, office.branch_b);
    add(&mut office, "书记乙", Role::BranchSecretary, &[b]);
    add(&mut office, "审计员", Role::Auditor, &[]);
    let mut secretary = open_as(&office, "书记乙");
    assert_eq!(secretary.appraisal(appraisal.id).unwrap_err().kind(), ErrorKind::Forbidden);
    assert_eq!(secretary.open_appraisals(a, 2026, d("2026-11-20")).unwrap_err().kind(), ErrorKind::Forbidden);
    secretary.open_appraisals(b, 2026, d("2026-11-20")).unwrap();
    let mut auditor = open_as(&office, "审计员");
    assert!(auditor.appraisal(appraisal.id).is_ok(), "the auditor reads");
    let decision = grade(appraisal.participants[0].person_id, Grade::Qualified, None);
    assert_eq!(auditor.grade_member(appraisal.id, &decision).unwrap_err().kind(), ErrorKind::Forbidden);
}

#[test]
fn the_ballot_prints_every_graded_member_with_the_four_grades_and_a_tally_sheet() {
    let (_office, _, _, appraisal) = branch_appraisal();
    let pdf = dangan_core::dossier::appraisal::ballots_pdf(&appraisal, "测试党委", d(TODAY)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("测评表.pdf");
    std::fs::write(&path, pdf).unwrap();
    let Some(text) = pdftotext(&path) else { return };
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("2026年度民主评议党员民主测评表"), "{text}");
    assert!(text.contains("民主测评计票表"), "the tally sheet follows: {text}");
    for name in ["赵一", "钱二", "孙三", "李四", "周五", "吴六"] {
        assert_eq!(text.matches(name).count(), 2, "{name} on the ballot and the tally sheet: {text}");
    }
    assert!(!text.contains("郑七"), "the probationary member is not on the ballot");
    assert!(text.contains("基本合格") && text.contains("不合格"));
}

#[test]
fn a_sheet_of_votes_is_recorded_whole_or_not_at_all_every_bad_row_named() {
    let (office, full, _, appraisal) = branch_appraisal();
    let dir = office.dir.path();
    let mut session = dangan_core::Session::unlock(
        dangan_core::Workspace::at(office.ws.dir()),
        Some(crate::common::office::ADMINISTRATOR),
        crate::common::PASSPHRASE,
    )
    .unwrap();
    session.set_today(d(TODAY));
    let sheet = dir.join("计票.csv");
    std::fs::write(
        &sheet,
        "姓名,优秀,合格,基本合格,不合格\n赵一,5,2,,\n王小二,1,1,0,0\n钱二,9,0,0,0\n孙三,x,0,0,0\n郑七,0,1,0,0\n",
    )
    .unwrap();
    let (rows, mut problems) = dangan_core::appraisal::read_vote_sheet(&sheet).unwrap();
    assert_eq!(rows.len(), 4, "孙三's count is no number");
    let good = dangan_core::appraisal::vote_rows_of_sheet(&appraisal, &rows, 7, &mut problems);
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].person_id, full[0]);
    let refused = problems.refuse().unwrap_err();
    let why = refused.text().zh;
    for row in ["第 3 行", "第 4 行", "第 5 行", "第 6 行"] {
        assert!(why.contains(row), "{row} in {why}");
    }
    assert!(!why.contains("第 2 行"), "{why}");

    // Imported, the same sheet records nothing, not even its good row; a good sheet records all.
    let refused = session.import_votes(appraisal.id, 7, &sheet).unwrap_err();
    assert!(refused.text().zh.contains("第 6 行"), "{refused:?}");
    assert!(session.appraisal(appraisal.id).unwrap().participants.iter().all(|p| p.votes.is_none()));
    let good = dir.join("计票2.csv");
    std::fs::write(&good, "姓名,优秀票,合格票,基本合格票,不合格票\n赵一,5,2,,\n钱二,1,6,0,0\n").unwrap();
    let recorded = session.import_votes(appraisal.id, 7, &good).unwrap();
    assert_eq!(recorded.participants.iter().filter(|p| p.votes.is_some()).count(), 2, "the export's headers read back");
}

#[test]
fn who_takes_part_is_read_as_of_the_appraisal_day() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let staying = full_member(store, branch, "赵一");
    let leaving = full_member(store, branch, "钱二");
    // Converted after the appraisal's day: a probationary member then, not graded.
    let converted = probationary(store, branch, "孙三");
    store.save_event(converted, ProcedureEvent::new(EventKind::ConversionApproved, d("2026-11-22"))).unwrap();
    let appraisal = store.open_appraisals(branch, 2026, d("2026-11-20")).unwrap().remove(0);
    let of = |a: &Appraisal, id: Id| a.participants.iter().find(|p| p.person_id == id).cloned();
    assert!(of(&appraisal, staying).unwrap().graded);
    assert!(!of(&appraisal, converted).unwrap().graded, "a probationary member on the day");
    // One who leaves after the day took part, is not graded any more, and does not hold up the close.
    let out = dangan_core::domain::StatusChange {
        id: None,
        person_id: leaving,
        status: dangan_core::domain::MembershipStatus::Deceased,
        date: d("2026-11-21"),
        reason: None,
    };
    store.change_status(out).unwrap();
    let now = store.appraisal(appraisal.id).unwrap();
    assert!(!of(&now, leaving).unwrap().in_register);
    assert_eq!(refused(store.grade_member(appraisal.id, &grade(leaving, Grade::Qualified, None))).0, "member");
    store.grade_member(appraisal.id, &grade(staying, Grade::Qualified, None)).unwrap();
    store.close_appraisal(appraisal.id, d("2026-11-23")).unwrap();
    // A member appraised in one branch this year is not appraised again in the branch they moved to.
    let person = store.member(staying).unwrap().person;
    store.save_person(dangan_core::domain::Person { branch_id: office.branch_b, ..person }).unwrap();
    let there = store.open_appraisals(office.branch_b, 2026, d("2026-11-20")).unwrap().remove(0);
    assert!(of(&there, staying).is_none(), "appraised once a year");
    assert!(of(&there, office.li).is_none(), "an applicant takes no part");
    let record = store.records(staying).unwrap().into_iter().find(|r| r.kind == RecordKind::Appraisal).unwrap();
    // The filed grade does not change through the file, nor go.
    let changed = dangan_core::domain::FileRecord {
        fields: dangan_core::domain::RecordFields { grade: Some(Grade::Excellent), ..record.fields.clone() },
        ..record.clone()
    };
    assert_eq!(refused(store.save_record(changed, &[])).0, "record");
    assert_eq!(refused(store.delete_record(record.id.unwrap())).0, "record");
}

fn pdftotext(path: &std::path::Path) -> Option<String> {
    match std::process::Command::new("pdftotext").arg("-layout").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => {
            crate::common::cannot_run("pdftotext (poppler-utils) is not installed");
            None
        }
    }
}
