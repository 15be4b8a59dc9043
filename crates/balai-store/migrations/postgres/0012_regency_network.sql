-- The regency network (PostgreSQL twin of migrations/sqlite/0012).

CREATE TABLE coaching_note (
    id          BYTEA NOT NULL,
    village     BIGINT NOT NULL REFERENCES village (kode),
    noted_on    BIGINT NOT NULL,
    author      TEXT COLLATE "C" NOT NULL,
    author_name TEXT COLLATE "C" NOT NULL,
    body        TEXT COLLATE "C" NOT NULL,
    follow_up   TEXT COLLATE "C" NOT NULL,
    answer      TEXT COLLATE "C",
    answered_by TEXT COLLATE "C",
    answered_at BIGINT,
    created_at  BIGINT NOT NULL,
    created_seq BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('coaching_note', 8);
CREATE INDEX coaching_note_village_date ON coaching_note (village, noted_on);

CREATE TABLE report_submission (
    id           BYTEA NOT NULL,
    village      BIGINT NOT NULL REFERENCES village (kode),
    month        BIGINT NOT NULL,
    submitted_by TEXT COLLATE "C" NOT NULL,
    submitted_at BIGINT NOT NULL,
    figures      TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, month)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('report_submission', 8);
CREATE INDEX report_submission_month ON report_submission (month, village);

-- The regency dashboard's sums of every village's key figures read this
-- index alone (see the SQLite twin).
DROP INDEX population_stat_dimension;
CREATE INDEX population_stat_dimension ON population_stat (scope, dimension, area, code, n);
