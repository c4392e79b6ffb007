-- The shared server's security, version 17: an application may be written with its decision (the
-- trigger names the decider, or keeps an uploaded one).

GRANT INSERT (approved_on, decided_by, declined_on, declined_reason) ON dangan.transfer_requests TO {app};
