#!/usr/bin/python3
"""Mail throughput: the mail sender against a plain SMTP client.

Run by bench/mail.sh, which starts PostgreSQL and the server.  For each
size N (default 2,000 and 10,000):

  mailer    N signatures are posted to the sign API with the mail sender
            stopped (N verification mails queued, as signers queue them);
            then one `undersigned mailer` starts, and the time from its
            start to the N-th message accepted by the SMTP sink gives its
            rate.
  smtplib   Python's smtplib sends N copies of one of those messages (same
            bytes) over one connection to the same sink: the baseline.
  e2e       with the mail sender running, N signatures are posted as fast
            as 8 connections go; printed: the time from the last sign
            response to the last mail delivered, and from the first
            request to the last mail.

The sink is aiosmtpd in a process of its own, so neither client shares
its interpreter.  Rate limits are off (UNDERSIGNED_RATE_LIMITS=off).
"""
import argparse
import http.client
import json
import multiprocessing
import os
import signal
import smtplib
import subprocess
import threading
import time
import uuid


def sink_main(port, count, last, first_raw, ready):
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
                last.value = time.time()
            if not first_raw.is_set():
                path = os.environ["MAIL_SAMPLE"]
                with open(path, "wb") as f:
                    f.write(envelope.original_content or envelope.content)
                first_raw.set()
            return "250 OK"

    c = Controller(Handler(), hostname="127.0.0.1", port=port)
    c.start()
    ready.set()
    signal.sigwait([signal.SIGTERM])
    c.stop()


class Sink:
    def __init__(self, port):
        self.port = port
        self.count = multiprocessing.Value("q", 0)
        self.last = multiprocessing.Value("d", 0.0)
        self.sample = multiprocessing.Event()
        ready = multiprocessing.Event()
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
        self.proc = multiprocessing.Process(
            target=sink_main, args=(port, self.count, self.last, self.sample,
                                    ready), daemon=True)
        self.proc.start()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
        ready.wait(30)

    def reset(self):
        with self.count.get_lock():
            self.count.value = 0
            self.last.value = 0.0

    def wait(self, n, timeout=600):
        deadline = time.time() + timeout
        while self.count.value < n:
            if time.time() > deadline:
                raise SystemExit("mail.py: only %d of %d mails arrived"
                                 % (self.count.value, n))
            time.sleep(0.01)
        return self.last.value

    def stop(self):
        self.proc.terminate()
        self.proc.join(10)


def load(url, slug, n, conns=8):
    """Posts n signatures over conns keep-alive connections; returns the
    times of the first request and of the last response."""
    host, port = url.split("//")[1].split(":")
    path = "/api/v1/statements/%s/signatures" % slug
    run = uuid.uuid4().hex[:8]
    lock = threading.Lock()
    state = {"next": 0, "bad": 0, "end": 0.0}

    def worker():
        c = http.client.HTTPConnection(host, int(port), timeout=60)
        while True:
            with lock:
                i = state["next"]
                if i >= n:
                    break
                state["next"] += 1
            body = json.dumps({
                "organisation": "Bench organisation %d" % i,
                "country": "KG", "contact_name": "Aigerim",
                "email": "m%s-%d@bench.example.org" % (run, i)})
            c.request("POST", path, body,
                      {"Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            with lock:
                if r.status != 202:
                    state["bad"] += 1
                state["end"] = max(state["end"], time.time())
        c.close()

    start = time.time()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if state["bad"]:
        raise SystemExit("mail.py: %d sign requests failed" % state["bad"])
    return start, state["end"]


def mailer(env, log):
    return subprocess.Popen(["bin/undersigned", "mailer"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(30)


def smtplib_rate(port, sample, n):
    with open(sample, "rb") as f:
        msg = f.read()
    start = time.time()
    s = smtplib.SMTP("127.0.0.1", port)
    s.ehlo()
    for i in range(n):
        s.sendmail("noreply@bench.example.org",
                   ["b%d@bench.example.org" % i], msg)
    s.quit()
    return n / (time.time() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--slug", required=True)
    ap.add_argument("--smtp-port", type=int, required=True)
    ap.add_argument("--sizes", default="2000,10000")
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()

    os.environ["MAIL_SAMPLE"] = os.path.join(a.dir, "sample.eml")
    sink = Sink(a.smtp_port)
    env = dict(os.environ)
    log = open(os.path.join(a.dir, "mailer.log"), "ab")
    rows = []
    try:
        for n in [int(x) for x in a.sizes.split(",")]:
            # The mail sender alone, on a queue of n.
            load(a.url, a.slug, n)
            sink.reset()
            t0 = time.time()
            p = mailer(env, log)
            end = sink.wait(n)
            stop(p)
            ours = n / (end - t0)
            base = smtplib_rate(a.smtp_port, os.environ["MAIL_SAMPLE"], n)
            # Signing and mail together.
            sink.reset()
            p = mailer(env, log)
            time.sleep(0.5)
            first, last_req = load(a.url, a.slug, n)
            end = sink.wait(n)
            stop(p)
            rows.append((n, ours, base, ours / base, n / (last_req - first),
                         end - last_req, end - first))
            print("%6d mails  mailer %7.0f/s  smtplib %7.0f/s  ratio %.2f"
                  "  | %d signs at %.0f/s: last sign -> last mail %.2f s,"
                  " first sign -> last mail %.2f s" % (
                      n, ours, base, ours / base, n, n / (last_req - first),
                      end - last_req, end - first), flush=True)
    finally:
        sink.stop()
        log.close()
    print()
    print("| mails | mailer | smtplib, one connection | ratio | signs/s "
          "(8 conns) | last sign → last mail | first sign → last mail |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, ours, base, ratio, sps, tail, total in rows:
        print("| %s | %.0f/s | %.0f/s | **%.2f** | %.0f | %.2f s | %.2f s |"
              % ("{:,}".format(n), ours, base, ratio, sps, tail, total))


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
