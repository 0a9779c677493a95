# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class IspSubscriptionPlanPeriod(models.Model):
    """The plan a subscription has from ``date_from`` until the next period's start.

    Invoices price every day at the plan of that day, read from these rows, so a
    plan change on any day (and an invoicing run on any later day) bills each
    plan for exactly its own days.
    """

    _name = "isp.subscription.plan.period"
    _description = "Subscription Plan Period"
    _order = "subscription_id, date_from"
    _rec_name = "product_id"

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", string="Plan", required=True, ondelete="restrict")
    date_from = fields.Date(string="From", required=True)

    _sql_constraints = [
        (
            "subscription_date_unique",
            "UNIQUE(subscription_id, date_from)",
            "A subscription has one plan per day.",
        ),
    ]
