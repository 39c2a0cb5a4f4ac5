"""Imports over HTTP: the API's report (rejected, warnings, duplicates),
imports left for moderation, and the workspace preview with the
coordinator's corrections, checked against the rows in PostgreSQL."""
import html
import re

import pytest
import requests

from conftest import query, unique_slug
from test_workspace import csrf, login

ADDRESS = "importer@tests.example.org"

ISSUE_LINES = [
    "Amnesty International (International)",
    "Public Verdict Foundation, Russia",
    "Human Rights House Foundation (HRHF), Norway",
    "Netherlands Helsinki Committee (NHC), the Netherlands",
    "Институт «Медиа Полиси», Кыргызстан",
]


@pytest.fixture(scope="module")
def importer(stack):
    """A coordinator with a token and a signed-in session."""
    token = stack.cli("coordinator", "add", ADDRESS).stdout.split()[-1]
    session = login(stack, ADDRESS)
    session.api_token = token
    return session


def statement(stack, importer, **fields):
    body = {"slug": unique_slug(), "kind": "joint_statement", "lang": "en",
            "title": "Import test", "body_markdown": "We call for it.",
            "place": "Bishkek", "date": "2026-12-10"}
    body.update(fields)
    auth = {"Authorization": "Bearer " + importer.api_token}
    r = requests.post(stack.url + "/api/v1/statements", json=body,
                      headers=auth)
    assert r.status_code == 201, r.text
    r = requests.post(stack.url + "/api/v1/statements/%s/status"
                      % body["slug"], json={"status": "open"}, headers=auth)
    assert r.status_code == 200, r.text
    return body["slug"]


def api_import(stack, importer, slug, lines, query_string=""):
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures/import%s"
                      % (slug, query_string), data="\n".join(lines).encode(),
                      headers={"Authorization": "Bearer " + importer.api_token,
                               "Content-Type": "text/plain; charset=utf-8"})
    return r


def stored(db, slug):
    return query(db, "SELECT organisation, acronym, country, country2,"
                 " approved_at IS NOT NULL FROM signatures s JOIN statements"
                 " t ON t.id = s.statement_id WHERE t.slug = %s ORDER BY s.id",
                 slug)


def public(stack, slug):
    r = requests.get(stack.url + "/api/v1/statements/%s/signatures" % slug)
    assert r.status_code == 200
    return [s["organisation"] for s in r.json()]


def test_the_issue_lines_are_read_right(stack, importer, db):
    slug = statement(stack, importer)
    r = api_import(stack, importer, slug, ISSUE_LINES)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc == {"imported": 5, "rejected": [], "warnings": []}, doc
    assert stored(db, slug) == [
        ("Amnesty International", None, None, None, True),
        ("Public Verdict Foundation", None, "RU", None, True),
        ("Human Rights House Foundation", "HRHF", "NO", None, True),
        ("Netherlands Helsinki Committee", "NHC", "NL", None, True),
        ("Институт «Медиа Полиси»", None, "KG", None, True)]


def test_duplicates_are_rejected_and_look_alikes_are_not(stack, importer,
                                                         db):
    slug = statement(stack, importer)
    assert api_import(stack, importer, slug, ISSUE_LINES).json()[
        "imported"] == 5
    r = api_import(stack, importer, slug, [
        "1. Helsinki Foundation for Human Rights (HFHR), Poland",
        "2. Human Rights House Foundation (HRHF), Norway",
        "3. Public Verdict Foundation (Russia)",
        "4. HFHR (Poland)",
        "5. Women's Initiatives (Holland)",
        "6. Broken (ACR, Germany",
    ])
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["imported"] == 2
    assert doc["rejected"] == [
        {"line": 2, "text": "2. Human Rights House Foundation (HRHF), Norway",
         "reason": "duplicate",
         "duplicate_of": "Human Rights House Foundation (HRHF)"},
        {"line": 3, "text": "3. Public Verdict Foundation (Russia)",
         "reason": "duplicate", "duplicate_of": "Public Verdict Foundation"},
        {"line": 4, "text": "4. HFHR (Poland)", "reason": "duplicate",
         "duplicate_of": "Helsinki Foundation for Human Rights (HFHR)",
         "duplicate_line": 1},
        {"line": 6, "text": "6. Broken (ACR, Germany",
         "reason": "unbalanced parentheses: every \"(\" needs its \")\""}]
    assert doc["warnings"] == [
        {"line": 5, "text": "5. Women's Initiatives (Holland)",
         "reason": "\"Holland\" read as the country Netherlands"}]
    names = [row[0] for row in stored(db, slug)]
    assert names.count("Human Rights House Foundation") == 1
    assert names.count("Helsinki Foundation for Human Rights") == 1
    assert "Women's Initiatives" in names


def test_duplicates_imported_on_request_are_warnings(stack, importer, db):
    slug = statement(stack, importer)
    api_import(stack, importer, slug, ["Open Steppe (OS, Kyrgyzstan)"])
    r = api_import(stack, importer, slug, ["Open Steppe, Kyrgyzstan"],
                   "?duplicates=import")
    assert r.status_code == 200, r.text
    assert r.json() == {"imported": 1, "rejected": [], "warnings": [
        {"line": 1, "text": "Open Steppe, Kyrgyzstan", "reason": "duplicate",
         "duplicate_of": "Open Steppe (OS)"}]}
    assert len(stored(db, slug)) == 2
    r = api_import(stack, importer, slug, ["X (Germany)"],
                   "?duplicates=maybe")
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "duplicates"


def test_an_email_that_signed_is_a_duplicate(stack, importer, db):
    slug = statement(stack, importer)
    csv = ("organisation,country,email\r\n"
           "First Org,Germany,same@example.org\r\n"
           "Second Org,France,SAME@example.org\r\n")
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures/import"
                      % slug, data=csv.encode(),
                      headers={"Authorization": "Bearer " + importer.api_token,
                               "Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["imported"] == 1
    assert [(x["line"], x["reason"], x["duplicate_of"])
            for x in doc["rejected"]] == [(3, "duplicate", "First Org")]


def test_rows_left_for_moderation_are_not_public(stack, importer, db):
    slug = statement(stack, importer)
    r = api_import(stack, importer, slug, ["Held Org (Armenia)"],
                   "?moderation=1")
    assert r.status_code == 200 and r.json()["imported"] == 1
    assert stored(db, slug) == [("Held Org", None, "AM", None, False)]
    assert public(stack, slug) == []
    queue = importer.get(stack.url + "/w/s/%s/signatures?show=queue" % slug)
    assert queue.status_code == 200 and "Held Org" in queue.text
    r = api_import(stack, importer, slug, ["Open Org (Armenia)"])
    assert public(stack, slug) == ["Open Org"]


def test_a_published_statement_takes_no_import(stack, importer):
    slug = statement(stack, importer)
    auth = {"Authorization": "Bearer " + importer.api_token}
    for st in ("closed", "published"):
        assert requests.post(stack.url + "/api/v1/statements/%s/status"
                             % slug, json={"status": st},
                             headers=auth).status_code == 200
    r = api_import(stack, importer, slug, ["Late Org (Germany)"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "published"


def form_values(page):
    """The preview form's inputs as a browser would send them."""
    values = {}
    for m in re.finditer(r'<input ([^>]*)>', page):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if "name" not in attrs:
            continue
        if attrs.get("type") in ("checkbox", "radio"):
            if "checked" in m.group(1).split('"')[-1] or \
               re.search(r'\schecked(\s|$)', m.group(1)):
                values[attrs["name"]] = html.unescape(attrs.get("value", ""))
            continue
        if attrs.get("type") == "file":
            continue
        values[attrs["name"]] = html.unescape(attrs.get("value", ""))
    text = re.search(r'<textarea id="f-text" name="text"[^>]*>\n?(.*?)'
                     r'</textarea>', page, re.S)
    values["text"] = html.unescape(text.group(1))
    fmt = re.search(r'<option value="(\w+)" selected>', page)
    values["format"] = fmt.group(1)
    return values


def test_workspace_preview_keeps_the_text_and_takes_corrections(
        stack, importer, db):
    slug = statement(stack, importer)
    api_import(stack, importer, slug, ["Human Rights House Foundation "
                                       "(HRHF), Norway"])
    url = stack.url + "/w/s/%s/import" % slug
    t = csrf(importer, url)
    text = "\n".join([
        "Signed by:",
        "1. Helsinki Foundation for Human Rights (HFHR), Poland",
        "2. Human Rights House Foundation (HRHF), Norway",
        "3. Moscow Helsinki Group (Moscow Helsinki)",
        "4. Drop Me (Germany)",
        "5. Name (ACR, Atlantis)",
    ])
    r = importer.post(url, files={"text": (None, text),
                                  "csrf": (None, t),
                                  "action": (None, "preview")})
    assert r.status_code == 200, r.text[:500]
    page = r.text
    values = form_values(page)
    assert values["text"].replace("\r\n", "\n") == text
    summary = dict(re.findall(r'<dd id="sum-(\w+)">(\d+)</dd>', page))
    assert summary == {"lines": "6", "import": "3", "check": "1",
                       "duplicates": "1", "left": "0", "unread": "2"}
    assert "Duplicate of" in page and "already on the list" in page
    assert 'id="keep-3"' in page and 'name="keep_3" value="1">' in page
    assert "read as the acronym" in page
    assert public(stack, slug) == ["Human Rights House Foundation"]

    # Correct line 4, leave out line 5, rescue line 6, import the
    # duplicate all the same, and hold everything for moderation.
    values.update({"name_4": "Moscow Helsinki Group", "acronym_4": "MHG",
                   "countries_4": "Russia", "keep_3": "1",
                   "keep_6": "1", "name_6": "Name", "acronym_6": "ACR",
                   "countries_6": "Moldova, Romania", "moderation": "1",
                   "action": "import", "csrf": t})
    values.pop("keep_5")
    r = importer.post(url, files={k: (None, v) for k, v in values.items()})
    assert r.status_code == 200, r.text[:500]
    assert re.search(r'id="imported">4<', r.text), r.text[:2000]
    assert "moderation queue" in r.text
    rows = stored(db, slug)
    assert rows[1:] == [
        ("Helsinki Foundation for Human Rights", "HFHR", "PL", None, False),
        ("Human Rights House Foundation", "HRHF", "NO", None, False),
        ("Moscow Helsinki Group", "MHG", "RU", None, False),
        ("Name", "ACR", "MD", "RO", False)]
    assert public(stack, slug) == ["Human Rights House Foundation"]
    # After the import the box is empty for the next one.
    assert form_values(r.text)["text"] == ""


def test_corrections_for_another_text_are_ignored(stack, importer, db):
    slug = statement(stack, importer)
    url = stack.url + "/w/s/%s/import" % slug
    t = csrf(importer, url)
    r = importer.post(url, files={"text": (None, "Org One (Germany)"),
                                  "csrf": (None, t),
                                  "action": (None, "preview")})
    values = form_values(r.text)
    values.update({"text": "Other Org (France)", "name_1": "Renamed",
                   "action": "import", "csrf": t})
    r = importer.post(url, files={k: (None, v) for k, v in values.items()})
    assert r.status_code == 200
    assert [row[0] for row in stored(db, slug)] == ["Other Org"]


def test_an_import_takes_at_most_10000_lines(stack, importer, db):
    slug = statement(stack, importer)
    lines = ["Org %d (Germany)" % i for i in range(10001)]
    r = api_import(stack, importer, slug, lines)
    assert r.status_code == 413, r.text[:300]
    assert r.json()["error"]["code"] == "too_many_lines"
    assert stored(db, slug) == []
    # Blank lines do not count: they separate, they do not sign.
    r = api_import(stack, importer, slug, lines[:2] + [""] * 10000)
    assert r.status_code == 200 and r.json()["imported"] == 2
