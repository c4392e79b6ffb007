-- The shared server's schema, version 1: the organisation, people and their events, users, and
-- the audit log, with the security that holds in raw SQL too (issue 20, §2).
--
-- `{app}`, `{system}` and `{accounts}` are this database's roles (see `server/roles.rs`):
-- - {app}: every user's login role is a member; the tables' privileges are granted to it and
--   every row-level policy for people is `TO {app}`.
-- - {system}: NOLOGIN, granted to no one. It owns the predicates the policies call and the audit
--   trigger, and only it may append to the log: a user cannot become it, so a user cannot write
--   the log or read round the policies.
-- - {accounts}: NOLOGIN with CREATEROLE, granted to no one. It owns `add_user` and the other
--   functions that manage users (`set_user_role`, `remove_user`, `reset_passphrase`), each of
--   which checks the caller is an administrator of the user before it touches a login role.
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
    changed_at    timestamptz,
    -- What a step's key points at (`dangan.events`).
    UNIQUE (id, branch_id)
);
CREATE INDEX people_by_branch ON dangan.people (branch_id);

CREATE TABLE dangan.events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL,
    -- The person's branch, set by the server (`dangan.event_branch`) and part of the key to the
    -- person, so that the policies decide on a step by its own row, as on a person, without
    -- reading people: a person moved takes their steps along (ON UPDATE CASCADE), and a step
    -- added while its person is being moved waits for the move and is then refused, never left
    -- behind in the old branch.
    branch_id bigint NOT NULL,
    kind      text NOT NULL,
    date      date NOT NULL,
    months    integer CHECK (months > 0),
    note      text
);
ALTER TABLE dangan.events ADD FOREIGN KEY (person_id, branch_id) REFERENCES dangan.people (id, branch_id)
    ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX events_by_person ON dangan.events (person_id, date);
CREATE INDEX events_by_branch ON dangan.events (branch_id);

-- The reminders each user was sent, so that nothing is sent to them twice: a reminder is work for
-- whoever keeps the member, so each user's app reminds them of their own units' items, once.
-- `db_role` is the sender's login role, set by the server (no user may write it).
CREATE TABLE dangan.reminders_sent (
    db_role   name NOT NULL DEFAULT session_user,
    person_id bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    rule      text NOT NULL,
    due       date NOT NULL,
    threshold integer NOT NULL,
    sent_on   date NOT NULL,
    PRIMARY KEY (db_role, person_id, rule, due, threshold)
);

-- The official holiday calendar (holidays and make-up workdays, by year), one for the whole
-- university, as a workspace keeps its own: working-day periods are computed from it. A year in
-- `holiday_years` counts as entered even with no days. Everyone reads it; the department's
-- administrators and organisers enter it (EditCalendar, at the university's committee).
CREATE TABLE dangan.holidays (
    date date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name text
);
CREATE TABLE dangan.holiday_years (
    year integer PRIMARY KEY CHECK (year BETWEEN 1950 AND 2100)
);

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
    created_on date NOT NULL DEFAULT current_date,
    -- When an administrator last set a new passphrase for them (`dangan.reset_passphrase`).
    passphrase_set_at timestamptz
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
-- PL/pgSQL rather than SQL, here and below: a policy calls them in every statement, and PL/pgSQL
-- keeps each query's plan for the session where an SQL function is planned at every call.
CREATE FUNCTION dangan.unit_and_below(roots bigint[]) RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY WITH RECURSIVE below(id) AS (
        SELECT u.id FROM dangan.org_units u WHERE u.id = ANY (roots)
        UNION SELECT u.id FROM dangan.org_units u JOIN below b ON u.parent_id = b.id
    )
    SELECT b.id FROM below b;
END
$$;

-- The units a user's role covers: a branch secretary's branches, everyone else's committee.
CREATE FUNCTION dangan.my_roots() RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN (SELECT coalesce(array_agg(r), '{}') FROM (
        SELECT ub.unit_id AS r FROM dangan.users u JOIN dangan.user_branches ub ON ub.user_id = u.id
        WHERE u.db_role = session_user AND u.role = 'branch_secretary'
        UNION
        SELECT u.unit_id FROM dangan.users u WHERE u.db_role = session_user AND u.role <> 'branch_secretary'
    ) roots);
END
$$;

CREATE FUNCTION dangan.my_role() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN (SELECT u.role FROM dangan.users u WHERE u.db_role = session_user);
END
$$;

-- Mirrors `Role::may` in access.rs: ReadMembers for every role.
CREATE FUNCTION dangan.readable_units() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT dangan.unit_and_below(dangan.my_roots());
END
$$;

-- EditMembers: administrators, organisers, branch secretaries (within their branches).
CREATE FUNCTION dangan.editable_units() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF dangan.my_role() IN ('administrator', 'organiser', 'branch_secretary') THEN
        RETURN QUERY SELECT dangan.unit_and_below(dangan.my_roots());
    END IF;
END
$$;

-- EditCalendar: the department's administrators and organisers (the calendar is the university's).
CREATE FUNCTION dangan.edits_calendar() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN dangan.my_role() IN ('administrator', 'organiser')
        AND (SELECT u.id FROM dangan.org_units u WHERE u.parent_id IS NULL) = ANY (dangan.my_roots());
END
$$;

-- EditOrganisation: administrators and organisers, within their committee.
CREATE FUNCTION dangan.organised_units() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF dangan.my_role() IN ('administrator', 'organiser') THEN
        RETURN QUERY SELECT dangan.unit_and_below(dangan.my_roots());
    END IF;
END
$$;

-- The units a user sees in the organisation tree: those they read and every unit above them, so
-- a branch's name can be given with its committee's.
CREATE FUNCTION dangan.visible_units() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY WITH RECURSIVE above(id, parent_id) AS (
        SELECT u.id, u.parent_id FROM dangan.org_units u WHERE u.id IN (SELECT dangan.readable_units())
        UNION SELECT u.id, u.parent_id FROM dangan.org_units u JOIN above a ON u.id = a.parent_id
    )
    SELECT a.id FROM above a;
END
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
-- and its UTF-8 bytes. PL/pgSQL rather than SQL: it runs once per entry at every commit, and a
-- loop of simple expressions costs less than planning a query over `unnest` each time.
CREATE FUNCTION dangan.chain_hash(fields text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    message bytea := convert_to('dangan-audit-v1', 'UTF8');
    field text;
    bytes bytea;
    len bigint;
BEGIN
    FOREACH field IN ARRAY fields LOOP
        IF field IS NULL THEN
            message := message || '\xff'::bytea;
        ELSE
            bytes := convert_to(field, 'UTF8');
            len := octet_length(bytes);
            message := message || '\x00'::bytea
                || set_byte(set_byte(set_byte(set_byte('\x0000000000000000'::bytea,
                       0, (len & 255)::int), 1, ((len >> 8) & 255)::int), 2, ((len >> 16) & 255)::int),
                       3, ((len >> 24) & 255)::int)
                || bytes;
        END IF;
    END LOOP;
    RETURN encode(sha256(message), 'hex');
END
$$;

-- Who is changing something: the Dangan user behind the login role, else the role itself (the
-- database owner at `dangan server init`).
CREATE FUNCTION dangan.actor() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT u.name FROM dangan.users u WHERE u.db_role = session_user), session_user::text)
$$;

-- The log is appended in two halves, so that no writer waits for another until it commits.
-- While a transaction changes rows, each statement's changes become entries in
-- `audit_pending` (no number, no hash yet); at its commit, one deferred trigger takes the head,
-- numbers and chains that transaction's entries, appends them to the log and moves the head.
-- The head is locked only from there to the commit's end, so concurrent writers still make one
-- linear chain, in the order they commit. Unlogged: an entry lives there only inside its
-- transaction, and a crash ends that transaction anyway.
CREATE UNLOGGED TABLE dangan.audit_pending (
    tx        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    n         bigint GENERATED ALWAYS AS IDENTITY (CACHE 1000),
    actor     text NOT NULL,
    entity    text NOT NULL,
    entity_id text,
    member_id text,
    unit_id   bigint,
    action    text NOT NULL,
    field     text,
    old       text,
    new       text
);
CREATE INDEX audit_pending_by_tx ON dangan.audit_pending (tx, n);

-- One row per transaction with pending entries: inserting it queues the commit's chaining (a
-- constraint trigger fires once per row inserted, and only for a row really inserted).
CREATE UNLOGGED TABLE dangan.audit_commits (
    tx xid8 PRIMARY KEY
);

-- The audit trigger, on every audited table, AFTER each statement, reading the statement's rows
-- (transition tables `old_rows`, `new_rows`): an insert or a delete is one entry holding the row
-- as JSON, an update one entry per changed column, as in the workspace, in the statement's row order.
-- The row is named by its `id` (a holiday by its date, a calendar year by the year), or for a
-- user's branch by the user's and the unit's.
-- TG_ARGV: [0] the column naming the member ('' for none), [1] how to find the row's unit
-- ('branch': its branch_id; 'self': the row is a unit;
-- 'user_self': the row is a user; 'user': its user's unit; 'unit': its unit_id), [2] columns left
-- out, comma-separated.
CREATE FUNCTION dangan.audit_rows() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    member_column text := TG_ARGV[0];
    unit_from text := TG_ARGV[1];
    skipped text[] := coalesce(string_to_array(TG_ARGV[2], ','), '{}');
    entry_actor text := dangan.actor();
    staged bigint;
BEGIN
    -- `dangan.import_staged` logs its people itself.
    IF TG_TABLE_NAME IN ('people', 'events')
       AND EXISTS (SELECT 1 FROM dangan.importing i WHERE i.tx = pg_current_xact_id()) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO dangan.audit_pending (actor, entity, entity_id, member_id, unit_id, action, field, old, new)
        SELECT entry_actor, TG_TABLE_NAME, dangan.audit_key(n.r), dangan.audit_member(n.r, member_column),
               dangan.audit_unit(n.whole, unit_from), 'update', c.k, o.r ->> c.k, n.r ->> c.k
        FROM (SELECT to_jsonb(t) AS whole, to_jsonb(t) - skipped AS r, row_number() OVER () AS i FROM new_rows t) n
        JOIN (SELECT to_jsonb(t) - skipped AS r FROM old_rows t) o ON dangan.audit_key(o.r) = dangan.audit_key(n.r)
        CROSS JOIN LATERAL (SELECT k FROM jsonb_object_keys(n.r) AS k WHERE (o.r -> k) IS DISTINCT FROM (n.r -> k)) c
        ORDER BY n.i, c.k;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO dangan.audit_pending (actor, entity, entity_id, member_id, unit_id, action, new)
        SELECT entry_actor, TG_TABLE_NAME, dangan.audit_key(n.r), dangan.audit_member(n.r, member_column),
               dangan.audit_unit(n.whole, unit_from), 'insert', n.r::text
        FROM (SELECT to_jsonb(t) AS whole, to_jsonb(t) - skipped AS r, row_number() OVER () AS i FROM new_rows t) n
        ORDER BY n.i;
    ELSE
        INSERT INTO dangan.audit_pending (actor, entity, entity_id, member_id, unit_id, action, old)
        SELECT entry_actor, TG_TABLE_NAME, dangan.audit_key(o.r), dangan.audit_member(o.r, member_column),
               dangan.audit_unit(o.whole, unit_from), 'delete', o.r::text
        FROM (SELECT to_jsonb(t) AS whole, to_jsonb(t) - skipped AS r, row_number() OVER () AS i FROM old_rows t) o
        ORDER BY o.i;
    END IF;
    GET DIAGNOSTICS staged = ROW_COUNT;
    IF staged > 0 THEN
        INSERT INTO dangan.audit_commits (tx) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

-- An entry's row, member and unit, as `audit_rows` names them.
CREATE FUNCTION dangan.audit_key(r jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(r ->> 'id', r ->> 'date', r ->> 'year', (r ->> 'user_id') || ' ' || (r ->> 'unit_id'))
$$;
CREATE FUNCTION dangan.audit_member(r jsonb, member_column text) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN member_column <> '' THEN r ->> member_column END
$$;
CREATE FUNCTION dangan.audit_unit(r jsonb, unit_from text) RETURNS bigint
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE unit_from
        WHEN 'branch' THEN (r ->> 'branch_id')::bigint
        WHEN 'self' THEN (r ->> 'id')::bigint
        WHEN 'user_self' THEN (r ->> 'unit_id')::bigint
        WHEN 'user' THEN (SELECT u.unit_id FROM dangan.users u WHERE u.id = (r ->> 'user_id')::uuid)
        WHEN 'unit' THEN (r ->> 'unit_id')::bigint
    END
$$;

-- At the commit of a transaction that changed audited rows: its entries numbered, chained and
-- appended after the head, which is locked from here to the commit's end. The time is taken
-- once the head is ours, so the times along the chain never go backwards.
-- Two guards: a transaction holding the head may not be kept open as a prepared transaction
-- (PREPARE TRANSACTION refuses a transaction that notifies, so it fails and lets go of the
-- head), and a writer waits for the head at most a minute (a user who holds it on purpose, by
-- chaining early and then idling, makes the others' commits fail with a clear wait, not hang).
CREATE FUNCTION dangan.chain_at_commit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = '60s' AS $$
DECLARE
    this_tx xid8 := pg_current_xact_id();
    head_seq bigint;
    prev text;
    entry_at text;
    entry record;
    numbers bigint[] := '{}';
    prevs text[] := '{}';
    hashes text[] := '{}';
BEGIN
    -- Gone, so that a change after an early chaining (SET CONSTRAINTS ... IMMEDIATE) queues another.
    DELETE FROM dangan.audit_commits WHERE tx = this_tx;
    IF NOT EXISTS (SELECT 1 FROM dangan.audit_pending p WHERE p.tx = this_tx) THEN
        RETURN NULL;
    END IF;
    SELECT h.seq, h.hash INTO head_seq, prev FROM dangan.audit_head h FOR UPDATE;
    PERFORM pg_notify('dangan_audit', '');
    entry_at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    FOR entry IN SELECT * FROM dangan.audit_pending p WHERE p.tx = this_tx ORDER BY p.n LOOP
        head_seq := head_seq + 1;
        numbers := numbers || entry.n;
        prevs := prevs || prev;
        prev := dangan.chain_hash(ARRAY[prev, head_seq::text, entry_at, entry.actor, entry.entity, entry.entity_id,
                                        entry.member_id, entry.action, entry.field, entry.old, entry.new,
                                        entry.unit_id::text]);
        hashes := hashes || prev;
    END LOOP;
    INSERT INTO dangan.audit_log (seq, at, actor, entity, entity_id, member_id, unit_id, action, field, old, new,
                                  prev_hash, hash)
    SELECT head_seq - array_length(numbers, 1) + c.i, entry_at, p.actor, p.entity, p.entity_id, p.member_id, p.unit_id,
           p.action, p.field, p.old, p.new, c.prev, c.hash
    FROM unnest(numbers, prevs, hashes) WITH ORDINALITY AS c(n, prev, hash, i)
    JOIN dangan.audit_pending p ON p.tx = this_tx AND p.n = c.n
    ORDER BY c.i;
    UPDATE dangan.audit_head SET seq = head_seq, hash = prev;
    DELETE FROM dangan.audit_pending WHERE tx = this_tx;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER chain_at_commit AFTER INSERT ON dangan.audit_commits
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dangan.chain_at_commit();

-- A step's branch is its person's, set by the server whatever the client sent.
CREATE FUNCTION dangan.event_branch() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.branch_id := (SELECT p.branch_id FROM dangan.people p WHERE p.id = NEW.person_id);
    RETURN NEW;
END
$$;
-- Not for `dangan.import_staged` (the only writer running as {system}), which gives each step
-- its person's branch itself: a trigger per row cost the import a third of its time. The key
-- to the person holds the branch true either way.
CREATE TRIGGER branch BEFORE INSERT ON dangan.events
    FOR EACH ROW WHEN (current_user <> '{system}') EXECUTE FUNCTION dangan.event_branch();

-- Every change to a person: its version raised and who made it, by the server, so a client
-- holding an older version is refused (`dangan.people.version`).
CREATE FUNCTION dangan.stamp_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.version := CASE WHEN TG_OP = 'UPDATE' THEN OLD.version + 1 ELSE 1 END;
    NEW.changed_by := dangan.actor();
    NEW.changed_at := clock_timestamp();
    RETURN NEW;
END
$$;
-- (`dangan.import_staged` stamps the people it adds itself.)
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON dangan.people
    FOR EACH ROW WHEN (current_user <> '{system}') EXECUTE FUNCTION dangan.stamp_change();

-- A change to a person's steps, however made (psql too), is a change to the person: it touches
-- their row, which raises the version; once per statement. A person already changed by this
-- transaction is left alone (their version has moved on already; an import adding people and
-- their steps does not write each person twice). As the user who made it (SECURITY INVOKER):
-- they may change the person, since the policies let them change the step.
CREATE FUNCTION dangan.touch_people() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        touched := ARRAY(SELECT DISTINCT person_id FROM old_rows);
    ELSIF TG_OP = 'INSERT' THEN
        touched := ARRAY(SELECT DISTINCT person_id FROM new_rows);
    ELSE
        -- Not the steps a moved person takes along (only their branch changes): the person has
        -- changed already, and the database, not a user, updates them.
        touched := ARRAY(SELECT DISTINCT n.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id
                         WHERE (n.kind, n.date, n.months, n.note) IS DISTINCT FROM (o.kind, o.date, o.months, o.note));
    END IF;
    -- Joined, not `= ANY (touched)`: a bulk statement's array holds every person, and tested
    -- against each row of people it made the statement quadratic.
    touched := ARRAY(SELECT p.id FROM dangan.people p JOIN unnest(touched) AS t(id) ON p.id = t.id
                     WHERE p.xmin <> pg_current_xact_id()::xid);
    IF cardinality(touched) > 0 THEN
        UPDATE dangan.people p SET stage = p.stage FROM unnest(touched) AS t(id) WHERE p.id = t.id;
    END IF;
    RETURN NULL;
END
$$;
-- (`dangan.import_staged` adds people with their steps: there is nobody to touch.)
CREATE TRIGGER touch_people_inserted AFTER INSERT ON dangan.events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN (current_user <> '{system}')
    EXECUTE FUNCTION dangan.touch_people();
CREATE TRIGGER touch_people_updated AFTER UPDATE ON dangan.events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.touch_people();
CREATE TRIGGER touch_people_deleted AFTER DELETE ON dangan.events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.touch_people();

-- Every committed change to a unit, a person or their steps is announced on the channel
-- `dangan_changes` (delivered only if the transaction commits, once per distinct payload), so the
-- other clients' lists follow without a restart. The payload names only the table, the row's
-- number and the person it concerns: a listener learns no more than that something changed. A
-- statement changing more than 100 rows is one announcement naming no row: read the table again.
-- TG_ARGV[0]: the column naming the person ('' for none).
CREATE FUNCTION dangan.announce_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    changed jsonb[];
    the_row jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := ARRAY(SELECT to_jsonb(t) FROM old_rows t LIMIT 101);
    ELSE
        changed := ARRAY(SELECT to_jsonb(t) FROM new_rows t LIMIT 101);
    END IF;
    IF coalesce(array_length(changed, 1), 0) > 100 THEN
        PERFORM pg_notify('dangan_changes', json_build_object('table', TG_TABLE_NAME, 'id', NULL, 'person', NULL)::text);
        RETURN NULL;
    END IF;
    FOREACH the_row IN ARRAY changed LOOP
        PERFORM pg_notify('dangan_changes', json_build_object(
            'table', TG_TABLE_NAME,
            'id', (the_row ->> 'id')::bigint,
            'person', CASE WHEN TG_ARGV[0] <> '' THEN (the_row ->> TG_ARGV[0])::bigint END)::text);
    END LOOP;
    RETURN NULL;
END
$$;

-- A roster being imported (`store/server/import.rs`): the new people and their steps a client
-- sends by COPY, then hands to `dangan.import_staged` in the same transaction. Each row belongs
-- to the transaction and the login role that sent it (set by the server: no user may write
-- those columns), so nobody's rows reach another's import. Unlogged, and emptied by the import.
CREATE UNLOGGED TABLE dangan.import_people (
    tx            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    db_role       name NOT NULL DEFAULT session_user,
    row_no        bigint NOT NULL,
    new_id        bigint,
    branch_id     bigint NOT NULL,
    name          text NOT NULL,
    pinyin        text NOT NULL DEFAULT '',
    initials      text NOT NULL DEFAULT '',
    sort_key      text NOT NULL DEFAULT '',
    gender        text,
    ethnicity     text,
    birth_date    date,
    id_number     text,
    student_no    text,
    category      text,
    department    text,
    class_name    text,
    phone         text,
    native_place  text,
    notes         text,
    education     text,
    class_year    integer,
    student_level text,
    occupation    text,
    joined_on     date,
    stage         text NOT NULL,
    ended         boolean NOT NULL,
    -- The person's UUID when they bring one (a workspace's upload); else the server makes one.
    uid           uuid
);
CREATE INDEX import_people_by_tx ON dangan.import_people (tx, db_role, row_no);
CREATE UNLOGGED TABLE dangan.import_events (
    tx      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    db_role name NOT NULL DEFAULT session_user,
    row_no  bigint NOT NULL,
    ord     integer NOT NULL,
    kind    text NOT NULL,
    date    date NOT NULL,
    months  integer,
    note    text
);
CREATE INDEX import_events_by_tx ON dangan.import_events (tx, db_role, row_no, ord);

-- The transactions inside `dangan.import_staged`, whose people and steps it logs itself, one
-- entry per person as a workspace's import does, instead of one per row.
CREATE UNLOGGED TABLE dangan.importing (
    tx xid8 PRIMARY KEY
);

-- Adds the staged people and their steps, as the signed-in user may: only an editing role, only
-- into branches the user may change, numbers given in row order, one audit entry per person
-- made here from what was written (the person's row and their steps, never the client's text).
-- Returns each row's new number. A number already registered (anywhere: the server's unique
-- index) refuses the import naming the row, never the holder.
-- No nested loops: the staged rows have no statistics yet (they were sent in this transaction),
-- so the planner takes each side for a row or two, and a nested loop over 100,000 rows with
-- another 700,000 is quadratic (measured: 2,000 people took 15 s).
CREATE FUNCTION dangan.import_staged() RETURNS TABLE (row_no bigint, id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET enable_nestloop = off
    SET work_mem = '64MB' SET datestyle = 'ISO, YMD' AS $$
DECLARE
    this_tx xid8 := pg_current_xact_id();
    me name := session_user;
    entry_actor text := dangan.actor();
    bad record;
BEGIN
    IF dangan.my_role() IS DISTINCT FROM 'administrator' AND dangan.my_role() IS DISTINCT FROM 'organiser'
       AND dangan.my_role() IS DISTINCT FROM 'branch_secretary' THEN
        RAISE EXCEPTION 'this user may not add people' USING ERRCODE = '42501';
    END IF;
    -- Rows staged by transactions that ended without importing them (committed by hand through
    -- psql, say) are nobody's any more.
    DELETE FROM dangan.import_events e WHERE e.tx <> this_tx AND pg_xact_status(e.tx) IS DISTINCT FROM 'in progress';
    DELETE FROM dangan.import_people s WHERE s.tx <> this_tx AND pg_xact_status(s.tx) IS DISTINCT FROM 'in progress';
    SELECT s.row_no, s.branch_id INTO bad FROM dangan.import_people s
    WHERE s.tx = this_tx AND s.db_role = me
      AND (s.branch_id NOT IN (SELECT dangan.editable_units())
           OR NOT EXISTS (SELECT 1 FROM dangan.org_units u WHERE u.id = s.branch_id AND u.kind = 'branch'))
    ORDER BY s.row_no LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'row %: unit % is not a branch this user may change', bad.row_no, bad.branch_id
            USING ERRCODE = '42501';
    END IF;
    SELECT s.row_no, CASE WHEN EXISTS (SELECT 1 FROM dangan.people p WHERE p.id_number = s.id_number)
                          THEN 'identity number' ELSE 'student number' END AS what
    INTO bad FROM dangan.import_people s
    WHERE s.tx = this_tx AND s.db_role = me
      AND (EXISTS (SELECT 1 FROM dangan.people p WHERE p.id_number = s.id_number)
           OR EXISTS (SELECT 1 FROM dangan.people p WHERE p.student_no = s.student_no))
    ORDER BY s.row_no LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'row %: the % is registered already', bad.row_no, bad.what USING ERRCODE = '23505';
    END IF;
    -- A person keeps their UUID from database to database: one already here is not added twice.
    -- Set-based, both ways (a join to people by its unique index, and repeats among the rows by
    -- a window): a correlated check per row would compare every row with every earlier one.
    SELECT min(r.row_no) AS row_no INTO bad FROM (
        SELECT s.row_no FROM dangan.import_people s JOIN dangan.people p ON p.uid = s.uid
        WHERE s.tx = this_tx AND s.db_role = me
        UNION ALL
        SELECT w.row_no FROM (
            SELECT s.row_no, row_number() OVER (PARTITION BY s.uid ORDER BY s.row_no) AS nth
            FROM dangan.import_people s WHERE s.tx = this_tx AND s.db_role = me AND s.uid IS NOT NULL
        ) w WHERE w.nth > 1
    ) r;
    IF bad.row_no IS NOT NULL THEN
        RAISE EXCEPTION 'row %: this person is on the server already', bad.row_no USING ERRCODE = '23505';
    END IF;

    -- Materialized: each row draws its number once, in row order, whatever plan the join gets.
    WITH numbered AS MATERIALIZED (
        SELECT o.row_no, nextval(pg_get_serial_sequence('dangan.people', 'id')) AS new_id
        FROM (SELECT i.row_no FROM dangan.import_people i WHERE i.tx = this_tx AND i.db_role = me
              ORDER BY i.row_no) o
    )
    UPDATE dangan.import_people s SET new_id = n.new_id FROM numbered n
    WHERE s.tx = this_tx AND s.db_role = me AND s.row_no = n.row_no;

    INSERT INTO dangan.importing (tx) VALUES (this_tx);
    INSERT INTO dangan.people (id, branch_id, name, pinyin, initials, sort_key, gender, ethnicity, birth_date,
                               id_number, student_no, category, department, class_name, phone, native_place, notes,
                               education, class_year, student_level, occupation, joined_on, stage, ended,
                               version, changed_by, changed_at, uid)
    OVERRIDING SYSTEM VALUE
    SELECT s.new_id, s.branch_id, s.name, s.pinyin, s.initials, s.sort_key, s.gender, s.ethnicity, s.birth_date,
           s.id_number, s.student_no, s.category, s.department, s.class_name, s.phone, s.native_place, s.notes,
           s.education, s.class_year, s.student_level, s.occupation, s.joined_on, s.stage, s.ended,
           1, entry_actor, clock_timestamp(), COALESCE(s.uid, gen_random_uuid())
    FROM dangan.import_people s WHERE s.tx = this_tx AND s.db_role = me ORDER BY s.row_no;
    INSERT INTO dangan.events (person_id, branch_id, kind, date, months, note)
    SELECT s.new_id, s.branch_id, e.kind, e.date, e.months, e.note
    FROM dangan.import_events e
    JOIN dangan.import_people s ON s.tx = e.tx AND s.db_role = e.db_role AND s.row_no = e.row_no
    WHERE e.tx = this_tx AND e.db_role = me ORDER BY e.row_no, e.ord;
    DELETE FROM dangan.importing WHERE tx = this_tx;

    -- One entry per person: their row as the triggers record a row, and their steps (each as
    -- JSON, dates in ISO form whatever the session's style), from what was just written.
    INSERT INTO dangan.audit_pending (actor, entity, entity_id, member_id, unit_id, action, new)
    SELECT entry_actor, 'people', p.id::text, p.id::text, p.branch_id, 'insert',
           jsonb_build_object(
               'person', to_jsonb(p) - '{pinyin,initials,sort_key,version,changed_by,changed_at}'::text[],
               'events', coalesce(st.steps, '[]'::jsonb))::text
    FROM dangan.import_people s
    JOIN dangan.people p ON p.id = s.new_id
    LEFT JOIN (SELECT e.row_no, jsonb_agg(jsonb_build_object('date', e.date, 'kind', e.kind, 'months', e.months,
                                                             'note', e.note) ORDER BY e.ord) AS steps
               FROM dangan.import_events e WHERE e.tx = this_tx AND e.db_role = me GROUP BY e.row_no) st
           ON st.row_no = s.row_no
    WHERE s.tx = this_tx AND s.db_role = me ORDER BY s.row_no;
    INSERT INTO dangan.audit_commits (tx) VALUES (this_tx) ON CONFLICT DO NOTHING;

    RETURN QUERY SELECT s.row_no, s.new_id FROM dangan.import_people s
                 WHERE s.tx = this_tx AND s.db_role = me ORDER BY s.row_no;
    DELETE FROM dangan.import_events e WHERE e.tx = this_tx AND e.db_role = me;
    DELETE FROM dangan.import_people s WHERE s.tx = this_tx AND s.db_role = me;
END
$$;

-- Workspaces moved onto the server (`dangan server upload`, `store/server/upload.rs`): each
-- upload's committee, who made it and when, and the workspace's own audit chain as it stood,
-- kept verbatim in `uploaded_audit` (its hashes are the workspace's: the same chain without the
-- server's unit field). The upload's row is logged in the server's chain, which anchors the trail:
-- `dangan verify` follows each kept chain to the head its row names, so a kept entry changed
-- later is named. Nobody may change or remove these rows.
-- One upload per committee: a college's workspace arrives once (two at once wait on this key,
-- and the second is refused).
CREATE TABLE dangan.uploads (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id             bigint NOT NULL UNIQUE REFERENCES dangan.org_units(id),
    workspace_committee text NOT NULL,
    entries             bigint NOT NULL,
    head_hash           text NOT NULL,
    uploaded_by         text NOT NULL,
    uploaded_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE dangan.uploaded_audit (
    upload_id bigint NOT NULL REFERENCES dangan.uploads(id),
    seq       bigint NOT NULL,
    at        text NOT NULL,
    actor     text NOT NULL,
    entity    text NOT NULL,
    entity_id text,
    member_id text,
    action    text NOT NULL,
    field     text,
    old       text,
    new       text,
    prev_hash text NOT NULL,
    hash      text NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
-- Which server person each uploaded member became, so their kept history can be found.
CREATE TABLE dangan.uploaded_people (
    upload_id    bigint NOT NULL REFERENCES dangan.uploads(id),
    workspace_id bigint NOT NULL,
    person_id    bigint REFERENCES dangan.people(id) ON DELETE SET NULL,
    PRIMARY KEY (upload_id, workspace_id)
);
-- The chain a client sends by COPY before `dangan.upload_staged`, as `import_people` is sent.
CREATE UNLOGGED TABLE dangan.upload_audit_staged (
    tx        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    db_role   name NOT NULL DEFAULT session_user,
    seq       bigint NOT NULL,
    at        text NOT NULL,
    actor     text NOT NULL,
    entity    text NOT NULL,
    entity_id text,
    member_id text,
    action    text NOT NULL,
    field     text,
    old       text,
    new       text,
    prev_hash text NOT NULL,
    hash      text NOT NULL
);
CREATE INDEX upload_audit_staged_by_tx ON dangan.upload_audit_staged (tx, db_role, seq);

-- Ends an upload, in the transaction that sent its units and people: an administrator of the
-- committee (ManageUsers there) keeps the staged chain under a new upload row (logged by the
-- triggers) and which person each workspace member became. The chain must be whole: numbered
-- from 1 without a gap, each entry linked to the one before and hashed as the workspace hashes
-- it. The people must be exactly those the committee holds, each added by this transaction: the
-- trail goes with the people it came with, never onto people already on the server. (The chain
-- has no key: a trail is as true as the workspace it came from; the server's own log says who
-- brought it and when.)
CREATE FUNCTION dangan.upload_staged(committee bigint, workspace_committee text, workspace_ids bigint[],
                                     person_ids bigint[]) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    this_tx xid8 := pg_current_xact_id();
    me name := session_user;
    staged bigint;
    head text;
    broken bigint;
    new_upload bigint;
BEGIN
    IF dangan.my_role() IS DISTINCT FROM 'administrator' OR committee NOT IN (SELECT dangan.organised_units())
       OR NOT EXISTS (SELECT 1 FROM dangan.org_units u WHERE u.id = committee AND u.kind = 'committee') THEN
        RAISE EXCEPTION 'only an administrator of the committee uploads a workspace into it' USING ERRCODE = '42501';
    END IF;
    -- Rows staged by transactions that ended without an upload are nobody's any more.
    DELETE FROM dangan.upload_audit_staged a WHERE a.tx <> this_tx AND pg_xact_status(a.tx) IS DISTINCT FROM 'in progress';
    SELECT s.seq INTO broken FROM (
        SELECT a.seq, a.prev_hash, a.hash, row_number() OVER (ORDER BY a.seq) AS n,
               lag(a.hash, 1, repeat('0', 64)) OVER (ORDER BY a.seq) AS before,
               dangan.chain_hash(ARRAY[a.prev_hash, a.seq::text, a.at, a.actor, a.entity, a.entity_id, a.member_id,
                                       a.action, a.field, a.old, a.new]) AS recomputed
        FROM dangan.upload_audit_staged a WHERE a.tx = this_tx AND a.db_role = me) s
    WHERE s.seq <> s.n OR s.prev_hash <> s.before OR s.hash <> s.recomputed ORDER BY s.seq LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the workspace''s audit chain breaks at entry %', broken USING ERRCODE = '22023';
    END IF;
    SELECT count(*), (array_agg(a.hash ORDER BY a.seq DESC))[1] INTO staged, head
    FROM dangan.upload_audit_staged a WHERE a.tx = this_tx AND a.db_role = me;
    IF coalesce(cardinality(workspace_ids), 0) <> coalesce(cardinality(person_ids), 0)
       OR (SELECT count(DISTINCT p.id) FROM dangan.people p WHERE p.id = ANY (person_ids)
             AND p.xmin = pg_current_xact_id()::xid) <> coalesce(cardinality(person_ids), 0)
       OR (SELECT count(*) FROM dangan.people p
           WHERE p.branch_id IN (SELECT dangan.unit_and_below(ARRAY[committee]))) <> coalesce(cardinality(person_ids), 0)
    THEN
        RAISE EXCEPTION 'the uploaded people must be those this transaction added and all the committee holds'
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO dangan.uploads (unit_id, workspace_committee, entries, head_hash, uploaded_by)
        VALUES (committee, workspace_committee, staged, coalesce(head, repeat('0', 64)), dangan.actor())
        RETURNING id INTO new_upload;
    INSERT INTO dangan.uploaded_audit (upload_id, seq, at, actor, entity, entity_id, member_id, action, field, old, new,
                                       prev_hash, hash)
    SELECT new_upload, a.seq, a.at, a.actor, a.entity, a.entity_id, a.member_id, a.action, a.field, a.old, a.new,
           a.prev_hash, a.hash
    FROM dangan.upload_audit_staged a WHERE a.tx = this_tx AND a.db_role = me ORDER BY a.seq;
    DELETE FROM dangan.upload_audit_staged a WHERE a.tx = this_tx AND a.db_role = me;
    INSERT INTO dangan.uploaded_people (upload_id, workspace_id, person_id)
    SELECT new_upload, w, p FROM unnest(workspace_ids, person_ids) AS m(w, p);
    RETURN new_upload;
END
$$;

-- Every kept chain, for `dangan verify`: each upload as the server's log recorded it when it came
-- (its entries and head: the log is the anchor, verified first, not the upload's own row, which
-- only a superuser could change), then its kept entries in order, the fields each hash covers
-- after the number (the workspace's order), its link and its hash. An upload in the log whose row
-- is gone, or a row the log never recorded, comes with `logged` or `kept` false. The department's
-- administrators and auditors only, as `audit_chain`.
CREATE FUNCTION dangan.uploaded_chains() RETURNS TABLE (upload_id bigint, logged boolean, kept boolean,
                                                        entries bigint, head_hash text,
                                                        seq bigint, fields text[], prev_hash text, hash text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF dangan.my_role() NOT IN ('administrator', 'auditor')
       OR NOT dangan.root_unit() = ANY (dangan.my_roots()) THEN
        RAISE EXCEPTION 'only the department''s administrators and auditors verify the whole log'
            USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
        WITH logged AS (
            SELECT l.entity_id::bigint AS id, (l.new::jsonb ->> 'entries')::bigint AS entries,
                   l.new::jsonb ->> 'head_hash' AS head_hash
            FROM dangan.audit_log l WHERE l.entity = 'uploads' AND l.action = 'insert'
        ), every_upload AS (
            SELECT coalesce(g.id, u.id) AS id, g.id IS NOT NULL AS logged, u.id IS NOT NULL AS kept,
                   g.entries, g.head_hash
            FROM logged g FULL JOIN dangan.uploads u ON u.id = g.id
        )
        SELECT e.id, e.logged, e.kept, e.entries, e.head_hash, a.seq,
               ARRAY[a.at, a.actor, a.entity, a.entity_id, a.member_id, a.action, a.field, a.old, a.new],
               a.prev_hash, a.hash
        FROM every_upload e LEFT JOIN dangan.uploaded_audit a ON a.upload_id = e.id
        ORDER BY e.id, a.seq;
END
$$;

-- A member moved to a branch anywhere on the server (another college's, say), the committee's
-- decision (ApproveTransfers: administrators and organisers, over the unit the member is in now):
-- one transaction, logged as the change of the person's branch once under each branch (each
-- college's auditors read it), their steps taken along by their key. The destination is a path of names from the top (the root's own name
-- may lead it), found here because the user cannot see another college's units. As {system},
-- so the person is stamped here (`stamp_change` is not for {system}). Returns the new branch and
-- version.
CREATE FUNCTION dangan.move_person(person bigint, destination text[])
    RETURNS TABLE (new_branch bigint, new_version integer)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    here bigint;
    target bigint := dangan.root_unit();
    target_kind text := 'committee';
    first integer := 1;
    moved_version integer;
BEGIN
    IF dangan.my_role() IS DISTINCT FROM 'administrator' AND dangan.my_role() IS DISTINCT FROM 'organiser' THEN
        RAISE EXCEPTION 'only a committee''s administrators and organisers move a member' USING ERRCODE = '42501';
    END IF;
    SELECT p.branch_id INTO here FROM dangan.people p WHERE p.id = person FOR UPDATE;
    IF NOT FOUND OR here NOT IN (SELECT dangan.organised_units()) THEN
        RAISE EXCEPTION 'no person %', person USING ERRCODE = 'P0002';
    END IF;
    IF cardinality(destination) > 0
       AND destination[1] = (SELECT u.name FROM dangan.org_units u WHERE u.id = target) THEN
        first := 2;
    END IF;
    FOR i IN first .. coalesce(cardinality(destination), 0) LOOP
        SELECT u.id, u.kind INTO target, target_kind FROM dangan.org_units u
        WHERE u.parent_id = target AND u.name = destination[i];
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no unit at that path' USING ERRCODE = 'P0002';
        END IF;
    END LOOP;
    IF target_kind <> 'branch' THEN
        RAISE EXCEPTION 'the destination is not a branch' USING ERRCODE = '22023';
    END IF;
    IF target = here THEN
        RAISE EXCEPTION 'the member is in that branch already' USING ERRCODE = '22023';
    END IF;
    UPDATE dangan.people p
        SET branch_id = target, version = p.version + 1, changed_by = dangan.actor(), changed_at = clock_timestamp()
        WHERE p.id = person RETURNING p.version INTO moved_version;
    -- The triggers log the change under the branch joined; the same entry under the branch left,
    -- so that the auditors of the college the member left read it too.
    INSERT INTO dangan.audit_pending (actor, entity, entity_id, member_id, unit_id, action, field, old, new)
        VALUES (dangan.actor(), 'people', person::text, person::text, here, 'update', 'branch_id', here::text,
                target::text);
    INSERT INTO dangan.audit_commits (tx) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN QUERY SELECT target, moved_version;
END
$$;

-- Each audited table's triggers, one per kind of statement (a trigger with transition tables
-- fires on one event only).
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.org_units
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'self', '');
CREATE TRIGGER announce_insert AFTER INSERT ON dangan.org_units
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.org_units
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'self', '');
CREATE TRIGGER announce_update AFTER UPDATE ON dangan.org_units
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.org_units
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'self', '');
CREATE TRIGGER announce_delete AFTER DELETE ON dangan.org_units
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('');
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.people
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('id', 'branch', 'pinyin,initials,sort_key,version,changed_by,changed_at');
CREATE TRIGGER announce_insert AFTER INSERT ON dangan.people
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('id');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.people
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('id', 'branch', 'pinyin,initials,sort_key,version,changed_by,changed_at');
CREATE TRIGGER announce_update AFTER UPDATE ON dangan.people
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('id');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.people
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('id', 'branch', 'pinyin,initials,sort_key,version,changed_by,changed_at');
CREATE TRIGGER announce_delete AFTER DELETE ON dangan.people
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('id');
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('person_id', 'branch', 'branch_id');
CREATE TRIGGER announce_insert AFTER INSERT ON dangan.events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('person_id');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('person_id', 'branch', 'branch_id');
CREATE TRIGGER announce_update AFTER UPDATE ON dangan.events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('person_id');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('person_id', 'branch', 'branch_id');
CREATE TRIGGER announce_delete AFTER DELETE ON dangan.events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('person_id');
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.holidays
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', '', '');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.holidays
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', '', '');
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.holiday_years
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', '', '');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.holiday_years
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', '', '');
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.uploads
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'unit', '');
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'user_self', '');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'user_self', '');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'user_self', '');
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.user_branches
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'user', '');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.user_branches
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'user', '');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.user_branches
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'user', '');

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
    -- One change to users at a time (see `managed_user`).
    PERFORM pg_advisory_xact_lock(hashtext('dangan.users'));
    IF dangan.my_role() IS DISTINCT FROM 'administrator' THEN
        RAISE EXCEPTION 'only an administrator adds users' USING ERRCODE = '42501';
    END IF;
    IF NOT (ARRAY[unit] || branches) <@ ARRAY(SELECT dangan.readable_units()) THEN
        RAISE EXCEPTION 'the unit is outside the administrator''s committee' USING ERRCODE = '42501';
    END IF;
    RETURN dangan.create_account(user_name, user_role, unit, dangan.check_user_branches(unit, branches), verifier);
END
$$;

-- A user's branches: branches or general branches within the unit they work for, each once.
CREATE FUNCTION dangan.check_user_branches(unit bigint, branches bigint[]) RETURNS bigint[]
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(branches) AS b
               WHERE b IS NULL OR b NOT IN (SELECT dangan.unit_and_below(ARRAY[unit]))
                  OR NOT EXISTS (SELECT 1 FROM dangan.org_units u WHERE u.id = b AND u.kind <> 'committee')) THEN
        RAISE EXCEPTION 'a branch secretary''s branches are branches of the committee they work for'
            USING ERRCODE = '22023';
    END IF;
    RETURN ARRAY(SELECT DISTINCT b FROM unnest(branches) AS b ORDER BY b);
END
$$;

-- ManageUsers on one user: an administrator's, of a user of their committee or below whose
-- branches are all within the administrator's units (anyone else is not found). The
-- department's last administrator stays one: nobody removes them or gives them another role, so
-- the server always has someone who manages its users. One change to users at a time (an
-- advisory lock): two administrators demoting each other at once are taken one after the other,
-- and the second finds it is no longer an administrator.
CREATE FUNCTION dangan.managed_user(user_name text, keep_administrator boolean) RETURNS dangan.users
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    the_user dangan.users;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('dangan.users'));
    IF dangan.my_role() IS DISTINCT FROM 'administrator' THEN
        RAISE EXCEPTION 'only an administrator manages users' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO the_user FROM dangan.users u
    WHERE u.name = user_name AND u.unit_id IN (SELECT dangan.readable_units())
      AND NOT EXISTS (SELECT 1 FROM dangan.user_branches b WHERE b.user_id = u.id
                      AND b.unit_id NOT IN (SELECT dangan.readable_units()));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no user %', user_name USING ERRCODE = 'P0002';
    END IF;
    IF keep_administrator AND the_user.role = 'administrator' AND the_user.unit_id = dangan.root_unit()
       AND NOT EXISTS (SELECT 1 FROM dangan.users u WHERE u.role = 'administrator' AND u.unit_id = the_user.unit_id
                       AND u.id <> the_user.id) THEN
        RAISE EXCEPTION 'the department''s last administrator stays an administrator' USING ERRCODE = '22023';
    END IF;
    RETURN the_user;
END
$$;

-- Gives a user another role (and a branch secretary their branches, within the committee they
-- work for). A discipline inspector's role is not changed in place, as in a workspace (their
-- key pair comes from the passphrase given when they are added). Returns the user as listed.
CREATE FUNCTION dangan.set_user_role(user_name text, new_role text, branches bigint[])
    RETURNS SETOF dangan.user_rows
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target dangan.users := dangan.managed_user(user_name, new_role <> 'administrator');
    kept bigint[] := dangan.check_user_branches(target.unit_id, branches);
BEGIN
    IF (new_role = 'discipline_inspector') <> (target.role = 'discipline_inspector') THEN
        RAISE EXCEPTION 'the discipline inspector''s role is not changed in place' USING ERRCODE = '22023';
    END IF;
    UPDATE dangan.users SET role = new_role WHERE id = target.id;
    DELETE FROM dangan.user_branches WHERE user_id = target.id;
    INSERT INTO dangan.user_branches (user_id, unit_id) SELECT target.id, b FROM unnest(kept) AS b;
    RETURN QUERY SELECT * FROM dangan.user_rows r WHERE r.id = target.id;
END
$$;

-- Removes a user: their branches and row (logged, each under their unit) and what reminders they
-- were sent, and their login role: its password and LOGIN taken away first, so that whatever
-- the user made in psql that keeps the role from being dropped (a large object, say) still
-- leaves it opening nothing. Not oneself: another administrator does that.
CREATE FUNCTION dangan.remove_user(user_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target dangan.users := dangan.managed_user(user_name, true);
BEGIN
    IF target.db_role = session_user THEN
        RAISE EXCEPTION 'an administrator does not remove themselves' USING ERRCODE = '22023';
    END IF;
    DELETE FROM dangan.user_branches WHERE user_id = target.id;
    DELETE FROM dangan.users WHERE id = target.id;
    DELETE FROM dangan.reminders_sent WHERE db_role = target.db_role;
    EXECUTE format('ALTER ROLE %I NOLOGIN PASSWORD NULL', target.db_role);
    EXECUTE format('REVOKE {app} FROM %I', target.db_role);
    BEGIN
        EXECUTE format('DROP ROLE %I', target.db_role);
    EXCEPTION WHEN dependent_objects_still_exist THEN
        NULL; -- Left without login or rights; the database's owner may drop it after REASSIGN OWNED.
    END;
END
$$;

-- A new passphrase for a user who forgot theirs: their login role's password becomes the SCRAM
-- verifier the administrator's client computed (the passphrase never reaches the server). The
-- user's row records when, so the log names who reset whose passphrase.
CREATE FUNCTION dangan.reset_passphrase(user_name text, verifier text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target dangan.users := dangan.managed_user(user_name, false);
BEGIN
    IF verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'a password must be a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', target.db_role, verifier);
    UPDATE dangan.users SET passphrase_set_at = clock_timestamp() WHERE id = target.id;
END
$$;

-- A user's own new passphrase (`dangan passwd`): their login role's password becomes the SCRAM
-- verifier their client computed, and their row records when, so the log shows it.
CREATE FUNCTION dangan.set_own_passphrase(verifier text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    login text := (SELECT u.db_role FROM dangan.users u WHERE u.db_role = session_user);
BEGIN
    IF login IS NULL THEN
        RAISE EXCEPTION 'only a Dangan user changes their passphrase here' USING ERRCODE = '42501';
    END IF;
    IF verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'a password must be a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
    UPDATE dangan.users SET passphrase_set_at = clock_timestamp() WHERE db_role = login;
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
