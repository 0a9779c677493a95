# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    radius_framed_pool = fields.Char(
        string="RADIUS Address Pool",
        help="Framed-Pool sent to subscribers of this plan without a static IP "
        "(an IP pool defined on the NAS). Empty: the NAS's default.",
    )
