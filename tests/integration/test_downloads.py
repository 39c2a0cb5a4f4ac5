"""Output plugins through the server: loading and refusals, downloads with
their headers, ETag and cache, and what a plugin may see."""
import os
import re
import subprocess

import pytest
import requests

import hashlib

from conftest import (ROOT, VAR, free_port, query, signer, stop_process,
                      verify_token_from)

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "plugins")
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
          "-fvisibility=hidden", "-I" + os.path.join(ROOT, "plugins")]


OLDER_ABI = os.path.join(FIXTURES, "abi-2.0")


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    """The test plugins, the documented example, bad ones, and one built
    against the previous minor's header (tests/fixtures/plugins/abi-2.0)."""
    d = tmp_path_factory.mktemp("plugins")
    sources = {n[:-2]: os.path.join(FIXTURES, n) for n in os.listdir(FIXTURES)
               if n.endswith(".c")}
    sources["count"] = os.path.join(ROOT, "docs", "example-plugin", "count.c")
    for name, src in sources.items():
        subprocess.run(["gcc"] + CFLAGS + ["-o", str(d / (name + ".so")), src],
                       check=True)
    # The previous minor's header only: the server's must not be seen.
    older = [f for f in CFLAGS if not f.startswith("-I")] + ["-I" + OLDER_ABI]
    subprocess.run(["gcc"] + older + ["-o", str(d / "older.so"),
                                      os.path.join(OLDER_ABI, "older.c")],
                   check=True)
    (d / "notes.txt").write_text("not a plugin, not even a .so")
    return d


@pytest.fixture(scope="module")
def app2(stack, plugin_dir):
    """A second server on the same database with the test plugins."""
    port = free_port()
    proc = stack.spawn_app("kore-plugins", port,
                           UNDERSIGNED_PLUGIN_DIR=str(plugin_dir))
    url = "http://127.0.0.1:%d" % port
    yield url
    stop_process(proc)


def confirmed(http, stack, slug, **over):
    s = signer(**over)
    r = http.post(stack.url + "/api/v1/statements/%s/signatures" % slug, json=s)
    assert r.status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    assert http.post(stack.url + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    return s


def test_bad_plugins_are_refused_by_name_and_the_rest_served(app2):
    formats = requests.get(app2 + "/api/v1/formats").json()
    assert sorted(f["name"] for f in formats) == ["count", "dump", "dup",
                                                  "failing", "older",
                                                  "record"]
    count = [f for f in formats if f["name"] == "count"][0]
    assert count == {"name": "count", "title": "Signature count",
                     "mime_type": "text/plain; charset=utf-8",
                     "extension": "txt"}
    dup = [f for f in formats if f["name"] == "dup"][0]
    assert dup["title"] == "First of two"
    with open(os.path.join(VAR, "kore-plugins.log"), errors="replace") as f:
        log = f.read()
    assert re.search(r"bad_abi\.so refused: plugin built for ABI 99, server "
                     r"has 2\.2: rebuild it against the server's header", log)
    assert re.search(r"newer_minor\.so refused: plugin built for ABI 2\.3, "
                     r"server has 2\.2: upgrade the server or rebuild the "
                     r"plugin", log)
    assert re.search(r"bad_size\.so refused: descriptor is 16 bytes, ABI "
                     r"2\.2's is \d+", log)
    assert re.search(r"no_descriptor\.so refused: no \"undersigned_plugins\"",
                     log)
    assert re.search(r"dup_b\.so refused: format \"dup\" is already provided "
                     r"by .*dup_a\.so", log)


def test_cli_lists_and_refuses_the_same(stack, plugin_dir):
    out = stack.cli("formats", env=dict(stack.env,
                                        UNDERSIGNED_PLUGIN_DIR=str(plugin_dir)))
    names = [line.split()[0] for line in out.stdout.splitlines()]
    assert names == ["count", "dump", "dup", "failing", "older"]
    assert ("bad_abi.so refused: plugin built for ABI 99, server has 2.2"
            in out.stderr)


def test_download_has_type_disposition_etag_and_304(http, stack, app2,
                                                     make_statement):
    st = make_statement()
    confirmed(http, stack, st["slug"])
    url = app2 + "/s/%s/download/count" % st["slug"]
    r = requests.get(url)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="%s.count.txt"' % st["slug"]
    assert r.text == "%s: 1 organisation from 1 country\n" % st["title"]
    etag = r.headers["ETag"]
    r2 = requests.get(url, headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""
    # A pending signature changes nothing ...
    http.post(stack.url + "/api/v1/statements/%s/signatures" % st["slug"],
              json=signer())
    assert requests.get(url, headers={"If-None-Match": etag}).status_code == 304
    # ... a confirmed one is a new revision.
    confirmed(http, stack, st["slug"], country="GE")
    r3 = requests.get(url, headers={"If-None-Match": etag})
    assert r3.status_code == 200 and r3.headers["ETag"] != etag
    assert r3.text == "%s: 2 organisations from 2 countries\n" % st["title"]


def test_renders_are_cached_on_disk_per_revision(http, stack, app2,
                                                  make_statement):
    st = make_statement()
    url = app2 + "/s/%s/download/count" % st["slug"]
    first = requests.get(url)
    cache = os.path.join(ROOT, "var", "cache", "renders", "count")
    files = [f for f in os.listdir(cache) if f.startswith(st["slug"] + ".")
             and f.endswith(".txt")]
    assert len(files) == 1
    # Served from the file: change it behind the server's back.
    path = os.path.join(cache, files[0])
    with open(path, "w") as f:
        f.write("from the cache\n")
    assert requests.get(url).text == "from the cache\n"
    confirmed(http, stack, st["slug"])
    assert requests.get(url).text.endswith("1 organisation from 1 country\n")
    files = [f for f in os.listdir(cache) if f.startswith(st["slug"] + ".")
             and f.endswith(".txt")]
    assert len(files) == 1 and not os.path.exists(path)
    assert first.status_code == 200


def test_plugin_sees_public_data_only(http, stack, app2, make_statement):
    st = make_statement(
        coordinator_organisation="Network «Солидарность»",
        headline="Groups demand release", lede="Today 40 groups said.",
        notes_to_editors="1. Background.", about="A coalition.",
        embargo_until="2030-12-01T00:01:00Z", embargo_timezone="Europe/London",
        media_contacts=[{"name": "Nino B.", "email": "press@nrd.example.org",
                         "languages": "English, Georgian"}])
    named = confirmed(http, stack, st["slug"], country="GE", acronym="GYLA")
    hidden = confirmed(http, stack, st["slug"], organisation="Hidden Shelter",
                       acronym="HS-SECRET", visibility="counted",
                       website="https://hidden-shelter.example.org")
    dump = requests.get(app2 + "/s/%s/download/dump" % st["slug"]).text
    fields = [tuple(line.split("=", 1)) for line in dump.splitlines()
              if re.match(r"[a-z_.]+=", line)]
    d = dict(fields)
    assert d["coordinator_organisation"] == "Network «Солидарность»"
    assert d["headline"] == "Groups demand release"
    assert d["embargo.until"] == "2030-12-01T00:01:00Z"
    assert d["embargo.local"] == "2030-12-01T00:01:00"
    assert d["embargo.zone"] == "GMT"
    assert d["contact.languages"] == "English, Georgian"
    assert d["signatory.organisation"] == named["organisation"]
    assert d["signatory.acronym"] == "GYLA"
    assert d["signatory.country_name"] == "Georgia"
    assert d["signatory.position"] == "1"
    assert re.match(r"\d{4}-\d\d-\d\d$", d["signatory.signed_on"])
    assert d["unnamed_count"] == "1" and d["signature_count"] == "2"
    assert d["url"] == stack.url + "/s/" + st["slug"]
    for secret in ("Hidden Shelter", "HS-SECRET", "hidden-shelter",
                   hidden["email"], named["email"], named["contact_name"],
                   named["website"]):
        assert secret not in dump


def test_failing_plugin_is_a_clear_error_not_a_crash(app2, make_statement):
    st = make_statement()
    r = requests.get(app2 + "/s/%s/download/failing" % st["slug"])
    assert r.status_code == 500
    assert "this plugin always fails" in r.text
    assert requests.get(app2 + "/healthz").status_code == 200


def test_no_download_for_drafts_or_unknown_formats(app2, make_statement):
    draft = make_statement(status="draft")
    assert requests.get(app2 + "/s/%s/download/count"
                        % draft["slug"]).status_code == 404
    st = make_statement()
    r = requests.get(app2 + "/s/%s/download/nonesuch" % st["slug"])
    assert r.status_code == 404 and "/api/v1/formats" in r.text
    assert requests.get(app2 + "/s/no-such-statement/download/count"
                        ).status_code == 404


def test_every_real_format_downloads_without_private_data(http, stack,
                                                          make_statement):
    st = make_statement()
    named = confirmed(http, stack, st["slug"])
    hidden = confirmed(http, stack, st["slug"], organisation="Quiet Lawyers",
                       acronym="QL-SECRET", visibility="counted")
    formats = [f for f in requests.get(stack.url + "/api/v1/formats").json()
               if f["name"] != "record"]   # published only: test_records
    assert formats, "no plugins loaded from " + stack.env["UNDERSIGNED_PLUGIN_DIR"]
    for f in formats:
        r = requests.get(stack.url + "/s/%s/download/%s" % (st["slug"], f["name"]))
        assert r.status_code == 200, (f["name"], r.text[:300])
        assert r.headers["Content-Type"] == f["mime_type"]
        body = r.content
        for secret in ("Quiet Lawyers", "QL-SECRET", named["email"],
                       hidden["email"], named["contact_name"]):
            assert secret.encode() not in body, (f["name"], secret)


def test_plugin_built_against_the_previous_minor_loads_and_reads_the_model(
        http, stack, app2, make_statement):
    st = make_statement()
    confirmed(http, stack, st["slug"], country="GE", acronym="GYLA")
    confirmed(http, stack, st["slug"], visibility="counted")
    r = requests.get(app2 + "/s/%s/download/older" % st["slug"])
    assert r.status_code == 200, r.text
    lines = r.text.splitlines()
    m = re.match(r"abi 2\.0, model (\d+) of (\d+) bytes$", lines[0])
    assert m and int(m.group(1)) < int(m.group(2)), lines[0]
    assert lines[1] == st["title"]
    assert re.match(r"1\. .* \[GE Georgia\]$", lines[2])
    assert lines[3] == "named 1, unnamed 1"


def test_a_rebuilt_plugin_is_not_served_from_the_cache_of_the_old_build(
        http, stack, tmp_path, make_statement):
    """Same name, same version string, new file: the cache is keyed by the
    file's identity too, so a restart with the new build renders anew."""
    d = tmp_path / "rebuilt"
    d.mkdir()
    src = tmp_path / "same.c"

    def build(word):
        src.write_text(
            '#include <string.h>\n#include "undersigned-plugin.h"\n'
            'static int render(const struct us_p_statement *st,'
            ' struct us_p_sink *o) { (void)st;'
            ' return o->write(o, "%s", strlen("%s")); }\n'
            'static const struct us_plugin p = { US_PLUGIN_HEADER,'
            ' .name = "same", .title = "Same", .mime_type = "text/plain",'
            ' .extension = "txt", .version = "1", .render = render };\n'
            'US_PLUGIN_EXPORT(&p);\n' % (word, word))
        subprocess.run(["gcc"] + CFLAGS + ["-o", str(d / "same.so"), str(src)],
                       check=True)

    st = make_statement()
    build("first")
    port = free_port()
    proc = stack.spawn_app("kore-rebuilt", port,
                           UNDERSIGNED_PLUGIN_DIR=str(d))
    url = "http://127.0.0.1:%d/s/%s/download/same" % (port, st["slug"])
    try:
        assert requests.get(url).text == "first"
    finally:
        stop_process(proc)
    os.unlink(d / "same.so")
    build("second")
    proc = stack.spawn_app("kore-rebuilt", port,
                           UNDERSIGNED_PLUGIN_DIR=str(d))
    try:
        assert requests.get(url).text == "second"
    finally:
        stop_process(proc)


def test_every_format_has_a_file_name_of_its_own(http, stack, make_statement):
    st = make_statement()
    confirmed(http, stack, st["slug"])
    names = {}
    for f in requests.get(stack.url + "/api/v1/formats").json():
        if f["name"] == "record":
            continue    # published statements only: test_records
        r = requests.get(stack.url + "/s/%s/download/%s" % (st["slug"],
                                                           f["name"]))
        assert r.status_code == 200, (f["name"], r.text[:200])
        m = re.match(r'attachment; filename="([^"]+)"$',
                     r.headers["Content-Disposition"])
        assert m, r.headers["Content-Disposition"]
        assert m.group(1).endswith("." + f["extension"])
        names[f["name"]] = m.group(1)
    assert len(set(names.values())) == len(names), names
    slug = st["slug"]
    assert names["press-release"] == slug + ".press-release.txt"
    assert names["text"] == slug + ".txt"
    assert names["csv"] == slug + ".csv"
    assert names["csv-excel"] == slug + "-excel.csv"
    assert names["pdf"] == slug + ".pdf"


def pdf_text(data, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"],
                          capture_output=True, check=True).stdout.decode()


def import_list(stack, token, slug, text):
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures/import"
                      % slug, data=text.encode(),
                      headers={"Authorization": "Bearer " + token,
                               "Content-Type": "text/plain; charset=utf-8"})
    assert r.status_code == 200 and not r.json()["rejected"], r.text


def test_pdf_download_says_address_status_counts_and_both_countries(
        http, stack, token, make_statement, tmp_path):
    st = make_statement()
    import_list(stack, token, st["slug"],
                "1. Helsinki Bridge (HB, Germany, Switzerland)\n")
    both = {"organisation": "Helsinki Bridge"}
    confirmed(http, stack, st["slug"], visibility="counted")
    r = requests.get(stack.url + "/s/%s/download/pdf" % st["slug"])
    assert r.status_code == 200
    text = pdf_text(r.content, tmp_path)
    assert stack.url + "/s/" + st["slug"] in text
    assert re.search(r"Open for signatures \u2014 list as of \d\d:\d\d UTC, "
                     r"\d+ \w+ 20\d\d", text), text[:600]
    assert "Signatories: 2 (1 named, 1 not named)" in text
    assert "%s (HB, Germany, Switzerland)" % both["organisation"] in text
    j = requests.get(stack.url + "/s/%s/download/json" % st["slug"]).json()
    assert [c["country"] for c in j["signatories"][0]["countries"]] == \
        ["DE", "CH"]


def test_a_language_version_downloads_in_its_language(
        http, stack, db, token, make_statement, tmp_path):
    st = make_statement(place="Бишкек")
    body = "Мы, нижеподписавшиеся организации, требуем освобождения."
    query(db, "INSERT INTO statement_translations (statement_id, lang, title,"
          " body_markdown, body_html, text_digest) SELECT id, 'ru', %s, %s,"
          " %s, %s FROM statements WHERE slug = %s",
          "Освободите «Бишкекскую четвёрку»", body, "<p>%s</p>" % body,
          hashlib.sha256(body.encode()).hexdigest(), st["slug"])
    import_list(stack, token, st["slug"],
                "1. Helsinki Bridge (HB, Germany, Switzerland)\n")
    url = stack.url + "/s/%s/download/pdf?lang=ru" % st["slug"]
    r = requests.get(url)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="%s-ru.pdf"' % st["slug"]
    text = pdf_text(r.content, tmp_path)
    assert "Освободите «Бишкекскую четвёрку»" in text
    assert "Бишкек, 10 декабря 2026 г." in text
    assert "Открыто для подписей" in text
    assert "Helsinki Bridge (HB, Германия, Швейцария)" in text
    assert "Signed by" not in text
    press = requests.get(stack.url + "/s/%s/download/press-release?lang=ru"
                         % st["slug"])
    assert press.headers["Content-Disposition"] == \
        'attachment; filename="%s-ru.press-release.txt"' % st["slug"]
    assert press.text.startswith("ДЛЯ НЕМЕДЛЕННОЙ ПУБЛИКАЦИИ\n\n"
                                 "Освободите «Бишкекскую четвёрку»\n")
    assert "Бишкек, 10 декабря 2026 г. \u2014" in press.text
    # The English file is another file, with its own cache entry.
    en = requests.get(stack.url + "/s/%s/download/pdf" % st["slug"])
    assert "Free the" in pdf_text(en.content, tmp_path)
    assert en.headers["ETag"] != r.headers["ETag"]
    missing = requests.get(stack.url + "/s/%s/download/pdf?lang=ka"
                           % st["slug"])
    assert missing.status_code == 404
    assert "has no version in" in missing.text
    assert requests.get(stack.url + "/s/%s/download/pdf?lang=../x"
                        % st["slug"]).status_code == 422


def test_the_published_page_lists_what_renders_and_skips_what_cannot(
        app2, make_statement):
    st = make_statement(status="published")
    for _ in range(3):
        page = requests.get(app2 + "/s/" + st["slug"]).text
        for name in ("count", "dump", "dup"):
            assert 'href="/s/%s/download/%s"' % (st["slug"], name) in page
        assert "/download/failing" not in page
    # The refusal is remembered for the revision: tried once, not per view.
    with open(os.path.join(VAR, "kore-plugins.log"), errors="replace") as f:
        tries = f.read().count("download list: failing of %s:" % st["slug"])
    assert tries == 1
