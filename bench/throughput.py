#!/usr/bin/python3
"""Throughput of the three busy paths of a viral day, each against a
baseline measured in the same run on the same machine:

  sign     POST /api/v1/statements/{slug}/signatures (wrk, 8 connections)
           against pgbench running the same two inserts (the pending
           signature and its outbox row) in one transaction, 8 clients;
  confirm  POST /api/v1/verify (wrk, 8 connections, one fresh link per
           request) against pgbench running the same two updates (the
           link used, the signature confirmed) in one transaction;
  page     GET /s/{slug} of a statement with 1,000 signatories (wrk, 64
           connections) against nginx serving the same bytes as a static
           file with as many workers as Kore.

Starts a private PostgreSQL cluster under var/bench/throughput (fsync on:
signatures are durable, as with `make run`), the migrations, a
coordinator and Kore with UNDERSIGNED_RATE_LIMITS=off; the mail sender is
not started (the outbox fills, nothing is sent).  Kore is restarted for
each benchmark, so its workers' peak RSS (VmHWM) is that benchmark's.
Prints requests per second, p50/p99 latency and the ratio to the
baseline.  Everything started here is stopped at the end.

  bench/throughput.py [--seconds 10] [--rounds 2]
                      [--only sign,confirm,page] [--home DIR]

The machine may be shared, so each side runs --rounds times, alternately,
and the median of each is printed (the page is fetched for a second
before each measured run, on both sides, so neither is measured cold).

--home runs another build of the service (a tree with bin/undersigned,
build/undersigned.so, conf/ and migrations/), e.g. an older release for a
before/after comparison; this tree's scripts drive it.
"""
import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time

import psycopg2
import psycopg2.extras
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PGBIN = "/usr/lib/postgresql/15/bin"
TARGETS = {"sign": 0.80, "confirm": 0.80, "page": 0.60}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, int(round(p / 100.0 *
                                               (len(sorted_values) - 1))))
    return sorted_values[k]


def wrk_ms(text):
    """wrk's '1.23ms' / '45.60us' / '1.02s' in milliseconds."""
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    v, unit = float(m.group(1)), m.group(2)
    return v * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url, conns, secs, script=None, script_args=()):
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % secs, "--latency"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    if script_args:
        cmd += ["--"] + list(script_args)
    out = subprocess.run(cmd, check=True, capture_output=True,
                         text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    lat = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.M))
    if "50" not in lat or "99" not in lat:
        raise RuntimeError("wrk gave no latency distribution:\n" + out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rate": rps, "p50": wrk_ms(lat["50"]), "p99": wrk_ms(lat["99"]),
            "failed": int(bad.group(1)) if bad else 0, "raw": out}


def median_runs(runs):
    """Each side's run with the median rate (the lower one of two)."""
    def pick(side):
        ordered = sorted((r[side] for r in runs), key=lambda x: x["rate"])
        return ordered[(len(ordered) - 1) // 2]
    return pick(0), pick(1)


class Bench:
    def __init__(self, args):
        self.secs = args.seconds
        self.rounds = args.rounds
        self.home = os.path.abspath(args.home or ROOT)
        self.dir = os.path.join(ROOT, "var", "bench", "throughput")
        self.pgdir = os.path.join(self.dir, "pg")
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.kore = None
        self.nginx = None
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("UNDERSIGNED_") and k != "SMTP_URL"}

    # -- the services -------------------------------------------------
    def start_db(self):
        if os.path.isdir(self.dir):
            self.pg("stop")
            shutil.rmtree(self.dir)
        os.makedirs(self.dir)
        self.pg("start")
        self.conninfo = "host=%s dbname=undersigned user=undersigned" % \
            self.pgdir
        self.env.update({
            "DATABASE_URL": self.conninfo,
            "PUBLIC_URL": self.url,
            "PORT": str(self.port),
            "UNDERSIGNED_RATE_LIMITS": "off",
        })
        self.cli("migrate")
        out = self.cli("coordinator", "add", "bench@bench.example.org")
        self.token = out.strip().splitlines()[-1]
        self.db = psycopg2.connect(self.conninfo)
        self.db.autocommit = True

    def pg(self, *args):
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), args[0],
                        self.pgdir] + list(args[1:]), check=True,
                       stdout=subprocess.DEVNULL)

    def cli(self, *args):
        return subprocess.run([os.path.join(self.home, "bin", "undersigned")]
                              + list(args), cwd=self.home, env=self.env,
                              check=True, capture_output=True,
                              text=True).stdout

    def start_kore(self):
        conf = os.path.join(self.dir, "kore.conf")
        with open(os.path.join(self.home, "conf", "undersigned.conf")) as f:
            text = f.read()
        text = text.replace("var/run/kore.pid",
                            os.path.join(self.dir, "kore.pid"))
        with open(conf, "w") as f:
            f.write(text)
        os.makedirs(os.path.join(self.home, "var", "run"), exist_ok=True)
        log = open(os.path.join(self.dir, "kore.log"), "ab")
        self.kore = subprocess.Popen(["kore", "-c", conf, "-f", "-n", "-r"],
                                     cwd=self.home, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/healthz").status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.kore.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("kore did not start; see %s/kore.log" % self.dir)

    def kore_peak_rss(self):
        """The largest VmHWM (peak resident set) of Kore's workers, MiB."""
        peak = 0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/status" % pid) as f:
                    st = f.read()
            except OSError:
                continue
            if re.search(r"^PPid:\s+%d$" % self.kore.pid, st, re.M):
                m = re.search(r"^VmHWM:\s+(\d+) kB", st, re.M)
                if m:
                    peak = max(peak, int(m.group(1)))
        return peak / 1024.0

    def stop_kore(self):
        if self.kore is None:
            return
        self.kore.send_signal(signal.SIGTERM)
        try:
            self.kore.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.kore.pid, signal.SIGKILL)
            self.kore.wait()
        self.kore = None

    def start_nginx(self, www):
        port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        tmp = os.path.join(self.dir, "nginx-tmp")
        os.makedirs(tmp, exist_ok=True)
        with open(conf, "w") as f:
            f.write("""%s
worker_processes 2;
daemon off;
pid %s/nginx.pid;
error_log %s/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path %s/body;
  proxy_temp_path %s/proxy;
  fastcgi_temp_path %s/fastcgi;
  uwsgi_temp_path %s/uwsgi;
  scgi_temp_path %s/scgi;
  server {
    listen 127.0.0.1:%d;
    root %s;
  }
}
""" % ("user root;" if os.getuid() == 0 else "", self.dir, self.dir,
                tmp, tmp, tmp, tmp, tmp, port, www))
        self.nginx = subprocess.Popen(["nginx", "-c", conf, "-p", self.dir],
                                      stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL,
                                      start_new_session=True)
        url = "http://127.0.0.1:%d/page.html" % port
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                requests.get(url)
                return url
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop_nginx(self):
        if self.nginx is not None:
            self.nginx.send_signal(signal.SIGQUIT)
            self.nginx.wait(20)
            self.nginx = None

    def stop(self):
        self.stop_kore()
        self.stop_nginx()
        self.pg("stop")

    # -- data -----------------------------------------------------------
    def statement(self, prefix):
        slug = "%s-%s" % (prefix, secrets.token_hex(4))
        api = self.url + "/api/v1/statements"
        auth = {"Authorization": "Bearer " + self.token}
        r = requests.post(api, headers=auth, json={
            "slug": slug, "kind": "joint_statement", "lang": "en",
            "title": "A viral statement", "place": "Bishkek",
            "date": "2026-12-10",
            "body_markdown": "We call for a benchmark.\n\n- one\n- two\n"})
        assert r.status_code == 201, r.text
        r = requests.post(api + "/" + slug + "/status", headers=auth,
                          json={"status": "open"})
        assert r.status_code == 200, r.text
        with self.db.cursor() as cur:
            cur.execute("SELECT id, text_digest FROM statements"
                        " WHERE slug = %s", (slug,))
            sid, digest = cur.fetchone()
        return slug, sid, digest

    def pending(self, sid, digest, n, tag):
        """n pending signatures with a confirmation link each; returns
        [(signature id, token)]."""
        with self.db.cursor() as cur:
            cur.execute(
                "INSERT INTO signatures (statement_id, organisation,"
                " country, contact_name, email, text_digest, lang, source)"
                " SELECT %s, 'Pending ' || g, 'KG', 'Aigerim',"
                " %s || g || '@bench.example.org', %s, 'en', 'api'"
                " FROM generate_series(1, %s) g RETURNING id",
                (sid, tag, digest, n))
            ids = [r[0] for r in cur.fetchall()]
            rows = []
            for i in ids:
                tok = secrets.token_urlsafe(32)
                rows.append((i, tok))
            psycopg2.extras.execute_values(
                cur, "INSERT INTO email_tokens (signature_id, token_hash,"
                " expires_at) VALUES %s",
                [(i, psycopg2.Binary(hashlib.sha256(t.encode()).digest()),
                  "2100-01-01") for i, t in rows], page_size=2000)
        return rows

    # -- pgbench ----------------------------------------------------------
    def pgbench(self, name, script):
        path = os.path.join(self.dir, name + ".sql")
        with open(path, "w") as f:
            f.write(script)
        logdir = os.path.join(self.dir, "pgbench-" + name)
        shutil.rmtree(logdir, ignore_errors=True)
        os.makedirs(logdir)
        out = subprocess.run(
            [os.path.join(PGBIN, "pgbench"), "-n", "-c8", "-j2",
             "-T%d" % self.secs, "-f", path, "-l",
             "--log-prefix=" + os.path.join(logdir, "log"),
             "-h", self.pgdir, "-U", "undersigned", "undersigned"],
            check=True, capture_output=True, text=True).stdout
        tps = float(re.search(r"tps = ([0-9.]+) \(without initial",
                              out).group(1))
        lat = []
        for fn in os.listdir(logdir):
            with open(os.path.join(logdir, fn)) as f:
                for line in f:
                    lat.append(int(line.split()[2]) / 1000.0)
        lat.sort()
        failed = re.search(r"number of failed transactions: (\d+)", out)
        return {"rate": tps, "p50": percentile(lat, 50),
                "p99": percentile(lat, 99),
                "failed": int(failed.group(1)) if failed else 0}

    # -- the benchmarks ---------------------------------------------------
    def bench_sign(self):
        runs = []
        for _ in range(self.rounds):
            runs.append(self.bench_sign_once())
        return median_runs(runs)

    def bench_sign_once(self):
        self.start_kore()
        slug, _, _ = self.statement("sign")
        ours = run_wrk(self.url + "/api/v1/statements/%s/signatures" % slug,
                       8, self.secs, os.path.join(ROOT, "bench", "sign.lua"))
        ours["rss"] = self.kore_peak_rss()
        self.stop_kore()
        _, sid, digest = self.statement_direct("sign-pgbench")
        base = self.pgbench("sign", """\\set n random(1, 1000000000000)
BEGIN;
INSERT INTO signatures (statement_id, organisation, country, contact_name, email, text_digest, lang, source) VALUES (%d, 'Bench ' || :n, 'KG', 'Aigerim', 'p' || :n || '-' || :client_id || '@bench.example.org', '%s', 'en', 'api');
INSERT INTO outbox (kind, signature_id, recipient) VALUES ('verify', currval('signatures_id_seq'), 'p' || :n || '@bench.example.org');
COMMIT;
""" % (sid, digest))
        return ours, base

    def statement_direct(self, prefix):
        """A statement for a baseline, made while Kore is stopped."""
        self.start_kore()
        try:
            return self.statement(prefix)
        finally:
            self.stop_kore()

    def bench_confirm(self):
        runs = []
        for _ in range(self.rounds):
            runs.append(self.bench_confirm_once())
        return median_runs(runs)

    def bench_confirm_once(self):
        n = max(20000, 5000 * self.secs)
        self.start_kore()
        slug, sid, digest = self.statement("confirm")
        links = self.pending(sid, digest, n, "c")
        tokens = os.path.join(self.dir, "tokens.txt")
        with open(tokens, "w") as f:
            f.write("".join(t + "\n" for _, t in links))
        ours = run_wrk(self.url + "/api/v1/verify", 8, self.secs,
                       os.path.join(ROOT, "bench", "confirm.lua"), [tokens])
        ours["rss"] = self.kore_peak_rss()
        _, sid2, digest2 = self.statement("confirm-pgbench")
        self.stop_kore()
        rows = self.pending(sid2, digest2, n, "d")
        lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
        base = self.pgbench("confirm", """\\set id random(%d, %d)
BEGIN;
UPDATE email_tokens SET used_at = now() WHERE signature_id = :id AND purpose = 'verify' AND used_at IS NULL;
UPDATE signatures SET status = 'confirmed', confirmed_at = now(), updated_at = now() WHERE id = :id AND status = 'pending';
COMMIT;
""" % (lo, hi))
        return ours, base

    def bench_page(self):
        self.start_kore()
        slug, sid, digest = self.statement("page")
        with self.db.cursor() as cur:
            cur.execute(
                "INSERT INTO signatures (statement_id, organisation, acronym,"
                " country, contact_name, email, text_digest, lang, source,"
                " status, confirmed_at) SELECT %s,"
                " 'Organisation number ' || g, 'ON' || g,"
                " (ARRAY['KG','KZ','GE','AM','UA','DE'])[1 + g %% 6],"
                " 'Aigerim', 'o' || g || '@bench.example.org', %s, 'en',"
                " 'api', 'confirmed', now() FROM generate_series(1, 1000) g",
                (sid, digest))
        url = self.url + "/s/" + slug
        body = requests.get(url).content
        assert b"Organisation number 1000" in body
        www = os.path.join(self.dir, "www")
        os.makedirs(www, exist_ok=True)
        with open(os.path.join(www, "page.html"), "wb") as f:
            f.write(body)
        self.stop_kore()
        static = self.start_nginx(www)
        assert requests.get(static).content == body
        self.stop_nginx()
        runs = []
        for _ in range(self.rounds):
            self.start_kore()
            run_wrk(url, 64, 1)
            ours = run_wrk(url, 64, self.secs)
            ours["rss"] = self.kore_peak_rss()
            ours["bytes"] = len(body)
            self.stop_kore()
            static = self.start_nginx(www)
            run_wrk(static, 64, 1)
            base = run_wrk(static, 64, self.secs)
            self.stop_nginx()
            runs.append((ours, base))
        return median_runs(runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only", default="sign,confirm,page")
    ap.add_argument("--home")
    args = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit("throughput.py: needs %s (make deps)" % tool)
    b = Bench(args)
    results = []
    try:
        b.start_db()
        for name in args.only.split(","):
            ours, base = getattr(b, "bench_" + name)()
            results.append((name, ours, base))
            print("%-8s undersigned %9.1f/s p50 %7.2f ms p99 %7.2f ms"
                  " failed %d peak worker RSS %.1f MiB" % (
                      name, ours["rate"], ours["p50"], ours["p99"],
                      ours["failed"], ours["rss"]), flush=True)
            print("%-8s baseline    %9.1f/s p50 %7.2f ms p99 %7.2f ms"
                  " failed %d" % ("", base["rate"], base["p50"], base["p99"],
                                  base["failed"]), flush=True)
            print("%-8s ratio %.2f (target >= %.2f)%s" % (
                "", ours["rate"] / base["rate"], TARGETS[name],
                "" if name != "page" else
                ", page %d bytes, p99 target <= 50 ms" % ours["bytes"]),
                flush=True)
    finally:
        b.stop()
    print(json.dumps({n: {"ours": {k: v for k, v in o.items() if k != "raw"},
                          "baseline": {k: v for k, v in a.items()
                                       if k != "raw"},
                          "ratio": round(o["rate"] / a["rate"], 3)}
                      for n, o, a in results}))


if __name__ == "__main__":
    main()
