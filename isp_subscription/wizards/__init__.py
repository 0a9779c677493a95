# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import isp_subscription_change_plan
from . import isp_dunning_run
from . import isp_invoice_run_preview
from . import isp_subscription_bulk_action
