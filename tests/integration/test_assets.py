"""Static files: pages link them under a version made from their content,
so that address can be cached for a year (by browsers and by nginx in
front) and a release that changes them links a new address."""
import re


def stylesheet_url(page):
    m = re.search(r'<link rel="stylesheet" href="(/assets/style\.css[^"]*)"',
                  page)
    assert m, page[:600]
    return m.group(1).replace("&amp;", "&")


def test_pages_link_the_stylesheet_by_its_content(http, make_statement):
    st = make_statement()
    url = stylesheet_url(http.get(http.base + "/s/" + st["slug"]).text)
    assert re.fullmatch(r"/assets/style\.css\?v=[0-9a-f]{16}", url), url
    r = http.get(http.base + url)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/css; charset=utf-8"
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert r.content == http.get(http.base + "/assets/style.css").content


def test_unversioned_or_stale_asset_urls_are_cached_briefly(http):
    for url in ("/assets/style.css", "/assets/style.css?v=0000000000000000"):
        r = http.get(http.base + url)
        assert r.status_code == 200, url
        assert r.headers["Cache-Control"] == "public, max-age=3600", url
        assert "immutable" not in r.headers["Cache-Control"]


def test_asset_revalidates_with_its_etag(http):
    r = http.get(http.base + "/assets/style.css")
    again = http.get(http.base + "/assets/style.css",
                     headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
