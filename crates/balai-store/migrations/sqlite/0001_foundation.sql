-- Foundation schema. Conventions (kept identical in migrations/postgres):
--  * ids are UUIDv7 (BLOB here, UUID on PostgreSQL);
--  * region codes are INTEGER: the plain digits as a number (33, 3310, 331001,
--    3310012001); the digit count gives the level, so codes never collide;
--  * every row of village data carries `village`, the village code;
--  * NIKs and temporary numbers are INTEGER (16 digits fit; temporary numbers
--    start with 0 so they are the ones below 10^15): compact, fast to index,
--    and a prefix search is a range scan;
--  * dates are INTEGER days since 1970-01-01, instants INTEGER unix milliseconds;
--  * code-list values are their numeric codes;
--  * rows of village data carry `created_seq`, the change-log entry that created them.

CREATE TABLE region (
    kode        INTEGER PRIMARY KEY,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    parent      INTEGER REFERENCES region (kode),
    name        TEXT NOT NULL,
    postal_code TEXT,
    latitude    REAL,
    longitude   REAL,
    area_km2    REAL,
    population  INTEGER
);
CREATE INDEX region_parent ON region (parent);

-- Append-only record of every change to village data: the PDP audit trail,
-- the mutation report's source and, later, the sync feed. A bulk load is one
-- entry; the rows it created point at it through their created_seq.
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    village   INTEGER,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX change_log_entity ON change_log (entity_id);
CREATE INDEX change_log_village ON change_log (village, seq);
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;

CREATE TABLE village (
    kode       INTEGER PRIMARY KEY REFERENCES region (kode),
    created_at INTEGER NOT NULL
);

CREATE TABLE family (
    id          BLOB PRIMARY KEY,
    village     INTEGER NOT NULL REFERENCES village (kode),
    no_kk       INTEGER NOT NULL,
    address     TEXT NOT NULL,
    dusun       TEXT NOT NULL,
    rw          TEXT NOT NULL,
    rt          TEXT NOT NULL,
    created_seq INTEGER NOT NULL REFERENCES change_log (seq),
    UNIQUE (village, no_kk)
);
-- Covers the dusun/RW/RT menus and filters without reading the family rows.
CREATE INDEX family_wilayah ON family (village, dusun, rw, rt);

CREATE TABLE resident (
    id              BLOB PRIMARY KEY,
    village         INTEGER NOT NULL REFERENCES village (kode),
    family_id       BLOB REFERENCES family (id),
    number          INTEGER NOT NULL,
    name            TEXT NOT NULL,
    -- lowercase, accents folded: what name search matches against
    name_key        TEXT NOT NULL,
    sex             INTEGER NOT NULL,
    birth_place     TEXT NOT NULL,
    birth_date      INTEGER NOT NULL,
    religion        INTEGER NOT NULL,
    education       INTEGER NOT NULL,
    occupation      INTEGER NOT NULL,
    marital_status  INTEGER NOT NULL,
    relationship    INTEGER NOT NULL,
    citizenship     INTEGER NOT NULL,
    blood_type      INTEGER NOT NULL,
    disability      INTEGER,
    father_nik      INTEGER,
    father_name     TEXT NOT NULL,
    mother_nik      INTEGER,
    mother_name     TEXT NOT NULL,
    -- status at registration; NULL when the registration was itself a life event
    baseline_status INTEGER,
    -- derived from baseline_status and the life events, kept current in the same transaction
    status          INTEGER NOT NULL,
    -- documents, e-KTP, insurance…: JSON of balai_domain::ResidentDetails, NULL when empty
    details         TEXT,
    created_seq     INTEGER NOT NULL REFERENCES change_log (seq),
    UNIQUE (village, number)
);
CREATE INDEX resident_family ON resident (family_id);
-- Serves counts per status and the default list (living residents by name) in index order.
CREATE INDEX resident_village_status_name ON resident (village, status, name_key);

CREATE TABLE life_event (
    id          BLOB PRIMARY KEY,
    village     INTEGER NOT NULL REFERENCES village (kode),
    resident_id BLOB NOT NULL REFERENCES resident (id),
    kind        INTEGER NOT NULL,
    occurred_on INTEGER NOT NULL,
    created_seq INTEGER NOT NULL REFERENCES change_log (seq)
);
CREATE INDEX life_event_resident ON life_event (resident_id);
CREATE INDEX life_event_village_date ON life_event (village, occurred_on);

CREATE TABLE account (
    id            BLOB PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope         INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Server-side staff sessions; the cookie holds a random token, the table only its hash.
CREATE TABLE session (
    token_hash BLOB PRIMARY KEY,
    account_id BLOB NOT NULL REFERENCES account (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX session_expiry ON session (expires_at);

-- Failed logins per key (an account name, a NIK or a client address): lockout
-- lives here, not in a cookie, so clearing cookies does not reset it.
CREATE TABLE login_throttle (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL
);

-- The villages a facilitator (pendamping) oversees.
CREATE TABLE facilitator_village (
    account_id BLOB NOT NULL REFERENCES account (id),
    village    INTEGER NOT NULL REFERENCES village (kode),
    PRIMARY KEY (account_id, village)
);

-- Every view of a resident's personal data by staff (UU 27/2022 asks for the
-- processing trail). Append-only like the change log.
CREATE TABLE access_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    village     INTEGER NOT NULL,
    resident_id BLOB NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    purpose     TEXT NOT NULL
);
CREATE INDEX access_log_resident ON access_log (resident_id);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
