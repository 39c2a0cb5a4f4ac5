"""Retention: a statement's contact data is anonymised
UNDERSIGNED_RETENTION_MONTHS after it closed; what the public sees does not
change, and nothing is touched before the period is over."""
import requests

from conftest import query, signer, verify_token_from


def signed(stack, make_statement, token, n_named=2, n_counted=1):
    """A statement with confirmed named and counted signatories and one
    pending signature, closed through the API."""
    st = make_statement()
    people = [signer(comment="We stand with them.") for _ in range(n_named)]
    people += [dict(signer(visibility="counted"), country="")
               for _ in range(n_counted)]
    for p in people:
        if not p["country"]:
            del p["country"]
        r = requests.post(stack.url + "/api/v1/statements/%s/signatures"
                          % st["slug"], json=p)
        assert r.status_code == 202, r.text
        t = verify_token_from(stack, stack.smtp.wait_for(p["email"])[0])
        r = requests.post(stack.url + "/api/v1/verify", json={"token": t})
        assert r.status_code == 200, r.text
    pending = signer()
    r = requests.post(stack.url + "/api/v1/statements/%s/signatures"
                      % st["slug"], json=pending)
    assert r.status_code == 202
    stack.smtp.wait_for(pending["email"])
    r = requests.post(stack.url + "/api/v1/statements/%s/status" % st["slug"],
                      json={"status": "closed"},
                      headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    st["people"] = people + [pending]
    return st


def public(stack, slug):
    """Everything the public reads about a statement."""
    st = requests.get(stack.url + "/api/v1/statements/" + slug).json()
    lst = requests.get(stack.url + "/api/v1/statements/%s/signatures"
                       % slug).json()
    page = requests.get(stack.url + "/s/" + slug)
    assert page.status_code == 200
    return (st["signature_count"], st["unnamed_count"], lst)


def contact(db, slug):
    return query(db, "SELECT sg.email, sg.contact_name, sg.contact_role,"
                 " sg.comment, sg.anonymised_at IS NOT NULL FROM signatures sg"
                 " JOIN statements st ON st.id = sg.statement_id"
                 " WHERE st.slug = %s ORDER BY sg.id", slug)


def tokens_and_mail(db, slug):
    return query(db, "SELECT (SELECT count(*) FROM email_tokens t JOIN"
                 " signatures sg ON sg.id = t.signature_id WHERE"
                 " sg.statement_id = st.id), (SELECT count(*) FROM outbox o"
                 " JOIN signatures sg ON sg.id = o.signature_id WHERE"
                 " sg.statement_id = st.id) FROM statements st WHERE"
                 " st.slug = %s", slug)[0]


def closed_ago(db, slug, months):
    query(db, "UPDATE statements SET closed_at = now() -"
          " make_interval(months => %s) WHERE slug = %s", months, slug)


def audit(db, slug):
    return query(db, "SELECT a.coordinator_id, a.after FROM audit_log a JOIN"
                 " statements st ON st.id = a.statement_id WHERE st.slug = %s"
                 " AND a.action = 'contact data anonymised'", slug)


def test_closing_records_when_a_statement_closed(db, make_statement):
    st = make_statement(status="closed")
    assert query(db, "SELECT closed_at IS NOT NULL, anonymised_at FROM"
                 " statements WHERE slug = %s", st["slug"]) == [(True, None)]
    st = make_statement(status="open")
    assert query(db, "SELECT closed_at FROM statements WHERE slug = %s",
                 st["slug"]) == [(None,)]


def test_contact_data_is_anonymised_after_the_period(stack, db, token,
                                                     make_statement):
    due = signed(stack, make_statement, token)
    young = signed(stack, make_statement, token, n_named=1, n_counted=0)
    still_open = make_statement()
    closed_ago(db, due["slug"], 13)
    closed_ago(db, young["slug"], 11)
    before = public(stack, due["slug"])
    young_before = contact(db, young["slug"])
    young_mail = tokens_and_mail(db, young["slug"])
    assert all(row[0] is not None for row in contact(db, due["slug"]))
    assert tokens_and_mail(db, due["slug"]) != (0, 0)

    out = stack.cli("retention")
    assert "anonymised" in out.stdout

    rows = contact(db, due["slug"])
    assert len(rows) == 4
    assert rows == [(None, None, None, None, True)] * 4
    assert tokens_and_mail(db, due["slug"]) == (0, 0)
    assert public(stack, due["slug"]) == before
    assert before[0] == 3 and before[1] == 1 and len(before[2]) == 2
    # Nobody's address survives anywhere in the statement's rows.
    for p in due["people"]:
        assert query(db, "SELECT count(*) FROM signatures WHERE lower(email)"
                     " = lower(%s)", p["email"]) == [(0,)]
        assert query(db, "SELECT count(*) FROM outbox WHERE recipient = %s",
                     p["email"]) == [(0,)]
    [(who, after)] = audit(db, due["slug"])
    assert who is None
    assert after == {"signatures": 4, "retention_months": 12}
    # The coordinators' export still works, without contact data.
    r = requests.get(stack.url + "/api/v1/statements/%s/export.csv"
                     % due["slug"], headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200
    assert "@ngo.example.org" not in r.text

    # Not yet due, or not closed: untouched.
    assert contact(db, young["slug"]) == young_before
    assert tokens_and_mail(db, young["slug"]) == young_mail
    assert audit(db, young["slug"]) == []
    assert query(db, "SELECT anonymised_at FROM statements WHERE slug = %s",
                 still_open["slug"]) == [(None,)]

    # Running it again changes nothing and writes no second audit row.
    stack.cli("retention")
    assert contact(db, due["slug"]) == rows
    assert len(audit(db, due["slug"])) == 1


def test_the_period_is_configurable(stack, db, token, make_statement):
    st = signed(stack, make_statement, token, n_named=1, n_counted=0)
    closed_ago(db, st["slug"], 7)
    before = public(stack, st["slug"])
    stack.cli("retention")
    assert contact(db, st["slug"])[0][4] is False
    stack.cli("retention", env=dict(stack.env,
                                    UNDERSIGNED_RETENTION_MONTHS="6"))
    assert [r[4] for r in contact(db, st["slug"])] == [True, True]
    assert public(stack, st["slug"]) == before
    [(_, after)] = audit(db, st["slug"])
    assert after["retention_months"] == 6


def test_a_bad_period_stops_the_command(stack):
    out = stack.cli("retention", check=False,
                    env=dict(stack.env, UNDERSIGNED_RETENTION_MONTHS="0"))
    assert out.returncode == 1
    assert "UNDERSIGNED_RETENTION_MONTHS" in out.stderr
