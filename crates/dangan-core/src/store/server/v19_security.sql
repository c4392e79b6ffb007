-- The shared server's security, version 19: the count of changes logged, for every user.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.changes_logged() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.changes_logged() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dangan.changes_logged() TO {app};
REVOKE CREATE ON SCHEMA dangan FROM {system};
