import logging
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, split_every

from ..lib import dunning, late_fee

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # invoices per job
ACTION_SELECTION = [
    ("reminder_email", "Reminder Email"),
    ("sms", "SMS"),
    ("late_fee", "Late Fee"),
    ("suspend", "Suspend"),
    ("terminate", "Terminate"),
]


class IspDunningStep(models.Model):
    """One step of a company's dunning policy: an action some days after the due date."""

    _name = "isp.dunning.step"
    _description = "Dunning Step"
    _order = "days_after_due, id"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    days_after_due = fields.Integer(string="Days After Due Date", required=True)
    action = fields.Selection(ACTION_SELECTION, required=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "account.move")],
        default=lambda self: self.env.ref("isp_subscription.mail_template_dunning_reminder", False),
    )
    sms_text = fields.Text(
        string="Text Message",
        translate=True,
        help="Sent as SMS. Placeholders: {customer}, {invoice}, {amount}, {due_date}.",
    )
    channel = fields.Selection([("sms", "SMS"), ("whatsapp", "WhatsApp")], default="sms")

    @api.constrains("days_after_due", "action", "company_id")
    def _check_policy(self):
        for company in self.company_id:
            steps = self.search([("company_id", "=", company.id)])
            try:
                dunning.validate_policy([dunning.Step(s.days_after_due, s.action) for s in steps])
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "The dunning policy of %(company)s is not valid: %(error)s",
                        company=company.name,
                        error=error,
                    )
                ) from error


class IspDunningLog(models.Model):
    """A dunning step done for an invoice: done steps are never done again."""

    _name = "isp.dunning.log"
    _description = "Dunning Log"
    _order = "date desc, id desc"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="move_id.partner_id", store=True, string="Customer")
    step_id = fields.Many2one("isp.dunning.step", ondelete="set null")
    days_after_due = fields.Integer(required=True)
    action = fields.Selection(ACTION_SELECTION, required=True)
    date = fields.Date(required=True)
    note = fields.Char()


class IspDunning(models.AbstractModel):
    """The dunning run: applies each company's steps to its overdue ISP invoices.

    Each job locks its invoices (``FOR UPDATE``) and re-reads their payment
    state before acting, and records every step by writing the invoice row.
    A payment reconciled at the same time writes the same row, so the two
    never pass each other: either the payment comes first and the invoice is
    seen paid (nothing happens), or the suspension comes first and the
    payment's transaction (retried after a serialization failure if needed)
    sees the suspension and reconnects.
    """

    _name = "isp.dunning"
    _description = "Dunning Run"

    @api.model
    def _cron_run(self):
        for (company,) in self.env["isp.dunning.step"]._read_group([], ["company_id"]):
            self.with_company(company).run()

    @api.model
    def run(self, today=None):
        """Enqueue the jobs that apply the current company's policy as of ``today``."""
        today = today or fields.Date.context_today(self)
        steps = self.env["isp.dunning.step"].search([("company_id", "=", self.env.company.id)])
        if not steps:
            return 0
        first_day = min(steps.mapped("days_after_due"))
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("isp_invoice", "=", True),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<=", fields.Date.subtract(today, days=first_day)),
            ],
            order="id",
        )
        batches = list(split_every(BATCH_SIZE, moves.ids))
        for move_ids in batches:
            self.with_delay(description=self.env._("Dunning of %s invoices", len(move_ids)))._run_batch(
                list(move_ids), today
            )
        return len(batches)

    @api.model
    def _run_batch(self, move_ids, today):
        """The job: apply the due steps to these invoices, unless they have been paid."""
        self.env.cr.execute(
            SQL("SELECT id FROM account_move WHERE id = ANY(%s) ORDER BY id FOR UPDATE", move_ids)
        )
        self.env.invalidate_all()
        today = fields.Date.to_date(today)
        steps = self.env["isp.dunning.step"].search([("company_id", "=", self.env.company.id)])
        by_key = {(s.days_after_due, s.action): s for s in steps}
        policy = [dunning.Step(*key) for key in by_key]
        for move in self.env["account.move"].browse(move_ids):
            paid = move.payment_state not in ("not_paid", "partial") or move.state != "posted"
            done = [dunning.Step(log.days_after_due, log.action) for log in move.isp_dunning_log_ids]
            due = dunning.steps_due(policy, move.invoice_date_due, today, done=done, paid=paid)
            for step in due:
                record = by_key[(step.days_after_due, step.action)]
                note = getattr(self, f"_do_{step.action}")(record, move)
                self.env["isp.dunning.log"].create(
                    {
                        "move_id": move.id,
                        "step_id": record.id,
                        "days_after_due": step.days_after_due,
                        "action": step.action,
                        "date": today,
                        "note": note,
                    }
                )
            if due:
                move.isp_dunning_date = today

    def _subscriptions(self, move):
        return move.invoice_line_ids.isp_subscription_id

    def _do_reminder_email(self, step, move):
        template = step.mail_template_id or self.env.ref("isp_subscription.mail_template_dunning_reminder")
        move.with_context(lang=move.partner_id.lang).message_post_with_source(
            template, subtype_xmlid="mail.mt_comment", message_type="comment"
        )
        move.partner_id.message_post(body=self.env._("Payment reminder emailed for %s.", move.name))
        return template.name

    def _do_sms(self, step, move):
        partner = move.partner_id
        text = step.with_context(lang=partner.lang).sms_text or self.with_context(lang=partner.lang).env._(
            "{customer}, your invoice {invoice} of {amount} was due on {due_date}. Please pay to keep your "
            "internet service."
        )
        body = text.format_map(
            {
                "customer": partner.name,
                "invoice": move.name,
                "amount": f"{move.amount_residual:,.{move.currency_id.decimal_places}f} {move.currency_id.name}",
                "due_date": move.invoice_date_due,
            }
        )
        message = self.env["isp.sms.message"].queue(partner, body, channel=step.channel or "sms", move=move)
        return message.number or self.env._("no mobile number")

    def _do_late_fee(self, step, move):
        company = move.company_id
        policy = late_fee.LateFeePolicy(
            fixed=Decimal(str(company.isp_late_fee_fixed)),
            percent=Decimal(str(company.isp_late_fee_percent)),
            minimum=Decimal(str(company.isp_late_fee_min)) if company.isp_late_fee_min else None,
            maximum=Decimal(str(company.isp_late_fee_max)) if company.isp_late_fee_max else None,
        )
        amount = late_fee.late_fee(policy, move.amount_residual, Decimal(str(company.currency_id.rounding)))
        subscription = self._subscriptions(move)[:1]
        if not amount or not subscription:
            return self.env._("no late fee")
        product = company.isp_late_fee_product_id or self.env.ref("isp_subscription.product_late_fee")
        charge = self.env["isp.subscription.charge"].create(
            subscription._charge_values(
                float(amount),
                subscription._customer_env()._("Late fee for invoice %s", move.name),
                kind="late_fee",
                product=product,
            )
        )
        if company.isp_late_fee_blocks_reconnect:
            self._invoice_now(charge, move)
        return str(amount)

    def _invoice_now(self, charge, move):
        """A late fee that must be paid to reconnect gets its own invoice at once."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": move.partner_id.id,
                "invoice_date": fields.Date.context_today(self),
                "journal_id": move.journal_id.id,
                "currency_id": move.currency_id.id,
                "isp_invoice": True,
                "isp_late_fee_invoice": True,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": charge.product_id.id,
                            "name": charge.name,
                            "quantity": 1,
                            "price_unit": charge.price_unit,
                            "isp_subscription_id": charge.subscription_id.id,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        charge.move_line_id = invoice.invoice_line_ids[:1]

    def _do_suspend(self, step, move):
        active = self._subscriptions(move).filtered(lambda s: s.state == "active")
        reason = self.with_context(lang=move.partner_id.lang).env._("Invoice %s is unpaid.", move.name)
        active.suspend(reason=reason, for_debt=True)
        return ", ".join(active.mapped("name"))

    def _do_terminate(self, step, move):
        suspended = self._subscriptions(move).filtered(
            lambda s: s.state == "suspended" and s.suspended_for_debt
        )
        suspended.terminate()
        return ", ".join(suspended.mapped("name"))
