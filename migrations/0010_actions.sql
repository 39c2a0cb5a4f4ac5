-- Urgent actions that people act on: the actions they report taking
-- (confirmed by an emailed link, like a signature) and the delivery of a
-- published letter or appeal to its addressees by email.

-- One report per reader, channel and addressee: sending the same report
-- again mails the link again (under the same limits as signing) instead
-- of counting twice.  The address is private, as a signer's is.
CREATE TABLE action_reports (
	id		bigserial PRIMARY KEY,
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	channel		text NOT NULL
			CHECK (channel IN ('letter', 'email', 'fax', 'phone', 'social')),
	addressee	integer CHECK (addressee >= 0),	-- position, or any
	country		text CHECK (country ~ '^[A-Z]{2}$'),
	email		text CHECK (length(email) BETWEEN 3 AND 254),
	lang		text NOT NULL,
	source		text NOT NULL CHECK (source IN ('web', 'api')),
	status		text NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'confirmed')),
	last_mail_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	confirmed_at	timestamptz
);
CREATE UNIQUE INDEX action_reports_once ON action_reports
	(statement_id, lower(email), channel, coalesce(addressee, -1))
	WHERE email IS NOT NULL;
CREATE INDEX action_reports_counted ON action_reports (statement_id, channel)
	WHERE status = 'confirmed';

-- A published statement's delivery: one row per addressee and published
-- version, so a second press of the button finds it already there.  The
-- attachment is rendered once, when the coordinator delivers, and kept
-- with the batch: every addressee gets the same file, and a retry after
-- an SMTP outage sends what was delivered, not a later rendering.
CREATE TABLE delivery_files (
	id		bigserial PRIMARY KEY,
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	version		integer NOT NULL,
	file_name	text NOT NULL,
	mime_type	text NOT NULL,
	data		bytea NOT NULL,
	coordinator_id	bigint REFERENCES coordinators ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (statement_id, version)
);

CREATE TABLE deliveries (
	id		bigserial PRIMARY KEY,
	file_id		bigint NOT NULL REFERENCES delivery_files ON DELETE CASCADE,
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	version		integer NOT NULL,
	addressee	integer NOT NULL,	-- position at delivery
	name		text NOT NULL,
	email		text NOT NULL,
	reply_to	text NOT NULL,		-- the coordinator who delivered
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (statement_id, version, addressee)
);

-- The mail of both: a report's confirmation link, a delivery's letter.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
	CHECK (kind IN ('verify', 'already_signed', 'login', 'published',
	    'action', 'delivery'));
ALTER TABLE outbox
	ADD COLUMN action_id	bigint REFERENCES action_reports ON DELETE CASCADE,
	ADD COLUMN delivery_id	bigint REFERENCES deliveries ON DELETE CASCADE;
ALTER TABLE outbox DROP CONSTRAINT outbox_target;
ALTER TABLE outbox ADD CONSTRAINT outbox_target
	CHECK (signature_id IS NOT NULL OR coordinator_id IS NOT NULL OR
	    action_id IS NOT NULL OR delivery_id IS NOT NULL);
CREATE UNIQUE INDEX outbox_delivery_once ON outbox (delivery_id)
	WHERE delivery_id IS NOT NULL;

ALTER TABLE email_tokens ALTER COLUMN signature_id DROP NOT NULL;
ALTER TABLE email_tokens
	ADD COLUMN action_id	bigint REFERENCES action_reports ON DELETE CASCADE;
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
	CHECK (purpose IN ('verify', 'withdraw', 'action'));
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_owner
	CHECK ((signature_id IS NULL) <> (action_id IS NULL));
CREATE INDEX email_tokens_action ON email_tokens (action_id)
	WHERE action_id IS NOT NULL;
