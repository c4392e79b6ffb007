-- The shared server's schema, version 4: a member's file (issue 20; the workspace's `records` and
-- `attachments`, store/schema.rs version 3). `dangan server upgrade` brings a version-3 database
-- here. The attachments' bytes are kept in the database; on a server they are encrypted at rest
-- by the disk's encryption (README, Security), not by Dangan.

-- A record of the member's file (a talk, a thought report, a resolution, …), documenting a step
-- or not. The branch is the person's, set by the server and part of the key to the person, as on
-- a step, so the policies decide by the row alone.
CREATE TABLE dangan.records (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    person_id bigint NOT NULL,
    branch_id bigint NOT NULL,
    -- `RecordKind`'s ids (a test holds the list equal to it): a row no Dangan reads would make
    -- the member's whole file unreadable to everyone.
    kind      text NOT NULL CHECK (kind IN ('application_letter', 'talk_record', 'thought_report', 'activist_review',
                                            'training_record', 'introducer_opinion', 'political_review',
                                            'membership_form', 'branch_resolution', 'approval', 'oath',
                                            'conversion_application', 'study_note', 'appraisal')),
    date      date NOT NULL,
    event_id  bigint REFERENCES dangan.events(id) ON DELETE SET NULL,
    title     text,
    body      text NOT NULL DEFAULT '',
    fields    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(fields) = 'object'),
    -- What an attachment's key points at.
    UNIQUE (id, branch_id)
);
ALTER TABLE dangan.records ADD FOREIGN KEY (person_id, branch_id) REFERENCES dangan.people (id, branch_id)
    ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX records_by_person ON dangan.records (person_id, date);
CREATE INDEX records_by_branch ON dangan.records (branch_id);
CREATE TRIGGER branch BEFORE INSERT ON dangan.records
    FOR EACH ROW EXECUTE FUNCTION dangan.event_branch();

-- The step a record documents is one of its own person's: the key above says only that the step
-- exists, and read in raw SQL it would tell of steps the user may not see (keys ignore the
-- policies) and tie one branch's record to another's step.
CREATE FUNCTION dangan.record_step_is_theirs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.event_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM dangan.events e WHERE e.id = NEW.event_id AND e.person_id = NEW.person_id) THEN
        RAISE EXCEPTION 'the member has no event %', NEW.event_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER step_is_theirs BEFORE INSERT OR UPDATE OF event_id, person_id ON dangan.records
    FOR EACH ROW EXECUTE FUNCTION dangan.record_step_is_theirs();
SELECT dangan.log_and_announce('dangan.records', 'person_id');

-- A file attached to a record (a JPEG, PNG or PDF, checked by its bytes on the client). Its
-- person and branch are its record's, set by the server (`dangan.attachment_owner`); a person
-- moved takes their records' attachments along. The bytes are never in the log.
CREATE TABLE dangan.attachments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id  bigint NOT NULL,
    person_id  bigint NOT NULL,
    branch_id  bigint NOT NULL,
    name       text NOT NULL CHECK (length(btrim(name)) > 0),
    media_type text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    -- At most the workspace's 20 MB (`store::files::MAX_ATTACHMENT_BYTES`).
    size       bigint NOT NULL CHECK (size = octet_length(content) AND size <= 20971520),
    content    bytea NOT NULL
);
ALTER TABLE dangan.attachments ADD FOREIGN KEY (record_id, branch_id) REFERENCES dangan.records (id, branch_id)
    ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX attachments_by_record ON dangan.attachments (record_id);
CREATE INDEX attachments_by_branch ON dangan.attachments (branch_id);

CREATE FUNCTION dangan.attachment_owner() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    SELECT r.person_id, r.branch_id INTO NEW.person_id, NEW.branch_id FROM dangan.records r WHERE r.id = NEW.record_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER owner BEFORE INSERT ON dangan.attachments
    FOR EACH ROW EXECUTE FUNCTION dangan.attachment_owner();
SELECT dangan.log_and_announce('dangan.attachments', 'person_id', 'content');
