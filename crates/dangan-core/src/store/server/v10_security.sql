-- The shared server's security, version 10: a member's dues read and changed as their steps are
-- (the person's branch on each row).

-- Only each row's own columns are written: the numbers and the branch are the server's.
GRANT SELECT, DELETE ON dangan.dues_bases, dangan.dues_months TO {app};
GRANT INSERT (person_id, category, base_fen, from_month) ON dangan.dues_bases TO {app};
GRANT UPDATE (category, base_fen) ON dangan.dues_bases TO {app};
GRANT INSERT (person_id, month, amount_fen, paid_on, paid_by, deferred) ON dangan.dues_months TO {app};
GRANT UPDATE (amount_fen, paid_on, paid_by, deferred) ON dangan.dues_months TO {app};

SELECT dangan.kept_as_steps('dangan.dues_bases');
SELECT dangan.kept_as_steps('dangan.dues_months');
