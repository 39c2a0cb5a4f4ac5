"""`make install`: the layout, the rendered configuration and the units."""
import glob
import os
import re
import shutil
import subprocess

from conftest import (ROOT, env_file, make_install, parse_unit, run,
                      unit_value, unit_values)

PLUGINS = sorted(os.path.basename(os.path.dirname(p))
                 for p in glob.glob(os.path.join(ROOT, "plugins", "*", "*.c"))
                 if "/common/" not in p)


def test_default_layout_under_destdir(var):
    dest = os.path.join(var, "destdir")
    make_install("DESTDIR=" + dest)
    want = ["usr/local/bin/undersigned",
            "usr/local/lib/undersigned/undersigned.so",
            "usr/local/share/undersigned/migrations/0001_initial.sql",
            "usr/local/share/undersigned/assets/static/style.css",
            "usr/local/share/undersigned/assets/templates/statement.html",
            "usr/local/share/undersigned/assets/mail/verify.txt",
            "usr/local/share/undersigned/build/locale/ru/undersigned.mo",
            "usr/local/share/man/man1/undersigned.1",
            "usr/local/share/man/man3/undersigned-plugin.3",
            "etc/undersigned/kore.conf",
            "etc/undersigned/undersigned.env",
            "usr/local/lib/systemd/system/undersigned.service",
            "usr/local/lib/systemd/system/undersigned-mailer.service",
            "usr/local/lib/systemd/system/undersigned-migrate.service",
            "usr/local/lib/sysusers.d/undersigned.conf",
            "usr/local/lib/tmpfiles.d/undersigned.conf"]
    want += ["usr/local/lib/undersigned/plugins/%s.so" % p for p in PLUGINS]
    missing = [w for w in want if not os.path.isfile(os.path.join(dest, w))]
    assert not missing, missing
    # The running directory's var/ is the state directory (and chroot).
    assert os.readlink(os.path.join(dest, "usr/local/share/undersigned/var")) \
        == "/var/lib/undersigned/var"
    assert os.access(os.path.join(dest, "usr/local/bin/undersigned"),
                     os.X_OK)
    # Every placeholder was substituted.
    for path in glob.glob(os.path.join(dest, "etc/undersigned/*")) + \
            glob.glob(os.path.join(dest, "usr/local/lib/*/*/*.service")) + \
            glob.glob(os.path.join(dest, "usr/local/lib/*.d/*.conf")):
        with open(path) as f:
            text = f.read()
        assert not re.search(r"@[A-Z]+@", text), path
    with open(os.path.join(dest, "etc/undersigned/kore.conf")) as f:
        kore = f.read()
    assert re.search(r"^runas\s+undersigned$", kore, re.M)
    assert re.search(r"^root\s+/var/lib/undersigned$", kore, re.M)
    assert re.search(r"^load\s+/usr/local/lib/undersigned/undersigned\.so$",
                     kore, re.M)


def test_install_keeps_an_edited_environment_file(var):
    dest = os.path.join(var, "destdir-keep")
    make_install("DESTDIR=" + dest)
    env = os.path.join(dest, "etc/undersigned/undersigned.env")
    with open(env, "w") as f:
        f.write("PUBLIC_URL=https://kept.example.org\n")
    make_install("DESTDIR=" + dest)
    with open(env) as f:
        assert f.read() == "PUBLIC_URL=https://kept.example.org\n"
    assert oct(os.stat(env).st_mode & 0o777) == "0o640"


def test_shipped_environment_file_passes_the_strict_check(installed):
    """Every name in conf/undersigned.env is one the service knows, and
    every value is accepted."""
    env = {"PATH": os.environ["PATH"],
           "UNDERSIGNED_HOME": installed.datadir}
    env.update(env_file(os.path.join(ROOT, "conf", "undersigned.env")))
    out = run([installed.cli, "check-config"], env=env, check=False)
    assert out.returncode == 0, out.stderr
    assert "LISTEN        127.0.0.1" in out.stdout


def test_units_reference_what_was_installed(installed):
    """A small reader of the units, independent of systemd: every
    command exists, every file and directory a unit names is there, and
    the hardening is on."""
    names = sorted(os.listdir(installed.unitdir))
    assert {"undersigned-mailer.service", "undersigned-migrate.service",
            "undersigned-retention.service", "undersigned-retention.timer",
            "undersigned.service"} <= set(names)
    for name in names:
        unit = installed.unit(name)
        if name.endswith(".timer"):
            assert set(unit) <= {"Unit", "Timer", "Install"}, name
            target = unit_value(unit, "Unit", name[:-6] + ".service",
                                section="Timer")
            assert target in names, "%s starts %s" % (name, target)
            continue
        assert set(unit) <= {"Unit", "Service", "Install"}, name
        for key in ("ExecStart", "ExecStartPre"):
            for cmd in unit_values(unit, key):
                exe = cmd.split()[0].lstrip("-+!@")
                assert os.access(exe, os.X_OK), "%s: %s" % (name, exe)
        for path in unit_values(unit, "EnvironmentFile"):
            assert os.path.isfile(path.lstrip("-")), path
        assert os.path.isdir(unit_value(unit, "WorkingDirectory")), name
        for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp",
                    "PrivateDevices", "ProtectKernelTunables",
                    "ProtectKernelModules", "ProtectControlGroups",
                    "RestrictSUIDSGID", "LockPersonality",
                    "MemoryDenyWriteExecute", "RestrictNamespaces"):
            assert unit_value(unit, key) == "yes", "%s: %s" % (name, key)
        assert unit_value(unit, "ProtectSystem") == "strict", name
        assert unit_value(unit, "CapabilityBoundingSet") is not None, name
        for line in unit_values(unit, "ReadWritePaths"):
            for p in line.split():
                assert os.path.isdir(p.lstrip("-")), "%s: %s" % (name, p)
        for key in ("BindPaths", "BindReadOnlyPaths"):
            for line in unit_values(unit, key):
                for word in line.split():
                    dst = word.lstrip("-").split(":")[1]
                    assert os.path.isdir(dst), \
                        "%s: mount point %s (tmpfiles.d)" % (name, dst)
    server = installed.unit("undersigned.service")
    # Kore's parent needs root to chroot and change user; never more.
    assert unit_value(server, "User") is None
    assert set(unit_value(server, "CapabilityBoundingSet").split()) == {
        "CAP_SYS_CHROOT", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"}
    for name in ("undersigned-mailer.service", "undersigned-migrate.service",
                 "undersigned-retention.service"):
        unit = installed.unit(name)
        assert unit_value(unit, "User") == "undersigned"
        assert unit_value(unit, "CapabilityBoundingSet") == ""
        assert unit_value(unit, "SystemCallFilter") == "@system-service"


def test_systemd_analyze_verify(installed):
    """systemd's own check (Debian 12 ships systemd-analyze with systemd);
    a unit it warns about fails."""
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze is missing: apt-get install systemd"
    units = sorted(glob.glob(os.path.join(installed.unitdir, "*")))
    out = subprocess.run([tool, "verify", "--man=no"] + units,
                         capture_output=True, text=True,
                         cwd=installed.unitdir)
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip() == "", out.stderr


def test_unit_reader_catches_a_missing_binary(installed, tmp_path):
    """The reader above is not a formality: a unit naming a command that
    is not installed is reported, by systemd-analyze too."""
    src = os.path.join(installed.unitdir, "undersigned-mailer.service")
    with open(src) as f:
        text = f.read()
    bad = tmp_path / "undersigned-mailer.service"
    bad.write_text(text.replace(installed.cli, installed.cli + "-gone"))
    unit = parse_unit(str(bad))
    assert not os.access(unit_value(unit, "ExecStart").split()[0], os.X_OK)
    shutil.copy(os.path.join(installed.unitdir,
                             "undersigned-migrate.service"), tmp_path)
    out = subprocess.run(["systemd-analyze", "verify", "--man=no",
                          str(bad)], capture_output=True, text=True,
                         cwd=str(tmp_path))
    assert out.returncode != 0
    assert "-gone" in out.stderr



def kore_directives(path):
    """Kore configuration lines, comments and blank lines dropped, runs
    of whitespace made one space."""
    with open(path) as f:
        return [" ".join(line.split()) for line in f
                if line.strip() and not line.lstrip().startswith("#")]


def test_production_kore_config_differs_only_in_privileges_and_paths():
    """conf/undersigned.prod.conf.in is conf/undersigned.conf plus runas
    and root, with installed paths: a limit changed in one is changed in
    both."""
    dev = kore_directives(os.path.join(ROOT, "conf", "undersigned.conf"))
    prod = kore_directives(os.path.join(ROOT, "conf",
                                        "undersigned.prod.conf.in"))
    own = ("load ", "pidfile ", "runas ", "root ")
    assert [d for d in dev if not d.startswith(own)] == \
        [d for d in prod if not d.startswith(own)]
    assert "runas @RUNAS@" in prod and "root @STATEDIR@" in prod
    assert "load @LIBDIR@/undersigned.so" in prod
    assert not any(d.startswith(("runas ", "root ")) for d in dev)
