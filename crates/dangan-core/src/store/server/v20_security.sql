-- The shared server's security, version 20: a staged person's number is drawn from the people's
-- sequence as the user's row arrives (no user may write the number itself).

GRANT USAGE ON SEQUENCE dangan.people_id_seq TO {app};
