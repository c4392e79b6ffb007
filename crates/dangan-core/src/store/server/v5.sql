-- The shared server's schema, version 5: an office's own wording of the procedure's documents
-- (issue 20; the workspace's `document_templates`). `dangan server upgrade` brings a version-4
-- database here.

-- A committee's own template of a document, replacing the shipped one for its users and those of
-- the committees below it that have none of their own: a college's office words its documents
-- its own way, and the department's wording stands for the colleges that keep none. Checked on
-- the client (`documents::check_override`) before it is written.
CREATE TABLE dangan.document_templates (
    unit_id bigint NOT NULL REFERENCES dangan.org_units(id) ON DELETE CASCADE,
    id      text NOT NULL CHECK (length(id) BETWEEN 1 AND 100),
    source  text NOT NULL CHECK (length(source) <= 200000),
    PRIMARY KEY (unit_id, id)
);
CREATE TRIGGER audit_insert AFTER INSERT ON dangan.document_templates
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'unit', '');
CREATE TRIGGER audit_update AFTER UPDATE ON dangan.document_templates
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'unit', '');
CREATE TRIGGER audit_delete AFTER DELETE ON dangan.document_templates
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dangan.audit_rows('', 'unit', '');
