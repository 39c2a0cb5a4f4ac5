"""The statement editor in Chromium, at desktop and phone widths: a new
statement with every field, each field group edited, a language version
added, and publication under embargo through its confirm step.  Every
page is checked with axe-core; serious or critical violations fail."""
import re
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import DESKTOP, PHONE, integration, text_part
from test_import_flow import fits, tick
from test_workspace_flow import button, h1, open_page, path_of, press, \
    set_value, type_into

LOGIN_RE = re.compile(r"/w/login/([A-Za-z0-9_-]{43})")


@pytest.fixture(scope="module")
def editor(stack):
    """A coordinator with a session cookie, signed in once."""
    address = "writer-%s@coalition.example.org" % uuid.uuid4().hex[:8]
    stack.cli("coordinator", "add", address)
    s = requests.Session()
    assert s.post(stack.url + "/w/login",
                  data={"email": address}).status_code == 200
    mail = stack.smtp.wait_for(address)[0]
    link = LOGIN_RE.search(text_part(mail["msg"])).group(1)
    r = s.post(stack.url + "/w/login/" + link, data={"go": "1"},
               allow_redirects=False)
    assert r.status_code == 303
    return s.cookies["us_session"]


def signed_in(browsers, stack, cookie, size):
    driver = browsers.start(size, mobile=size == PHONE)
    open_page(driver, stack.url + "/w/login")
    driver.add_cookie({"name": "us_session", "value": cookie, "path": "/"})
    return driver


def row(db, slug, cols):
    return integration.query(db, "SELECT %s FROM statements WHERE slug = %%s"
                             % cols, slug)[0]


def names(db, table, slug):
    return [r[0] for r in integration.query(
        db, "SELECT x.name FROM %s x JOIN statements s ON s.id ="
        " x.statement_id WHERE s.slug = %%s ORDER BY x.position" % table,
        slug)]


def save(driver):
    press(driver, button(driver, "Save"))


def edit(driver, stack, slug):
    open_page(driver, stack.url + "/w/s/%s/edit" % slug)
    assert h1(driver) == "Edit statement"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_editor_from_first_draft_to_embargoed_publication(
        stack, db, browsers, editor, axe, size):
    d = signed_in(browsers, stack, editor, size)
    run = uuid.uuid4().hex[:6]
    title = "Освободите «Бишкекскую четвёрку» %s" % run

    # Every field of a new statement; the short name comes from the title.
    open_page(d, stack.url + "/w/new")
    assert h1(d) == "New statement"
    axe.check(d, "/w/new")
    type_into(d, "#f-title", title)
    Select(d.find_element(By.ID, "f-kind")).select_by_value("open_letter")
    Select(d.find_element(By.ID, "f-lang")).select_by_value("ru")
    type_into(d, "#f-body_markdown", "Мы, **нижеподписавшиеся**, требуем.")
    type_into(d, "#f-place", "Бишкек")
    set_value(d, "#f-date", "2026-12-10")
    type_into(d, "#f-reference", "UA 7/26")
    set_value(d, "#f-expires_on", "2027-01-15")
    Select(d.find_element(By.ID, "f-timezone")).select_by_value(
        "Asia/Bishkek")
    set_value(d, "#f-signing_deadline", "2030-12-20T18:00")
    d.find_element(By.XPATH, "//label[normalize-space()='Coordinators "
                   "approve each signature before it is listed']").click()
    assert d.find_element(By.ID, "f-require_approval").is_selected()
    type_into(d, "#f-a1_name", "Министр юстиции")
    type_into(d, "#f-a1_email", "minister@example.org")
    type_into(d, "#f-coordinator_organisation", "Coalition")
    type_into(d, "#f-headline", "Groups demand release")
    type_into(d, "#f-lede", "Today 40 groups said.")
    type_into(d, "#f-notes_to_editors", "1. Background.")
    type_into(d, "#f-about", "A coalition.")
    set_value(d, "#f-embargo_until", "2030-12-09T00:01")
    type_into(d, "#f-m1_name", "Aida")
    type_into(d, "#f-m1_email", "aida@example.org")
    assert fits(d)
    save(d)
    slug = path_of(d, stack).rsplit("/", 1)[1]
    assert slug.startswith("osvobodite-bishkekskuyu-chetvyorku-")
    assert h1(d) == title
    axe.check(d, "/w/s/<slug> (new, every field)")
    assert row(db, slug, "kind, lang, place, date::text, reference,"
               " expires_on::text, timezone, require_approval,"
               " to_char(embargo_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"
               " HH24:MI'), to_char(signing_deadline AT TIME ZONE 'UTC',"
               " 'YYYY-MM-DD HH24:MI'), headline") == (
        "open_letter", "ru", "Бишкек", "2026-12-10", "UA 7/26", "2027-01-15",
        "Asia/Bishkek", True, "2030-12-08 18:01", "2030-12-20 12:00",
        "Groups demand release")

    # A draft's public page is a coordinators' preview, not Not found.
    press(d, d.find_element(By.XPATH, "//main//a[normalize-space()="
                            "'Preview of the public page']"))
    assert path_of(d, stack) == "/w/s/%s/preview" % slug
    assert h1(d) == title
    axe.check(d, "/w/s/<slug>/preview")

    # The text.
    edit(d, stack, slug)
    axe.check(d, "/w/s/<slug>/edit")
    type_into(d, "#f-title", title + " (2)")
    press(d, button(d, "Preview"))
    assert d.find_element(By.CSS_SELECTOR,
                          "section.preview .body strong").text == \
        "нижеподписавшиеся"
    axe.check(d, "/w/s/<slug>/edit (preview)")
    save(d)
    assert row(db, slug, "title") == (title + " (2)",)

    # Place and dates: the times come back in the statement's zone.
    edit(d, stack, slug)
    assert d.find_element(By.ID, "f-signing_deadline").get_attribute(
        "value") == "2030-12-20T18:00"
    type_into(d, "#f-place", "Ош")
    set_value(d, "#f-date", "2026-12-11")
    save(d)
    assert row(db, slug, "place, date::text") == ("Ош", "2026-12-11")

    # Addressees: one more row without JavaScript, one removed.
    edit(d, stack, slug)
    press(d, button(d, "Add another addressee"))
    assert d.find_elements(By.ID, "f-a3_name")
    type_into(d, "#f-a2_name", "Генеральный прокурор")
    type_into(d, "#f-a3_name", "Омбудсмен")
    save(d)
    assert names(db, "addressees", slug) == [
        "Министр юстиции", "Генеральный прокурор", "Омбудсмен"]
    edit(d, stack, slug)
    d.find_element(By.XPATH, "//label[@for='f-a1_remove']").click()
    save(d)
    assert names(db, "addressees", slug) == ["Генеральный прокурор",
                                             "Омбудсмен"]

    # Press fields and media contacts.
    edit(d, stack, slug)
    type_into(d, "#f-headline", "Forty groups demand release")
    press(d, button(d, "Add another media contact"))
    type_into(d, "#f-m2_name", "Nino")
    save(d)
    assert row(db, slug, "headline") == ("Forty groups demand release",)
    assert names(db, "media_contacts", slug) == ["Aida", "Nino"]

    # An error is a link to its field.
    edit(d, stack, slug)
    type_into(d, "#f-title", "")
    save(d)
    link = d.find_element(By.CSS_SELECTOR, ".error-summary a")
    assert link.get_attribute("href").endswith("#f-title")
    axe.check(d, "/w/s/<slug>/edit (errors)")

    # A language version, with its own press fields.
    open_page(d, stack.url + "/w/s/" + slug)
    Select(d.find_element(By.ID, "f-version")).select_by_value("en")
    press(d, d.find_element(By.CSS_SELECTOR,
                            "main form[action$='/edit'] button"))
    assert h1(d) == "Edit statement (en)"
    axe.check(d, "/w/s/<slug>/edit?version=en")
    type_into(d, "#f-title", "Free the Bishkek Four " + run)
    type_into(d, "#f-body_markdown", "We, the undersigned, demand.")
    type_into(d, "#f-headline", "Groups demand release")
    save(d)
    assert integration.query(
        db, "SELECT tr.title, tr.headline FROM statement_translations tr"
        " JOIN statements s ON s.id = tr.statement_id WHERE s.slug = %s",
        slug) == [("Free the Bishkek Four " + run, "Groups demand release")]

    # Publication under embargo: the confirm page, then scheduled.
    open_page(d, stack.url + "/w/s/" + slug)
    press(d, button(d, "Open for signatures"))
    press(d, d.find_element(By.XPATH, "//main//a[normalize-space()="
                            "'Publish…']"))
    main = d.find_element(By.TAG_NAME, "main").text
    assert "00:01 (Asia/Bishkek), Monday 9 December 2030" in main
    assert "0 organisations" in main
    assert fits(d)
    axe.check(d, "/w/s/<slug>/publish")
    press(d, button(d, "Publish"))
    assert path_of(d, stack) == "/w/s/" + slug
    assert row(db, slug, "status, publish_at = embargo_until") == (
        "open", True)
    axe.assert_clean()
