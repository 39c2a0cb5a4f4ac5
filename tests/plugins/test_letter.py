"""The letter format (plugins/letter): one formal letter per addressee,
rendered through `bin/undersigned render` and read back with pdftotext.

Each letter starts on a new page, so the pages between one addressee's
name and the next addressee's name are that addressee's letter."""
import copy
import re
import subprocess

import pytest

from conftest import load_fixture

SCRIPTS = [
    ("Sadyr Japarov", "Dear Mr. President,"),
    ("Садыр Жапаров", "Уважаемый господин Президент!"),
    ("სალომე ზურაბიშვილი", "ქალბატონო პრეზიდენტო,"),
    ("Վահագն Խաչատուրյան", "Հարգելի պարոն Նախագահ,"),
    ("عبد الفتاح السيسي", "السيد الرئيس،"),
]


def pdftext(data, tmp_path, *args):
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext"] + list(args) + [str(path), "-"],
                          capture_output=True, timeout=300,
                          check=True).stdout.decode("utf-8")


def pages(text):
    p = text.split("\f")
    if p and p[-1].strip() == "":
        p.pop()
    return p


def nows(s):
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def hostile():
    return load_fixture("hostile.json")


def model(base, addressees, sample_letter=None, signatories=None, **over):
    m = copy.deepcopy(base)
    m["addressees"] = addressees
    if sample_letter is not None:
        m["sample_letter"] = sample_letter
    if signatories is not None:
        m["signatories"] = signatories
        m["signature_count"] = len(signatories) + m.get("unnamed_count", 0)
        m["countries"] = []
    m.update(over)
    return m


def letters_of(text, names):
    """The text of each letter, split at each addressee's name in turn;
    each must begin on a page of its own."""
    out = []
    ps = pages(text)
    starts = []
    for name in names:
        at = next(i for i, p in enumerate(ps) if name in p and
                  i not in starts and (not starts or i > starts[-1]))
        starts.append(at)
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(ps)
        out.append("\f".join(ps[s:end]))
    return out


def test_each_addressee_gets_a_formal_letter(render, hostile, tmp_path):
    addressees = [
        dict(hostile["addressees"][0], salutation="Dear Prosecutor "
             "General,"),
        {"name": "Sadyr Japarov", "title": "President",
         "address": "Government House\n720003 Bishkek",
         "salutation": "Dear Mr. President,"},
    ]
    letter = ("I am writing to express my concern about Ana and Giorgi."
              "\n\nI call on you to release them.")
    data = render("letter", model(hostile, addressees, letter))
    text = pdftext(data, tmp_path)
    one, two = letters_of(text, ["Prosecutor General", "Sadyr Japarov"])
    for part, salutation in ((one, "Dear Prosecutor General,"),
                             (two, "Dear Mr. President,")):
        order = [hostile["coordinator_organisation"], "Tbilisi, 1 December "
                 "2026", salutation, "I am writing to express my concern",
                 "I call on you to release them.", "Sincerely,",
                 "Signed by", "Comma, \"Quote\" & Co (CQC, Germany)",
                 "and 4 organisations that cannot be named for their "
                 "safety"]
        at = 0
        for needle in order:
            found = part.find(needle, at)
            assert found >= 0, (needle, part[:2000])
            at = found + len(needle)
        # The sample letter replaces the statement's text.
        assert "We, the undersigned organisations" not in part
        assert "Re: UA 56.23" in part
        # Markup in the title is drawn, never interpreted.
        assert "<script>alert('t')</script>" in part
    assert "24 Gorgasali St\nTbilisi 0114" in one
    assert "Government House\n720003 Bishkek" in two
    # Contact data of the addressee is not printed in a letter to them.
    assert "info@pog.example.org" not in one


def test_without_a_sample_letter_the_text_is_the_letter(
        render, hostile, tmp_path):
    m = model(hostile, [dict(hostile["addressees"][0], salutation="Dear "
                             "Sir,")])
    m.pop("sample_letter", None)
    text = pdftext(render("letter", m), tmp_path)
    assert nows("We, the undersigned organisations") in nows(text)
    assert text.index("Dear Sir,") < text.index("Sincerely,")


def test_without_addressees_one_letter_without_address_block(
        render, hostile, tmp_path):
    m = model(hostile, [], "Release them.", signatories=[])
    m["unnamed_count"] = 0
    m["signature_count"] = 0
    text = pdftext(render("letter", m), tmp_path)
    assert len(pages(text)) == 1
    assert "Gorgasali" not in text
    assert "Release them." in text
    assert "Signed by" not in text


def test_names_and_salutations_in_five_scripts(render, hostile, tmp_path):
    addressees = [{"name": n, "salutation": s, "address": "Street 1\nCity"}
                  for n, s in SCRIPTS]
    data = render("letter", model(hostile, addressees, "Release them."))
    text = pdftext(data, tmp_path)
    names = [n for n, _ in SCRIPTS[:4]]
    parts = letters_of(text, names)
    for part, (name, salutation) in zip(parts, SCRIPTS):
        assert name in part and salutation in part
        assert part.index(name) < part.index(salutation)
    # Right to left comes back in logical order from the default mode.
    assert "السيسي" in text or "عبد الفتاح" in text
    assert "الرئيس" in text


def test_100_addressees_each_on_its_own_pages_in_order(
        render, hostile, tmp_path):
    addressees = [{"name": "Official %03d" % i, "salutation":
                   "Dear Official %03d," % i} for i in range(1, 101)]
    data = render("letter", model(hostile, addressees, "Release them."))
    text = pdftext(data, tmp_path)
    ps = pages(text)
    first = [i for i, p in enumerate(ps) if re.search(r"Official \d{3}\n",
                                                      p)]
    assert len(first) == 100
    for k, i in enumerate(first, start=1):
        assert ("Dear Official %03d," % k) in ps[i]
    at = 0
    for k in range(1, 101):
        at = text.index("Dear Official %03d," % k, at) + 1
    # A page break between letters: no page holds two salutations.
    assert all(len(re.findall("Dear Official", p)) <= 1 for p in ps)


def test_10000_signatories_in_every_letter_in_order(
        render, hostile, tmp_path):
    sigs = [{"position": i, "organisation": "Organisation %d %s" % (
        i, ("Правозащитный", "საქართველოს", "Հելսինկյան", "Libertad",
            "حقوق")[i % 5]), "country": "GE", "country_name": "Georgia"}
        for i in range(1, 10001)]
    addressees = [{"name": "First Official", "salutation": "Dear First,"},
                  {"name": "Second Official", "salutation": "Dear Second,"}]
    m = model(hostile, addressees, "Release them.", signatories=sigs)
    data = render("letter", m)
    text = pdftext(data, tmp_path, "-raw")
    one, two = letters_of(text, ["First Official", "Second Official"])
    for part in (one, two):
        got = re.findall(r"Organisation (\d+) ", part)
        assert [int(x) for x in got] == list(range(1, 10001))


def test_russian_words_in_a_russian_letter(render, hostile, tmp_path):
    m = model(hostile, [{"name": "Садыр Жапаров", "salutation":
                         "Уважаемый господин Президент!"}],
              "Освободите их.", lang="ru")
    text = pdftext(render("letter", m), tmp_path)
    assert "Касательно:" in text
    assert "С уважением," in text
    assert "Подписали" in text
