-- Signed records of published statements (docs/record.md): the signing
-- keys, the append-only log of what happened to a published list, and
-- the sealed records themselves.

-- Ed25519 keys.  The private key never leaves the database through any
-- API: only GET /api/v1/keys reads this table, and it selects the public
-- columns.  One key is in use at a time; rotation retires it (retired_at)
-- and keeps it, so that older records stay verifiable.
CREATE TABLE signing_keys (
	id		text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
	algorithm	text NOT NULL DEFAULT 'ed25519'
			CHECK (algorithm = 'ed25519'),
	public_key	bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
	private_key	bytea NOT NULL CHECK (length(private_key) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	retired_at	timestamptz
);
CREATE UNIQUE INDEX signing_keys_in_use ON signing_keys ((true))
	WHERE retired_at IS NULL;

-- After publication, every removal from the list and every new version is
-- an entry in a hash chain: hash = SHA-256 of the canonical JSON of
-- {"entry": entry, "previous": previous hash or null}.
CREATE TABLE statement_log (
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	seq		integer NOT NULL CHECK (seq >= 1),
	entry		jsonb NOT NULL,
	hash		text NOT NULL CHECK (hash ~ '^sha256:[0-9a-f]{64}$'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (statement_id, seq)
);

-- Each record as it was sealed and served, byte for byte.
CREATE TABLE statement_records (
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	seq		integer NOT NULL CHECK (seq >= 1),
	version		integer NOT NULL,
	digest		text NOT NULL UNIQUE
			CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
	key_id		text NOT NULL REFERENCES signing_keys,
	document	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (statement_id, seq)
);

-- Append-only: no entry or record is ever changed or removed, except
-- with the statement itself (a cascade runs below the first trigger
-- level).
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' OR pg_trigger_depth() <= 1 THEN
		RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
	END IF;
	RETURN OLD;
END $$;
CREATE TRIGGER statement_log_append_only BEFORE UPDATE OR DELETE
	ON statement_log FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER statement_records_append_only BEFORE UPDATE OR DELETE
	ON statement_records FOR EACH ROW EXECUTE FUNCTION append_only();
