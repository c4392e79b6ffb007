-- The shared server's security, version 21: the announcing trigger's function is the server's, as
-- every trigger's is, and nobody calls it directly.

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.announce_table() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.announce_table() FROM PUBLIC;
REVOKE CREATE ON SCHEMA dangan FROM {system};
