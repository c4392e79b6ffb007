-- The shared server's security, version 14: a graduate's keeping read and changed as their steps
-- are (the person's branch on the row, the server's to set).

GRANT SELECT, DELETE ON dangan.kept_graduates TO {app};
GRANT INSERT (person_id, graduated_on) ON dangan.kept_graduates TO {app};
GRANT UPDATE (graduated_on) ON dangan.kept_graduates TO {app};

SELECT dangan.kept_as_steps('dangan.kept_graduates');
