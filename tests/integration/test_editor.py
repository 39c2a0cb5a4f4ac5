"""The statement editor of the workspace: every field, in every state,
posted back exactly as a browser would post the rendered form."""
from html.parser import HTMLParser

import pytest

from conftest import query, unique_slug
from test_workspace import csrf, email, login


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


@pytest.fixture(scope="module")
def ed(stack, token):
    return login(stack, "coordinator@tests.example.org")


@pytest.mark.parametrize("status", ["draft", "open", "published"])
def test_the_rendered_form_saves_as_it_is(stack, db, ed, make_statement,
                                          status):
    st = make_statement(status=status, addressees=[{"name": "Minister"}],
                        embargo_until="2030-12-09T18:01:00Z",
                        embargo_timezone="Asia/Bishkek",
                        media_contacts=[{"name": "Aida", "email":
                                         "aida@example.org"}])
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
                    "Asia/Bishkek", "2030-12-09 18:01")]
    assert query(db, "SELECT a.name FROM addressees a JOIN statements s ON"
                 " s.id = a.statement_id WHERE s.slug = %s",
                 st["slug"]) == [("Minister",)]
    assert query(db, "SELECT m.email FROM media_contacts m JOIN statements s"
                 " ON s.id = m.statement_id WHERE s.slug = %s",
                 st["slug"]) == [("aida@example.org",)]
