-- The shared server's security, version 9: a unit's items set aside under the unit, as its
-- meetings are; each user's reminders of units' items their own.

-- Only the item and its day may be written: the number is the server's.
GRANT SELECT, DELETE ON dangan.unit_dismissals TO {app};
GRANT INSERT (unit_id, group_id, rule, due, until) ON dangan.unit_dismissals TO {app};
GRANT UPDATE (until) ON dangan.unit_dismissals TO {app};

ALTER TABLE dangan.unit_dismissals ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.unit_dismissals FORCE ROW LEVEL SECURITY;
CREATE POLICY see ON dangan.unit_dismissals FOR SELECT TO {app} USING (unit_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.unit_dismissals FOR INSERT TO {app}
    WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY change ON dangan.unit_dismissals FOR UPDATE TO {app}
    USING (unit_id IN (SELECT dangan.editable_units())) WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.unit_dismissals FOR DELETE TO {app}
    USING (unit_id IN (SELECT dangan.editable_units()));

GRANT SELECT ON dangan.unit_reminders_sent TO {app};
GRANT INSERT (unit_id, group_id, rule, due, threshold, sent_on) ON dangan.unit_reminders_sent TO {app};
GRANT SELECT, DELETE ON dangan.unit_reminders_sent TO {accounts};

ALTER TABLE dangan.unit_reminders_sent ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.unit_reminders_sent FORCE ROW LEVEL SECURITY;
CREATE POLICY accounts_forget ON dangan.unit_reminders_sent FOR ALL TO {accounts} USING (true);
CREATE POLICY mine ON dangan.unit_reminders_sent FOR SELECT TO {app} USING (db_role = session_user);
CREATE POLICY sent ON dangan.unit_reminders_sent FOR INSERT TO {app}
    WITH CHECK (db_role = session_user AND unit_id IN (SELECT dangan.readable_units()));
