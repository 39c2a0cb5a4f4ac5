"""The list, text and press release formats (plugins/lists, plugins/text,
plugins/press), rendered through `bin/undersigned render` from the hostile
fixture, an empty list and a generated 10,000-signatory model.

Each test reads the output back the way its users do (Python's csv module,
openpyxl, json, an HTML parser, libcmark for Markdown) and compares with
the model, so that an escaping mistake shows up as a wrong name.
"""
import copy
import csv
import ctypes
import ctypes.util
import datetime
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

import openpyxl
import pytest

from conftest import fixture_path, load_fixture

HOSTILE = fixture_path("hostile.json")
COLUMNS = ["position", "organisation", "acronym", "country",
           "country_name", "signed_on"]
BOM = b"\xef\xbb\xbf"


# -- models -----------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile():
    return load_fixture("hostile.json")


@pytest.fixture
def empty(hostile):
    m = copy.deepcopy(hostile)
    m.update(signatories=[], countries=[], unnamed_count=0,
             signature_count=0)
    return m


def big_name(i):
    """Mostly plain names, with a formula, a quote or a comma now and then."""
    if i % 1000 == 0:
        return "=HYPERLINK(\"http://x\",\"%d\")" % i
    if i % 7 == 0:
        return "Coalition %d, \"United\"" % i
    return "Organisation number %d" % i


@pytest.fixture(scope="module")
def big(hostile, tmp_path_factory):
    """A 10,000-signatory model, written once for the module."""
    m = copy.deepcopy(hostile)
    m["signatories"] = [
        {"position": i, "organisation": big_name(i),
         "acronym": "O%d" % i if i % 3 else None, "country": "DE",
         "country_name": "Germany", "signed_on": "2026-11-20"}
        for i in range(1, 10001)]
    m["unnamed_count"] = 17
    m["signature_count"] = 10017
    m["countries"] = [{"country": "DE", "country_name": "Germany",
                       "count": 10017}]
    path = tmp_path_factory.mktemp("big") / "big.json"
    path.write_text(json.dumps(m), encoding="utf-8")
    return {"path": str(path), "model": m}


def neutralised(v):
    """What a spreadsheet cell must hold for a model string."""
    if v is None:
        return ""
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def table(model):
    """The expected CSV rows: the header, then one row per named org."""
    rows = [COLUMNS]
    for s in model["signatories"]:
        rows.append([str(s["position"])] +
                    [neutralised(s.get(c)) for c in COLUMNS[1:]])
    return rows


def one_line(s):
    """A name as the text formats print it: one line, single spaces."""
    return re.sub(r"[\s\x00-\x1f\x7f\x85\u2028\u2029]+", " ", s).strip()


def list_line(s):
    """'Organisation (ACRONYM, Country)' as in the text formats."""
    details = [x for x in (s.get("acronym"), s.get("country_name")) if x]
    tail = " (%s)" % ", ".join(one_line(x) for x in details) \
        if details else ""
    return one_line(s["organisation"]) + tail


# -- CSV ----------------------------------------------------------------------

def csv_parts(data):
    """(facts, table): the two-cell rows above the first empty line, and
    the table after it."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    blank = rows.index([])
    return dict(rows[:blank]), rows[blank + 1:]


def parse_csv(data):
    return csv_parts(data)[1]


def test_csv_reads_back_every_name_in_order_with_formulas_neutralised(
        render, hostile):
    rows = parse_csv(render("csv", HOSTILE))
    assert rows == table(hostile)
    names = [r[1] for r in rows[1:]]
    assert names[0] == 'Comma, "Quote" & Co'
    assert names[1] == "'=cmd|' /C calc'!A0"
    assert names[2] == "Line\nbreak org"
    assert names[9] == "'\rCarriage return org"
    assert len(names[10]) == 307
    acronyms = [r[2] for r in rows[1:]]
    assert acronyms[1:5] == ["'+SUM(1,2)", "'-LB", "'@XSS", "'\tTAB"]


def test_csv_quotes_only_fields_that_need_it_and_doubles_quotes(render):
    data = render("csv", HOSTILE)
    assert b'\r\n1,"Comma, ""Quote"" & Co",CQC,DE,Germany,2026-11-20\r\n' \
        in data
    assert b"\r\n2,'=cmd|' /C calc'!A0,\"'+SUM(1,2)\",FR," in data
    assert b'\r\n3,"Line\nbreak org",\'-LB,' in data
    assert b"\r\n9,\xd0\x9a" in data and b",,KG,Kyrgyzstan," in data
    # Spreadsheets in European locales split on ; and tab: quoted too.
    assert b',"\'\tTAB",EG,' in data


def test_csv_quotes_semicolons(render, hostile):
    m = copy.deepcopy(hostile)
    m["signatories"][5]["organisation"] = "Фонд; Центр"
    data = render("csv", m)
    assert '\r\n6,"Фонд; Центр",ПЦ,RU,'.encode() in data


def test_csv_ends_every_record_with_crlf(render, hostile):
    data = render("csv", HOSTILE)
    facts, _ = csv_parts(data)
    records = len(facts) + 1 + 1 + len(hostile["signatories"])
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == records
    # The one bare LF is inside the quoted "Line\nbreak org".
    assert len(re.findall(rb"(?<!\r)\n", data)) == 1


def test_csv_for_excel_is_the_csv_after_a_bom(render):
    plain = render("csv", HOSTILE)
    excel = render("csv-excel", HOSTILE)
    assert not plain.startswith(BOM)
    assert excel.startswith(BOM)
    assert excel[len(BOM):] == plain


def test_csv_of_an_empty_list_is_the_facts_and_the_header(render, empty):
    assert render("csv", empty).endswith(b"\r\n\r\n" + b",".join(
        c.encode() for c in COLUMNS) + b"\r\n")
    assert parse_csv(render("csv", empty)) == [COLUMNS]
    assert render("csv-excel", empty) == BOM + render("csv", empty)


def test_csv_has_no_note_about_unnamed_organisations(render):
    assert b"cannot be named" not in render("csv", HOSTILE)


def test_csv_of_10000_signatories(render, big):
    rows = parse_csv(render("csv", big["path"]))
    assert rows == table(big["model"])
    assert rows[1000][1] == "'=HYPERLINK(\"http://x\",\"1000\")"


# -- XLSX ---------------------------------------------------------------------

def cell_text(v):
    """A cell as Excel shows it: OOXML writes characters XML cannot hold
    (a CR) as _xHHHH_, which Excel decodes and openpyxl 3.0 does not."""
    if v is None:
        return ""
    if isinstance(v, str):
        return re.sub(r"_x([0-9A-Fa-f]{4})_",
                      lambda m: chr(int(m.group(1), 16)), v)
    return str(v)


def load_xlsx(data, tmp_path, read_only=False):
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    return openpyxl.load_workbook(path, read_only=read_only)


def test_xlsx_reads_back_the_same_rows_as_strings(render, hostile, tmp_path):
    wb = load_xlsx(render("xlsx", HOSTILE), tmp_path)
    assert wb.sheetnames == ["Signatories", "About"]
    ws = wb["Signatories"]
    n = len(hostile["signatories"])
    rows = [[cell_text(c.value) for c in row]
            for row in ws.iter_rows(min_row=1, max_row=n + 1,
                                    max_col=len(COLUMNS))]
    assert rows == table(hostile)
    assert ws.cell(row=3, column=2).value == "'=cmd|' /C calc'!A0"
    assert ws.cell(row=6, column=3).value == "'\tTAB"


def test_xlsx_has_no_formulas_and_text_cells_are_strings(
        render, hostile, tmp_path):
    ws = load_xlsx(render("xlsx", HOSTILE), tmp_path)["Signatories"]
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", c.coordinate
    for row in ws.iter_rows(min_row=2, max_row=len(hostile["signatories"]) + 1):
        assert row[0].data_type == "n"
        for c in row[1:]:
            if c.value is not None:
                assert c.data_type == "s", c.coordinate


def test_xlsx_header_is_bold_and_unnamed_count_is_a_note_below(
        render, hostile, tmp_path):
    ws = load_xlsx(render("xlsx", HOSTILE), tmp_path)["Signatories"]
    assert [c.value for c in ws[1]] == COLUMNS
    assert all(c.font.b for c in ws[1])
    assert not ws.cell(row=2, column=2).font.b
    notes = [c.value for row in ws.iter_rows(
        min_row=len(hostile["signatories"]) + 2) for c in row
        if c.value is not None]
    assert notes == ["and 4 organisations that cannot be named for their "
                     "safety"]


def test_xlsx_note_is_singular_for_one_unnamed_organisation(
        render, hostile, tmp_path):
    m = dict(hostile, unnamed_count=1, signature_count=12)
    ws = load_xlsx(render("xlsx", m), tmp_path)["Signatories"]
    assert ws.cell(row=len(hostile["signatories"]) + 3, column=2).value == \
        "and 1 organisation that cannot be named for its safety"


def shared_strings(data):
    """The workbook's strings as Excel shows them, read from the XML: one
    left-to-right pass decoding _xHHHH_ (openpyxl 3.0 only strips the
    "x005F_" of an escaped underscore, which would hide a double escape)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    return [re.sub(r"_x([0-9A-Fa-f]{4})_",
                   lambda m: chr(int(m.group(1), 16)),
                   "".join(t.text or "" for t in si.iter(ns + "t")))
            for si in root.iter(ns + "si")]


def test_xlsx_keeps_names_that_look_like_ooxml_escapes(render, empty):
    names = ["_x0041_ literal", "ctl \x01 end", "\rCR first", "a_x12_b",
             "=_x0000_x0000_", "_x005F_"]
    m = dict(empty, signatories=[
        {"position": i + 1, "organisation": n, "acronym": None,
         "country": None, "country_name": None, "signed_on": None}
        for i, n in enumerate(names)])
    strings = shared_strings(render("xlsx", m))
    assert strings[len(COLUMNS):len(COLUMNS) + len(names)] == \
        [neutralised(n) for n in names]


def test_xlsx_of_an_empty_list_is_the_header_alone(render, empty, tmp_path):
    ws = load_xlsx(render("xlsx", empty), tmp_path)["Signatories"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [COLUMNS]


def test_xlsx_of_10000_signatories(render, big, tmp_path):
    wb = load_xlsx(render("xlsx", big["path"]), tmp_path, read_only=True)
    rows = [[cell_text(v) for v in row] for row in
            wb["Signatories"].iter_rows(values_only=True)]
    assert rows[:10001] == table(big["model"])
    assert [v for v in rows[-1] if v] == \
        ["and 17 organisations that cannot be named for their safety"]
    wb.close()


# -- JSON ---------------------------------------------------------------------

def test_json_round_trips_every_name_and_the_counts(render, hostile):
    doc = json.loads(render("json", HOSTILE))
    assert [{c: s[c] for c in COLUMNS} for s in doc["signatories"]] == \
        [{c: s.get(c) for c in COLUMNS} for s in hostile["signatories"]]
    names = [s["organisation"] for s in doc["signatories"]]
    assert names[4] == "\u200fمركز حقوق الإنسان\u200f"
    assert len(names[10]) == 307
    assert doc["unnamed_count"] == 4
    assert doc["signature_count"] == 15
    st = doc["statement"]
    assert st["slug"] == hostile["slug"]
    assert st["title"] == hostile["title"]
    assert st["url"] == hostile["url"]


def test_json_escapes_quotes_backslashes_and_control_characters(
        render, empty):
    names = ["back\\slash \"quoted\"", "ctl \x01\x1f\x7f end",
             "line\u2028sep\u2029para", "</script><!--", "tab\tcr\rlf\n"]
    m = dict(empty, title="T \"\\ \x02", signatories=[
        {"position": i + 1, "organisation": n, "acronym": None,
         "country": None, "country_name": None, "signed_on": None}
        for i, n in enumerate(names)])
    data = render("json", m)
    doc = json.loads(data)  # strict: a raw control character would fail
    assert [s["organisation"] for s in doc["signatories"]] == names
    assert doc["statement"]["title"] == "T \"\\ \x02"
    assert "\u2028".encode() not in data
    assert b"\\u2028" in data


def test_json_of_an_empty_list(render, empty):
    doc = json.loads(render("json", empty))
    assert doc["signatories"] == []
    assert doc["unnamed_count"] == 0 and doc["signature_count"] == 0


def test_json_of_10000_signatories(render, big):
    doc = json.loads(render("json", big["path"]))
    assert [s["organisation"] for s in doc["signatories"]] == \
        [s["organisation"] for s in big["model"]["signatories"]]
    assert doc["signature_count"] == 10017


# -- text and Markdown --------------------------------------------------------

def text_of(render, fmt, model):
    return render(fmt, model).decode("utf-8")


def test_text_has_title_reference_place_date_and_addressees(render, hostile):
    text = text_of(render, "text", HOSTILE)
    lines = text.split("\n")
    assert lines[0] == hostile["title"]
    assert "Reference: UA 56.23" in lines
    assert "Tbilisi, 1 December 2026" in lines
    i = lines.index("To:")
    assert lines[i + 2:i + 6] == [
        "Prosecutor General", "Office of the Prosecutor General of Georgia",
        "24 Gorgasali St", "Tbilisi 0114"]
    assert "Fax: +995 32 240 50 01" in lines


def test_text_renders_the_body_as_plain_text(render):
    text = text_of(render, "text", HOSTILE)
    assert "call on the authorities to release Ana and Giorgi.[1]" in text
    assert "**" not in text and "## " not in text
    assert "\nActions requested\n" in text
    assert "\n1. Release them immediately;\n2. Drop all charges;\n" in text
    assert "- a bullet with a link (https://example.org/report?a=1&b=2)" \
        in text
    assert "<script>alert(1)" not in text


def test_text_lists_signatories_numbered_then_the_unnamed(render, hostile):
    text = text_of(render, "text", HOSTILE)
    lines = text.split("\n")
    i = lines.index("Signed by:")
    expected = ["%d. %s" % (s["position"], list_line(s))
                for s in hostile["signatories"]]
    assert lines[i + 2:i + 2 + len(expected)] == expected
    assert lines[i + 2 + len(expected)] == \
        "and 4 organisations that cannot be named for their safety"
    assert "1. Comma, \"Quote\" & Co (CQC, Germany)" in lines
    assert "3. Line break org (-LB, United Kingdom)" in lines
    assert "9. Кыргызстандын адам укуктары боюнча борбору (Kyrgyzstan)" \
        in lines
    assert "10. Carriage return org (Ukraine)" in lines
    assert "\r" not in text


def test_text_details_follow_what_the_model_has(render, empty):
    sigs = [("A", "AC", "France"), ("B", None, "France"), ("C", "CC", None),
            ("D", None, None)]
    m = dict(empty, unnamed_count=1, signature_count=5, signatories=[
        {"position": i + 1, "organisation": o, "acronym": a,
         "country": "FR" if c else None, "country_name": c,
         "signed_on": None}
        for i, (o, a, c) in enumerate(sigs)])
    lines = text_of(render, "text", m).split("\n")
    i = lines.index("1. A (AC, France)")
    assert lines[i:i + 5] == [
        "1. A (AC, France)", "2. B (France)", "3. C (CC)", "4. D",
        "and 1 organisation that cannot be named for its safety"]


def test_text_of_an_empty_list_says_so(render, empty):
    text = text_of(render, "text", empty)
    assert "Signed by:\n\nNo organisation has signed yet.\n" in text
    assert "cannot be named" not in text
    md = text_of(render, "markdown", empty)
    assert "No organisation has signed yet." in md


def test_text_of_only_unnamed_signatories(render, empty):
    m = dict(empty, unnamed_count=3, signature_count=3)
    text = text_of(render, "text", m)
    assert "Signed by:\n\n3 organisations that cannot be named for their " \
        "safety\n" in text


def test_markdown_keeps_the_body_and_escapes_model_strings(render, hostile):
    md = text_of(render, "markdown", HOSTILE)
    assert hostile["body_markdown"] in md
    assert md.startswith("# Urgent action: “Release Ana \\& Giorgi” — "
                         "\\<script\\>alert('t')\\</script\\>\n")
    lines = md.split("\n")
    assert "1. Comma, \"Quote\" \\& Co (CQC, Germany)" in lines
    assert "2. \\=cmd\\|' /C calc'!A0 (+SUM(1,2), France)" in lines
    assert "3. Line break org (-LB, United Kingdom)" in lines
    assert "4. \\<script\\>alert(\"x\")\\</script\\> Defenders " \
        "(@XSS, United States)" in lines
    assert "10. Carriage return org (Ukraine)" in lines
    assert "Social: @pog\\_example" in lines
    i = lines.index("and 4 organisations that cannot be named for their "
                    "safety")
    assert lines[i - 1] == ""  # or it would continue the last list item


MARKUP_NAMES = ["1. Evil", "2) Evil", "*bold* and _under_", "[link](http://x)",
                "`code`", "# head", "- dash", "+ plus", "> quote",
                "<img src=x onerror=alert(1)>", "a\\b", "&amp; entity",
                "~~strike~~", "| pipe |", "=== rule", "    indented",
                "line\nbreak\r\nname"]


def test_markdown_escapes_names_that_look_like_markup(render, empty):
    m = dict(empty, signatories=[
        {"position": i + 1, "organisation": n, "acronym": None,
         "country": None, "country_name": None, "signed_on": None}
        for i, n in enumerate(MARKUP_NAMES)])
    lines = text_of(render, "markdown", m).split("\n")
    i = lines.index("Signed by:") + 2
    assert lines[i:i + len(MARKUP_NAMES)] == [
        "1. 1\\. Evil", "2. 2\\) Evil", "3. \\*bold\\* and \\_under\\_",
        "4. \\[link\\](http://x)", "5. \\`code\\`", "6. \\# head",
        "7. \\- dash", "8. \\+ plus", "9. \\> quote",
        "10. \\<img src=x onerror=alert(1)\\>", "11. a\\\\b",
        "12. \\&amp; entity", "13. \\~\\~strike\\~\\~", "14. \\| pipe \\|",
        "15. \\=== rule", "16. indented", "17. line break name"]


class ListItems(HTMLParser):
    """The text of each <li> of each top-level <ol> in a document, except
    those of Markdown texts (<div class="text">) in a press release."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lists, self.depth, self.item, self.divs = [], 0, None, []

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            self.divs.append(dict(attrs).get("class") == "text")
        if any(self.divs):
            return
        if tag == "ol" and self.depth == 0:
            self.lists.append([])
        if tag in ("ol", "ul"):
            self.depth += 1
        elif tag == "li" and self.depth == 1 and self.lists:
            self.item = []
        elif self.item is not None and tag != "bdi":
            self.item.append("<%s>" % tag)  # markup inside a name: a bug

    def handle_endtag(self, tag):
        if tag == "div":
            self.divs.pop()
        if any(self.divs):
            return
        if tag in ("ol", "ul"):
            self.depth -= 1
        elif tag == "li" and self.item is not None:
            self.lists[-1].append("".join(self.item).strip())
            self.item = None

    def handle_data(self, data):
        if self.item is not None and not any(self.divs):
            self.item.append(data)


def cmark_html(md):
    """Markdown to HTML with the libcmark the plugins link with."""
    name = ctypes.util.find_library("cmark")
    if name is None:
        pytest.skip("libcmark is not installed")
    lib = ctypes.CDLL(name)
    libc = ctypes.CDLL(None)
    lib.cmark_markdown_to_html.restype = ctypes.c_void_p
    lib.cmark_markdown_to_html.argtypes = [ctypes.c_char_p, ctypes.c_size_t,
                                           ctypes.c_int]
    libc.free.argtypes = [ctypes.c_void_p]
    raw = md.encode("utf-8")
    p = lib.cmark_markdown_to_html(raw, len(raw), 0)  # unsafe: raw HTML kept
    try:
        return ctypes.string_at(p).decode("utf-8")
    finally:
        libc.free(p)


@pytest.mark.parametrize("source", ["hostile", "markup"])
def test_markdown_list_renders_to_the_names_literally(
        render, hostile, empty, source):
    if source == "hostile":
        m = hostile
    else:
        m = dict(empty, signatories=[
            {"position": i + 1, "organisation": n, "acronym": None,
             "country": None, "country_name": None, "signed_on": None}
            for i, n in enumerate(MARKUP_NAMES)])
    parser = ListItems()
    parser.feed(cmark_html(text_of(render, "markdown", m)))
    assert parser.lists[-1] == [list_line(s) for s in m["signatories"]]


def test_text_and_markdown_of_10000_signatories(render, big):
    sigs = big["model"]["signatories"]
    text = text_of(render, "text", big["path"])
    assert "\n9999. Organisation number 9999 (Germany)\n" \
        "10000. =HYPERLINK(\"http://x\",\"10000\") (O10000, Germany)\n" \
        "and 17 organisations that cannot be named for their safety\n" in text
    assert text.count("\n") > 10000
    md = text_of(render, "markdown", big["path"])
    assert "\n1000. \\=HYPERLINK(\"http://x\",\"1000\") (O1000, Germany)\n" \
        in md
    assert sum(1 for line in md.split("\n")
               if re.match(r"\d+\. ", line)) >= len(sigs)


# -- press release (plain text) -------------------------------------------------

def nonempty_lines(text):
    return [line for line in text.split("\n") if line.strip()]


def test_press_release_sections_in_order(render, hostile):
    text = text_of(render, "press-release", HOSTILE)
    lines = nonempty_lines(text)
    assert lines[0] == ("EMBARGOED UNTIL 00:01 (Europe/London), Tuesday 1 "
                        "December 2026")
    assert lines[1] == "Rights groups demand release of “Ana & Giorgi”"
    assert lines[2] == ("Tbilisi, 1 December 2026 — Forty organisations "
                        "from twelve countries today called for the release "
                        "of two journalists.")
    order = ["We, the undersigned organisations",
             "Signed by 15 organisations from 11 countries:",
             "1. Comma, \"Quote\" & Co (CQC, Germany)",
             "and 4 organisations that cannot be named for their safety",
             "Notes to editors",
             "1. The journalists were detained on 3 March.",
             "Media contacts", "Nino Beridze, NRD", "About",
             "The Network of Rights Defenders is a coalition of independent "
             "groups.", "###"]
    at = [next(i for i, line in enumerate(lines) if line.startswith(o))
          for o in order]
    assert at == sorted(at)
    assert lines[-1] == "###"


def test_press_release_lists_signatories_as_the_text_format(render, hostile):
    lines = text_of(render, "press-release", HOSTILE).split("\n")
    i = lines.index("Signed by 15 organisations from 11 countries:")
    assert lines[i + 2:i + 13] == [
        "%d. %s" % (s["position"], list_line(s))
        for s in hostile["signatories"]]


def test_press_release_media_contact_has_languages_and_time_zone(render):
    lines = text_of(render, "press-release", HOSTILE).split("\n")
    i = lines.index("Nino Beridze, NRD")
    assert lines[i:i + 5] == [
        "Nino Beridze, NRD", "Email: press@nrd.example.org",
        "Phone: +995 32 200 00 00",
        "Languages: English, Georgian, Russian", "Time zone: GMT+4"]


def test_press_release_without_embargo_is_for_immediate_release(
        render, hostile):
    m = dict(hostile, embargo=None)
    lines = nonempty_lines(text_of(render, "press-release", m))
    assert lines[0] == "FOR IMMEDIATE RELEASE"
    assert lines[-1] == "###"


@pytest.mark.parametrize("day", [
    "2026-12-01", "2027-01-01", "2027-02-28", "2028-02-29", "2028-03-01",
    "2030-12-31", "2100-03-01", "2000-02-29"])
def test_press_release_embargo_weekday(render, hostile, day):
    m = dict(hostile, embargo={"until": day + "T08:30:00Z",
                               "timezone": "Europe/Paris",
                               "local": day + "T09:30:00", "zone": "CET"})
    d = datetime.date.fromisoformat(day)
    first = nonempty_lines(text_of(render, "press-release", m))[0]
    assert first == "EMBARGOED UNTIL 09:30 (Europe/Paris), %s %d %s %d" % (
        d.strftime("%A"), d.day, d.strftime("%B"), d.year)


def test_press_release_embargo_local_time_from_the_zone(render, hostile):
    m = dict(hostile, embargo={"until": "2026-07-01T10:00:00Z",
                               "timezone": "Asia/Bishkek"})
    first = nonempty_lines(text_of(render, "press-release", m))[0]
    assert first == ("EMBARGOED UNTIL 16:00 (Asia/Bishkek), Wednesday 1 "
                     "July 2026")


def test_countries_are_counted_from_the_named_list_only(render, empty):
    """A model that puts a counted-only organisation's country into
    "countries" does not get it into the text: two named Georgian
    organisations and one unnamed (French) are "from 1 country"."""
    named = [{"position": i, "organisation": "Org %d" % i, "acronym": None,
              "country": "GE", "country_name": "Georgia", "signed_on": None}
             for i in (1, 2)]
    m = dict(empty, unnamed_count=1, signature_count=3, signatories=named,
             countries=[{"country": "GE", "country_name": "Georgia",
                         "count": 2},
                        {"country": "FR", "country_name": "France",
                         "count": 1}])
    for fmt in ("press-release", "press-release-html"):
        text = text_of(render, fmt, m)
        assert "3 organisations from 1 country" in text, fmt
        assert "France" not in text


def test_press_release_counts_in_the_singular(render, empty):
    m = dict(empty, unnamed_count=0, signature_count=1, signatories=[
        {"position": 1, "organisation": "Solo", "acronym": None,
         "country": "GE", "country_name": "Georgia", "signed_on": None}],
        countries=[{"country": "GE", "country_name": "Georgia", "count": 1}])
    text = text_of(render, "press-release", m)
    assert "Signed by 1 organisation from 1 country:" in text
    assert "1. Solo (Georgia)" in text
    m.update(unnamed_count=1, signature_count=2)
    text = text_of(render, "press-release", m)
    assert "Signed by 2 organisations from 1 country:" in text
    assert "\nand 1 organisation that cannot be named for its safety\n" \
        in text


def test_press_release_does_not_repeat_a_lede_taken_from_the_body(
        render, hostile):
    m = dict(hostile)
    del m["lede"]
    text = text_of(render, "press-release", m)
    first = "We, the undersigned organisations, call on the authorities"
    assert text.count(first) == 1
    assert "Tbilisi, 1 December 2026 — " + first in text
    assert "Actions requested" in text


def test_press_release_leaves_out_sections_the_model_lacks(render, empty):
    m = dict(empty, notes_to_editors=None, about=None, media_contacts=[])
    lines = nonempty_lines(text_of(render, "press-release", m))
    for heading in ("Notes to editors", "Media contacts", "About"):
        assert heading not in lines
    assert "No organisation has signed yet." in lines
    assert lines[-1] == "###"


def test_press_release_of_10000_signatories(render, big):
    text = text_of(render, "press-release", big["path"])
    assert "Signed by 10017 organisations from 1 country:" in text
    assert "\n9998. Organisation number 9998 (O9998, Germany)\n" in text
    assert "\n10000. =HYPERLINK(\"http://x\",\"10000\") (O10000, Germany)\n" \
        in text
    assert nonempty_lines(text)[-1] == "###"


# -- press release (HTML) -------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class StrictHTML(HTMLParser):
    """Fails on what html.parser lets through: unbalanced or misnested
    elements, a missing doctype, script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.doctype, self.errors = [], None, []
        self.text, self.headings, self.heading = [], [], None
        self.hrefs, self.html_lang = [], None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.errors.append("script element")
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "a":
            self.hrefs.append(a.get("href"))
        if tag in ("h1", "h2"):
            self.heading = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.errors.append("self-closed <%s/>" % tag)
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:]))
            return
        self.stack.pop()
        if tag in ("h1", "h2") and self.heading is not None:
            self.headings.append((tag, "".join(self.heading)))
            self.heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self.heading is not None:
            self.heading.append(data)


def parse_html(data):
    p = StrictHTML()
    p.feed(data.decode("utf-8"))
    p.close()
    assert p.errors == []
    assert p.stack == []
    assert p.doctype is not None and p.doctype.lower() == "doctype html"
    return p


def test_press_release_html_escapes_every_model_string(render):
    data = render("press-release-html", HOSTILE)
    assert b"<script>alert" not in data
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Defenders" \
        in data
    assert "release of “Ana &amp; Giorgi”".encode() in data
    assert b"<!-- raw HTML omitted -->" in data  # from the body, by cmark
    parse_html(data)


def test_press_release_html_is_a_complete_document_with_the_sections(
        render, hostile):
    data = render("press-release-html", HOSTILE)
    assert data.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">")
    p = parse_html(data)
    assert p.html_lang == "en"
    assert p.headings == [
        ("h1", hostile["headline"]), ("h2", "Actions requested"),
        ("h2", "Signatories"), ("h2", "Notes to editors"),
        ("h2", "Media contacts"), ("h2", "About")]
    text = "".join(p.text)
    assert ("EMBARGOED UNTIL 00:01 (Europe/London), Tuesday 1 December "
            "2026") in text
    assert "Tbilisi, 1 December 2026 — Forty organisations" in text
    assert "Signed by 15 organisations from 11 countries:" in text
    assert "Languages: English, Georgian, Russian" in text
    assert "Time zone: GMT+4" in text
    assert [t for t in "".join(p.text).split("\n") if t.strip()][-1] == "###"
    items = ListItems()
    items.feed(data.decode("utf-8"))
    assert items.lists[-1] == [list_line(s) for s in hostile["signatories"]]


def test_press_release_html_attributes_hold_the_model_strings_exactly(
        render, hostile):
    m = copy.deepcopy(hostile)
    m["media_contacts"][0]["email"] = "a\"b'<c>&d@example.org"
    m["url"] = "javascript:alert(1)"
    p = parse_html(render("press-release-html", m))
    assert "mailto:a\"b'<c>&d@example.org" in p.hrefs
    assert "javascript:alert(1)" not in p.hrefs


def test_press_release_html_takes_its_language_from_the_model(
        render, hostile):
    p = parse_html(render("press-release-html", dict(hostile, lang="ka")))
    assert p.html_lang == "ka"
    p = parse_html(render("press-release-html",
                          dict(hostile, lang="en\" onload=\"x")))
    assert p.html_lang == "en"


def test_press_release_html_of_an_empty_list(render, empty):
    data = render("press-release-html", dict(empty, embargo=None))
    p = parse_html(data)
    text = "".join(p.text)
    assert "FOR IMMEDIATE RELEASE" in text
    assert "No organisation has signed yet." in text
    assert b"<ol>\n<li><bdi>" not in data


def test_press_release_html_of_10000_signatories(render, big):
    data = render("press-release-html", big["path"])
    parse_html(data)
    items = ListItems()
    items.feed(data.decode("utf-8"))
    assert len(items.lists[-1]) == 10000
    assert items.lists[-1][999] == \
        "=HYPERLINK(\"http://x\",\"1000\") (O1000, Germany)"
