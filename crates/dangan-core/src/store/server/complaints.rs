//! The confidential complaints register on the server (`dangan.complaints` and its parts,
//! version 12): each discipline inspector keeps their own unit's register, and only they read or
//! write it, in psql too. The words are sealed on the client under the register's key, as a
//! workspace seals them (`store/complaints.rs`: the same seals, states, days due and checks); the
//! key itself is sealed to each inspector's key pair (`keys/register.rs`), whose secret half is
//! wrapped under their passphrase in `dangan.inspector_keys`, so the server holds no word of an
//! entry it could read.
//!
//! Every change of a register locks its row first (`dangan.registers`), so two inspectors are
//! numbered and sealed one after the other; a register whose holder was removed gets a new key
//! there, its entries sealed again, before the change is made.

use postgres::GenericClient;
use zeroize::Zeroizing;

use super::{Failed, ServerStore, failure, lost_at_commit};
use crate::access::Action;
use crate::calendar::Date;
use crate::complaints::{
    self, Complaint, ComplaintAttachment, ComplaintLine, ComplaintsOverview, Content, NewComplaint, NewHandling,
};
use crate::domain::Id;
use crate::keys::{InspectorKey, KdfParams, RegisterKey, RegisterKeys, SealedCopy, Wrapping, unseal};
use crate::store::complaints::{
    Row, check_open_for_files, closing, complaint_from, entry_named, handled, line_of, next_number, open_attachment,
    open_attachment_meta, open_content, reseal_attachment, seal_attachment, seal_content,
};
use crate::store::{KeptComplaint, NewAttachment};
use crate::{Error, Result, Text};

/// What an inspector's key pair is bound to on a server (a workspace binds it to its own id).
const BINDING: &str = "dangan-server";

/// An entry's columns, in `row_of`'s order.
const COLUMNS: &str = "id, number, received_on::text, belongs_elsewhere, forwarded_on::text, reported_on::text, \
                       closed_on::text, generation, sealed";

/// An inspector's hold on their register, made at sign-in: the secret half of their key pair
/// (the register keys sealed to it are read afresh for each use: another inspector may have
/// replaced them meanwhile).
pub(crate) struct Hold {
    user_id: String,
    unit: Id,
    secret: crypto_box::SecretKey,
}

/// What the signed-in user has of a register: nothing (not an inspector), their hold, or why it
/// could not be opened at sign-in (the session opens all the same; only the register refuses).
pub(crate) enum Keeping {
    None,
    Held(Hold),
    Refused(Text),
    /// The server could not be reached, or was busy, while the register was opened at sign-in: it
    /// is opened again at its next use, with the passphrase signed in with (kept only until then,
    /// as the app keeps it to sign in again after a lost connection).
    Unavailable(Zeroizing<String>),
}

/// What a workspace's register brought when its inspector moved it onto the server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegisterMoved {
    pub entries: u64,
    pub files: u64,
}

/// What a change makes of an entry besides its words.
enum EntryChange {
    /// A step of its handling: its days of forwarding and of reporting back, as they become.
    Step { forwarded_on: Option<Date>, reported_on: Option<Date> },
    /// Its close, on a day.
    Close(Date),
}

fn row_of(r: &postgres::Row) -> Result<Row> {
    let id: Id = r.get(0);
    let corrupt = || crate::store::people::corrupt_row("complaints", id);
    let day = |i: usize| -> Result<Option<Date>> {
        r.get::<_, Option<String>>(i).map(|t| t.parse::<Date>().map_err(|_| corrupt())).transpose()
    };
    Ok(Row {
        id,
        number: r.get(1),
        received_on: day(2)?.ok_or_else(corrupt)?,
        belongs_elsewhere: r.get(3),
        forwarded_on: day(4)?,
        reported_on: day(5)?,
        closed_on: day(6)?,
        generation: u32::try_from(r.get::<_, i32>(7)).map_err(|_| corrupt())?,
        sealed: r.get(8),
    })
}

fn not_given() -> Error {
    Error::invalid(
        "register",
        "信访举报登记簿的密钥尚未交给你：须由一名持有它的纪检委员交给你（dangan complaints grant）；新添加的纪检委员、口令被重设后均如此",
        "the complaints register's key has not been given to you yet: an inspector who holds it gives it to you (dangan complaints grant); so for a new inspector, and after a passphrase was set anew",
    )
}

fn generation_of(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn as_column(generation: u32) -> i32 {
    i32::try_from(generation).unwrap_or(i32::MAX)
}

impl ServerStore {
    /// Opens a discipline inspector's register at sign-in: their key pair (made now, at their
    /// first sign-in, under their passphrase), and the register's first key when it has none and
    /// holds nothing yet. Anyone else keeps no register.
    pub(super) fn open_register(&mut self, passphrase: &str) -> Keeping {
        if self.me.role.may(Action::HandleComplaints) {
            match self.hold_register(passphrase) {
                Ok(hold) => Keeping::Held(hold),
                Err(Error::ServerUnreachable { .. } | Error::Busy { .. }) => {
                    Keeping::Unavailable(Zeroizing::new(passphrase.to_owned()))
                }
                Err(e) => Keeping::Refused(e.text()),
            }
        } else {
            Keeping::None
        }
    }

    fn hold_register(&mut self, passphrase: &str) -> Result<Hold> {
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let (user_id, unit) = (self.me.id.clone(), self.me.unit_id);
        let mut tx = self.client.transaction().map_err(fail)?;
        let found = tx
            .query_opt("SELECT public_key, salt, kdf_params, nonce, wrapped_secret FROM dangan.my_inspector_key()", &[])
            .map_err(fail)?;
        let secret = match found {
            Some(r) => {
                let salt: Vec<u8> = r.get(1);
                let kdf_params: KdfParams = serde_json::from_str(r.get(2))
                    .ok()
                    .filter(|p: &KdfParams| p.is_sane())
                    .ok_or(Error::Crypto("the inspector's key on the server is damaged"))?;
                let key = InspectorKey {
                    slot_id: user_id.clone(),
                    public_key: r.get(0),
                    nonce: r.get(3),
                    wrapped_secret: r.get(4),
                };
                let secret =
                    key.open(Wrapping { id: &user_id, salt: &salt, kdf_params }, passphrase.as_bytes(), BINDING)?;
                // The public half others seal to must be this secret's: one put in its place on
                // the server would have the register's key sealed to someone else.
                if secret.public_key().as_bytes()[..] != key.public_key[..] {
                    return Err(Error::Crypto("your public key on the server is not your own: ask the department"));
                }
                secret
            }
            None => {
                let secret = crypto_box::SecretKey::from_bytes(random::<32>()?);
                store_key_pair(&mut tx, &user_id, passphrase, &secret, true).map_err(|e| e.into_error(&address))?;
                secret
            }
        };
        tx.execute("INSERT INTO dangan.registers (unit_id) VALUES ($1) ON CONFLICT DO NOTHING", &[&unit])
            .map_err(fail)?;
        // Locked while its keys are looked at: two inspectors signing in at once to a register that
        // has none make one first key, not two.
        tx.execute("SELECT 1 FROM dangan.registers WHERE unit_id = $1 FOR UPDATE", &[&unit]).map_err(fail)?;
        let held: bool = tx
            .query_one("SELECT EXISTS (SELECT 1 FROM dangan.register_copies WHERE unit_id = $1)", &[&unit])
            .map_err(fail)?
            .get(0);
        let written: bool = tx
            .query_one("SELECT EXISTS (SELECT 1 FROM dangan.complaints WHERE unit_id = $1)", &[&unit])
            .map_err(fail)?
            .get(0);
        // A register nobody holds that holds entries stays so (using it says why); the
        // inspector's own key pair opened all the same, so their passphrase can still change.
        if !held && !written {
            // No register yet: its first key, sealed to its first inspector.
            let public = secret.public_key();
            let sealed = public
                .seal(&mut crypto_box::aead::OsRng, RegisterKey::generate()?.as_bytes())
                .map_err(|_| Error::Crypto("sealing the register key failed"))?;
            tx.execute(
                "INSERT INTO dangan.register_copies (unit_id, generation, user_id, sealed) VALUES ($1, 1, $2::text::uuid, $3)",
                &[&unit, &user_id, &sealed],
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(Hold { user_id, unit, secret })
    }

    /// The signed-in inspector's hold on their register; anyone else is refused.
    fn hold(&mut self) -> Result<&Hold> {
        self.require(Action::HandleComplaints)?;
        self.reopen_if_unavailable();
        held(&self.register)
    }

    /// Opens again a register the server's failure kept shut at sign-in.
    fn reopen_if_unavailable(&mut self) {
        if let Keeping::Unavailable(passphrase) = &self.register {
            let passphrase = passphrase.clone();
            self.register = self.open_register(&passphrase);
        }
    }

    /// That registers exist and how many entries are open, over the units this user reads.
    pub(crate) fn complaints_overview(&mut self) -> Result<ComplaintsOverview> {
        let row = self
            .client
            .query_one("SELECT total, open FROM dangan.complaints_overview()", &[])
            .map_err(|e| failure(e, &self.address))?;
        Ok(ComplaintsOverview { total: row.get::<_, i64>(0).unsigned_abs(), open: row.get::<_, i64>(1).unsigned_abs() })
    }

    /// The register, newest first, from the clear columns only (listing opens no entry).
    pub(crate) fn complaints(&mut self, open_only: bool) -> Result<Vec<ComplaintLine>> {
        let unit = self.hold()?.unit;
        let fail = |e| failure(e, &self.address);
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {COLUMNS}, handled FROM dangan.complaints WHERE unit_id = $1 AND (closed_on IS NULL OR NOT $2)
                     ORDER BY received_on DESC, id DESC"
                ),
                &[&unit, &open_only],
            )
            .map_err(fail)?;
        rows.iter().map(|r| Ok(line_of(&row_of(r)?, r.get(9), &self.workdays))).collect()
    }

    /// The entry with the number given (`2026-003`), or by its id.
    pub(crate) fn complaint_id(&mut self, number: &str) -> Result<Id> {
        let unit = self.hold()?.unit;
        let by_number: Option<Id> = self
            .client
            .query_opt("SELECT id FROM dangan.complaints WHERE unit_id = $1 AND number = $2", &[&unit, &number.trim()])
            .map_err(|e| failure(e, &self.address))?
            .map(|r| r.get(0));
        entry_named(number, by_number)
    }

    /// Runs `work` in a transaction on the inspector's register, with its keys: for a change,
    /// the register's row locked until the commit (and its key replaced first if a holder was
    /// removed); else the keys as they are now.
    fn with_register<T>(
        &mut self,
        for_change: bool,
        work: impl FnOnce(&mut postgres::Transaction<'_>, Id, &RegisterKeys) -> std::result::Result<T, Failed>,
    ) -> Result<T> {
        self.require(Action::HandleComplaints)?;
        self.reopen_if_unavailable();
        let address = self.address.clone();
        let hold = held(&self.register)?;
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        let keys = if for_change { keys_for_change(&mut tx, hold) } else { keys_now(&mut tx, hold) }
            .map_err(|e| e.into_error(&address))?;
        let done = work(&mut tx, hold.unit, &keys).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(done)
    }

    /// Opens an entry; the reading is recorded (who, which, when), and so is in the audit log.
    pub(crate) fn complaint(&mut self, id: Id) -> Result<Complaint> {
        self.with_register(false, |tx, unit, keys| {
            let row = entry_row(tx, unit, id, false)?;
            let content = open_content(keys, &row)?;
            record_reading(tx, unit, id)?;
            complaint_of(tx, keys, &row, content)
        })
    }

    /// Registers an entry, numbered within the year received in its register, its words sealed.
    pub(crate) fn add_complaint(&mut self, new: &NewComplaint) -> Result<Complaint> {
        let mut content = complaints::check_new(new, self.today())?;
        self.with_register(true, |tx, unit, keys| {
            if let Some(member) = content.concerning {
                let name: Option<String> =
                    tx.query_opt("SELECT name FROM dangan.people WHERE id = $1", &[&member])?.map(|r| r.get(0));
                content.concerning_name = Some(name.ok_or_else(|| crate::store::people::not_found(member))?);
            }
            let year = chrono::Datelike::year(&new.received_on);
            let last: Option<i32> = tx
                .query_one(
                    "SELECT max(substr(number, 6)::integer) FROM dangan.complaints WHERE unit_id = $1 AND number LIKE $2",
                    &[&unit, &format!("{year:04}-%")],
                )?
                .get(0);
            let number = next_number(year, last.and_then(|n| u32::try_from(n).ok()));
            // The number first, so that the seal can be bound to it.
            let id: Id = tx
                .query_one(
                    "INSERT INTO dangan.complaints (unit_id, number, received_on, belongs_elsewhere, generation, sealed)
                     VALUES ($1, $2, $3::text::date, $4, 0, '') RETURNING id",
                    &[&unit, &number, &new.received_on.to_string(), &new.belongs_elsewhere],
                )?
                .get(0);
            let (generation, sealed) = seal_content(keys, id, &content)?;
            tx.execute(
                "UPDATE dangan.complaints SET generation = $2, sealed = $3 WHERE id = $1",
                &[&id, &as_column(generation), &sealed],
            )?;
            let row = entry_row(tx, unit, id, false)?;
            Ok(complaint_from(&row, content, Vec::new()))
        })
    }

    /// Takes in a workspace's register, moved by its inspector (who holds its keys there and this
    /// unit's here): each entry under its own number, with its days, its words and files sealed
    /// anew under this register's key, the member it concerns found by their UUID. Only into a
    /// register that holds nothing yet; all of it, or nothing. How many entries and files.
    pub(crate) fn receive_register(
        &mut self,
        entries: &[KeptComplaint],
        read_file: impl Fn(Id) -> Result<NewAttachment>,
    ) -> Result<RegisterMoved> {
        self.with_register(true, |tx, unit, keys| {
            let held: i64 =
                tx.query_one("SELECT count(*) FROM dangan.complaints WHERE unit_id = $1", &[&unit])?.get(0);
            if held > 0 {
                return Err(Error::invalid(
                    "register",
                    format!("服务器上的信访举报登记簿已有 {held} 件：工作区的登记簿只能移入空的登记簿，没有移入任何内容"),
                    format!(
                        "the register on the server holds {held} entries already: a workspace's register moves only into an empty one; nothing was moved"
                    ),
                )
                .into());
            }
            let mut moved = RegisterMoved::default();
            for entry in entries {
                let row = &entry.row;
                let day = |d: Option<Date>| d.map(|d| d.to_string());
                let id: Id = tx
                    .query_one(
                        "INSERT INTO dangan.complaints (unit_id, number, received_on, belongs_elsewhere, generation, sealed)
                         VALUES ($1, $2, $3::text::date, $4, 0, '') RETURNING id",
                        &[&unit, &row.number, &row.received_on.to_string(), &row.belongs_elsewhere],
                    )?
                    .get(0);
                let mut content = entry.content.clone();
                content.concerning = match &entry.concerning_uid {
                    Some(uid) => tx
                        .query_opt("SELECT id FROM dangan.people WHERE uid = $1::text::uuid", &[uid])?
                        .map(|r| r.get(0)),
                    None => None,
                };
                let (generation, sealed) = seal_content(keys, id, &content)?;
                tx.execute(
                    "UPDATE dangan.complaints SET generation = $2, sealed = $3, forwarded_on = $4::text::date,
                         reported_on = $5::text::date, closed_on = $6::text::date, handled = $7
                     WHERE id = $1",
                    &[
                        &id,
                        &as_column(generation),
                        &sealed,
                        &day(row.forwarded_on),
                        &day(row.reported_on),
                        &day(row.closed_on),
                        &entry.handled,
                    ],
                )?;
                for &file in &entry.files {
                    attach_sealed(tx, keys, (unit, id), &read_file(file)?)?;
                    moved.files += 1;
                }
                moved.entries += 1;
            }
            Ok(moved)
        })
    }

    /// Records a step of an entry's handling (a forwarding dates its forwarding; a report back
    /// dates it). A closed entry is not handled further.
    pub(crate) fn handle_complaint(&mut self, id: Id, new: &NewHandling) -> Result<Complaint> {
        let today = self.today();
        self.change_entry(id, |keys, row| {
            let (content, forwarded_on, reported_on) = handled(keys, row, new, today)?;
            Ok((content, EntryChange::Step { forwarded_on, reported_on }))
        })
    }

    /// Closes an entry with its result.
    pub(crate) fn close_complaint(&mut self, id: Id, date: Date, result: &str) -> Result<Complaint> {
        let today = self.today();
        self.change_entry(id, |keys, row| Ok((closing(keys, row, date, result, today)?, EntryChange::Close(date))))
    }

    /// An entry changed under its register's lock: `change` gives its new words and what else
    /// changes.
    fn change_entry(
        &mut self,
        id: Id,
        change: impl FnOnce(&RegisterKeys, &Row) -> Result<(Content, EntryChange)>,
    ) -> Result<Complaint> {
        self.with_register(true, |tx, unit, keys| {
            let row = entry_row(tx, unit, id, true)?;
            let (content, changed) = change(keys, &row)?;
            let (generation, sealed) = seal_content(keys, id, &content)?;
            match changed {
                EntryChange::Step { forwarded_on, reported_on } => tx.execute(
                    "UPDATE dangan.complaints SET generation = $2, sealed = $3, forwarded_on = $4::text::date,
                            reported_on = $5::text::date, handled = true
                     WHERE id = $1",
                    &[
                        &id,
                        &as_column(generation),
                        &sealed,
                        &forwarded_on.map(|d| d.to_string()),
                        &reported_on.map(|d| d.to_string()),
                    ],
                ),
                EntryChange::Close(closed_on) => tx.execute(
                    "UPDATE dangan.complaints SET generation = $2, sealed = $3, closed_on = $4::text::date WHERE id = $1",
                    &[&id, &as_column(generation), &sealed, &closed_on.to_string()],
                ),
            }?;
            let row = entry_row(tx, unit, id, false)?;
            complaint_of(tx, keys, &row, content)
        })
    }

    /// Attaches files (scans, photos, PDFs) to an open entry, sealed like its words.
    pub(crate) fn add_complaint_attachments(&mut self, id: Id, files: &[NewAttachment]) -> Result<Complaint> {
        for file in files {
            crate::store::files::check_attachment(&file.name, &file.bytes)?;
        }
        self.with_register(true, |tx, unit, keys| {
            let row = entry_row(tx, unit, id, true)?;
            check_open_for_files(&row)?;
            for file in files {
                attach_sealed(tx, keys, (unit, id), file)?;
            }
            let content = open_content(keys, &row)?;
            complaint_of(tx, keys, &row, content)
        })
    }

    /// One file of an entry, opened: the reading is recorded, as an entry's is.
    pub(crate) fn complaint_attachment(
        &mut self,
        id: Id,
        attachment: Id,
    ) -> Result<(ComplaintAttachment, Zeroizing<Vec<u8>>)> {
        self.with_register(false, |tx, unit, keys| {
            let found = tx.query_opt(
                "SELECT generation, meta, content FROM dangan.complaint_attachments
                 WHERE id = $1 AND complaint_id = $2 AND unit_id = $3",
                &[&attachment, &id, &unit],
            )?;
            let Some(r) = found else {
                return Err(Failed::Refused(Error::NotFound {
                    what: Text::new(format!("信访举报登记的材料 {attachment}"), format!("register file {attachment}")),
                }));
            };
            let opened = open_attachment(keys, attachment, generation_of(r.get(0)), r.get(1), r.get(2))?;
            record_reading(tx, unit, id)?;
            Ok(opened)
        })
    }

    /// Gives the register's key to another inspector of the register (named): only a holder
    /// can, and only once that inspector has signed in (their key pair is made then). Logged.
    pub(crate) fn grant_register(&mut self, user: &str) -> Result<()> {
        self.with_register(true, |tx, unit, keys| {
            let found = tx.query_opt(
                "SELECT i.id::text, k.public_key FROM dangan.register_inspectors() i
                 LEFT JOIN dangan.inspector_keys k ON k.user_id = i.id WHERE i.name = $1",
                &[&user.trim()],
            )?;
            let shown = crate::text::excerpt(user, 30);
            let Some(r) = found else {
                return Err(Failed::Refused(Error::invalid(
                    "user",
                    format!("「{shown}」不是本登记簿的纪检委员：密钥只交给同一单位的纪检委员"),
                    format!(
                        "{shown} is not a discipline inspector of this register: its key goes to the same unit's inspectors only"
                    ),
                )));
            };
            let (target, public): (String, Option<Vec<u8>>) = (r.get(0), r.get(1));
            let Some(public) = public else {
                return Err(Failed::Refused(Error::invalid(
                    "user",
                    format!("「{shown}」尚未登录过：其密钥对在首次登录时生成，之后才能把登记簿的密钥交给他"),
                    format!(
                        "{shown} has not signed in yet: their key pair is made at their first sign-in, and the key is given to them after"
                    ),
                )));
            };
            let to = holder(target, public);
            for (generation, key) in &keys.keys {
                let copy = to.seal(key)?;
                tx.execute(
                    "INSERT INTO dangan.register_copies (unit_id, generation, user_id, sealed)
                     VALUES ($1, $2, $3::text::uuid, $4) ON CONFLICT DO NOTHING",
                    &[&unit, &as_column(*generation), &copy.slot_id, &copy.sealed],
                )?;
            }
            Ok(())
        })
    }

    /// The inspectors of the register still waiting for its newest key.
    pub(crate) fn register_waiting(&mut self) -> Result<Vec<String>> {
        let unit = self.hold()?.unit;
        let rows = self
            .client
            .query(
                "SELECT i.name FROM dangan.register_inspectors() i
                 WHERE NOT EXISTS (SELECT 1 FROM dangan.register_copies c WHERE c.unit_id = $1 AND c.user_id = i.id
                                     AND c.generation = (SELECT max(generation) FROM dangan.register_copies WHERE unit_id = $1))
                 ORDER BY i.name",
                &[&unit],
            )
            .map_err(|e| failure(e, &self.address))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

fn held(register: &Keeping) -> Result<&Hold> {
    match register {
        Keeping::Held(hold) => Ok(hold),
        Keeping::Refused(why) => Err(Error::invalid("register", why.zh.clone(), why.en.clone())),
        Keeping::Unavailable(_) => Err(Error::invalid(
            "register",
            "打开信访举报登记簿时服务器无法连接或正忙：请稍后再试",
            "the server could not be reached, or was busy, while the complaints register was opened: try again shortly",
        )),
        Keeping::None => Err(not_given()),
    }
}

/// An inspector's secret wrapped anew under their new passphrase, in the transaction that
/// changes it (`ServerStore::set_own_passphrase`); nothing for anyone else. An inspector whose
/// key pair did not open at sign-in is refused: the passphrase would change and leave the secret
/// under the old one, opening for no one.
pub(super) fn rewrap(
    register: &Keeping,
    tx: &mut postgres::Transaction<'_>,
    passphrase: &str,
    address: &super::ServerAddress,
) -> Result<()> {
    match register {
        Keeping::Held(hold) => {
            store_key_pair(tx, &hold.user_id, passphrase, &hold.secret, false).map_err(|e| e.into_error(address))
        }
        Keeping::Unavailable(_) => Err(Error::invalid(
            "register",
            "你的信访举报登记簿密钥在登录时因服务器无法连接或正忙未能打开：请重新登录后再修改口令，以免密钥再也打不开",
            "your complaints register key did not open at sign-in, the server being out of reach or busy: sign in again before changing your passphrase, or the key would open no more",
        )),
        Keeping::Refused(why) => Err(Error::invalid(
            "register",
            format!("你的信访举报登记簿密钥在登录时未能打开（{}）：请重新登录后再修改口令，以免密钥再也打不开", why.zh),
            format!(
                "your complaints register key did not open at sign-in ({}): sign in again before changing your passphrase, or the key would open no more",
                why.en
            ),
        )),
        Keeping::None => Ok(()),
    }
}

/// An inspector to whom a register key is sealed: their public half is all it takes.
fn holder(user_id: String, public_key: Vec<u8>) -> InspectorKey {
    InspectorKey { slot_id: user_id, public_key, nonce: Vec::new(), wrapped_secret: Vec::new() }
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Error::Crypto("the system random source failed"))?;
    Ok(bytes)
}

/// The inspector's key pair written (`new`) or its secret wrapped anew under a passphrase, with
/// a fresh salt.
fn store_key_pair(
    tx: &mut postgres::Transaction<'_>,
    user_id: &str,
    passphrase: &str,
    secret: &crypto_box::SecretKey,
    new: bool,
) -> std::result::Result<(), Failed> {
    let (salt, kdf_params) = (random::<16>()?, KdfParams::DEFAULT);
    let wrapping = Wrapping { id: user_id, salt: &salt, kdf_params };
    let key = InspectorKey::wrap(wrapping, passphrase.as_bytes(), BINDING, secret)?;
    let params = serde_json::to_string(&kdf_params)
        .map_err(|_| Failed::Refused(Error::Crypto("the key's cost could not be written")))?;
    let sql = if new {
        "INSERT INTO dangan.inspector_keys (user_id, public_key, salt, kdf_params, nonce, wrapped_secret)
         VALUES ($1::text::uuid, $2, $3, $4, $5, $6)"
    } else {
        "UPDATE dangan.inspector_keys SET salt = $3, kdf_params = $4, nonce = $5, wrapped_secret = $6
         WHERE user_id = $1::text::uuid AND public_key = $2"
    };
    tx.execute(sql, &[&user_id, &key.public_key, &salt.as_slice(), &params, &key.nonce, &key.wrapped_secret])?;
    Ok(())
}

/// The register keys sealed to this inspector, as the server holds them now; refused when they
/// lack the newest generation (not given to them yet, or taken away).
fn keys_now(client: &mut impl GenericClient, hold: &Hold) -> std::result::Result<RegisterKeys, Failed> {
    let rows = client.query(
        "SELECT generation, user_id::text = $2, sealed FROM dangan.register_copies WHERE unit_id = $1",
        &[&hold.unit, &hold.user_id],
    )?;
    let newest = rows.iter().map(|r| r.get::<_, i32>(0)).max();
    let mut keys = Vec::new();
    for r in rows.iter().filter(|r| r.get::<_, bool>(1)) {
        let copy = SealedCopy { slot_id: hold.user_id.clone(), sealed: r.get(2) };
        keys.push((generation_of(r.get(0)), unseal(&hold.secret, &copy)?));
    }
    match newest {
        Some(newest) if keys.iter().any(|(g, _)| *g == generation_of(newest)) => Ok(RegisterKeys { keys }),
        Some(_) => Err(Failed::Refused(not_given())),
        None => Err(Failed::Refused(Error::invalid(
            "register",
            "信访举报登记簿的密钥不在任何纪检委员手中，无人能打开登记簿",
            "the complaints register's key is in no inspector's hands: no one can open the register",
        ))),
    }
}

/// The register keys a change is made with, the register's row locked until the transaction
/// ends; a register whose holder was removed gets its new key first, every entry and file sealed
/// again under it, sealed to each inspector who held the old one.
fn keys_for_change(tx: &mut postgres::Transaction<'_>, hold: &Hold) -> std::result::Result<RegisterKeys, Failed> {
    let rotate: bool = tx
        .query_opt("SELECT rotate FROM dangan.registers WHERE unit_id = $1 FOR UPDATE", &[&hold.unit])?
        .is_some_and(|r| r.get(0));
    let keys = keys_now(tx, hold)?;
    if !rotate {
        return Ok(keys);
    }
    let (newest, _) = keys.newest().ok_or_else(not_given)?;
    let next = newest + 1;
    let key = RegisterKey::generate()?;
    let holders = tx.query(
        "SELECT c.user_id::text, k.public_key FROM dangan.register_copies c
         JOIN dangan.inspector_keys k ON k.user_id = c.user_id WHERE c.unit_id = $1 AND c.generation = $2",
        &[&hold.unit, &as_column(newest)],
    )?;
    for r in &holders {
        let to =
            InspectorKey { slot_id: r.get(0), public_key: r.get(1), nonce: Vec::new(), wrapped_secret: Vec::new() };
        let copy = to.seal(&key)?;
        tx.execute(
            "INSERT INTO dangan.register_copies (unit_id, generation, user_id, sealed) VALUES ($1, $2, $3::text::uuid, $4)",
            &[&hold.unit, &as_column(next), &copy.slot_id, &copy.sealed],
        )?;
    }
    let mut both = keys.clone();
    both.keys.push((next, key));
    let entries = tx.query(&format!("SELECT {COLUMNS} FROM dangan.complaints WHERE unit_id = $1"), &[&hold.unit])?;
    for r in &entries {
        let row = row_of(r)?;
        let (generation, sealed) = seal_content(&both, row.id, &open_content(&both, &row)?)?;
        tx.execute(
            "UPDATE dangan.complaints SET generation = $2, sealed = $3 WHERE id = $1",
            &[&row.id, &as_column(generation), &sealed],
        )?;
    }
    // One file at a time: a register's scans together may be more than the memory at hand.
    let files: Vec<Id> = tx
        .query("SELECT id FROM dangan.complaint_attachments WHERE unit_id = $1 ORDER BY id", &[&hold.unit])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for id in files {
        let r =
            tx.query_one("SELECT generation, meta, content FROM dangan.complaint_attachments WHERE id = $1", &[&id])?;
        let (generation, meta, content) = reseal_attachment(&both, id, generation_of(r.get(0)), r.get(1), r.get(2))?;
        tx.execute(
            "UPDATE dangan.complaint_attachments SET generation = $2, meta = $3, content = $4 WHERE id = $1",
            &[&id, &as_column(generation), &meta, &content],
        )?;
    }
    tx.execute(
        "DELETE FROM dangan.register_copies WHERE unit_id = $1 AND generation < $2",
        &[&hold.unit, &as_column(next)],
    )?;
    tx.execute("UPDATE dangan.registers SET rotate = false WHERE unit_id = $1", &[&hold.unit])?;
    keys_now(tx, hold)
}

/// An entry of the register, locked for a change if asked.
/// Attaches a file to an entry (`(unit, entry)`), sealed under the newest key and bound to the
/// file's number, which the row is made first to draw.
fn attach_sealed(
    tx: &mut postgres::Transaction<'_>,
    keys: &RegisterKeys,
    (unit, entry): (Id, Id),
    file: &NewAttachment,
) -> std::result::Result<(), Failed> {
    let attachment: Id = tx
        .query_one(
            "INSERT INTO dangan.complaint_attachments (complaint_id, unit_id, generation, meta, content)
             VALUES ($1, $2, 0, '', '') RETURNING id",
            &[&entry, &unit],
        )?
        .get(0);
    let (generation, meta, content) = seal_attachment(keys, attachment, file)?;
    tx.execute(
        "UPDATE dangan.complaint_attachments SET generation = $2, meta = $3, content = $4 WHERE id = $1",
        &[&attachment, &as_column(generation), &meta, &content],
    )?;
    Ok(())
}

fn entry_row(client: &mut impl GenericClient, unit: Id, id: Id, lock: bool) -> std::result::Result<Row, Failed> {
    let lock = if lock { " FOR UPDATE" } else { "" };
    let found = client.query_opt(
        &format!("SELECT {COLUMNS} FROM dangan.complaints WHERE id = $1 AND unit_id = $2{lock}"),
        &[&id, &unit],
    )?;
    match found {
        Some(r) => Ok(row_of(&r)?),
        None => Err(Failed::Refused(crate::store::complaints::not_found(id))),
    }
}

fn record_reading(client: &mut impl GenericClient, unit: Id, id: Id) -> std::result::Result<(), postgres::Error> {
    client.execute("INSERT INTO dangan.complaint_reads (complaint_id, unit_id) VALUES ($1, $2)", &[&id, &unit])?;
    Ok(())
}

/// An entry opened, with its files' names and sizes.
fn complaint_of(
    client: &mut impl GenericClient,
    keys: &RegisterKeys,
    row: &Row,
    content: Content,
) -> std::result::Result<Complaint, Failed> {
    let files = client.query(
        "SELECT id, generation, meta FROM dangan.complaint_attachments WHERE complaint_id = $1 ORDER BY id",
        &[&row.id],
    )?;
    let attachments = files
        .iter()
        .map(|r| open_attachment_meta(keys, r.get(0), generation_of(r.get(1)), r.get(2)))
        .collect::<Result<Vec<_>>>()?;
    Ok(complaint_from(row, content, attachments))
}
