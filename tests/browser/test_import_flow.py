"""Importing a real sign-on list with corrections, in headless Chromium at
desktop width with scripts on and at a phone's width (390 px) with
scripts off: the preview keeps the pasted text, counts duplicates and
guesses honestly, and takes the coordinator's corrections, dropped lines
and choice of moderation; every page passes axe (WCAG 2.1 A and AA)."""
import re
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import DESKTOP, PHONE, integration, scripts, text_part
from test_workspace_flow import button, h1, open_page, press, type_into, \
    visible

LOGIN_RE = re.compile(r"/w/login/([A-Za-z0-9_-]{43})")

LIST = [
    "Signed by:",
    "1. Helsinki Foundation for Human Rights (HFHR), Poland",
    "2. Human Rights House Foundation (HRHF), Norway",
    "3. Moscow Helsinki Group (Moscow Helsinki)",
    "4. Drop Me Foundation (Germany)",
    "5. Институт «Медиа Полиси» (ИМП, Atlantis)",
    "6. Amnesty International (International)",
]


@pytest.fixture(scope="module")
def importer(stack):
    """A coordinator: an API token and a session cookie."""
    address = "importer-%s@coalition.example.org" % uuid.uuid4().hex[:8]
    token = stack.cli("coordinator", "add", address).stdout.split()[-1]
    s = requests.Session()
    assert s.post(stack.url + "/w/login",
                  data={"email": address}).status_code == 200
    mail = stack.smtp.wait_for(address)[0]
    link = LOGIN_RE.search(text_part(mail["msg"])).group(1)
    r = s.post(stack.url + "/w/login/" + link, data={"go": "1"},
               allow_redirects=False)
    assert r.status_code == 303
    return {"token": token, "cookie": s.cookies["us_session"]}


def new_statement(stack, importer):
    slug = "import-%s" % uuid.uuid4().hex[:10]
    auth = {"Authorization": "Bearer " + importer["token"]}
    r = requests.post(stack.url + "/api/v1/statements", headers=auth, json={
        "slug": slug, "kind": "joint_statement", "lang": "en",
        "title": "Import in the browser", "body_markdown": "We call for it.",
        "place": "Bishkek", "date": "2026-12-10"})
    assert r.status_code == 201, r.text
    assert requests.post(stack.url + "/api/v1/statements/%s/status" % slug,
                         json={"status": "open"},
                         headers=auth).status_code == 200
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures/import"
                      % slug, headers=auth,
                      data="Human Rights House Foundation (HRHF), Norway")
    assert r.json()["imported"] == 1
    return slug


def signed_in(browsers, stack, importer, size, **kw):
    driver = browsers.start(size, **kw)
    open_page(driver, stack.url + "/w/login")
    driver.add_cookie({"name": "us_session", "value": importer["cookie"],
                       "path": "/"})
    return driver


def rows(db, slug):
    return integration.query(
        db, "SELECT organisation, acronym, country, country2,"
        " approved_at IS NOT NULL FROM signatures s JOIN statements t ON"
        " t.id = s.statement_id WHERE t.slug = %s ORDER BY s.id", slug)


def public(stack, slug):
    return [s["organisation"] for s in requests.get(
        stack.url + "/api/v1/statements/%s/signatures" % slug).json()]


def fits(driver):
    """Nothing wider than the window: no sideways scrolling."""
    off = getattr(driver, "us_scripts_off", False)
    if off:
        scripts(driver, True)
    try:
        return driver.execute_script(
            "return document.documentElement.scrollWidth <= "
            "window.innerWidth")
    finally:
        if off:
            scripts(driver, False)


def set_field(driver, element_id, value):
    type_into(driver, "#" + element_id, value)


def tick(driver, element_id, on):
    box = driver.find_element(By.ID, element_id)
    if box.is_selected() != on:
        box.click()
    assert box.is_selected() == on


def preview_and_correct(driver, stack, slug, axe, where):
    open_page(driver, stack.url + "/w/s/%s/import" % slug)
    assert h1(driver) == "Import signatories"
    axe.check(driver, "/w/s/<slug>/import (%s)" % where)
    type_into(driver, "#f-text", "\n".join(LIST))
    press(driver, button(driver, "Show what will be imported"))

    # The paste box keeps the text; the counts are honest.
    assert visible(driver, "#f-text").get_attribute("value").replace(
        "\r\n", "\n").strip() == "\n".join(LIST)
    counts = {k: driver.find_element(By.ID, "sum-" + k).text for k in
              ("lines", "import", "check", "duplicates", "left", "unread")}
    assert counts == {"lines": "7", "import": "4", "check": "1",
                      "duplicates": "1", "left": "0", "unread": "2"}, counts
    dup = driver.find_element(By.ID, "line-3")
    assert "Duplicate of Human Rights House Foundation (HRHF)" in dup.text
    assert not driver.find_element(By.ID, "keep-3").is_selected()
    assert "read as the acronym" in driver.find_element(By.ID,
                                                        "line-4").text
    assert driver.find_element(By.ID, "acronym-7").get_attribute(
        "value") == ""
    assert fits(driver), "the preview scrolls sideways at %s" % where
    axe.check(driver, "/w/s/<slug>/import preview (%s)" % where)

    # Fix line 4, drop line 5, rescue line 6 with a country, hold all.
    set_field(driver, "acronym-4", "MHG")
    set_field(driver, "countries-4", "Russia")
    tick(driver, "keep-5", False)
    tick(driver, "keep-6", True)
    set_field(driver, "name-6", "Институт «Медиа Полиси»")
    set_field(driver, "countries-6", "Кыргызстан")
    driver.find_element(By.ID, "m-queue").click()
    press(driver, button(driver, "Show again with my corrections"))
    counts = {k: driver.find_element(By.ID, "sum-" + k).text for k in
              ("import", "check", "left", "unread")}
    assert counts == {"import": "4", "check": "0", "left": "1",
                      "unread": "1"}, counts
    assert "Corrected by you." in driver.find_element(By.ID, "line-4").text
    assert driver.find_element(By.ID, "m-queue").is_selected()
    axe.check(driver, "/w/s/<slug>/import corrected (%s)" % where)

    press(driver, button(driver, "Import these lines"))
    assert visible(driver, "#imported").text == "4"
    assert "moderation queue" in driver.find_element(
        By.CSS_SELECTOR, "main .notice").text
    assert visible(driver, "#f-text").get_attribute("value").strip() == ""
    assert fits(driver), "the result scrolls sideways at %s" % where
    axe.check(driver, "/w/s/<slug>/import done (%s)" % where)


def expect_stored(db, stack, slug):
    assert rows(db, slug) == [
        ("Human Rights House Foundation", "HRHF", "NO", None, True),
        ("Helsinki Foundation for Human Rights", "HFHR", "PL", None, False),
        ("Moscow Helsinki Group", "MHG", "RU", None, False),
        ("Институт «Медиа Полиси»", None, "KG", None, False),
        ("Amnesty International", None, None, None, False)]
    assert public(stack, slug) == ["Human Rights House Foundation"]


def test_import_with_corrections_on_a_desktop(stack, db, browsers, importer,
                                              axe):
    slug = new_statement(stack, importer)
    driver = signed_in(browsers, stack, importer, DESKTOP)
    preview_and_correct(driver, stack, slug, axe, "desktop")
    expect_stored(db, stack, slug)
    axe.assert_clean()


def test_import_with_corrections_on_a_phone_without_scripts(
        stack, db, browsers, importer, axe):
    slug = new_statement(stack, importer)
    driver = signed_in(browsers, stack, importer, PHONE, javascript=False,
                       mobile=True)
    preview_and_correct(driver, stack, slug, axe, "phone")
    expect_stored(db, stack, slug)
    axe.assert_clean()
