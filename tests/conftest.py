"""pytest setup for the suites that run without Odoo.

Each addon keeps its business rules in ``<addon>/lib/``: plain Python with no
Odoo import. Importing ``isp_base.lib.x`` normally runs the addon's
``__init__`` (which imports Odoo), so the addon folders are registered here as
bare packages: tests write ``from isp_base.lib import demo_generator`` and the
addon's models import the same module relatively (``from ..lib import ...``).
"""

import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

for addon_dir in sorted(ROOT.glob("isp_*")):
    if addon_dir.is_dir() and addon_dir.name not in sys.modules:
        package = types.ModuleType(addon_dir.name)
        package.__path__ = [str(addon_dir)]
        sys.modules[addon_dir.name] = package
