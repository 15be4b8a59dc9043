-- Life events carry the particulars the civil-registry forms ask for
-- (F-2.01 births and deaths, F-1.03 moves): one JSON document per event,
-- `balai_domain::particulars::Particulars`, read whole with its event and
-- never filtered on in SQL. Events recorded before this have none (NULL).
ALTER TABLE life_event ADD COLUMN particulars TEXT;
