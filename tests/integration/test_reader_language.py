"""The reader's language, end to end: page, form, errors, mail, confirmation."""
import re

from conftest import html_part, query, signer, text_part, verify_token_from

RU = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}
RU_TITLE = "Освободите «Бишкекскую четвёрку» — совместное заявление"
FORM_FIELDS = ("organisation", "acronym", "country", "website",
               "contact_name", "contact_role", "email", "comment")


def add_version(db, slug, lang, title, body):
    """A language version as the editor stores it."""
    query(db, "INSERT INTO statement_translations (statement_id, lang, title,"
          " body_markdown, body_html, text_digest) SELECT id, %s, %s, %s,"
          " '<p>' || %s || '</p>', encode(sha256(convert_to(%s || %s,"
          " 'UTF8')), 'hex') FROM statements WHERE slug = %s",
          lang, title, body, body, title, body, slug)


def form_of(page):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                           page))


def russian_statement(make_statement, db):
    st = make_statement()
    add_version(db, st["slug"], "ru", RU_TITLE,
                "Мы, нижеподписавшиеся организации, требуем освободить"
                " журналистов.")
    return st


def test_accept_language_picks_the_russian_version(http, make_statement, db):
    st = russian_statement(make_statement, db)
    r = http.get(http.base + "/s/" + st["slug"], headers=RU)
    assert r.status_code == 200
    assert r.headers["Vary"] == "Accept-Language, Cookie"
    assert '<html lang="ru">' in r.text
    assert RU_TITLE.replace("«", "«") in r.text
    assert "нижеподписавшиеся" in r.text
    assert '<article class="statement" lang="ru">' in r.text
    assert "Бишкек, 10 декабря 2026 г." in r.text or \
        "Bishkek, 10 декабря 2026 г." in r.text
    assert 'name="lang" value="ru"' in r.text
    assert "Название организации" in r.text


def test_query_then_cookie_then_accept_language(http, make_statement, db):
    st = russian_statement(make_statement, db)
    r = http.get(http.base + "/s/%s?lang=en" % st["slug"], headers=RU)
    assert '<html lang="en">' in r.text and RU_TITLE not in r.text
    assert "Free the" in r.text
    # The choice is remembered over what the browser asks for.
    r = http.get(http.base + "/s/" + st["slug"], headers=RU)
    assert '<html lang="en">' in r.text and RU_TITLE not in r.text
    r = http.get(http.base + "/s/%s?lang=ru" % st["slug"])
    assert RU_TITLE in r.text and '<html lang="ru">' in r.text


def test_without_a_russian_version_the_text_stays_in_its_language(
        http, make_statement):
    st = make_statement()
    r = http.get(http.base + "/s/" + st["slug"], headers=RU)
    assert '<html lang="ru">' in r.text
    assert '<article class="statement" lang="en">' in r.text
    assert "Free the" in r.text
    assert 'name="lang" value="en"' in r.text


def test_russian_errors_with_focus_on_the_summary(http, make_statement, db):
    st = russian_statement(make_statement, db)
    page = http.get(http.base + "/s/" + st["slug"], headers=RU).text
    data = form_of(page)
    data.update({"organisation": "", "country": "KG", "contact_name": "",
                 "email": "broken@", "website": "not a site"})
    r = http.post(http.base + "/s/%s/sign" % st["slug"], data=data,
                  headers=RU, allow_redirects=False)
    assert r.status_code == 422
    assert re.search(r"<title>Ошибка: ", r.text), r.text[:600]
    assert 'tabindex="-1"' in r.text and "autofocus" in r.text
    assert "Укажите название организации." in r.text
    assert "Укажите ваше имя." in r.text
    assert "Адрес электронной почты" in r.text
    assert 'href="#f-email"' in r.text
    assert "is required" not in r.text
    # English readers keep English, with the same pattern.
    r = http.post(http.base + "/s/%s/sign?lang=en" % st["slug"], data=data,
                  allow_redirects=False)
    assert re.search(r"<title>Error: ", r.text)


def test_russian_signer_gets_russian_pages_and_mail(http, stack, make_statement,
                                                     db):
    st = russian_statement(make_statement, db)
    page = http.get(http.base + "/s/" + st["slug"], headers=RU).text
    s = signer()
    data = form_of(page)
    data.update({k: s[k] for k in FORM_FIELDS if k in s})
    data["visibility"] = "named"
    r = http.post(http.base + "/s/%s/sign" % st["slug"], data=data,
                  headers=RU, allow_redirects=False)
    assert r.status_code == 303, r.text[:400]
    check = http.get(http.base + r.headers["Location"], headers=RU)
    assert "Проверьте почту" in check.text, check.text
    assert query(db, "SELECT lang FROM signatures WHERE email = %s",
                 s["email"]) == [("ru",)]

    mail = stack.smtp.wait_for(s["email"])[0]
    msg = mail["msg"]
    assert msg["Subject"].startswith("Подтвердите подпись"), msg["Subject"]
    assert RU_TITLE in msg["Subject"]
    text = text_part(msg)
    assert "Здравствуйте" in text and RU_TITLE in text
    assert "Hello" not in text
    assert "Подтвердите" in html_part(msg)
    token = verify_token_from(stack, mail)
    confirm = http.get(http.base + "/verify/" + token, headers=RU)
    assert "Подтвердить подпись" in confirm.text
    done = http.post(http.base + "/verify/" + token, data={"confirm": "1"},
                     headers=RU)
    assert done.status_code == 200 and "Подпись подтверждена" in done.text


def test_api_signer_language_decides_the_mail(http, stack, make_statement, db):
    st = russian_statement(make_statement, db)
    s = signer()
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=dict(s, lang="ru"))
    assert r.status_code == 202
    msg = stack.smtp.wait_for(s["email"])[0]["msg"]
    assert msg["Subject"].startswith("Подтвердите подпись")
    # An English signer of the same statement reads English.
    e = signer()
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=e)
    assert r.status_code == 202
    msg = stack.smtp.wait_for(e["email"])[0]["msg"]
    assert msg["Subject"].startswith("Confirm your signature")
    assert "Free the" in msg["Subject"]


def test_the_confirmation_page_speaks_the_language_signed_in(
        http, stack, make_statement, db):
    st = russian_statement(make_statement, db)
    s = signer()
    assert http.post(http.base + "/api/v1/statements/%s/signatures"
                     % st["slug"], json=dict(s, lang="ru")).status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    # Another browser, which asks for English: the signer read Russian.
    page = http.get(http.base + "/verify/" + token,
                    headers={"Accept-Language": "en"}).text
    assert "<title>Подтвердите подпись · undersigned</title>" in page
    assert RU_TITLE in page
    # An explicit choice still wins.
    page = http.get(http.base + "/verify/%s?lang=en" % token).text
    assert "<title>Confirm your signature · undersigned</title>" in page


def test_publication_mail_and_changelog_dates_in_russian(
        http, stack, make_statement, db, token):
    st = russian_statement(make_statement, db)
    s = signer()
    assert http.post(http.base + "/api/v1/statements/%s/signatures"
                     % st["slug"], json=dict(s, lang="ru")).status_code == 202
    t = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    assert http.post(http.base + "/api/v1/verify",
                     json={"token": t}).status_code == 200
    auth = {"Authorization": "Bearer " + token}
    for status in ("closed", "published"):
        assert http.post(http.base + "/api/v1/statements/%s/status"
                         % st["slug"], json={"status": status},
                         headers=auth).status_code == 200
    msg = stack.smtp.wait_for(s["email"], count=2)[-1]["msg"]
    assert msg["Subject"] == "Опубликовано: " + RU_TITLE
    assert "Спасибо, что подписали заявление." in text_part(msg)

    # A second version, made on a known day, in the public changelog.
    query(db, "INSERT INTO statement_versions (statement_id, version, lang,"
          " title, body_markdown, body_html, text_digest, signatories,"
          " unnamed_count, note, created_at) SELECT v.statement_id, 2,"
          " v.lang, v.title, v.body_markdown, v.body_html, v.text_digest,"
          " v.signatories, v.unnamed_count, 'Исправлена дата',"
          " '2026-12-11T09:00:00Z'"
          " FROM statement_versions v JOIN statements s ON s.id ="
          " v.statement_id WHERE s.slug = %s AND v.version = 1", st["slug"])
    page = http.get(http.base + "/s/" + st["slug"], headers=RU).text
    assert "11 декабря 2026 г.: Исправлена дата" in page


def test_downloads_of_a_language_version(http, make_statement, db):
    st = make_statement(status="published")
    add_version(db, st["slug"], "ru", RU_TITLE,
                "Мы, нижеподписавшиеся организации, требуем освободить"
                " журналистов.")
    base = http.base + "/s/%s/download/text" % st["slug"]
    en = http.get(base)
    ru = http.get(base + "?lang=ru")
    assert en.status_code == 200 and ru.status_code == 200
    assert "Free the" in en.text and RU_TITLE not in en.text
    assert RU_TITLE in ru.text and "нижеподписавшиеся" in ru.text
    assert en.headers["ETag"] != ru.headers["ETag"]
    # The English file is still there after the Russian one was made.
    assert http.get(base + "?lang=en").text == en.text
    r = http.get(base + "?lang=de")
    assert r.status_code == 404
    assert "de" in r.text
    # The page links the version it shows.
    page = http.get(http.base + "/s/" + st["slug"], headers=RU).text
    assert 'href="/s/%s/download/pdf?lang=ru"' % st["slug"] in page
