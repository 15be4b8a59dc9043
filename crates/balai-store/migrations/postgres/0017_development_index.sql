-- The village development index; the PostgreSQL twin of
-- migrations/sqlite/0017 (the comments there say what each column holds).
CREATE TABLE idm_score (
    village          BIGINT NOT NULL REFERENCES region (kode),
    year             BIGINT NOT NULL,
    iks              BIGINT NOT NULL CHECK (iks BETWEEN 0 AND 10000),
    ike              BIGINT NOT NULL CHECK (ike BETWEEN 0 AND 10000),
    ikl              BIGINT NOT NULL CHECK (ikl BETWEEN 0 AND 10000),
    published_idm    BIGINT CHECK (published_idm BETWEEN 0 AND 10000),
    published_status BIGINT CHECK (published_status BETWEEN 1 AND 5),
    source           BIGINT NOT NULL CHECK (source IN (1, 2)),
    recorded_by      TEXT COLLATE "C" NOT NULL,
    recorded_at      BIGINT NOT NULL,
    recorded_seq     BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, year)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('idm_score', 8);
CREATE INDEX idm_score_year ON idm_score (year, village);
