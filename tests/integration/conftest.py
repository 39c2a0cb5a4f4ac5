"""Fixtures for the integration suite: real PostgreSQL, a real SMTP server
and the real Kore application, all started here and stopped afterwards.

US_BUILD selects the build under test: "build" (default) or "build/asan"
(AddressSanitizer + UBSan).  Each build gets its own throwaway cluster
under var/test/<name>/.
"""
import asyncio
import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid

import psycopg2
import pytest
import requests
from aiosmtpd.controller import Controller

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("US_BUILD", "build")
NAME = "asan" if "asan" in BUILD else "plain"
VAR = os.path.join(ROOT, "var", "test", NAME)
PGDIR = os.path.join(VAR, "pg")
CLI = os.path.join(ROOT, BUILD, "bin", "undersigned") if BUILD != "build" \
    else os.path.join(ROOT, "bin", "undersigned")
MODULE = os.path.join(ROOT, BUILD, "undersigned.so")
PLUGINS = os.path.join(ROOT, BUILD, "plugins") if BUILD != "build" \
    else os.path.join(ROOT, "plugins")


# No test may hang on a request: a stuck request is a failure, loudly.
_request = requests.Session.request


def _request_with_timeout(self, method, url, **kw):
    kw.setdefault("timeout", 60)
    return _request(self, method, url, **kw)


requests.Session.request = _request_with_timeout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sanitizer_env():
    """The sanitizer build needs its runtime preloaded into kore."""
    if NAME != "asan":
        return {}
    lib = subprocess.run(["gcc", "-print-file-name=libasan.so"],
                         capture_output=True, text=True).stdout.strip()
    return {
        "LD_PRELOAD": os.path.realpath(lib),
        # Kore's own pools outlive exit by design; leaks are checked on
        # the CLI with valgrind instead.  Errors must be fatal and loud.
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:halt_on_error=1:"
                        "log_path=" + os.path.join(VAR, "asan"),
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:log_path="
                         + os.path.join(VAR, "ubsan"),
    }


class MailSink:
    """An SMTP server on loopback that keeps every message it accepts."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self.lock = threading.Lock()
        self.controller = None
        self.held = None
        # SMTP sessions opened (one EHLO or HELO each), to prove reuse.
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    def hold(self, address):
        """Keeps the next message to address in DATA until release():
        returns (reached, release), two threading.Events."""
        self.held = (address, threading.Event(), threading.Event())
        return self.held[1], self.held[2]

    async def handle_DATA(self, server, session, envelope):
        held = self.held
        if held is not None and held[0] in envelope.rcpt_tos:
            held[1].set()
            while not held[2].is_set():
                await asyncio.sleep(0.05)
            self.held = None
        msg = email.message_from_bytes(envelope.content,
                                       policy=email.policy.default)
        with self.lock:
            self.messages.append({"rcpt": list(envelope.rcpt_tos),
                                  "raw": envelope.content, "msg": msg})
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1",
                                     port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if address in m["rcpt"]]

    def wait_for(self, address, count=1, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError("no mail for %s within %ss (have %d)"
                             % (address, timeout, len(self.to(address))))


def text_part(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_part(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


class Stack:
    """The running services and how to reach them."""

    def __init__(self):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.smtp = MailSink(free_port())
        self.conninfo = None
        self.env = None
        self.kore = None
        self.mailer = None

    def pg(self, *args):
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh")] + list(args),
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    def cli(self, *args, check=True, env=None):
        return subprocess.run([CLI] + list(args), cwd=ROOT, env=env or self.env,
                              capture_output=True, text=True, check=check)

    def spawn_app(self, name, port, **env_over):
        """A Kore instance of the build under test; returns the process."""
        conf = os.path.join(VAR, name + ".conf")
        with open(os.path.join(ROOT, "conf", "undersigned.conf")) as f:
            text = f.read()
        text = text.replace("./build/undersigned.so", MODULE)
        text = text.replace("var/run/kore.pid",
                            os.path.join(VAR, name + ".pid"))
        with open(conf, "w") as f:
            f.write(text)
        env = dict(self.env, PORT=str(port), **env_over)
        env.update(sanitizer_env())
        log = open(os.path.join(VAR, name + ".log"), "ab")
        proc = subprocess.Popen(["kore", "-c", conf, "-f", "-n", "-r"],
                                cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.wait_healthy(proc, "http://127.0.0.1:%d" % port)
        return proc

    def start_app(self):
        self.kore = self.spawn_app("kore", self.port)

    def wait_healthy(self, proc=None, url=None, timeout=30):
        proc = proc or self.kore
        url = url or self.url
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("kore exited; see the logs in " + VAR)
            try:
                if requests.get(url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the app did not become healthy")

    def start_mailer(self):
        env = dict(self.env)
        env.update(sanitizer_env())
        self.mailer_log = open(os.path.join(VAR, "mailer.log"), "ab")
        self.mailer = subprocess.Popen([CLI, "mailer"], cwd=ROOT, env=env,
                                       stdout=self.mailer_log,
                                       stderr=subprocess.STDOUT,
                                       start_new_session=True)

    def stop(self):
        for p in (self.kore, self.mailer):
            stop_process(p)
        self.smtp.stop()


def stop_process(p):
    """SIGTERM, and the process must be gone within ten seconds.

    With libasan preloaded into the (uninstrumented) kore binary, glibc's
    setlocale lock is already unbalanced in the parent before our module
    runs (seen with gdb: __readers underflows even with the plain module),
    and a worker then hangs in exit() in a library destructor.  So under
    the sanitizer a worker that does not exit is killed; the plain build
    must shut down cleanly.
    """
    if p is None or p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(3 if NAME == "asan" else 10)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(10)
        assert NAME == "asan", "%s did not stop on SIGTERM" % p.args


@pytest.fixture(scope="session")
def stack():
    s = Stack()
    if os.path.isdir(VAR):
        s.pg("stop", PGDIR)
        shutil.rmtree(VAR)
    os.makedirs(VAR)
    # Kore spills large request bodies here (conf/undersigned.conf).
    os.makedirs(os.path.join(ROOT, "var", "run"), exist_ok=True)
    s.pg("start", PGDIR, "--fast")
    s.conninfo = "host=%s dbname=undersigned user=undersigned" % PGDIR
    s.env = {k: v for k, v in os.environ.items()
             if not k.startswith("UNDERSIGNED_")}
    s.env.update({
        "PORT": str(s.port),
        "DATABASE_URL": s.conninfo,
        "SMTP_URL": "smtp://127.0.0.1:%d" % s.smtp.port,
        "PUBLIC_URL": s.url,
        "MAIL_FROM": "Коалиция undersigned <noreply@undersigned.example.org>",
        "UNDERSIGNED_MAIL_RETRY_SECONDS": "1",
        "UNDERSIGNED_PLUGIN_DIR": PLUGINS,
        # The suite signs hundreds of times from 127.0.0.1.  The limits
        # themselves are tested in test_limits.py on an app of their own
        # with the real defaults; the per-recipient mail rule holds here.
        "UNDERSIGNED_RATE_LIMITS": "off",
        # Pages are served from the cache after a revision read on every
        # request, so a test sees its own change at once; the default
        # interval is tested in test_page_cache.py on an app of its own.
        "UNDERSIGNED_PAGE_CHECK_MS": "0",
    })
    try:
        s.cli("migrate")
        s.smtp.start()
        s.start_app()
        s.start_mailer()
        yield s
    finally:
        s.stop()
        s.pg("stop", PGDIR)
    # A crash the tests did not notice still fails the run.
    reports = [f for f in os.listdir(VAR) if f.startswith(("asan.", "ubsan."))]
    assert not reports, "sanitizer reports in %s: %s" % (VAR, reports)
    for name in os.listdir(VAR):
        if not name.endswith(".log") or name == "mailer.log":
            continue
        with open(os.path.join(VAR, name), errors="replace") as f:
            log = f.read()
        for bad in ("sandbox violation", "AddressSanitizer", "runtime error",
                    "died", "fatal"):
            assert bad not in log, "%r in %s/%s" % (bad, VAR, name)


class Database:
    """A connection for assertions that survives a server restart."""

    def __init__(self, conninfo):
        self.conninfo = conninfo
        self.conn = None

    def run(self, sql, args):
        for attempt in (1, 2):
            if self.conn is None or self.conn.closed:
                self.conn = psycopg2.connect(self.conninfo)
                self.conn.autocommit = True
            try:
                with self.conn.cursor() as cur:
                    cur.execute(sql, args)
                    return cur.fetchall() if cur.description else []
            except psycopg2.OperationalError:
                self.conn.close()
                if attempt == 2:
                    raise


@pytest.fixture(scope="session")
def db(stack):
    d = Database(stack.conninfo)
    yield d
    if d.conn is not None:
        d.conn.close()


def query(db, sql, *args):
    """Rows of a query, reconnecting if the server was restarted."""
    return db.run(sql, args)


def db_now(db):
    return query(db, "SELECT now()")[0][0]


def wait_mail_settled(db, since, timeout=30):
    """Waits until the mail sender has dealt with every message queued
    since `since` (a database timestamp): sent, or given up.  A test that
    proves no mail was sent asserts after this, not after a sleep."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if query(db, "SELECT count(*) FROM outbox WHERE created_at >= %s"
                 " AND sent_at IS NULL AND failed_at IS NULL",
                 since) == [(0,)]:
            return
        time.sleep(0.05)
    raise AssertionError("the mail sender left messages queued since %s"
                         % since)


@pytest.fixture(scope="session")
def token(stack):
    out = stack.cli("coordinator", "add", "coordinator@tests.example.org")
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture
def http(stack):
    s = requests.Session()
    s.base = stack.url
    return s


def unique_slug(prefix="s"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


STATEMENT_BODY = """We, the undersigned organisations, call on the authorities \
to release the “Bishkek Four” — journalists held since 3 March.[1]

## We call in particular for:

- the immediate release of the journalists;
- an independent investigation.

[1] See the report of 12 March.
"""


@pytest.fixture
def make_statement(stack, token):
    """Creates a statement through the API, opened unless told otherwise."""

    def make(status="open", **fields):
        body = {
            "slug": unique_slug(),
            "kind": "joint_statement",
            "lang": "en",
            "title": "Free the “Bishkek Four” — joint statement",
            "body_markdown": STATEMENT_BODY,
            "place": "Bishkek",
            "date": "2026-12-10",
        }
        body.update(fields)
        r = requests.post(stack.url + "/api/v1/statements", json=body,
                          headers={"Authorization": "Bearer " + token})
        assert r.status_code == 201, r.text
        if status != "draft":
            for st in {"open": ["open"], "closed": ["open", "closed"],
                       "published": ["open", "closed", "published"]}[status]:
                r = requests.post(stack.url + "/api/v1/statements/%s/status"
                                  % body["slug"], json={"status": st},
                                  headers={"Authorization": "Bearer " + token})
                assert r.status_code == 200, r.text
        return body

    return make


def signer(**over):
    """A signature as an organisation would submit it."""
    n = uuid.uuid4().hex[:8]
    s = {
        "organisation": "Правозащитный центр «Мемориал-%s»" % n,
        "acronym": "ПЦ",
        "country": "KG",
        "website": "https://memorial-%s.example.org" % n,
        "contact_name": "Асель Н.",
        "contact_role": "Director",
        "email": "office-%s@ngo.example.org" % n,
    }
    s.update(over)
    return s


VERIFY_RE = re.compile(r"/verify/([A-Za-z0-9_-]{43})")


def verify_token_from(stack, message):
    text = text_part(message["msg"])
    m = VERIFY_RE.search(text)
    assert m, text
    assert (stack.url + "/verify/" + m.group(1)) in text
    return m.group(1)


# ------------------------------------------- moderation: rows seeded in bulk

def seed_signatures(db, slug, n, prefix="Batch", status="confirmed",
                    approved=False, country="KG", source="import"):
    """n confirmed signatures written straight into PostgreSQL (the
    moderation view is what is tested, not signing): "<prefix> NGO 0001"
    ... with acronym B0001..., website and email under
    <prefix>-0001.example.org; imported rows wait for approval unless
    approved.  Returns their ids in order."""
    rows = query(db, """
        INSERT INTO signatures (statement_id, organisation, acronym,
            country, website, contact_name, contact_role, email,
            visibility, text_digest, lang, source, status, confirmed_at,
            approved_at, created_at)
        SELECT st.id, %s || ' NGO ' || lpad(g::text, 4, '0'),
            upper(left(%s, 1)) || lpad(g::text, 4, '0'), %s,
            'https://' || lower(%s) || '-' || lpad(g::text, 4, '0')
                || '.example.org',
            'Contact ' || g, 'Director',
            'office@' || lower(%s) || '-' || lpad(g::text, 4, '0')
                || '.example.org',
            'named', st.text_digest, st.lang, %s, %s,
            CASE WHEN %s = 'pending' THEN NULL ELSE now() END,
            CASE WHEN %s THEN now() END,
            now() - make_interval(mins => g)
        FROM statements st, generate_series(1, %s) g
        WHERE st.slug = %s
        RETURNING id""", prefix, prefix, country, prefix, prefix, source,
                 status, status, approved, n, slug)
    return [r[0] for r in rows]
