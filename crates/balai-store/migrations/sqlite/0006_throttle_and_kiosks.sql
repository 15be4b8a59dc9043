-- Lockouts that back off: `lockouts` counts the lockouts of a key in a row,
-- each one twice as long as the last (reset by a success, or forgotten
-- after a quiet day).
ALTER TABLE login_throttle ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;

-- Kiosks an operator enrolled: the kiosk's browser holds a long-lived
-- device cookie whose hash is kept here. An enrolled kiosk is throttled as
-- its own device (many residents share its address), not by that address.
CREATE TABLE kiosk_device (
    id         BLOB PRIMARY KEY,
    village    INTEGER NOT NULL REFERENCES village (kode),
    name       TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX kiosk_device_village ON kiosk_device (village, created_at);
