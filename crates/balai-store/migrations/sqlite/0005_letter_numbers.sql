-- Letter numbers taken before their letter exists. A letter is numbered in
-- one short transaction (the counter bump and a row here), typeset outside
-- any transaction (a village's template may take seconds), and stored in a
-- second one that marks the row issued. A number whose letter could not be
-- made is marked void with the reason, so numbers never repeat and never
-- vanish without a trace.
CREATE TABLE letter_number (
    -- the id the letter is stored under once issued
    id          BLOB PRIMARY KEY,
    village     INTEGER NOT NULL REFERENCES village (kode),
    counter     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    number      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    resident_id BLOB NOT NULL REFERENCES resident (id),
    -- 'reserved' (being made), 'issued' (the letter is stored), 'void'
    status      TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'void')),
    void_reason TEXT,
    reserved_at INTEGER NOT NULL,
    reserved_by TEXT NOT NULL,
    closed_at   INTEGER,
    created_seq INTEGER NOT NULL REFERENCES change_log (seq),
    UNIQUE (village, counter, seq)
);
CREATE INDEX letter_number_status ON letter_number (village, status);
