"""The PDF format (plugins/pdf), rendered through `bin/undersigned render`
and read back with poppler (pdftotext, pdfinfo, pdffonts).

Text is extracted with `pdftotext -raw`, which keeps the order in which the
plugin drew it (the reading order), so "every name, in order" is a plain
sequence check.  A name that wraps comes back over several lines; the
checks that must survive wrapping compare text with whitespace removed.
Right-to-left text comes back in visual order from -raw, so the Arabic
name of the hostile fixture is checked in pdftotext's default mode.
"""
import copy
import re
import subprocess

import pytest

from conftest import (CLI, ROOT, RenderError, cli_env, fixture_path,
                      load_fixture)

HOSTILE = fixture_path("hostile.json")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# -- reading a PDF back ------------------------------------------------------

def poppler(tool, data, tmp_path, *args):
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    proc = subprocess.run([tool] + list(args) + [str(path)] +
                          (["-"] if tool == "pdftotext" else []),
                          capture_output=True, timeout=120, check=True)
    return proc.stdout.decode("utf-8")


def text_raw(data, tmp_path):
    return poppler("pdftotext", data, tmp_path, "-raw")


def info(data, tmp_path):
    out = poppler("pdfinfo", data, tmp_path, "-isodates")
    return dict((k.strip(), v.strip()) for k, v in
                (line.split(":", 1) for line in out.splitlines()
                 if ":" in line))


def pages_of(text):
    """pdftotext ends every page with a form feed."""
    pages = text.split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()
    return pages


def squash(s):
    """What the plugin does to a name: controls become spaces, runs of
    spaces become one, ends are trimmed."""
    return re.sub(" +", " ", CONTROL.sub(" ", s)).strip()


def entry(sig):
    """`N. Organisation (ACRONYM, Country)` as the PDF prints it."""
    extra = [squash(x) for x in (sig.get("acronym") or "",
                                 sig.get("country_name") or "")]
    extra = ", ".join(x for x in extra if x)
    line = "%d. %s" % (sig["position"], squash(sig["organisation"]))
    return line + (" (%s)" % extra if extra else "")


def nows(s):
    return re.sub(r"\s+", "", s)


def assert_in_order(haystack, needles):
    """Every needle in haystack, each after the previous one."""
    at = 0
    for n in needles:
        found = haystack.find(n, at)
        assert found >= 0, "missing or out of order: %r" % n
        at = found + len(n)


def without_running_titles(text):
    """The text without the running title at the top of pages 2, 3 ..."""
    pages = text.split("\f")
    return "\f".join([pages[0]] + [p.split("\n", 1)[1] if "\n" in p else p
                                   for p in pages[1:]])


def signed_lines(text):
    """The lines after "Signed by", without the page footers and the
    running titles."""
    text = without_running_titles(text)
    lines = text.split("Signed by", 1)[1].replace("\f", "\n").splitlines()
    return [l for l in lines if l and not re.fullmatch(r"\d+ / \d+", l)]


def assert_page_numbers(text):
    pages = pages_of(text)
    total = len(pages)
    for n, page in enumerate(pages, 1):
        last = page.strip().splitlines()[-1]
        assert last == "%d / %d" % (n, total), \
            "page %d ends with %r" % (n, last)
    return total


# -- models ------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile():
    return load_fixture("hostile.json")


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory):
    """The hostile fixture rendered once for the tests that only read it."""
    out = tmp_path_factory.mktemp("pdf") / "hostile.pdf"
    proc = subprocess.run([CLI, "render", "--format", "pdf", "--statement",
                           HOSTILE, "-o", str(out)], cwd=ROOT, env=cli_env(),
                          capture_output=True, timeout=300)
    if proc.returncode != 0:
        raise RenderError(proc.stderr.decode(errors="replace"))
    return out.read_bytes()


SCRIPTS = [
    ("Fundación Ñandú para la Libertad de Prensa", "FNLP", "AR",
     "Argentina"),
    ("Правозащитный центр «Мемориал»", "ПЦ", "RU", "Russian Federation"),
    ("საქართველოს ახალგაზრდა იურისტთა ასოციაცია", "GYLA", "GE", "Georgia"),
    ("Հելսինկյան Քաղաքացիական Ասամբլեա", "ՀՔԱ", "AM", "Armenia"),
    ("Związek Obrońców Praw Człowieka", None, "PL", "Poland"),
    ("Кыргызстандын адам укуктары боюнча борбору", None, "KG",
     "Kyrgyzstan"),
    ("Ассоциация «Грузия» — საქართველო", "AG", "GE", "Georgia"),
]


def with_signatories(base, n, unnamed=0, name=None):
    m = copy.deepcopy(base)
    sigs = []
    for i in range(1, n + 1):
        org, acronym, country, country_name = SCRIPTS[(i - 1) % len(SCRIPTS)]
        sigs.append({
            "position": i,
            "organisation": name(i) if name else "%s %d" % (org, i),
            "acronym": acronym, "country": country,
            "country_name": country_name, "signed_on": "2026-11-20"})
    m.update(signatories=sigs, unnamed_count=unnamed,
             signature_count=n + unnamed, countries=[])
    return m


@pytest.fixture(scope="module")
def big_names():
    return lambda i: "Organisation %d %s" % (
        i, ("Правозащитный", "საქართველოს", "Հելսինկյան", "Libertad")[i % 4])


# -- the hostile fixture -----------------------------------------------------

def test_every_hostile_name_is_present_in_order_and_intact(
        hostile, hostile_pdf, tmp_path):
    text = text_raw(hostile_pdf, tmp_path)
    expected = []
    for sig in hostile["signatories"]:
        if re.search("[\u0600-\u06ff]", sig["organisation"]):
            # Right to left: -raw gives visual order; checked below.
            expected += ["%d." % sig["position"], "(TAB, Egypt)"]
        else:
            expected.append(nows(entry(sig)))
    assert_in_order(nows(text.split("Signed by", 1)[1]), [nows(e) for e in
                                                          expected])

    # Names that fit on a line come back exactly, Cyrillic, Georgian and
    # Armenian included, control characters turned into spaces.
    lines = signed_lines(text)
    for sig in hostile["signatories"]:
        e = entry(sig)
        if len(e) < 70 and not re.search("[\u0600-\u06ff]", e):
            assert e in lines, e
    assert "3. Line break org (-LB, United Kingdom)" in lines
    assert "10. Carriage return org (Ukraine)" in lines
    assert "9. Кыргызстандын адам укуктары боюнча борбору (Kyrgyzstan)" \
        in lines

    default = BIDI.sub("", poppler("pdftotext", hostile_pdf, tmp_path))
    assert "مركز حقوق" in default


def test_a_long_name_wraps_inside_the_margin_without_hyphens(
        hostile, hostile_pdf, tmp_path):
    text = text_raw(hostile_pdf, tmp_path)
    sig = hostile["signatories"][10]
    assert nows(entry(sig)) in nows(text)
    assert "-" not in text.split("11. Loo", 1)[1].split("(LONG", 1)[0]

    # Every word's box ends inside the right margin (A4, 64 pt margins).
    boxes = poppler("pdftotext", hostile_pdf, tmp_path, "-bbox")
    right = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes)]
    assert right and max(right) <= 595.276 - 64 + 0.5, max(right)


def test_markup_characters_are_literal_and_raw_html_is_dropped(
        hostile_pdf, tmp_path):
    text = text_raw(hostile_pdf, tmp_path)
    assert "<script>alert('t')</script>" in text
    assert '4. <script>alert("x")</script> Defenders (@XSS, United States)' \
        in text
    assert 'Comma, "Quote" & Co (CQC, Germany)' in text
    assert "=cmd|' /C calc'!A0 (+SUM(1,2), France)" in text
    # The body's raw HTML list item is gone, bullet and all.
    assert "alert(1)" not in text
    assert "raw HTML must not survive" not in text


def test_the_body_comes_from_the_markdown(hostile_pdf, tmp_path):
    text = text_raw(hostile_pdf, tmp_path)
    lines = text.splitlines()
    assert "We, the undersigned organisations, call on the authorities " \
        "to release Ana and Giorgi.[1]" in lines
    assert "Actions requested" in lines
    assert_in_order(text, ["1. Release them immediately;",
                           "2. Drop all charges;",
                           '3. Investigate the "raid" of 3 March.',
                           "\u2022 a bullet with a link "
                           "(https://example.org/report?a=1&b=2)",
                           "[1] See the report."])
    # **Ana** and *Giorgi* are drawn with the bold and italic faces.
    fonts = poppler("pdffonts", hostile_pdf, tmp_path)
    assert "NotoSans-Bold" in fonts and "NotoSans-Italic" in fonts


def test_header_lines_and_addressees(hostile_pdf, tmp_path):
    text = text_raw(hostile_pdf, tmp_path)
    assert_in_order(text, [
        "Urgent action:", "Reference: UA 56.23", "Tbilisi, 1 December 2026",
        "Action needed until 15 January 2027", "We, the undersigned",
        "Addressed to", "Prosecutor General",
        "Office of the Prosecutor General of Georgia", "24 Gorgasali St",
        "Tbilisi 0114", "Email: info@pog.example.org",
        "Phone: +995 32 240 50 00", "Fax: +995 32 240 50 01",
        "Social media: @pog_example", "Signed by", "1. Comma"])


def test_unnamed_organisations_close_the_list(hostile_pdf, tmp_path):
    lines = signed_lines(text_raw(hostile_pdf, tmp_path))
    assert lines[-1] == \
        "and 4 organisations that cannot be named for their safety"


def test_every_page_is_numbered_n_of_total(hostile_pdf, tmp_path):
    text = text_raw(hostile_pdf, tmp_path)
    total = assert_page_numbers(text)
    assert total == int(info(hostile_pdf, tmp_path)["Pages"])


def test_metadata(hostile, hostile_pdf, tmp_path):
    meta = info(hostile_pdf, tmp_path)
    assert meta["Title"] == hostile["title"]
    assert meta["Author"] == hostile["coordinator_organisation"]
    assert meta["Subject"] == hostile["headline"]
    assert meta["Keywords"] == hostile["reference"]
    assert meta["CreationDate"] == "2026-12-01T08:00:00Z"
    assert meta["Page size"].startswith("595.276 x 841.89")


def test_metadata_without_coordinator_or_headline(render, hostile, tmp_path):
    m = copy.deepcopy(hostile)
    del m["coordinator_organisation"]
    del m["headline"]
    meta = info(render("pdf", m), tmp_path)
    assert "Author" not in meta
    # The model falls back to the title for a missing headline.
    assert meta["Subject"] == hostile["title"]


# -- generated models --------------------------------------------------------

def test_latin_cyrillic_georgian_and_armenian_names_in_one_list(
        render, hostile, tmp_path):
    m = with_signatories(hostile, 70)
    data = render("pdf", m)
    lines = signed_lines(text_raw(data, tmp_path))
    names = [l for l in lines if re.match(r"\d+\. ", l)]
    assert names == [entry(s) for s in m["signatories"]]
    # Real glyphs from the script's own font, not a fallback box.
    fonts = poppler("pdffonts", data, tmp_path)
    for face in ("NotoSans-Regular", "NotoSansGeorgian",
                 "NotoSansArmenian"):
        assert face in fonts, face
    assert_page_numbers(text_raw(data, tmp_path))


def test_an_empty_list_has_no_signed_by_section(render, hostile, tmp_path):
    data = render("pdf", with_signatories(hostile, 0))
    text = text_raw(data, tmp_path)
    assert "Signed by" not in text
    assert "cannot be named" not in text
    assert "Actions requested" in text
    assert assert_page_numbers(text) == 1


def test_only_unnamed_organisations(render, hostile, tmp_path):
    text = text_raw(render("pdf", with_signatories(hostile, 0, unnamed=3)),
                    tmp_path)
    assert signed_lines(text) == \
        ["3 organisations that cannot be named for their safety"]


def test_one_unnamed_organisation_is_singular(render, hostile, tmp_path):
    text = text_raw(render("pdf", with_signatories(hostile, 2, unnamed=1)),
                    tmp_path)
    assert signed_lines(text)[-1] == \
        "and 1 organisation that cannot be named for its safety"


def test_10000_signatories_all_present_in_order(
        render, hostile, big_names, tmp_path):
    m = with_signatories(hostile, 10000, unnamed=12, name=big_names)
    data = render("pdf", m)
    text = text_raw(data, tmp_path)
    lines = signed_lines(text)
    assert lines[:-1] == [entry(s) for s in m["signatories"]]
    assert lines[-1] == \
        "and 12 organisations that cannot be named for their safety"
    total = assert_page_numbers(text)
    assert total == int(info(data, tmp_path)["Pages"])


def test_names_at_the_edge_of_one_line(render, hostile, tmp_path):
    """The measuring pass takes most one-line names from cached character
    widths instead of a layout (plugins/pdf/quick.c).  Names that grow one
    character at a time across the width of the line, in every script it
    accepts and in scripts it leaves to Pango, must still wrap where they
    must, stay inside the margin, and agree with the page count."""
    words = ("Libertad", "Правозащитный", "საქართველოს", "Հելսինկյան",
             "Ωμέγα", "AVAWAYToTe", "«Гражданский»", "مرصد")
    names = []
    for word in words:
        base = (word + " ") * 12
        for n in range(40, 112, 3):
            names.append(base[:n].strip())
    m = with_signatories(hostile, len(names), name=lambda i: names[i - 1])
    data = render("pdf", m)
    text = text_raw(data, tmp_path)
    assert_in_order(nows(text), [nows(entry(s)) for s in m["signatories"]
                                 if "مرصد" not in s["organisation"]])
    total = assert_page_numbers(text)
    assert total == int(info(data, tmp_path)["Pages"])

    boxes = poppler("pdftotext", data, tmp_path, "-bbox")
    right = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes)]
    assert right and max(right) <= 595.276 - 64 + 0.5, max(right)
    # The longest names really wrapped: more lines than names.
    assert len(signed_lines(text)) > len(names)


def test_page_count_grows_with_the_list(render, hostile, big_names,
                                        tmp_path):
    pages = {}
    for n in (50, 1000, 10000):
        data = render("pdf", with_signatories(hostile, n, name=big_names))
        pages[n] = int(info(data, tmp_path)["Pages"])
    assert pages[50] < pages[1000] < pages[10000]
    # About one line per name: ten times the names, about ten times the
    # pages.
    assert 8 * pages[1000] <= pages[10000] <= 11 * pages[1000], pages


def test_markdown_blocks_and_inlines(render, hostile, tmp_path):
    m = with_signatories(hostile, 1)
    m["body_markdown"] = "\n".join([
        "# First level",
        "",
        "Text with `code`, a hard  ",
        "break and <b>inline html</b> gone.",
        "",
        "7) seventh  ",
        "   continued after a hard break",
        "8) eighth",
        "",
        "- outer",
        "  - inner",
        "",
        "> Quoted *words*.",
        "",
        "---",
        "",
        "See <https://example.org/a> and [bad](javascript:alert(1)) and "
        "<mail@example.org>.",
        "",
        "```",
        "if (a < b)",
        "\treturn;",
        "```",
    ])
    data = render("pdf", m)
    text = text_raw(data, tmp_path)
    lines = [l.strip() for l in text.splitlines()]
    assert_in_order("\n".join(lines), [
        "First level",
        "Text with code, a hard",
        "break and inline html gone.",
        "7) seventh", "continued after a hard break", "8) eighth",
        "\u2022 outer", "\u25e6 inner",
        "Quoted words.",
        "See https://example.org/a and bad and mail@example.org.",
        "if (a < b)", "return;",
    ])
    assert "<b>" not in text and "javascript" not in text

    # The line after a hard break stays under the item's text, not under
    # its number.
    boxes = poppler("pdftotext", data, tmp_path, "-bbox")
    x = dict((w, float(v)) for v, w in re.findall(
        r'xMin="([0-9.]+)"[^>]*>(seventh|continued)<', boxes))
    assert abs(x["seventh"] - x["continued"]) < 0.5, x


# -- refusing to draw what no font has ---------------------------------------

@pytest.mark.parametrize("where,char", [
    ("organisation", "\ue000"),     # private use: no installed font
    ("body", "\u0378"),             # unassigned
])
def test_a_character_without_glyph_fails_the_render(
        render, hostile, tmp_path, where, char):
    m = copy.deepcopy(hostile)
    if where == "organisation":
        m["signatories"][2]["organisation"] = "Before %s after" % char
    else:
        m["body_markdown"] = "Some text %s more text." % char
    with pytest.raises(RenderError) as err:
        render("pdf", m)
    message = str(err.value)
    code = "U+%04X" % ord(char)
    assert "no installed font has a glyph for %s" % code in message
    assert ("Before [%s] after" % code if where == "organisation"
            else "Some text [%s] more text." % code) in message
    # Nothing was written.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("out-")]
