-- Public information (UU 14/2008, Perki 1/2018): the village's list of
-- public information (Daftar Informasi Publik) with attached PDF
-- documents, its working-day calendar (holidays), information requests
-- and objections (keberatan). Instants are Unix milliseconds; days are
-- days since 1970-01-01 (the village's calendar).
--
-- `public_info.category` is `InfoCategory::code`; an exempt entry keeps
-- its `ground` (`ExemptionGround::code`) and `reason`, other entries NULL
-- and ''. `body` is `PublicBody::code`. Rows are never deleted (the change
-- feed carries no deletions): a removed entry or holiday keeps its row
-- with `removed_at` set.
CREATE TABLE public_info (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    category     INTEGER NOT NULL,
    ground       INTEGER,
    reason       TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    body         INTEGER NOT NULL,
    year         INTEGER NOT NULL,
    removed_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
);
CREATE INDEX public_info_list ON public_info (village, category, year);

-- Documents of an entry, PDF checked by content; the newest one is the
-- entry's document (a new upload replaces it for readers).
CREATE TABLE public_info_document (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    info_id      BLOB NOT NULL,
    file_name    TEXT NOT NULL,
    size         INTEGER NOT NULL,
    pdf          BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, info_id) REFERENCES public_info (village, id)
);
CREATE INDEX public_info_document_info ON public_info_document (village, info_id, created_at);

-- The village's holidays (national holidays, collective leave), one row a
-- day; weekends are never working days and are not listed.
CREATE TABLE village_holiday (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    day          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    removed_at   INTEGER,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, day)
);

-- Information requests. `reference` carries a random part (unguessable);
-- `number` is the village's running number per year, for its register.
-- `name` and `contact` are personal data: staff views are logged.
-- `delivery` is `Delivery::code`, `status` `RequestStatus::code`,
-- `outcome` `Outcome::code` once answered, `ground` the exemption ground
-- of a refusal or partial grant. `deadline` is the day the answer is due
-- (moved once by an extension, whose reason is kept).
CREATE TABLE info_request (
    village          INTEGER NOT NULL REFERENCES village (kode),
    id               BLOB NOT NULL,
    year             INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    reference        TEXT NOT NULL,
    name             TEXT NOT NULL,
    contact          TEXT NOT NULL,
    wanted           TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    delivery         INTEGER NOT NULL,
    status           INTEGER NOT NULL,
    received_on      INTEGER NOT NULL,
    deadline         INTEGER NOT NULL,
    extension_reason TEXT NOT NULL,
    outcome          INTEGER,
    ground           INTEGER,
    answer           TEXT NOT NULL,
    answered_on      INTEGER,
    submitted_at     INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    updated_by       TEXT NOT NULL,
    created_seq      INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, reference),
    UNIQUE (village, year, number)
);

-- Objections (keberatan) to a request, at most one a request, with their
-- own running number per year for the register of objections. `ground`
-- is `ObjectionGround::code`; `answer_due` the superior's deadline.
CREATE TABLE info_objection (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    request_id   BLOB NOT NULL,
    year         INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    ground       INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    filed_on     INTEGER NOT NULL,
    answer_due   INTEGER NOT NULL,
    answer       TEXT NOT NULL,
    answered_on  INTEGER,
    submitted_at INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, request_id),
    UNIQUE (village, year, number),
    FOREIGN KEY (village, request_id) REFERENCES info_request (village, id)
);
