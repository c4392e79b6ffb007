-- The shared server's schema, version 12: the confidential complaints register (信访举报, issue 20;
-- the workspace's `complaints`, `complaint_attachments`, `complaint_reads` and
-- `complaint_reminders_sent`, store/schema.rs versions 14 to 16, and its key file's register keys,
-- keys/register.rs). Each discipline inspector keeps the register of their own unit (their
-- college's committee, or the department's): its entries' words sealed under the register's key,
-- which the server never sees in the clear. The key is sealed to each inspector who holds it
-- (`register_copies`), to the public half of their key pair (`inspector_keys`), whose secret half
-- is wrapped under their passphrase: the database's owner, an administrator or a copy of the
-- database opens no word of an entry. `dangan server upgrade` brings a version-11 database here.

-- An inspector's key pair: the public half in the clear, the secret half wrapped under the key
-- their passphrase derives (Argon2id with this salt and cost, XChaCha20-Poly1305 bound to the
-- user). Made at their first sign-in; gone when an administrator sets their passphrase anew.
CREATE TABLE dangan.inspector_keys (
    user_id        uuid PRIMARY KEY REFERENCES dangan.users(id) ON DELETE CASCADE,
    public_key     bytea NOT NULL CHECK (length(public_key) = 32),
    salt           bytea NOT NULL CHECK (length(salt) BETWEEN 16 AND 64),
    kdf_params     text NOT NULL,
    nonce          bytea NOT NULL CHECK (length(nonce) = 24),
    wrapped_secret bytea NOT NULL CHECK (length(wrapped_secret) = 48)
);

-- A unit's register: the generation its new entries are sealed under, and whether its key must
-- be replaced (an inspector who held it was removed), which the next inspector who changes the
-- register does before anything else.
CREATE TABLE dangan.registers (
    unit_id bigint PRIMARY KEY REFERENCES dangan.org_units(id),
    rotate  boolean NOT NULL DEFAULT false
);

-- One generation of a register's key sealed to one inspector (a libsodium sealed box to their
-- public key).
CREATE TABLE dangan.register_copies (
    unit_id    bigint NOT NULL REFERENCES dangan.registers(unit_id),
    generation integer NOT NULL CHECK (generation > 0),
    user_id    uuid NOT NULL REFERENCES dangan.users(id) ON DELETE CASCADE,
    sealed     bytea NOT NULL,
    PRIMARY KEY (unit_id, generation, user_id)
);

-- An entry: in the clear only its number within the register, the days the counts and deadlines
-- need and whether it belongs elsewhere; its words sealed (base64) under the key's `generation`,
-- bound to the entry's number here.
CREATE TABLE dangan.complaints (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id           bigint NOT NULL REFERENCES dangan.registers(unit_id),
    number            text NOT NULL CHECK (number ~ '^[0-9]{4}-[0-9]{3,}$'),
    received_on       date NOT NULL,
    belongs_elsewhere boolean NOT NULL DEFAULT false,
    forwarded_on      date,
    reported_on       date,
    closed_on         date,
    handled           boolean NOT NULL DEFAULT false,
    generation        integer NOT NULL CHECK (generation >= 0),
    sealed            text NOT NULL,
    UNIQUE (unit_id, number),
    UNIQUE (id, unit_id)
);

-- An entry's files, their name and size (`meta`) and bytes (`content`) sealed like its words.
CREATE TABLE dangan.complaint_attachments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL,
    unit_id      bigint NOT NULL,
    generation   integer NOT NULL CHECK (generation >= 0),
    meta         text NOT NULL,
    content      bytea NOT NULL,
    FOREIGN KEY (complaint_id, unit_id) REFERENCES dangan.complaints (id, unit_id)
);
CREATE INDEX complaint_attachments_by_complaint ON dangan.complaint_attachments (complaint_id);

-- Every opening of an entry or one of its files, by whom (the login role, set by the server):
-- the audit log records the readings with the changes.
CREATE TABLE dangan.complaint_reads (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL,
    unit_id      bigint NOT NULL,
    db_role      name NOT NULL DEFAULT session_user,
    read_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (complaint_id, unit_id) REFERENCES dangan.complaints (id, unit_id)
);

-- The reminders of an entry's items each inspector was sent: nothing is sent to one twice.
CREATE TABLE dangan.complaint_reminders_sent (
    db_role      name NOT NULL DEFAULT session_user,
    complaint_id bigint NOT NULL REFERENCES dangan.complaints(id),
    rule         text NOT NULL,
    due          date NOT NULL,
    threshold    integer NOT NULL,
    sent_on      date NOT NULL,
    PRIMARY KEY (db_role, complaint_id, rule, due, threshold)
);

-- The register an inspector keeps: their own unit's; none for anyone else.
CREATE FUNCTION dangan.my_register() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN (SELECT u.unit_id FROM dangan.users u WHERE u.db_role = session_user AND u.role = 'discipline_inspector');
END
$$;

-- The inspectors who keep the signed-in inspector's register (themselves included): those to
-- whom its key may be sealed.
CREATE FUNCTION dangan.register_inspectors() RETURNS TABLE (id uuid, name text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT u.id, u.name FROM dangan.users u
        WHERE u.role = 'discipline_inspector' AND u.unit_id = dangan.my_register() ORDER BY u.name;
END
$$;

-- How many entries each unit's register holds and how many are open, for the registers of the
-- units the user reads: that the register exists may be known to anyone, its entries not.
CREATE FUNCTION dangan.complaints_overview() RETURNS TABLE (total bigint, open bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT count(*), count(*) FILTER (WHERE c.closed_on IS NULL) FROM dangan.complaints c
        WHERE c.unit_id IN (SELECT dangan.readable_units());
END
$$;

-- An inspector's passphrase set anew by an administrator: the secret half of their key pair was
-- under the old one, so it goes, with the register keys sealed to it; the next sign-in makes a
-- new pair, to which a holder gives the key again (`complaints grant`). Their own change of
-- passphrase re-wraps the secret instead (the client does, knowing both).
CREATE FUNCTION dangan.forget_inspector_key() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.db_role <> session_user THEN
        DELETE FROM dangan.register_copies WHERE user_id = NEW.id;
        DELETE FROM dangan.inspector_keys WHERE user_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER forget_inspector_key AFTER UPDATE OF passphrase_set_at ON dangan.users
    FOR EACH ROW WHEN (OLD.role = 'discipline_inspector') EXECUTE FUNCTION dangan.forget_inspector_key();

-- An inspector removed who held a register's key: that key is replaced before the register is
-- changed again, so that a copy of it kept by them opens nothing written since. Their sealed
-- copies and key pair go with their row; the reminders they were sent too.
CREATE FUNCTION dangan.retire_inspector() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE dangan.registers r SET rotate = true
        WHERE r.unit_id IN (SELECT c.unit_id FROM dangan.register_copies c WHERE c.user_id = OLD.id);
    DELETE FROM dangan.complaint_reminders_sent WHERE db_role = OLD.db_role;
    RETURN OLD;
END
$$;
CREATE TRIGGER retire_inspector BEFORE DELETE ON dangan.users
    FOR EACH ROW WHEN (OLD.role = 'discipline_inspector') EXECUTE FUNCTION dangan.retire_inspector();

-- Logged as a workspace logs them; announced as branch life is (the member lists stand). An
-- attachment's bytes are left out of the log, as a meeting's are.
SELECT dangan.log_and_announce_unit_rows('dangan.registers', '', 'unit', '');
SELECT dangan.log_and_announce_unit_rows('dangan.complaints', '', 'unit', '');
SELECT dangan.log_and_announce_unit_rows('dangan.complaint_attachments', '', 'unit', 'content');
SELECT dangan.log_and_announce_unit_rows('dangan.complaint_reads', '', 'unit', '');
SELECT dangan.log_and_announce_unit_rows('dangan.register_copies', '', 'unit', 'sealed');
SELECT dangan.log_and_announce_unit_rows('dangan.inspector_keys', '', 'user',
                                         'public_key,salt,kdf_params,nonce,wrapped_secret');
