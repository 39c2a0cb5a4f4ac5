"""Urgent actions people act on: the sample letter per language version,
each addressee's salutation and ready ways to act (email with the letter,
tel:, fax:, social, printable letter), expiry (409 expired), and the links
between an action and its numbered updates."""
import html
import subprocess
import urllib.parse

import requests

from conftest import query, signer, unique_slug, verify_token_from

RU = {"Accept-Language": "ru"}

LETTER = """Your Excellency,

I am writing to express my concern about the detention of Azimjan \
Askarov, a human rights defender held since June 2010.

I call on you to release him immediately and unconditionally.

Yours sincerely,"""

ADDRESSEES = [
    {"name": "Sadyr Japarov", "title": "President of the Kyrgyz Republic",
     "address": "Government House\n720003 Bishkek", "email":
     "president@example.kg", "phone": "+996 (312) 62-50-36",
     "fax": "+996 312 62 50 37", "social":
     "X: https://x.com/president_kg", "salutation": "Dear Mr. President,"},
    {"name": "Kurbanbek Iskandarov", "title": "Prosecutor General",
     "address": "139 Logvinenko St\n720040 Bishkek",
     "salutation": "Dear Prosecutor General,"},
]


def auth(token):
    return {"Authorization": "Bearer " + token}


def ua(make_statement, **over):
    fields = dict(kind="urgent_action", reference="UA 56.23",
                  expires_on="2099-01-05", sample_letter=LETTER,
                  addressees=ADDRESSEES)
    fields.update(over)
    return make_statement(**fields)


def test_api_keeps_the_sample_letter_salutations_and_follows(
        http, token, make_statement):
    first = ua(make_statement)
    st = http.get(http.base + "/api/v1/statements/" + first["slug"]).json()
    assert st["sample_letter"] == LETTER
    assert [a["salutation"] for a in st["addressees"]] == [
        "Dear Mr. President,", "Dear Prosecutor General,"]
    assert st["follows"] is None
    assert st["expired"] is False
    assert st["followed_by"] == []

    upd = ua(make_statement, reference="UA 56.23 Update 1",
             follows=first["slug"])
    got = http.get(http.base + "/api/v1/statements/" + upd["slug"]).json()
    assert got["follows"] == first["slug"]
    assert got["update_number"] == 1
    earlier = http.get(http.base + "/api/v1/statements/" +
                       first["slug"]).json()
    assert [u["slug"] for u in earlier["followed_by"]] == [upd["slug"]]

    # PATCH changes the letter and a salutation; null drops the link.
    r = http.patch(http.base + "/api/v1/statements/" + upd["slug"],
                   json={"sample_letter": "Dear Sir,\n\nRelease him.",
                         "follows": None}, headers=auth(token))
    assert r.status_code == 200, r.text
    assert r.json()["sample_letter"] == "Dear Sir,\n\nRelease him."
    assert r.json()["follows"] is None
    earlier = http.get(http.base + "/api/v1/statements/" +
                       first["slug"]).json()
    assert earlier["followed_by"] == []


def test_a_language_version_has_its_own_sample_letter(
        http, token, make_statement):
    st = ua(make_statement)
    r = http.put(http.base + "/api/v1/statements/%s/translations/ru"
                 % st["slug"], json={
                     "title": "Освободите Азимжана Аскарова",
                     "body_markdown": "Текст призыва.",
                     "sample_letter": "Уважаемый господин Президент!\n\n"
                                      "Освободите его."},
                 headers=auth(token))
    assert r.status_code == 201, r.text
    got = http.get(http.base + "/api/v1/statements/%s/translations/ru"
                   % st["slug"]).json()
    assert got["sample_letter"].startswith("Уважаемый господин Президент!")
    page = http.get(http.base + "/s/%s?lang=ru" % st["slug"],
                    headers=RU).text
    assert "Освободите его." in page
    assert "/s/%s/download/letter?lang=ru" % st["slug"] in page


def test_422_for_bad_fields(http, token, make_statement):
    base = {"slug": unique_slug(), "kind": "urgent_action", "lang": "en",
            "title": "T", "body_markdown": "B"}
    cases = [
        ({"follows": "no-such-statement-xyz"}, "follows",
         "unknown_statement"),
        ({"follows": "Not A Slug"}, "follows", "invalid_slug"),
        ({"follows": base["slug"]}, "follows", "follows_self"),
        ({"sample_letter": "x" * 50001}, "sample_letter", "too_long"),
        ({"addressees": [{"name": "A", "salutation": "D" * 201}]},
         "addressees", "too_long"),
    ]
    for extra, field, code in cases:
        r = http.post(http.base + "/api/v1/statements",
                      json=dict(base, **extra), headers=auth(token))
        assert r.status_code == 422, (extra, r.text)
        err = r.json()["error"]
        assert (err["field"], err["code"]) == (field, code), r.text
        assert err["message"]


def test_follows_cannot_make_a_cycle_or_name_another_coordinators_draft(
        http, token, make_statement, stack):
    a = ua(make_statement)
    b = ua(make_statement, follows=a["slug"])
    c = ua(make_statement, follows=b["slug"])
    r = http.patch(http.base + "/api/v1/statements/" + a["slug"],
                   json={"follows": c["slug"]}, headers=auth(token))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "follows_cycle"
    assert r.json()["error"]["field"] == "follows"
    r = http.patch(http.base + "/api/v1/statements/" + a["slug"],
                   json={"follows": a["slug"]}, headers=auth(token))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "follows_self"


def test_pages_link_updates_both_ways_published_and_open_only(
        http, make_statement):
    first = ua(make_statement, status="published")
    upd = ua(make_statement, follows=first["slug"],
             title="Askarov: new concern")
    ua(make_statement, status="draft", follows=first["slug"],
       title="A draft update nobody may see")
    page = http.get(http.base + "/s/" + upd["slug"]).text
    assert ('Update 1 to <a href="/s/%s">UA 56.23</a>' % first["slug"]
            in page)
    page = http.get(http.base + "/s/" + first["slug"]).text
    assert "Further updates" in page
    assert 'href="/s/%s"' % upd["slug"] in page
    assert "A draft update nobody may see" not in page
    ru = http.get(http.base + "/s/" + upd["slug"], headers=RU).text
    assert "Обновление 1 к" in ru


def test_page_gives_each_addressee_ways_to_act(http, make_statement):
    st = ua(make_statement)
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert "Sample letter" in page
    assert "the detention of Azimjan" in page
    assert 'href="tel:+996312625036"' in page
    assert 'href="fax:+996312625037"' in page
    assert 'href="https://x.com/president_kg"' in page
    assert 'href="/s/%s/download/letter"' % st["slug"] in page
    mailtos = [html.unescape(m.split('"')[0]) for m in
               page.split('href="mailto:president@example.kg?')[1:]]
    assert len(mailtos) == 1
    q = urllib.parse.parse_qs(mailtos[0])
    assert q["subject"] == ["UA 56.23: " + st["title"]]
    assert q["body"][0].startswith("Dear Mr. President,\r\n\r\nYour "
                                   "Excellency,")
    # The second addressee has no email: no mailto for them.  Besides the
    # first addressee's plain address and letter, the only mailto: is the
    # page's own "share by email" link, which names no recipient.
    assert page.count("mailto:") == 3
    assert page.count('href="mailto:?') == 1


def test_a_long_letter_is_cut_in_the_mailto_and_points_to_the_page(
        http, make_statement):
    long_letter = "\n\n".join("Paragraph %d: " % i + "word " * 60
                              for i in range(20))
    st = ua(make_statement, sample_letter=long_letter)
    page = http.get(http.base + "/s/" + st["slug"]).text
    link = html.unescape(page.split('href="mailto:president@example.kg?')[1]
                         .split('"')[0])
    assert len("mailto:president@example.kg?" + link) <= 1800
    body = urllib.parse.parse_qs(link)["body"][0]
    assert body.endswith("The full letter is on the page %s/s/%s"
                         % (http.base, st["slug"])) or "/s/%s" % st["slug"] \
        in body
    assert "Paragraph 0:" in body and "Paragraph 19:" not in body
    assert "the full letter is on this page" in page


def test_after_expiry_signing_is_refused_and_the_page_says_so(
        http, db, make_statement):
    # Yesterday everywhere on Earth: expired in any zone.
    st = ua(make_statement, expires_on="2026-01-05",
            timezone="Asia/Bishkek")
    page = http.get(http.base + "/s/" + st["slug"]).text
    assert "This action has expired." in page
    assert "This action expired on 5 January 2026." in page
    assert 'action="/s/%s/sign"' % st["slug"] not in page
    assert "the detention of Azimjan" in page  # still readable
    ru = http.get(http.base + "/s/" + st["slug"], headers=RU).text
    assert "Срок этой акции истёк." in ru

    s = signer()
    r = http.post(http.base + "/api/v1/statements/%s/signatures"
                  % st["slug"], json=s)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "expired"

    r = http.post(http.base + "/s/%s/sign" % st["slug"],
                  data=dict(s, visibility="named"), headers=RU,
                  allow_redirects=False)
    assert r.status_code == 409
    assert "Срок этой акции истёк." in r.text
    assert s["organisation"] not in r.text  # nothing typed is kept
    assert 'action="/s/%s/sign"' % st["slug"] not in r.text
    assert query(db, "SELECT count(*) FROM signatures WHERE email = %s",
                 s["email"]) == [(0,)]

    # Mistakes in the form change nothing: the action is over.
    r = http.post(http.base + "/s/%s/sign" % st["slug"],
                  data={"organisation": "", "email": "broken@"},
                  allow_redirects=False)
    assert r.status_code == 409
    assert "This action has expired." in r.text
    assert "broken@" not in r.text


def test_another_coordinator_keeps_a_link_to_a_draft_they_do_not_run(
        http, token, stack, make_statement):
    draft = ua(make_statement, status="draft")
    upd = ua(make_statement, follows=draft["slug"])
    email = "other-%s@coalition.example.org" % unique_slug()
    other = stack.cli("coordinator", "add", email).stdout.split()[-1]
    r = http.post(http.base + "/api/v1/statements/%s/coordinators"
                  % upd["slug"], json={"email": email}, headers=auth(token))
    assert r.status_code == 200, r.text
    # The public does not learn of the earlier draft.
    got = http.get(http.base + "/api/v1/statements/" + upd["slug"]).json()
    assert got["follows"] is None and got["update_number"] is None
    # Its coordinators see it, and one who does not run the draft can
    # still edit the update without losing or being refused the link.
    r = http.patch(http.base + "/api/v1/statements/" + upd["slug"],
                   json={"title": "Edited by another"}, headers=auth(other))
    assert r.status_code == 200, r.text
    assert r.json()["follows"] == draft["slug"]
    # But cannot point it at someone else's draft anew.
    r = http.patch(http.base + "/api/v1/statements/" + upd["slug"],
                   json={"follows": None}, headers=auth(other))
    assert r.status_code == 200
    r = http.patch(http.base + "/api/v1/statements/" + upd["slug"],
                   json={"follows": draft["slug"]}, headers=auth(other))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_statement"


def test_the_last_day_still_counts(http, db, make_statement):
    # Today in the statement's zone: open until its end there.
    today = query(db, "SELECT (now() AT TIME ZONE 'Pacific/Kiritimati')"
                  "::date::text")[0][0]
    st = ua(make_statement, expires_on=today, timezone="Pacific/Kiritimati")
    r = http.post(http.base + "/api/v1/statements/%s/signatures"
                  % st["slug"], json=signer())
    assert r.status_code == 202, r.text


def confirmed(http, stack, slug, **over):
    s = signer(**over)
    r = http.post(stack.url + "/api/v1/statements/%s/signatures" % slug,
                  json=s)
    assert r.status_code == 202
    token = verify_token_from(stack, stack.smtp.wait_for(s["email"])[0])
    assert http.post(stack.url + "/api/v1/verify",
                     json={"token": token}).status_code == 200
    return s


def test_letter_download_holds_each_salutation_in_order_and_the_list(
        http, stack, make_statement, tmp_path):
    st = ua(make_statement)
    for org in ("Bir Duino Kyrgyzstan", "Kylym Shamy"):
        confirmed(http, stack, st["slug"], organisation=org)
    r = http.get(http.base + "/s/%s/download/letter" % st["slug"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/pdf")
    pdf = tmp_path / "l.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode()
    a = text.index("Dear Mr. President,")
    b = text.index("Dear Prosecutor General,")
    assert a < b
    assert "Government House" in text and "720040 Bishkek" in text
    assert "Yours sincerely," in text
    # Each letter carries the joint letter's list of organisations.
    assert text.count("Bir Duino Kyrgyzstan") == 2
    assert text.count("Kylym Shamy") == 2
    assert a < text.index("Bir Duino Kyrgyzstan") < b


def test_formats_list_the_letter(http):
    names = [f["name"] for f in
             http.get(http.base + "/api/v1/formats").json()]
    assert "letter" in names


def test_index_and_feed_list_an_update_with_the_action_it_follows(
        http, make_statement):
    import xml.etree.ElementTree as ET
    first = ua(make_statement, status="published", title="Askarov held")
    upd = ua(make_statement, status="published", follows=first["slug"],
             title="Askarov: new concern")
    index = []
    url = http.base + "/api/v1/statements?limit=1000"
    while url:
        r = http.get(url)
        assert r.status_code == 200
        index += r.json()
        url = r.links.get("next", {}).get("url")
    got = {e["slug"]: e for e in index}
    assert got[upd["slug"]]["follows"] == first["slug"]
    assert got[upd["slug"]]["update_number"] == 1
    assert got[upd["slug"]]["reference"] == "UA 56.23"
    assert got[first["slug"]]["follows"] is None
    assert got[first["slug"]]["update_number"] is None

    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(http.get(http.base + "/feed.atom").content)
    entries = {e.find("a:id", ns).text.rsplit("/", 1)[1]: e
               for e in feed.findall("a:entry", ns)}
    e = entries[upd["slug"]]
    assert e.find("a:title", ns).text == \
        "Update 1 to UA 56.23: Askarov: new concern"
    related = [link.get("href") for link in e.findall("a:link", ns)
               if link.get("rel") == "related"]
    assert related == [http.base + "/s/" + first["slug"]] or \
        related[0].endswith("/s/" + first["slug"])
    assert entries[first["slug"]].find("a:title", ns).text == "Askarov held"
    ru = ET.fromstring(http.get(http.base + "/feed.atom",
                                headers=RU).content)
    titles = [t.text for t in ru.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Обновление 1 к UA 56.23: Askarov: new concern" in titles
