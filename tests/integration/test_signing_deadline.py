"""The signing deadline: shown in the reader's language and the statement's
time zone; once passed, the form gives way to a notice and late signatures
are refused with the deadline named."""
from conftest import query, signer

RU = {"Accept-Language": "ru"}
# 18:30 UTC is 00:30 the next day in Bishkek (UTC+6).
ZONED = {"embargo_until": "2026-12-01T00:00:00Z",
         "embargo_timezone": "Asia/Bishkek"}


def test_an_open_statement_shows_its_deadline(http, make_statement):
    st = make_statement(signing_deadline="2099-01-05T18:30:00Z", **ZONED)
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert "Signing closes on 6 January 2099 at 00:30 (Asia/Bishkek)." in page
    assert 'action="/s/%s/sign"' % st["slug"] in page
    page = http.get(http.base + "/s/" + st["slug"], headers=RU).text
    assert ("Подписать можно до 6 января 2099 г., 00:30 (Asia/Bishkek)."
            in page)


def test_without_a_zone_the_deadline_is_in_utc(http, make_statement):
    st = make_statement(signing_deadline="2099-01-05T18:30:00Z")
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert "Signing closes on 5 January 2099 at 18:30 (UTC)." in page


def test_a_passed_deadline_replaces_the_form_and_refuses_posts(
        http, db, make_statement):
    st = make_statement(signing_deadline="2026-01-05T18:30:00Z", **ZONED)
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert 'action="/s/%s/sign"' % st["slug"] not in page
    assert ("The signing deadline has passed: signing closed on 6 January 2026"
            " at 00:30 (Asia/Bishkek).") in page
    ru = http.get(http.base + "/s/" + st["slug"], headers=RU).text
    assert "Срок подписания истёк 6 января 2026 г. в 00:30 (Asia/Bishkek)." in ru

    s = signer()
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=s)
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "signing_closed"
    assert "2026-01-06 00:30 (Asia/Bishkek)" in err["message"]

    r = http.post(http.base + "/s/%s/sign" % st["slug"],
                  data=dict(s, visibility="named"), headers=RU,
                  allow_redirects=False)
    assert r.status_code == 409
    assert "Срок подписания истёк 6 января 2026 г. в 00:30" in r.text
    assert 'action="/s/%s/sign"' % st["slug"] not in r.text
    assert query(db, "SELECT count(*) FROM signatures WHERE email = %s",
                 s["email"]) == [(0,)]
