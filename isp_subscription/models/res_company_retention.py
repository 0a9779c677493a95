# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_retention_years = fields.Integer(
        string="Anonymise Former Customers After (Years)",
        default=0,
        help="Customers whose subscriptions all ended more than this many years ago, and who owe "
        "nothing, are anonymised by a daily scheduled action. 0 turns it off. Choose at least the "
        "period the law keeps invoices for: invoices stay as they were issued.",
    )

    @api.constrains("isp_retention_years")
    def _check_isp_retention_years(self):
        for company in self:
            if company.isp_retention_years < 0:
                raise ValidationError(self.env._("The retention period cannot be negative."))
