-- The change log becomes a change feed (issue 10, part 3).
--
-- village_seq: each village's own sequence, strictly increasing in commit
-- order (writes of a village hold its write lock), read as "changes of
-- village V after N" through change_log_feed. Entries without a village
-- (regions, accounts) have none.
-- version: the feed schema version of the entry. 0 marks entries written
-- before this migration: they keep their audit fields but carry no row
-- images, so they cannot be replayed.
-- feed: the entry's typed payload (JSON, with the version and the after-image
-- of every row the entry wrote), sealed once, at the end of the entry's
-- transaction.
ALTER TABLE change_log ADD COLUMN village_seq INTEGER;
ALTER TABLE change_log ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE change_log ADD COLUMN feed TEXT;

DROP TRIGGER change_log_no_update;

-- Existing entries are numbered per village in their existing order.
UPDATE change_log SET village_seq = numbered.n
FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY village ORDER BY seq) AS n
      FROM change_log WHERE village IS NOT NULL) AS numbered
WHERE change_log.seq = numbered.seq;

DROP INDEX change_log_village;
CREATE UNIQUE INDEX change_log_feed ON change_log (village, village_seq);

-- Still append-only: the one update allowed is the seal — a versioned entry
-- without a payload gets its payload, nothing else changing.
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
WHEN NOT (OLD.version > 0 AND OLD.feed IS NULL AND NEW.feed IS NOT NULL
      AND NEW.seq = OLD.seq AND NEW.village IS OLD.village
      AND NEW.village_seq IS OLD.village_seq AND NEW.version = OLD.version
      AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.entity = OLD.entity
      AND NEW.entity_id = OLD.entity_id AND NEW.action = OLD.action
      AND NEW.before IS OLD.before AND NEW.after IS OLD.after)
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
