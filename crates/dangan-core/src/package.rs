//! A member's whole file as one package between two Dangan offices (issue 17): the person, their
//! steps, records and attachments, where they came from and a summary of their audit trail,
//! sealed under the one-time code printed on their introduction letter.
//!
//! Format: the line `DANGAN-MEMBER 1`, one line of JSON (the envelope: whom it is for, who sent
//! it, the letter's number, the key derivation's salt and cost, the nonce), then the sealed
//! contents: XChaCha20-Poly1305 under a key derived from the code by Argon2id — the primitives of
//! the workspace's key slots, so no new cryptography comes in. The two lines are the AEAD's
//! associated data: a changed byte anywhere, in the envelope or the contents, and a wrong code
//! alike fail to open, and nothing is read. The code travels on paper with the letter, so opening
//! the package proves it came from whoever issued that letter. The contents: the manifest's
//! length (8 bytes, little-endian), the manifest as JSON, then each attachment's bytes in order.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::calendar::Date;
use crate::domain::{FileRecord, MediaType, Person, ProcedureEvent};
use crate::dues::Month;
use crate::keys::KdfParams;
use crate::{Error, Result, Text};

/// What a package's file is called after: `周九.dangan-member`.
pub const EXTENSION: &str = "dangan-member";

const MAGIC: &[u8] = b"DANGAN-MEMBER 1\n";

/// A package larger than this is not one Dangan wrote (a member's file is megabytes).
const MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The one-time code a package opens with: 24 characters in groups of four, printed on the letter.
#[derive(Clone)]
pub struct PackageCode(Zeroizing<String>);

impl PackageCode {
    pub fn generate() -> Result<PackageCode> {
        crate::keys::random_code().map(PackageCode)
    }

    /// Reads a code as a person types it from the letter.
    pub fn parse(typed: &str) -> Result<PackageCode> {
        crate::keys::read_code(typed, "code", ("档案包提取码", "a package code")).map(PackageCode)
    }

    /// As printed: `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`.
    pub fn grouped(&self) -> Zeroizing<String> {
        crate::keys::grouped(&self.0)
    }
}

impl std::fmt::Debug for PackageCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PackageCode(..)")
    }
}

/// The envelope: readable without the code, bound to the contents as associated data.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    /// The receiving organisation, as the letter names it.
    to: String,
    /// The sending committee.
    from: String,
    letter: String,
    created: String,
    kdf: KdfParams,
    salt: String,
    nonce: String,
}

/// What travels, beside the attachments' bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub from_committee: String,
    /// The receiving organisation, as the letter names it.
    pub destination: String,
    pub letter_number: String,
    pub letter_issued_on: Date,
    pub dues_paid_through: Option<Month>,
    /// The person, without the sending office's id and branch.
    pub person: Person,
    /// The person's UUID, which they keep in the receiving office (none in a package of a
    /// Dangan before UUIDs).
    #[serde(default)]
    pub uid: Option<String>,
    /// Their steps, each with the sending office's id (which the records refer to).
    pub steps: Vec<ProcedureEvent>,
    pub records: Vec<PackedRecord>,
    /// One line per change in the sending office's audit log: when, who, what (no values).
    pub history: Vec<String>,
    /// The Dangan version that wrote it.
    pub made_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedRecord {
    /// The record, its `event_id` the sending office's id of the step it documents.
    pub record: FileRecord,
    pub attachments: Vec<PackedAttachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedAttachment {
    pub name: String,
    pub media_type: MediaType,
    pub len: u64,
}

/// A package written: for whom, and the code it opens with (the one on the letter).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageWritten {
    pub name: String,
    pub letter_number: String,
    pub destination: String,
    pub code: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub bytes: u64,
    pub attachments: usize,
}

/// A package opened, or ready to seal: the manifest and each attachment's bytes, in the order of
/// the manifest's records and their attachments.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberPackage {
    pub manifest: Manifest,
    pub blobs: Vec<Vec<u8>>,
}

/// How hard the code is stretched: the code has 120 random bits, so this need not be slow; it
/// only keeps a typed-in wrong code from being tried fast.
const KDF: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Error::Crypto("the system random source failed"))?;
    Ok(bytes)
}

fn damaged(zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::Corrupt { path: "member package".into(), reason: Text::new(zh, en) }
}

/// Seals a package under `code`: the bytes of a `.dangan-member` file.
pub fn seal(package: &MemberPackage, code: &PackageCode) -> Result<Vec<u8>> {
    let manifest = serde_json::to_vec(&package.manifest).map_err(|e| damaged(e.to_string(), e.to_string()))?;
    let total: usize = package.blobs.iter().map(Vec::len).sum();
    let mut plain = Zeroizing::new(Vec::with_capacity(8 + manifest.len() + total));
    plain.extend_from_slice(&(manifest.len() as u64).to_le_bytes());
    plain.extend_from_slice(&manifest);
    for blob in &package.blobs {
        plain.extend_from_slice(blob);
    }
    let (salt, nonce) = (random::<16>()?, random::<24>()?);
    let m = &package.manifest;
    let envelope = Envelope {
        to: m.destination.clone(),
        from: m.from_committee.clone(),
        letter: m.letter_number.clone(),
        created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        kdf: KDF,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
    };
    let mut head = MAGIC.to_vec();
    serde_json::to_writer(&mut head, &envelope).map_err(|e| damaged(e.to_string(), e.to_string()))?;
    head.push(b'\n');
    let key = crate::keys::derive(code.0.as_bytes(), &salt, KDF).map_err(Error::Crypto)?;
    let sealed = XChaCha20Poly1305::new(key.as_ref().into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain, aad: &head })
        .map_err(|_| Error::Crypto("sealing the package failed"))?;
    head.extend_from_slice(&sealed);
    Ok(head)
}

/// Whether a package addressed to `to` is for the committee named `committee`: the letter's
/// destination names the receiving committee (中共某大学委员会, or its organisation department).
pub fn addressed_to(to: &str, committee: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let (to, committee) = (squeeze(to), squeeze(committee));
    !committee.is_empty() && to.contains(&committee)
}

/// The envelope's parts: whom it is for, who sent it and the letter's number, readable without
/// the code (to tell a worker which package this is, and to refuse another office's).
pub struct Addressed {
    pub to: String,
    pub from: String,
    pub letter: String,
}

fn envelope(bytes: &[u8]) -> Result<(Envelope, usize)> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err(damaged("这不是 Dangan 的党员档案包", "this is not a Dangan member package"));
    };
    let Some(end) = rest.iter().position(|b| *b == b'\n') else {
        return Err(damaged("档案包的信封不完整", "the package's envelope is cut short"));
    };
    let envelope: Envelope = serde_json::from_slice(&rest[..end]).map_err(|e| {
        damaged(format!("档案包的信封无法读取：{e}"), format!("the package's envelope is unreadable: {e}"))
    })?;
    if !envelope.kdf.is_sane() {
        return Err(damaged("档案包的信封已损坏", "the package's envelope is damaged"));
    }
    Ok((envelope, MAGIC.len() + end + 1))
}

/// Reads the envelope only.
pub fn address(bytes: &[u8]) -> Result<Addressed> {
    let (e, _) = envelope(bytes)?;
    Ok(Addressed { to: e.to, from: e.from, letter: e.letter })
}

/// Reads a package's file, refusing one too large to be a package before reading any of it (a
/// wrong file chosen by mistake may be gigabytes).
pub fn read(path: &std::path::Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path).map_err(Error::io(path))?.len();
    if size > MAX_BYTES {
        return Err(Error::Corrupt {
            path: path.to_owned(),
            reason: Text::new("档案包过大，不是 Dangan 写出的", "the package is too large to be one Dangan wrote"),
        });
    }
    std::fs::read(path).map_err(Error::io(path))
}

/// Opens a package for the committee named `committee` with `code`: refused, with nothing read,
/// when it is addressed elsewhere, the code is wrong or a byte has changed. `None` for the
/// committee: the worker confirmed the package is for this office though the letter names it
/// otherwise (a college's committee written in another form); the code and the seal still hold.
pub fn open(bytes: &[u8], code: &PackageCode, committee: Option<&str>) -> Result<MemberPackage> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(damaged("档案包过大，不是 Dangan 写出的", "the package is too large to be one Dangan wrote"));
    }
    let (envelope, head_len) = envelope(bytes)?;
    if let Some(committee) = committee.filter(|c| !addressed_to(&envelope.to, c)) {
        return Err(Error::invalid(
            "addressed_here",
            format!(
                "此档案包是{}寄往「{}」的（介绍信第 {} 号），不是寄给本单位「{committee}」的。\
                 若介绍信确为寄给本单位（名称写法不同），请确认后再接收",
                envelope.from, envelope.to, envelope.letter
            ),
            format!(
                "this package is from {} for “{}” (letter {}), not for this office, “{committee}”. \
                 If the letter is for this office under another form of its name, confirm it and receive again",
                envelope.from, envelope.to, envelope.letter
            ),
        ));
    }
    let (Ok(salt), Ok(nonce)) = (hex::decode(&envelope.salt), hex::decode(&envelope.nonce)) else {
        return Err(damaged("档案包的信封已损坏", "the package's envelope is damaged"));
    };
    if nonce.len() != 24 || salt.len() < 8 {
        return Err(damaged("档案包的信封已损坏", "the package's envelope is damaged"));
    }
    let key = crate::keys::derive(code.0.as_bytes(), &salt, envelope.kdf).map_err(Error::Crypto)?;
    let (head, sealed) = bytes.split_at(head_len);
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(key.as_ref().into())
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: sealed, aad: head })
            .map_err(|_| {
                Error::invalid(
                    "code",
                    "提取码不对，或档案包在途中被改动：未导入任何内容",
                    "the code is wrong, or the package was changed on its way: nothing was imported",
                )
            })?,
    );
    unpack(&plain)
}

fn unpack(plain: &[u8]) -> Result<MemberPackage> {
    let broken = || damaged("档案包的内容不完整", "the package's contents are incomplete");
    let (len, rest) = plain.split_first_chunk::<8>().ok_or_else(broken)?;
    let len = usize::try_from(u64::from_le_bytes(*len)).map_err(|_| broken())?;
    if len > rest.len() {
        return Err(broken());
    }
    let (manifest, mut blobs_bytes) = rest.split_at(len);
    let manifest: Manifest = serde_json::from_slice(manifest).map_err(|e| {
        damaged(format!("档案包的目录无法读取：{e}"), format!("the package's manifest is unreadable: {e}"))
    })?;
    let mut blobs = Vec::new();
    for attachment in manifest.records.iter().flat_map(|r| &r.attachments) {
        let len = usize::try_from(attachment.len).map_err(|_| broken())?;
        if len > blobs_bytes.len() {
            return Err(broken());
        }
        let (blob, rest) = blobs_bytes.split_at(len);
        blobs.push(blob.to_vec());
        blobs_bytes = rest;
    }
    if !blobs_bytes.is_empty() {
        return Err(broken());
    }
    Ok(MemberPackage { manifest, blobs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventKind, RecordFields, RecordKind};

    fn package() -> MemberPackage {
        let record = FileRecord {
            version: None,
            id: Some(7),
            person_id: 3,
            kind: RecordKind::ApplicationLetter,
            date: "2023-10-08".parse().unwrap(),
            event_id: Some(5),
            title: Some("入党申请书".into()),
            body: "我志愿加入中国共产党".into(),
            fields: RecordFields::default(),
            attachments: Vec::new(),
        };
        let attachment = PackedAttachment { name: "申请书.pdf".into(), media_type: MediaType::Pdf, len: 5 };
        MemberPackage {
            manifest: Manifest {
                from_committee: "中共甲大学委员会".into(),
                destination: "中共乙大学委员会组织部".into(),
                letter_number: "2026-001".into(),
                letter_issued_on: "2026-06-30".parse().unwrap(),
                dues_paid_through: None,
                person: Person { name: "周九".into(), ..Person::default() },
                uid: Some("5f0c2a4e-8d1b-4c3a-9e7f-0123456789ab".into()),
                steps: vec![ProcedureEvent {
                    id: Some(5),
                    ..ProcedureEvent::new(EventKind::ApplicationReceived, "2023-10-08".parse().unwrap())
                }],
                records: vec![PackedRecord { record, attachments: vec![attachment] }],
                history: vec!["2026-06-30T08:00:00Z 管理员 insert people".into()],
                made_by: "test".into(),
            },
            blobs: vec![b"%PDF-".to_vec()],
        }
    }

    #[test]
    fn a_package_opens_with_its_code_for_its_committee_and_for_no_one_else() {
        let code = PackageCode::generate().unwrap();
        let sealed = seal(&package(), &code).unwrap();
        let typed = code.grouped().to_lowercase();
        let opened = open(&sealed, &PackageCode::parse(&typed).unwrap(), Some("中共乙大学委员会")).unwrap();
        assert_eq!(opened, package());
        assert_eq!(address(&sealed).unwrap().letter, "2026-001");

        let foreign = open(&sealed, &code, Some("中共丙大学委员会")).unwrap_err();
        assert!(matches!(foreign, Error::InvalidInput { ref field, .. } if field == "addressed_here"), "{foreign:?}");
        let wrong = open(&sealed, &PackageCode::generate().unwrap(), Some("中共乙大学委员会")).unwrap_err();
        assert!(matches!(wrong, Error::InvalidInput { ref field, .. } if field == "code"), "{wrong:?}");
    }

    #[test]
    fn a_changed_byte_anywhere_is_refused() {
        let code = PackageCode::generate().unwrap();
        let sealed = seal(&package(), &code).unwrap();
        // One byte in the envelope's letter number, one in the sealed contents, the last one.
        let at_letter = sealed.windows(8).position(|w| w == b"2026-001").unwrap() + 7;
        for at in [at_letter, sealed.len() / 2 + 40, sealed.len() - 1] {
            let mut changed = sealed.clone();
            changed[at] ^= 0x01;
            assert!(open(&changed, &code, Some("中共乙大学委员会")).is_err(), "byte {at} changed and it opened");
        }
        assert!(open(b"DANGAN-BACKUP 1\n{}", &code, Some("中共乙大学委员会")).is_err());
        assert!(open(&sealed[..sealed.len() / 3], &code, Some("中共乙大学委员会")).is_err());
    }

    #[test]
    fn the_destination_names_the_receiving_committee() {
        assert!(addressed_to("中共乙大学委员会组织部", "中共乙大学委员会"));
        assert!(addressed_to(" 中共乙大学 委员会", "中共乙大学委员会"));
        assert!(!addressed_to("中共乙大学委员会", "中共甲大学委员会"));
        assert!(!addressed_to("中共乙大学委员会", ""));
    }
}
