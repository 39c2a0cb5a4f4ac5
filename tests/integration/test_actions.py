"""Urgent actions that people act on: reports of actions taken (form and
API, confirmed by the emailed link, counted by channel, limited like
signing, refused after expiry) and delivery of a published appeal to its
addressees by email through the outbox, once per version, with the
letter attached, surviving an SMTP outage."""
import re
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

from conftest import query, signer, text_part, verify_token_from
from test_limits import assert_rate_limited, limited, new_client  # noqa: F401

ACTION_RE = re.compile(r"/action/([A-Za-z0-9_-]{43})")

ADDRESSEES = [
    {"name": "Sadyr Japarov", "title": "President of Kyrgyzstan",
     "address": "Chui Avenue 205, Bishkek 720003, Kyrgyzstan",
     "salutation": "Dear Mr. President,",
     "email": "president-%s@gov.example.kg" % uuid.uuid4().hex[:6]},
    {"name": "Kurmankul Zulushev", "title": "Prosecutor General",
     "address": "Erkindik Boulevard 39, Bishkek"},
]


def wait(cond, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("condition not met within %ss" % timeout)


def reporter():
    return "reader-%s@mail.example.org" % uuid.uuid4().hex[:8]


@pytest.fixture
def appeal(make_statement):
    def make(status="open", **over):
        fields = {"kind": "urgent_action", "reference": "UA 56.23",
                  "addressees": [dict(a) for a in ADDRESSEES],
                  "coordinator_organisation": "Amnesty International USA"}
        fields.update(over)
        return make_statement(status=status, **fields)
    return make


def report(http, slug, **body):
    return http.post(http.base + "/api/v1/statements/%s/actions" % slug,
                     json=body)


def confirm_by_mail(stack, http, email):
    mails = stack.smtp.wait_for(email)
    assert len(mails) == 1
    text = text_part(mails[0]["msg"])
    m = ACTION_RE.search(text)
    assert m, text
    link = stack.url + "/action/" + m.group(1)
    assert link in text
    page = http.get(link)
    assert page.status_code == 200 and "Confirm action" in page.text
    done = http.post(link)
    assert done.status_code == 200, done.text
    assert "Action confirmed" in done.text
    return link


def stmt(http, slug):
    r = http.get(http.base + "/api/v1/statements/" + slug)
    assert r.status_code == 200
    return r.json()


def test_reports_by_form_and_api_are_counted_by_channel_once_confirmed(
        http, stack, db, appeal):
    st = appeal()
    slug = st["slug"]
    assert stmt(http, slug)["action_count"] == 0
    a, b = reporter(), reporter()
    r = report(http, slug, channel="email", addressee=0, country="KG",
               email=a)
    assert r.status_code == 202 and r.json() == {
        "status": "pending_verification"}
    form = http.post(http.base + "/s/%s/actions" % slug,
                     data={"channel": "letter", "addressee": "",
                           "country": "DE", "email": b, "url": ""},
                     allow_redirects=False)
    assert form.status_code == 303
    assert form.headers["Location"] == "/s/%s/action-sent" % slug
    assert "Check your email" in http.get(http.base +
                                          form.headers["Location"]).text
    # Not counted before the link is used.
    got = stmt(http, slug)
    assert got["action_count"] == 0
    link = confirm_by_mail(stack, http, a)
    confirm_by_mail(stack, http, b)
    got = stmt(http, slug)
    assert got["action_count"] == 2
    assert got["actions_by_channel"] == {"letter": 1, "email": 1, "fax": 0,
                                         "phone": 0, "social": 0}
    assert query(db, "SELECT channel, addressee, country, source, ar.status"
                 " FROM action_reports ar JOIN statements st ON st.id ="
                 " ar.statement_id WHERE st.slug = %s ORDER BY channel",
                 slug) == [("email", 0, "KG", "api", "confirmed"),
                           ("letter", None, "DE", "web", "confirmed")]
    # The link is single use; the address never shows anywhere public.
    again = http.post(link)
    assert again.status_code == 409
    page = http.get(http.base + "/s/" + slug)
    assert "2 actions taken" in page.text
    for public in (page.text, http.get(http.base + "/api/v1/statements/"
                                       + slug).text):
        assert a not in public and b not in public
    # The same report again is the same report: counted once.
    assert report(http, slug, channel="email", addressee=0,
                  email=a).status_code == 202
    assert stmt(http, slug)["action_count"] == 2
    ru = http.get(http.base + "/s/%s?lang=ru" % slug)
    assert "2 действия предпринято" in ru.text or \
        "2 действия" in ru.text, ru.text[:2000]


def test_thousands_of_actions_read_with_a_separator(http, db, appeal):
    st = appeal()
    query(db, "INSERT INTO action_reports (statement_id, channel, email,"
          " lang, source, status) SELECT st.id, 'phone', 'r' || g ||"
          " '@example.org', 'en', 'api', 'confirmed' FROM statements st,"
          " generate_series(1, 1204) g WHERE st.slug = %s", st["slug"])
    assert "1,204 actions taken" in http.get(
        http.base + "/s/" + st["slug"]).text
    ru = http.get(http.base + "/s/%s?lang=ru" % st["slug"]).text
    assert "1\u00a0204 действия" in ru, ru[:3000]
    assert stmt(http, st["slug"])["actions_by_channel"]["phone"] == 1204


def test_invalid_reports_name_the_field(http, appeal):
    st = appeal()
    r = report(http, st["slug"], channel="pigeon", email=reporter())
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "channel"
    r = report(http, st["slug"], channel="fax", email="nobody")
    assert r.status_code == 422 and r.json()["error"]["field"] == "email"
    r = report(http, st["slug"], channel="fax", addressee=2,
               email=reporter())
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "addressee"
    assert "0 to 1" in r.json()["error"]["message"]
    form = http.post(http.base + "/s/%s/actions" % st["slug"],
                     data={"channel": "fax", "email": "nobody"})
    assert form.status_code == 422
    assert 'id="ae-email"' in form.text


def test_reports_refused_when_unknown_not_open_without_addressees_or_expired(
        http, make_statement, appeal):
    assert report(http, "no-such-" + uuid.uuid4().hex[:6], channel="fax",
                  email=reporter()).status_code == 404
    closed = appeal(status="closed")
    r = report(http, closed["slug"], channel="fax", email=reporter())
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_open"
    plain = make_statement()
    r = report(http, plain["slug"], channel="fax", email=reporter())
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "no_addressees"
    # Expired yesterday in Bishkek: the end of that day has passed there.
    gone = appeal(expires_on="2020-01-31", timezone="Asia/Bishkek")
    r = report(http, gone["slug"], channel="fax", email=reporter())
    assert r.status_code == 409 and r.json()["error"]["code"] == "expired"
    assert "2020-01-31" in r.json()["error"]["message"]
    page = http.get(http.base + "/s/" + gone["slug"])
    assert page.status_code == 200
    assert 'action="/s/%s/actions"' % gone["slug"] not in page.text
    far = appeal(expires_on="2099-12-31")
    assert report(http, far["slug"], channel="fax",
                  email=reporter()).status_code == 202
    assert 'action="/s/%s/actions"' % far["slug"] in http.get(
        http.base + "/s/" + far["slug"]).text


def test_honeypot_report_is_answered_and_dropped(http, db, appeal):
    st = appeal()
    email = reporter()
    r = http.post(http.base + "/s/%s/actions" % st["slug"],
                  data={"channel": "fax", "email": email,
                        "url": "http://spam.example"}, allow_redirects=False)
    assert r.status_code == 303
    assert query(db, "SELECT count(*) FROM action_reports WHERE email = %s",
                 email) == [(0,)]


def test_one_mail_per_address_in_ten_minutes(http, stack, db, appeal):
    st = appeal()
    email = reporter()
    for ch in ("fax", "phone", "social"):
        assert report(http, st["slug"], channel=ch,
                      email=email).status_code == 202
    stack.smtp.wait_for(email)
    rows = query(db, "SELECT next_attempt_at > now() + interval '9 minutes'"
                 " FROM outbox WHERE recipient = %s ORDER BY id", email)
    assert [r[0] for r in rows] == [False, True, True]


def test_reports_are_limited_per_client(limited, appeal):  # noqa: F811
    st = appeal()
    client = new_client()
    answers = []
    for _ in range(25):
        answers.append(requests.post(
            limited + "/api/v1/statements/%s/actions" % st["slug"],
            json={"channel": "fax", "email": reporter()},
            headers={"X-Forwarded-For": client}))
        if answers[-1].status_code == 429:
            break
    assert_rate_limited(answers[-1])


def test_delivery_mails_each_addressee_once_with_the_letter(
        http, stack, db, appeal, token):
    st = appeal(status="open")
    slug = st["slug"]
    org = signer(organisation="Kyrgyz Human Rights Network")
    assert http.post(http.base + "/api/v1/statements/%s/signatures" % slug,
                     json=org).status_code == 202
    tok = verify_token_from(stack, stack.smtp.wait_for(org["email"])[0])
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": tok}).status_code == 200
    auth = {"Authorization": "Bearer " + token}
    url = http.base + "/api/v1/statements/%s/deliveries" % slug
    r = http.post(url, headers=auth)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "not_published"
    for s in ("closed", "published"):
        assert http.post(http.base + "/api/v1/statements/%s/status" % slug,
                         json={"status": s}, headers=auth).status_code == 200
    assert http.post(url).status_code == 401
    first = http.post(url, headers=auth)
    assert first.status_code == 202, first.text
    second = http.post(url, headers=auth)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_delivered"
    to = ADDRESSEES[0]["email"]
    mails = stack.smtp.wait_for(to)
    wait(lambda: http.get(url, headers=auth).json()[0]["status"] == "sent")
    time.sleep(0.5)
    assert len(stack.smtp.to(to)) == 1
    msg = mails[0]["msg"]
    assert "Amnesty International USA" in str(msg["From"])
    assert msg["Reply-To"] == "coordinator@tests.example.org"
    body = text_part(msg)
    assert "Kyrgyz Human Rights Network" in body
    assert "release the “Bishkek Four”" in body
    pdfs = [p for p in msg.iter_attachments()
            if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdfs[0].get_content())
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], check=True,
                              capture_output=True, text=True).stdout
    assert "Bishkek Four" in text
    assert "Kyrgyz Human Rights Network" in text
    # The attachment is the addressee's letter (the letter format): the
    # address block and the salutation lead it.
    assert "Dear Mr. President," in text
    assert text.index("Chui Avenue 205") < text.index("Dear Mr. President,")
    assert pdfs[0].get_filename().endswith("-letter.pdf")
    listed = http.get(url, headers=auth).json()
    assert [(d["addressee"], d["email"], d["status"]) for d in listed] == [
        (ADDRESSEES[0]["name"], to, "sent")]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", listed[0]["sent_at"])
    page = http.get(http.base + "/s/" + slug).text
    assert "Delivered to 1 addressee on" in page
    assert query(db, "SELECT a.action FROM audit_log a JOIN statements st"
                 " ON st.id = a.statement_id WHERE st.slug = %s AND"
                 " a.action = 'deliver'", slug) == [("deliver",)]


def test_delivery_waits_out_an_smtp_outage_and_goes_once(
        http, stack, db, appeal, token):
    to = "minister-%s@gov.example.kg" % uuid.uuid4().hex[:6]
    st = appeal(status="published",
                addressees=[{"name": "Minister of Justice", "email": to}])
    auth = {"Authorization": "Bearer " + token}
    url = http.base + "/api/v1/statements/%s/deliveries" % st["slug"]
    stack.smtp.stop()
    try:
        assert http.post(url, headers=auth).status_code == 202
        wait(lambda: query(db, "SELECT 1 FROM outbox WHERE recipient = %s"
                           " AND attempts >= 1 AND last_error IS NOT NULL",
                           to))
        assert http.get(url, headers=auth).json()[0]["status"] == "queued"
    finally:
        stack.smtp.start()
    stack.smtp.wait_for(to, timeout=40)
    wait(lambda: http.get(url, headers=auth).json()[0]["status"] == "sent")
    assert len(stack.smtp.to(to)) == 1
    assert http.post(url, headers=auth).status_code == 409


def test_pdf_and_press_release_print_the_actions_taken(http, db, appeal,
                                                       token):
    st = appeal(status="published")
    query(db, "INSERT INTO action_reports (statement_id, channel, email,"
          " lang, source, status) SELECT st.id, ch, ch || '@example.org',"
          " 'en', 'api', 'confirmed' FROM statements st, unnest(ARRAY["
          "'letter', 'fax', 'social']) ch WHERE st.slug = %s", st["slug"])
    press = http.get(http.base + "/s/%s/download/press-release"
                     % st["slug"])
    assert press.status_code == 200
    assert "3 actions taken." in press.text
    pdf = http.get(http.base + "/s/%s/download/pdf" % st["slug"])
    assert pdf.status_code == 200
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf.content)
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], check=True,
                              capture_output=True, text=True).stdout
    assert "3 actions taken" in text
    # One more confirmed action: the files are made again.
    query(db, "INSERT INTO action_reports (statement_id, channel, email,"
          " lang, source, status) SELECT id, 'phone', 'p@example.org', 'en',"
          " 'api', 'confirmed' FROM statements WHERE slug = %s", st["slug"])
    assert "4 actions taken." in http.get(
        http.base + "/s/%s/download/press-release" % st["slug"]).text


def test_reporters_addresses_go_with_retention_and_counts_stay(
        http, stack, db, appeal, token):
    st = appeal()
    email = reporter()
    assert report(http, st["slug"], channel="social",
                  email=email).status_code == 202
    confirm_by_mail(stack, http, email)
    auth = {"Authorization": "Bearer " + token}
    assert http.post(http.base + "/api/v1/statements/%s/status" % st["slug"],
                     json={"status": "closed"}, headers=auth).status_code == 200
    query(db, "UPDATE statements SET closed_at = now() - interval"
          " '13 months' WHERE slug = %s", st["slug"])
    stack.cli("retention")
    for sql in ("SELECT count(*) FROM action_reports WHERE email = %s",
                "SELECT count(*) FROM outbox WHERE recipient = %s"):
        assert query(db, sql, email) == [(0,)]
    assert stmt(http, st["slug"])["actions_by_channel"]["social"] == 1


def test_the_api_confirms_a_report_with_its_token(http, stack, appeal):
    st = appeal()
    email = reporter()
    assert report(http, st["slug"], channel="phone", addressee=1,
                  email=email).status_code == 202
    m = ACTION_RE.search(text_part(stack.smtp.wait_for(email)[0]["msg"]))
    r = http.post(http.base + "/api/v1/verify", json={"token": m.group(1)})
    assert r.status_code == 200
    assert r.json()["statement"] == st["slug"]
    assert stmt(http, st["slug"])["actions_by_channel"]["phone"] == 1
    again = http.post(http.base + "/api/v1/verify",
                      json={"token": m.group(1)})
    assert again.status_code == 409


def test_a_refused_form_says_why_in_the_readers_language(http, appeal):
    st = appeal(expires_on="2020-01-31")
    r = http.post(http.base + "/s/%s/actions?lang=ru" % st["slug"],
                  data={"channel": "fax", "email": reporter()})
    assert r.status_code == 409
    assert 'id="report-refused"' in r.text
    assert "Срок акции истёк" in r.text


def test_the_mail_speaks_the_readers_language(http, stack, appeal):
    st = appeal()
    email = reporter()
    r = http.post(http.base + "/api/v1/statements/%s/actions" % st["slug"],
                  json={"channel": "letter", "email": email},
                  headers={"Accept-Language": "ru"})
    assert r.status_code == 202
    msg = stack.smtp.wait_for(email)[0]["msg"]
    assert msg["Subject"].startswith("Подтвердите действие")
    assert "Вы сообщили о действии: Письмо" in text_part(msg)
    link = ACTION_RE.search(text_part(msg)).group(0)
    page = requests.get(stack.url + link)
    assert "Подтвердить действие" in page.text
