-- The shared server's security, version 2: items set aside, read and set as their person's
-- steps are (the person's branch on each row, `dangan.dismissals`).

-- Only the item and its day may be written: the number and the branch are the server's.
GRANT SELECT, DELETE ON dangan.dismissals TO {app};
GRANT INSERT (person_id, rule, due, until) ON dangan.dismissals TO {app};
GRANT UPDATE (until) ON dangan.dismissals TO {app};

ALTER TABLE dangan.dismissals ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.dismissals FORCE ROW LEVEL SECURITY;
CREATE POLICY see ON dangan.dismissals FOR SELECT TO {app} USING (branch_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.dismissals FOR INSERT TO {app} WITH CHECK (branch_id IN (SELECT dangan.editable_units()));
CREATE POLICY change ON dangan.dismissals FOR UPDATE TO {app}
    USING (branch_id IN (SELECT dangan.editable_units())) WITH CHECK (branch_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.dismissals FOR DELETE TO {app} USING (branch_id IN (SELECT dangan.editable_units()));
