-- The shared server's schema, version 21: an open app is told when the accounts or the holiday
-- calendar change (issue 20, §3: another client's change reaches an open app without a restart).
-- `dangan server upgrade` brings a version-20 database here.
--
-- A session reads who its user is (role, committee, branches) and the holiday calendar when it
-- signs in; a change to either by another client (an administrator's, a department's organiser
-- entering next year's holidays) is now announced on `dangan_changes` like a change to the
-- records, naming only the table: every open session reads its own account or the calendar
-- again. The payload names no row (a user's row is no one else's business): a listener learns
-- only that an account or the calendar changed, and when. Once per statement, without transition
-- tables (the tables are small, and nothing but the fact of a change is announced); for users,
-- only a statement that sets who they are or where they work (not a passphrase's date, which
-- every passphrase change sets).
CREATE FUNCTION dangan.announce_table() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify('dangan_changes', json_build_object('table', TG_TABLE_NAME, 'id', NULL, 'person', NULL)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER announce AFTER INSERT OR UPDATE OF name, role, unit_id, db_role OR DELETE ON dangan.users
    FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_table();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON dangan.user_branches
    FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_table();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON dangan.holidays
    FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_table();
CREATE TRIGGER announce AFTER INSERT OR UPDATE OR DELETE ON dangan.holiday_years
    FOR EACH STATEMENT EXECUTE FUNCTION dangan.announce_table();
