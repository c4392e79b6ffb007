-- The shared server's security, version 8: training classes under the unit that runs them, as
-- meetings are: read within the user's units, changed within those they may edit.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.class_part() OWNER TO {system};
ALTER FUNCTION dangan.class_moves() OWNER TO {system};
ALTER FUNCTION dangan.history_stays() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.class_part(), dangan.class_moves(), dangan.history_stays() FROM PUBLIC;
REVOKE CREATE ON SCHEMA dangan FROM {system};
-- What `dangan.class_part`, `class_moves` and `history_stays` read.
GRANT SELECT ON dangan.training_classes, dangan.class_sessions, dangan.trainees TO {system};
GRANT SELECT ON dangan.attendance, dangan.committee_posts TO {system};
CREATE POLICY system_reads ON dangan.attendance FOR SELECT TO {system} USING (true);
CREATE POLICY system_reads ON dangan.committee_posts FOR SELECT TO {system} USING (true);

-- Only each row's own columns are written: the numbers and the units are the server's.
GRANT SELECT, DELETE ON dangan.training_classes, dangan.class_sessions, dangan.trainees, dangan.session_attendance
    TO {app};
GRANT INSERT (unit_id, kind, name, starts, ends) ON dangan.training_classes TO {app};
GRANT UPDATE (unit_id, kind, name, starts, ends) ON dangan.training_classes TO {app};
GRANT INSERT (class_id, date, minutes, topic) ON dangan.class_sessions TO {app};
GRANT UPDATE (date, minutes, topic) ON dangan.class_sessions TO {app};
GRANT INSERT (class_id, person_id) ON dangan.trainees TO {app};
GRANT UPDATE (score, passed) ON dangan.trainees TO {app};
GRANT INSERT (session_id, person_id) ON dangan.session_attendance TO {app};

-- Gives a table of a unit's rows the policies of meetings: read within the user's units, changed
-- within those they may edit, decided by the row's own unit. For this version's tables and the
-- later ones'; the database owner's.
CREATE FUNCTION dangan.kept_by_unit(t regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY see ON %s FOR SELECT TO {app} USING (unit_id IN (SELECT dangan.readable_units()))', t);
    EXECUTE format('CREATE POLICY add ON %s FOR INSERT TO {app} WITH CHECK (unit_id IN (SELECT dangan.editable_units()))', t);
    EXECUTE format('CREATE POLICY change ON %s FOR UPDATE TO {app} USING (unit_id IN (SELECT dangan.editable_units())) '
                   'WITH CHECK (unit_id IN (SELECT dangan.editable_units()))', t);
    EXECUTE format('CREATE POLICY remove ON %s FOR DELETE TO {app} USING (unit_id IN (SELECT dangan.editable_units()))', t);
    EXECUTE format('CREATE POLICY system_reads ON %s FOR SELECT TO {system} USING (true)', t);
END
$$;
REVOKE ALL ON FUNCTION dangan.kept_by_unit(regclass) FROM PUBLIC;

SELECT dangan.kept_by_unit('dangan.training_classes');
SELECT dangan.kept_by_unit('dangan.class_sessions');
SELECT dangan.kept_by_unit('dangan.trainees');
SELECT dangan.kept_by_unit('dangan.session_attendance');
