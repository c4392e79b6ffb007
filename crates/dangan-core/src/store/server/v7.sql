-- The shared server's schema, version 7: branch committees and members' own study (issue 20; the
-- workspace's `committee_posts` and `study_entries`, store/schema.rs versions 6 and 7). With the
-- meetings of version 6 they make each member's study hours and a branch's work register.
-- `dangan server upgrade` brings a version-6 database here.

-- Who held which post of a unit's committee (支部委员会), from when to when. The holder is one of
-- the unit's people when recorded (`dangan.post_holder`); one holder of a post at a time (but the
-- plain 委员) is the client's check, made while it holds the unit's lock on posts.
CREATE TABLE dangan.committee_posts (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id   bigint NOT NULL REFERENCES dangan.org_units(id),
    person_id bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    post      text NOT NULL CHECK (post IN ('secretary', 'deputy_secretary', 'organisation', 'publicity', 'discipline',
                                            'youth', 'member')),
    since     date NOT NULL,
    until     date CHECK (until >= since)
);
CREATE INDEX committee_posts_by_unit ON dangan.committee_posts (unit_id, since);
CREATE INDEX committee_posts_by_person ON dangan.committee_posts (person_id);

CREATE FUNCTION dangan.post_holder() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM dangan.require_editable(NEW.unit_id);
    -- A workspace's upload keeps the posts of those who have since moved on (`dangan.uploaded_here`).
    IF NOT EXISTS (SELECT 1 FROM dangan.people p
                   WHERE p.id = NEW.person_id AND p.branch_id IN (SELECT dangan.unit_and_below(ARRAY[NEW.unit_id])))
       AND NOT dangan.uploaded_here(NEW.person_id, NEW.unit_id) THEN
        RAISE EXCEPTION 'person % is not of the unit', NEW.person_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER holder BEFORE INSERT OR UPDATE OF unit_id, person_id ON dangan.committee_posts
    FOR EACH ROW EXECUTE FUNCTION dangan.post_holder();
SELECT dangan.log_and_announce_unit_rows('dangan.committee_posts', 'person_id', 'unit', '');

-- A member's own study (an online course, a lecture outside the branch), in minutes. The branch
-- is the person's, set by the server and part of the key to the person, as on a step.
CREATE TABLE dangan.study_entries (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL,
    branch_id bigint NOT NULL,
    date      date NOT NULL,
    minutes   integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    title     text NOT NULL CHECK (length(btrim(title)) > 0),
    source    text
);
ALTER TABLE dangan.study_entries ADD FOREIGN KEY (person_id, branch_id) REFERENCES dangan.people (id, branch_id)
    ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX study_entries_by_person ON dangan.study_entries (person_id, date);
CREATE INDEX study_entries_by_date ON dangan.study_entries (date);
CREATE INDEX study_entries_by_branch ON dangan.study_entries (branch_id);
CREATE TRIGGER branch BEFORE INSERT ON dangan.study_entries
    FOR EACH ROW EXECUTE FUNCTION dangan.event_branch();
SELECT dangan.log_and_announce_unit_rows('dangan.study_entries', 'person_id', 'branch', 'branch_id');
