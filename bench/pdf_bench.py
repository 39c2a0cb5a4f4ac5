#!/usr/bin/python3
"""PDF benchmark: the pdf plugin against WeasyPrint, in one run.

    /usr/bin/python3 bench/pdf_bench.py [--sizes 50,1000,10000] [--runs 5]

For each number of signatories it builds one statement model, renders it
with `bin/undersigned render --format pdf` and renders the same content as
HTML (title, references, body, numbered list of signatories, page numbers)
with WeasyPrint.  It prints, per size, the wall time of each (median of
--runs for sizes up to 1,000, one run above), the ratio WeasyPrint/ours,
the CPU time (user + system, steadier than wall time on a busy machine)
and the peak memory (max RSS from /usr/bin/time) of each process.

A second table times the render alone inside one warm process, which is
how the server renders: bench/render_loop.c loads the plugin and the
model once and renders repeatedly; WeasyPrint is imported once and
HTML(...).write_pdf() called repeatedly.  The first render of each is not
timed; the median of --runs is printed.

Installs what it needs from Debian when missing: weasyprint, time.
"""
import argparse
import ctypes
import ctypes.util
import html
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CLI = os.path.join(ROOT, os.environ.get("US_CLI", "bin/undersigned"))
TIME = "/usr/bin/time"
FONTS = "'Noto Sans', 'Noto Sans Georgian', 'Noto Sans Armenian', " \
        "'DejaVu Sans'"

BODY = """We, the undersigned organisations, call on the authorities to release
**Ana Beridze** and *Giorgi Kapanadze*, two journalists detained on 3 March
for their reporting on the *Gorgasali* construction contracts.

Both were held for more than 72 hours without access to a lawyer of their
choice.  Their families were not told where they were.  The charges against
them, "hooliganism" and "disobedience to a lawful order", are the same
charges used against at least eleven other reporters since January.

## Actions requested

1. Release Ana Beridze and Giorgi Kapanadze immediately and unconditionally;
2. Drop all charges brought against them for their journalism;
3. Investigate the raid on their office of 3 March and the seizure of
   their equipment, and return it;
4. Guarantee that journalists can report on public contracts without
   fear of reprisal.

We will follow the case and report on the response of the authorities.
The full report is at [the network's site](https://example.org/report).
"""

NAMES = [
    ("Human Rights Centre {i}", "HRC{i}", "GB", "United Kingdom"),
    ("Правозащитный центр «Мемориал» {i}", "ПЦ{i}", "RU",
     "Russian Federation"),
    ("საქართველოს ახალგაზრდა იურისტთა ასოციაცია {i}", "GYLA{i}", "GE",
     "Georgia"),
    ("Հելսինկյան Քաղաքացիական Ասամբլեա {i}", None, "AM", "Armenia"),
    ("Fundación Ñandú para la Libertad de Prensa {i}", "FNLP{i}", "AR",
     "Argentina"),
]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure(package, path):
    """apt-get install package when path is missing (sudo unless root)."""
    if os.path.exists(path):
        return
    print("installing %s ..." % package, file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(sudo + ["apt-get", "install", "-y", "-q", package],
                      env=env, stdout=subprocess.DEVNULL).returncode != 0:
        sh(sudo + ["apt-get", "update", "-q"], env=env,
           stdout=subprocess.DEVNULL)
        sh(sudo + ["apt-get", "install", "-y", "-q", package], env=env,
           stdout=subprocess.DEVNULL)


def model(n):
    sigs = []
    for i in range(n):
        name, acronym, country, country_name = NAMES[i % len(NAMES)]
        sigs.append({
            "position": i + 1,
            "organisation": name.format(i=i + 1),
            "acronym": acronym.format(i=i + 1) if acronym else None,
            "country": country, "country_name": country_name,
            "signed_on": "2026-11-20",
        })
    return {
        "slug": "bench-%d" % n, "kind": "joint_statement",
        "status": "published", "lang": "en",
        "title": "Release Ana Beridze and Giorgi Kapanadze now",
        "place": "Tbilisi", "date": "2026-12-01", "reference": "UA 56.23",
        "coordinator_organisation": "Network of Rights Defenders",
        "generated_at": "2026-12-01T08:00:00Z",
        "body_markdown": BODY,
        "signatories": sigs, "unnamed_count": 3,
        "signature_count": n + 3,
    }


def markdown_html(text):
    """The body through libcmark, the parser the plugin uses."""
    lib = ctypes.CDLL(ctypes.util.find_library("cmark") or "libcmark.so")
    libc = ctypes.CDLL(None)
    lib.cmark_markdown_to_html.restype = ctypes.c_void_p
    lib.cmark_markdown_to_html.argtypes = [ctypes.c_char_p, ctypes.c_size_t,
                                           ctypes.c_int]
    raw = text.encode()
    ptr = lib.cmark_markdown_to_html(raw, len(raw), 1 << 3)  # SAFE
    out = ctypes.string_at(ptr).decode()
    libc.free(ctypes.c_void_p(ptr))
    return out


def model_html(m):
    """The same document as HTML for WeasyPrint."""
    items = []
    for s in m["signatories"]:
        extra = ", ".join(x for x in (s["acronym"], s["country_name"]) if x)
        items.append("<li>%s (%s)</li>" % (html.escape(s["organisation"]),
                                           html.escape(extra)))
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%(title)s</title>
<style>
@page { size: A4; margin: 64pt 64pt 72pt 64pt;
  @bottom-center { content: counter(page) " / " counter(pages);
    font: 8.5pt %(fonts)s; color: #595959; } }
body { font: 10.5pt/1.35 %(fonts)s; }
h1 { font-size: 20pt; margin: 0 0 10pt; }
h2 { font-size: 13.5pt; margin: 20pt 0 6pt; }
p { margin: 0 0 6pt; }
ol { margin: 0; padding-left: 40pt; }
li { margin-bottom: 2pt; }
</style></head><body>
<h1>%(title)s</h1>
<p>Reference: %(reference)s<br>%(place)s, 1 December 2026</p>
%(body)s
<h2>Signed by</h2>
<ol>
%(items)s
</ol>
<p style="padding-left: 40pt">and %(unnamed)d organisations that cannot be
named for their safety</p>
</body></html>
""" % {"title": html.escape(m["title"]), "fonts": FONTS,
       "reference": html.escape(m["reference"]),
       "place": html.escape(m["place"]),
       "body": markdown_html(m["body_markdown"]),
       "items": "\n".join(items), "unnamed": m["unnamed_count"]}


def measure(cmd, tmp):
    """(wall seconds, max RSS in MiB, CPU seconds) of one run of cmd."""
    rss = os.path.join(tmp, "rss")
    start = time.perf_counter()
    proc = subprocess.run([TIME, "-f", "%M %U %S", "-o", rss] + cmd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stderr))
    with open(rss) as f:
        kib, user, system = f.read().split()[-3:]
    return wall, int(kib) / 1024.0, float(user) + float(system)


WARM_WEASYPRINT = """
import sys, time
from weasyprint import HTML
page, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(runs + 1):
    t = time.perf_counter()
    HTML(filename=page).write_pdf(out)
    if i:
        print("render %.6f" % (time.perf_counter() - t))
"""


def warm(cmd):
    """Median seconds of the renders a warm-process command reports."""
    out = sh(cmd, capture_output=True, text=True).stdout
    times = [float(l.split()[1]) for l in out.splitlines()
             if l.startswith("render ")]
    return statistics.median(times)


def build_loop():
    """bench/render_loop.c against the objects `make` just built."""
    out = os.path.join(ROOT, "build", "bench", "render_loop")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    objs = [os.path.join(d, f) for sub in ("core", "plugin")
            for d in [os.path.join(ROOT, "build", "src", sub)]
            for f in sorted(os.listdir(d)) if f.endswith(".o")]
    sh(["cc", "-O2", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra",
        "-Werror", "-I" + os.path.join(ROOT, "src"),
        "-I" + os.path.join(ROOT, "plugins"), "-o", out,
        os.path.join(ROOT, "bench", "render_loop.c")] + objs +
       ["-ljansson", "-lcmark", "-lssl", "-lcrypto", "-lxlsxwriter", "-lz",
        "-ldl"])
    return out


def pages(pdf):
    out = sh(["pdfinfo", pdf], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = "%.1f GiB" % (int(f.readline().split()[1]) / 1048576)
    except OSError:
        pass
    versions = []
    for pkg in ("libcairo2", "libpango-1.0-0", "weasyprint"):
        v = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                           capture_output=True, text=True).stdout
        versions.append("%s %s" % (pkg, v or "?"))
    return "%s, %d CPUs, %s RAM; %s" % (cpu, os.cpu_count() or 0, mem,
                                        ", ".join(versions))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,1000,10000")
    ap.add_argument("--runs", type=int, default=5,
                    help="runs per tool for sizes up to 1,000 (median)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]

    ensure("time", TIME)
    ensure("weasyprint", "/usr/bin/weasyprint")
    ensure("poppler-utils", "/usr/bin/pdfinfo")
    sh(["make", "--no-print-directory", "-s", "-C", ROOT, "bin/undersigned",
        "plugins/pdf.so"])
    loop = build_loop()

    print("machine: %s" % machine())
    print("ours:    %s render --format pdf --statement MODEL.json -o OUT"
          % os.path.relpath(CLI, ROOT))
    print("theirs:  weasyprint MODEL.html OUT")
    print()
    rows = []
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        for n in sizes:
            m = model(n)
            src = os.path.join(tmp, "m%d.json" % n)
            page = os.path.join(tmp, "m%d.html" % n)
            with open(src, "w", encoding="utf-8") as f:
                json.dump(m, f, ensure_ascii=False)
            with open(page, "w", encoding="utf-8") as f:
                f.write(model_html(m))
            ours_pdf = os.path.join(tmp, "ours%d.pdf" % n)
            theirs_pdf = os.path.join(tmp, "theirs%d.pdf" % n)
            ours = [CLI, "render", "--format", "pdf", "--statement", src,
                    "-o", ours_pdf]
            theirs = ["weasyprint", page, theirs_pdf]

            runs = args.runs if n <= 1000 else 1
            # One untimed run each: font caches and the page cache warm.
            measure(ours, tmp)
            measure(theirs, tmp)
            a = [measure(ours, tmp) for _ in range(runs)]
            b = [measure(theirs, tmp) for _ in range(runs)]
            row = {
                "n": n, "runs": runs,
                "ours_s": statistics.median(x[0] for x in a),
                "ours_cpu": statistics.median(x[2] for x in a),
                "ours_mib": max(x[1] for x in a),
                "ours_pages": pages(ours_pdf),
                "theirs_s": statistics.median(x[0] for x in b),
                "theirs_cpu": statistics.median(x[2] for x in b),
                "theirs_mib": max(x[1] for x in b),
                "theirs_pages": pages(theirs_pdf),
                "ours_warm": warm([loop, os.path.join(ROOT, "plugins"),
                                   "pdf", src, str(args.runs)]),
                "theirs_warm": warm(["/usr/bin/python3", "-c",
                                     WARM_WEASYPRINT, page, theirs_pdf,
                                     str(runs)]),
            }
            rows.append(row)
            print("N=%-6d ours %.3f s %.1f MiB (%d pages)   weasyprint "
                  "%.3f s %.1f MiB (%d pages)   %.1fx" % (
                      n, row["ours_s"], row["ours_mib"], row["ours_pages"],
                      row["theirs_s"], row["theirs_mib"],
                      row["theirs_pages"], row["theirs_s"] / row["ours_s"]),
                  file=sys.stderr)

    print("| signatories | runs | ours | WeasyPrint | WeasyPrint / ours "
          "| CPU ours / WeasyPrint | max RSS ours | max RSS WeasyPrint "
          "| pages |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %d | %.3f s | %.2f s | %.1f× | %.2f s / %.2f s (%.1f×) "
              "| %.1f MiB | %.1f MiB | %d / %d |" % (
                  "{:,}".format(r["n"]), r["runs"], r["ours_s"],
                  r["theirs_s"], r["theirs_s"] / r["ours_s"],
                  r["ours_cpu"], r["theirs_cpu"],
                  r["theirs_cpu"] / max(r["ours_cpu"], 0.005),
                  r["ours_mib"], r["theirs_mib"], r["ours_pages"],
                  r["theirs_pages"]))
    print()
    print("In one warm process (the render alone, as the server does it):")
    print()
    print("| signatories | ours | WeasyPrint | WeasyPrint / ours |")
    print("|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %.3f s | %.2f s | %.1f× |" % (
            "{:,}".format(r["n"]), r["ours_warm"], r["theirs_warm"],
            r["theirs_warm"] / r["ours_warm"]))


if __name__ == "__main__":
    main()
