-- The shared server's schema, version 13: transfers out by application and introduction letter
-- (转出申请, 介绍信; issue 20; the workspace's `transfer_requests` and `transfer_letters`,
-- store/schema.rs). Each row carries the person's branch, set by the server, as a step does, so
-- the policies decide by the row alone. The rules (who may apply, the approval before a branch's
-- letter, a letter's validity, the receipt, a reissue within six months, a cancellation bringing
-- the member back) are the workspace's (`store/transfer_requests.rs`, `store/transfers.rs`),
-- checked by the client with the person locked; the letter's 转出 is a row of
-- `dangan.status_changes` written in the same transaction. The approval is the committee's: a
-- trigger refuses a decision by anyone else, in psql too. `dangan server upgrade` brings a
-- version-12 database here.

CREATE TABLE dangan.transfer_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL,
    branch_id       bigint NOT NULL,
    applied_on      date NOT NULL,
    destination     text NOT NULL CHECK (length(destination) BETWEEN 1 AND 500),
    reason          text,
    approved_on     date,
    -- Who decided it: the server's to write (`dangan.transfer_decision`).
    decided_by      text,
    declined_on     date,
    declined_reason text,
    letter_id       bigint,
    CHECK (approved_on IS NULL OR declined_on IS NULL)
);
SELECT dangan.kept_with_person('dangan.transfer_requests');

-- A letter: numbered within the committee that issued it (the nearest above the member's branch),
-- the member's stage and dues as they left, the receipt or the cancellation, the letter it
-- replaces, and the status changes it wrote.
CREATE TABLE dangan.transfer_letters (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id        bigint NOT NULL,
    branch_id        bigint NOT NULL,
    committee_id     bigint NOT NULL REFERENCES dangan.org_units(id),
    number           text NOT NULL CHECK (number ~ '^[0-9]{4}-[0-9]{3,}$'),
    destination      text NOT NULL CHECK (length(destination) BETWEEN 1 AND 500),
    addressee        text NOT NULL,
    issued_on        date NOT NULL,
    validity_days    integer NOT NULL CHECK (validity_days > 0),
    stage            text NOT NULL CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary', 'full_member')),
    dues_through     integer,
    assessment       text,
    receipt_on       date,
    cancelled_on     date,
    reissue_of       bigint REFERENCES dangan.transfer_letters(id),
    status_change_id bigint REFERENCES dangan.status_changes(id),
    cancel_change_id bigint REFERENCES dangan.status_changes(id),
    package_code     text,
    UNIQUE (committee_id, number)
);
SELECT dangan.kept_with_person('dangan.transfer_letters');
ALTER TABLE dangan.transfer_requests ADD FOREIGN KEY (letter_id) REFERENCES dangan.transfer_letters(id);

-- An application is approved or declined by the committee (administrators and organisers,
-- `Action::ApproveTransfers`), who the server names as its decider (`dangan.actor`, which only
-- {system} runs: the function is its).
CREATE FUNCTION dangan.transfer_decision() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
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
CREATE TRIGGER decision BEFORE INSERT OR UPDATE ON dangan.transfer_requests
    FOR EACH ROW EXECUTE FUNCTION dangan.transfer_decision();

-- A branch secretary's letter needs the member's approved application (the committee issues
-- without one).
CREATE FUNCTION dangan.letter_approved() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.reissue_of IS NULL AND coalesce(dangan.my_role(), '') NOT IN ('administrator', 'organiser')
       AND NOT EXISTS (SELECT 1 FROM dangan.transfer_requests r
                       WHERE r.person_id = NEW.person_id AND r.approved_on IS NOT NULL
                         AND r.declined_on IS NULL AND r.letter_id IS NULL) THEN
        RAISE EXCEPTION 'a letter needs the member''s approved application to transfer out' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER approved BEFORE INSERT ON dangan.transfer_letters
    FOR EACH ROW EXECUTE FUNCTION dangan.letter_approved();

-- The highest sequence of a year's letters within a committee, whichever of its branches the user
-- sees (a branch secretary's letter takes the committee's next number too). The committee's
-- numbering is locked until the transaction ends, so two issuing at once take a number each.
CREATE FUNCTION dangan.last_letter_number(committee bigint, year integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('dangan.transfer_letters ' || committee, 0));
    RETURN (SELECT max(substr(l.number, 6)::integer) FROM dangan.transfer_letters l
            WHERE l.committee_id = committee AND l.number LIKE year::text || '-%');
END
$$;
