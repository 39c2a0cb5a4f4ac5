"""An urgent action's page at desktop width and at a phone's 390 px, in
English and Russian: the sample letter, each addressee's ways to act
(email, phone, fax, social, printable letter), the link to the action it
updates; then the same action once expired, its notice in place of the
form.  Nothing is wider than the screen and axe finds nothing serious or
critical."""
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import DESKTOP, PHONE
from test_workspace_flow import h1, open_page

LETTER = ("Your Excellency,\n\nI am writing to express my deep concern "
          "about the detention of the human rights defender Azimjan "
          "Askarov.\n\nI urge you to release him immediately.")


@pytest.fixture(scope="module")
def actions(stack):
    """An action, its update, and an expired one, with a coordinator."""
    token = stack.cli("coordinator", "add", "ua-%s@coalition.example.org"
                      % uuid.uuid4().hex[:8]).stdout.split()[-1]
    auth = {"Authorization": "Bearer " + token}
    slugs = {}
    for what, extra in (("first", {}),
                        ("update", {"follows": None}),
                        ("expired", {"expires_on": "2026-01-05"})):
        slug = "ua-%s-%s" % (what, uuid.uuid4().hex[:8])
        body = {"slug": slug, "kind": "urgent_action", "lang": "en",
                "reference": "UA 56.23", "expires_on": "2099-01-15",
                "timezone": "Asia/Bishkek",
                "title": "Kyrgyzstan: release Azimjan Askarov now",
                "body_markdown": "Azimjan Askarov, a human rights defender, "
                "is serving a life sentence.", "place": "Bishkek",
                "date": "2026-12-10", "sample_letter": LETTER,
                "addressees": [
                    {"name": "Sadyr Japarov", "title": "President",
                     "address": "Government House\n720003 Bishkek",
                     "email": "president@example.kg",
                     "phone": "+996 312 62 50 36",
                     "fax": "+996 312 62 50 37",
                     "social": "https://x.com/president_kg",
                     "salutation": "Dear Mr. President,"},
                    {"name": "Курбанбек Искандаров",
                     "title": "Генеральный прокурор",
                     "salutation": "Уважаемый господин Генеральный "
                     "прокурор!"}]}
        body.update(extra)
        if what == "update":
            body["follows"] = slugs["first"]
        r = requests.post(stack.url + "/api/v1/statements", headers=auth,
                          json=body)
        assert r.status_code == 201, r.text
        assert requests.post(stack.url + "/api/v1/statements/%s/status"
                             % slug, json={"status": "open"},
                             headers=auth).status_code == 200
        slugs[what] = slug
    return slugs


def fits(b):
    return b.execute_script("return document.documentElement.scrollWidth "
                            "<= window.innerWidth")


@pytest.mark.parametrize("where", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_urgent_action_page(stack, browsers, actions, axe, where, lang):
    b = browsers.start(DESKTOP if where == "desktop" else PHONE,
                       mobile=where == "phone", lang=lang)
    open_page(b, stack.url + "/s/" + actions["update"])
    assert h1(b) == "Kyrgyzstan: release Azimjan Askarov now"
    act = b.find_element(By.CSS_SELECTOR, "section.addressees")
    links = [a.get_attribute("href") for a in
             act.find_elements(By.CSS_SELECTOR, "a")]
    assert any(h.startswith("mailto:president@example.kg?subject=")
               for h in links)
    assert "tel:+996312625036" in links
    assert "fax:+996312625037" in links
    assert "https://x.com/president_kg" in links
    assert any(h.endswith("/s/%s/download/letter" % actions["update"])
               for h in links)
    letter = b.find_element(By.CSS_SELECTOR, "section.sample-letter")
    assert "I urge you to release him immediately." in letter.text
    back = b.find_element(By.CSS_SELECTOR, "p.update-of a")
    assert back.get_attribute("href").endswith("/s/" + actions["first"])
    assert back.text == "UA 56.23"
    assert fits(b)
    axe.check(b, "/s/<update> %s (%s)" % (lang, where))

    open_page(b, stack.url + "/s/" + actions["first"])
    updates = b.find_element(By.CSS_SELECTOR, "section.updates")
    assert updates.find_element(By.TAG_NAME, "a").get_attribute(
        "href").endswith("/s/" + actions["update"])
    assert fits(b)
    axe.check(b, "/s/<first> %s (%s)" % (lang, where))

    open_page(b, stack.url + "/s/" + actions["expired"])
    notice = b.find_element(By.CSS_SELECTOR, "section.sign.expired")
    assert ("This action expired on 5 January 2026" if lang == "en" else
            "Срок этой акции истёк 5 января 2026") in notice.text
    assert not b.find_elements(By.CSS_SELECTOR, "form[action$='/sign']")
    assert "I urge you to release him" in b.find_element(
        By.CSS_SELECTOR, "section.sample-letter").text
    assert fits(b)
    axe.check(b, "/s/<expired> %s (%s)" % (lang, where))
    axe.assert_clean()
