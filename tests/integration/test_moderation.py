"""Moderation at scale (issue 10): search, filters and pages of a list of
hundreds, decisions on every signature a filter covers (asked about
first when more than a page), duplicate flags that name the pair and the
reason, the audit log as sentences in English and Russian, and no raw
ISO time on any workspace page in either language."""
import html.parser
import re

import pytest
import requests

from conftest import query, seed_signatures
from test_workspace import CSRF_RE, login

MODERATOR = "moderator@tests.example.org"
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
CYRILLIC = re.compile("[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def mod(stack, token):
    """A second coordinator of every statement made here: the first one's
    sign-in link is rate limited and other modules sign it in."""
    return login(stack, MODERATOR)


@pytest.fixture
def mk(stack, token, make_statement):
    def make(**kw):
        kw.setdefault("timezone", "Asia/Bishkek")
        st = make_statement(**kw)
        r = requests.post(stack.url + "/api/v1/statements/%s/coordinators"
                          % st["slug"], json={"email": MODERATOR},
                          headers={"Authorization": "Bearer " + token})
        assert r.status_code == 200, r.text
        return st
    return make


class Text(html.parser.HTMLParser):
    """What a reader sees of a page: its text, without tags, attributes,
    scripts and styles; and the text of chosen elements."""

    WATCH = ("h1", "h2", "h3", "th", "legend", "caption", "button",
             "label", "summary", "title")

    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0
        self.open = []
        self.elements = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in self.WATCH:
            self.open.append([tag, ""])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if self.open and self.open[-1][0] == tag:
            t, text = self.open.pop()
            self.elements.append((t, " ".join(text.split())))

    def handle_data(self, data):
        if self.skip:
            return
        self.parts.append(data)
        for o in self.open:
            o[1] += data

    @classmethod
    def of(cls, page):
        p = cls()
        p.feed(page)
        return p

    def text(self):
        return " ".join(" ".join(self.parts).split())


def view(s, stack, slug, **params):
    r = s.get(stack.url + "/w/s/%s/signatures" % slug, params=params)
    assert r.status_code == 200, r.text[:500]
    return r.text


def names(page):
    return re.findall(r'<td class="c-org"><bdi>([^<]+)</bdi>', page)


def token_of(page):
    return CSRF_RE.search(page).group(1)


def test_search_by_name_acronym_country_and_domain(stack, db, mod, mk):
    st = mk(require_approval=True)
    seed_signatures(db, st["slug"], 150, prefix="Batch")
    seed_signatures(db, st["slug"], 1, prefix="Fjord", country="NO")
    page = view(mod, stack, st["slug"], q="Batch NGO 0007")
    assert names(page) == ["Batch NGO 0007"]
    assert names(view(mod, stack, st["slug"], q="F0001")) == [
        "Fjord NGO 0001"]
    # A country by its name, in English or Russian, or by its domain.
    assert names(view(mod, stack, st["slug"], q="Norway")) == [
        "Fjord NGO 0001"]
    assert names(view(mod, stack, st["slug"], q="Норвегия")) == [
        "Fjord NGO 0001"]
    assert names(view(mod, stack, st["slug"],
                      q="batch-0042.example.org")) == ["Batch NGO 0042"]
    page = view(mod, stack, st["slug"], q="no such organisation")
    assert names(page) == [] and "No signature matches this search." in page


def test_filters_and_pages_keep_the_search(stack, db, mod, mk):
    st = mk(require_approval=True)
    seed_signatures(db, st["slug"], 250, prefix="Queue")
    seed_signatures(db, st["slug"], 5, prefix="Listed", approved=True)
    page = view(mod, stack, st["slug"], show="queue")
    assert len(names(page)) == 100
    assert "Signatures 1 to 100 of 250" in page
    assert 'href="?show=queue&amp;page=2" rel="next"' in page
    last = view(mod, stack, st["slug"], show="queue", page="3")
    assert len(names(last)) == 50 and "Page 3 of 3" in last
    assert 'rel="next"' not in last
    listed = view(mod, stack, st["slug"], show="public")
    assert sorted(names(listed)) == ["Listed NGO %04d" % i
                                     for i in range(1, 6)]
    searched = view(mod, stack, st["slug"], show="queue", q="Queue NGO 01")
    assert "Signatures 1 to 100 of 100" in searched
    # The other filters keep the search; the pages keep both.
    assert 'href="?show=public&amp;q=Queue%20NGO%2001"' in searched
    r = mod.get(stack.url + "/w/s/%s/signatures" % st["slug"],
                params={"page": "0"})
    assert r.status_code == 422 and "page" in r.text


def test_select_all_on_the_filtered_set_asks_then_decides(stack, db, mod,
                                                         mk):
    st = mk(require_approval=True)
    batch = seed_signatures(db, st["slug"], 240, prefix="Bulk")
    other = seed_signatures(db, st["slug"], 3, prefix="Other")
    page = view(mod, stack, st["slug"], show="queue", q="Bulk")
    assert "Select all 240 signatures that match, on every page" in page
    t = token_of(page)
    form = {"csrf": t, "action": "approve", "scope": "all", "q": "Bulk",
            "show": "queue"}
    r = mod.post(stack.url + "/w/s/%s/signatures" % st["slug"], data=form,
                 allow_redirects=False)
    # More than a page: the count is stated and nothing happens yet.
    assert r.status_code == 200 and "Approve 240 signatures?" in r.text
    assert 'name="confirm" value="yes"' in r.text
    assert query(db, "SELECT count(*) FROM signatures WHERE id = ANY(%s)"
                 " AND approved_at IS NOT NULL", batch) == [(0,)]
    form["confirm"] = "yes"
    r = mod.post(stack.url + "/w/s/%s/signatures" % st["slug"], data=form,
                 allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == ("/w/s/%s/signatures?show=queue&q=Bulk"
                                     "&done=approve&n=240" % st["slug"])
    assert query(db, "SELECT count(*) FROM signatures WHERE id = ANY(%s)"
                 " AND approved_at IS NOT NULL", batch) == [(240,)]
    assert query(db, "SELECT count(*) FROM signatures WHERE id = ANY(%s)"
                 " AND approved_at IS NOT NULL", other) == [(0,)]
    assert query(db, "SELECT count(*), count(DISTINCT a.subject) FROM"
                 " audit_log a JOIN statements s ON s.id = a.statement_id"
                 " JOIN coordinators c ON c.id = a.coordinator_id WHERE"
                 " s.slug = %s AND a.action = 'approve' AND c.email = %s",
                 st["slug"], MODERATOR) == [(240, 240)]
    done = mod.get(stack.url + r.headers["Location"])
    assert "240 signatures approved." in done.text
    listed = requests.get(stack.url + "/api/v1/statements/%s" % st["slug"])
    assert listed.json()["signature_count"] == 240


def test_select_all_within_a_page_rejects_at_once_with_the_reason(
        stack, db, mod, mk):
    st = mk(require_approval=True)
    spam = seed_signatures(db, st["slug"], 4, prefix="Spam")
    keep = seed_signatures(db, st["slug"], 2, prefix="Good")
    t = token_of(view(mod, stack, st["slug"]))
    r = mod.post(stack.url + "/w/s/%s/signatures" % st["slug"],
                 data={"csrf": t, "action": "reject", "scope": "all",
                       "q": "Spam", "show": "all", "reason": "not NGOs"},
                 allow_redirects=False)
    assert r.status_code == 303
    assert query(db, "SELECT DISTINCT status, rejection_reason FROM"
                 " signatures WHERE id = ANY(%s)", spam) == [
        ("rejected", "not NGOs")]
    assert query(db, "SELECT DISTINCT status FROM signatures WHERE"
                 " id = ANY(%s)", keep) == [("confirmed",)]


def test_nothing_chosen_is_said_in_the_readers_language(stack, db, mod, mk):
    st = mk(require_approval=True)
    seed_signatures(db, st["slug"], 2, prefix="None")
    t = token_of(view(mod, stack, st["slug"]))
    r = mod.post(stack.url + "/w/s/%s/signatures?lang=ru" % st["slug"],
                 data={"csrf": t, "action": "approve", "show": "all"})
    assert r.status_code == 422
    assert "Отметьте хотя бы одну подпись или выберите все подходящие." \
        in r.text
    mod.get(stack.url + "/w?lang=en")
    r = mod.post(stack.url + "/w/s/%s/signatures" % st["slug"],
                 data={"csrf": t, "action": "approve", "show": "all"})
    assert r.status_code == 422
    assert "Tick at least one signature, or select all that match." in r.text


def test_bulk_decisions_need_the_form_token(stack, db, mod, mk):
    st = mk(require_approval=True)
    ids = seed_signatures(db, st["slug"], 3, prefix="Forged")
    r = mod.post(stack.url + "/w/s/%s/signatures" % st["slug"],
                 data={"action": "approve", "scope": "all", "confirm": "yes",
                       "show": "all"}, allow_redirects=False)
    assert r.status_code == 403
    assert query(db, "SELECT count(*) FROM signatures WHERE id = ANY(%s)"
                 " AND approved_at IS NOT NULL", ids) == [(0,)]


def test_duplicate_flags_name_the_pair_and_the_reason(stack, db, mod, mk):
    st = mk(require_approval=True)
    slug = st["slug"]
    query(db, """
        INSERT INTO signatures (statement_id, organisation, acronym,
            country, website, contact_name, email, text_digest, lang,
            source, status, confirmed_at)
        SELECT st.id, v.org, v.acr, v.country, v.web, 'Contact', v.email,
            st.text_digest, st.lang, 'import', 'confirmed', now()
        FROM statements st, (VALUES
            ('Human Rights House Foundation', 'HRHF', 'NO',
             'https://humanrightshouse.org', 'info@humanrightshouse.org'),
            ('Helsinki Foundation for Human Rights', 'HFHR', 'PL',
             'https://www.hfhr.pl', 'hfhr@hfhr.pl'),
            ('HRH Foundation Oslo', NULL, 'NO',
             'http://www.humanrightshouse.org/oslo', 'oslo@example.net'))
            AS v(org, acr, country, web, email)
        WHERE st.slug = %s""", slug)
    page = view(mod, stack, slug, q="Helsinki Foundation")
    assert "Helsinki Foundation for Human Rights" in page
    assert "Possible duplicate" not in page
    page = view(mod, stack, slug, q="HRH Foundation Oslo")
    assert ("Possible duplicate of Human Rights House Foundation (HRHF), "
            "Norway \u2014 same website domain") in page
    ru = view(mod, stack, slug, q="HRH Foundation Oslo", lang="ru")
    assert ("Возможный дубликат: Human Rights House Foundation (HRHF), "
            "Норвегия \u2014 тот же домен сайта") in ru


def test_audit_log_reads_as_sentences_in_english_and_russian(stack, db, mod,
                                                            mk):
    st = mk(require_approval=True)
    ids = seed_signatures(db, st["slug"], 1, prefix="Verdict")
    t = token_of(view(mod, stack, st["slug"]))
    assert mod.post(stack.url + "/w/s/%s/signatures" % st["slug"],
                    data={"csrf": t, "action": "approve",
                          "sel_%d" % ids[0]: "on"},
                    allow_redirects=False).status_code == 303
    at = query(db, "SELECT to_char(a.at AT TIME ZONE 'Asia/Bishkek',"
               " 'FMDD'), to_char(a.at AT TIME ZONE 'Asia/Bishkek',"
               " 'HH24:MI') FROM audit_log a JOIN statements s ON"
               " s.id = a.statement_id WHERE s.slug = %s AND"
               " a.action = 'approve'", st["slug"])[0]
    en = mod.get(stack.url + "/w/s/%s/audit?lang=en" % st["slug"])
    text = Text.of(en.text).text()
    assert "%s approved Verdict NGO 0001" % MODERATOR in text
    assert re.search(r"%s [A-Z][a-z]+ \d{4}, %s \(Asia/Bishkek\)"
                     % (at[0], at[1]), text), text
    assert '{"' not in text and '"status"' not in text
    ru = mod.get(stack.url + "/w/s/%s/audit?lang=ru" % st["slug"])
    text = Text.of(ru.text).text()
    assert ("Координатор %s одобрил подпись «Verdict NGO 0001»"
            % MODERATOR) in text
    assert "Координатор coordinator@tests.example.org создал заявление" \
        in text
    assert re.search(r"%s [а-я]+ \d{4}, %s \(Asia/Bishkek\)"
                     % (at[0], at[1]), text), text
    mod.get(stack.url + "/w?lang=en")


def test_audit_log_is_paged(stack, db, mod, mk):
    st = mk(require_approval=True)
    ids = seed_signatures(db, st["slug"], 120, prefix="Paged")
    page = view(mod, stack, st["slug"], show="queue")
    t = token_of(page)
    assert mod.post(stack.url + "/w/s/%s/signatures" % st["slug"],
                    data={"csrf": t, "action": "approve", "scope": "all",
                          "confirm": "yes", "show": "queue"},
                    allow_redirects=False).status_code == 303
    assert len(ids) == 120
    first = mod.get(stack.url + "/w/s/%s/audit" % st["slug"]).text
    assert first.count('<li class="entry">') == 50
    assert 'rel="next"' in first
    last = mod.get(stack.url + "/w/s/%s/audit?page=3" % st["slug"]).text
    # 120 approvals, the creation and two status changes: 123 entries.
    assert last.count('<li class="entry">') == 23


def workspace_pages(stack, db, mod, mk):
    """Every workspace page, with times to show: signatures, an audit
    log, a preview link, a published version."""
    st = mk(require_approval=True)
    seed_signatures(db, st["slug"], 3, prefix="Walk")
    slug = st["slug"]
    page = mod.get(stack.url + "/w/s/" + slug).text
    assert mod.post(stack.url + "/w/s/%s/preview-link" % slug,
                    data={"csrf": token_of(page), "days": "7"},
                    allow_redirects=False).status_code == 200
    pub = mk(status="published")["slug"]
    return ["/w", "/w/tokens", "/w/new", "/w/s/" + slug,
            "/w/s/%s/edit" % slug, "/w/s/%s/signatures" % slug,
            "/w/s/%s/signatures?show=queue" % slug,
            "/w/s/%s/audit" % slug, "/w/s/%s/import" % slug,
            "/w/s/%s/publish" % slug, "/w/s/" + pub,
            "/w/s/%s/audit" % pub, "/w/s/%s/signatures" % pub]


def import_preview(stack, mod, slug, lang):
    """The import report: a page only a POST shows."""
    page = mod.get(stack.url + "/w/s/%s/import?lang=%s" % (slug, lang)).text
    r = mod.post(stack.url + "/w/s/%s/import" % slug, files={
        "csrf": (None, token_of(page)), "action": (None, "preview"),
        "format": (None, "list"),
        "text": (None, "1. Human Rights House Foundation (HRHF), Norway\n"
                       "2. Walk NGO 0001 (W0001, Kyrgyzstan)\n"
                       "3. Broken (ACR, Germany")})
    assert r.status_code == 200, r.text[:300]
    return r.text


def every_page(stack, db, mod, mk, lang):
    """(path, HTML) of every workspace page in lang, sign-in included."""
    pages = workspace_pages(stack, db, mod, mk)
    out = []
    for path in pages:
        sep = "&" if "?" in path else "?"
        r = mod.get(stack.url + path + sep + "lang=" + lang)
        assert r.status_code == 200, (path, r.text[:300])
        out.append((path, r.text))
    slug = pages[3].split("/")[-1]
    out.append(("POST /w/s/<slug>/import", import_preview(stack, mod, slug,
                                                          lang)))
    out.append(("/w/login", requests.get(
        stack.url + "/w/login?lang=" + lang).text))
    mod.get(stack.url + "/w?lang=en")
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_raw_iso_time_on_any_workspace_page(stack, db, mod, mk, lang):
    # A token used once, so the tokens page has times to show.
    page = mod.get(stack.url + "/w/tokens").text
    r = mod.post(stack.url + "/w/tokens", data={"csrf": token_of(page),
                                               "label": "iso check"})
    assert r.status_code == 200
    bad = []
    for path, page in every_page(stack, db, mod, mk, lang):
        text = Text.of(page).text()
        for m in ISO_TIME.finditer(text):
            bad.append("%s: …%s…" % (path, text[max(0, m.start() - 40):
                                               m.end() + 20]))
    assert not bad, "raw ISO times:\n  " + "\n  ".join(bad)


# Stored values a Russian page must show in words.
PROGRAM_WORDS = {"draft", "open", "closed", "published", "joint_statement",
                 "open_letter", "urgent_action", "pending", "confirmed",
                 "rejected", "withdrawn", "named", "counted", "approve",
                 "reject", "restore"}

# What a Russian page may show in Latin letters: names, not words.
LATIN_OK = re.compile(r"^(English|Русский|undersigned|CSV|XLSX|JSON|PDF|"
                      r"Markdown|API|URL|E-mail|Email|ISO \d+|\W*)$")


def test_russian_workspace_has_no_english_headings_or_labels(stack, db, mod,
                                                             mk):
    bad = []
    for path, page in every_page(stack, db, mod, mk, "ru"):
        parsed = Text.of(page)
        for tag, text in parsed.elements:
            if tag in ("h1", "h2", "h3", "th", "legend", "caption",
                       "summary", "title") and text == "":
                bad.append("%s: empty <%s>" % (path, tag))
            if text and not CYRILLIC.search(text) and \
                    not LATIN_OK.match(text) and "Walk NGO" not in text \
                    and "Bishkek Four" not in text:
                bad.append("%s: <%s> %r" % (path, tag, text))
        # File labels, and stored values shown as words.
        for label in re.findall(r'href="/s/[^"]+/download/[^"]+">([^<]+)<',
                                page):
            if not CYRILLIC.search(label) and not LATIN_OK.match(label):
                bad.append("%s: download %r" % (path, label))
        for word in PROGRAM_WORDS & set(re.findall(r"[a-z_]+",
                                                   parsed.text())):
            bad.append("%s: the stored value %r" % (path, word))
    assert not bad, "not Russian:\n  " + "\n  ".join(bad)
