-- The shared server's schema, version 15: what a review of versions 12 and 13 found (issue 20).
-- `dangan server upgrade` brings a version-14 database here.
--
-- - A letter is replaced at most once: two reissues of one letter at once cannot both stand.
-- - In psql too, a letter that names the letter it reissues must reissue that person's own letter
--   still awaiting its receipt (a branch secretary cannot slip a letter past the approval by
--   naming another), and an application's letter, once set, stays.
-- - The numbering of a committee's letters is taken only by those who may issue one under it,
--   and waits at most half a minute.
-- - An inspector whose passphrase an administrator set anew, and who held a register's key, has
--   that key replaced at the register's next change (their copies go with the reset), as a
--   removal does.
-- - A register's row is numbered, so that the log names the change of its `rotate` flag.

CREATE UNIQUE INDEX transfer_letters_reissued_once ON dangan.transfer_letters (reissue_of)
    WHERE reissue_of IS NOT NULL;

CREATE OR REPLACE FUNCTION dangan.letter_approved() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.reissue_of IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM dangan.transfer_letters o
                       WHERE o.id = NEW.reissue_of AND o.person_id = NEW.person_id
                         AND o.receipt_on IS NULL AND o.cancelled_on IS NULL) THEN
            RAISE EXCEPTION 'a reissue replaces the same person''s letter still awaiting its receipt'
                USING ERRCODE = '42501';
        END IF;
    ELSIF coalesce(dangan.my_role(), '') NOT IN ('administrator', 'organiser')
       AND NOT EXISTS (SELECT 1 FROM dangan.transfer_requests r
                       WHERE r.person_id = NEW.person_id AND r.approved_on IS NOT NULL
                         AND r.declined_on IS NULL AND r.letter_id IS NULL) THEN
        RAISE EXCEPTION 'a letter needs the member''s approved application to transfer out' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION dangan.transfer_decision() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.letter_id IS NOT NULL AND NEW.letter_id IS DISTINCT FROM OLD.letter_id THEN
        RAISE EXCEPTION 'an application''s letter, once issued, stays' USING ERRCODE = '42501';
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

CREATE OR REPLACE FUNCTION dangan.last_letter_number(committee bigint, year integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = '30s' AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM dangan.editable_units() AS e(unit)
                   WHERE e.unit IN (SELECT dangan.unit_and_below(ARRAY[committee]))) THEN
        RAISE EXCEPTION 'only those who issue letters under a committee take its numbers' USING ERRCODE = '42501';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('dangan.transfer_letters ' || committee, 0));
    RETURN (SELECT max(substr(l.number, 6)::integer) FROM dangan.transfer_letters l
            WHERE l.committee_id = committee AND l.number LIKE year::text || '-%');
END
$$;

CREATE OR REPLACE FUNCTION dangan.forget_inspector_key() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.db_role <> session_user THEN
        UPDATE dangan.registers r SET rotate = true
            WHERE r.unit_id IN (SELECT c.unit_id FROM dangan.register_copies c WHERE c.user_id = NEW.id);
        DELETE FROM dangan.register_copies WHERE user_id = NEW.id;
        DELETE FROM dangan.inspector_keys WHERE user_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

ALTER TABLE dangan.registers ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE dangan.inspector_keys ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
