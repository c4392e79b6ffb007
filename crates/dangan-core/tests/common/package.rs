//! A member package another office sealed, as a file: for the tests that receive one.

use std::path::{Path, PathBuf};

use dangan_core::domain::{EventKind, Person, ProcedureEvent};
use dangan_core::package::{Manifest, MemberPackage, PackageCode, seal};

use super::d;

/// Writes into `dir` a package from 中共某大学委员会 for `to`, carrying `name` (an applicant since
/// 2026-03-01) under letter `letter` with `history`; returns its path and its code as printed.
pub fn sealed_for(dir: &Path, to: &str, name: &str, letter: &str, history: &[&str]) -> (PathBuf, String) {
    let manifest = Manifest {
        from_committee: "中共某大学委员会".into(),
        destination: to.into(),
        letter_number: letter.into(),
        letter_issued_on: d("2026-11-01"),
        dues_paid_through: None,
        person: Person { name: name.into(), ..Person::default() },
        // As a package of a Dangan before UUIDs: the arrival is given one of its own.
        uid: None,
        steps: vec![ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-03-01"))],
        records: Vec::new(),
        history: history.iter().map(|h| (*h).to_owned()).collect(),
        made_by: "test".into(),
    };
    let code = PackageCode::generate().unwrap();
    let path = dir.join(format!("{name}.dangan-member"));
    std::fs::write(&path, seal(&MemberPackage { manifest, blobs: Vec::new() }, &code).unwrap()).unwrap();
    (path, code.grouped().to_string())
}
