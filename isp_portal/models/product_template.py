# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    isp_self_service = fields.Boolean(
        string="Self-Service",
        default=True,
        help="Customers may choose this plan themselves in the portal (Change Plan). "
        "Clear it for plans only staff may give.",
    )
