"""conf/nginx/undersigned.conf in front of the installed server: a CA and
a server certificate made here with openssl, Debian's nginx with the site
as shipped (only addresses, ports and paths changed), and every request
over https:// verified against that CA."""
import os
import re
import socket
import ssl
import subprocess
import time

import pytest
import requests

from conftest import (ROOT, VAR, VERIFY_RE, free_port, run, signer,
                      stop_process, text_part)
from test_privsep import make_statement

NGINX = "/usr/sbin/nginx"
HSTS = "max-age=63072000"


def make_certificates(d):
    """A CA, and a certificate for 127.0.0.1 and localhost signed by it."""
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr = os.path.join(d, "server.key"), os.path.join(d, "server.csr")
    crt, ext = os.path.join(d, "server.pem"), os.path.join(d, "server.ext")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key, "-out", ca,
         "-days", "2", "-subj", "/CN=undersigned test CA",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
         "-out", csr, "-subj", "/CN=localhost"])
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
         "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", crt])
    return ca, crt, key


def render_site(d, app_port, http_port, https_port, crt, key):
    """The shipped site with this machine's ports and paths; each change
    must apply exactly once, so a reshaped site fails here first."""
    with open(os.path.join(ROOT, "conf", "nginx", "undersigned.conf")) as f:
        site = f.read()
    for old, new in (
            ("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % app_port),
            ("listen 80;", "listen 127.0.0.1:%d;" % http_port),
            ("listen [::]:80;\n", ""),
            ("listen 443 ssl http2;",
             "listen 127.0.0.1:%d ssl http2;" % https_port),
            ("listen [::]:443 ssl http2;\n", ""),
            ("/etc/letsencrypt/live/statements.example.org/fullchain.pem",
             crt),
            ("/etc/letsencrypt/live/statements.example.org/privkey.pem",
             key),
            ("/var/cache/nginx/undersigned", os.path.join(d, "cache"))):
        assert site.count(old) == 1, old
        site = site.replace(old, new)
    with open(os.path.join(d, "site.conf"), "w") as f:
        f.write(site)
    temps = "\n".join("\t%s_temp_path %s;" % (t, os.path.join(d, t))
                      for t in ("client_body", "proxy", "fastcgi", "uwsgi",
                                "scgi"))
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write("worker_processes 1;\n"
                "pid %(d)s/nginx.pid;\n"
                "error_log %(d)s/error.log notice;\n"
                "events { worker_connections 256; }\n"
                "http {\n"
                "\tinclude /etc/nginx/mime.types;\n"
                "\taccess_log %(d)s/access.log;\n"
                "%(temps)s\n"
                "\tinclude %(d)s/site.conf;\n"
                "}\n" % {"d": d, "temps": temps})
    return conf


class Nginx:
    def __init__(self, service):
        self.dir = os.path.join(VAR, "nginx")
        os.makedirs(self.dir, exist_ok=True)
        self.ca, crt, key = make_certificates(self.dir)
        self.http_port = free_port()
        self.https_port = service.https_port
        self.url = service.public_url
        self.conf = render_site(self.dir, service.port, self.http_port,
                                self.https_port, crt, key)
        self.proc = None

    def start(self):
        out = subprocess.run([NGINX, "-t", "-p", self.dir, "-c", self.conf],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        self.proc = subprocess.Popen(
            [NGINX, "-p", self.dir, "-c", self.conf, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port),
                                         1).close()
                return
            except OSError:
                assert self.proc.poll() is None, "nginx exited; see " + \
                    os.path.join(self.dir, "error.log")
                assert time.time() < deadline, "nginx did not listen"
                time.sleep(0.05)


@pytest.fixture(scope="module")
def nginx(service):
    assert os.access(NGINX, os.X_OK), "nginx is missing: apt-get install nginx"
    n = Nginx(service)
    n.start()
    yield n
    stop_process(n.proc)


@pytest.fixture
def https(nginx):
    s = requests.Session()
    # Only the test CA: with trust_env, REQUESTS_CA_BUNDLE from the
    # environment would replace it (requests 2.28).
    s.trust_env = False
    s.verify = nginx.ca
    s.base = nginx.url
    return s


def hidden_fields(page):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" '
                           r'value="([^"]*)"', page))


def test_sign_and_confirm_over_verified_https(https, service, token):
    slug = make_statement(service, token)
    page = https.get(https.base + "/s/" + slug)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == HSTS
    who = signer(country="GE")
    data = hidden_fields(page.text)
    data.update({k: who[k] for k in ("organisation", "acronym", "country",
                                     "website", "contact_name",
                                     "contact_role", "email")})
    data["visibility"] = "named"
    r = https.post(https.base + "/s/%s/sign" % slug, data=data,
                   allow_redirects=False)
    assert r.status_code == 303, r.text
    mail = text_part(service.smtp.wait_for(who["email"])[0]["msg"])
    tok = VERIFY_RE.search(mail).group(1)
    # The emailed link is the public https:// address nginx serves.
    link = "%s/verify/%s" % (https.base, tok)
    assert link in mail
    form = https.get(link)
    assert form.status_code == 200
    assert 'action="/verify/%s"' % tok in form.text
    done = https.post(link, data={"confirm": "1"})
    assert done.status_code == 200 and "Signature confirmed" in done.text
    listed = https.get(https.base + "/api/v1/statements/%s/signatures" % slug)
    assert [s["organisation"] for s in listed.json()] == [who["organisation"]]


def test_unverifiable_certificate_is_refused(nginx):
    """The check above is real: without the test CA the handshake fails."""
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(nginx.url + "/healthz", verify=True)


def test_plain_http_redirects_to_https(nginx):
    r = requests.get("http://127.0.0.1:%d/s/x?lang=ru" % nginx.http_port,
                     allow_redirects=False)
    assert r.status_code == 301
    assert r.headers["Location"] == "https://127.0.0.1/s/x?lang=ru"


def test_only_modern_tls(nginx):
    ctx = ssl.create_default_context(cafile=nginx.ca)
    with socket.create_connection(("127.0.0.1", nginx.https_port)) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.version() == "TLSv1.3"
    # TLS 1.2 with a forward-secret AEAD suite: accepted.
    ctx12 = ssl.create_default_context(cafile=nginx.ca)
    ctx12.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx12.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256")
    with socket.create_connection(("127.0.0.1", nginx.https_port)) as raw:
        with ctx12.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.cipher()[0] == "ECDHE-RSA-AES128-GCM-SHA256"
    # A CBC suite, or RSA key exchange: refused.
    for suite in ("ECDHE-RSA-AES128-SHA", "AES128-GCM-SHA256"):
        old = ssl.create_default_context(cafile=nginx.ca)
        old.maximum_version = ssl.TLSVersion.TLSv1_2
        old.set_ciphers(suite)
        with socket.create_connection(("127.0.0.1",
                                       nginx.https_port)) as raw:
            with pytest.raises(ssl.SSLError):
                old.wrap_socket(raw, server_hostname="127.0.0.1")


def test_assets_are_cached_by_nginx_for_a_year(https):
    page = https.get(https.base + "/").text
    css = re.search(r'href="(/assets/style\.css\?v=[0-9a-f]+)"', page)
    assert css, page[:500]
    first = https.get(https.base + css.group(1))
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == \
        "public, max-age=31536000, immutable"
    assert first.headers["Strict-Transport-Security"] == HSTS
    again = https.get(https.base + css.group(1))
    assert again.headers["X-Cache-Status"] == "HIT"
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]


def test_app_cache_headers_pass_through(https, service, token):
    slug = make_statement(service, token)
    path = "/s/%s/download/text" % slug
    direct = requests.get(service.url + path)
    proxied = https.get(https.base + path)
    assert proxied.status_code == direct.status_code == 200
    for h in ("ETag", "Cache-Control", "Content-Type", "Content-Disposition"):
        assert proxied.headers[h] == direct.headers[h], h
    again = https.get(https.base + path,
                      headers={"If-None-Match": proxied.headers["ETag"]})
    assert again.status_code == 304
    # The public page is cacheable (the app's page cache; issue 14), and
    # nginx passes the app's word on with its validator.
    page = https.get(https.base + "/s/" + slug)
    assert page.headers["Cache-Control"] == \
        "public, max-age=2, stale-while-revalidate=10"
    assert https.get(https.base + "/s/" + slug, headers={
        "If-None-Match": page.headers["ETag"]}).status_code == 304


def test_body_over_the_limit_is_refused_by_nginx(https):
    r = https.post(https.base + "/api/v1/statements/x/signatures/import",
                   data=b"1. x\n" * (6 * 1024 * 1024 // 5),
                   headers={"Content-Type": "text/plain"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"
    assert r.headers["Strict-Transport-Security"] == HSTS


def burst(session, url, n, **kw):
    return [session.post(url, allow_redirects=False, **kw) for _ in range(n)]


def test_a_burst_of_signatures_is_limited(https, service, token):
    slug = make_statement(service, token)
    answers = burst(https, https.base + "/api/v1/statements/%s/signatures"
                    % slug, 20, json=signer())
    codes = [r.status_code for r in answers]
    assert 429 in codes, codes
    # The zone allows a burst of 5 above its rate, then refuses.
    assert codes.count(202) <= 7, codes
    limited = answers[codes.index(429)]
    assert limited.headers["Retry-After"] == "60"
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited.headers["Strict-Transport-Security"] == HSTS
    # Reading is not writing: the list still answers.
    r = https.get(https.base + "/api/v1/statements/%s/signatures" % slug)
    assert r.status_code == 200


def test_a_burst_of_sign_in_requests_is_limited(https):
    codes = [r.status_code for r in burst(
        https, https.base + "/w/login", 10,
        data={"email": "nobody@deploy.example.org"})]
    assert 429 in codes, codes
    assert len([c for c in codes if c != 429]) <= 5, codes
