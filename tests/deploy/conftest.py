"""Fixtures for the deployment suite: `make install`, the systemd units,
Kore with privilege separation, nginx with TLS, the container files.

Nothing here starts systemd (there is none on these machines).  The
units are run the way systemd would run them, from what they say:
`unit_argv()` reads a unit's [Service] section and builds a command that
sets up the same mount namespace (BindPaths, BindReadOnlyPaths,
ProtectSystem=strict with ReadWritePaths, PrivateTmp, ProtectHome), the
same capability bounding set, user and no_new_privs, with `unshare`,
`mount` and `setpriv`.  So a unit that forgets a path a worker needs, or
a capability the parent needs, fails here.  The tests run as root (CI
does); PostgreSQL, the SMTP sink and the app are started here.

The integration suite's conftest is loaded under its own name for the
SMTP sink and the helpers it shares.
"""
import importlib.util
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
RUNAS = "undersigned"


def _searchable(path):
    """Whether a user other than the owner may walk down to path."""
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        if path == "/":
            return True
        path = os.path.dirname(path)


# The service user runs the installed files, reaches the test cluster's
# socket and nginx's workers write their cache here, so the directory must
# be reachable by other users.  A checkout below a private directory (a
# clone in /root) gets its own under /var/lib instead (not /tmp, which the
# units' PrivateTmp hides); its path is printed.
VAR = os.path.join(ROOT, "var", "test", "deploy")
if not _searchable(ROOT):
    VAR = "/var/lib/undersigned-test-deploy"
    print("deployment suite: %s is private to its owner; files and logs "
          "are in %s" % (ROOT, VAR))

_spec = importlib.util.spec_from_file_location(
    "undersigned_integration_conftest",
    os.path.join(ROOT, "tests", "integration", "conftest.py"))
integration = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = integration
_spec.loader.exec_module(integration)

MailSink = integration.MailSink
free_port = integration.free_port
text_part = integration.text_part
signer = integration.signer
VERIFY_RE = integration.VERIFY_RE
STATEMENT_BODY = integration.STATEMENT_BODY


def run(argv, **kw):
    kw.setdefault("check", True)
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run(argv, **kw)


# ------------------------------------------------------------------ units

def parse_unit(path):
    """{section: [(key, value), ...]} of a systemd unit file; repeated
    keys stay in order, as systemd reads them."""
    sections = {}
    cur = None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("[") and line.endswith("]"):
                cur = sections.setdefault(line[1:-1], [])
                continue
            assert cur is not None and "=" in line, \
                "%s:%d: not a unit line: %r" % (path, n, line)
            key, value = line.split("=", 1)
            cur.append((key.strip(), value.strip()))
    return sections


def unit_values(unit, key, section="Service"):
    return [v for k, v in unit.get(section, []) if k == key]


def unit_value(unit, key, default=None, section="Service"):
    v = unit_values(unit, key, section)
    return v[-1] if v else default


def env_file(path):
    """KEY=VALUE lines, as systemd's EnvironmentFile= reads them."""
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    return env


def unit_env(unit):
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                   "/sbin:/bin", "LANG": "C.UTF-8"}
    for path in unit_values(unit, "EnvironmentFile"):
        optional = path.startswith("-")
        path = path.lstrip("-")
        if optional and not os.path.exists(path):
            continue
        env.update(env_file(path))
    for line in unit_values(unit, "Environment"):
        for word in shlex.split(line):
            key, value = word.split("=", 1)
            env[key] = value
    return env


def _binds(unit, key):
    out = []
    for line in unit_values(unit, key):
        for word in line.split():
            optional = word.startswith("-")
            src, _, dst = word.lstrip("-").partition(":")
            out.append((src, dst or src, optional))
    return out


def unit_argv(unit, runtime_dir=None, host_binds=()):
    """The unit's ExecStart, wrapped in what systemd would set up.

    host_binds: (source, target) mounts made first, standing in for the
    machine's own directories (the test cluster's socket directory as
    /run/postgresql)."""
    sh = ["set -e"]
    q = shlex.quote
    for src, dst in host_binds:
        sh.append("mkdir -p %s && mount --bind %s %s" % (q(dst), q(src),
                                                         q(dst)))
    for key, ro in (("BindPaths", False), ("BindReadOnlyPaths", True)):
        for src, dst, optional in _binds(unit, key):
            cond = "[ -e %s ] && " % q(src) if optional else ""
            cmd = "mount --bind %s %s" % (q(src), q(dst))
            if ro:
                cmd += " && mount -o remount,bind,ro %s" % q(dst)
            sh.append("%s{ %s; } || %s" % (cond, cmd, "true" if optional
                                             else "exit 1"))
    if unit_value(unit, "ProtectSystem") == "strict":
        sh.append("mount -o remount,bind,ro /")
        rw = []
        for line in unit_values(unit, "ReadWritePaths"):
            rw += [p.lstrip("-") for p in line.split()]
        if runtime_dir is not None:
            rw.append(runtime_dir)
        for p in rw:
            sh.append("mount --bind %s %s && mount -o remount,bind,rw %s"
                      % (q(p), q(p), q(p)))
    if unit_value(unit, "PrivateTmp") == "yes":
        sh.append("mount -t tmpfs -o mode=1777 tmpfs /tmp")
        sh.append("mount -t tmpfs -o mode=1777 tmpfs /var/tmp")
    if unit_value(unit, "ProtectHome") == "yes":
        for p in ("/home", "/root"):
            sh.append("[ ! -d %s ] || mount -t tmpfs -o ro,mode=0755 tmpfs %s"
                      % (p, p))
    priv = ["setpriv"]
    user = unit_value(unit, "User")
    if user:
        priv += ["--reuid", user, "--regid", unit_value(unit, "Group", user),
                 "--init-groups"]
    caps = unit_value(unit, "CapabilityBoundingSet")
    if caps is not None:
        names = ",".join("+" + c.lower().replace("cap_", "")
                         for c in caps.split())
        priv += ["--bounding-set", "-all" + ("," + names if names else "")]
    if unit_value(unit, "NoNewPrivileges") == "yes":
        priv.append("--no-new-privs")
    exec_start = shlex.split(unit_value(unit, "ExecStart"))
    sh.append("exec " + " ".join(q(a) for a in priv + ["--"] + exec_start))
    return ["unshare", "--mount", "--propagation", "private",
            "sh", "-c", "\n".join(sh)]


def children(pid):
    """Processes whose parent is pid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(d))
    return out


def proc_uids(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Uid:"):
                return [int(x) for x in line.split()[1:]]
    raise AssertionError("no Uid line for %d" % pid)


def stop_process(p, timeout=15):
    """SIGTERM; the process must be gone within `timeout` seconds."""
    if p is None or p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(10)
        raise AssertionError("%s did not stop on SIGTERM" % p.args[:3])


# ---------------------------------------------------------------- install

class Installed:
    """`make install` into VAR/root: every path as the Makefile names it,
    under one directory so that the test can run what it installed."""

    def __init__(self, top):
        self.top = top
        self.prefix = os.path.join(top, "usr")
        self.sysconfdir = os.path.join(top, "etc")
        self.statedir = os.path.join(top, "var", "lib", "undersigned")
        self.rundir = os.path.join(top, "run", "undersigned")
        self.bindir = os.path.join(self.prefix, "bin")
        self.libdir = os.path.join(self.prefix, "lib", "undersigned")
        self.datadir = os.path.join(self.prefix, "share", "undersigned")
        self.unitdir = os.path.join(self.prefix, "lib", "systemd", "system")
        self.cli = os.path.join(self.bindir, "undersigned")
        self.env_file = os.path.join(self.sysconfdir, "undersigned",
                                     "undersigned.env")

    def make_args(self):
        return ["PREFIX=" + self.prefix, "SYSCONFDIR=" + self.sysconfdir,
                "STATEDIR=" + self.statedir, "RUNDIR=" + self.rundir]

    def unit(self, name):
        return parse_unit(os.path.join(self.unitdir, name))


def make_install(*args):
    return run(["make", "--no-print-directory", "-C", ROOT, "install"]
               + list(args))


@pytest.fixture(scope="session")
def var():
    pgdir = os.path.join(VAR, "pg")
    if os.path.isdir(VAR):
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "stop",
                        pgdir], cwd=ROOT, capture_output=True)
        shutil.rmtree(VAR)
    os.makedirs(VAR)
    os.chmod(VAR, 0o755)
    return VAR


@pytest.fixture(scope="session")
def installed(var):
    inst = Installed(os.path.join(var, "root"))
    make_install(*inst.make_args())
    # The service user and the state directory, from the installed
    # sysusers.d and tmpfiles.d files, as systemd would at boot.
    run(["systemd-sysusers", os.path.join(inst.prefix, "lib", "sysusers.d",
                                          "undersigned.conf")])
    run(["systemd-tmpfiles", "--create",
         os.path.join(inst.prefix, "lib", "tmpfiles.d", "undersigned.conf")])
    os.makedirs(inst.rundir, exist_ok=True)
    return inst


# ---------------------------------------------------------------- service

class Service:
    """The installed server and mailer, run as their units say, against
    a throwaway cluster and an SMTP sink on loopback."""

    def __init__(self, inst):
        self.inst = inst
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        # nginx in front (test_nginx_tls.py) is the public address.
        self.https_port = free_port()
        self.public_url = "https://127.0.0.1:%d" % self.https_port
        self.smtp = MailSink(free_port())
        self.pgdir = os.path.join(VAR, "pg")
        self.conninfo = "host=%s dbname=undersigned user=undersigned" \
            % self.pgdir
        self.kore = None
        self.mailer = None
        self.logs = []

    def write_env(self, public_url):
        """The machine's settings, in the file the units read.  The
        database is reached at /run/postgresql, as in production: the
        test cluster's socket directory is mounted there."""
        with open(self.inst.env_file, "w") as f:
            f.write("DATABASE_URL=host=/run/postgresql dbname=undersigned "
                    "user=undersigned\n"
                    "SMTP_URL=smtp://127.0.0.1:%d\n"
                    "PUBLIC_URL=%s\n"
                    "MAIL_FROM=Coalition <noreply@undersigned.example.org>\n"
                    "PORT=%d\n"
                    "UNDERSIGNED_LISTEN=127.0.0.1\n"
                    "UNDERSIGNED_MAIL_RETRY_SECONDS=1\n"
                    % (self.smtp.port, public_url, self.port))

    def spawn(self, unit_name, log_name):
        unit = self.inst.unit(unit_name)
        log = open(os.path.join(VAR, log_name), "ab")
        self.logs.append(os.path.join(VAR, log_name))
        return subprocess.Popen(
            unit_argv(unit, runtime_dir=self.inst.rundir,
                      host_binds=[(self.pgdir, "/run/postgresql")]),
            cwd=unit_value(unit, "WorkingDirectory"), env=unit_env(unit),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def oneshot(self, unit_name):
        unit = self.inst.unit(unit_name)
        return run(unit_argv(unit, runtime_dir=self.inst.rundir,
                             host_binds=[(self.pgdir, "/run/postgresql")]),
                   cwd=unit_value(unit, "WorkingDirectory"),
                   env=unit_env(unit))

    def wait_healthy(self, timeout=30):
        """Healthy, and every worker past its privilege drop: a worker
        logs "worker N started" only after chroot and setuid (Kore's
        worker.c), until then it is a fork of the root parent."""
        deadline = time.time() + timeout
        log = os.path.join(VAR, "kore.log")
        while time.time() < deadline:
            if self.kore.poll() is not None:
                raise RuntimeError("kore exited; see %s" % log)
            with open(log, errors="replace") as f:
                text = f.read()
            started = all("worker %d started" % n in text for n in (1, 2))
            try:
                if started and requests.get(
                        self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the app did not become healthy; see " + log)

    def cli(self, *args):
        """The installed CLI as the service user, as an operator runs it
        (`sudo -u undersigned undersigned ...`), with the units'
        environment."""
        unit = self.inst.unit("undersigned-mailer.service")
        env = unit_env(unit)
        env["DATABASE_URL"] = self.conninfo
        return run(["setpriv", "--reuid", RUNAS, "--regid", RUNAS,
                    "--init-groups", self.inst.cli] + list(args),
                   cwd=unit_value(unit, "WorkingDirectory"), env=env)

    def start(self):
        self.write_env(self.public_url)
        self.smtp.start()
        self.oneshot("undersigned-migrate.service")
        self.kore = self.spawn("undersigned.service", "kore.log")
        self.wait_healthy()
        self.mailer = self.spawn("undersigned-mailer.service", "mailer.log")
        # Until the wrapper has set up the namespace and exec'd, the
        # process is a root shell.
        deadline = time.time() + 30
        while self.exe(self.mailer.pid) != self.inst.cli:
            if self.mailer.poll() is not None or time.time() > deadline:
                raise RuntimeError("the mailer did not start; see "
                                   "%s/mailer.log" % VAR)
            time.sleep(0.05)

    @staticmethod
    def exe(pid):
        try:
            return os.readlink("/proc/%d/exe" % pid)
        except OSError:
            return None

    def workers(self):
        return children(self.kore.pid)

    def stop(self):
        try:
            try:
                stop_process(self.kore)
            finally:
                stop_process(self.mailer)
        finally:
            self.smtp.stop()


@pytest.fixture(scope="session")
def pg(var):
    pgdir = os.path.join(var, "pg")
    run([os.path.join(ROOT, "scripts", "pg.sh"), "start", pgdir, "--fast"],
        cwd=ROOT)
    # The service user must reach the socket; the data directory below
    # it keeps its own 0700.
    os.chmod(pgdir, 0o711)
    yield pgdir
    run([os.path.join(ROOT, "scripts", "pg.sh"), "stop", pgdir], cwd=ROOT)


@pytest.fixture(scope="session")
def service(installed, pg):
    s = Service(installed)
    try:
        s.start()
        yield s
    finally:
        s.stop()
    for log in s.logs:
        with open(log, errors="replace") as f:
            text = f.read()
        for bad in ("sandbox violation", "died", "fatal",
                    "Fontconfig error"):
            assert bad not in text, "%r in %s" % (bad, log)


@pytest.fixture(scope="session")
def token(service):
    out = service.cli("coordinator", "add", "coordinator@deploy.example.org")
    return out.stdout.strip().splitlines()[-1]
