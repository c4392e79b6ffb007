//! The workspace: a folder holding the encrypted database (`dangan.db`) and the key file
//! (`dangan.key`) whose slots wrap the database key.
//!
//! Unlocking reads the key file and opens a slot with the passphrase *before* the database is
//! touched, so a wrong passphrase changes no file and creates no journal.

use std::fs;
use std::path::{Path, PathBuf};

use crate::attempts;
use crate::keys::{DatabaseKey, KdfParams, KeyFile};
use crate::rules::RuleSetId;
use crate::store::{Cipher, Store};
use crate::{Error, Result, Text};

pub const DB_FILE: &str = "dangan.db";
pub const KEY_FILE: &str = "dangan.key";
/// Passphrases shorter than this are refused: the key file may leave the office on a laptop.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    dir: PathBuf,
}

/// What a new workspace starts with.
#[derive(Debug, Clone)]
pub struct NewWorkspace<'a> {
    pub passphrase: &'a str,
    /// The name of the 党委 at the root of the organisation tree.
    pub committee: &'a str,
    pub rule_set: RuleSetId,
    /// The label of the first key slot (the first user).
    pub user: &'a str,
    pub kdf: KdfParams,
}

impl<'a> NewWorkspace<'a> {
    pub fn new(passphrase: &'a str, committee: &'a str) -> NewWorkspace<'a> {
        NewWorkspace { passphrase, committee, rule_set: RuleSetId::default(), user: "admin", kdf: KdfParams::DEFAULT }
    }
}

impl Workspace {
    pub fn at(dir: impl Into<PathBuf>) -> Workspace {
        Workspace { dir: dir.into() }
    }

    /// The operating system's data folder for Dangan (`~/.local/share/dangan` on Linux,
    /// `%APPDATA%\Dangan\data` on Windows, `~/Library/Application Support/cn.dangan.Dangan` on macOS).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("cn", "dangan", "Dangan").map(|d| d.data_dir().to_owned())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    pub fn key_path(&self) -> PathBuf {
        self.dir.join(KEY_FILE)
    }

    /// Whether anything of a workspace is in the folder.
    pub fn exists(&self) -> bool {
        self.db_path().exists() || self.key_path().exists()
    }

    /// Creates the workspace. Refuses to overwrite any part of an existing one.
    pub fn create(&self, new: &NewWorkspace<'_>) -> Result<Store> {
        if self.exists() {
            return Err(Error::WorkspaceExists { path: self.dir.clone() });
        }
        check_passphrase(new.passphrase)?;
        if new.committee.trim().is_empty() {
            return Err(Error::invalid("committee", "党委名称不能为空", "the committee name is empty"));
        }
        create_private_dir(&self.dir)?;
        let key = DatabaseKey::generate()?;
        let key_file = KeyFile::create(&key, new.user, new.passphrase, new.kdf)?;
        let store = Store::create(&self.db_path(), Cipher::Key(&key), new.committee, new.rule_set);
        let written = store.and_then(|store| key_file.write_atomic(&self.key_path()).map(|()| store));
        if written.is_err() {
            // Leave no half-made workspace: without its key file the database is unreadable.
            for suffix in ["", "-wal", "-shm"] {
                let _ = fs::remove_file(self.dir.join(format!("{DB_FILE}{suffix}")));
            }
        }
        let store = written?;
        restrict_permissions(&self.db_path());
        restrict_permissions(&self.key_path());
        Ok(store)
    }

    /// Unlocks the workspace with a passphrase.
    pub fn open(&self, passphrase: &str) -> Result<Store> {
        let key = self.unlock_key(passphrase)?.0;
        let db = self.db_path();
        if !db.exists() {
            return Err(Error::Corrupt {
                path: db,
                reason: Text::new(
                    "数据库文件不存在，但密钥文件还在",
                    "the database file is missing though the key file is there",
                ),
            });
        }
        Store::open(&db, Cipher::Key(&key))
    }

    /// Changes the passphrase of the slot it opens. Rewrites the key file only; the database is
    /// untouched, so this is instant and cannot damage the records.
    pub fn change_passphrase(&self, old: &str, new: &str) -> Result<()> {
        check_passphrase(new)?;
        let (key, slot_id, mut key_file) = self.unlock_key(old)?;
        key_file.rewrap(&slot_id, &key, new, KdfParams::DEFAULT)?;
        key_file.write_atomic(&self.key_path())?;
        restrict_permissions(&self.key_path());
        Ok(())
    }

    fn unlock_key(&self, passphrase: &str) -> Result<(DatabaseKey, String, KeyFile)> {
        let key_path = self.key_path();
        if !key_path.exists() {
            if self.db_path().exists() {
                return Err(Error::Corrupt {
                    path: key_path,
                    reason: Text::new(
                        "密钥文件不存在，没有它无法打开数据库",
                        "the key file is missing; the database cannot be opened without it",
                    ),
                });
            }
            return Err(Error::WorkspaceMissing { path: self.dir.clone() });
        }
        let key_file = KeyFile::read(&key_path)?;
        let wait = attempts::wait_before_next(&self.dir);
        if !wait.is_zero() {
            return Err(Error::TooManyAttempts { wait_secs: wait.as_secs().max(1) });
        }
        let (key, slot) = match key_file.unlock(passphrase) {
            Err(Error::WrongPassphrase) => {
                attempts::failed(&self.dir);
                return Err(Error::WrongPassphrase);
            }
            other => other?,
        };
        attempts::succeeded(&self.dir);
        Ok((key, slot, key_file))
    }
}

fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!("口令至少需要 {MIN_PASSPHRASE_CHARS} 个字符"),
            format!("the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

/// Owner-only access where the platform has it; the files are encrypted either way.
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}
