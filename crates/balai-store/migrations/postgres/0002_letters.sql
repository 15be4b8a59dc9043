-- Letters (PostgreSQL twin of migrations/sqlite/0002).

CREATE TABLE village_profile (
    village        BIGINT NOT NULL REFERENCES village (kode),
    address        TEXT COLLATE "C" NOT NULL DEFAULT '',
    head_name      TEXT COLLATE "C" NOT NULL DEFAULT '',
    head_title     TEXT COLLATE "C" NOT NULL DEFAULT 'Kepala Desa',
    head_nip       TEXT COLLATE "C",
    logo_svg       TEXT COLLATE "C",
    number_format  TEXT COLLATE "C" NOT NULL DEFAULT '{kode}/{nomor:3}/{desa}/{bulan_romawi}/{tahun}',
    sequence_scope TEXT COLLATE "C" NOT NULL DEFAULT 'per-jenis',
    paper          TEXT COLLATE "C" NOT NULL DEFAULT 'A4',
    signing_key    BYTEA NOT NULL,
    public_key     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (village)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('village_profile', 8);

CREATE TABLE letter_counter (
    village BIGINT NOT NULL REFERENCES village (kode),
    counter TEXT COLLATE "C" NOT NULL,
    last    BIGINT NOT NULL,
    PRIMARY KEY (village, counter)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('letter_counter', 8);

CREATE TABLE letter (
    id            BYTEA NOT NULL,
    village       BIGINT NOT NULL REFERENCES village (kode),
    kind          TEXT COLLATE "C" NOT NULL,
    number        TEXT COLLATE "C" NOT NULL,
    counter       TEXT COLLATE "C" NOT NULL,
    seq           BIGINT NOT NULL,
    resident_id   BYTEA NOT NULL,
    issued_on     BIGINT NOT NULL,
    valid_until   BIGINT,
    -- random and unguessable: the public verification link, never a row id.
    -- Unique with the village (a partitioned key must hold it); the public
    -- page finds a letter by token alone through letter_token.
    token         TEXT COLLATE "C" NOT NULL,
    statement     TEXT COLLATE "C" NOT NULL,
    signature     TEXT COLLATE "C" NOT NULL,
    pdf           BYTEA NOT NULL,
    signer        TEXT COLLATE "C" NOT NULL,
    issued_by     TEXT COLLATE "C" NOT NULL,
    revoked_at    BIGINT,
    revoke_reason TEXT COLLATE "C",
    created_seq   BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, token),
    UNIQUE (village, number),
    UNIQUE (village, counter, seq),
    FOREIGN KEY (village, resident_id) REFERENCES resident (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('letter', 8);
CREATE INDEX letter_village_issued ON letter (village, issued_on);
CREATE INDEX letter_resident ON letter (resident_id);
CREATE INDEX letter_token ON letter (token);
