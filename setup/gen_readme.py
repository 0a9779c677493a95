#!/usr/bin/env python3
# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Build each addon's README.rst from its readme/*.md fragments, as OCA's oca-gen-addon-readme does.

OCA's tool (from the oca-maintainers-tools project) is not on PyPI, so this is a small
stand-in with the standard library only: the same layout (title, a comment saying the file
is generated with a digest of its sources, maturity and licence badges, the description, a
table of contents, then Installation, Configuration, Usage, Known issues / Roadmap and
Credits with Authors, Contributors, Other credits and Maintainers), the fragments in OCA's
order, and the Markdown they use (paragraphs, emphasis, inline code, links, nested bullet and
numbered lists, fenced code blocks, pipe tables, headings) turned into reStructuredText.
No badge or link points to a repository: the addons have no public one yet.

    python3 setup/gen_readme.py                       # every isp_* addon with readme/DESCRIPTION.md
    python3 setup/gen_readme.py isp_base isp_radius   # these addons
    python3 setup/gen_readme.py --check               # exit 1 if a README.rst is out of date
    python3 setup/gen_readme.py --output-dir /tmp/x   # write <dir>/<addon>/README.rst instead
"""

import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS_DIR = "readme"
# OCA's fragments, in the order of its template (DESCRIPTION opens the file; CONTRIBUTORS and
# CREDITS go under Credits).
FRAGMENTS = (
    "DESCRIPTION",
    "CONTEXT",
    "INSTALL",
    "CONFIGURE",
    "USAGE",
    "DEVELOP",
    "ROADMAP",
    "HISTORY",
    "CONTRIBUTORS",
    "CREDITS",
)
SECTIONS = (
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
CREDIT_SECTIONS = (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits"))
# Section underlines by depth: the file's sections, their subsections (Credits' parts, a
# fragment's own headings), and deeper headings of a fragment.
SECTION, SUBSECTION = "=", "-"
FRAGMENT_HEADINGS = "-~^\"'`"
CREDIT_HEADINGS = "~^\"'`"

DEVELOPMENT_STATUS_BADGES = {
    "mature": ("https://img.shields.io/badge/maturity-Mature-brightgreen.png", "Mature"),
    "production/stable": (
        "https://img.shields.io/badge/maturity-Production%2FStable-green.png",
        "Production/Stable",
    ),
    "beta": ("https://img.shields.io/badge/maturity-Beta-yellow.png", "Beta"),
    "alpha": ("https://img.shields.io/badge/maturity-Alpha-red.png", "Alpha"),
}
DEVELOPMENT_STATUS_URL = "https://odoo-community.org/page/development-status"
LICENSE_BADGES = {
    "AGPL-3": (
        "https://img.shields.io/badge/licence-AGPL--3-blue.png",
        "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
        "License: AGPL-3",
    ),
    "LGPL-3": (
        "https://img.shields.io/badge/licence-LGPL--3-blue.png",
        "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
        "License: LGPL-3",
    ),
    "GPL-3": (
        "https://img.shields.io/badge/licence-GPL--3-blue.png",
        "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
        "License: GPL-3",
    ),
}

# What docutils is given when the README is checked: OCA's settings (from readme_renderer),
# which stop at the first warning.
DOCUTILS_SETTINGS = {
    "file_insertion_enabled": False,
    "halt_level": 2,
    "report_level": 2,
    "math_output": "MathJax",
    "raw_enabled": False,
    "smart_quotes": True,
    "syntax_highlight": "short",
}

# -- inline Markdown -----------------------------------------------------------

# reStructuredText inline markup must start after a blank or one of these, and end before a
# blank or one of those; elsewhere an escaped blank ("\ ", which prints nothing) separates it.
_BEFORE_START = set(" \n'\"([{<-/:\u2018\u201c")
_AFTER_END = set(" \n'\")]}>-/:.,;!?\\\u2019\u201d")
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+)(?P<code_text>.+?)(?<!`)(?P=ticks)(?!`))"
    r"|(?P<link>\[(?P<link_text>[^\]]+)\]\((?P<url>[^)\s]+)\))"
    r"|(?P<autolink><(?P<auto_url>https?://[^>\s]+)>)"
    r"|(?P<strong>\*\*(?=\S)(?P<strong_text>.+?)(?<=\S)\*\*)"
    r"|(?P<em>(?<!\*)\*(?=[^\s*])(?P<em_text>.+?)(?<=[^\s*])\*(?!\*))",
    re.S,
)
_MD_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def _escape(text):
    """Plain text, with what reStructuredText would read as markup escaped."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*`|])", r"\\\1", text)
    return re.sub(r"_(?=\W|$)", r"\\_", text)


# A Markdown backslash escape (``\*``) stands for its character as plain text: it is kept as a
# private-use character while the markup is read, then given back escaped for RST.
_HIDDEN = 0xE000


def _hide_escapes(text):
    return _MD_ESCAPE.sub(lambda match: chr(_HIDDEN + ord(match[1])), text)


def _as_typed(char):
    """An escape inside a code span, where Markdown keeps the backslash."""
    return "\\" + char


def _unhide(text, replace):
    return re.sub("[\ue000-\ue07f]", lambda match: replace(chr(ord(match[0]) - _HIDDEN)), text)


def _plain(text):
    """Markdown text without markup, escaped for RST."""
    return _unhide(_escape(text), _escape)


def _segments(text):
    """Markdown inline text as (is_markup, reStructuredText) pieces."""
    pieces = []
    position = 0
    for match in _INLINE.finditer(text):
        pieces.append((False, _plain(text[position : match.start()])))
        if match["code"]:
            code = match["code_text"]
            if code.startswith(" ") and code.endswith(" ") and code.strip():
                code = code[1:-1]
            pieces.append((True, f"``{_unhide(code, _as_typed)}``"))
        elif match["link"]:
            pieces.append((True, f"`{_plain(match['link_text'])} <{match['url']}>`__"))
        elif match["autolink"]:
            pieces.append((True, match["auto_url"]))
        else:
            star = "**" if match["strong"] else "*"
            inner = match["strong_text"] if match["strong"] else match["em_text"]
            # reStructuredText does not nest inline markup: the emphasis goes on the text
            # around a code span or link inside it.
            for is_markup, piece in _segments(inner):
                core = piece.strip()
                if is_markup or not core:
                    pieces.append((is_markup, piece))
                else:
                    lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
                    pieces += [(False, lead), (True, f"{star}{core}{star}"), (False, trail)]
        position = match.end()
    pieces.append((False, _plain(text[position:])))
    return [piece for piece in pieces if piece[1]]


def inline(text):
    """A paragraph's Markdown inline markup as reStructuredText (lines kept as they are)."""
    out = ""
    pieces = _segments(_hide_escapes(text))
    for index, (is_markup, piece) in enumerate(pieces):
        if is_markup:
            if out and out[-1] not in _BEFORE_START:
                out += "\\ "
            out += piece
            following = pieces[index + 1][1][:1] if index + 1 < len(pieces) else ""
            if following and following not in _AFTER_END:
                out += "\\ "
        else:
            out += piece
    return out


# -- Markdown blocks -----------------------------------------------------------

_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +|$)(?P<text>.*)$")
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*).*$")
_HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")


def _indent_of(line):
    return len(line) - len(line.lstrip(" "))


def _table_cells(row):
    """The cells of a pipe-table row: split on pipes outside code spans and escapes."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells, cell, in_code, index = [], "", False, 0
    while index < len(row):
        char = row[index]
        if char == "\\" and index + 1 < len(row) and row[index + 1] == "|":
            cell += "|" if in_code else "\\|"
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
        index += 1
    cells.append(cell.strip())
    return cells


class _Converter:
    """Markdown to reStructuredText, block by block (see ``markdown_to_rst``)."""

    def __init__(self, headings):
        self.headings = headings
        self.out = []
        self.items = []  # open list items: (markdown content indent, RST content indent)
        self.paragraph = None  # {"indent", "marker", "lines"}
        self.last_item_indent = None  # the RST indent of the item whose paragraph was emitted last
        self.blank = True  # a blank line in the Markdown since the last block

    def emit(self, lines, item_indent=None):
        """Add a block, separated by a blank line except in a tight list (sibling items)."""
        if self.out and self.out[-1]:
            tight = item_indent is not None and item_indent == self.last_item_indent and not self.blank
            if not tight:
                self.out.append("")
        self.out.extend(lines)
        self.blank = False

    def flush(self):
        paragraph, self.paragraph = self.paragraph, None
        if not paragraph:
            return
        text = inline("\n".join(paragraph["lines"])).split("\n")
        indent = " " * paragraph["indent"]
        if paragraph["marker"]:
            marker_indent = paragraph["indent"] - len(paragraph["marker"]) - 1
            first = " " * marker_indent + paragraph["marker"] + " " + text[0]
            self.emit([first.rstrip()] + [(indent + line).rstrip() for line in text[1:]], marker_indent)
            self.last_item_indent = marker_indent
        else:
            self.emit([(indent + line).rstrip() for line in text])
            self.last_item_indent = None

    def container(self, indent):
        """Close the list items a line at this Markdown indent is not inside; its RST indent."""
        while self.items and indent < self.items[-1][0]:
            self.items.pop()
        return self.items[-1][1] if self.items else 0

    def convert(self, markdown):
        lines = markdown.expandtabs(4).splitlines()
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if not line.strip():
                self.flush()
                self.blank = True
                continue
            indent = _indent_of(line)
            item, fence, heading = _ITEM.match(line), _FENCE.match(line), _HEADING.match(line)
            table = (
                line.lstrip().startswith("|")
                and index < len(lines)
                and _TABLE_DELIMITER.match(lines[index])
                and "-" in lines[index]
            )
            rule = _RULE.match(line)
            if self.paragraph and not (item or fence or heading or table or rule):
                self.paragraph["lines"].append(line.strip())  # continuation (lazy or not)
                continue
            self.flush()
            if heading:
                self.items = []
                self.heading(len(heading["level"]), heading["text"])
            elif rule:
                self.items = []
                self.emit(["----"])
            elif fence:
                base = self.container(indent)
                body = []
                while index < len(lines) and not lines[index].strip().startswith(fence["fence"]):
                    body.append(lines[index])
                    index += 1
                index += 1  # the closing fence
                self.code(base, fence["lang"], body, indent)
            elif table:
                base = self.container(indent)
                rows = [_table_cells(line)]
                index += 1  # the delimiter row
                while index < len(lines) and lines[index].lstrip().startswith("|"):
                    rows.append(_table_cells(lines[index]))
                    index += 1
                self.table(base, rows)
            elif item:
                base = self.container(indent)
                marker = "-" if item["marker"] in "-*+" else item["marker"][:-1] + "."
                md_content = indent + len(item["marker"]) + max(len(item["space"]), 1)
                if len(item["space"]) > 4:  # the text is an indented code block: not used here
                    md_content = indent + len(item["marker"]) + 1
                self.items.append((md_content, base + len(marker) + 1))
                self.paragraph = {"indent": base + len(marker) + 1, "marker": marker, "lines": []}
                if item["text"].strip():
                    self.paragraph["lines"].append(item["text"].strip())
            else:
                self.paragraph = {"indent": self.container(indent), "marker": None, "lines": [line.strip()]}
        self.flush()
        return "\n".join(self.out).rstrip() + "\n" if self.out else ""

    def heading(self, level, text):
        if not self.headings:  # where a section may not start: a paragraph in bold
            self.emit([f"**{_plain(text)}**"])
            return
        title = inline(text)
        self.emit([title, self.headings[level - 1] * len(title)])
        self.last_item_indent = None

    def code(self, base, language, body, fence_indent):
        indent = " " * base
        # Markdown removes up to the fence's own indentation from each line.
        lines = [line[min(fence_indent, _indent_of(line)) :] for line in body]
        while lines and not lines[-1].strip():
            lines.pop()
        directive = f".. code:: {language}" if language else "::"
        self.emit([indent + directive, ""] + [(indent + "   " + line).rstrip() for line in lines])
        self.last_item_indent = None

    def table(self, base, rows):
        indent = " " * base
        width = max(len(row) for row in rows)
        block = [indent + ".. list-table::", indent + "   :header-rows: 1", ""]
        for row in rows:
            row = row + [""] * (width - len(row))
            for column, cell in enumerate(row):
                bullet = "* - " if column == 0 else "  - "
                block.append((indent + "   " + bullet + inline(cell)).rstrip())
        self.emit(block)
        self.last_item_indent = None


def markdown_to_rst(markdown, headings=FRAGMENT_HEADINGS):
    """reStructuredText for a Markdown fragment. ``headings``: the underline of each heading level
    (the shallowest used first), or empty where a fragment may not open sections."""
    levels = sorted({len(m["level"]) for m in map(_HEADING.match, markdown.splitlines()) if m})
    if levels and headings:
        # The fragment's shallowest heading gets the first underline, the next level the second...
        # so that a fragment starting at "##" nests as one starting at "#".
        chars = {level: headings[min(rank, len(headings) - 1)] for rank, level in enumerate(levels)}
        headings = "".join(chars.get(level, headings[-1]) for level in range(1, 7))
    return _Converter(headings).convert(markdown)


# -- the README -----------------------------------------------------------------


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))


def read_fragments(addon_dir):
    fragments = {}
    for name in FRAGMENTS:
        path = addon_dir / FRAGMENTS_DIR / f"{name}.md"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if text.strip():
                fragments[name] = text
    return fragments


def source_digest(manifest, fragments):
    """What the README is made from, hashed (as OCA's tool writes it in the file)."""
    digest = hashlib.sha256()
    for key in ("name", "author", "license", "development_status", "maintainers"):
        digest.update(repr(manifest.get(key)).encode())
    for name in FRAGMENTS:
        digest.update(name.encode() + b"\0" + fragments.get(name, "").encode() + b"\0")
    return f"sha256:{digest.hexdigest()}"


def _section(title, underline, body):
    return f"{title}\n{underline * len(title)}\n\n{body}\n"


def render(addon_dir):
    """The README.rst of the addon in ``addon_dir``, as text."""
    manifest = read_manifest(addon_dir)
    fragments = read_fragments(addon_dir)
    name = manifest["name"]
    parts = [
        f"{'=' * len(name)}\n{name}\n{'=' * len(name)}\n",
        "..\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        "   !! This file is generated by setup/gen_readme.py   !!\n"
        "   !! from readme/*.md: changes will be overwritten.  !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: {source_digest(manifest, fragments)}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
    ]
    badges = []
    status = manifest.get("development_status", "Beta").lower()
    if status in DEVELOPMENT_STATUS_BADGES:
        image, alt = DEVELOPMENT_STATUS_BADGES[status]
        badges.append((image, DEVELOPMENT_STATUS_URL, alt))
    if manifest.get("license") in LICENSE_BADGES:
        badges.append(LICENSE_BADGES[manifest["license"]])
    if badges:
        parts.append(
            "".join(
                f".. |badge{number}| image:: {image}\n    :target: {target}\n    :alt: {alt}\n"
                for number, (image, target, alt) in enumerate(badges, start=1)
            )
            + "\n"
            + " ".join(f"|badge{number}|" for number in range(1, len(badges) + 1))
            + "\n"
        )
    if "DESCRIPTION" in fragments:
        parts.append(markdown_to_rst(fragments["DESCRIPTION"], headings=""))
    if status == "alpha":
        parts.append(
            ".. IMPORTANT::\n"
            "   This is an alpha version, the data model and design can change at any time without"
            " warning.\n"
            "   Only for development or testing purpose, do not use in production.\n"
            f"   `More details on development status <{DEVELOPMENT_STATUS_URL}>`_\n"
        )
    parts.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    for key, title in SECTIONS:
        if key in fragments:
            parts.append(_section(title, SECTION, markdown_to_rst(fragments[key]).rstrip("\n")))
    credits = []
    authors = [author.strip() for author in manifest.get("author", "").split(",") if author.strip()]
    if authors:
        credits.append(_section("Authors", SUBSECTION, "\n".join(f"- {_plain(a)}" for a in authors)))
    for key, title in CREDIT_SECTIONS:
        if key in fragments:
            body = markdown_to_rst(fragments[key], headings=CREDIT_HEADINGS).rstrip("\n")
            credits.append(_section(title, SUBSECTION, body))
    maintainers = manifest.get("maintainers") or []
    if maintainers:
        label = "Current maintainers" if len(maintainers) > 1 else "Current maintainer"
        body = f"{label}: " + ", ".join(_plain(m) for m in maintainers) + "."
        credits.append(_section("Maintainers", SUBSECTION, body))
    if credits:
        parts.append("Credits\n=======\n\n" + "\n".join(credits))
    return "\n".join(part.rstrip("\n") + "\n" for part in parts)


def check_rst(text, source="README.rst"):
    """Parse ``text`` with docutils as OCA does (a warning is an error); raises on a problem."""
    from docutils.core import publish_string

    settings = dict(DOCUTILS_SETTINGS)
    try:
        import pygments  # noqa: F401  (docutils highlights code blocks with it)
    except ImportError:
        settings["syntax_highlight"] = "none"
    publish_string(text, source_path=source, writer_name="html4css1", settings_overrides=settings)


def addon_dirs(names=None):
    """The addons named, or every isp_* addon of the repository with readme/DESCRIPTION.md."""
    if names:
        return [ROOT / name.rstrip("/") for name in names]
    return [
        path.parent.parent
        for path in sorted(ROOT.glob(f"isp_*/{FRAGMENTS_DIR}/DESCRIPTION.md"))
        if (path.parent.parent / "__manifest__.py").is_file()
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addons", nargs="*", help="addon folders (default: every isp_* addon with a readme/)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a README.rst differs")
    parser.add_argument("--output-dir", type=Path, help="write <dir>/<addon>/README.rst instead")
    parser.add_argument("--no-docutils", action="store_true", help="do not parse the result with docutils")
    args = parser.parse_args(argv)
    stale = []
    for addon_dir in addon_dirs(args.addons):
        text = render(addon_dir)
        if not args.no_docutils:
            try:
                check_rst(text, f"{addon_dir.name}/README.rst")
            except ImportError:
                print("docutils is not installed: README.rst not checked", file=sys.stderr)
                args.no_docutils = True
        target = addon_dir / "README.rst"
        if args.check:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(addon_dir.name)
            continue
        if args.output_dir:
            target = args.output_dir / addon_dir.name / "README.rst"
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(target)
    if stale:
        print(
            f"README.rst out of date: {', '.join(stale)}; run python3 setup/gen_readme.py {' '.join(stale)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
