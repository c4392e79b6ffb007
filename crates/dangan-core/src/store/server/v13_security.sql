-- The shared server's security, version 13: a member's applications and letters read and changed
-- as their steps are (the person's branch on each row); the numbers, the branch and the decider
-- are the server's.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.transfer_decision() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.transfer_decision() FROM PUBLIC;
ALTER FUNCTION dangan.last_letter_number(bigint, integer) OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.last_letter_number(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dangan.last_letter_number(bigint, integer) TO {app};
REVOKE CREATE ON SCHEMA dangan FROM {system};
-- What `dangan.last_letter_number` reads: every letter's number.
GRANT SELECT ON dangan.transfer_letters TO {system};

-- Never deleted: a letter and its application are the record of a transfer.
GRANT SELECT ON dangan.transfer_requests, dangan.transfer_letters TO {app};
GRANT INSERT (person_id, applied_on, destination, reason) ON dangan.transfer_requests TO {app};
GRANT UPDATE (approved_on, declined_on, declined_reason, letter_id) ON dangan.transfer_requests TO {app};
GRANT INSERT (person_id, committee_id, number, destination, addressee, issued_on, validity_days, stage,
              dues_through, assessment, reissue_of, status_change_id, package_code)
    ON dangan.transfer_letters TO {app};
GRANT UPDATE (receipt_on, cancelled_on, cancel_change_id) ON dangan.transfer_letters TO {app};

SELECT dangan.kept_as_steps('dangan.transfer_requests');
SELECT dangan.kept_as_steps('dangan.transfer_letters');
CREATE POLICY system_reads ON dangan.transfer_letters FOR SELECT TO {system} USING (true);
