-- Life events carry the particulars the civil-registry forms ask for
-- (PostgreSQL twin of migrations/sqlite/0013): one JSON document per
-- event, read whole with it; NULL for events recorded before.
ALTER TABLE life_event ADD COLUMN particulars TEXT COLLATE "C";
