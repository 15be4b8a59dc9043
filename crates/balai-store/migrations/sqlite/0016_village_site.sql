-- A village's public website (issue 12): news posts and the agenda of
-- activities visitors sign up for. A sign-up names a person (name and
-- contact): seen only by the village's own staff, never on a public page;
-- the signer follows it by its reference, whose random part makes it
-- unguessable. `number` is the village's running number of sign-ups per
-- year. Flags are 0/1; instants are Unix milliseconds; `published_on` is
-- the day (days since 1970-01-01) a post was first published.
CREATE TABLE news_post (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    slug         TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    published    INTEGER NOT NULL,
    published_on INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, slug)
);
CREATE INDEX news_post_published ON news_post (village, published, published_on);

CREATE TABLE activity (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    place        TEXT NOT NULL,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    capacity     INTEGER NOT NULL,
    signup_open  INTEGER NOT NULL,
    published    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
);
CREATE INDEX activity_starts ON activity (village, published, starts_at);

CREATE TABLE activity_signup (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    activity_id  BLOB NOT NULL,
    year         INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    reference    TEXT NOT NULL,
    name         TEXT NOT NULL,
    contact      TEXT NOT NULL,
    status       INTEGER NOT NULL,
    signed_at    INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, activity_id) REFERENCES activity (village, id),
    UNIQUE (village, reference),
    UNIQUE (village, year, number)
);
CREATE INDEX activity_signup_activity ON activity_signup (village, activity_id, status, number);

-- Photos of news posts, as re-encoded by the services (JPEG, scaled down,
-- no metadata): served only while their post is published.
CREATE TABLE news_image (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    post_id      BLOB NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    jpeg         BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, post_id) REFERENCES news_post (village, id)
);
CREATE INDEX news_image_post ON news_image (village, post_id);
