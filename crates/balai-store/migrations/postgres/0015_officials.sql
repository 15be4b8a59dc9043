-- Village officials, a head's signing PIN and opened previews; the
-- PostgreSQL twin of migrations/sqlite/0015 (the comments there say what
-- each column holds).
CREATE TABLE official (
    village     BIGINT NOT NULL REFERENCES village (kode),
    id          BYTEA NOT NULL,
    position    BIGINT NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    dusun       TEXT COLLATE "C" NOT NULL,
    acting      BIGINT NOT NULL,
    number      TEXT COLLATE "C" NOT NULL,
    start_on    BIGINT NOT NULL,
    end_on      BIGINT,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT COLLATE "C" NOT NULL,
    created_seq BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('official', 8);
CREATE INDEX official_village_position ON official (village, position, start_on);

CREATE TABLE signing_pin (
    village    BIGINT NOT NULL REFERENCES village (kode),
    account_id BYTEA NOT NULL,
    pin_hash   TEXT COLLATE "C" NOT NULL,
    set_at     BIGINT NOT NULL,
    PRIMARY KEY (village, account_id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('signing_pin', 8);
CREATE TABLE signing_review (
    village    BIGINT NOT NULL REFERENCES village (kode),
    request_id BYTEA NOT NULL,
    account_id BYTEA NOT NULL,
    viewed_at  BIGINT NOT NULL,
    PRIMARY KEY (village, request_id, account_id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('signing_review', 8);
