-- Public information; the PostgreSQL twin of migrations/sqlite/0023
-- (the comments there say what each column holds).
CREATE TABLE public_info (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    category     BIGINT NOT NULL,
    ground       BIGINT,
    reason       TEXT COLLATE "C" NOT NULL,
    title        TEXT COLLATE "C" NOT NULL,
    summary      TEXT COLLATE "C" NOT NULL,
    body         BIGINT NOT NULL,
    year         BIGINT NOT NULL,
    removed_at   BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('public_info', 8);
CREATE INDEX public_info_list ON public_info (village, category, year);

CREATE TABLE public_info_document (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    info_id      BYTEA NOT NULL,
    file_name    TEXT COLLATE "C" NOT NULL,
    size         BIGINT NOT NULL,
    pdf          BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    FOREIGN KEY (village, info_id) REFERENCES public_info (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('public_info_document', 8);
CREATE INDEX public_info_document_info ON public_info_document (village, info_id, created_at);

CREATE TABLE village_holiday (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    day          BIGINT NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    removed_at   BIGINT,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, day)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('village_holiday', 8);

CREATE TABLE info_request (
    village          BIGINT NOT NULL REFERENCES village (kode),
    id               BYTEA NOT NULL,
    year             BIGINT NOT NULL,
    number           BIGINT NOT NULL,
    reference        TEXT COLLATE "C" NOT NULL,
    name             TEXT COLLATE "C" NOT NULL,
    contact          TEXT COLLATE "C" NOT NULL,
    wanted           TEXT COLLATE "C" NOT NULL,
    purpose          TEXT COLLATE "C" NOT NULL,
    delivery         BIGINT NOT NULL,
    status           BIGINT NOT NULL,
    received_on      BIGINT NOT NULL,
    deadline         BIGINT NOT NULL,
    extension_reason TEXT COLLATE "C" NOT NULL,
    outcome          BIGINT,
    ground           BIGINT,
    answer           TEXT COLLATE "C" NOT NULL,
    answered_on      BIGINT,
    submitted_at     BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    updated_by       TEXT COLLATE "C" NOT NULL,
    created_seq      BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, reference),
    UNIQUE (village, year, number)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('info_request', 8);

CREATE TABLE info_objection (
    village      BIGINT NOT NULL REFERENCES village (kode),
    id           BYTEA NOT NULL,
    request_id   BYTEA NOT NULL,
    year         BIGINT NOT NULL,
    number       BIGINT NOT NULL,
    ground       BIGINT NOT NULL,
    reason       TEXT COLLATE "C" NOT NULL,
    filed_on     BIGINT NOT NULL,
    answer_due   BIGINT NOT NULL,
    answer       TEXT COLLATE "C" NOT NULL,
    answered_on  BIGINT,
    submitted_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT COLLATE "C" NOT NULL,
    created_seq  BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (village, id),
    UNIQUE (village, request_id),
    UNIQUE (village, year, number),
    FOREIGN KEY (village, request_id) REFERENCES info_request (village, id)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('info_objection', 8);
