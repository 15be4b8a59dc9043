-- Letters: the village's letter settings and signing key, gap-free yearly
-- counters, and the archive of issued letters.

CREATE TABLE village_profile (
    village        INTEGER PRIMARY KEY REFERENCES village (kode),
    address        TEXT NOT NULL DEFAULT '',
    head_name      TEXT NOT NULL DEFAULT '',
    head_title     TEXT NOT NULL DEFAULT 'Kepala Desa',
    head_nip       TEXT,
    logo_svg       TEXT,
    number_format  TEXT NOT NULL DEFAULT '{kode}/{nomor:3}/{desa}/{bulan_romawi}/{tahun}',
    sequence_scope TEXT NOT NULL DEFAULT 'per-jenis',
    paper          TEXT NOT NULL DEFAULT 'A4',
    -- Ed25519: the secret signs this village's letters, the public key checks them.
    signing_key    BLOB NOT NULL,
    public_key     TEXT NOT NULL
);

-- The last number used per counter (e.g. 'domisili/2026'); bumped in the same
-- transaction that stores the letter, so a failed issue consumes no number.
CREATE TABLE letter_counter (
    village INTEGER NOT NULL REFERENCES village (kode),
    counter TEXT NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (village, counter)
);

CREATE TABLE letter (
    id            BLOB PRIMARY KEY,
    village       INTEGER NOT NULL REFERENCES village (kode),
    kind          TEXT NOT NULL,
    number        TEXT NOT NULL,
    counter       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    resident_id   BLOB NOT NULL REFERENCES resident (id),
    issued_on     INTEGER NOT NULL,
    valid_until   INTEGER,
    -- random and unguessable: the public verification link, never a row id
    token         TEXT NOT NULL UNIQUE,
    statement     TEXT NOT NULL,
    signature     TEXT NOT NULL,
    -- the exact PDF issued, so a reprint is byte-for-byte the same letter
    pdf           BLOB NOT NULL,
    signer        TEXT NOT NULL,
    issued_by     TEXT NOT NULL,
    revoked_at    INTEGER,
    revoke_reason TEXT,
    created_seq   INTEGER NOT NULL REFERENCES change_log (seq),
    UNIQUE (village, number),
    UNIQUE (village, counter, seq)
);
CREATE INDEX letter_village_issued ON letter (village, issued_on);
CREATE INDEX letter_resident ON letter (resident_id);
