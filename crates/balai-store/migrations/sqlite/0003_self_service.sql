-- Residents' self-service and the kiosk: PINs, resident sessions, letter
-- requests with their status flow, kiosk information pages, and the village
-- settings the letter desk needs beyond 0002.

-- A resident's self-service PIN, issued by an operator and shown once. Only
-- the argon2id hash is kept; `must_change` forces a new PIN at first login.
CREATE TABLE resident_pin (
    resident_id BLOB PRIMARY KEY REFERENCES resident (id),
    village     INTEGER NOT NULL REFERENCES village (kode),
    pin_hash    TEXT NOT NULL,
    must_change INTEGER NOT NULL,
    issued_at   INTEGER NOT NULL,
    issued_by   TEXT NOT NULL
);

-- Resident sessions (home and kiosk), apart from staff sessions. Kiosk
-- sessions slide: each request pushes `expires_at` a little further, so an
-- abandoned kiosk logs itself out.
CREATE TABLE resident_session (
    token_hash  BLOB PRIMARY KEY,
    resident_id BLOB NOT NULL REFERENCES resident (id),
    village     INTEGER NOT NULL REFERENCES village (kode),
    csrf_token  TEXT NOT NULL,
    channel     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX resident_session_expiry ON resident_session (expires_at);

-- A resident's request for a letter and where it stands:
-- diajukan → diperiksa → menunggu_ttd → siap → diambil, or ditolak.
CREATE TABLE letter_request (
    id           BLOB PRIMARY KEY,
    village      INTEGER NOT NULL REFERENCES village (kode),
    resident_id  BLOB NOT NULL REFERENCES resident (id),
    kind         TEXT NOT NULL,
    -- the form as the resident filled it (JSON): extras, purpose
    form         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT,
    -- who will sign, set when the request goes for signature (JSON)
    signer       TEXT,
    letter_id    BLOB REFERENCES letter (id),
    -- kiosk queue ticket: number within the village's day
    queue_day    INTEGER,
    queue_number INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    UNIQUE (village, queue_day, queue_number)
);
CREATE INDEX letter_request_village_status ON letter_request (village, status, created_at);
CREATE INDEX letter_request_resident ON letter_request (resident_id, created_at);

-- Kiosk information pages (health, education, services…). `scope` is a
-- village code, or a regency code for pages every village of it shows.
CREATE TABLE info_page (
    id         BLOB PRIMARY KEY,
    scope      INTEGER NOT NULL,
    topic      TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX info_page_scope ON info_page (scope, topic);

-- Whether residents may download their signed PDF themselves, and the
-- village's own letter template (typst source) if it overrides the default.
ALTER TABLE village_profile ADD COLUMN allow_download INTEGER NOT NULL DEFAULT 0;
ALTER TABLE village_profile ADD COLUMN template TEXT;
