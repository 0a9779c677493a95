from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    radius_framed_pool = fields.Char(
        string="RADIUS Address Pool",
        help="Framed-Pool sent to subscribers of this plan without a static IP "
        "(an IP pool defined on the NAS). Empty: the NAS's default.",
    )
