"""The mail sender under load and its notices: one SMTP connection for
many messages, several senders sharing one queue without sending anything
twice, the relay going away and coming back, the coordinators' daily
digest (once a day, never after opting out), the one reminder to signers
who have not confirmed, and the coordinating organisation as the sender's
display name."""
import email.header
import re
import subprocess
import time

import requests

from conftest import (CLI, ROOT, VAR, query, sanitizer_env, signer,
                      stop_process, text_part, verify_token_from,
                      wait_mail_settled, db_now, unique_slug)
from test_workspace import LOGIN_RE, confirmed_signature

UNSUBSCRIBE_RE = re.compile(r"/w/unsubscribe/([A-Za-z0-9_-]{43})")


def wait(cond, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("condition not met within %ss" % timeout)


def sign(http, slug, **over):
    s = signer(**over)
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % slug,
                  json=s)
    assert r.status_code == 202, r.text
    return s


def unsent(db, emails):
    return query(db, "SELECT count(*) FROM outbox WHERE recipient = ANY(%s)"
                 " AND sent_at IS NULL AND failed_at IS NULL",
                 list(emails))[0][0]


class Paused:
    """The suite's own mail sender stopped for the block: the test
    decides which senders run."""

    def __init__(self, stack):
        self.stack = stack

    def __enter__(self):
        stop_process(self.stack.mailer)
        return self

    def __exit__(self, *exc):
        self.stack.start_mailer()


def test_one_connection_carries_many_messages(http, stack, db,
                                              make_statement):
    st = make_statement()
    with Paused(stack):
        people = [sign(http, st["slug"]) for _ in range(60)]
        before = stack.smtp.connections
        r = stack.cli("mailer", "--once", env=dict(
            stack.env, UNDERSIGNED_SMTP_CONNECTIONS="1"))
        assert r.returncode == 0, r.stdout + r.stderr
        for p in people:
            assert len(stack.smtp.to(p["email"])) == 1
        # 60 messages, one SMTP session (EHLO) for all of them.
        assert stack.smtp.connections - before == 1
        assert unsent(db, [p["email"] for p in people]) == 0


def test_connections_in_parallel_stay_within_the_setting(http, stack, db,
                                                         make_statement):
    st = make_statement()
    with Paused(stack):
        people = [sign(http, st["slug"]) for _ in range(60)]
        before = stack.smtp.connections
        r = stack.cli("mailer", "--once", env=dict(
            stack.env, UNDERSIGNED_SMTP_CONNECTIONS="3"))
        assert r.returncode == 0, r.stdout + r.stderr
        assert [len(stack.smtp.to(p["email"])) for p in people] == [1] * 60
        assert 1 <= stack.smtp.connections - before <= 3
        assert unsent(db, [p["email"] for p in people]) == 0


def test_three_senders_deliver_every_message_exactly_once(http, stack, db,
                                                          make_statement):
    st = make_statement()
    with Paused(stack):
        people = [sign(http, st["slug"]) for _ in range(400)]
        env = dict(stack.env)
        env.update(sanitizer_env())
        senders = []
        logs = []
        try:
            for i in range(3):
                log = open("%s/mailer-%d.log" % (VAR, i), "ab")
                logs.append(log)
                senders.append(subprocess.Popen(
                    [CLI, "mailer"], cwd=ROOT, env=env, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True))
            wait(lambda: unsent(db, [p["email"] for p in people]) == 0)
        finally:
            for p in senders:
                stop_process(p)
            for log in logs:
                log.close()
        counts = [len(stack.smtp.to(p["email"])) for p in people]
        assert counts == [1] * len(people)
        assert query(db, "SELECT count(*) FROM outbox WHERE recipient ="
                     " ANY(%s) AND sent_at IS NOT NULL AND attempts = 1",
                     [p["email"] for p in people]) == [(len(people),)]
        # Each sent message's link works: its token was recorded once.
        token = verify_token_from(stack, stack.smtp.to(people[0]["email"])[0])
        assert http.post(http.base + "/api/v1/verify",
                         json={"token": token}).status_code == 200
        # All three took part.
        for i in range(3):
            with open("%s/mailer-%d.log" % (VAR, i), "rb") as f:
                assert b"(verify) sent to" in f.read()


def test_relay_down_then_up_delivers_a_batch_exactly_once(http, stack, db,
                                                          make_statement):
    st = make_statement()
    with Paused(stack):
        stack.smtp.stop()
        try:
            people = [sign(http, st["slug"]) for _ in range(20)]
            r = stack.cli("mailer", "--once")
            assert r.returncode == 0, r.stdout + r.stderr
            rows = query(db, "SELECT attempts, sent_at IS NULL, last_error"
                         " FROM outbox WHERE recipient = ANY(%s)",
                         [p["email"] for p in people])
            assert len(rows) == 20
            # The messages under way found the relay away (one per
            # connection, 4 by default); the others were not tried and
            # their attempt does not count.  None is lost.
            tried = sum(r[0] for r in rows)
            assert 1 <= tried <= 4
            assert sorted(r[0] for r in rows) == [0] * (20 - tried) + \
                [1] * tried
            assert all(r[1] and "SMTP delivery failed" in r[2] for r in rows)
            assert query(db, "SELECT count(*) FROM email_tokens t JOIN"
                         " signatures sg ON sg.id = t.signature_id WHERE"
                         " sg.email = ANY(%s)",
                         [p["email"] for p in people]) == [(0,)]
        finally:
            stack.smtp.start()
        query(db, "UPDATE outbox SET next_attempt_at = now() WHERE"
              " recipient = ANY(%s)", [p["email"] for p in people])
    wait(lambda: unsent(db, [p["email"] for p in people]) == 0)
    assert [len(stack.smtp.to(p["email"])) for p in people] == [1] * 20


def from_header(raw):
    """The From header's value as sent, unfolded."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    m = re.search(rb"\r\nFrom: (.*?)\r\n(?![ \t])", b"\r\n" + head + b"\r\n",
                  re.S)
    return re.sub(rb"\r\n[ \t]", b" ", m.group(1))


def display_name(raw):
    """The display name decoded as RFC 2047 says: the white space between
    adjacent encoded words is not part of the text.  (Python's address
    parser adds a space there, so it is not used.)"""
    value = from_header(raw).decode("ascii")
    if "<" not in value:
        return ""
    phrase = value[:value.rindex("<")].strip()
    if phrase.startswith('"'):
        return re.sub(r'\\(.)', r"\1", phrase[1:-1])
    return "".join(part.decode(cs or "ascii") if isinstance(part, bytes)
                   else part for part, cs in email.header.decode_header(phrase))


def test_confirmation_mail_comes_from_the_coordinating_organisation(
        http, stack, make_statement):
    org = 'Общественный фонд «Правовой ключ», "Бишкек"'
    st = make_statement(coordinator_organisation=org)
    s = sign(http, st["slug"])
    mail = stack.smtp.wait_for(s["email"])[0]
    line = from_header(mail["raw"])
    # RFC 2047 words only: the comma and the quotes are inside them.
    assert line.startswith(b"=?UTF-8?B?")
    assert line.endswith(b" <noreply@undersigned.example.org>")
    assert display_name(mail["raw"]) == org + " via Коалиция undersigned"
    assert mail["msg"]["Reply-To"] is None


def test_confirmation_mail_without_an_organisation_keeps_mail_from(
        http, stack, make_statement):
    st = make_statement()
    s = sign(http, st["slug"])
    mail = stack.smtp.wait_for(s["email"])[0]
    assert display_name(mail["raw"]) == "Коалиция undersigned"


def move_back(db, email_addr, hours):
    query(db, "UPDATE signatures SET created_at = created_at - make_interval("
          "hours => %s), last_mail_at = last_mail_at - make_interval("
          "hours => %s) WHERE email = %s", hours, hours, email_addr)


def test_one_reminder_after_48_hours_in_the_signers_language(
        http, stack, db, make_statement):
    st = make_statement(lang="ru", title="Свободу «Бишкекской четвёрке»",
                        coordinator_organisation="Правовой ключ")
    s = sign(http, st["slug"])
    first = stack.smtp.wait_for(s["email"])[0]
    # 47 hours: too early.
    move_back(db, s["email"], 47)
    since = db_now(db)
    assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert len(stack.smtp.to(s["email"])) == 1
    move_back(db, s["email"], 2)
    assert stack.cli("mailer", "--once").returncode == 0
    mails = stack.smtp.wait_for(s["email"], count=2)
    reminder = mails[1]["msg"]
    assert "Напоминание" in reminder["Subject"]
    assert "Свободу «Бишкекской четвёрке»" in reminder["Subject"]
    assert display_name(mails[1]["raw"]) == \
        "Правовой ключ via Коалиция undersigned"
    assert "ещё не подтверждена" in text_part(reminder)
    # Never more: not after restarts, not with more senders, not later.
    move_back(db, s["email"], 200)
    query(db, "UPDATE signatures SET created_at = now() - interval"
          " '3 days' WHERE email = %s", s["email"])
    since = db_now(db)
    for _ in range(3):
        assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert len(stack.smtp.to(s["email"])) == 2
    assert query(db, "SELECT count(*) FROM outbox WHERE kind = 'reminder'"
                 " AND recipient = %s", s["email"]) == [(1,)]
    # The reminder's link confirms; the first mail's link still works
    # too, and after confirming nothing else is sent.
    token = verify_token_from(stack, mails[1])
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    assert verify_token_from(stack, first) != token


def test_no_reminder_once_signing_has_closed(http, stack, db, token,
                                             make_statement):
    st = make_statement()
    s = sign(http, st["slug"])
    stack.smtp.wait_for(s["email"])
    r = requests.post(stack.url + "/api/v1/statements/%s/status" % st["slug"],
                      json={"status": "closed"},
                      headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    move_back(db, s["email"], 49)
    since = db_now(db)
    assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert len(stack.smtp.to(s["email"])) == 1
    assert query(db, "SELECT reminded_at FROM signatures WHERE email = %s",
                 s["email"]) == [(None,)]


def test_no_reminder_past_the_signing_deadline(http, stack, db,
                                               make_statement):
    st = make_statement()
    s = sign(http, st["slug"])
    stack.smtp.wait_for(s["email"])
    query(db, "UPDATE statements SET signing_deadline = now() - interval"
          " '1 hour' WHERE slug = %s", st["slug"])
    move_back(db, s["email"], 49)
    since = db_now(db)
    assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert len(stack.smtp.to(s["email"])) == 1


def coordinator(stack, lang=None):
    """A new coordinator signed in (in lang, if given): API token and
    cookie session."""
    addr = "digest-%s@coalition.example.org" % unique_slug("d")[2:]
    api = stack.cli("coordinator", "add", addr).stdout.strip() \
        .splitlines()[-1]
    s = requests.Session()
    r = s.post(stack.url + "/w/login", data={"email": addr})
    assert r.status_code == 200
    mail = stack.smtp.wait_for(addr)[-1]
    link = LOGIN_RE.search(text_part(mail["msg"])).group(1)
    r = s.post(stack.url + "/w/login/" + link + ("?lang=" + lang if lang
               else ""), data={"go": "1"}, allow_redirects=False)
    assert r.status_code == 303
    return addr, api, s


def digests(stack, addr):
    return [m for m in stack.smtp.to(addr)
            if "/w/unsubscribe/" in text_part(m["msg"])]


def test_daily_digest_once_a_day_and_never_after_opting_out(http, stack,
                                                            db):
    addr, api, ws = coordinator(stack, lang="ru")
    mine = make_statement_for(stack, api, require_approval=True)
    # Nothing waits: no digest.
    since = db_now(db)
    assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert digests(stack, addr) == []
    confirmed_signature(http, stack, mine)
    confirmed_signature(http, stack, mine)
    assert stack.cli("mailer", "--once").returncode == 0
    got = wait(lambda: digests(stack, addr))
    assert len(got) == 1
    msg = got[0]["msg"]
    body = text_part(msg)
    # In the coordinator's workspace language, with the count and the
    # link to the moderation queue.
    assert msg["Subject"] == "Подписи ждут вашего одобрения"
    assert "Ждут одобрения: 2" in body
    assert "%s/w/s/%s/signatures?show=queue" % (stack.url, mine) in body
    # Once a day: more runs the same day send nothing more.
    since = db_now(db)
    for _ in range(2):
        assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert len(digests(stack, addr)) == 1
    # The next day, again.
    query(db, "UPDATE coordinators SET digest_at = digest_at - interval"
          " '25 hours' WHERE email = %s", addr)
    assert stack.cli("mailer", "--once").returncode == 0
    second = wait(lambda: len(digests(stack, addr)) == 2 and
                  digests(stack, addr))[1]
    # The unsubscribe link: the page changes nothing, its button does.
    link = UNSUBSCRIBE_RE.search(text_part(second["msg"])).group(1)
    page = requests.get(stack.url + "/w/unsubscribe/" + link)
    assert page.status_code == 200 and addr in page.text
    assert query(db, "SELECT digest_off FROM coordinators WHERE email = %s",
                 addr) == [(False,)]
    r = requests.post(stack.url + "/w/unsubscribe/" + link,
                      data={"digest": "off"})
    assert r.status_code == 200
    assert query(db, "SELECT digest_off FROM coordinators WHERE email = %s",
                 addr) == [(True,)]
    query(db, "UPDATE coordinators SET digest_at = digest_at - interval"
          " '25 hours' WHERE email = %s", addr)
    since = db_now(db)
    assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert len(digests(stack, addr)) == 2
    assert query(db, "SELECT count(*) FROM outbox WHERE kind = 'digest' AND"
                 " recipient = %s", addr) == [(2,)]
    assert requests.post(stack.url + "/w/unsubscribe/" + "x" * 43,
                         data={"digest": "off"}).status_code == 404


def test_digest_setting_in_the_workspace(http, stack, db):
    addr, api, ws = coordinator(stack)
    page = ws.get(stack.url + "/w")
    assert page.status_code == 200
    assert re.search(r'name="digest" value="on" checked', page.text)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = ws.post(stack.url + "/w/notices", data={"csrf": csrf},
                allow_redirects=False)
    assert r.status_code == 303
    assert query(db, "SELECT digest_off FROM coordinators WHERE email = %s",
                 addr) == [(True,)]
    page = ws.get(stack.url + "/w")
    assert not re.search(r'name="digest" value="on" checked', page.text)
    # Opted out: signatures wait, no digest is queued.
    mine = make_statement_for(stack, api, require_approval=True)
    confirmed_signature(http, stack, mine)
    since = db_now(db)
    assert stack.cli("mailer", "--once").returncode == 0
    wait_mail_settled(db, since)
    assert digests(stack, addr) == []
    r = ws.post(stack.url + "/w/notices", data={"csrf": csrf, "digest": "on"},
                allow_redirects=False)
    assert r.status_code == 303
    assert stack.cli("mailer", "--once").returncode == 0
    got = wait(lambda: digests(stack, addr))
    assert got[0]["msg"]["Subject"] == "Signatures waiting for your approval"
    # Without a CSRF token nothing changes.
    r = ws.post(stack.url + "/w/notices", data={}, allow_redirects=False)
    assert r.status_code == 403


def make_statement_for(stack, api, **fields):
    body = {
        "slug": unique_slug(),
        "kind": "joint_statement",
        "lang": "en",
        "title": "Release the journalists",
        "body_markdown": "We call for their release.",
        "place": "Bishkek",
        "date": "2026-12-10",
    }
    body.update(fields)
    h = {"Authorization": "Bearer " + api}
    r = requests.post(stack.url + "/api/v1/statements", json=body, headers=h)
    assert r.status_code == 201, r.text
    r = requests.post(stack.url + "/api/v1/statements/%s/status"
                      % body["slug"], json={"status": "open"}, headers=h)
    assert r.status_code == 200, r.text
    return body["slug"]


def test_mail_queued_without_notify_goes_out_by_the_poll(http, stack, db,
                                                         make_statement):
    """The sign path need not NOTIFY for every message: a row queued
    silently is found by the sender's poll (UNDERSIGNED_MAIL_POLL_MS,
    1 s by default), not after its 30-second idle wait."""
    st = make_statement()
    addr = "silent-%s@ngo.example.org" % unique_slug("q")[2:]
    query(db, "WITH s AS (INSERT INTO signatures (statement_id, organisation,"
          " country, contact_name, email, text_digest, lang) SELECT id,"
          " 'Silent NGO', 'KG', 'Aigerim', %s, text_digest, lang FROM"
          " statements WHERE slug = %s RETURNING id)"
          " INSERT INTO outbox (kind, signature_id, recipient)"
          " SELECT 'verify', id, %s FROM s", addr, st["slug"], addr)
    stack.smtp.wait_for(addr, timeout=10)
