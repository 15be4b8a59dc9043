-- The village's public profile (issue 12 part 1): one row per village,
-- written by its staff and shown on its website and in the open-data API.
-- `area_hundredths` is hundredths of a km² (NULL: not stated);
-- `lat_micro`/`lon_micro` the office's place in millionths of a degree
-- (both NULL: not stated); `phone`/`email` NULL when not stated; the long
-- texts are Markdown, rendered safely. Instants are Unix milliseconds.
CREATE TABLE village_profile_public (
    village          INTEGER NOT NULL PRIMARY KEY REFERENCES village (kode),
    office_address   TEXT NOT NULL,
    phone            TEXT,
    email            TEXT,
    area_hundredths  INTEGER,
    border_north     TEXT NOT NULL,
    border_east      TEXT NOT NULL,
    border_south     TEXT NOT NULL,
    border_west      TEXT NOT NULL,
    lat_micro        INTEGER,
    lon_micro        INTEGER,
    history          TEXT NOT NULL,
    vision           TEXT NOT NULL,
    mission          TEXT NOT NULL,
    institutions     TEXT NOT NULL,
    updated_at       INTEGER NOT NULL,
    updated_by       TEXT NOT NULL
);
