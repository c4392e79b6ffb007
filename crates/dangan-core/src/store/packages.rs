//! Member packages as the store makes and takes them: a letter's member gathered whole (person,
//! steps, records with their attachments, the summary of their audit trail) for the receiving
//! office, and a package received registered as an arrival with everything it carried, in one
//! transaction. The format and its sealing are `package.rs`.

use super::Store;
use super::arrivals::Carried;
use super::org::OrgTree;
use super::people::{MemberDetail, load_events, load_person, not_found};
use crate::access::Action;
use crate::arrival::NewArrival;
use crate::calendar::Date;
use crate::domain::{FileRecord, Id, Person, ProcedureEvent};
use crate::package::{Manifest, MemberPackage, PackageCode, PackedAttachment, PackedRecord};
use crate::transfer::{LetterState, TransferLetter};
use crate::{Error, Result};

impl Store {
    /// The member of a letter, gathered whole, with the code printed on the letter. Refused for a
    /// letter cancelled or replaced: the member did not go with it.
    pub fn member_package(&self, letter_id: Id) -> Result<(MemberPackage, PackageCode)> {
        let letter = self.letter(letter_id)?;
        self.require_member(Action::EditMembers, letter.person_id)?;
        check_packable(&letter)?;
        let code = match super::transfers::letter_code(&self.conn, letter_id)? {
            Some(code) => PackageCode::parse(&code)?,
            None => self.give_letter_a_code(letter_id)?,
        };
        let person = load_person(&self.conn, letter.person_id)?.ok_or_else(|| not_found(letter.person_id))?;
        let steps = load_events(&self.conn, letter.person_id)?;
        let (records, blobs) = pack_records(self.records(letter.person_id)?, |attachment| {
            self.attachment(attachment).map(|(_, bytes)| bytes)
        })?;
        let committee = OrgTree::load(&self.conn)?.committee().map(|c| c.name.clone()).unwrap_or_default();
        let uid = self
            .conn
            .prepare_cached("SELECT uid FROM people WHERE id = ?1")?
            .query_row([letter.person_id], |r| r.get(0))?;
        let history = super::audit::member_history(&self.conn, letter.person_id)?;
        let manifest = manifest(letter, committee, person, uid, steps, records, history);
        Ok((MemberPackage { manifest, blobs }, code))
    }

    /// A code for a letter issued before letters had one: made now and kept, so every print of
    /// the letter from now on shows it.
    fn give_letter_a_code(&self, letter_id: Id) -> Result<PackageCode> {
        let code = PackageCode::generate()?;
        self.conn.execute(
            "UPDATE transfer_letters SET package_code = ?1 WHERE id = ?2",
            rusqlite::params![code.grouped().as_str(), letter_id],
        )?;
        Ok(code)
    }

    /// The committee this workspace is: whom packages must be addressed to.
    pub(crate) fn committee_name(&self) -> Result<String> {
        Ok(OrgTree::load(&self.conn)?.committee().map(|c| c.name.clone()).unwrap_or_default())
    }

    /// Registers the member a package carried, into `branch_id`, received on `received_on`: their
    /// steps with their dates, their records and attachments, the sending office's history. All
    /// of it, or nothing.
    pub fn receive_package(
        &mut self,
        package: MemberPackage,
        branch_id: Id,
        received_on: Date,
    ) -> Result<MemberDetail> {
        let arrival = arrival_from(&package.manifest, branch_id, received_on);
        self.arrive(arrival, Some(carried(&package)))
    }
}

/// Refused for a letter cancelled or replaced: the member did not go with it. On either engine.
pub(crate) fn check_packable(letter: &TransferLetter) -> Result<()> {
    if matches!(letter.state, LetterState::Cancelled | LetterState::Reissued) {
        return Err(Error::invalid(
            "letter",
            format!("介绍信第 {} 号已作废或已重开：请用有效的介绍信", letter.number),
            format!("letter {} was cancelled or replaced: use the letter in force", letter.number),
        ));
    }
    Ok(())
}

/// A member's records as a package carries them, and their attachments' bytes in order, read by
/// `bytes_of` (an attachment's number to its bytes).
pub(crate) fn pack_records<E>(
    records: Vec<FileRecord>,
    mut bytes_of: impl FnMut(Id) -> std::result::Result<Vec<u8>, E>,
) -> std::result::Result<(Vec<PackedRecord>, Vec<Vec<u8>>), E> {
    let mut packed = Vec::with_capacity(records.len());
    let mut blobs = Vec::new();
    for record in records {
        let mut attachments = Vec::with_capacity(record.attachments.len());
        for info in &record.attachments {
            let bytes = bytes_of(info.id)?;
            attachments.push(PackedAttachment {
                name: info.name.clone(),
                media_type: info.media_type,
                len: bytes.len() as u64,
            });
            blobs.push(bytes);
        }
        packed.push(PackedRecord { record, attachments });
    }
    Ok((packed, blobs))
}

/// The manifest of a letter's member, as the sending committee writes it.
pub(crate) fn manifest(
    letter: TransferLetter,
    from_committee: String,
    person: Person,
    uid: Option<String>,
    steps: Vec<ProcedureEvent>,
    records: Vec<PackedRecord>,
    history: Vec<String>,
) -> Manifest {
    Manifest {
        from_committee,
        destination: letter.destination,
        letter_number: letter.number,
        letter_issued_on: letter.issued_on,
        dues_paid_through: letter.dues_paid_through,
        // Numbers are the sending database's: the receiving one gives its own.
        person: Person { id: None, branch_id: 0, ..person },
        uid,
        steps,
        records,
        history,
        made_by: format!("Dangan {}", env!("CARGO_PKG_VERSION")),
    }
}

/// The arrival a received package registers, into `branch_id` on `received_on`.
pub(crate) fn arrival_from(manifest: &Manifest, branch_id: Id, received_on: Date) -> NewArrival {
    NewArrival {
        person: Person { id: None, branch_id, ..manifest.person.clone() },
        steps: manifest.steps.clone(),
        received_on,
        origin: manifest.from_committee.clone(),
        letter_number: Some(manifest.letter_number.clone()),
        letter_issued_on: Some(manifest.letter_issued_on),
        dues_paid_through: manifest.dues_paid_through,
        materials: Vec::new(),
        // A package under a reissued letter is the same person again: refused, not confirmed.
        another_person: false,
    }
}

/// What a package brings beyond its arrival.
pub(crate) fn carried(package: &MemberPackage) -> Carried<'_> {
    Carried {
        uid: package.manifest.uid.as_deref(),
        records: &package.manifest.records,
        blobs: &package.blobs,
        history: &package.manifest.history,
    }
}
