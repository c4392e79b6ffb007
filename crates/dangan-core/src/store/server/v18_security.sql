-- The shared server's security, version 18: an inspector's key row read by the register's
-- inspectors but for its wrapped secret, which its owner reads through `dangan.my_inspector_key`.

REVOKE SELECT ON dangan.inspector_keys FROM {app};
GRANT SELECT (id, user_id, public_key) ON dangan.inspector_keys TO {app};

GRANT CREATE ON SCHEMA dangan TO {system};
ALTER FUNCTION dangan.my_inspector_key() OWNER TO {system};
ALTER FUNCTION dangan.letter_committee() OWNER TO {system};
REVOKE ALL ON FUNCTION dangan.my_inspector_key(), dangan.letter_committee() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dangan.my_inspector_key() TO {app};
REVOKE CREATE ON SCHEMA dangan FROM {system};
-- What `dangan.my_inspector_key` reads: the inspectors' keys.
GRANT SELECT ON dangan.inspector_keys TO {system};
CREATE POLICY system_reads ON dangan.inspector_keys FOR SELECT TO {system} USING (true);
