"""Signed records of published statements: the keys API, the record
download, `bin/undersigned verify` on records and on the documents that
name them, tamper tests, key rotation, and the append-only log of what
left a published list."""
import base64
import hashlib
import json
import re
import shutil
import subprocess

import pytest
import requests

from conftest import BUILD, CLI, ROOT, query, text_part, unique_slug
from test_downloads import confirmed, import_list, pdf_text
from test_workspace import csrf, login

VALGRIND = ["valgrind", "--quiet", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99"]


def jcs(v):
    """RFC 8785 for what records hold (strings, integers, ASCII names)."""
    return json.dumps(v, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def publish(stack, token, slug):
    r = requests.post(stack.url + "/api/v1/statements/%s/status" % slug,
                      json={"status": "published"},
                      headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text


def make_published(http, stack, token, make_statement):
    """A published statement: two named (one with two countries) and one
    counted-only signatory; returns the statement and its signers."""
    st = make_statement()
    import_list(stack, token, st["slug"],
                "1. Helsinki Bridge (HB, Germany, Switzerland)\n")
    named = confirmed(http, stack, st["slug"], organisation="Steppe Lawyers")
    confirmed(http, stack, st["slug"], visibility="counted")
    publish(stack, token, st["slug"])
    return {"st": st, "named": named}


@pytest.fixture
def published(http, stack, token, make_statement):
    return make_published(http, stack, token, make_statement)


@pytest.fixture
def own_workspace(stack):
    """A coordinator of its own, signed in (sign-in links are rate limited
    per address, so the shared one of test_workspace is not asked twice)."""
    email = "records-%s@coalition.example.org" % unique_slug("r")[2:]
    token = stack.cli("coordinator", "add", email).stdout.split()[-1]
    return token, login(stack, email)


def record_of(stack, slug):
    r = requests.get(stack.url + "/s/%s/download/record" % slug)
    assert r.status_code == 200, r.text[:300]
    return r


def verify(stack, tmp_path, data, *args, name="file"):
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run([CLI, "verify", str(path)] + list(args), cwd=ROOT,
                          env=stack.env, capture_output=True, text=True,
                          timeout=120)


def keys_url(stack):
    return stack.url + "/api/v1/keys"


def test_keys_api_lists_public_keys_only(stack, db, published):
    keys = requests.get(keys_url(stack)).json()
    assert keys
    for k in keys:
        assert set(k) == {"id", "algorithm", "public_key", "created_at",
                          "retired_at"}
        assert k["algorithm"] == "ed25519"
        raw = base64.b64decode(k["public_key"], validate=True)
        assert len(raw) == 32
        assert k["id"] == hashlib.sha256(raw).hexdigest()[:16]
    assert sum(1 for k in keys if k["retired_at"] is None) == 1
    private = [bytes(p).hex() for (p,) in
               query(db, "SELECT private_key FROM signing_keys")]
    body = requests.get(keys_url(stack)).text
    for p in private:
        assert p not in body
        assert base64.b64encode(bytes.fromhex(p)).decode() not in body


def test_a_published_statement_has_a_record_that_verifies(
        stack, tmp_path, published, make_statement):
    slug = published["st"]["slug"]
    r = record_of(stack, slug)
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="%s.record.json"' % slug
    env = r.json()
    rec = env["record"]
    assert rec["statement"]["slug"] == slug and rec["version"] == 1
    assert [s["organisation"] for s in rec["signatories"]] == \
        ["Helsinki Bridge", "Steppe Lawyers"]
    assert rec["signatories"][0]["countries"] == ["DE", "CH"]
    assert rec["counts"] == {"named": 2, "unnamed": 1, "total": 3}
    assert env["digest"] == "sha256:" + hashlib.sha256(
        jcs(rec)).hexdigest()
    out = verify(stack, tmp_path, r.content, "--keys", keys_url(stack))
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.match(r"valid: version 1 of %s, published \S+Z, 2 named \+ 1 "
                    r"unnamed, key %s" % (slug, env["key_id"]), out.stdout)
    key = [k for k in requests.get(keys_url(stack)).json()
           if k["id"] == env["key_id"]][0]
    out = verify(stack, tmp_path, r.content, "--key", key["public_key"])
    assert out.returncode == 0, out.stdout
    # The same file every time; an open statement has none.
    assert record_of(stack, slug).content == r.content
    assert requests.get(stack.url + "/s/%s/download/record" %
                        make_statement()["slug"]).status_code == 404


@pytest.mark.parametrize("edit,why", [
    (lambda r: r["texts"][0].update(
        body_markdown=r["texts"][0]["body_markdown"].replace("e", "a", 1)),
     'the text of the "en" version differs from what was signed'),
    (lambda r: r["signatories"][1].update(organisation="Steppe Lawyer"),
     'signatory 2 ("Steppe Lawyer") differs from the one that was signed'),
    (lambda r: r["signatories"].reverse(),
     "signatories 1 and 2 are not in the order that was signed"),
    (lambda r: r["counts"].update(unnamed=2, total=4),
     "the counts differ from what was signed"),
])
def test_a_changed_record_fails_and_names_the_change(
        stack, tmp_path, published, edit, why):
    env = record_of(stack, published["st"]["slug"]).json()
    edit(env["record"])
    out = verify(stack, tmp_path, json.dumps(env).encode(), "--keys",
                 keys_url(stack))
    assert out.returncode == 1
    assert out.stdout.startswith("invalid: " + why), out.stdout


def test_downloads_name_the_record_and_verify_against_it(
        stack, tmp_path, published):
    slug = published["st"]["slug"]
    rec = record_of(stack, slug)
    digest, key = rec.json()["digest"], rec.json()["key_id"]
    (tmp_path / "record.json").write_bytes(rec.content)
    pdf = requests.get(stack.url + "/s/%s/download/pdf" % slug).content
    last = pdf_text(pdf, tmp_path).split("\f")[-2]
    assert "Signed record %s (key %s)" % (digest, key) in last
    assert json.loads(requests.get(stack.url + "/s/%s/download/json" % slug)
                      .content)["statement"]["record_digest"] == digest
    press = requests.get(stack.url + "/s/%s/download/press-release" % slug)
    assert "Signed record %s (key %s)" % (digest, key) in press.text
    for name, data in (("doc.pdf", pdf), ("press.txt", press.content)):
        out = verify(stack, tmp_path, data, "--keys", keys_url(stack),
                     "--record", str(tmp_path / "record.json"), name=name)
        assert out.returncode == 0, out.stdout + out.stderr
        assert "is a copy of it" in out.stdout
    other = press.text.replace(digest, "sha256:" + "0" * 64).encode()
    out = verify(stack, tmp_path, other, "--keys", keys_url(stack),
                 "--record", str(tmp_path / "record.json"))
    assert out.returncode == 1 and "names the record sha256:000" in out.stdout


def test_rotation_keeps_older_records_verifiable(
        http, stack, token, tmp_path, published, make_statement):
    old = record_of(stack, published["st"]["slug"])
    stack.cli("keys", "rotate")
    keys = requests.get(keys_url(stack)).json()
    retired = [k for k in keys if k["id"] == old.json()["key_id"]][0]
    assert retired["retired_at"] is not None
    out = verify(stack, tmp_path, old.content, "--keys", keys_url(stack))
    assert out.returncode == 0, out.stdout
    assert "(retired " in out.stdout
    st = make_statement()
    confirmed(http, stack, st["slug"])
    publish(stack, token, st["slug"])
    new = record_of(stack, st["slug"]).json()
    assert new["key_id"] != old.json()["key_id"]
    assert new["key_id"] in [k["id"] for k in keys if k["retired_at"] is None]


def test_names_leave_a_published_list_only_through_the_signed_log(
        http, stack, db, tmp_path, own_workspace):
    token, ws = own_workspace

    def make(**fields):
        body = {"slug": unique_slug(), "kind": "joint_statement", "lang": "en",
                "title": "Log test", "body_markdown": "We call for it."}
        r = requests.post(stack.url + "/api/v1/statements", json=body,
                          headers={"Authorization": "Bearer " + token})
        assert r.status_code == 201, r.text
        requests.post(stack.url + "/api/v1/statements/%s/status"
                      % body["slug"], json={"status": "open"},
                      headers={"Authorization": "Bearer " + token})
        return body

    published = make_published(http, stack, token, make)
    slug = published["st"]["slug"]
    first = record_of(stack, slug).json()
    # The signer withdraws by the link in their confirmation mail.
    mail = stack.smtp.wait_for(published["named"]["email"])[0]
    link = re.search(r"/withdraw/([A-Za-z0-9_-]{43})",
                     text_part(mail["msg"])).group(1)
    assert http.post(stack.url + "/withdraw/" + link,
                     data={"withdraw": "1"}).status_code == 200
    second = record_of(stack, slug).json()
    rec = second["record"]
    assert rec["previous"] == first["digest"]
    assert [s["organisation"] for s in rec["signatories"]] == \
        ["Helsinki Bridge"]
    assert rec["counts"] == {"named": 1, "unnamed": 1, "total": 2}
    assert rec["version"] == 1 and rec["log"]["length"] == 2
    # A coordinator removes the other, with a reason.
    gone = query(db, "SELECT sg.id FROM signatures sg JOIN statements st ON"
                 " st.id = sg.statement_id WHERE st.slug = %s AND"
                 " sg.organisation = 'Helsinki Bridge'", slug)[0][0]
    t = csrf(ws, stack.url + "/w/s/" + slug)
    r = ws.post(stack.url + "/w/s/%s/signatures" % slug,
                data={"csrf": t, "action": "reject", "reason":
                      "Signed without its board's consent",
                      "sel_%d" % gone: "on"}, allow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    third = record_of(stack, slug).json()
    assert third["record"]["signatories"] == []
    assert third["record"]["log"]["length"] == 3
    entries = query(db, "SELECT l.seq, l.entry, l.hash FROM statement_log l"
                    " JOIN statements st ON st.id = l.statement_id WHERE"
                    " st.slug = %s ORDER BY l.seq", slug)
    events = [(e["event"], e["by"], e.get("organisation"), e.get("reason"))
              for _, e, _ in entries]
    assert events == [
        ("published", "coordinator", None, None),
        ("removed", "signer", "Steppe Lawyers", None),
        ("removed", "coordinator", "Helsinki Bridge",
         "Signed without its board's consent")]
    # Each hash chains the one before; the last is in the record.
    previous = None
    for _, entry, h in entries:
        want = "sha256:" + hashlib.sha256(jcs({"entry": entry,
                                               "previous": previous})
                                          ).hexdigest()
        assert h == want
        previous = h
    assert third["record"]["log"]["head"] == previous
    # The record carries the log itself: a reader sees who removed whom.
    assert third["record"]["log"]["entries"] == [
        {"entry": e, "hash": h} for _, e, h in entries]
    out = verify(stack, tmp_path, json.dumps(third).encode(), "--keys",
                 keys_url(stack))
    assert out.returncode == 0 and "0 named + 1 unnamed" in out.stdout
    assert "2 removed after publication" in out.stdout
    # Nothing in the log or the records can be rewritten.
    with pytest.raises(Exception, match="append-only"):
        query(db, "UPDATE statement_log SET hash = hash")
    with pytest.raises(Exception, match="append-only"):
        query(db, "DELETE FROM statement_records")


@pytest.mark.skipif(BUILD != "build" or not shutil.which("valgrind"),
                    reason="valgrind checks the plain build")
def test_verify_has_no_leaks_under_valgrind(stack, tmp_path, published):
    rec = record_of(stack, published["st"]["slug"])
    good = tmp_path / "good.json"
    good.write_bytes(rec.content)
    env = rec.json()
    env["record"]["signatories"].reverse()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(env))
    keys = tmp_path / "keys.json"
    keys.write_bytes(requests.get(keys_url(stack)).content)
    press = tmp_path / "press.txt"
    press.write_bytes(requests.get(stack.url + "/s/%s/download/press-release"
                                   % published["st"]["slug"]).content)
    for args, code in (([str(good), "--keys", str(keys)], 0),
                       ([str(good), "--keys", keys_url(stack)], 0),
                       ([str(bad), "--keys", str(keys)], 1),
                       ([str(press), "--keys", str(keys), "--record",
                         str(good)], 0),
                       ([str(good)], 1)):
        out = subprocess.run(VALGRIND + [CLI, "verify"] + args, cwd=ROOT,
                             env=stack.env, capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == code, out.stdout + out.stderr[-3000:]


def test_verify_document_page_says_the_same(stack, tmp_path, published):
    slug = published["st"]["slug"]
    page = requests.get(stack.url + "/verify-document")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    rec = record_of(stack, slug)
    r = requests.post(stack.url + "/verify-document",
                      files={"document": ("r.json", rec.content)})
    assert r.status_code == 200
    assert re.search(r"valid: version 1 of %s, published \S+, 2 named \+ 1 "
                     r"unnamed, key %s" % (slug, rec.json()["key_id"]),
                     r.text), r.text[-2000:]
    # A PDF alone: the record it names is found on the server.
    pdf = requests.get(stack.url + "/s/%s/download/pdf" % slug).content
    r = requests.post(stack.url + "/verify-document",
                      files={"document": ("s.pdf", pdf)})
    assert "the file is a copy of it" in r.text
    env = rec.json()
    env["record"]["counts"]["unnamed"] = 0
    r = requests.post(stack.url + "/verify-document",
                      files={"document": ("r.json", json.dumps(env))})
    assert r.status_code == 200
    assert "invalid: the counts differ from what was signed" in r.text
    r = requests.post(stack.url + "/verify-document",
                      files={"document": ("n.txt", b"no digest here")})
    assert "names no signed record" in r.text
    r = requests.post(stack.url + "/verify-document",
                      files={"record": ("r.json", rec.content)})
    assert r.status_code == 422
    assert requests.get(stack.url + "/verify-document?lang=ru").text.count(
        "Проверить документ") >= 1
