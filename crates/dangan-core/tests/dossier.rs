//! The printable dossier, read back with the tools an office (and an archive) would use:
//! poppler's `pdftotext`, `pdffonts`, `pdfinfo`, `pdfimages`, `pdftoppm`, and `qpdf --check`.
//! Each section of the document has its golden text here.

use std::ops::ControlFlow;
use std::path::Path;
use std::process::Command;
use std::sync::LazyLock;

use chrono::{TimeZone, Utc};
use dangan_core::domain::{
    Category, EventKind, FileRecord, Gender, Grade, MembershipStatus, OrgKind, Person, ProcedureEvent, RecordFields,
    RecordKind, StatusChange,
};
use dangan_core::dossier::{self, DossierData, DossierFonts, DossierOptions, RenderedDossier};
use dangan_core::store::NewAttachment;
use dangan_core::{Error, Store};

use crate::common::{d, new_workspace};
const COMMITTEE: &str = "中共测试大学委员会";
/// Extension G: in no bundled font.
const NO_FONT_HAS: char = '\u{30000}';

const LETTER: [&str; 3] = [
    "敬爱的党组织：我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。",
    "我出生在一个普通的工人家庭，从小受到父母的教育，懂得了「吃水不忘挖井人」的道理。进入大学以后，我认真学习《中国共产党章程》，参加了学院组织的党课学习小组（共12次），逐步加深了对党的认识；我也看到了自己的不足：理论学习还不够系统，联系群众还不够主动……",
    "今后，我将以党员标准严格要求自己，努力学习科学文化知识，积极参加社会实践，主动向党组织汇报思想。请党组织在实践中考验我！",
];

const REPORT: [&str; 2] = [
    "本季度，我重点学习了党的二十大报告，深刻认识到：中国式现代化是人口规模巨大的现代化，是全体人民共同富裕的现代化，是物质文明和精神文明相协调的现代化，是人与自然和谐共生的现代化，是走和平发展道路的现代化。",
    "在学习之余，我参加了社区志愿服务活动三次，协助整理档案材料，体会到基层工作的细致与辛苦；同时也发现自己在沟通方式上还有欠缺——今后要更加耐心、更加细致。附：我的曾祖父名叫王\u{30000}，其名中之字字库所无，特此说明。",
];

fn options() -> DossierOptions {
    DossierOptions { generated_on: d("2026-11-24"), created_at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 30, 0).unwrap() }
}

/// A valid 18-digit identity number (GB 11643 check digit).
fn id_number(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{first17}{}", ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize])
}

struct Office {
    _dir: tempfile::TempDir,
    store: Store,
    branch: i64,
}

fn office() -> Office {
    let (dir, _, mut store) = new_workspace(COMMITTEE);
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    let general = store.add_org_unit(committee, OrgKind::GeneralBranch, "数学学院党总支").unwrap().id;
    let branch = store.add_org_unit(general, OrgKind::Branch, "本科生第一党支部").unwrap().id;
    Office { _dir: dir, store, branch }
}

fn record(person_id: i64, kind: RecordKind, date: &str, body: &[&str]) -> FileRecord {
    FileRecord {
        version: None,
        id: None,
        person_id,
        kind,
        date: d(date),
        event_id: None,
        title: None,
        body: body.join("\n"),
        fields: RecordFields::default(),
        attachments: Vec::new(),
    }
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(400, 300, |x, y| {
        if (y / 20) % 2 == 0 && x > 40 && x < 360 { image::Rgb([30, 30, 40]) } else { image::Rgb([240, 236, 226]) }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(200, 200, |x, y| {
        let (dx, dy) = (x as f32 - 100.0, y as f32 - 100.0);
        let r = (dx * dx + dy * dy).sqrt();
        if r > 80.0 && r < 95.0 { image::Rgba([200, 20, 20, 255]) } else { image::Rgba([0, 0, 0, 0]) }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A two-page PDF in a built-in font, as a scanner or a word processor would hand one over.
fn two_page_pdf() -> Vec<u8> {
    use printpdf::{
        BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem, TextMatrix,
    };
    let mut doc = PdfDocument::new("attachment");
    let pages = (1..=2)
        .map(|n| {
            let ops = vec![
                Op::StartTextSection,
                Op::SetFont { font: PdfFontHandle::Builtin(BuiltinFont::Helvetica), size: Pt(24.0) },
                Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(72.0), Pt(700.0)) },
                Op::ShowText { items: vec![TextItem::Text(format!("Attached page {n} of 2"))] },
                Op::EndTextSection,
            ];
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();
    doc.with_pages(pages);
    doc.save(&PdfSaveOptions::default(), &mut Vec::new())
}

fn file(name: &str, bytes: Vec<u8>) -> NewAttachment {
    NewAttachment { name: name.into(), bytes }
}

/// 王䶮: a rare character in the name, a full procedure so far, a file with every kind of content.
fn member_with_everything(o: &mut Office) -> i64 {
    let person = Person {
        branch_id: o.branch,
        name: "王䶮".into(),
        gender: Some(Gender::Male),
        ethnicity: Some("汉族".into()),
        birth_date: Some(d("2004-05-01")),
        id_number: Some(id_number("11010520040501123")),
        student_no: Some("2026001".into()),
        category: Some(Category::Student),
        department: Some("数学学院".into()),
        class_name: Some("数学2201班".into()),
        native_place: Some("湖南长沙".into()),
        ..Person::default()
    };
    let id = o.store.save_person(person).unwrap().person.id.unwrap();
    for (kind, date) in [
        (EventKind::ApplicationReceived, "2024-09-10"),
        (EventKind::ApplicantTalk, "2024-09-30"),
        (EventKind::ActivistDetermined, "2024-12-01"),
        (EventKind::ThoughtReport, "2025-03-01"),
        (EventKind::ActivistReview, "2025-06-01"),
        (EventKind::CandidateDetermined, "2025-12-20"),
    ] {
        o.store.save_event(id, ProcedureEvent::new(kind, d(date))).unwrap();
    }
    let s = &mut o.store;
    s.save_record(record(id, RecordKind::ApplicationLetter, "2024-09-10", &LETTER), &[file("申请书扫描.jpg", jpeg())])
        .unwrap();
    let mut talk = record(id, RecordKind::TalkRecord, "2024-09-30", &["谈话内容：端正入党动机，加强理论学习。"]);
    talk.fields.who = Some("李书记".into());
    s.save_record(talk, &[file("签名页.png", png())]).unwrap();
    s.save_record(
        record(id, RecordKind::ThoughtReport, "2025-03-01", &REPORT),
        &[file("思想汇报原件.pdf", two_page_pdf())],
    )
    .unwrap();
    s.save_record(
        record(
            id,
            RecordKind::StudyNote,
            "2025-05-04",
            &["学习《习近平新时代中国特色社会主义思想学习纲要》第三章的笔记。"],
        ),
        &[],
    )
    .unwrap();
    let mut appraisal = record(id, RecordKind::Appraisal, "2025-12-25", &["评议意见：政治立场坚定，学习勤奋。"]);
    appraisal.fields.grade = Some(Grade::Excellent);
    appraisal.fields.score = Some(95.5);
    let mut broken = b"\x89PNG\r\n\x1a\n".to_vec();
    broken.extend(b"this is not really an image");
    let not_a_pdf = b"%PDF-1.4\nthe rest of this file was lost".to_vec();
    s.save_record(appraisal, &[file("坏扫描.png", broken), file("残缺.pdf", not_a_pdf)]).unwrap();
    id
}

struct Rendered {
    dossier: RenderedDossier,
    file_name: String,
}

/// The full dossier, rendered once for all the tests that read it.
static FULL: LazyLock<Rendered> = LazyLock::new(|| {
    let mut o = office();
    let id = member_with_everything(&mut o);
    let data = DossierData::read(&o.store, id).unwrap();
    let dossier = dossier::render(&data, &DossierFonts::bundled(), &options()).unwrap();
    Rendered { dossier, file_name: dossier::file_name(&data) }
});

// ---------------------------------------------------------------------------------------------
// The tools

const INSTALL: &str = "apt-get install -y poppler-utils qpdf";

/// Runs a tool on a PDF (written to a temporary file) and returns its standard output. A missing
/// tool fails the test: these checks are the point.
fn run(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, pdf).unwrap();
    run_on(tool, args, &path)
}

fn run_on(tool: &str, args: &[&str], path: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(path)
        .args(extra_args(tool))
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{tool}` ({e}); install it with `{INSTALL}`"));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{tool} {args:?} failed: {}\n{stdout}", String::from_utf8_lossy(&output.stderr));
    stdout
}

fn extra_args(tool: &str) -> &'static [&'static str] {
    if tool == "pdftotext" { &["-"] } else { &[] }
}

fn text(pdf: &[u8], args: &[&str]) -> String {
    run("pdftotext", args, pdf)
}

fn page_text(pdf: &[u8], page: u32) -> String {
    let page = page.to_string();
    text(pdf, &["-layout", "-f", &page, "-l", &page])
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The body text with the footers taken out and the line breaks removed: what the paragraphs
/// were before the layout broke them into lines and pages.
fn flowing_text(pdf: &[u8]) -> String {
    text(pdf, &[])
        .lines()
        .filter(|l| !squash(l).contains("页共") && !l.contains("生成日期"))
        .collect::<Vec<_>>()
        .concat()
        .replace('\u{c}', "")
}

fn page_count(pdf: &[u8]) -> u32 {
    let info = run("pdfinfo", &[], pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line["Pages:".len()..].trim().parse().unwrap()
}

/// The first page whose text holds `needle` (spaces ignored).
fn page_of(pdf: &[u8], pages: u32, needle: &str) -> u32 {
    (1..=pages).find(|&p| squash(&page_text(pdf, p)).contains(needle)).unwrap_or_else(|| panic!("{needle} not found"))
}

// ---------------------------------------------------------------------------------------------
// The sections

#[test]
fn the_cover_names_the_committee_branch_member_file_number_and_date() {
    let pdf = &FULL.dossier.pdf;
    let cover = squash(&page_text(pdf, 1));
    for line in [
        "发展党员档案",
        "所属党委：中共测试大学委员会",
        "所在支部：数学学院党总支/本科生第一党支部",
        "姓名：王䶮",
        "档案编号：2026001",
        "制作日期：2026年11月24日",
    ] {
        assert!(cover.contains(line), "{line} is not on the cover:\n{cover}");
    }
    assert_eq!(FULL.file_name, "王䶮-2026001.pdf");
}

#[test]
fn the_contents_list_each_material_with_date_and_page_or_mark_it_missing() {
    let pdf = &FULL.dossier.pdf;
    let pages = FULL.dossier.pages;
    let contents = page_text(pdf, 2);
    assert!(contents.contains("一、材料目录"), "{contents}");
    let row = |material: &str| -> Vec<String> {
        let line = contents.lines().find(|l| l.contains(material)).unwrap_or_else(|| panic!("{material}:\n{contents}"));
        line.split_whitespace().map(str::to_owned).collect()
    };
    // 序号 / 材料 / 日期 / 页码 / 状态, each present material on the page its record starts.
    let letter_page = page_of(pdf, pages, "入党申请书（2024年9月10日）").to_string();
    assert_eq!(row("入党申请书"), ["1", "入党申请书", "2024年9月10日", &letter_page, "有"]);
    let talk_page = page_of(pdf, pages, "谈话记录（2024年9月30日）").to_string();
    assert_eq!(row("与入党申请人谈话记录"), ["2", "与入党申请人谈话记录", "2024年9月30日", &talk_page, "有"]);
    // The review happened; its record is not on file.
    assert_eq!(row("培养教育考察意见"), ["4", "培养教育考察意见", "缺"]);
    // Kinds the checklist does not list come after it.
    let note_page = page_of(pdf, pages, "学习笔记与活动（2025年5月4日）").to_string();
    assert_eq!(row("学习笔记与活动"), ["5", "学习笔记与活动", "2025年5月4日", &note_page, "有"]);
    assert!(contents.contains("民主评议"), "{contents}");
    // The materials after the PDF attachment are numbered past its two pages.
    let appraisal_page: u32 = row("民主评议")[3].parse().unwrap();
    assert_eq!(appraisal_page, page_of(pdf, pages, "民主评议（2025年12月25日）"));
}

#[test]
fn basic_information_and_the_procedure_with_its_next_steps() {
    let pdf = &FULL.dossier.pdf;
    let all = text(pdf, &["-layout"]);
    let line_with = |needle: &str| {
        squash(all.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not found:\n{all}")))
    };
    assert_eq!(line_with("出生日期"), "出生日期2004年5月1日");
    assert_eq!(line_with("身份证号"), format!("身份证号{}", id_number("11010520040501123")));
    assert_eq!(line_with("院系/班级"), "院系/班级数学学院数学2201班");
    assert_eq!(line_with("当前阶段"), "当前阶段发展对象");
    assert_eq!(line_with("人员类别"), "人员类别学生");
    // The timeline, dates as documents write them.
    assert_eq!(line_with("递交入党申请书"), "12024年9月10日递交入党申请书");
    // Determined under the 2026 rules with no publicity on file: recorded, and flagged with its article.
    assert!(line_with("确定为发展对象").starts_with("62025年12月20日确定为发展对象未记录公示（"), "{all}");
    assert!(squash(&all).contains("第十三条）"), "the flag cites its article: {all}");
    // 下一步: each pending item with its due date and clause.
    let flowing = squash(&all);
    let next = &flowing[flowing.find("下一步").unwrap()..];
    assert!(next.contains("事项期限状态依据"), "{next}");
    let row = squash(all.lines().find(|l| l.contains("思想汇报（每季度）")).unwrap());
    assert!(row.starts_with("思想汇报（每季度）2025年6月1日前已逾期工作惯例"), "{row}");
}

#[test]
fn record_text_comes_back_exactly_and_no_line_starts_with_closing_punctuation() {
    let pdf = &FULL.dossier.pdf;
    let flowing = flowing_text(pdf);
    for paragraph in LETTER.iter().chain(&REPORT) {
        assert!(flowing.contains(paragraph), "not extracted exactly: {paragraph}\n---\n{flowing}");
    }
    assert!(flowing.contains("谈话人：李书记"));
    assert!(flowing.contains("评议等次：优秀") && flowing.contains("得分：95.5"));
    let plain = text(pdf, &[]);
    let mut lines = 0;
    for line in plain.lines().map(|l| l.trim_start_matches(['\u{c}', ' '])) {
        lines += 1;
        if let Some(first) = line.chars().next() {
            assert!(!"，。、；：？！」』）》".contains(first), "a line starts with {first}: {line}");
        }
    }
    assert!(lines > 40, "{lines} lines");
}

#[test]
fn attachments_are_placed_appended_or_reported_as_unreadable() {
    let pdf = &FULL.dossier.pdf;
    let pages = FULL.dossier.pages;
    assert_eq!(page_count(pdf), pages);
    // The attached PDF's two pages follow the thought report, without a footer, and count.
    let report = page_of(pdf, pages, "思想汇报（2025年3月1日）");
    let first = page_of(pdf, pages, "Attachedpage1of2");
    assert!(first > report);
    assert!(squash(&page_text(pdf, first + 1)).contains("Attachedpage2of2"));
    for p in [first, first + 1] {
        assert!(!page_text(pdf, p).contains("生成日期"), "an attached page got a footer");
    }
    let next = squash(&page_text(pdf, first + 2));
    assert!(next.contains(&format!("第{}页共{pages}页", first + 2)), "{next}");
    let flowing = flowing_text(pdf);
    assert!(flowing.contains("附件「思想汇报原件.pdf」共 2 页，附后。"), "{flowing}");
    assert!(flowing.contains("附件「坏扫描.png」无法读取，未能附入。"), "{flowing}");
    assert!(flowing.contains("附件「残缺.pdf」无法读取，未能附入。"), "{flowing}");
    assert!(flowing.contains("附件：申请书扫描.jpg") && flowing.contains("附件：签名页.png"));
    // The JPEG is passed through as it is (DCT), the PNG kept lossless with its transparency.
    let images = run("pdfimages", &["-list"], pdf);
    let rows: Vec<Vec<&str>> = images.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    // page num type width height color comp bpc enc …
    let jpeg = rows.iter().find(|r| r[3] == "400" && r[2] == "image").unwrap_or_else(|| panic!("{images}"));
    assert_eq!(jpeg[8], "jpeg", "{images}");
    let png = rows.iter().find(|r| r[3] == "200" && r[2] == "image").unwrap_or_else(|| panic!("{images}"));
    assert_eq!(png[8], "image", "Flate, not re-encoded as JPEG: {images}");
    assert!(rows.iter().any(|r| r[2] == "smask" && r[3] == "200"), "{images}");
}

#[test]
fn both_fonts_are_embedded_as_subsets_and_the_file_is_sound() {
    let pdf = &FULL.dossier.pdf;
    let fonts = run("pdffonts", &[], pdf);
    for face in ["NotoSerifCJKsc-Regular", "NotoSansCJKsc-Bold"] {
        let line = fonts.lines().find(|l| l.contains(face)).unwrap_or_else(|| panic!("{face}:\n{fonts}"));
        let cols: Vec<&str> = line.split_whitespace().collect();
        let (prefix, _) = cols[0].split_once('+').unwrap_or_else(|| panic!("not a subset: {line}"));
        assert!(prefix.len() == 6 && prefix.chars().all(|c| c.is_ascii_uppercase()), "{line}");
        // name, type (CID Type 0C), encoding, emb, sub, uni, object, id
        assert_eq!(&cols[cols.len() - 5..cols.len() - 2], ["yes", "yes", "yes"], "emb sub uni: {line}");
    }
    let check = run("qpdf", &["--check"], pdf);
    assert!(check.contains("No syntax or stream encoding errors found"), "{check}");
    assert!(!check.to_lowercase().contains("warning"), "{check}");
}

#[test]
fn the_document_information_names_title_author_and_date() {
    let info = run("pdfinfo", &["-isodates"], &FULL.dossier.pdf);
    let field = |name: &str| {
        info.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_owned()).unwrap_or_default()
    };
    assert_eq!(field("Title:"), "发展党员档案：王䶮");
    assert_eq!(field("Author:"), COMMITTEE);
    assert!(field("CreationDate:").starts_with("2026-11-24T01:30:00"), "{info}");
    assert_eq!(field("Creator:"), "Dangan");
    assert!(!info.contains("PDF subtype"), "no PDF/X or PDF/A claim: {info}");
}

#[test]
fn a_page_renders_with_ink_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, &FULL.dossier.pdf).unwrap();
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "30", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&prefix)
        .status()
        .unwrap_or_else(|e| panic!("cannot run pdftoppm ({e}); install it with `{INSTALL}`"));
    assert!(status.success());
    let page = image::open(dir.path().join("page.png")).unwrap().to_luma8();
    assert!((248..=249).contains(&page.width()), "A4 at 30 dpi: {}", page.width());
    let dark = page.pixels().filter(|p| p.0[0] < 128).count();
    assert!(dark > 100, "the cover is blank: {dark} dark pixels");
}

#[test]
fn a_character_no_font_has_prints_as_geta_is_reported_and_still_extracts() {
    assert_eq!(FULL.dossier.missing_chars, [NO_FONT_HAS]);
    let flowing = flowing_text(&FULL.dossier.pdf);
    assert!(flowing.contains(&format!("我的曾祖父名叫王{NO_FONT_HAS}，")), "{flowing}");
    // The rare but covered character of the name is not missing, and extracts.
    assert!(flowing.contains("王䶮"));
}

#[test]
fn a_text_only_three_page_dossier_is_small() {
    let mut o = office();
    let person = Person { branch_id: o.branch, name: "李四".into(), ..Person::default() };
    let id = o.store.save_person(person).unwrap().person.id.unwrap();
    o.store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-09-01"))).unwrap();
    o.store.save_record(record(id, RecordKind::ApplicationLetter, "2026-09-01", &LETTER), &[]).unwrap();
    let data = DossierData::read(&o.store, id).unwrap();
    let dossier = dossier::render(&data, &DossierFonts::bundled(), &options()).unwrap();
    assert_eq!(dossier.pages, 3);
    assert_eq!(page_count(&dossier.pdf), 3);
    assert!(dossier.pdf.len() < 300 * 1024, "{} bytes", dossier.pdf.len());
    assert!(dossier.missing_chars.is_empty());
    assert_eq!(dossier::file_name(&data), format!("李四-{id:06}.pdf"));
    let last = squash(&page_text(&dossier.pdf, 3));
    assert!(last.contains("第3页共3页") && last.contains("生成日期：2026年11月24日"), "{last}");
}

#[test]
fn an_archived_file_prints_and_says_why_it_left_the_register() {
    let mut o = office();
    let person = Person { branch_id: o.branch, name: "李四".into(), ..Person::default() };
    let id = o.store.save_person(person).unwrap().person.id.unwrap();
    o.store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-09-01"))).unwrap();
    let moved = StatusChange {
        id: None,
        person_id: id,
        status: MembershipStatus::TransferredOut,
        date: d("2026-11-02"),
        reason: Some("转往北京大学".into()),
    };
    o.store.change_status(moved).unwrap();
    let data = DossierData::read(&o.store, id).unwrap();
    let dossier = dossier::render(&data, &DossierFonts::bundled(), &options()).unwrap();
    let text = squash(&flowing_text(&dossier.pdf));
    assert!(text.contains("党籍状态转出（2026年11月2日，转往北京大学）"), "{text}");
}

/// A JPEG as a phone writes it: stored landscape, with EXIF orientation 6 (turn a quarter clockwise).
fn phone_photo() -> Vec<u8> {
    let plain = jpeg();
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01".to_vec();
    tiff.extend([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = plain[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

#[test]
fn a_phone_photo_prints_upright_and_its_bytes_are_kept() {
    let mut o = office();
    let person = Person { branch_id: o.branch, name: "周五".into(), ..Person::default() };
    let id = o.store.save_person(person).unwrap().person.id.unwrap();
    o.store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-09-01"))).unwrap();
    let photo = phone_photo();
    let letter = record(id, RecordKind::ApplicationLetter, "2026-09-01", &["见照片。"]);
    o.store.save_record(letter, &[file("申请书照片.jpg", photo.clone())]).unwrap();
    let data = DossierData::read(&o.store, id).unwrap();
    let dossier = dossier::render(&data, &DossierFonts::bundled(), &options()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (pdf, expanded) = (dir.path().join("d.pdf"), dir.path().join("qdf.pdf"));
    std::fs::write(&pdf, &dossier.pdf).unwrap();
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&pdf)
        .arg(&expanded)
        .status()
        .unwrap_or_else(|e| panic!("cannot run qpdf ({e}); install it with `{INSTALL}`"));
    assert!(status.success());
    let content = String::from_utf8_lossy(&std::fs::read(&expanded).unwrap()).into_owned();
    assert!(content.contains("0 -1 1 0 "), "the photo is placed turned a quarter clockwise");
    // Stored as it came: 400 × 300, the JPEG untouched.
    let list = run("pdfimages", &["-list"], &dossier.pdf);
    assert!(list.lines().any(|l| l.contains(" 400 ") && l.contains(" 300 ") && l.contains("jpeg")), "{list}");
}

#[test]
fn a_batch_writes_every_dossier_reports_progress_and_stops_when_asked() {
    let mut o = office();
    let mut ids = Vec::new();
    for (name, number) in [("赵一", "2026101"), ("钱二", "2026102"), ("孙三", "2026103")] {
        let person =
            Person { branch_id: o.branch, name: name.into(), student_no: Some(number.into()), ..Person::default() };
        let id = o.store.save_person(person).unwrap().person.id.unwrap();
        o.store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-09-01"))).unwrap();
        ids.push(id);
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("档案");
    let mut seen = Vec::new();
    let report = dossier::write_batch(&o.store, &ids, &out, &options(), |p| {
        seen.push(p);
        ControlFlow::Continue(())
    })
    .unwrap();
    let names: Vec<String> = report.written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into()).collect();
    assert_eq!(names, ["赵一-2026101.pdf", "钱二-2026102.pdf", "孙三-2026103.pdf"]);
    for path in &report.written {
        assert!(path.starts_with(&out));
        assert!(text(&std::fs::read(path).unwrap(), &[]).contains("发展党员档案"));
    }
    assert_eq!(seen.last(), Some(&dangan_core::jobs::Progress::new(3, 3, dangan_core::jobs::Unit::Dossiers)));
    assert_eq!(seen.iter().map(|p| p.done).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(report.missing_chars.is_empty());

    let again = dir.path().join("again");
    let err = dossier::write_batch(&o.store, &ids, &again, &options(), |_| ControlFlow::Break(())).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    let left = std::fs::read_dir(&again).unwrap().count();
    assert!((1..=3).contains(&left), "the file written before the break stays: {left}");
}

/// A dossier's file name is safe on every system (no `/ \ : * ? " < > |`, no leading dots), and
/// two members of one batch whose names clean to the same file keep a file each.
#[test]
fn batch_file_names_are_cleaned_and_never_overwrite_each_other() {
    let mut o = office();
    let plain = Person { branch_id: o.branch, name: "张_三".into(), ..Person::default() };
    let plain = o.store.save_person(plain).unwrap().person.id.unwrap();
    // Cleaned, this one's name and number come out as the first one's.
    let hostile = Person {
        branch_id: o.branch,
        name: "..张/三".into(),
        student_no: Some(format!("{plain:06}")),
        ..Person::default()
    };
    let hostile = o.store.save_person(hostile).unwrap().person.id.unwrap();
    let odd = Person { branch_id: o.branch, name: "李*四?\"<>|:\\".into(), ..Person::default() };
    let odd = o.store.save_person(odd).unwrap().person.id.unwrap();
    for id in [plain, hostile, odd] {
        o.store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-09-01"))).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("档案");
    let report =
        dossier::write_batch(&o.store, &[plain, hostile, odd], &out, &options(), |_| ControlFlow::Continue(()))
            .unwrap();
    let names: Vec<String> = report.written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into()).collect();
    assert_eq!(
        names,
        [
            format!("张_三-{plain:06}.pdf"),
            format!("张_三-{plain:06}-{hostile}.pdf"),
            format!("李_四_______-{odd:06}.pdf")
        ]
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3, "three files, none written over another");
    for path in &report.written {
        assert!(path.parent() == Some(out.as_path()), "{} stays in the folder", path.display());
    }
}
