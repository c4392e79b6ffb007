-- The shared server's schema, version 9: what units owe as items of 工作提醒 (issue 20; the
-- workspace's `unit_dismissals` and `unit_reminders_sent`, store/schema.rs version 7). Which
-- meetings a unit owes, its committee's election and its secretary's lecture are worked out by
-- the client from the register of version 6 and 7, as a workspace works them out; only what a
-- worker did about them is kept. `dangan server upgrade` brings a version-8 database here.

-- An item a unit (`group_id` 0) or one of its party groups owes, acknowledged (`until` NULL) or
-- snoozed until a day, for everyone who sees the unit, as a member's are (`dangan.dismissals`).
CREATE TABLE dangan.unit_dismissals (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id  bigint NOT NULL REFERENCES dangan.org_units(id),
    group_id bigint NOT NULL DEFAULT 0,
    rule     text NOT NULL CHECK (length(rule) BETWEEN 1 AND 100),
    due      date NOT NULL,
    until    date,
    UNIQUE (unit_id, group_id, rule, due)
);
SELECT dangan.log_and_announce_unit_rows('dangan.unit_dismissals', '', 'unit', '');

-- The reminders of units' items each user was sent, as `dangan.reminders_sent` keeps members':
-- nothing is sent to a user twice. `db_role` is the sender's, set by the server.
CREATE TABLE dangan.unit_reminders_sent (
    db_role   name NOT NULL DEFAULT session_user,
    unit_id   bigint NOT NULL REFERENCES dangan.org_units(id) ON DELETE CASCADE,
    group_id  bigint NOT NULL DEFAULT 0,
    rule      text NOT NULL,
    due       date NOT NULL,
    threshold integer NOT NULL,
    sent_on   date NOT NULL,
    PRIMARY KEY (db_role, unit_id, group_id, rule, due, threshold)
);

-- A user removed (`dangan.remove_user`) takes what they were sent along, as their members'
-- reminders go.
CREATE FUNCTION dangan.forget_unit_reminders() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM dangan.unit_reminders_sent WHERE db_role = OLD.db_role;
    RETURN NULL;
END
$$;
CREATE TRIGGER forget_unit_reminders AFTER DELETE ON dangan.users
    FOR EACH ROW EXECUTE FUNCTION dangan.forget_unit_reminders();
