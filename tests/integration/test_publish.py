"""Publication with a confirm step, and one embargo format everywhere."""
import re
import time

import requests

import pytest

from conftest import query, text_part
from test_workspace import confirmed_signature, login

# Its own coordinator: sign-in links are rate limited per address.
PUBLISHER = "publisher@tests.example.org"


@pytest.fixture(scope="module")
def ed(stack, token):
    return login(stack, PUBLISHER)


@pytest.fixture
def mk(stack, token, make_statement):
    def make(**kw):
        st = make_statement(**kw)
        r = requests.post(stack.url + "/api/v1/statements/%s/coordinators"
                          % st["slug"], json={"email": PUBLISHER},
                          headers={"Authorization": "Bearer " + token})
        assert r.status_code == 200, r.text
        return st
    return make


def future(days):
    return time.strftime("%Y-%m-%dT%H:%M:00Z",
                         time.gmtime(time.time() + days * 86400))


def test_the_press_release_prints_the_embargo_in_its_zone(stack, mk):
    st = mk(embargo_until="2030-12-08T18:01:00Z",
            embargo_timezone="Asia/Bishkek", headline="H")
    r = requests.get(stack.url + "/s/%s/download/press-release" % st["slug"])
    assert r.status_code == 200, r.text
    assert "EMBARGOED UNTIL 00:01 (Asia/Bishkek), Monday 9 December 2030" \
        in r.text


def test_a_passed_embargo_is_no_longer_printed(stack, mk):
    st = mk(embargo_until="2026-01-08T18:01:00Z",
            embargo_timezone="Asia/Bishkek", headline="H")
    r = requests.get(stack.url + "/s/%s/download/press-release" % st["slug"])
    assert r.status_code == 200
    assert "EMBARGOED" not in r.text and "FOR IMMEDIATE RELEASE" in r.text
    page = requests.get(stack.url + "/s/" + st["slug"]).text
    assert "Embargo" not in page


def test_confirm_page_says_what_will_happen(http, stack, ed, mk):
    st = mk(embargo_until="2030-12-08T18:01:00Z",
            embargo_timezone="Asia/Bishkek")
    confirmed_signature(http, stack, st["slug"])
    page = ed.get(stack.url + "/w/s/%s/publish" % st["slug"])
    assert page.status_code == 200
    t = page.text
    assert "00:01 (Asia/Bishkek), Monday 9 December 2030" in t
    assert "1 organisation" in t and "1 email" in t
    ru = ed.get(stack.url + "/w/s/%s/publish" % st["slug"],
                cookies={"us_lang": "ru"}).text
    assert "00:01 (Asia/Bishkek), понедельник, 9 декабря 2030" in ru


def test_publishing_now_under_embargo_schedules_it(http, stack, db, ed, mk):
    st = mk(embargo_until=future(2), embargo_timezone="Asia/Bishkek")
    a, _ = confirmed_signature(http, stack, st["slug"])
    page = ed.get(stack.url + "/w/s/%s/publish" % st["slug"]).text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    r = ed.post(stack.url + "/w/s/%s/publish" % st["slug"],
                data={"csrf": csrf, "when": "now"}, allow_redirects=False)
    assert r.status_code == 303
    assert query(db, "SELECT status, publish_at = embargo_until FROM"
                 " statements WHERE slug = %s", st["slug"]) == [
                     ("open", True)]
    assert len(stack.smtp.to(a["email"])) == 1
    overview = ed.get(stack.url + "/w/s/" + st["slug"]).text
    assert re.search(r"Publication scheduled for \d\d:\d\d "
                     r"\(Asia/Bishkek\), \w+day \d+ \w+ \d{4}", overview)
    assert "Embargo until" in overview and "T" not in re.search(
        r"Embargo until ([^<]*)", overview).group(1)[:5]
    # Lifting the embargo explicitly publishes at once.
    r = ed.post(stack.url + "/w/s/%s/publish" % st["slug"],
                data={"csrf": csrf, "when": "now", "lift_embargo": "on"},
                allow_redirects=False)
    assert r.status_code == 303
    assert query(db, "SELECT status, embargo_until IS NULL FROM statements"
                 " WHERE slug = %s", st["slug"]) == [("published", True)]
    mail = stack.smtp.wait_for(a["email"], count=2)[-1]
    assert mail["msg"]["Subject"].startswith("Published: ")
    assert "EMBARGO" not in text_part(mail["msg"]).upper()


def test_a_time_before_the_embargo_is_refused(stack, ed, mk):
    st = mk(embargo_until=future(5), embargo_timezone="UTC")
    page = ed.get(stack.url + "/w/s/%s/publish" % st["slug"]).text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    when = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 86400))
    r = ed.post(stack.url + "/w/s/%s/publish" % st["slug"],
                data={"csrf": csrf, "when": "at", "publish_at": when},
                allow_redirects=False)
    assert r.status_code == 409 and "embargo" in r.text
    # Named in the one embargo format, never as an ISO time.
    assert "(UTC), " in r.text
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", r.text)


def test_the_api_refuses_to_break_an_embargo(stack, db, token, mk):
    st = mk(embargo_until=future(3), embargo_timezone="Europe/London")
    auth = {"Authorization": "Bearer " + token}
    url = stack.url + "/api/v1/statements/" + st["slug"]
    r = requests.post(url + "/status", json={"status": "published"},
                      headers=auth)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "embargo_holds"
    assert "(Europe/London), " in r.json()["error"]["message"]
    assert query(db, "SELECT status FROM statements WHERE slug = %s",
                 st["slug"]) == [("open",)]
    assert requests.patch(url, json={"embargo_until": None,
                                     "embargo_timezone": None},
                          headers=auth).status_code == 200
    r = requests.post(url + "/status", json={"status": "published"},
                      headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "published"
