-- The twin of SQLite's 0011, which stores the kept figures WITHOUT ROWID
-- (rows in key order). PostgreSQL keeps its heap table: its reads of one
-- area's figures already meet the budget (a regency's in 17 ms on a
-- Klaten-sized database), so nothing changes here.
SELECT 1;
