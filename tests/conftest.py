# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""pytest setup for the suites that run without Odoo.

Each addon keeps its business rules in ``<addon>/lib/``: plain Python with no
Odoo import. Importing ``isp_base.lib.x`` normally runs the addon's
``__init__`` (which imports Odoo), so the addon folders are registered here as
bare packages: tests write ``from isp_base.lib import demo_generator`` and the
addon's models import the same module relatively (``from ..lib import ...``).
``<addon>.tests`` is registered the same way.
"""

import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

for addon_dir in sorted(ROOT.glob("isp_*")):
    # The addon and its tests folder: test peers written without Odoo (a FreeRADIUS
    # harness, a CoA listener) live beside the addon's Odoo tests and serve both.
    for name, path in ((addon_dir.name, addon_dir), (f"{addon_dir.name}.tests", addon_dir / "tests")):
        if path.is_dir() and name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [str(path)]
            sys.modules[name] = package
