-- PAdES signatures on letters (PostgreSQL twin of migrations/sqlite/0004).

CREATE TABLE regency_ca (
    regency     BIGINT PRIMARY KEY,
    signing_key BYTEA NOT NULL,
    certificate BYTEA NOT NULL
);

ALTER TABLE village_profile ADD COLUMN doc_signing_key BYTEA;
ALTER TABLE village_profile ADD COLUMN doc_certificate BYTEA;
