-- The shared server's schema, version 11: the yearly democratic appraisal (issue 20; the
-- workspace's `appraisals`, `appraisal_steps`, `appraisal_members` and `corrections`,
-- store/schema.rs). An appraisal is a branch's for a year; each of its rows carries the branch,
-- set by the server from the appraisal, so that the policies decide by the row alone: a branch
-- secretary appraises their own branches only, in psql too. Its rules (who takes part, the vote,
-- the grades, the close) are the workspace's (`appraisal.rs`, `store/appraisals.rs`), checked by
-- the client with the appraisal locked. `dangan server upgrade` brings a version-10 database here.

CREATE TABLE dangan.appraisals (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id      bigint NOT NULL REFERENCES dangan.org_units(id),
    year         integer NOT NULL CHECK (year BETWEEN 1950 AND 2200),
    opened_on    date NOT NULL,
    ballots_cast integer CHECK (ballots_cast > 0),
    closed_on    date,
    UNIQUE (unit_id, year),
    -- What each part's key points at: the appraisal of its branch.
    UNIQUE (id, unit_id)
);

-- The steps dated as they happen (`AppraisalStep`'s ids: a test holds the list equal to it).
CREATE TABLE dangan.appraisal_steps (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appraisal_id bigint NOT NULL,
    unit_id      bigint NOT NULL,
    step         text NOT NULL CHECK (step IN ('study', 'self_assessment', 'mutual_assessment', 'vote', 'decision',
                                               'announcement')),
    date         date NOT NULL,
    UNIQUE (appraisal_id, step),
    FOREIGN KEY (appraisal_id, unit_id) REFERENCES dangan.appraisals (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- Who takes part (`graded`: a full member; a probationary member takes part ungraded), the votes
-- they received, the grade the vote proposes, the grade decided and why, and the 民主评议 record
-- the close filed in their file.
CREATE TABLE dangan.appraisal_members (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appraisal_id        bigint NOT NULL,
    unit_id             bigint NOT NULL,
    person_id           bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    graded              boolean NOT NULL,
    excellent           integer CHECK (excellent >= 0),
    qualified           integer CHECK (qualified >= 0),
    basically_qualified integer CHECK (basically_qualified >= 0),
    unqualified         integer CHECK (unqualified >= 0),
    proposed            text CHECK (proposed IN ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
    grade               text CHECK (grade IN ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
    reason              text,
    record_id           bigint REFERENCES dangan.records(id) ON DELETE SET NULL,
    UNIQUE (appraisal_id, person_id),
    FOREIGN KEY (appraisal_id, unit_id) REFERENCES dangan.appraisals (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX appraisal_members_by_person ON dangan.appraisal_members (person_id);

-- An unsatisfactory member's correction period (第三十条) and how it ended (第三十一条).
CREATE TABLE dangan.corrections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appraisal_id bigint NOT NULL,
    unit_id      bigint NOT NULL,
    person_id    bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    from_on      date NOT NULL,
    months       integer NOT NULL CHECK (months BETWEEN 1 AND 24),
    outcome      text CHECK (outcome IN ('corrected', 'persuaded_to_leave', 'removed')),
    decided_on   date,
    note         text,
    UNIQUE (appraisal_id, person_id),
    FOREIGN KEY (appraisal_id, unit_id) REFERENCES dangan.appraisals (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- A part's branch is its appraisal's, whatever the client sent, and the user must be one who may
-- change that branch. Who takes part is read by the client as of the opening day; someone who
-- has since moved stays in the appraisal (and its correction), as in a workspace.
CREATE FUNCTION dangan.appraisal_part() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    SELECT a.unit_id INTO NEW.unit_id FROM dangan.appraisals a WHERE a.id = NEW.appraisal_id;
    PERFORM dangan.require_editable(NEW.unit_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER unit BEFORE INSERT ON dangan.appraisal_steps FOR EACH ROW EXECUTE FUNCTION dangan.appraisal_part();
CREATE TRIGGER unit BEFORE INSERT ON dangan.appraisal_members FOR EACH ROW EXECUTE FUNCTION dangan.appraisal_part();
CREATE TRIGGER unit BEFORE INSERT ON dangan.corrections FOR EACH ROW EXECUTE FUNCTION dangan.appraisal_part();

SELECT dangan.log_and_announce_unit_rows('dangan.appraisals', '', 'unit', '');
SELECT dangan.log_and_announce_unit_rows('dangan.appraisal_steps', '', 'unit', 'unit_id');
SELECT dangan.log_and_announce_unit_rows('dangan.appraisal_members', 'person_id', 'unit', 'unit_id');
SELECT dangan.log_and_announce_unit_rows('dangan.corrections', 'person_id', 'unit', 'unit_id');
