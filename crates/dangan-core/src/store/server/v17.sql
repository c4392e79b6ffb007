-- The shared server's schema, version 17: an upload carries a workspace's transfers (issue 20):
-- its letters, its applications and its arrivals. `dangan server upgrade` brings a version-16
-- database here.
--
-- - An application is carried as it was decided and by whom: in the transaction that uploads the
--   person (`dangan.uploaded_here`), an administrator's insert keeps its decision and decider.
--   Anyone else's new application names no decider but the server's, as before.

CREATE OR REPLACE FUNCTION dangan.transfer_decision() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' AND dangan.my_role() = 'administrator'
       AND dangan.uploaded_here(NEW.person_id, NEW.branch_id) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.letter_id IS NOT NULL AND NEW.letter_id IS DISTINCT FROM OLD.letter_id THEN
        RAISE EXCEPTION 'an application''s letter, once issued, stays' USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.decided_by := NULL;
    END IF;
    IF NEW.approved_on IS DISTINCT FROM (CASE TG_OP WHEN 'UPDATE' THEN OLD.approved_on END)
       OR NEW.declined_on IS DISTINCT FROM (CASE TG_OP WHEN 'UPDATE' THEN OLD.declined_on END) THEN
        IF coalesce(dangan.my_role(), '') NOT IN ('administrator', 'organiser') THEN
            RAISE EXCEPTION 'only the committee (an administrator or organiser) decides an application to transfer'
                USING ERRCODE = '42501';
        END IF;
        NEW.decided_by := dangan.actor();
    END IF;
    RETURN NEW;
END
$$;
