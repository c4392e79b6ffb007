-- The shared server's schema, version 2: items set aside (issue 20). `dangan server upgrade`
-- brings a version-1 database here; `init` applies it after version 1.

-- A deadline item the worker acknowledged (`until` NULL: no more reminders, off the dashboard)
-- or snoozed until a day, keyed by member, rule and due day, as a workspace keeps them
-- (`dismissals` in store/schema.rs). Shared by everyone who sees the member, as a workspace's
-- are by its office: an item seen to is seen to. The branch is the person's, set by the server
-- and part of the key to the person, as on a step (`dangan.events`), so that the policies decide
-- by the row alone and a moved person takes theirs along. Setting an item aside is no change to
-- the person: it does not raise their version.
CREATE TABLE dangan.dismissals (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL,
    branch_id bigint NOT NULL,
    rule      text NOT NULL CHECK (length(rule) BETWEEN 1 AND 100),
    due       date NOT NULL,
    until     date,
    UNIQUE (person_id, rule, due)
);
ALTER TABLE dangan.dismissals ADD FOREIGN KEY (person_id, branch_id) REFERENCES dangan.people (id, branch_id)
    ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX dismissals_by_branch ON dangan.dismissals (branch_id);

CREATE TRIGGER branch BEFORE INSERT ON dangan.dismissals
    FOR EACH ROW EXECUTE FUNCTION dangan.event_branch();
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.dismissals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('person_id', 'branch', 'branch_id');
CREATE TRIGGER announce_insert AFTER INSERT ON dangan.dismissals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('person_id');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.dismissals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('person_id', 'branch', 'branch_id');
CREATE TRIGGER announce_update AFTER UPDATE ON dangan.dismissals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('person_id');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.dismissals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('person_id', 'branch', 'branch_id');
CREATE TRIGGER announce_delete AFTER DELETE ON dangan.dismissals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_changes('person_id');
