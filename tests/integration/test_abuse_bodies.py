"""Hostile request bodies: no work for a stranger, bounded work for anyone.

A route that needs a Bearer token or a workspace session checks it before
parsing any body over 8 KB; every parser stops at 2,000 fields (413
too_many_fields); public routes have caps that fit what they accept; a
statement's Markdown has a length cap and is rendered off the event loop.
After each hostile body the service still answers /healthz.
"""
import json
import threading
import time

import psycopg2
import pytest
import requests

from conftest import STATEMENT_BODY, signer, unique_slug
from test_workspace import csrf, login


def auth(token):
    return {"Authorization": "Bearer " + token}


def healthy(stack):
    r = requests.get(stack.url + "/healthz")
    assert r.status_code == 200, r.text


def statement(**over):
    body = {"slug": unique_slug(), "kind": "open_letter", "lang": "en",
            "title": "Open letter", "body_markdown": STATEMENT_BODY,
            "place": "Tbilisi", "date": "2026-12-01"}
    body.update(over)
    return body


def many_keys_json(n=107000):
    """Just under 1 MiB, the statement API's cap: n keys in hex."""
    body = ("{" + ",".join('"%x":0' % i for i in range(n)) + "}").encode()
    assert 1000000 < len(body) < 1024 * 1024
    return body


def many_fields_form(n=100000, prefix=""):
    """About 700 KB: a URL-encoded form of n fields."""
    return (prefix + "&".join("f%d=x" % i for i in range(n))).encode()


@pytest.fixture(scope="module")
def coord(stack):
    """One signed-in coordinator for the module (sign-in mail is rate
    limited per address)."""
    return login(stack, "abuse-%s@coalition.example.org" % unique_slug("a"))


def bogus_session():
    return {"us_session": "A" * 43}


# Before authentication --------------------------------------------------

def test_wrong_bearer_with_1mb_json_of_107k_keys_is_401(stack):
    body = many_keys_json()
    r = requests.post(stack.url + "/api/v1/statements", data=body,
                      headers=dict(auth("wrong-" + "x" * 40),
                                   **{"Content-Type": "application/json"}))
    assert r.status_code == 401, r.text[:300]
    assert r.json()["error"]["code"] == "invalid_token"
    healthy(stack)


def test_wrong_bearer_is_401_before_a_large_body_is_even_parsed(stack):
    """Broken JSON past 8 KB: the token is refused first, so the client
    learns nothing from the body, and the body costs nothing."""
    body = b'{"slug": ' + b" " * 20000
    r = requests.post(stack.url + "/api/v1/statements", data=body,
                      headers=dict(auth("wrong"),
                                   **{"Content-Type": "application/json"}))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_token"


def test_small_bodies_are_still_checked_at_once(stack, token):
    r = requests.post(stack.url + "/api/v1/statements", data=b'{"slug": ',
                      headers=auth(token))
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "malformed_json"


def test_bogus_session_with_700kb_form_of_100k_fields_is_sent_to_sign_in(
        stack):
    body = many_fields_form()
    assert len(body) > 700000
    r = requests.post(stack.url + "/w/new", data=body,
                      cookies=bogus_session(), allow_redirects=False,
                      headers={"Content-Type":
                               "application/x-www-form-urlencoded"})
    assert r.status_code == 303, r.text[:300]
    assert r.headers["Location"] == "/w/login"
    healthy(stack)


def test_bogus_session_gets_no_parse_of_a_large_malformed_form(stack):
    """A broken escape at the very start: parsed before the session
    check it would answer 400; unparsed, the answer is sign-in."""
    body = many_fields_form(prefix="%zz=1&")
    r = requests.post(stack.url + "/w/s/x/signatures", data=body,
                      cookies=bogus_session(), allow_redirects=False,
                      headers={"Content-Type":
                               "application/x-www-form-urlencoded"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/w/login"


def test_bogus_session_large_multipart_upload_is_not_parsed(stack):
    body = b"--b\r\nnot a part header" + b"x" * 50000
    r = requests.post(stack.url + "/w/s/x/import", data=body,
                      cookies=bogus_session(), allow_redirects=False,
                      headers={"Content-Type":
                               "multipart/form-data; boundary=b"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/w/login"


# The field cap, after authentication ------------------------------------

def test_valid_bearer_with_107k_keys_is_413_too_many_fields(stack, token):
    r = requests.post(stack.url + "/api/v1/statements",
                      data=many_keys_json(), headers=auth(token))
    assert r.status_code == 413, r.text[:300]
    err = r.json()["error"]
    assert err["code"] == "too_many_fields"
    assert "2000" in err["message"]
    healthy(stack)


def test_signed_in_form_of_100k_fields_is_413_too_many_fields(stack, coord):
    s = coord
    t = csrf(s, stack.url + "/w/new")
    r = s.post(stack.url + "/w/new", data=many_fields_form(
               prefix="csrf=%s&" % t), allow_redirects=False,
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413, r.text[:300]
    assert "too_many_fields" in r.text or "more than 2000 fields" in r.text
    healthy(stack)


def test_large_bodies_of_known_coordinators_are_parsed_after_the_check(
        stack, token):
    """Past 8 KB the body is parsed in work, and works as before."""
    body = statement(body_markdown=STATEMENT_BODY + "\n\n" + "Word " * 4000,
                     addressees=[{"name": "Minister %d" % i,
                                  "title": "Minister"} for i in range(40)])
    assert len(json.dumps(body)) > 8 * 1024
    r = requests.post(stack.url + "/api/v1/statements", json=body,
                      headers=auth(token))
    assert r.status_code == 201, r.text
    r = requests.get(stack.url + "/api/v1/statements/" + body["slug"],
                     headers=auth(token))
    assert r.status_code == 200 and r.json()["status"] == "draft"


def test_signed_in_large_editor_form_is_parsed_after_the_session(stack,
                                                                 coord):
    s = coord
    t = csrf(s, stack.url + "/w/new")
    slug = unique_slug()
    r = s.post(stack.url + "/w/new", data={
        "csrf": t, "slug": slug, "kind": "open_letter", "lang": "en",
        "title": "Long letter", "action": "save",
        "body_markdown": "Paragraph with *words*.\n\n" * 800},
        allow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    assert r.headers["Location"] == "/w/s/" + slug


# Public routes: caps that fit what they accept -------------------------

def test_sign_form_over_32kb_is_413(stack, make_statement):
    st = make_statement()
    form = dict(signer(), comment="x" * (40 * 1024))
    r = requests.post(stack.url + "/s/%s/sign" % st["slug"], data=form)
    assert r.status_code == 413
    assert "too_large" in r.text or "too large" in r.text


def test_sign_form_with_too_many_fields_is_413(stack, make_statement):
    st = make_statement()
    body = "&".join("a%d=" % i for i in range(2001)).encode()
    assert len(body) < 32 * 1024
    r = requests.post(stack.url + "/s/%s/sign" % st["slug"], data=body,
                      headers={"Content-Type":
                               "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    healthy(stack)


def test_sign_api_over_32kb_is_413(stack, make_statement):
    st = make_statement()
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=dict(signer(), comment="x" * 40000))
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_sign_api_longest_comment_fits_even_escaped(stack, make_statement):
    """2,000 characters outside the BMP, each sent as a \\uXXXX pair."""
    st = make_statement()
    body = json.dumps(dict(signer(), comment="\U0001F600" * 2000))
    assert 24000 < len(body) < 32 * 1024
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"], data=body.encode(),
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 202, r.text


def test_verify_and_sign_in_take_small_bodies_only(stack):
    r = requests.post(stack.url + "/api/v1/verify",
                      json={"token": "x" * 5000})
    assert r.status_code == 413
    r = requests.post(stack.url + "/w/login",
                      data={"email": "a@example.org", "pad": "x" * 5000})
    assert r.status_code == 413


# Markdown ---------------------------------------------------------------

def test_cmark_quadratic_markdown_is_refused_by_length(stack, token):
    """libcmark 0.30.2 is quadratic on "![[]()" repeated."""
    body = statement(body_markdown="![[]()" * 33000)
    r = requests.post(stack.url + "/api/v1/statements", json=body,
                      headers=auth(token))
    assert r.status_code == 422, r.text[:300]
    err = r.json()["error"]
    assert err["field"] == "body_markdown" and err["code"] == "too_long"
    assert "50000" in err["message"]
    healthy(stack)


def test_markdown_at_the_cap_is_accepted(stack, token):
    body = statement(body_markdown=("![[]()" * 8400)[:50000])
    r = requests.post(stack.url + "/api/v1/statements", json=body,
                      headers=auth(token))
    assert r.status_code == 201, r.text[:300]


def test_editor_preview_of_an_overlong_text_is_refused(stack, coord):
    s = coord
    t = csrf(s, stack.url + "/w/new")
    r = s.post(stack.url + "/w/new", data={
        "csrf": t, "slug": unique_slug(), "kind": "open_letter",
        "lang": "en", "title": "T", "action": "preview",
        "body_markdown": "![[]()" * 10000})
    assert r.status_code == 422
    assert "at most 50000 allowed" in r.text
    assert "<img" not in r.text
    healthy(stack)


# Task threads ------------------------------------------------------------

def test_a_stuck_job_does_not_hold_up_other_requests(stack, make_statement):
    """Three page requests wait on a table lock, so three task threads are
    busy; every worker has four and takes jobs from one queue, so each
    /healthz still finds a free thread.  (Kore's own tasks went to the next
    thread in turn, busy or not, and a /healthz could hang behind a page.)
    """
    st = make_statement()
    lock = psycopg2.connect(stack.conninfo)
    watch = psycopg2.connect(stack.conninfo)
    watch.autocommit = True
    pages = []

    def page():
        pages.append(requests.get(stack.url + "/s/" + st["slug"],
                                  timeout=120).status_code)

    threads = [threading.Thread(target=page) for _ in range(3)]
    try:
        with lock.cursor() as cur:
            cur.execute("LOCK TABLE statements IN ACCESS EXCLUSIVE MODE")
        for t in threads:
            t.start()
        waiting = 0
        for _ in range(300):
            with watch.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_stat_activity WHERE "
                            "wait_event_type = 'Lock'")
                waiting = cur.fetchone()[0]
            if waiting >= 3:
                break
            time.sleep(0.1)
        assert waiting >= 3
        for _ in range(16):
            # A new connection each time, so both workers are asked; a
            # request stuck behind the lock would never answer.
            r = requests.get(stack.url + "/healthz", timeout=20,
                             headers={"Connection": "close"})
            assert r.status_code == 200
    finally:
        lock.rollback()
        lock.close()
        watch.close()
        for t in threads:
            if t.is_alive():
                t.join()
    assert pages == [200, 200, 200]
