"""The statements API: authentication, creation, status, reading."""
import requests

from conftest import STATEMENT_BODY, query, signer, unique_slug


def auth(token):
    return {"Authorization": "Bearer " + token}


def new_body(**over):
    body = {"slug": unique_slug(), "kind": "open_letter", "lang": "ru",
            "title": "Открытое письмо «О свободе объединений»",
            "body_markdown": STATEMENT_BODY, "place": "Алматы",
            "date": "2026-12-01"}
    body.update(over)
    return body


def test_healthz_answers_ok_when_database_is_up(http):
    r = http.get(http.base + "/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_unknown_path_is_404_in_json_error_shape(http):
    r = http.get(http.base + "/api/v1/nothing-here")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "not_found" and err["message"] and "field" in err


def test_wrong_method_is_405(http):
    r = http.delete(http.base + "/api/v1/statements")
    assert r.status_code == 405
    assert "error" in r.json()


def test_create_requires_a_bearer_token(http):
    r = http.post(http.base + "/api/v1/statements", json=new_body())
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"


def test_create_refuses_an_unknown_token(http):
    r = http.post(http.base + "/api/v1/statements", json=new_body(),
                  headers=auth("A" * 43))
    assert r.status_code == 401


def test_create_makes_a_draft_with_its_addressees(http, token, db):
    body = new_body(kind="urgent_action", reference="UA 56.23",
                    expires_on="2027-01-15", require_approval=True,
                    addressees=[{"name": "Prosecutor General",
                                 "title": "Office of the Prosecutor",
                                 "address": "1 Main Street\nAstana",
                                 "email": "office@prosecutor.example.org",
                                 "phone": "+7 7172 00 00 00"}])
    r = http.post(http.base + "/api/v1/statements", json=body,
                  headers=auth(token))
    assert r.status_code == 201, r.text
    assert r.json() == {"slug": body["slug"],
                        "url": http.base + "/s/" + body["slug"]}
    rows = query(db, "SELECT status, kind, reference, expires_on::text,"
                 " require_approval, lang, title FROM statements"
                 " WHERE slug = %s", body["slug"])
    assert rows == [("draft", "urgent_action", "UA 56.23", "2027-01-15",
                     True, "ru", body["title"])]
    addr = query(db, "SELECT a.name, a.address FROM addressees a JOIN"
                 " statements s ON s.id = a.statement_id WHERE s.slug = %s",
                 body["slug"])
    assert addr == [("Prosecutor General", "1 Main Street\nAstana")]


def test_a_draft_is_invisible_without_the_token(http, token):
    body = new_body()
    http.post(http.base + "/api/v1/statements", json=body, headers=auth(token))
    assert http.get(http.base + "/api/v1/statements/" + body["slug"]).status_code == 404
    assert http.get(http.base + "/s/" + body["slug"]).status_code == 404
    r = http.get(http.base + "/api/v1/statements/" + body["slug"],
                 headers=auth(token))
    assert r.status_code == 200 and r.json()["status"] == "draft"


def test_slug_must_be_unique(http, token):
    body = new_body()
    assert http.post(http.base + "/api/v1/statements", json=body,
                     headers=auth(token)).status_code == 201
    r = http.post(http.base + "/api/v1/statements", json=body,
                  headers=auth(token))
    assert r.status_code == 409
    assert r.json()["error"]["field"] == "slug"


def test_invalid_fields_are_422_naming_the_field(http, token):
    cases = [({"slug": "Not A Slug"}, "slug"),
             ({"kind": "petition"}, "kind"),
             ({"date": "10.12.2026"}, "date"),
             ({"title": ""}, "title"),
             ({"lang": "english"}, "lang"),
             ({"signing_deadline": "2026-12-10"}, "signing_deadline"),
             ({"title": "a\u0007b"}, "title"),
             ({"addressees": [{"title": "no name"}]}, "addressees")]
    for over, field in cases:
        r = http.post(http.base + "/api/v1/statements", json=new_body(**over),
                      headers=auth(token))
        assert r.status_code == 422, (over, r.text)
        assert r.json()["error"]["field"] == field, (over, r.text)


def test_malformed_json_is_400(http, token):
    r = http.post(http.base + "/api/v1/statements", data=b'{"slug": ',
                  headers=dict(auth(token), **{"Content-Type": "application/json"}))
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "malformed_json"


def test_a_body_over_the_limit_is_413(http, token):
    body = new_body(body_markdown="x" * (1024 * 1024 + 10))
    r = http.post(http.base + "/api/v1/statements", json=body,
                  headers=auth(token))
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_status_follows_draft_open_closed_published(http, token):
    body = new_body()
    http.post(http.base + "/api/v1/statements", json=body, headers=auth(token))
    url = http.base + "/api/v1/statements/%s/status" % body["slug"]
    r = http.post(url, json={"status": "published"}, headers=auth(token))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_transition"
    for st in ("open", "closed", "published"):
        r = http.post(url, json={"status": st}, headers=auth(token))
        assert r.status_code == 200, r.text
        assert r.json()["status"] == st
    r = http.post(url, json={"status": "open"}, headers=auth(token))
    assert r.status_code == 409


def test_an_open_statement_may_publish_at_once(http, token):
    body = new_body()
    http.post(http.base + "/api/v1/statements", json=body, headers=auth(token))
    url = http.base + "/api/v1/statements/%s/status" % body["slug"]
    for st in ("open", "published"):
        r = http.post(url, json={"status": st}, headers=auth(token))
        assert r.status_code == 200, r.text
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % body["slug"],
                  json=signer(organisation="Late Org"))
    assert r.status_code == 409 and r.json()["error"]["code"] == "signing_closed"


def test_status_needs_a_known_value_and_a_coordinator(http, token, stack):
    body = new_body()
    http.post(http.base + "/api/v1/statements", json=body, headers=auth(token))
    url = http.base + "/api/v1/statements/%s/status" % body["slug"]
    r = http.post(url, json={"status": "archived"}, headers=auth(token))
    assert r.status_code == 422 and r.json()["error"]["field"] == "status"
    other = stack.cli("coordinator", "add", "other@tests.example.org")
    r = http.post(url, json={"status": "open"},
                  headers=auth(other.stdout.strip().splitlines()[-1]))
    assert r.status_code == 403
    r = http.post(http.base + "/api/v1/statements/no-such-thing/status",
                  json={"status": "open"}, headers=auth(token))
    assert r.status_code == 404


def test_markdown_is_rendered_without_raw_html_or_script_links(http, token):
    md = ("Hello <script>alert(1)</script> **world**\n\n"
          "[click](javascript:alert(2)) <img src=x onerror=alert(3)>\n")
    body = new_body(body_markdown=md)
    http.post(http.base + "/api/v1/statements", json=body, headers=auth(token))
    http.post(http.base + "/api/v1/statements/%s/status" % body["slug"],
              json={"status": "open"}, headers=auth(token))
    doc = http.get(http.base + "/api/v1/statements/" + body["slug"]).json()
    assert "<strong>world</strong>" in doc["body_html"]
    assert "<script" not in doc["body_html"]
    assert "javascript:" not in doc["body_html"]
    assert "onerror" not in doc["body_html"]
    page = http.get(http.base + "/s/" + body["slug"]).text
    assert "<script>alert" not in page and "onerror=alert" not in page


def test_read_gives_counts_and_fields(http, make_statement):
    body = make_statement()
    doc = http.get(http.base + "/api/v1/statements/" + body["slug"]).json()
    for key in ("slug", "title", "kind", "status", "signature_count",
                "unnamed_count"):
        assert key in doc
    assert doc["signature_count"] == 0 and doc["unnamed_count"] == 0
    assert doc["status"] == "open" and doc["title"] == body["title"]
    assert len(doc["text_digest"]) == 64
