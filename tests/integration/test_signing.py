"""Signing through the API and the web form, confirmation by email, the
public list, and what must never become public."""
import re

import requests

from conftest import (db_now, html_part, query, signer, text_part, unique_slug,
                      verify_token_from, wait_mail_settled)


def sign(http, slug, data):
    return http.post(http.base + "/api/v1/statements/%s/signatures" % slug,
                     json=data)


def ten_minutes_pass(db, email):
    """As if the last mail to the address went out eleven minutes ago."""
    query(db, "UPDATE mail_recipients SET last_mail_at = now() -"
          " interval '11 min' WHERE address = lower(%s)", email)
    query(db, "UPDATE signatures SET last_mail_at = now() -"
          " interval '11 min' WHERE lower(email) = lower(%s)", email)


def sig_rows(db, email):
    return query(db, "SELECT status, visibility, text_digest, lang, source"
                 " FROM signatures WHERE lower(email) = lower(%s)", email)


def test_api_sign_email_confirm_listed(http, stack, db, make_statement):
    st = make_statement()
    s = signer()
    r = sign(http, st["slug"], s)
    assert r.status_code == 202
    assert r.json() == {"status": "pending_verification"}

    digest = http.get(http.base + "/api/v1/statements/" + st["slug"]).json()["text_digest"]
    assert sig_rows(db, s["email"]) == [("pending", "named", digest, "en", "api")]
    assert query(db, "SELECT count(*) FROM outbox WHERE recipient = %s",
                 s["email"]) == [(1,)]

    mail = stack.smtp.wait_for(s["email"])[0]
    msg = mail["msg"]
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["Subject"].startswith("Confirm your signature: ")
    assert st["title"] in msg["Subject"]
    assert msg["Message-ID"] and msg["Date"]
    assert "noreply@undersigned.example.org" in msg["From"]
    assert "Коалиция" in str(msg["From"])
    token = verify_token_from(stack, mail)
    assert s["organisation"] in text_part(msg)
    assert ("%s/verify/%s" % (stack.url, token)).encode() in mail["raw"]
    assert "&laquo;" in html_part(msg) or "«" in html_part(msg)

    # Not listed before confirmation.
    assert http.get(http.base + "/api/v1/statements/%s/signatures"
                    % st["slug"]).json() == []
    r = http.post(http.base + "/api/v1/verify", json={"token": token})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "confirmed"
    assert sig_rows(db, s["email"])[0][0] == "confirmed"

    listed = http.get(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"]).json()
    today = query(db, "SELECT (now() AT TIME ZONE 'UTC')::date::text")[0][0]
    assert listed == [{"position": 1, "organisation": s["organisation"],
                       "acronym": s["acronym"], "country": "KG",
                       "country2": None, "signed_on": today}]
    doc = http.get(http.base + "/api/v1/statements/" + st["slug"]).json()
    assert doc["signature_count"] == 1 and doc["unnamed_count"] == 0


def test_token_is_stored_only_as_a_hash(stack, db, http, make_statement):
    st = make_statement()
    s = signer()
    sign(http, st["slug"], s)
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    rows = query(db, "SELECT t.purpose, encode(t.token_hash, 'hex')"
                 " FROM email_tokens t JOIN signatures s"
                 " ON s.id = t.signature_id WHERE s.email = %s"
                 " ORDER BY t.purpose", s["email"])
    import hashlib
    mail = stack.smtp.to(s["email"])[0]
    withdraw = re.search(r"/withdraw/([A-Za-z0-9_-]{43})",
                         text_part(mail["msg"])).group(1)
    assert rows == [("verify", hashlib.sha256(token.encode()).hexdigest()),
                    ("withdraw",
                     hashlib.sha256(withdraw.encode()).hexdigest())]
    dump = query(db, "SELECT row_to_json(o)::text FROM outbox o")
    assert all(token not in r[0] for r in dump)


def test_get_of_the_link_changes_nothing(http, stack, db, make_statement):
    st = make_statement()
    s = signer()
    sign(http, st["slug"], s)
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    for _ in range(3):
        r = http.get(http.base + "/verify/" + token)
        assert r.status_code == 200
        assert "Confirm signature" in r.text
        assert s["organisation"] in r.text
    r = http.head(http.base + "/verify/" + token)
    assert sig_rows(db, s["email"])[0][0] == "pending"
    assert query(db, "SELECT used_at FROM email_tokens t JOIN signatures s"
                 " ON s.id = t.signature_id WHERE s.email = %s AND"
                 " t.purpose = 'verify'", s["email"]) == [(None,)]
    r = http.post(http.base + "/verify/" + token, data={"confirm": "1"})
    assert r.status_code == 200 and "Signature confirmed" in r.text
    assert sig_rows(db, s["email"])[0][0] == "confirmed"


def test_a_used_link_is_refused_clearly(http, stack, make_statement):
    st = make_statement()
    s = signer()
    sign(http, st["slug"], s)
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    r = http.post(http.base + "/api/v1/verify", json={"token": token})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "token_used"
    page = http.post(http.base + "/verify/" + token, data={"confirm": "1"})
    assert page.status_code == 409
    assert "already used" in page.text and "is confirmed" in page.text


def test_an_expired_link_offers_a_new_email(http, stack, db, make_statement):
    st = make_statement()
    s = signer()
    sign(http, st["slug"], s)
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    query(db, "UPDATE email_tokens SET expires_at = now() - interval '1 s'"
          " WHERE signature_id = (SELECT id FROM signatures WHERE email = %s)",
          s["email"])
    r = http.post(http.base + "/api/v1/verify", json={"token": token})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "token_expired"
    page = http.get(http.base + "/verify/" + token)
    assert page.status_code == 409
    assert "expired" in page.text and "/verify/%s/resend" % token in page.text
    assert sig_rows(db, s["email"])[0][0] == "pending"
    # The resend is rate limited: the first mail went out just now.
    ten_minutes_pass(db, s["email"])
    r = http.post(http.base + "/verify/%s/resend" % token, data={"resend": "1"})
    assert r.status_code == 200
    second = stack.smtp.wait_for(s["email"], count=2)[1]
    new = verify_token_from(stack, second)
    assert new != token
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": new}).status_code == 200


def test_unknown_and_malformed_tokens_are_404(http):
    for t in ("A" * 43, "short", "x" * 200):
        r = http.post(http.base + "/api/v1/verify", json={"token": t})
        assert r.status_code == 404, t
        assert r.json()["error"]["code"] == "token_unknown"
    r = http.get(http.base + "/verify/" + "B" * 43)
    assert r.status_code == 404
    r = http.post(http.base + "/api/v1/verify", json={})
    assert r.status_code == 422 and r.json()["error"]["field"] == "token"


def test_signing_again_never_duplicates_and_answers_the_same(http, stack, db,
                                                          make_statement):
    st = make_statement()
    s = signer()
    since = db_now(db)
    first = sign(http, st["slug"], s)
    stack.smtp.wait_for(s["email"])
    again = sign(http, st["slug"], dict(s, email=s["email"].upper(),
                                        organisation="Renamed"))
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert query(db, "SELECT count(*), min(organisation) FROM signatures"
                 " WHERE lower(email) = lower(%s)", s["email"]) == [
                     (1, s["organisation"])]
    # At most one mail in ten minutes.
    assert query(db, "SELECT count(*) FROM outbox WHERE lower(recipient) ="
                 " lower(%s)", s["email"]) == [(1,)]
    wait_mail_settled(db, since)
    assert len(stack.smtp.to(s["email"])) == 1


def test_a_stranger_cannot_rewrite_a_pending_signature(http, stack, db,
                                                       make_statement):
    """Anyone can type an address: a second form for the same text must not
    change what the owner of the address is about to confirm."""
    st = make_statement()
    s = signer(visibility="counted", country="")
    del s["country"]
    assert sign(http, st["slug"], s).status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    forged = dict(s, organisation="Forged Name", visibility="named",
                  country="RU")
    assert sign(http, st["slug"], forged).status_code == 202
    page = http.get(http.base + "/verify/" + token)
    assert page.status_code == 200 and s["organisation"] in page.text
    assert "counted but not named" in page.text
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    assert query(db, "SELECT organisation, visibility, status FROM signatures"
                 " WHERE email = %s", s["email"]) == [
                     (s["organisation"], "counted", "confirmed")]


def test_a_link_for_an_older_text_cannot_confirm(http, stack, db,
                                                  make_statement):
    st = make_statement()
    s = signer()
    assert sign(http, st["slug"], s).status_code == 202
    old = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    # The coordinators change the text while the mail waits.
    query(db, "UPDATE statements SET text_digest = repeat('ab', 32)"
          " WHERE slug = %s", st["slug"])
    r = http.post(http.base + "/api/v1/verify", json={"token": old})
    assert r.status_code == 409 and r.json()["error"]["code"] == "text_changed"
    page = http.post(http.base + "/verify/" + old, data={"confirm": "1"})
    assert page.status_code == 409 and "sign again" in page.text
    assert "/resend" not in page.text
    assert query(db, "SELECT status FROM signatures WHERE email = %s",
                 s["email"]) == [("pending",)]
    # Signing the new text replaces the data and the old link dies with it.
    ten_minutes_pass(db, s["email"])
    assert sign(http, st["slug"], dict(s, organisation="Read it again")
                ).status_code == 202
    new = verify_token_from(stack, stack.smtp.wait_for(s["email"],
                                                       count=2)[1])
    assert new != old
    assert query(db, "SELECT organisation, text_digest FROM signatures"
                 " WHERE email = %s", s["email"]) == [("Read it again",
                                                       "ab" * 32)]
    r = http.post(http.base + "/api/v1/verify", json={"token": old})
    assert r.status_code == 409 and r.json()["error"]["code"] == "token_used"
    r = http.post(http.base + "/api/v1/verify", json={"token": new})
    assert r.status_code == 200, r.text


def test_a_removed_signature_cannot_be_confirmed(http, stack, db,
                                                  make_statement):
    st = make_statement()
    s = signer()
    assert sign(http, st["slug"], s).status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    query(db, "UPDATE signatures SET status = 'rejected' WHERE email = %s",
          s["email"])
    r = http.post(http.base + "/api/v1/verify", json={"token": token})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "signature_removed"
    page = http.get(http.base + "/verify/" + token)
    assert page.status_code == 409 and "removed" in page.text
    assert query(db, "SELECT t.used_at IS NULL, sg.status FROM email_tokens t"
                 " JOIN signatures sg ON sg.id = t.signature_id WHERE"
                 " sg.email = %s AND t.purpose = 'verify'", s["email"]) == [
                     (True, "rejected")]


def test_signing_again_after_confirming_sends_a_reminder_only(http, stack, db,
                                                           make_statement):
    st = make_statement()
    s = signer()
    sign(http, st["slug"], s)
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    http.post(http.base + "/api/v1/verify", json={"token": token})
    ten_minutes_pass(db, s["email"])
    r = sign(http, st["slug"], dict(s, organisation="Changed name"))
    assert r.status_code == 202 and r.json() == {"status": "pending_verification"}
    mail = stack.smtp.wait_for(s["email"], count=2)[1]
    assert mail["msg"]["Subject"].startswith("Already signed")
    assert "/verify/" not in text_part(mail["msg"])
    assert query(db, "SELECT status, organisation FROM signatures WHERE"
                 " email = %s", s["email"]) == [("confirmed", s["organisation"])]


def test_counted_signatory_is_counted_but_never_named(http, stack, db,
                                                       make_statement):
    st = make_statement()
    secret = signer(organisation="Secret Shelter Network",
                    acronym="SSN-HIDDEN", website="https://ssn-hidden.example.org",
                    visibility="counted", country="")
    del secret["country"]
    named = signer()
    for s in (secret, named):
        assert sign(http, st["slug"], s).status_code == 202
        token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
        assert http.post(http.base + "/api/v1/verify",
                         json={"token": token}).status_code == 200
    doc = http.get(http.base + "/api/v1/statements/" + st["slug"])
    assert doc.json()["signature_count"] == 2
    assert doc.json()["unnamed_count"] == 1
    public = [doc.text,
              http.get(http.base + "/api/v1/statements/%s/signatures"
                       % st["slug"]).text,
              http.get(http.base + "/s/" + st["slug"]).text]
    for text in public:
        for secret_value in ("Secret Shelter", "SSN-HIDDEN", "ssn-hidden",
                             secret["email"], named["email"],
                             secret["contact_name"]):
            assert secret_value not in text
    assert "and 1 organisation that cannot be named" in public[2]
    assert named["organisation"] in public[2]


def test_a_named_signature_needs_a_country(http, make_statement):
    st = make_statement()
    s = signer()
    del s["country"]
    r = sign(http, st["slug"], s)
    assert r.status_code == 422 and r.json()["error"]["field"] == "country"


def test_signing_a_statement_that_is_not_open_is_409(http, make_statement):
    for status in ("closed", "published"):
        st = make_statement(status=status)
        r = sign(http, st["slug"], signer())
        assert r.status_code == 409, status
        assert r.json()["error"]["code"] == "signing_closed"
    st = make_statement(status="draft")
    assert sign(http, st["slug"], signer()).status_code == 404
    assert sign(http, "no-such-statement", signer()).status_code == 404


def test_a_passed_deadline_closes_signing(http, make_statement):
    st = make_statement(signing_deadline="2020-01-01T00:00:00Z")
    r = sign(http, st["slug"], signer())
    assert r.status_code == 409


def test_signature_records_the_text_it_was_given(http, make_statement):
    st = make_statement()
    r = sign(http, st["slug"], signer(text_digest="0" * 64))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "text_changed"


def test_approval_required_keeps_confirmed_signatures_out_of_counts(
        http, stack, make_statement):
    st = make_statement(require_approval=True)
    s = signer()
    sign(http, st["slug"], s)
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    r = http.post(http.base + "/api/v1/verify", json={"token": token})
    assert r.status_code == 200 and r.json()["approval_pending"] is True
    doc = http.get(http.base + "/api/v1/statements/" + st["slug"]).json()
    assert doc["signature_count"] == 0
    assert http.get(http.base + "/api/v1/statements/%s/signatures"
                    % st["slug"]).json() == []
