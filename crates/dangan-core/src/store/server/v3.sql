-- The shared server's schema, version 3: membership status beside the stage (issue 20; the
-- workspace's `status_changes`, store/schema.rs version 8). `dangan server upgrade` brings a
-- version-2 database here.

-- Each change of a person's status (转出, 停止党籍, 去世, …) from a day on, with the reason. The
-- rules of a change are the workspace's (`domain::check_status_change`), checked by the client
-- with the person locked. The branch is the person's, set by the server and part of the key to
-- the person, as on a step, so the policies decide by the row alone.
CREATE TABLE dangan.status_changes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL,
    branch_id bigint NOT NULL,
    status    text NOT NULL CHECK (status IN ('in_register', 'transferred_out', 'suspended', 'withdrew', 'removed',
                                              'expelled', 'lapsed', 'deceased', 'probation_cancelled')),
    date      date NOT NULL,
    reason    text
);
ALTER TABLE dangan.status_changes ADD FOREIGN KEY (person_id, branch_id) REFERENCES dangan.people (id, branch_id)
    ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX status_changes_by_person ON dangan.status_changes (person_id, date);
CREATE INDEX status_changes_by_branch ON dangan.status_changes (branch_id);

-- The latest status, kept on the person (lists, deadlines and the census read it with the
-- person), by the server only: whatever a user writes to the history, psql included, the
-- person's status is the history's latest, changed as a change of the person (their version
-- raised, who made it stamped, logged).
ALTER TABLE dangan.people ADD COLUMN status text NOT NULL DEFAULT 'in_register'
    CHECK (status IN ('in_register', 'transferred_out', 'suspended', 'withdrew', 'removed', 'expelled', 'lapsed',
                      'deceased', 'probation_cancelled'));

CREATE FUNCTION dangan.follow_status() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        touched := ARRAY(SELECT DISTINCT person_id FROM old_rows);
    ELSIF TG_OP = 'INSERT' THEN
        touched := ARRAY(SELECT DISTINCT person_id FROM new_rows);
    ELSE
        touched := ARRAY(SELECT person_id FROM new_rows UNION SELECT person_id FROM old_rows);
    END IF;
    UPDATE dangan.people p
    SET status = l.status, version = p.version + 1, changed_by = dangan.actor(), changed_at = clock_timestamp()
    FROM (SELECT t.id, coalesce((SELECT s.status FROM dangan.status_changes s WHERE s.person_id = t.id
                                 ORDER BY s.date DESC, s.id DESC LIMIT 1), 'in_register') AS status
          FROM unnest(touched) AS t(id)) l
    WHERE p.id = l.id AND p.status IS DISTINCT FROM l.status;
    RETURN NULL;
END
$$;

-- Gives a table of a person's rows the triggers every such table has: the log's (the person
-- named, the unit their branch, the branch itself and the columns `skipped` names, comma-separated,
-- left out of the entry) and the announcements' (naming the person), one of each per kind of
-- statement (a trigger with transition tables fires on one event only). For this version's
-- tables and the later ones'.
CREATE FUNCTION dangan.log_and_announce(t regclass, member_column text, skipped text DEFAULT '') RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    event text;
    rows text;
BEGIN
    FOREACH event IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
        rows := CASE event WHEN 'insert' THEN 'NEW TABLE AS new_rows' WHEN 'update' THEN 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
                ELSE 'OLD TABLE AS old_rows' END;
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION dangan.audit_rows(%L, %L, %L)', 'audit_' || event, upper(event), t, rows,
                       member_column, 'branch', concat_ws(',', 'branch_id', nullif(skipped, '')));
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION dangan.announce_changes(%L)', 'announce_' || event, upper(event), t,
                       CASE event WHEN 'delete' THEN 'OLD TABLE AS old_rows' ELSE 'NEW TABLE AS new_rows' END,
                       member_column);
    END LOOP;
END
$$;

CREATE TRIGGER branch BEFORE INSERT ON dangan.status_changes
    FOR EACH ROW EXECUTE FUNCTION dangan.event_branch();
CREATE TRIGGER follow_inserted AFTER INSERT ON dangan.status_changes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.follow_status();
CREATE TRIGGER follow_updated AFTER UPDATE ON dangan.status_changes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.follow_status();
CREATE TRIGGER follow_deleted AFTER DELETE ON dangan.status_changes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.follow_status();
SELECT dangan.log_and_announce('dangan.status_changes', 'person_id');
