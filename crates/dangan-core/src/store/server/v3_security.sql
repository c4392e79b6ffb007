-- The shared server's security, version 3: membership status, read and changed as the person's
-- steps are (the person's branch on each row); the person's cached status is the server's.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.follow_status() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.follow_status() FROM PUBLIC;
-- The database owner's, for its migrations only.
REVOKE ALL ON FUNCTION dangan.log_and_announce(regclass, text, text) FROM PUBLIC;
REVOKE CREATE ON SCHEMA dangan FROM {system};
-- What `dangan.follow_status` writes: the status and the person's stamp.
GRANT SELECT ON dangan.status_changes TO {system};
GRANT UPDATE (status) ON dangan.people TO {system};

-- Only the change's own columns are written: the number and the branch are the server's, and a
-- change belongs to its person for good.
GRANT SELECT, DELETE ON dangan.status_changes TO {app};
GRANT INSERT (person_id, status, date, reason) ON dangan.status_changes TO {app};
GRANT UPDATE (status, date, reason) ON dangan.status_changes TO {app};

-- Gives a table of a person's rows the policies of their steps: read within the user's units,
-- changed within the units they may edit, decided by the row's own branch (the person's, set by
-- the server). For this version's tables and the later ones'; the database owner's.
CREATE FUNCTION dangan.kept_as_steps(t regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY see ON %s FOR SELECT TO {app} USING (branch_id IN (SELECT dangan.readable_units()))', t);
    EXECUTE format('CREATE POLICY add ON %s FOR INSERT TO {app} WITH CHECK (branch_id IN (SELECT dangan.editable_units()))', t);
    EXECUTE format('CREATE POLICY change ON %s FOR UPDATE TO {app} USING (branch_id IN (SELECT dangan.editable_units())) '
                   'WITH CHECK (branch_id IN (SELECT dangan.editable_units()))', t);
    EXECUTE format('CREATE POLICY remove ON %s FOR DELETE TO {app} USING (branch_id IN (SELECT dangan.editable_units()))', t);
END
$$;
REVOKE ALL ON FUNCTION dangan.kept_as_steps(regclass) FROM PUBLIC;

SELECT dangan.kept_as_steps('dangan.status_changes');
CREATE POLICY system_reads ON dangan.status_changes FOR SELECT TO {system} USING (true);
