-- Real installations: accounts can be disabled, must change a password an
-- administrator reset, remember when they last logged in, and may carry a
-- TOTP second factor. Reset codes are one-time: only their hash is kept.
ALTER TABLE account ADD COLUMN disabled_at INTEGER;
ALTER TABLE account ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN last_login_at INTEGER;
ALTER TABLE account ADD COLUMN previous_login_at INTEGER;
ALTER TABLE account ADD COLUMN totp_secret TEXT;
-- The last TOTP time step accepted: a code is accepted once (RFC 6238 §5.2).
ALTER TABLE account ADD COLUMN totp_last_step INTEGER;

CREATE TABLE password_reset (
    account_id BLOB PRIMARY KEY REFERENCES account (id),
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX session_account ON session (account_id);
