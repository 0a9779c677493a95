# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from odoo.addons.isp_base.access import check_isp_group

from .isp_subscription import BILLING_GROUP, NETWORK_GROUP

_logger = logging.getLogger(__name__)

BULK_ACTIONS = [
    ("suspend", "Suspend"),
    ("reconnect", "Reconnect"),
    ("change_plan", "Change Plan"),
    ("message", "Send a Message"),
    ("retry_provisioning", "Retry Provisioning"),
]
# The group that does each action (roles.md, "bulk actions"): billing actions for Billing,
# the network action for Technician, all for Manager (who has both).
ACTION_GROUPS = {
    "suspend": BILLING_GROUP,
    "reconnect": BILLING_GROUP,
    "change_plan": BILLING_GROUP,
    "message": BILLING_GROUP,
    "retry_provisioning": NETWORK_GROUP,
}
MESSAGE_CHANNELS = [("email", "Email"), ("sms", "SMS"), ("whatsapp", "WhatsApp")]


class Skipped(Exception):
    """The subscription is already where the action would take it: nothing to do."""


class IspBulkOperation(models.Model):
    """One bulk action on a selection of subscriptions, run as a queued job, and its summary:
    how many were done, skipped and failed, with each failure's reason. The job runs as the
    user who started it, through the same public methods as the form's buttons, each
    subscription in a savepoint of its own so that one failure never stops the others."""

    _name = "isp.bulk.operation"
    _description = "Bulk Operation on Subscriptions"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, default="/")
    action = fields.Selection(BULK_ACTIONS, required=True, readonly=True)
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done")], default="queued", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one(
        "res.users", string="Started By", required=True, readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    subscription_ids = fields.Many2many("isp.subscription", string="Subscriptions", readonly=True)
    product_id = fields.Many2one("product.product", string="New Plan", readonly=True)
    change_date = fields.Date(readonly=True)
    timing = fields.Selection(
        [
            ("auto", "Upgrade now, downgrade from the next period"),
            ("now", "Now"),
            ("next_period", "Next period"),
        ],
        readonly=True,
    )
    reason = fields.Char(string="Suspension Reason", readonly=True)
    message_channel = fields.Selection(MESSAGE_CHANNELS, readonly=True)
    mail_template_id = fields.Many2one("mail.template", string="Email Template", readonly=True)
    message_subject = fields.Char(readonly=True)
    message_text = fields.Text(readonly=True)
    line_ids = fields.One2many("isp.bulk.operation.line", "operation_id", string="Results", readonly=True)
    count_total = fields.Integer(string="Selected", readonly=True)
    count_done = fields.Integer(string="Done", readonly=True)
    count_skipped = fields.Integer(string="Skipped", readonly=True)
    count_failed = fields.Integer(string="Failed", readonly=True)
    date_done = fields.Datetime(string="Finished On", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        labels = dict(self._fields["action"]._description_selection(self.env))
        for vals in vals_list:
            count = len(vals.get("subscription_ids", [[6, 0, []]])[0][2] or [])
            if vals.get("name", "/") == "/":
                vals["name"] = self.env._(
                    "%(action)s: %(count)s subscriptions", action=labels.get(vals.get("action")), count=count
                )
            vals["count_total"] = count
        return super().create(vals_list)

    def _enqueue(self):
        """One job per operation, in the channel of its kind of work."""
        for operation in self:
            description = operation.name
            if operation.action == "retry_provisioning":
                operation.with_delay(description=description)._run_network()
            else:
                operation.with_delay(description=description)._run_billing()

    def _run_billing(self):
        """Job of a billing action (channel root.isp_billing)."""
        return self._run()

    def _run_network(self):
        """Job of a network action (channel root.isp_provisioning)."""
        return self._run()

    def _run(self):
        self.ensure_one()
        if self.state == "done":
            return True
        check_isp_group(self.env, ACTION_GROUPS[self.action])
        results = {"done": 0, "skipped": 0, "failed": 0}
        lines = []
        for subscription in self.subscription_ids:
            result, error = self._run_one(subscription)
            results[result] += 1
            if result != "done":
                lines.append(
                    {
                        "operation_id": self.id,
                        "subscription_id": subscription.id,
                        "result": result,
                        "error": error,
                    }
                )
        self.env["isp.bulk.operation.line"].create(lines)
        self.write(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "count_done": results["done"],
                "count_skipped": results["skipped"],
                "count_failed": results["failed"],
            }
        )
        self.message_post(
            body=self.env._(
                "%(name)s finished: %(done)s done, %(skipped)s skipped, %(failed)s failed.",
                name=self.name,
                done=results["done"],
                skipped=results["skipped"],
                failed=results["failed"],
            ),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _run_one(self, subscription):
        """``(result, error)`` of the action on one subscription, rolled back alone if it fails."""
        try:
            with self.env.cr.savepoint():
                getattr(self, f"_do_{self.action}")(subscription)
        except Skipped as reason:
            return "skipped", str(reason)
        except OperationalError:
            raise  # a concurrent update: the job runner retries the whole job
        except Exception as error:  # any refusal of one subscription is reported, never fatal
            _logger.info("Bulk %s of %s failed: %s", self.action, subscription.name, error)
            return "failed", str(error)
        return "done", False

    def _do_suspend(self, subscription):
        if subscription.state == "suspended":
            raise Skipped(self.env._("Already suspended."))
        subscription.action_suspend(reason=self.reason or None)

    def _do_reconnect(self, subscription):
        if subscription.state == "active":
            raise Skipped(self.env._("Already active."))
        subscription.action_reconnect()

    def _do_change_plan(self, subscription):
        if subscription.product_id == self.product_id and not subscription.pending_product_id:
            raise Skipped(self.env._("Already on this plan."))
        subscription.change_plan(self.product_id.id, self.change_date, self.timing or "auto")

    def _do_retry_provisioning(self, subscription):
        if subscription.state == "draft":
            raise Skipped(self.env._("A draft is not on the network."))
        subscription.action_retry_provisioning()

    def _do_message(self, subscription):
        check_isp_group(self.env, BILLING_GROUP)
        subscription.check_access("read")
        partner = subscription.partner_id
        if self.message_channel == "email":
            if not partner.email:
                raise UserError(self.env._("%s has no email address.", partner.display_name))
            if self.mail_template_id:
                self.mail_template_id.send_mail(subscription.id)
            else:
                subscription.message_post(
                    body=self.message_text,
                    subject=self.message_subject,
                    partner_ids=partner.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            return
        text = self.message_text
        if not text and self.mail_template_id:
            rendered = self.mail_template_id._render_field("body_html", subscription.ids)
            text = html2plaintext(rendered[subscription.id] or "")
        if not (partner.mobile or partner.phone):
            raise UserError(self.env._("%s has no mobile number.", partner.display_name))
        self.env["isp.sms.message"]._queue(partner, text, channel=self.message_channel)

    def action_open_failed(self):
        """The subscriptions that failed or were skipped, to act on them (their starter)."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Not done: %s", self.name),
            "res_model": "isp.subscription",
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.subscription_id.ids)],
        }


class IspBulkOperationLine(models.Model):
    """A subscription a bulk operation could not act on (failed) or had nothing to do for (skipped)."""

    _name = "isp.bulk.operation.line"
    _description = "Bulk Operation Result"
    _order = "id"

    operation_id = fields.Many2one("isp.bulk.operation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="operation_id.company_id", store=True)
    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="subscription_id.partner_id")
    result = fields.Selection([("skipped", "Skipped"), ("failed", "Failed")], required=True)
    error = fields.Text(string="Reason")
