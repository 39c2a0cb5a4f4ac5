"""docs/openapi.yaml is the API's contract: it lints clean (Redocly),
names every API route of src/http/router.c, and the answers of real
calls, successes and errors, match the schemas it gives."""
import os
import re
import shutil
import subprocess

import pytest
import requests
import yaml

from conftest import signer, unique_slug

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SPEC_PATH = os.path.join(ROOT, "docs", "openapi.yaml")
LINT_DIR = os.path.join(ROOT, "tests", "openapi")

with open(SPEC_PATH) as f:
    SPEC = yaml.safe_load(f)


def deref(node):
    """The node a {"$ref": "#/..."} points to, followed to the end."""
    while isinstance(node, dict) and "$ref" in node:
        target = SPEC
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
         "integer": int, "number": (int, float), "null": type(None)}


def check(value, schema, where="$"):
    """The JSON Schema subset the file uses: type (one or a list), enum,
    required, properties, items, allOf.  Returns what does not match."""
    schema = deref(schema)
    bad = []
    for sub in schema.get("allOf", []):
        bad += check(value, sub, where)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else \
            [schema["type"]]
        ok = any(isinstance(value, TYPES[t]) and
                 not (t in ("integer", "number") and isinstance(value, bool))
                 for t in types)
        if not ok:
            return bad + ["%s: %r is not %s" % (where, value, types)]
    if "enum" in schema and value not in schema["enum"]:
        bad.append("%s: %r not in %s" % (where, value, schema["enum"]))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                bad.append("%s: %s missing" % (where, key))
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                bad += check(value[key], sub, "%s.%s" % (where, key))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            bad += check(item, schema["items"], "%s[%d]" % (where, i))
    return bad


def conforms(r, path, method):
    """r, an answer to method on path (as the spec names it), matches the
    spec's schema for its status."""
    op = SPEC["paths"][path][method]
    assert str(r.status_code) in op["responses"], \
        "%s %s: %d is not described" % (method, path, r.status_code)
    resp = deref(op["responses"][str(r.status_code)])
    content = resp.get("content", {})
    if "application/json" not in content:
        return
    bad = check(r.json(), content["application/json"]["schema"])
    assert not bad, "%s %s %d: %s" % (method, path, r.status_code, bad)


def test_the_file_lints_clean():
    npx = shutil.which("npx")
    assert npx, "npx is missing: apt-get install npm"
    if not os.path.isdir(os.path.join(LINT_DIR, "node_modules",
                                      "@redocly")):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"],
                       cwd=LINT_DIR, check=True, timeout=600)
    out = subprocess.run([npx, "--no-install", "redocly", "lint",
                          "--config", "redocly.yaml", SPEC_PATH],
                         cwd=LINT_DIR, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "valid" in out.stdout + out.stderr


def test_every_api_route_is_described():
    with open(os.path.join(ROOT, "src", "http", "router.c")) as f:
        router = f.read()
    described = {(re.sub(r"\{[^}]*\}", "{}", p), m.upper())
                 for p, ops in SPEC["paths"].items() for m in ops
                 if m != "parameters"}
    routes = re.findall(r'\{ (GET|POST|PUT|PATCH|DELETE), '
                        r'"(/api/[^"]*|/healthz)"', router)
    assert routes
    for method, path in routes:
        assert (path, method) in described, (method, path)


def test_answers_match_the_schemas(stack, token, make_statement):
    auth = {"Authorization": "Bearer " + token}
    other = stack.cli("coordinator", "add", "%s@other.example.org"
                      % unique_slug("o")).stdout.split()[-1]
    u = stack.url
    conforms(requests.get(u + "/healthz"), "/healthz", "get")
    conforms(requests.get(u + "/api/v1/formats"), "/api/v1/formats", "get")

    p = "/api/v1/statements"
    slug = unique_slug()
    body = {"slug": slug, "kind": "open_letter", "lang": "en", "title": "T",
            "body_markdown": "B", "addressees": [{"name": "Minister"}],
            "embargo_until": "2030-01-01T00:00:00Z",
            "embargo_timezone": "Europe/London"}
    conforms(requests.post(u + p, json=body, headers=auth), p, "post")
    conforms(requests.post(u + p, json=body, headers=auth), p, "post")
    conforms(requests.post(u + p, json=body), p, "post")
    conforms(requests.post(u + p, json=dict(body, slug="Bad Slug"),
                           headers=auth), p, "post")

    p = "/api/v1/statements/{slug}"
    one = u + "/api/v1/statements/" + slug
    conforms(requests.get(one, headers=auth), p, "get")
    conforms(requests.get(one), p, "get")
    conforms(requests.patch(one, json={"place": "Osh"}, headers=auth),
             p, "patch")
    conforms(requests.patch(one, json={"place": "Osh"},
                            headers={"Authorization": "Bearer " + other}),
             p, "patch")
    conforms(requests.patch(one, json={"date": "soon"}, headers=auth),
             p, "patch")

    p = "/api/v1/statements/{slug}/translations/{lang}"
    conforms(requests.put(one + "/translations/ru", json={
        "title": "З", "body_markdown": "Т", "headline": "Х"},
        headers=auth), p, "put")
    conforms(requests.get(one + "/translations/ru", headers=auth), p, "get")
    conforms(requests.get(one + "/translations/ky", headers=auth), p, "get")

    p = "/api/v1/statements/{slug}/status"
    conforms(requests.post(one + "/status", json={"status": "open"},
                           headers=auth), p, "post")
    conforms(requests.post(one + "/status", json={"status": "published"},
                           headers=auth), p, "post")

    p = "/api/v1/statements/{slug}/coordinators"
    conforms(requests.post(one + "/coordinators", json={
        "email": "second@coalition.example.org"}, headers=auth), p, "post")
    conforms(requests.delete(one + "/coordinators?email=nobody@example.org",
                             headers=auth), p, "delete")

    p = "/api/v1/statements/{slug}/signatures"
    conforms(requests.post(one + "/signatures", json=signer()), p, "post")
    conforms(requests.post(one + "/signatures", json={}), p, "post")
    conforms(requests.get(one + "/signatures"), p, "get")
    conforms(requests.get(one + "/signatures?limit=5&offset=0"), p, "get")
    conforms(requests.get(one + "/signatures?limit=0"), p, "get")
    conforms(requests.get(u + "/api/v1/statements?limit=2"),
             "/api/v1/statements", "get")
    conforms(requests.get(u + "/api/v1/statements?offset=x"),
             "/api/v1/statements", "get")

    p = "/api/v1/statements/{slug}/signatures/import"
    conforms(requests.post(one + "/signatures/import", headers=auth,
                           data="1. Bir Duino (BD, Kyrgyzstan)\n2. (\n"),
             p, "post")
    conforms(requests.post(u + "/api/v1/verify", json={"token": "x" * 43}),
             "/api/v1/verify", "post")

    p = "/api/v1/statements/{slug}/actions"
    conforms(requests.post(one + "/actions", json={
        "channel": "fax", "addressee": 0, "email": "r@example.org"}), p, "post")
    conforms(requests.post(one + "/actions", json={
        "channel": "fax", "addressee": 5, "email": "r@example.org"}), p,
        "post")
    conforms(requests.post(one + "/actions", json={}), p, "post")
    conforms(requests.post(u + "/api/v1/statements/nobody-here/actions",
                           json={"channel": "fax", "email": "r@example.org"}),
             p, "post")

    p = "/api/v1/statements/{slug}/deliveries"
    conforms(requests.get(one + "/deliveries", headers=auth), p, "get")
    conforms(requests.get(one + "/deliveries"), p, "get")
    conforms(requests.post(one + "/deliveries", headers=auth), p, "post")
    conforms(requests.post(one + "/deliveries",
                           headers={"Authorization": "Bearer " + other}),
             p, "post")
