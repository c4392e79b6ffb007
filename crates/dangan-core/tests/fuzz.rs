//! Hostile input, generated: rosters (CSV and XLSX), rule files and holiday calendars made of
//! random bytes or random mutations of good ones. Whatever comes in, the parsers answer with a
//! value or an error, never a panic. (`cargo test` runs a bounded number of cases; raise
//! PROPTEST_CASES for a longer hunt.)

#![allow(clippy::unwrap_used)]

use dangan_core::roster;
use dangan_core::rules::{RuleSet, RuleSetId};
use dangan_core::workdays::parse_calendar;
use proptest::prelude::*;

const GOOD_CSV: &str = "姓名,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期\n张三,2026001,第一党支部,2026-03-01,2026-03-20,2026-09-01\n";
const GOOD_RULES: &str = "[[deadline]]\nid = \"thought_report\"\nmonths = 2\nlead_days = [7, 1]\n";

/// A good input with some bytes replaced, some cut and some inserted.
fn mutated(good: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    (proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 0..12)).prop_map(move |edits| {
        let mut bytes = good.to_vec();
        for (at, byte, how) in edits {
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
