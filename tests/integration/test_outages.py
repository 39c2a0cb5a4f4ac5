"""Dependencies going away: the service answers 503, keeps running,
recovers by itself, and loses no signature or mail."""
import time

import requests

from conftest import PGDIR, VAR, query, signer, verify_token_from


def wait(cond, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("condition not met in %ss" % timeout)


def test_database_down_gives_503_then_recovers(http, stack, db, make_statement):
    st = make_statement()
    stack.pg("stop", PGDIR)
    try:
        r = http.get(http.base + "/healthz")
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "5"
        assert r.json()["error"]["code"] == "database_unavailable"
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=signer())
        assert r.status_code == 503 and "Retry-After" in r.headers
        r = http.get(http.base + "/s/" + st["slug"])
        assert r.status_code == 503
        assert r.headers["Content-Type"].startswith("text/html")
        assert stack.kore.poll() is None
    finally:
        stack.pg("start", PGDIR)
    wait(lambda: http.get(http.base + "/healthz").status_code == 200)
    # Every pooled connection was stale; none of them may cost a request.
    for _ in range(12):
        assert http.get(http.base + "/api/v1/statements/"
                        + st["slug"]).status_code == 200
    s = signer()
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=s)
    assert r.status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200


def test_no_sign_request_is_lost_to_a_stale_connection(http, stack,
                                                       make_statement):
    """After a restart each task thread's connection is stale: its next
    statement fails, is retried on a new connection and succeeds, and the
    request must then answer as if nothing had happened (not 503)."""
    st = make_statement()
    url = http.base + "/api/v1/statements/%s/signatures" % st["slug"]
    for _ in range(12):
        assert http.post(url, json=signer()).status_code == 202
    stack.pg("stop", PGDIR)
    stack.pg("start", PGDIR)
    codes = [http.post(url, json=signer()).status_code for _ in range(12)]
    assert codes == [202] * 12


def test_smtp_down_then_up_delivers_exactly_once(http, stack, db,
                                                  make_statement):
    st = make_statement()
    s = signer()
    stack.smtp.stop()
    try:
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=s)
        assert r.status_code == 202
        row = wait(lambda: query(db, "SELECT attempts, last_error, sent_at"
                                 " FROM outbox WHERE recipient = %s AND"
                                 " attempts >= 1 AND last_error IS NOT NULL",
                                 s["email"]))
        assert row[0][2] is None
        assert query(db, "SELECT status FROM signatures WHERE email = %s",
                     s["email"]) == [("pending",)]
        assert query(db, "SELECT count(*) FROM email_tokens t JOIN signatures"
                     " s ON s.id = t.signature_id WHERE s.email = %s",
                     s["email"]) == [(0,)]
    finally:
        stack.smtp.start()
    mails = stack.smtp.wait_for(s["email"], timeout=30)
    wait(lambda: query(db, "SELECT sent_at IS NOT NULL FROM outbox WHERE"
                       " recipient = %s", s["email"]) == [(True,)])
    assert len(stack.smtp.to(s["email"])) == 1
    assert query(db, "SELECT sent_at IS NOT NULL, last_error FROM outbox"
                 " WHERE recipient = %s", s["email"]) == [(True, None)]
    token = verify_token_from(stack, mails[0])
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": token}).status_code == 200


def test_mail_sent_while_the_database_is_away_is_recorded_once_back(
        http, stack, db, make_statement):
    """The SMTP server accepted the message, then the database went away
    before the sender could record it (a restart, a failover).  The sender
    keeps the outcome and records it when the database is back: otherwise
    the row's lease runs out and the signer gets the mail twice."""
    st = make_statement()
    s = signer()
    reached, release = stack.smtp.hold(s["email"])
    with open(VAR + "/mailer.log", "rb") as f:
        log_start = len(f.read())
    try:
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=s)
        assert r.status_code == 202
        assert reached.wait(30), "the mail sender never sent the message"
        stack.pg("stop", PGDIR)
    finally:
        release.set()
    try:
        stack.smtp.wait_for(s["email"])

        def tried_to_record():
            with open(VAR + "/mailer.log", "rb") as f:
                log = f.read()[log_start:]
            return b"could not record" in log or b"not recorded yet" in log
        wait(tried_to_record)
    finally:
        stack.pg("start", PGDIR)
    wait(lambda: query(db, "SELECT sent_at IS NOT NULL FROM outbox WHERE"
                       " recipient = %s", s["email"]) == [(True,)])
    assert len(stack.smtp.to(s["email"])) == 1
    # The sender reconnected while recording: it must listen for new mail
    # on its new connection, not fall back to its 30-second poll.
    for _ in range(3):
        nxt = signer()
        assert http.post(http.base + "/api/v1/statements/%s/signatures"
                         % st["slug"], json=nxt).status_code == 202
        stack.smtp.wait_for(nxt["email"], timeout=5)
