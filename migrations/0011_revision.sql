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
-- revision times eight, plus whether an urgent action has expired (its
-- last day ended in the statement's zone), whether the signing deadline
-- has passed and whether the embargo still holds (these change with the
-- clock, not with a row).  NULL when there is no such statement.
CREATE FUNCTION statement_page_revision(p_slug text) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT greatest(st.revision, coalesce((SELECT max(sg.revision)
	    FROM signatures sg WHERE sg.statement_id = st.id AND
	    sg.status <> 'pending'), 0)) * 8 +
	    CASE WHEN st.expires_on < (now() AT TIME ZONE
	      coalesce(st.timezone, 'UTC'))::date THEN 4 ELSE 0 END +
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

-- A mail about a signature, queued in the caller's transaction under
-- the two rules of src/db/limits.c (us_db_mail_queue): a signature is
-- mailed at most once in ten minutes, an address receives at most one
-- such mail in ten minutes (a later one waits for its slot).  True when
-- a mail was queued.
--
-- The sender is woken with NOTIFY only when it has nothing due, that is
-- when it may be asleep: a NOTIFY takes a lock shared by the whole
-- cluster at commit, which every signature of a busy hour would queue
-- on.  While mail is due the sender is working and claims the new row
-- in its loop; the one case this misses (the sender finishing the last
-- due row while this transaction runs) is caught by its poll, at most a
-- second later (src/mail/sender.c).
CREATE FUNCTION queue_signature_mail(p_kind text, p_sig bigint, p_to text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	UPDATE signatures SET last_mail_at = now() WHERE id = p_sig AND
	    (last_mail_at IS NULL OR last_mail_at <
	    now() - interval '10 minutes');
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM queue_mail_slot(p_kind, p_sig, p_to);
	RETURN true;
END $$;

-- The second rule and the row, for a signature whose last_mail_at the
-- caller has just set (a new signature is inserted with it).
CREATE FUNCTION queue_mail_slot(p_kind text, p_sig bigint, p_to text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	due	timestamptz;
BEGIN
	INSERT INTO mail_recipients AS r (address, last_mail_at)
	    VALUES (lower(p_to), now())
	    ON CONFLICT (address) DO UPDATE SET last_mail_at =
	    greatest(now(), r.last_mail_at + interval '10 minutes')
	    RETURNING last_mail_at INTO due;
	IF due <= now() AND NOT EXISTS (SELECT 1 FROM outbox
	    WHERE sent_at IS NULL AND failed_at IS NULL AND
	    next_attempt_at <= now()) THEN
		PERFORM pg_notify('outbox', '');
	END IF;
	INSERT INTO outbox (kind, signature_id, recipient, next_attempt_at)
	    VALUES (p_kind, p_sig, p_to, due);
END $$;

-- A signature as src/db/signatures.c describes it (us_db_sig_sign), in
-- one statement: one round trip and one implicit transaction, where
-- BEGIN, the checks, the insert, the mail and COMMIT took six.  Run
-- again after a connection lost during its commit, it changes nothing
-- and queues no second mail (the signature's last_mail_at), so it needs
-- no request key.  outcome: signed, not_found, closed, deadline (with
-- the deadline's local time and zone), text_changed, busy.
CREATE FUNCTION sign_statement(p_slug text, p_lang text, p_digest text,
    p_organisation text, p_acronym text, p_country text, p_website text,
    p_contact_name text, p_contact_role text, p_email text, p_comment text,
    p_visibility text, p_source text, p_country2 text,
    OUT outcome text, OUT deadline_local text, OUT deadline_zone text)
LANGUAGE plpgsql AS $$
DECLARE
	st		record;
	v_lang		text;
	v_digest	text;
	v_tr		text;
	v_sig		bigint;
	v_status	text;
	v_replaced	boolean;
	v_fresh		boolean;
BEGIN
	SELECT id, status, text_digest, lang, signing_deadline,
	    embargo_timezone, expires_on, coalesce(timezone, 'UTC') AS zone
	    INTO st FROM statements WHERE slug = p_slug;
	IF NOT FOUND OR st.status = 'draft' THEN
		outcome := 'not_found';
		RETURN;
	END IF;
	IF st.status <> 'open' THEN
		outcome := 'closed';
		RETURN;
	END IF;
	-- An urgent action is over once its last day has ended in the
	-- statement's zone (the rule of us_when_expired in core/when.c).
	IF st.expires_on IS NOT NULL AND
	    (now() AT TIME ZONE st.zone)::date > st.expires_on THEN
		outcome := 'expired';
		deadline_local := st.expires_on::text;
		deadline_zone := st.zone;
		RETURN;
	END IF;
	IF st.signing_deadline IS NOT NULL AND
	    st.signing_deadline < now() THEN
		outcome := 'deadline';
		deadline_zone := coalesce(st.embargo_timezone, 'UTC');
		deadline_local := to_char(st.signing_deadline AT TIME ZONE
		    deadline_zone, 'YYYY-MM-DD HH24:MI');
		RETURN;
	END IF;
	-- The text the signer read, in the language they read it in.
	v_lang := coalesce(p_lang, st.lang);
	v_digest := st.text_digest;
	IF v_lang <> st.lang THEN
		SELECT text_digest INTO v_tr FROM statement_translations
		    WHERE statement_id = st.id AND lang = v_lang;
		IF FOUND THEN
			v_digest := v_tr;
		ELSE
			v_lang := st.lang;
		END IF;
	END IF;
	IF p_digest IS NOT NULL AND p_digest <> v_digest THEN
		outcome := 'text_changed';
		RETURN;
	END IF;

	INSERT INTO signatures AS sg (statement_id, organisation, acronym,
	    country, website, contact_name, contact_role, email, comment,
	    visibility, text_digest, lang, source, last_mail_at, country2)
	    VALUES (st.id, p_organisation, p_acronym, p_country, p_website,
	    p_contact_name, p_contact_role, p_email, p_comment,
	    coalesce(p_visibility, 'named'), v_digest, v_lang,
	    coalesce(p_source, 'web'), now(), p_country2)
	    ON CONFLICT (statement_id, lower(email)) WHERE email IS NOT NULL
	    DO UPDATE SET
	    organisation = EXCLUDED.organisation, acronym = EXCLUDED.acronym,
	    country = EXCLUDED.country, country2 = EXCLUDED.country2,
	    website = EXCLUDED.website, contact_name = EXCLUDED.contact_name,
	    contact_role = EXCLUDED.contact_role, email = EXCLUDED.email,
	    comment = EXCLUDED.comment, visibility = EXCLUDED.visibility,
	    text_digest = EXCLUDED.text_digest, lang = EXCLUDED.lang,
	    status = 'pending', confirmed_at = NULL, approved_at = NULL,
	    withdrawn_at = NULL, last_mail_at = now(), updated_at = now()
	    WHERE sg.status = 'withdrawn' OR (sg.status = 'pending' AND
	    sg.text_digest IS DISTINCT FROM (SELECT coalesce((
	     SELECT tr.text_digest FROM statement_translations tr
	     WHERE tr.statement_id = sg.statement_id AND tr.lang = sg.lang),
	     (SELECT s2.text_digest FROM statements s2
	     WHERE s2.id = sg.statement_id AND s2.lang = sg.lang))))
	    RETURNING id, status, xmax <> 0 INTO v_sig, v_status, v_replaced;
	v_fresh := FOUND;
	IF NOT FOUND THEN
		SELECT id, status INTO v_sig, v_status FROM signatures
		    WHERE statement_id = st.id AND lower(email) = lower(p_email);
		IF NOT FOUND THEN
			outcome := 'busy';
			RETURN;
		END IF;
		v_replaced := false;
	END IF;
	-- Links sent for the replaced data must not confirm the new data.
	IF v_replaced THEN
		UPDATE email_tokens SET used_at = now() WHERE
		    signature_id = v_sig AND purpose = 'verify' AND
		    used_at IS NULL;
	END IF;
	-- New (or replaced) data was written with last_mail_at already set:
	-- its mail goes without updating the row it has just written.
	IF v_fresh THEN
		PERFORM queue_mail_slot('verify', v_sig, p_email);
	ELSIF v_status = 'pending' THEN
		PERFORM queue_signature_mail('verify', v_sig, p_email);
	ELSIF v_status = 'confirmed' THEN
		PERFORM queue_signature_mail('already_signed', v_sig, p_email);
	END IF;
	outcome := 'signed';
END $$;
