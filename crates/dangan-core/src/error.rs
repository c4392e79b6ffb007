//! The one error type of the core. Each variant means something to the caller; the shells show
//! [`Error::message`] in the user's language and branch on [`Error::kind`].

use std::path::PathBuf;

use serde::Serialize;

use crate::roster::ImportReport;
use crate::validate::Violation;
use crate::{Lang, Text};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The passphrase opens no key slot. Checked before the database is touched.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// A user was named and the passphrase opens none of that name's slots; which of the two is
    /// wrong is not said (it would tell a stranger who the users are). Kind `wrong_passphrase`.
    #[error("wrong user name or passphrase")]
    WrongUserOrPassphrase,
    /// The recovery code opens no recovery slot. Kind `wrong_passphrase`: counted the same.
    #[error("wrong recovery key")]
    WrongRecoveryCode,
    /// Too many wrong passphrases in a row: the next attempt must wait (see `attempts`).
    #[error("too many wrong passphrases; try again in {wait_secs} s")]
    TooManyAttempts { wait_secs: u64 },
    #[error("no workspace at {}", path.display())]
    WorkspaceMissing { path: PathBuf },
    #[error("a workspace already exists at {}", path.display())]
    WorkspaceExists { path: PathBuf },
    /// One input value is unacceptable (a field of a form, an option of a command).
    #[error("{field}: {}", reason.en)]
    InvalidInput { field: String, reason: Text },
    /// The change breaks rules of the procedure; nothing was saved.
    #[error("{}", violations.iter().map(|v| v.message_en.as_str()).collect::<Vec<_>>().join("; "))]
    Violations { violations: Vec<Violation> },
    #[error("{} not found", what.en)]
    NotFound { what: Text },
    /// The user's role does not allow this (or the member is outside their branches).
    #[error("not allowed: {}", what.en)]
    Forbidden { what: Text },
    /// A roster had bad rows; nothing was imported. The report names every one.
    #[error("the roster was refused: {} bad row(s), nothing imported", report.problem_rows())]
    ImportRejected { report: Box<ImportReport> },
    /// The roster would add people who look already registered; nothing was imported. Asked
    /// again with [`crate::roster::Duplicates::Add`] or `Skip`, it goes ahead.
    #[error("the roster has {} likely duplicate(s); nothing imported", report.likely_duplicates.len())]
    LikelyDuplicates { report: Box<ImportReport> },
    /// The roster file cannot be read at all (not a spreadsheet, wrong encoding, no header).
    #[error("{}", reason.en)]
    RosterUnreadable { reason: Text },
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// Another writer (an import in the app, a `dangan` run) held the workspace for longer than
    /// the wait allows; nothing was changed.
    #[error("{}", reason.en)]
    Busy { reason: Text },
    #[error("{}", reason.en)]
    RuleFile { reason: Text },
    /// No desktop notification service answered (no session bus, no notification daemon).
    #[error("{}", reason.en)]
    NotificationsUnavailable { reason: Text },
    /// A workspace file is damaged or does not belong with the others.
    #[error("{} is damaged: {}", path.display(), reason.en)]
    Corrupt { path: PathBuf, reason: Text },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The count of wrong passphrases (`attempts`) cannot be written, so no attempt is made (it
    /// fails closed). Kind `io`: the cause is the file, which the message names.
    #[error("cannot record passphrase attempts in {}: {source}", path.display())]
    AttemptsUnrecorded { path: PathBuf, source: std::io::Error },
    /// The operating system's random source or a cipher failed; a defect of the machine.
    #[error("cryptography failed: {0}")]
    Crypto(&'static str),
    /// Someone else changed the record since it was read (on a shared server); nothing was saved,
    /// so their change is not overwritten. Read it again and redo the change.
    #[error(
        "{} was changed by {} since it was read (version {seen}, now {now})",
        what.en,
        if by.is_empty() { "someone else" } else { by.as_str() }
    )]
    ChangedMeanwhile { what: Text, by: String, seen: i64, now: i64 },
    /// The shared server cannot be reached (or the TLS handshake with it failed); nothing was
    /// changed there.
    #[error("cannot reach the server {server}: {cause}")]
    ServerUnreachable { server: String, cause: String },
    /// The connection to the shared server was lost at the very commit: the change may or may not
    /// have been saved. Kind `unreachable`.
    #[error(
        "the connection to the server {server} was lost while saving ({cause}); the change may or may not have been saved"
    )]
    ServerLostAtCommit { server: String, cause: String },
    /// The shared server refused or failed a statement for a reason with no meaning of its own to
    /// the person (its message is given). Kind `internal`.
    #[error("the server {server} says: {reason}")]
    Server { server: String, reason: String },
    /// A defect, not a user mistake: the store answered something unexpected.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
}

impl Error {
    /// The stable, machine-readable kind of the error, used by the UI to choose its message.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::WrongPassphrase | Error::WrongUserOrPassphrase | Error::WrongRecoveryCode => {
                ErrorKind::WrongPassphrase
            }
            Error::TooManyAttempts { .. } => ErrorKind::TooManyAttempts,
            Error::WorkspaceMissing { .. } => ErrorKind::WorkspaceMissing,
            Error::WorkspaceExists { .. } => ErrorKind::WorkspaceExists,
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Violations { .. } => ErrorKind::Violations,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Forbidden { .. } => ErrorKind::Forbidden,
            Error::ImportRejected { .. } => ErrorKind::ImportRejected,
            Error::LikelyDuplicates { .. } => ErrorKind::LikelyDuplicates,
            Error::RosterUnreadable { .. } => ErrorKind::RosterUnreadable,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Busy { .. } => ErrorKind::Busy,
            Error::RuleFile { .. } => ErrorKind::RuleFile,
            Error::NotificationsUnavailable { .. } => ErrorKind::NotificationsUnavailable,
            Error::Corrupt { .. } => ErrorKind::Corrupt,
            Error::Io { .. } | Error::AttemptsUnrecorded { .. } => ErrorKind::Io,
            // A full disk is the machine's state, not a defect: said as such, kind `io`.
            Error::Database(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => ErrorKind::Io,
            Error::Database(e) => match database_condition(e) {
                Some(DatabaseCondition::Busy) => ErrorKind::Busy,
                Some(DatabaseCondition::ReadOnly) => ErrorKind::ReadOnly,
                Some(DatabaseCondition::Damaged) => ErrorKind::Corrupt,
                None => ErrorKind::Internal,
            },
            Error::ServerUnreachable { .. } | Error::ServerLostAtCommit { .. } => ErrorKind::Unreachable,
            Error::ChangedMeanwhile { .. } => ErrorKind::Conflict,
            Error::Crypto(_) | Error::Server { .. } => ErrorKind::Internal,
        }
    }

    /// The error as it crosses the desktop bridge.
    pub fn to_bridge(&self, lang: Lang) -> BridgeError {
        BridgeError { kind: self.kind(), message: self.message(lang), details: self.details() }
    }

    /// A one-line message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        self.text().get(lang).to_owned()
    }

    /// The one-line message in both languages.
    pub fn text(&self) -> Text {
        match self {
            Error::WrongPassphrase => Text::new("口令错误", "wrong passphrase"),
            Error::WrongUserOrPassphrase => Text::new("用户名或口令错误", "wrong user name or passphrase"),
            Error::WrongRecoveryCode => Text::new("恢复密钥不正确", "wrong recovery key"),
            Error::TooManyAttempts { wait_secs } => Text::new(
                format!("口令连续输错多次，请 {wait_secs} 秒后再试"),
                format!("too many wrong passphrases in a row; try again in {wait_secs} s"),
            ),
            Error::WorkspaceMissing { path } => Text::new(
                format!("{} 处没有工作区，请先运行 dangan init", path.display()),
                format!("no workspace at {}; run `dangan init` first", path.display()),
            ),
            Error::WorkspaceExists { path } => Text::new(
                format!("{} 处已有工作区，不会覆盖", path.display()),
                format!("a workspace already exists at {}; it will not be overwritten", path.display()),
            ),
            Error::InvalidInput { reason, .. }
            | Error::RosterUnreadable { reason }
            | Error::RuleFile { reason }
            | Error::Busy { reason }
            | Error::NotificationsUnavailable { reason } => reason.clone(),
            Error::Violations { violations } => Text::new(
                violations.iter().map(|v| v.message_zh.as_str()).collect::<Vec<_>>().join("；"),
                violations.iter().map(|v| v.message_en.as_str()).collect::<Vec<_>>().join("; "),
            ),
            Error::NotFound { what } => Text::new(format!("找不到{}", what.zh), format!("{} not found", what.en)),
            Error::Forbidden { what } => {
                Text::new(format!("当前用户无权{}", what.zh), format!("your role may not {}", what.en))
            }
            Error::ImportRejected { report } => Text::new(
                format!("名册有 {} 行错误，未导入任何数据", report.problem_rows()),
                format!("the roster has {} bad row(s); nothing was imported", report.problem_rows()),
            ),
            Error::LikelyDuplicates { report } => Text::new(
                format!(
                    "名册中有 {} 人疑似已登记（姓名与出生日期相同，或姓名、支部与申请日期相同），未导入任何数据；确认后可选择仍然添加或跳过这些行",
                    report.likely_duplicates.len()
                ),
                format!(
                    "{} people in the roster look already registered (same name and birth date, or same name, branch and application date); nothing was imported: choose to add them anyway or to skip those rows",
                    report.likely_duplicates.len()
                ),
            ),
            Error::Cancelled => Text::new("已取消，未做任何更改", "cancelled; nothing was changed"),
            Error::Corrupt { path, reason } => Text::new(
                format!("{} 已损坏：{}。请从备份恢复", path.display(), reason.zh),
                format!("{} is damaged: {}. Restore it from a backup", path.display(), reason.en),
            ),
            Error::AttemptsUnrecorded { path, source } => Text::new(
                format!(
                    "无法记录口令尝试次数（{}：{source}），为安全起见不尝试解锁；请检查该文件夹的写权限",
                    path.display()
                ),
                format!(
                    "cannot record the count of passphrase attempts ({}: {source}), so no attempt is made; check that the folder can be written",
                    path.display()
                ),
            ),
            Error::Io { path, source } => Text::new(
                format!("无法读写 {}：{source}", path.display()),
                format!("cannot read or write {}: {source}", path.display()),
            ),
            Error::Crypto(e) => Text::new(format!("加密组件出错：{e}"), format!("cryptography failed: {e}")),
            Error::ChangedMeanwhile { what, by, .. } => {
                // A row last written by the server itself (as its own role) names nobody.
                let (by_zh, by_en) =
                    if by.is_empty() { ("他人", "someone else") } else { (by.as_str(), by.as_str()) };
                Text::new(
                    format!("{}在您读取之后已被{by_zh}修改，这次没有保存，以免覆盖其修改；请重新读取后再改", what.zh),
                    format!(
                        "{} was changed by {by_en} after you read it; nothing was saved, so their change is not overwritten: read it again and redo yours",
                        what.en
                    ),
                )
            }
            Error::ServerUnreachable { server, cause } => Text::new(
                format!("无法连接服务器 {server}（{cause}），这次没有做任何更改；请检查网络或联系组织部的管理员"),
                format!(
                    "cannot reach the server {server} ({cause}); nothing was changed: check the network or ask the department's administrator"
                ),
            ),
            Error::ServerLostAtCommit { server, cause } => Text::new(
                format!(
                    "保存时与服务器 {server} 的连接中断（{cause}），这次更改可能已保存也可能没有；请重新读取、核对后再决定是否重做"
                ),
                format!(
                    "the connection to the server {server} was lost while saving ({cause}): the change may or may not have been saved; read it again and check before redoing it"
                ),
            ),
            Error::Server { server, reason } => Text::new(
                format!("服务器 {server} 未能完成这次操作（{reason}），没有做任何更改"),
                format!("the server {server} could not do this ({reason}); nothing was changed"),
            ),
            Error::Database(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => Text::new(
                "磁盘空间已满，这次更改没有保存，之前的数据完好；请腾出空间后重试",
                "the disk is full: this change was not saved and nothing earlier was lost; free some space and try again",
            ),
            Error::Database(e) => match database_condition(e) {
                Some(DatabaseCondition::Busy) => busy_text(),
                Some(DatabaseCondition::ReadOnly) => read_only_text(),
                Some(DatabaseCondition::Damaged) => Text::new(
                    format!("数据库文件已损坏（{e}），这次操作未完成。请运行「核对」查看损坏之处，并从备份恢复"),
                    format!(
                        "the database file is damaged ({e}); nothing was done. Run verify to see where, and restore from a backup"
                    ),
                ),
                None => Text::new(format!("数据库内部错误：{e}"), format!("internal database error: {e}")),
            },
        }
    }

    /// Structured details for the UI (the violations, the import report, the field at fault).
    pub fn details(&self) -> Option<ErrorDetails> {
        Some(match self {
            Error::InvalidInput { field, reason } => {
                ErrorDetails::Field { field: field.clone(), reason_zh: reason.zh.clone(), reason_en: reason.en.clone() }
            }
            Error::Violations { violations } => ErrorDetails::Violations(violations.clone()),
            Error::ImportRejected { report } | Error::LikelyDuplicates { report } => {
                ErrorDetails::Report(report.clone())
            }
            Error::WorkspaceMissing { path }
            | Error::WorkspaceExists { path }
            | Error::Corrupt { path, .. }
            | Error::Io { path, .. }
            | Error::AttemptsUnrecorded { path, .. } => ErrorDetails::Path { path: path.display().to_string() },
            Error::TooManyAttempts { wait_secs } => ErrorDetails::Wait { wait_secs: *wait_secs },
            _ => return None,
        })
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    /// One input value is unacceptable: the field and why, in both languages.
    pub fn invalid(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::InvalidInput { field: field.into(), reason: Text::new(zh, en) }
    }
}

/// What a database error means to the person, when it means more than a defect.
enum DatabaseCondition {
    /// Another connection holds the write lock past the wait.
    Busy,
    /// The files or their medium cannot be written.
    ReadOnly,
    /// A page is damaged (or the file is not a database at all).
    Damaged,
}

fn database_condition(e: &rusqlite::Error) -> Option<DatabaseCondition> {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code()? {
        DatabaseBusy | DatabaseLocked => Some(DatabaseCondition::Busy),
        ReadOnly => Some(DatabaseCondition::ReadOnly),
        DatabaseCorrupt | NotADatabase => Some(DatabaseCondition::Damaged),
        _ => None,
    }
}

/// Another writer holds the workspace: said once, for the whole operation.
pub(crate) fn busy_text() -> Text {
    Text::new(
        "另一个导入或修改正在进行（可能在另一个窗口或命令中），这次没有做任何更改；请等它完成后再试",
        "another import or change is running (in another window or command); nothing was changed: try again when it has finished",
    )
}

/// The workspace cannot be written: reading works, changing does not.
pub(crate) fn read_only_text() -> Text {
    Text::new(
        "工作区是只读的（例如在只读介质上或没有写权限），只能查看、核对和打印，不能修改；这次没有做任何更改",
        "the workspace is read-only (read-only media, or no permission to write): it can be read, verified and printed, not changed; nothing was changed",
    )
}

/// What kind of error it is: a closed list the UI maps to its own messages.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    WrongPassphrase,
    TooManyAttempts,
    WorkspaceMissing,
    WorkspaceExists,
    /// The desktop app is locked (its key dropped); unlock first.
    Locked,
    InvalidInput,
    Violations,
    NotFound,
    /// The signed-in user's role does not allow it.
    Forbidden,
    ImportRejected,
    LikelyDuplicates,
    /// Another writer holds the workspace past the wait; nothing was changed.
    Busy,
    /// The workspace cannot be written (read-only media); reading works.
    ReadOnly,
    RosterUnreadable,
    Cancelled,
    RuleFile,
    NotificationsUnavailable,
    /// The shared server cannot be reached; what needs no server still works.
    Unreachable,
    /// Someone else changed the record since it was read; nothing was saved.
    Conflict,
    Corrupt,
    Io,
    Internal,
}

/// `{ kind, message, details }`: the shape an error takes across the desktop bridge. `details`
/// holds the violations, the import report or the field at fault.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BridgeError {
    pub kind: ErrorKind,
    pub message: String,
    pub details: Option<ErrorDetails>,
}

/// What an error says beyond its message, by kind: the field at fault (`invalid_input`), the
/// rules broken (`violations`), the import's report (`import_rejected`, `likely_duplicates`), the
/// file concerned (`workspace_missing`, `workspace_exists`, `corrupt`, `io`), the wait
/// (`too_many_attempts`). Untagged: the kind beside it says which.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ErrorDetails {
    Field {
        field: String,
        reason_zh: String,
        reason_en: String,
    },
    Violations(Vec<Violation>),
    Report(Box<ImportReport>),
    Path {
        path: String,
    },
    Wait {
        #[cfg_attr(feature = "typescript", ts(type = "number"))]
        wait_secs: u64,
    },
}

/// Serialises as a [`BridgeError`] with the message in Chinese, the default language; the UI
/// translates by `kind` where it can.
impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_bridge(Lang::Zh).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_refused_as_stale_names_who_made_the_newer_one_or_says_someone_else() {
        let changed = |by: &str| Error::ChangedMeanwhile {
            what: Text::new("会议", "the meeting"),
            by: by.into(),
            seen: 1,
            now: 2,
        };
        assert!(changed("孙书记").message(Lang::Zh).contains("已被孙书记修改"));
        assert!(changed("孙书记").message(Lang::En).contains("changed by 孙书记 after"));
        assert!(changed("").message(Lang::Zh).contains("已被他人修改"));
        assert!(changed("").message(Lang::En).contains("changed by someone else after"));
        // And so does the plain text a log or a panic message would show.
        assert!(changed("").to_string().contains("changed by someone else since"), "{}", changed(""));
        assert!(changed("孙书记").to_string().contains("changed by 孙书记 since"));
    }

    #[test]
    fn a_wrong_passphrase_serialises_to_a_stable_shape() {
        // The UI matches on `kind`; changing this JSON breaks the desktop app.
        let json = serde_json::to_value(Error::WrongPassphrase).unwrap();
        assert_eq!(json, serde_json::json!({ "kind": "wrong_passphrase", "message": "口令错误", "details": null }));
    }

    #[test]
    fn invalid_input_names_its_field_in_both_languages() {
        let err = Error::invalid("name", "姓名不能为空", "the name is empty");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "invalid_input",
                "message": "姓名不能为空",
                "details": { "field": "name", "reason_zh": "姓名不能为空", "reason_en": "the name is empty" }
            })
        );
        assert_eq!(err.message(Lang::En), "the name is empty");
    }
}
