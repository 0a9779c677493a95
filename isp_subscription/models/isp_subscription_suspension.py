# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class IspSubscriptionSuspension(models.Model):
    """A stretch of days without service: those days are not charged on a postpaid
    invoice unless the company charges while suspended."""

    _name = "isp.subscription.suspension"
    _description = "Suspension Period"
    _order = "date_from desc"

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", help="The last day suspended; empty while it lasts.")
    reason = fields.Char()
