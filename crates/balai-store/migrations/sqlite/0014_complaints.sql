-- Complaints (pengaduan) a visitor files on a village's public site. The
-- filer follows one by its reference, which carries a random part so that
-- references cannot be guessed by counting; `number` is the village's own
-- running number per year, for its register.
CREATE TABLE complaint (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    year         INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    reference    TEXT NOT NULL,
    category     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    contact      TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       INTEGER NOT NULL,
    answer       TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, reference),
    UNIQUE (village, year, number)
);
CREATE INDEX complaint_village_status ON complaint (village, status, submitted_at);
