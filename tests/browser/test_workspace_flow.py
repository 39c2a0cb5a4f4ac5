"""The coordinator's journey through the real pages, in headless Chromium:
sign in by emailed link, write a statement (with a preview), open it,
have an organisation sign it on the public page (in a second browser,
without JavaScript) and confirm by email, approve the signature, import
a pasted list, export the contacts, publish, and read it all in Russian.

The steps run in file order and share one statement; once a step fails
for a functional reason the later ones are skipped (see conftest.py),
except after a `side_check`, a step that only looks.
Every page visited is checked with axe-core (WCAG 2.1 A and AA); serious
or critical violations fail the step that saw them.
"""
import csv
import io
import re
import uuid

import pytest
import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DESKTOP, PHONE, text_part, verify_token_from

pytestmark = pytest.mark.journey

WAIT = 30   # seconds an element or a page may take; never a pause

RUN = uuid.uuid4().hex[:8]
COORDINATOR = "coordinator-%s@coalition.example.org" % RUN
SLUG = "free-the-four-%s" % RUN
TITLE = "Free the Bishkek Four — joint statement %s" % RUN
BODY = (
    "We, the undersigned organisations, call on the authorities to "
    "release the *Bishkek Four* without delay.\n"
    "\n"
    "## We call in particular for:\n"
    "\n"
    "- the **immediate** release of the journalists;\n"
    "- an independent investigation.\n")
ORGANISATION = "Open Steppe Human Rights Centre %s" % RUN
ACRONYM = "OSHRC"
SIGNER_EMAIL = "office-%s@open-steppe.example.org" % RUN
IMPORT_LINES = [
    "1. Bir Duino Foundation %s (BDF, Kyrgyzstan)" % RUN,
    "2. Kazakhstan Bureau for Human Rights %s (KIBHR, Kazakhstan)" % RUN,
    "3. Broken (ACR, Germany",
]
IMPORTED = ["Bir Duino Foundation %s" % RUN,
            "Kazakhstan Bureau for Human Rights %s" % RUN]

LOGIN_RE = re.compile(r"/w/login/([A-Za-z0-9_-]{43})")
CYRILLIC = re.compile("[\u0400-\u04ff]")
# Values the program shows that a Russian page must not show as such.
PROGRAM_WORDS = {"draft", "open", "closed", "published", "joint_statement",
                 "open_letter", "urgent_action", "pending", "confirmed",
                 "rejected", "withdrawn", "named", "counted", "web",
                 "import", "api"}

# What the steps hand on to the next ones.
journey = {}


# ------------------------------------------------------------------ helpers

def wait(driver, timeout=WAIT, ignored=None):
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored)


def visible(driver, css):
    return wait(driver).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, css)))


def open_page(driver, url):
    driver.get(url)
    wait(driver).until(lambda d: d.execute_script(
        "return document.readyState") == "complete")


def press(driver, element):
    """Clicks a button or link that loads a new page and waits until the
    new page has replaced the old one."""
    # A mark on the old page's window: gone once a new document loaded.
    # (Waiting for the old <html> to go stale races with Chromium
    # replacing the document: "Node ... does not belong to the document".)
    driver.execute_script("window.usLeftPage = true")
    element.click()
    wait(driver, ignored=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.usLeftPage !== true && "
            "document.readyState === 'complete'"))


def button(driver, text, scope="main"):
    return driver.find_element(
        By.XPATH, "//%s//button[normalize-space()=%s]" % (scope, xq(text)))


def xq(s):
    """An XPath string literal."""
    if "'" not in s:
        return "'%s'" % s
    return "concat(%s)" % ", \"'\", ".join("'%s'" % p for p in s.split("'"))


def h1(driver):
    return visible(driver, "main h1").text.strip()


def path_of(driver, stack):
    assert driver.current_url.startswith(stack.url), driver.current_url
    return driver.current_url[len(stack.url):]


def type_into(driver, css, text):
    el = visible(driver, css)
    el.clear()
    el.send_keys(text)
    return el


def set_value(driver, css, value):
    """A native date or time input takes its value in the browser's own
    format and order; the value attribute is the same everywhere."""
    el = visible(driver, css)
    driver.execute_script("arguments[0].value = arguments[1];", el, value)
    return el


def need(key):
    if key not in journey:
        pytest.fail("the journey has no %r: an earlier step did not "
                    "record it" % key)
    return journey[key]


def public_list(driver):
    return [li.text for li in driver.find_elements(
        By.CSS_SELECTOR, "section.signatories ol.list li")]


# ---------------------------------------------------------------- the story

def test_sign_in_by_emailed_link(stack, browser, axe):
    out = stack.cli("coordinator", "add", COORDINATOR)
    assert out.returncode == 0, out.stderr

    open_page(browser, stack.url + "/w")
    assert path_of(browser, stack) == "/w/login"
    assert h1(browser) == "Sign in"
    axe.check(browser, "/w/login")

    type_into(browser, "#f-email", COORDINATOR)
    press(browser, button(browser, "Send me a sign-in link"))
    assert h1(browser) == "Check your email"
    axe.check(browser, "/w/login (link sent)")

    mail = stack.smtp.wait_for(COORDINATOR)[0]
    assert mail["msg"]["Subject"] == "Sign in to undersigned"
    text = text_part(mail["msg"])
    m = LOGIN_RE.search(text)
    assert m, text
    link = stack.url + "/w/login/" + m.group(1)
    assert link in text

    # The link opens a page with a button: opening it signs nobody in.
    open_page(browser, link)
    assert h1(browser) == "Sign in"
    assert COORDINATOR in browser.find_element(By.TAG_NAME, "main").text
    assert not any(c["name"] == "us_session" for c in browser.get_cookies())
    axe.check(browser, "/w/login/<token>")

    press(browser, button(browser, "Sign in"))
    assert path_of(browser, stack) == "/w"
    assert h1(browser) == "Your statements"
    nav = browser.find_element(By.CSS_SELECTOR, "nav.ws-nav")
    assert COORDINATOR in nav.text
    assert "You do not coordinate any statement yet." in \
        browser.find_element(By.TAG_NAME, "main").text
    axe.check(browser, "/w")
    axe.assert_clean()


@pytest.mark.side_check
def test_api_tokens_page(stack, browser, axe):
    open_page(browser, stack.url + "/w/tokens")
    assert h1(browser) == "API tokens"
    axe.check(browser, "/w/tokens")

    type_into(browser, "#f-label", "browser test " + RUN)
    press(browser, button(browser, "Create a token"))
    token = visible(browser, "main .notice code.secret").text.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,}", token), token
    rows = browser.find_elements(By.XPATH,
                                 "//main//table//tr[td[1][normalize-space()"
                                 "=%s]]" % xq("browser test " + RUN))
    assert len(rows) == 1
    axe.check(browser, "/w/tokens (new token)")

    # The token shown works for the API, and is not shown again.
    r = requests.get(stack.url + "/api/v1/formats",
                     headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    open_page(browser, stack.url + "/w/tokens")
    assert token not in browser.page_source
    axe.assert_clean()


def test_new_statement_with_preview(stack, browser, axe):
    open_page(browser, stack.url + "/w")
    press(browser, browser.find_element(
        By.XPATH, "//main//a[normalize-space()='New statement']"))
    assert path_of(browser, stack) == "/w/new"
    assert h1(browser) == "New statement"
    assert not browser.find_elements(By.CSS_SELECTOR, "section.preview")
    axe.check(browser, "/w/new")

    type_into(browser, "#f-slug", SLUG)
    type_into(browser, "#f-title", TITLE)
    type_into(browser, "#f-body_markdown", BODY)
    type_into(browser, "#f-place", "Bishkek")
    set_value(browser, "#f-date", "2026-12-10")
    approval = browser.find_element(By.ID, "f-require_approval")
    assert not approval.is_selected()
    # The label is what a person clicks.
    browser.find_element(
        By.XPATH, "//label[normalize-space()='Coordinators approve each "
        "signature before it is listed']").click()
    assert approval.is_selected()

    press(browser, button(browser, "Preview"))
    assert h1(browser) == "New statement"
    preview = visible(browser, "section.preview .body")
    # The Markdown, rendered: a heading, a list with strong text, emphasis.
    assert preview.find_element(By.TAG_NAME, "h2").text == \
        "We call in particular for:"
    items = [li.text for li in preview.find_elements(By.CSS_SELECTOR,
                                                     "ul > li")]
    assert items == ["the immediate release of the journalists;",
                     "an independent investigation."]
    assert preview.find_element(By.CSS_SELECTOR, "li strong").text == \
        "immediate"
    assert preview.find_element(By.TAG_NAME, "em").text == "Bishkek Four"
    assert "##" not in preview.text and "**" not in preview.text
    # Nothing is saved by a preview, and what was typed is kept.
    assert browser.find_element(By.ID, "f-slug").get_attribute("value") == \
        SLUG
    assert browser.find_element(By.ID, "f-title").get_attribute("value") == \
        TITLE
    assert browser.find_element(By.ID, "f-body_markdown").get_attribute(
        "value").replace("\r\n", "\n") == BODY
    assert browser.find_element(By.ID, "f-require_approval").is_selected()
    r = requests.get(stack.url + "/s/" + SLUG)
    assert r.status_code == 404
    axe.check(browser, "/w/new (preview)")

    press(browser, button(browser, "Save"))
    assert path_of(browser, stack) == "/w/s/" + SLUG
    assert h1(browser) == TITLE
    status = browser.find_element(By.CSS_SELECTOR, "main > p strong")
    assert status.text == "draft"
    journey["created"] = True
    axe.check(browser, "/w/s/<slug> (draft)")
    axe.assert_clean()


def test_open_for_signatures(stack, browser, axe):
    need("created")
    open_page(browser, stack.url + "/w")
    row_link = browser.find_element(
        By.XPATH, "//main//table//a[normalize-space()=%s]" % xq(TITLE))
    press(browser, row_link)
    assert path_of(browser, stack) == "/w/s/" + SLUG

    press(browser, button(browser, "Open for signatures"))
    assert path_of(browser, stack) == "/w/s/" + SLUG
    assert browser.find_element(By.CSS_SELECTOR,
                                "main > p strong").text == "open for signatures"
    assert button(browser, "Close signing").is_displayed()
    assert browser.find_element(
        By.XPATH, "//main//a[normalize-space()='Publish…']").is_displayed()
    journey["open"] = True
    axe.check(browser, "/w/s/<slug> (open)")
    axe.assert_clean()


@pytest.fixture(scope="module")
def signer_browser(browsers):
    """The signer's own browser: no workspace cookie, and JavaScript off,
    since the public form must work without it."""
    return browsers.start(DESKTOP, javascript=False)


def test_sign_on_the_public_page(stack, signer_browser, axe):
    need("open")
    b = signer_browser
    open_page(b, stack.url + "/s/" + SLUG)
    assert h1(b) == TITLE
    assert not any(c["name"] == "us_session" for c in b.get_cookies())
    axe.check(b, "/s/<slug> (desktop)")

    type_into(b, "#f-organisation", ORGANISATION)
    type_into(b, "#f-acronym", ACRONYM)
    Select(b.find_element(By.ID, "f-country")).select_by_visible_text(
        "Kyrgyzstan")
    type_into(b, "#f-contact_name", "Aigerim Sydykova")
    type_into(b, "#f-contact_role", "Director")
    type_into(b, "#f-email", SIGNER_EMAIL)
    press(b, button(b, "Sign"))

    assert path_of(b, stack) == "/s/%s/check-email" % SLUG
    assert h1(b) == "Check your email"
    assert TITLE in b.find_element(By.TAG_NAME, "main").text
    journey["signed"] = True
    axe.check(b, "/s/<slug>/check-email")
    axe.assert_clean()


@pytest.mark.side_check
def test_public_sign_form_at_phone_size(stack, browsers, axe):
    """The form on a phone: nothing wider than the screen, every field
    reachable, and the error summary when it is sent empty."""
    need("open")
    b = browsers.start(PHONE, javascript=False, mobile=True)
    open_page(b, stack.url + "/s/" + SLUG)
    width = b.execute_script("return document.documentElement.clientWidth")
    assert width == PHONE[0], "the viewport meta tag is not honoured"
    assert b.execute_script(
        "return document.documentElement.scrollWidth") <= width, \
        "the page scrolls sideways on a %dpx wide screen" % PHONE[0]
    for field in ("f-organisation", "f-acronym", "f-country", "f-website",
                  "f-contact_name", "f-email", "f-comment"):
        el = b.find_element(By.ID, field)
        box = el.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, \
            (field, box)
    axe.check(b, "/s/<slug> (phone)")

    press(b, button(b, "Sign"))
    summary = visible(b, "section.sign .error-summary")
    assert summary.get_attribute("role") == "alert"
    links = summary.find_elements(By.CSS_SELECTOR, "a")
    targets = {a.get_attribute("href").split("#", 1)[1] for a in links}
    assert {"f-organisation", "f-contact_name", "f-email"} <= targets, \
        targets
    for t in targets:
        assert b.find_elements(By.ID, t), "the summary links to #%s, " \
            "which is not on the page" % t
    org = b.find_element(By.ID, "f-organisation")
    assert org.get_attribute("aria-invalid") == "true"
    described = org.get_attribute("aria-describedby")
    assert described and b.find_element(By.ID, described).text
    assert b.execute_script(
        "return document.documentElement.scrollWidth") <= width
    axe.check(b, "/s/<slug> (phone, errors)")
    axe.assert_clean()


def test_confirm_the_signature_by_email(stack, signer_browser, axe):
    need("signed")
    b = signer_browser
    mail = stack.smtp.wait_for(SIGNER_EMAIL)[0]
    assert mail["msg"]["Subject"].startswith("Confirm your signature")
    token = verify_token_from(stack, mail)

    open_page(b, stack.url + "/verify/" + token)
    assert h1(b) == "Confirm your signature"
    assert ORGANISATION in b.find_element(By.TAG_NAME, "main").text
    axe.check(b, "/verify/<token>")

    press(b, button(b, "Confirm signature"))
    assert h1(b) == "Signature confirmed"
    main = b.find_element(By.TAG_NAME, "main").text
    assert ORGANISATION in main
    assert "The coordinators review each signature before it appears " \
        "in the list." in main
    axe.check(b, "/verify/<token> (confirmed)")

    # Approval is required: not listed yet.
    open_page(b, stack.url + "/s/" + SLUG)
    assert not any(ORGANISATION in li for li in public_list(b))
    journey["confirmed"] = True
    axe.assert_clean()


def test_approve_from_the_moderation_queue(stack, browser, signer_browser,
                                           axe):
    need("confirmed")
    open_page(browser, stack.url + "/w/s/" + SLUG)
    assert "Awaiting approval: 1" in browser.find_element(
        By.TAG_NAME, "main").text
    press(browser, browser.find_element(
        By.XPATH, "//main//a[normalize-space()='Moderation queue']"))
    assert path_of(browser, stack) == "/w/s/%s/signatures?show=queue" % SLUG
    row = browser.find_element(
        By.XPATH, "//table[contains(@class,'signatures')]//tr[td[2]/bdi"
        "[normalize-space()=%s]]" % xq(ORGANISATION))
    assert SIGNER_EMAIL in row.text
    assert "awaiting approval" in row.text
    axe.check(browser, "/w/s/<slug>/signatures?show=queue")

    box = row.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    box.click()
    assert box.is_selected()
    press(browser, button(browser, "Approve"))
    assert path_of(browser, stack) == ("/w/s/%s/signatures?show=queue"
                                       "&done=approve&n=1" % SLUG)
    assert browser.find_element(By.CSS_SELECTOR, "main .notice").text == \
        "1 signature approved."
    assert not browser.find_elements(
        By.XPATH, "//table[contains(@class,'signatures')]//bdi"
        "[normalize-space()=%s]" % xq(ORGANISATION))
    assert "None." in browser.find_element(By.TAG_NAME, "main").text
    axe.check(browser, "/w/s/<slug>/signatures?show=queue (empty)")

    open_page(browser, stack.url + "/w/s/%s/signatures" % SLUG)
    row = browser.find_element(
        By.XPATH, "//table[contains(@class,'signatures')]//tr[td[2]/bdi"
        "[normalize-space()=%s]]" % xq(ORGANISATION))
    assert "approved" in row.text
    axe.check(browser, "/w/s/<slug>/signatures")

    open_page(signer_browser, stack.url + "/s/" + SLUG)
    assert "%s (%s, Kyrgyzstan)" % (ORGANISATION, ACRONYM) in \
        public_list(signer_browser)
    journey["approved"] = True
    axe.assert_clean()


def test_import_a_pasted_list(stack, browser, axe):
    need("open")
    open_page(browser, stack.url + "/w/s/" + SLUG)
    press(browser, browser.find_element(
        By.XPATH, "//main//a[normalize-space()='Import a list']"))
    assert path_of(browser, stack) == "/w/s/%s/import" % SLUG
    assert h1(browser) == "Import signatories"
    axe.check(browser, "/w/s/<slug>/import")

    type_into(browser, "#f-text", "\n".join(IMPORT_LINES))
    press(browser, button(browser, "Show what will be imported"))
    assert visible(browser, "#sum-lines").text == "3"
    assert visible(browser, "#sum-import").text == "2"
    assert visible(browser, "#sum-unread").text == "1"
    names = [browser.find_element(By.ID, "name-%d" % n).get_attribute(
        "value") for n in (1, 2)]
    assert names == IMPORTED, names
    assert [browser.find_element(By.ID, "acronym-%d" % n).get_attribute(
        "value") for n in (1, 2)] == ["BDF", "KIBHR"]
    assert browser.find_element(By.ID, "countries-1").get_attribute(
        "value") == "Kyrgyzstan"
    bad = browser.find_element(By.ID, "line-3")
    assert IMPORT_LINES[2] in bad.text
    assert "Could not be read" in bad.text, "a rejected line needs its reason"
    assert not browser.find_element(By.ID, "keep-3").is_selected()
    # Nothing is imported by a preview.
    assert not any(name in " ".join(public_list_via_http(stack))
                   for name in IMPORTED)
    axe.check(browser, "/w/s/<slug>/import (preview)")

    press(browser, button(browser, "Import these lines"))
    assert visible(browser, "#imported").text == "2"
    assert not browser.find_elements(
        By.XPATH, "//main//button[normalize-space()='Import these lines']")
    axe.check(browser, "/w/s/<slug>/import (imported)")

    open_page(browser, stack.url + "/w/s/%s/signatures" % SLUG)
    for name in IMPORTED:
        assert browser.find_elements(
            By.XPATH, "//table[contains(@class,'signatures')]//bdi"
            "[normalize-space()=%s]" % xq(name)), name
    journey["imported"] = True
    axe.assert_clean()


@pytest.mark.side_check
def test_import_preview_keeps_the_pasted_text(stack, browser):
    """After a preview the paste box still holds what was pasted, so a
    coordinator can fix a line at its source and look again."""
    need("open")
    open_page(browser, stack.url + "/w/s/%s/import" % SLUG)
    type_into(browser, "#f-text", IMPORT_LINES[0])
    press(browser, button(browser, "Show what will be imported"))
    box = visible(browser, "#f-text")
    assert box.get_attribute("value").strip() == IMPORT_LINES[0]


def public_list_via_http(stack):
    r = requests.get(stack.url + "/api/v1/statements/%s/signatures" % SLUG)
    assert r.status_code == 200, r.text
    return [s["organisation"] for s in r.json()]


@pytest.mark.side_check
def test_export_csv_with_the_session_cookie(stack, browser):
    need("imported")
    need("approved")
    url = stack.url + "/w/s/%s/export.csv" % SLUG
    # The export carries contact data: nothing without a session.
    r = requests.get(url, allow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/w/login"

    s = requests.Session()
    for c in browser.get_cookies():
        s.cookies.set(c["name"], c["value"], path=c.get("path", "/"))
    assert "us_session" in s.cookies
    r = s.get(url, allow_redirects=False)
    assert r.status_code == 200, r.text[:500]
    assert "csv" in r.headers["content-type"], r.headers
    assert "attachment" in r.headers.get("content-disposition", "")
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows for c in row]
    for name in IMPORTED + [ORGANISATION]:
        assert name in cells, (name, text[:2000])
    assert SIGNER_EMAIL in cells, text[:2000]


@pytest.mark.side_check
def test_audit_log(stack, browser, axe):
    need("imported")
    open_page(browser, stack.url + "/w/s/" + SLUG)
    press(browser, browser.find_element(
        By.XPATH, "//main//a[normalize-space()='Audit log']"))
    assert path_of(browser, stack) == "/w/s/%s/audit" % SLUG
    assert h1(browser) == "Audit log"
    # Sentences, each with its time in the statement's zone.
    whats = [p.text for p in browser.find_elements(
        By.CSS_SELECTOR, "ol.audit li .sentence")]
    assert len(whats) >= 3, whats
    assert "%s approved %s" % (COORDINATOR, ORGANISATION) in whats, whats
    assert any(w.startswith(COORDINATOR + " imported 2 organisations")
               for w in whats), whats
    assert all(re.search(r"^\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d \(",
                         p.text) for p in browser.find_elements(
        By.CSS_SELECTOR, "ol.audit li .when"))
    axe.check(browser, "/w/s/<slug>/audit")
    axe.assert_clean()


def test_publish(stack, browser, signer_browser, axe):
    need("approved")
    open_page(browser, stack.url + "/w/s/" + SLUG)
    press(browser, browser.find_element(
        By.XPATH, "//main//a[normalize-space()='Publish…']"))
    # A confirm step says what will happen before anything does.
    assert path_of(browser, stack) == "/w/s/%s/publish" % SLUG
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "What will happen" in main and "organisations" in main
    axe.check(browser, "/w/s/<slug>/publish")
    press(browser, button(browser, "Publish"))
    assert path_of(browser, stack) == "/w/s/" + SLUG
    assert browser.find_element(By.CSS_SELECTOR,
                                "main > p strong").text == "published"
    assert "Published on" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(
        By.XPATH, "//main//button[normalize-space()='Publish']")
    axe.check(browser, "/w/s/<slug> (published)")

    b = signer_browser
    open_page(b, stack.url + "/s/" + SLUG)
    notice = b.find_element(By.CSS_SELECTOR, "article.statement .notice")
    assert notice.text == "This statement is published. Signing is closed."
    assert not b.find_elements(By.CSS_SELECTOR, "section.sign form")
    listed = public_list(b)
    assert "%s (%s, Kyrgyzstan)" % (ORGANISATION, ACRONYM) in listed
    for name in IMPORTED:
        assert any(li.startswith(name) for li in listed), (name, listed)
    axe.check(b, "/s/<slug> (published)")

    mails = stack.smtp.wait_for(SIGNER_EMAIL, count=2)
    published = [m for m in mails
                 if m["msg"]["Subject"].startswith("Published:")]
    assert len(published) == 1, [m["msg"]["Subject"] for m in mails]
    assert published[0]["msg"]["Subject"] == "Published: " + TITLE
    assert stack.url + "/s/" + SLUG in text_part(published[0]["msg"])
    journey["published"] = True
    axe.assert_clean()


def test_russian_interface(stack, browser, axe):
    need("created")
    open_page(browser, stack.url + "/w")
    ru = browser.find_element(By.CSS_SELECTOR, "nav.langs a[hreflang=ru]")
    assert ru.get_attribute("aria-current") is None
    press(browser, ru)
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "ru"
    assert browser.find_element(
        By.CSS_SELECTOR, "nav.langs a[hreflang=ru]").get_attribute(
        "aria-current") == "true"
    axe.check(browser, "/w?lang=ru")

    # The choice is remembered: the public page opens in Russian too.
    open_page(browser, stack.url + "/s/" + SLUG)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang") == "ru"
    # The statement keeps the language it is written in.
    assert browser.find_element(
        By.CSS_SELECTOR, "article.statement").get_attribute("lang") == "en"
    axe.check(browser, "/s/<slug> (ru)")
    journey["russian"] = True
    axe.assert_clean()


@pytest.mark.side_check
def test_russian_interface_text_is_russian(stack, browser):
    """With <html lang="ru"> the interface text must be Russian: English
    text under lang="ru" is read with Russian pronunciation by screen
    readers (WCAG 3.1.1), and is no Russian interface at all."""
    need("russian")
    open_page(browser, stack.url + "/s/" + SLUG)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang") == "ru"
    english = []
    for css in ("a.skip", "#signed-h", "footer.site p", "nav.langs"):
        for el in browser.find_elements(By.CSS_SELECTOR, css):
            text = el.get_attribute("textContent").strip()
            if css == "nav.langs":
                text = el.get_attribute("aria-label") or ""
            if text and not CYRILLIC.search(text):
                english.append("%s: %r" % (css, text))
    # Words from the program, not from the coordinators: statuses, kinds,
    # states of a signature.
    for path, css in (
            ("/w", "main h1"), ("/w", "main a.button"),
            ("/w", "main table caption"),
            ("/w", "main table tbody tr td:nth-child(2)"),
            ("/w/s/" + SLUG, "main > p"),
            ("/w/s/%s/signatures" % SLUG,
             "table.signatures tbody tr td:nth-child(5)")):
        open_page(browser, stack.url + path)
        for el in browser.find_elements(By.CSS_SELECTOR, css):
            text = el.text.strip()
            words = re.findall(r"[A-Za-z_]+", text)
            if text and not CYRILLIC.search(text) or any(
                    w in PROGRAM_WORDS for w in words):
                english.append("%s %s: %r" % (path, css, text))
    assert not english, "untranslated interface text under " \
        "<html lang=\"ru\">:\n  " + "\n  ".join(english)


@pytest.mark.side_check
def test_switch_back_to_english(stack, browser, axe):
    need("russian")
    open_page(browser, stack.url + "/s/" + SLUG)
    press(browser, browser.find_element(By.CSS_SELECTOR,
                                        "nav.langs a[hreflang=en]"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang") == "en"
    assert browser.find_element(By.ID, "signed-h").text == "Signed by"
    axe.check(browser, "/s/<slug>?lang=en")
    axe.assert_clean()
