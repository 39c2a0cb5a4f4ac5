"""A reader of an urgent action reports what they did through the form on
the public page, in English and in Russian, at desktop width and at a
phone's 390 px: a mistake gets errors next to the fields, the report gets
a mail in the reader's language, the emailed link's button confirms it and
the page counts it.  A coordinator delivers the published appeal to its
addressees through the workspace's confirm step.  axe finds nothing
serious or critical on any of these pages."""
import re
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import DESKTOP, PHONE, text_part
from test_workspace_flow import LOGIN_RE, button, h1, open_page, path_of, \
    press, type_into, visible

ACTION_RE = re.compile(r"/action/([A-Za-z0-9_-]{43})")
RUN = uuid.uuid4().hex[:8]
COORDINATOR = "ua-coordinator-%s@coalition.example.org" % RUN
MINISTER = "minister-%s@gov.example.kg" % RUN

WORDS = {
    "en": {"section": "Tell us what you did", "fax": "Fax",
           "submit": "Report my action", "sent": "Check your email",
           "confirm": "Confirm action", "done": "Action confirmed",
           "subject": "Confirm the action you reported:"},
    "ru": {"section": "Расскажите, что вы сделали", "fax": "Факс",
           "submit": "Сообщить о моём действии", "sent": "Проверьте почту",
           "confirm": "Подтвердить действие", "done": "Действие подтверждено",
           "subject": "Подтвердите действие, о котором вы сообщили:"},
}


@pytest.fixture(scope="module")
def coordinator(stack):
    return stack.cli("coordinator", "add", COORDINATOR).stdout.split()[-1]


def create(stack, token, status, **over):
    auth = {"Authorization": "Bearer " + token}
    body = {"slug": "ua-%s-%s" % (status, uuid.uuid4().hex[:8]),
            "kind": "urgent_action", "lang": "en", "reference": "UA 56.23",
            "title": "Kyrgyzstan: release the Bishkek Four",
            "body_markdown": "Write to the officials below and ask for the "
            "release of the journalists.", "place": "Bishkek",
            "date": "2026-12-10", "expires_on": "2099-12-31",
            "coordinator_organisation": "Amnesty International USA",
            "addressees": [
                {"name": "Sadyr Japarov", "title": "President",
                 "email": MINISTER},
                {"name": "Kurmankul Zulushev", "title": "Prosecutor General"}]}
    body.update(over)
    r = requests.post(stack.url + "/api/v1/statements", json=body,
                      headers=auth)
    assert r.status_code == 201, r.text
    for s in {"open": ["open"],
              "published": ["open", "closed", "published"]}[status]:
        assert requests.post(stack.url + "/api/v1/statements/%s/status"
                             % body["slug"], json={"status": s},
                             headers=auth).status_code == 200
    return body["slug"]


@pytest.fixture(scope="module")
def appeal(stack, coordinator):
    return create(stack, coordinator, "open")


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("where", ["desktop", "phone"])
def test_a_reader_reports_an_action_through_the_form(stack, browsers, appeal,
                                                     axe, where, lang):
    w = WORDS[lang]
    size = DESKTOP if where == "desktop" else PHONE
    b = browsers.start(size, mobile=where == "phone", lang=lang)
    email = "reader-%s-%s-%s@mail.example.org" % (where, lang, RUN)

    open_page(b, stack.url + "/s/" + appeal)
    assert b.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    section = visible(b, "section.report")
    assert w["section"] in section.text
    assert b.execute_script("return document.documentElement.scrollWidth "
                            "<= window.innerWidth")
    axe.check(b, "/s/<slug> report form %s (%s)" % (lang, where))

    # A mistake first: the error is next to the field, in the language.
    b.find_element(By.CSS_SELECTOR, "label[for=a-channel-fax]").click()
    type_into(b, "#a-email", "broken@")
    press(b, button(b, w["submit"]))
    assert visible(b, "section.report .error-summary")
    assert b.find_element(By.ID, "a-email").get_attribute(
        "aria-invalid") == "true"
    assert b.find_element(By.ID, "a-channel-fax").is_selected()
    axe.check(b, "/s/<slug> report form with errors %s (%s)" % (lang, where))

    Select(b.find_element(By.ID, "a-addressee")).select_by_visible_text(
        "Kurmankul Zulushev")
    Select(b.find_element(By.ID, "a-country")).select_by_value("KG")
    type_into(b, "#a-email", email)
    press(b, button(b, w["submit"]))
    assert path_of(b, stack) == "/s/%s/action-sent" % appeal
    assert h1(b) == w["sent"]
    axe.check(b, "/s/<slug>/action-sent %s (%s)" % (lang, where))

    mail = stack.smtp.wait_for(email)[0]
    assert mail["msg"]["Subject"].startswith(w["subject"])
    link = stack.url + "/action/" + ACTION_RE.search(
        text_part(mail["msg"])).group(1)
    open_page(b, link)
    assert h1(b) == w["confirm"].replace("Подтвердить действие",
                                         "Подтвердите своё действие") \
        .replace("Confirm action", "Confirm the action you took")
    assert w["fax"] in b.find_element(By.TAG_NAME, "main").text
    axe.check(b, "/action/<token> %s (%s)" % (lang, where))
    press(b, button(b, w["confirm"]))
    assert h1(b) == w["done"]
    axe.check(b, "/action/<token> confirmed %s (%s)" % (lang, where))

    open_page(b, stack.url + "/s/" + appeal)
    count = b.find_element(By.ID, "actions-count").text
    assert re.search(r"\d", count), count
    axe.check(b, "/s/<slug> with actions %s (%s)" % (lang, where))
    axe.assert_clean()


def test_a_coordinator_delivers_through_the_confirm_step(
        stack, browsers, coordinator, axe):
    slug = create(stack, coordinator, "published")
    b = browsers.start(DESKTOP)
    open_page(b, stack.url + "/w/login")
    type_into(b, "#f-email", COORDINATOR)
    press(b, button(b, "Send me a sign-in link"))
    link = stack.url + "/w/login/" + LOGIN_RE.search(text_part(
        stack.smtp.wait_for(COORDINATOR)[-1]["msg"])).group(1)
    open_page(b, link)
    press(b, button(b, "Sign in"))

    open_page(b, stack.url + "/w/s/" + slug)
    press(b, b.find_element(By.LINK_TEXT, "Deliver to the addressees…"))
    assert path_of(b, stack) == "/w/s/%s/deliver" % slug
    main = b.find_element(By.TAG_NAME, "main").text
    assert MINISTER in main and "Kurmankul" not in main
    axe.check(b, "/w/s/<slug>/deliver")
    # Opening the page sent nothing: the button does.
    assert stack.smtp.to(MINISTER) == []
    press(b, button(b, "Yes, deliver it now"))
    assert path_of(b, stack) == "/w/s/%s/deliver" % slug
    visible(b, "td.delivery-status")
    assert not b.find_elements(By.ID, "deliver-confirm")
    axe.check(b, "/w/s/<slug>/deliver (delivered)")
    mails = stack.smtp.wait_for(MINISTER)
    assert len(mails) == 1
    assert mails[0]["msg"]["Reply-To"] == COORDINATOR
    axe.assert_clean()
