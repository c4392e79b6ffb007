-- The shared server's schema, version 19: how far the server's changes have come, for a session to
-- know whether what it read of branch life is still true (issue 20). `dangan server upgrade`
-- brings a version-18 database here.
--
-- Every change to a logged table advances the audit chain's head when it commits, whoever made it;
-- a session that read the branch-life index at one head reads it again only once the head has
-- moved. The number tells only how many changes the server has logged, not what or whose.

CREATE FUNCTION dangan.changes_logged() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT h.seq FROM dangan.audit_head h
$$;
