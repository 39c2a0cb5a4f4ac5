"""Shared fixtures for the output plugin tests.

Every format is rendered the way an operator would: through
`bin/undersigned render --format NAME --statement FILE.json -o OUT`.
US_CLI selects the CLI (default bin/undersigned); the plugins come from
UNDERSIGNED_PLUGIN_DIR, by default plugins/ or, for the sanitizer CLI
under build/asan, build/asan/plugins.
"""
import json
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.path.join(ROOT, os.environ.get("US_CLI", "bin/undersigned"))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "statements")


def plugin_dir():
    if os.environ.get("UNDERSIGNED_PLUGIN_DIR"):
        return os.environ["UNDERSIGNED_PLUGIN_DIR"]
    if "asan" in os.path.relpath(CLI, ROOT).split(os.sep):
        return os.path.join(ROOT, "build", "asan", "plugins")
    return os.path.join(ROOT, "plugins")


def fixture_path(name):
    """A model under tests/fixtures/statements, by file name."""
    return os.path.join(FIXTURES, name)


def load_fixture(name):
    with open(fixture_path(name), encoding="utf-8") as f:
        return json.load(f)


def cli_env():
    """The environment for the CLI: the plugin directory and, for the
    sanitizer build, LeakSanitizer suppressions for system libraries."""
    env = dict(os.environ, UNDERSIGNED_PLUGIN_DIR=plugin_dir())
    env.setdefault("LSAN_OPTIONS", "suppressions=" + os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "lsan.supp"))
    return env


class RenderError(Exception):
    pass


@pytest.fixture
def render(tmp_path):
    """render(fmt, model) -> bytes of the rendered file.

    model is a path to a JSON model file or a dict, which is written to
    tmp_path first.  A non-zero exit (a plugin error, a sanitizer report)
    raises RenderError with the CLI's stderr.
    """
    count = [0]

    def _render(fmt, model):
        count[0] += 1
        if isinstance(model, dict):
            path = tmp_path / ("model-%d.json" % count[0])
            path.write_text(json.dumps(model), encoding="utf-8")
        else:
            path = model
        out = tmp_path / ("out-%d-%s" % (count[0], fmt))
        env = cli_env()
        proc = subprocess.run(
            [CLI, "render", "--format", fmt, "--statement", str(path),
             "-o", str(out)],
            cwd=ROOT, env=env, capture_output=True, timeout=300)
        if proc.returncode != 0:
            raise RenderError("render --format %s failed (%d): %s" % (
                fmt, proc.returncode, proc.stderr.decode(errors="replace")))
        return out.read_bytes()

    return _render
