"""The workspace editor's urgent-action fields: the sample letter of each
language version, each addressee's salutation, and the earlier action
this one updates, chosen among the coordinator's statements."""
import pytest
import requests

from conftest import query
from test_editor import form_of
from test_workspace import login

# A coordinator of its own: test_editor.py signs its editor in, and a
# second sign-in link to one address within a minute is not sent.
EDITOR = "urgent-editor@tests.example.org"


@pytest.fixture(scope="module")
def ed(stack, token):
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


def test_editor_saves_letter_salutation_and_follows(stack, db, ed, mk):
    earlier = mk(kind="urgent_action", reference="UA 56.23")
    st = mk(kind="urgent_action", addressees=[
        {"name": "Sadyr Japarov", "salutation": "Dear Mr. President,"}])
    url = stack.url + "/w/s/%s/edit" % st["slug"]
    page = ed.get(url).text
    assert 'name="sample_letter"' in page
    assert 'value="Dear Mr. President,"' in page
    assert '<option value="%s">' % earlier["slug"] in page
    assert '<option value="%s"' % st["slug"] not in page  # not itself
    data = form_of(page)
    data.update(sample_letter="Your Excellency,\n\nRelease him.",
                a1_salutation="Уважаемый господин Президент!",
                follows=earlier["slug"], action="save")
    r = ed.post(url, data=data, allow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    (letter, follows), = query(db, "SELECT s.sample_letter, f.slug FROM"
                               " statements s JOIN statements f ON f.id ="
                               " s.follows_id WHERE s.slug = %s", st["slug"])
    assert letter.replace("\r\n", "\n") == "Your Excellency,\n\nRelease him."
    assert follows == earlier["slug"]
    assert query(db, "SELECT a.salutation FROM addressees a JOIN statements"
                 " s ON s.id = a.statement_id WHERE s.slug = %s",
                 st["slug"]) == [("Уважаемый господин Президент!",)]
    page = ed.get(url).text
    assert '<option value="%s" selected>' % earlier["slug"] in page

    # The language version has its own letter.
    page = ed.get(url + "?version=ru").text
    data = form_of(page)
    data.update(title="Освободите его", body_markdown="Текст.",
                sample_letter="Освободите его.", action="save")
    r = ed.post(url, data=data, allow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    assert query(db, "SELECT t.sample_letter FROM statement_translations t"
                 " JOIN statements s ON s.id = t.statement_id WHERE s.slug ="
                 " %s AND t.lang = 'ru'", st["slug"]) == [("Освободите его.",)]


def test_editor_shows_a_bad_follows_next_to_its_field(stack, ed, mk):
    st = mk(kind="urgent_action")
    url = stack.url + "/w/s/%s/edit" % st["slug"]
    data = form_of(ed.get(url).text)
    data.update(follows="no-such-action-xyz", action="save")
    r = ed.post(url, data=data, allow_redirects=False)
    assert r.status_code == 422
    assert 'id="e-follows"' in r.text
