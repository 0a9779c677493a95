# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import threading

from odoo import Command, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.job import identity_exact

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    isp_renewal_subscription_id = fields.Many2one(
        "isp.subscription",
        string="Prepaid Renewal Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Ordered by the customer in the portal: paying it starts, reconnects or extends this "
        "prepaid subscription.",
    )
    isp_renewal_paid = fields.Boolean(
        string="Renewal Applied",
        readonly=True,
        copy=False,
        help="The renewal's payment was applied to the subscription (exactly once).",
    )
    isp_autopay_charged = fields.Boolean(
        string="Auto-Pay Charged",
        readonly=True,
        copy=False,
        help="Auto-pay charged (or tried to charge) this invoice: it never charges it again.",
    )

    # --- auto-pay ----------------------------------------------------------------------

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._isp_autopay_enqueue()
        return posted

    def _isp_autopay_enqueue(self):
        """Queue one billing job for the newly posted ISP invoices of subscriptions on auto-pay
        (one query for the whole batch, one job per company)."""
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.isp_invoice and not move.isp_autopay_charged
        )
        if not invoices:
            return
        self.env["account.move.line"].flush_model(["move_id", "isp_subscription_id"])
        self.env["isp.subscription"].flush_model(["autopay"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT line.move_id
                  FROM account_move_line line
                  JOIN isp_subscription subscription ON subscription.id = line.isp_subscription_id
                 WHERE line.move_id = ANY(%s) AND subscription.autopay
                """,
                invoices.ids,
            )
        )
        to_charge = self.browse(row[0] for row in self.env.cr.fetchall())
        for company, moves in to_charge.grouped("company_id").items():
            moves.with_company(company).with_delay(
                description=self.env._("Auto-pay: charge %s invoices", len(moves)),
                identity_key=identity_exact,
            )._isp_autopay_charge()

    def _isp_autopay_charge(self):
        """The job: charge each invoice to its subscription's saved payment method, once.

        A declined or failed charge leaves the invoice open for the normal dunning, and is
        recorded on the subscription (shown to the customer) and in its chatter. One
        invoice's failure never stops the others."""
        self.env.cr.execute(
            SQL("SELECT id FROM account_move WHERE id = ANY(%s) ORDER BY id FOR UPDATE", self.ids)
        )
        self.invalidate_recordset()
        results = []
        for move in self.sudo():
            if (
                move.isp_autopay_charged
                or move.state != "posted"
                or move.payment_state not in ("not_paid", "partial")
                or move.currency_id.is_zero(move.amount_residual)
                or move.transaction_ids.filtered(lambda tx: tx.state in ("pending", "authorized", "done"))
            ):
                continue
            subscription = move.invoice_line_ids.isp_subscription_id.filtered(
                lambda s: s.autopay and s.autopay_token_id
            )[:1]
            if not subscription:
                continue
            move.isp_autopay_charged = True
            results.append(move._isp_autopay_charge_one(subscription))
        return "\n".join(results) or self.env._("Nothing to charge.")

    def _isp_autopay_charge_one(self, subscription):
        """Charge this invoice with ``subscription``'s token; a line for the job's result."""
        self.ensure_one()
        token = subscription.autopay_token_id
        env = subscription._customer_env()
        now = fields.Datetime.now()
        error = None
        tx = self.env["payment.transaction"]
        if not subscription._isp_token_allowed(token):
            error = env._("The saved payment method can no longer be used.")
        else:
            tx = self._isp_autopay_transaction(token)
            # The invoice marked as charged and its transaction are committed before the provider
            # is asked: should this job die after the provider charged the card (a lost
            # connection, a killed worker), its retry finds the invoice charged and never charges
            # it twice; the transaction is then confirmed by the provider's notification or
            # Odoo's post-processing.
            self._isp_autopay_commit()
            try:
                with self.env.cr.savepoint():
                    tx._send_payment_request()
            except Exception as exception:  # the provider refused the request: reported, not raised
                _logger.warning("Auto-pay of %s failed: %s", self.name, exception)
                error = exception.args[0] if exception.args else repr(exception)
                tx._set_error(str(error))
        if not error and tx.state == "done":
            tx._post_process()
            subscription.write({"autopay_last_try": now, "autopay_last_error": False})
            subscription.message_post(
                body=env._(
                    "Auto-pay: %(invoice)s charged to %(method)s.",
                    invoice=self._get_html_link(),
                    method=token.display_name,
                )
            )
            return f"{self.name}: paid ({tx.reference})"
        if not error and tx.state in ("pending", "authorized"):
            # Confirmed later by the provider; Odoo's post-processing cron finishes it.
            subscription.write({"autopay_last_try": now, "autopay_last_error": False})
            return f"{self.name}: {tx.state} ({tx.reference})"
        error = error or tx.state_message or env._("The payment was declined.")
        message = env._(
            "Auto-pay: %(invoice)s could not be charged to %(method)s: %(error)s. The invoice "
            "stays open; please pay it another way.",
            invoice=self.name,
            method=token.display_name,
            error=error,
        )
        subscription.write({"autopay_last_try": now, "autopay_last_error": message})
        subscription.message_post(body=message)
        return f"{self.name}: failed ({error})"

    def _isp_autopay_commit(self):
        """Commit the job's work so far (not in tests, whose transaction is rolled back)."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()

    def _isp_autopay_transaction(self, token):
        """A draft offline transaction paying this invoice's residual with ``token``."""
        self.ensure_one()
        Transaction = self.env["payment.transaction"].sudo()
        provider = token.provider_id
        return Transaction.create(
            {
                "provider_id": provider.id,
                "payment_method_id": token.payment_method_id.id,
                "reference": Transaction._compute_reference(provider.code, prefix=self.name),
                "amount": self.amount_residual,
                "currency_id": self.currency_id.id,
                "partner_id": self.partner_id.id,
                "token_id": token.id,
                "operation": "offline",
                "invoice_ids": [Command.set(self.ids)],
            }
        )

    # --- payments that start or reconnect the service -------------------------------

    def _invoice_paid_hook(self):
        """A paid prepaid renewal starts, reconnects or extends its subscription, exactly once
        however often the payment is notified (the flag is set by one conditional UPDATE)."""
        result = super()._invoice_paid_hook()
        renewals = self.filtered(lambda move: move.isp_renewal_subscription_id and not move.isp_renewal_paid)
        if renewals:
            self.flush_model(["isp_renewal_paid"])
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET isp_renewal_paid = true "
                    "WHERE id = ANY(%s) AND isp_renewal_paid IS NOT TRUE RETURNING id",
                    renewals.ids,
                )
            )
            applied = {row[0] for row in self.env.cr.fetchall()}
            renewals.invalidate_recordset(["isp_renewal_paid"])
            for move in renewals.sudo().filtered(lambda m: m.id in applied):
                move.isp_renewal_subscription_id._isp_apply_renewal(move)
        return result

    def _isp_portal_subscriptions(self):
        """The subscriptions this invoice pays for, as the invoice's page shows them (sudo)."""
        self.ensure_one()
        move = self.sudo()
        return move.invoice_line_ids.isp_subscription_id | move.isp_renewal_subscription_id
