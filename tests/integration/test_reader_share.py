"""The reader's side of sharing and signing: the widget (the one framable
page), the share card, share links and og metadata, the signature goal,
country names as the region writes them, and every country of a signer in
every output."""
import csv
import html
import io
import re
import struct
import subprocess

import openpyxl
import requests

from conftest import query, signer, text_part, verify_token_from

RU = {"Accept-Language": "ru-RU,ru;q=0.9"}
PNG = b"\x89PNG\r\n\x1a\n"


def auth(token):
    return {"Authorization": "Bearer " + token}


def add_version(db, slug, lang, title, body):
    query(db, "INSERT INTO statement_translations (statement_id, lang, title,"
          " body_markdown, body_html, text_digest) SELECT id, %s, %s, %s,"
          " '<p>' || %s || '</p>', encode(sha256(convert_to(%s || %s,"
          " 'UTF8')), 'hex') FROM statements WHERE slug = %s",
          lang, title, body, body, title, body, slug)


def confirm(http, stack, slug, **over):
    s = signer(**over)
    r = http.post(stack.url + "/api/v1/statements/%s/signatures" % slug,
                  json=s)
    assert r.status_code == 202, r.text
    tok = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    assert http.post(stack.url + "/api/v1/verify",
                     json={"token": tok}).status_code == 200
    return s


def meta(page, key):
    m = re.search(r'<meta (?:property|name)="%s" content="([^"]*)">'
                  % re.escape(key), page)
    return html.unescape(m.group(1)) if m else None


def png_size(data):
    assert data[:8] == PNG
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def refuses_frames(r):
    return (r.headers.get("X-Frame-Options") == "DENY" and
            "frame-ancestors 'none'" in r.headers["Content-Security-Policy"])


# The widget ----------------------------------------------------------------

def test_embed_is_framable_and_every_other_page_is_not(http, stack,
                                                       make_statement):
    st = make_statement(goal=10)
    slug = st["slug"]
    r = http.get(stack.url + "/s/%s/embed" % slug)
    assert r.status_code == 200
    assert "X-Frame-Options" not in r.headers
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors *;" in csp and "frame-ancestors 'none'" not in csp
    assert "Free the" in r.text
    assert "<form" not in r.text
    assert 'href="%s/s/%s#sign-h" target="_blank"' % (stack.url, slug) in \
        r.text
    assert 'No organisation has signed yet.' in r.text
    assert re.search(r'<progress id="goal-bar" max="10" value="0">', r.text)
    for path in ("/s/" + slug, "/s/%s/check-email" % slug, "/",
                 "/verify-document", "/w/login", "/w",
                 "/verify/" + "A" * 43, "/no/such/page",
                 "/s/no-such-statement/embed",
                 "/api/v1/statements/" + slug, "/s/%s/card.png" % slug,
                 "/assets/style.css"):
        r = http.get(stack.url + path, allow_redirects=False)
        assert refuses_frames(r), (path, r.status_code, dict(r.headers))
    r = http.post(stack.url + "/s/%s/sign" % slug, data={"organisation": ""},
                  allow_redirects=False)
    assert refuses_frames(r)


def test_embed_speaks_the_readers_language_and_shows_its_version(
        http, stack, make_statement, db):
    st = make_statement()
    add_version(db, st["slug"], "ru", "Освободите «Бишкекскую четвёрку»",
                "Мы требуем.")
    confirm(http, stack, st["slug"])
    r = http.get(stack.url + "/s/%s/embed" % st["slug"], headers=RU)
    assert '<html lang="ru">' in r.text
    assert "Освободите «Бишкекскую четвёрку»" in r.text
    assert "Подписала 1 организация." in r.text, r.text
    assert "Прочитать и подписать" in r.text


def test_workspace_offers_the_widget_snippet(stack, make_statement, token):
    from test_workspace import email, login  # the one sign-in helper
    st = make_statement(title='Say "no" <now>')
    who = email()
    s = login(stack, who)
    assert requests.post(stack.url + "/api/v1/statements/%s/coordinators"
                         % st["slug"], json={"email": who},
                         headers=auth(token)).status_code in (200, 201)
    page = s.get(stack.url + "/w/s/" + st["slug"]).text
    code = html.unescape(re.search(r'<textarea id="embed-code"[^>]*>([^<]*)'
                                   r'</textarea>', page).group(1))
    assert code == ('<iframe src="%s/s/%s/embed" title="Say &quot;no&quot; '
                    '&lt;now&gt;" width="100%%" height="260" '
                    'style="border:0" loading="lazy"></iframe>'
                    % (stack.url, st["slug"]))


# The share card and the metadata -------------------------------------------

def test_share_card_png_by_revision(http, stack, make_statement):
    st = make_statement(coordinator_organisation="Civic Solidarity Platform")
    page = http.get(stack.url + "/s/" + st["slug"]).text
    card = meta(page, "og:image")
    assert card.startswith("%s/s/%s/card.png?v=" % (stack.url, st["slug"]))
    assert meta(page, "twitter:image") == card
    assert meta(page, "twitter:card") == "summary_large_image"
    r = http.get(card)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "image/png"
    assert png_size(r.content) == (1200, 630)
    assert "immutable" in r.headers["Cache-Control"]
    etag = r.headers["ETag"]
    again = http.get(card, headers={"If-None-Match": etag})
    assert again.status_code == 304
    # A signature more: a new revision, a new picture at a new address.
    confirm(http, stack, st["slug"])
    page2 = http.get(stack.url + "/s/" + st["slug"]).text
    card2 = meta(page2, "og:image")
    assert card2 != card
    r2 = http.get(card2)
    assert png_size(r2.content) == (1200, 630)
    assert r2.content != r.content
    # The old address answers with the current card, briefly cached.
    old = http.get(card)
    assert old.content == r2.content
    assert old.headers["Cache-Control"] == "public, max-age=300"
    assert http.get(stack.url + "/s/no-such/card.png").status_code == 404


def test_share_card_of_a_russian_version_with_a_long_title(http, stack,
                                                          make_statement, db):
    st = make_statement()
    add_version(db, st["slug"], "ru", "Освободите журналистов " * 20,
                "Мы требуем.")
    page = http.get(stack.url + "/s/" + st["slug"], headers=RU).text
    card = meta(page, "og:image")
    assert "&lang=ru" in card
    r = http.get(card)
    assert r.status_code == 200 and png_size(r.content) == (1200, 630)
    en = http.get(meta(http.get(stack.url + "/s/%s?lang=en"
                                % st["slug"]).text, "og:image"))
    assert en.content != r.content


def test_og_metadata_is_escaped_and_cut_at_a_word(http, stack,
                                                  make_statement):
    hostile = '"><script>alert(1)</script> & \'quoted\' «title»'
    body = ("Organisations " + "call on the authorities to act " * 20 +
            "\n\nSecond paragraph.")
    st = make_statement(title=hostile, body_markdown=body)
    page = http.get(stack.url + "/s/" + st["slug"]).text
    assert "<script>alert(1)" not in page
    assert meta(page, "og:title") == hostile
    assert meta(page, "twitter:title") == hostile
    assert meta(page, "og:url") == "%s/s/%s" % (stack.url, st["slug"])
    desc = meta(page, "og:description")
    assert desc.endswith("\u2026") and len(desc) <= 200
    assert body.startswith(desc[:-1])
    assert desc[:-1].endswith(("call", "on", "the", "authorities", "to",
                               "act", "Organisations"))
    assert meta(page, "twitter:description") == desc


def test_share_links_on_the_page_and_the_thank_you_page(http, stack,
                                                       make_statement, db):
    st = make_statement()
    url = requests.utils.quote("%s/s/%s" % (stack.url, st["slug"]), safe="")
    page = http.get(stack.url + "/s/" + st["slug"]).text
    for href in ("mailto:?subject=", "https://t.me/share/url?url=" + url,
                 "https://wa.me/?text=", "https://x.com/intent/post?url=" + url,
                 "https://www.facebook.com/sharer/sharer.php?u=" + url,
                 "https://www.linkedin.com/sharing/share-offsite/?url=" + url):
        assert 'href="%s' % html.escape(href) in page, href
    assert re.search(r'<input id="share-url" type="text" value="%s/s/%s" '
                     r'readonly>' % (re.escape(stack.url), st["slug"]), page)
    # No third-party script or image anywhere on the page.
    assert not re.search(r'<(script|img|iframe)[^>]+(src)="https?:', page)
    # The thank-you page, in Russian.
    add_version(db, st["slug"], "ru", "Освободите журналистов", "Мы требуем.")
    s = signer()
    assert http.post(stack.url + "/api/v1/statements/%s/signatures"
                     % st["slug"], json=dict(s, lang="ru")).status_code == 202
    tok = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    done = http.post(stack.url + "/verify/" + tok, data={"confirm": "1"})
    assert "Подпись подтверждена" in done.text
    assert "Поделиться заявлением" in done.text
    assert "https://t.me/share/url?url=" + url in done.text
    assert 'id="share-url"' in done.text


# The goal --------------------------------------------------------------------

def test_goal_is_validated_in_create_and_patch(stack, make_statement, token):
    base = make_statement(status="draft")
    for bad in (0, -1, "abc", 1.5, "12x", "-3", 10 ** 12, True):
        body = dict(base, slug=base["slug"] + "-g", goal=bad)
        r = requests.post(stack.url + "/api/v1/statements", json=body,
                          headers=auth(token))
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["error"]["field"] == "goal", (bad, r.text)
    r = requests.patch(stack.url + "/api/v1/statements/" + base["slug"],
                       json={"goal": 0}, headers=auth(token))
    assert r.status_code == 422 and r.json()["error"]["field"] == "goal"
    r = requests.patch(stack.url + "/api/v1/statements/" + base["slug"],
                       json={"goal": 500}, headers=auth(token))
    assert r.status_code == 200, r.text
    assert r.json()["goal"] == 500
    got = requests.get(stack.url + "/api/v1/statements/" + base["slug"],
                       headers=auth(token)).json()
    assert got["goal"] == 500
    r = requests.patch(stack.url + "/api/v1/statements/" + base["slug"],
                       json={"goal": None}, headers=auth(token))
    assert r.status_code == 200 and r.json()["goal"] is None


def test_goal_progress_on_the_page_in_both_languages(http, stack,
                                                     make_statement):
    st = make_statement(goal=2)
    confirm(http, stack, st["slug"])
    page = http.get(stack.url + "/s/%s?lang=en" % st["slug"]).text
    assert '<progress id="goal-bar" max="2" value="1">1 of 2 signatures' \
        '</progress>' in page
    assert '<label for="goal-bar">1 of 2 signatures</label>' in page
    page = http.get(stack.url + "/s/%s?lang=ru" % st["slug"]).text
    assert "1 из 2 подписей" in page
    confirm(http, stack, st["slug"])
    confirm(http, stack, st["slug"])
    page = http.get(stack.url + "/s/%s?lang=en" % st["slug"]).text
    assert '<progress id="goal-bar" max="2" value="2">3 of 2 signatures' \
        in page
    none = make_statement()
    assert "<progress" not in http.get(stack.url + "/s/" + none["slug"]).text


# Countries -------------------------------------------------------------------

def test_russian_country_names_on_the_page_and_in_outputs(
        http, stack, make_statement, db, tmp_path):
    st = make_statement()
    add_version(db, st["slug"], "ru", "Освободите журналистов", "Мы требуем.")
    confirm(http, stack, st["slug"], country="KG", organisation="Org KG")
    confirm(http, stack, st["slug"], country="MD", country2="BY",
            organisation="Org MD")
    page = http.get(stack.url + "/s/" + st["slug"], headers=RU).text
    assert "Org KG</bdi> (<bdi>ПЦ, Кыргызстан</bdi>)" in page
    assert "Org MD</bdi> (<bdi>ПЦ, Молдова, Беларусь</bdi>)" in page
    assert "Киргизия" not in page and "Молдавия" not in page
    assert '<option value="KG">Кыргызстан</option>' in page
    en = http.get(stack.url + "/s/%s?lang=en" % st["slug"]).text
    assert "Org MD</bdi> (<bdi>ПЦ, Moldova, Belarus</bdi>)" in en
    pdf = http.get(stack.url + "/s/%s/download/pdf?lang=ru" % st["slug"])
    path = tmp_path / "ru.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"],
                          capture_output=True, check=True).stdout.decode()
    assert "Кыргызстан" in text and "Молдова" in text and "Беларусь" in text
    assert "Киргизия" not in text
    rows = list(csv.reader(io.StringIO(http.get(
        stack.url + "/s/%s/download/csv?lang=ru" % st["slug"]).text)))
    flat = ";".join(";".join(r) for r in rows)
    assert "Кыргызстан" in flat and "Молдова; Беларусь" in flat


def test_import_reads_the_regions_names_and_aliases(stack, make_statement,
                                                    token):
    st = make_statement()
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures/import"
                      % st["slug"],
                      data=("1. Org One (Кыргызстан)\n2. Org Two (Молдова)\n"
                            "3. Org Three (Беларусь)\n4. Org Four (Киргизия)"
                            "\n5. Org Five (Republic of Moldova)\n"
                            "6. Org Six (Молдавия, Казахстан)\n").encode(),
                      headers=dict(auth(token), **{
                          "Content-Type": "text/plain; charset=utf-8"}))
    assert r.status_code == 200 and r.json()["imported"] == 6, r.text
    got = requests.get(stack.url + "/api/v1/statements/%s/signatures"
                       % st["slug"]).json()
    assert [(s["country"], s.get("country2")) for s in got] == [
        ("KG", None), ("MD", None), ("BY", None), ("KG", None),
        ("MD", None), ("MD", "KZ")]


def test_both_countries_of_a_signer_survive_into_every_output(
        http, stack, make_statement, token, tmp_path):
    st = make_statement()
    slug = st["slug"]
    # One through the API, one through the web form.
    api = confirm(http, stack, slug, organisation="Helsinki Bridge",
                  acronym="HB", country="DE", country2="CH")
    page = http.get(stack.url + "/s/%s?lang=en" % slug).text
    assert '<select id="f-country2" name="country2"' in page
    digest = re.search(r'name="text_digest" value="([0-9a-f]+)"',
                       page).group(1)
    form = signer(organisation="Caucasus Link", acronym="CL", country="GE",
                  country2="AM")
    data = {k: form[k] for k in ("organisation", "acronym", "country",
                                 "country2", "website", "contact_name",
                                 "email")}
    data.update(text_digest=digest, lang="en", visibility="named")
    r = http.post(stack.url + "/s/%s/sign" % slug, data=data,
                  allow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    tok = verify_token_from(stack, stack.smtp.wait_for(form["email"])[0])
    assert http.post(stack.url + "/api/v1/verify",
                     json={"token": tok}).status_code == 200
    # A second country equal to the first is not a second country.
    confirm(http, stack, slug, organisation="Same Twice", acronym=None,
            country="FR", country2="FR")

    pairs = {"Helsinki Bridge": ("DE", "CH"), "Caucasus Link": ("GE", "AM"),
             "Same Twice": ("FR", None)}
    names = {"Helsinki Bridge": "Germany, Switzerland",
             "Caucasus Link": "Georgia, Armenia"}
    # The API's list and the statement's country totals.
    lst = http.get(stack.url + "/api/v1/statements/%s/signatures"
                   % slug).json()
    assert {s["organisation"]: (s["country"], s["country2"]) for s in lst} \
        == pairs
    got = http.get(stack.url + "/api/v1/statements/" + slug).json()
    assert got["country_count"] == 5
    assert {c["country"] for c in got["countries"]} == \
        {"DE", "CH", "GE", "AM", "FR"}
    # The page.
    page = http.get(stack.url + "/s/%s?lang=en" % slug).text
    assert "Helsinki Bridge</bdi> (<bdi>HB, Germany, Switzerland</bdi>)" in page
    assert "Caucasus Link</bdi> (<bdi>CL, Georgia, Armenia</bdi>)" in page
    assert "from 5 countries" in page
    # Every download format.
    dl = stack.url + "/s/%s/download/" % slug
    j = http.get(dl + "json").json()
    by = {s["organisation"]: [c["country"] for c in s["countries"]]
          for s in j["signatories"]}
    assert by["Helsinki Bridge"] == ["DE", "CH"]
    assert by["Caucasus Link"] == ["GE", "AM"]
    assert by["Same Twice"] == ["FR"]
    text = http.get(dl + "csv").text
    assert "DE; CH" in text and "GE; AM" in text
    assert "Germany; Switzerland" in text
    wb = openpyxl.load_workbook(io.BytesIO(http.get(dl + "xlsx").content))
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row]
    assert "DE; CH" in cells and "GE; AM" in cells
    for fmt in ("text", "markdown", "press-release"):
        body = http.get(dl + fmt).text
        for org, n in names.items():
            assert n in body, (fmt, org, body[:500])
    path = tmp_path / "list.pdf"
    path.write_bytes(http.get(dl + "pdf").content)
    pdf = subprocess.run(["pdftotext", "-raw", str(path), "-"],
                         capture_output=True, check=True).stdout.decode()
    assert "Helsinki Bridge (HB, Germany, Switzerland)" in pdf
    assert "Caucasus Link (CL, Georgia, Armenia)" in pdf
    # The coordinators' export.
    exp = requests.get(stack.url + "/api/v1/statements/%s/export.csv" % slug,
                       headers=auth(token)).text
    rows = list(csv.reader(io.StringIO(exp)))
    head = rows[0]
    for r in rows[1:]:
        row = dict(zip(head, r))
        org = row.get("organisation") or row.get("Organisation")
        if org in pairs:
            assert pairs[org][0] in r
            if pairs[org][1]:
                assert pairs[org][1] in r, (org, r)
    assert api["email"] in exp


# The language of mail and pages around a text in another language ------------

def test_russian_reader_of_an_english_only_statement(http, stack,
                                                    make_statement, db):
    """A statement without a Russian version is signed in English: the
    confirmation mail, the confirm page and the thank-you page are all in
    the version's language, whatever the browser asks for
    (docs/translating.md)."""
    st = make_statement()
    page = http.get(stack.url + "/s/" + st["slug"], headers=RU).text
    assert '<html lang="ru">' in page
    assert '<article class="statement" lang="en">' in page
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" '
                           r'value="([^"]*)"', page))
    s = signer()
    data.update({k: s[k] for k in ("organisation", "country", "contact_name",
                                   "email")})
    data["visibility"] = "named"
    r = http.post(stack.url + "/s/%s/sign" % st["slug"], data=data,
                  headers=RU, allow_redirects=False)
    assert r.status_code == 303
    assert query(db, "SELECT lang FROM signatures WHERE email = %s",
                 s["email"]) == [("en",)]
    mail = stack.smtp.wait_for(s["email"])[0]
    assert mail["msg"]["Subject"].startswith("Confirm your signature")
    body = text_part(mail["msg"])
    assert "Free the" in body
    assert not re.search("[А-Яа-яЁё]", body.replace(s["organisation"], "")
                         .replace(s["contact_name"], "")), body
    tok = verify_token_from(stack, mail)
    confirm_page = http.get(stack.url + "/verify/" + tok, headers=RU).text
    assert '<html lang="en">' in confirm_page
    assert "<title>Confirm your signature" in confirm_page
    done = http.post(stack.url + "/verify/" + tok, data={"confirm": "1"},
                     headers=RU).text
    assert '<html lang="en">' in done and "Signature confirmed" in done
    assert "Share this statement" in done


def test_goal_in_the_workspace_editor(stack, db, http, make_statement, token):
    from test_editor import form_of
    from test_workspace import email, login
    st = make_statement()
    who = email()
    s = login(stack, who)
    assert requests.post(stack.url + "/api/v1/statements/%s/coordinators"
                         % st["slug"], json={"email": who},
                         headers=auth(token)).status_code == 200
    url = stack.url + "/w/s/%s/edit" % st["slug"]
    data = form_of(s.get(url).text)
    data.update(goal="0", action="save")
    r = s.post(url, data=data, allow_redirects=False)
    assert r.status_code == 422, r.text[:500]
    assert 'id="e-goal"' in r.text and 'aria-invalid="true"' in r.text
    data["goal"] = "25"
    assert s.post(url, data=data, allow_redirects=False).status_code == 303
    assert query(db, "SELECT goal FROM statements WHERE slug = %s",
                 st["slug"]) == [(25,)]
    assert 'id="f-goal" name="goal" type="number" min="1" step="1" ' \
        'inputmode="numeric" value="25"' in s.get(url).text
    page = http.get(stack.url + "/s/%s?lang=en" % st["slug"]).text
    assert '<progress id="goal-bar" max="25" value="0">' in page
    data = form_of(s.get(url).text)
    data.update(goal="", action="save")
    assert s.post(url, data=data, allow_redirects=False).status_code == 303
    assert query(db, "SELECT goal FROM statements WHERE slug = %s",
                 st["slug"]) == [(None,)]
