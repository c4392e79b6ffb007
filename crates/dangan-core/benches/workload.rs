//! The foundation's workload on 100,000 generated people, on SQLCipher and on plain SQLite:
//! import (validated, one transaction), search by name / pinyin initials / full pinyin /
//! student number, and list pages of 100. Prints percentiles and the encrypted ÷ plain ratio.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p dangan-core --features unencrypted-benchmarks`).
//! Set `DANGAN_BENCH_PEOPLE` for a smaller run.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use chrono::Datelike;

use dangan_core::deadlines::DeadlineQuery;
use dangan_core::domain::Stage;
use dangan_core::roster::{ImportOptions, Roster};
use dangan_core::statistics::{CellRef, Report, StatsQuery};
use dangan_core::store::MemberQuery;
use dangan_core::{Store, calendar, demo};

struct Figures {
    import: Duration,
    /// The first scan after opening: reads every event into the in-memory procedure index.
    deadlines_cold: Duration,
    deadlines: Duration,
    dashboard: Duration,
    search_p50: Duration,
    search_p95: Duration,
    page_p50: Duration,
    page_p95: Duration,
    /// The first statistics after a change: reads the census.
    stats_cold: Duration,
    stats: Duration,
    annual: Duration,
    drill_p95: Duration,
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn run(label: &str, mut store: Store, people: usize) -> (Figures, Store) {
    let today = calendar::today();
    let records = demo::records(people, today, 7);
    let roster = Roster { rows: records.len() as u64, records, ..Roster::default() };
    let started = Instant::now();
    let report = store.import_roster(roster, ImportOptions::default(), |_| ControlFlow::Continue(())).expect("import");
    let import = started.elapsed();
    assert_eq!(report.created as usize, people);

    // Queries people type: two or three pinyin initials, a surname, a full pinyin prefix, a
    // student-number prefix, a rare character.
    let queries =
        ["zs", "wl", "lxy", "张", "王", "欧阳", "zhang", "liming", "2025", "2024000", "璐", "xyz", "chen", "hy"];
    let mut search = Vec::new();
    for round in 0..20 {
        for q in queries {
            let query = MemberQuery { search: Some(q.to_owned()), offset: 0, limit: 100, ..MemberQuery::default() };
            let started = Instant::now();
            let page = store.list_members(&query).expect("search");
            search.push(started.elapsed());
            if round == 0 && label == "SQLCipher" {
                std::hint::black_box(page.total);
            }
        }
    }
    let mut pages = Vec::new();
    for i in 0..200u64 {
        let stage = if i % 2 == 0 { None } else { Some(Stage::ALL[(i as usize / 2) % 5]) };
        let offset = (i * 4_999) % (people as u64 / 2).max(1);
        let query = MemberQuery { stage, offset, limit: 100, ..MemberQuery::default() };
        let started = Instant::now();
        let page = store.list_members(&query).expect("page");
        pages.push(started.elapsed());
        std::hint::black_box(page.items.len());
    }
    let query = DeadlineQuery { as_of: Some(today), ..DeadlineQuery::default() };
    let started = Instant::now();
    std::hint::black_box(store.deadlines(&query).expect("deadlines").len());
    let deadlines_cold = started.elapsed();
    let mut scans = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        let items = store.deadlines(&query).expect("deadlines");
        scans.push(started.elapsed());
        std::hint::black_box(items.len());
    }
    let mut dashboards = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        let dashboard = store.dashboard(Some(today), None).expect("dashboard");
        dashboards.push(started.elapsed());
        std::hint::black_box(dashboard.urgent_total);
    }
    let started = Instant::now();
    let stats = store.statistics(&StatsQuery::default()).expect("statistics");
    let stats_cold = started.elapsed();
    let mut counts = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        std::hint::black_box(store.statistics(&StatsQuery::default()).expect("statistics").tables.len());
        counts.push(started.elapsed());
    }
    let mut annuals = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(store.annual_report(today.year(), None).expect("annual").members_end);
        annuals.push(started.elapsed());
    }
    // A drill-down: the first page of the people behind each number of the funnel and of the
    // branches' table, as the member list asks for them.
    let mut drills = Vec::new();
    for table in stats.tables.iter().take(2) {
        for row in &table.rows {
            for column in &table.columns {
                let report = Report::Statistics { as_of: stats.as_of, unit: None };
                let cell =
                    CellRef { report, table: table.id.clone(), row: row.key.clone(), column: column.key.clone() };
                let query = MemberQuery { cell: Some(cell), offset: 0, limit: 100, ..MemberQuery::default() };
                let started = Instant::now();
                std::hint::black_box(store.list_members(&query).expect("drill-down").total);
                drills.push(started.elapsed());
            }
        }
    }
    let figures = Figures {
        stats_cold,
        stats: percentile(&mut counts, 0.5),
        annual: percentile(&mut annuals, 0.5),
        drill_p95: percentile(&mut drills, 0.95),
        import,
        deadlines_cold,
        deadlines: percentile(&mut scans, 0.5),
        dashboard: percentile(&mut dashboards, 0.5),
        search_p50: percentile(&mut search, 0.5),
        search_p95: percentile(&mut search, 0.95),
        page_p50: percentile(&mut pages, 0.5),
        page_p95: percentile(&mut pages, 0.95),
    };
    (figures, store)
}

/// Branch life at issue 16's scale on the encrypted workspace: everyone over 2,000 branches, ten
/// years of meetings (about 300,000, 6 million attendance rows), then the owed meetings' part of
/// the deadline scan, the year's hours report, the dashboard, and recording a meeting of 60.
fn branch_life(store: &mut Store, people: usize) {
    use dangan_core::deadlines::OwnerKind;
    use dangan_core::domain::{Attendance, Attendee, Meeting, MeetingKind};
    let today = calendar::today();
    let units = (people / 50).clamp(1, 2_000);
    let started = Instant::now();
    let fill = store.fill_branch_life_for_benchmarks(units, 10, 15, today).expect("fill");
    let filled = started.elapsed();
    let query = DeadlineQuery { as_of: Some(today), owed_by: Some(OwnerKind::Unit), ..DeadlineQuery::default() };
    let started = Instant::now();
    std::hint::black_box(store.deadlines(&query).expect("owed meetings").len());
    let owed_cold = started.elapsed();
    let mut owed = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        std::hint::black_box(store.deadlines(&query).expect("owed meetings").len());
        owed.push(started.elapsed());
    }
    let mut hours = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(store.study_hours(today.year(), None).expect("hours").len());
        hours.push(started.elapsed());
    }
    let mut dashboards = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        std::hint::black_box(store.dashboard(Some(today), None).expect("dashboard").urgent_total);
        dashboards.push(started.elapsed());
    }
    // A meeting of the committee (every member is in its subtree) with 60 attending.
    let committee = store.org_tree().expect("tree").committee().expect("committee").id;
    let page = store.list_members(&MemberQuery { offset: 0, limit: 60, ..MemberQuery::default() }).expect("members");
    let attendees: Vec<Attendee> = page
        .items
        .iter()
        .map(|m| Attendee { person_id: m.id, attendance: Attendance::Present, reason: None })
        .collect();
    let mut records = Vec::new();
    for day in 0..9u64 {
        let date = today.checked_sub_days(chrono::Days::new(day + 1)).expect("a day");
        let meeting = Meeting {
            id: None,
            unit_id: committee,
            group_id: None,
            kind: MeetingKind::PartyLecture,
            date,
            held: true,
            place: None,
            chair: None,
            recorder: None,
            topic: Some("基准测试".into()),
            minutes: None,
            decisions: None,
            study_minutes: 120,
            guests: None,
        };
        let started = Instant::now();
        std::hint::black_box(store.save_meeting(meeting, &attendees).expect("meeting"));
        records.push(started.elapsed());
    }
    println!(
        "\nbranch life, SQLCipher: {} units, {} meetings, {} attendance rows (written in {:.1} s)\n",
        fill.units,
        fill.meetings,
        fill.attendance,
        filled.as_secs_f64()
    );
    let line = |name: &str, d: Duration, target: &str| println!("{name:<44} {:>12}   {target}", ms(d));
    line("owed meetings, first scan (reads the index)", owed_cold, "");
    line("owed meetings' part of the scan (median)", percentile(&mut owed, 0.5), "< 50 ms");
    line("hours report for a year (median)", percentile(&mut hours, 0.5), "< 500 ms");
    line("dashboard with branch life (median)", percentile(&mut dashboards, 0.5), "< 100 ms");
    line(
        &format!("recording a meeting with {} attending (median)", attendees.len()),
        percentile(&mut records, 0.5),
        "< 20 ms",
    );
}

/// Membership over time at issue 17's scale on the encrypted workspace: ten years of monthly dues
/// for everyone (about 12 million ledger months), the arrears scan and a branch's monthly summary;
/// a batch of 500 letters issued and printed; a member package with 20 MB of attachments written
/// and received.
fn membership(store: &mut Store, dir: &std::path::Path) {
    use dangan_core::dues::Month;
    use dangan_core::transfer::NewLetter;
    let today = calendar::today();
    let through = Month::of(today);
    let started = Instant::now();
    let months = store.fill_dues_for_benchmarks(120, through).expect("dues");
    let filled = started.elapsed();
    let mut arrears = Vec::new();
    let mut behind = 0;
    for _ in 0..9 {
        let started = Instant::now();
        behind = store.dues_arrears(None).expect("arrears").len();
        arrears.push(started.elapsed());
    }
    let branch = store
        .member(store.list_members(&MemberQuery { limit: 1, ..MemberQuery::default() }).expect("a member").items[0].id)
        .expect("member")
        .person
        .branch_id;
    let mut summaries = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        std::hint::black_box(store.dues_summary(Some(branch), through, through).expect("summary").len());
        summaries.push(started.elapsed());
    }

    // 500 members of the register leave in one batch, printed to one PDF.
    let page = store.list_members(&MemberQuery { offset: 0, limit: 500, ..MemberQuery::default() }).expect("members");
    let letters: Vec<NewLetter> = page
        .items
        .iter()
        .map(|m| NewLetter {
            person_id: m.id,
            // Both benchmark workspaces are this committee: the package is addressed to it.
            destination: "基准测试党委".into(),
            addressee: None,
            validity_days: None,
            issued_on: today,
            assessment: Some("预备期表现良好".into()),
        })
        .collect();
    let started = Instant::now();
    let issued = store.issue_letters(&letters, |_| ControlFlow::Continue(())).expect("letters");
    let ids: Vec<_> = issued.iter().map(|l| l.id).collect();
    let (printed, committee) = store.letters_to_print(&ids).expect("to print");
    let pdf = dangan_core::dossier::letter::letters_pdf(&printed, &committee, today).expect("pdf");
    let batch = started.elapsed();

    // A member package: one of them with 20 MB of scans (four of 5 MB), written and received.
    let leaver = issued[0].person_id;
    let mut scan = vec![0u8; 5 * 1024 * 1024];
    scan[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    for (i, byte) in scan.iter_mut().enumerate().skip(4) {
        *byte = (i * 2_654_435_761 % 251) as u8;
    }
    let record = dangan_core::domain::FileRecord {
        id: None,
        person_id: leaver,
        kind: dangan_core::domain::RecordKind::ThoughtReport,
        date: today,
        event_id: None,
        title: Some("扫描件".into()),
        body: String::new(),
        fields: dangan_core::domain::RecordFields::default(),
        attachments: Vec::new(),
    };
    let scans: Vec<_> = (0..4)
        .map(|i| dangan_core::store::NewAttachment { name: format!("扫描{i}.jpg"), bytes: scan.clone() })
        .collect();
    store.save_record(record, &scans).expect("scans");
    let mut receiving = Store::create_encrypted_for_benchmarks(&dir.join("receiving.db")).expect("receiving");
    let top = receiving.org_tree().expect("tree").committee().expect("committee").id;
    let branch_there =
        receiving.add_org_unit(top, dangan_core::domain::OrgKind::Branch, "接收党支部").expect("branch").id;
    let started = Instant::now();
    let (package, code) = store.member_package(issued[0].id).expect("package");
    let sealed = dangan_core::package::seal(&package, &code).expect("seal");
    let opened = dangan_core::package::open(&sealed, &code, Some("基准测试党委")).expect("open");
    receiving.receive_package(opened, branch_there, today).expect("receive");
    let moved = started.elapsed();

    println!(
        "\nmembership, SQLCipher: {months} ledger months (written in {:.1} s), {behind} behind with dues\n",
        filled.as_secs_f64()
    );
    let line = |name: &str, d: Duration, target: &str| println!("{name:<44} {:>12}   {target}", ms(d));
    line("arrears scan of everyone (median)", percentile(&mut arrears, 0.5), "< 200 ms");
    line("a branch's monthly summary (median)", percentile(&mut summaries, 0.5), "< 50 ms");
    line(&format!("{} letters issued and printed ({} KB)", issued.len(), pdf.len() / 1024), batch, "< 5 s");
    line(&format!("member package of {} MB written and received", sealed.len() / 1_048_576), moved, "< 3 s");
}

/// Issue 18's appraisal: a branch of 300 full members in its own workspace, its ballot printed and
/// a sheet of its vote recorded.
fn appraisal(dir: &std::path::Path) {
    use chrono::Datelike;
    use dangan_core::appraisal::{read_vote_sheet, vote_rows_of_sheet};
    use dangan_core::domain::{OrgKind, Person};
    let today = calendar::today();
    let mut store = Store::create_encrypted_for_benchmarks(&dir.join("appraisal.db")).expect("appraisal workspace");
    let top = store.org_tree().expect("tree").committee().expect("committee").id;
    let branch = store.add_org_unit(top, OrgKind::Branch, "评议党支部").expect("branch").id;
    for i in 0..300 {
        let person = Person {
            branch_id: branch,
            name: format!("党员{i:03}"),
            student_no: Some(format!("S{i:05}")),
            joined_on: Some(today - chrono::Days::new(3650)),
            ..Person::default()
        };
        store.save_person(person).expect("member");
    }
    let started = Instant::now();
    let appraisal = store.open_appraisals(branch, today.year(), today).expect("open").remove(0);
    let opened = started.elapsed();
    let mut ballots = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(
            dangan_core::dossier::appraisal::ballots_pdf(&appraisal, "基准测试党委", today).expect("pdf"),
        );
        ballots.push(started.elapsed());
    }
    let path = dir.join("计票表.csv");
    let mut imports = Vec::new();
    for run in 0..5 {
        // Each run other counts, so that every member's row changes and is audited.
        let mut sheet = String::from("学号工号,优秀,合格,基本合格,不合格\n");
        for i in 0..300 {
            sheet.push_str(&format!("S{i:05},{},{},{run},0\n", i % 20, 250 - i % 20));
        }
        std::fs::write(&path, sheet).expect("sheet");
        let started = Instant::now();
        let (rows, mut problems) = read_vote_sheet(&path).expect("read");
        let current = store.appraisal(appraisal.id).expect("appraisal");
        let votes = vote_rows_of_sheet(&current, &rows, 270, &mut problems);
        problems.refuse().expect("a good sheet");
        store.record_votes(appraisal.id, 270, &votes).expect("votes");
        imports.push(started.elapsed());
    }
    println!("\nappraisal, SQLCipher: a branch of {} graded members\n", appraisal.graded);
    let line = |name: &str, d: Duration, target: &str| println!("{name:<44} {:>12}   {target}", ms(d));
    line("opened (who takes part, as of its day)", opened, "");
    line("ballot and tally sheet PDF (median)", percentile(&mut ballots, 0.5), "< 1 s");
    line("a sheet of 300 members' votes recorded (median)", percentile(&mut imports, 0.5), "< 200 ms");
}

/// Issue 18's register: 10,000 entries kept by a discipline inspector, listed (each entry's seal
/// opened for its channel and handling).
fn complaints_register(dir: &std::path::Path) {
    use dangan_core::access::{NewUser, Role};
    use dangan_core::complaints::{Channel, NewComplaint};
    use dangan_core::keys::KdfParams;
    use dangan_core::workspace::NewWorkspace;
    use dangan_core::{Session, Workspace};
    // Cheap key derivation: the unlock is not what is measured.
    let kdf = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };
    let ws = Workspace::at(dir.join("register"));
    let mut admin = ws
        .create(&NewWorkspace { kdf, user: "管理员", ..NewWorkspace::new("admin-pass", "基准测试党委") })
        .expect("ws");
    let inspector =
        NewUser { name: "纪检", role: Role::DisciplineInspector, branches: &[], passphrase: "inspector-pass" };
    ws.add_user_with_kdf(&mut admin, &inspector, kdf).expect("inspector");
    drop(admin);
    let mut session = Session::unlock(Workspace::at(ws.dir()), Some("纪检"), "inspector-pass").expect("unlock");
    let today = calendar::today();
    let started = Instant::now();
    for i in 0..10_000u32 {
        let new = NewComplaint {
            channel: Channel::ALL[(i % 5) as usize],
            received_on: today - chrono::Days::new(u64::from(i % 700)),
            complainant: None,
            concerning: None,
            category: Some("违反廉洁纪律".into()),
            summary: format!("第 {i} 件反映的具体内容，约一百字的摘要。").repeat(4),
            belongs_elsewhere: i % 7 == 0,
        };
        session.add_complaint(&new).expect("entry");
    }
    let filled = started.elapsed();
    let mut lists = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(session.complaints(false).expect("list").len());
        lists.push(started.elapsed());
    }
    println!("\ncomplaints register, SQLCipher: 10,000 entries (registered in {:.1} s)\n", filled.as_secs_f64());
    println!("{:<44} {:>12}   < 50 ms", "the register listed (median)", ms(percentile(&mut lists, 0.5)));
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let people: usize = std::env::var("DANGAN_BENCH_PEOPLE").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let (plain, _) =
        run("plain", Store::create_unencrypted_for_benchmarks(&dir.path().join("plain.db")).expect("plain"), people);
    let (encrypted, mut store) = run(
        "SQLCipher",
        Store::create_encrypted_for_benchmarks(&dir.path().join("cipher.db")).expect("cipher"),
        people,
    );

    println!("\nworkload on {people} generated people (release build)\n");
    println!("{:<34} {:>12} {:>12} {:>8}   target", "", "plain", "SQLCipher", "ratio");
    let row = |name: &str, p: Duration, e: Duration, target: &str| {
        println!(
            "{:<34} {:>12} {:>12} {:>7.2}×   {target}",
            name,
            ms(p),
            ms(e),
            e.as_secs_f64() / p.as_secs_f64().max(1e-9)
        );
    };
    row("import (validated, 1 transaction)", plain.import, encrypted.import, "< 3 s for the whole CSV import");
    row("deadline scan, first after opening", plain.deadlines_cold, encrypted.deadlines_cold, "");
    row("deadline scan of everyone (median)", plain.deadlines, encrypted.deadlines, "< 200 ms");
    row("dashboard (median)", plain.dashboard, encrypted.dashboard, "< 100 ms");
    row("search p50", plain.search_p50, encrypted.search_p50, "");
    row("search p95", plain.search_p95, encrypted.search_p95, "< 15 ms");
    row("list page of 100 p50", plain.page_p50, encrypted.page_p50, "");
    row("list page of 100 p95", plain.page_p95, encrypted.page_p95, "< 5 ms");
    row("statistics, first after a change", plain.stats_cold, encrypted.stats_cold, "");
    row("statistics (median)", plain.stats, encrypted.stats, "< 100 ms");
    row("annual report (median)", plain.annual, encrypted.annual, "< 1 s");
    row("drill-down list p95", plain.drill_p95, encrypted.drill_p95, "< 50 ms");
    let total = |f: &Figures| f.import + f.search_p95 * 280 + f.page_p95 * 200;
    println!(
        "\nencrypted ÷ plain over the whole workload: {:.2}× (target ≤ 1.3×)",
        total(&encrypted).as_secs_f64() / total(&plain).as_secs_f64()
    );
    branch_life(&mut store, people);
    membership(&mut store, dir.path());
    appraisal(dir.path());
    complaints_register(dir.path());
    documents(dir.path());
}

/// Issue 19's documents: a branch of 300 probationary members (every document's stage reached);
/// a batch notice of 50 of them as .docx and as PDF, then every document of the branch: each
/// one-person document for each member, and each batch document for the whole branch.
fn documents(dir: &std::path::Path) {
    use dangan_core::documents::{self, DocumentFormat};
    use dangan_core::domain::{EventKind, OrgKind, Person, ProcedureEvent};
    let today = calendar::today();
    let mut store = Store::create_encrypted_for_benchmarks(&dir.join("documents.db")).expect("documents workspace");
    let top = store.org_tree().expect("tree").committee().expect("committee").id;
    let branch = store.add_org_unit(top, OrgKind::Branch, "文书党支部").expect("branch").id;
    let day = |s: &str| s.parse::<calendar::Date>().expect("a date");
    let steps = [
        (EventKind::ApplicationReceived, "2023-01-05"),
        (EventKind::ApplicantTalk, "2023-01-20"),
        (EventKind::ActivistDetermined, "2023-03-01"),
        (EventKind::ContactsAssigned, "2023-03-10"),
        (EventKind::CandidatePublicity, "2024-04-01"),
        (EventKind::CandidateDetermined, "2024-04-15"),
        (EventKind::PoliticalReview, "2024-05-06"),
        (EventKind::CentralisedTraining, "2024-05-13"),
        (EventKind::PrereviewPassed, "2024-06-03"),
        (EventKind::Admitted, "2024-06-20"),
    ];
    let mut ids = Vec::new();
    for i in 0..300 {
        let person = Person {
            branch_id: branch,
            name: format!("预备党员{i:03}"),
            student_no: Some(format!("D{i:05}")),
            birth_date: Some(day("2003-05-01")),
            ..Person::default()
        };
        let id = store.save_person(person).expect("member").person.id.expect("an id");
        for (kind, date) in steps {
            store.save_event(id, ProcedureEvent::new(kind, day(date))).expect("a step");
        }
        ids.push(id);
    }
    let make = |store: &Store, id: &str, members: &[i64], format: DocumentFormat| {
        let template = store.document_template(id).expect("template");
        let context = store.document_context(&template, members, today).expect("context");
        let (rendered, _) = documents::render(&template, &context, &Default::default()).expect("render");
        documents::write(&rendered, format, &context.committee, today).expect("write").len()
    };
    let mut docx = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(make(&store, "conversion_publicity", &ids[..50], DocumentFormat::Docx));
        docx.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(make(&store, "conversion_publicity", &ids[..50], DocumentFormat::Pdf));
        pdf.push(started.elapsed());
    }
    let started = Instant::now();
    let mut made = 0;
    for info in store.documents().expect("documents") {
        if info.batch {
            std::hint::black_box(make(&store, &info.id, &ids, DocumentFormat::Docx));
            made += 1;
        } else {
            for id in &ids {
                std::hint::black_box(make(&store, &info.id, std::slice::from_ref(id), DocumentFormat::Docx));
                made += 1;
            }
        }
    }
    let all = started.elapsed();
    println!("\ndocuments, SQLCipher: a branch of 300 probationary members\n");
    let line = |name: &str, d: Duration, target: &str| println!("{name:<44} {:>12}   {target}", ms(d));
    line("a batch notice of 50 as .docx (median)", percentile(&mut docx, 0.5), "< 100 ms");
    line("a batch notice of 50 as PDF (median)", percentile(&mut pdf, 0.5), "< 100 ms");
    line(&format!("every document of the branch ({made} .docx)"), all, "< 5 s");
}
