-- The shared server's schema, version 8: training classes (党校培训班; issue 20, the workspace's
-- `training_classes`, `class_sessions`, `trainees` and `session_attendance`, store/schema.rs
-- version 7). With them a server's study hours count class hours. `dangan server upgrade`
-- brings a version-7 database here. Each row carries the class's unit, set by the server, so the
-- policies decide by the row alone.

-- A class run by a unit (a branch, or the committee's party school), from its first day to its
-- last. The kinds are `ClassKind`'s (a test holds the list equal to it).
CREATE TABLE dangan.training_classes (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id bigint NOT NULL REFERENCES dangan.org_units(id),
    kind    text NOT NULL CHECK (kind IN ('activist_class', 'candidate_class', 'member_class')),
    name    text NOT NULL CHECK (length(btrim(name)) > 0),
    starts  date NOT NULL,
    ends    date NOT NULL CHECK (ends >= starts),
    UNIQUE (id, unit_id)
);
CREATE INDEX training_classes_by_unit ON dangan.training_classes (unit_id, starts);

-- A session of a class: its day and time, in minutes.
CREATE TABLE dangan.class_sessions (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id bigint NOT NULL,
    unit_id  bigint NOT NULL,
    date     date NOT NULL,
    minutes  integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    topic    text,
    UNIQUE (id, unit_id),
    FOREIGN KEY (class_id, unit_id) REFERENCES dangan.training_classes (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX class_sessions_by_class ON dangan.class_sessions (class_id);
CREATE INDEX class_sessions_by_date ON dangan.class_sessions (date);

-- A class's trainee with their exam score and result. Someone enrolled is one the enrolling user
-- may change (`dangan.class_part`), as a workspace asks.
CREATE TABLE dangan.trainees (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id  bigint NOT NULL,
    unit_id   bigint NOT NULL,
    person_id bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    score     integer CHECK (score BETWEEN 0 AND 100),
    passed    boolean,
    UNIQUE (class_id, person_id),
    FOREIGN KEY (class_id, unit_id) REFERENCES dangan.training_classes (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX trainees_by_person ON dangan.trainees (person_id);

-- Who attended which session: a trainee of its class (`dangan.class_part`).
CREATE TABLE dangan.session_attendance (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL,
    unit_id    bigint NOT NULL,
    person_id  bigint NOT NULL REFERENCES dangan.people(id) ON DELETE CASCADE,
    UNIQUE (session_id, person_id),
    FOREIGN KEY (session_id, unit_id) REFERENCES dangan.class_sessions (id, unit_id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX session_attendance_by_person ON dangan.session_attendance (person_id);

-- The unit of a session, trainee or attendance row is its class's; a trainee is one of the
-- class's unit's people whom the user enrolling them may change (a workspace's upload keeps those
-- who have since moved, `dangan.uploaded_here`); an attendee is a trainee of the session's class.
-- The keys ignore the policies: without this, raw SQL could tie anyone to one's class.
CREATE FUNCTION dangan.class_part() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'session_attendance' THEN
        SELECT s.unit_id INTO NEW.unit_id FROM dangan.class_sessions s WHERE s.id = NEW.session_id;
        PERFORM dangan.require_editable(NEW.unit_id);
        IF NOT EXISTS (SELECT 1 FROM dangan.trainees t JOIN dangan.class_sessions s ON s.class_id = t.class_id
                       WHERE s.id = NEW.session_id AND t.person_id = NEW.person_id) THEN
            RAISE EXCEPTION 'person % is not a trainee of the class', NEW.person_id USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        SELECT c.unit_id INTO NEW.unit_id FROM dangan.training_classes c WHERE c.id = NEW.class_id;
        PERFORM dangan.require_editable(NEW.unit_id);
    END IF;
    IF TG_TABLE_NAME = 'trainees' THEN
        IF NOT EXISTS (SELECT 1 FROM dangan.people p
                       WHERE p.id = NEW.person_id AND p.branch_id IN (SELECT dangan.editable_units())
                         AND p.branch_id IN (SELECT dangan.unit_and_below(ARRAY[NEW.unit_id])))
           AND NOT dangan.uploaded_here(NEW.person_id, NEW.unit_id) THEN
            RAISE EXCEPTION 'person % is not one the user may enrol in the class', NEW.person_id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER unit BEFORE INSERT ON dangan.class_sessions FOR EACH ROW EXECUTE FUNCTION dangan.class_part();
CREATE TRIGGER unit BEFORE INSERT ON dangan.trainees FOR EACH ROW EXECUTE FUNCTION dangan.class_part();
CREATE TRIGGER unit BEFORE INSERT ON dangan.session_attendance FOR EACH ROW EXECUTE FUNCTION dangan.class_part();

-- A class moved to another unit takes its trainees along only when they are of that unit too.
CREATE FUNCTION dangan.class_moves() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM dangan.trainees t JOIN dangan.people p ON p.id = t.person_id
               WHERE t.class_id = NEW.id AND p.branch_id NOT IN (SELECT dangan.unit_and_below(ARRAY[NEW.unit_id]))) THEN
        RAISE EXCEPTION 'the class''s trainees are not all of unit %', NEW.unit_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER moves BEFORE UPDATE OF unit_id ON dangan.training_classes
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id) EXECUTE FUNCTION dangan.class_moves();

-- A person is deleted only by someone who may change every unit's record of them: their
-- attendance, committee posts and training stay with the units they were in (someone who moved
-- branch), and the keys' cascade ignores the policies.
CREATE FUNCTION dangan.history_stays() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM dangan.attendance a WHERE a.person_id = OLD.id AND a.unit_id NOT IN (SELECT dangan.editable_units()))
       OR EXISTS (SELECT 1 FROM dangan.committee_posts c
                  WHERE c.person_id = OLD.id AND c.unit_id NOT IN (SELECT dangan.editable_units()))
       OR EXISTS (SELECT 1 FROM dangan.trainees t WHERE t.person_id = OLD.id AND t.unit_id NOT IN (SELECT dangan.editable_units()))
    THEN
        RAISE EXCEPTION 'person % is in the records of units the user may not change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER history_stays BEFORE DELETE ON dangan.people
    FOR EACH ROW EXECUTE FUNCTION dangan.history_stays();

SELECT dangan.log_and_announce_unit_rows('dangan.training_classes', '', 'unit', '');
SELECT dangan.log_and_announce_unit_rows('dangan.class_sessions', '', 'unit', 'unit_id');
SELECT dangan.log_and_announce_unit_rows('dangan.trainees', 'person_id', 'unit', 'unit_id');
SELECT dangan.log_and_announce_unit_rows('dangan.session_attendance', 'person_id', 'unit', 'unit_id');
