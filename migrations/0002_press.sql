-- What output plugins need beyond the text: the coordinating organisation
-- (PDF author), press-release fields and media contacts.  And an index
-- that makes "has anything about this statement's signatures changed"
-- (the render cache's revision) a single index probe.  Pending signatures
-- change no output, so a spike of sign-ups does not invalidate renders.

ALTER TABLE statements
	ADD COLUMN coordinator_organisation text,
	ADD COLUMN headline		text,
	ADD COLUMN lede			text,
	ADD COLUMN notes_to_editors	text,
	ADD COLUMN about		text,
	ADD COLUMN embargo_until	timestamptz,
	ADD COLUMN embargo_timezone	text,
	ADD CONSTRAINT statements_embargo_zone
	    CHECK ((embargo_until IS NULL) = (embargo_timezone IS NULL));

CREATE TABLE media_contacts (
	id		bigserial PRIMARY KEY,
	statement_id	bigint NOT NULL REFERENCES statements ON DELETE CASCADE,
	position	integer NOT NULL,
	name		text NOT NULL,
	organisation	text,
	email		text,
	phone		text,
	languages	text,
	timezone	text,
	UNIQUE (statement_id, position)
);

CREATE INDEX signatures_changed ON signatures (statement_id, updated_at)
	WHERE status <> 'pending';
