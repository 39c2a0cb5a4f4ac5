#!/usr/bin/python3
"""Throughput of the cluster topology: how many signatures a second go
through one app node and through nginx in front of two, with the standby
synchronous and then asynchronous, and how fast the two mail senders drain
the queue.

    /usr/bin/python3 bench/cluster_bench.py [--seconds 10] [--connections 16]
                                            [--senders 2]

It starts the same services as the cluster test (tests/cluster/conftest.py:
PostgreSQL 15 primary + streaming standby, two Kore nodes, two mail
senders, nginx, an SMTP server) under var/test/cluster/, drives them with
wrk (each request signs with a new address) and prints one line per run.
A benchmark, not a test: it asserts nothing, and the figures depend on
what else the machine is doing (it prints the load average).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "cluster"))

import conftest  # noqa: E402  the cluster test's fixtures, reused

WRK_SCRIPT = """
local n = 0
local id = 0
local counter = 0
function setup(thread)
  thread:set("id", n)
  n = n + 1
end
function request()
  counter = counter + 1
  local body = string.format('{"organisation":"Bench %%d-%%d","country":"GE",'
    .. '"contact_name":"Nino","email":"%s-%%d-%%d@bench.example.org"}',
    id, counter, id, counter)
  return wrk.format("POST", "%s", {["Content-Type"] = "application/json"},
    body)
end
function response(status, headers, body)
  if status ~= 202 then
    errors = (errors or 0) + 1
  end
end
"""


def wrk(url, path, tag, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % (tag, path))
        script = f.name
    try:
        out = subprocess.run(["wrk", "-t2", "-c%d" % connections,
                              "-d%ds" % seconds, "--latency", "-s", script,
                              url], capture_output=True, text=True,
                             check=True).stdout
    finally:
        os.unlink(script)
    rate = [line for line in out.splitlines() if "Requests/sec" in line]
    p99 = [line for line in out.splitlines() if line.strip().startswith("99%")]
    non2xx = [line for line in out.splitlines() if "Non-2xx" in line]
    return (float(rate[0].split()[1]), p99[0].split()[1] if p99 else "?",
            non2xx[0].strip() if non2xx else "all 202")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--senders", type=int, default=2,
                    help="mail senders (the cluster test runs two)")
    args = ap.parse_args()

    gen = conftest.running_cluster()
    c = next(gen)
    try:
        for i in range(2, args.senders):
            c.start_mailer("mailer%d" % (i + 1))
        token = c.cli("coordinator", "add",
                      "bench@cluster.example.org").stdout.split()[-1]
        auth = {"Authorization": "Bearer " + token}
        slug = "bench-" + uuid.uuid4().hex[:8]
        requests.post(c.url + "/api/v1/statements", headers=auth, json={
            "slug": slug, "kind": "joint_statement", "lang": "en",
            "title": "Bench", "body_markdown": "We sign.", "place": "Tbilisi",
            "date": "2026-12-10"}).raise_for_status()
        requests.post(c.url + "/api/v1/statements/%s/status" % slug,
                      headers=auth, json={"status": "open"}
                      ).raise_for_status()
        path = "/api/v1/statements/%s/signatures" % slug
        node1 = "http://127.0.0.1:%d" % c.nodes[0]["port"]
        print("load average before: %s" % open("/proc/loadavg").read().split()
              [:3])
        for sync in (True, False):
            if not sync:
                c.primary.sql("ALTER SYSTEM SET synchronous_standby_names"
                              " = ''")
                c.primary.sql("SELECT pg_reload_conf()")
                time.sleep(1)
            mode = "synchronous" if sync else "asynchronous"
            for name, url in (("one node", node1),
                              ("nginx, two nodes", c.url)):
                tag = uuid.uuid4().hex[:6]
                rate, p99, errs = wrk(url, path, tag, args.seconds,
                                      args.connections)
                print("%-17s standby %-12s %7.0f signatures/s  p99 %-8s %s"
                      % (name, mode, rate, p99, errs))
        t = time.time()
        conftest.wait_until(lambda: c.primary.sql(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND"
            " failed_at IS NULL") == [(0,)], 900, "mail drained")
        sent = c.primary.sql("SELECT count(*), extract(epoch from"
                             " max(sent_at) - min(sent_at)) FROM outbox")[0]
        print("mail: %d messages, sent over %.0f s (%.0f/s with %d senders);"
              " queue empty %.0f s after the load" % (
                  sent[0], sent[1], sent[0] / sent[1], args.senders,
                  time.time() - t))
        print("load average after: %s" % open("/proc/loadavg").read().split()
              [:3])
    finally:
        gen.close()


if __name__ == "__main__":
    main()
