-- The shared server's security, version 7: committee posts under their unit, as meetings are; own
-- study under the person's branch, as their steps are.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.post_holder() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.post_holder() FROM PUBLIC;
REVOKE CREATE ON SCHEMA dangan FROM {system};

-- Only each row's own columns are written: the numbers and an entry's branch are the server's.
GRANT SELECT, DELETE ON dangan.committee_posts, dangan.study_entries TO {app};
GRANT INSERT (unit_id, person_id, post, since, until) ON dangan.committee_posts TO {app};
GRANT UPDATE (unit_id, person_id, post, since, until) ON dangan.committee_posts TO {app};
GRANT INSERT (person_id, date, minutes, title, source) ON dangan.study_entries TO {app};

ALTER TABLE dangan.committee_posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE dangan.committee_posts FORCE ROW LEVEL SECURITY;
CREATE POLICY see ON dangan.committee_posts FOR SELECT TO {app} USING (unit_id IN (SELECT dangan.readable_units()));
CREATE POLICY add ON dangan.committee_posts FOR INSERT TO {app}
    WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY change ON dangan.committee_posts FOR UPDATE TO {app}
    USING (unit_id IN (SELECT dangan.editable_units())) WITH CHECK (unit_id IN (SELECT dangan.editable_units()));
CREATE POLICY remove ON dangan.committee_posts FOR DELETE TO {app}
    USING (unit_id IN (SELECT dangan.editable_units()));

SELECT dangan.kept_as_steps('dangan.study_entries');
