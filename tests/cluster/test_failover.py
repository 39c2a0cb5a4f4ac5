"""Two app nodes and a standby: under a sign load through nginx one node is
killed, then the primary database stops and the standby is promoted.
Every request answered 202 must have its signature in the promoted
database, once; every signer gets exactly one confirmation mail; signing
works again within 30 seconds of the primary's loss."""
import itertools
import os
import signal
import threading
import time
import uuid

import requests

from conftest import PHASE_SECONDS, VAR, pg_ctl, wait_until

CLIENTS = 6


class Load:
    """A bounded sign loop: CLIENTS threads, each signing with a new
    address per request, every answer recorded."""

    def __init__(self, url, slug):
        self.url = "%s/api/v1/statements/%s/signatures" % (url, slug)
        self.run = uuid.uuid4().hex[:6]
        self.seq = itertools.count()
        self.lock = threading.Lock()
        self.results = []       # (started, finished, email, status)
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client)
                        for _ in range(CLIENTS)]

    def client(self):
        s = requests.Session()
        while not self.stopping.is_set():
            n = next(self.seq)
            addr = "signer-%s-%06d@load.example.org" % (self.run, n)
            body = {"organisation": "Load Test Organisation %d" % n,
                    "country": "GE", "contact_name": "Nino",
                    "email": addr}
            started = time.time()
            try:
                status = s.post(self.url, json=body, timeout=15).status_code
            except requests.RequestException:
                status = 0
                s = requests.Session()
            with self.lock:
                self.results.append((started, time.time(), addr, status))
            if status != 202:
                time.sleep(0.05)

    def start(self):
        for t in self.threads:
            t.start()

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(30)
            assert not t.is_alive(), "a load client hung"

    def accepted(self, since=0.0, until=float("inf")):
        with self.lock:
            return [r for r in self.results
                    if r[3] == 202 and since <= r[0] and r[1] <= until]


def report(line):
    """The measured numbers, for scripts/test.sh and docs/scaling.md."""
    print("cluster: " + line)
    with open(os.path.join(VAR, "report.txt"), "a") as f:
        f.write("  cluster: " + line + "\n")


def test_failover_under_load_loses_nothing(cluster):
    c = cluster
    token = c.cli("coordinator", "add",
                  "coordinator@cluster.example.org").stdout.split()[-1]
    auth = {"Authorization": "Bearer " + token}
    slug = "cluster-" + uuid.uuid4().hex[:8]
    r = requests.post(c.url + "/api/v1/statements", headers=auth, json={
        "slug": slug, "kind": "joint_statement", "lang": "en",
        "title": "Two nodes, one standby", "body_markdown": "We sign.",
        "place": "Tbilisi", "date": "2026-12-10"})
    assert r.status_code == 201, r.text
    r = requests.post(c.url + "/api/v1/statements/%s/status" % slug,
                      headers=auth, json={"status": "open"})
    assert r.status_code == 200, r.text

    load = Load(c.url, slug)
    t0 = time.time()
    load.start()
    try:
        # Both nodes, healthy primary.
        time.sleep(PHASE_SECONDS)
        t_kill = time.time()
        both = len(load.accepted(t0, t_kill))
        rate = both / (t_kill - t0)

        # One app node dies without warning.
        node = c.nodes[0]
        os.killpg(node["proc"].pid, signal.SIGKILL)
        node["proc"].wait(10)
        wait_until(lambda: load.accepted(t_kill + 0.5), 30,
                   "signing through the remaining node")
        time.sleep(PHASE_SECONDS)

        # The primary database dies; the standby takes over.
        # A request started after this can only succeed on the standby.
        c.primary.stop("immediate")
        t_fail = time.time()
        pg_ctl(c.standby.data, "-w", "promote")
        t_promoted = time.time()
        first = min(wait_until(lambda: load.accepted(t_fail), 30,
                               "a signature accepted after the failover"),
                    key=lambda r: r[1])
        recovery = first[1] - t_fail
        time.sleep(PHASE_SECONDS)
    finally:
        load.stop()
    t_end = time.time()

    accepted = load.accepted()
    statuses = {}
    for r in load.results:
        statuses[r[3]] = statuses.get(r[3], 0) + 1
    report("%d requests, answers %s" % (len(load.results),
                                        sorted(statuses.items())))
    report("%.0f signatures/s through nginx with two nodes (%d clients,"
           " %.1f s)" % (rate, CLIENTS, t_kill - t0))
    report("signing again %.2f s after the primary stopped (promotion"
           " took %.2f s)" % (recovery, t_promoted - t_fail))
    assert both > 0 and len(accepted) > both

    # Every 202 is in the promoted database, once.
    rows = c.standby.sql(
        "SELECT lower(sg.email), count(*) FROM signatures sg JOIN statements"
        " st ON st.id = sg.statement_id WHERE st.slug = %s GROUP BY 1", slug)
    stored = dict(rows)
    missing = [r[2] for r in accepted if stored.get(r[2]) is None]
    assert missing == [], "%d acknowledged signatures lost: %s" % (
        len(missing), missing[:5])
    assert all(n == 1 for n in stored.values())
    assert c.standby.sql("SELECT pg_is_in_recovery()") == [(False,)]

    # Every queued confirmation is sent, each exactly once.  A message
    # whose claim was acknowledged by the lost primary only could wait for
    # its lease (5 minutes); the bound allows for that.
    def settled():
        return c.standby.sql(
            "SELECT count(*) FROM outbox o JOIN signatures sg ON sg.id ="
            " o.signature_id JOIN statements st ON st.id = sg.statement_id"
            " WHERE st.slug = %s AND o.sent_at IS NULL AND o.failed_at IS"
            " NULL", slug) == [(0,)]
    wait_until(settled, 330, "every confirmation mail sent")
    drained = time.time() - t_end
    counts = c.sink.counts()
    unsent = [a for a in stored if counts.get(a, 0) == 0]
    assert unsent == [], "%d signers got no mail: %s" % (len(unsent),
                                                        unsent[:5])
    twice = {a: n for a, n in counts.items() if n != 1}
    assert twice == {}, "mail sent more than once: %s" % (
        list(twice.items())[:5],)
    assert set(counts) == set(stored)
    report("last mail sent %.1f s after the load ended (two senders)"
           % drained)
    report("%d signatures acknowledged, %d stored, %d mails, none lost,"
           " none twice (%.0f s of load)" % (
              len(accepted), len(stored), sum(counts.values()), t_end - t0))

    # A link from a mail confirms against the promoted database.
    addr = accepted[-1][2]
    r = requests.post(c.url + "/api/v1/verify",
                      json={"token": c.sink.tokens[addr]})
    assert r.status_code == 200, r.text
    assert c.standby.sql("SELECT status FROM signatures WHERE email = %s",
                         addr) == [("confirmed",)]
