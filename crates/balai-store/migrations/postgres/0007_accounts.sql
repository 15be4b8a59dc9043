-- Accounts of real installations (PostgreSQL twin of migrations/sqlite/0007).
ALTER TABLE account ADD COLUMN disabled_at BIGINT;
ALTER TABLE account ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN last_login_at BIGINT;
ALTER TABLE account ADD COLUMN previous_login_at BIGINT;
ALTER TABLE account ADD COLUMN totp_secret TEXT COLLATE "C";
-- The last TOTP time step accepted: a code is accepted once (RFC 6238 §5.2).
ALTER TABLE account ADD COLUMN totp_last_step BIGINT;

CREATE TABLE password_reset (
    account_id BYTEA PRIMARY KEY REFERENCES account (id),
    code_hash  TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX session_account ON session (account_id);
