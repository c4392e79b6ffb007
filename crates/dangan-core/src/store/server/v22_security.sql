-- The shared server's security, version 22. The versions of meetings, classes and records are
-- written by the server's trigger alone (the grants name the columns a user writes, and none of
-- the new ones), and read under the rows' policies as before. The office's rule file is read by
-- everyone and set by the department's administrators only, in psql too.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.sets_rules() OWNER TO {system};
REVOKE CREATE ON SCHEMA dangan FROM {system};
REVOKE ALL ON FUNCTION dangan.sets_rules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dangan.sets_rules() TO {app};

GRANT SELECT, INSERT, DELETE ON dangan.own_rules TO {app};
GRANT UPDATE (source) ON dangan.own_rules TO {app};
ALTER TABLE dangan.own_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.own_rules FORCE ROW LEVEL SECURITY;
CREATE POLICY see ON dangan.own_rules FOR SELECT TO {app} USING (true);
CREATE POLICY add ON dangan.own_rules FOR INSERT TO {app} WITH CHECK (dangan.sets_rules());
CREATE POLICY change ON dangan.own_rules FOR UPDATE TO {app} USING (dangan.sets_rules()) WITH CHECK (dangan.sets_rules());
CREATE POLICY remove ON dangan.own_rules FOR DELETE TO {app} USING (dangan.sets_rules());
