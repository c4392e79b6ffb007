-- The shared server's schema, version 22: a meeting, a training class and a record of a member's
-- file carry a version, as a person does (issue 20, §3: two workers editing the same thing, the
-- second save is refused with who changed it, never silently overwritten). `dangan server
-- upgrade` brings a version-21 database here.
--
-- Each save of one of these forms rewrites the whole of it (a meeting's minutes and attendance, a
-- class's sessions, a record's text and fields): without a version, of two users who opened the
-- same meeting, the later save silently undid the earlier one's. The server raises the version
-- and notes who changed the row at each change (`dangan.stamp_change`, the people's own trigger);
-- a client that read an older version is refused. Rows already here start at version 1.
ALTER TABLE dangan.meetings
    ADD COLUMN version integer NOT NULL DEFAULT 1, ADD COLUMN changed_by text, ADD COLUMN changed_at timestamptz;
ALTER TABLE dangan.training_classes
    ADD COLUMN version integer NOT NULL DEFAULT 1, ADD COLUMN changed_by text, ADD COLUMN changed_at timestamptz;
ALTER TABLE dangan.records
    ADD COLUMN version integer NOT NULL DEFAULT 1, ADD COLUMN changed_by text, ADD COLUMN changed_at timestamptz;

-- As for people (not for what the server itself writes as {system}), and only by a change to what
-- the form saves: a record's person moving takes the record along (the key's cascade updates its
-- branch), which is nobody's edit of it. A class's results and attendance, saved whole from its
-- sheet, raise its version by setting its name as it is (`store/server/training.rs`).
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OF unit_id, group_id, kind, date, held, place, chair, recorder, topic,
                                                minutes, decisions, study_minutes, guests ON dangan.meetings
    FOR EACH ROW WHEN (current_user <> '{system}') EXECUTE FUNCTION dangan.stamp_change();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OF unit_id, kind, name, starts, ends ON dangan.training_classes
    FOR EACH ROW WHEN (current_user <> '{system}') EXECUTE FUNCTION dangan.stamp_change();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OF kind, date, event_id, title, body, fields ON dangan.records
    FOR EACH ROW WHEN (current_user <> '{system}') EXECUTE FUNCTION dangan.stamp_change();

-- The log leaves the stamp out, as it does a person's: a change is logged by the columns a user
-- changed, not once more by the version the server raised.
CREATE FUNCTION dangan.logged_unstamped(t regclass, member_column text, unit_from text, skipped text)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    event text;
    rows text;
BEGIN
    FOREACH event IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
        rows := CASE event WHEN 'insert' THEN 'NEW TABLE AS new_rows' WHEN 'update' THEN 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
                ELSE 'OLD TABLE AS old_rows' END;
        EXECUTE format('DROP TRIGGER %I ON %s', 'audit_' || event, t);
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION dangan.audit_rows(%L, %L, %L)', 'audit_' || event, upper(event), t, rows,
                       member_column, unit_from, concat_ws(',', nullif(skipped, ''), 'version,changed_by,changed_at'));
    END LOOP;
END
$$;
SELECT dangan.logged_unstamped('dangan.meetings', '', 'unit', '');
SELECT dangan.logged_unstamped('dangan.training_classes', '', 'unit', '');
SELECT dangan.logged_unstamped('dangan.records', 'person_id', 'branch', 'branch_id');
DROP FUNCTION dangan.logged_unstamped(regclass, text, text, text);

-- The office's own rule file on a server (`dangan rules load`, as a workspace's): one for all the
-- server's offices, on top of the shipped rule set chosen at `init`. The university's
-- organisation department sets the provisions its colleges follow, as it keeps their holiday
-- calendar; a college's deadlines counted by other rules than the department's scan would
-- disagree. The text as loaded: each client checks it as a workspace does before storing it, and
-- when it reads it (a file that no longer fits the shipped rules after an upgrade leaves the
-- shipped rules in force, and says why). Logged, and announced naming only the table: every open
-- session reads the rules again.
CREATE TABLE dangan.own_rules (
    id     text PRIMARY KEY DEFAULT 'office' CHECK (id = 'office'),
    -- Every session reads it at sign-in and the log keeps each version whole: a rule file is a
    -- few kilobytes, as a document's template is.
    source text NOT NULL CHECK (length(source) <= 200000)
);

-- EditRules (administrators, in `access.rs`): on a server, the department's administrators only.
CREATE FUNCTION dangan.sets_rules() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN dangan.my_role() = 'administrator'
        AND (SELECT u.id FROM dangan.org_units u WHERE u.parent_id IS NULL) = ANY (dangan.my_roots());
END
$$;

CREATE TRIGGER audit_insert AFTER INSERT ON dangan.own_rules
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', '', '');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.own_rules
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', '', '');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.own_rules
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', '', '');
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON dangan.own_rules
    FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_table();
