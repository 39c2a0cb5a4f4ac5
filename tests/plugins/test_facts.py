"""What every download says about itself: the public address, the status
("Open for signatures — list as of …" or "Published …, version N"), the
named and unnamed counts, every country of every signatory, the running
title of the PDF from page 2, and all of it in the statement's language."""
import csv
import io
import json
import subprocess

import openpyxl
import pytest

URL = "https://statements.example.org/s/free-the-four"


def model(**over):
    m = {
        "slug": "free-the-four", "kind": "joint_statement", "lang": "en",
        "title": "Free the four human rights defenders now",
        "body_markdown": "We, the undersigned, call for their release.",
        "place": "Bishkek", "date": "2026-12-07", "url": URL,
        "status": "open", "list_as_of": "2026-12-07T14:05:09Z",
        "signatories": [
            {"organisation": "Helsinki Bridge", "acronym": "HB",
             "country": "DE", "country2": "CH"},
            {"organisation": "Kyrgyz Rights Centre", "country": "KG"},
        ],
        "unnamed_count": 3,
    }
    m.update(over)
    return m


PUBLISHED = dict(status="published", published_at="2026-12-09T08:00:00Z",
                 version=2)


def pdf_text(data, tmp_path, *args):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext"] + list(args) + [str(path), "-"],
                          capture_output=True, check=True).stdout.decode()


def test_pdf_says_address_status_counts_and_both_countries(render, tmp_path):
    text = pdf_text(render("pdf", model()), tmp_path, "-raw")
    assert URL in text
    assert "Open for signatures \u2014 list as of 14:05 UTC, 7 December 2026" \
        in text
    assert "Signatories: 5 (2 named, 3 not named)" in text
    assert "1. Helsinki Bridge (HB, Germany, Switzerland)" in text
    assert "2. Kyrgyz Rights Centre (Kyrgyzstan)" in text


def test_published_pdf_says_when_and_which_version(render, tmp_path):
    text = pdf_text(render("pdf", model(**PUBLISHED)), tmp_path, "-raw")
    assert "Published 9 December 2026, version 2" in text
    assert "list as of" not in text


def test_pdf_repeats_the_short_title_from_page_2(render, tmp_path):
    sigs = [{"organisation": "Organisation %d" % i, "country": "FR"}
            for i in range(1, 200)]
    title = "A statement whose title is long enough to be cut in the " \
        "running header of every page after the first one"
    text = pdf_text(render("pdf", model(title=title, signatories=sigs)),
                    tmp_path, "-raw")
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    short = title[:80] + "\u2026"
    assert not pages[0].startswith(short)
    for page in pages[1:]:
        assert page.splitlines()[0] == short, page[:200]


@pytest.mark.parametrize("fmt", ["text", "markdown", "press-release",
                                 "press-release-html"])
def test_text_formats_say_address_status_and_counts(render, fmt):
    out = render(fmt, model()).decode()
    assert URL in out
    assert "list as of 14:05 UTC, 7 December 2026" in out
    assert "Signatories: 5 (2 named, 3 not named)" in out
    assert "Germany, Switzerland" in out


def test_csv_says_what_it_is_above_the_table_and_keeps_both_countries(
        render):
    data = render("csv", model()).decode()
    rows = list(csv.reader(io.StringIO(data, newline="")))
    blank = rows.index([])
    facts = dict(rows[:blank])
    assert facts["Address"] == URL
    assert facts["Status"].startswith("Open for signatures")
    assert facts["Named organisations"] == "2"
    assert facts["Organisations not named"] == "3"
    table = rows[blank + 1:]
    assert table[1][3:5] == ["DE; CH", "Germany; Switzerland"]


def test_json_has_status_counts_and_every_country(render):
    doc = json.loads(render("json", model(**PUBLISHED)))
    st = doc["statement"]
    assert st["url"] == URL and st["status"] == "published"
    assert st["status_line"] == "Published 9 December 2026, version 2"
    assert st["version"] == 2
    assert doc["named_count"] == 2 and doc["unnamed_count"] == 3
    first = doc["signatories"][0]
    assert first["country"] == "DE"
    assert first["countries"] == [
        {"country": "DE", "country_name": "Germany"},
        {"country": "CH", "country_name": "Switzerland"}]


def test_xlsx_about_sheet_and_both_countries(render, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(render("xlsx", model()))
    wb = openpyxl.load_workbook(path)
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows()}
    assert about["Address"] == URL
    assert about["Named organisations"] == "2"
    assert about["Organisations not named"] == "3"
    assert wb["Signatories"].cell(row=2, column=4).value == "DE; CH"


RU = dict(lang="ru", title="Свободу четверым", body_markdown="Мы требуем.",
          place="Бишкек")


def test_russian_pdf_has_russian_words_dates_and_country_names(
        render, tmp_path):
    text = pdf_text(render("pdf", model(**RU, **PUBLISHED)), tmp_path,
                    "-raw")
    assert "Опубликовано 9 декабря 2026 г., версия 2" in text
    assert "Бишкек, 7 декабря 2026 г." in text
    assert "Подписали" in text
    assert "(HB, Германия, Швейцария)" in text
    assert "и 3 организации, которые нельзя назвать ради их безопасности" \
        in text
    assert "Signed by" not in text and "December" not in text


def test_russian_press_release_has_russian_release_line_and_dates(render):
    out = render("press-release", model(**RU)).decode()
    assert out.startswith("ДЛЯ НЕМЕДЛЕННОЙ ПУБЛИКАЦИИ\n")
    assert "Бишкек, 7 декабря 2026 г. \u2014" in out
    assert "Подписали 5 организаций из 3 стран:" in out
    assert "Открыто для подписей \u2014 список на 14:05 UTC, " \
        "7 декабря 2026 г." in out
    embargoed = render("press-release", model(**RU, embargo={
        "until": "2026-12-01T00:01:00Z", "timezone": "Europe/London"}))
    assert embargoed.decode().startswith(
        "ЭМБАРГО ДО 00:01 (Europe/London), вторник, 1 декабря 2026 г.\n")
