-- PAdES signatures on letters: each regency's own root certificate
-- authority and each village's document-signing key and certificate issued
-- by it, both created on first need. Like the village's Ed25519 key in
-- village_profile, the secrets stay in the database and no page shows them.

CREATE TABLE regency_ca (
    -- the regency's plain code, e.g. 3310
    regency     INTEGER PRIMARY KEY,
    -- ECDSA P-256 secret scalar (32 bytes): signs the villages' certificates
    signing_key BLOB NOT NULL,
    -- the self-signed root certificate, DER
    certificate BLOB NOT NULL
);

-- ECDSA P-256 secret (32 bytes) that signs this village's letters' PDFs, and
-- its certificate (DER) issued by the regency's root; NULL until first needed.
ALTER TABLE village_profile ADD COLUMN doc_signing_key BLOB;
ALTER TABLE village_profile ADD COLUMN doc_certificate BLOB;
