-- Retention: signatories' contact data is kept only for a while after a
-- statement stops collecting signatures (UNDERSIGNED_RETENTION_MONTHS,
-- `bin/undersigned retention`).  What the public sees (organisation,
-- acronym, country, website, position, status) stays; who to write to
-- goes.

-- When the statement stopped collecting signatures: set by the database
-- on every way into 'closed' or 'published', cleared when it reopens, so
-- no code path can forget it.
ALTER TABLE statements ADD COLUMN closed_at timestamptz;
UPDATE statements SET closed_at = coalesce(published_at, updated_at)
	WHERE status IN ('closed', 'published');

CREATE FUNCTION statements_closed_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.status IN ('closed', 'published') THEN
		NEW.closed_at := coalesce(NEW.closed_at, now());
	ELSE
		NEW.closed_at := NULL;
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER statements_closed_at BEFORE INSERT OR UPDATE OF status
	ON statements FOR EACH ROW EXECUTE FUNCTION statements_closed_at();

-- Statements whose contact data is due: closed long enough, not yet done.
ALTER TABLE statements ADD COLUMN anonymised_at timestamptz;
CREATE INDEX statements_retention ON statements (closed_at)
	WHERE closed_at IS NOT NULL AND anonymised_at IS NULL;

-- An anonymised signature has no address and no contact person, whatever
-- its source.
ALTER TABLE signatures ADD COLUMN anonymised_at timestamptz;
ALTER TABLE signatures DROP CONSTRAINT signatures_contact;
ALTER TABLE signatures ADD CONSTRAINT signatures_contact
	CHECK (source = 'import' OR anonymised_at IS NOT NULL OR
	    (email IS NOT NULL AND contact_name IS NOT NULL));
