-- Letter numbers taken before their letter exists (PostgreSQL twin of
-- migrations/sqlite/0005).
CREATE TABLE letter_number (
    id          BYTEA NOT NULL,
    village     BIGINT NOT NULL REFERENCES village (kode),
    counter     TEXT COLLATE "C" NOT NULL,
    seq         BIGINT NOT NULL,
    number      TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    resident_id BYTEA NOT NULL,
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('reserved', 'issued', 'void')),
    void_reason TEXT COLLATE "C",
    reserved_at BIGINT NOT NULL,
    reserved_by TEXT COLLATE "C" NOT NULL,
    closed_at   BIGINT,
    created_seq BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, counter, seq),
    FOREIGN KEY (village, resident_id) REFERENCES resident (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('letter_number', 8);
CREATE INDEX letter_number_status ON letter_number (village, status);
