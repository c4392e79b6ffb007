-- The shared server's security, version 16: an arrival read as the person's steps are, written
-- once with the person (never changed: it is what the letter said); a letter's package code
-- given once; a member's history read through its function by those who may change them.

GRANT SELECT ON dangan.arrivals TO {app};
GRANT INSERT (person_id, received_on, origin, letter_number, letter_issued_on, dues_through, status_change_id,
              history) ON dangan.arrivals TO {app};
SELECT dangan.kept_as_steps('dangan.arrivals');

GRANT UPDATE (package_code) ON dangan.transfer_letters TO {app};
-- A received package keeps the member's UUID from the sending office (their one identity in every
-- database); the unique index refuses one already here.
GRANT INSERT (uid) ON dangan.people TO {app};

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.member_history(bigint) OWNER TO {system};
ALTER FUNCTION dangan.arrived_before(text, text, date, text) OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.member_history(bigint), dangan.arrived_before(text, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dangan.member_history(bigint), dangan.arrived_before(text, text, date, text) TO {app};
REVOKE CREATE ON SCHEMA dangan FROM {system};
REVOKE ALL ON FUNCTION dangan.logged_without(regclass, text), dangan.package_code_kept(), dangan.arrival_change()
    FROM PUBLIC;
-- What `dangan.arrived_before` reads: every arrival.
GRANT SELECT ON dangan.arrivals TO {system};
CREATE POLICY system_reads ON dangan.arrivals FOR SELECT TO {system} USING (true);
