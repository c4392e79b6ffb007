-- The shared server's schema, version 10: party dues (issue 20; the workspace's `dues_bases` and
-- `dues_months`, store/schema.rs). Each row carries the person's branch, set by the server and
-- part of the key to the person, as a step does, so that the policies decide by the row alone
-- and a member moved takes their ledger along. The rules of a base and of a payment (a member in
-- the register, no gap in the ledger, at most a year ahead) are the workspace's
-- (`store/dues.rs`), checked by the client with the person locked. `dangan server upgrade`
-- brings a version-9 database here.

-- A member's category and monthly base (in fen) from a month on (`Month`: year × 12 + month − 1).
CREATE TABLE dangan.dues_bases (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL,
    branch_id  bigint NOT NULL,
    category   text NOT NULL CHECK (category IN ('salaried', 'retired', 'student', 'unemployed', 'low_income')),
    base_fen   bigint NOT NULL CHECK (base_fen >= 0),
    from_month integer NOT NULL,
    UNIQUE (person_id, from_month)
);

-- A month paid (the amount it was due, the day, perhaps who paid it) or deferred (the reason).
CREATE TABLE dangan.dues_months (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL,
    branch_id  bigint NOT NULL,
    month      integer NOT NULL,
    amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
    paid_on    date,
    paid_by    text,
    deferred   text,
    CHECK ((paid_on IS NULL) <> (deferred IS NULL)),
    UNIQUE (person_id, month)
);
CREATE INDEX dues_months_by_day ON dangan.dues_months (paid_on) WHERE paid_on IS NOT NULL;

-- Each table's person and branch, its log (under the branch) and its announcements (naming the
-- person: the member's page reads their ledger again).
CREATE FUNCTION dangan.kept_with_person(t regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    event text;
    rows text;
BEGIN
    EXECUTE format('ALTER TABLE %s ADD FOREIGN KEY (person_id, branch_id) REFERENCES dangan.people (id, branch_id) '
                   'ON UPDATE CASCADE ON DELETE CASCADE', t);
    EXECUTE format('CREATE INDEX ON %s (branch_id)', t);
    EXECUTE format('CREATE TRIGGER branch BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION dangan.event_branch()', t);
    FOREACH event IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
        rows := CASE event WHEN 'insert' THEN 'NEW TABLE AS new_rows' WHEN 'update' THEN 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
                ELSE 'OLD TABLE AS old_rows' END;
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION dangan.audit_rows(%L, %L, %L)', 'audit_' || event, upper(event), t, rows,
                       'person_id', 'branch', 'branch_id');
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '
                       'EXECUTE FUNCTION dangan.announce_changes(%L)', 'announce_' || event, upper(event), t,
                       CASE event WHEN 'delete' THEN 'OLD TABLE AS old_rows' ELSE 'NEW TABLE AS new_rows' END,
                       'person_id');
    END LOOP;
END
$$;
SELECT dangan.kept_with_person('dangan.dues_bases');
SELECT dangan.kept_with_person('dangan.dues_months');

-- A member's first month due and the last month of the unbroken run covered from it (which a
-- workspace caches on the person: `store/dues.rs`, `unbroken_run`), of the rows the user reads.
CREATE FUNCTION dangan.dues_run(person bigint, OUT from_month integer, OUT through integer)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    WITH first AS (SELECT min(b.from_month) AS m FROM dangan.dues_bases b WHERE b.person_id = person)
    SELECT first.m,
           (SELECT max(r.month) FROM (SELECT d.month, d.month - row_number() OVER (ORDER BY d.month) AS run
                                       FROM dangan.dues_months d WHERE d.person_id = person AND d.month >= first.m) r
            WHERE r.run = first.m - 1)::integer
    FROM first
$$;
