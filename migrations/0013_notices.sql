-- Notices: a daily digest to coordinators while signatures wait for their
-- approval, and one reminder to signers who have not confirmed after
-- 48 hours.  Both are queued by the mail sender (src/mail/notices.c) and
-- delivered through the outbox like every other mail.

-- The coordinator's workspace language (the digest is written in it),
-- the opt-out, and when the last digest was queued: at most one a day,
-- decided by one UPDATE, so several mail senders never queue two.
ALTER TABLE coordinators
	ADD COLUMN lang		text,
	ADD COLUMN digest_off	boolean NOT NULL DEFAULT false,
	ADD COLUMN digest_at	timestamptz;

-- Set in the same statement that queues the reminder: a signature is
-- reminded once, never more, whatever restarts or how many senders.  No
-- index for the once-a-minute search: an index would be maintained by
-- every sign request, the hot path, while the search reads open
-- statements' signatures once a minute.
ALTER TABLE signatures ADD COLUMN reminded_at timestamptz;

-- The one-click unsubscribe link of a digest: random, hashed, long-lived
-- (a digest may be read months later), usable any number of times.
CREATE TABLE notice_tokens (
	id		bigserial PRIMARY KEY,
	coordinator_id	bigint NOT NULL REFERENCES coordinators ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX notice_tokens_coordinator ON notice_tokens (coordinator_id);

-- The two new kinds of mail.  The kinds other migrations allowed are
-- read from the constraint itself and kept, so this migration does not
-- depend on which of them ran before it.
DO $$
DECLARE
	kinds text;
BEGIN
	SELECT string_agg(quote_literal(k), ', ' ORDER BY k) INTO kinds
	    FROM (SELECT m[1] AS k FROM pg_constraint c,
	    regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') m
	    WHERE c.conname = 'outbox_kind_check'
	    AND c.conrelid = 'outbox'::regclass
	    UNION SELECT unnest(ARRAY['digest', 'reminder'])) k;
	ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
	EXECUTE 'ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check'
	    ' CHECK (kind IN (' || kinds || '))';
END
$$;
