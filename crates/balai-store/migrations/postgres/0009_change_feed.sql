-- The change log becomes a change feed (issue 10, part 3); the twin of the
-- SQLite migration of the same name, which explains the columns.
--
-- Still not partitioned by village: every village table's created_seq is a
-- foreign key to change_log (seq), and a partitioned table's unique keys
-- must contain its partition key, so seq alone could not be referenced;
-- entries about regions and accounts have no village either.
ALTER TABLE change_log ADD COLUMN village_seq BIGINT;
ALTER TABLE change_log ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE change_log ADD COLUMN feed TEXT COLLATE "C";

DROP TRIGGER change_log_no_update ON change_log;

UPDATE change_log SET village_seq = numbered.n
FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY village ORDER BY seq) AS n
      FROM change_log WHERE village IS NOT NULL) AS numbered
WHERE change_log.seq = numbered.seq;

DROP INDEX change_log_village;
CREATE UNIQUE INDEX change_log_feed ON change_log (village, village_seq);

CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
    FOR EACH ROW
    WHEN (NOT (OLD.version > 0 AND OLD.feed IS NULL AND NEW.feed IS NOT NULL
          AND NEW.seq = OLD.seq AND NEW.village IS NOT DISTINCT FROM OLD.village
          AND NEW.village_seq IS NOT DISTINCT FROM OLD.village_seq AND NEW.version = OLD.version
          AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.entity = OLD.entity
          AND NEW.entity_id = OLD.entity_id AND NEW.action = OLD.action
          AND NEW.before IS NOT DISTINCT FROM OLD.before AND NEW.after IS NOT DISTINCT FROM OLD.after))
    EXECUTE FUNCTION balai_append_only();
