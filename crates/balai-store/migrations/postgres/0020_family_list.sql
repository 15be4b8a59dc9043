-- The family list (issue 9): each card's current head and member count,
-- and the search by the head's name, look a card's members up by
-- (village, family_id). Without this index SQLite answered those lookups
-- through resident_village_status_name, reading every living resident of
-- the village once per card (3.7-6 s for a search in 10,000 residents).
CREATE INDEX resident_village_family ON resident (village, family_id, relationship);
