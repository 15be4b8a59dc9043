-- The village development index (issue 13 part 3): IDM (2016–2024) per
-- village per year, as the ministry published it (imported by the regency)
-- or entered with the facilitator. It is the ministry's figure about a
-- village, held by the regency, not the village's own data: written under
-- the regency's lock, logged in the change log without a village sequence.
-- The village is any village of the region list (a regency ranks all its
-- villages, not only those whose office runs on this server).
CREATE TABLE idm_score (
    village          INTEGER NOT NULL REFERENCES region (kode),
    year             INTEGER NOT NULL,
    -- The three indices in ten-thousandths (0–10,000).
    iks              INTEGER NOT NULL CHECK (iks BETWEEN 0 AND 10000),
    ike              INTEGER NOT NULL CHECK (ike BETWEEN 0 AND 10000),
    ikl              INTEGER NOT NULL CHECK (ikl BETWEEN 0 AND 10000),
    -- The IDM and status as published (NULL: not in the file, or entered:
    -- Balai computes them and the page says so).
    published_idm    INTEGER CHECK (published_idm BETWEEN 0 AND 10000),
    published_status INTEGER CHECK (published_status BETWEEN 1 AND 5),
    -- 1 imported from the ministry's table, 2 entered with the facilitator.
    source           INTEGER NOT NULL CHECK (source IN (1, 2)),
    recorded_by      TEXT NOT NULL,
    recorded_at      INTEGER NOT NULL,
    recorded_seq     INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, year)
);
-- The regency ranking reads one year of a regency's villages.
CREATE INDEX idm_score_year ON idm_score (year, village);
