# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Pure-Python billing rules of isp_subscription (periods, proration, usage,
# late fees, dunning). No Odoo import: the addon's models call these.
