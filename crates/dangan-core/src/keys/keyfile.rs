//! The key file (`dangan.key`): a versioned list of slots that each wrap the database key.
//!
//! It holds nothing readable about members and no key in the clear; it is still written
//! atomically (temporary file, fsync, rename) because losing it loses the database.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::slot::UnwrapError;
use super::{DatabaseKey, KdfParams, RecoveryCode, Slot, SlotKind};
use crate::{Error, Result, Text};

pub const KEYFILE_FORMAT: &str = "dangan-keyfile";
/// The version this build writes and the newest it reads.
pub const KEYFILE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    /// Random id of the workspace; bound into every slot.
    pub workspace_id: String,
    pub slots: Vec<Slot>,
}

impl KeyFile {
    /// A key file with one passphrase slot wrapping `key`.
    pub fn create(key: &DatabaseKey, label: &str, passphrase: &str, params: KdfParams) -> Result<KeyFile> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| Error::Crypto("the system random source failed"))?;
        let workspace_id = hex::encode(id);
        let slot =
            Slot::seal("slot-1", SlotKind::Passphrase, label, passphrase.as_bytes(), key, params, &workspace_id)?;
        Ok(KeyFile { format: KEYFILE_FORMAT.into(), version: KEYFILE_VERSION, workspace_id, slots: vec![slot] })
    }

    /// Reads and checks a key file. A damaged or foreign file is `Corrupt`, never a panic.
    pub fn read(path: &Path) -> Result<KeyFile> {
        let bytes = fs::read(path).map_err(Error::io(path))?;
        let corrupt = |zh: &str, en: &str| Error::Corrupt { path: path.to_owned(), reason: Text::new(zh, en) };
        let file: KeyFile =
            serde_json::from_slice(&bytes).map_err(|_| corrupt("密钥文件无法解析", "the key file cannot be parsed"))?;
        if file.format != KEYFILE_FORMAT {
            return Err(corrupt("这不是 Dangan 的密钥文件", "this is not a Dangan key file"));
        }
        if file.version > KEYFILE_VERSION {
            return Err(corrupt(
                "密钥文件来自更新版本的 Dangan，请升级",
                "the key file was written by a newer Dangan; upgrade",
            ));
        }
        if file.slots.is_empty() {
            return Err(corrupt("密钥文件中没有密钥槽", "the key file has no key slot"));
        }
        Ok(file)
    }

    /// Writes the file so that a crash leaves either the old or the new version, never half.
    pub fn write_atomic(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|_| Error::Crypto("the key file could not be encoded"))?;
        let tmp = path.with_extension("key.tmp");
        let mut file = fs::File::create(&tmp).map_err(Error::io(&tmp))?;
        file.write_all(&json).map_err(Error::io(&tmp))?;
        file.sync_all().map_err(Error::io(&tmp))?;
        drop(file);
        fs::rename(&tmp, path).map_err(Error::io(path))?;
        if let Some(dir) = path.parent() {
            // Make the rename itself durable; not possible (nor needed) on every platform.
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }

    /// Opens the first passphrase slot that `passphrase` unlocks; returns the key and that slot's id.
    pub fn unlock(&self, passphrase: &str) -> Result<(DatabaseKey, String)> {
        self.unlock_as(None, passphrase).map(|(key, slot)| (key, slot.id.clone()))
    }

    /// Opens `user`'s passphrase slot (any passphrase slot when `user` is `None`). A user with no
    /// slot gets the same answer as a wrong passphrase, so names cannot be probed.
    pub fn unlock_as(&self, user: Option<&str>, passphrase: &str) -> Result<(DatabaseKey, &Slot)> {
        let user = user.map(str::trim).filter(|u| !u.is_empty());
        let slots = self.slots.iter().filter(|s| s.kind == SlotKind::Passphrase && user.is_none_or(|u| s.label == u));
        self.open_first(slots, passphrase.as_bytes())
    }

    /// Opens the recovery slot with the recovery code (already normalised).
    pub fn unlock_recovery(&self, code: &RecoveryCode) -> Result<DatabaseKey> {
        let slots = self.slots.iter().filter(|s| s.kind == SlotKind::Recovery);
        self.open_first(slots, code.secret()).map(|(key, _)| key)
    }

    fn open_first<'s>(
        &'s self,
        slots: impl Iterator<Item = &'s Slot>,
        secret: &[u8],
    ) -> Result<(DatabaseKey, &'s Slot)> {
        let mut malformed = None;
        for slot in slots {
            match slot.open(secret, &self.workspace_id) {
                Ok(key) => return Ok((key, slot)),
                Err(UnwrapError::WrongSecret) => {}
                Err(UnwrapError::Malformed(why)) => malformed = Some(why),
            }
        }
        match malformed {
            Some(why) => Err(Error::Corrupt {
                path: "dangan.key".into(),
                reason: Text::new(format!("密钥槽无法使用（{why}）"), format!("a key slot is unusable ({why})")),
            }),
            None => Err(Error::WrongPassphrase),
        }
    }

    /// Adds a slot wrapping `key` under `secret`; returns its id (random, never reused).
    pub fn add_slot(
        &mut self,
        kind: SlotKind,
        label: &str,
        secret: &[u8],
        key: &DatabaseKey,
        params: KdfParams,
    ) -> Result<String> {
        let mut id = [0u8; 8];
        getrandom::fill(&mut id).map_err(|_| Error::Crypto("the system random source failed"))?;
        let id = format!("slot-{}", hex::encode(id));
        self.slots.push(Slot::seal(&id, kind, label, secret, key, params, &self.workspace_id)?);
        Ok(id)
    }

    /// Removes a slot: whoever held it can no longer open the workspace.
    pub fn remove_slot(&mut self, slot_id: &str) {
        self.slots.retain(|s| s.id != slot_id);
    }

    /// Replaces the recovery slot (if any) with one for `code`.
    pub fn set_recovery(&mut self, code: &RecoveryCode, key: &DatabaseKey, params: KdfParams) -> Result<()> {
        self.slots.retain(|s| s.kind != SlotKind::Recovery);
        self.add_slot(SlotKind::Recovery, "recovery", code.secret(), key, params).map(|_| ())
    }

    pub fn has_recovery(&self) -> bool {
        self.slots.iter().any(|s| s.kind == SlotKind::Recovery)
    }

    /// Replaces the slot `slot_id` with one that wraps the same key under a new passphrase.
    pub fn rewrap(&mut self, slot_id: &str, key: &DatabaseKey, new_passphrase: &str, params: KdfParams) -> Result<()> {
        let slot = self.slots.iter_mut().find(|s| s.id == slot_id).ok_or_else(|| Error::NotFound {
            what: Text::new(format!("密钥槽 {slot_id}"), format!("key slot {slot_id}")),
        })?;
        *slot =
            Slot::seal(&slot.id, slot.kind, &slot.label, new_passphrase.as_bytes(), key, params, &self.workspace_id)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_round_trips_and_unlocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dangan.key");
        let key = DatabaseKey::generate().unwrap();
        let file = KeyFile::create(&key, "admin", "passphrase-1", KdfParams::FOR_TESTS).unwrap();
        file.write_atomic(&path).unwrap();
        let read = KeyFile::read(&path).unwrap();
        assert_eq!(read, file);
        let (opened, slot) = read.unlock("passphrase-1").unwrap();
        assert_eq!(opened.as_bytes(), key.as_bytes());
        assert_eq!(slot, "slot-1");
        assert!(matches!(read.unlock("passphrase-2"), Err(Error::WrongPassphrase)));
        assert!(!dir.path().join("dangan.key.tmp").exists());
    }

    #[test]
    fn rewrapping_changes_the_passphrase_but_not_the_key() {
        let key = DatabaseKey::generate().unwrap();
        let mut file = KeyFile::create(&key, "admin", "old passphrase", KdfParams::FOR_TESTS).unwrap();
        file.rewrap("slot-1", &key, "new passphrase", KdfParams::FOR_TESTS).unwrap();
        assert!(matches!(file.unlock("old passphrase"), Err(Error::WrongPassphrase)));
        assert_eq!(file.unlock("new passphrase").unwrap().0.as_bytes(), key.as_bytes());
    }

    #[test]
    fn damaged_key_files_are_reported_not_panicked_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dangan.key");
        for bad in [
            &b""[..],
            b"{",
            b"{\"format\":\"other\",\"version\":1,\"workspace_id\":\"x\",\"slots\":[]}",
            &[0xff, 0xfe, 0x00],
        ] {
            fs::write(&path, bad).unwrap();
            assert!(matches!(KeyFile::read(&path), Err(Error::Corrupt { .. })), "{bad:?}");
        }
        let key = DatabaseKey::generate().unwrap();
        let mut file = KeyFile::create(&key, "admin", "p", KdfParams::FOR_TESTS).unwrap();
        file.version = KEYFILE_VERSION + 1;
        file.write_atomic(&path).unwrap();
        let err = KeyFile::read(&path).unwrap_err();
        assert!(err.message(crate::Lang::En).contains("newer"), "{err}");
    }
}
