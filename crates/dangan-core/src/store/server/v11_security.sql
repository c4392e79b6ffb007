-- The shared server's security, version 11: an appraisal and its parts under their branch, as a
-- branch's meetings are.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.appraisal_part() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.appraisal_part() FROM PUBLIC;
REVOKE CREATE ON SCHEMA dangan FROM {system};
-- The trigger reads the appraisal its part belongs to.
GRANT SELECT ON dangan.appraisals TO {system};

-- Only each row's own columns are written: the numbers and the parts' branch are the server's.
GRANT SELECT, DELETE ON dangan.appraisals, dangan.appraisal_steps, dangan.appraisal_members, dangan.corrections
    TO {app};
GRANT INSERT (unit_id, year, opened_on) ON dangan.appraisals TO {app};
GRANT UPDATE (ballots_cast, closed_on) ON dangan.appraisals TO {app};
GRANT INSERT (appraisal_id, step, date) ON dangan.appraisal_steps TO {app};
GRANT UPDATE (date) ON dangan.appraisal_steps TO {app};
GRANT INSERT (appraisal_id, person_id, graded) ON dangan.appraisal_members TO {app};
GRANT UPDATE (excellent, qualified, basically_qualified, unqualified, proposed, grade, reason, record_id)
    ON dangan.appraisal_members TO {app};
GRANT INSERT (appraisal_id, person_id, from_on, months) ON dangan.corrections TO {app};
GRANT UPDATE (outcome, decided_on, note) ON dangan.corrections TO {app};

SELECT dangan.kept_by_unit('dangan.appraisals');
SELECT dangan.kept_by_unit('dangan.appraisal_steps');
SELECT dangan.kept_by_unit('dangan.appraisal_members');
SELECT dangan.kept_by_unit('dangan.corrections');
