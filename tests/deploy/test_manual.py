"""The manual pages say what the code does: every command of the CLI,
every setting the configuration knows, every field of the plugin ABI
(`mandoc -Tlint` on both runs in scripts/test.sh as its own step); the
docs index names every document."""
import os
import re

from conftest import ROOT


def read(*path):
    with open(os.path.join(ROOT, *path)) as f:
        return f.read()


def test_every_command_is_in_undersigned_1():
    main = read("src", "cli", "main.c")
    main = main[main.index("\nmain(int argc"):]
    commands = set(re.findall(r'strcmp\(argv\[1\], "([a-z-]+)"\)', main))
    assert {"coordinator", "migrate", "mailer", "render"} <= commands
    page = read("man", "undersigned.1")
    documented = set(re.findall(r"^\.It Cm ([a-z-]+)", page, re.M))
    assert commands == documented


def test_every_setting_is_in_undersigned_1():
    config = read("src", "core", "config.c")
    known = set(re.findall(r'"(UNDERSIGNED_[A-Z_]+)"', config))
    plain = set(re.findall(r'getenv\("([A-Z_]+)"\)', config))
    page = read("man", "undersigned.1")
    documented = set(re.findall(r"^\.It Ev ([A-Z_]+)", page, re.M))
    assert known | plain == documented


def test_every_abi_field_is_in_undersigned_plugin_3():
    header = read("plugins", "undersigned-plugin.h")
    # Lists are arrays of pointers since ABI 2.0: "*const *signatories".
    fields = set(re.findall(r"^\t[^/*\n]*?\(?(?:\*\s*const\s*)?\*?\*?(\w+)"
                            r"\)?(?:\([^)]*\))?(?:\[\w*\])?;", header,
                            re.M))
    fields |= set(re.findall(r"\(\*(\w+)\)\(", header))
    assert {"render", "magic", "signatories", "unnamed_count", "write"} \
        <= fields
    page = read("man", "undersigned-plugin.3")
    missing = [f for f in sorted(fields) if not re.search(
        r"(\.Va|,|\.Fn out->)\s*%s\b|\b%s\b" % (f, f), page)]
    assert not missing, missing


def test_docs_index_names_every_document():
    index = read("docs", "README.md")
    docs = sorted(n for n in os.listdir(os.path.join(ROOT, "docs"))
                  if n != "README.md")
    missing = [n for n in docs if "](%s" % n not in index]
    assert not missing, "not in docs/README.md: %s" % missing
