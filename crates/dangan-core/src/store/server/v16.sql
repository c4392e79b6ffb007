-- The shared server's schema, version 16: members arriving by transfer (转入; issue 20; the
-- workspace's `arrivals`, store/schema.rs version 11), by letter or with a member package from
-- another office, and the member packages a server's letters send. `dangan server upgrade`
-- brings a version-15 database here.
--
-- - An arrival: where from, with which letter, the status change that put the member in the
--   register on the day it was received, and the sending office's history when a package
--   brought it; under the person's branch as their steps are. One letter brings one person,
--   whichever branch received it (the index sees the rows the policies hide from a secretary).
-- - A letter's package code is printed on it: written when it is issued, given once to a letter
--   issued before this version, never changed; kept out of the log, as a passphrase would be.
-- - An arrival names the status change that put its person in the register on the day received,
--   in psql too; the history that came with it is at most what Dangan keeps of another office's.
-- - A member's history, for the package that goes with them: the log's lines of them (when, who,
--   what; no values), the trail an upload kept first, for those who may change the member while
--   a letter of theirs is in force (the package is made then), whoever may read the log.
-- - Whether someone of a name already arrived from an organisation, whichever branch received
--   them: the letter and the day only, for the refusal to register them twice.

CREATE TABLE dangan.arrivals (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id        bigint NOT NULL UNIQUE,
    branch_id        bigint NOT NULL,
    received_on      date NOT NULL,
    origin           text NOT NULL CHECK (length(btrim(origin)) BETWEEN 1 AND 100),
    letter_number    text CHECK (length(letter_number) BETWEEN 1 AND 40),
    letter_issued_on date CHECK (letter_issued_on <= received_on),
    dues_through     integer,
    status_change_id bigint NOT NULL REFERENCES dangan.status_changes(id),
    -- The sending office's audit trail of the person, one line a change, when it came in a package:
    -- at most 10,000 lines of 300 characters (`store::arrivals::kept_history`).
    history          text CHECK (length(history) <= 3010000)
);
CREATE UNIQUE INDEX arrivals_by_letter ON dangan.arrivals (origin, letter_number) WHERE letter_number IS NOT NULL;

-- Logged and announced as the person's other rows are, the sending office's history left out of
-- the log (another office's trail, written once, never changed).
CREATE FUNCTION dangan.logged_without(t regclass, skipped text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
                       'person_id', 'branch', 'branch_id,' || skipped);
    END LOOP;
END
$$;
SELECT dangan.kept_with_person('dangan.arrivals');
SELECT dangan.logged_without('dangan.arrivals', 'history');
SELECT dangan.logged_without('dangan.transfer_letters', 'package_code');

CREATE FUNCTION dangan.arrival_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM dangan.status_changes s
                   WHERE s.id = NEW.status_change_id AND s.person_id = NEW.person_id
                     AND s.status = 'in_register' AND s.date = NEW.received_on) THEN
        RAISE EXCEPTION 'an arrival names the change that put its person in the register on the day received'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER arrival_change BEFORE INSERT ON dangan.arrivals
    FOR EACH ROW EXECUTE FUNCTION dangan.arrival_change();

-- As `PackageCode::grouped` prints it: six groups of four of the code's alphabet.
ALTER TABLE dangan.transfer_letters ADD CONSTRAINT package_code_form
    CHECK (package_code ~ '^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$');

CREATE FUNCTION dangan.package_code_kept() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.package_code IS NOT NULL AND NEW.package_code IS DISTINCT FROM OLD.package_code THEN
        RAISE EXCEPTION 'a letter''s package code is printed on it and never changes' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER package_code BEFORE UPDATE OF package_code ON dangan.transfer_letters
    FOR EACH ROW EXECUTE FUNCTION dangan.package_code_kept();

CREATE FUNCTION dangan.member_history(person bigint) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT h.line FROM (
        SELECT 0 AS part, u.upload_id AS upload, a.seq,
               a.at || ' ' || a.actor || ' ' || a.action || ' ' || a.entity || coalesce('.' || a.field, '') AS line
        FROM dangan.uploaded_people u
        JOIN dangan.uploaded_audit a ON a.upload_id = u.upload_id AND a.member_id = u.workspace_id::text
        WHERE u.person_id = person
        UNION ALL
        SELECT 1, 0, l.seq, l.at || ' ' || l.actor || ' ' || l.action || ' ' || l.entity || coalesce('.' || l.field, '')
        FROM dangan.audit_log l
        WHERE l.member_id = person::text
    ) h
    WHERE (SELECT p.branch_id FROM dangan.people p WHERE p.id = person) IN (SELECT dangan.editable_units())
      AND EXISTS (SELECT 1 FROM dangan.transfer_letters l
                  WHERE l.person_id = person AND l.cancelled_on IS NULL
                    AND NOT EXISTS (SELECT 1 FROM dangan.transfer_letters n WHERE n.reissue_of = l.id))
    ORDER BY h.part, h.upload, h.seq
$$;

CREATE FUNCTION dangan.arrived_before(from_origin text, person_name text, born date, identity text)
    RETURNS TABLE (letter_number text, received_on date)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.letter_number, a.received_on FROM dangan.arrivals a JOIN dangan.people p ON p.id = a.person_id
    WHERE dangan.my_role() IN ('administrator', 'organiser', 'branch_secretary')
      AND a.origin = from_origin AND p.name = person_name
      AND (p.birth_date IS NULL OR born IS NULL OR p.birth_date = born)
      AND (p.id_number IS NULL OR identity IS NULL OR p.id_number = identity)
    ORDER BY a.received_on DESC LIMIT 1
$$;
