//! PDF dossiers: one three-page text dossier (fonts loaded once), a batch of 1,000 on all cores
//! with the memory it holds, and the same dossier printed by headless Chromium from equivalent
//! HTML, reported as a ratio. Run with `cargo xtask bench` (or `cargo bench -p dangan-core --bench
//! dossier`); set `DANGAN_BENCH_DOSSIERS` for a smaller batch.

use std::ops::ControlFlow;
use std::process::Command;
use std::time::{Duration, Instant};

use dangan_core::domain::{EventKind, FileRecord, OrgKind, Person, ProcedureEvent, RecordFields, RecordKind};
use dangan_core::dossier::{self, DossierData, DossierFonts, DossierOptions};
use dangan_core::keys::KdfParams;
use dangan_core::store::MemberQuery;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Store, Workspace, calendar};

const PARAGRAPH: &str = "在党组织的培养教育下，我认真学习党的理论，努力提高自己的思想觉悟。通过参加党课学习和支部组织的各项活动，\
我对党的性质、宗旨和纲领有了更深刻的认识，进一步端正了入党动机。在学习上，我刻苦钻研专业知识，成绩稳步提高；在工作中，\
我积极承担班级事务，主动为同学服务，注意发挥先锋模范作用。同时我也认识到自己的不足：理论联系实际还不够紧密，\
批评与自我批评的勇气还需加强。今后我将继续努力，以党员的标准严格要求自己，自觉接受党组织和同志们的监督和帮助。";

fn d(s: &str) -> calendar::Date {
    s.parse().expect("a valid date")
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Resident and peak memory of this process, in MB (Linux; zero elsewhere).
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A workspace of `count` members, each with the records of a three-page text dossier.
fn workspace(dir: &std::path::Path, count: usize) -> Store {
    let ws = Workspace::at(dir.join("ws"));
    let cheap = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };
    let mut store = ws
        .create(&NewWorkspace {
            kdf: cheap, ..NewWorkspace::new("benchmark-passphrase", "中共示范大学委员会")
        })
        .expect("workspace");
    store.set_today(d("2026-11-24"));
    let committee = store.org_tree().expect("tree").committee().expect("committee").id;
    let branch = store.add_org_unit(committee, OrgKind::Branch, "计算机学院第一党支部").expect("branch").id;
    for i in 0..count {
        let person = Person {
            branch_id: branch,
            name: format!("张{}", ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇"][i % 8]),
            student_no: Some(format!("2025{i:06}")),
            birth_date: Some(d("2004-05-01")),
            ..Person::default()
        };
        let id = store.save_person(person).expect("person").person.id.expect("id");
        for (kind, date) in [
            (EventKind::ApplicationReceived, "2025-03-01"),
            (EventKind::ApplicantTalk, "2025-03-20"),
            (EventKind::ActivistDetermined, "2025-09-01"),
        ] {
            store.save_event(id, ProcedureEvent::new(kind, d(date))).expect("event");
        }
        for (kind, date, paragraphs) in [
            (RecordKind::ApplicationLetter, "2025-03-01", 2),
            (RecordKind::ThoughtReport, "2026-06-01", 3),
            (RecordKind::ThoughtReport, "2026-09-01", 2),
        ] {
            let record = FileRecord {
                version: None,
                id: None,
                person_id: id,
                kind,
                date: d(date),
                event_id: None,
                title: None,
                body: vec![PARAGRAPH; paragraphs].join("\n"),
                fields: RecordFields::default(),
                attachments: Vec::new(),
            };
            store.save_record(record, &[]).expect("record");
        }
    }
    store
}

/// The same dossier as an HTML page, for Chromium: the same sections and text, A4, the same
/// margins and type sizes, the system's Noto CJK fonts.
fn html(data_name: &str, store: &Store, id: i64) -> String {
    let mut body = format!(
        "<h1>发展党员档案</h1><p>中共示范大学委员会</p><p>计算机学院第一党支部</p><p>{data_name}</p><p>制作日期：2026年11月24日</p>\
         <h2 style='page-break-before:always'>材料目录</h2><table border='1'><tr><th>序号</th><th>材料</th><th>日期</th><th>页码</th><th>状态</th></tr>"
    );
    for (i, line) in store.checklist(id).expect("checklist").iter().filter(|l| l.expected).enumerate() {
        body.push_str(&format!("<tr><td>{}</td><td>{}</td><td></td><td></td><td>缺</td></tr>", i + 1, line.name_zh));
    }
    body.push_str("</table><h2>基本情况</h2><p>姓名：");
    body.push_str(data_name);
    body.push_str("</p>");
    for record in store.records(id).expect("records") {
        body.push_str(&format!("<h2>{} {}</h2>", record.kind.label().zh, calendar::format_zh(record.date)));
        for p in record.body.lines() {
            body.push_str(&format!("<p>{p}</p>"));
        }
    }
    format!(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>\
         @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}\
         body {{ font-family: 'Noto Serif CJK SC'; font-size: 16pt; line-height: 28pt; }}\
         h1, h2 {{ font-family: 'Noto Sans CJK SC'; font-weight: bold; }} table {{ border-collapse: collapse; }}\
         </style></head><body>{body}</body></html>"
    )
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

fn main() {
    let count: usize = std::env::var("DANGAN_BENCH_DOSSIERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temporary folder");
    println!("making a workspace of {count} members with three-page files…");
    let store = workspace(dir.path(), count);
    let options = DossierOptions { generated_on: d("2026-11-24"), created_at: chrono::Utc::now() };

    let started = Instant::now();
    let fonts = DossierFonts::bundled();
    let font_load = started.elapsed();

    let all = MemberQuery { limit: MemberQuery::MAX_LIMIT, ..MemberQuery::default() };
    let ids: Vec<i64> = store.list_members(&all).expect("list").items.iter().map(|m| m.id).collect();
    let data = DossierData::read(&store, ids[0]).expect("data");
    let first = dossier::render(&data, &fonts, &options).expect("render");
    let mut renders = Vec::new();
    let mut reads = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let data = DossierData::read(&store, ids[0]).expect("data");
        reads.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(dossier::render(&data, &fonts, &options).expect("render").pdf.len());
        renders.push(started.elapsed());
    }
    let one = median(&mut renders);

    let (rss_before, _) = memory_mb();
    let out = dir.path().join("batch");
    let mut rss_at_quarter = 0.0;
    let started = Instant::now();
    let report = dossier::write_batch(&store, &ids, &out, &options, |p| {
        if p.done == p.total / 4 {
            rss_at_quarter = memory_mb().0;
        }
        ControlFlow::Continue(())
    })
    .expect("batch");
    let batch = started.elapsed();
    let (rss_after, peak) = memory_mb();

    println!("\nPDF dossiers (release build, {} cores)\n", std::thread::available_parallelism().map_or(1, usize::from));
    println!("{:<52} {:>12}   target", "", "");
    println!("{:<52} {:>12}", "load the two bundled fonts (once per process)", ms(font_load));
    println!(
        "{:<52} {:>12}   < 20 ms",
        format!("one dossier, render ({} pages, {} KB), median of 30", first.pages, first.pdf.len() / 1024),
        ms(one)
    );
    println!("{:<52} {:>12}", "one dossier, read from the store, median", ms(median(&mut reads)));
    println!(
        "{:<52} {:>10.1} s   < 15 s",
        format!("{} dossiers, write_batch on all cores", report.written.len()),
        batch.as_secs_f64()
    );
    println!(
        "{:<52} {:>12}",
        "memory: before / at a quarter / after the batch (MB)",
        format!("{rss_before:.0} / {rss_at_quarter:.0} / {rss_after:.0}")
    );
    println!("{:<52} {:>12}", "peak resident memory of the whole run (MB)", format!("{peak:.0}"));

    let Some(chrome) = chromium() else {
        println!("\nChromium comparison skipped: no chromium on the PATH (Debian: apt-get install chromium)");
        return;
    };
    let page = dir.path().join("dossier.html");
    std::fs::write(&page, html(data.name(), &store, ids[0])).expect("html");
    let pdf = dir.path().join("chromium.pdf");
    let mut runs = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let status = Command::new(chrome)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", dir.path().join("chromium-profile").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        runs.push(started.elapsed());
        assert!(status.status.success() && pdf.exists(), "chromium printed nothing");
    }
    let chromium_one = median(&mut runs);
    println!(
        "{:<52} {:>12}",
        format!(
            "the same dossier by headless Chromium ({} KB), median of 5",
            std::fs::metadata(&pdf).map_or(0, |m| m.len()) / 1024
        ),
        ms(chromium_one)
    );
    println!(
        "{:<52} {:>11.0}×   ≥ 50×",
        "Chromium ÷ Dangan, per dossier",
        chromium_one.as_secs_f64() / one.as_secs_f64()
    );
}
