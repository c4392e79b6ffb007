-- The shared server's security, version 6: the register of branch life, read within the user's
-- units and changed within the units they may edit, decided by each row's own unit (a branch
-- secretary's meetings are their branches', never the general branch's above them, whose
-- attendance names other branches' people); the day a unit owes its meetings from is set by
-- those who organise it (EditOrganisation, as in a workspace).

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.group_member_branch() OWNER TO {system};
ALTER FUNCTION dangan.leave_group_on_move() OWNER TO {system};
ALTER FUNCTION dangan.meeting_unit() OWNER TO {system};
ALTER FUNCTION dangan.uploaded_here(bigint, bigint) OWNER TO {system};
ALTER FUNCTION dangan.require_editable(bigint) OWNER TO {system};
ALTER FUNCTION dangan.note_upload_transaction() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.group_member_branch(), dangan.leave_group_on_move(), dangan.meeting_unit(),
    dangan.uploaded_here(bigint, bigint), dangan.require_editable(bigint), dangan.note_upload_transaction() FROM PUBLIC;
-- The transactions of uploads: the server's alone.
GRANT SELECT, INSERT ON dangan.upload_transactions TO {system};
ALTER TABLE dangan.upload_transactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.upload_transactions FORCE ROW LEVEL SECURITY;
CREATE POLICY system_keeps ON dangan.upload_transactions FOR ALL TO {system} USING (true) WITH CHECK (true);
REVOKE CREATE ON SCHEMA dangan FROM {system};
-- The database owner's, for its migrations only.
REVOKE ALL ON FUNCTION dangan.log_and_announce_unit_rows(regclass, text, text, text) FROM PUBLIC;
-- What the functions above read and write.
GRANT SELECT ON dangan.party_groups, dangan.meetings TO {system};
GRANT SELECT, DELETE ON dangan.group_members TO {system};

GRANT UPDATE (life_from) ON dangan.org_units TO {app};

-- Only each row's own columns are written: the numbers, the meetings' UUIDs and the units of
-- members, attendance and files are the server's.
GRANT SELECT, DELETE ON dangan.party_groups, dangan.group_members, dangan.meetings, dangan.attendance,
    dangan.meeting_attachments TO {app};
GRANT INSERT (branch_id, name, life_from) ON dangan.party_groups TO {app};
GRANT UPDATE (name, life_from) ON dangan.party_groups TO {app};
GRANT INSERT (group_id, person_id) ON dangan.group_members TO {app};
GRANT INSERT (unit_id, group_id, kind, date, held, place, chair, recorder, topic, minutes, decisions,
              study_minutes, guests) ON dangan.meetings TO {app};
GRANT UPDATE (unit_id, group_id, kind, date, held, place, chair, recorder, topic, minutes, decisions, study_minutes,
              guests) ON dangan.meetings TO {app};
GRANT INSERT (meeting_id, person_id, attendance, reason) ON dangan.attendance TO {app};
GRANT UPDATE (attendance, reason) ON dangan.attendance TO {app};
GRANT INSERT (meeting_id, name, media_type, size, content) ON dangan.meeting_attachments TO {app};

SELECT dangan.kept_as_steps('dangan.party_groups');
SELECT dangan.kept_as_steps('dangan.group_members');
CREATE POLICY system_reads ON dangan.party_groups FOR SELECT TO {system} USING (true);
CREATE POLICY system_reads ON dangan.group_members FOR SELECT TO {system} USING (true);
CREATE POLICY system_removes ON dangan.group_members FOR DELETE TO {system} USING (true);
CREATE POLICY system_reads ON dangan.meetings FOR SELECT TO {system} USING (true);

ALTER TABLE dangan.meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.meetings FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.attendance FORCE ROW LEVEL SECURITY;
ALTER TABLE dangan.meeting_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.meeting_attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY see ON dangan.meetings FOR SELECT TO {app} USING (unit_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.meetings FOR INSERT TO {app} WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY change ON dangan.meetings FOR UPDATE TO {app}
    USING (unit_id IN (SELECT dangan.editable_units())) WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.meetings FOR DELETE TO {app} USING (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY see ON dangan.attendance FOR SELECT TO {app} USING (unit_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.attendance FOR INSERT TO {app} WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY change ON dangan.attendance FOR UPDATE TO {app}
    USING (unit_id IN (SELECT dangan.editable_units())) WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.attendance FOR DELETE TO {app} USING (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY see ON dangan.meeting_attachments FOR SELECT TO {app}
    USING (unit_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.meeting_attachments FOR INSERT TO {app}
    WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.meeting_attachments FOR DELETE TO {app}
    USING (unit_id IN (SELECT dangan.editable_units()));
