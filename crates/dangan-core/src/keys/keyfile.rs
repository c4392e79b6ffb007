//! The key file (`dangan.key`): a versioned list of slots that each wrap the database key.
//!
//! It holds nothing readable about members and no key in the clear; it is still written
//! atomically (temporary file, fsync, rename) because losing it loses the database.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::register::{InspectorKey, RegisterGeneration, SealedCopy};
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
    /// The discipline inspectors' key pairs (`register.rs`), by their slots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspectors: Vec<InspectorKey>,
    /// The complaints register's key, each generation sealed to the inspectors who hold it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub register: Vec<RegisterGeneration>,
    /// An inspector was removed since the newest generation: the next inspector to sign in makes
    /// a new one and re-encrypts the entries.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub register_rotate: bool,
    /// SHA-256 of the rest ([`KeyFile::checksum`]), so that a damaged byte reads as damage
    /// ("restore from a backup") and not as a wrong passphrase, which would count toward the
    /// lockout and give no hint. Absent in files written before it existed; added on the next
    /// unlock. Not a defence against someone who edits the file: the slots' own tags are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
}

/// The parts of the key file the checksum covers, in the order they are written.
#[derive(Serialize)]
struct Covered<'a> {
    format: &'a str,
    version: u32,
    workspace_id: &'a str,
    slots: &'a [Slot],
    // Left out when empty, so that a key file from before the register keeps its checksum.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    inspectors: &'a [InspectorKey],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    register: &'a [RegisterGeneration],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    register_rotate: bool,
}

impl KeyFile {
    /// A key file with one passphrase slot wrapping `key`.
    pub fn create(key: &DatabaseKey, label: &str, passphrase: &str, params: KdfParams) -> Result<KeyFile> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| Error::Crypto("the system random source failed"))?;
        let workspace_id = hex::encode(id);
        let slot =
            Slot::seal("slot-1", SlotKind::Passphrase, label, passphrase.as_bytes(), key, params, &workspace_id)?;
        Ok(KeyFile {
            format: KEYFILE_FORMAT.into(),
            version: KEYFILE_VERSION,
            workspace_id,
            slots: vec![slot],
            inspectors: Vec::new(),
            register: Vec::new(),
            register_rotate: false,
            checksum: None,
        })
    }

    /// The SHA-256 (hex) of everything but the checksum, as compact JSON.
    pub fn computed_checksum(&self) -> String {
        use sha2::Digest;
        let covered = Covered {
            format: &self.format,
            version: self.version,
            workspace_id: &self.workspace_id,
            slots: &self.slots,
            inspectors: &self.inspectors,
            register: &self.register,
            register_rotate: self.register_rotate,
        };
        let bytes = serde_json::to_vec(&covered).unwrap_or_default();
        hex::encode(sha2::Sha256::digest(bytes))
    }

    /// What is damaged, slot by slot, beyond what [`KeyFile::read`] refuses: used by `verify`.
    pub fn problems(&self) -> Vec<Text> {
        // A file from before checksums is not damaged: the next unlock stamps it.
        let mut problems = Vec::new();
        if !self.slots.iter().any(|s| s.kind == SlotKind::Passphrase) {
            problems.push(Text::new("密钥文件中没有口令密钥槽", "the key file has no passphrase slot"));
        }
        for slot in &self.slots {
            if let Some(why) = slot.malformed() {
                let label = crate::text::excerpt(&slot.label, 40);
                problems.push(Text::new(
                    format!("密钥槽「{label}」无法使用（{why}）"),
                    format!("key slot “{label}” is unusable ({why})"),
                ));
            }
        }
        problems
    }

    /// What keeps the complaints register from opening, given the key generations its entries and
    /// files are sealed under (`in_use`): a generation the key file lacks, or one no inspector
    /// holds a copy of, makes those entries unreadable for ever. Used by `verify`.
    pub fn register_problems(&self, in_use: &[u32]) -> Vec<Text> {
        let mut problems = Vec::new();
        for &generation in in_use {
            let held = self.register.iter().find(|g| g.generation == generation);
            let inspectors = |copy: &SealedCopy| self.inspectors.iter().any(|i| i.slot_id == copy.slot_id);
            match held {
                None => problems.push(Text::new(
                    format!("信访举报登记簿中有记录以第 {generation} 代密钥加密，但密钥文件中没有这一代密钥：这些记录无法打开"),
                    format!(
                        "complaints register entries are sealed under key generation {generation}, which the key file does not hold: they cannot be opened"
                    ),
                )),
                Some(g) if !g.sealed.iter().any(inspectors) => problems.push(Text::new(
                    format!("信访举报登记簿第 {generation} 代密钥没有任何纪检委员持有：以其加密的记录无法打开"),
                    format!(
                        "no discipline inspector holds generation {generation} of the complaints register's key: the entries sealed under it cannot be opened"
                    ),
                )),
                Some(_) => {}
            }
        }
        problems
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
        if file.checksum.as_ref().is_some_and(|sum| *sum != file.computed_checksum()) {
            return Err(corrupt(
                "密钥文件内容与其校验和不符（文件受损）",
                "the key file does not match its checksum (the file is damaged)",
            ));
        }
        if let Some(slot) = file.slots.iter().find(|s| !s.kdf_params.is_sane()) {
            let label = crate::text::excerpt(&slot.label, 40);
            return Err(Error::Corrupt {
                path: path.to_owned(),
                reason: Text::new(
                    format!("密钥槽「{label}」的密钥派生参数超出合理范围（文件受损）"),
                    format!("key slot “{label}” has key-derivation parameters out of bounds (the file is damaged)"),
                ),
            });
        }
        Ok(file)
    }

    /// Writes the file so that a crash leaves either the old or the new version, never half.
    pub fn write_atomic(&self, path: &Path) -> Result<()> {
        let stamped = KeyFile { checksum: Some(self.computed_checksum()), ..self.clone() };
        let json =
            serde_json::to_vec_pretty(&stamped).map_err(|_| Error::Crypto("the key file could not be encoded"))?;
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

    /// Removes a slot: whoever held it can no longer open the workspace. An inspector's key pair
    /// and sealed copies of the register key go with it, and the register key is to be replaced.
    pub fn remove_slot(&mut self, slot_id: &str) {
        self.slots.retain(|s| s.id != slot_id);
        self.forget_inspector(slot_id);
    }

    /// Drops an inspector's key pair and every copy of the register key sealed to them; while a
    /// register exists, the next inspector to sign in replaces its key.
    pub fn forget_inspector(&mut self, slot_id: &str) {
        let was = self.inspectors.iter().any(|i| i.slot_id == slot_id);
        self.inspectors.retain(|i| i.slot_id != slot_id);
        for generation in &mut self.register {
            generation.sealed.retain(|c| c.slot_id != slot_id);
        }
        if was && !self.register.is_empty() {
            self.register_rotate = true;
        }
    }

    /// The slot `slot_id`, if there is one.
    pub fn slot(&self, slot_id: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.id == slot_id)
    }

    /// Gives the inspector of `slot_id` a new key pair under `passphrase` (a new inspector, or one
    /// whose passphrase an administrator set anew: their old secret is gone with the old one).
    pub fn new_inspector_key(&mut self, slot_id: &str, passphrase: &str) -> Result<()> {
        let slot = self.slot(slot_id).ok_or_else(|| Error::NotFound {
            what: Text::new(format!("密钥槽 {slot_id}"), format!("key slot {slot_id}")),
        })?;
        let key = InspectorKey::create(slot.into(), passphrase.as_bytes(), &self.workspace_id)?;
        let rotate = self.register_rotate;
        self.forget_inspector(slot_id);
        // A new key pair for the same inspector is no removal: nothing to replace for it.
        self.register_rotate = rotate;
        self.inspectors.push(key);
        Ok(())
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

    /// Gives an inspector a new key pair under their new passphrase (their slot already
    /// rewrapped), opening the old secret with the old one and sealing every register key they
    /// held to the new public key: an old copy of the key file with the old passphrase then opens
    /// no key made after.
    pub fn rewrap_inspector(&mut self, old_slot: &Slot, old_passphrase: &str, new_passphrase: &str) -> Result<()> {
        let Some(at) = self.inspectors.iter().position(|i| i.slot_id == old_slot.id) else { return Ok(()) };
        let old_secret = self.inspectors[at].open(old_slot.into(), old_passphrase.as_bytes(), &self.workspace_id)?;
        let slot = self.slot(&old_slot.id).ok_or(Error::Crypto("the rewrapped slot is missing"))?;
        let renewed = InspectorKey::create(slot.into(), new_passphrase.as_bytes(), &self.workspace_id)?;
        for generation in &mut self.register {
            if let Some(copy) = generation.sealed.iter_mut().find(|c| c.slot_id == old_slot.id) {
                let key = super::register::unseal(&old_secret, copy)?;
                *copy = renewed.seal(&key)?;
            }
        }
        self.inspectors[at] = renewed;
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
        assert_eq!(read, KeyFile { checksum: Some(file.computed_checksum()), ..file.clone() });
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
        // Each refusal says what is wrong with the file.
        for (bad, why) in [
            (
                &b"{\"format\":\"dangan-keyfile\",\"version\":1,\"workspace_id\":\"x\",\"slots\":[]}"[..],
                "has no key slot",
            ),
            (b"{\"format\":\"other\",\"version\":1,\"workspace_id\":\"x\",\"slots\":[]}", "not a Dangan key file"),
            (b"{", "cannot be parsed"),
        ] {
            fs::write(&path, bad).unwrap();
            let err = KeyFile::read(&path).unwrap_err();
            assert!(err.message(crate::Lang::En).contains(why), "{why}: {err}");
        }
        let key = DatabaseKey::generate().unwrap();
        let mut file = KeyFile::create(&key, "admin", "p", KdfParams::FOR_TESTS).unwrap();
        file.version = KEYFILE_VERSION + 1;
        file.write_atomic(&path).unwrap();
        let err = KeyFile::read(&path).unwrap_err();
        assert!(err.message(crate::Lang::En).contains("newer"), "{err}");
    }

    /// One flipped character anywhere that still parses (the salt, the wrapped key, the id, the
    /// parameters) is damage, said as such: never "wrong passphrase".
    #[test]
    fn a_flipped_byte_reads_as_damage_not_as_a_wrong_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dangan.key");
        let key = DatabaseKey::generate().unwrap();
        let mut file = KeyFile::create(&key, "admin", "p", KdfParams::FOR_TESTS).unwrap();
        file.set_recovery(&RecoveryCode::generate().unwrap(), &key, KdfParams::FOR_TESTS).unwrap();
        file.write_atomic(&path).unwrap();
        let good = fs::read_to_string(&path).unwrap();
        let mut damaged_reads = 0;
        for field in ["\"salt\": \"", "\"wrapped_key\": \"", "\"workspace_id\": \"", "\"nonce\": \""] {
            for at in good.match_indices(field).map(|(i, _)| i + field.len() + 2) {
                let mut bad = good.clone().into_bytes();
                // Swap one base64/hex digit for another: the JSON still parses.
                bad[at] = if bad[at] == b'A' || bad[at] == b'a' { b'b' } else { b'a' };
                fs::write(&path, &bad).unwrap();
                let err = KeyFile::read(&path).unwrap_err();
                assert!(matches!(err, Error::Corrupt { .. }), "{field} at {at}: {err:?}");
                assert!(err.message(crate::Lang::En).contains("Restore it from a backup"), "{err}");
                damaged_reads += 1;
            }
        }
        assert_eq!(damaged_reads, 2 * 3 + 1, "both slots' salt, key and nonce, and the id");
        // A slot with absurd parameters, checksum recomputed (an edit, not a flip), is still damage.
        file.slots[0].kdf_params.memory_kib = 4_194_304_000;
        file.write_atomic(&path).unwrap();
        let err = KeyFile::read(&path).unwrap_err();
        assert!(err.message(crate::Lang::En).contains("out of bounds"), "{err}");
    }

    #[test]
    fn a_key_file_from_before_checksums_still_opens_and_says_so_to_verify() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dangan.key");
        let key = DatabaseKey::generate().unwrap();
        let file = KeyFile::create(&key, "admin", "p", KdfParams::FOR_TESTS).unwrap();
        fs::write(&path, serde_json::to_vec_pretty(&file).unwrap()).unwrap();
        let read = KeyFile::read(&path).unwrap();
        assert!(read.checksum.is_none());
        assert!(read.unlock("p").is_ok());
        assert!(read.problems().is_empty(), "{:?}", read.problems());
        read.write_atomic(&path).unwrap();
        assert!(KeyFile::read(&path).unwrap().checksum.is_some(), "written again, it carries one");
    }

    #[test]
    fn a_key_file_without_a_passphrase_slot_or_with_a_malformed_slot_is_named() {
        let key = DatabaseKey::generate().unwrap();
        let mut file = KeyFile::create(&key, "admin", "p", KdfParams::FOR_TESTS).unwrap();
        file.set_recovery(&RecoveryCode::generate().unwrap(), &key, KdfParams::FOR_TESTS).unwrap();
        file.checksum = Some(file.computed_checksum());
        assert!(file.problems().is_empty());
        file.slots[1].cipher = "rot13".into();
        let problems = file.problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].en.contains("key slot “recovery” is unusable (unknown cipher)"), "{problems:?}");
        file.slots.remove(0);
        assert!(file.problems().iter().any(|p| p.en.contains("no passphrase slot")));
        // The branch that opens nothing: a user name with no slot is a wrong passphrase, not damage.
        let only_admin = KeyFile::create(&key, "admin", "p", KdfParams::FOR_TESTS).unwrap();
        assert!(matches!(only_admin.unlock_as(Some("nobody"), "p"), Err(Error::WrongPassphrase)));
    }

    #[test]
    fn verify_names_a_register_generation_the_key_file_lacks_or_no_inspector_holds() {
        let key = DatabaseKey::generate().unwrap();
        let mut file = KeyFile::create(&key, "admin", "p", KdfParams::FOR_TESTS).unwrap();
        assert!(file.register_problems(&[]).is_empty(), "no entries: nothing to hold");
        let slot_id = file.slots[0].id.clone();
        file.new_inspector_key(&slot_id, "p").unwrap();
        let inspector = file.inspectors[0].clone();
        let copy = inspector.seal(&super::super::RegisterKey::generate().unwrap()).unwrap();
        file.register = vec![RegisterGeneration { generation: 2, sealed: vec![copy] }];
        assert!(file.register_problems(&[2]).is_empty(), "held by an inspector");
        let problems = file.register_problems(&[1, 2]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].en.contains("generation 1, which the key file does not hold"), "{problems:?}");
        // The only holder's key pair gone (their slot removed): the generation is held by no one.
        file.inspectors.clear();
        let problems = file.register_problems(&[2]);
        assert!(problems[0].en.contains("no discipline inspector holds generation 2"), "{problems:?}");
    }
}
