# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_plan
from . import test_customer
from . import test_network
from . import test_security
from . import test_demo
from . import test_tour
from . import test_i18n
from . import test_company
from . import test_menus
from . import test_search
