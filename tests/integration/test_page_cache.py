"""Public pages from the page cache: validators, what a CDN may keep, and
that every change a page shows reaches it, in the right language, while
nothing personal is ever kept or handed to another reader."""
import re
import time

import requests

from conftest import free_port, query, signer, stop_process, verify_token_from


def page(http, slug, **kw):
    return http.get(http.base + "/s/" + slug, **kw)


def sign_and_confirm(http, stack, slug, **over):
    s = signer(**over)
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % slug,
                  json=s)
    assert r.status_code == 202, r.text
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    r = http.post(http.base + "/api/v1/verify", json={"token": token})
    assert r.status_code == 200, r.text
    return s


def revision(db, slug):
    return query(db, "SELECT statement_page_revision(%s)", slug)[0][0]


def test_a_page_has_a_strong_etag_and_answers_304(http, make_statement):
    st = make_statement()
    r = page(http, st["slug"])
    assert r.status_code == 200
    etag = r.headers["ETag"]
    assert re.fullmatch(r'"\d+-en\.en-[0-9a-f]+"', etag), etag
    assert r.headers["Cache-Control"] == \
        "public, max-age=2, stale-while-revalidate=10"
    assert r.headers["Vary"] == "Accept-Language, Cookie"
    again = page(http, st["slug"])
    assert again.headers["ETag"] == etag
    assert again.content == r.content
    r304 = page(http, st["slug"], headers={"If-None-Match": etag})
    assert r304.status_code == 304
    assert r304.content == b""
    assert r304.headers["ETag"] == etag
    other = page(http, st["slug"], headers={"If-None-Match": '"1-en.en-x"'})
    assert other.status_code == 200 and other.content == r.content


def test_a_confirmed_signature_changes_the_page_a_pending_one_does_not(
        http, stack, db, make_statement):
    st = make_statement()
    first = page(http, st["slug"])
    before = revision(db, st["slug"])
    s = signer()
    r = http.post(http.base + "/api/v1/statements/%s/signatures"
                  % st["slug"], json=s)
    assert r.status_code == 202
    assert revision(db, st["slug"]) == before
    assert page(http, st["slug"]).headers["ETag"] == first.headers["ETag"]
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    assert revision(db, st["slug"]) > before
    after = page(http, st["slug"])
    assert after.headers["ETag"] != first.headers["ETag"]
    assert s["organisation"] in after.text
    assert "1 organisation" in after.text
    # The old validator no longer matches.
    assert page(http, st["slug"], headers={
        "If-None-Match": first.headers["ETag"]}).status_code == 200


def test_a_withdrawal_and_an_edit_reach_the_page(http, stack, db, token,
                                                 make_statement):
    st = make_statement()
    s = sign_and_confirm(http, stack, st["slug"])
    assert s["organisation"] in page(http, st["slug"]).text
    query(db, "UPDATE signatures SET status = 'withdrawn'"
          " WHERE lower(email) = lower(%s)", s["email"])
    assert s["organisation"] not in page(http, st["slug"]).text
    r = http.patch(http.base + "/api/v1/statements/" + st["slug"],
                   json={"title": "A new title for the cache"},
                   headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    assert "A new title for the cache" in page(http, st["slug"]).text
    r = requests.post(http.base + "/api/v1/statements/%s/status"
                      % st["slug"], json={"status": "closed"},
                      headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200
    assert 'href="#sign-h"' not in page(http, st["slug"]).text


def test_language_variants_do_not_mix(http, token, make_statement):
    st = make_statement()
    r = http.put(http.base + "/api/v1/statements/%s/translations/ru"
                 % st["slug"], json={
                     "title": "Освободите «Бишкекскую четвёрку»",
                     "body_markdown": "Мы, нижеподписавшиеся организации."},
                 headers={"Authorization": "Bearer " + token})
    assert r.status_code in (200, 201), r.text
    ru = page(http, st["slug"], headers={"Accept-Language": "ru"})
    en = page(http, st["slug"], headers={"Accept-Language": "en"})
    ru2 = page(http, st["slug"], headers={"Accept-Language": "ru"})
    assert "Освободите" in ru.text and 'lang="ru"' in ru.text
    assert "Освободите" not in en.text and st["title"] in en.text
    assert ru2.content == ru.content
    assert len({ru.headers["ETag"], en.headers["ETag"]}) == 2
    # The English UI with the Russian text is a variant of its own.
    mixed = page(http, st["slug"] + "?text=ru",
                 headers={"Accept-Language": "en"})
    assert "Освободите" in mixed.text and "Sign this statement" in mixed.text
    assert mixed.headers["ETag"] not in (ru.headers["ETag"],
                                         en.headers["ETag"])
    assert page(http, st["slug"], headers={
        "Accept-Language": "en"}).content == en.content


def test_answers_that_belong_to_one_reader_are_private(http, make_statement):
    st = make_statement()
    public = page(http, st["slug"])
    signed_in = requests.get(http.base + "/s/" + st["slug"],
                             cookies={"us_session": "whatever"})
    assert signed_in.headers["Cache-Control"] == "private, no-store"
    chosen = requests.get(http.base + "/s/" + st["slug"] + "?lang=ru")
    assert "us_lang=ru" in chosen.headers["Set-Cookie"]
    assert chosen.headers["Cache-Control"] == "private, no-store"
    assert public.headers["Cache-Control"].startswith("public")


def test_a_form_error_is_never_cached_nor_shown_to_another_reader(
        http, make_statement):
    st = make_statement()
    page(http, st["slug"])
    typed = signer(email="not-an-address", organisation="Typed by reader A")
    r = requests.post(http.base + "/s/%s/sign" % st["slug"], data=typed)
    assert r.status_code == 422
    assert "Typed by reader A" in r.text
    assert r.headers["Cache-Control"] == "no-store"
    other = requests.get(http.base + "/s/" + st["slug"])
    assert "Typed by reader A" not in other.text
    assert "not-an-address" not in other.text


def test_the_default_interval_shows_a_confirmation_within_seconds(
        http, stack, make_statement):
    """An app with the default UNDERSIGNED_PAGE_CHECK_MS serves from memory
    and still shows a confirmation made through another app soon."""
    st = make_statement()
    port = free_port()
    env = {"UNDERSIGNED_PAGE_CHECK_MS": "1000"}
    proc = stack.spawn_app("kore-pagecache", port, **env)
    try:
        url = "http://127.0.0.1:%d/s/%s" % (port, st["slug"])
        cached = requests.get(url)
        assert cached.status_code == 200
        assert cached.headers["ETag"]
        s = sign_and_confirm(http, stack, st["slug"])
        deadline = time.time() + 15
        while time.time() < deadline:
            r = requests.get(url)
            if s["organisation"] in r.text:
                break
            time.sleep(0.1)
        assert s["organisation"] in r.text
        assert r.headers["ETag"] != cached.headers["ETag"]
    finally:
        stop_process(proc)


def test_two_quick_signatures_are_both_mailed(http, stack, make_statement):
    """The mailer is woken only when the outbox had nothing due; a second
    signature queued behind the first still goes out."""
    st = make_statement()
    a, b = signer(), signer()
    for s in (a, b):
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=s)
        assert r.status_code == 202
    assert len(stack.smtp.wait_for(a["email"])) == 1
    assert len(stack.smtp.wait_for(b["email"])) == 1


def test_the_widget_is_cached_apart_from_the_page_and_stays_framable(
        http, stack, make_statement):
    st = make_statement(goal=10)
    url = http.base + "/s/%s/embed" % st["slug"]
    r = http.get(url)
    assert r.status_code == 200
    etag = r.headers["ETag"]
    assert re.fullmatch(r'"\d+-embed\.en\.en-[0-9a-f]+"', etag), etag
    assert r.headers["Cache-Control"] == \
        "public, max-age=2, stale-while-revalidate=10"
    # The statement page and the widget are two variants of one scope.
    assert page(http, st["slug"]).headers["ETag"] != etag
    again = http.get(url)
    assert again.headers["ETag"] == etag and again.content == r.content
    r304 = http.get(url, headers={"If-None-Match": etag})
    assert r304.status_code == 304
    # Cached or not, only the widget may be framed.
    for answer in (again, r304):
        assert "X-Frame-Options" not in answer.headers
        assert "frame-ancestors *" in \
            answer.headers["Content-Security-Policy"]
    assert page(http, st["slug"]).headers["X-Frame-Options"] == "DENY"
    # A confirmed signature reaches the widget's count.
    assert "0 of 10" in r.text
    sign_and_confirm(http, stack, st["slug"])
    after = http.get(url)
    assert after.headers["ETag"] != etag
    assert "1 of 10" in after.text
    ru = http.get(url, headers={"Accept-Language": "ru"})
    assert ru.headers["ETag"] != after.headers["ETag"]
    assert "1 из 10" in ru.text
