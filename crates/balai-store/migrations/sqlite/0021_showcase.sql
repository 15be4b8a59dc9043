-- The village website's showcase (issue 12): local products (produk
-- unggulan, UMKM, BUMDes) and tourism spots, each with photos. Flags are
-- 0/1; instants are Unix milliseconds.
--
-- A product's `category` is `ProductCategory::code`; `price` is whole
-- rupiah, NULL for "ask the seller"; `whatsapp` is the seller's number as
-- 62… (published on purpose: the village enters it for buyers to call).
-- A tourism spot's `lat_micro`/`lon_micro` are millionths of a degree;
-- `open_days` a Monday-first bit mask, `opens`/`closes` minutes after
-- midnight (all three NULL: hours not stated); tickets whole rupiah, 0 free.
--
-- Deleting an item keeps its row (the change feed carries no deletions):
-- `removed_at` is set, `slug` cleared (so the address can be used again)
-- and it is never shown again, to staff or the public.
CREATE TABLE product (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    slug         TEXT,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    category     INTEGER NOT NULL,
    price        INTEGER,
    seller       TEXT NOT NULL,
    whatsapp     TEXT,
    published    INTEGER NOT NULL,
    removed_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, slug)
);
CREATE INDEX product_published ON product (village, published, category);

CREATE TABLE tourism_spot (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    slug         TEXT,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    location     TEXT NOT NULL,
    lat_micro    INTEGER,
    lon_micro    INTEGER,
    open_days    INTEGER,
    opens        INTEGER,
    closes       INTEGER,
    ticket_adult INTEGER NOT NULL,
    ticket_child INTEGER NOT NULL,
    published    INTEGER NOT NULL,
    removed_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, slug)
);
CREATE INDEX tourism_spot_published ON tourism_spot (village, published);

-- Photos, as re-encoded by the services (JPEG, scaled down, no metadata):
-- served only while their item is published.
CREATE TABLE product_image (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    item_id      BLOB NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    jpeg         BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, item_id) REFERENCES product (village, id)
);
CREATE INDEX product_image_item ON product_image (village, item_id);

CREATE TABLE tourism_image (
    village      INTEGER NOT NULL REFERENCES village (kode),
    id           BLOB NOT NULL,
    item_id      BLOB NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    jpeg         BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, item_id) REFERENCES tourism_spot (village, id)
);
CREATE INDEX tourism_image_item ON tourism_image (village, item_id);
