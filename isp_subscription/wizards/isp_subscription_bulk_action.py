# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_base.access import check_isp_group

from ..models.isp_bulk_operation import ACTION_GROUPS, BULK_ACTIONS, MESSAGE_CHANNELS


class IspSubscriptionBulkAction(models.TransientModel):
    """Act on the subscriptions selected in the list: suspend, reconnect, change plan, send a
    message or retry provisioning. The work is queued as a job; its summary (what was done,
    what failed and why) is an ``isp.bulk.operation`` posted to the user when it ends."""

    _name = "isp.subscription.bulk.action"
    _description = "Bulk Action on Subscriptions"

    subscription_ids = fields.Many2many(
        "isp.subscription",
        string="Subscriptions",
        required=True,
        default=lambda self: self._default_subscriptions(),
    )
    subscription_count = fields.Integer(compute="_compute_subscription_count")
    action = fields.Selection(BULK_ACTIONS, required=True, default=lambda self: self._default_action())
    reason = fields.Char(string="Suspension Reason")
    product_id = fields.Many2one(
        "product.product",
        string="New Plan",
        domain="[('is_isp_plan', '=', True)]",
    )
    change_date = fields.Date(string="Change On", default=fields.Date.context_today)
    timing = fields.Selection(
        [
            ("auto", "Upgrade now, downgrade from the next period"),
            ("now", "From the change day"),
            ("next_period", "From the next billing period"),
        ],
        default="auto",
    )
    message_channel = fields.Selection(MESSAGE_CHANNELS, default="email")
    mail_template_id = fields.Many2one(
        "mail.template", string="Email Template", domain="[('model', '=', 'isp.subscription')]"
    )
    message_subject = fields.Char(string="Subject")
    message_text = fields.Text(string="Message")

    @api.model
    def _default_subscriptions(self):
        if self.env.context.get("active_model") == "isp.subscription":
            return [(6, 0, self.env.context.get("active_ids") or [])]
        return False

    @api.model
    def _default_action(self):
        user = self.env.user
        if not user.has_group(ACTION_GROUPS["suspend"]) and user.has_group(
            ACTION_GROUPS["retry_provisioning"]
        ):
            return "retry_provisioning"
        return "suspend"

    @api.depends("subscription_ids")
    def _compute_subscription_count(self):
        for wizard in self:
            wizard.subscription_count = len(wizard.subscription_ids)

    def action_confirm(self):
        """Queue the action (its group: Billing for billing actions, Technician to retry
        provisioning) and open its summary."""
        self.ensure_one()
        check_isp_group(self.env, ACTION_GROUPS[self.action])
        subscriptions = self.subscription_ids
        if not subscriptions:
            raise UserError(self.env._("Select the subscriptions to act on."))
        subscriptions.check_access("write")
        if self.action == "change_plan" and not self.product_id:
            raise UserError(self.env._("Choose the plan to change to."))
        if self.action == "message":
            if self.message_channel == "email" and not (self.mail_template_id or self.message_text):
                raise UserError(self.env._("Choose an email template or write the message."))
            if self.message_channel != "email" and not (self.message_text or self.mail_template_id):
                raise UserError(self.env._("Write the text message to send."))
        operation = self.env["isp.bulk.operation"].create(
            {
                "action": self.action,
                "subscription_ids": [(6, 0, subscriptions.ids)],
                "company_id": (
                    subscriptions.company_id if len(subscriptions.company_id) == 1 else self.env.company
                ).id,
                "reason": self.reason if self.action == "suspend" else False,
                "product_id": self.product_id.id if self.action == "change_plan" else False,
                "change_date": self.change_date if self.action == "change_plan" else False,
                "timing": self.timing if self.action == "change_plan" else False,
                "message_channel": self.message_channel if self.action == "message" else False,
                "mail_template_id": self.mail_template_id.id if self.action == "message" else False,
                "message_subject": self.message_subject if self.action == "message" else False,
                "message_text": self.message_text if self.action == "message" else False,
            }
        )
        operation._enqueue()
        return {
            "type": "ir.actions.act_window",
            "name": operation.name,
            "res_model": "isp.bulk.operation",
            "res_id": operation.id,
            "view_mode": "form",
            "target": "current",
        }
