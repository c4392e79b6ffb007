-- The shared server's schema, version 20: a roster imported onto the server is added faster, and
-- the policies' units and the log's entries are made faster (issue 20, §6). `dangan server
-- upgrade` brings a version-19 database here. The import, measured on 100,000 people with
-- 800,000 steps (ARCHITECTURE.md, Performance):
--
-- - The people are numbered by the table's identity as they are inserted, in row order, and found
--   again by a UUID drawn as each staged row arrived, instead of by rewriting every staged row
--   with its number first.
-- - The log's entry per person is built as `json` text from the row the insert returns, not as
--   `jsonb` from the table read again: the same fields and steps, without a binary tree made and
--   printed for each person.
-- - Each person's steps are gathered in their order as read from the staged steps' index, not
--   sorted again for each person (an aggregate's own ORDER BY sorts each group apart: 100,000
--   sorts of eight).
-- - The staged steps are read in their order from their index: the planner, which has no
--   statistics for rows sent in this transaction, chose a bitmap scan and sorted 800,000 steps
--   on disk. No JIT: its compilation is planned from the same wrong estimates.

-- The UUID a staged person is given unless they bring one, drawn by the server as the row arrives:
-- the people's own identity numbers them in the insert, which returns each with this UUID.
ALTER TABLE dangan.import_people ADD COLUMN drawn_uid uuid NOT NULL DEFAULT gen_random_uuid();
-- One staged row per row number in a transaction: each is one person, and their steps follow it.
CREATE UNIQUE INDEX import_people_row ON dangan.import_people (tx, db_role, row_no);
DROP INDEX dangan.import_people_by_tx;

CREATE OR REPLACE FUNCTION dangan.import_staged() RETURNS TABLE (row_no bigint, id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET enable_nestloop = off
    SET enable_bitmapscan = off SET jit = off SET work_mem = '64MB' SET datestyle = 'ISO, YMD' AS $$
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

    INSERT INTO dangan.importing (tx) VALUES (this_tx);
    -- One statement: the people numbered by the table's own identity in row order, each found
    -- again by the UUID they were given (their own, or the one the server drew for the staged row,
    -- which no user may write or read); one log entry per person from their row as written (what
    -- the insert returns, never the client's text), in the fields the triggers record of a row,
    -- with their steps (each as JSON, dates in ISO form whatever the session's style, in their
    -- order as read from the staged steps' index); then the steps. The rows' numbers come back.
    RETURN QUERY
    WITH added AS (
        INSERT INTO dangan.people (branch_id, name, pinyin, initials, sort_key, gender, ethnicity, birth_date,
                                   id_number, student_no, category, department, class_name, phone, native_place,
                                   notes, education, class_year, student_level, occupation, joined_on, stage, ended,
                                   version, changed_by, changed_at, uid)
        SELECT s.branch_id, s.name, s.pinyin, s.initials, s.sort_key, s.gender, s.ethnicity, s.birth_date,
               s.id_number, s.student_no, s.category, s.department, s.class_name, s.phone, s.native_place, s.notes,
               s.education, s.class_year, s.student_level, s.occupation, s.joined_on, s.stage, s.ended,
               1, entry_actor, clock_timestamp(), COALESCE(s.uid, s.drawn_uid)
        FROM dangan.import_people s WHERE s.tx = this_tx AND s.db_role = me ORDER BY s.row_no
        RETURNING *
    ), numbered AS (
        SELECT s.row_no, p.* FROM added p
        JOIN dangan.import_people s ON s.tx = this_tx AND s.db_role = me AND COALESCE(s.uid, s.drawn_uid) = p.uid
    ), logged AS (
        INSERT INTO dangan.audit_pending (actor, entity, entity_id, member_id, unit_id, action, new)
        SELECT entry_actor, 'people', p.id::text, p.id::text, p.branch_id, 'insert',
               json_build_object(
                   'person', json_build_object(
                       'id', p.id, 'uid', p.uid, 'branch_id', p.branch_id, 'name', p.name, 'gender', p.gender,
                       'ethnicity', p.ethnicity, 'birth_date', p.birth_date, 'id_number', p.id_number,
                       'student_no', p.student_no, 'category', p.category, 'department', p.department,
                       'class_name', p.class_name, 'phone', p.phone, 'native_place', p.native_place, 'notes', p.notes,
                       'education', p.education, 'class_year', p.class_year, 'student_level', p.student_level,
                       'occupation', p.occupation, 'joined_on', p.joined_on, 'stage', p.stage, 'ended', p.ended,
                       'status', p.status),
                   'events', coalesce(st.steps, '[]'::json))::text
        FROM numbered p
        LEFT JOIN (SELECT e.row_no, json_agg(json_build_object('date', e.date, 'kind', e.kind, 'months', e.months,
                                                               'note', e.note)) AS steps
                   FROM (SELECT * FROM dangan.import_events e WHERE e.tx = this_tx AND e.db_role = me
                         ORDER BY e.row_no, e.ord) e
                   GROUP BY e.row_no) st
               ON st.row_no = p.row_no
        ORDER BY p.row_no
    ), stepped AS (
        INSERT INTO dangan.events (person_id, branch_id, kind, date, months, note)
        SELECT p.id, p.branch_id, e.kind, e.date, e.months, e.note
        FROM dangan.import_events e
        JOIN numbered p ON p.row_no = e.row_no
        WHERE e.tx = this_tx AND e.db_role = me ORDER BY e.row_no, e.ord
    )
    SELECT p.row_no, p.id FROM numbered p ORDER BY p.row_no;
    DELETE FROM dangan.importing WHERE tx = this_tx;
    INSERT INTO dangan.audit_commits (tx) VALUES (this_tx) ON CONFLICT DO NOTHING;
    DELETE FROM dangan.import_events e WHERE e.tx = this_tx AND e.db_role = me;
    DELETE FROM dangan.import_people s WHERE s.tx = this_tx AND s.db_role = me;
END
$$;

-- The policies' units, each in one query: every policy of every statement asks for them (a save
-- asked six times), and through `my_role`, `my_roots` and `unit_and_below` each answer took three
-- functions' calls, 93 µs against 37 µs in one. The same sets as version 1's: a branch
-- secretary's branches, everyone else's committee, each with every unit below it.

-- Mirrors `Role::may` in access.rs: ReadMembers for every role.
CREATE OR REPLACE FUNCTION dangan.readable_units() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY WITH RECURSIVE below(id) AS (
        SELECT u.id FROM dangan.org_units u WHERE u.id IN (
            SELECT ub.unit_id FROM dangan.users us JOIN dangan.user_branches ub ON ub.user_id = us.id
            WHERE us.db_role = session_user AND us.role = 'branch_secretary'
            UNION ALL
            SELECT us.unit_id FROM dangan.users us WHERE us.db_role = session_user AND us.role <> 'branch_secretary')
        UNION SELECT u.id FROM dangan.org_units u JOIN below b ON u.parent_id = b.id
    )
    SELECT b.id FROM below b;
END
$$;

-- EditMembers: administrators, organisers, branch secretaries (within their branches).
CREATE OR REPLACE FUNCTION dangan.editable_units() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY WITH RECURSIVE below(id) AS (
        SELECT u.id FROM dangan.org_units u WHERE u.id IN (
            SELECT ub.unit_id FROM dangan.users us JOIN dangan.user_branches ub ON ub.user_id = us.id
            WHERE us.db_role = session_user AND us.role = 'branch_secretary'
            UNION ALL
            SELECT us.unit_id FROM dangan.users us WHERE us.db_role = session_user
                                                     AND us.role IN ('administrator', 'organiser'))
        UNION SELECT u.id FROM dangan.org_units u JOIN below b ON u.parent_id = b.id
    )
    SELECT b.id FROM below b;
END
$$;

-- EditOrganisation: administrators and organisers, within their committee.
CREATE OR REPLACE FUNCTION dangan.organised_units() RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY WITH RECURSIVE below(id) AS (
        SELECT u.id FROM dangan.org_units u WHERE u.id IN (
            SELECT us.unit_id FROM dangan.users us WHERE us.db_role = session_user
                                                     AND us.role IN ('administrator', 'organiser'))
        UNION SELECT u.id FROM dangan.org_units u JOIN below b ON u.parent_id = b.id
    )
    SELECT b.id FROM below b;
END
$$;

-- The audit trigger's helpers are inlined into its queries again: with `SET search_path` each was
-- a function call for every entry (a save's entry took 0.48 ms, 0.37 ms without), and they need
-- none, being plain expressions that run as the trigger does, under its own search_path. The
-- trigger keeps one plan (the helpers' arguments folded into a plan of their own at each
-- statement made the server plan its query again every time).
CREATE OR REPLACE FUNCTION dangan.audit_key(r jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(r ->> 'id', r ->> 'date', r ->> 'year', (r ->> 'user_id') || ' ' || (r ->> 'unit_id'))
$$;
CREATE OR REPLACE FUNCTION dangan.audit_member(r jsonb, member_column text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN member_column <> '' THEN r ->> member_column END
$$;
CREATE OR REPLACE FUNCTION dangan.audit_unit(r jsonb, unit_from text) RETURNS bigint
    LANGUAGE sql STABLE AS $$
    SELECT CASE unit_from
        WHEN 'branch' THEN (r ->> 'branch_id')::bigint
        WHEN 'self' THEN (r ->> 'id')::bigint
        WHEN 'user_self' THEN (r ->> 'unit_id')::bigint
        WHEN 'user' THEN (SELECT u.unit_id FROM dangan.users u WHERE u.id = (r ->> 'user_id')::uuid)
        WHEN 'unit' THEN (r ->> 'unit_id')::bigint
    END
$$;

CREATE OR REPLACE FUNCTION dangan.audit_rows() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET plan_cache_mode = force_generic_plan AS $$
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
