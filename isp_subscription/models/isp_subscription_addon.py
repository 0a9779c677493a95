from odoo import api, fields, models


class IspSubscriptionAddon(models.Model):
    """Something billed every period with the plan: a static IP, a TV package, a router rental."""

    _name = "isp.subscription.addon"
    _description = "Subscription Add-on"

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", required=True)
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
