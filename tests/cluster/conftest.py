"""Fixtures for the cluster test: a PostgreSQL 15 primary with a streaming
hot standby, two app nodes (Kore) behind nginx, two mail senders and one
SMTP server, all on loopback and unix sockets under var/test/cluster/.

US_BUILD selects the build ("build" or "build/asan"); US_CLUSTER_SECONDS is
how long each phase of the load runs (the short form in `make test` uses
the default; `make test-cluster` runs longer).
"""
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
import urllib.parse

import psycopg2
import pytest
import requests
from aiosmtpd.controller import Controller

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("US_BUILD", "build")
ASAN = "asan" in BUILD
VAR = os.path.join(ROOT, "var", "test", "cluster" + ("-asan" if ASAN else ""))
CLI = os.path.join(ROOT, BUILD, "bin", "undersigned") if BUILD != "build" \
    else os.path.join(ROOT, "bin", "undersigned")
MODULE = os.path.join(ROOT, BUILD, "undersigned.so")
PLUGINS = os.path.join(ROOT, BUILD, "plugins") if BUILD != "build" \
    else os.path.join(ROOT, "plugins")
PGBIN = "/usr/lib/postgresql/15/bin"
PHASE_SECONDS = float(os.environ.get("US_CLUSTER_SECONDS", "2"))
VERIFY_RE = re.compile(r"/verify/([A-Za-z0-9_-]{43})")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(cond, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("%s: not within %ss" % (what, timeout))


def as_owner(cmd):
    """PostgreSQL refuses root: as root, run it as Debian's postgres user,
    allowed to search the directories above the project (as scripts/pg.sh
    does)."""
    if os.getuid() != 0:
        return cmd
    return ["setpriv", "--reuid=postgres", "--regid=postgres",
            "--init-groups", "--inh-caps=+dac_read_search",
            "--ambient-caps=+dac_read_search", "--"] + cmd


def owned_dir(path):
    os.makedirs(path, exist_ok=True)
    if os.getuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    os.chmod(path, 0o700)


def pg_ctl(data, *args, check=True):
    return subprocess.run(as_owner([PGBIN + "/pg_ctl", "-D", data] +
                                   list(args)),
                          capture_output=True, text=True, check=check)


def sanitizer_env():
    if not ASAN:
        return {}
    lib = subprocess.run(["gcc", "-print-file-name=libasan.so"],
                         capture_output=True, text=True).stdout.strip()
    return {
        "LD_PRELOAD": os.path.realpath(lib),
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:halt_on_error=1:"
                        "log_path=" + os.path.join(VAR, "asan"),
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:log_path="
                         + os.path.join(VAR, "ubsan"),
    }


class Sink:
    """The one SMTP server both mail senders deliver to: counts messages
    per recipient and keeps each confirmation link's token."""

    def __init__(self):
        self.port = free_port()
        self.lock = threading.Lock()
        self.count = {}
        self.tokens = {}
        self.controller = Controller(self, hostname="127.0.0.1",
                                     port=self.port)

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content,
                                       policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",)).get_content()
        m = VERIFY_RE.search(text)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.count[rcpt] = self.count.get(rcpt, 0) + 1
                if m:
                    self.tokens[rcpt] = m.group(1)
        return "250 OK"

    def counts(self):
        with self.lock:
            return dict(self.count)


class PgNode:
    """One PostgreSQL server: data in DIR/data, its socket in DIR."""

    def __init__(self, name):
        self.dir = os.path.join(VAR, name)
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "postgres.log")

    def conninfo(self, db="undersigned"):
        return "host=%s dbname=%s user=undersigned" % (self.dir, db)

    def start(self):
        pg_ctl(self.data, "-l", self.log, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        if pg_ctl(self.data, "status", check=False).returncode == 0:
            pg_ctl(self.data, "-m", mode, "-w", "stop")

    def sql(self, statement, *args):
        conn = psycopg2.connect(self.conninfo())
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(statement, args)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()


class Cluster:
    def __init__(self):
        self.primary = PgNode("primary")
        self.standby = PgNode("standby")
        self.sink = Sink()
        self.lb_port = free_port()
        self.url = "http://127.0.0.1:%d" % self.lb_port
        self.nodes = []
        self.mailers = []
        self.nginx = None
        self.env = None

    # --- PostgreSQL: primary, base backup, synchronous standby ---------
    def start_databases(self):
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "start",
                        self.primary.dir], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        owned_dir(self.standby.dir)
        subprocess.run(as_owner([
            PGBIN + "/pg_basebackup", "-D", self.standby.data, "-R",
            "-X", "stream", "-c", "fast",
            "-d", self.primary.conninfo("postgres")]), check=True,
            capture_output=True)
        with open(os.path.join(self.standby.data, "postgresql.auto.conf"),
                  "a") as f:
            # The standby names itself, so the primary can wait for it.
            f.write("primary_conninfo = 'host=%s user=undersigned "
                    "application_name=standby1'\n" % self.primary.dir)
            f.write("unix_socket_directories = '%s'\n" % self.standby.dir)
        self.standby.start()
        # Synchronous replication: a commit is acknowledged (and a sign
        # request answered 202) only once the standby has it on disk, so
        # a failover loses no acknowledged signature.  Set after the base
        # backup, so the standby, once promoted, does not wait for a
        # standby of its own.
        self.primary.sql("ALTER SYSTEM SET synchronous_standby_names ="
                         " 'standby1'")
        self.primary.sql("SELECT pg_reload_conf()")
        wait_until(lambda: self.primary.sql(
            "SELECT sync_state FROM pg_stat_replication WHERE"
            " application_name = 'standby1'") == [("sync",)], 30,
            "the standby streaming synchronously")

    def database_url(self):
        # libpq's own failover: both sockets, and only a server that
        # accepts writes will do.
        hosts = ",".join(urllib.parse.quote(d, safe="") for d in
                         (self.primary.dir, self.standby.dir))
        return ("postgresql://undersigned@/undersigned?host=%s"
                "&target_session_attrs=read-write" % hosts)

    # --- the app ------------------------------------------------------
    def make_env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("UNDERSIGNED_")}
        env.update({
            "DATABASE_URL": self.database_url(),
            "SMTP_URL": "smtp://127.0.0.1:%d" % self.sink.port,
            "PUBLIC_URL": self.url,
            "MAIL_FROM": "undersigned <noreply@undersigned.example.org>",
            "UNDERSIGNED_MAIL_RETRY_SECONDS": "1",
            "UNDERSIGNED_PLUGIN_DIR": PLUGINS,
        })
        # Per-client limits would throttle a load test from one address;
        # older builds do not know the switch and would refuse to start.
        probe = dict(env, UNDERSIGNED_RATE_LIMITS="off")
        if subprocess.run([CLI, "check-config"], env=probe, cwd=ROOT,
                          capture_output=True).returncode == 0:
            env = probe
        self.env = env

    def cli(self, *args):
        return subprocess.run([CLI] + list(args), cwd=ROOT, env=self.env,
                              capture_output=True, text=True, check=True)

    def start_node(self, name):
        port = free_port()
        conf = os.path.join(VAR, name + ".conf")
        with open(os.path.join(ROOT, "conf", "undersigned.conf")) as f:
            text = f.read()
        text = text.replace("./build/undersigned.so", MODULE)
        text = text.replace("var/run/kore.pid",
                            os.path.join(VAR, name + ".pid"))
        with open(conf, "w") as f:
            f.write(text)
        env = dict(self.env, PORT=str(port))
        env.update(sanitizer_env())
        log = open(os.path.join(VAR, name + ".log"), "ab")
        proc = subprocess.Popen(["kore", "-c", conf, "-f", "-n", "-r"],
                                cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT,
                                start_new_session=True)
        url = "http://127.0.0.1:%d" % port

        def healthy():
            if proc.poll() is not None:
                raise AssertionError("%s exited; see %s" % (name, VAR))
            try:
                return requests.get(url + "/healthz",
                                    timeout=2).status_code == 200
            except requests.ConnectionError:
                return False
        wait_until(healthy, 30, name + " healthy")
        self.nodes.append({"name": name, "port": port, "proc": proc})

    def start_mailer(self, name):
        env = dict(self.env)
        env.update(sanitizer_env())
        log = open(os.path.join(VAR, name + ".log"), "ab")
        self.mailers.append(subprocess.Popen(
            [CLI, "mailer"], cwd=ROOT, env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True))

    def start_nginx(self):
        """Round robin over both nodes; a node that refuses connections is
        skipped (a POST not yet sent may go to the other node)."""
        servers = "".join("\t\tserver 127.0.0.1:%d max_fails=1 "
                          "fail_timeout=5s;\n" % n["port"] for n in self.nodes)
        conf = os.path.join(VAR, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""daemon off;
worker_processes 1;
pid %(var)s/nginx.pid;
error_log %(var)s/nginx-error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path %(var)s/nginx-body;
	proxy_temp_path %(var)s/nginx-proxy;
	fastcgi_temp_path %(var)s/nginx-fastcgi;
	uwsgi_temp_path %(var)s/nginx-uwsgi;
	scgi_temp_path %(var)s/nginx-scgi;
	upstream app {
%(servers)s		keepalive 32;
	}
	server {
		listen 127.0.0.1:%(port)d;
		location / {
			proxy_pass http://app;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $host;
			proxy_set_header X-Forwarded-For $remote_addr;
			proxy_next_upstream error timeout;
			proxy_connect_timeout 2s;
		}
	}
}
""" % {"var": VAR, "servers": servers, "port": self.lb_port})
        log = open(os.path.join(VAR, "nginx.log"), "ab")
        self.nginx = subprocess.Popen(["nginx", "-c", conf, "-p", VAR],
                                      stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

        def up():
            if self.nginx.poll() is not None:
                raise AssertionError("nginx exited; see %s" % VAR)
            try:
                return requests.get(self.url + "/healthz",
                                    timeout=2).status_code == 200
            except requests.ConnectionError:
                return False
        wait_until(up, 30, "nginx")

    def stop(self):
        procs = [n["proc"] for n in self.nodes] + self.mailers
        if self.nginx is not None:
            procs.append(self.nginx)
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)
        self.sink.controller.stop()
        for node in (self.primary, self.standby):
            if os.path.isdir(node.data):
                node.stop("fast")


def running_cluster():
    """Starts everything, yields the Cluster, stops everything (also used
    by bench/cluster_bench.py)."""
    c = Cluster()
    if os.path.isdir(VAR):
        for node in (c.primary, c.standby):
            if os.path.isdir(node.data):
                node.stop("immediate")
        shutil.rmtree(VAR)
    os.makedirs(VAR)
    try:
        c.start_databases()
        c.make_env()
        c.cli("migrate")
        c.sink.controller.start()
        c.start_node("node1")
        c.start_node("node2")
        c.start_mailer("mailer1")
        c.start_mailer("mailer2")
        c.start_nginx()
        yield c
    finally:
        c.stop()
    reports = [f for f in os.listdir(VAR) if f.startswith(("asan.", "ubsan."))]
    assert not reports, "sanitizer reports in %s: %s" % (VAR, reports)


@pytest.fixture(scope="session")
def cluster():
    for tool in (PGBIN + "/pg_basebackup", "/usr/sbin/nginx"):
        if not os.path.exists(tool):
            pytest.fail("%s is not installed (run: make deps); the cluster "
                        "test cannot run without it" % tool)
    yield from running_cluster()
