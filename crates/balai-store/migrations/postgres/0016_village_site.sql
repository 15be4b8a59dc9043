-- A village's public website; the PostgreSQL twin of
-- migrations/sqlite/0016 (the comments there say what each column holds).
CREATE TABLE news_post (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    slug         TEXT COLLATE "C" NOT NULL,
    title        TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL,
    published    BIGINT NOT NULL,
    published_on BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, slug)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('news_post', 8);
CREATE INDEX news_post_published ON news_post (village, published, published_on);

CREATE TABLE activity (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    title        TEXT COLLATE "C" NOT NULL,
    description  TEXT COLLATE "C" NOT NULL,
    place        TEXT COLLATE "C" NOT NULL,
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    capacity     BIGINT NOT NULL,
    signup_open  BIGINT NOT NULL,
    published    BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('activity', 8);
CREATE INDEX activity_starts ON activity (village, published, starts_at);

CREATE TABLE activity_signup (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    activity_id  BYTEA NOT NULL,
    year         BIGINT NOT NULL,
    number       BIGINT NOT NULL,
    reference    TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    contact      TEXT COLLATE "C" NOT NULL,
    status       BIGINT NOT NULL,
    signed_at    BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, activity_id) REFERENCES activity (village, id),
    UNIQUE (village, reference),
    UNIQUE (village, year, number)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('activity_signup', 8);
CREATE INDEX activity_signup_activity ON activity_signup (village, activity_id, status, number);

CREATE TABLE news_image (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    post_id      BYTEA NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    jpeg         BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, post_id) REFERENCES news_post (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('news_image', 8);
CREATE INDEX news_image_post ON news_image (village, post_id);
