-- Population figures kept current on write (PostgreSQL twin of
-- migrations/sqlite/0008; the comments there say what each row means).
-- Not partitioned: a few thousand rows per village, read by area, and the
-- regency rows (scope 1) are not a village's.
CREATE TABLE population_stat (
    area      BIGINT NOT NULL,
    scope     BIGINT NOT NULL CHECK (scope IN (1, 2, 3)),
    dusun     TEXT COLLATE "C" NOT NULL,
    rw        TEXT COLLATE "C" NOT NULL,
    rt        TEXT COLLATE "C" NOT NULL,
    dimension BIGINT NOT NULL,
    code      BIGINT NOT NULL,
    sex       BIGINT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (area, scope, dusun, rw, rt, dimension, code, sex)
);
CREATE INDEX population_stat_dimension ON population_stat (scope, dimension, area);

CREATE TABLE population_stat_state (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL,
    built      BIGINT NOT NULL
);
INSERT INTO population_stat_state (id, generation, built) VALUES (1, 0, 0);
