//! The workspace: a folder holding the encrypted database (`dangan.db`) and the key file
//! (`dangan.key`) whose slots wrap the database key.
//!
//! Unlocking reads the key file and opens a slot with the passphrase *before* the database is
//! touched, so a wrong passphrase changes no file and creates no journal.

use std::fs;
use std::path::{Path, PathBuf};

use crate::access::{Action, NewUser, Role, User};
use crate::attempts;
use crate::domain::Id;
use crate::keys::{
    DatabaseKey, KdfParams, KeyFile, RecoveryCode, RegisterGeneration, RegisterKey, RegisterKeys, SlotKind, unseal,
};
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

    /// Creates the workspace, its first user an administrator. Refuses to overwrite any part of
    /// an existing one.
    pub fn create(&self, new: &NewWorkspace<'_>) -> Result<Store> {
        self.create_inner(new, None)
    }

    /// Creates the workspace with a recovery slot too, and returns the recovery code: shown once,
    /// to be printed (`dossier::recovery_sheet`) and kept in the office safe.
    pub fn create_with_recovery(&self, new: &NewWorkspace<'_>) -> Result<(Store, RecoveryCode)> {
        let code = RecoveryCode::generate()?;
        let store = self.create_inner(new, Some(&code))?;
        Ok((store, code))
    }

    fn create_inner(&self, new: &NewWorkspace<'_>, recovery: Option<&RecoveryCode>) -> Result<Store> {
        if self.exists() {
            return Err(Error::WorkspaceExists { path: self.dir.clone() });
        }
        check_passphrase(new.passphrase)?;
        if new.committee.trim().is_empty() {
            return Err(Error::invalid("committee", "党委名称不能为空", "the committee name is empty"));
        }
        let user = new.user.trim();
        if user.is_empty() {
            return Err(Error::invalid("user", "用户名不能为空", "the user name is empty"));
        }
        create_private_dir(&self.dir)?;
        let key = DatabaseKey::generate()?;
        let mut key_file = KeyFile::create(&key, user, new.passphrase, new.kdf)?;
        if let Some(code) = recovery {
            key_file.set_recovery(code, &key, new.kdf)?;
        }
        let slot_id = key_file.slots[0].id.clone();
        let store = Store::create(&self.db_path(), Cipher::Key(&key), new.committee, new.rule_set, user);
        let written = store.and_then(|mut store| {
            store.sign_in(&slot_id, user)?;
            key_file.write_atomic(&self.key_path()).map(|()| store)
        });
        if written.is_err() {
            // Leave no half-made workspace: without its key file the database is unreadable.
            for suffix in ["", "-wal", "-shm"] {
                let _ = fs::remove_file(self.dir.join(format!("{DB_FILE}{suffix}")));
            }
        }
        let mut store = written?;
        store.key = Some(key);
        restrict_permissions(&self.db_path());
        restrict_permissions(&self.key_path());
        Ok(store)
    }

    /// Unlocks the workspace with a passphrase, as whichever user it belongs to.
    pub fn open(&self, passphrase: &str) -> Result<Store> {
        self.open_as(None, passphrase)
    }

    /// Unlocks the workspace as `user` (any user whose passphrase it is, when `None`). The store
    /// then checks that user's role on every call and logs their changes under their name.
    pub fn open_as(&self, user: Option<&str>, passphrase: &str) -> Result<Store> {
        let named = user.is_some_and(|u| !u.trim().is_empty());
        let (key, slot_id, label) = self
            .unlock_key(|file| {
                file.unlock_as(user, passphrase).map(|(key, slot)| (key, slot.id.clone(), slot.label.clone()))
            })
            .map_err(|e| match e {
                // An unknown name and a wrong passphrase read alike, and count alike.
                Error::WrongPassphrase if named => Error::WrongUserOrPassphrase,
                other => other,
            })?;
        let mut store = self.open_store(&key)?;
        store.sign_in(&slot_id, &label)?;
        store.key = Some(key);
        Ok(store)
    }

    /// Unlocks the workspace with the recovery code, with an administrator's rights: to set a
    /// forgotten passphrase anew (`reset_passphrase`). Logged as 恢复密钥.
    pub fn open_with_recovery(&self, typed_code: &str) -> Result<Store> {
        let code = RecoveryCode::parse(typed_code)?;
        let (key, ..) = self
            .unlock_key(|file| {
                if !file.has_recovery() {
                    return Err(Error::NotFound { what: Text::new("恢复密钥槽", "a recovery key slot") });
                }
                file.unlock_recovery(&code).map(|key| (key, String::new(), String::new()))
            })
            .map_err(|e| if matches!(e, Error::WrongPassphrase) { Error::WrongRecoveryCode } else { e })?;
        let mut store = self.open_store(&key)?;
        store.sign_in_recovery()?;
        store.key = Some(key);
        Ok(store)
    }

    fn open_store(&self, key: &DatabaseKey) -> Result<Store> {
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
        Store::open(&db, Cipher::Key(key))
    }

    /// Changes the passphrase of the slot it opens. Rewrites the key file only; the database is
    /// untouched, so this is instant and cannot damage the records.
    pub fn change_passphrase(&self, old: &str, new: &str) -> Result<()> {
        self.change_passphrase_as(None, old, new)
    }

    /// Changes `user`'s own passphrase (see `change_passphrase`).
    pub fn change_passphrase_as(&self, user: Option<&str>, old: &str, new: &str) -> Result<()> {
        check_passphrase(new)?;
        let old_passphrase = old;
        let (key, slot_id, _) = self.unlock_key(|file| {
            file.unlock_as(user, old).map(|(key, slot)| (key, slot.id.clone(), slot.label.clone()))
        })?;
        // Not logged: a user changing their own passphrase touches no record, and the database is
        // left byte for byte as it was. What someone does to another's slot is logged.
        self.update_key_file(|key_file| {
            let old = key_file.slot(&slot_id).cloned().ok_or(Error::Crypto("the slot just opened is gone"))?;
            key_file.rewrap(&slot_id, &key, new, KdfParams::DEFAULT)?;
            // An inspector's secret follows their passphrase.
            key_file.rewrap_inspector(&old, old_passphrase, new)
        })
    }

    /// Adds a user with a key slot of their own. Administrators only. The database is not
    /// re-encrypted: the new slot wraps the same key.
    pub fn add_user(&self, store: &mut Store, new: &NewUser<'_>) -> Result<User> {
        self.add_user_with_kdf(store, new, KdfParams::DEFAULT)
    }

    #[doc(hidden)]
    pub fn add_user_with_kdf(&self, store: &mut Store, new: &NewUser<'_>, kdf: KdfParams) -> Result<User> {
        store.require(Action::ManageUsers)?;
        check_passphrase(new.passphrase)?;
        let key = session_key(store)?;
        let _lock = self.lock_key_file()?;
        let mut key_file = KeyFile::read(&self.key_path())?;
        let name = new.name.trim();
        // A slot of this name belongs to no user (names are unique): one left by a crash between
        // the key file and the database. It goes, so it cannot shadow the new one.
        let orphans: Vec<String> = key_file
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Passphrase && s.label == name)
            .map(|s| s.id.clone())
            .collect();
        for orphan in orphans {
            key_file.remove_slot(&orphan);
        }
        let slot_id = key_file.add_slot(SlotKind::Passphrase, name, new.passphrase.as_bytes(), &key, kdf)?;
        if new.role == Role::DisciplineInspector {
            // Their key pair now; the register key is sealed to them by the next inspector who
            // signs in (an administrator holds no copy of it).
            key_file.new_inspector_key(&slot_id, new.passphrase)?;
        }
        store.add_user_with(new, &slot_id, || self.write_key_file(&key_file))
    }

    /// Removes a user and deletes their key slot: their passphrase opens nothing any more.
    pub fn remove_user(&self, store: &mut Store, user_id: Id) -> Result<()> {
        store.require(Action::ManageUsers)?;
        let (_, slot) = store.user_slot(user_id)?;
        // The key file's lock before the database's write lock, as every change of both takes
        // them: taken the other way round, a removal waiting for the key file would hold the
        // database from a register-key change that holds the key file, until one timed out.
        let _lock = self.lock_key_file()?;
        self.refuse_losing_the_register(store, &slot)?;
        let mut key_file = KeyFile::read(&self.key_path())?;
        store.remove_user_with(user_id, |slot_id| {
            key_file.remove_slot(slot_id);
            self.write_key_file(&key_file)
        })
    }

    /// Sets a new passphrase for a user who forgot theirs. Administrators only (or the recovery key).
    pub fn reset_passphrase(&self, store: &Store, user_id: Id, new: &str) -> Result<()> {
        store.require(Action::ManageUsers)?;
        check_passphrase(new)?;
        let (name, slot_id) = store.user_slot(user_id)?;
        self.refuse_losing_the_register(store, &slot_id)?;
        let key = session_key(store)?;
        self.update_key_file(|key_file| {
            key_file.rewrap(&slot_id, &key, new, KdfParams::DEFAULT)?;
            // An inspector's secret was under the forgotten passphrase: a new key pair, to which
            // the next inspector who signs in seals the register key again.
            if key_file.inspectors.iter().any(|i| i.slot_id == slot_id) {
                key_file.new_inspector_key(&slot_id, new)?;
            }
            Ok(())
        })?;
        store.log_account_event(&name, "passphrase", "set anew by an administrator")
    }

    /// Makes a new recovery code; the old one opens nothing any more. Administrators only.
    pub fn new_recovery_code(&self, store: &Store) -> Result<RecoveryCode> {
        store.require(Action::ManageUsers)?;
        let key = session_key(store)?;
        let code = RecoveryCode::generate()?;
        self.update_key_file(|key_file| key_file.set_recovery(&code, &key, KdfParams::DEFAULT))?;
        store.log_account_event(
            crate::store::RECOVERY_ACTOR,
            "recovery_key",
            "a new recovery key was made; the old one opens nothing",
        )?;
        Ok(code)
    }

    /// Whether the key file has a recovery slot.
    pub fn has_recovery(&self) -> Result<bool> {
        Ok(KeyFile::read(&self.key_path())?.has_recovery())
    }

    /// The register keys of a discipline inspector who just signed in with `passphrase`
    /// (`keys/register.rs`): the first inspector's sign-in makes the register key, sealed to them
    /// alone; another inspector reads once a holder gives it to them (`grant_register`), so that
    /// no one who can only add users or set passphrases (an administrator, the recovery key) can
    /// give it to themselves. After an inspector was removed a holder's sign-in replaces it.
    /// `None` while no holder has given it to this one.
    pub(crate) fn open_register(&self, store: &mut Store, passphrase: &str) -> Result<Option<RegisterKeys>> {
        let slot_id = store.session_slot()?;
        let _lock = self.lock_key_file()?;
        let mut file = KeyFile::read(&self.key_path())?;
        let binding = file.workspace_id.clone();
        let slot = file.slot(&slot_id).cloned().ok_or(Error::Crypto("the slot just opened is gone"))?;
        let mut changed = false;
        if !file.inspectors.iter().any(|i| i.slot_id == slot_id) {
            file.new_inspector_key(&slot_id, passphrase)?;
            changed = true;
        }
        let mine =
            file.inspectors.iter().find(|i| i.slot_id == slot_id).cloned().ok_or(Error::Crypto("no key pair"))?;
        let secret = mine.open((&slot).into(), passphrase.as_bytes(), &binding)?;
        // No register yet, or one nobody holds and nothing was ever written under: a new key.
        let held = file.register.iter().any(|g| !g.sealed.is_empty());
        if !held {
            if store.complaints_exist()? {
                if changed {
                    self.write_key_file(&file)?;
                }
                return Err(Error::Corrupt {
                    path: self.key_path(),
                    reason: Text::new(
                        "信访举报登记簿的密钥不在密钥文件中，无人能打开登记簿",
                        "the complaints register's key is in no inspector's hands: no one can open the register",
                    ),
                });
            }
            let key = RegisterKey::generate()?;
            let next = file.register.iter().map(|g| g.generation).max().unwrap_or(0) + 1;
            file.register = vec![RegisterGeneration { generation: next, sealed: vec![mine.seal(&key)?] }];
            file.register_rotate = false;
            changed = true;
        }
        let mut keys = Vec::new();
        for generation in &file.register {
            if let Some(copy) = generation.sealed.iter().find(|c| c.slot_id == slot_id) {
                keys.push((generation.generation, unseal(&secret, copy)?));
            }
        }
        let newest = file.register.iter().map(|g| g.generation).max().unwrap_or(1);
        if !keys.iter().any(|(g, _)| *g == newest) {
            if changed {
                self.write_key_file(&file)?;
            }
            return Ok(None);
        }
        let mut keys = RegisterKeys { keys };
        changed |= self.rotate_if_asked(store, &mut file, &mut keys)?;
        if changed {
            self.write_key_file(&file)?;
        }
        Ok(Some(keys))
    }

    /// After an inspector was removed: a new register key, sealed to the inspectors who held the
    /// old one, every entry re-encrypted under it. Both generations are on disk before any entry
    /// moves, so a crash between leaves every entry readable. Call under the key file's lock.
    fn rotate_if_asked(&self, store: &mut Store, file: &mut KeyFile, keys: &mut RegisterKeys) -> Result<bool> {
        let Some((newest, _)) = keys.newest() else { return Ok(false) };
        if !file.register_rotate {
            return Ok(false);
        }
        let holders: Vec<String> = file
            .register
            .iter()
            .find(|g| g.generation == newest)
            .map(|g| g.sealed.iter().map(|c| c.slot_id.clone()).collect())
            .unwrap_or_default();
        let next = newest + 1;
        let key = RegisterKey::generate()?;
        let sealed = file
            .inspectors
            .iter()
            .filter(|i| holders.contains(&i.slot_id))
            .map(|i| i.seal(&key))
            .collect::<Result<Vec<_>>>()?;
        file.register.push(RegisterGeneration { generation: next, sealed });
        self.write_key_file(file)?;
        keys.keys.push((next, key));
        store.rekey_complaints(keys)?;
        file.register.retain(|g| g.generation == next);
        file.register_rotate = false;
        keys.keys.retain(|(g, _)| *g == next);
        Ok(true)
    }

    /// The register keys a change is made with: refused when the key was replaced since the
    /// session signed in (what it wrote would be under a key no one holds), and replaced first
    /// when an inspector was removed meanwhile.
    pub(crate) fn register_keys_now(&self, store: &mut Store, keys: &RegisterKeys) -> Result<RegisterKeys> {
        let _lock = self.lock_key_file()?;
        let mut file = KeyFile::read(&self.key_path())?;
        let newest = file.register.iter().map(|g| g.generation).max();
        let mut keys = keys.clone();
        if newest != keys.newest().map(|(g, _)| g) {
            return Err(Error::invalid(
                "register",
                "信访举报登记簿的密钥已在你登录后更换：请重新登录",
                "the complaints register's key was replaced since you signed in: sign in again",
            ));
        }
        if self.rotate_if_asked(store, &mut file, &mut keys)? {
            self.write_key_file(&file)?;
        }
        Ok(keys)
    }

    /// Gives the register key to the inspector of `slot_id` (sealed to their public key).
    pub(crate) fn grant_register(&self, keys: &RegisterKeys, slot_id: &str) -> Result<()> {
        let (newest, key) = keys.newest().ok_or(Error::Crypto("no register key"))?;
        self.update_key_file(|file| {
            let inspector = file.inspectors.iter().find(|i| i.slot_id == slot_id).cloned().ok_or_else(|| {
                Error::invalid(
                    "user",
                    "该纪检委员尚未登录过，还没有自己的密钥：请其先登录一次",
                    "this inspector has no key pair yet: they sign in once first",
                )
            })?;
            let generation = file
                .register
                .iter_mut()
                .find(|g| g.generation == newest)
                .ok_or(Error::Crypto("the register's key was replaced since you signed in"))?;
            if !generation.sealed.iter().any(|c| c.slot_id == slot_id) {
                generation.sealed.push(inspector.seal(key)?);
            }
            Ok(())
        })
    }

    /// The slots holding the newest register key.
    pub(crate) fn register_holders(&self) -> Result<Vec<String>> {
        let file = KeyFile::read(&self.key_path())?;
        let newest = file.register.iter().max_by_key(|g| g.generation);
        Ok(newest.map(|g| g.sealed.iter().map(|c| c.slot_id.clone()).collect()).unwrap_or_default())
    }

    /// Refuses to remove or reset the only holder of the register key while the register holds
    /// entries: they would be unreadable for ever.
    fn refuse_losing_the_register(&self, store: &Store, slot_id: &str) -> Result<()> {
        let holders = self.register_holders()?;
        if holders == [slot_id] && store.complaints_exist()? {
            return Err(Error::invalid(
                "user",
                "这名纪检委员是唯一持有信访举报登记簿密钥的人：请先由其把密钥交给另一名纪检委员（dangan complaints grant），否则登记簿将永远无法打开",
                "this inspector alone holds the complaints register's key: have them give it to another inspector first (dangan complaints grant), or the register can never be opened again",
            ));
        }
        Ok(())
    }

    /// Reads, changes and writes the key file under its lock.
    fn update_key_file(&self, change: impl FnOnce(&mut KeyFile) -> Result<()>) -> Result<()> {
        let _lock = self.lock_key_file()?;
        let mut key_file = KeyFile::read(&self.key_path())?;
        change(&mut key_file)?;
        self.write_key_file(&key_file)
    }

    /// The key file's lock for a reader who needs it to agree with the database (a backup: a
    /// replacement of the register key between reading the key file and copying the database
    /// would pair entries sealed under the new key with a key file holding only the old one).
    /// `None` on read-only media, where nothing can change either.
    pub(crate) fn lock_key_file_to_read(&self) -> Result<Option<fs::File>> {
        match self.lock_key_file() {
            Ok(lock) => Ok(Some(lock)),
            Err(Error::Io { source, .. })
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
                ) =>
            {
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// An exclusive lock on `dangan.key.lock`, so that the app and the CLI changing users at once
    /// cannot write back a key file the other has just changed (and so revive a removed slot).
    /// Released when dropped.
    fn lock_key_file(&self) -> Result<fs::File> {
        let path = self.dir.join("dangan.key.lock");
        let file =
            fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(Error::io(&path))?;
        file.lock().map_err(Error::io(&path))?;
        Ok(file)
    }

    fn write_key_file(&self, key_file: &KeyFile) -> Result<()> {
        key_file.write_atomic(&self.key_path())?;
        restrict_permissions(&self.key_path());
        Ok(())
    }

    /// Reads the key file and opens a slot with `open`, counting wrong secrets (see `attempts`).
    fn unlock_key(
        &self,
        open: impl FnOnce(&KeyFile) -> Result<(DatabaseKey, String, String)>,
    ) -> Result<(DatabaseKey, String, String)> {
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
        let wait = attempts::wait_before_next(&self.dir, &key_file.workspace_id);
        if !wait.is_zero() {
            return Err(Error::TooManyAttempts { wait_secs: wait.as_secs().max(1) });
        }
        let attempt = attempts::begin(&self.dir, &key_file.workspace_id)?;
        let opened = match open(&key_file) {
            Ok(opened) => {
                attempt.succeeded();
                opened
            }
            Err(Error::WrongPassphrase) => {
                attempt.failed();
                return Err(Error::WrongPassphrase);
            }
            Err(other) => {
                attempt.undone();
                return Err(other);
            }
        };
        if key_file.checksum.is_none() {
            // A key file from before checksums: stamp it now. Best effort: on read-only media it
            // stays as it was and still opens.
            let _ = self.update_key_file(|_| Ok(()));
        }
        Ok(opened)
    }
}

/// The key the store was opened with; a store made for benchmarks has none.
fn session_key(store: &Store) -> Result<DatabaseKey> {
    store.key.clone().ok_or(Error::Crypto("this store was opened without a key file"))
}

pub(crate) fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!("口令至少需要 {MIN_PASSPHRASE_CHARS} 个字符"),
            format!("the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    Ok(())
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
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
