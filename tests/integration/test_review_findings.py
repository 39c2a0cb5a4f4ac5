"""Regression tests for the security review (issue 9, findings 5 to 8):
counted-only organisations stay out of every per-country figure, the 404
page links only within the site, "Origin: null" proves nothing, display
names and one-line fields are checked, co-coordinators can be removed,
preview links expire, audit rows share their change's transaction, and a
transaction whose COMMIT answer was lost is not applied twice."""
import os
import re
import shutil
import socket
import tempfile
import threading

import pytest
import requests

from conftest import (PGDIR, VAR, query, signer, stop_process, unique_slug,
                      verify_token_from)
from test_workspace import LOGIN_RE, csrf, email, login, text_part


def bearer(t):
    return {"Authorization": "Bearer " + t}


@pytest.fixture(scope="module")
def me(stack):
    """A coordinator of this module's statements: API token and session."""
    who = email()
    t = stack.cli("coordinator", "add", who).stdout.strip().splitlines()[-1]
    s = login(stack, who)
    s.email = who
    s.api = t
    return s


def new_statement(stack, me, status="open", **fields):
    body = {"slug": unique_slug("r"), "kind": "joint_statement", "lang": "en",
            "title": "Free the Four", "body_markdown": "We call for it.",
            "place": "Bishkek", "date": "2026-12-10"}
    body.update(fields)
    r = requests.post(stack.url + "/api/v1/statements", json=body,
                      headers=bearer(me.api))
    assert r.status_code == 201, r.text
    steps = {"draft": [], "open": ["open"], "closed": ["open", "closed"],
             "published": ["open", "closed", "published"]}[status]
    for step in steps:
        r = requests.post(stack.url + "/api/v1/statements/%s/status"
                          % body["slug"], json={"status": step},
                          headers=bearer(me.api))
        assert r.status_code == 200, r.text
    return body


def sign_and_confirm(stack, slug, **over):
    s = signer(**over)
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures" % slug,
                      json=s)
    assert r.status_code == 202, r.text
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    r = requests.post(stack.url + "/api/v1/verify", json={"token": token})
    assert r.status_code == 200, r.text
    return s


# Finding 5 ---------------------------------------------------------------

def test_counted_signatures_are_in_no_country_figure(stack, me):
    """Two named German organisations and one counted French one: "3
    organisations from 1 country", France nowhere."""
    st = new_statement(stack, me)
    sign_and_confirm(stack, st["slug"], country="DE")
    sign_and_confirm(stack, st["slug"], country="DE")
    sign_and_confirm(stack, st["slug"], country="FR", visibility="counted")
    doc = requests.get(stack.url + "/api/v1/statements/" + st["slug"]).json()
    assert (doc["signature_count"], doc["unnamed_count"]) == (3, 1)
    assert doc["country_count"] == 1
    assert doc["countries"] == [{"country": "DE", "count": 2}]
    page = requests.get(stack.url + "/s/" + st["slug"]).text
    assert "3 organisations from 1 country have signed." in page
    assert "France" not in re.sub(r"<select.*?</select>", "", page, flags=re.S)
    for fmt in ("press-release", "press-release-html", "text", "markdown",
                "json", "csv"):
        r = requests.get(stack.url + "/s/%s/download/%s" % (st["slug"], fmt))
        assert r.status_code == 200, r.text
        assert "France" not in r.text and '"FR"' not in r.text, fmt
        if fmt.startswith("press-release"):
            assert "3 organisations from 1 country" in r.text, fmt


def test_only_counted_signatures_name_no_country(stack, me):
    st = new_statement(stack, me)
    sign_and_confirm(stack, st["slug"], country="FR", visibility="counted")
    doc = requests.get(stack.url + "/api/v1/statements/" + st["slug"]).json()
    assert (doc["signature_count"], doc["country_count"]) == (1, 0)
    assert doc["countries"] == []
    page = requests.get(stack.url + "/s/" + st["slug"]).text
    assert "1 organisation has signed." in page
    assert "from 1 country" not in page
    text = requests.get(stack.url + "/s/%s/download/press-release"
                        % st["slug"]).text
    assert "1 organisation" in text and "from 1 country" not in text


# Finding 6a --------------------------------------------------------------

def test_not_found_page_links_stay_on_this_site(stack):
    for path in ("//evil.example/x", "/\\evil.example/x", "///evil.example"):
        r = requests.get(stack.url + path + "?lang=en", allow_redirects=False)
        assert r.status_code == 404, path
        hrefs = re.findall(r'href="([^"]*)"', r.text)
        assert hrefs, r.text[:300]
        for h in hrefs:
            if h.startswith("#"):
                continue
            assert h.startswith("/") and not h.startswith("//"), (path, h)
            assert "\\" not in h, (path, h)


# Finding 6b --------------------------------------------------------------

def test_origin_null_does_not_pass_for_sign_in(stack, db):
    who = email()
    stack.cli("coordinator", "add", who)
    assert requests.post(stack.url + "/w/login",
                         data={"email": who}).status_code == 200
    token = LOGIN_RE.search(text_part(
        stack.smtp.wait_for(who)[0]["msg"])).group(1)
    r = requests.post(stack.url + "/w/login/" + token, data={"go": "1"},
                      headers={"Origin": "null"}, allow_redirects=False)
    assert r.status_code == 403 and "another site" in r.text
    assert "Set-Cookie" not in r.headers
    assert query(db, "SELECT count(*) FROM login_tokens t JOIN coordinators c"
                 " ON c.id = t.coordinator_id WHERE c.email = %s AND"
                 " t.used_at IS NULL", who) == [(1,)]
    # Our pages ask browsers to send their real origin to us.
    page = requests.get(stack.url + "/w/login/" + token)
    assert page.headers["Referrer-Policy"] == "same-origin"
    r = requests.post(stack.url + "/w/login/" + token, data={"go": "1"},
                      headers={"Origin": stack.url}, allow_redirects=False)
    assert r.status_code == 303


# Finding 6d --------------------------------------------------------------

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
        "\u2068", "\u2069"]


@pytest.mark.parametrize("ch", BIDI)
def test_bidi_controls_are_refused_in_one_line_fields(stack, me, db, ch):
    st = new_statement(stack, me)
    s = signer(organisation="Good Org" + ch + "gro dab")
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=s)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert (err["field"], err["code"]) == ("organisation", "bidi_control")
    assert "Organisation" in err["message"]
    assert query(db, "SELECT count(*) FROM signatures WHERE email = %s",
                 s["email"]) == [(0,)]
    r = requests.post(stack.url + "/api/v1/statements", headers=bearer(me.api),
                      json={"slug": unique_slug("b"), "kind": "open_letter",
                            "lang": "en", "title": "Title" + ch,
                            "body_markdown": "x"})
    assert r.status_code == 422
    assert (r.json()["error"]["field"], r.json()["error"]["code"]) == \
        ("title", "bidi_control")


def test_bidi_marks_stay_allowed(stack, me):
    """Right-to-left names need the marks; only embeddings, overrides and
    isolates can reorder what a reader sees."""
    st = new_statement(stack, me)
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=signer(
                          organisation="\u200fمركز حقوق الإنسان\u200f"))
    assert r.status_code == 202, r.text


def test_workspace_one_line_fields_are_checked_too(stack, me, db):
    """A token's name and a rejection's reason are one-line fields."""
    url = stack.url + "/w/tokens"
    r = me.post(url, data={"csrf": csrf(me, url),
                           "label": "deploy\u202etpircs"})
    assert r.status_code == 422 and "The token" in r.text
    r = me.post(url, data={"csrf": csrf(me, url), "label": "x" * 101})
    assert r.status_code == 422
    st = new_statement(stack, me)
    a = sign_and_confirm(stack, st["slug"])
    sig = sig_id(db, a["email"])
    url = stack.url + "/w/s/%s/signatures" % st["slug"]
    r = me.post(url, data={"csrf": csrf(me, url), "action": "reject",
                           "sel_%d" % sig: "on", "reason": "spam\u2066x"},
                allow_redirects=False)
    assert r.status_code == 422
    assert query(db, "SELECT status FROM signatures WHERE id = %s",
                 sig) == [("confirmed",)]
    r = me.post(url, data={"csrf": csrf(me, url), "action": "reject",
                           "sel_%d" % sig: "on", "reason": " not an NGO "},
                allow_redirects=False)
    assert r.status_code == 303
    assert query(db, "SELECT status, rejection_reason FROM signatures"
                 " WHERE id = %s", sig) == [("rejected", "not an NGO")]


# Finding 6c --------------------------------------------------------------

def sig_id(db, address):
    return query(db, "SELECT id FROM signatures WHERE email = %s",
                 address)[0][0]


@pytest.mark.parametrize("name,code", [
    ("x" * 301, "too_long"),
    ("Bad\u0007name", "control_character"),
    ("Line\nbreak", "control_character"),
    ("Evil\u202eeman", "bidi_control"),
])
def test_display_name_is_checked_like_other_fields(stack, me, db, name, code):
    st = new_statement(stack, me)
    a = sign_and_confirm(stack, st["slug"], organisation="Original")
    url = stack.url + "/w/s/%s/signatures" % st["slug"]
    r = me.post(url + "/%d" % sig_id(db, a["email"]),
                data={"csrf": csrf(me, url), "display_name": name},
                allow_redirects=False)
    assert r.status_code == 422, r.text[:300]
    assert query(db, "SELECT display_name FROM signatures WHERE email = %s",
                 a["email"]) == [(None,)]


def test_display_name_must_be_utf8(stack, me, db):
    st = new_statement(stack, me)
    a = sign_and_confirm(stack, st["slug"], organisation="Original")
    url = stack.url + "/w/s/%s/signatures" % st["slug"]
    body = "csrf=%s&display_name=Bad%%FF%%FEname" % csrf(me, url)
    r = me.post(url + "/%d" % sig_id(db, a["email"]), data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                allow_redirects=False)
    assert r.status_code in (400, 422), r.text[:300]
    assert query(db, "SELECT display_name FROM signatures WHERE email = %s",
                 a["email"]) == [(None,)]


def test_display_name_is_frozen_by_publication(stack, me, db):
    st = new_statement(stack, me)
    a = sign_and_confirm(stack, st["slug"], organisation="Original")
    r = requests.post(stack.url + "/api/v1/statements/%s/status" % st["slug"],
                      json={"status": "published"}, headers=bearer(me.api))
    assert r.status_code == 200
    url = stack.url + "/w/s/%s/signatures" % st["slug"]
    r = me.post(url + "/%d" % sig_id(db, a["email"]),
                data={"csrf": csrf(me, url), "display_name": "Renamed"},
                allow_redirects=False)
    assert r.status_code == 409, r.text[:300]
    assert "published" in r.text
    page = me.get(url).text
    assert 'name="display_name"' not in page
    assert "stay as they were published" in page
    assert query(db, "SELECT display_name FROM signatures WHERE email = %s",
                 a["email"]) == [(None,)]
    names = [x["organisation"] for x in requests.get(
        stack.url + "/api/v1/statements/%s/signatures" % st["slug"]).json()]
    assert names == ["Original"]


# Finding 6e --------------------------------------------------------------

def coordinators_of(db, slug):
    return sorted(r[0] for r in query(
        db, "SELECT c.email FROM coordinators c JOIN statement_coordinators sc"
        " ON sc.coordinator_id = c.id JOIN statements st ON st.id ="
        " sc.statement_id WHERE st.slug = %s", slug))


def test_a_removed_coordinator_loses_every_access(stack, me, db):
    st = new_statement(stack, me)
    other = email()
    other_token = stack.cli("coordinator", "add", other).stdout.split()[-1]
    url = stack.url + "/w/s/" + st["slug"]
    r = me.post(url + "/coordinators", data={"csrf": csrf(me, url),
                                             "email": other},
                allow_redirects=False)
    assert r.status_code == 303
    assert coordinators_of(db, st["slug"]) == sorted([me.email, other])
    export = stack.url + "/api/v1/statements/%s/export.csv" % st["slug"]
    assert requests.get(export, headers=bearer(other_token)).status_code == 200
    page = me.get(url)
    assert "/w/s/%s/coordinators/remove" % st["slug"] in page.text
    r = me.post(url + "/coordinators/remove",
                data={"csrf": csrf(me, url), "email": other.upper()},
                allow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    assert coordinators_of(db, st["slug"]) == [me.email]
    assert requests.get(export, headers=bearer(other_token)).status_code == 403
    assert requests.post(stack.url + "/api/v1/statements/%s/status"
                         % st["slug"], json={"status": "closed"},
                         headers=bearer(other_token)).status_code == 403
    assert query(db, "SELECT a.subject FROM audit_log a JOIN statements st ON"
                 " st.id = a.statement_id WHERE st.slug = %s AND a.action ="
                 " 'coordinator removed'", st["slug"]) == [(other.upper(),)] \
        or query(db, "SELECT a.subject FROM audit_log a JOIN statements st ON"
                 " st.id = a.statement_id WHERE st.slug = %s AND a.action ="
                 " 'coordinator removed'", st["slug"]) == [(other,)]
    # The last coordinator stays.
    r = me.post(url + "/coordinators/remove",
                data={"csrf": csrf(me, url), "email": me.email},
                allow_redirects=False)
    assert r.status_code == 409 and "last coordinator" in r.text
    assert coordinators_of(db, st["slug"]) == [me.email]


def test_coordinators_api(stack, me, db):
    st = new_statement(stack, me)
    path = stack.url + "/api/v1/statements/%s/coordinators" % st["slug"]
    other = email()
    assert requests.post(path, json={"email": other}).status_code == 401
    r = requests.post(path, json={"email": "not an address"},
                      headers=bearer(me.api))
    assert r.status_code == 422 and r.json()["error"]["field"] == "email"
    r = requests.post(path, json={"email": other}, headers=bearer(me.api))
    assert r.status_code == 200, r.text
    assert sorted(r.json()["coordinators"]) == sorted([me.email, other])
    assert coordinators_of(db, st["slug"]) == sorted([me.email, other])
    stranger = stack.cli("coordinator", "add", email()).stdout.split()[-1]
    r = requests.post(path, json={"email": email()}, headers=bearer(stranger))
    assert r.status_code == 403
    r = requests.post(stack.url + "/api/v1/statements/no-such-statement"
                      "/coordinators", json={"email": other},
                      headers=bearer(me.api))
    assert r.status_code == 404
    # Removal: the address goes in the query (Kore reads no DELETE body).
    r = requests.delete(path, params={"email": "nobody@example.org"},
                        headers=bearer(me.api))
    assert r.status_code == 404 and r.json()["error"]["field"] == "email"
    assert requests.delete(path, params={"email": other}).status_code == 401
    r = requests.delete(path, params={"email": other},
                        headers=bearer(stranger))
    assert r.status_code == 403
    r = requests.delete(path, params={"email": other}, headers=bearer(me.api))
    assert r.status_code == 200, r.text
    assert r.json()["coordinators"] == [me.email]
    assert coordinators_of(db, st["slug"]) == [me.email]
    r = requests.delete(path, params={"email": me.email},
                        headers=bearer(me.api))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "last_coordinator"
    r = requests.delete(path, params={"email": "bad"}, headers=bearer(me.api))
    assert r.status_code == 422
    # A body on DELETE is never silently ignored or misread.
    r = requests.delete(path, json={"email": me.email}, headers=bearer(me.api))
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "body_not_read"
    assert coordinators_of(db, st["slug"]) == [me.email]
    assert requests.get(stack.url + "/healthz").status_code == 200


# Finding 6f --------------------------------------------------------------

PREVIEW_RE = re.compile(r"/s/[^/]+/preview/([A-Za-z0-9_-]{43})")


def make_preview(me, stack, slug, **extra):
    url = stack.url + "/w/s/" + slug
    r = me.post(url + "/preview-link", data=dict(csrf=csrf(me, url), **extra))
    m = PREVIEW_RE.search(r.text)
    assert m, r.text[:500]
    return m.group(1)


def test_preview_links_expire(stack, me, db):
    st = new_statement(stack, me, status="draft")
    link = make_preview(me, stack, st["slug"])
    days = query(db, "SELECT round(extract(epoch FROM preview_expires_at -"
                 " now()) / 86400) FROM statements WHERE slug = %s",
                 st["slug"])[0][0]
    assert days == 14
    page = stack.url + "/s/%s/preview/%s" % (st["slug"], link)
    assert requests.get(page).status_code == 200
    query(db, "UPDATE statements SET preview_expires_at = now() -"
          " interval '1 second' WHERE slug = %s", st["slug"])
    r = requests.get(page)
    assert r.status_code == 404 and "has expired" in r.text
    link = make_preview(me, stack, st["slug"], days="2")
    assert query(db, "SELECT round(extract(epoch FROM preview_expires_at -"
                 " now()) / 86400) FROM statements WHERE slug = %s",
                 st["slug"])[0][0] == 2
    r = me.post(stack.url + "/w/s/%s/preview-link" % st["slug"],
                data={"csrf": csrf(me, stack.url + "/w/s/" + st["slug"]),
                      "days": "400"})
    assert r.status_code == 422


def test_preview_links_can_be_revoked(stack, me, db):
    st = new_statement(stack, me, status="draft")
    link = make_preview(me, stack, st["slug"])
    page = stack.url + "/s/%s/preview/%s" % (st["slug"], link)
    assert requests.get(page).status_code == 200
    url = stack.url + "/w/s/" + st["slug"]
    assert "/preview-link/revoke" in me.get(url).text
    r = me.post(url + "/preview-link/revoke", data={"csrf": csrf(me, url)},
                allow_redirects=False)
    assert r.status_code == 303
    assert requests.get(page).status_code == 404
    assert query(db, "SELECT count(*) FROM audit_log a JOIN statements st ON"
                 " st.id = a.statement_id WHERE st.slug = %s AND a.action ="
                 " 'preview link revoked'", st["slug"]) == [(1,)]


# Finding 7 ---------------------------------------------------------------

@pytest.fixture
def failing_audit(db):
    """audit_log refuses rows for the statements the test names."""
    query(db, "CREATE TABLE IF NOT EXISTS test_audit_fails (slug text)")
    query(db, "CREATE OR REPLACE FUNCTION test_audit_fails() RETURNS trigger"
          " LANGUAGE plpgsql AS $$ BEGIN IF NEW.statement_id IN (SELECT"
          " st.id FROM statements st JOIN test_audit_fails f ON f.slug ="
          " st.slug) THEN RAISE EXCEPTION 'audit refused'; END IF;"
          " RETURN NEW; END $$")
    query(db, "CREATE TRIGGER test_audit_fails BEFORE INSERT ON audit_log"
          " FOR EACH ROW EXECUTE FUNCTION test_audit_fails()")
    yield lambda slug: query(db, "INSERT INTO test_audit_fails VALUES (%s)",
                             slug)
    query(db, "DROP TRIGGER test_audit_fails ON audit_log")
    query(db, "DROP FUNCTION test_audit_fails()")
    query(db, "DROP TABLE test_audit_fails")


def test_a_failing_audit_row_rolls_the_change_back(stack, me, db,
                                                   failing_audit):
    st = new_statement(stack, me)
    a = sign_and_confirm(stack, st["slug"], organisation="Original")
    sig = sig_id(db, a["email"])
    url = stack.url + "/w/s/" + st["slug"]
    t = csrf(me, url)
    failing_audit(st["slug"])
    other = email()
    steps = [
        ("/coordinators", {"email": other}),
        ("/signatures/%d" % sig, {"display_name": "Renamed"}),
        ("/signatures", {"action": "order", "list_order": "alphabetical"}),
        ("/publish", {"publish_at": "2030-01-01T00:00:00Z"}),
        ("/preview-link", {}),
    ]
    for path, data in steps:
        r = me.post(url + path, data=dict(csrf=t, **data),
                    allow_redirects=False)
        assert r.status_code == 500, (path, r.status_code)
    assert coordinators_of(db, st["slug"]) == [me.email]
    assert query(db, "SELECT display_name, st.list_order, st.publish_at,"
                 " st.preview_token_hash FROM signatures sg JOIN statements"
                 " st ON st.id = sg.statement_id WHERE sg.id = %s",
                 sig) == [(None, "date", None, None)]


# Finding 6g --------------------------------------------------------------

class CommitCutter:
    """A unix-socket proxy in front of PostgreSQL that, once armed, lets
    the next COMMIT reach the server, waits for the server to answer that
    it committed, and then cuts the connection instead of passing the
    answer on: the client cannot know whether its transaction happened.
    A statement that is its own transaction (no BEGIN) is cut the same
    way: `marker` names it in the client's message and `answer` is its
    command tag."""

    marker = b"COMMIT\x00"
    answer = b"COMMIT\x00"

    def __init__(self, target):
        self.dir = tempfile.mkdtemp(dir=VAR, prefix="cut-")
        self.path = os.path.join(self.dir, ".s.PGSQL.5432")
        self.target = target
        self.armed = threading.Event()
        self.cut = threading.Event()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        self.sock.listen(64)
        self.stopping = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.stopping:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.target)
            threading.Thread(target=self.pump, args=(c, s), daemon=True).start()

    def pump(self, c, s):
        watching = threading.Event()

        def server_to_client():
            seen = b""
            try:
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    if watching.is_set():
                        seen += data
                        if self.answer in seen and seen.endswith(
                                b"Z\x00\x00\x00\x05I"):
                            self.cut.set()
                            break
                        continue
                    c.sendall(data)
            except OSError:
                pass
            for x in (c, s):
                try:
                    x.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                x.close()

        threading.Thread(target=server_to_client, daemon=True).start()
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                if (self.armed.is_set() and self.marker in data and
                        not self.cut.is_set()):
                    self.armed.clear()
                    watching.set()
                s.sendall(data)
        except OSError:
            pass

    def close(self):
        self.stopping = True
        self.sock.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cut_app(stack):
    cutter = CommitCutter(os.path.join(PGDIR, ".s.PGSQL.5432"))
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    n = port.getsockname()[1]
    port.close()
    proc = stack.spawn_app("kore-cut", n, DATABASE_URL="host=%s dbname="
                           "undersigned user=undersigned" % cutter.dir)
    yield cutter, "http://127.0.0.1:%d" % n
    stop_process(proc)
    cutter.close()


def test_a_lost_commit_answer_does_not_apply_twice(stack, me, db, cut_app):
    cutter, app = cut_app
    st = new_statement(stack, me)
    s = signer()
    assert requests.post(stack.url + "/api/v1/statements/%s/signatures"
                         % st["slug"], json=s).status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    # The confirmation is one statement, its own transaction.
    cutter.marker = b"INSERT INTO tx_keys"
    cutter.answer = b"SELECT 1\x00"
    cutter.armed.set()
    r = requests.post(app + "/api/v1/verify", json={"token": token})
    assert cutter.cut.is_set(), "the COMMIT was not cut"
    # It happened once, and the signer is told so (not "already used").
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "confirmed"
    assert query(db, "SELECT status FROM signatures WHERE email = %s",
                 s["email"]) == [("confirmed",)]


def test_a_lost_sign_answer_stores_and_mails_once(stack, me, db, cut_app):
    """Signing is one statement with no request key: run again after its
    answer was lost, it finds its own signature and queues no mail."""
    cutter, app = cut_app
    st = new_statement(stack, me)
    s = signer()
    cutter.marker = b"sign_statement("
    cutter.answer = b"SELECT 1\x00"
    cutter.armed.set()
    r = requests.post(app + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=s)
    assert cutter.cut.is_set(), "the sign statement was not cut"
    assert r.status_code == 202, r.text
    assert query(db, "SELECT count(*) FROM signatures WHERE email = %s",
                 s["email"]) == [(1,)]
    assert query(db, "SELECT count(*) FROM outbox WHERE recipient = %s",
                 s["email"]) == [(1,)]
    assert len(stack.smtp.wait_for(s["email"])) == 1


def test_a_lost_commit_answer_does_not_import_twice(stack, me, db, cut_app):
    cutter, app = cut_app
    st = new_statement(stack, me)
    cutter.armed.set()
    r = requests.post(app + "/api/v1/statements/%s/signatures/import"
                      % st["slug"], data="1. Nameless Org (Germany)\n"
                      .encode(), headers=dict(bearer(me.api), **{
                          "Content-Type": "text/plain; charset=utf-8"}))
    assert cutter.cut.is_set(), "the COMMIT was not cut"
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 1
    assert query(db, "SELECT count(*) FROM signatures sg JOIN statements st"
                 " ON st.id = sg.statement_id WHERE st.slug = %s",
                 st["slug"]) == [(1,)]


def test_transaction_keys_are_kept_a_day(stack, me, db):
    """Every us_db_tx leaves its key; the mail sender drops day-old ones."""
    query(db, "INSERT INTO tx_keys (key, at) VALUES"
          " (decode('00112233445566778899aabbccddeeff', 'hex'),"
          " now() - interval '25 hours')")
    st = new_statement(stack, me)
    assert query(db, "SELECT count(*) FROM tx_keys WHERE at > now() -"
                 " interval '1 minute'")[0][0] >= 1
    # A signature wakes the mail sender, which sweeps before it sends.
    s = signer()
    requests.post(stack.url + "/api/v1/statements/%s/signatures"
                  % st["slug"], json=s)
    stack.smtp.wait_for(s["email"])
    assert query(db, "SELECT count(*) FROM tx_keys WHERE key ="
                 " decode('00112233445566778899aabbccddeeff', 'hex')") \
        == [(0,)]
