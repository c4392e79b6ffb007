-- The shared server's security, version 15: the register's helpers run by the users who need
-- them (the policies call them as the user), not by everyone.

REVOKE ALL ON FUNCTION dangan.my_register() FROM PUBLIC;
REVOKE ALL ON FUNCTION dangan.register_inspectors() FROM PUBLIC;
REVOKE ALL ON FUNCTION dangan.complaints_overview() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dangan.my_register(), dangan.register_inspectors(), dangan.complaints_overview() TO {app};
