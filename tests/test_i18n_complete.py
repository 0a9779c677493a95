# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Every user-visible text of the isp_* addons is translated into Indonesian and Russian.

For each addon, ``<addon>/i18n/<addon>.pot`` (Odoo's export, refreshed by
``setup/i18n.py``) lists the texts; each of ``id.po`` and ``ru.po`` must give every one
of them a non-empty, non-fuzzy translation that keeps the text's placeholders
(``%s``, ``%(name)s``, ``{name}``, ``%%``) and HTML/QWeb tags. A failure lists what is
missing, so that whoever added the texts knows what to translate: run
``.local/venv/bin/python setup/i18n.py <addon>``, then translate the empty entries.
Standard library only (no Odoo, no polib).
"""

import ast
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("id", "ru")
ADDONS = sorted(p.parent.name for p in ROOT.glob("isp_*/__manifest__.py"))

PLACEHOLDER = re.compile(
    r"%%"  # a literal percent sign in a formatted string
    r"|%\([A-Za-z_]\w*\)[-+#0]*\d*(?:\.\d+)?[sdifr]"  # %(name)s
    r"|%[-+#0]*\d*(?:\.\d+)?[sdifr]"  # %s, %d, %.2f
    r"|\{\w*\}"  # {name}, {0}, {}
)
TAG = re.compile(r"<[^<>]+>")


class Entry:
    def __init__(self):
        self.msgctxt = None
        self.msgid = ""
        self.msgid_plural = None
        self.msgstr = {}
        self.flags = set()
        self.obsolete = False
        self.line = 0

    @property
    def key(self):
        return (self.msgctxt, self.msgid)


def parse_po(path):
    """The entries of a .po/.pot file (the header entry included, msgid "")."""
    entries = []
    entry = None
    target = None

    def finish():
        if entry is not None and (entry.msgid or entry.msgstr):
            entries.append(entry)

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif line.startswith("#"):
            if entry is None or target is not None:
                finish()
                entry, target = Entry(), None
                entry.line = number
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(","))
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"{path}:{number}: a string outside an entry"
            append(entry, target, ast.literal_eval(line))
            continue
        if keyword in ("msgctxt", "msgid") and (entry is None or target not in (None, "msgctxt")):
            finish()
            entry = Entry()
            entry.line = number
        if entry.line == 0:
            entry.line = number
        entry.obsolete = entry.obsolete or obsolete
        if keyword.startswith("msgstr["):
            target = ("msgstr", int(keyword[7:-1]))
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            target = ("msgstr", 0) if keyword == "msgstr" else keyword
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        append(entry, target, ast.literal_eval(rest), start=True)
    finish()
    return entries


def append(entry, target, text, start=False):
    if isinstance(target, tuple):
        entry.msgstr[target[1]] = ("" if start else entry.msgstr.get(target[1], "")) + text
    else:
        setattr(entry, target, ("" if start else getattr(entry, target) or "") + text)


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text)), Counter(TAG.findall(text))


def header(entries):
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            return dict(line.split(": ", 1) for line in entry.msgstr.get(0, "").splitlines() if ": " in line)
    return {}


def problems(addon, lang):
    pot = ROOT / addon / "i18n" / f"{addon}.pot"
    po = ROOT / addon / "i18n" / f"{lang}.po"
    if not pot.exists():
        return [f"{pot.relative_to(ROOT)} is missing: run setup/i18n.py {addon}"]
    if not po.exists():
        return [f"{po.relative_to(ROOT)} is missing: run setup/i18n.py {addon}"]
    translations = {e.key: e for e in parse_po(po) if not e.obsolete}
    found = []
    language = header(translations.values()).get("Language")
    if language != lang:
        found.append(f"header: Language is {language!r}, not {lang!r}")
    for source in parse_po(pot):
        if source.obsolete or not source.msgid:
            continue
        where = f"{po.relative_to(ROOT)}: msgid {source.msgid!r}"
        entry = translations.get(source.key)
        if entry is None:
            found.append(f"{where}: missing (merge the .pot: setup/i18n.py {addon})")
            continue
        if "fuzzy" in entry.flags:
            found.append(f"{where}: fuzzy")
            continue
        texts = [entry.msgstr.get(i, "") for i in range(max(entry.msgstr, default=0) + 1)]
        if not all(text.strip() for text in texts):
            found.append(f"{where}: not translated")
            continue
        wanted = placeholders(source.msgid)
        for text in texts:
            if placeholders(text) != wanted:
                found.append(
                    f"{where}: placeholders or tags differ: {sorted(wanted[0].elements())} "
                    f"{sorted(wanted[1].elements())} in the source, "
                    f"{sorted(placeholders(text)[0].elements())} "
                    f"{sorted(placeholders(text)[1].elements())} in {text!r}"
                )
    return found


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def texts_in_code(addon):
    """``{text: file}``: what the addon's code shows users, as far as it can be read without Odoo.

    The first argument of ``_()`` / ``self.env._()`` calls, ``string`` and ``help`` of
    fields, and the ``string``, ``help``, ``confirm``, ``placeholder``, ``sum`` attributes
    of views: a sample of what Odoo's export collects, enough to see that the .pot was not
    exported again after the code changed.
    """
    found = {}
    for path in sorted((ROOT / addon).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[1] in ("tests", "lib", "migrations") or path.name == "__manifest__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            owner = getattr(func.value, "id", None) if isinstance(func, ast.Attribute) else None
            if name in ("_", "_lt") and node.args and _literal(node.args[0]):
                found[_literal(node.args[0])] = relative
            elif owner == "fields":
                for keyword in node.keywords:
                    if keyword.arg in ("string", "help") and _literal(keyword.value):
                        found[_literal(keyword.value)] = relative
    for path in sorted((ROOT / addon).rglob("*.xml")):
        relative = path.relative_to(ROOT)
        if relative.parts[1] in ("tests", "static"):
            continue
        for arch in ET.parse(path).getroot().iter("field"):
            if arch.get("name") != "arch":
                continue
            for element in arch.iter():
                for attribute in ("string", "help", "confirm", "placeholder", "sum"):
                    if (element.get(attribute) or "").strip():
                        found[element.get(attribute)] = relative
    return found


def normalized(text):
    return " ".join(text.split())


@pytest.mark.parametrize("addon", ADDONS)
def test_template_up_to_date(addon):
    pot = ROOT / addon / "i18n" / f"{addon}.pot"
    if not pot.exists():
        pytest.fail(f"{pot.relative_to(ROOT)} is missing: run setup/i18n.py {addon}")
    exported = {normalized(entry.msgid) for entry in parse_po(pot)}
    stale = sorted(
        f"{path}: {text!r}" for text, path in texts_in_code(addon).items() if normalized(text) not in exported
    )
    assert not stale, (
        f"{len(stale)} texts of the code are not in {pot.relative_to(ROOT)}: run "
        f".local/venv/bin/python setup/i18n.py --db <your db> {addon}, then translate them:\n"
        + "\n".join(stale)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("addon", ADDONS)
def test_translations_complete(addon, lang):
    found = problems(addon, lang)
    assert not found, f"{len(found)} entries to translate or fix:\n" + "\n".join(found)


def test_parser_reads_what_gettext_writes(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\n'
        '#. module: x\n#, fuzzy\nmsgid "A %(n)s"\nmsgstr "B %(n)s"\n\n'
        'msgctxt "c"\nmsgid ""\n"long "\n"text"\nmsgstr ""\n"panjang\\n"\n\n'
        '#~ msgid "old"\n#~ msgstr "lama"\n',
        encoding="utf-8",
    )
    head, fuzzy, long_text, old = parse_po(po)
    assert header([head]) == {"Language": "id"}
    assert fuzzy.flags == {"fuzzy"} and fuzzy.msgstr == {0: "B %(n)s"}
    assert long_text.key == ("c", "long text") and long_text.msgstr == {0: "panjang\n"}
    assert old.obsolete and old.msgid == "old"
    assert placeholders("50% off %s, %(a)s {b} %% <b>x</b>")[0] == Counter(["%s", "%(a)s", "{b}", "%%"])
