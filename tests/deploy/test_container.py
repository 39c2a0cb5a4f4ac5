"""Dockerfile and compose.yaml, on a machine without a container engine:
every command they run is run here (the build stage's into a temporary
stage directory), the runtime stage's packages cover every library the
installed files link, the image's start command and health check work as
the unprivileged user, and every setting they pass is one the service
accepts."""
import glob
import json
import os
import shlex
import shutil
import subprocess
import time

import pytest
import yaml

from conftest import RUNAS, ROOT, VAR, free_port, run

DOCKERFILE = os.path.join(ROOT, "Dockerfile")
COMPOSE = os.path.join(ROOT, "compose.yaml")


# ------------------------------------------------------------- Dockerfile

def read_dockerfile(path):
    """[{base, name, args, env, steps: [(INSTRUCTION, text)]}]"""
    lines, cur = [], ""
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not cur and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                cur += line[:-1] + " "
                continue
            lines.append(cur + line)
            cur = ""
    assert not cur, "continuation at the end of " + path
    stages = []
    for line in lines:
        instr, _, rest = line.strip().partition(" ")
        instr, rest = instr.upper(), rest.strip()
        if instr == "FROM":
            words = rest.split()
            stages.append({"base": words[0], "name": words[2] if len(words)
                           > 2 and words[1].upper() == "AS" else None,
                           "args": {}, "env": {}, "steps": []})
            continue
        assert stages, "%s before FROM" % instr
        st = stages[-1]
        if instr == "ARG":
            k, _, v = rest.partition("=")
            st["args"][k] = v
        elif instr == "ENV":
            for word in shlex.split(rest):
                k, _, v = word.partition("=")
                st["env"][k] = v
        st["steps"].append((instr, rest))
    return stages


def steps(stage, instr):
    return [t for i, t in stage["steps"] if i == instr]


def expand(text, values):
    for k, v in sorted(values.items(), key=lambda kv: -len(kv[0])):
        text = text.replace("${%s}" % k, v).replace("$" + k, v)
    return text


@pytest.fixture(scope="module")
def stages():
    return read_dockerfile(DOCKERFILE)


@pytest.fixture(scope="module")
def stage_dir(stages, installed):
    """The build stage's RUN lines, run here in the source tree with the
    stage directory under var/test; COPY sources must exist."""
    build = stages[0]
    d = os.path.join(VAR, "image-stage")
    shutil.rmtree(d, ignore_errors=True)
    values = dict(build["args"], STAGE=d)
    for instr, text in build["steps"]:
        if instr == "COPY":
            src = shlex.split(text)[0]
            assert os.path.exists(os.path.join(ROOT, src)), text
        if instr != "RUN":
            continue
        env = dict(os.environ, **build["env"])
        env.update(values)
        out = subprocess.run(["sh", "-ec", text], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0, "RUN %s\n%s" % (text, out.stderr[-3000:])
    return d


def test_two_debian_12_stages(stages):
    assert [s["base"] for s in stages] == ["debian:12", "debian:12"]
    assert [s["name"] for s in stages] == ["build", "runtime"]
    runtime = stages[1]
    # Only installed files reach the runtime stage: no source, no make.
    copies = steps(runtime, "COPY")
    assert copies == ["scripts/deps.sh /usr/local/sbin/undersigned-deps",
                      "--from=build $STAGE/ /"]
    for text in steps(runtime, "RUN"):
        assert "make" not in shlex.split(text), text


def test_runtime_runs_as_a_user_with_a_health_check(stages):
    runtime = stages[1]
    assert steps(runtime, "USER") == [RUNAS]
    check = steps(runtime, "HEALTHCHECK")
    assert len(check) == 1 and "/healthz" in check[0]
    entry = json.loads(steps(runtime, "ENTRYPOINT")[0])
    cmd = json.loads(steps(runtime, "CMD")[0])
    assert entry == ["/usr/bin/undersigned-entrypoint"]
    assert cmd[:3] == ["kore", "-c", "/etc/undersigned/kore.conf"]


def test_build_stage_installs_what_the_image_runs(stage_dir, stages):
    for path in ("usr/bin/undersigned", "usr/bin/undersigned-entrypoint",
                 "usr/lib/undersigned/undersigned.so",
                 "usr/share/undersigned/assets/templates/statement.html",
                 "usr/share/undersigned/build/locale/ru/undersigned.mo",
                 "etc/undersigned/kore.conf",
                 "usr/share/man/man1/undersigned.1"):
        assert os.path.isfile(os.path.join(stage_dir, path)), path
    assert os.access(os.path.join(stage_dir, "usr/bin/undersigned"),
                     os.X_OK)
    plugins = glob.glob(os.path.join(stage_dir, "usr/lib/undersigned/"
                                     "plugins/*.so"))
    assert len(plugins) >= 4, plugins
    env = stages[1]["env"]
    for key in ("UNDERSIGNED_HOME", "UNDERSIGNED_PLUGIN_DIR"):
        assert os.path.isdir(stage_dir + env[key]), key


def test_runtime_stage_commands_work_here(stages, stage_dir, installed,
                                          tmp_path):
    """Each command of each RUN line: the package script is run (it
    installs nothing that is there already), useradd against a copy of
    this machine's user database, install -d into a scratch root."""
    runtime = stages[1]
    copied = {}
    for text in steps(runtime, "COPY"):
        words = shlex.split(text)
        if not words[0].startswith("--from"):
            copied[words[1]] = os.path.join(ROOT, words[0])
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    # This machine's user database as debian:12 has it: without the
    # service user, which the systemd suite creates here.
    for f in ("passwd", "group", "shadow", "gshadow", "login.defs"):
        if os.path.exists("/etc/" + f):
            with open("/etc/" + f) as src:
                keep = [x for x in src if not x.startswith(RUNAS + ":")]
            (root / "etc" / f).write_text("".join(keep))
    seen = set()
    for text in steps(runtime, "RUN"):
        for cmd in expand(text, runtime["args"]).split("&&"):
            argv = shlex.split(cmd)
            seen.add(argv[0])
            if argv[0] in copied:
                out = run([copied[argv[0]]] + argv[1:], check=False)
            elif argv[0] == "useradd":
                out = run(["useradd", "--root", str(root)] + argv[1:],
                          check=False)
            elif argv[0] == "install":
                out = run([a if not a.startswith("/") else str(root) + a
                           for a in argv], check=False)
            elif argv[0] == "rm":
                assert shutil.which("rm")
                continue
            else:
                pytest.fail("the test does not know how to run %r from the "
                            "Dockerfile: teach it" % cmd)
            assert out.returncode == 0, "%s\n%s" % (cmd, out.stderr)
    assert {"useradd", "install"} <= seen
    with open(root / "etc" / "passwd") as f:
        line = [x for x in f if x.startswith(RUNAS + ":")][0]
    assert line.split(":")[2] == "10001"
    st = os.stat(root / "var/lib/undersigned/var/cache/renders")
    assert oct(st.st_mode & 0o777) == "0o750"


def runtime_packages():
    out = run([os.path.join(ROOT, "scripts", "deps.sh"), "list", "runtime"])
    return out.stdout.split()


def test_runtime_packages_are_installed_here():
    missing = []
    for p in runtime_packages():
        out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", p],
                             capture_output=True, text=True)
        if "install ok installed" not in out.stdout:
            missing.append(p)
    assert not missing, missing


def installed_closure(roots):
    """Packages that `roots` bring in through Depends and Pre-Depends, as
    installed here (dpkg's database; alternatives and virtual packages
    count when an installed package satisfies them)."""
    out = run(["dpkg-query", "-W", "-f=${Package}\t${Status}\t${Depends}, "
               "${Pre-Depends}\t${Provides}\n"]).stdout
    deps, provides = {}, {}
    for line in out.splitlines():
        name, status, dep, prov = line.split("\t")
        if "install ok installed" not in status:
            continue
        deps[name] = [[a.split()[0].split(":")[0] for a in alt.split("|")]
                      for alt in dep.split(",") if alt.strip()]
        for p in prov.split(","):
            if p.strip():
                provides.setdefault(p.split()[0], []).append(name)
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        for pkg in [name] + provides.get(name, []):
            if pkg in deps and pkg not in seen:
                seen.add(pkg)
                for alt in deps[pkg]:
                    todo.extend(alt)
    return seen


def test_runtime_packages_cover_every_linked_library(stage_dir):
    """Every shared library the installed files and kore load belongs to
    a package that the runtime list brings in."""
    closure = installed_closure(runtime_packages())
    files = [os.path.join(stage_dir, "usr/bin/undersigned"), "/usr/bin/kore"]
    files += glob.glob(os.path.join(stage_dir, "usr/lib/undersigned/*.so"))
    files += glob.glob(os.path.join(stage_dir,
                                    "usr/lib/undersigned/plugins/*.so"))
    libs = set()
    for f in files:
        for line in run(["ldd", f]).stdout.splitlines():
            if "=>" in line and "/" in line.split("=>")[1]:
                libs.add(os.path.realpath(line.split("=>")[1].split()[0]))
    assert libs
    # One dpkg -S for all (it reads every file list once); with merged
    # /usr, dpkg may know a file under /lib instead.
    asked = sorted(libs) + [lib[4:] for lib in sorted(libs)
                            if lib.startswith("/usr/")]
    owner = {}
    out = run(["dpkg", "-S"] + asked, check=False).stdout
    for line in out.splitlines():
        pkgs, _, path = line.partition(": ")
        owner[path] = pkgs.split(",")[0].strip().split(":")[0]
    uncovered = []
    for lib in sorted(libs):
        pkg = owner.get(lib) or owner.get(lib[4:])
        if pkg not in closure:
            uncovered.append((lib, pkg))
    assert not uncovered, uncovered


@pytest.fixture
def image_root(stages, stage_dir):
    """The image's files in place, in a private mount namespace: the
    stage directory's three directories, and the state directories the
    runtime stage makes (its `install -d` lines, run into var/test).
    Returns the shell lines that mount them."""
    state = os.path.join(VAR, "image-state")
    shutil.rmtree(state, ignore_errors=True)
    mounts = [(stage_dir + d, d) for d in ("/usr/share/undersigned",
                                           "/usr/lib/undersigned",
                                           "/etc/undersigned")]
    for text in steps(stages[1], "RUN"):
        for cmd in text.split("&&"):
            argv = shlex.split(cmd)
            if argv[0] != "install":
                continue
            run([a if not a.startswith("/") else state + a for a in argv])
            for a in argv:
                if a.startswith("/"):
                    top = "/".join(a.split("/")[:4]) if a.startswith(
                        "/var/lib/") else "/".join(a.split("/")[:3])
                    if (state + top, top) not in mounts:
                        mounts.append((state + top, top))
    made = []
    for _, d in mounts:
        if not os.path.exists(d):
            os.makedirs(d)
            made.append(d)
    yield ["mount --bind %s %s" % (shlex.quote(src), shlex.quote(dst))
           for src, dst in mounts]
    for d in reversed(made):
        os.rmdir(d)


def image_env(stages, **extra):
    env = {"PATH": "%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                   "/sbin:/bin", "LANG": "C.UTF-8"}
    env.update(stages[1]["env"])
    env.update(extra)
    return env


def in_image(lines, stage_dir, argv, user=True):
    """argv run as the image runs it: its files in place, as the image's
    user (here the host's user of that name), from its WORKDIR."""
    sh = ["set -e"] + lines + [
        "export PATH=%s/usr/bin:$PATH" % shlex.quote(stage_dir),
        "cd /usr/share/undersigned"]
    priv = ["setpriv", "--reuid", RUNAS, "--regid", RUNAS,
            "--init-groups", "--"] if user else []
    # An absolute path into the image's /usr/bin is the stage's file
    # (the tree outside the three directories above is this machine's).
    if argv[0].startswith("/usr/bin/"):
        argv = [stage_dir + argv[0]] + argv[1:]
    sh.append("exec " + " ".join(shlex.quote(a) for a in priv + argv))
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            "\n".join(sh)]


def test_entrypoint_requires_an_external_database(stages, stage_dir,
                                                  image_root):
    entry = json.loads(steps(stages[1], "ENTRYPOINT")[0])
    env = image_env(stages)
    out = run(in_image(image_root, stage_dir, entry + ["true"]), env=env,
              check=False)
    assert out.returncode == 1
    assert "set DATABASE_URL" in out.stderr
    # A bad setting is refused by the strict check before the command.
    env = image_env(stages, DATABASE_URL="host=/nowhere dbname=x",
                    UNDERSIGNED_LISTN="0.0.0.0")
    out = run(in_image(image_root, stage_dir, entry + ["true"]), env=env,
              check=False)
    assert out.returncode == 1
    assert "UNDERSIGNED_LISTN" in out.stderr
    env = image_env(stages, DATABASE_URL="host=/nowhere dbname=x")
    out = run(in_image(image_root, stage_dir, entry + ["echo", "started"]),
              env=env, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "started"


def test_image_command_serves_and_passes_its_health_check(
        stages, stage_dir, image_root, pg):
    """CMD through ENTRYPOINT as the unprivileged user (Kore with -n -r),
    then the HEALTHCHECK command itself."""
    runtime = stages[1]
    entry = json.loads(steps(runtime, "ENTRYPOINT")[0])
    cmd = json.loads(steps(runtime, "CMD")[0])
    port = free_port()
    env = image_env(stages, PORT=str(port), DATABASE_URL="host=%s "
                    "dbname=undersigned user=undersigned" % pg,
                    PUBLIC_URL="http://127.0.0.1:%d" % port)
    with open(os.path.join(VAR, "image-kore.log"), "wb") as log:
        proc = subprocess.Popen(in_image(image_root, stage_dir, entry + cmd),
                                env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    check = steps(runtime, "HEALTHCHECK")[0].split(" CMD ", 1)[1]
    try:
        deadline = time.time() + 30
        while True:
            assert proc.poll() is None, "the image's command exited; see " \
                + os.path.join(VAR, "image-kore.log")
            out = subprocess.run(["sh", "-c", check], env=env)
            if out.returncode == 0:
                break
            assert time.time() < deadline, "health check never passed"
            time.sleep(0.2)
        uid = int(run(["id", "-u", RUNAS]).stdout)
        tree = [proc.pid] + [int(p) for p in run(
            ["pgrep", "-P", str(proc.pid)], check=False).stdout.split()]
        for pid in tree:
            with open("/proc/%d/status" % pid) as f:
                uids = [line.split()[1:] for line in f
                        if line.startswith("Uid:")][0]
            assert [int(u) for u in uids] == [uid] * 4, pid
    finally:
        proc.terminate()
        proc.wait(15)


# ---------------------------------------------------------------- compose

@pytest.fixture(scope="module")
def compose():
    with open(COMPOSE) as f:
        return yaml.safe_load(f)


def test_compose_has_the_services_for_trying_it(compose):
    svc = compose["services"]
    assert set(svc) == {"postgres", "migrate", "app", "mailer", "nginx",
                        "mail"}
    assert svc["postgres"]["image"] == "postgres:15"
    for name in ("migrate", "app", "mailer"):
        assert svc[name]["build"] == ".", name
    for name, s in svc.items():
        for dep in s.get("depends_on", {}):
            assert dep in svc, (name, dep)
    assert svc["app"]["depends_on"]["migrate"]["condition"] == \
        "service_completed_successfully"
    # nginx in the app's network namespace: the site's upstream is the
    # app's loopback, unchanged.
    assert svc["nginx"]["network_mode"] == "service:app"
    for vol in svc["nginx"]["volumes"]:
        src = vol.split(":")[0]
        if src.startswith("./conf/"):
            assert os.path.isfile(os.path.join(ROOT, src)), vol


def test_compose_commands_exist_in_the_image(compose, stage_dir):
    for name in ("migrate", "mailer"):
        argv = compose["services"][name]["command"]
        assert os.access(os.path.join(stage_dir, "usr/bin", argv[0]),
                         os.X_OK), name
        assert argv[1] in run([os.path.join(stage_dir, "usr/bin",
                                            argv[0])], check=False).stderr


def test_compose_settings_pass_the_strict_check(compose, stages, stage_dir,
                                                 image_root):
    """The image's ENV and each service's environment, as the container
    sees them, accepted by `undersigned check-config`."""
    for name in ("migrate", "app", "mailer"):
        env = image_env(stages, **compose["services"][name]["environment"])
        out = run(in_image(image_root, stage_dir,
                           ["undersigned", "check-config"]),
                  env=env, check=False)
        assert out.returncode == 0, (name, out.stderr)
        assert "PUBLIC_URL    https://localhost:8443" in out.stdout
