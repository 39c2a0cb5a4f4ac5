-- Review findings (issue 9): preview links expire, and a transaction
-- whose COMMIT answer was lost is not applied twice.

-- An embargo preview link opens the statement until this time.  Links
-- made before this migration get the default lifetime from now.
ALTER TABLE statements ADD COLUMN preview_expires_at timestamptz;
UPDATE statements SET preview_expires_at = now() + interval '14 days'
	WHERE preview_token_hash IS NOT NULL;

-- One row per transaction run by us_db_tx, written inside it: after a
-- connection lost during COMMIT, the row says whether the COMMIT
-- happened, so the work is never done twice.  Rows are kept a day (the
-- mail sender deletes older ones); a retry comes within seconds.
CREATE TABLE tx_keys (
	key	bytea PRIMARY KEY CHECK (length(key) = 16),
	at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tx_keys_at ON tx_keys (at);
