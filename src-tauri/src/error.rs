//! Errors as they cross the bridge: dangan-core's [`BridgeError`] (`{ kind, message, details }`),
//! plus the few that only the shell can meet (the app is locked; a worker thread died).

use dangan_core::{BridgeError, Error, ErrorKind, Lang, Text};

/// What every command returns.
pub type Reply<T> = Result<T, BridgeError>;

/// A core error in the shell's language.
pub fn from_core(err: &Error, lang: Lang) -> BridgeError {
    err.to_bridge(lang)
}

/// The app is locked: the store (and with it the key) was dropped, or never opened.
pub fn locked(lang: Lang) -> BridgeError {
    shell_error(
        ErrorKind::Locked,
        Text::new("档案库已锁定，请先解锁", "the records are locked; unlock them first"),
        lang,
    )
}

/// The blocking thread a command ran on panicked or was cancelled: a defect, not a user mistake.
pub fn worker_failed(reason: &str, lang: Lang) -> BridgeError {
    shell_error(
        ErrorKind::Internal,
        Text::new(format!("后台任务异常中止：{reason}"), format!("a background task failed: {reason}")),
        lang,
    )
}

/// No folder for the workspace: `DANGAN_WORKSPACE` is unset and the OS names no data folder.
pub fn no_workspace_dir(lang: Lang) -> BridgeError {
    shell_error(
        ErrorKind::Io,
        Text::new(
            "找不到存放档案库的系统文件夹；请用环境变量 DANGAN_WORKSPACE 指定",
            "the system names no data folder for the records; set DANGAN_WORKSPACE to choose one",
        ),
        lang,
    )
}

fn shell_error(kind: ErrorKind, text: Text, lang: Lang) -> BridgeError {
    BridgeError { kind, message: text.get(lang).to_owned(), details: None }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use dangan_core::roster::{ImportReport, RowProblem};
    use serde_json::json;

    use super::*;

    /// The UI (`ui/src/lib/api/errors.ts`) reads exactly these three fields and branches on `kind`;
    /// a change to this JSON is a change to the bridge, to be made on both sides at once.
    #[test]
    fn a_locked_app_answers_kind_locked_with_no_details() {
        let json = serde_json::to_value(locked(Lang::Zh)).unwrap();
        assert_eq!(json, json!({ "kind": "locked", "message": "档案库已锁定，请先解锁", "details": null }));
    }

    /// The UI shows its own words for `wrong_passphrase`; the message follows the shell's language.
    #[test]
    fn a_wrong_passphrase_crosses_the_bridge_in_the_shells_language() {
        let json = serde_json::to_value(from_core(&Error::WrongPassphrase, Lang::En)).unwrap();
        assert_eq!(json, json!({ "kind": "wrong_passphrase", "message": "wrong passphrase", "details": null }));
    }

    /// A refused roster carries its whole report, so the import dialog can name every bad row.
    #[test]
    fn a_refused_roster_carries_the_report_naming_its_rows() {
        let report = ImportReport {
            rows: 2,
            problems: vec![RowProblem {
                row: 3,
                column: "申请入党日期".into(),
                reason_zh: "无法识别的日期「2025-02-30」".into(),
                reason_en: "unrecognised date \"2025-02-30\"".into(),
            }],
            ..ImportReport::default()
        };
        let json =
            serde_json::to_value(from_core(&Error::ImportRejected { report: Box::new(report) }, Lang::Zh)).unwrap();
        assert_eq!(
            json,
            json!({
                "kind": "import_rejected",
                "message": "名册有 1 行错误，未导入任何数据",
                "details": {
                    "rows": 2, "created": 0, "updated": 0, "updated_rows": [], "branches_created": [],
                    "ignored_columns": [],
                    "problems": [{
                        "row": 3, "column": "申请入党日期",
                        "reason_zh": "无法识别的日期「2025-02-30」", "reason_en": "unrecognised date \"2025-02-30\"",
                    }],
                    "likely_duplicates": [], "late": [], "skipped_rows": [],
                    "committed": false,
                },
            })
        );
    }

    /// A missing roster file is an `io` error naming the path, which the UI shows as a detail line.
    #[test]
    fn an_unreadable_file_names_its_path() {
        let err = Error::Io { path: PathBuf::from("/tmp/名册.xlsx"), source: std::io::ErrorKind::NotFound.into() };
        let json = serde_json::to_value(from_core(&err, Lang::Zh)).unwrap();
        assert_eq!(json["kind"], "io");
        assert_eq!(json["details"], json!({ "path": "/tmp/名册.xlsx" }));
    }
}
