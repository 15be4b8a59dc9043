-- The regency's service directory (issue 13 part 5): public services —
-- health, education and others — with what they offer, where, the hours,
-- the requirements and a contact, managed by the regency administrator and
-- shown on every village website and kiosk of the regency. Reference data
-- of the regency, not village data: written under the regency's lock and
-- logged without a village sequence.
CREATE TABLE public_service (
    regency      INTEGER NOT NULL REFERENCES region (kode),
    id           BLOB NOT NULL,
    topic        TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    place        TEXT NOT NULL,
    hours        TEXT NOT NULL,
    requirements TEXT NOT NULL,
    contact      TEXT NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (regency, id)
);
