"""A reader of a statement with 1,203 signatories, at desktop width and at
a phone's 390 px with JavaScript off: the list shows its first 500 names
with page links, the next page continues the numbering, the search box
finds «Мемориал» and says how many matched, and the way back to the whole
list works; axe finds nothing serious or critical on these pages."""
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import DESKTOP, PHONE, integration
from test_workspace_flow import button, open_page, press, type_into, \
    visible


@pytest.fixture(scope="module")
def statement(stack, db):
    token = stack.cli("coordinator", "add", "lists-%s@coalition.example.org"
                      % uuid.uuid4().hex[:8]).stdout.split()[-1]
    auth = {"Authorization": "Bearer " + token}
    slug = "long-list-%s" % uuid.uuid4().hex[:8]
    r = requests.post(stack.url + "/api/v1/statements", headers=auth, json={
        "slug": slug, "kind": "joint_statement", "lang": "en",
        "title": "A statement with a long list", "body_markdown": "Text.",
        "place": "Bishkek", "date": "2026-12-10"})
    assert r.status_code == 201, r.text
    assert requests.post(stack.url + "/api/v1/statements/%s/status" % slug,
                         json={"status": "open"},
                         headers=auth).status_code == 200
    integration.query(db, """
        INSERT INTO signatures (statement_id, organisation, acronym, country,
            email, contact_name, status, confirmed_at, text_digest, lang)
        SELECT st.id, CASE WHEN g IN (640, 980)
                THEN 'Правозащитный центр «Мемориал» ' || g
                ELSE 'Organisation ' || g END,
            'O' || g, (ARRAY['KG','KZ','DE'])[1 + g %% 3],
            'o' || g || '@list.example.org', 'C', 'confirmed',
            timestamptz '2026-01-01' + g * interval '1 second',
            st.text_digest, st.lang
        FROM statements st, generate_series(1, 1203) g WHERE st.slug = %s
        """, slug)
    return slug


def names(driver):
    return driver.find_elements(By.CSS_SELECTOR, "section.signatories ol li")


@pytest.mark.parametrize("where", ["desktop", "phone"])
def test_long_list_pages_and_search(stack, browsers, statement, axe, where):
    size = DESKTOP if where == "desktop" else PHONE
    b = browsers.start(size, javascript=False, mobile=where == "phone")
    open_page(b, stack.url + "/s/" + statement)
    assert len(names(b)) == 500
    assert names(b)[0].text.startswith("Organisation 1 ")
    assert "Shown: 1–500 of 1203." in b.find_element(
        By.CSS_SELECTOR, "section.signatories").text
    assert b.execute_script("return document.documentElement.scrollWidth "
                            "<= window.innerWidth")
    nav = b.find_element(By.CSS_SELECTOR, "nav.list-pages")
    assert nav.find_element(By.CSS_SELECTOR, "[aria-current=page]").text \
        == "1"
    axe.check(b, "/s/<slug> long list (%s)" % where)

    press(b, nav.find_element(By.CSS_SELECTOR, "a[rel=next]"))
    assert "page=2" in b.current_url
    first = names(b)[0]
    assert first.text.startswith("Organisation 501 ")
    # The numbering goes on from the first page.
    assert b.execute_script("return arguments[0].parentNode.start",
                            first) == 501
    axe.check(b, "/s/<slug>?page=2 (%s)" % where)

    type_into(b, "#list-q", "«Мемориал»")
    press(b, button(b, "Search"))
    found = [li.text for li in names(b)]
    assert found == ["Правозащитный центр «Мемориал» 640 (O640, Kazakhstan)",
                     "Правозащитный центр «Мемориал» 980 (O980, Germany)"]
    assert visible(b, "p.list-result").text == \
        "2 organisations match the search."
    assert b.find_element(By.ID, "list-q").get_attribute("value") == \
        "«Мемориал»"
    assert [b.execute_script("return arguments[0].value", li)
            for li in names(b)] == [640, 980]
    axe.check(b, "/s/<slug>?q=... (%s)" % where)

    press(b, b.find_element(By.LINK_TEXT, "Show the whole list"))
    assert len(names(b)) == 500
