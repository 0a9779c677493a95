# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class IspSubscriptionChangePlan(models.TransientModel):
    """Change a subscription's plan, seeing first what it does to the current period."""

    _name = "isp.subscription.change.plan"
    _description = "Change Plan"

    subscription_id = fields.Many2one("isp.subscription", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one(related="subscription_id.company_id")
    currency_id = fields.Many2one(related="subscription_id.currency_id")
    current_product_id = fields.Many2one(related="subscription_id.product_id", string="Current Plan")
    product_id = fields.Many2one(
        "product.product",
        string="New Plan",
        required=True,
        domain="[('is_isp_plan', '=', True), ('id', '!=', current_product_id), "
        "'|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    change_date = fields.Date(string="Change On", required=True, default=fields.Date.context_today)
    timing = fields.Selection(
        [
            ("auto", "Upgrade now, downgrade from the next period"),
            ("now", "From the change day"),
            ("next_period", "From the next billing period"),
        ],
        required=True,
        default="auto",
    )
    effective_date = fields.Date(string="New Plan From", compute="_compute_preview")
    period_start = fields.Date(compute="_compute_preview")
    period_end = fields.Date(compute="_compute_preview")
    credit_amount = fields.Monetary(
        string="Credit", compute="_compute_preview", help="The current plan's remaining days of the period."
    )
    charge_amount = fields.Monetary(
        string="Charge", compute="_compute_preview", help="The new plan's price for those days."
    )
    difference = fields.Monetary(compute="_compute_preview")

    @api.depends("subscription_id", "product_id", "change_date", "timing")
    def _compute_preview(self):
        for wizard in self:
            subscription = wizard.subscription_id
            values = dict.fromkeys(
                (
                    "effective_date",
                    "period_start",
                    "period_end",
                    "credit_amount",
                    "charge_amount",
                    "difference",
                ),
                False,
            )
            if subscription.state in ("active", "suspended") and wizard.product_id and wizard.change_date:
                change, first, last = subscription._plan_change_preview(
                    wizard.product_id, max(wizard.change_date, subscription.date_start), wizard.timing
                )
                values.update(
                    effective_date=change.effective_date,
                    period_start=first,
                    period_end=last,
                    credit_amount=float(change.credit),
                    charge_amount=float(change.charge),
                    difference=float(change.charge - change.credit),
                )
            wizard.update(values)

    def action_confirm(self):
        self.ensure_one()
        self.subscription_id.change_plan(self.product_id.id, self.change_date, self.timing)
        return {"type": "ir.actions.act_window_close"}
