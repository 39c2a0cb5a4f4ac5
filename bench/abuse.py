#!/usr/bin/python3
"""The clients of bench/abuse.sh (which starts the server).

    bench/abuse.py --url URL --token TOKEN [--seconds 20]

One process measures the latency of GET /healthz and GET /s/{slug} (one
request every 20 ms, alternating) for --seconds with nothing else
running, then for --seconds again during the attack:

  form     POST /w/new: 700 KB URL-encoded form of 100,000 fields with a
           bogus session cookie;
  json     POST /api/v1/statements, alternately: a 1 MB JSON object of
           107,000 keys with a wrong Bearer token, Markdown of 200 KB
           that libcmark 0.30.2 is quadratic on ("![[]()" repeated) and a
           valid token, and the same Markdown at the 50,000-character
           cap, which is accepted and rendered;
  flood    POST /s/{slug}/sign as fast as one connection goes, a new
           organisation and address each time.

Each attacker loops without pause on its own connection.  It prints p50,
p99 and max per URL and phase, the answers each attacker got and, with
--kore-pid, the CPU time Kore's processes (workers and their task
threads) used in each phase: on a shared machine the latencies move with
the neighbours' load, the CPU per request does not.
"""
import argparse
import json
import multiprocessing
import os
import statistics
import time
import uuid

import requests


def kore_cpu(pid):
    """CPU seconds of the Kore parent and its workers (threads included)."""
    if not pid:
        return 0.0
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if d == str(pid) or st[1] == str(pid):
            total += (int(st[11]) + int(st[12])) / tick
    return total


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def measure(url, slug, seconds, out):
    s = requests.Session()
    lat = {"/healthz": [], "/s/" + slug: []}
    fails = 0
    end = time.time() + seconds
    paths = list(lat)
    i = 0
    while time.time() < end:
        path = paths[i % 2]
        i += 1
        t0 = time.perf_counter()
        try:
            r = s.get(url + path, timeout=30)
            ok = r.status_code == 200
        except requests.RequestException:
            ok = False
        dt = (time.perf_counter() - t0) * 1000.0
        if ok:
            lat[path].append(dt)
        else:
            fails += 1
        time.sleep(max(0.0, 0.02 - dt / 1000.0))
    out.put(("measure", lat, fails))


def attack(kind, url, token, slug, stop, out):
    s = requests.Session()
    statuses = {}
    form = "&".join("f%d=x" % i for i in range(100000)).encode()
    big = ("{" + ",".join('"%x":0' % i for i in range(107000)) +
           "}").encode()
    quad = "![[]()" * 33000
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if kind == "form":
                r = s.post(url + "/w/new", data=form,
                           cookies={"us_session": "A" * 43},
                           allow_redirects=False, headers={"Content-Type":
                           "application/x-www-form-urlencoded"}, timeout=60)
                key = "form 100k fields, bogus session"
            elif kind == "json" and n % 3 == 1:
                r = s.post(url + "/api/v1/statements", data=big,
                           headers={"Authorization": "Bearer wrong",
                                    "Content-Type": "application/json"},
                           timeout=60)
                key = "json 107k keys, wrong bearer"
            elif kind == "json":
                md = quad if n % 3 == 2 else quad[:50000]
                r = s.post(url + "/api/v1/statements", json={
                    "slug": "b-" + uuid.uuid4().hex[:12],
                    "kind": "open_letter", "lang": "en", "title": "T",
                    "body_markdown": md},
                    headers={"Authorization": "Bearer " + token},
                    timeout=60)
                key = "markdown %s, valid token" % (
                    "200 KB" if n % 3 == 2 else "at the 50,000 cap")
            else:
                tag = uuid.uuid4().hex[:10]
                r = s.post(url + "/s/%s/sign" % slug, data={
                    "organisation": "Flood Org " + tag, "country": "KG",
                    "contact_name": "F", "email": "f-%s@example.org" % tag},
                    allow_redirects=False, timeout=60)
                key = "sign form flood"
            code = r.status_code
        except requests.RequestException as e:
            key, code = kind, type(e).__name__
        statuses.setdefault(key, {})
        statuses[key][code] = statuses[key].get(code, 0) + 1
    out.put(("attack", statuses))


def setup(url, token):
    slug = "abuse-" + uuid.uuid4().hex[:8]
    h = {"Authorization": "Bearer " + token}
    r = requests.post(url + "/api/v1/statements", headers=h, json={
        "slug": slug, "kind": "joint_statement", "lang": "en",
        "title": "Free the press", "body_markdown":
        "We, the undersigned, call for the release of journalists.\n",
        "place": "Bishkek", "date": "2026-12-10"})
    r.raise_for_status()
    r = requests.post(url + "/api/v1/statements/%s/status" % slug,
                      headers=h, json={"status": "open"})
    r.raise_for_status()
    return slug


def report(phase, lat, fails):
    for path, xs in lat.items():
        if not xs:
            print("%-8s %-24s no answer" % (phase, path))
            continue
        print("%-8s %-24s n=%5d  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms"
              % (phase, path, len(xs), statistics.median(xs),
                 percentile(xs, 99), max(xs)))
    if fails:
        print("%-8s %d requests failed or timed out" % (phase, fails))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--kore-pid", type=int, default=0)
    ap.add_argument("--attackers", default="form,json,flood",
                    help="which attackers run (default: all three)")
    a = ap.parse_args()
    slug = setup(a.url, a.token)
    out = multiprocessing.Queue()

    cpu0 = kore_cpu(a.kore_pid)
    measure(a.url, slug, a.seconds, out)
    _, base, base_fails = out.get()
    cpu1 = kore_cpu(a.kore_pid)

    stop = multiprocessing.Event()
    procs = [multiprocessing.Process(target=attack, args=(k, a.url, a.token,
             slug, stop, out)) for k in a.attackers.split(",")]
    for p in procs:
        p.start()
    time.sleep(1)
    cpu2 = kore_cpu(a.kore_pid)
    measure(a.url, slug, a.seconds, out)
    _, under, under_fails = out.get()
    cpu3 = kore_cpu(a.kore_pid)
    stop.set()
    statuses = {}
    for _ in procs:
        statuses.update(out.get()[1])
    for p in procs:
        p.join()

    print("Latency of readers' requests, one every 20 ms:")
    report("alone", base, base_fails)
    report("attack", under, under_fails)
    print("What the attackers got (status: count):")
    nreq = 0
    for key in sorted(statuses):
        nreq += sum(statuses[key].values())
        print("  %-40s %s" % (key, json.dumps(statuses[key],
                                               sort_keys=True)))
    if a.kore_pid:
        print("Kore CPU: %.2f s alone, %.2f s during the attack (%d attack "
              "requests in all, %.1f ms each on average)" % (
                  cpu1 - cpu0, cpu3 - cpu2, nreq,
                  1000.0 * (cpu3 - cpu2) / max(1, nreq)))


if __name__ == "__main__":
    main()
