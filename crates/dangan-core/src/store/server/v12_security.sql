-- The shared server's security, version 12: the complaints register read and written by the
-- inspectors who keep it and by nobody else, in psql too (mirroring `Action::HandleComplaints`,
-- which only a discipline inspector has); an entry is never deleted.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.my_register() OWNER TO {system};
ALTER FUNCTION dangan.register_inspectors() OWNER TO {system};
ALTER FUNCTION dangan.complaints_overview() OWNER TO {system};
REVOKE CREATE ON SCHEMA dangan FROM {system};
GRANT SELECT ON dangan.complaints TO {system};

-- Each inspector's own key pair: made and re-wrapped by themselves, read by the register's
-- inspectors (who seal its key to the public half); set aside by the accounts' functions.
GRANT SELECT ON dangan.inspector_keys TO {app};
GRANT INSERT (user_id, public_key, salt, kdf_params, nonce, wrapped_secret) ON dangan.inspector_keys TO {app};
GRANT UPDATE (salt, kdf_params, nonce, wrapped_secret) ON dangan.inspector_keys TO {app};
GRANT SELECT, DELETE ON dangan.inspector_keys TO {accounts};
ALTER TABLE dangan.inspector_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.inspector_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY accounts_forget ON dangan.inspector_keys FOR ALL TO {accounts} USING (true);
CREATE POLICY see ON dangan.inspector_keys FOR SELECT TO {app}
    USING (user_id IN (SELECT i.id FROM dangan.register_inspectors() i));
CREATE POLICY own ON dangan.inspector_keys FOR INSERT TO {app}
    WITH CHECK (user_id IN (SELECT u.id FROM dangan.whoami() u WHERE u.role = 'discipline_inspector'));
CREATE POLICY rewrap ON dangan.inspector_keys FOR UPDATE TO {app}
    USING (user_id IN (SELECT u.id FROM dangan.whoami() u))
    WITH CHECK (user_id IN (SELECT u.id FROM dangan.whoami() u));

GRANT SELECT, INSERT (unit_id), UPDATE (rotate) ON dangan.registers TO {app};
GRANT SELECT, UPDATE (rotate) ON dangan.registers TO {accounts};
ALTER TABLE dangan.registers ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.registers FORCE ROW LEVEL SECURITY;
CREATE POLICY accounts_retire ON dangan.registers FOR ALL TO {accounts} USING (true);
CREATE POLICY keeps ON dangan.registers FOR ALL TO {app}
    USING (unit_id = dangan.my_register()) WITH CHECK (unit_id = dangan.my_register());

-- A copy is sealed to an inspector of the same register only.
GRANT SELECT, DELETE, INSERT (unit_id, generation, user_id, sealed) ON dangan.register_copies TO {app};
GRANT SELECT, DELETE ON dangan.register_copies TO {accounts};
ALTER TABLE dangan.register_copies ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.register_copies FORCE ROW LEVEL SECURITY;
CREATE POLICY accounts_forget ON dangan.register_copies FOR ALL TO {accounts} USING (true);
CREATE POLICY keeps ON dangan.register_copies FOR SELECT TO {app} USING (unit_id = dangan.my_register());
CREATE POLICY seal ON dangan.register_copies FOR INSERT TO {app}
    WITH CHECK (unit_id = dangan.my_register() AND user_id IN (SELECT i.id FROM dangan.register_inspectors() i));
CREATE POLICY retire ON dangan.register_copies FOR DELETE TO {app} USING (unit_id = dangan.my_register());

-- The entries: their own columns only (the numbers are the server's), never deleted.
GRANT SELECT ON dangan.complaints, dangan.complaint_attachments, dangan.complaint_reads TO {app};
GRANT INSERT (unit_id, number, received_on, belongs_elsewhere, generation, sealed) ON dangan.complaints TO {app};
GRANT UPDATE (generation, sealed, forwarded_on, reported_on, closed_on, handled) ON dangan.complaints TO {app};
GRANT INSERT (complaint_id, unit_id, generation, meta, content) ON dangan.complaint_attachments TO {app};
GRANT UPDATE (generation, meta, content) ON dangan.complaint_attachments TO {app};
GRANT INSERT (complaint_id, unit_id) ON dangan.complaint_reads TO {app};
ALTER TABLE dangan.complaints ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.complaints FORCE ROW LEVEL SECURITY;
CREATE POLICY system_reads ON dangan.complaints FOR SELECT TO {system} USING (true);
CREATE POLICY keeps ON dangan.complaints FOR SELECT TO {app} USING (unit_id = dangan.my_register());
CREATE POLICY add ON dangan.complaints FOR INSERT TO {app} WITH CHECK (unit_id = dangan.my_register());
CREATE POLICY change ON dangan.complaints FOR UPDATE TO {app}
    USING (unit_id = dangan.my_register()) WITH CHECK (unit_id = dangan.my_register());
ALTER TABLE dangan.complaint_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.complaint_attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY keeps ON dangan.complaint_attachments FOR SELECT TO {app} USING (unit_id = dangan.my_register());
CREATE POLICY add ON dangan.complaint_attachments FOR INSERT TO {app} WITH CHECK (unit_id = dangan.my_register());
CREATE POLICY change ON dangan.complaint_attachments FOR UPDATE TO {app}
    USING (unit_id = dangan.my_register()) WITH CHECK (unit_id = dangan.my_register());
ALTER TABLE dangan.complaint_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.complaint_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY keeps ON dangan.complaint_reads FOR SELECT TO {app} USING (unit_id = dangan.my_register());
CREATE POLICY reads ON dangan.complaint_reads FOR INSERT TO {app}
    WITH CHECK (unit_id = dangan.my_register() AND db_role = session_user);

GRANT SELECT ON dangan.complaint_reminders_sent TO {app};
GRANT INSERT (complaint_id, rule, due, threshold, sent_on) ON dangan.complaint_reminders_sent TO {app};
GRANT SELECT, DELETE ON dangan.complaint_reminders_sent TO {accounts};
ALTER TABLE dangan.complaint_reminders_sent ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.complaint_reminders_sent FORCE ROW LEVEL SECURITY;
CREATE POLICY accounts_forget ON dangan.complaint_reminders_sent FOR ALL TO {accounts} USING (true);
CREATE POLICY mine ON dangan.complaint_reminders_sent FOR SELECT TO {app} USING (db_role = session_user);
CREATE POLICY sent ON dangan.complaint_reminders_sent FOR INSERT TO {app}
    WITH CHECK (db_role = session_user AND complaint_id IN (SELECT c.id FROM dangan.complaints c));
