-- The shared server's schema, version 18: what remained of the review of versions 12 and 13
-- (issue 20). `dangan server upgrade` brings a version-17 database here.
--
-- - An inspector's wrapped secret is read by that inspector only (`dangan.my_inspector_key`): the
--   register's other inspectors read its public half, to seal the register's key to it, and
--   cannot take a colleague's wrapped secret away to guess at their passphrase.
-- - A letter's committee is the server's to set: the nearest committee above the member's branch,
--   whatever a client names (the letter's numbering and heading follow it).

CREATE FUNCTION dangan.my_inspector_key()
    RETURNS TABLE (public_key bytea, salt bytea, kdf_params text, nonce bytea, wrapped_secret bytea)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT k.public_key, k.salt, k.kdf_params, k.nonce, k.wrapped_secret FROM dangan.inspector_keys k
    WHERE k.user_id IN (SELECT u.id FROM dangan.whoami() u)
$$;

CREATE FUNCTION dangan.letter_committee() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.committee_id := (
        WITH RECURSIVE up(id, parent_id, kind, depth) AS (
            SELECT u.id, u.parent_id, u.kind, 0 FROM dangan.org_units u WHERE u.id = NEW.branch_id
            UNION ALL
            SELECT u.id, u.parent_id, u.kind, up.depth + 1 FROM dangan.org_units u JOIN up ON u.id = up.parent_id
            WHERE up.depth < 64
        )
        SELECT up.id FROM up WHERE up.kind = 'committee' ORDER BY up.depth LIMIT 1);
    IF NEW.committee_id IS NULL THEN
        RAISE EXCEPTION 'a letter''s branch has no committee above it' USING ERRCODE = '23502';
    END IF;
    RETURN NEW;
END
$$;
-- After `branch`, which sets the row's branch from the person's (triggers fire by name).
CREATE TRIGGER committee BEFORE INSERT ON dangan.transfer_letters
    FOR EACH ROW EXECUTE FUNCTION dangan.letter_committee();
