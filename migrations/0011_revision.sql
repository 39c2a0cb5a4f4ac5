-- Issue 14: public pages served from a cache keyed by the statement's
-- revision, and a lean sign path.
--
-- Every change a public page shows takes a fresh number from one
-- sequence: the statement's own changes (text, status, translations,
-- addressees, versions, media contacts, list order) set
-- statements.revision; a change to a signature that is or was past
-- pending sets that signature's revision.  The page's revision is the
-- greater of the two (statement_page_revision below), read through an
-- index in O(1).  A counter row on the statement bumped by every
-- confirmation would queue every confirmation of a busy statement on
-- that row's lock (the outage of the UK petitions site); numbering the
-- signature rows themselves takes no shared lock.  A pending signature
-- changes nothing a page shows, so the sign path's insert fires no
-- trigger function at all (the WHEN clauses are checked in the executor).
CREATE SEQUENCE page_revision;

ALTER TABLE statements ADD COLUMN revision bigint NOT NULL DEFAULT 0;
ALTER TABLE signatures ADD COLUMN revision bigint NOT NULL DEFAULT 0;
UPDATE statements SET revision = nextval('page_revision');

CREATE INDEX signatures_revision ON signatures (statement_id, revision)
	WHERE status <> 'pending';

CREATE FUNCTION page_revision_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.revision := nextval('page_revision');
	RETURN NEW;
END $$;

CREATE FUNCTION page_revision_parent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	sid	bigint;
BEGIN
	IF TG_OP = 'DELETE' THEN
		sid := OLD.statement_id;
	ELSE
		sid := NEW.statement_id;
	END IF;
	UPDATE statements SET revision = nextval('page_revision')
	    WHERE id = sid;
	IF TG_OP = 'UPDATE' AND OLD.statement_id <> NEW.statement_id THEN
		UPDATE statements SET revision = nextval('page_revision')
		    WHERE id = OLD.statement_id;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER statements_revision BEFORE UPDATE ON statements
	FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
	EXECUTE FUNCTION page_revision_row();

CREATE TRIGGER signatures_revision_insert BEFORE INSERT ON signatures
	FOR EACH ROW WHEN (NEW.status <> 'pending')
	EXECUTE FUNCTION page_revision_row();
CREATE TRIGGER signatures_revision_update BEFORE UPDATE ON signatures
	FOR EACH ROW WHEN (OLD.status <> 'pending' OR NEW.status <> 'pending')
	EXECUTE FUNCTION page_revision_row();
CREATE TRIGGER signatures_revision_delete AFTER DELETE ON signatures
	FOR EACH ROW WHEN (OLD.status <> 'pending')
	EXECUTE FUNCTION page_revision_parent();

CREATE TRIGGER statement_translations_revision
	AFTER INSERT OR UPDATE OR DELETE ON statement_translations
	FOR EACH ROW EXECUTE FUNCTION page_revision_parent();
CREATE TRIGGER addressees_revision
	AFTER INSERT OR UPDATE OR DELETE ON addressees
	FOR EACH ROW EXECUTE FUNCTION page_revision_parent();
CREATE TRIGGER statement_versions_revision
	AFTER INSERT OR UPDATE OR DELETE ON statement_versions
	FOR EACH ROW EXECUTE FUNCTION page_revision_parent();
CREATE TRIGGER media_contacts_revision
	AFTER INSERT OR UPDATE OR DELETE ON media_contacts
	FOR EACH ROW EXECUTE FUNCTION page_revision_parent();
CREATE TRIGGER statement_records_revision
	AFTER INSERT OR UPDATE OR DELETE ON statement_records
	FOR EACH ROW EXECUTE FUNCTION page_revision_parent();

-- What a page of the statement is rendered from, as one number: the
-- revision times four, plus whether the signing deadline has passed and
-- whether the embargo still holds (both change with the clock, not with
-- a row).  NULL when there is no such statement.
CREATE FUNCTION statement_page_revision(p_slug text) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT greatest(st.revision, coalesce((SELECT max(sg.revision)
	    FROM signatures sg WHERE sg.statement_id = st.id AND
	    sg.status <> 'pending'), 0)) * 4 +
	    CASE WHEN st.signing_deadline < now() THEN 2 ELSE 0 END +
	    CASE WHEN st.embargo_until > now() THEN 1 ELSE 0 END
	FROM statements st WHERE st.slug = p_slug
$$;

-- The sign path maintained a trigram index of every organisation's name
-- on every insert, pending ones included, for the moderation queue's
-- "likely duplicate" flags.  Those compare the signatures of one
-- statement, which the statement's own index already narrows to a few
-- thousand rows; similarity() over them needs no index.
DROP INDEX signatures_name_trgm;
