-- The foundation: coordinators and their API tokens, statements with their
-- addressees, signatures, the email tokens that confirm them, and the
-- outbox from which the mail sender delivers.  Secrets (tokens) are kept
-- only as SHA-256 digests.

CREATE TABLE coordinators (
	id		bigserial PRIMARY KEY,
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX coordinators_email ON coordinators (lower(email));

CREATE TABLE api_tokens (
	id		bigserial PRIMARY KEY,
	coordinator_id	bigint NOT NULL REFERENCES coordinators ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	label		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used_at	timestamptz,
	revoked_at	timestamptz
);

CREATE TABLE statements (
	id		bigserial PRIMARY KEY,
	slug		text NOT NULL UNIQUE
			CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
	kind		text NOT NULL
			CHECK (kind IN ('joint_statement', 'open_letter', 'urgent_action')),
	status		text NOT NULL DEFAULT 'draft'
			CHECK (status IN ('draft', 'open', 'closed', 'published')),
	lang		text NOT NULL,
	title		text NOT NULL,
	body_markdown	text NOT NULL,
	body_html	text NOT NULL,
	place		text,
	date		date,
	reference	text,
	expires_on	date,
	signing_deadline timestamptz,
	require_approval boolean NOT NULL DEFAULT false,
	text_digest	text NOT NULL CHECK (text_digest ~ '^[0-9a-f]{64}$'),
	created_by	bigint REFERENCES coordinators ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Several coordinators may run one statement.
CREATE TABLE statement_coordinators (
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	coordinator_id	bigint NOT NULL REFERENCES coordinators ON DELETE CASCADE,
	PRIMARY KEY (statement_id, coordinator_id)
);

CREATE TABLE addressees (
	id		bigserial PRIMARY KEY,
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	position	integer NOT NULL,
	name		text NOT NULL,
	title		text,
	address		text,
	email		text,
	phone		text,
	fax		text,
	social		text,
	UNIQUE (statement_id, position)
);

CREATE TABLE signatures (
	id		bigserial PRIMARY KEY,
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	organisation	text NOT NULL,
	acronym		text,
	country		text CHECK (country ~ '^[A-Z]{2}$'),
	website		text,
	contact_name	text NOT NULL,
	contact_role	text,
	email		text NOT NULL,
	comment		text,
	visibility	text NOT NULL DEFAULT 'named'
			CHECK (visibility IN ('named', 'counted')),
	status		text NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'confirmed', 'withdrawn', 'rejected')),
	-- The exact text version and language the signer was shown.
	text_digest	text NOT NULL CHECK (text_digest ~ '^[0-9a-f]{64}$'),
	lang		text NOT NULL,
	source		text NOT NULL DEFAULT 'web'
			CHECK (source IN ('web', 'api', 'import', 'demo')),
	display_order	integer,
	approved_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	confirmed_at	timestamptz,
	last_mail_at	timestamptz,
	CHECK (visibility = 'counted' OR country IS NOT NULL)
);
-- One signature per email and statement: signing again updates, never adds.
CREATE UNIQUE INDEX signatures_statement_email
	ON signatures (statement_id, lower(email));
-- The public list and the counts read only confirmed rows, in order.
CREATE INDEX signatures_public
	ON signatures (statement_id, display_order, confirmed_at, id)
	WHERE status = 'confirmed';

CREATE TABLE email_tokens (
	id		bigserial PRIMARY KEY,
	signature_id	bigint NOT NULL REFERENCES signatures ON DELETE CASCADE,
	purpose		text NOT NULL DEFAULT 'verify' CHECK (purpose IN ('verify')),
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX email_tokens_signature ON email_tokens (signature_id);

-- Mail is queued here in the same transaction as the change that causes
-- it, and delivered by the sender (bin/undersigned mailer) off the request
-- path.  The message itself is rendered at delivery, so no secret token
-- ever rests in this table.
CREATE TABLE outbox (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('verify', 'already_signed')),
	signature_id	bigint REFERENCES signatures ON DELETE CASCADE,
	recipient	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	attempts	integer NOT NULL DEFAULT 0,
	last_error	text,
	last_attempt_at	timestamptz,
	sent_at		timestamptz,
	failed_at	timestamptz,
	message_id	text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at)
	WHERE sent_at IS NULL AND failed_at IS NULL;
