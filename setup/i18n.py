#!/usr/bin/env python3
# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Refresh the translation templates of isp_* addons and merge them into id.po and ru.po.

Run it with the project's virtual environment (Odoo and psycopg2 are there):

    .local/venv/bin/python setup/i18n.py isp_base isp_network      # or --all
    .local/venv/bin/python setup/i18n.py --db isp_dev_t --no-update isp_radius

For the addons given, on a development database (``--db``, default ``$ISP_I18N_DB`` or
``isp_i18n``): installs every isp_* addon with demo data if the database has none of
them, else updates the addons given (``-u``), so that the database holds the current
code; exports ``<addon>/i18n/<addon>.pot`` with Odoo's own ``--i18n-export``; merges it
into ``<addon>/i18n/<lang>.po`` for each language with gettext's ``msgmerge``
(``--no-fuzzy-matching``: an entry whose text changed comes back untranslated rather
than with a guessed translation), keeping every existing translation and the .po
header (its ``Language``), and drops obsolete entries. A .pot whose only change is its
date is left as it was. Then it prints how many entries of each .po still need a
translation (empty or fuzzy); ``tests/test_i18n_complete.py`` fails while any does.
"""

import argparse
import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_CONF = ROOT / ".local" / "odoo.conf"
LANGUAGES = {
    "id": ("Indonesian", "nplurals=1; plural=0;"),
    "ru": (
        "Russian",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);",
    ),
}
# Lines of a .pot that change at every export although nothing else did.
VOLATILE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def say(msg):
    print(f"[i18n] {msg}", flush=True)


def fail(msg):
    print(f"[i18n] error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def isp_addons():
    return sorted(p.parent.name for p in ROOT.glob("isp_*/__manifest__.py"))


def read_conf():
    if not ODOO_CONF.exists():
        fail(f"{ODOO_CONF} is missing: run python3 setup/isp.py serve (or test) once")
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(ODOO_CONF)
    return conf["options"]


def odoo_bin():
    """odoo-bin of the Odoo tree setup/isp.py wrote into .local/odoo.conf's addons_path."""
    for path in read_conf().get("addons_path", "").split(","):
        candidate = Path(path.strip()).parent.parent / "odoo-bin"
        if Path(path.strip()).parts[-2:] == ("odoo", "addons") and candidate.is_file():
            return candidate
    fail(f"no Odoo tree in the addons_path of {ODOO_CONF}")


def installed_isp_addons(db):
    """The isp_* addons installed in ``db``, or None if the database does not exist."""
    import psycopg2  # Odoo's own driver, only in its venv

    opts = read_conf()

    def opt(name):
        value = opts.get(name, "False")
        return None if value == "False" else value

    try:
        conn = psycopg2.connect(
            dbname=db,
            host=opt("db_host"),
            port=opt("db_port"),
            user=opt("db_user"),
            password=opt("db_password"),
        )
    except psycopg2.OperationalError as exc:
        if "does not exist" in str(exc):
            return None
        raise
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed' AND name LIKE 'isp\\_%%'")
            return {row[0] for row in cr.fetchall()}
    except psycopg2.errors.UndefinedTable:
        return set()
    finally:
        conn.close()


def run_odoo(args, log):
    cmd = [sys.executable, str(odoo_bin()), "-c", str(ODOO_CONF), *args, "--stop-after-init"]
    say(" ".join(cmd[2:]))
    with open(log, "a") as out:
        result = subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False)
    text = Path(log).read_text()
    if result.returncode or re.search(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", text, re.M):
        fail(f"Odoo failed ({' '.join(args[:3])}...), see {log}")


def refresh_database(db, addons, log):
    installed = installed_isp_addons(db)
    if not installed:
        every = ",".join(isp_addons())
        say(f"database {db}: installing {every} (with demo data)")
        run_odoo(["-d", db, "-i", every], log)
        return
    missing = [a for a in addons if a not in installed]
    if missing:
        run_odoo(["-d", db, "-i", ",".join(missing)], log)
    present = [a for a in addons if a in installed]
    if present:
        run_odoo(["-d", db, "-u", ",".join(present)], log)


def export_pot(db, addon, log):
    i18n = ROOT / addon / "i18n"
    i18n.mkdir(exist_ok=True)
    pot = i18n / f"{addon}.pot"
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / f"{addon}.pot"
        run_odoo(["-d", db, f"--i18n-export={fresh}", f"--modules={addon}"], log)
        new = fresh.read_text()
    old = pot.read_text() if pot.exists() else ""
    if VOLATILE.sub("", old) == VOLATILE.sub("", new):
        say(f"{pot.relative_to(ROOT)}: unchanged")
    else:
        pot.write_text(new)
        say(f"{pot.relative_to(ROOT)}: written")
    return pot


def new_po(pot, po, lang):
    """A .po for ``lang`` made from the template, with its header filled in."""
    name, plurals = LANGUAGES[lang]
    text = pot.read_text()
    text = text.replace("# Translation of Odoo Server.", f"# {name} translation of {pot.stem}.", 1)
    text = text.replace('"Plural-Forms: \\n"', f'"Language: {lang}\\n"\n"Plural-Forms: {plurals}\\n"', 1)
    po.write_text(text)


def fix_header(po, lang):
    """Keep the header's Language right whatever the merge did."""
    text = po.read_text()
    head, sep, body = text.partition("\n\n")
    if re.search(r'^"Language: .*\\n"$', head, re.M):
        head = re.sub(r'^"Language: .*\\n"$', f'"Language: {lang}\\\\n"', head, count=1, flags=re.M)
    else:
        head = head.replace('"MIME-Version:', f'"Language: {lang}\\n"\n"MIME-Version:', 1)
    po.write_text(head + sep + body)


def merge(pot, lang):
    po = pot.parent / f"{lang}.po"
    if not po.exists():
        new_po(pot, po, lang)
        say(f"{po.relative_to(ROOT)}: created")
    subprocess.run(
        ["msgmerge", "--quiet", "--update", "--no-fuzzy-matching", "--backup=none", str(po), str(pot)],
        check=True,
    )
    subprocess.run(["msgattrib", "--no-obsolete", "-o", str(po), str(po)], check=True)
    fix_header(po, lang)
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po)], check=True)
    return po


def statistics(po):
    """msgfmt's count of translated, fuzzy and untranslated entries of ``po``."""
    out = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)], check=True, capture_output=True, text=True
    ).stderr
    return out.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addons", nargs="*", help="isp_* addons (default: none, see --all)")
    parser.add_argument("--all", action="store_true", help="every isp_* addon")
    parser.add_argument("--db", default=os.environ.get("ISP_I18N_DB", "isp_i18n"), help="database")
    parser.add_argument("--no-update", action="store_true", help="export from the database as it is")
    args = parser.parse_args()
    addons = isp_addons() if args.all else args.addons
    unknown = sorted(set(addons) - set(isp_addons()))
    if unknown or not addons:
        parser.error(f"unknown addons: {', '.join(unknown)}" if unknown else "name addons or give --all")
    if not shutil.which("msgmerge"):
        fail("gettext is missing: apt-get install gettext")
    log = ROOT / ".local" / "logs" / "i18n.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    if not args.no_update:
        refresh_database(args.db, addons, log)
    for addon in addons:
        pot = export_pot(args.db, addon, log)
        for lang in LANGUAGES:
            po = merge(pot, lang)
            say(f"{po.relative_to(ROOT)}: {statistics(po)}")


if __name__ == "__main__":
    main()
