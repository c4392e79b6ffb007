//! The complaints register's key (issue 18): 32 random bytes that encrypt every entry of the
//! register, held only by the discipline inspectors (纪检委员). Each inspector has an X25519 key
//! pair in the key file: the secret half wrapped under the key their passphrase derives (as their
//! slot wraps the database key), the public half in the clear. The register key is sealed to each
//! inspector's public key (a libsodium sealed box, `crypto_box`), so the database key alone, or an
//! administrator's passphrase, opens nothing of the register.
//!
//! An administrator adds an inspector with their key pair but cannot seal the register key to
//! them (it has no copy): the next inspector who signs in does (`KeyFile::grant`). Removing an
//! inspector deletes their sealed copies and asks for a new key (`rotate`), which the next
//! inspector who signs in makes, re-encrypting the entries, so that a copy of the old key file in
//! the removed inspector's hands opens nothing written since.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::Slot;
use crate::{Error, Result};

/// The key that encrypts the register's entries. Zeroised when dropped; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RegisterKey([u8; 32]);

impl RegisterKey {
    pub fn generate() -> Result<RegisterKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| Error::Crypto("the system random source failed"))?;
        Ok(RegisterKey(bytes))
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for RegisterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegisterKey(..)")
    }
}

/// The register keys an inspector holds, by generation (during a rotation an entry may still be
/// under the one before), and the newest, which new entries use.
#[derive(Debug, Clone)]
pub struct RegisterKeys {
    pub(crate) keys: Vec<(u32, RegisterKey)>,
}

impl RegisterKeys {
    /// The newest generation and its key.
    pub(crate) fn newest(&self) -> Option<(u32, &RegisterKey)> {
        self.keys.iter().max_by_key(|(g, _)| *g).map(|(g, k)| (*g, k))
    }

    pub(crate) fn of(&self, generation: u32) -> Option<&RegisterKey> {
        self.keys.iter().find(|(g, _)| *g == generation).map(|(_, k)| k)
    }
}

/// What an inspector's secret is wrapped under: the salt and cost of the key their passphrase
/// derives, and the name bound in (a key file's slot; on a server, the user).
#[derive(Clone, Copy)]
pub(crate) struct Wrapping<'a> {
    pub(crate) id: &'a str,
    pub(crate) salt: &'a [u8],
    pub(crate) kdf_params: super::KdfParams,
}

impl<'a> From<&'a Slot> for Wrapping<'a> {
    fn from(slot: &'a Slot) -> Wrapping<'a> {
        Wrapping { id: &slot.id, salt: &slot.salt, kdf_params: slot.kdf_params }
    }
}

/// An inspector's key pair in the key file, by the slot of their passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorKey {
    pub slot_id: String,
    #[serde(with = "b64")]
    pub public_key: Vec<u8>,
    #[serde(with = "b64")]
    pub nonce: Vec<u8>,
    /// The secret half, encrypted under the key the slot's passphrase derives (32 bytes + tag).
    #[serde(with = "b64")]
    pub wrapped_secret: Vec<u8>,
}

/// One generation of the register key, sealed to each inspector who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterGeneration {
    pub generation: u32,
    pub sealed: Vec<SealedCopy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedCopy {
    pub slot_id: String,
    #[serde(with = "b64")]
    pub sealed: Vec<u8>,
}

fn associated_data(binding: &str, slot_id: &str) -> String {
    format!("dangan-inspector-v1\0{binding}\0{slot_id}")
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Error::Crypto("the system random source failed"))?;
    Ok(bytes)
}

impl InspectorKey {
    /// A new key pair for the inspector whose passphrase opens `slot`.
    pub(crate) fn create(slot: Wrapping<'_>, passphrase: &[u8], binding: &str) -> Result<InspectorKey> {
        let secret = crypto_box::SecretKey::from_bytes(random::<32>()?);
        InspectorKey::wrap(slot, passphrase, binding, &secret)
    }

    /// `secret` wrapped for the inspector whose passphrase opens `slot`.
    pub(crate) fn wrap(
        slot: Wrapping<'_>,
        passphrase: &[u8],
        binding: &str,
        secret: &crypto_box::SecretKey,
    ) -> Result<InspectorKey> {
        let kek = super::derive(passphrase, slot.salt, slot.kdf_params).map_err(Error::Crypto)?;
        let nonce = random::<24>()?;
        let aad = associated_data(binding, slot.id);
        let bytes = Zeroizing::new(secret.to_bytes());
        let wrapped_secret = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: bytes.as_slice(), aad: aad.as_bytes() })
            .map_err(|_| Error::Crypto("wrapping the inspector's key failed"))?;
        Ok(InspectorKey {
            slot_id: slot.id.to_owned(),
            public_key: secret.public_key().as_bytes().to_vec(),
            nonce: nonce.to_vec(),
            wrapped_secret,
        })
    }

    /// The secret half, with the passphrase that opens `slot`.
    pub(crate) fn open(&self, slot: Wrapping<'_>, passphrase: &[u8], binding: &str) -> Result<crypto_box::SecretKey> {
        if self.nonce.len() != 24 || self.wrapped_secret.len() != 48 {
            return Err(Error::Crypto("the inspector's key in the key file is damaged"));
        }
        let kek = super::derive(passphrase, slot.salt, slot.kdf_params).map_err(Error::Crypto)?;
        let aad = associated_data(binding, &self.slot_id);
        let plain = Zeroizing::new(
            XChaCha20Poly1305::new(kek.as_ref().into())
                .decrypt(XNonce::from_slice(&self.nonce), Payload { msg: &self.wrapped_secret, aad: aad.as_bytes() })
                .map_err(|_| Error::Crypto("the inspector's key does not open with this passphrase"))?,
        );
        let bytes: [u8; 32] =
            plain.as_slice().try_into().map_err(|_| Error::Crypto("the inspector's key has the wrong length"))?;
        Ok(crypto_box::SecretKey::from_bytes(bytes))
    }

    fn public(&self) -> Result<crypto_box::PublicKey> {
        let bytes: [u8; 32] = self
            .public_key
            .as_slice()
            .try_into()
            .map_err(|_| Error::Crypto("an inspector's public key in the key file is damaged"))?;
        Ok(crypto_box::PublicKey::from_bytes(bytes))
    }

    /// The register key sealed to this inspector.
    pub(crate) fn seal(&self, key: &RegisterKey) -> Result<SealedCopy> {
        let sealed = self
            .public()?
            .seal(&mut crypto_box::aead::OsRng, key.as_bytes())
            .map_err(|_| Error::Crypto("sealing the register key failed"))?;
        Ok(SealedCopy { slot_id: self.slot_id.clone(), sealed })
    }
}

/// Opens a sealed copy of the register key with the inspector's secret.
pub(crate) fn unseal(secret: &crypto_box::SecretKey, copy: &SealedCopy) -> Result<RegisterKey> {
    let plain = Zeroizing::new(
        secret.unseal(&copy.sealed).map_err(|_| Error::Crypto("the register key sealed to you does not open"))?,
    );
    let bytes: [u8; 32] =
        plain.as_slice().try_into().map_err(|_| Error::Crypto("the register key has the wrong length"))?;
    Ok(RegisterKey(bytes))
}

/// Encrypts `plain` under a register key, bound to what it is (`context`: the entry's id and
/// generation), with a fresh nonce in front; as base64, for a text column.
pub(crate) fn seal_entry(key: &RegisterKey, context: &str, plain: &[u8]) -> Result<String> {
    Ok(B64.encode(seal_bytes(key, context, plain)?))
}

/// [`seal_entry`] as raw bytes (an attachment's content).
pub(crate) fn seal_bytes(key: &RegisterKey, context: &str, plain: &[u8]) -> Result<Vec<u8>> {
    let nonce = random::<24>()?;
    let sealed = XChaCha20Poly1305::new(key.as_bytes().into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: context.as_bytes() })
        .map_err(|_| Error::Crypto("encrypting a register entry failed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts what [`seal_entry`] made.
pub(crate) fn open_entry(key: &RegisterKey, context: &str, sealed: &str) -> Result<Zeroizing<Vec<u8>>> {
    let bytes = B64.decode(sealed).map_err(|_| Error::Crypto("a register entry is damaged"))?;
    open_bytes(key, context, &bytes)
}

/// Decrypts what [`seal_bytes`] made.
pub(crate) fn open_bytes(key: &RegisterKey, context: &str, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if bytes.len() < 24 + 16 {
        return Err(Error::Crypto("a register entry is damaged"));
    }
    let (nonce, body) = bytes.split_at(24);
    let plain = XChaCha20Poly1305::new(key.as_bytes().into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: context.as_bytes() })
        .map_err(|_| Error::Crypto("a register entry does not open: damaged, or under another key"))?;
    Ok(Zeroizing::new(plain))
}

mod b64 {
    use super::*;

    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        B64.decode(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{DatabaseKey, KdfParams, SlotKind};

    fn slot(passphrase: &str) -> Slot {
        let key = DatabaseKey::generate().unwrap();
        Slot::seal("slot-2", SlotKind::Passphrase, "纪检甲", passphrase.as_bytes(), &key, KdfParams::FOR_TESTS, "ws")
            .unwrap()
    }

    #[test]
    fn the_register_key_opens_only_for_the_inspector_it_was_sealed_to() {
        let (mine, theirs) = (slot("inspector one"), slot("inspector two"));
        let me = InspectorKey::create((&mine).into(), b"inspector one", "ws").unwrap();
        let them = InspectorKey::create((&theirs).into(), b"inspector two", "ws").unwrap();
        let register = RegisterKey::generate().unwrap();
        let copy = me.seal(&register).unwrap();
        let secret = me.open((&mine).into(), b"inspector one", "ws").unwrap();
        assert_eq!(unseal(&secret, &copy).unwrap().as_bytes(), register.as_bytes());
        // Another inspector's secret, a wrong passphrase, another workspace: nothing.
        let other = them.open((&theirs).into(), b"inspector two", "ws").unwrap();
        assert!(unseal(&other, &copy).is_err());
        assert!(me.open((&mine).into(), b"inspector two", "ws").is_err());
        assert!(me.open((&mine).into(), b"inspector one", "another workspace").is_err());
    }

    #[test]
    fn an_entry_opens_with_its_key_and_context_only() {
        let key = RegisterKey::generate().unwrap();
        let sealed = seal_entry(&key, "complaint 1 1", "举报内容".as_bytes()).unwrap();
        assert!(!sealed.contains("举报"));
        assert_eq!(open_entry(&key, "complaint 1 1", &sealed).unwrap().as_slice(), "举报内容".as_bytes());
        assert!(open_entry(&key, "complaint 2 1", &sealed).is_err(), "moved to another entry");
        assert!(open_entry(&RegisterKey::generate().unwrap(), "complaint 1 1", &sealed).is_err());
        assert_eq!(format!("{key:?}"), "RegisterKey(..)");
    }
}
