# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What the benchmarks share: the Odoo of `setup/isp.py`, opened on the `serve` database."""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / ".local" / "odoo.conf"


def odoo_source():
    if not CONF.is_file():
        raise SystemExit("run `python3 setup/isp.py serve --no-serve` first")
    for line in CONF.read_text().splitlines():
        if line.startswith("addons_path"):
            first = line.split("=", 1)[1].split(",")[0].strip()
            return str(Path(first).parents[1])
    raise SystemExit(f"no addons_path in {CONF}")


def parse_args(doc, default_counts, flags=None):
    """Sizes to run and --database; ``flags`` adds on/off options: {"--name": "help"}."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("counts", nargs="*", type=int, default=default_counts)
    parser.add_argument("--database", default=os.environ.get("ISP_DB", "isp"))
    for flag, help_text in (flags or {}).items():
        parser.add_argument(flag, action="store_true", help=help_text)
    return parser.parse_args()


def open_registry(database):
    """(odoo, registry): Odoo's source root goes first on sys.path, as odoo-bin does."""
    sys.path.insert(0, odoo_source())
    import odoo

    odoo.tools.config.parse_config(["-c", str(CONF), "--log-level", "warn"])
    return odoo, odoo.modules.registry.Registry(database)


def postgres_params(odoo):
    """libpq parameters of the PostgreSQL server Odoo is configured for."""
    config = odoo.tools.config
    params = {"host": config["db_host"] or None, "port": int(config["db_port"] or 5432)}
    if config["db_user"]:
        params["user"] = config["db_user"]
    if config["db_password"]:
        params["password"] = config["db_password"]
    return params
