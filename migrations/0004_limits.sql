-- Abuse limits that hold across Kore workers and app nodes.
--
-- rate_counters: one row per key and fixed time window ("sign/60" for a
-- client address, "mail" and "mail/st/42" for the mail sender), counted
-- with INSERT ... ON CONFLICT DO UPDATE.  Each client has its own rows,
-- so there is no single row every request waits on.  The table is
-- UNLOGGED: counters are worth no WAL and no fsync, and losing them in a
-- crash or a failover only restarts the current windows.  The mail
-- sender deletes expired rows once a minute.
CREATE UNLOGGED TABLE rate_counters (
	key		text NOT NULL,
	bucket		bigint NOT NULL,	-- window number since the epoch
	hits		integer NOT NULL,
	expires_at	timestamptz NOT NULL,
	PRIMARY KEY (key, bucket)
);

-- At most one verification mail per recipient in ten minutes, whatever
-- the statement, its language version or the data typed: the service
-- must not be a way to flood someone's mailbox.  last_mail_at is the
-- address's latest slot, possibly in the future (a mail waiting for
-- it).  Rows ten minutes past it mean nothing and are deleted by the
-- mail sender.
CREATE TABLE mail_recipients (
	address		text PRIMARY KEY CHECK (address = lower(address)),
	last_mail_at	timestamptz NOT NULL
);
