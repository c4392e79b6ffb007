-- The shared server's security, version 5: a committee's templates, read by everyone who sees the
-- committee (its users and those below it), written by the administrators of the committees they
-- organise (EditRules is the administrator's, as in a workspace).

GRANT SELECT, DELETE ON dangan.document_templates TO {app};
GRANT INSERT (unit_id, id, source) ON dangan.document_templates TO {app};
GRANT UPDATE (source) ON dangan.document_templates TO {app};

ALTER TABLE dangan.document_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.document_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY see ON dangan.document_templates FOR SELECT TO {app} USING (unit_id IN (SELECT dangan.visible_units()));
CREATE POLICY add ON dangan.document_templates FOR INSERT TO {app}
    WITH CHECK (dangan.my_role() = 'administrator' AND unit_id IN (SELECT dangan.organised_units())
                AND (SELECT u.kind FROM dangan.org_units u WHERE u.id = unit_id) = 'committee');
CREATE POLICY change ON dangan.document_templates FOR UPDATE TO {app}
    USING (dangan.my_role() = 'administrator' AND unit_id IN (SELECT dangan.organised_units()))
    WITH CHECK (dangan.my_role() = 'administrator' AND unit_id IN (SELECT dangan.organised_units()));
CREATE POLICY remove ON dangan.document_templates FOR DELETE TO {app}
    USING (dangan.my_role() = 'administrator' AND unit_id IN (SELECT dangan.organised_units()));
