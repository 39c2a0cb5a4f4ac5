"""Moderating a list of 1,000 signatures in headless Chromium (issue 10),
on a 1366 px laptop in English and on a 390 px phone in Russian: the
view fits the screen (a table on the laptop, one card a signature on
the phone), searches by name, acronym, country and domain without
scripts, names likely duplicates with the pair and the reason (and
leaves HRHF and HFHR alone), decides on every signature a filter covers
after a confirm step that states the count, and records each decision
in the audit log, which reads as sentences.  The rows are written
straight into PostgreSQL; every page passes axe (WCAG 2.1 A and AA)."""
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import (LAPTOP, PHONE, coordinator, integration,
                      no_sideways_scroll, seed_signatures, signed_in_browser)
from test_workspace_flow import button, h1, open_page, press, type_into

ROWS = 1000
SPECIAL = [
    ("Human Rights House Foundation", "HRHF", "NO",
     "https://humanrightshouse.org"),
    ("Helsinki Foundation for Human Rights", "HFHR", "PL",
     "https://www.hfhr.pl"),
    ("HRH Foundation Oslo", None, "NO",
     "https://www.humanrightshouse.org/oslo"),
]
SPAM = 3


@pytest.fixture(scope="module")
def moderator(stack):
    return coordinator(stack, "moderator")


def big_statement(stack, db, who):
    """An open statement that asks for approval, with 1,000 signatures
    waiting: the three above, three spam rows, the rest "Seed NGO …"."""
    slug = "moderate-%s" % uuid.uuid4().hex[:10]
    auth = {"Authorization": "Bearer " + who["token"]}
    r = requests.post(stack.url + "/api/v1/statements", headers=auth, json={
        "slug": slug, "kind": "joint_statement", "lang": "en",
        "title": "Moderation of a thousand", "body_markdown": "We call.",
        "place": "Bishkek", "date": "2026-12-10", "require_approval": True,
        "timezone": "Asia/Bishkek"})
    assert r.status_code == 201, r.text
    assert requests.post(stack.url + "/api/v1/statements/%s/status" % slug,
                         json={"status": "open"},
                         headers=auth).status_code == 200
    integration.query(db, """
        INSERT INTO signatures (statement_id, organisation, acronym,
            country, website, contact_name, email, text_digest, lang,
            source, status, confirmed_at)
        SELECT st.id, v.org, v.acr, v.country, v.web, 'Contact',
            'office' || v.n || '@ngo-' || v.n || '.example.org',
            st.text_digest, st.lang, 'import', 'confirmed', now()
        FROM statements st, (VALUES %s) AS v(n, org, acr, country, web)
        WHERE st.slug = %%s""" % ", ".join(
        ["(%d, %%s, %%s, %%s, %%s)" % i for i in range(len(SPECIAL))]),
        *[x for row in SPECIAL for x in row], slug)
    seed_signatures(db, slug, SPAM, prefix="Spam")
    seed_signatures(db, slug, ROWS - SPAM - len(SPECIAL), prefix="Seed")
    return slug


def states(db, slug):
    return dict(integration.query(
        db, "SELECT CASE WHEN s.status = 'rejected' THEN 'rejected'"
        " WHEN s.approved_at IS NOT NULL THEN 'approved' ELSE 'waiting'"
        " END, count(*) FROM signatures s JOIN statements t ON"
        " t.id = s.statement_id WHERE t.slug = %s GROUP BY 1", slug))


def audited(db, slug, action):
    return integration.query(
        db, "SELECT count(*) FROM audit_log a JOIN statements t ON"
        " t.id = a.statement_id WHERE t.slug = %s AND a.action = %s",
        slug, action)[0][0]


def fits(driver):
    width, client = no_sideways_scroll(driver)
    assert width <= client, "the page scrolls sideways: %d > %d" % (
        width, client)


def search(driver, text):
    type_into(driver, "#f-q", text)
    press(driver, driver.find_element(
        By.CSS_SELECTOR, "form.search button[type=submit]"))


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR,
                                "table.signatures tbody tr")


def row_named(driver, name):
    for tr in rows(driver):
        if tr.find_element(By.CSS_SELECTOR, ".c-org bdi").text == name:
            return tr
    raise AssertionError("no row for %r" % name)


def shown_in_full(driver, element):
    """Wrapped, not cut: nothing of the element is clipped."""
    return driver.execute_script(
        "var e = arguments[0]; return e.scrollWidth <= e.clientWidth + 1 &&"
        " getComputedStyle(e).textOverflow !== 'ellipsis';", element)


def test_moderate_a_thousand_on_a_laptop_in_english(stack, db, browsers,
                                                   moderator, axe):
    slug = big_statement(stack, db, moderator)
    d = signed_in_browser(browsers, stack, moderator, LAPTOP)
    open_page(d, stack.url + "/w/s/%s/signatures?show=queue&lang=en" % slug)
    assert h1(d) == "Signatures: Moderation of a thousand"
    assert len(rows(d)) == 100
    main = d.find_element(By.TAG_NAME, "main").text
    assert "Signatures 1 to 100 of 1000" in main
    assert "Select all 1000 signatures that match, on every page" in main
    # A table on a laptop, and the page does not scroll sideways.
    assert d.execute_script("return getComputedStyle(document.querySelector("
                            "'table.signatures tbody tr')).display") == \
        "table-row"
    fits(d)
    axe.check(d, "/w/s/<slug>/signatures?show=queue (1,000, laptop)")

    # Search by a domain: the duplicate names the pair and why.
    search(d, "humanrightshouse.org")
    assert len(rows(d)) == 2
    flag = row_named(d, "HRH Foundation Oslo").find_element(
        By.CSS_SELECTOR, ".dupe")
    assert flag.text == ("Possible duplicate of Human Rights House "
                         "Foundation (HRHF), Norway \u2014 same website "
                         "domain")
    assert shown_in_full(d, flag)
    fits(d)
    axe.check(d, "/w/s/<slug>/signatures?q=<domain>")
    # HRHF and HFHR look alike and are two organisations.
    search(d, "HFHR")
    assert [tr.find_element(By.CSS_SELECTOR, ".c-org bdi").text
            for tr in rows(d)] == ["Helsinki Foundation for Human Rights"]
    assert not d.find_elements(By.CSS_SELECTOR, "table.signatures .dupe")

    # All that match a search, within a page: done at once, with a reason.
    search(d, "Spam NGO")
    assert len(rows(d)) == SPAM
    d.find_element(By.ID, "f-scope").click()
    type_into(d, "#f-reason", "not an NGO")
    press(d, button(d, "Reject"))
    assert "%d signatures rejected." % SPAM in d.find_element(
        By.CSS_SELECTOR, "main .notice").text
    assert states(db, slug)["rejected"] == SPAM
    assert audited(db, slug, "reject") == SPAM

    # All that wait, across ten pages: asked first, with the count.
    open_page(d, stack.url + "/w/s/%s/signatures?show=queue" % slug)
    waiting = ROWS - SPAM
    d.find_element(By.ID, "f-scope").click()
    press(d, button(d, "Approve"))
    assert h1(d) == "Approve %d signatures?" % waiting
    assert states(db, slug).get("approved") is None
    fits(d)
    axe.check(d, "/w/s/<slug>/signatures (confirm the decision)")
    press(d, button(d, "Yes, decide on all of them"))
    assert "%d signatures approved." % waiting in d.find_element(
        By.CSS_SELECTOR, "main .notice").text
    assert states(db, slug) == {"approved": waiting, "rejected": SPAM}
    assert audited(db, slug, "approve") == waiting
    assert "None." in d.find_element(By.TAG_NAME, "main").text
    axe.check(d, "/w/s/<slug>/signatures?show=queue (empty)")

    open_page(d, stack.url + "/w/s/%s/audit" % slug)
    entries = d.find_elements(By.CSS_SELECTOR, "ol.audit li .sentence")
    assert len(entries) == 50
    assert entries[0].text.startswith(moderator["email"] + " approved ")
    assert "(Asia/Bishkek)" in d.find_element(
        By.CSS_SELECTOR, "ol.audit li .when").text
    fits(d)
    axe.check(d, "/w/s/<slug>/audit (laptop)")
    axe.assert_clean()


def test_moderate_a_thousand_on_a_phone_in_russian(stack, db, browsers,
                                                  moderator, axe):
    slug = big_statement(stack, db, moderator)
    d = signed_in_browser(browsers, stack, moderator, PHONE, lang="ru")
    open_page(d, stack.url + "/w/s/%s/signatures?show=queue&lang=ru" % slug)
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert h1(d) == "Подписи: Moderation of a thousand"
    # One card a signature on a phone.
    assert d.execute_script("return getComputedStyle(document.querySelector("
                            "'table.signatures tbody tr')).display") == \
        "block"
    # Each cell spans its card: a table column's width would leave the
    # text one word a line (as it did at first).
    assert d.execute_script(
        "var tr = document.querySelector('table.signatures tbody tr');"
        " var w = tr.getBoundingClientRect().width;"
        " return Array.prototype.every.call(tr.querySelectorAll('td'),"
        " function (td) { return td.getBoundingClientRect().width >="
        " 0.8 * w; });")
    assert len(rows(d)) == 100
    fits(d)
    axe.check(d, "/w/s/<slug>/signatures (1,000, phone, ru)")
    # The rest of the workspace fits a phone too: the list of statements
    # (long Russian column heads) and the editor (checkboxes beside their
    # labels, not stretched across the line).
    for path in ("/w", "/w/s/%s" % slug, "/w/s/%s/edit" % slug,
                 "/w/s/%s/audit" % slug):
        open_page(d, stack.url + path)
        fits(d)
    open_page(d, stack.url + "/w/s/%s/signatures?show=queue&lang=ru" % slug)

    # A country by its Russian name.
    search(d, "Норвегия")
    assert sorted(tr.find_element(By.CSS_SELECTOR, ".c-org bdi").text
                  for tr in rows(d)) == ["HRH Foundation Oslo",
                                         "Human Rights House Foundation"]
    flag = row_named(d, "HRH Foundation Oslo").find_element(
        By.CSS_SELECTOR, ".dupe")
    assert flag.text == ("Возможный дубликат: Human Rights House "
                         "Foundation (HRHF), Норвегия \u2014 тот же домен "
                         "сайта")
    assert shown_in_full(d, flag)
    fits(d)
    axe.check(d, "/w/s/<slug>/signatures?q=Норвегия (phone, ru)")

    # Every "Seed" row, across the pages, after the confirm step.
    search(d, "Seed")
    seeds = ROWS - SPAM - len(SPECIAL)
    assert "Подписи с 1 по 100 из %d" % seeds in d.find_element(
        By.TAG_NAME, "main").text
    d.find_element(By.ID, "f-scope").click()
    press(d, button(d, "Одобрить"))
    assert h1(d) == "Одобрить %d подписи?" % seeds
    fits(d)
    axe.check(d, "/w/s/<slug>/signatures (подтверждение)")
    press(d, button(d, "Да, применить ко всем"))
    assert "%d подписи одобрены." % seeds in d.find_element(
        By.CSS_SELECTOR, "main .notice").text
    assert states(db, slug) == {"approved": seeds,
                                "waiting": SPAM + len(SPECIAL)}
    fits(d)

    open_page(d, stack.url + "/w/s/%s/audit" % slug)
    first = d.find_element(By.CSS_SELECTOR, "ol.audit li .sentence").text
    assert first.startswith("Координатор %s одобрил подпись «Seed NGO "
                            % moderator["email"]), first
    assert "(Asia/Bishkek)" in d.find_element(
        By.CSS_SELECTOR, "ol.audit li .when").text
    fits(d)
    axe.check(d, "/w/s/<slug>/audit (phone, ru)")
    axe.assert_clean()
