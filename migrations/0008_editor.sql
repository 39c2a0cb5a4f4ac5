-- A language version carries its own press release fields (headline,
-- lede, notes to editors, about); NULL where the translator gave none,
-- and the statement's own are used.
ALTER TABLE statement_translations
	ADD COLUMN headline		text,
	ADD COLUMN lede			text,
	ADD COLUMN notes_to_editors	text,
	ADD COLUMN about		text;

-- The zone a statement's dates and times are entered and shown in (the
-- signing deadline, the embargo): an IANA name; NULL reads as UTC.
ALTER TABLE statements ADD COLUMN timezone text;
