-- Population figures kept current on write (issue 10), so no page counts
-- residents on a read. One row per (area, part, dimension, code, sex): how
-- many living residents (or families) have that value; the meaning of
-- dimension and code is balai_domain::population_stats. Every write that
-- changes residents or families updates these rows in its own transaction.
--  * scope 3: one RT of a village (area = village code; dusun/rw/rt of the
--    family card; '' for residents without a family card);
--  * scope 2: the village as a whole (area = village code; dusun/rw/rt '');
--  * scope 1: the regency as a whole (area = regency code; dusun/rw/rt '').
-- Wholes are kept rather than summed at read time so that a village or a
-- regency reads a few thousand rows, whatever its population.
-- Ages change with the day, not with writes: they are kept as counts by
-- birth month (dimension 50) and birth date (100 + calendar month).
CREATE TABLE population_stat (
    area      INTEGER NOT NULL,
    scope     INTEGER NOT NULL CHECK (scope IN (1, 2, 3)),
    dusun     TEXT NOT NULL,
    rw        TEXT NOT NULL,
    rt        TEXT NOT NULL,
    dimension INTEGER NOT NULL,
    code      INTEGER NOT NULL,
    sex       INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (area, scope, dusun, rw, rt, dimension, code, sex)
);
-- The home page's population and families of every village.
CREATE INDEX population_stat_dimension ON population_stat (scope, dimension, area);

-- generation: bumped by every write that changes the figures (caches of
-- rendered aggregates are keyed by it). built: 0 until the figures of rows
-- that existed before this migration have been counted (done in Rust on
-- open, because ages need date arithmetic the two SQL dialects spell apart).
CREATE TABLE population_stat_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    built      INTEGER NOT NULL
);
INSERT INTO population_stat_state (id, generation, built) VALUES (1, 0, 0);
