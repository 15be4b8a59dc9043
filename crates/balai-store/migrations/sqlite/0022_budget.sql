-- The village budget (APBDes, Permendagri 20/2018) on the village website
-- (issue 12). Flags are 0/1; instants are Unix milliseconds; days are day
-- numbers (as `news_post.published_on`); money is whole rupiah.
--
-- One `budget_year` row per village and fiscal year: whether the year is
-- published, and which realisation report its figures are (`period`:
-- 1 semester 1, 2 the full year; `report_on` the report's day); both NULL
-- until the year is first published.
--
-- `budget_line` holds the lines of a year: `account` is the code of a
-- postable account (`4.1.1`, `5.2`, `6.1.1`), `sub_bidang` the spending
-- sub-field (`02.03`, spending only); `source` 1 typed by staff, 2 imported
-- from Siskeudes. Deleting a line keeps its row (the change feed carries
-- no deletions): `removed_at` is set and no query returns it again; an
-- import removes the year's lines this way before writing its own.
CREATE TABLE budget_year (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    year         INTEGER NOT NULL,
    published    INTEGER NOT NULL,
    period       INTEGER,
    report_on    INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, year)
);

CREATE TABLE budget_line (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    year         INTEGER NOT NULL,
    account      TEXT NOT NULL,
    sub_bidang   TEXT,
    name         TEXT NOT NULL,
    budget       INTEGER NOT NULL,
    realised     INTEGER NOT NULL,
    source       INTEGER NOT NULL,
    removed_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
);
CREATE INDEX budget_line_year ON budget_line (village, year, account);
