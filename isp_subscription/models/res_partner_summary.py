# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from odoo.addons.isp_base.access import check_isp_group


class ResPartner(models.Model):
    """Customer 360: the customer's subscriptions, balance, overdue amount, usage and online
    state on the contact, so that staff stop hopping between menus.

    Every ISP role sees what a customer owes (roles.md), invoices or not: the amounts are
    read as superuser, within the companies the user works in, as a subscription's
    ``amount_due`` is.
    """

    _inherit = "res.partner"

    isp_subscription_count = fields.Integer(string="Subscriptions", compute="_compute_isp_summary")
    isp_active_subscription_count = fields.Integer(string="In Service", compute="_compute_isp_summary")
    isp_suspended_subscription_count = fields.Integer(string="Suspended", compute="_compute_isp_summary")
    isp_summary_currency_id = fields.Many2one("res.currency", compute="_compute_isp_summary")
    isp_balance_due = fields.Monetary(
        string="Balance Due",
        currency_field="isp_summary_currency_id",
        compute="_compute_isp_summary",
        help="The customer's unpaid ISP invoices.",
    )
    isp_amount_overdue = fields.Monetary(
        string="Overdue",
        currency_field="isp_summary_currency_id",
        compute="_compute_isp_summary",
        help="Unpaid ISP invoices past their due date.",
    )
    isp_oldest_due_date = fields.Date(string="Oldest Due Date", compute="_compute_isp_summary")
    isp_usage_period_gb = fields.Float(
        string="Usage This Period (GB)",
        digits=(16, 2),
        compute="_compute_isp_summary",
        help="Downloaded and uploaded this usage period, all subscriptions in service together.",
    )
    isp_online_state = fields.Selection(
        [
            ("online", "Online"),
            ("partly", "Partly Online"),
            ("offline", "Offline"),
            ("unknown", "Not Reported"),
        ],
        string="Online",
        compute="_compute_isp_summary",
    )
    isp_last_seen = fields.Datetime(string="Last Seen", compute="_compute_isp_summary")

    def _compute_isp_summary(self):
        today = fields.Date.context_today(self)
        companies = self.env.companies
        currency = self.env.company.currency_id
        partners = self.filtered("id")
        subscriptions = (
            self.env["isp.subscription"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("company_id", "in", companies.ids)])
            if partners
            else self.env["isp.subscription"]
        )
        by_partner = subscriptions.grouped("partner_id")
        moves = self.env["account.move"].sudo()
        domain = [
            ("partner_id", "in", partners.ids),
            ("company_id", "in", companies.ids),
            ("isp_invoice", "=", True),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        due = {
            p.id: amount
            for p, amount in moves._read_group(domain, ["partner_id"], ["amount_residual_signed:sum"])
        }
        overdue = {
            p.id: (amount, oldest)
            for p, amount, oldest in moves._read_group(
                [*domain, ("invoice_date_due", "<", today)],
                ["partner_id"],
                ["amount_residual_signed:sum", "invoice_date_due:min"],
            )
        }
        in_service = subscriptions.filtered(lambda s: s.state in ("active", "suspended"))
        usage = {s.id: s.usage_period_gb for s in in_service}  # one read group per usage period
        for partner in self:
            mine = by_partner.get(partner._origin, self.env["isp.subscription"])
            serving = mine.filtered(lambda s: s.state in ("active", "suspended"))
            active = mine.filtered(lambda s: s.state == "active")
            partner.isp_subscription_count = len(mine)
            partner.isp_active_subscription_count = len(active)
            partner.isp_suspended_subscription_count = len(mine.filtered(lambda s: s.state == "suspended"))
            partner.isp_summary_currency_id = currency
            partner.isp_balance_due = due.get(partner._origin.id, 0.0)
            amount, oldest = overdue.get(partner._origin.id, (0.0, False))
            partner.isp_amount_overdue = amount
            partner.isp_oldest_due_date = oldest
            partner.isp_usage_period_gb = sum(usage.get(s.id, 0.0) for s in serving)
            online = active.filtered("network_online")
            if not active or not (online or any(active.mapped("network_last_seen"))):
                partner.isp_online_state = "unknown"
            elif len(online) == len(active):
                partner.isp_online_state = "online"
            else:
                partner.isp_online_state = "partly" if online else "offline"
            partner.isp_last_seen = max(
                serving.filtered("network_last_seen").mapped("network_last_seen"), default=False
            )

    def action_view_isp_subscriptions(self):
        """The customer's subscriptions (every ISP role): an action."""
        check_isp_group(self.env, "isp_base.group_isp_user")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("isp_subscription.action_isp_subscriptions")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_view_isp_overdue_invoices(self):
        """The customer's unpaid ISP invoices (ISP Billing): an action."""
        check_isp_group(self.env, "isp_base.group_isp_billing")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("isp_invoice", "=", True),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        action["context"] = {"create": False}
        return action
