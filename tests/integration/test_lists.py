"""Large lists: the signatures API and the index of statements paginated
with Link headers, the Atom feed, the public page's pages and search, and
the coordinators' export of a long list."""
import re
import xml.etree.ElementTree as ET

import requests

from conftest import query, signer

ATOM = "{http://www.w3.org/2005/Atom}"
LINK_RE = re.compile(r'<([^>]*)>;\s*rel="([a-z]+)"')


def fill(db, slug, n, prefix="Организация", start=0):
    """n confirmed named signatures, inserted as a large campaign's would
    be, each confirmed one second after the previous."""
    query(db, """
        INSERT INTO signatures (statement_id, organisation, acronym, country,
            email, contact_name, status, confirmed_at, text_digest, lang,
            source, comment, website)
        SELECT st.id, %s || ' ' || g, 'A' || g,
            (ARRAY['KG','KZ','DE','UA'])[1 + g %% 4],
            'office-' || g || '@bulk-' || st.id || '.example.org',
            'Contact ' || g, 'confirmed',
            timestamptz '2026-01-01' + g * interval '1 second',
            st.text_digest, st.lang, 'web',
            CASE WHEN g %% 7 = 0 THEN '=HYPERLINK("x")' END,
            'https://ngo-' || g || '.example.org'
        FROM statements st, generate_series(%s, %s) g WHERE st.slug = %s
        """, prefix, start + 1, start + n, slug)


def links(resp):
    return {rel: url for url, rel in LINK_RE.findall(resp.headers["link"])}


def follow(url, stack):
    """Every page from url to the end by rel="next"; the items and pages."""
    items, pages = [], 0
    while url is not None:
        r = requests.get(url)
        assert r.status_code == 200, r.text
        assert url.startswith(stack.url)
        items.extend(r.json())
        pages += 1
        url = links(r).get("next")
    return items, pages


def test_signature_list_follows_links_to_the_end(stack, db, make_statement):
    st = make_statement()
    fill(db, st["slug"], 2345)
    base = stack.url + "/api/v1/statements/%s/signatures" % st["slug"]
    items, pages = follow(base + "?limit=500", stack)
    assert pages == 5
    assert len(items) == 2345
    assert [i["position"] for i in items] == list(range(1, 2346))
    names = [i["organisation"] for i in items]
    assert len(set(names)) == 2345
    assert names[0] == "Организация 1" and names[-1] == "Организация 2345"
    assert set(items[0]) == {"position", "organisation", "acronym",
                             "country", "country2", "signed_on"}
    # Without limit: the maximum, 1,000, and the total in a header.
    r = requests.get(base)
    assert len(r.json()) == 1000
    assert r.headers["x-total-count"] == "2345"
    ln = links(r)
    assert ln["next"] == base + "?limit=1000&offset=1000"
    assert ln["last"] == base + "?limit=1000&offset=2000"
    assert "prev" not in ln
    # A deep page starts where the list says.
    r = requests.get(base + "?limit=3&offset=2000")
    assert [i["position"] for i in r.json()] == [2001, 2002, 2003]
    assert links(r)["prev"] == base + "?limit=3&offset=1997"
    # Past the end: an empty page that leads back.
    r = requests.get(base + "?offset=5000")
    assert r.status_code == 200 and r.json() == []
    assert "next" not in links(r)


def test_signature_list_order_is_stable_alphabetical(stack, db, token,
                                                      make_statement):
    st = make_statement()
    fill(db, st["slug"], 30, prefix="Б")
    fill(db, st["slug"], 30, prefix="А", start=30)
    query(db, "UPDATE statements SET list_order = 'alphabetical'"
          " WHERE slug = %s", st["slug"])
    base = stack.url + "/api/v1/statements/%s/signatures" % st["slug"]
    whole = requests.get(base).json()
    paged, _ = follow(base + "?limit=7", stack)
    assert paged == whole
    assert whole[0]["organisation"].startswith("А ")
    assert whole[-1]["organisation"].startswith("Б ")


def test_list_limit_and_offset_are_checked(stack, make_statement):
    st = make_statement()
    base = stack.url + "/api/v1/statements/%s/signatures" % st["slug"]
    for q, field in (("limit=0", "limit"), ("limit=1001", "limit"),
                     ("limit=abc", "limit"), ("limit=-1", "limit"),
                     ("offset=-3", "offset"), ("offset=1e9", "offset"),
                     ("limit=10&offset=", "offset")):
        for url in (base, stack.url + "/api/v1/statements"):
            r = requests.get(url + "?" + q)
            assert r.status_code == 422, (url, q, r.text)
            err = r.json()["error"]
            assert err["field"] == field
            assert field in err["message"]
    assert requests.get(stack.url + "/api/v1/statements/nope-x/signatures"
                        ).status_code == 404


def test_draft_has_no_public_list(stack, make_statement):
    st = make_statement(status="draft")
    r = requests.get(stack.url + "/api/v1/statements/%s/signatures"
                     % st["slug"])
    assert r.status_code == 404


def test_index_lists_open_and_published_by_links(stack, db, make_statement):
    made = [make_statement(status=s)
            for s in ("open", "published", "draft", "closed", "open")]
    fill(db, made[0]["slug"], 3)
    items, _ = follow(stack.url + "/api/v1/statements?limit=2", stack)
    slugs = [i["slug"] for i in items]
    assert len(slugs) == len(set(slugs))
    assert made[0]["slug"] in slugs and made[1]["slug"] in slugs
    assert made[4]["slug"] in slugs
    assert made[2]["slug"] not in slugs and made[3]["slug"] not in slugs
    total = query(db, "SELECT count(*) FROM statements"
                  " WHERE status IN ('open', 'published')")[0][0]
    assert len(items) == total
    one = next(i for i in items if i["slug"] == made[0]["slug"])
    assert one["signature_count"] == 3
    assert one["url"] == stack.url + "/s/" + made[0]["slug"]
    assert one["status"] == "open" and one["kind"] == "joint_statement"
    assert one["lang"] == "en" and one["title"] == made[0]["title"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", one["updated_at"])
    assert one["published_at"] is None
    pub = next(i for i in items if i["slug"] == made[1]["slug"])
    assert pub["published_at"] is not None


def test_feed_is_atom_with_escaped_hostile_titles(stack, make_statement):
    hostile = "</title><script>alert(1)</script> & “Мемориал” ]]>"
    body = "First paragraph " + "word " * 200 + "\n\nSecond."
    pub = make_statement(status="published", title=hostile,
                         body_markdown=body, lang="ru")
    opened = make_statement(status="open")
    r = requests.get(stack.url + "/feed.atom")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in r.content
    feed = ET.fromstring(r.content)
    assert feed.tag == ATOM + "feed"
    assert feed.find(ATOM + "id").text == stack.url + "/feed.atom"
    assert feed.find(ATOM + "updated").text
    entries = {e.find(ATOM + "id").text: e for e in feed.findall(ATOM + "entry")}
    url = stack.url + "/s/" + pub["slug"]
    assert url in entries
    assert stack.url + "/s/" + opened["slug"] not in entries
    e = entries[url]
    assert e.find(ATOM + "title").text == hostile
    assert e.find(ATOM + "link").get("href") == url
    assert e.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert e.find(ATOM + "updated").text.endswith("Z")
    summary = e.find(ATOM + "summary").text
    assert summary.startswith("First paragraph word")
    assert summary.endswith("…") and len(summary) <= 300
    assert summary[:-1].endswith("word")


def page_names(html):
    return re.findall(r"<li(?: value=\"(\d+)\")?><bdi>([^<]*)</bdi>", html)


def test_page_shows_500_names_with_page_links(stack, db, make_statement):
    st = make_statement()
    fill(db, st["slug"], 1234)
    url = stack.url + "/s/" + st["slug"]
    html = requests.get(url).text
    names = page_names(html)
    assert len(names) == 500
    assert names[0][1] == "Организация 1"
    assert "1234 organisations" in html
    assert 'href="/s/%s?page=2#signed-h" rel="next"' % st["slug"] in html
    assert 'href="/s/%s?page=3#signed-h">3</a>' % st["slug"] in html
    assert 'aria-current="page">1</a>' in html
    assert 'href="/s/%s/download/csv" download' % st["slug"] in html
    assert "Shown: 1–500 of 1234." in html
    last = requests.get(url + "?page=3").text
    names = page_names(last)
    assert len(names) == 234
    assert names[0][1] == "Организация 1001"
    assert '<ol class="list" start="1001">' in last
    assert 'rel="next"' not in last and 'rel="prev"' in last
    # Past the end: the last page, not an empty one.
    assert page_names(requests.get(url + "?page=99").text) == names
    # The sign form is still there, above the list's end.
    assert 'action="/s/%s/sign"' % st["slug"] in html
    # The full list the page links to has every name.
    csv = requests.get(stack.url + "/s/%s/download/csv" % st["slug"])
    assert csv.status_code == 200
    assert "Организация 1234" in csv.text


def test_page_number_is_checked(stack, make_statement):
    st = make_statement()
    for bad in ("0", "abc", "-1", "1e3", "2x", "99999999999"):
        r = requests.get(stack.url + "/s/%s?page=%s" % (st["slug"], bad))
        assert r.status_code in (400, 422), bad
        assert "page" in r.text


def test_page_search_without_javascript(stack, db, make_statement):
    st = make_statement()
    fill(db, st["slug"], 700)
    fill(db, st["slug"], 3, prefix="Правозащитный центр «Мемориал»",
         start=700)
    url = stack.url + "/s/" + st["slug"]
    html = requests.get(url).text
    assert '<form method="get" action="/s/%s#signed-h" role="search"' \
        % st["slug"] in html
    assert 'name="q"' in html
    r = requests.get(url, params={"q": "мемориал"})
    assert r.status_code == 200
    names = page_names(r.text)
    assert [n for _, n in names] == [
        "Правозащитный центр «Мемориал» %d" % i for i in (701, 702, 703)]
    assert [p for p, _ in names] == ["701", "702", "703"]
    assert "3 organisations match the search." in r.text
    assert 'value="мемориал"' in r.text
    # «Мемориал» with the quotes, as people paste it.
    assert len(page_names(requests.get(url, params={"q": "«Мемориал»"})
                          .text)) == 3
    # The acronym and the country.
    assert [n for _, n in page_names(requests.get(
        url, params={"q": "A702"}).text)] == [
        "Правозащитный центр «Мемориал» 702"]
    kg = page_names(requests.get(url, params={"q": "Kyrgyzstan"}).text)
    assert len(kg) == 175 and kg[0][1] == "Организация 4"
    # Results are paginated, and the page links keep the search.
    many = requests.get(url, params={"q": "Организация"}).text
    assert len(page_names(many)) == 500
    assert "700 organisations match the search." in many
    assert 'href="/s/%s?q=%%D0%%9E' % st["slug"] in many
    second = requests.get(url, params={"q": "Организация", "page": "2"})
    assert len(page_names(second.text)) == 200
    # Nothing found: said so, and the way back to the whole list.
    none = requests.get(url, params={"q": "no such name"}).text
    assert "0 organisations match the search." in none
    assert page_names(none) == []
    assert 'href="/s/%s#signed-h"' % st["slug"] in none


def test_page_search_escapes_hostile_queries(stack, make_statement):
    st = make_statement()
    url = stack.url + "/s/" + st["slug"]
    hostile = '"><script>alert(1)</script>&amp;%27'
    r = requests.get(url, params={"q": hostile})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;' \
        '&amp;amp;%27"' in r.text
    assert "0 organisations match the search." in r.text
    for q in ("a\x01b", "x" * 101, "%ff"):
        r = requests.get(url + "?q=" + requests.utils.quote(q, safe="%"))
        assert r.status_code in (400, 422), q
    # SQL and LIKE characters are text like any other.
    for q in ("%", "_", "' OR 1=1 --", "\\"):
        r = requests.get(url, params={"q": q})
        assert r.status_code == 200, q


def csv_field(v, guard):
    """One cell as the export writes it (plugins/common/table.c)."""
    if v is None:
        s, guard = "", False
    elif isinstance(v, bool):
        s, guard = ("true" if v else "false"), False
    elif isinstance(v, int):
        s, guard = str(v), False
    else:
        s = v
    quote = any(c in s for c in ',"\r\n;\t')
    out = s.replace('"', '""')
    if guard and s and s[0] in "=+-@\t\r":
        out = "'" + out
    return '"%s"' % out if quote else out


def test_export_csv_streams_the_same_bytes(stack, db, token, make_statement,
                                           http):
    st = make_statement()
    fill(db, st["slug"], 40)
    # The hard cases: quotes, separators, line breaks, formulas, Cyrillic,
    # a second country, unnamed, pending and withdrawn rows.
    for i, s in enumerate(['Ассоциация "Свобода"; Бишкек',
                           "=HYPERLINK(\"http://x\")", "+7 Line\nbreak",
                           "@home, Inc.", "-minus\tTab", "\u00a0Space"]):
        http.post(http.base + "/api/v1/statements/%s/signatures"
                  % st["slug"], json=signer(organisation=s,
                                            comment="-c%d" % i))
    # Line breaks and tabs that no form lets through, as an import or an
    # old row might still hold them.
    query(db, "UPDATE signatures SET organisation = '+7 Line' || chr(10)"
          " || 'break', contact_role = '-minus' || chr(9) || 'Tab'"
          " WHERE organisation = 'Организация 3'")
    query(db, "UPDATE signatures SET country2 = 'KZ', visibility = 'counted'"
          " WHERE organisation = '@home, Inc.'")
    query(db, "UPDATE signatures SET status = 'withdrawn',"
          " withdrawn_at = now() WHERE organisation LIKE '+7%%'")
    auth = {"Authorization": "Bearer " + token}
    base = stack.url + "/api/v1/statements/%s/export." % st["slug"]
    r = requests.get(base + "csv", headers=auth)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == \
        'attachment; filename="%s-signatures.csv"' % st["slug"]
    assert r.headers["cache-control"] == "no-store"
    rows = requests.get(base + "json", headers=auth).json()
    assert len(rows) == query(db, "SELECT count(*) FROM signatures sg JOIN"
                              " statements st ON st.id = sg.statement_id"
                              " WHERE st.slug = %s", st["slug"])[0][0] > 40
    header = r.content.split(b"\r\n")[0].decode()
    keys = ["position", "organisation", "display_name", "acronym", "country",
            "country_name", "country2", "website", "contact_name",
            "contact_role", "email", "comment", "visibility", "status",
            "approved", "rejection_reason", "source", "initiator", "lang",
            "text_digest", "created_at", "confirmed_at", "withdrawn_at", "id"]
    want = header + "\r\n" + "".join(
        ",".join(csv_field(row.get(k), True) for k in keys) + "\r\n"
        for row in rows)
    assert r.content == want.encode()
    assert "'=HYPERLINK" in r.text and "'@home, Inc." in r.text
    assert "Kyrgyzstan" in r.text
    # The workspace's export is the same file.
    assert requests.get(base + "csv").status_code == 401
    # HEAD sends the headers only.
    h = requests.head(base + "csv", headers=auth)
    assert h.status_code == 200 and h.content == b""
    assert int(h.headers["content-length"]) == len(r.content)


def test_export_csv_of_100000_signatures(stack, db, token, make_statement):
    st = make_statement()
    fill(db, st["slug"], 100000)
    r = requests.get(stack.url + "/api/v1/statements/%s/export.csv"
                     % st["slug"], headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200
    lines = r.content.split(b"\r\n")
    assert lines[-1] == b""
    assert len(lines) == 100002
    assert lines[1].startswith(b"1,")
    assert lines[-2].startswith(b"100000,")
    assert len(set(lines)) == 100002
    # The page and the list API stay small for the same statement.
    page = requests.get(stack.url + "/s/" + st["slug"])
    assert page.status_code == 200
    assert len(page.content) <= 200 * 1024
    assert "100000 organisations" in page.text
    api = requests.get(stack.url + "/api/v1/statements/%s/signatures"
                       "?offset=99000" % st["slug"])
    assert [i["position"] for i in api.json()][:1] == [99001]
    assert len(api.json()) == 1000 and "next" not in links(api)


def test_page_list_in_russian(stack, db, make_statement):
    st = make_statement()
    fill(db, st["slug"], 600)
    fill(db, st["slug"], 3, prefix="Правозащитный центр «Мемориал»",
         start=600)
    url = stack.url + "/s/" + st["slug"]
    ru = {"Accept-Language": "ru"}
    html = requests.get(url, headers=ru).text
    assert "Поиск среди подписавших по названию, аббревиатуре или стране" \
        in html
    assert "Показаны 1–500 из 603." in html
    assert "Следующая страница" in html
    assert "Скачать полный список (CSV)" in html
    found = requests.get(url, params={"q": "«Мемориал»"}, headers=ru).text
    assert "Поиску соответствуют 3 организации." in found
    assert "Показать весь список" in found
    # Countries by their Russian names.
    kz = requests.get(url, params={"q": "казах"}, headers=ru).text
    assert "Поиску соответствует 151 организация." in kz
    assert len(page_names(kz)) == 151
