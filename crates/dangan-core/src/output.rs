//! Files Dangan writes for the user — rosters, dossiers, calendars, backups, the audit CSV, the
//! recovery sheet, attachments saved as: never inside the workspace folder, never half-written.
//!
//! Invariants kept here:
//! - a target inside the workspace folder (after following links: a link outside that points in
//!   counts as inside), or inside any other workspace's, is refused before anything is written,
//!   naming the path, because writing over `dangan.db` or `dangan.key` destroys the workspace and
//!   the recovery slot with it;
//! - bytes go to a temporary file beside the target, are synced, and are renamed into place only
//!   when complete: a failed or cancelled write leaves the old file (or none), never a half one.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use tempfile::NamedTempFile;

use crate::{Error, Result};

/// Refuses `target` when it resolves to the workspace folder or anything inside it.
pub fn ensure_outside(workspace_dir: &Path, target: &Path) -> Result<()> {
    let workspace = resolve(workspace_dir);
    let resolved = resolve(target);
    if resolved.starts_with(&workspace) {
        return Err(Error::invalid(
            "path",
            format!(
                "不能写到工作区文件夹 {} 之内（{}）：那里的文件是加密的档案本身，覆盖会使工作区无法打开。请另选位置",
                workspace_dir.display(),
                target.display()
            ),
            format!(
                "{} is inside the workspace folder {}: files there are the encrypted records themselves, and \
                 writing over them makes the workspace unopenable. Choose another place",
                target.display(),
                workspace_dir.display()
            ),
        ));
    }
    // Another workspace's folder (a second office's, a restored copy): its files are as
    // irreplaceable as this one's. Known by its database and key file side by side.
    let holds_workspace =
        |dir: &Path| dir.join(crate::workspace::DB_FILE).is_file() && dir.join(crate::workspace::KEY_FILE).is_file();
    if let Some(other) = resolved.ancestors().find(|dir| holds_workspace(dir)) {
        return Err(Error::invalid(
            "path",
            format!(
                "不能写到另一个工作区的文件夹 {} 之内（{}）：那里的文件是该工作区加密的档案本身。请另选位置",
                other.display(),
                target.display()
            ),
            format!(
                "{} is inside another workspace's folder {}: files there are its encrypted records themselves. \
                 Choose another place",
                target.display(),
                other.display()
            ),
        ));
    }
    Ok(())
}

/// The path as the file system will reach it: links followed, `..` applied. A path that does
/// not exist yet is resolved through its deepest existing ancestor.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map(|dir| dir.join(path)).unwrap_or_else(|_| path.to_owned())
    };
    if let Ok(real) = absolute.canonicalize() {
        return real;
    }
    // Walk up to the deepest ancestor that exists, then lay the rest back on, lexically.
    let mut rest = Vec::new();
    let mut ancestor = absolute.as_path();
    loop {
        if let Ok(real) = ancestor.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (ancestor.parent(), ancestor.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                ancestor = parent;
            }
            _ => return absolute,
        }
    }
}

/// A file being written: a temporary file beside the target until [`OutputFile::commit`].
/// Dropped without committing (an error, a cancel), it disappears and the target is untouched.
pub struct OutputFile {
    target: PathBuf,
    temp: NamedTempFile,
}

impl OutputFile {
    /// Starts writing `target`, which must be outside the workspace folder.
    pub fn create(workspace_dir: &Path, target: &Path) -> Result<OutputFile> {
        ensure_outside(workspace_dir, target)?;
        if target.is_dir() {
            return Err(Error::invalid(
                "path",
                format!("{} 是一个文件夹，请给出文件名", target.display()),
                format!("{} is a folder; give a file name", target.display()),
            ));
        }
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".dangan-")
            .suffix(".part")
            .tempfile_in(&folder)
            .map_err(Error::io(target))?;
        Ok(OutputFile { target: target.to_owned(), temp })
    }

    /// The temporary file, for writers that take a path (the xlsx writer).
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// The file's final path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Syncs the bytes and renames the file into place, replacing what was there.
    pub fn commit(self) -> Result<()> {
        let OutputFile { target, temp } = self;
        temp.as_file().sync_all().map_err(Error::io(&target))?;
        temp.persist(&target).map_err(|e| Error::Io { path: target.clone(), source: e.error })?;
        Ok(())
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.flush()
    }
}

/// Writes `bytes` to `target` whole or not at all, refusing a target inside the workspace.
pub fn write(workspace_dir: &Path, target: &Path, bytes: &[u8]) -> Result<()> {
    let mut out = OutputFile::create(workspace_dir, target)?;
    out.write_all(bytes).map_err(Error::io(target))?;
    out.commit()
}

/// A cell of a CSV file Dangan writes, safe to open in a spreadsheet: text that Excel or WPS would
/// run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// `'`, the OWASP rule against CSV injection. [`csv_cell_read`] takes it off again.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) { format!("'{text}").into() } else { text.into() }
}

/// The text of a CSV cell [`csv_cell`] wrote: a `'` before a formula's first character is dropped,
/// so a roster Dangan exported re-imports as it was.
pub fn csv_cell_read(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("ws");
        std::fs::create_dir(&ws).unwrap();
        std::fs::write(ws.join("dangan.key"), b"the key file").unwrap();
        (root, ws)
    }

    fn refused(ws: &Path, target: &Path) -> bool {
        matches!(ensure_outside(ws, target), Err(Error::InvalidInput { ref field, .. }) if field == "path")
    }

    #[test]
    fn a_target_in_the_workspace_is_refused_however_it_is_spelled() {
        let (root, ws) = workspace();
        assert!(refused(&ws, &ws.join("dangan.key")));
        assert!(refused(&ws, &ws.join("new.csv")));
        assert!(refused(&ws, &ws));
        assert!(refused(&ws, &ws.join("sub/../dangan.key")));
        assert!(refused(&ws, &root.path().join("elsewhere/../ws/dangan.db")));
        assert!(refused(&ws, &ws.join("not-yet/deeper/file.pdf")));
        // A link outside that points in is inside.
        #[cfg(unix)]
        {
            let link = root.path().join("link.key");
            std::os::unix::fs::symlink(ws.join("dangan.key"), &link).unwrap();
            assert!(refused(&ws, &link));
            let dir_link = root.path().join("dirlink");
            std::os::unix::fs::symlink(&ws, &dir_link).unwrap();
            assert!(refused(&ws, &dir_link.join("x.ics")));
        }
        // Beside the workspace is fine, even with a name that starts the same.
        assert!(ensure_outside(&ws, &root.path().join("ws-export.xlsx")).is_ok());
        assert!(ensure_outside(&ws, &root.path().join("out.csv")).is_ok());
    }

    /// `dangan backup other-office/dangan.db` replaced another workspace's database: only this
    /// workspace's folder was guarded.
    #[test]
    fn a_target_in_another_workspaces_folder_is_refused() {
        let (root, ws) = workspace();
        let other = root.path().join("其他学院");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("dangan.db"), b"their database").unwrap();
        std::fs::write(other.join("dangan.key"), b"their key").unwrap();
        let err = write(&ws, &other.join("dangan.db"), b"overwritten").unwrap_err();
        assert!(err.message(crate::Lang::En).contains("inside another workspace's folder"), "{err}");
        assert_eq!(std::fs::read(other.join("dangan.db")).unwrap(), b"their database");
        assert!(refused(&ws, &other.join("sub/report.pdf")));
        assert!(refused(&ws, &other), "as a folder for backups");
        // A folder with only one of the two is not a workspace.
        std::fs::create_dir(root.path().join("notes")).unwrap();
        std::fs::write(root.path().join("notes/dangan.db"), b"a name only").unwrap();
        assert!(ensure_outside(&ws, &root.path().join("notes/out.csv")).is_ok());
    }

    #[test]
    fn a_refused_write_changes_nothing() {
        let (_root, ws) = workspace();
        let err = write(&ws, &ws.join("dangan.key"), b"overwritten").unwrap_err();
        assert!(err.message(crate::Lang::En).contains("inside the workspace folder"), "{err}");
        assert_eq!(std::fs::read(ws.join("dangan.key")).unwrap(), b"the key file");
    }

    #[test]
    fn an_unfinished_write_leaves_the_old_file_and_no_temporary_one() {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("ws");
        let target = root.path().join("report.csv");
        std::fs::write(&target, b"old").unwrap();
        {
            let mut out = OutputFile::create(&ws, &target).unwrap();
            out.write_all(b"half of the new").unwrap();
            // Dropped: a cancel or an error.
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.csv")]);
        write(&ws, &target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
    }

    #[test]
    fn csv_cells_that_would_run_as_formulas_are_neutralised_and_read_back() {
        for (text, written) in [
            ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
            ("+86 138", "'+86 138"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("张三", "张三"),
            ("'quoted", "'quoted"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(text), written, "{text:?}");
            assert_eq!(csv_cell_read(&csv_cell(text)), text, "{text:?}");
        }
    }

    #[test]
    fn a_folder_as_the_target_is_refused_by_name() {
        let root = tempfile::tempdir().unwrap();
        let err = write(&root.path().join("ws"), root.path(), b"x").unwrap_err();
        assert!(err.message(crate::Lang::En).contains("is a folder"), "{err}");
    }
}
