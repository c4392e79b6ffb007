//! A key slot: the database key wrapped under a key derived from one secret.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::DatabaseKey;
use crate::Error;

/// Whose secret opens the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// A passphrase somebody types.
    Passphrase,
    /// The high-entropy recovery code kept on paper in the office safe.
    Recovery,
}

/// Argon2id cost parameters, stored with each slot so they can be raised later without breaking
/// old slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// 64 MiB, 3 passes, 1 lane: about a quarter of a second on an office PC, and memory-hard
    /// enough that guessing passphrases on a stolen laptop is slow.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };

    /// Cheap parameters for unit tests only.
    #[cfg(test)]
    pub const FOR_TESTS: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

    /// Whether the parameters are ones Dangan could have written. Outside these bounds a slot is
    /// damage, not a setting: 4 TB of memory aborts the process on allocation, four billion
    /// passes never end.
    pub fn is_sane(self) -> bool {
        // 8 KiB per lane is Argon2's own floor; 4 GiB and 64 passes are far above any default.
        (1..=16).contains(&self.parallelism)
            && (8 * self.parallelism..=4 * 1024 * 1024).contains(&self.memory_kib)
            && (1..=64).contains(&self.iterations)
    }
}

/// One slot of the key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Unique within the key file; bound into the AEAD so slots cannot be swapped.
    pub id: String,
    pub kind: SlotKind,
    /// Who the slot belongs to (a user name, "recovery").
    pub label: String,
    pub kdf: String,
    pub kdf_params: KdfParams,
    #[serde(with = "b64")]
    pub salt: Vec<u8>,
    pub cipher: String,
    #[serde(with = "b64")]
    pub nonce: Vec<u8>,
    /// The database key encrypted and authenticated (32 bytes + 16-byte tag).
    #[serde(with = "b64")]
    pub wrapped_key: Vec<u8>,
}

const KDF: &str = "argon2id-v19";
const CIPHER: &str = "xchacha20poly1305";

/// Why a slot did not open.
#[derive(Debug, PartialEq, Eq)]
pub enum UnwrapError {
    /// The authentication tag did not verify: the secret is wrong (or the slot was altered).
    WrongSecret,
    /// The slot names an algorithm or holds values this version cannot use.
    Malformed(&'static str),
}

impl Slot {
    /// Wraps `key` under `secret`, with a fresh salt and nonce.
    pub fn seal(
        id: &str,
        kind: SlotKind,
        label: &str,
        secret: &[u8],
        key: &DatabaseKey,
        params: KdfParams,
        binding: &str,
    ) -> crate::Result<Slot> {
        let mut salt = vec![0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| Error::Crypto("the system random source failed"))?;
        let mut nonce = vec![0u8; 24];
        getrandom::fill(&mut nonce).map_err(|_| Error::Crypto("the system random source failed"))?;
        let kek = derive(secret, &salt, params).map_err(Error::Crypto)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = associated_data(binding, id);
        let wrapped_key = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.as_bytes(), aad: aad.as_bytes() })
            .map_err(|_| Error::Crypto("encrypting the key slot failed"))?;
        Ok(Slot {
            id: id.to_owned(),
            kind,
            label: label.to_owned(),
            kdf: KDF.into(),
            kdf_params: params,
            salt,
            cipher: CIPHER.into(),
            nonce,
            wrapped_key,
        })
    }

    /// What makes the slot unusable whatever the secret, if anything: an unknown algorithm, a
    /// field of the wrong length, key-derivation parameters out of bounds.
    pub fn malformed(&self) -> Option<&'static str> {
        if self.kdf != KDF {
            return Some("unknown key derivation");
        }
        if self.cipher != CIPHER {
            return Some("unknown cipher");
        }
        if self.nonce.len() != 24 || self.salt.len() < 8 || self.wrapped_key.len() != 48 {
            return Some("wrong field length");
        }
        if !self.kdf_params.is_sane() {
            return Some("key derivation parameters out of bounds");
        }
        None
    }

    /// Unwraps the database key with `secret`.
    pub fn open(&self, secret: &[u8], binding: &str) -> Result<DatabaseKey, UnwrapError> {
        if let Some(why) = self.malformed() {
            return Err(UnwrapError::Malformed(why));
        }
        let kek = derive(secret, &self.salt, self.kdf_params).map_err(UnwrapError::Malformed)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = associated_data(binding, &self.id);
        let plain = Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(&self.nonce), Payload { msg: &self.wrapped_key, aad: aad.as_bytes() })
                .map_err(|_| UnwrapError::WrongSecret)?,
        );
        let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| UnwrapError::Malformed("wrong key length"))?;
        Ok(DatabaseKey::from_bytes(bytes))
    }
}

/// Binds a slot to its workspace and its own id, so a slot copied from another key file, or
/// moved to another id, does not open.
fn associated_data(binding: &str, slot_id: &str) -> String {
    format!("dangan-keyslot-v1\0{binding}\0{slot_id}")
}

pub(crate) fn derive(secret: &[u8], salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; 32]>, &'static str> {
    let params =
        Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32)).map_err(|_| "bad Argon2 parameters")?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(secret, salt, out.as_mut()).map_err(|_| "key derivation failed")?;
    Ok(out)
}

mod b64 {
    use super::*;

    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        B64.decode(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed() -> (Slot, DatabaseKey) {
        let key = DatabaseKey::generate().unwrap();
        let slot =
            Slot::seal("s1", SlotKind::Passphrase, "admin", b"correct horse", &key, KdfParams::FOR_TESTS, "ws-1")
                .unwrap();
        (slot, key)
    }

    #[test]
    fn the_right_secret_unwraps_the_key() {
        let (slot, key) = sealed();
        let opened = slot.open(b"correct horse", "ws-1").unwrap();
        assert_eq!(opened.as_bytes(), key.as_bytes());
    }

    #[test]
    fn a_wrong_secret_is_refused() {
        let (slot, _) = sealed();
        assert_eq!(slot.open(b"correct hors", "ws-1").unwrap_err(), UnwrapError::WrongSecret);
    }

    #[test]
    fn a_slot_does_not_open_in_another_workspace_or_under_another_id() {
        let (mut slot, _) = sealed();
        assert_eq!(slot.open(b"correct horse", "ws-2").unwrap_err(), UnwrapError::WrongSecret);
        slot.id = "s2".into();
        assert_eq!(slot.open(b"correct horse", "ws-1").unwrap_err(), UnwrapError::WrongSecret);
    }

    #[test]
    fn a_tampered_slot_is_refused() {
        let (mut slot, _) = sealed();
        slot.wrapped_key[0] ^= 1;
        assert_eq!(slot.open(b"correct horse", "ws-1").unwrap_err(), UnwrapError::WrongSecret);
        slot.cipher = "aes".into();
        assert!(matches!(slot.open(b"correct horse", "ws-1"), Err(UnwrapError::Malformed(_))));
    }

    #[test]
    fn key_derivation_parameters_out_of_bounds_are_damage_not_work() {
        let (mut slot, _) = sealed();
        for params in [
            KdfParams { memory_kib: 4_194_304_000, iterations: 3, parallelism: 1 },
            KdfParams { memory_kib: 65536, iterations: 4_000_000_000, parallelism: 1 },
            KdfParams { memory_kib: 65536, iterations: 3, parallelism: 0 },
            KdfParams { memory_kib: 4, iterations: 3, parallelism: 1 },
        ] {
            slot.kdf_params = params;
            // Refused at once, before any memory is taken or any pass is run.
            let started = std::time::Instant::now();
            assert_eq!(
                slot.open(b"correct horse", "ws-1").unwrap_err(),
                UnwrapError::Malformed("key derivation parameters out of bounds"),
                "{params:?}"
            );
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        }
        assert!(KdfParams::DEFAULT.is_sane());
    }

    #[test]
    fn the_key_never_appears_in_debug_output() {
        let (_, key) = sealed();
        assert_eq!(format!("{key:?}"), "DatabaseKey(..)");
    }
}
