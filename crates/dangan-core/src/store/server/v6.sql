-- The shared server's schema, version 6: the register of branch life (issue 20; the workspace's
-- `party_groups`, `group_members`, `meetings`, `attendance`, `meeting_attachments` and
-- `org_units.life_from`, store/schema.rs versions 6 and 7). `dangan server upgrade` brings a
-- version-5 database here. Each row carries the unit it belongs to, set by the server, so the
-- policies decide by the row alone, as a step's branch does.

-- The day from which a unit owes its meetings: the day it was made (every unit that exists now
-- from the upgrade on, as a workspace's migration does); the office may set it earlier.
ALTER TABLE dangan.org_units ADD COLUMN life_from date DEFAULT current_date;

-- The 党小组 of a branch; it owes its 党小组会 from `life_from`, the day it was made.
CREATE TABLE dangan.party_groups (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id bigint NOT NULL REFERENCES dangan.org_units(id),
    name      text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 64),
    life_from date NOT NULL DEFAULT current_date,
    UNIQUE (branch_id, name),
    -- What a member's and a meeting's key point at: the group of their branch.
    UNIQUE (id, branch_id)
);

-- Who belongs to a group: a member of its branch, in one group of the branch at most. The branch
-- is the group's, set by the server; a member who moves to another branch leaves its group.
CREATE TABLE dangan.group_members (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id  bigint NOT NULL,
    branch_id bigint NOT NULL,
    person_id bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    UNIQUE (branch_id, person_id),
    FOREIGN KEY (group_id, branch_id) REFERENCES dangan.party_groups (id, branch_id) ON DELETE CASCADE
);
CREATE INDEX group_members_by_group ON dangan.group_members (group_id);

CREATE FUNCTION dangan.group_member_branch() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    SELECT g.branch_id INTO NEW.branch_id FROM dangan.party_groups g WHERE g.id = NEW.group_id;
    PERFORM dangan.require_editable(NEW.branch_id);
    IF NOT EXISTS (SELECT 1 FROM dangan.people p WHERE p.id = NEW.person_id AND p.branch_id = NEW.branch_id) THEN
        RAISE EXCEPTION 'person % is not of the party group''s branch', NEW.person_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER branch BEFORE INSERT OR UPDATE ON dangan.group_members
    FOR EACH ROW EXECUTE FUNCTION dangan.group_member_branch();

CREATE FUNCTION dangan.leave_group_on_move() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM dangan.group_members g WHERE g.person_id = NEW.id AND g.branch_id <> NEW.branch_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER leave_group AFTER UPDATE OF branch_id ON dangan.people
    FOR EACH ROW WHEN (OLD.branch_id IS DISTINCT FROM NEW.branch_id) EXECUTE FUNCTION dangan.leave_group_on_move();

-- A meeting, planned or held, of a unit (a 党小组会 also names its group, one of the unit's), with
-- the study time it counts for, in minutes. The kinds are `MeetingKind`'s (a test holds the list
-- equal to it).
CREATE TABLE dangan.meetings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid           uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    unit_id       bigint NOT NULL REFERENCES dangan.org_units(id),
    group_id      bigint,
    kind          text NOT NULL CHECK (kind IN ('general_meeting', 'committee_meeting', 'group_meeting',
                                                'party_lecture', 'theme_day', 'life_meeting', 'heart_talk', 'other')),
    date          date NOT NULL,
    held          boolean NOT NULL,
    place         text,
    chair         text,
    recorder      text,
    topic         text,
    minutes       text,
    decisions     text,
    study_minutes integer NOT NULL DEFAULT 0 CHECK (study_minutes BETWEEN 0 AND 1440),
    guests        text,
    CHECK (kind <> 'group_meeting' OR group_id IS NOT NULL),
    UNIQUE (id, unit_id),
    FOREIGN KEY (group_id, unit_id) REFERENCES dangan.party_groups (id, branch_id)
);
CREATE INDEX meetings_by_unit ON dangan.meetings (unit_id, date);

-- Each member's attendance of a meeting, with a reason for leave. The unit is the meeting's, set
-- by the server; the member is one of the unit's people when recorded (someone who moves on
-- later stays in the meetings they attended).
CREATE TABLE dangan.attendance (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id bigint NOT NULL,
    unit_id    bigint NOT NULL,
    person_id  bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    attendance text NOT NULL CHECK (attendance IN ('present', 'leave', 'absent', 'late')),
    reason     text,
    UNIQUE (meeting_id, person_id),
    FOREIGN KEY (meeting_id, unit_id) REFERENCES dangan.meetings (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX attendance_by_person ON dangan.attendance (person_id);

-- A meeting's file (a sign-in sheet's scan, a photo: JPEG, PNG or PDF, checked by its bytes on the
-- client), at most the workspace's 20 MB. The bytes are never in the log.
CREATE TABLE dangan.meeting_attachments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id bigint NOT NULL,
    unit_id    bigint NOT NULL,
    name       text NOT NULL CHECK (length(btrim(name)) > 0),
    media_type text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size       bigint NOT NULL CHECK (size = octet_length(content) AND size <= 20971520),
    content    bytea NOT NULL,
    FOREIGN KEY (meeting_id, unit_id) REFERENCES dangan.meetings (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX meeting_attachments_by_meeting ON dangan.meeting_attachments (meeting_id);

-- The transaction each workspace upload ran in, noted by the server as `dangan.upload_staged`
-- records the upload (no user writes either).
CREATE TABLE dangan.upload_transactions (
    tx        xid8 PRIMARY KEY,
    upload_id bigint NOT NULL REFERENCES dangan.uploads(id) ON DELETE CASCADE
);
CREATE FUNCTION dangan.note_upload_transaction() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO dangan.upload_transactions (tx, upload_id) VALUES (pg_current_xact_id(), NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER note_transaction AFTER INSERT ON dangan.uploads
    FOR EACH ROW EXECUTE FUNCTION dangan.note_upload_transaction();

-- Whether `person` came with the workspace this transaction is uploading (`upload_staged` holds
-- those to the people this transaction added, and all of them) into a unit of its committee:
-- what the workspace kept then stands even where the server would not let it be made now, such as
-- a meeting attended by someone who has since moved to another branch. Nobody else, no other
-- unit, no other transaction.
CREATE FUNCTION dangan.uploaded_here(person bigint, unit bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM dangan.upload_transactions t
        JOIN dangan.uploads u ON u.id = t.upload_id
        JOIN dangan.uploaded_people p ON p.upload_id = u.id
        WHERE t.tx = pg_current_xact_id() AND p.person_id = person
          AND unit IN (SELECT dangan.unit_and_below(ARRAY[u.unit_id])));
END
$$;

-- A row a user may not write is refused for that before anything else is looked at: the checks
-- below read every unit's people, and their answer must not tell of units the user cannot see
-- (a BEFORE trigger runs before the policies).
CREATE FUNCTION dangan.require_editable(unit bigint) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF unit IS NULL OR unit NOT IN (SELECT dangan.editable_units()) THEN
        RAISE EXCEPTION 'new row violates row-level security policy: not one of the user''s units'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- The unit of an attendance row or a meeting's file is its meeting's; an attendee is one of the
-- meeting's unit's people when recorded (the keys ignore the policies: without this, raw SQL
-- could tie a person of another college to one's meeting).
CREATE FUNCTION dangan.meeting_unit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    SELECT m.unit_id INTO NEW.unit_id FROM dangan.meetings m WHERE m.id = NEW.meeting_id;
    PERFORM dangan.require_editable(NEW.unit_id);
    -- Statements of their own: a file's row has no person to name.
    IF TG_TABLE_NAME = 'attendance' THEN
        IF NOT dangan.uploaded_here(NEW.person_id, NEW.unit_id) AND NOT EXISTS (SELECT 1 FROM dangan.people p
                       WHERE p.id = NEW.person_id AND p.branch_id IN (SELECT dangan.unit_and_below(ARRAY[NEW.unit_id]))) THEN
            RAISE EXCEPTION 'person % is not of the meeting''s unit', NEW.person_id USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER unit BEFORE INSERT OR UPDATE OF meeting_id, person_id ON dangan.attendance
    FOR EACH ROW EXECUTE FUNCTION dangan.meeting_unit();
CREATE TRIGGER unit BEFORE INSERT OR UPDATE OF meeting_id ON dangan.meeting_attachments
    FOR EACH ROW EXECUTE FUNCTION dangan.meeting_unit();

-- Gives a table of a unit's rows the log's triggers (the person `member_column` names, if any;
-- the unit as `dangan.audit_unit` reads it from `unit_from`; the columns `skipped` names left
-- out) and the announcements' (naming no person: the member lists do not change with them, and
-- `Change::concerns` tells a client so). For this version's tables and the later ones'.
CREATE FUNCTION dangan.log_and_announce_unit_rows(t regclass, member_column text, unit_from text, skipped text)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    event text;
    rows text;
BEGIN
    FOREACH event IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
        rows := CASE event WHEN 'insert' THEN 'NEW TABLE AS new_rows' WHEN 'update' THEN 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
                ELSE 'OLD TABLE AS old_rows' END;
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION dangan.audit_rows(%L, %L, %L)', 'audit_' || event, upper(event), t, rows,
                       member_column, unit_from, skipped);
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION dangan.announce_changes(%L)', 'announce_' || event, upper(event), t,
                       CASE event WHEN 'delete' THEN 'OLD TABLE AS old_rows' ELSE 'NEW TABLE AS new_rows' END, '');
    END LOOP;
END
$$;
SELECT dangan.log_and_announce_unit_rows('dangan.party_groups', '', 'branch', '');
SELECT dangan.log_and_announce_unit_rows('dangan.group_members', 'person_id', 'branch', 'branch_id');
SELECT dangan.log_and_announce_unit_rows('dangan.meetings', '', 'unit', '');
SELECT dangan.log_and_announce_unit_rows('dangan.attendance', 'person_id', 'unit', 'unit_id');
SELECT dangan.log_and_announce_unit_rows('dangan.meeting_attachments', '', 'unit', 'unit_id,content');
