"""A Russian reader, arriving with Accept-Language: ru at desktop width and
at a phone's 390 px, reads the Russian text, makes a mistake and gets
Russian errors with focus on the summary, signs, gets a Russian mail,
confirms and sees the Russian thank-you page with its share links; axe
finds nothing serious or critical on any of these pages, nor on any other
public page in either language (the widget, withdrawal, document check,
404).  Focus outlines, 24 px choices and the print stylesheet are checked
as the browser draws them."""
import re
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DESKTOP, PHONE, integration, text_part, \
    verify_token_from
from test_workspace_flow import button, h1, open_page, press, type_into, \
    visible

TITLE_RU = "Освободите «Бишкекскую четвёрку» — совместное заявление"
BODY_RU = "Мы, нижеподписавшиеся организации, требуем освободить журналистов."


@pytest.fixture(scope="module")
def statement(stack, db):
    """An open statement in English with a Russian version."""
    token = stack.cli("coordinator", "add", "lang-%s@coalition.example.org"
                      % uuid.uuid4().hex[:8]).stdout.split()[-1]
    auth = {"Authorization": "Bearer " + token}
    slug = "ru-reader-%s" % uuid.uuid4().hex[:8]
    r = requests.post(stack.url + "/api/v1/statements", headers=auth, json={
        "slug": slug, "kind": "joint_statement", "lang": "en",
        "title": "Free the Bishkek Four — joint statement",
        "body_markdown": "We, the undersigned organisations, call for "
        "the release of the journalists.", "place": "Bishkek",
        "date": "2026-12-10", "goal": 50,
        "coordinator_organisation": "Civic Solidarity Platform"})
    assert r.status_code == 201, r.text
    assert requests.post(stack.url + "/api/v1/statements/%s/status" % slug,
                         json={"status": "open"},
                         headers=auth).status_code == 200
    integration.query(
        db, "INSERT INTO statement_translations (statement_id, lang, title,"
        " body_markdown, body_html, text_digest) SELECT id, 'ru', %s, %s,"
        " '<p>' || %s || '</p>', encode(sha256(convert_to(%s, 'UTF8')),"
        " 'hex') FROM statements WHERE slug = %s",
        TITLE_RU, BODY_RU, BODY_RU, TITLE_RU + BODY_RU, slug)
    return slug


def focused(driver):
    return driver.execute_script(
        "var e = document.activeElement; return e ? e.className : ''")


@pytest.mark.parametrize("where", ["desktop", "phone"])
def test_a_russian_reader_signs_in_russian(stack, db, browsers, statement,
                                           axe, where):
    size = DESKTOP if where == "desktop" else PHONE
    b = browsers.start(size, mobile=where == "phone", lang="ru")
    email = "ru-%s-%s@ngo.example.org" % (where, uuid.uuid4().hex[:6])
    organisation = "Правозащитный центр «Голос» %s" % where

    open_page(b, stack.url + "/s/" + statement)
    assert b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert h1(b) == TITLE_RU
    assert BODY_RU in b.find_element(By.CSS_SELECTOR, "article .body").text
    assert "Название организации" in b.find_element(
        By.CSS_SELECTOR, "section.sign").text
    # Nothing wider than the screen, and the way to the form comes first.
    assert b.execute_script("return document.documentElement.scrollWidth "
                            "<= window.innerWidth")
    assert re.match(r"\d+ из 50 подписей", b.find_element(
        By.CSS_SELECTOR, "p.goal label").text)
    share = b.find_element(By.CSS_SELECTOR, "section.share")
    assert "Поделиться заявлением" in share.text
    assert len(share.find_elements(By.CSS_SELECTOR, "ul.share-links a")) == 6
    jump = b.find_element(By.CSS_SELECTOR, "p.sign-jump a")
    assert jump.text == "Подписать заявление"
    assert jump.location["y"] < b.find_element(
        By.CSS_SELECTOR, "section.signatories").location["y"]
    axe.check(b, "/s/<slug> ru (%s)" % where)

    # A mistake: no organisation, a broken address.
    type_into(b, "#f-email", "broken@")
    press(b, button(b, "Подписать"))
    assert b.title.startswith("Ошибка: "), b.title
    summary = visible(b, "section.sign .error-summary")
    assert "error-summary" in focused(b)
    assert "Укажите название организации." in summary.text
    assert "Адрес электронной почты должен иметь вид" in summary.text
    assert "required" not in summary.text
    axe.check(b, "/s/<slug> ru errors (%s)" % where)

    type_into(b, "#f-organisation", organisation)
    Select(b.find_element(By.ID, "f-country")).select_by_value("KG")
    type_into(b, "#f-contact_name", "Асель Н.")
    type_into(b, "#f-email", email)
    press(b, button(b, "Подписать"))
    assert h1(b) == "Проверьте почту"
    axe.check(b, "/s/<slug>/check-email ru (%s)" % where)
    assert integration.query(db, "SELECT lang FROM signatures WHERE email"
                             " = %s", email) == [("ru",)]

    mail = stack.smtp.wait_for(email)[0]
    assert mail["msg"]["Subject"] == "Подтвердите подпись: " + TITLE_RU
    text = text_part(mail["msg"])
    assert text.startswith("Здравствуйте, Асель Н.")
    assert "Чтобы подтвердить её, откройте ссылку" in text
    token = verify_token_from(stack, mail)

    open_page(b, stack.url + "/verify/" + token)
    assert h1(b) == "Подтвердите подпись"
    axe.check(b, "/verify/<token> ru (%s)" % where)
    press(b, button(b, "Подтвердить подпись"))
    assert h1(b) == "Подпись подтверждена"
    assert organisation in b.find_element(By.TAG_NAME, "main").text
    share = b.find_element(By.CSS_SELECTOR, "section.share")
    assert "Поделиться заявлением" in share.text
    names = [a.text.split("\n")[0].split(" (")[0] for a in share.find_elements(
        By.CSS_SELECTOR, "ul.share-links a")]
    assert names == ["Эл. почта", "Telegram", "WhatsApp", "X", "Facebook",
                     "LinkedIn"], names
    link = b.find_element(By.ID, "share-url")
    assert link.get_attribute("value") == stack.url + "/s/" + statement
    # With script, a button copies the address (or selects it to copy).
    copy = button(b, "Копировать ссылку")
    copy.click()
    WebDriverWait(b, 10).until(lambda d: d.execute_script(
        "var f = document.getElementById('share-url');"
        "return document.querySelector('.copy-status').textContent === "
        "'Ссылка скопирована.' || (document.activeElement === f &&"
        " f.selectionEnd - f.selectionStart === f.value.length);"))
    axe.check(b, "/verify/<token> ru confirmed (%s)" % where)
    axe.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_published_and_closed_pages_in_both_languages(stack, db, browsers,
                                                      axe, lang):
    """The download list of a published statement and the notice that
    replaces the form after the deadline pass axe in both languages."""
    token = stack.cli("coordinator", "add", "pub-%s@coalition.example.org"
                      % uuid.uuid4().hex[:8]).stdout.split()[-1]
    auth = {"Authorization": "Bearer " + token}
    slugs = {}
    for what, extra in (("published", {}),
                        ("late", {"signing_deadline": "2026-01-05T18:30:00Z",
                                  "embargo_until": "2026-12-01T00:00:00Z",
                                  "embargo_timezone": "Asia/Bishkek"})):
        slug = "%s-%s" % (what, uuid.uuid4().hex[:8])
        body = {"slug": slug, "kind": "joint_statement", "lang": "en",
                "title": "Statement %s" % what,
                "body_markdown": "We call for the release of the "
                "journalists.", "place": "Bishkek", "date": "2026-12-10"}
        body.update(extra)
        r = requests.post(stack.url + "/api/v1/statements", headers=auth,
                          json=body)
        assert r.status_code == 201, r.text
        for st in (["open", "closed", "published"] if what == "published"
                   else ["open"]):
            assert requests.post(stack.url + "/api/v1/statements/%s/status"
                                 % slug, json={"status": st},
                                 headers=auth).status_code == 200
        slugs[what] = slug

    b = browsers.start(PHONE, mobile=True, lang=lang)
    open_page(b, stack.url + "/s/" + slugs["published"])
    links = b.find_elements(By.CSS_SELECTOR, "section.downloads li")
    assert len(links) == len(requests.get(
        stack.url + "/api/v1/formats").json())
    assert ("Документ PDF" if lang == "ru" else "PDF document") in \
        b.find_element(By.CSS_SELECTOR, "section.downloads").text
    axe.check(b, "/s/<published> %s (phone)" % lang)

    open_page(b, stack.url + "/s/" + slugs["late"])
    assert not b.find_elements(By.CSS_SELECTOR, "section.sign form")
    notice = b.find_element(By.CSS_SELECTOR, "article header .notice").text
    assert ("Срок подписания истёк 6 января 2026 г. в 00:30 (Asia/Bishkek)."
            if lang == "ru" else "signing closed on 6 January 2026 at 00:30 "
            "(Asia/Bishkek).") in notice
    axe.check(b, "/s/<late> %s (phone)" % lang)
    axe.assert_clean()


def mail_link(stack, email, kind):
    text = text_part(stack.smtp.wait_for(email)[0]["msg"])
    return re.search(r"(/%s/[A-Za-z0-9_-]{43})" % kind, text).group(1)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_public_page_passes_axe(stack, browsers, statement, axe, lang):
    """Statement, check-email, confirm, thank-you, widget, withdrawal,
    document check and 404, at a phone's width, in both languages."""
    email = "axe-%s-%s@ngo.example.org" % (lang, uuid.uuid4().hex[:6])
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures"
                      % statement, json={
                          "organisation": "Axe Org %s" % lang,
                          "country": "KG", "country2": "MD",
                          "contact_name": "A. N.", "email": email,
                          "lang": lang})
    assert r.status_code == 202, r.text
    verify = mail_link(stack, email, "verify")
    withdraw = mail_link(stack, email, "withdraw")
    b = browsers.start(PHONE, mobile=True, lang=lang)
    pages = [("/s/" + statement, "statement"),
             ("/s/%s/check-email" % statement, "check-email"),
             (verify, "verify"), (None, "thank-you"),
             ("/s/%s/embed" % statement, "embed"),
             (withdraw, "withdraw"), ("/verify-document", "verify-document"),
             ("/s/no-such-statement", "404")]
    for path, name in pages:
        if path is None:
            press(b, button(b, "Подтвердить подпись" if lang == "ru"
                            else "Confirm signature"))
        else:
            open_page(b, stack.url + path)
        assert b.find_element(By.TAG_NAME, "html").get_attribute(
            "lang") == lang, name
        assert b.execute_script("return document.documentElement.scrollWidth"
                                " <= window.innerWidth"), name
        axe.check(b, "%s %s (phone)" % (name, lang))
    # The thank-you page named both countries on the statement's page.
    open_page(b, stack.url + "/s/" + statement)
    listed = b.find_element(By.CSS_SELECTOR, "section.signatories").text
    assert ("Axe Org ru (Кыргызстан, Молдова)" if lang == "ru" else
            "Axe Org en (Kyrgyzstan, Moldova)") in listed
    axe.assert_clean()


def test_focus_targets_and_print(stack, browsers, statement):
    """Focus shows a dark outline (3:1 and more against the page), radio
    buttons and checkboxes are 24 px targets, and print keeps the text and
    the list but not the form, the navigation or the share links."""
    b = browsers.start(DESKTOP)
    open_page(b, stack.url + "/s/" + statement)
    field = visible(b, "#f-organisation")
    field.click()
    style = b.execute_script(
        "var s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, s.outlineWidth, s.outlineColor];")
    assert style == ["solid", "3px", "rgb(27, 27, 27)"], style
    for css in ("#f-vis-named", "#f-vis-counted"):
        box = b.execute_script("var r = document.querySelector(arguments[0])"
                               ".getBoundingClientRect();"
                               "return [r.width, r.height];", css)
        assert box[0] >= 24 and box[1] >= 24, (css, box)
    b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    shown = b.execute_script(
        "var o = {}; ['section.sign', 'section.share', 'header.site',"
        " 'footer.site', 'p.sign-jump', 'article.statement',"
        " 'section.signatories'].forEach(function (c) {"
        " var e = document.querySelector(c);"
        " o[c] = e !== null && getComputedStyle(e).display !== 'none'; });"
        " return o;")
    b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown == {"section.sign": False, "section.share": False,
                     "header.site": False, "footer.site": False,
                     "p.sign-jump": False, "article.statement": True,
                     "section.signatories": True}, shown
