-- The regency's service directory; the PostgreSQL twin of
-- migrations/sqlite/0018 (the comments there say what it holds).
CREATE TABLE public_service (
    regency      BIGINT NOT NULL REFERENCES region (kode),
    id           BYTEA NOT NULL,
    topic        TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    description  TEXT COLLATE "C" NOT NULL,
    place        TEXT COLLATE "C" NOT NULL,
    hours        TEXT COLLATE "C" NOT NULL,
    requirements TEXT COLLATE "C" NOT NULL,
    contact      TEXT COLLATE "C" NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (regency, id)
);
