-- Village officials (perangkat desa) and BPD members, one row per term of
-- office: a person who changes post, or serves a second term, gets a new
-- row, so past officials stay as they were. Who may sign a letter and in
-- which capacity is derived from `position` and `acting` by the domain
-- (`balai_domain::official`), never stored.
CREATE TABLE official (
    village     INTEGER NOT NULL REFERENCES village (kode),
    id          BLOB NOT NULL,
    position    INTEGER NOT NULL,   -- balai_domain::official::Position code
    name        TEXT NOT NULL,
    dusun       TEXT NOT NULL,      -- the dusun a Kepala Dusun heads, '' otherwise
    acting      INTEGER NOT NULL,   -- 1: Plt.
    number      TEXT NOT NULL,      -- NIP (18 digits) or NIPD, '' for none
    start_on    INTEGER NOT NULL,   -- day number
    end_on      INTEGER,            -- day number, NULL while the end is open
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    created_seq INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
);
CREATE INDEX official_village_position ON official (village, position, start_on);

-- A head's optional signing PIN (argon2id hash only), and the letters or
-- requests the head has opened the preview of: signing needs a preview
-- opened first. Credentials: kept out of the feed's rows, as PIN hashes are.
CREATE TABLE signing_pin (
    village    INTEGER NOT NULL REFERENCES village (kode),
    account_id BLOB NOT NULL,
    pin_hash   TEXT NOT NULL,
    set_at     INTEGER NOT NULL,
    PRIMARY KEY (village, account_id)
);
CREATE TABLE signing_review (
    village    INTEGER NOT NULL REFERENCES village (kode),
    request_id BLOB NOT NULL,
    account_id BLOB NOT NULL,
    viewed_at  INTEGER NOT NULL,
    PRIMARY KEY (village, request_id, account_id)
);
