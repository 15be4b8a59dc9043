-- Backing-off lockouts and enrolled kiosks (PostgreSQL twin of
-- migrations/sqlite/0006).
ALTER TABLE login_throttle ADD COLUMN lockouts BIGINT NOT NULL DEFAULT 0;

-- A kiosk is found by its device token's hash alone (the cookie names no
-- village), so like resident_session this table is not partitioned.
CREATE TABLE kiosk_device (
    id         BYTEA PRIMARY KEY,
    village    BIGINT NOT NULL REFERENCES village (kode),
    name       TEXT COLLATE "C" NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    created_by TEXT COLLATE "C" NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX kiosk_device_village ON kiosk_device (village, created_at);
