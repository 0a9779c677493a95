# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class IspSubscriptionAddon(models.Model):
    """Something billed every period with the plan: a static IP, a TV package, a router rental."""

    _name = "isp.subscription.addon"
    _description = "Subscription Add-on"
    _check_company_auto = True

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    name = fields.Char(string="Description")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(
        string="Unit Price per Period",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
    )

    @api.depends("product_id")
    def _compute_price_unit(self):
        for addon in self:
            addon.price_unit = addon.product_id.lst_price

    @api.constrains("quantity", "price_unit")
    def _check_amounts(self):
        for addon in self:
            if addon.quantity < 0 or addon.price_unit < 0:
                raise ValidationError(
                    self.env._(
                        "The add-on %s cannot have a negative quantity or price: record a credit as a "
                        "one-time charge instead.",
                        addon.name or addon.product_id.display_name,
                    )
                )
