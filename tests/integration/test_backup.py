"""bin/undersigned backup DIR, and the restore docs/backup.md describes:
pg_restore into a fresh cluster gives back statements, signatures,
published versions and the mail queue, and the app serves from it."""
import hashlib
import os
import re
import shutil
import subprocess

import psycopg2
import requests

from conftest import (VAR, free_port, query, signer, stop_process,
                      verify_token_from)

# What must survive, row for row (ids included: links and exports
# refer to them).
TABLES = {
    "statements": "id, slug, status, title, body_markdown, text_digest,"
                  " version, published_at, closed_at",
    "statement_translations": "statement_id, lang, title, text_digest",
    "statement_versions": "id, statement_id, version, lang, text_digest,"
                          " signatories, unnamed_count",
    "signatures": "id, statement_id, organisation, email, status,"
                  " visibility, text_digest, confirmed_at",
    "outbox": "id, kind, signature_id, recipient, sent_at, failed_at,"
              " attempts, message_id",
    "email_tokens": "id, signature_id, purpose, token_hash, used_at",
    "api_tokens": "id, token_hash",
    "audit_log": "id, statement_id, action, after",
    "schema_migrations": "version",
}


def snapshot(conninfo):
    conn = psycopg2.connect(conninfo)
    try:
        with conn.cursor() as cur:
            out = {}
            for table, cols in TABLES.items():
                cur.execute("SELECT %s FROM %s ORDER BY 1, 2" % (cols, table)
                            if "," in cols else
                            "SELECT %s FROM %s ORDER BY 1" % (cols, table))
                out[table] = cur.fetchall()
            return out
    finally:
        conn.close()


def test_backup_restores_into_a_fresh_cluster(stack, db, token, http,
                                              make_statement, tmp_path):
    st = make_statement()
    people = [signer() for _ in range(3)]
    for p in people:
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=p)
        assert r.status_code == 202
        t = verify_token_from(stack, stack.smtp.wait_for(p["email"])[0])
        assert http.post(http.base + "/api/v1/verify",
                         json={"token": t}).status_code == 200
    for status in ("closed", "published"):
        r = http.post(http.base + "/api/v1/statements/%s/status" % st["slug"],
                      json={"status": status},
                      headers={"Authorization": "Bearer " + token})
        assert r.status_code == 200, r.text
    # A message still queued must survive too; with the sender stopped
    # nothing changes between the dump and the snapshot compared with it.
    pending = signer()
    other = make_statement()
    stop_process(stack.mailer)
    try:
        r = http.post(http.base + "/api/v1/statements/%s/signatures"
                      % other["slug"], json=pending)
        assert r.status_code == 202
        out = stack.cli("backup", str(tmp_path / "backups"))
        before = snapshot(stack.conninfo)
    finally:
        stack.start_mailer()
    assert [r for r in before["outbox"] if r[3] == pending["email"]][0][4] \
        is None
    assert query(db, "SELECT count(*) FROM statement_versions sv JOIN"
                 " statements st ON st.id = sv.statement_id WHERE st.slug"
                 " = %s", st["slug"])[0][0] >= 1

    files = sorted(os.listdir(tmp_path / "backups"))
    assert len(files) == 2, files
    dump, sumfile = files
    assert re.fullmatch(r"undersigned-\d{8}T\d{6}Z\.dump", dump)
    assert sumfile == dump + ".sha256"
    data = (tmp_path / "backups" / dump).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert (tmp_path / "backups" / sumfile).read_text() == \
        "%s  %s\n" % (digest, dump)
    assert digest in out.stdout and str(len(data)) in out.stdout
    check = subprocess.run(["sha256sum", "-c", sumfile],
                           cwd=tmp_path / "backups", capture_output=True)
    assert check.returncode == 0

    # The restore of docs/backup.md, into a cluster that never saw the data.
    fresh = os.path.join(VAR, "restore")
    shutil.rmtree(fresh, ignore_errors=True)
    stack.pg("start", fresh, "--fast")
    try:
        conninfo = "host=%s dbname=undersigned user=undersigned" % fresh
        subprocess.run(["pg_restore", "--exit-on-error", "--no-owner",
                        "--dbname", conninfo,
                        str(tmp_path / "backups" / dump)], check=True)
        after = snapshot(conninfo)
        for table in TABLES:
            assert after[table] == before[table], table

        # The app runs on the restored database as it did before.
        env = dict(stack.env, DATABASE_URL=conninfo)
        assert stack.cli("migrate", env=env).returncode == 0
        port = free_port()
        app = stack.spawn_app("kore-restored", port, DATABASE_URL=conninfo)
        try:
            base = "http://127.0.0.1:%d" % port
            r = requests.get(base + "/api/v1/statements/%s/signatures"
                             % st["slug"])
            assert r.status_code == 200
            assert sorted(x["organisation"] for x in r.json()) == \
                sorted(p["organisation"] for p in people)
            r = requests.get(base + "/api/v1/statements/" + st["slug"])
            assert r.json()["status"] == "published"
        finally:
            stop_process(app)
    finally:
        stack.pg("stop", fresh)


def test_backup_fails_clearly_and_leaves_no_file(stack, tmp_path):
    env = dict(stack.env, DATABASE_URL="host=%s dbname=undersigned"
               " user=undersigned connect_timeout=2" % (tmp_path / "nowhere"))
    out = stack.cli("backup", str(tmp_path / "b"), check=False, env=env)
    assert out.returncode == 1
    assert "pg_dump" in out.stderr and "backup failed" in out.stderr
    assert os.listdir(tmp_path / "b") == []


def test_backup_needs_one_directory(stack):
    out = stack.cli("backup", check=False)
    assert out.returncode == 2 and "usage" in out.stderr
