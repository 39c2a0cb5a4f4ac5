-- The page of an urgent action shows the actions readers reported and
-- to whom the letter was delivered: both change the page, so both move
-- its revision (0011), or a cached page would keep the old figures.
--
-- A report counts once it is confirmed; a pending one changes nothing,
-- like a pending signature.
CREATE TRIGGER action_reports_revision
	AFTER UPDATE OF status ON action_reports FOR EACH ROW
	WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION page_revision_parent();
CREATE TRIGGER action_reports_revision_delete
	AFTER DELETE ON action_reports FOR EACH ROW
	WHEN (OLD.status = 'confirmed')
	EXECUTE FUNCTION page_revision_parent();

-- "Delivered to 3 addressees on 9 December 2026" counts the letters the
-- mail sender has sent: the revision moves when one is.
CREATE FUNCTION page_revision_delivery() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE statements SET revision = nextval('page_revision')
	    WHERE id = (SELECT statement_id FROM deliveries
	    WHERE id = NEW.delivery_id);
	RETURN NULL;
END $$;
CREATE TRIGGER outbox_delivery_revision
	AFTER UPDATE OF sent_at ON outbox FOR EACH ROW
	WHEN (NEW.delivery_id IS NOT NULL AND OLD.sent_at IS NULL AND
	    NEW.sent_at IS NOT NULL)
	EXECUTE FUNCTION page_revision_delivery();
