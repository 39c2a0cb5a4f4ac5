"""Every bad input to the signing API gets a 4xx that says what to fix."""
import pytest

from conftest import query, signer

BAD = [
    ({"organisation": ""}, "organisation", "required"),
    ({"organisation": "   "}, "organisation", "required"),
    ({"organisation": "x" * 301}, "organisation", "too_long"),
    ({"organisation": "Evil\u0000Org"}, None, None),
    ({"organisation": "Line\nbreak"}, "organisation", "control_character"),
    ({"organisation": "Bell\u0007"}, "organisation", "control_character"),
    ({"organisation": "C1\u0085control"}, "organisation", "control_character"),
    ({"contact_name": ""}, "contact_name", "required"),
    ({"email": ""}, "email", "required"),
    ({"email": "not-an-email"}, "email", "invalid_email"),
    ({"email": "a@b"}, "email", "invalid_email"),
    ({"email": "a..b@example.org"}, "email", "invalid_email"),
    ({"email": "a@exa mple.org"}, "email", "invalid_email"),
    ({"country": "XX"}, "country", "invalid_country"),
    ({"country": "Atlantis"}, "country", "invalid_country"),
    ({"website": "javascript:alert(1)"}, "website", "invalid_url"),
    ({"website": "http://exa mple.org"}, "website", "invalid_url"),
    ({"website": "ftp://example.org"}, "website", "invalid_url"),
    ({"visibility": "hidden"}, "visibility", "invalid_choice"),
    ({"acronym": "A" * 41}, "acronym", "too_long"),
    ({"comment": "c" * 2001}, "comment", "too_long"),
    ({"organisation": 12.5}, "organisation", "invalid_type"),
]


@pytest.mark.parametrize("over,field,code", BAD)
def test_bad_field_is_rejected_naming_it(http, make_statement, db, over, field,
                                         code):
    st = make_statement()
    s = signer(**over)
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=s)
    if field is None:
        # JSON strings may not carry NUL: the parser refuses the body.
        assert r.status_code == 400, r.text
    else:
        assert r.status_code == 422, r.text
        err = r.json()["error"]
        assert (err["field"], err["code"]) == (field, code)
        assert len(err["message"]) > 10
    assert query(db, "SELECT count(*) FROM signatures WHERE email = %s",
                 s["email"]) == [(0,)]


def test_invalid_utf8_is_rejected(http, make_statement):
    st = make_statement()
    body = ('{"organisation": "Bad \xff\xfe", "country": "KG", '
            '"contact_name": "A", "email": "a@example.org"}').encode("latin-1")
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "malformed_json"


def test_non_object_and_broken_json_are_400(http, make_statement):
    st = make_statement()
    url = http.base + "/api/v1/statements/%s/signatures" % st["slug"]
    for body in (b"[1, 2]", b'"text"', b"{", b"", b'{"a": 1, "a": 2}'):
        r = http.post(url, data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, body
        assert r.json()["error"]["code"] in ("malformed_json", "not_an_object")


def test_oversized_signature_is_413(http, make_statement):
    st = make_statement()
    r = http.post(http.base + "/api/v1/statements/%s/signatures" % st["slug"],
                  json=signer(comment="x" * 70000))
    assert r.status_code == 413


def test_values_are_cleaned_before_storing(http, make_statement, db):
    st = make_statement()
    s = signer(organisation="  \u00a0Fundación “Nueva Voz”  ",
               email="Someone@Example.ORG", website="nuevavoz.example.org",
               country="kgz")
    assert http.post(http.base + "/api/v1/statements/%s/signatures"
                     % st["slug"], json=s).status_code == 202
    assert query(db, "SELECT organisation, email, website, country FROM"
                 " signatures WHERE email = 'Someone@example.org'") == [
        ("Fundación “Nueva Voz”", "Someone@example.org",
         "https://nuevavoz.example.org", "KG")]
