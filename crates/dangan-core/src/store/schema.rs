//! The database schema, as numbered migrations. Never edit a migration that has shipped: add one.

use rusqlite_migration::{M, Migrations};

/// Whether the database's schema is older than this version's (it has migrations to run).
pub(crate) fn is_behind(conn: &rusqlite::Connection) -> rusqlite::Result<bool> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(version < LATEST)
}

/// The schema's version after every migration below.
const LATEST: i64 = 19;

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(V7),
        M::up(V8),
        M::up(V9),
        M::up(V10),
        M::up(V11),
        M::up(V12),
        M::up(V13),
        M::up(V14),
        M::up(V15),
        M::up(V16),
        M::up(V17),
        M::up(V18),
        M::up_with_hook(V19, checks_without_lists),
    ])
}

/// A new random UUID (version 4) as text in plain SQL, for migration 18 to give every existing row
/// one: the identifier of a unit, a person or a file record that stays theirs in every database
/// they are copied to (issue 20). A macro, so that the migration can spell it into its SQL.
macro_rules! new_uid_sql {
    () => {
        "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' \
         || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
    };
}

/// A new UUID in the store's `INSERT`s: [`register_new_uid`]'s function, which every connection
/// the store opens has. Made in Rust: the SQL of [`new_uid_sql!`] was timed at 4 µs a row, 0.4 s of
/// an import of 100,000 people; with this one (a pooled random read and one format) the whole
/// import measured a few per cent slower than before UUIDs (ARCHITECTURE.md, Performance).
pub(crate) const NEW_UID: &str = "dangan_new_uid()";

/// Registers `dangan_new_uid()` on a connection: a random version-4 UUID, lower-case hyphenated
/// text, from the system's random source (drawn 4 KiB at a time: one call for 256 of them).
pub(crate) fn register_new_uid(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function("dangan_new_uid", 0, FunctionFlags::SQLITE_UTF8, |_| {
        new_uid().map_err(|e| rusqlite::Error::UserFunctionError(e.into()))
    })
}

/// A random version-4 UUID (RFC 9562), as text.
pub(crate) fn new_uid() -> Result<String, &'static str> {
    use std::cell::RefCell;
    thread_local! {
        static POOL: RefCell<(Vec<u8>, usize)> = const { RefCell::new((Vec::new(), 0)) };
    }
    let mut bytes = POOL.with(|pool| {
        let (buf, used) = &mut *pool.borrow_mut();
        if *used + 16 > buf.len() {
            // Filled whole before it is used: a failed read leaves the pool empty, never zeros.
            let mut fresh = vec![0u8; 4096];
            getrandom::fill(&mut fresh).map_err(|_| "the system random source failed")?;
            *buf = fresh;
            *used = 0;
        }
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&buf[*used..*used + 16]);
        // Used bytes are not kept for anyone to read later.
        buf[*used..*used + 16].fill(0);
        *used += 16;
        Ok::<_, &'static str>(bytes)
    })?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    Ok(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
}

/// Version 1: settings, the organisation tree, people, and their dated events.
///
/// `people.stage` and `people.ended` are caches of what the events say, maintained in the same
/// transaction as every event change (see `store::people`), so that lists filter by stage
/// without reading events. `pinyin`, `initials` and `sort_key` are derived from `name` likewise.
/// Lists and search are served from memory (`store::member_index`), so `people` carries no wide
/// covering index: maintaining one cost a quarter of a 100,000-row import.
const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE org_units (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES org_units(id),
    kind      TEXT NOT NULL CHECK (kind IN ('committee', 'general_branch', 'branch')),
    name      TEXT NOT NULL CHECK (length(trim(name)) > 0),
    CHECK ((kind = 'committee') = (parent_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX org_units_unique_name ON org_units(ifnull(parent_id, 0), name);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    branch_id    INTEGER NOT NULL REFERENCES org_units(id),
    name         TEXT NOT NULL,
    pinyin       TEXT NOT NULL,
    initials     TEXT NOT NULL,
    sort_key     TEXT NOT NULL,
    gender       TEXT CHECK (gender IN ('male', 'female')),
    ethnicity    TEXT,
    birth_date   TEXT,
    id_number    TEXT,
    student_no   TEXT,
    category     TEXT CHECK (category IN ('student', 'teacher', 'staff')),
    department   TEXT,
    class_name   TEXT,
    phone        TEXT,
    native_place TEXT,
    notes        TEXT,
    stage        TEXT NOT NULL CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary', 'full_member')),
    ended        INTEGER NOT NULL DEFAULT 0 CHECK (ended IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX people_unique_id_number ON people(id_number) WHERE id_number IS NOT NULL;
CREATE UNIQUE INDEX people_unique_student_no ON people(student_no) WHERE student_no IS NOT NULL;
CREATE INDEX people_by_branch ON people(branch_id);

CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    date      TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    months    INTEGER,
    note      TEXT
) STRICT;
CREATE INDEX events_by_person ON events(person_id, date);
"#;

/// Version 2: what the deadline engine keeps besides events. Deadlines themselves are never stored.
///
/// - `holidays`/`holiday_years`: the official calendar an office enters per year, for working-day
///   periods (a year in `holiday_years` counts as entered even with no rows);
/// - `dismissals`: an item the worker acknowledged (`until` NULL) or snoozed until a day, keyed by
///   the item's rule and due day, so a changed due day brings the item back;
/// - `reminders_sent`: every reminder sent, `threshold` being the lead time in days or -1 for
///   overdue, so a restart or a second check the same day sends nothing twice.
const V2: &str = r#"
CREATE TABLE holidays (
    date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT
) STRICT;
CREATE TABLE holiday_years (year INTEGER PRIMARY KEY) STRICT;

CREATE TABLE dismissals (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    rule      TEXT NOT NULL,
    due       TEXT NOT NULL,
    until     TEXT,
    PRIMARY KEY (person_id, rule, due)
) STRICT, WITHOUT ROWID;

CREATE TABLE reminders_sent (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    rule      TEXT NOT NULL,
    due       TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    sent_on   TEXT NOT NULL,
    PRIMARY KEY (person_id, rule, due, threshold)
) STRICT, WITHOUT ROWID;
"#;

/// Version 3: a member's file. `records` are dated materials (the kind-specific fields as JSON);
/// `attachments` hold the files themselves, inside the encrypted database so that no scan of an
/// identity card ever lies on disk in the clear. A record may document one event; deleting the
/// event leaves the record, untied.
const V3: &str = r#"
CREATE TABLE records (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    date      TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    event_id  INTEGER REFERENCES events(id) ON DELETE SET NULL,
    title     TEXT,
    body      TEXT NOT NULL DEFAULT '',
    fields    TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX records_by_person ON records(person_id, date);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    record_id  INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size       INTEGER NOT NULL,
    content    BLOB NOT NULL
) STRICT;
CREATE INDEX attachments_by_record ON attachments(record_id);
"#;

/// Version 4: users and the audit log.
///
/// - `users`: each user's role and the key slot (in `dangan.key`) that is theirs. The role lives
///   here, inside the encrypted database, so editing the key file cannot raise it; a slot's id is
///   bound into its encryption, so a slot cannot be moved to another user either.
/// - `user_branches`: the units a branch secretary may see.
/// - `audit_log`: every change, appended by triggers in the same transaction (see
///   `store::audit`), each entry holding the hash of the one before. These two triggers make the
///   log append-only for everyday SQL; the hash chain catches anything that gets past them.
const V4: &str = r#"
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    role       TEXT NOT NULL CHECK (role IN ('administrator', 'organiser', 'branch_secretary', 'auditor')),
    slot_id    TEXT NOT NULL UNIQUE,
    created_on TEXT NOT NULL
) STRICT;

CREATE TABLE user_branches (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    PRIMARY KEY (user_id, unit_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT,
    member_id INTEGER,
    action    TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    field     TEXT,
    old       TEXT,
    new       TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_member ON audit_log(member_id) WHERE member_id IS NOT NULL;

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"#;

/// Version 5: the facts statistics count (issue 15): education, a student's class year and level,
/// a member of staff's occupation, and the date a member joined before Dangan's records. Existing
/// people get none of them; rosters fill them in.
const V5: &str = r#"
ALTER TABLE people ADD COLUMN education TEXT
    CHECK (education IN ('postgraduate', 'undergraduate', 'junior_college', 'secondary', 'basic'));
ALTER TABLE people ADD COLUMN class_year INTEGER CHECK (class_year BETWEEN 1950 AND 2100);
ALTER TABLE people ADD COLUMN student_level TEXT
    CHECK (student_level IN ('junior_college', 'undergraduate', 'master', 'doctoral'));
ALTER TABLE people ADD COLUMN occupation TEXT
    CHECK (occupation IN ('professional', 'manager', 'worker', 'retired'));
ALTER TABLE people ADD COLUMN joined_on TEXT
    CHECK (joined_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
"#;

/// Version 6: a branch's organisational life (issue 16).
///
/// - `party_groups`/`group_members`: the 党小组 of a branch and who belongs to each;
/// - `committee_posts`: who held which post of a unit's committee (支部委员会), from when to when;
/// - `meetings`: planned or held, of a unit (a 党小组会 also names its group), with the study time
///   it counts for, in minutes; `attendance`: each member's, with a reason for leave;
/// - `org_units.life_from`: the day from which a unit owes its meetings (its first owed meeting
///   counts from it): the day of this migration for the units that exist then; for a unit made
///   later, NULL until the office sets it (the owed-meetings step of issue 16 decides what NULL
///   means; the store's pinned "today" of tests and demos must not leak the machine's date here).
const V6: &str = r#"
CREATE TABLE party_groups (
    id        INTEGER PRIMARY KEY,
    branch_id INTEGER NOT NULL REFERENCES org_units(id),
    name      TEXT NOT NULL CHECK (length(trim(name)) > 0),
    UNIQUE (branch_id, name)
) STRICT;
CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES party_groups(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE committee_posts (
    id        INTEGER PRIMARY KEY,
    unit_id   INTEGER NOT NULL REFERENCES org_units(id),
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    post      TEXT NOT NULL,
    since     TEXT NOT NULL CHECK (since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    until     TEXT CHECK (until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND until >= since)
) STRICT;
CREATE INDEX committee_posts_by_unit ON committee_posts(unit_id, since);

CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES org_units(id),
    group_id      INTEGER REFERENCES party_groups(id),
    kind          TEXT NOT NULL CHECK (kind IN ('general_meeting', 'committee_meeting', 'group_meeting',
                      'party_lecture', 'theme_day', 'life_meeting', 'heart_talk', 'other')),
    date          TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    held          INTEGER NOT NULL CHECK (held IN (0, 1)),
    place         TEXT,
    chair         TEXT,
    recorder      TEXT,
    topic         TEXT,
    minutes       TEXT,
    decisions     TEXT,
    study_minutes INTEGER NOT NULL DEFAULT 0 CHECK (study_minutes BETWEEN 0 AND 1440),
    guests        TEXT
) STRICT;
CREATE INDEX meetings_by_unit ON meetings(unit_id, date);

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    attendance TEXT NOT NULL CHECK (attendance IN ('present', 'leave', 'absent', 'late')),
    reason     TEXT,
    PRIMARY KEY (meeting_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX attendance_by_person ON attendance(person_id);

ALTER TABLE org_units ADD COLUMN life_from TEXT
    CHECK (life_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
UPDATE org_units SET life_from = date('now', 'localtime');
"#;

/// Version 7: the meetings a unit owes are items of the deadline engine (issue 16).
/// - `party_groups.life_from`: a group owes its 党小组会 from this day (its branch's day for the
///   groups that exist now; the day it is made for a new one);
/// - `org_units.life_from` is set for every unit (units made since version 6 had none): from now
///   on a unit is given the store's today when it is made;
/// - `unit_dismissals`, `unit_reminders_sent`: as `dismissals` and `reminders_sent`, for an item
///   a unit owes; `group_id` is 0 for the unit's own items;
/// - `training_classes` (党校培训班) with their `class_sessions`, `trainees` (exam score, passed)
///   and `session_attendance` (who attended which session);
/// - `study_entries`: a member's own study (an online course), in minutes;
/// - `meeting_attachments`: a meeting's files (sign-in sheet scans, photos), inside the encrypted
///   database as a member's attachments are;
/// - `people.last_life`: a cache of the day of the person's latest organisational life (a held
///   meeting attended, or excused with a reason), kept by every write of meetings and attendance,
///   so that the absence check need not read every attendance row.
const V7: &str = r#"
ALTER TABLE party_groups ADD COLUMN life_from TEXT
    CHECK (life_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
UPDATE org_units SET life_from = date('now', 'localtime') WHERE life_from IS NULL;
UPDATE party_groups SET life_from = (SELECT life_from FROM org_units WHERE org_units.id = party_groups.branch_id);

CREATE TABLE unit_dismissals (
    unit_id  INTEGER NOT NULL REFERENCES org_units(id),
    group_id INTEGER NOT NULL DEFAULT 0,
    rule     TEXT NOT NULL,
    due      TEXT NOT NULL,
    until    TEXT,
    PRIMARY KEY (unit_id, group_id, rule, due)
) STRICT, WITHOUT ROWID;

CREATE TABLE unit_reminders_sent (
    unit_id   INTEGER NOT NULL REFERENCES org_units(id),
    group_id  INTEGER NOT NULL DEFAULT 0,
    rule      TEXT NOT NULL,
    due       TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    sent_on   TEXT NOT NULL,
    PRIMARY KEY (unit_id, group_id, rule, due, threshold)
) STRICT, WITHOUT ROWID;

CREATE INDEX meetings_held_by_kind ON meetings(unit_id, kind, ifnull(group_id, 0), date) WHERE held = 1;
CREATE INDEX meetings_study_by_date ON meetings(date) WHERE held = 1 AND study_minutes > 0;

CREATE TABLE training_classes (
    id      INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    kind    TEXT NOT NULL CHECK (kind IN ('activist_class', 'candidate_class', 'member_class')),
    name    TEXT NOT NULL CHECK (length(trim(name)) > 0),
    starts  TEXT NOT NULL CHECK (starts GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    ends    TEXT NOT NULL CHECK (ends GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND ends >= starts)
) STRICT;
CREATE TABLE class_sessions (
    id       INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES training_classes(id) ON DELETE CASCADE,
    date     TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    minutes  INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    topic    TEXT
) STRICT;
CREATE INDEX class_sessions_by_date ON class_sessions(date);
CREATE TABLE trainees (
    class_id  INTEGER NOT NULL REFERENCES training_classes(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    score     INTEGER CHECK (score BETWEEN 0 AND 100),
    passed    INTEGER CHECK (passed IN (0, 1)),
    PRIMARY KEY (class_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE session_attendance (
    session_id INTEGER NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, person_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE study_entries (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    date      TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    minutes   INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    title     TEXT NOT NULL CHECK (length(trim(title)) > 0),
    source    TEXT
) STRICT;
CREATE INDEX study_entries_by_date ON study_entries(date, person_id);

CREATE TABLE meeting_attachments (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size       INTEGER NOT NULL,
    content    BLOB NOT NULL
) STRICT;
CREATE INDEX meeting_attachments_by_meeting ON meeting_attachments(meeting_id);

ALTER TABLE people ADD COLUMN last_life TEXT
    CHECK (last_life GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
UPDATE people SET last_life = (
    SELECT max(m.date) FROM attendance a JOIN meetings m ON m.id = a.meeting_id
    WHERE a.person_id = people.id AND m.held = 1
      AND (a.attendance IN ('present', 'late') OR (a.attendance = 'leave' AND trim(ifnull(a.reason, '')) <> ''))
);
"#;

/// Version 8: membership status (issue 17). `status_changes` is the history; `people.status` caches
/// the latest, in the same transaction as each change (see `store::status`), so that lists,
/// deadlines and the life index leave out whoever is not in the register without reading history.
const V8: &str = r#"
CREATE TABLE status_changes (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    status    TEXT NOT NULL CHECK (status IN ('in_register', 'transferred_out', 'suspended', 'withdrew', 'removed',
                  'expelled', 'lapsed', 'deceased', 'probation_cancelled')),
    date      TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason    TEXT
) STRICT;
CREATE INDEX status_changes_by_person ON status_changes(person_id, date);

ALTER TABLE people ADD COLUMN status TEXT NOT NULL DEFAULT 'in_register'
    CHECK (status IN ('in_register', 'transferred_out', 'suspended', 'withdrew', 'removed', 'expelled', 'lapsed',
                      'deceased', 'probation_cancelled'));
"#;

/// Version 9: party dues (issue 17). Months are counted from year 0 (`dues::Month`: 2026-05 is
/// 2026 × 12 + 4). `dues_months` holds one compact row per month paid or deferred; `people.dues_from`
/// (the first month due) and `people.dues_through` (the last month of the unbroken run paid or
/// deferred from it) are caches kept in the same transaction as every change (`store::dues`), so
/// the arrears scan reads two integers per member.
const V9: &str = r#"
CREATE TABLE dues_bases (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    category   TEXT NOT NULL CHECK (category IN ('salaried', 'retired', 'student', 'unemployed', 'low_income')),
    base_fen   INTEGER NOT NULL CHECK (base_fen >= 0),
    from_month INTEGER NOT NULL,
    UNIQUE (person_id, from_month)
) STRICT;

CREATE TABLE dues_months (
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    month      INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    paid_on    TEXT CHECK (paid_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    paid_by    TEXT,
    deferred   TEXT,
    CHECK ((paid_on IS NULL) <> (deferred IS NULL)),
    PRIMARY KEY (person_id, month)
) STRICT, WITHOUT ROWID;
CREATE INDEX dues_months_by_month ON dues_months(month);

ALTER TABLE people ADD COLUMN dues_from INTEGER;
ALTER TABLE people ADD COLUMN dues_through INTEGER;
"#;

/// Version 10: introduction letters of transfers out (issue 17). A letter's number is unique; issuing
/// one writes the member's `transferred_out` status change in the same transaction, and the letter
/// keeps that change's id (a transfer by letter is undone by cancelling the letter).
const V10: &str = r#"
CREATE TABLE transfer_letters (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    number           TEXT NOT NULL UNIQUE,
    destination      TEXT NOT NULL CHECK (length(trim(destination)) > 0),
    addressee        TEXT NOT NULL,
    issued_on        TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    validity_days    INTEGER NOT NULL CHECK (validity_days > 0),
    stage            TEXT NOT NULL,
    dues_through     INTEGER,
    assessment       TEXT,
    receipt_on       TEXT CHECK (receipt_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    cancelled_on     TEXT CHECK (cancelled_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reissue_of       INTEGER REFERENCES transfer_letters(id),
    status_change_id INTEGER REFERENCES status_changes(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX transfer_letters_open ON transfer_letters(person_id) WHERE receipt_on IS NULL AND cancelled_on IS NULL;
"#;

/// Version 11: members who arrived by transfer (转入, issue 17): where from, with which letter, and
/// the status change that put them in the register on the day it was received. A history that
/// begins with 在册 begins with an arrival: before it the person was not in this register. And the
/// one-time code of a letter's member package; graduates whose relationship is kept at the
/// university.
const V11: &str = r#"
CREATE TABLE arrivals (
    person_id        INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    received_on      TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    origin           TEXT NOT NULL CHECK (length(trim(origin)) > 0),
    letter_number    TEXT,
    letter_issued_on TEXT CHECK (letter_issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    dues_through     INTEGER,
    status_change_id INTEGER REFERENCES status_changes(id) ON DELETE SET NULL,
    -- The sending office's audit trail of the person, one line a change, when it came in a package.
    history          TEXT
) STRICT;
-- The one-time code a letter's member package opens with, printed on the letter.
ALTER TABLE transfer_letters ADD COLUMN package_code TEXT;
-- The 在册 change a letter's cancellation wrote: undone only with the letter.
ALTER TABLE transfer_letters ADD COLUMN cancel_change_id INTEGER REFERENCES status_changes(id) ON DELETE SET NULL;
-- Graduates whose relationship is kept at the university (条例第三十四条), since graduating.
CREATE TABLE kept_graduates (
    person_id    INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    graduated_on TEXT NOT NULL CHECK (graduated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;
"#;

/// Version 12: applications to transfer out (转出申请) and the committee's decision on them, the
/// steps before the letter (issue 17). An application is open until declined or a letter is issued
/// against it (`letter_id`).
const V12: &str = r#"
CREATE TABLE transfer_requests (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    applied_on      TEXT NOT NULL CHECK (applied_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    destination     TEXT NOT NULL CHECK (length(trim(destination)) > 0),
    reason          TEXT,
    approved_on     TEXT CHECK (approved_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    declined_on     TEXT CHECK (declined_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    declined_reason TEXT,
    decided_by      TEXT,
    letter_id       INTEGER REFERENCES transfer_letters(id) ON DELETE SET NULL,
    CHECK (approved_on IS NULL OR declined_on IS NULL)
) STRICT;
CREATE INDEX transfer_requests_open ON transfer_requests(person_id) WHERE declined_on IS NULL AND letter_id IS NULL;
"#;

/// Version 13: the yearly democratic appraisal of members (民主评议党员, issue 18): one per branch
/// and year, its steps' days, each member taking part (graded or, a probationary member, not) with
/// the vote's counts, the proposed and decided grade, and the 民主评议 record the close wrote; an
/// unsatisfactory member's correction period and how it ended.
const V13: &str = r#"
CREATE TABLE appraisals (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES org_units(id),
    year         INTEGER NOT NULL,
    opened_on    TEXT NOT NULL CHECK (opened_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    ballots_cast INTEGER CHECK (ballots_cast > 0),
    closed_on    TEXT CHECK (closed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    UNIQUE (unit_id, year)
) STRICT;
CREATE TABLE appraisal_steps (
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id) ON DELETE CASCADE,
    step         TEXT NOT NULL,
    date         TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    PRIMARY KEY (appraisal_id, step)
) STRICT;
CREATE TABLE appraisal_members (
    appraisal_id        INTEGER NOT NULL REFERENCES appraisals(id) ON DELETE CASCADE,
    person_id           INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    graded              INTEGER NOT NULL CHECK (graded IN (0, 1)),
    excellent           INTEGER CHECK (excellent >= 0),
    qualified           INTEGER CHECK (qualified >= 0),
    basically_qualified INTEGER CHECK (basically_qualified >= 0),
    unqualified         INTEGER CHECK (unqualified >= 0),
    proposed            TEXT,
    grade               TEXT,
    reason              TEXT,
    record_id           INTEGER REFERENCES records(id) ON DELETE SET NULL,
    PRIMARY KEY (appraisal_id, person_id)
) STRICT;
CREATE INDEX appraisal_members_by_person ON appraisal_members(person_id);
CREATE TABLE corrections (
    appraisal_id INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    from_on      TEXT NOT NULL CHECK (from_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    months       INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    outcome      TEXT,
    decided_on   TEXT CHECK (decided_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note         TEXT,
    PRIMARY KEY (appraisal_id, person_id),
    FOREIGN KEY (appraisal_id, person_id) REFERENCES appraisal_members(appraisal_id, person_id) ON DELETE CASCADE
) STRICT;
"#;

/// Version 14: the confidential complaints register (信访举报, issue 18) and the role that keeps it.
///
/// - `users` made anew with the role `discipline_inspector` allowed (SQLite changes a CHECK only
///   by making the table again); the branches of branch secretaries are kept through it.
/// - `complaints`: each entry's words sealed (base64) under the register key of its
///   `generation` (`keys/register.rs`); in the clear only its number, the days and whether it
///   belongs elsewhere, which the counts and deadlines need.
/// - `complaint_reads`: every opening of an entry, so that the audit log records the reads too.
const V14: &str = r#"
CREATE TABLE users_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    role       TEXT NOT NULL
               CHECK (role IN ('administrator', 'organiser', 'branch_secretary', 'auditor', 'discipline_inspector')),
    slot_id    TEXT NOT NULL UNIQUE,
    created_on TEXT NOT NULL
) STRICT;
INSERT INTO users_new (id, name, role, slot_id, created_on) SELECT id, name, role, slot_id, created_on FROM users;
CREATE TEMP TABLE user_branches_kept AS SELECT user_id, unit_id FROM user_branches;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
INSERT OR IGNORE INTO user_branches (user_id, unit_id) SELECT user_id, unit_id FROM temp.user_branches_kept;
DROP TABLE temp.user_branches_kept;

CREATE TABLE complaints (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    received_on       TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    belongs_elsewhere INTEGER NOT NULL DEFAULT 0 CHECK (belongs_elsewhere IN (0, 1)),
    forwarded_on      TEXT CHECK (forwarded_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reported_on       TEXT CHECK (reported_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    closed_on         TEXT CHECK (closed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    generation        INTEGER NOT NULL,
    sealed            TEXT NOT NULL
) STRICT;
CREATE TABLE complaint_reads (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    reader       TEXT NOT NULL,
    read_at      TEXT NOT NULL
) STRICT;
"#;

/// Version 15: the complaints register's attachments (scans of a letter, a photo), sealed under
/// the register key like the entries' words: the name and size in `meta`, the bytes in `content`.
const V15: &str = r#"
CREATE TABLE complaint_attachments (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    generation   INTEGER NOT NULL,
    meta         TEXT NOT NULL,
    content      BLOB NOT NULL
) STRICT;
CREATE INDEX complaint_attachments_by_complaint ON complaint_attachments(complaint_id);
-- Whether an entry has been handled at all: the list's state without opening the entry.
ALTER TABLE complaints ADD COLUMN handled INTEGER NOT NULL DEFAULT 0 CHECK (handled IN (0, 1));
"#;

/// Version 16: the reminders sent of the complaints register's items, per entry (its items sit
/// under the committee, where `unit_reminders_sent` would take two entries' same-day items for
/// one). Bookkeeping, like the other reminders tables: the entry's id and dates are in the clear
/// in `complaints` already.
const V16: &str = r#"
CREATE TABLE complaint_reminders_sent (
    complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    rule         TEXT NOT NULL,
    due          TEXT NOT NULL,
    threshold    INTEGER NOT NULL,
    sent_on      TEXT NOT NULL,
    PRIMARY KEY (complaint_id, rule, due, threshold)
) STRICT, WITHOUT ROWID;
"#;

/// Version 17: an office's own wording of the procedure's documents (issue 19), each replacing the
/// shipped template of its id; the shipped ones are in the program, never in the database.
const V17: &str = r#"
CREATE TABLE document_templates (
    id     TEXT PRIMARY KEY,
    source TEXT NOT NULL
) STRICT, WITHOUT ROWID;
"#;

/// Version 18: a UUID (`uid`) for every unit, person and file record, the same in every database
/// they are copied to (a shared server, another office), beside the row's number in this one
/// (issue 20). Rows that exist get theirs here; every insert of the store gives one
/// ([`NEW_UID`]), and an insert without one is refused, so none is left without. No index: nothing
/// here looks a row up by it, 122 random bits do not repeat, and an index of random keys would
/// cost an import of 100,000 people a B-tree write per row; the server, which looks people up by
/// it, keeps them unique.
const V18: &str = concat!(
    "ALTER TABLE org_units ADD COLUMN uid TEXT;
ALTER TABLE people ADD COLUMN uid TEXT;
ALTER TABLE records ADD COLUMN uid TEXT;
UPDATE org_units SET uid = ",
    new_uid_sql!(),
    ";
UPDATE people SET uid = ",
    new_uid_sql!(),
    ";
UPDATE records SET uid = ",
    new_uid_sql!(),
    ";
CREATE TRIGGER org_units_need_uid BEFORE INSERT ON org_units WHEN NEW.uid IS NULL
BEGIN SELECT RAISE(ABORT, 'org_units.uid is required'); END;
CREATE TRIGGER people_need_uid BEFORE INSERT ON people WHEN NEW.uid IS NULL
BEGIN SELECT RAISE(ABORT, 'people.uid is required'); END;
CREATE TRIGGER records_need_uid BEFORE INSERT ON records WHEN NEW.uid IS NULL
BEGIN SELECT RAISE(ABORT, 'records.uid is required'); END;
CREATE TRIGGER org_units_keep_uid BEFORE UPDATE OF uid ON org_units
BEGIN SELECT RAISE(ABORT, 'a unit keeps its uid'); END;
CREATE TRIGGER people_keep_uid BEFORE UPDATE OF uid ON people
BEGIN SELECT RAISE(ABORT, 'a person keeps their uid'); END;
CREATE TRIGGER records_keep_uid BEFORE UPDATE OF uid ON records
BEGIN SELECT RAISE(ABORT, 'a record keeps its uid'); END;
"
);

/// Version 19: the same rules, checked at a fraction of the cost, found by profiling the import of
/// 100,000 people (issue 14). SQLite checks `stage IN ('applicant', 'activist', …)` by building a
/// temporary B-tree of the list each time a statement runs, so a person's insert built five of
/// them and an audit entry's one. And version 18's `BEFORE INSERT` triggers made every insert of a
/// person a statement with its own journal, each page it changed copied first. Together they were
/// 30 % of the import. So every list in a table's `CHECK` becomes comparisons joined by `OR`, which
/// accept and refuse the same values (NULL passes both), and the triggers become `CHECK (uid IS
/// NOT NULL)` constraints that carry their message as their name ([`checks_without_lists`]).
const V19: &str = "DROP TRIGGER org_units_need_uid;
DROP TRIGGER people_need_uid;
DROP TRIGGER records_need_uid;";

/// The tables that version 18 gave a `uid` column (`uid TEXT`, written once in each definition).
const UID_TABLES: [&str; 3] = ["org_units", "people", "records"];

/// Version 19's edit of the stored table definitions ([`V19`]). A constraint that accepts exactly
/// the same rows leaves every stored row as it is, which is when SQLite's documentation allows
/// editing `sqlite_schema` in place (<https://sqlite.org/lang_altertable.html#otheralter>):
/// inside the migration's transaction, with the schema's version moved on so that every
/// connection reads the new definitions. The rows already conform to the uid constraint: version
/// 18 gave each one a uid and its triggers refused any insert without.
fn checks_without_lists(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let tables: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut edited = Vec::new();
    for (name, sql) in tables {
        let mut new_sql = lists_as_comparisons(&sql);
        if UID_TABLES.contains(&name.as_str()) {
            new_sql = uid_required(&name, &new_sql).ok_or_else(|| {
                rusqlite_migration::HookError::Hook(format!("table {name} has no single `uid TEXT` column"))
            })?;
        }
        if new_sql != sql {
            edited.push((name, new_sql));
        }
    }
    write_definitions(tx, &edited)?;
    Ok(())
}

/// Replaces the stored definitions of the tables `edited` names, then reads them back: one that
/// SQLite cannot parse fails here, inside the caller's transaction, which then rolls back,
/// instead of leaving a workspace that no longer opens.
fn write_definitions(tx: &rusqlite::Transaction, edited: &[(String, String)]) -> rusqlite::Result<()> {
    let version: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    let written = edited.iter().try_for_each(|(name, sql)| {
        tx.execute("UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = ?2", (sql, name)).map(drop)
    });
    // Off again whatever happened: the flag belongs to the connection, not the transaction.
    tx.pragma_update(None, "writable_schema", false)?;
    written?;
    // The schema's version moved on: every connection reads the definitions again, this one at
    // its next statement, which is this reading.
    tx.pragma_update(None, "schema_version", version + 1)?;
    for (name, _) in edited {
        tx.query_row(&format!("SELECT count(*) FROM \"{name}\" WHERE 0"), [], |r| r.get::<_, i64>(0))?;
    }
    Ok(())
}

/// `sql` with each `column IN ('a', 'b', …)` written `(column = 'a' OR column = 'b' OR …)`. A list
/// of anything but plain quoted words (numbers, quotes inside a word) is left as it is.
fn lists_as_comparisons(sql: &str) -> String {
    const IN: &str = " IN (";
    let mut out = String::with_capacity(sql.len() + 256);
    let mut rest = sql;
    while let Some(at) = rest.find(IN) {
        let (before, from_list) = (&rest[..at], &rest[at + IN.len()..]);
        let column_len = before.bytes().rev().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let column = &before[before.len() - column_len..];
        match quoted_words(from_list) {
            Some((words, list_len)) if column_len > 0 && stands_alone(&before[..before.len() - column_len], column) => {
                out.push_str(&before[..before.len() - column_len]);
                let comparisons: Vec<String> = words.iter().map(|w| format!("{column} = '{w}'")).collect();
                out.push('(');
                out.push_str(&comparisons.join(" OR "));
                out.push(')');
                rest = &from_list[list_len..];
            }
            _ => {
                out.push_str(&rest[..at + IN.len()]);
                rest = from_list;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `column IN (…)`, preceded by `before`, is a whole operand that comparisons in
/// parentheses can replace: a plain column name (not `NOT` of `NOT IN`, not a table's column
/// `t.column`) right after `(`, `AND` or `OR`, which bind less tightly than `IN` and `=`.
/// Anything else (`a || b IN (…)`) keeps its list: slower, never different.
fn stands_alone(before: &str, column: &str) -> bool {
    // Bytes, not `str` slices: a definition may hold Chinese text, and a cut inside a character
    // would panic.
    let before = before.trim_end().as_bytes();
    let keyword = |k: &str| {
        before.len() > k.len()
            && before[before.len() - k.len()..].eq_ignore_ascii_case(k.as_bytes())
            && !before[before.len() - k.len() - 1].is_ascii_alphanumeric()
    };
    !column.eq_ignore_ascii_case("NOT")
        && !column.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && (before.ends_with(b"(") || keyword("AND") || keyword("OR"))
}

/// The words of `'a', 'b', …)` at the start of `list`, and the length of that text (its `)`
/// included); `None` unless it is only quoted words without quotes inside, commas and blanks.
fn quoted_words(list: &str) -> Option<(Vec<&str>, usize)> {
    let mut words = Vec::new();
    let mut at = 0;
    loop {
        at += list[at..].len() - list[at..].trim_start().len();
        let word = list[at..].strip_prefix('\'')?;
        let end = word.find('\'')?;
        if word[end + 1..].starts_with('\'') {
            return None;
        }
        words.push(&word[..end]);
        at += end + 2;
        at += list[at..].len() - list[at..].trim_start().len();
        match list[at..].chars().next()? {
            ',' => at += 1,
            ')' => return Some((words, at + 1)),
            _ => return None,
        }
    }
}

/// `sql`, a definition of `table`, with its one `uid TEXT` column required: `None` if there is not
/// exactly one.
fn uid_required(table: &str, sql: &str) -> Option<String> {
    let column = "uid TEXT";
    let mut found = sql.match_indices(column).filter(|(at, _)| {
        let before = sql[..*at].bytes().next_back();
        let after = sql[at + column.len()..].bytes().next();
        !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let required = format!("{column} CONSTRAINT \"{table}.uid is required\" CHECK (uid IS NOT NULL)");
    Some(format!("{}{required}{}", &sql[..at], &sql[at + column.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_apply_to_an_empty_database() {
        migrations().validate().unwrap();
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, LATEST);
    }

    /// A workspace from before UUIDs (version 17) gets one for every unit, person and record:
    /// random version-4 UUIDs, all different; a new row must come with one, and keeps it.
    #[test]
    fn existing_rows_get_uuids_and_new_rows_must_bring_one() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 17).unwrap();
        conn.execute_batch(
            "INSERT INTO org_units (id, parent_id, kind, name) VALUES (1, NULL, 'committee', '党委'), (2, 1, 'branch', '第一党支部');
             INSERT INTO people (id, branch_id, name, pinyin, initials, sort_key, gender, stage)
                 VALUES (7, 2, '张三', 'zhangsan', 'zs', 'zhangsan', 'male', 'applicant'),
                        (8, 2, '李四', 'lisi', 'ls', 'lisi', 'female', 'applicant');
             INSERT INTO records (person_id, kind, date, title, body, fields) VALUES (7, 'application', '2026-01-05', '入党申请书', '', '{}');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let uids: Vec<String> = conn
            .prepare("SELECT uid FROM org_units UNION ALL SELECT uid FROM people UNION ALL SELECT uid FROM records")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(uids.len(), 5);
        for uid in &uids {
            let parsed = uuid::Uuid::parse_str(uid).unwrap_or_else(|e| panic!("{uid}: {e}"));
            assert_eq!(parsed.get_version_num(), 4, "{uid}");
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122, "{uid}");
            assert_eq!(uid, &parsed.hyphenated().to_string(), "lower case, hyphenated");
        }
        let distinct: std::collections::HashSet<&String> = uids.iter().collect();
        assert_eq!(distinct.len(), uids.len());

        let refused =
            conn.execute("INSERT INTO org_units (parent_id, kind, name) VALUES (1, 'branch', '第二党支部')", []);
        assert!(refused.unwrap_err().to_string().contains("uid is required"));
        register_new_uid(&conn).unwrap();
        conn.execute(
            &format!(
                "INSERT INTO org_units (parent_id, kind, name, uid) VALUES (1, 'branch', '第二党支部', {NEW_UID})"
            ),
            [],
        )
        .unwrap();
        let made: String =
            conn.query_row("SELECT uid FROM org_units WHERE name = '第二党支部'", [], |r| r.get(0)).unwrap();
        let parsed = uuid::Uuid::parse_str(&made).unwrap();
        assert_eq!((parsed.get_version_num(), parsed.get_variant()), (4, uuid::Variant::RFC4122), "{made}");
        let many: std::collections::HashSet<String> = (0..1000).map(|_| new_uid().unwrap()).collect();
        assert_eq!(many.len(), 1000, "none repeats, across the pool's refills too");
        let changed = conn.execute("UPDATE people SET uid = 'x' WHERE id = 7", []);
        assert!(changed.unwrap_err().to_string().contains("keeps"));
    }

    /// SQLite builds a temporary B-tree for a `CHECK (x IN (…))` list at every insert (version
    /// 19): no table may check against a list of words, and the comparisons that replace the
    /// lists accept and refuse what the lists did.
    #[test]
    fn no_table_checks_a_value_against_a_list_of_words() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let listing: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '% IN (''%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(listing.is_empty(), "tables checking against a list: {listing:?}");

        register_new_uid(&conn).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO org_units (id, parent_id, kind, name, uid) VALUES (1, NULL, 'committee', '党委', {NEW_UID}), (2, 1, 'branch', '第一党支部', {NEW_UID});"
        ))
        .unwrap();
        let person = |stage: &str, category: Option<&str>| {
            conn.execute(
                &format!(
                    "INSERT INTO people (branch_id, name, pinyin, initials, sort_key, stage, category, uid) VALUES (2, '张三', 'zhangsan', 'zs', 'zhangsan', ?1, ?2, {NEW_UID})"
                ),
                (stage, category),
            )
        };
        person("full_member", Some("teacher")).unwrap();
        person("candidate", None).unwrap();
        let refused = person("full member", Some("teacher")).unwrap_err().to_string();
        assert!(refused.contains("CHECK constraint failed"), "{refused}");
        let refused = person("applicant", Some("Teacher")).unwrap_err().to_string();
        assert!(refused.contains("CHECK constraint failed"), "{refused}");
        let unknown_action = conn.execute(
            "INSERT INTO audit_log (at, actor, entity, action, prev_hash, hash) VALUES ('2026-12-08T00:00:00Z', 'a', 'people', 'upsert', '', '')",
            [],
        );
        assert!(unknown_action.unwrap_err().to_string().contains("CHECK constraint failed"));
        let without_uid = conn.execute(
            "INSERT INTO people (branch_id, name, pinyin, initials, sort_key, stage) VALUES (2, '李四', 'lisi', 'ls', 'lisi', 'applicant')",
            [],
        );
        assert!(without_uid.unwrap_err().to_string().contains("people.uid is required"));
        let people: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
        assert_eq!(people, 2);
    }

    /// A definition SQLite cannot parse fails the migration's transaction, which rolls back:
    /// the table keeps its old definition and its rows.
    #[test]
    fn a_definition_that_does_not_parse_is_refused_and_rolled_back() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a TEXT CHECK (a IN ('x', 'y'))); INSERT INTO t VALUES ('x');").unwrap();
        let tx = conn.transaction().unwrap();
        let broken = [("t".to_owned(), "CREATE TABLE t (a TEXT CHECK (a (( ))".to_owned())];
        let refused = write_definitions(&tx, &broken).unwrap_err().to_string();
        assert!(refused.contains("malformed database schema"), "{refused}");
        drop(tx);
        let sql: String = conn.query_row("SELECT sql FROM sqlite_schema WHERE name = 't'", [], |r| r.get(0)).unwrap();
        assert_eq!(sql, "CREATE TABLE t (a TEXT CHECK (a IN ('x', 'y')))");
        let rows: i64 = conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 1);
        assert!(conn.execute("INSERT INTO t VALUES ('z')", []).is_err(), "the old check still holds");
    }

    #[test]
    fn a_list_of_words_becomes_comparisons_and_anything_else_stays() {
        assert_eq!(
            lists_as_comparisons("kind TEXT CHECK (kind IN ('a', 'b_c',\n   'd')), n INTEGER CHECK (n IN (0, 1))"),
            "kind TEXT CHECK ((kind = 'a' OR kind = 'b_c' OR kind = 'd')), n INTEGER CHECK (n IN (0, 1))"
        );
        assert_eq!(
            lists_as_comparisons("CHECK (x IS NULL OR x IN ('a', 'b'))"),
            "CHECK (x IS NULL OR (x = 'a' OR x = 'b'))"
        );
        for kept in [
            "CHECK (x IN ('it''s', 'b'))",
            "CHECK (x IN ('a', 2))",
            "CHECK ( IN ('a'))",
            "x IN ('a'",
            "CHECK (x NOT IN ('a', 'b'))",
            "CHECK (t.x IN ('a', 'b'))",
            "CHECK (a || b IN ('a', 'b'))",
            "CHECK (FOR x IN ('a'))",
            "CHECK (名 x IN ('a'))",
        ] {
            assert_eq!(lists_as_comparisons(kept), kept);
        }
        assert_eq!(
            uid_required("t", "CREATE TABLE t (a_uid TEXT, uid TEXT)").as_deref(),
            Some("CREATE TABLE t (a_uid TEXT, uid TEXT CONSTRAINT \"t.uid is required\" CHECK (uid IS NOT NULL))")
        );
        assert_eq!(uid_required("t", "CREATE TABLE t (uid TEXT, b TEXT, uid TEXT)"), None);
    }

    /// A workspace from before statistics and branch life (version 4), with people in it, keeps
    /// every row through the later migrations; the new facts start empty.
    #[test]
    fn a_populated_version_4_workspace_migrates_keeping_everything() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 4).unwrap();
        conn.execute_batch(
            "INSERT INTO org_units (id, parent_id, kind, name) VALUES (1, NULL, 'committee', '党委'), (2, 1, 'branch', '第一党支部');
             INSERT INTO people (id, branch_id, name, pinyin, initials, sort_key, gender, stage)
                 VALUES (7, 2, '张三', 'zhangsan', 'zs', 'zhangsan', 'male', 'probationary');
             INSERT INTO events (person_id, kind, date) VALUES (7, 'admitted', '2025-06-01');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let (name, stage, education, joined): (String, String, Option<String>, Option<String>) = conn
            .query_row("SELECT name, stage, education, joined_on FROM people WHERE id = 7", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!((name.as_str(), stage.as_str(), education, joined), ("张三", "probationary", None, None));
        let events: i64 = conn.query_row("SELECT count(*) FROM events WHERE person_id = 7", [], |r| r.get(0)).unwrap();
        assert_eq!(events, 1);
        // The units that existed owe their meetings from the migration on.
        let unset: i64 =
            conn.query_row("SELECT count(*) FROM org_units WHERE life_from IS NULL", [], |r| r.get(0)).unwrap();
        assert_eq!(unset, 0);
        // And the new tables take rows.
        conn.execute("INSERT INTO meetings (unit_id, kind, date, held) VALUES (2, 'theme_day', '2026-11-10', 1)", [])
            .unwrap();
    }

    /// Version 14 makes the users table anew (for the discipline inspector's role): every user,
    /// their slot and a branch secretary's branches survive it, with foreign keys on as in use.
    #[test]
    fn the_users_and_their_branches_survive_the_inspectors_role() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        migrations().to_version(&mut conn, 13).unwrap();
        conn.execute_batch(
            "INSERT INTO org_units (id, parent_id, kind, name) VALUES (1, NULL, 'committee', '党委'), (2, 1, 'branch', '第一党支部');
             INSERT INTO users (id, name, role, slot_id, created_on) VALUES
                 (1, '王管理', 'administrator', 'slot-1', '2026-01-01'), (2, '孙书记', 'branch_secretary', 'slot-2', '2026-01-02');
             INSERT INTO user_branches (user_id, unit_id) VALUES (2, 2);",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let users: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, name, slot_id FROM users ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(users, [(1, "王管理".into(), "slot-1".into()), (2, "孙书记".into(), "slot-2".into())]);
        let branches: i64 = conn
            .query_row("SELECT count(*) FROM user_branches WHERE user_id = 2 AND unit_id = 2", [], |r| r.get(0))
            .unwrap();
        assert_eq!(branches, 1, "the secretary keeps their branch");
        conn.execute(
            "INSERT INTO users (name, role, slot_id, created_on) VALUES ('李纪检', 'discipline_inspector', 'slot-3', '2026-12-01')",
            [],
        )
        .unwrap();
        // The branches still refer to the users table: a user's removal takes theirs along.
        conn.execute("DELETE FROM users WHERE id = 2", []).unwrap();
        let left: i64 = conn.query_row("SELECT count(*) FROM user_branches", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
    }

    /// A version 6 workspace with a party group and a unit made after version 6 (so without a
    /// tracking day): both owe their meetings from the migration on, the group from its branch's day.
    #[test]
    fn a_version_6_workspace_gets_a_tracking_day_for_every_unit_and_group() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO org_units (id, parent_id, kind, name, life_from) VALUES (1, NULL, 'committee', '党委', NULL),
                 (2, 1, 'branch', '第一党支部', '2026-09-01'), (3, 1, 'branch', '第二党支部', NULL);
             INSERT INTO party_groups (id, branch_id, name) VALUES (5, 2, '第一党小组');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let unset: i64 =
            conn.query_row("SELECT count(*) FROM org_units WHERE life_from IS NULL", [], |r| r.get(0)).unwrap();
        assert_eq!(unset, 0);
        let (kept, group): (String, String) = conn
            .query_row(
                "SELECT (SELECT life_from FROM org_units WHERE id = 2), (SELECT life_from FROM party_groups WHERE id = 5)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((kept.as_str(), group.as_str()), ("2026-09-01", "2026-09-01"));
    }
}
