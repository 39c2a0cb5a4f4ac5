"""The page people share: a way to the form above the list, and every
download of a published statement with its name and size."""
import math
import re

from conftest import query, signer


def test_a_sign_link_comes_before_the_list(http, make_statement):
    st = make_statement()
    page = http.get(http.base + "/s/" + st["slug"]).text
    jump = page.index('<a class="button" href="#sign-h">Sign this statement</a>')
    assert jump < page.index('<section class="signatories"')
    assert 'id="sign-h"' in page
    ru = http.get(http.base + "/s/" + st["slug"],
                  headers={"Accept-Language": "ru"}).text
    assert "Подписать заявление</a>" in ru


def test_a_closed_statement_has_no_sign_link(http, make_statement):
    st = make_statement(status="closed")
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert 'href="#sign-h"' not in page


def size_text(n):
    if n < 1000000:
        return "%d kB" % math.ceil(n / 1000)
    t = (n + 50000) // 100000
    return "%d.%d MB" % (t // 10, t % 10)


def test_a_published_statement_links_every_download_with_its_size(
        http, make_statement, db):
    st = make_statement(status="published")
    formats = http.get(http.base + "/api/v1/formats").json()
    assert formats
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert '<h2 id="downloads-h">Download</h2>' in page
    for f in formats:
        url = "/s/%s/download/%s" % (st["slug"], f["name"])
        body = http.get(http.base + url).content
        m = re.search(r'<a href="%s" download>([^<]+)</a> <span class="size">'
                      r'\(([A-Z]+), ([^)]+)\)</span>' % re.escape(url), page)
        assert m, "no link to %s" % url
        assert m.group(1) == f["title"]
        assert m.group(2) == f["extension"].upper()
        assert m.group(3) == size_text(len(body)), (f["name"], len(body))
    ru = http.get(http.base + "/s/" + st["slug"],
                  headers={"Accept-Language": "ru"}).text
    assert "Скачать" in ru and "Документ PDF" in ru
    assert re.search(r"\(PDF, \d+ КБ\)", ru)


def test_an_open_statement_has_no_download_list(http, make_statement):
    st = make_statement()
    assert 'id="downloads-h"' not in http.get(
        http.base + "/s/" + st["slug"]).text
