# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_subscription.lib import invoicing, periods

BILLING_GROUP = "isp_base.group_isp_billing"
# Packages a customer may have bought in the portal and not paid yet (ir.config_parameter
# isp_portal.package_open_limit overrides it).
PACKAGE_OPEN_LIMIT = 3
# Transactions that mean the customer's money is on its way: a purchase is no longer cancelled.
PAYING_TX_STATES = ("pending", "authorized", "done")


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    autopay = fields.Boolean(
        string="Auto-Pay",
        copy=False,
        index=True,
        tracking=True,
        help="The customer asked that each new invoice of this subscription be charged to their "
        "saved payment method as soon as it is posted.",
    )
    autopay_token_id = fields.Many2one(
        "payment.token",
        string="Auto-Pay Payment Method",
        copy=False,
        ondelete="set null",
        groups="base.group_system",
        help="The customer's saved payment method charged by auto-pay.",
    )
    autopay_method = fields.Char(
        string="Auto-Pay Method",
        compute="_compute_autopay_method",
        help="The saved payment method auto-pay charges (its provider and masked details).",
    )
    isp_portal_purchase = fields.Boolean(
        string="Bought in the Portal",
        readonly=True,
        copy=False,
        index=True,
        help="The customer bought this prepaid package in the portal: paying its invoice starts "
        "it; until then the customer may cancel it, which deletes it.",
    )
    autopay_last_try = fields.Datetime(string="Last Auto-Pay", readonly=True, copy=False)
    autopay_last_error = fields.Char(
        string="Last Auto-Pay Failure",
        readonly=True,
        copy=False,
        help="Why the last automatic charge failed; empty after a successful one. The invoice "
        "stays open and follows the normal dunning.",
    )

    @api.depends("autopay", "autopay_token_id")
    def _compute_autopay_method(self):
        # Staff read which method is charged, never the token itself (Odoo shows each user
        # only their own tokens).
        for subscription in self:
            token = subscription.sudo().autopay_token_id
            subscription.autopay_method = (
                f"{token.provider_id.name} {token.display_name}" if subscription.autopay and token else False
            )

    @api.constrains("autopay", "autopay_token_id", "partner_id")
    def _check_autopay_token(self):
        for subscription in self.sudo().filtered("autopay"):
            token = subscription.autopay_token_id
            if not token or not token.active:
                raise ValidationError(
                    self.env._("Auto-pay on %s needs a saved payment method.", subscription.name)
                )
            if not subscription._isp_token_allowed(token):
                raise ValidationError(
                    self.env._(
                        "The payment method %(method)s is not the customer's of %(subscription)s.",
                        method=token.display_name,
                        subscription=subscription.name,
                    )
                )

    def _isp_token_allowed(self, token):
        """Whether ``token`` is a saved payment method of this subscription's customer (or of a
        contact of the same company) that can pay in the subscription's company."""
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        return (
            token.active
            and token.partner_id.commercial_partner_id == commercial
            and token.provider_id.company_id in (self.company_id | self.company_id.parent_ids)
        )

    def _isp_portal_tokens(self, partner):
        """The saved payment methods ``partner`` (the logged-in customer) may choose for
        auto-pay on this subscription (sudo)."""
        self.ensure_one()
        tokens = (
            self.env["payment.token"]
            .sudo()
            .search([("partner_id", "child_of", partner.commercial_partner_id.id), ("active", "=", True)])
        )
        return tokens.filtered(self._isp_token_allowed)

    def action_autopay_off(self):
        """Take the subscriptions off auto-pay (ISP Billing), e.g. at the customer's request
        by phone; the customer turns it back on in the portal."""
        self._check_isp_group(BILLING_GROUP)
        self.sudo()._isp_set_autopay(False)
        return True

    def _isp_set_autopay(self, token):
        """Auto-pay on with ``token`` (a payment.token), or off (``token`` false). Sudo: the
        caller checked that the subscription and the token are the customer's."""
        for subscription in self:
            if token:
                if subscription.state == "terminated":
                    raise UserError(self.env._("A terminated subscription cannot be put on auto-pay."))
                if not subscription._isp_token_allowed(token):
                    raise UserError(self.env._("This payment method cannot be used for this subscription."))
                subscription.write(
                    {"autopay": True, "autopay_token_id": token.id, "autopay_last_error": False}
                )
                subscription.message_post(
                    body=self.env._("Auto-pay turned on with %s.", subscription.autopay_method)
                )
            elif subscription.autopay:
                subscription.write({"autopay": False, "autopay_token_id": False})
                subscription.message_post(body=self.env._("Auto-pay turned off."))

    # --- what the portal shows about payments --------------------------------------

    def _isp_open_invoices(self):
        """The posted, unpaid ISP invoices of these subscriptions' customers, oldest due first
        (sudo)."""
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("move_type", "=", "out_invoice"),
                    ("isp_invoice", "=", True),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                order="invoice_date_due, id",
            )
        )

    def _isp_portal_payment_values(self, partner):
        """What the service page shows about paying this subscription to ``partner`` (the
        logged-in customer, who owns it)."""
        self.ensure_one()
        subscription = self.sudo()
        open_invoices = subscription._isp_open_invoices()
        oldest = open_invoices[:1]
        today = fields.Date.context_today(self)
        return {
            "amount_due": sum(open_invoices.mapped("amount_residual")),
            "currency": oldest.currency_id or subscription.currency_id,
            "invoice": oldest,
            "overdue": bool(oldest.invoice_date_due and oldest.invoice_date_due < today),
            "pay_url": oldest.get_portal_url() if oldest else False,
            "tokens": subscription._isp_portal_tokens(partner),
            "can_renew": subscription.payment_mode == "prepaid"
            and subscription.state in ("draft", "active", "suspended"),
        }

    # --- prepaid renewal -----------------------------------------------------------------

    def _isp_renewal_part(self):
        """The service days a prepaid renewal bought now covers, as an
        :class:`invoicing.Part`: the next period not yet invoiced of an active subscription,
        or, for a draft or suspended one, from today to the end of its period."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.state == "active":
            start = self.billed_until + timedelta(days=1) if self.billed_until else self.date_start
            anchor = self.date_start
        else:
            start = today
            anchor = self.date_start if self.state == "suspended" and self.date_start else today
        period_start, period_end = periods.period_containing(anchor, self.billing_period or "monthly", start)
        return invoicing.Part(period_start, period_end, start, period_end)

    def _isp_renewal_invoice(self):
        """The invoice a prepaid customer pays to renew (sudo, the customer's own subscription):
        an open invoice of this subscription if there is one, else a new one for the next
        period, posted. Paying it activates, reconnects or extends the service at once
        (:meth:`account.move._isp_apply_renewals`)."""
        self.ensure_one()
        if self.payment_mode != "prepaid":
            raise UserError(self.env._("Only a prepaid subscription is renewed in advance."))
        if self.state == "terminated":
            raise UserError(self.env._("This subscription has ended: ask us for a new one."))
        # One renewal at a time, even on a double click: the second waits, then reuses.
        self.env.cr.execute("SELECT id FROM isp_subscription WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset()
        open_invoice = self._isp_open_invoices().filtered(
            lambda move: self in move.invoice_line_ids.isp_subscription_id
        )[:1]
        if open_invoice:
            return open_invoice
        part = self._isp_renewal_part()
        env = self._customer_env()
        lines = []
        for product, quantity, label, charge in self.with_env(env)._service_charges(part):
            lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "name": env._(
                            "%(item)s, %(first)s to %(last)s",
                            item=label,
                            first=self._format_date(charge.date_from),
                            last=self._format_date(charge.date_to),
                        ),
                        "quantity": float(quantity),
                        "price_unit": float(charge.amount),
                        "isp_subscription_id": self.id,
                        "isp_period_start": charge.date_from,
                        "isp_period_end": charge.date_to,
                    }
                )
            )
        if not lines:
            raise UserError(self.env._("There is nothing to pay for the next period of this plan."))
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), *self.env["account.journal"]._check_company_domain(self.company_id)],
            limit=1,
        )
        if not journal:
            raise UserError(self.env._("The company %s has no sales journal.", self.company_id.name))
        today = fields.Date.context_today(self)
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "invoice_date": today,
                    **({} if self.partner_id.property_payment_term_id else {"invoice_date_due": today}),
                    "journal_id": journal.id,
                    "company_id": self.company_id.id,
                    "isp_invoice": True,
                    "isp_renewal_subscription_id": self.id,
                    "invoice_line_ids": lines,
                }
            )
        )
        move.action_post()
        # The period is invoiced: the invoicing run does not invoice it again.
        values = {"billed_until": part.last}
        if self.state == "draft":
            values["date_start"] = part.first
        self.sudo().write(values)
        self.message_post(
            body=self.env._(
                "Renewal ordered in the portal: %(invoice)s, %(first)s to %(last)s.",
                invoice=move._get_html_link(),
                first=self._format_date(part.first),
                last=self._format_date(part.last),
            )
        )
        return move

    def _isp_apply_renewal(self, move):
        """The renewal ``move`` is paid: start (draft) or reconnect (suspended) the service.
        A service not started yet starts on the day it is paid and runs its whole period, also
        when its invoice, made on an earlier day, is paid from the invoice's own page."""
        self.ensure_one()
        if self.state == "draft":
            if self.date_start and self.date_start < fields.Date.context_today(self):
                ordered = self.date_start
                part = self._isp_renewal_part()
                self.write({"date_start": part.first, "billed_until": part.last})
                self.message_post(
                    body=self.env._(
                        "Ordered to start on %(ordered)s and paid later: the service starts on "
                        "%(first)s, the day of payment.",
                        ordered=self._format_date(ordered),
                        first=self._format_date(part.first),
                    )
                )
            self._activate()
        elif self.state == "suspended":
            self._reconnect()
        self.message_post(
            body=self.env._(
                "Renewal paid (%(invoice)s): the service is active until %(last)s.",
                invoice=move._get_html_link(),
                last=self._format_date(self.billed_until),
            )
        )

    # --- packages bought in the portal ----------------------------------------------------

    @api.model
    def _isp_portal_purchases(self, partner):
        """The unpaid packages ``partner``'s customer bought in the portal (drafts, sudo)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("state", "=", "draft"),
                    ("isp_portal_purchase", "=", True),
                ],
                order="id",
            )
        )

    @api.model
    def _isp_portal_package_limit(self):
        value = self.env["ir.config_parameter"].sudo().get_param("isp_portal.package_open_limit")
        try:
            return int(value) if value else PACKAGE_OPEN_LIMIT
        except ValueError:
            return PACKAGE_OPEN_LIMIT

    @api.model
    def _isp_portal_buy(self, partner, plan, company):
        """``partner``'s customer buys the prepaid package ``plan`` in ``company`` (the caller
        checked that the plan is offered to them): their unpaid purchase of that plan if there
        is one, else a new draft prepaid subscription; returns the posted invoice to pay.
        Paying it activates the subscription at once (:meth:`_isp_apply_renewal`)."""
        commercial = partner.commercial_partner_id
        # One purchase at a time per customer, even on a double click or a reload: the row
        # update makes a concurrent request wait, then fail to serialize; Odoo retries it and
        # it then finds (and reuses) this purchase.
        self.env.cr.execute("UPDATE res_partner SET write_date = write_date WHERE id = %s", [commercial.id])
        purchases = self._isp_portal_purchases(commercial)
        purchase = purchases.filtered(lambda s: s.product_id == plan)[:1]
        if not purchase:
            limit = self._isp_portal_package_limit()
            if len(purchases) >= limit:
                raise UserError(
                    self.env._(
                        "You already have %s packages waiting for payment: pay or cancel one of "
                        "them before buying another.",
                        len(purchases),
                    )
                )
            purchase = (
                self.sudo()
                .with_company(company)
                .create(
                    {
                        "partner_id": commercial.id,
                        "product_id": plan.id,
                        "company_id": company.id,
                        "payment_mode": "prepaid",
                        "isp_portal_purchase": True,
                    }
                )
            )
            purchase.message_post(
                body=self.env._("Package bought in the portal: it starts once its invoice is paid.")
            )
        return purchase._isp_portal_purchase_invoice()

    def _isp_portal_purchase_invoices(self):
        """All invoices ever issued for these portal purchases (sudo)."""
        return self.env["account.move"].sudo().search([("isp_renewal_subscription_id", "in", self.ids)])

    def _isp_portal_paying(self):
        """Whether a payment of this purchase is under way or made (it cannot be cancelled)."""
        self.ensure_one()
        invoices = self._isp_portal_purchase_invoices().filtered(lambda m: m.state == "posted")
        return bool(
            invoices.filtered(lambda m: m.payment_state != "not_paid")
            or invoices.transaction_ids.filtered(lambda tx: tx.state in PAYING_TX_STATES)
        )

    def _isp_portal_purchase_invoice(self):
        """The invoice to pay for this unpaid portal purchase (sudo): its open one, or a new one
        from today when the open one starts on a past day and no payment is under way (so that
        a package paid late still gives its whole period)."""
        self.ensure_one()
        self.env.cr.execute("SELECT id FROM isp_subscription WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset()
        today = fields.Date.context_today(self)
        if (
            self.state == "draft"
            and self.date_start
            and self.date_start < today
            and not self._isp_portal_paying()
        ):
            stale = self._isp_portal_purchase_invoices().filtered(lambda m: m.state == "posted")
            stale.button_cancel()
            for move in stale:
                move.message_post(body=self.env._("Replaced by an invoice starting today."))
        return self._isp_renewal_invoice()

    def _isp_portal_cancel_purchase(self):
        """The customer cancels this unpaid portal purchase: its invoice is cancelled (and kept,
        unlinked from it) and the draft subscription deleted (sudo)."""
        self.ensure_one()
        self.env.cr.execute("SELECT id FROM isp_subscription WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset()
        if self.state != "draft" or not self.isp_portal_purchase:
            raise UserError(self.env._("This package is already paid: it can no longer be cancelled."))
        if self._isp_portal_paying():
            raise UserError(
                self.env._("Your payment for this package is being confirmed: it can no longer be cancelled.")
            )
        invoices = self._isp_portal_purchase_invoices()
        self.env.cr.execute("SELECT id FROM account_move WHERE id = ANY(%s) FOR UPDATE", [invoices.ids])
        posted = invoices.filtered(lambda m: m.state in ("draft", "posted"))
        posted.button_cancel()
        for move in invoices:
            move.message_post(
                body=self.env._(
                    "Cancelled by the customer in the portal: package %(plan)s (%(subscription)s), not paid.",
                    plan=self.product_id.display_name,
                    subscription=self.name,
                )
            )
        invoices.line_ids.filtered(lambda line: line.isp_subscription_id == self).write(
            {"isp_subscription_id": False}
        )
        invoices.write({"isp_renewal_subscription_id": False})
        self.unlink()
        return True
