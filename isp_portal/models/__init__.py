# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import product_template
from . import isp_subscription_usage
from . import isp_subscription
from . import account_move
