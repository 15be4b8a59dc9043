-- Birth-day counts (dimensions 101–112) change their code from days since
-- 1970-01-01 to year × 100 + day of the month, so a read can fold them into
-- ages in SQL on both backends (balai_domain::population_stats). The kept
-- figures are counted again from the rows on the next open (built = 0), in
-- one transaction, as when 0008 first created them; caches keyed by the
-- generation see a new one.
DELETE FROM population_stat;
UPDATE population_stat_state SET built = 0, generation = generation + 1 WHERE id = 1;
