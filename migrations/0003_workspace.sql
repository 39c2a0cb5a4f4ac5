-- The coordinators' workspace: sign-in by emailed link and server-side
-- sessions, moderation (approval, rejection with a private reason, display
-- names and order, initiators), withdrawal, imports without contact data,
-- language versions, frozen published versions, scheduled publication
-- with an embargoed preview, and the audit log.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Sign-in links: like confirmation links, random, single use, hashed.
CREATE TABLE login_tokens (
	id		bigserial PRIMARY KEY,
	coordinator_id	bigint NOT NULL REFERENCES coordinators ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);

-- A session cookie holds a random secret; only its digest is stored.
CREATE TABLE sessions (
	id		bigserial PRIMARY KEY,
	coordinator_id	bigint NOT NULL REFERENCES coordinators ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	csrf		text NOT NULL CHECK (length(csrf) >= 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX sessions_coordinator ON sessions (coordinator_id);

ALTER TABLE coordinators ADD COLUMN name text;

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
	CHECK (kind IN ('verify', 'already_signed', 'login', 'published'));
ALTER TABLE outbox ADD COLUMN coordinator_id bigint
	REFERENCES coordinators ON DELETE CASCADE;
ALTER TABLE outbox ADD CONSTRAINT outbox_target
	CHECK (signature_id IS NOT NULL OR coordinator_id IS NOT NULL);

-- A withdrawal link goes out with every confirmation link.
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
	CHECK (purpose IN ('verify', 'withdraw'));

-- Signatures: what coordinators decide, and imports without an address.
ALTER TABLE signatures
	ADD COLUMN display_name		text,
	ADD COLUMN initiator		boolean NOT NULL DEFAULT false,
	ADD COLUMN rejection_reason	text,
	ADD COLUMN decided_by		bigint REFERENCES coordinators ON DELETE SET NULL,
	ADD COLUMN withdrawn_at		timestamptz,
	ADD COLUMN country2		text CHECK (country2 ~ '^[A-Z]{2}$'),
	ADD COLUMN added_by		bigint REFERENCES coordinators ON DELETE SET NULL;
ALTER TABLE signatures ALTER COLUMN email DROP NOT NULL;
ALTER TABLE signatures ALTER COLUMN contact_name DROP NOT NULL;
ALTER TABLE signatures DROP CONSTRAINT signatures_check;
ALTER TABLE signatures ADD CONSTRAINT signatures_named_country
	CHECK (visibility = 'counted' OR country IS NOT NULL OR source = 'import');
ALTER TABLE signatures ADD CONSTRAINT signatures_contact
	CHECK (source = 'import' OR (email IS NOT NULL AND contact_name IS NOT NULL));
DROP INDEX signatures_statement_email;
CREATE UNIQUE INDEX signatures_statement_email
	ON signatures (statement_id, lower(email)) WHERE email IS NOT NULL;
-- Likely duplicates: similar names (pg_trgm) and shared email domains.
CREATE INDEX signatures_name_trgm ON signatures
	USING gin (lower(organisation) gin_trgm_ops);
CREATE INDEX signatures_statement_status ON signatures (statement_id, status);
CREATE INDEX signatures_email_domain
	ON signatures (statement_id, lower(split_part(email, '@', 2)));

-- Statements: order of the list, scheduled publication, preview, versions.
ALTER TABLE statements
	ADD COLUMN list_order	text NOT NULL DEFAULT 'date'
		CHECK (list_order IN ('date', 'alphabetical', 'manual')),
	ADD COLUMN publish_at	timestamptz,
	ADD COLUMN published_at	timestamptz,
	ADD COLUMN preview_token_hash bytea
		CHECK (length(preview_token_hash) = 32),
	ADD COLUMN version	integer NOT NULL DEFAULT 1;

-- Language versions of one statement share one list of signatories.
CREATE TABLE statement_translations (
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	lang		text NOT NULL,
	title		text NOT NULL,
	body_markdown	text NOT NULL,
	body_html	text NOT NULL,
	text_digest	text NOT NULL CHECK (text_digest ~ '^[0-9a-f]{64}$'),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (statement_id, lang)
);

-- What was published, frozen: each publication and each later edit of a
-- published text is a numbered version anyone can read.
CREATE TABLE statement_versions (
	id		bigserial PRIMARY KEY,
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	version		integer NOT NULL,
	lang		text NOT NULL,
	title		text NOT NULL,
	body_markdown	text NOT NULL,
	body_html	text NOT NULL,
	text_digest	text NOT NULL,
	signatories	jsonb NOT NULL,
	unnamed_count	integer NOT NULL,
	note		text,
	created_by	bigint REFERENCES coordinators ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (statement_id, version, lang)
);

-- Every coordinator action: who, what, when, before and after.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	statement_id	bigint REFERENCES statements ON DELETE CASCADE,
	coordinator_id	bigint REFERENCES coordinators ON DELETE SET NULL,
	action		text NOT NULL,
	subject		text,
	before		jsonb,
	after		jsonb,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_statement ON audit_log (statement_id, at DESC);
