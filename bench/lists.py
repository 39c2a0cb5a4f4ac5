"""The large-list benchmark; run by bench/lists.sh, which starts the
database and the server.  Prints one table: each measure with p50 and p99
(over --runs runs; with few runs p99 is the slowest), the baseline where
there is one, the ratio, and the Kore workers' peak RSS."""
import argparse
import os
import statistics
import subprocess
import time
import uuid

import psycopg2
import requests

# The export's query (src/db/export.c), with the statement's id in place
# of the setting: the same rows and columns, for `psql \copy`.
PUBLIC = ("sg.status = 'confirmed' AND (sg.approved_at IS NOT NULL OR "
          "NOT (st.require_approval OR sg.source = 'import'))")
ORDER = ("CASE WHEN st.list_order = 'manual' THEN NOT sg.initiator END,"
         " CASE WHEN st.list_order = 'manual' THEN sg.display_order END"
         " NULLS LAST,"
         " CASE WHEN st.list_order = 'alphabetical' THEN"
         " coalesce(sg.display_name, sg.organisation) END"
         " COLLATE \"und-x-icu\","
         " coalesce(sg.confirmed_at, sg.created_at), sg.id")


def ts(col):
    return ("to_char((%s) AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" % col)


def export_sql(sid):
    return (
        "SELECT CASE WHEN sg.visibility = 'named' AND %(p)s THEN"
        " row_number() OVER (PARTITION BY sg.visibility = 'named' AND %(p)s"
        " ORDER BY %(o)s) END AS position, sg.organisation,"
        " sg.display_name, sg.acronym, sg.country, sg.country, sg.country2,"
        " sg.website, sg.contact_name, sg.contact_role, sg.email,"
        " sg.comment, sg.visibility, sg.status, sg.approved_at IS NOT NULL,"
        " sg.rejection_reason, sg.source, sg.initiator, sg.lang,"
        " sg.text_digest, %(c)s, %(f)s, %(w)s, sg.id"
        " FROM signatures sg JOIN statements st ON st.id = sg.statement_id"
        " WHERE sg.statement_id = %(id)d"
        " ORDER BY position NULLS LAST, sg.created_at, sg.id"
        % {"p": PUBLIC, "o": ORDER, "c": ts("sg.created_at"),
           "f": ts("sg.confirmed_at"), "w": ts("sg.withdrawn_at"),
           "id": sid})


def workers(kore_pid):
    """Kore's worker processes: the children of the main process."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == kore_pid:
            out.append(int(pid))
    return out


def rss_kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def timed(fn, runs):
    fn()  # warm-up, not counted
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--kore-pid", type=int, required=True)
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    auth = {"Authorization": "Bearer " + a.token}
    slug = "bench-lists-" + uuid.uuid4().hex[:8]
    r = requests.post(a.url + "/api/v1/statements", headers=auth, json={
        "slug": slug, "kind": "joint_statement", "lang": "en",
        "title": "Bench", "body_markdown": "Text.", "place": "Bishkek",
        "date": "2026-12-10"})
    r.raise_for_status()
    requests.post(a.url + "/api/v1/statements/%s/status" % slug,
                  headers=auth, json={"status": "open"}).raise_for_status()
    conn = psycopg2.connect(a.database)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM statements WHERE slug = %s", (slug,))
        sid = cur.fetchone()[0]
        cur.execute("""
            INSERT INTO signatures (statement_id, organisation, acronym,
                country, email, contact_name, contact_role, status,
                confirmed_at, text_digest, lang, source, website, comment)
            SELECT st.id, 'Правозащитная организация «Голос» ' || g,
                'ПО' || g, (ARRAY['KG','KZ','DE','UA','AM','GE'])[1 + g %% 6],
                'office-' || g || '@ngo-' || g || '.example.org',
                'Асель Н. ' || g, 'Director', 'confirmed',
                timestamptz '2026-01-01' + g * interval '1 second',
                st.text_digest, st.lang, 'web',
                'https://ngo-' || g || '.example.org',
                CASE WHEN g %% 10 = 0 THEN '=SUM(A1:A9), "quoted"' END
            FROM statements st, generate_series(1, %s) g WHERE st.id = %s
            """, (a.rows, sid))
        cur.execute("VACUUM ANALYZE signatures")
    conn.close()

    sql = export_sql(sid)
    psql = ["psql", "-X", "-q", a.database, "-c",
            "\\copy (%s) TO STDOUT CSV" % sql]

    def copy():
        subprocess.run(psql, check=True, stdout=subprocess.DEVNULL)

    size = [0]

    def export():
        # curl to /dev/null, as psql writes its copy: no Python in the loop.
        out = subprocess.run(
            ["curl", "-fsS", "-o", "/dev/null", "-w", "%{size_download}",
             "-H", "Authorization: Bearer " + a.token,
             a.url + "/api/v1/statements/%s/export.csv" % slug],
            check=True, capture_output=True, text=True).stdout
        size[0] = int(out)

    page_len, api_len = [0], [0]

    def page():
        r = requests.get(a.url + "/s/" + slug)
        r.raise_for_status()
        page_len[0] = len(r.content)

    def api_first():
        r = requests.get(a.url + "/api/v1/statements/%s/signatures" % slug)
        r.raise_for_status()
        api_len[0] = len(r.content)

    def api_deep():
        r = requests.get(a.url + "/api/v1/statements/%s/signatures"
                         "?offset=%d" % (slug, max(0, a.rows - 1000)))
        r.raise_for_status()

    def search():
        requests.get(a.url + "/s/" + slug, params={"q": "Голос» 9999"}
                     ).raise_for_status()

    t_copy = timed(copy, a.runs)
    t_export = timed(export, a.runs)
    export_size = size[0]
    t_page = timed(page, a.runs * 3)
    t_api = timed(api_first, a.runs * 3)
    t_deep = timed(api_deep, a.runs * 3)
    t_search = timed(search, a.runs)
    pids = workers(a.kore_pid)
    hwm = max(rss_kib(p, "VmHWM") for p in pids) / 1024.0
    now = max(rss_kib(p, "VmRSS") for p in pids) / 1024.0

    # Then the public list download (the csv plugin), rendered once per
    # revision: a fresh render of the whole list through the plugin ABI.
    def download():
        r = requests.get(a.url + "/s/%s/download/csv" % slug)
        r.raise_for_status()
        size[0] = len(r.content)

    t_dl = []
    t = time.perf_counter()
    download()
    t_dl.append(time.perf_counter() - t)
    dl_size = size[0]
    hwm_dl = max(rss_kib(p, "VmHWM") for p in pids) / 1024.0
    now_dl = max(rss_kib(p, "VmRSS") for p in pids) / 1024.0

    print("Large lists: %d signatories, %d runs (p99 of few runs is the"
          " slowest); machine shared with other jobs" % (a.rows, a.runs))
    print("%-34s %9s %9s %10s" % ("measure", "p50 s", "p99 s", "size"))
    rows = [("psql \\copy ... TO STDOUT CSV", t_copy, ""),
            ("export.csv (coordinators)", t_export, "%.1f MB" %
             (export_size / 1e6)),
            ("GET /s/{slug} (first page)", t_page, "%.0f KB" %
             (page_len[0] / 1024.0)),
            ("GET .../signatures (first 1000)", t_api, "%.0f KB" %
             (api_len[0] / 1024.0)),
            ("GET .../signatures?offset=%d" % max(0, a.rows - 1000), t_deep,
             ""),
            ("GET /s/{slug}?q=... (search)", t_search, "")]
    for name, t, extra in rows:
        print("%-34s %9.3f %9.3f %10s" % (name, pct(t, 50), pct(t, 99),
                                          extra))
    print("export / psql \\copy (p50): %.2fx  (target <= 1.5x)" %
          (pct(t_export, 50) / pct(t_copy, 50)))
    print("Kore workers: peak RSS %.1f MB, now %.1f MB  (target <= 64 MB)"
          % (hwm, now))
    print("public download csv (plugin), fresh render: %.3f s, %.1f MB;"
          " workers' peak RSS after it %.1f MB, now %.1f MB"
          % (t_dl[0], dl_size / 1e6, hwm_dl, now_dl))


if __name__ == "__main__":
    main()
