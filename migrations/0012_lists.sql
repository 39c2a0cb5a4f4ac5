-- Pages of a public list: each order a statement's list can have walks
-- an index in that order, so a page deep in a list of 100,000 reads the
-- index up to it instead of sorting every row on each request.  Only
-- confirmed named rows are in them: signing (a pending row) costs them
-- nothing.  The expressions are those of src/db/lists.c.
CREATE INDEX signatures_list_date ON signatures
	(statement_id, (coalesce(confirmed_at, created_at)), id)
	WHERE status = 'confirmed' AND visibility = 'named';
CREATE INDEX signatures_list_alphabetical ON signatures
	(statement_id,
	 (coalesce(display_name, organisation) COLLATE "und-x-icu"),
	 (coalesce(confirmed_at, created_at)), id)
	WHERE status = 'confirmed' AND visibility = 'named';
CREATE INDEX signatures_list_manual ON signatures
	(statement_id, (NOT initiator), display_order,
	 (coalesce(confirmed_at, created_at)), id)
	WHERE status = 'confirmed' AND visibility = 'named';

-- The index of statements and the feed, newest first.
CREATE INDEX statements_public_updated ON statements (updated_at DESC, id DESC)
	WHERE status <> 'draft';
