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

-- The unit of a session, trainee or attendance row is its class's; a trainee is someone the user
-- enrolling them may change; an attendee is a trainee of the session's class. The keys ignore the
-- policies: without this, raw SQL could tie anyone to one's class.
CREATE FUNCTION dangan.class_part() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'session_attendance' THEN
        SELECT s.unit_id INTO NEW.unit_id FROM dangan.class_sessions s WHERE s.id = NEW.session_id;
        IF NOT EXISTS (SELECT 1 FROM dangan.trainees t JOIN dangan.class_sessions s ON s.class_id = t.class_id
                       WHERE s.id = NEW.session_id AND t.person_id = NEW.person_id) THEN
            RAISE EXCEPTION 'person % is not a trainee of the class', NEW.person_id USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        SELECT c.unit_id INTO NEW.unit_id FROM dangan.training_classes c WHERE c.id = NEW.class_id;
    END IF;
    IF TG_TABLE_NAME = 'trainees' THEN
        IF NOT EXISTS (SELECT 1 FROM dangan.people p
                       WHERE p.id = NEW.person_id AND p.branch_id IN (SELECT dangan.editable_units())) THEN
            RAISE EXCEPTION 'person % is not one the user may enrol', NEW.person_id USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER unit BEFORE INSERT ON dangan.class_sessions FOR EACH ROW EXECUTE FUNCTION dangan.class_part();
CREATE TRIGGER unit BEFORE INSERT ON dangan.trainees FOR EACH ROW EXECUTE FUNCTION dangan.class_part();
CREATE TRIGGER unit BEFORE INSERT ON dangan.session_attendance FOR EACH ROW EXECUTE FUNCTION dangan.class_part();

SELECT dangan.log_and_announce_unit_rows('dangan.training_classes', '', 'unit', '');
SELECT dangan.log_and_announce_unit_rows('dangan.class_sessions', '', 'unit', 'unit_id');
SELECT dangan.log_and_announce_unit_rows('dangan.trainees', 'person_id', 'unit', 'unit_id');
SELECT dangan.log_and_announce_unit_rows('dangan.session_attendance', 'person_id', 'unit', 'unit_id');
