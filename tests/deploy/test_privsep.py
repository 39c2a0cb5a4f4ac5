"""The installed server under its unit: Kore's parent as root, every
worker chrooted into the state directory as the service user; sign,
confirm and render PDF and XLSX from inside the chroot."""
import os
import pwd
import subprocess
import uuid

import requests

from conftest import (RUNAS, VERIFY_RE, STATEMENT_BODY, proc_uids, signer,
                      text_part, unit_env, unit_value)

CAPS = {"CAP_CHOWN": 0, "CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7,
        "CAP_SYS_CHROOT": 18, "CAP_SYS_ADMIN": 21, "CAP_NET_ADMIN": 12}


def status_field(pid, name):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    raise AssertionError("%s not in /proc/%d/status" % (name, pid))


def make_statement(service, token, **fields):
    body = {"slug": "deploy-" + uuid.uuid4().hex[:10],
            "kind": "joint_statement", "lang": "en",
            "title": "Free the “Bishkek Four” — joint statement",
            "body_markdown": STATEMENT_BODY, "place": "Bishkek",
            "date": "2026-12-10"}
    body.update(fields)
    auth = {"Authorization": "Bearer " + token}
    r = requests.post(service.url + "/api/v1/statements", json=body,
                      headers=auth)
    assert r.status_code == 201, r.text
    r = requests.post(service.url + "/api/v1/statements/%s/status"
                      % body["slug"], json={"status": "open"}, headers=auth)
    assert r.status_code == 200, r.text
    return body["slug"]


def test_no_worker_runs_as_root(service):
    uid = pwd.getpwnam(RUNAS).pw_uid
    workers = service.workers()
    assert len(workers) == 2, workers
    for pid in workers:
        assert proc_uids(pid) == [uid] * 4, pid
        # chrooted: the worker's / is the state directory
        assert os.readlink("/proc/%d/root" % pid) == service.inst.statedir
        assert status_field(pid, "NoNewPrivs") == "1"
    # The parent keeps root for starting workers, with only the
    # capabilities the unit grants it.
    assert proc_uids(service.kore.pid) == [0] * 4
    bnd = int(status_field(service.kore.pid, "CapBnd"), 16)
    for name, bit in CAPS.items():
        granted = name in ("CAP_KILL", "CAP_SETGID", "CAP_SETUID",
                           "CAP_SYS_CHROOT")
        assert bool(bnd & (1 << bit)) == granted, name


def test_mailer_runs_as_the_service_user(service):
    uid = pwd.getpwnam(RUNAS).pw_uid
    assert proc_uids(service.mailer.pid) == [uid] * 4


def test_sign_and_confirm_through_the_privilege_separated_server(
        service, token):
    slug = make_statement(service, token)
    who = signer()
    r = requests.post(service.url + "/api/v1/statements/%s/signatures"
                      % slug, json=who)
    assert r.status_code == 202, r.text
    mail = service.smtp.wait_for(who["email"])[0]
    token_ = VERIFY_RE.search(text_part(mail["msg"])).group(1)
    r = requests.post(service.url + "/api/v1/verify", json={"token": token_})
    assert r.status_code == 200, r.text
    r = requests.get(service.url + "/api/v1/statements/%s/signatures" % slug)
    assert [s["organisation"] for s in r.json()] == [who["organisation"]]


def test_pdf_and_xlsx_render_inside_the_chroot(service, token, tmp_path):
    """Fonts (mounted by the unit) for the PDF, a writable /tmp for the
    XLSX writer, the render cache in the state directory."""
    slug = make_statement(service, token, title="Свободу «Бишкекской "
                          "четвёрке» — ერთობლივი განცხადება")
    r = requests.get(service.url + "/s/%s/download/pdf" % slug)
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"%PDF-")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Бишкекской" in text and "ერთობლივი" in text
    r = requests.get(service.url + "/s/%s/download/xlsx" % slug)
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"PK")
    cache = os.path.join(service.inst.statedir, "var", "cache", "renders",
                         "pdf")
    files = [f for f in os.listdir(cache) if f.startswith(slug + ".")
             and f.endswith(".pdf")]
    assert len(files) == 1, os.listdir(cache)
    st = os.stat(os.path.join(cache, files[0]))
    assert st.st_uid == pwd.getpwnam(RUNAS).pw_uid


def test_units_start_check_passes(service):
    """The server unit's ExecStartPre, with the unit's environment."""
    unit = service.inst.unit("undersigned.service")
    cmd = unit_value(unit, "ExecStartPre").split()
    out = subprocess.run(cmd, env=unit_env(unit), capture_output=True,
                         text=True, cwd=unit_value(unit, "WorkingDirectory"))
    assert out.returncode == 0, out.stderr
    assert "LISTEN        127.0.0.1" in out.stdout
