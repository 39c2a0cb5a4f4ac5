-- The reader's side of a statement: an optional signature goal, shown as
-- a progress bar on the page and in the embeddable widget.  NULL: no goal.
ALTER TABLE statements
	ADD COLUMN goal integer CHECK (goal >= 1);
