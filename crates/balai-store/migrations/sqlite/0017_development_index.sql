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

-- The Indeks Desa (2024 on) per village per year, as the ministry
-- published it: six dimension scores, the overall score (hundredths,
-- 0–10,000) and the status (1–5, the same names as IDM). Balai computes
-- nothing from these (the weights and bands are not confirmed), so there
-- is no source column: only imports write here.
CREATE TABLE indeks_desa_score (
    village       INTEGER NOT NULL REFERENCES region (kode),
    year          INTEGER NOT NULL,
    layanan_dasar INTEGER NOT NULL CHECK (layanan_dasar BETWEEN 0 AND 10000),
    sosial        INTEGER NOT NULL CHECK (sosial BETWEEN 0 AND 10000),
    ekonomi       INTEGER NOT NULL CHECK (ekonomi BETWEEN 0 AND 10000),
    lingkungan    INTEGER NOT NULL CHECK (lingkungan BETWEEN 0 AND 10000),
    aksesibilitas INTEGER NOT NULL CHECK (aksesibilitas BETWEEN 0 AND 10000),
    tata_kelola   INTEGER NOT NULL CHECK (tata_kelola BETWEEN 0 AND 10000),
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10000),
    status        INTEGER NOT NULL CHECK (status BETWEEN 1 AND 5),
    recorded_by   TEXT NOT NULL,
    recorded_at   INTEGER NOT NULL,
    recorded_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, year)
);
