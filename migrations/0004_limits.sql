-- Abuse limits that hold across Kore workers and app nodes.  The counter
-- tables are UNLOGGED: counters are worth no WAL and no fsync, and losing
-- them in a crash or a failover only restarts the current windows.  The
-- mail sender deletes expired rows once a minute.

-- client_limits: one row per limit and client address ("sign/192.0.2.7"),
-- holding the counts of its two fixed windows (a burst and a sustained
-- rate, core/ratelimit.c), updated by one INSERT ... ON CONFLICT DO
-- UPDATE per request.  Each client has its own row, so there is no single
-- row every request waits on; a row whose windows have both passed starts
-- again from one.
CREATE UNLOGGED TABLE client_limits (
	key		text PRIMARY KEY,
	short_bucket	bigint NOT NULL,	-- window number since the epoch
	short_hits	integer NOT NULL,
	long_bucket	bigint NOT NULL,
	long_hits	integer NOT NULL,
	expires_at	timestamptz NOT NULL	-- end of the long window
);

-- rate_counters: the mail sender's counts per key and minute ("mail",
-- "mail/st/42"), so its caps hold across several senders.
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
