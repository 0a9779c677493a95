# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_outage_credit = fields.Selection(
        [("off", "Off"), ("automatic", "Automatic"), ("review", "After Review")],
        string="Outage Credits",
        default="off",
        required=True,
        help="When an outage incident is resolved, credit its affected customers for the outage "
        "time on their next invoice: never, at once, or once billing staff approved each credit.",
    )

    @api.model
    def _isp_policy_fields(self):
        """ISP managers set the outage credits of their companies, as they set the billing policy."""
        return super()._isp_policy_fields() | {"isp_outage_credit"}
