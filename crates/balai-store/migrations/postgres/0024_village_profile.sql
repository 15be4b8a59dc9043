-- The village's public profile; the PostgreSQL twin of
-- migrations/sqlite/0024 (the comments there say what each column holds).
CREATE TABLE village_profile_public (
    village          BIGINT NOT NULL REFERENCES village (kode),
    office_address   TEXT COLLATE "C" NOT NULL,
    phone            TEXT COLLATE "C",
    email            TEXT COLLATE "C",
    area_hundredths  BIGINT,
    border_north     TEXT COLLATE "C" NOT NULL,
    border_east      TEXT COLLATE "C" NOT NULL,
    border_south     TEXT COLLATE "C" NOT NULL,
    border_west      TEXT COLLATE "C" NOT NULL,
    lat_micro        BIGINT,
    lon_micro        BIGINT,
    history          TEXT COLLATE "C" NOT NULL,
    vision           TEXT COLLATE "C" NOT NULL,
    mission          TEXT COLLATE "C" NOT NULL,
    institutions     TEXT COLLATE "C" NOT NULL,
    updated_at       BIGINT NOT NULL,
    updated_by       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (village)
) PARTITION BY HASH (village);
SELECT balai_hash_partitions('village_profile_public', 8);
