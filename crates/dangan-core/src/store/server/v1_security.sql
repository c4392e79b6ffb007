-- The shared server's security, version 1: who owns what, who may call what, and the row-level
-- policies that mirror access.rs. Applied after `dangan server init` has written the root
-- committee and the first administrator, since FORCE binds the database owner too.

-- A function's new owner must be able to create in its schema; taken back at the end.
GRANT CREATE ON SCHEMA dangan TO {system}, {accounts};
ALTER FUNCTION dangan.unit_and_below(bigint[]) OWNER TO {system};
ALTER VIEW dangan.user_rows OWNER TO {system};
ALTER FUNCTION dangan.my_roots() OWNER TO {system};
ALTER FUNCTION dangan.my_role() OWNER TO {system};
ALTER FUNCTION dangan.readable_units() OWNER TO {system};
ALTER FUNCTION dangan.editable_units() OWNER TO {system};
ALTER FUNCTION dangan.organised_units() OWNER TO {system};
ALTER FUNCTION dangan.edits_calendar() OWNER TO {system};
ALTER FUNCTION dangan.visible_units() OWNER TO {system};
ALTER FUNCTION dangan.root_unit() OWNER TO {system};
ALTER FUNCTION dangan.whoami() OWNER TO {system};
ALTER FUNCTION dangan.list_users() OWNER TO {system};
ALTER FUNCTION dangan.chain_hash(text[]) OWNER TO {system};
ALTER FUNCTION dangan.actor() OWNER TO {system};
ALTER FUNCTION dangan.audit_rows() OWNER TO {system};
ALTER FUNCTION dangan.audit_key(jsonb) OWNER TO {system};
ALTER FUNCTION dangan.audit_member(jsonb, text) OWNER TO {system};
ALTER FUNCTION dangan.audit_unit(jsonb, text) OWNER TO {system};
ALTER FUNCTION dangan.chain_at_commit() OWNER TO {system};
ALTER FUNCTION dangan.stamp_change() OWNER TO {system};
ALTER FUNCTION dangan.announce_changes() OWNER TO {system};
ALTER FUNCTION dangan.touch_people() OWNER TO {system};
ALTER FUNCTION dangan.event_branch() OWNER TO {system};
ALTER FUNCTION dangan.import_staged() OWNER TO {system};
ALTER FUNCTION dangan.move_person(bigint, text[]) OWNER TO {system};
ALTER FUNCTION dangan.upload_staged(bigint, text, bigint[], bigint[]) OWNER TO {system};
ALTER FUNCTION dangan.uploaded_chains() OWNER TO {system};

ALTER FUNCTION dangan.audit_chain() OWNER TO {system};
ALTER FUNCTION dangan.audit_head_now() OWNER TO {system};
ALTER FUNCTION dangan.login_role(text) OWNER TO {accounts};
ALTER FUNCTION dangan.create_account(text, text, bigint, bigint[], text) OWNER TO {accounts};
ALTER FUNCTION dangan.add_user(text, text, bigint, bigint[], text) OWNER TO {accounts};
ALTER FUNCTION dangan.managed_user(text, boolean) OWNER TO {accounts};
ALTER FUNCTION dangan.check_user_branches(bigint, bigint[]) OWNER TO {accounts};
ALTER FUNCTION dangan.set_user_role(text, text, bigint[]) OWNER TO {accounts};
ALTER FUNCTION dangan.remove_user(text) OWNER TO {accounts};
ALTER FUNCTION dangan.reset_passphrase(text, text) OWNER TO {accounts};
ALTER FUNCTION dangan.set_own_passphrase(text) OWNER TO {accounts};

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA dangan FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dangan.readable_units(), dangan.editable_units(), dangan.organised_units(), dangan.edits_calendar(),
    dangan.visible_units(), dangan.my_role(), dangan.root_unit(), dangan.whoami(), dangan.list_users(),
    dangan.login_role(text), dangan.add_user(text, text, bigint, bigint[], text), dangan.audit_chain(),
    dangan.audit_head_now(), dangan.import_staged(), dangan.move_person(bigint, text[]),
    dangan.upload_staged(bigint, text, bigint[], bigint[]), dangan.uploaded_chains() TO {app};
GRANT EXECUTE ON FUNCTION dangan.unit_and_below(bigint[]), dangan.my_roots(), dangan.my_role(),
    dangan.readable_units(), dangan.root_unit(), dangan.chain_hash(text[]), dangan.actor(), dangan.audit_key(jsonb),
    dangan.audit_member(jsonb, text), dangan.audit_unit(jsonb, text), dangan.editable_units(),
    dangan.organised_units() TO {system};
GRANT EXECUTE ON FUNCTION dangan.my_role(), dangan.readable_units(), dangan.login_role(text),
    dangan.create_account(text, text, bigint, bigint[], text), dangan.root_unit(), dangan.unit_and_below(bigint[])
    TO {accounts};
GRANT EXECUTE ON FUNCTION dangan.set_user_role(text, text, bigint[]), dangan.remove_user(text),
    dangan.reset_passphrase(text, text), dangan.set_own_passphrase(text) TO {app};

GRANT SELECT ON dangan.meta TO {app};
-- Only the record's own columns may be changed: not the numbers, the UUIDs, the version or who
-- changed it last (the server sets those), nor which person a step belongs to.
-- Rows are added with their record's columns only: the numbers, UUIDs and versions are the
-- server's (an INSERT naming them, or OVERRIDING SYSTEM VALUE, is refused).
GRANT SELECT, DELETE ON dangan.people, dangan.events TO {app};
GRANT INSERT (branch_id, name, pinyin, initials, sort_key, gender, ethnicity, birth_date, id_number, student_no,
              category, department, class_name, phone, native_place, notes, education, class_year, student_level,
              occupation, joined_on, stage, ended) ON dangan.people TO {app};
GRANT INSERT (person_id, kind, date, months, note) ON dangan.events TO {app};
GRANT UPDATE (branch_id, name, pinyin, initials, sort_key, gender, ethnicity, birth_date, id_number, student_no,
              category, department, class_name, phone, native_place, notes, education, class_year, student_level,
              occupation, joined_on, stage, ended) ON dangan.people TO {app};
GRANT UPDATE (kind, date, months, note) ON dangan.events TO {app};
-- A unit is renamed, never moved by an UPDATE: a college moving itself (or making a loop) would
-- take its rows out of the department's sight.
GRANT SELECT, DELETE ON dangan.org_units TO {app};
-- uid: a unit uploaded from a workspace keeps its UUID (unique: one taken is refused). A UUID a
-- client chooses is an identifier only: no policy or function grants anything by it.
GRANT INSERT (parent_id, kind, name, uid) ON dangan.org_units TO {app};
GRANT UPDATE (name) ON dangan.org_units TO {app};
-- Only Dangan's users connect, and nobody makes temporary objects.
DO $$ BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO {app}', current_database());
END $$;
GRANT SELECT ON dangan.audit_log TO {app};
-- The calendar: read by all, entered (whole years replaced) by the department.
GRANT SELECT, INSERT, DELETE ON dangan.holidays, dangan.holiday_years TO {app};
-- A user's own reminders: read and added, never another's; the sender is the server's to set.
GRANT SELECT ON dangan.reminders_sent TO {app};
GRANT INSERT (person_id, rule, due, threshold, sent_on) ON dangan.reminders_sent TO {app};
GRANT SELECT ON dangan.org_units, dangan.people, dangan.users, dangan.user_branches, dangan.user_rows TO {system};
GRANT SELECT, INSERT ON dangan.audit_log TO {system};
GRANT SELECT, UPDATE ON dangan.audit_head TO {system};
GRANT SELECT, INSERT, DELETE ON dangan.audit_pending, dangan.audit_commits TO {system};
-- An import: users send rows (COPY) with their own columns only; the server reads and removes them.
GRANT INSERT (row_no, branch_id, name, pinyin, initials, sort_key, gender, ethnicity, birth_date, id_number,
              student_no, category, department, class_name, phone, native_place, notes, education, class_year,
              student_level, occupation, joined_on, stage, ended, uid) ON dangan.import_people TO {app};
GRANT INSERT (row_no, ord, kind, date, months, note) ON dangan.import_events TO {app};
GRANT SELECT, UPDATE (new_id), DELETE ON dangan.import_people TO {system};
GRANT SELECT, DELETE ON dangan.import_events TO {system};
GRANT SELECT, INSERT, DELETE ON dangan.importing TO {system};
GRANT INSERT ON dangan.people, dangan.events TO {system};
GRANT USAGE ON SEQUENCE dangan.people_id_seq TO {system};
GRANT SELECT ON dangan.events TO {system};
-- An upload: users send their workspace's chain (COPY) with its own columns only; the server
-- keeps it, and reads what it keeps to the department's verify.
GRANT INSERT (seq, at, actor, entity, entity_id, member_id, action, field, old, new, prev_hash, hash)
    ON dangan.upload_audit_staged TO {app};
GRANT SELECT, DELETE ON dangan.upload_audit_staged TO {system};
GRANT SELECT, INSERT ON dangan.uploads, dangan.uploaded_audit, dangan.uploaded_people TO {system};
GRANT SELECT ON dangan.uploads, dangan.uploaded_audit, dangan.uploaded_people TO {app};
-- What `dangan.move_person` changes: the person's branch and its stamp.
GRANT UPDATE (branch_id, version, changed_by, changed_at) ON dangan.people TO {system};
GRANT SELECT, INSERT ON dangan.users, dangan.user_branches TO {accounts};
GRANT UPDATE (role, passphrase_set_at), DELETE ON dangan.users TO {accounts};
GRANT DELETE ON dangan.user_branches TO {accounts};
GRANT SELECT ON dangan.user_rows TO {accounts};
GRANT SELECT, DELETE ON dangan.reminders_sent TO {accounts};
GRANT {app} TO {accounts} WITH ADMIN OPTION;

ALTER TABLE dangan.org_units ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.org_units FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.people ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.people FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.events FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.reminders_sent ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.reminders_sent FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.uploads ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.uploads FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.uploaded_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.uploaded_audit FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.uploaded_people ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.uploaded_people FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.holidays ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.holidays FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.holiday_years ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.holiday_years FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.audit_log FORCE ROW LEVEL SECURITY;

-- The predicates and the audit trigger read the tree and the people whatever the caller sees.
CREATE POLICY system_reads ON dangan.org_units FOR SELECT TO {system} USING (true);
CREATE POLICY system_reads ON dangan.people FOR SELECT TO {system} USING (true);
-- What `dangan.import_staged` adds, after checking the user may add it.
CREATE POLICY system_imports ON dangan.people FOR INSERT TO {system} WITH CHECK (true);
CREATE POLICY system_imports ON dangan.events FOR INSERT TO {system} WITH CHECK (true);
CREATE POLICY system_reads ON dangan.events FOR SELECT TO {system} USING (true);
-- What `dangan.move_person` moves, after checking the user may move it.
CREATE POLICY system_moves ON dangan.people FOR UPDATE TO {system} USING (true) WITH CHECK (true);
CREATE POLICY system_appends ON dangan.audit_log FOR INSERT TO {system} WITH CHECK (true);
CREATE POLICY system_reads ON dangan.audit_log FOR SELECT TO {system} USING (true);

-- The organisation: seen with everything above it; changed by who organises it (a new unit must
-- sit under a unit they organise).
CREATE POLICY see ON dangan.org_units FOR SELECT TO {app} USING (id IN (SELECT dangan.visible_units()));
CREATE POLICY add ON dangan.org_units FOR INSERT TO {app}
    WITH CHECK (parent_id IN (SELECT dangan.organised_units()));
CREATE POLICY change ON dangan.org_units FOR UPDATE TO {app}
    USING (id IN (SELECT dangan.organised_units())) WITH CHECK (id IN (SELECT dangan.organised_units()));
CREATE POLICY remove ON dangan.org_units FOR DELETE TO {app} USING (parent_id IN (SELECT dangan.organised_units()));

-- People: read within the user's units, changed within the units they may edit, and only moved
-- to such a unit.
CREATE POLICY see ON dangan.people FOR SELECT TO {app} USING (branch_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.people FOR INSERT TO {app} WITH CHECK (branch_id IN (SELECT dangan.editable_units()));
CREATE POLICY change ON dangan.people FOR UPDATE TO {app}
    USING (branch_id IN (SELECT dangan.editable_units())) WITH CHECK (branch_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.people FOR DELETE TO {app} USING (branch_id IN (SELECT dangan.editable_units()));

-- Events: as their person, by the person's branch the server keeps on each step.
CREATE POLICY see ON dangan.events FOR SELECT TO {app} USING (branch_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.events FOR INSERT TO {app} WITH CHECK (branch_id IN (SELECT dangan.editable_units()));
CREATE POLICY change ON dangan.events FOR UPDATE TO {app}
    USING (branch_id IN (SELECT dangan.editable_units())) WITH CHECK (branch_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.events FOR DELETE TO {app} USING (branch_id IN (SELECT dangan.editable_units()));


-- Reminders: each user their own, for members they may read; a removed user's forgotten.
CREATE POLICY accounts_forget ON dangan.reminders_sent FOR ALL TO {accounts} USING (true);
CREATE POLICY mine ON dangan.reminders_sent FOR SELECT TO {app} USING (db_role = session_user);
CREATE POLICY sent ON dangan.reminders_sent FOR INSERT TO {app}
    WITH CHECK (db_role = session_user AND person_id IN (SELECT p.id FROM dangan.people p));

-- The calendar: everyone reads it; the department enters it.
CREATE POLICY see ON dangan.holidays FOR SELECT TO {app} USING (true);
CREATE POLICY add ON dangan.holidays FOR INSERT TO {app} WITH CHECK (dangan.edits_calendar());
CREATE POLICY remove ON dangan.holidays FOR DELETE TO {app} USING (dangan.edits_calendar());
CREATE POLICY see ON dangan.holiday_years FOR SELECT TO {app} USING (true);
CREATE POLICY add ON dangan.holiday_years FOR INSERT TO {app} WITH CHECK (dangan.edits_calendar());
CREATE POLICY remove ON dangan.holiday_years FOR DELETE TO {app} USING (dangan.edits_calendar());

-- Uploads and their kept trails: written by `dangan.upload_staged` only; read as the log is, by
-- the administrators and auditors of the committee they went into and of the units above it.
CREATE POLICY system_keeps ON dangan.uploads FOR ALL TO {system} USING (true) WITH CHECK (true);
CREATE POLICY system_keeps ON dangan.uploaded_audit FOR ALL TO {system} USING (true) WITH CHECK (true);
CREATE POLICY system_keeps ON dangan.uploaded_people FOR ALL TO {system} USING (true) WITH CHECK (true);
CREATE POLICY read ON dangan.uploads FOR SELECT TO {app}
    USING (dangan.my_role() IN ('administrator', 'auditor') AND unit_id IN (SELECT dangan.readable_units()));
CREATE POLICY read ON dangan.uploaded_audit FOR SELECT TO {app}
    USING (upload_id IN (SELECT u.id FROM dangan.uploads u));
CREATE POLICY read ON dangan.uploaded_people FOR SELECT TO {app}
    USING (upload_id IN (SELECT u.id FROM dangan.uploads u));

-- The log: read by administrators and auditors (ReadAudit), each their committee's entries; the
-- entries of no unit by the department's. Nobody but {system} may write it: no INSERT, UPDATE,
-- DELETE or TRUNCATE is granted to {app}.
CREATE POLICY read ON dangan.audit_log FOR SELECT TO {app}
    USING (dangan.my_role() IN ('administrator', 'auditor')
           AND coalesce(unit_id, dangan.root_unit()) IN (SELECT dangan.readable_units()));

REVOKE CREATE ON SCHEMA dangan FROM {system}, {accounts};
