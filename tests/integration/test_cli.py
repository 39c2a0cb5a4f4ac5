"""bin/undersigned: tokens, migrations, the demo, and no leaks."""
import hashlib
import os
import shutil
import subprocess

import pytest
import requests

from conftest import BUILD, CLI, ROOT, VAR, query, signer

VALGRIND = ["valgrind", "--quiet", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99"]


def test_coordinator_add_prints_a_working_token_last(stack, db):
    out = stack.cli("coordinator", "add", "Nadia@Coalition.example.org")
    token = out.stdout.strip().splitlines()[-1]
    assert len(token) == 43
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert query(db, "SELECT count(*) FROM api_tokens WHERE token_hash ="
                 " decode(%s, 'hex')", digest) == [(1,)]
    assert token not in str(query(db, "SELECT * FROM api_tokens"))
    r = requests.post(stack.url + "/api/v1/statements",
                      headers={"Authorization": "Bearer " + token},
                      json={"slug": "cli-token-check-" + digest[:6],
                            "kind": "joint_statement", "lang": "en",
                            "title": "T", "body_markdown": "B"})
    assert r.status_code == 201


def test_coordinator_add_refuses_a_bad_address(stack):
    out = stack.cli("coordinator", "add", "not an address", check=False)
    assert out.returncode == 1
    assert "not an email address" in out.stderr


def test_unknown_setting_stops_the_cli(stack):
    env = dict(stack.env, UNDERSIGNED_MAIL_RETRY="3")
    out = stack.cli("check-config", check=False, env=env)
    assert out.returncode == 1
    assert "UNDERSIGNED_MAIL_RETRY" in out.stderr


def test_migrate_again_is_a_no_op(stack, db):
    before = query(db, "SELECT version, applied_at FROM schema_migrations")
    stack.cli("migrate")
    assert query(db, "SELECT version, applied_at FROM schema_migrations") == before


def test_failed_migration_names_the_file_and_changes_nothing(stack, db, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(os.path.join(ROOT, "migrations"), home / "migrations")
    (home / "migrations" / "9990_broken.sql").write_text(
        "CREATE TABLE half_done (id int);\nSELECT no_such_column FROM half_done;\n")
    env = dict(stack.env, UNDERSIGNED_HOME=str(home))
    out = stack.cli("migrate", check=False, env=env)
    assert out.returncode == 1
    assert "9990_broken.sql:2" in out.stderr
    assert "no_such_column" in out.stderr
    assert query(db, "SELECT to_regclass('half_done')") == [(None,)]
    assert query(db, "SELECT count(*) FROM schema_migrations WHERE version ="
                 " '9990'") == [(0,)]


def test_demo_loads_once_and_prints_url_and_token(stack, db):
    first = stack.cli("demo").stdout
    second = stack.cli("demo").stdout
    assert stack.url + "/s/protect-civic-space-2026" in first
    tokens = [out.strip().splitlines()[-1].split()[-1] for out in (first, second)]
    assert tokens[0] != tokens[1] and len(tokens[0]) == 43
    assert query(db, "SELECT count(*) FROM statements WHERE slug ="
                 " 'protect-civic-space-2026'") == [(1,)]
    page = requests.get(stack.url + "/s/protect-civic-space-2026").text
    assert "Open Steppe Legal Clinic" in page
    assert "A women’s rights group at risk" not in page
    assert "and 1 organisation that cannot be named" in page


@pytest.mark.skipif(BUILD != "build",
                    reason="valgrind checks the plain build")
@pytest.mark.parametrize("args", [
    ["check-config"],
    ["coordinator", "add", "valgrind@tests.example.org"],
    ["migrate"],
    ["demo"],
    ["mailer", "--once"],
    ["retention"],
    ["backup", os.path.join(VAR, "valgrind-backups")],
])
def test_cli_has_no_leaks_under_valgrind(stack, args, make_statement):
    if args[0] == "mailer":
        # Something to deliver, with the running mailer out of the way.
        stack.mailer.terminate()
        stack.mailer.wait()
        st = make_statement()
        s = signer()
        requests.post(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=s)
    try:
        out = subprocess.run(VALGRIND + [CLI] + args, cwd=ROOT, env=stack.env,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
        if args[0] == "mailer":
            stack.smtp.wait_for(s["email"])
    finally:
        if args[0] == "mailer":
            stack.start_mailer()
