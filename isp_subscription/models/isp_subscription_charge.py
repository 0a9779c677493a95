# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class IspSubscriptionCharge(models.Model):
    """A one-time amount for the next invoice: installation, late fee, plan change
    adjustment, credit for unused days. It is invoiced once, with the invoice line
    it became kept as proof."""

    _name = "isp.subscription.charge"
    _description = "One-time Charge"
    _order = "date, id"

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="subscription_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="subscription_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", required=True)
    name = fields.Char(string="Description", required=True)
    kind = fields.Selection(
        [
            ("installation", "Installation"),
            ("late_fee", "Late Fee"),
            ("plan_change", "Plan Change"),
            ("credit", "Credit"),
            ("other", "Other"),
        ],
        default="other",
        required=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, help="Invoiced from this day on.")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Monetary(string="Amount", required=True)
    move_line_id = fields.Many2one("account.move.line", string="Invoice Line", readonly=True, copy=False)
    invoiced = fields.Boolean(compute="_compute_invoiced", store=True, index=True)

    @api.depends("move_line_id")
    def _compute_invoiced(self):
        for charge in self:
            charge.invoiced = bool(charge.move_line_id)
