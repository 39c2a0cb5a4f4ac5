"""Email domains and websites in any script (IDNA 2008)."""
import uuid

from conftest import query, signer, verify_token_from

ACE = "xn--80aaagzh3bfj0a9e.xn--p1ai"     # правозащита.рф


def test_idn_email_is_stored_in_unicode_and_mailed_to_the_a_label(
        http, stack, db, make_statement):
    st = make_statement()
    local = "office-" + uuid.uuid4().hex[:8]
    s = signer(email=local + "@ПРАВОЗАЩИТА.РФ",
               website="правозащита.рф/о-нас")
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=s)
    assert r.status_code == 202, r.text
    assert query(db, "SELECT email, website FROM signatures WHERE email"
                 " LIKE %s", local + "@%") == [
                     (local + "@правозащита.рф",
                      "https://правозащита.рф/о-нас")]
    mail = stack.smtp.wait_for(local + "@" + ACE)[0]
    assert mail["rcpt"] == [local + "@" + ACE]
    assert mail["msg"]["To"] == local + "@" + ACE
    token = verify_token_from(stack, mail)
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    # The same address in its A-label spelling is the same signer.
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=dict(s, email=local + "@" + ACE))
    assert r.status_code == 202
    assert query(db, "SELECT count(*) FROM signatures WHERE email LIKE %s",
                 local + "@%") == [(1,)]


def test_non_ascii_local_part_is_refused_before_anything_is_stored(
        http, db, make_statement):
    st = make_statement()
    s = signer(email="почта-%s@правозащита.рф" % uuid.uuid4().hex[:6])
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=s)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "email_local_part" and err["field"] == "email"
    assert "before the @" in err["message"]
    assert query(db, "SELECT count(*) FROM signatures WHERE email = %s",
                 s["email"]) == [(0,)]
    # The form says it in the reader's language.
    r = http.post(http.base + "/s/%s/sign" % st["slug"],
                  data=dict(s, visibility="named"),
                  headers={"Accept-Language": "ru"}, allow_redirects=False)
    assert r.status_code == 422
    assert "часть до знака @" in r.text


def test_a_website_in_any_script_is_listed_in_unicode(http, make_statement,
                                                       stack):
    st = make_statement()
    s = signer(website="https://xn--80aaagzh3bfj0a9e.xn--p1ai/")
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=s)
    assert r.status_code == 202, r.text
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=signer(website="https://i\u2665ngo.org/"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_url"
