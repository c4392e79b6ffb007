-- The shared server's security, version 4: a member's file, read and changed as the person's
-- steps are (the person's branch on each row).

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.attachment_owner() OWNER TO {system};
ALTER FUNCTION dangan.record_step_is_theirs() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.attachment_owner(), dangan.record_step_is_theirs() FROM PUBLIC;
REVOKE CREATE ON SCHEMA dangan FROM {system};
-- What `dangan.attachment_owner` reads: the record's person and branch.
GRANT SELECT ON dangan.records TO {system};
CREATE POLICY system_reads ON dangan.records FOR SELECT TO {system} USING (true);

-- Only a record's and an attachment's own columns are written: the numbers, the person of an
-- attachment and the branches are the server's, and a record belongs to its person for good. A
-- record uploaded from a workspace keeps its UUID (unique: one taken is refused); a UUID a client
-- brings is an identifier only, granting nothing.
GRANT SELECT, DELETE ON dangan.records, dangan.attachments TO {app};
GRANT INSERT (person_id, kind, date, event_id, title, body, fields, uid) ON dangan.records TO {app};
GRANT UPDATE (kind, date, event_id, title, body, fields) ON dangan.records TO {app};
GRANT INSERT (record_id, name, media_type, size, content) ON dangan.attachments TO {app};

SELECT dangan.kept_as_steps('dangan.records');
SELECT dangan.kept_as_steps('dangan.attachments');
