-- The village budget (APBDes); the PostgreSQL twin of
-- migrations/sqlite/0022 (the comments there say what each column holds).
CREATE TABLE budget_year (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    year         BIGINT NOT NULL,
    published    BIGINT NOT NULL,
    period       BIGINT,
    report_on    BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, year)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('budget_year', 8);

CREATE TABLE budget_line (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    year         BIGINT NOT NULL,
    account      TEXT COLLATE "C" NOT NULL,
    sub_bidang   TEXT COLLATE "C",
    name         TEXT COLLATE "C" NOT NULL,
    budget       BIGINT NOT NULL,
    realised     BIGINT NOT NULL,
    source       BIGINT NOT NULL,
    removed_at   BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('budget_line', 8);
CREATE INDEX budget_line_year ON budget_line (village, year, account);
