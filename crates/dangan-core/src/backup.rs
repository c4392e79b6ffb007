//! Backups: a whole workspace in one file, and its restoration into a new folder.
//!
//! A backup holds the key file and a consistent snapshot of the database, taken while the app may
//! be writing (`sqlcipher_export` inside one read transaction). Nothing in it is plain: the
//! database pages are encrypted with the database key, and the key is there only wrapped by the
//! passphrases of the key slots, exactly as in the workspace. So a backup on a USB stick is as safe
//! as the workspace itself, and opens with the same passphrase.
//!
//! Format: the line `DANGAN-BACKUP 1`, one line of JSON (`{"key_bytes":…,"db_bytes":…,…}`), then
//! the key file's bytes, then the database's. A restore checks the whole file, unlocks it with the
//! passphrase, opens and verifies the database in a scratch folder, and only then moves it into
//! place: a damaged backup or a wrong passphrase changes nothing.

use std::fs;
use std::io::{BufRead, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::workspace::{DB_FILE, KEY_FILE, Workspace};
use crate::{Error, Result, Store, Text};

const MAGIC: &str = "DANGAN-BACKUP 1\n";

/// The longest header line a restore reads (a real one is about 300 bytes).
const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// The largest key file a restore accepts (a real one is about 1 KB: a few wrapped keys).
const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    key_bytes: u64,
    db_bytes: u64,
    /// When the snapshot was taken (UTC, RFC 3339), for people choosing among backups.
    created: String,
    /// The Dangan version that wrote it.
    made_by: String,
    /// The newest audit entry when the snapshot was taken (or just before): a restore refuses a
    /// backup whose log ends before it, which the hash chain alone cannot notice. Absent in
    /// backups written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit_head: Option<AuditHead>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct AuditHead {
    seq: i64,
    hash: String,
}

fn damaged(path: &Path, zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::Corrupt { path: path.to_owned(), reason: Text::new(zh, en) }
}

/// Writes a backup of the workspace `store` belongs to (its key file beside it) to `to`.
/// Returns the backup's size in bytes. An existing file at `to` is replaced only once the new
/// backup is complete.
pub fn write_backup(store: &Store, workspace: &Workspace, to: &Path) -> Result<u64> {
    write_backup_with_progress(store, workspace, to, |_| ControlFlow::Continue(()))
}

/// [`write_backup`], telling `progress` how far the snapshot is; `ControlFlow::Break` stops it
/// (`Cancelled`), and then no file is written at `to`.
pub fn write_backup_with_progress(
    store: &Store,
    workspace: &Workspace,
    to: &Path,
    progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()> + Send + 'static,
) -> Result<u64> {
    store.require(crate::access::Action::Backup)?;
    write_backup_unchecked(store, workspace, to, progress)
}

/// The backup itself. The daily backup an administrator set up runs whoever is signed in (a
/// branch secretary's session included), so it comes here past the role check.
fn write_backup_unchecked(
    store: &Store,
    workspace: &Workspace,
    to: &Path,
    progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()> + Send + 'static,
) -> Result<u64> {
    // A backup aimed at dangan.db or dangan.key would destroy what it copies.
    crate::output::ensure_outside(workspace.dir(), to)?;
    // Held until the database is copied: the key file and the database then agree (the register
    // key is replaced under this lock, entries and key file together).
    let key_lock = workspace.lock_key_file_to_read()?;
    let key_file = fs::read(workspace.key_path()).map_err(Error::io(workspace.key_path()))?;
    // Read before the snapshot, so the snapshot holds it (later entries only follow on from it).
    let audit_head = store.audit_head()?.map(|(seq, hash)| AuditHead { seq, hash });
    let scratch = tempfile::Builder::new()
        .prefix(".dangan-backup-")
        .tempdir_in(to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
        .map_err(Error::io(to))?;
    let snapshot = scratch.path().join(DB_FILE);
    store.snapshot_to(&snapshot, progress)?;
    drop(key_lock);
    // Copied from the file, never held whole: a large workspace's database is hundreds of MB.
    let mut db = fs::File::open(&snapshot).map_err(Error::io(&snapshot))?;
    let db_bytes = db.metadata().map_err(Error::io(&snapshot))?.len();
    let header = Header {
        key_bytes: key_file.len() as u64,
        db_bytes,
        created: chrono::Utc::now().to_rfc3339(),
        made_by: env!("CARGO_PKG_VERSION").to_owned(),
        audit_head,
    };
    let partial = scratch.path().join("backup.partial");
    {
        // Owner-only, as the workspace's own files: what it holds is encrypted, but another user
        // of the computer could copy it and try passphrases against its key slots at leisure.
        let mut out = private_file(&partial)?;
        let header =
            serde_json::to_string(&header).map_err(|e| Error::Io { path: partial.clone(), source: e.into() })?;
        for part in [MAGIC.as_bytes(), header.as_bytes(), b"\n", &key_file] {
            out.write_all(part).map_err(Error::io(&partial))?;
        }
        let copied = std::io::copy(&mut db, &mut out).map_err(Error::io(&partial))?;
        if copied != db_bytes {
            return Err(damaged(
                &snapshot,
                "数据库快照在复制中改变了大小",
                "the database snapshot changed size while it was copied",
            ));
        }
        out.sync_all().map_err(Error::io(&partial))?;
    }
    fs::rename(&partial, to).map_err(Error::io(to))?;
    Ok(MAGIC.len() as u64 + header.key_bytes + header.db_bytes)
}

/// A new file at `path` that only its owner may read and write (where the platform has such
/// permissions), from its creation on.
fn private_file(path: &Path) -> Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(Error::io(path))
}

/// Restores a backup into `into`, a folder that must not hold a workspace, after checking that the
/// file is whole, that `passphrase` opens it and that the database verifies. Returns the store,
/// open. Only a user whose role may make backups (an administrator or organiser) may restore one:
/// the passphrase must open such a user's slot.
pub fn restore_backup(from: &Path, into: &Workspace, passphrase: &str) -> Result<Store> {
    restore_backup_as(from, into, None, passphrase)
}

/// [`restore_backup`] signing in as `user` (whoever the passphrase opens when `None`).
pub fn restore_backup_as(from: &Path, into: &Workspace, user: Option<&str>, passphrase: &str) -> Result<Store> {
    restore_backup_with_progress(from, into, user, passphrase, |_| ControlFlow::Continue(()))
}

/// The steps of a restore, as its progress counts them: the file read, copied into a scratch
/// folder, unlocked, verified, moved into place.
const RESTORE_STEPS: u64 = 5;

/// [`restore_backup_as`], telling `progress` each step as it begins; `ControlFlow::Break` stops it
/// ([`Error::Cancelled`]) before the next step, and nothing is left behind: the scratch folder
/// goes, and the workspace folder is made only by the last step.
pub fn restore_backup_with_progress(
    from: &Path,
    into: &Workspace,
    user: Option<&str>,
    passphrase: &str,
    mut progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()>,
) -> Result<Store> {
    let mut step = |done: u64| match progress(crate::jobs::Progress::new(done, RESTORE_STEPS, crate::jobs::Unit::Steps))
    {
        ControlFlow::Break(()) => Err(Error::Cancelled),
        ControlFlow::Continue(()) => Ok(()),
    };
    if into.exists() {
        return Err(Error::WorkspaceExists { path: into.dir().to_owned() });
    }
    step(0)?;
    // Read as a stream, never whole: a large workspace's database is hundreds of MB.
    let file = fs::File::open(from).map_err(Error::io(from))?;
    let file_bytes = file.metadata().map_err(Error::io(from))?.len();
    let mut reader = std::io::BufReader::new(file);
    let not_a_backup = || damaged(from, "这不是 Dangan 的备份文件", "this is not a Dangan backup");
    let mut magic = [0u8; MAGIC.len()];
    reader.read_exact(&mut magic).map_err(|_| not_a_backup())?;
    if magic != MAGIC.as_bytes() {
        return Err(not_a_backup());
    }
    // The header is one short line of JSON; a file without one soon is not a backup.
    let mut line = Vec::new();
    (&mut reader).take(MAX_HEADER_BYTES).read_until(b'\n', &mut line).map_err(Error::io(from))?;
    if line.pop() != Some(b'\n') {
        return Err(not_a_backup());
    }
    let header: Header = serde_json::from_slice(&line).map_err(|_| not_a_backup())?;
    let body = file_bytes.saturating_sub((MAGIC.len() + line.len() + 1) as u64);
    let expected = header.key_bytes.checked_add(header.db_bytes).ok_or_else(not_a_backup)?;
    if body != expected {
        return Err(damaged(
            from,
            format!("备份文件不完整：应有 {expected} 字节数据，实有 {body} 字节（可能复制中断）"),
            format!("the backup is incomplete: {expected} bytes of data expected, {body} found (an interrupted copy?)"),
        ));
    }
    if header.key_bytes > MAX_KEY_FILE_BYTES {
        return Err(not_a_backup());
    }
    let mut key_file = vec![0u8; header.key_bytes as usize];
    reader.read_exact(&mut key_file).map_err(Error::io(from))?;

    // Everything happens in a scratch folder beside the target, moved into place at the end.
    step(1)?;
    let parent = into.dir().parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(Error::io(parent))?;
    let scratch = tempfile::Builder::new().prefix(".dangan-restore-").tempdir_in(parent).map_err(Error::io(parent))?;
    let staged = Workspace::at(scratch.path().join("ws"));
    // Owner-only, as a workspace made by `init` is: the folder, the key file and the database.
    crate::workspace::create_private_dir(staged.dir())?;
    let key_path = staged.key_path();
    private_file(&key_path)?.write_all(&key_file).map_err(Error::io(&key_path))?;
    let db_path = staged.db_path();
    let copied =
        std::io::copy(&mut reader.take(header.db_bytes), &mut private_file(&db_path)?).map_err(Error::io(&db_path))?;
    if copied != header.db_bytes {
        return Err(damaged(from, "备份文件在读取中改变了大小", "the backup changed size while it was read"));
    }
    {
        step(2)?;
        let mut store = staged.open_as(user, passphrase)?;
        // 备份与恢复 belong to administrators and organisers (see `access`): a branch secretary's
        // passphrase opens the backup but may not make a workspace of it.
        store.require(crate::access::Action::Restore)?;
        step(3)?;
        let mut report = store.verify_unchecked()?;
        if let Some(head) = &header.audit_head
            && store.audit_hash_at(head.seq)?.as_deref() != Some(head.hash.as_str())
        {
            report.problems.push(Text::new(
                format!("审计日志在备份时至少有 {} 条，现在缺了最新的部分（或已被改动）", head.seq),
                format!(
                    "the audit log had at least {} entries when backed up; its newest entries are now missing (or altered)",
                    head.seq
                ),
            ));
        }
        if !report.is_ok() {
            return Err(damaged(
                from,
                format!(
                    "备份中的数据库有误：{}",
                    report.problems.iter().map(|p| p.zh.as_str()).collect::<Vec<_>>().join("；")
                ),
                format!(
                    "the database in the backup is damaged: {}",
                    report.problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("; ")
                ),
            ));
        }
        // The copy is another workspace beside the original, which may well still be in use (a
        // file looked up, a restore tried out): its automatic backups into the original's folder,
        // under the original's tag, would replace the original's of the same day and prune its
        // older ones. They are off until set again for it. (Here, before anything is in place:
        // a failure leaves no workspace behind.)
        store.forget_backup_dir()?;
    }
    step(4)?;
    let staged_dir: PathBuf = staged.dir().to_owned();
    // Only the two files move: a WAL left by the check was folded in when the store closed.
    crate::workspace::create_private_dir(into.dir())?;
    for name in [DB_FILE, KEY_FILE] {
        fs::rename(staged_dir.join(name), into.dir().join(name)).map_err(Error::io(into.dir()))?;
    }
    let store = into.open_as(user, passphrase)?;
    // The last report says done; a cancel this late comes after the work and changes nothing.
    let _ = step(RESTORE_STEPS);
    Ok(store)
}

/// Automatic backups: into which folder (none: off), how many to keep, and the day of the last.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSettings {
    pub dir: Option<String>,
    pub keep: u32,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub last: Option<crate::calendar::Date>,
}

/// One backup written, as the app reports it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupWritten {
    pub path: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub bytes: u64,
}

/// The most automatic backups kept (two months of working days).
pub const MAX_KEEP: u32 = 60;
/// How automatic backups are named: `dangan-3f9a1c2e-2026-11-24.dangan-backup`, the workspace's
/// tag (`Store::backup_tag`) before the day, so that two workspaces given one folder (two PCs'
/// USB stick, one network share) neither replace nor prune each other's. Files named before the
/// tag (`dangan-2026-11-24.dangan-backup`) are left alone: whose they are cannot be told.
const DAILY_PREFIX: &str = "dangan-";
const EXTENSION: &str = ".dangan-backup";

/// Today's automatic backup, when automatic backups are on and today's is not made yet: written
/// into the chosen folder, then the oldest beyond the number to keep are removed (only files
/// named as Dangan names them). Returns the file written, if any.
pub fn daily_backup(store: &mut Store, workspace: &Workspace, today: crate::calendar::Date) -> Result<Option<PathBuf>> {
    let settings = store.backup_settings()?;
    let Some(dir) = settings.dir.as_deref().map(PathBuf::from) else { return Ok(None) };
    if settings.last == Some(today) {
        return Ok(None);
    }
    // Never created here: a USB stick that is not plugged in leaves only its empty mount point,
    // and a backup written there would not be where the office thinks it is.
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir,
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the backup folder is not there (is the USB stick in?)",
            ),
        });
    }
    let prefix = format!("{DAILY_PREFIX}{}-", store.backup_tag()?);
    let path = dir.join(format!("{prefix}{today}{EXTENSION}"));
    write_backup_unchecked(store, workspace, &path, |_| ControlFlow::Continue(()))?;
    store.set_backup_last(today)?;
    let mut daily: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(Error::io(&dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(prefix.as_str())
                    .and_then(|rest| rest.strip_suffix(EXTENSION))
                    .is_some_and(|date| crate::calendar::parse_iso(date).is_some())
            })
        })
        .collect();
    daily.sort(); // the names sort by date
    let excess = daily.len().saturating_sub(settings.keep as usize);
    for old in daily.into_iter().take(excess) {
        fs::remove_file(&old).map_err(Error::io(&old))?;
    }
    Ok(Some(path))
}

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Each problem, named; empty when the workspace is whole.
    pub problems: Vec<Text>,
    /// How many attachments were read back and checked.
    pub attachments_checked: u64,
    /// How many audit entries were followed along the hash chain.
    pub audit_entries_checked: u64,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventKind, OrgKind, Person, ProcedureEvent};
    use crate::keys::KdfParams;
    use crate::workspace::NewWorkspace;

    const CHEAP: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

    fn workspace_with_a_member(dir: &Path) -> (Workspace, Store) {
        let ws = Workspace::at(dir.join("ws"));
        let mut store =
            ws.create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("passphrase-1", "测试党委") }).unwrap();
        let committee = store.org_tree().unwrap().committee().unwrap().id;
        let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
        let person = Person { branch_id: branch, name: "张三".into(), ..Person::default() };
        let id = store.save_person(person).unwrap().person.id.unwrap();
        store
            .save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, "2026-03-01".parse().unwrap()))
            .unwrap();
        (ws, store)
    }

    #[test]
    fn a_backup_taken_while_open_restores_into_a_new_folder_with_everything() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, store) = workspace_with_a_member(dir.path());
        let backup = dir.path().join("2026-11-24.dangan-backup");
        write_backup(&store, &ws, &backup).unwrap();
        let bytes = fs::read(&backup).unwrap();
        assert!(!bytes.windows("张三".len()).any(|w| w == "张三".as_bytes()), "no name in the clear");
        assert!(!bytes.windows(15).any(|w| w == b"SQLite format 3"), "no plain database");

        let restored = Workspace::at(dir.path().join("restored"));
        let store = restore_backup(&backup, &restored, "passphrase-1").unwrap();
        let members = store.list_members(&crate::store::MemberQuery::all()).unwrap();
        assert_eq!(members.items.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["张三"]);
        assert!(store.verify().unwrap().is_ok());
    }

    /// A backup, and the workspace restored from it, are the owner's only, as a workspace made by
    /// `init` is: another user of the computer cannot copy them to try passphrases at leisure.
    #[cfg(unix)]
    #[test]
    fn a_backup_and_a_restored_workspace_are_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let (ws, store) = workspace_with_a_member(dir.path());
        let backup = dir.path().join("b.dangan-backup");
        write_backup(&store, &ws, &backup).unwrap();
        assert_eq!(mode(&backup), 0o600, "the backup");
        let restored = Workspace::at(dir.path().join("restored"));
        drop(restore_backup(&backup, &restored, "passphrase-1").unwrap());
        assert_eq!(mode(restored.dir()), 0o700, "the restored folder");
        assert_eq!(mode(&restored.key_path()), 0o600, "the restored key file");
        assert_eq!(mode(&restored.db_path()), 0o600, "the restored database");
        assert_eq!((mode(ws.dir()), mode(&ws.key_path()), mode(&ws.db_path())), (0o700, 0o600, 0o600), "as init made");
    }

    /// The header anchors the audit log's head: a backup whose log ends before it (entries cut off
    /// the end, which the chain alone cannot tell) is refused.
    #[test]
    fn a_backup_whose_audit_log_ends_before_its_header_says_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, store) = workspace_with_a_member(dir.path());
        let (head, _) = store.audit_head().unwrap().unwrap();
        let backup = dir.path().join("b.dangan-backup");
        write_backup(&store, &ws, &backup).unwrap();
        let bytes = fs::read(&backup).unwrap();
        let text_end = MAGIC.len() + bytes[MAGIC.len()..].iter().position(|&b| b == b'\n').unwrap();
        let header: serde_json::Value = serde_json::from_slice(&bytes[MAGIC.len()..text_end]).unwrap();
        assert_eq!(header["audit_head"]["seq"], head, "the header names the newest entry");

        // The same snapshot, its header claiming two entries more than the log holds: what a log
        // cut back by two entries after the backup looks like.
        let mut claimed = header.clone();
        claimed["audit_head"]["seq"] = serde_json::json!(head + 2);
        let mut cut = MAGIC.as_bytes().to_vec();
        cut.extend_from_slice(serde_json::to_string(&claimed).unwrap().as_bytes());
        cut.extend_from_slice(&bytes[text_end..]);
        let cut_path = dir.path().join("cut.dangan-backup");
        fs::write(&cut_path, cut).unwrap();
        let target = Workspace::at(dir.path().join("restored"));
        let err = restore_backup(&cut_path, &target, "passphrase-1").unwrap_err();
        assert!(err.message(crate::Lang::En).contains("newest entries are now missing"), "{err}");
        assert!(!target.exists(), "nothing was restored");
        // The untouched backup restores.
        restore_backup(&backup, &target, "passphrase-1").unwrap();
    }

    #[test]
    fn daily_backups_go_into_the_chosen_folder_once_a_day_keeping_the_last_few() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, mut store) = workspace_with_a_member(dir.path());
        let usb = dir.path().join("U盘");
        let d = |s: &str| s.parse::<crate::calendar::Date>().unwrap();
        assert_eq!(daily_backup(&mut store, &ws, d("2026-11-20")).unwrap(), None, "off until a folder is chosen");
        store.set_backup_settings(Some(&usb), 2).unwrap();
        let missing = daily_backup(&mut store, &ws, d("2026-11-20")).unwrap_err();
        assert!(
            matches!(missing, Error::Io { ref path, .. } if path.starts_with(&usb)),
            "a missing folder is not made up: {missing:?}"
        );
        let none_kept = store.set_backup_settings(Some(&usb), 0).unwrap_err();
        assert!(
            matches!(none_kept, Error::InvalidInput { ref field, .. } if field == "keep"),
            "keep at least one: {none_kept:?}"
        );
        fs::create_dir_all(&usb).unwrap();
        fs::write(usb.join("notes.txt"), "mine").unwrap();
        for day in ["2026-11-20", "2026-11-21", "2026-11-21", "2026-11-22"] {
            daily_backup(&mut store, &ws, d(day)).unwrap();
        }
        let mut names: Vec<String> =
            fs::read_dir(&usb).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        let tag = store.backup_tag().unwrap();
        assert_eq!(tag.len(), 8);
        let daily = |day: &str| format!("dangan-{tag}-{day}.dangan-backup");
        assert_eq!(names, [daily("2026-11-21"), daily("2026-11-22"), "notes.txt".into()]);
        assert_eq!(store.backup_settings().unwrap().last, Some(d("2026-11-22")));

        // A second workspace backing up into the same folder, keeping one: each keeps its own,
        // neither's replaced nor pruned by the other's (they were, when named by the day alone).
        let (other_ws, mut other) = workspace_with_a_member(&dir.path().join("other"));
        other.set_backup_settings(Some(&usb), 1).unwrap();
        daily_backup(&mut other, &other_ws, d("2026-11-22")).unwrap();
        daily_backup(&mut other, &other_ws, d("2026-11-23")).unwrap();
        let other_tag = other.backup_tag().unwrap();
        assert_ne!(other_tag, tag);
        let mut names: Vec<String> =
            fs::read_dir(&usb).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        let mut expected =
            vec![daily("2026-11-21"), daily("2026-11-22"), format!("dangan-{other_tag}-2026-11-23.dangan-backup")];
        expected.push("notes.txt".into());
        expected.sort();
        assert_eq!(names, expected);

        // A workspace restored from one of them does not back up into the original's folder.
        let restored = Workspace::at(dir.path().join("restored"));
        let mut copy = restore_backup(&usb.join(daily("2026-11-22")), &restored, "passphrase-1").unwrap();
        assert_eq!(copy.backup_settings().unwrap().dir, None);
        assert_eq!(daily_backup(&mut copy, &restored, d("2026-11-23")).unwrap(), None);
        assert!(!usb.join(daily("2026-11-23")).exists());
    }

    #[test]
    fn a_restore_reports_each_step_and_a_cancel_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, store) = workspace_with_a_member(dir.path());
        let backup = dir.path().join("b.dangan-backup");
        write_backup(&store, &ws, &backup).unwrap();
        let target = Workspace::at(dir.path().join("restored"));

        let mut seen = Vec::new();
        let err = restore_backup_with_progress(&backup, &target, None, "passphrase-1", |p| {
            seen.push(p.done);
            if p.done == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .unwrap_err();
        assert!(matches!(err, Error::Cancelled), "{err:?}");
        assert_eq!(seen, [0, 1, 2, 3]);
        assert!(!target.dir().exists(), "no workspace folder");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(!left.iter().any(|n| n.to_string_lossy().starts_with(".dangan-restore-")), "{left:?}");

        let mut seen = Vec::new();
        restore_backup_with_progress(&backup, &target, None, "passphrase-1", |p| {
            seen.push((p.done, p.total, p.unit));
            ControlFlow::Continue(())
        })
        .unwrap();
        let steps: Vec<u64> = seen.iter().map(|s| s.0).collect();
        assert_eq!(steps, [0, 1, 2, 3, 4, 5]);
        assert!(seen.iter().all(|s| s.1 == 5 && s.2 == crate::jobs::Unit::Steps));
    }

    #[test]
    fn a_damaged_backup_or_a_wrong_passphrase_restores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, store) = workspace_with_a_member(dir.path());
        let backup = dir.path().join("b.dangan-backup");
        write_backup(&store, &ws, &backup).unwrap();
        let target = Workspace::at(dir.path().join("restored"));

        let err = restore_backup(&backup, &target, "wrong passphrase").unwrap_err();
        assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
        assert!(!target.exists() && !target.dir().exists(), "nothing was written");

        let bytes = fs::read(&backup).unwrap();
        let cut = dir.path().join("cut.dangan-backup");
        fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
        let err = restore_backup(&cut, &target, "passphrase-1").unwrap_err().message(crate::Lang::Zh);
        assert!(err.contains("备份文件不完整"), "{err}");

        let mut flipped = bytes.clone();
        let at = flipped.len() - 2000;
        flipped[at] ^= 0xFF;
        let bad = dir.path().join("bad.dangan-backup");
        fs::write(&bad, &flipped).unwrap();
        let flipped_err = restore_backup(&bad, &target, "passphrase-1").unwrap_err();
        assert!(
            matches!(flipped_err, Error::Corrupt { .. }),
            "a flipped byte in the database is damage: {flipped_err:?}"
        );

        fs::write(&cut, b"PK\x03\x04 a zip").unwrap();
        let err = restore_backup(&cut, &target, "passphrase-1").unwrap_err().message(crate::Lang::En);
        assert!(err.contains("not a Dangan backup"), "{err}");
        assert!(!target.exists(), "nothing was restored");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".dangan-restore-"))
            .collect();
        assert!(leftovers.is_empty(), "scratch folders are cleaned up: {leftovers:?}");
    }
}
