from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    isp_invoice = fields.Boolean(
        string="ISP Invoice", readonly=True, copy=False, index=True, help="Made by an ISP invoicing run."
    )
    isp_invoice_run_id = fields.Many2one("isp.invoice.run", string="Invoicing Run", readonly=True, copy=False)
    isp_late_fee_invoice = fields.Boolean(string="Late Fee Invoice", readonly=True, copy=False)
    isp_dunning_log_ids = fields.One2many("isp.dunning.log", "move_id", string="Dunning", readonly=True)
    isp_dunning_date = fields.Date(
        string="Last Dunning Step",
        readonly=True,
        copy=False,
        help="Written with every dunning step, so that a payment and a dunning run of the same "
        "invoice never run side by side unnoticed.",
    )

    def _invoice_paid_hook(self):
        """Reconnect at once customers whose payment settled what got them suspended."""
        result = super()._invoice_paid_hook()
        paid = self.filtered(lambda move: move.isp_invoice and move.move_type == "out_invoice")
        if paid:
            self.env["isp.subscription"]._reconnect_paid(paid.partner_id)
        return result

    @api.model
    def _isp_blocking_domain(self, partners):
        """Unpaid ISP invoices that keep a customer suspended: those the dunning suspended
        for, and (when the company says so) unpaid late fees."""
        blocking = [("isp_dunning_log_ids.action", "=", "suspend")]
        if self.env.company.isp_late_fee_blocks_reconnect:
            blocking = ["|", ("isp_late_fee_invoice", "=", True), *blocking]
        return [
            ("partner_id", "in", partners.ids),
            ("move_type", "=", "out_invoice"),
            ("isp_invoice", "=", True),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            *blocking,
        ]


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    isp_subscription_id = fields.Many2one(
        "isp.subscription", string="Subscription", readonly=True, index="btree_not_null"
    )
    isp_period_start = fields.Date(string="Service From", readonly=True)
    isp_period_end = fields.Date(string="Service To", readonly=True)
