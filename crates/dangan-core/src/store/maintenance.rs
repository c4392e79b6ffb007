//! Keeping the database sound: a consistent encrypted snapshot (for backups), and `verify`, which
//! checks every page, every reference and every attachment.

use std::ops::ControlFlow;
use std::path::Path;

use super::Store;
use crate::backup::VerifyReport;
use crate::domain::{EventKind, MediaType};
use crate::{Result, Text};

/// How many SQLite steps between two looks at a snapshot's progress.
const PROGRESS_EVERY_OPS: i32 = 20_000;

impl Store {
    /// The key file beside the database: every slot, the recovery slot included, must be usable.
    fn verify_key_file(&self, report: &mut VerifyReport) {
        let path = self.workspace_dir().join(crate::workspace::KEY_FILE);
        match crate::keys::KeyFile::read(&path) {
            Ok(file) => {
                report.problems.extend(file.problems());
                match self.register_generations_in_use() {
                    Ok(in_use) => report.problems.extend(file.register_problems(&in_use)),
                    Err(e) => report.problems.push(Text::new(e.message(crate::Lang::Zh), e.message(crate::Lang::En))),
                }
            }
            Err(e) => report.problems.push(Text::new(e.message(crate::Lang::Zh), e.message(crate::Lang::En))),
        }
    }

    /// Writes a consistent copy of the database to `path` (which must not exist), encrypted with
    /// the same key, while the store stays usable. SQLCipher's `sqlcipher_export` copies in one
    /// read transaction of `main`: it runs each table's `INSERT … SELECT` while the statement
    /// listing the tables is still stepping, and SQLite keeps a connection's read transaction (its
    /// WAL snapshot) while any of its statements read, so another process's commit meanwhile is in
    /// no table or in all. (Not an explicit `BEGIN`: the snapshot's pages would then wait in
    /// memory until its commit, and its size on disk, the progress shown, would not move.) An
    /// attached database without its own key takes the main one's.
    ///
    /// `progress` hears, every few thousand steps of the copy, how many bytes of the snapshot are
    /// written out of about how many; `ControlFlow::Break` interrupts the copy (`Cancelled`).
    pub(crate) fn snapshot_to(
        &self,
        path: &Path,
        progress: impl FnMut(crate::jobs::Progress) -> ControlFlow<()> + Send + 'static,
    ) -> Result<()> {
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let total_bytes: u64 = self.conn.query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        // An unlocked workspace's connection may not create files (it opens its database without
        // SQLITE_OPEN_CREATE): an empty file is an empty database it can attach.
        std::fs::File::create_new(path).map_err(crate::Error::io(path))?;
        self.conn.execute("ATTACH DATABASE ?1 AS snapshot", [path.to_string_lossy()])?;
        // sqlcipher_export is one statement: SQLite's progress handler is where it can be watched
        // (by the snapshot's size on disk) and interrupted.
        let watched = path.to_owned();
        let mut progress = progress;
        let cancelled_flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = cancelled_flag.clone();
        self.conn.progress_handler(
            PROGRESS_EVERY_OPS,
            Some(move || {
                let done_bytes = std::fs::metadata(&watched).map_or(0, |m| m.len()).min(total_bytes);
                let stop =
                    progress(crate::jobs::Progress::new(done_bytes, total_bytes, crate::jobs::Unit::Bytes)).is_break();
                if stop {
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                stop
            }),
        )?;
        let exported = self
            .conn
            .query_row("SELECT sqlcipher_export('snapshot')", [], |_| Ok(()))
            .and_then(|()| self.conn.execute_batch(&format!("PRAGMA snapshot.user_version = {version};")));
        let unhooked = self.conn.progress_handler(0, None::<fn() -> bool>);
        let cancelled = cancelled_flag.load(std::sync::atomic::Ordering::SeqCst);
        let detached = self.conn.execute_batch("DETACH DATABASE snapshot;");
        if cancelled {
            return Err(crate::Error::Cancelled);
        }
        exported?;
        detached?;
        unhooked?;
        Ok(())
    }

    /// The automatic backup settings (off, keeping 7, until set).
    pub fn backup_settings(&self) -> Result<crate::backup::BackupSettings> {
        let get = |key: &str| -> Result<Option<String>> {
            Ok(self
                .conn
                .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
                .query_map([key], |r| r.get(0))?
                .next()
                .transpose()?)
        };
        Ok(crate::backup::BackupSettings {
            dir: get("backup_dir")?,
            keep: get("backup_keep")?.and_then(|k| k.parse().ok()).unwrap_or(7),
            last: get("backup_last")?.as_deref().and_then(crate::calendar::parse_iso),
        })
    }

    /// Turns automatic backups on (into `dir`, keeping `keep`) or off (`None`).
    pub fn set_backup_settings(&mut self, dir: Option<&Path>, keep: u32) -> Result<crate::backup::BackupSettings> {
        self.require(crate::access::Action::Backup)?;
        if !(1..=crate::backup::MAX_KEEP).contains(&keep) {
            return Err(crate::Error::invalid(
                "keep",
                format!("保留份数应为 1 至 {}", crate::backup::MAX_KEEP),
                format!("keep 1 to {} backups", crate::backup::MAX_KEEP),
            ));
        }
        if let Some(dir) = dir {
            // Backups inside the workspace would be lost with it, and could be aimed at its files.
            crate::output::ensure_outside(self.workspace_dir(), dir)?;
        }
        let set = |conn: &rusqlite::Connection, key: &str, value: Option<String>| -> rusqlite::Result<()> {
            match value {
                Some(v) => conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, v.as_str()],
                ),
                None => conn.execute("DELETE FROM meta WHERE key = ?1", [key]),
            }
            .map(|_| ())
        };
        set(&self.conn, "backup_dir", dir.map(|d| d.display().to_string()))?;
        set(&self.conn, "backup_keep", Some(keep.to_string()))?;
        set(&self.conn, "backup_last", None)?;
        self.backup_settings()
    }

    /// What names this workspace's automatic backups: the first eight characters of its
    /// committee's UUID (made when the workspace was, and kept by every copy of it).
    pub(crate) fn backup_tag(&self) -> Result<String> {
        let uid: String =
            self.conn
                .query_row("SELECT uid FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1", [], |r| r.get(0))?;
        Ok(uid.chars().filter(char::is_ascii_alphanumeric).take(8).collect())
    }

    /// Turns automatic backups off without a role's check: a restored workspace does not go on
    /// writing into the folder of the workspace it was backed up from (`backup::restore_backup`).
    pub(crate) fn forget_backup_dir(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM meta WHERE key IN ('backup_dir', 'backup_last')", [])?;
        Ok(())
    }

    pub(crate) fn set_backup_last(&mut self, day: crate::calendar::Date) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('backup_last', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [day.to_string()],
        )?;
        Ok(())
    }

    /// Checks the whole database: SQLCipher's check of every page's authentication code,
    /// SQLite's integrity check, the references between tables, that every event names a known
    /// step, that the audit log's hash chain is unbroken, and that every attachment reads back
    /// whole and is what it says.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.require(crate::access::Action::Verify)?;
        self.verify_unchecked()
    }

    /// The check itself: a restore runs it on what it restores, whoever restores. A check the
    /// damage itself stops (a page that cannot be decrypted) is reported as a problem, naming
    /// what could not be read, never as an internal error.
    pub(crate) fn verify_unchecked(&self) -> Result<VerifyReport> {
        let mut report = self.verify_database()?;
        self.verify_key_file(&mut report);
        Ok(report)
    }

    fn verify_database(&self) -> Result<VerifyReport> {
        let mut report = VerifyReport::default();
        let rows = |sql: &str| -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare(sql)?;
            stmt.query_map([], |r| r.get::<_, rusqlite::types::Value>(0))?
                .map(|v| {
                    v.map(|v| match v {
                        rusqlite::types::Value::Text(t) => t,
                        other => format!("{other:?}"),
                    })
                })
                .collect()
        };
        let unreadable = |what_zh: &str, what_en: &str, e: &rusqlite::Error| {
            Text::new(
                format!("{what_zh}时数据库无法读取（{e}）：文件已损坏，请从备份恢复"),
                format!(
                    "the database could not be read while {what_en} ({e}): the file is damaged; restore it from a backup"
                ),
            )
        };
        match rows("PRAGMA cipher_integrity_check") {
            Ok(problems) => {
                for problem in problems {
                    report.problems.push(Text::new(
                        format!("加密页校验失败（数据被改动或损坏）：{problem}"),
                        format!("page authentication failed (altered or damaged): {problem}"),
                    ));
                }
            }
            Err(e) => report.problems.push(unreadable("核对加密页", "checking the encrypted pages", &e)),
        }
        if !report.problems.is_empty() {
            // Pages that do not decrypt make every further check fail the same way: say it once.
            return Ok(report);
        }
        match rows("PRAGMA integrity_check") {
            Ok(lines) => {
                for line in lines.into_iter().filter(|l| l != "ok") {
                    report
                        .problems
                        .push(Text::new(format!("数据库结构有误：{line}"), format!("database structure: {line}")));
                }
            }
            Err(e) => report.problems.push(unreadable("核对数据库结构", "checking the structure", &e)),
        }
        if !report.problems.is_empty() {
            return Ok(report);
        }
        for table in rows("SELECT \"table\" FROM pragma_foreign_key_check")? {
            report.problems.push(Text::new(
                format!("表 {table} 中有记录指向不存在的数据"),
                format!("table {table} has rows that refer to missing rows"),
            ));
        }
        for kind in rows("SELECT DISTINCT kind FROM events")?.into_iter().filter(|k| EventKind::parse(k).is_none()) {
            report
                .problems
                .push(Text::new(format!("未知的事件类型「{kind}」"), format!("unknown event kind `{kind}`")));
        }
        let chain = self.check_audit_chain()?;
        report.audit_entries_checked = chain.entries;
        if let Some((_, why)) = chain.broken_at {
            report.problems.push(why);
        }
        let mut stmt = self.conn.prepare("SELECT id, name, media_type, size, content FROM attachments")?;
        let mut attachments = stmt.query([])?;
        while let Some(row) = attachments.next()? {
            let (id, name): (i64, String) = (row.get(0)?, row.get(1)?);
            let media_type: String = row.get(2)?;
            let size: i64 = row.get(3)?;
            let content = row.get_ref(4)?.as_blob().unwrap_or_default();
            report.attachments_checked += 1;
            let whole = content.len() as i64 == size;
            let what_it_says = MediaType::parse(&media_type).is_some_and(|m| MediaType::sniff(content) == Some(m));
            if !whole || !what_it_says {
                report.problems.push(Text::new(
                    format!("附件 {id}「{name}」读出的内容不完整或与类型不符"),
                    format!("attachment {id} “{name}” reads back incomplete or not what it says"),
                ));
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Workspace;
    use crate::domain::{FileRecord, OrgKind, Person, ProcedureEvent, RecordKind};
    use crate::keys::KdfParams;
    use crate::store::NewAttachment;
    use crate::workspace::NewWorkspace;

    /// A workspace with a member, an application, a record and a PNG attached.
    fn office() -> (tempfile::TempDir, Workspace, Store) {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path().join("ws"));
        let new = NewWorkspace { kdf: KdfParams::FOR_TESTS, ..NewWorkspace::new("passphrase-1", "党委") };
        let mut store = ws.create(&new).unwrap();
        ws.new_recovery_code(&store).unwrap();
        let committee = store.org_tree().unwrap().committee().unwrap().id;
        let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
        let person = store
            .save_person(Person { branch_id: branch, name: "张三".into(), ..Person::default() })
            .unwrap()
            .person
            .id
            .unwrap();
        store
            .save_event(person, ProcedureEvent::new(EventKind::ApplicationReceived, "2026-10-01".parse().unwrap()))
            .unwrap();
        let png = dir.path().join("scan.png");
        let mut bytes = Vec::new();
        image::RgbImage::new(4, 4).write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        std::fs::write(&png, bytes).unwrap();
        let record = FileRecord {
            version: None,
            id: None,
            person_id: person,
            kind: RecordKind::ApplicationLetter,
            date: "2026-10-01".parse().unwrap(),
            event_id: None,
            title: None,
            body: "入党申请书".into(),
            fields: Default::default(),
            attachments: Vec::new(),
        };
        store.save_record(record, &[NewAttachment::read(&png).unwrap()]).unwrap();
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap());
        (dir, ws, store)
    }

    fn problems(store: &Store) -> Vec<String> {
        store.verify().unwrap().problems.into_iter().map(|p| p.en).collect()
    }

    #[test]
    fn verify_names_a_damaged_attachment() {
        let (_dir, _ws, store) = office();
        store.conn.execute("UPDATE attachments SET content = zeroblob(size)", []).unwrap();
        let found = problems(&store);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("scan.png") && found[0].contains("incomplete or not what it says"), "{found:?}");
    }

    #[test]
    fn verify_names_a_broken_reference_and_an_unknown_step() {
        let (_dir, _ws, store) = office();
        store
            .conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO events (person_id, kind, date) VALUES (9999, 'application_received', '2026-01-01');
                 UPDATE events SET kind = 'made_up_step' WHERE person_id = 1;
                 PRAGMA foreign_keys = ON;",
            )
            .unwrap();
        let found = problems(&store);
        assert!(found.iter().any(|p| p == "table events has rows that refer to missing rows"), "{found:?}");
        assert!(found.iter().any(|p| p == "unknown event kind `made_up_step`"), "{found:?}");
    }

    #[test]
    fn verify_names_an_edited_audit_entry() {
        let (_dir, _ws, store) = office();
        store
            .conn
            .execute_batch(
                "DROP TRIGGER audit_log_is_append_only_update;
                 UPDATE audit_log SET actor = 'someone else' WHERE seq = 3;",
            )
            .unwrap();
        let found = problems(&store);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("altered"), "{found:?}");
    }

    #[test]
    fn verify_checks_every_key_slot_the_recovery_slot_included() {
        let (_dir, ws, store) = office();
        let mut file = crate::keys::KeyFile::read(&ws.key_path()).unwrap();
        let recovery = file.slots.iter_mut().find(|s| s.kind == crate::keys::SlotKind::Recovery).unwrap();
        recovery.wrapped_key[0] ^= 1;
        // Written as a flipped byte on disk would be: the stored checksum no longer fits.
        let mut text: serde_json::Value = serde_json::from_slice(&std::fs::read(ws.key_path()).unwrap()).unwrap();
        text["slots"] = serde_json::to_value(&file.slots).unwrap();
        std::fs::write(ws.key_path(), serde_json::to_vec_pretty(&text).unwrap()).unwrap();
        let found = problems(&store);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("does not match its checksum"), "{found:?}");
        assert!(found[0].contains("Restore it from a backup"), "{found:?}");
    }
}
