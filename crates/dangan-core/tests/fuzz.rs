//! Hostile input, generated: rosters (CSV and XLSX), rule files and holiday calendars made of
//! random bytes or random mutations of good ones. Whatever comes in, the parsers answer with a
//! value or an error, never a panic. (`cargo test` runs a bounded number of cases; raise
//! PROPTEST_CASES for a longer hunt.)

use dangan_core::roster;
use dangan_core::rules::{RuleSet, RuleSetId};
use dangan_core::workdays::parse_calendar;
use proptest::prelude::*;

const GOOD_CSV: &str = "姓名,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期\n张三,2026001,第一党支部,2026-03-01,2026-03-20,2026-09-01\n";
const GOOD_RULES: &str = "[[deadline]]\nid = \"thought_report\"\nmonths = 2\nlead_days = [7, 1]\n";

/// Applies edits to bytes: `(where, byte, how)` replaces (0), cuts (1) or inserts (2) a byte.
fn apply_edits(bytes: &mut Vec<u8>, edits: &[(usize, u8, u8)]) {
    for &(at, byte, how) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let at = at % bytes.len();
        match how {
            0 => bytes[at] = byte,
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
    }
}

/// A good input with some bytes replaced, some cut and some inserted.
fn mutated(good: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    (proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 0..12)).prop_map(move |edits| {
        let mut bytes = good.to_vec();
        apply_edits(&mut bytes, &edits);
        bytes
    })
}

fn read_roster(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let _ = roster::read(&path); // a value or an error; a panic fails the test
}

/// 64 cases in a normal run; PROPTEST_CASES for a longer hunt.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
}

/// A roster with people in it, as Dangan writes one: its XML parts are what the fuzzer below damages.
fn good_roster_xlsx() -> &'static [u8] {
    static XLSX: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    XLSX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.xlsx");
        let records = dangan_core::demo::records(5, "2026-11-24".parse().unwrap(), 7);
        roster::write_records_xlsx(&dir.path().join("workspace"), &path, &records).unwrap();
        std::fs::read(path).unwrap()
    })
}

/// The same .xlsx with one of its XML parts (the sheet, the shared strings, the styles, …)
/// damaged by `edits`, zipped again whole: so the damage reaches the XML parser, not only the zip
/// reader.
fn with_damaged_part(xlsx: &[u8], part: usize, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let xml: Vec<usize> =
        (0..archive.len()).filter(|&i| archive.by_index(i).unwrap().name().unwrap().ends_with(".xml")).collect();
    let target = xml[part % xml.len()];
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if i == target {
            apply_edits(&mut bytes, edits);
        }
        out.start_file(name, stored).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn good_xlsx() -> &'static [u8] {
    static XLSX: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    XLSX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        roster::write_template(&dir.path().join("workspace"), &path).unwrap();
        std::fs::read(path).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn a_csv_roster_of_any_bytes_is_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        read_roster("r.csv", &bytes);
    }

    #[test]
    fn a_damaged_csv_roster_is_read_or_refused(bytes in mutated(GOOD_CSV.as_bytes())) {
        read_roster("r.csv", &bytes);
    }

    #[test]
    fn a_damaged_xlsx_roster_is_read_or_refused(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut bytes = good_xlsx().to_vec();
        for (at, byte) in edits {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        read_roster("r.xlsx", &bytes);
    }

    #[test]
    fn an_xlsx_roster_with_damaged_xml_is_read_or_refused(
        part in any::<usize>(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..12),
    ) {
        read_roster("r.xlsx", &with_damaged_part(good_roster_xlsx(), part, &edits));
    }

    #[test]
    fn a_rule_file_of_any_text_is_loaded_or_refused(text in ".{0,300}") {
        let _ = RuleSet::builtin(RuleSetId::Cpc2026).with_overrides(&text);
    }

    #[test]
    fn a_damaged_rule_file_is_loaded_or_refused(bytes in mutated(GOOD_RULES.as_bytes())) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = RuleSet::builtin(RuleSetId::Cpc2026).with_overrides(&text);
    }

    #[test]
    fn a_holiday_calendar_of_any_text_is_read_or_refused(
        lines in proptest::collection::vec("(20[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[^\n]{0,12})([,，\t](假日|工作日|班|[^\n]{0,6})){0,2}", 0..6)
    ) {
        let _ = parse_calendar(&lines.join("\n"));
    }
}

/// The fuzzer's zipping is sound: with no damage the roster reads back whole, so what the fuzzer
/// finds is the XML's damage, not its own.
#[test]
fn an_xlsx_zipped_again_without_damage_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    std::fs::write(&path, with_damaged_part(good_roster_xlsx(), 0, &[])).unwrap();
    let read = roster::read(&path).unwrap();
    assert_eq!(read.records.len(), 5, "{:?}", read.problems);
    assert!(read.problems.is_empty(), "{:?}", read.problems);
}
