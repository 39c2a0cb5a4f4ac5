"""The mail sender never sends a relay password or a confirmation link in
clear: with a login in SMTP_URL (or to any relay not on this machine) it
requires STARTTLS, and a relay that does not offer it gets nothing."""
from aiosmtpd.controller import Controller

from conftest import free_port, query, signer, stop_process


class PlainRelay:
    """An SMTP server on loopback without STARTTLS, noting what it hears."""

    def __init__(self):
        self.port = free_port()
        self.greetings = 0
        self.messages = []
        self.controller = Controller(self, hostname="127.0.0.1",
                                     port=self.port)

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        self.greetings += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


def test_credentials_are_never_sent_without_tls(http, stack, db,
                                                make_statement):
    relay = PlainRelay()
    relay.controller.start()
    st = make_statement()
    s = signer()
    stop_process(stack.mailer)
    try:
        assert http.post(http.base + "/api/v1/statements/%s/signatures"
                         % st["slug"], json=s).status_code == 202
        url = "smtp://undersigned:s3cret-pass@127.0.0.1:%d" % relay.port
        r = stack.cli("mailer", "--once", env=dict(stack.env, SMTP_URL=url))
        assert r.returncode == 0, r.stdout + r.stderr
        # It spoke to the relay, found no STARTTLS and stopped there.
        assert relay.greetings >= 1
        assert relay.messages == []
        rows = query(db, "SELECT attempts, sent_at IS NULL, failed_at IS"
                     " NULL, last_error FROM outbox WHERE recipient = %s",
                     s["email"])
        assert len(rows) == 1
        attempts, unsent, not_failed, error = rows[0]
        assert (attempts, unsent, not_failed) == (1, True, True)
        assert "SMTP delivery failed" in error
        # No token made for the attempt survives it.
        assert query(db, "SELECT count(*) FROM email_tokens t JOIN"
                     " signatures sg ON sg.id = t.signature_id WHERE"
                     " sg.email = %s", s["email"]) == [(0,)]
        assert "s3cret-pass" not in r.stdout + r.stderr
    finally:
        relay.controller.stop()
        stack.start_mailer()
    # The message waits for a relay it may use, and then goes out.
    stack.smtp.wait_for(s["email"])
