-- The shared server's schema, version 1: the organisation, people and their events, users, and
-- the audit log, with the security that holds in raw SQL too (issue 20, §2).
--
-- `{app}`, `{system}` and `{accounts}` are this database's roles (see `server/roles.rs`):
-- - {app}: every user's login role is a member; the tables' privileges are granted to it and
--   every row-level policy for people is `TO {app}`.
-- - {system}: NOLOGIN, granted to no one. It owns the predicates the policies call and the audit
--   trigger, and only it may append to the log: a user cannot become it, so a user cannot write
--   the log or read round the policies.
-- - {accounts}: NOLOGIN with CREATEROLE, granted to no one. It owns `add_user`, which checks the
--   caller is an administrator before it makes a login role.
--
-- Dates are `date`. A unit, a person and an event have a number (`id`, this database's own, what
-- commands and the app name them by, as in a workspace) and units and people a UUID (`uid`) that
-- stays theirs across offices and databases.

CREATE SCHEMA dangan;
GRANT USAGE ON SCHEMA dangan TO {app}, {system}, {accounts};

CREATE TABLE dangan.meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE dangan.org_units (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    parent_id bigint REFERENCES dangan.org_units(id),
    kind      text NOT NULL CHECK (kind IN ('committee', 'general_branch', 'branch')),
    name      text NOT NULL CHECK (length(btrim(name)) > 0),
    -- The university's committee is the root; a college's committee sits under it.
    CHECK (kind = 'committee' OR parent_id IS NOT NULL)
);
CREATE UNIQUE INDEX org_units_unique_name
    ON dangan.org_units (coalesce(parent_id, 0), name);
CREATE UNIQUE INDEX org_units_one_root ON dangan.org_units ((parent_id IS NULL)) WHERE parent_id IS NULL;

CREATE TABLE dangan.people (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid           uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    branch_id     bigint NOT NULL REFERENCES dangan.org_units(id),
    name          text NOT NULL CHECK (length(btrim(name)) > 0),
    -- Derived from the name on the client (`names.rs`), for the list's pinyin order and search;
    -- the sort key compared byte by byte, as the workspace compares it, whatever the database's
    -- locale (a language's collation ignores the key's separator and misorders 张三 and 张三丰).
    pinyin        text NOT NULL DEFAULT '',
    initials      text NOT NULL DEFAULT '',
    sort_key      text COLLATE "C" NOT NULL DEFAULT '',
    gender        text CHECK (gender IN ('male', 'female')),
    ethnicity     text,
    birth_date    date,
    id_number     text UNIQUE,
    student_no    text UNIQUE,
    category      text CHECK (category IN ('student', 'teacher', 'staff')),
    department    text,
    class_name    text,
    phone         text,
    native_place  text,
    notes         text,
    education     text CHECK (education IN ('postgraduate', 'undergraduate', 'junior_college', 'secondary', 'basic')),
    class_year    integer CHECK (class_year BETWEEN 1950 AND 2100),
    student_level text CHECK (student_level IN ('junior_college', 'undergraduate', 'master', 'doctoral')),
    occupation    text CHECK (occupation IN ('professional', 'manager', 'worker', 'retired')),
    joined_on     date,
    stage         text NOT NULL DEFAULT 'applicant'
                  CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary', 'full_member')),
    ended         boolean NOT NULL DEFAULT false,
    -- Set by the server on every change (`stamp_change`): a client that read an older version is
    -- told who changed the person since, instead of overwriting them.
    version       integer NOT NULL DEFAULT 1,
    changed_by    text,
    changed_at    timestamptz
);
CREATE INDEX people_by_branch ON dangan.people (branch_id);

CREATE TABLE dangan.events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    kind      text NOT NULL,
    date      date NOT NULL,
    months    integer CHECK (months > 0),
    note      text
);
CREATE INDEX events_by_person ON dangan.events (person_id, date);

-- `db_role` is the user's login role; `unit_id` the committee whose office they work for (the
-- university's for the organisation department): they see that committee and everything under it,
-- a branch secretary only `user_branches`.
CREATE TABLE dangan.users (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The name the log records as the actor: no blank around it, so no look-alike of another's.
    name       text NOT NULL UNIQUE CHECK (length(btrim(name)) > 0 AND name = btrim(name)),
    role       text NOT NULL
               CHECK (role IN ('administrator', 'organiser', 'branch_secretary', 'auditor', 'discipline_inspector')),
    unit_id    bigint NOT NULL REFERENCES dangan.org_units(id),
    db_role    text NOT NULL UNIQUE,
    created_on date NOT NULL DEFAULT current_date
);
CREATE TABLE dangan.user_branches (
    user_id uuid NOT NULL REFERENCES dangan.users(id) ON DELETE CASCADE,
    unit_id bigint NOT NULL REFERENCES dangan.org_units(id),
    PRIMARY KEY (user_id, unit_id)
);

-- The log's fields are the workspace's (`store/audit.rs`) and `unit_id`, the unit the change
-- belongs to, by which the policies let an auditor of a college read their college's entries.
CREATE TABLE dangan.audit_log (
    seq       bigint PRIMARY KEY,
    at        text NOT NULL,
    actor     text NOT NULL,
    entity    text NOT NULL,
    entity_id text,
    member_id text,
    unit_id   bigint,
    action    text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    field     text,
    old       text,
    new       text,
    prev_hash text NOT NULL,
    hash      text NOT NULL
);
CREATE INDEX audit_by_member ON dangan.audit_log (member_id) WHERE member_id IS NOT NULL;

-- The newest entry, one row. Each writer locks it (`FOR UPDATE`) while appending, so concurrent
-- transactions append one after another and the chain stays one line.
CREATE TABLE dangan.audit_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint NOT NULL,
    hash     text NOT NULL
);
INSERT INTO dangan.audit_head (seq, hash) VALUES (0, repeat('0', 64));

-- What the policies ask: which units the signed-in user (`session_user`, the login role, which a
-- SECURITY DEFINER function does not change) may read, change, or organise. Owned by {system}.
CREATE FUNCTION dangan.unit_and_below(roots bigint[]) RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    WITH RECURSIVE below(id) AS (
        SELECT id FROM dangan.org_units WHERE id = ANY (roots)
        UNION SELECT u.id FROM dangan.org_units u JOIN below b ON u.parent_id = b.id
    )
    SELECT id FROM below
$$;

-- The units a user's role covers: a branch secretary's branches, everyone else's committee.
CREATE FUNCTION dangan.my_roots() RETURNS bigint[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(r), '{}') FROM (
        SELECT ub.unit_id AS r FROM dangan.users u JOIN dangan.user_branches ub ON ub.user_id = u.id
        WHERE u.db_role = session_user AND u.role = 'branch_secretary'
        UNION
        SELECT u.unit_id FROM dangan.users u WHERE u.db_role = session_user AND u.role <> 'branch_secretary'
    ) roots
$$;

CREATE FUNCTION dangan.my_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT role FROM dangan.users WHERE db_role = session_user
$$;

-- Mirrors `Role::may` in access.rs: ReadMembers for every role.
CREATE FUNCTION dangan.readable_units() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT dangan.unit_and_below(dangan.my_roots())
$$;

-- EditMembers: administrators, organisers, branch secretaries (within their branches).
CREATE FUNCTION dangan.editable_units() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT dangan.unit_and_below(dangan.my_roots())
    WHERE dangan.my_role() IN ('administrator', 'organiser', 'branch_secretary')
$$;

-- EditOrganisation: administrators and organisers, within their committee.
CREATE FUNCTION dangan.organised_units() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT dangan.unit_and_below(dangan.my_roots())
    WHERE dangan.my_role() IN ('administrator', 'organiser')
$$;

-- The units a user sees in the organisation tree: those they read and every unit above them, so
-- a branch's name can be given with its committee's.
CREATE FUNCTION dangan.visible_units() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    WITH RECURSIVE above(id, parent_id) AS (
        SELECT id, parent_id FROM dangan.org_units WHERE id IN (SELECT dangan.readable_units())
        UNION SELECT u.id, u.parent_id FROM dangan.org_units u JOIN above a ON u.id = a.parent_id
    )
    SELECT id FROM above
$$;

-- Every user with their branches: what `whoami` and `list_users` choose from (not granted to users).
CREATE VIEW dangan.user_rows AS
    SELECT u.id, u.name, u.role, u.unit_id,
           coalesce((SELECT array_agg(b.unit_id ORDER BY b.unit_id) FROM dangan.user_branches b WHERE b.user_id = u.id),
                    '{}') AS branches,
           u.db_role, u.created_on
    FROM dangan.users u;

-- Who is signed in: the user row of the login role, for the client to know its name and role.
CREATE FUNCTION dangan.whoami() RETURNS SETOF dangan.user_rows
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM dangan.user_rows WHERE db_role = session_user
$$;

-- The users an administrator manages: those of their committee and below.
CREATE FUNCTION dangan.list_users() RETURNS SETOF dangan.user_rows
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM dangan.user_rows
    WHERE dangan.my_role() = 'administrator' AND unit_id IN (SELECT dangan.readable_units())
$$;

-- The audit chain's hash, the workspace's `chain_hash` (store/audit.rs) computed here: SHA-256
-- over a tag and each field, NULL as 0xff, text as 0x00, its byte length (u64, little-endian)
-- and its UTF-8 bytes.
CREATE FUNCTION dangan.chain_hash(fields text[]) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT encode(sha256(convert_to('dangan-audit-v1', 'UTF8') || coalesce(string_agg(
        CASE WHEN f IS NULL THEN '\xff'::bytea
             ELSE '\x00'::bytea
                  || decode(lpad(to_hex(octet_length(f) & 255), 2, '0')
                            || lpad(to_hex((octet_length(f) >> 8) & 255), 2, '0')
                            || lpad(to_hex((octet_length(f) >> 16) & 255), 2, '0')
                            || lpad(to_hex((octet_length(f) >> 24) & 255), 2, '0')
                            || '00000000', 'hex')
                  || convert_to(f, 'UTF8') END,
        ''::bytea ORDER BY i), ''::bytea)), 'hex')
    FROM unnest(fields) WITH ORDINALITY AS t(f, i)
$$;

-- The audit trigger, on every audited table, AFTER each row: an insert or a delete is one entry
-- holding the row as JSON, an update one entry per changed column, as in the workspace.
-- The row is named by its `id`, or for a user's branch by the user's and the unit's.
-- TG_ARGV: [0] the column naming the member ('' for none), [1] how to find the row's unit
-- ('branch': its branch_id; 'person': its person's branch; 'self': the row is a unit;
-- 'user_self': the row is a user; 'user': its user's unit), [2] columns left out, comma-separated.
CREATE FUNCTION dangan.audit_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    the_row jsonb;
    skipped text[] := string_to_array(TG_ARGV[2], ',');
    member text;
    entity_id text;
    unit bigint;
    entry_actor text;
    entry_at text;
    entry_action text := lower(TG_OP);
    entry_seq bigint;
    prev text;
    entry_hash text;
    change record;
BEGIN
    IF skipped IS NOT NULL THEN
        old_row := old_row - skipped;
        new_row := new_row - skipped;
    END IF;
    the_row := coalesce(new_row, old_row);
    IF TG_ARGV[0] <> '' THEN
        member := the_row ->> TG_ARGV[0];
    END IF;
    unit := CASE TG_ARGV[1]
        WHEN 'branch' THEN (the_row ->> 'branch_id')::bigint
        WHEN 'person' THEN (SELECT p.branch_id FROM dangan.people p WHERE p.id = (the_row ->> 'person_id')::bigint)
        WHEN 'self' THEN (the_row ->> 'id')::bigint
        WHEN 'user_self' THEN (the_row ->> 'unit_id')::bigint
        WHEN 'user' THEN (SELECT u.unit_id FROM dangan.users u WHERE u.id = (the_row ->> 'user_id')::uuid)
    END;
    entity_id := coalesce(the_row ->> 'id', (the_row ->> 'user_id') || ' ' || (the_row ->> 'unit_id'));
    entry_actor := coalesce((SELECT u.name FROM dangan.users u WHERE u.db_role = session_user), session_user::text);
    SELECT h.seq, h.hash INTO entry_seq, prev FROM dangan.audit_head h FOR UPDATE;
    -- Taken once the head is ours, so the times along the chain never go backwards.
    entry_at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    FOR change IN
        SELECT NULL::text AS field, old_row::text AS old, new_row::text AS new WHERE entry_action <> 'update'
        UNION ALL
        SELECT k, old_row ->> k, new_row ->> k FROM jsonb_object_keys(new_row) AS k
        WHERE entry_action = 'update' AND (old_row -> k) IS DISTINCT FROM (new_row -> k)
        ORDER BY 1
    LOOP
        entry_seq := entry_seq + 1;
        entry_hash := dangan.chain_hash(ARRAY[prev, entry_seq::text, entry_at, entry_actor, TG_TABLE_NAME::text,
                                              entity_id, member, entry_action, change.field, change.old, change.new, unit::text]);
        INSERT INTO dangan.audit_log (seq, at, actor, entity, entity_id, member_id, unit_id, action, field, old, new,
                                      prev_hash, hash)
        VALUES (entry_seq, entry_at, entry_actor, TG_TABLE_NAME, entity_id, member, unit, entry_action, change.field,
                change.old, change.new, prev, entry_hash);
        prev := entry_hash;
    END LOOP;
    UPDATE dangan.audit_head SET seq = entry_seq, hash = prev;
    RETURN NULL;
END
$$;

-- Every change to a person: its version raised and who made it, by the server, so a client
-- holding an older version is refused (`dangan.people.version`).
CREATE FUNCTION dangan.stamp_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.version := CASE WHEN TG_OP = 'UPDATE' THEN OLD.version + 1 ELSE 1 END;
    NEW.changed_by := coalesce((SELECT u.name FROM dangan.users u WHERE u.db_role = session_user), session_user::text);
    NEW.changed_at := clock_timestamp();
    RETURN NEW;
END
$$;
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON dangan.people
    FOR EACH ROW EXECUTE FUNCTION dangan.stamp_change();

-- A change to a person's steps, however made (psql too), is a change to the person: it touches
-- their row, which raises the version. As the user who made it (SECURITY INVOKER): they may
-- change the person, since the policies let them change the step.
CREATE FUNCTION dangan.touch_person() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE dangan.people SET stage = stage
    WHERE id IN (SELECT (r ->> 'person_id')::bigint FROM (SELECT to_jsonb(NEW) AS r UNION ALL SELECT to_jsonb(OLD)) rows
                 WHERE r IS NOT NULL);
    RETURN NULL;
END
$$;
CREATE TRIGGER touch_person AFTER INSERT OR UPDATE OR DELETE ON dangan.events
    FOR EACH ROW EXECUTE FUNCTION dangan.touch_person();

-- Every committed change to a unit, a person or their steps is announced on the channel
-- `dangan_changes` (delivered only if the transaction commits, once per distinct payload), so the
-- other clients' lists follow without a restart. The payload names only the table, the row's
-- number and the person it concerns: a listener learns no more than that something changed.
-- TG_ARGV[0]: the column naming the person ('' for none).
CREATE FUNCTION dangan.announce_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    the_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
BEGIN
    PERFORM pg_notify('dangan_changes', json_build_object(
        'table', TG_TABLE_NAME,
        'id', (the_row ->> 'id')::bigint,
        'person', CASE WHEN TG_ARGV[0] <> '' THEN (the_row ->> TG_ARGV[0])::bigint END)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON dangan.org_units
    FOR EACH ROW EXECUTE FUNCTION dangan.announce_change('');
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON dangan.people
    FOR EACH ROW EXECUTE FUNCTION dangan.announce_change('id');
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON dangan.events
    FOR EACH ROW EXECUTE FUNCTION dangan.announce_change('person_id');

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON dangan.org_units
    FOR EACH ROW EXECUTE FUNCTION dangan.audit_change('', 'self', '');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON dangan.people
    FOR EACH ROW EXECUTE FUNCTION dangan.audit_change('id', 'branch', 'pinyin,initials,sort_key,version,changed_by,changed_at');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON dangan.events
    FOR EACH ROW EXECUTE FUNCTION dangan.audit_change('person_id', 'person', '');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON dangan.users
    FOR EACH ROW EXECUTE FUNCTION dangan.audit_change('', 'user_self', '');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON dangan.user_branches
    FOR EACH ROW EXECUTE FUNCTION dangan.audit_change('', 'user', '');

-- The login role of a user of this database: `dangan_<database>_u_<name>`, each a SHA-256 prefix,
-- as `server/roles.rs` computes it to sign in (role names are ASCII and short; user names are not).
CREATE FUNCTION dangan.login_role(user_name text) RETURNS name
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT ('dangan_' || left(encode(sha256(convert_to(current_database(), 'UTF8')), 'hex'), 8)
            || '_u_' || left(encode(sha256(convert_to(user_name, 'UTF8')), 'hex'), 16))::name
$$;

-- Makes a user: their login role, whose password is the SCRAM verifier the client computed from
-- the user's passphrase (the passphrase itself never reaches the server), and their row. Checks
-- nothing: `add_user` checks, and the first administrator is made by `dangan server init`.
CREATE FUNCTION dangan.create_account(user_name text, user_role text, unit bigint, branches bigint[], verifier text)
    RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    login name := dangan.login_role(user_name);
    new_id uuid;
BEGIN
    IF verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'a password must be a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE {app}', login, verifier);
    INSERT INTO dangan.users (name, role, unit_id, db_role) VALUES (user_name, user_role, unit, login)
        RETURNING id INTO new_id;
    INSERT INTO dangan.user_branches (user_id, unit_id) SELECT new_id, b FROM unnest(branches) AS b;
    RETURN new_id;
END
$$;

-- ManageUsers: an administrator adds a user of their committee or below.
CREATE FUNCTION dangan.add_user(user_name text, user_role text, unit bigint, branches bigint[], verifier text)
    RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF dangan.my_role() IS DISTINCT FROM 'administrator' THEN
        RAISE EXCEPTION 'only an administrator adds users' USING ERRCODE = '42501';
    END IF;
    IF NOT (ARRAY[unit] || branches) <@ ARRAY(SELECT dangan.readable_units()) THEN
        RAISE EXCEPTION 'the unit is outside the administrator''s committee' USING ERRCODE = '42501';
    END IF;
    RETURN dangan.create_account(user_name, user_role, unit, branches, verifier);
END
$$;

-- The root committee, for the log entries that belong to no unit (the department reads those).
CREATE FUNCTION dangan.root_unit() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT id FROM dangan.org_units WHERE parent_id IS NULL
$$;

-- The whole chain, for `dangan verify`: each entry's number, the fields its hash covers (in the
-- order `chain_hash` takes them) and its hash. It shows every entry, so it is for those who may
-- read the whole log (ReadAudit): the department's administrators and auditors.
CREATE FUNCTION dangan.audit_chain() RETURNS TABLE (seq bigint, fields text[], hash text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF dangan.my_role() NOT IN ('administrator', 'auditor')
       OR NOT dangan.root_unit() = ANY (dangan.my_roots()) THEN
        RAISE EXCEPTION 'only the department''s administrators and auditors verify the whole log'
            USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT l.seq, ARRAY[l.prev_hash, l.seq::text, l.at, l.actor, l.entity, l.entity_id, l.member_id,
                                     l.action, l.field, l.old, l.new, l.unit_id::text], l.hash
                 FROM dangan.audit_log l ORDER BY l.seq;
END
$$;

-- The newest entry as the server's head holds it, for `dangan verify` to see a log cut short.
CREATE FUNCTION dangan.audit_head_now() RETURNS TABLE (seq bigint, hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT h.seq, h.hash FROM dangan.audit_head h WHERE dangan.my_role() IN ('administrator', 'auditor')
$$;
