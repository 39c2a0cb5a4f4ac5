"""Output plugins through the server: loading and refusals, downloads with
their headers, ETag and cache, and what a plugin may see."""
import os
import re
import subprocess

import pytest
import requests

from conftest import (ROOT, VAR, free_port, signer, stop_process,
                      verify_token_from)

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "plugins")
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
          "-fvisibility=hidden", "-I" + os.path.join(ROOT, "plugins")]


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    """The test plugins, the documented example, and three bad ones."""
    d = tmp_path_factory.mktemp("plugins")
    sources = {n[:-2]: os.path.join(FIXTURES, n) for n in os.listdir(FIXTURES)}
    sources["count"] = os.path.join(ROOT, "docs", "example-plugin", "count.c")
    for name, src in sources.items():
        subprocess.run(["gcc"] + CFLAGS + ["-o", str(d / (name + ".so")), src],
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
                                                  "failing"]
    count = [f for f in formats if f["name"] == "count"][0]
    assert count == {"name": "count", "title": "Signature count",
                     "mime_type": "text/plain; charset=utf-8",
                     "extension": "txt"}
    dup = [f for f in formats if f["name"] == "dup"][0]
    assert dup["title"] == "First of two"
    with open(os.path.join(VAR, "kore-plugins.log"), errors="replace") as f:
        log = f.read()
    assert re.search(r"bad_abi\.so refused: plugin built for ABI 99, server "
                     r"has 1", log)
    assert re.search(r"no_descriptor\.so refused: no \"undersigned_plugins\"",
                     log)
    assert re.search(r"dup_b\.so refused: format \"dup\" is already provided "
                     r"by .*dup_a\.so", log)


def test_cli_lists_and_refuses_the_same(stack, plugin_dir):
    out = stack.cli("formats", env=dict(stack.env,
                                        UNDERSIGNED_PLUGIN_DIR=str(plugin_dir)))
    names = [line.split()[0] for line in out.stdout.splitlines()]
    assert names == ["count", "dump", "dup", "failing"]
    assert "bad_abi.so refused: plugin built for ABI 99, server has 1" in out.stderr


def test_download_has_type_disposition_etag_and_304(http, stack, app2,
                                                     make_statement):
    st = make_statement()
    confirmed(http, stack, st["slug"])
    url = app2 + "/s/%s/download/count" % st["slug"]
    r = requests.get(url)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="%s.txt"' % st["slug"]
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
    formats = requests.get(stack.url + "/api/v1/formats").json()
    assert formats, "no plugins loaded from " + stack.env["UNDERSIGNED_PLUGIN_DIR"]
    for f in formats:
        r = requests.get(stack.url + "/s/%s/download/%s" % (st["slug"], f["name"]))
        assert r.status_code == 200, (f["name"], r.text[:300])
        assert r.headers["Content-Type"] == f["mime_type"]
        body = r.content
        for secret in ("Quiet Lawyers", "QL-SECRET", named["email"],
                       hidden["email"], named["contact_name"]):
            assert secret.encode() not in body, (f["name"], secret)
