"""The statement editor of the workspace: every field, in every state,
posted back exactly as a browser would post the rendered form."""
from html.parser import HTMLParser

import pytest
import requests

from conftest import query, unique_slug
from test_workspace import login


class Form(HTMLParser):
    """The successful controls of the first POST form, as a browser
    would submit them (checked boxes only, the selected option)."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self.inform = False
        self.done = False
        self.select = None
        self.textarea = None
        self.opts = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("method") == "post" \
                and (a.get("action", "").endswith("/edit")
                     or a.get("action") == "/w/new"):
            self.inform = True
        if not self.inform:
            return
        if tag == "input":
            t = a.get("type", "text")
            if t in ("submit", "button"):
                return
            if t == "checkbox":
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select = a["name"]
            self.opts = []
        elif tag == "option" and self.select:
            self.opts.append((a.get("value"), "selected" in a))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inform:
            self.inform = False
            self.done = True
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [v for v, s in self.opts if s] or [self.opts[0][0]]
            self.fields.append((self.select, chosen[0]))
            self.select = None


def form_of(page):
    f = Form()
    f.feed(page)
    f.close()
    assert f.fields, "no form"
    return dict(f.fields)


EDITOR = "editor@tests.example.org"


@pytest.fixture(scope="module")
def ed(stack, token):
    """A second coordinator of every statement made here: the first one's
    sign-in link is rate limited and other modules sign it in."""
    return login(stack, EDITOR)


@pytest.fixture
def mk(stack, token, make_statement):
    def make(**kw):
        st = make_statement(**kw)
        r = requests.post(stack.url + "/api/v1/statements/%s/coordinators"
                          % st["slug"], json={"email": EDITOR},
                          headers={"Authorization": "Bearer " + token})
        assert r.status_code == 200, r.text
        return st
    return make


@pytest.mark.parametrize("status", ["draft", "open", "published"])
def test_the_rendered_form_saves_as_it_is(stack, db, ed, mk,
                                          status):
    # An embargo that has passed: one that holds would keep it unpublished.
    st = mk(status=status, addressees=[{"name": "Minister"}],
            embargo_until="2026-12-01T18:01:00Z",
            embargo_timezone="Asia/Bishkek",
            media_contacts=[{"name": "Aida", "email": "aida@example.org"}])
    url = stack.url + "/w/s/%s/edit" % st["slug"]
    page = ed.get(url)
    assert page.status_code == 200
    data = form_of(page.text)
    data["title"] = "Edited " + status
    data["action"] = "save"
    r = ed.post(url, data=data, allow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    row = query(db, "SELECT title, lang, place, date::text,"
                " embargo_timezone, to_char(embargo_until AT TIME ZONE"
                " 'UTC', 'YYYY-MM-DD HH24:MI') FROM statements WHERE"
                " slug = %s", st["slug"])
    assert row == [("Edited " + status, "en", "Bishkek", "2026-12-10",
                    "Asia/Bishkek", "2026-12-01 18:01")]
    assert query(db, "SELECT a.name FROM addressees a JOIN statements s ON"
                 " s.id = a.statement_id WHERE s.slug = %s",
                 st["slug"]) == [("Minister",)]
    assert query(db, "SELECT m.email FROM media_contacts m JOIN statements s"
                 " ON s.id = m.statement_id WHERE s.slug = %s",
                 st["slug"]) == [("aida@example.org",)]


def test_new_statement_with_every_field_and_local_times(stack, db, ed):
    url = stack.url + "/w/new"
    data = form_of(ed.get(url).text)
    assert 'type="datetime-local"' in ed.get(url).text
    data.update({
        "title": "Освободите «Бишкекскую четвёрку»", "body_markdown": "Текст",
        "lang": "ru", "kind": "open_letter", "place": "Бишкек",
        "date": "2026-12-10", "expires_on": "2027-01-15",
        "reference": "UA 1/26", "timezone": "Asia/Bishkek",
        "signing_deadline": "2026-12-20T18:00",
        "embargo_until": "2026-12-09T00:01", "require_approval": "on",
        "a1_name": "Министр", "a1_email": "min@example.org",
        "coordinator_organisation": "Coalition", "headline": "H",
        "lede": "L", "notes_to_editors": "N", "about": "A",
        "m1_name": "Aida", "m1_phone": "+996 555", "action": "save"})
    data["slug"] = ""
    r = ed.post(url, data=data, allow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    slug = r.headers["Location"].rsplit("/", 1)[1]
    assert slug.startswith("osvobodite-bishkekskuyu-chetvyorku")
    assert query(db, "SELECT kind, lang, timezone, embargo_timezone,"
                 " to_char(embargo_until AT TIME ZONE 'UTC',"
                 " 'YYYY-MM-DD HH24:MI'), to_char(signing_deadline AT TIME"
                 " ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), require_approval,"
                 " expires_on::text, headline FROM statements WHERE"
                 " slug = %s", slug) == [
        ("open_letter", "ru", "Asia/Bishkek", "Asia/Bishkek",
         "2026-12-08 18:01", "2026-12-20 12:00", True, "2027-01-15", "H")]
    # Shown again in the statement's zone, in the lists chosen from.
    page = ed.get(stack.url + "/w/s/%s/edit" % slug).text
    assert 'value="2026-12-09T00:01"' in page
    assert '<option value="Asia/Bishkek" selected' in page
    assert '<option value="ru" lang="ru" selected' in page


def test_rows_are_added_and_removed_without_javascript(stack, db, ed, mk):
    st = mk(status="draft", addressees=[
        {"name": "A"}, {"name": "B"}, {"name": "C"}])
    url = stack.url + "/w/s/%s/edit" % st["slug"]
    page = ed.get(url).text
    # Every filled row and one empty one, and a button for more.
    assert 'name="a3_name" type="text" value="C"' in page
    assert 'name="a4_name"' in page and 'name="a5_name"' not in page
    assert 'value="add_addressee"' in page
    data = form_of(page)
    data["action"] = "add_addressee"
    r = ed.post(url, data=data)
    assert r.status_code == 200 and 'name="a5_name"' in r.text
    data = form_of(r.text)
    data.update({"a4_name": "D", "a5_name": "E", "a2_remove": "on",
                 "action": "save"})
    r = ed.post(url, data=data, allow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    assert query(db, "SELECT a.name FROM addressees a JOIN statements s ON"
                 " s.id = a.statement_id WHERE s.slug = %s ORDER BY"
                 " a.position", st["slug"]) == [("A",), ("C",), ("D",),
                                                ("E",)]


def test_error_summary_links_to_the_fields(stack, ed):
    data = form_of(ed.get(stack.url + "/w/new").text)
    data.update({"slug": "Bad Slug", "title": "", "a1_email": "x@",
                 "action": "save"})
    r = ed.post(stack.url + "/w/new", data=data)
    assert r.status_code == 422
    assert '<a href="#f-slug">Short name' in r.text
    assert '<a href="#f-title">' in r.text
    assert '<a href="#f-a1_name">' in r.text
    assert 'id="f-slug"' in r.text and 'id="f-a1_name"' in r.text


def test_a_draft_has_a_preview_for_its_coordinators(stack, http, ed, mk):
    st = mk(status="draft", embargo_until="2030-12-09T18:01:00Z",
            embargo_timezone="Asia/Bishkek")
    page = ed.get(stack.url + "/w/s/" + st["slug"]).text
    assert '/w/s/%s/preview"' % st["slug"] in page
    assert 'href="/s/%s"' % st["slug"] not in page
    r = ed.get(stack.url + "/w/s/%s/preview" % st["slug"])
    assert r.status_code == 200 and st["title"].split("“")[0] in r.text
    assert "Preview for coordinators" in r.text
    assert 'action="/s/%s/sign"' % st["slug"] not in r.text
    # Nobody else sees it.
    assert http.get(stack.url + "/s/" + st["slug"]).status_code == 404
    r = http.get(stack.url + "/w/s/%s/preview" % st["slug"],
                 allow_redirects=False)
    assert r.status_code in (302, 303)


def test_page_titles_follow_the_interface_language(stack, ed, mk):
    st = mk(status="draft")
    r = ed.get(stack.url + "/w/s/%s/edit" % st["slug"],
               cookies={"us_lang": "ru"})
    assert "<title>Редактирование заявления · undersigned</title>" in r.text
    r = ed.get(stack.url + "/w", cookies={"us_lang": "ru"})
    assert "<title>Ваши заявления · undersigned</title>" in r.text


def test_the_press_release_of_a_draft_is_previewed(stack, http, ed, mk):
    st = mk(status="draft", headline="Forty groups demand release",
            embargo_until="2030-12-08T18:01:00Z",
            embargo_timezone="Asia/Bishkek")
    url = stack.url + "/w/s/%s/preview/press-release" % st["slug"]
    r = ed.get(url)
    assert r.status_code == 200, r.text[:500]
    assert "EMBARGOED UNTIL 00:01 (Asia/Bishkek), Monday 9 December 2030" \
        in r.text
    assert "Forty groups demand release" in r.text
    assert r.headers["Cache-Control"] == "no-store"
    page = ed.get(stack.url + "/w/s/%s/edit" % st["slug"]).text
    assert "/w/s/%s/preview/press-release-html" % st["slug"] in page
    # Public downloads of a draft stay 404; strangers are sent to sign in.
    assert http.get(stack.url + "/s/%s/download/press-release"
                    % st["slug"]).status_code == 404
    assert http.get(url, allow_redirects=False).status_code in (302, 303)
