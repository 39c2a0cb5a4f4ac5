"""The harness itself must be able to fail: axe finds a known violation
and the test fails on it, and a browser started without JavaScript runs
no page script (so the signer's journey proves the no-script form)."""
import urllib.parse

import pytest

from conftest import DESKTOP, AccessibilityViolation

BAD_PAGE = """<!doctype html><html lang="en"><head><title>bad</title></head>
<body><main><h1>A page with known faults</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input id="nolabel" name="x">
<p style="color:#777;background:#888">Grey on grey, hard to read.</p>
</main></body></html>"""

GOOD_PAGE = """<!doctype html><html lang="en"><head><title>good</title></head>
<body><main><h1>A plain page</h1><p id="x">no script ran</p>
<script>document.getElementById('x').textContent = 'a script ran';</script>
</main></body></html>"""


def data_url(html):
    return "data:text/html;charset=utf-8," + urllib.parse.quote(html)


@pytest.fixture(scope="module")
def plain(browsers):
    return browsers.start(DESKTOP)


@pytest.fixture(scope="module")
def scriptless(browsers):
    return browsers.start(DESKTOP, javascript=False)


def test_axe_fails_a_page_with_violations(plain, axe):
    plain.get(data_url(BAD_PAGE))
    found = {v["id"]: v["impact"] for v in axe.check(plain, "bad page",
                                                     log=False)}
    assert found.get("image-alt") == "critical", found
    assert found.get("label") == "critical", found
    assert found.get("color-contrast") == "serious", found
    with pytest.raises(AccessibilityViolation) as e:
        axe.assert_clean()
    report = str(e.value)
    assert "image-alt" in report and "img" in report
    assert "label" in report and "#nolabel" in report
    axe.found = []


def test_axe_passes_a_clean_page(plain, axe):
    plain.get(data_url(GOOD_PAGE))
    assert axe.check(plain, "good page", log=False) == []
    axe.assert_clean()


def test_scriptless_browser_runs_no_page_script(scriptless, axe):
    scriptless.get(data_url(GOOD_PAGE))
    assert scriptless.find_element("id", "x").text == "no script ran"
    # axe still runs there, and scripts are off again afterwards.
    assert axe.check(scriptless, "good page, no script", log=False) == []
    scriptless.get(data_url(GOOD_PAGE + "<!-- again -->"))
    assert scriptless.find_element("id", "x").text == "no script ran"


def test_scripted_browser_runs_page_scripts(plain):
    plain.get(data_url(GOOD_PAGE))
    assert plain.find_element("id", "x").text == "a script ran"
