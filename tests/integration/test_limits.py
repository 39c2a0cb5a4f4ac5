"""Abuse limits: per client address, per recipient and per statement; who
the client is behind a proxy; the honeypot; and a stranger who re-signs
with someone else's address.

The per-client limits are tested on an app of their own with the real
defaults (10 signatures a minute, 5 resends, 5 sign-in mails).  Its peer is
loopback, a trusted proxy by default, so each test speaks for a client of
its own through X-Forwarded-For.  The main app of the suite runs with
UNDERSIGNED_RATE_LIMITS=off, which must leave the per-recipient rule on.
"""
import os
import random
import time
import uuid

import pytest
import requests

from conftest import (VAR, free_port, query, signer, stop_process,
                      verify_token_from)


@pytest.fixture(scope="module")
def limited(stack):
    """The app with the limits on, as in production."""
    port = free_port()
    proc = stack.spawn_app("kore-limits", port, UNDERSIGNED_RATE_LIMITS="on")
    yield "http://127.0.0.1:%d" % port
    stop_process(proc)


def new_client():
    """An address of a client of our own (documentation prefixes)."""
    return "2001:db8:%x:%x::17" % (random.getrandbits(16),
                                   random.getrandbits(16))


def sign(base, slug, data, client=None):
    headers = {"X-Forwarded-For": client} if client else {}
    return requests.post(base + "/api/v1/statements/%s/signatures" % slug,
                         json=data, headers=headers)


def until_refused(send, most=25):
    """Sends until a 429; returns the answers.  With fixed one-minute
    windows a run that crosses a minute may get two windows' worth."""
    answers = []
    for _ in range(most):
        answers.append(send())
        if answers[-1].status_code == 429:
            break
    return answers


def assert_rate_limited(r, api=True):
    assert r.status_code == 429, r.text[:300]
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= 3600
    if api:
        e = r.json()["error"]
        assert e["code"] == "rate_limited" and e["field"] is None
        assert "try again in" in e["message"]
    else:
        assert r.headers["Content-Type"].startswith("text/html")
        assert "Too many requests" in r.text and "try again in" in r.text


def add_translation(db, slug, lang="ru"):
    query(db, "INSERT INTO statement_translations (statement_id, lang,"
          " title, body_markdown, body_html, text_digest) SELECT id, %s,"
          " 'Освободите четверых', 'Мы требуем…', '<p>Мы требуем…</p>',"
          " repeat('cd', 32) FROM statements WHERE slug = %s", lang, slug)


def outbox_rows(db, email):
    return query(db, "SELECT kind FROM outbox WHERE lower(recipient) ="
                 " lower(%s) ORDER BY id", email)


# Finding 2: the open mail relay.

def test_one_client_cannot_mail_two_hundred_strangers(limited, db,
                                                      make_statement):
    st = make_statement()
    client = new_client()
    emails = ["stranger-%d-%s@victims.example.org" % (i, uuid.uuid4().hex[:6])
              for i in range(200)]
    answers = [sign(limited, st["slug"], signer(email=e), client)
               for e in emails]
    accepted = [e for e, r in zip(emails, answers) if r.status_code == 202]
    refused = [r for r in answers if r.status_code == 429]
    assert len(accepted) + len(refused) == 200
    assert 10 <= len(accepted) <= 20
    assert_rate_limited(refused[0])
    assert query(db, "SELECT count(*) FROM outbox WHERE recipient = ANY(%s)",
                 emails) == [(len(accepted),)]
    assert query(db, "SELECT count(*) FROM signatures WHERE email = ANY(%s)",
                 emails) == [(len(accepted),)]


def test_changing_language_does_not_reset_the_ten_minute_rule(
        http, stack, db, make_statement):
    """On the suite's app, limits off: the per-address rule holds anyway."""
    st = make_statement()
    add_translation(db, st["slug"])
    s = signer()
    for i in range(10):
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=dict(s, lang="ru" if i % 2 else "en"))
        assert r.status_code == 202, r.text
    stack.smtp.wait_for(s["email"])
    assert outbox_rows(db, s["email"]) == [("verify",)]
    time.sleep(1)
    assert len(stack.smtp.to(s["email"])) == 1


def test_one_address_gets_one_mail_in_ten_minutes_across_statements(
        http, stack, db, make_statement):
    """A second statement's mail waits for the address's next slot: it is
    neither sent at once nor dropped."""
    a, b = make_statement(), make_statement()
    s = signer()
    for st in (a, b):
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=s)
        assert r.status_code == 202
    stack.smtp.wait_for(s["email"])
    rows = query(db, "SELECT st.slug, o.sent_at IS NULL,"
                 " o.next_attempt_at - o.created_at >= interval '9 min'"
                 " FROM outbox o JOIN signatures sg ON sg.id = o.signature_id"
                 " JOIN statements st ON st.id = sg.statement_id"
                 " WHERE lower(o.recipient) = lower(%s) ORDER BY o.id",
                 s["email"])
    # The first went out at once (the sink has it; the sender may still be
    # recording that), the second waits ten minutes for its slot.
    assert [(slug, later) for slug, _, later in rows] == [
        (a["slug"], False), (b["slug"], True)]
    assert rows[1][1] is True
    time.sleep(1)
    assert len(stack.smtp.to(s["email"])) == 1


def test_limits_count_per_client_and_an_ipv6_64_is_one_client(
        limited, make_statement):
    st = make_statement()
    net = "2001:db8:%x:%x" % (random.getrandbits(16), random.getrandbits(16))
    n = iter(range(1, 1000))
    answers = until_refused(lambda: sign(limited, st["slug"], signer(),
                                         "%s::%x" % (net, next(n))))
    assert_rate_limited(answers[-1])
    assert sign(limited, st["slug"], signer(), new_client()).status_code == 202


def test_the_client_is_the_right_most_address_no_trusted_proxy_wrote(
        limited, make_statement):
    """Whatever a client puts into X-Forwarded-For itself stays left of
    the address our proxy appends, and changes nothing."""
    st = make_statement()
    real = new_client()
    answers = until_refused(lambda: sign(
        limited, st["slug"], signer(), "%s, %s" % (new_client(), real)))
    assert_rate_limited(answers[-1])


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(
        stack, make_statement):
    port = free_port()
    proc = stack.spawn_app("kore-untrusted", port,
                           UNDERSIGNED_RATE_LIMITS="on",
                           UNDERSIGNED_TRUSTED_PROXIES="192.0.2.1, 2001:db8::/32")
    try:
        base = "http://127.0.0.1:%d" % port
        st = make_statement()
        answers = until_refused(lambda: sign(base, st["slug"], signer(),
                                             new_client()))
        assert_rate_limited(answers[-1])
    finally:
        stop_process(proc)


def test_the_web_form_says_when_to_try_again(limited, make_statement):
    st = make_statement()
    client = new_client()

    def post():
        s = signer()
        return requests.post(limited + "/s/%s/sign" % st["slug"], data=s,
                             headers={"X-Forwarded-For": client},
                             allow_redirects=False)

    answers = until_refused(post)
    assert answers[0].status_code == 303
    assert_rate_limited(answers[-1], api=False)


def test_a_russian_reader_is_told_in_russian_when_to_try_again(
        limited, make_statement):
    st = make_statement()
    client = new_client()

    def post():
        return requests.post(limited + "/s/%s/sign" % st["slug"],
                             data=signer(), allow_redirects=False,
                             headers={"X-Forwarded-For": client,
                                      "Accept-Language": "ru"})

    r = until_refused(post)[-1]
    assert r.status_code == 429
    retry = int(r.headers["Retry-After"])
    assert "<title>Слишком много запросов" in r.text
    assert "Повторите попытку через %d " % (
        retry if retry < 120 else (retry + 59) // 60) in r.text
    assert "Too many requests" not in r.text


def test_resend_requests_are_limited_per_client(limited):
    client = new_client()
    answers = until_refused(lambda: requests.post(
        limited + "/verify/%s/resend" % ("A" * 43), data={"resend": "1"},
        headers={"X-Forwarded-For": client}), most=15)
    assert len(answers) <= 11
    assert_rate_limited(answers[-1], api=False)


def test_sign_in_mails_are_limited_per_client(limited, stack, db):
    client = new_client()
    email = "limits-%s@tests.example.org" % uuid.uuid4().hex[:8]
    stack.cli("coordinator", "add", email)
    answers = until_refused(lambda: requests.post(
        limited + "/w/login", data={"email": email},
        headers={"X-Forwarded-For": client}), most=15)
    assert len(answers) <= 11
    assert answers[0].status_code == 200
    assert_rate_limited(answers[-1], api=False)


def test_limits_off_lets_one_client_sign_freely(http, make_statement):
    """The suite's app runs with UNDERSIGNED_RATE_LIMITS=off."""
    st = make_statement()
    for _ in range(25):
        assert http.post(http.base + "/api/v1/statements/%s/signatures"
                         % st["slug"], json=signer()).status_code == 202


def test_limits_off_is_logged_at_start_up(stack):
    with open(os.path.join(VAR, "kore.log")) as f:
        assert "UNDERSIGNED_RATE_LIMITS=off" in f.read()


def test_limit_settings_are_checked_strictly(stack):
    for name, value in (("UNDERSIGNED_RATE_LIMITS", "maybe"),
                        ("UNDERSIGNED_TRUSTED_PROXIES", "10.0.0.0/8, nginx"),
                        ("UNDERSIGNED_TRUSTED_PROXIES", "10.0.0.0/33"),
                        ("UNDERSIGNED_MAIL_PER_MINUTE", "0")):
        r = stack.cli("check-config", check=False,
                      env=dict(stack.env, **{name: value}))
        assert r.returncode != 0, (name, value)
        assert name in r.stdout + r.stderr


# The mail sender's cap per statement and overall.

def test_verification_mail_over_the_cap_is_sent_later_not_dropped(
        http, stack, db, make_statement):
    a, b = make_statement(), make_statement()
    stop_process(stack.mailer)
    try:
        people = {st["slug"]: [signer() for _ in range(4)] for st in (a, b)}
        for slug, signers in people.items():
            for s in signers:
                assert http.post(http.base + "/api/v1/statements/%s/"
                                 "signatures" % slug, json=s).status_code == 202
        emails = [s["email"] for ss in people.values() for s in ss]
        # Mail of earlier tests the stopped sender left behind waits, so
        # that only this test's mail meets the caps.
        held = [r[0] for r in query(
            db, "UPDATE outbox SET next_attempt_at = now() + interval"
            " '1 hour' WHERE sent_at IS NULL AND failed_at IS NULL AND"
            " next_attempt_at <= now() AND recipient <> ALL(%s)"
            " RETURNING id", emails)]
        # One minute's window for the whole run.
        if time.time() % 60 > 50:
            time.sleep(61 - time.time() % 60)
        r = stack.cli("mailer", "--once", env=dict(
            stack.env, UNDERSIGNED_RATE_LIMITS="on",
            UNDERSIGNED_MAIL_PER_MINUTE="5",
            UNDERSIGNED_MAIL_PER_STATEMENT_PER_MINUTE="3"))
        assert r.returncode == 0, r.stdout + r.stderr
        rows = query(db, "SELECT st.slug, count(o.sent_at),"
                     " count(*) FILTER (WHERE o.sent_at IS NULL AND"
                     " o.failed_at IS NULL AND o.attempts = 0 AND"
                     " o.next_attempt_at > now())"
                     " FROM outbox o JOIN signatures sg ON sg.id ="
                     " o.signature_id JOIN statements st ON st.id ="
                     " sg.statement_id WHERE o.recipient = ANY(%s)"
                     " GROUP BY st.slug, st.id ORDER BY st.id", emails)
        # Three for the first statement (its cap), two for the second
        # (the overall cap of five); the rest waits for the next minute.
        assert rows == [(a["slug"], 3, 1), (b["slug"], 2, 2)]
        # Nothing is dropped: when their minute comes they go out.
        query(db, "UPDATE outbox SET next_attempt_at = now() WHERE"
              " (recipient = ANY(%s) OR id = ANY(%s)) AND sent_at IS NULL",
              emails, held)
    finally:
        stack.start_mailer()
    for e in emails:
        stack.smtp.wait_for(e)


# The honeypot.

def test_a_filled_honeypot_stores_nothing_and_answers_like_success(
        http, stack, db, make_statement):
    st = make_statement()
    s = signer()
    r = http.post(http.base + "/s/%s/sign" % st["slug"],
                  data=dict(s, url="http://spam.example.com/"),
                  allow_redirects=False)
    real = http.post(http.base + "/s/%s/sign" % st["slug"], data=signer(),
                     allow_redirects=False)
    assert (r.status_code, r.headers["Location"]) == (
        real.status_code, real.headers["Location"]) == (
        303, "/s/%s/check-email" % st["slug"])
    assert query(db, "SELECT count(*) FROM signatures WHERE email = %s",
                 s["email"]) == [(0,)]
    assert outbox_rows(db, s["email"]) == []


def test_the_honeypot_is_hidden_from_people_and_screen_readers(
        http, make_statement):
    st = make_statement()
    page = http.get(http.base + "/s/" + st["slug"]).text
    start = page.index('<div class="trap" aria-hidden="true">')
    trap = page[start:page.index("</div>", start)]
    assert '<label for="f-url">' in trap
    assert 'name="url"' in trap and 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


# Finding 3: a stranger re-signs with someone else's address.

def test_a_stranger_in_another_language_cannot_rewrite_a_pending_signature(
        http, stack, db, make_statement):
    st = make_statement()
    add_translation(db, st["slug"])
    victim = signer(comment="We stand with the four.")
    assert http.post(http.base + "/api/v1/statements/%s/signatures"
                     % st["slug"], json=victim).status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(victim["email"])[0])
    before = query(db, "SELECT organisation, acronym, country, website,"
                   " contact_name, comment, visibility, lang, text_digest"
                   " FROM signatures WHERE email = %s", victim["email"])
    forged = signer(email=victim["email"].upper(), lang="ru",
                    organisation="Forged", country="RU", comment="Forged",
                    visibility="named")
    r = http.post(http.base + "/api/v1/statements/%s/signatures"
                  % st["slug"], json=forged)
    assert (r.status_code, r.json()) == (202, {"status":
                                               "pending_verification"})
    assert query(db, "SELECT organisation, acronym, country, website,"
                 " contact_name, comment, visibility, lang, text_digest"
                 " FROM signatures WHERE email = %s",
                 victim["email"]) == before
    # The victim's link still confirms the victim's own data.
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    assert query(db, "SELECT organisation, comment, lang, status FROM"
                 " signatures WHERE email = %s", victim["email"]) == [
                     (victim["organisation"], victim["comment"], "en",
                      "confirmed")]


def test_unreadable_relay_settings_stop_the_mailer_before_sending(stack):
    r = stack.cli("check-config", check=False,
                  env=dict(stack.env, SMTP_URL="smtp://user:pw@:25"))
    assert r.returncode != 0 and "SMTP_URL" in r.stdout + r.stderr
    # The password never reaches a log or the settings printout.
    r = stack.cli("check-config", env=dict(
        stack.env, SMTP_URL="smtp://user:s3cret@mail.example.org:587"))
    assert "s3cret" not in r.stdout and "mail.example.org:587" in r.stdout

