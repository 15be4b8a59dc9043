-- Complaints (pengaduan); the PostgreSQL twin of migrations/sqlite/0014
-- (the comments there say what each column holds).
CREATE TABLE complaint (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    year         BIGINT NOT NULL,
    number       BIGINT NOT NULL,
    reference    TEXT COLLATE "C" NOT NULL,
    category     BIGINT NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    contact      TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL,
    status       BIGINT NOT NULL,
    answer       TEXT COLLATE "C" NOT NULL,
    submitted_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, reference),
    UNIQUE (village, year, number)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('complaint', 8);
CREATE INDEX complaint_village_status ON complaint (village, status, submitted_at);
