"""Editing through the API: PATCH of a statement and PUT/GET of a
language version, with the workspace's rules and error codes."""
import requests

from conftest import query, unique_slug


def auth(token):
    return {"Authorization": "Bearer " + token}


def other_token(stack):
    out = stack.cli("coordinator", "add",
                    "%s@other.example.org" % unique_slug("o"))
    return out.stdout.strip().splitlines()[-1]


def test_patch_changes_only_the_fields_given(http, stack, db, token,
                                             make_statement):
    st = make_statement(status="draft",
                        addressees=[{"name": "Minister"}])
    url = stack.url + "/api/v1/statements/" + st["slug"]
    r = requests.patch(url, headers=auth(token), json={
        "place": "Osh", "signing_deadline": "2030-01-01T00:00:00Z",
        "embargo_until": "2030-12-09T18:01:00Z",
        "embargo_timezone": "Asia/Bishkek", "headline": "Free them",
        "require_approval": True,
        "media_contacts": [{"name": "Aida", "email": "aida@example.org"}]})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["place"] == "Osh" and doc["title"] == st["title"]
    assert doc["headline"] == "Free them" and doc["require_approval"]
    assert query(db, "SELECT place, title, headline, require_approval,"
                 " embargo_timezone FROM statements WHERE slug = %s",
                 st["slug"]) == [("Osh", st["title"], "Free them", True,
                                  "Asia/Bishkek")]
    # Lists not named stay as they were.
    assert query(db, "SELECT a.name FROM addressees a JOIN statements s ON"
                 " s.id = a.statement_id WHERE s.slug = %s",
                 st["slug"]) == [("Minister",)]
    assert query(db, "SELECT m.name FROM media_contacts m JOIN statements s"
                 " ON s.id = m.statement_id WHERE s.slug = %s",
                 st["slug"]) == [("Aida",)]
    # null clears an optional field.
    r = requests.patch(url, headers=auth(token), json={"headline": None})
    assert r.status_code == 200 and "headline" not in r.json() or \
        r.json()["headline"] is None
    assert query(db, "SELECT headline FROM statements WHERE slug = %s",
                 st["slug"]) == [(None,)]


def test_patch_errors(http, stack, token, make_statement):
    st = make_statement(status="draft")
    url = stack.url + "/api/v1/statements/" + st["slug"]
    assert requests.patch(url, json={"place": "X"}).status_code == 401
    r = requests.patch(url, json={"place": "X"},
                       headers=auth(other_token(stack)))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "not_coordinator"
    r = requests.patch(stack.url + "/api/v1/statements/no-such-" +
                       unique_slug(), json={"place": "X"}, headers=auth(token))
    assert r.status_code == 404
    r = requests.patch(url, json={"date": "tomorrow"}, headers=auth(token))
    assert r.status_code == 422 and r.json()["error"]["field"] == "date"
    r = requests.patch(url, json={"title": ""}, headers=auth(token))
    assert r.status_code == 422 and r.json()["error"]["field"] == "title"
    r = requests.patch(url, json={"slug": "another"}, headers=auth(token))
    assert r.status_code == 422 and r.json()["error"]["field"] == "slug"
    r = requests.patch(url, json={"colour": "red"}, headers=auth(token))
    assert r.status_code == 422 and r.json()["error"]["field"] == "colour"
    r = requests.patch(url, data="[1]", headers=dict(
        auth(token), **{"Content-Type": "application/json"}))
    assert r.status_code in (400, 422)
    assert requests.put(url + "/translations/ru", headers=auth(token), json={
        "title": "Заявление", "body_markdown": "Текст"}).status_code == 201
    r = requests.patch(url, json={"lang": "ru"}, headers=auth(token))
    assert r.status_code == 409 and r.json()["error"]["code"] == "lang_taken"


def test_patch_of_a_published_text_makes_the_next_version(http, stack, db,
                                                         token,
                                                         make_statement):
    st = make_statement(status="published")
    url = stack.url + "/api/v1/statements/" + st["slug"]
    r = requests.patch(url, headers=auth(token), json={
        "body_markdown": st["body_markdown"] + "\nCorrected.",
        "note": "Corrected a date"})
    assert r.status_code == 200, r.text
    assert query(db, "SELECT max(v.version), bool_or(v.note ="
                 " 'Corrected a date') FROM statement_versions v JOIN"
                 " statements s ON s.id = v.statement_id WHERE s.slug = %s",
                 st["slug"]) == [(2, True)]


def test_put_and_get_a_language_version(http, stack, db, token,
                                        make_statement):
    st = make_statement()
    url = stack.url + "/api/v1/statements/%s/translations/ru" % st["slug"]
    body = {"title": "Освободите «Бишкекскую четвёрку»",
            "body_markdown": "Мы, **нижеподписавшиеся**…",
            "headline": "Освободите их", "lede": "Сегодня…",
            "notes_to_editors": "Примечание", "about": "О нас"}
    r = requests.put(url, headers=auth(token), json=body)
    assert r.status_code == 201, r.text
    r = requests.put(url, headers=auth(token), json=dict(body, title="Новое"))
    assert r.status_code == 200
    got = requests.get(url).json()
    assert got["lang"] == "ru" and got["title"] == "Новое"
    assert got["headline"] == "Освободите их" and got["about"] == "О нас"
    assert "<strong>нижеподписавшиеся</strong>" in got["body_html"]
    assert len(got["text_digest"]) == 64
    assert query(db, "SELECT tr.headline, tr.lede FROM statement_translations"
                 " tr JOIN statements s ON s.id = tr.statement_id WHERE"
                 " s.slug = %s", st["slug"]) == [("Освободите их", "Сегодня…")]


def test_language_version_errors(http, stack, token, make_statement):
    st = make_statement(status="draft")
    url = stack.url + "/api/v1/statements/%s/translations/" % st["slug"]
    body = {"title": "T", "body_markdown": "B"}
    assert requests.put(url + "ru", json=body).status_code == 401
    r = requests.put(url + "ru", json=body, headers=auth(other_token(stack)))
    assert r.status_code == 403
    r = requests.put(stack.url + "/api/v1/statements/no-%s/translations/ru"
                     % unique_slug(), json=body, headers=auth(token))
    assert r.status_code == 404
    r = requests.put(url + "en", json=body, headers=auth(token))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "same_language"
    r = requests.put(url + "not a tag", json=body, headers=auth(token))
    assert r.status_code in (404, 422)
    r = requests.put(url + "ru", json={"title": "T"}, headers=auth(token))
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "body_markdown"
    # A draft's language version is its coordinators' only.
    assert requests.put(url + "ru", json=body,
                        headers=auth(token)).status_code == 201
    assert requests.get(url + "ru").status_code == 404
    assert requests.get(url + "ru", headers=auth(token)).status_code == 200
    assert requests.get(url + "ky", headers=auth(token)).status_code == 404
