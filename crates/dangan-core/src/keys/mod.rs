//! Keys: the database key and the key file whose slots wrap it.
//!
//! The database is encrypted with 32 random bytes, never with anything derived directly from a
//! passphrase. Each *slot* of the key file wraps that key with a key derived from one secret
//! (Argon2id), under an AEAD (XChaCha20-Poly1305). So a wrong passphrase is detected by the
//! slot's authentication tag before the database is opened, and changing a passphrase rewrites
//! one slot, never the database. Each user has a slot of their own, and the recovery code one more.

mod keyfile;
mod recovery;
mod register;
mod slot;

pub use keyfile::{KEYFILE_FORMAT, KEYFILE_VERSION, KeyFile};
pub use recovery::RecoveryCode;
pub(crate) use recovery::{grouped, random_code, read_code};
pub use register::{InspectorKey, RegisterGeneration, RegisterKey, RegisterKeys, SealedCopy};
pub(crate) use register::{Wrapping, open_bytes, open_entry, seal_bytes, seal_entry, unseal};
pub(crate) use slot::derive;
pub use slot::{KdfParams, Slot, SlotKind};

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The key that encrypts the database. Zeroised when dropped; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DatabaseKey([u8; 32]);

impl DatabaseKey {
    /// 32 bytes from the operating system's random source.
    pub fn generate() -> crate::Result<DatabaseKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| crate::Error::Crypto("the system random source failed"))?;
        Ok(DatabaseKey(bytes))
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> DatabaseKey {
        DatabaseKey(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(..)")
    }
}
