-- Urgent actions that people act on: a sample letter per language
-- version (Markdown, NULL where none), the salutation of each addressee
-- ("Dear Mr. President,"), and the earlier action a statement updates.
-- An update outlives nothing: deleting the earlier statement only
-- unlinks its updates.
ALTER TABLE statements
	ADD COLUMN sample_letter	text,
	ADD COLUMN follows_id		bigint REFERENCES statements
					    ON DELETE SET NULL,
	ADD CONSTRAINT statements_follows_other CHECK (follows_id <> id);
CREATE INDEX statements_follows_idx ON statements (follows_id)
	WHERE follows_id IS NOT NULL;

ALTER TABLE statement_translations ADD COLUMN sample_letter text;

ALTER TABLE addressees ADD COLUMN salutation text;
