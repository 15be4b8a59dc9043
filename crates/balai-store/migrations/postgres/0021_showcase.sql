-- The village website's showcase; the PostgreSQL twin of
-- migrations/sqlite/0021 (the comments there say what each column holds).
CREATE TABLE product (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    slug         TEXT COLLATE "C",
    name         TEXT COLLATE "C" NOT NULL,
    description  TEXT COLLATE "C" NOT NULL,
    category     BIGINT NOT NULL,
    price        BIGINT,
    seller       TEXT COLLATE "C" NOT NULL,
    whatsapp     TEXT COLLATE "C",
    published    BIGINT NOT NULL,
    removed_at   BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, slug)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('product', 8);
CREATE INDEX product_published ON product (village, published, category);

CREATE TABLE tourism_spot (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    slug         TEXT COLLATE "C",
    name         TEXT COLLATE "C" NOT NULL,
    description  TEXT COLLATE "C" NOT NULL,
    location     TEXT COLLATE "C" NOT NULL,
    lat_micro    BIGINT,
    lon_micro    BIGINT,
    open_days    BIGINT,
    opens        BIGINT,
    closes       BIGINT,
    ticket_adult BIGINT NOT NULL,
    ticket_child BIGINT NOT NULL,
    published    BIGINT NOT NULL,
    removed_at   BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, slug)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('tourism_spot', 8);
CREATE INDEX tourism_spot_published ON tourism_spot (village, published);

CREATE TABLE product_image (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    item_id      BYTEA NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    jpeg         BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, item_id) REFERENCES product (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('product_image', 8);
CREATE INDEX product_image_item ON product_image (village, item_id);

CREATE TABLE tourism_image (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    item_id      BYTEA NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    jpeg         BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, item_id) REFERENCES tourism_spot (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('tourism_image', 8);
CREATE INDEX tourism_image_item ON tourism_image (village, item_id);
