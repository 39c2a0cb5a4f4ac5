"""The coordinators' workspace over HTTP: sign-in, sessions, CSRF, who
may see what, moderation, publication, withdrawal and the audit log."""
import re
import time

import pytest
import requests

from conftest import (db_now, query, signer, text_part, unique_slug,
                      verify_token_from, wait_mail_settled)

LOGIN_RE = re.compile(r"/w/login/([A-Za-z0-9_-]{43})")
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def login(stack, email, session=None):
    """Signs in through the emailed link; returns the cookie session."""
    stack.cli("coordinator", "add", email)
    s = session or requests.Session()
    before = len(stack.smtp.to(email))
    r = s.post(stack.url + "/w/login", data={"email": email})
    assert r.status_code == 200 and "Check your email" in r.text
    mail = stack.smtp.wait_for(email, count=before + 1)[-1]
    token = LOGIN_RE.search(text_part(mail["msg"])).group(1)
    page = s.get(stack.url + "/w/login/" + token)
    assert page.status_code == 200 and "Sign in" in page.text
    r = s.post(stack.url + "/w/login/" + token, data={"go": "1"},
               allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/w"
    s.token = token
    s.set_cookie_header = r.headers["Set-Cookie"]
    return s


@pytest.fixture(scope="module")
def ws(stack, token):
    """The statements' coordinator, signed in once: sign-in links are
    rate limited to one a minute per address."""
    return login(stack, "coordinator@tests.example.org")


def csrf(session, url):
    page = session.get(url)
    assert page.status_code == 200, page.text[:300]
    return CSRF_RE.search(page.text).group(1)


def email():
    return "coord-%s@coalition.example.org" % unique_slug("c")[2:]


def confirmed_signature(http, stack, slug, **over):
    s = signer(**over)
    assert http.post(stack.url + "/api/v1/statements/%s/signatures" % slug,
                     json=s).status_code == 202
    mail = stack.smtp.wait_for(s["email"])[0]
    token = verify_token_from(stack, mail)
    assert http.post(stack.url + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    return s, mail


def test_workspace_needs_sign_in(stack):
    r = requests.get(stack.url + "/w", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/w/login"
    r = requests.post(stack.url + "/w/new", data={"title": "x"},
                      allow_redirects=False)
    assert r.status_code == 403


def test_sign_in_sets_a_safe_cookie_and_is_single_use(stack):
    who = email()
    s = login(stack, who)
    cookie = s.set_cookie_header
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # PUBLIC_URL is http in the tests
    home = s.get(stack.url + "/w")
    assert home.status_code == 200 and who in home.text
    again = requests.post(stack.url + "/w/login/" + s.token, data={"go": "1"},
                          allow_redirects=False)
    assert again.status_code == 409
    assert "already used" in again.text


def test_unknown_address_gets_the_same_answer_and_no_mail(stack, db):
    nobody = "nobody-%s@example.org" % unique_slug()[2:]
    since = db_now(db)
    r = requests.post(stack.url + "/w/login", data={"email": nobody})
    assert r.status_code == 200 and "Check your email" in r.text
    assert query(db, "SELECT count(*) FROM outbox WHERE recipient = %s",
                 nobody) == [(0,)]
    wait_mail_settled(db, since)
    assert stack.smtp.to(nobody) == []


def test_session_fixation_is_refused(stack):
    s = requests.Session()
    planted = "P" * 43
    s.cookies.set("us_session", planted)
    login(stack, email(), session=s)
    issued = s.set_cookie_header.split(";")[0].split("=", 1)[1]
    assert issued != planted and len(issued) == 43
    fresh = requests.get(stack.url + "/w", cookies={"us_session": issued},
                         allow_redirects=False)
    assert fresh.status_code == 200
    fixed = requests.get(stack.url + "/w", cookies={"us_session": planted},
                         allow_redirects=False)
    assert fixed.status_code == 303


def test_forms_from_another_site_are_refused(stack, db):
    """A forged sign-in would seat a coordinator in someone else's
    workspace: the link's POST from another site is refused and the link
    stays usable."""
    who = email()
    stack.cli("coordinator", "add", who)
    assert requests.post(stack.url + "/w/login",
                         data={"email": who}).status_code == 200
    token = LOGIN_RE.search(text_part(
        stack.smtp.wait_for(who)[0]["msg"])).group(1)
    for headers in ({"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://attacker.example"},
                    {"Origin": stack.url + ".attacker.example"}):
        r = requests.post(stack.url + "/w/login/" + token, data={"go": "1"},
                          headers=headers, allow_redirects=False)
        assert r.status_code == 403, headers
        assert "another site" in r.text and "Set-Cookie" not in r.headers
    assert query(db, "SELECT count(*) FROM login_tokens t JOIN"
                 " coordinators c ON c.id = t.coordinator_id WHERE"
                 " c.email = %s AND t.used_at IS NULL", who) == [(1,)]
    r = requests.post(stack.url + "/w/login/" + token, data={"go": "1"},
                      headers={"Origin": stack.url,
                               "Sec-Fetch-Site": "same-origin"},
                      allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/w"


def test_csrf_is_required_on_every_change(stack, db):
    s = login(stack, email())
    slug = unique_slug()
    r = s.post(stack.url + "/w/new", data={"slug": slug, "kind":
               "joint_statement", "lang": "en", "title": "T",
               "body_markdown": "B", "action": "save"},
               allow_redirects=False)
    assert r.status_code == 403 and "did not come from this site" in r.text
    r = s.post(stack.url + "/w/new", data={"slug": slug, "kind":
               "joint_statement", "lang": "en", "title": "T",
               "body_markdown": "B", "action": "save", "csrf": "x" * 43},
               allow_redirects=False)
    assert r.status_code == 403
    assert query(db, "SELECT count(*) FROM statements WHERE slug = %s",
                 slug) == [(0,)]
    token = csrf(s, stack.url + "/w/new")
    r = s.post(stack.url + "/w/new", data={"slug": slug, "kind":
               "joint_statement", "lang": "en", "title": "T",
               "body_markdown": "B", "action": "save", "csrf": token},
               allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/w/s/" + slug


def test_editor_keeps_input_on_errors_and_previews(stack):
    s = login(stack, email())
    token = csrf(s, stack.url + "/w/new")
    r = s.post(stack.url + "/w/new", data={"slug": "Bad Slug", "title":
               "Заявление «о свободе»", "body_markdown": "**bold** text",
               "lang": "en", "kind": "open_letter", "action": "save",
               "csrf": token, "a1_name": "Minister", "a1_email": "bad@"})
    assert r.status_code == 422
    assert 'value="Заявление «о свободе»"' in r.text
    assert "only a-z, 0-9" in r.text and 'aria-invalid="true"' in r.text
    r = s.post(stack.url + "/w/new", data={"slug": unique_slug(), "title":
               "T", "body_markdown": "**bold** <script>x</script>",
               "lang": "en", "kind": "open_letter", "action": "preview",
               "csrf": token})
    assert r.status_code == 200
    assert "<strong>bold</strong>" in r.text and "<script>x" not in r.text


def test_a_coordinator_sees_only_their_statements(stack, token, make_statement):
    st = make_statement()
    other = email()
    s = login(stack, other)
    assert st["slug"] not in s.get(stack.url + "/w").text
    for path in ("", "/signatures", "/edit", "/import", "/audit",
                 "/export.csv"):
        r = s.get(stack.url + "/w/s/%s%s" % (st["slug"], path))
        assert r.status_code == 403, path
    r = s.post(stack.url + "/w/s/%s/status" % st["slug"],
               data={"status": "closed", "csrf": csrf(s, stack.url + "/w")})
    assert r.status_code == 403
    other_token = stack.cli("coordinator", "add", other).stdout.split()[-1]
    r = requests.get(stack.url + "/api/v1/statements/%s/export.csv"
                     % st["slug"],
                     headers={"Authorization": "Bearer " + other_token})
    assert r.status_code == 403
    r = requests.get(stack.url + "/api/v1/statements/%s/export.csv"
                     % st["slug"])
    assert r.status_code == 401
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures/import"
                      % st["slug"], data="1. X (Germany)\n",
                      headers={"Authorization": "Bearer " + other_token})
    assert r.status_code == 403


def test_sign_out_ends_the_session(stack):
    s = login(stack, email())
    token = csrf(s, stack.url + "/w")
    r = s.post(stack.url + "/w/logout", data={"csrf": token},
               allow_redirects=False)
    assert r.status_code == 303 and "Max-Age=0" in r.headers["Set-Cookie"]
    r = requests.get(stack.url + "/w", cookies={"us_session":
                     s.set_cookie_header.split(";")[0].split("=", 1)[1]},
                     allow_redirects=False)
    assert r.status_code == 303


def test_an_expired_session_sends_back_to_sign_in(stack, db):
    s = login(stack, email())
    query(db, "UPDATE sessions SET expires_at = now() - interval '1 s'")
    r = s.get(stack.url + "/w", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/w/login"


def test_moderation_approve_reject_and_audit(http, stack, db, token, ws,
                                             make_statement):
    st = make_statement(require_approval=True)
    who = "coordinator@tests.example.org"
    s = ws
    a, _ = confirmed_signature(http, stack, st["slug"],
                               organisation="Approved Org")
    b, _ = confirmed_signature(http, stack, st["slug"],
                               organisation="Spam Org")
    queue = s.get(stack.url + "/w/s/%s/signatures?show=queue" % st["slug"])
    assert "Approved Org" in queue.text and "Spam Org" in queue.text
    ids = dict(query(db, "SELECT organisation, id FROM signatures WHERE"
                     " email IN (%s, %s)", a["email"], b["email"]))
    t = CSRF_RE.search(queue.text).group(1)
    r = s.post(stack.url + "/w/s/%s/signatures" % st["slug"],
               data={"csrf": t, "action": "approve",
                     "sel_%d" % ids["Approved Org"]: "on"},
               allow_redirects=False)
    assert r.status_code == 303
    r = s.post(stack.url + "/w/s/%s/signatures" % st["slug"],
               data={"csrf": t, "action": "reject", "reason": "not an NGO",
                     "sel_%d" % ids["Spam Org"]: "on"}, allow_redirects=False)
    assert r.status_code == 303
    listed = http.get(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"]).json()
    assert [x["organisation"] for x in listed] == ["Approved Org"]
    page = http.get(stack.url + "/s/" + st["slug"]).text
    assert "Spam Org" not in page and "not an NGO" not in page
    audit = query(db, "SELECT a.action, a.subject, c.email, a.after->>'reason'"
                  " FROM audit_log a JOIN statements s ON s.id ="
                  " a.statement_id LEFT JOIN coordinators c ON c.id ="
                  " a.coordinator_id WHERE s.slug = %s AND a.action IN"
                  " ('approve', 'reject') ORDER BY a.id", st["slug"])
    assert audit == [("approve", "Approved Org", who, None),
                     ("reject", "Spam Org", who, "not an NGO")]
    log = s.get(stack.url + "/w/s/%s/audit" % st["slug"])
    assert "not an NGO" in log.text and who in log.text


def test_display_name_and_order(http, stack, db, token, ws, make_statement):
    st = make_statement()
    s = ws
    a, _ = confirmed_signature(http, stack, st["slug"], organisation="Zeta")
    b, _ = confirmed_signature(http, stack, st["slug"], organisation="Alpha")
    sig = query(db, "SELECT id FROM signatures WHERE email = %s", a["email"])[0][0]
    t = csrf(s, stack.url + "/w/s/%s/signatures" % st["slug"])
    r = s.post(stack.url + "/w/s/%s/signatures/%d" % (st["slug"], sig),
               data={"csrf": t, "display_name": "Zeta Foundation",
                     "display_order": ""}, allow_redirects=False)
    assert r.status_code == 303
    names = [x["organisation"] for x in http.get(
        stack.url + "/api/v1/statements/%s/signatures" % st["slug"]).json()]
    assert names == ["Zeta Foundation", "Alpha"]
    r = s.post(stack.url + "/w/s/%s/signatures" % st["slug"],
               data={"csrf": t, "action": "order",
                     "list_order": "alphabetical"}, allow_redirects=False)
    assert r.status_code == 303
    names = [x["organisation"] for x in http.get(
        stack.url + "/api/v1/statements/%s/signatures" % st["slug"]).json()]
    assert names == ["Alpha", "Zeta Foundation"]
    export = s.get(stack.url + "/w/s/%s/export.csv" % st["slug"]).text
    assert "Zeta,Zeta Foundation" in export


def test_withdrawal_by_link_leaves_the_list_at_once(http, stack, db,
                                                     make_statement):
    st = make_statement()
    s, mail = confirmed_signature(http, stack, st["slug"],
                                  organisation="Leaving Org")
    link = re.search(r"/withdraw/([A-Za-z0-9_-]{43})",
                     text_part(mail["msg"])).group(1)
    page = http.get(stack.url + "/withdraw/" + link)
    assert page.status_code == 200 and "Leaving Org" in page.text
    assert "Leaving Org" in http.get(stack.url + "/s/" + st["slug"]).text
    r = http.post(stack.url + "/withdraw/" + link, data={"withdraw": "1"})
    assert r.status_code == 200 and "withdrawn" in r.text
    assert "Leaving Org" not in http.get(stack.url + "/s/" + st["slug"]).text
    doc = http.get(stack.url + "/api/v1/statements/" + st["slug"]).json()
    assert doc["signature_count"] == 0
    assert query(db, "SELECT a.action, a.coordinator_id FROM audit_log a"
                 " JOIN statements s ON s.id = a.statement_id WHERE s.slug ="
                 " %s AND a.subject = 'Leaving Org'", st["slug"]) == [
        ("withdrawn by the signer", None)]
    assert http.post(stack.url + "/withdraw/" + link,
                     data={"withdraw": "1"}).status_code == 409


def test_withdrawal_link_of_a_removed_signature_is_kept(http, stack, db,
                                                         make_statement):
    st = make_statement()
    s, mail = confirmed_signature(http, stack, st["slug"])
    link = re.search(r"/withdraw/([A-Za-z0-9_-]{43})",
                     text_part(mail["msg"])).group(1)
    query(db, "UPDATE signatures SET status = 'rejected' WHERE email = %s",
          s["email"])
    page = http.get(stack.url + "/withdraw/" + link)
    assert page.status_code == 200 and "no longer listed" in page.text
    assert "<form" not in page.text.split("<main")[-1]
    r = http.post(stack.url + "/withdraw/" + link, data={"withdraw": "1"})
    assert r.status_code == 409
    assert query(db, "SELECT t.used_at IS NULL, sg.status FROM email_tokens t"
                 " JOIN signatures sg ON sg.id = t.signature_id WHERE"
                 " sg.email = %s AND t.purpose = 'withdraw'", s["email"]) == [
                     (True, "rejected")]


def test_a_language_version_shares_the_list(http, stack, db, ws,
                                            make_statement):
    st = make_statement()
    s = ws
    url = stack.url + "/w/s/%s/edit" % st["slug"]
    t = csrf(s, url + "?version=ru")
    ru = {"csrf": t, "slug": st["slug"], "version": "ru", "base_lang": "en",
          "lang": "en", "kind": "joint_statement", "action": "save",
          "title": "Освободите «Бишкекскую четвёрку»",
          "body_markdown": "Мы, нижеподписавшиеся организации, требуем…"}
    r = s.post(url, data=ru, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    page = http.get(stack.url + "/s/%s?text=ru" % st["slug"])
    assert "Освободите «Бишкекскую четвёрку»" in page.text
    assert "нижеподписавшиеся" in page.text
    digest = query(db, "SELECT tr.text_digest FROM statement_translations tr"
                   " JOIN statements s ON s.id = tr.statement_id WHERE"
                   " s.slug = %s AND tr.lang = 'ru'", st["slug"])[0][0]
    a = signer()
    assert http.post(stack.url + "/api/v1/statements/%s/signatures"
                     % st["slug"], json=dict(a, lang="ru")).status_code == 202
    assert query(db, "SELECT lang, text_digest FROM signatures WHERE"
                 " email = %s", a["email"]) == [("ru", digest)]
    token = verify_token_from(stack, stack.smtp.wait_for(a["email"])[0])
    assert http.post(stack.url + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    # One list for both texts.
    assert a["organisation"] in http.get(stack.url + "/s/" + st["slug"]).text
    # The form's base_lang is not believed: no "translation" into the
    # statement's own language, no base moved onto a translated language.
    r = s.post(url, data=dict(ru, version="en", base_lang="ru",
                              title="Forged"), allow_redirects=False)
    assert r.status_code == 422 and "own language" in r.text
    r = s.post(url, data={"csrf": t, "slug": st["slug"], "lang": "ru",
                          "kind": "joint_statement", "title": st["title"],
                          "body_markdown": st["body_markdown"],
                          "action": "save"}, allow_redirects=False)
    assert r.status_code == 409 and "already has a ru version" in r.text
    assert query(db, "SELECT s.lang, s.title, count(tr.lang) FROM statements"
                 " s LEFT JOIN statement_translations tr ON tr.statement_id"
                 " = s.id WHERE s.slug = %s GROUP BY 1, 2", st["slug"]) == [
                     ("en", st["title"], 1)]


def test_a_published_list_can_lose_a_name_but_gain_none(http, stack, db, ws,
                                                        make_statement):
    st = make_statement()
    a, _ = confirmed_signature(http, stack, st["slug"], organisation="Kept")
    b, _ = confirmed_signature(http, stack, st["slug"], organisation="Gone")
    s = ws
    t = csrf(s, stack.url + "/w/s/" + st["slug"])
    assert s.post(stack.url + "/w/s/%s/publish" % st["slug"],
                  data={"csrf": t}, allow_redirects=False).status_code == 303
    gone = query(db, "SELECT id FROM signatures WHERE email = %s",
                 b["email"])[0][0]
    page = s.get(stack.url + "/w/s/%s/signatures" % st["slug"])
    assert 'value="restore"' not in page.text
    assert 'value="approve"' not in page.text
    r = s.post(stack.url + "/w/s/%s/signatures" % st["slug"],
               data={"csrf": t, "action": "reject", "sel_%d" % gone: "on"},
               allow_redirects=False)
    assert r.status_code == 303
    r = s.post(stack.url + "/w/s/%s/signatures" % st["slug"],
               data={"csrf": t, "action": "restore", "sel_%d" % gone: "on"},
               allow_redirects=False)
    assert r.status_code == 409 and "gain none" in r.text
    assert query(db, "SELECT status FROM signatures WHERE id = %s",
                 gone) == [("rejected",)]
    listed = http.get(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"]).json()
    assert [x["organisation"] for x in listed] == ["Kept"]


def test_publication_freezes_versions_and_notifies(http, stack, db, token, ws,
                                                   make_statement):
    st = make_statement()
    a, _ = confirmed_signature(http, stack, st["slug"])
    s = ws
    t = csrf(s, stack.url + "/w/s/" + st["slug"])
    r = s.post(stack.url + "/w/s/%s/publish" % st["slug"], data={"csrf": t},
               allow_redirects=False)
    assert r.status_code == 303
    assert http.get(stack.url + "/api/v1/statements/" +
                    st["slug"]).json()["status"] == "published"
    mail = stack.smtp.wait_for(a["email"], count=2)[-1]
    assert mail["msg"]["Subject"].startswith("Published: ")
    assert "/withdraw/" in text_part(mail["msg"])
    frozen = query(db, "SELECT v.version, v.signatories->0->>'organisation'"
                   " FROM statement_versions v JOIN statements s ON s.id ="
                   " v.statement_id WHERE s.slug = %s", st["slug"])
    assert frozen == [(1, a["organisation"])]
    # An edit after publication is a new, visible version.
    t = csrf(s, stack.url + "/w/s/%s/edit" % st["slug"])
    r = s.post(stack.url + "/w/s/%s/edit" % st["slug"], data={
        "csrf": t, "slug": st["slug"], "kind": "joint_statement",
        "lang": "en", "title": st["title"], "action": "save",
        "body_markdown": st["body_markdown"] + "\nCorrected a date.",
        "note": "Corrected a date"}, allow_redirects=False)
    assert r.status_code == 303
    page = http.get(stack.url + "/s/" + st["slug"]).text
    assert "Changes since publication" in page and "Corrected a date" in page
    assert query(db, "SELECT max(v.version) FROM statement_versions v JOIN"
                 " statements s ON s.id = v.statement_id WHERE s.slug = %s",
                 st["slug"]) == [(2,)]


def test_scheduled_publication_happens_on_time(http, stack, token, ws,
                                               make_statement):
    st = make_statement()
    s = ws
    t = csrf(s, stack.url + "/w/s/" + st["slug"])
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    r = s.post(stack.url + "/w/s/%s/publish" % st["slug"],
               data={"csrf": t, "publish_at": when}, allow_redirects=False)
    assert r.status_code == 303
    assert http.get(stack.url + "/api/v1/statements/" +
                    st["slug"]).json()["status"] == "open"
    deadline = time.time() + 30
    while time.time() < deadline:
        if http.get(stack.url + "/api/v1/statements/" +
                    st["slug"]).json()["status"] == "published":
            break
        time.sleep(0.2)
    else:
        raise AssertionError("not published by the mail sender")


def test_embargoed_preview_link(http, stack, token, ws, make_statement):
    st = make_statement(status="draft")
    s = ws
    t = csrf(s, stack.url + "/w/s/" + st["slug"])
    r = s.post(stack.url + "/w/s/%s/preview-link" % st["slug"],
               data={"csrf": t})
    link = re.search(r"/s/[^/]+/preview/([A-Za-z0-9_-]{43})", r.text)
    assert link, r.text[:500]
    # A draft is what an embargo preview is for.
    page = http.get(stack.url + "/s/%s/preview/%s" % (st["slug"],
                                                       link.group(1)))
    assert page.status_code == 200 and "Embargoed preview" in page.text
    assert "Bishkek Four" in page.text
    assert http.get(stack.url + "/s/" + st["slug"]).status_code == 404
    s.post(stack.url + "/w/s/%s/status" % st["slug"],
           data={"csrf": t, "status": "open"})
    page = http.get(stack.url + "/s/%s/preview/%s" % (st["slug"],
                                                       link.group(1)))
    assert page.status_code == 200 and "Embargoed preview" in page.text
    assert page.headers["X-Robots-Tag"] == "noindex"
    assert 'action="/s/%s/sign"' % st["slug"] not in page.text
    assert http.get(stack.url + "/s/%s/preview/%s" % (st["slug"], "A" * 43)
                    ).status_code == 404


def test_import_api_reports_every_line(stack, token, make_statement, db):
    st = make_statement()
    text = ("Signed by:\n"
            "1. Human Rights Watch (HRW, USA)\n"
            "2. Центр «Солидарность» (ЦС, Россия)\n"
            "3. Broken (ACR, Germany\n"
            "\n"
            "4. Two Countries Org (Germany, Switzerland)\n"
            "5. (ACR, Germany)\n")
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures/import"
                      % st["slug"], data=text.encode(),
                      headers={"Authorization": "Bearer " + token,
                               "Content-Type": "text/plain; charset=utf-8"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["imported"] == 3
    assert [x["line"] for x in doc["rejected"]] == [1, 4, 7]
    assert all(x["reason"] and x["text"] for x in doc["rejected"])
    rows = query(db, "SELECT organisation, acronym, country, country2, source,"
                 " s.status FROM signatures s JOIN statements t ON t.id ="
                 " s.statement_id WHERE t.slug = %s ORDER BY s.id", st["slug"])
    assert rows == [("Human Rights Watch", "HRW", "US", None, "import",
                     "confirmed"),
                    ("Центр «Солидарность»", "ЦС", "RU", None, "import",
                     "confirmed"),
                    ("Two Countries Org", None, "DE", "CH", "import",
                     "confirmed")]
    page = requests.get(stack.url + "/s/" + st["slug"]).text
    assert "Two Countries Org</bdi> (<bdi>Germany, Switzerland</bdi>)" in page


def test_a_big_import_is_read_whole(stack, make_statement, token, ws):
    """3.5 MiB, under the 4 MiB import limit: buffers this big grow by
    mremap(2), which the worker's sandbox must allow."""
    st = make_statement()
    s = ws
    t = csrf(s, stack.url + "/w/s/%s/import" % st["slug"])
    csv = ("organisation;country\r\nBig File Org;Kyrgyzstan\r\n" +
           "\r\n" * (1750 * 1024) + "Last Line Org;Armenia\r\n").encode()
    assert len(csv) > 3 * 1024 * 1024
    r = s.post(stack.url + "/w/s/%s/import" % st["slug"],
               data={"csrf": t, "action": "preview"},
               files={"file": ("big.csv", csv, "text/csv")})
    assert r.status_code == 200, r.text[:300]
    assert "Big File Org" in r.text and "Last Line Org" in r.text
    assert requests.get(stack.url + "/healthz").status_code == 200


def test_import_csv_through_the_workspace(stack, make_statement, token, ws):
    st = make_statement()
    s = ws
    t = csrf(s, stack.url + "/w/s/%s/import" % st["slug"])
    csv = ("organisation;acronym;country;email\r\n"
           "\"Comma, Quote \"\"Org\"\"\";CQ;Kyrgyzstan;cq@example.org\r\n"
           "=HYPERLINK(\"x\");EV;Atlantis;\r\n").encode()
    r = s.post(stack.url + "/w/s/%s/import" % st["slug"],
               data={"csrf": t, "action": "preview"},
               files={"file": ("list.csv", csv, "text/csv")})
    assert r.status_code == 200
    assert "Comma, Quote &quot;Org&quot;" in r.text
    assert "Atlantis" in r.text
    text = re.search(r'<textarea id="f-text" name="text"[^>]*>(.*?)'
                     r'</textarea>', r.text, re.S).group(1)
    assert "Comma" in text
    r = s.post(stack.url + "/w/s/%s/import" % st["slug"],
               data={"csrf": t, "action": "import", "format": "csv",
                     "text": csv.decode()})
    assert r.status_code == 200
    assert re.search(r'id="imported">1<', r.text)
    export = s.get(stack.url + "/w/s/%s/export.csv" % st["slug"]).text
    assert '"Comma, Quote ""Org"""' in export and "cq@example.org" in export


def test_exports_are_formula_safe(stack, token, make_statement):
    st = make_statement()
    requests.post(stack.url + "/api/v1/statements/%s/signatures/import"
                  % st["slug"], data="1. =cmd|' /C calc'!A0 (Germany)\n",
                  headers={"Authorization": "Bearer " + token})
    r = requests.get(stack.url + "/api/v1/statements/%s/export.csv"
                     % st["slug"], headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="%s-signatures.csv"' % st["slug"]
    assert "'=cmd|' /C calc'!A0" in r.text
    r = requests.get(stack.url + "/api/v1/statements/%s/export.json"
                     % st["slug"], headers={"Authorization": "Bearer " + token})
    assert r.json()[0]["organisation"] == "=cmd|' /C calc'!A0"


def test_russian_interface(http, make_statement):
    st = make_statement()
    r = http.get(stack_url(http) + "/s/%s?lang=ru" % st["slug"])
    assert '<html lang="ru">' in r.text
    assert "us_lang=ru" in r.headers.get("Set-Cookie", "")
    assert "Подписали" in r.text or "Подписать" in r.text
    r = http.get(stack_url(http) + "/s/" + st["slug"],
                 headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert '<html lang="ru">' in r.text
    assert "Кыргызстан" in r.text or "Киргизия" in r.text  # the select


def stack_url(http):
    return http.base
