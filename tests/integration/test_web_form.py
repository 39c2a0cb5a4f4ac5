"""The public page and its sign form, without JavaScript."""
import html
import re

from conftest import query, signer, verify_token_from

FORM_FIELDS = ("organisation", "acronym", "country", "website",
               "contact_name", "contact_role", "email", "comment")


def form_of(page):
    """The hidden inputs a browser would send back."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                           page))


def test_page_shows_the_statement_and_an_accessible_form(http, make_statement):
    st = make_statement(kind="urgent_action", reference="UA 56.23",
                        expires_on="2027-01-15",
                        addressees=[{"name": "Minister of Justice",
                                     "title": "Ministry of Justice",
                                     "address": "32 Orozbekov St\nBishkek",
                                     "email": "minjust@gov.example.org",
                                     "phone": "+996 312 66 30 40"}])
    r = http.get(http.base + "/s/" + st["slug"])
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    page = r.text
    assert html.escape(st["title"], quote=False) in page
    assert "Bishkek, 10 December 2026" in page
    assert "UA 56.23" in page and "15 January 2027" in page
    assert "Minister of Justice" in page and "minjust@gov.example.org" in page
    assert "<h2>We call in particular for:</h2>" in page
    assert 'action="/s/%s/sign"' % st["slug"] in page
    for f in FORM_FIELDS:
        assert 'for="f-%s"' % f in page and 'id="f-%s"' % f in page
    assert '<html lang="en">' in page
    assert "No organisation has signed yet." in page


def test_form_errors_are_shown_next_to_fields_keeping_input(http, make_statement,
                                                            db):
    st = make_statement()
    page = http.get(http.base + "/s/" + st["slug"]).text
    data = form_of(page)
    data.update({"organisation": "Центр «Солидарность» <b>", "country": "KG",
                 "contact_name": "", "email": "broken@", "comment": "line 1\nline 2"})
    r = http.post(http.base + "/s/%s/sign" % st["slug"], data=data,
                  allow_redirects=False)
    assert r.status_code == 422
    assert 'id="e-email"' in r.text and 'id="e-contact_name"' in r.text
    assert 'aria-invalid="true"' in r.text
    assert 'value="Центр «Солидарность» &lt;b&gt;"' in r.text
    assert "line 1\nline 2</textarea>" in r.text
    assert '<option value="KG" selected>' in r.text
    assert 'href="#f-email"' in r.text
    assert query(db, "SELECT count(*) FROM signatures WHERE email = 'broken@'") == [(0,)]


def test_form_sign_confirm_and_listed_on_the_page(http, stack, db, make_statement):
    st = make_statement()
    page = http.get(http.base + "/s/" + st["slug"]).text
    s = signer(organisation="Грузинская ассоциация <script>alert(1)</script>",
               acronym="GYLA", country="GE")
    data = form_of(page)
    data.update({k: s[k] for k in FORM_FIELDS if k in s})
    data["visibility"] = "named"
    r = http.post(http.base + "/s/%s/sign" % st["slug"], data=data,
                  allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/s/%s/check-email" % st["slug"]
    check = http.get(http.base + r.headers["Location"])
    assert check.status_code == 200 and "Check your email" in check.text
    assert query(db, "SELECT status, source FROM signatures WHERE email = %s",
                 s["email"]) == [("pending", "web")]

    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    confirm_page = http.get(http.base + "/verify/" + token)
    assert 'method="post" action="/verify/%s"' % token in confirm_page.text
    done = http.post(http.base + "/verify/" + token, data={"confirm": "1"})
    assert done.status_code == 200 and "Signature confirmed" in done.text

    page = http.get(http.base + "/s/" + st["slug"]).text
    assert ("<li><bdi>Грузинская ассоциация &lt;script&gt;alert(1)&lt;/script&gt;"
            "</bdi> (<bdi>GYLA, Georgia</bdi>)</li>") in page
    assert "<script>alert(1)" not in page
    assert "1 organisation from 1 country has signed." in page
    assert s["email"] not in page and s["contact_name"] not in page


def test_counted_choice_in_the_form(http, stack, make_statement):
    st = make_statement()
    data = form_of(http.get(http.base + "/s/" + st["slug"]).text)
    s = signer(organisation="Hidden Group of Lawyers")
    data.update({k: s[k] for k in FORM_FIELDS if k in s})
    data["country"] = ""
    data["visibility"] = "counted"
    r = http.post(http.base + "/s/%s/sign" % st["slug"], data=data,
                  allow_redirects=False)
    assert r.status_code == 303
    mail = stack.smtp.wait_for(s["email"])[0]
    assert "counted but not named" in mail["msg"].get_body(("plain",)).get_content()
    token = verify_token_from(stack, mail)
    http.post(http.base + "/verify/" + token, data={"confirm": "1"})
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert "Hidden Group" not in page
    assert "and 1 organisation that cannot be named for its safety" in page


def test_closed_statement_has_no_form_and_refuses_posts(http, make_statement):
    st = make_statement(status="closed")
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert "Signing is closed." in page
    assert 'action="/s/%s/sign"' % st["slug"] not in page
    data = signer()
    r = http.post(http.base + "/s/%s/sign" % st["slug"], data=data,
                  allow_redirects=False)
    assert r.status_code == 409


def test_unknown_statement_page_is_404_html(http):
    r = http.get(http.base + "/s/does-not-exist")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert "There is no statement" in r.text


def test_static_css_has_etag_and_304(http):
    r = http.get(http.base + "/assets/style.css")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")
    etag = r.headers["ETag"]
    r2 = http.get(http.base + "/assets/style.css", headers={"If-None-Match": etag})
    assert r2.status_code == 304


def test_security_headers_on_pages(http, make_statement):
    st = make_statement()
    r = http.get(http.base + "/s/" + st["slug"])
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
