-- Residents' self-service and the kiosk (PostgreSQL twin of migrations/sqlite/0003).

CREATE TABLE resident_pin (
    resident_id BYTEA NOT NULL,
    village     BIGINT NOT NULL REFERENCES village (kode),
    pin_hash    TEXT COLLATE "C" NOT NULL,
    must_change BIGINT NOT NULL,
    issued_at   BIGINT NOT NULL,
    issued_by   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (village, resident_id),
    FOREIGN KEY (village, resident_id) REFERENCES resident (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('resident_pin', 8);

-- Sessions are found by their token hash alone (the cookie names no
-- village), so this table stays whole: a key on the hash, not partitioned.
CREATE TABLE resident_session (
    token_hash  BYTEA PRIMARY KEY,
    resident_id BYTEA NOT NULL,
    village     BIGINT NOT NULL REFERENCES village (kode),
    csrf_token  TEXT COLLATE "C" NOT NULL,
    channel     TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    FOREIGN KEY (village, resident_id) REFERENCES resident (village, id)
);
CREATE INDEX resident_session_expiry ON resident_session (expires_at);

CREATE TABLE letter_request (
    id           BYTEA NOT NULL,
    village      BIGINT NOT NULL REFERENCES village (kode),
    resident_id  BYTEA NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    form         TEXT COLLATE "C" NOT NULL,
    channel      TEXT COLLATE "C" NOT NULL,
    status       TEXT COLLATE "C" NOT NULL,
    reason       TEXT COLLATE "C",
    signer       TEXT COLLATE "C",
    letter_id    BYTEA,
    queue_day    BIGINT,
    queue_number BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, queue_day, queue_number),
    FOREIGN KEY (village, resident_id) REFERENCES resident (village, id),
    FOREIGN KEY (village, letter_id) REFERENCES letter (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('letter_request', 8);
CREATE INDEX letter_request_village_status ON letter_request (village, status, created_at);
CREATE INDEX letter_request_resident ON letter_request (resident_id, created_at);

-- `scope` is a village or a regency code: reference data, not partitioned.
CREATE TABLE info_page (
    id         BYTEA PRIMARY KEY,
    scope      BIGINT NOT NULL,
    topic      TEXT COLLATE "C" NOT NULL,
    title      TEXT COLLATE "C" NOT NULL,
    body       TEXT COLLATE "C" NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT COLLATE "C" NOT NULL
);
CREATE INDEX info_page_scope ON info_page (scope, topic);

ALTER TABLE village_profile ADD COLUMN allow_download BIGINT NOT NULL DEFAULT 0;
ALTER TABLE village_profile ADD COLUMN template TEXT COLLATE "C";
