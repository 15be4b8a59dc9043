-- The smart-village scorecard (issue 13 part 4) joins each letter to the
-- resident's request it answers: an index so that join is a lookup, not a
-- scan of the village's requests per letter.
CREATE INDEX letter_request_letter ON letter_request (village, letter_id);
