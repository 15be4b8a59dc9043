-- PostgreSQL twin of migrations/sqlite/0019: the smart-village scorecard
-- joins each letter to the resident's request it answers.
CREATE INDEX letter_request_letter ON letter_request (village, letter_id);
