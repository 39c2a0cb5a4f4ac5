"""Fixtures for the browser suite: the coordinator's and the signer's
journey through the real pages in headless Chromium, every page checked
with axe-core.

The services (throwaway PostgreSQL, the SMTP sink, Kore and the mail
sender) are the integration suite's own: its conftest is loaded here
under another module name and its `stack` and `db` fixtures are reused,
with their files under var/test/browser/ so that this suite and the
integration suite never share a cluster or a log.

Needs Debian's chromium and chromium-driver, python3-selenium, and
axe-core from npm in tests/browser/node_modules (`npm ci` there;
scripts/test.sh does it when node_modules is missing).
"""
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE_JS = os.path.join(HERE, "node_modules", "axe-core", "axe.min.js")

DESKTOP = (1280, 900)
LAPTOP = (1366, 768)    # the most common laptop screen
PHONE = (390, 844)

# Only these fail a test; every violation is still written to the log.
FAILING_IMPACTS = ("serious", "critical")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing():
    why = []
    if not os.access(CHROMIUM, os.X_OK) or not os.access(CHROMEDRIVER,
                                                          os.X_OK):
        why.append("%s or %s is missing: sudo apt-get install chromium "
                   "chromium-driver" % (CHROMIUM, CHROMEDRIVER))
    if not os.path.isfile(AXE_JS):
        why.append("%s is missing: cd tests/browser && npm ci" % AXE_JS)
    try:
        import selenium  # noqa: F401
    except ImportError:
        why.append("python3-selenium is missing: sudo apt-get install "
                   "python3-selenium")
    return why


_MISSING = _missing()


def pytest_collection_modifyitems(config, items):
    if not _MISSING:
        return
    skip = pytest.mark.skip(reason="browser suite skipped: "
                            + "; ".join(_MISSING))
    for item in items:
        item.add_marker(skip)


# The integration suite's conftest, loaded under its own name (a plain
# `import conftest` would find this file).
_spec = importlib.util.spec_from_file_location(
    "undersigned_integration_conftest",
    os.path.join(ROOT, "tests", "integration", "conftest.py"))
integration = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = integration
_spec.loader.exec_module(integration)

# Its own directory under var/test: the stack fixture wipes VAR at start.
integration.VAR = os.path.join(ROOT, "var", "test", "browser")
integration.PGDIR = os.path.join(integration.VAR, "pg")
VAR = integration.VAR

stack = integration.stack
db = integration.db
seed_signatures = integration.seed_signatures
text_part = integration.text_part
verify_token_from = integration.verify_token_from


# ---------------------------------------------------------------- Chromium

class Browsers:
    """Starts Chromium instances, each with a fresh profile, and ends
    them all at the end of the session."""

    def __init__(self):
        self.drivers = []
        self.dirs = []

    def start(self, size=DESKTOP, javascript=True, mobile=False, lang="en"):
        """A new Chromium of `size` (width, height).  javascript=False
        turns the pages' scripts off (Emulation.setScriptExecutionDisabled,
        which lasts across navigations); Axe.check turns them on for its
        own run only.  mobile=True makes the viewport exactly `size` CSS
        pixels as a phone's: touch-style overlay scrollbars, the viewport
        meta tag honoured, three device pixels to a CSS pixel.  lang is
        the browser's Accept-Language."""
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        profile = tempfile.mkdtemp(prefix="us-chromium-")
        self.dirs.append(profile)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile,
                    "--window-size=%d,%d" % size):
            opts.add_argument(arg)
        # Pages answer in the language asked for; the UI default is English.
        opts.add_experimental_option("prefs",
                                     {"intl.accept_languages": lang})
        log = os.path.join(VAR, "chromedriver.log")
        service = Service(executable_path=CHROMEDRIVER, log_path=log)
        driver = webdriver.Chrome(service=service, options=opts)
        driver.set_window_size(*size)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        if mobile:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": size[0], "height": size[1],
                "deviceScaleFactor": 3, "mobile": True})
        driver.us_scripts_off = not javascript
        if driver.us_scripts_off:
            scripts(driver, False)
        self.drivers.append(driver)
        return driver

    def stop(self):
        for d in self.drivers:
            try:
                d.quit()
            except Exception:  # the session may already be gone
                pass
        for p in self.dirs:
            shutil.rmtree(p, ignore_errors=True)


def scripts(driver, on):
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled",
                           {"value": not on})


@pytest.fixture(scope="session")
def browsers(stack):
    b = Browsers()
    yield b
    b.stop()


@pytest.fixture(scope="module")
def browser(browsers):
    """The coordinator's browser (desktop size), shared by a module's
    steps so that the session cookie carries from one to the next."""
    return browsers.start(DESKTOP)


# ------------------------------------------------------------------ axe

class AccessibilityViolation(AssertionError):
    """A page has serious or critical WCAG 2.1 A/AA violations.

    The page still worked, so a journey goes on after it (see
    pytest_runtest_makereport)."""


class Axe:
    """Runs axe-core on pages and keeps what it found for the test."""

    def __init__(self):
        with open(AXE_JS, encoding="utf-8") as f:
            self.source = f.read()
        self.found = []     # failing violations of the current test
        self.log = os.path.join(VAR, "axe.jsonl")

    def check(self, driver, page, log=True):
        """Runs axe on the document in `driver`; remembers serious and
        critical violations under the name `page`.  Returns every
        violation (any impact); log=False keeps them out of axe.jsonl."""
        off = getattr(driver, "us_scripts_off", False)
        if off:
            scripts(driver, True)
        try:
            if not driver.execute_script(
                    "return typeof window.axe === 'object'"):
                driver.execute_script(self.source)
            result = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: {type: 'tag', "
                "values: arguments[0]}})"
                ".then(function (r) { done({ok: r.violations}); },"
                "      function (e) { done({error: String(e)}); });",
                AXE_TAGS)
        finally:
            if off:
                scripts(driver, False)
        assert "error" not in result, "axe failed on %s: %s" % (
            page, result["error"])
        violations = result["ok"]
        if os.environ.get("US_BROWSER_SHOTS"):
            self.screenshot(driver, page, os.environ["US_BROWSER_SHOTS"])
        with open(self.log if log else os.devnull, "a",
                  encoding="utf-8") as f:
            for v in violations:
                f.write(json.dumps({
                    "page": page, "url": driver.current_url, "id": v["id"],
                    "impact": v["impact"], "help": v["help"],
                    "targets": [n["target"] for n in v["nodes"]],
                    "summaries": [n.get("failureSummary") for n in
                                  v["nodes"]]}, ensure_ascii=False) + "\n")
        for v in violations:
            if v["impact"] in FAILING_IMPACTS:
                self.found.append((page, driver.current_url, v))
        return violations

    def screenshot(self, driver, page, where):
        """The whole page as PNG, for a person to look at: set
        US_BROWSER_SHOTS=DIR to keep one per page checked."""
        import base64
        os.makedirs(where, exist_ok=True)
        self.shots = getattr(self, "shots", 0) + 1
        name = "%02d-%s.png" % (self.shots, re.sub(r"[^a-z0-9]+", "-",
                                                   page.lower()).strip("-"))
        png = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True})["data"]
        with open(os.path.join(where, name), "wb") as f:
            f.write(base64.b64decode(png))

    def report(self):
        lines = []
        for page, url, v in self.found:
            lines.append("%s (%s): [%s] %s: %s — %s" % (
                page, url, v["impact"], v["id"], v["help"], v["helpUrl"]))
            for node in v["nodes"]:
                lines.append("    target %s" % json.dumps(
                    node["target"], ensure_ascii=False))
                if node.get("failureSummary"):
                    for s in node["failureSummary"].splitlines():
                        lines.append("      " + s)
        return "\n".join(lines)

    def assert_clean(self):
        """Fails the test with every serious or critical violation seen
        since the test began."""
        if self.found:
            raise AccessibilityViolation(
                "axe (WCAG 2.1 A/AA) found serious or critical "
                "violations:\n" + self.report())


@pytest.fixture(scope="session")
def _axe(stack):
    return Axe()


@pytest.fixture
def axe(_axe):
    """axe.check(driver, "page name") on every page a test visits; the
    test fails at its end (axe.assert_clean is called for it) if any page
    had a serious or critical violation."""
    _axe.found = []
    yield _axe
    _axe.found = []


# ------------------------------------------------------ journeys in steps

# Tests marked `journey` are the steps of one story in file order: a step
# that failed for a functional reason leaves nothing for the next steps to
# work on, so they are skipped, naming the step.  An accessibility
# violation fails its step but the journey goes on, as does the failure
# of a step marked `side_check`.

def pytest_configure(config):
    config.addinivalue_line(
        "markers", "journey: a step of a story; later steps are skipped "
        "once one fails (not for accessibility violations)")
    config.addinivalue_line(
        "markers", "side_check: a journey step that looks at a page "
        "without changing anything: its failure skips no later step")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if "journey" not in item.keywords or "side_check" in item.keywords \
            or not rep.failed:
        return
    if call.excinfo is not None and call.excinfo.errisinstance(
            AccessibilityViolation):
        return
    item.module._journey_broken = item.name


def pytest_runtest_setup(item):
    if "journey" not in item.keywords:
        return
    broken = getattr(item.module, "_journey_broken", None)
    if broken is not None:
        pytest.skip("an earlier step of the journey failed: %s" % broken)


# ------------------------------------------------- coordinators and layout

LOGIN_RE = re.compile(r"/w/login/([A-Za-z0-9_-]{43})")


def coordinator(stack, prefix="coordinator"):
    """A new coordinator, signed in over HTTP: {"email", "token" (API),
    "cookie" (the workspace session)}."""
    import uuid

    import requests

    address = "%s-%s@coalition.example.org" % (prefix, uuid.uuid4().hex[:8])
    token = stack.cli("coordinator", "add", address).stdout.split()[-1]
    s = requests.Session()
    assert s.post(stack.url + "/w/login",
                  data={"email": address}).status_code == 200
    mail = stack.smtp.wait_for(address)[0]
    link = LOGIN_RE.search(text_part(mail["msg"])).group(1)
    r = s.post(stack.url + "/w/login/" + link, data={"go": "1"},
               allow_redirects=False)
    assert r.status_code == 303
    return {"email": address, "token": token,
            "cookie": s.cookies["us_session"]}


def signed_in_browser(browsers, stack, who, size=DESKTOP, lang="en", **kw):
    """A Chromium of `size` carrying who's session; a phone's size makes
    a phone's viewport."""
    driver = browsers.start(size, mobile=size == PHONE, lang=lang, **kw)
    driver.get(stack.url + "/w/login")
    driver.add_cookie({"name": "us_session", "value": who["cookie"],
                       "path": "/"})
    return driver


def no_sideways_scroll(driver):
    """The page is no wider than its viewport: nothing scrolls sideways
    (document.documentElement.scrollWidth <= clientWidth)."""
    off = getattr(driver, "us_scripts_off", False)
    if off:
        scripts(driver, True)
    try:
        return driver.execute_script(
            "var e = document.documentElement;"
            "return [e.scrollWidth, e.clientWidth];")
    finally:
        if off:
            scripts(driver, False)
