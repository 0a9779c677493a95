# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import product_template
from . import res_partner
from . import isp_search_mixin
from . import res_partner_search
from . import isp_site
from . import isp_nas
from . import isp_demo_generator
