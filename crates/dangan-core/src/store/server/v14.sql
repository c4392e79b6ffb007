-- The shared server's schema, version 14: graduates whose relationship is kept at the university
-- (条例第三十四条; issue 20; the workspace's `kept_graduates`, store/schema.rs): the day each
-- graduated, under the person's branch as their steps are. The keeping's item falls due when its
-- two years end, while the graduate is in the register (a letter ends it, as in a workspace).
-- `dangan server upgrade` brings a version-13 database here.

-- Numbered as every logged row is, so the log names the row a change made.
CREATE TABLE dangan.kept_graduates (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    bigint NOT NULL UNIQUE,
    branch_id    bigint NOT NULL,
    graduated_on date NOT NULL
);
SELECT dangan.kept_with_person('dangan.kept_graduates');
