-- A six-digit code is verified with the address it was mailed to (auth.one_time_tokens.relates_to): look the
-- tokens up by that address (as GoTrue indexes it), whichever user the address belongs to or is pending for.
CREATE INDEX IF NOT EXISTS one_time_tokens_relates_to_hash_idx ON auth.one_time_tokens USING hash (relates_to);
