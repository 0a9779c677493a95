# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.isp_subscription.tests.common import IspBillingCommon

from .common import IspPortalFixtures


class IspPaymentCommon(IspBillingCommon, IspPortalFixtures):
    """A company of its own (IspBillingCommon) with the demo provider, a customer on auto-pay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.isp_user | cls.isp_billing).write({"company_ids": [Command.link(cls.company.id)]})
        cls.provider = cls.isp_demo_provider(cls.company)
        cls.customer.email = "budi@example.com"
        cls.subscription = cls.subscribe_active()
        cls.token = cls.isp_demo_token(cls.customer, cls.provider)
        cls.subscription.sudo()._isp_set_autopay(cls.token)

    def autopay_jobs(self, state="pending"):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "account.move"),
                ("method_name", "=", "_isp_autopay_charge"),
                ("state", "=", state),
            ]
        )

    def run_autopay_jobs(self):
        for record in self.autopay_jobs():
            self.run_job(record)

    def invoice_as_billing(self, day):
        """An invoicing run on ``day`` started by ISP Billing, its batch jobs run."""
        with freeze_time(day):
            run = self.env["isp.invoice.run"].with_user(self.isp_billing).create({"date": day})
            run.action_start()
            self.run_jobs("isp.invoice.run", "_invoice_batch")
        return run


@tagged("post_install", "-at_install")
class TestAutopay(IspPaymentCommon):
    def test_new_invoice_is_charged_once_in_the_billing_channel(self):
        other = self.new_customer("Sari")
        other_subscription = self.subscribe_active(partner=other)
        other_subscription.sudo()._isp_set_autopay(self.isp_demo_token(other, self.provider, details="1111"))
        manual = self.subscribe_active(partner=self.new_customer("Joko"))
        self.invoice_as_billing("2026-11-01")
        invoice = self.invoices(self.customer)
        self.assertEqual(invoice.payment_state, "not_paid", "charged in a job, not while posting")
        jobs = self.autopay_jobs()
        self.assertEqual(len(jobs), 1, "one job for the batch, not one per invoice or line")
        self.assertEqual(jobs.channel, "root.isp_billing")
        self.assertEqual(jobs.records, invoice | self.invoices(other))
        self.assertNotIn(self.invoices(manual.partner_id), jobs.records, "not on auto-pay")

        self.run_autopay_jobs()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertIn(self.invoices(other).payment_state, ("paid", "in_payment"))
        self.assertEqual(self.invoices(manual.partner_id).payment_state, "not_paid")
        transaction = invoice.transaction_ids
        self.assertEqual(len(transaction), 1)
        self.assertEqual((transaction.operation, transaction.token_id), ("offline", self.token))
        self.assertFalse(self.subscription.autopay_last_error)
        self.assertTrue(self.subscription.autopay_last_try)
        self.assertTrue(self.subscription.message_ids.filtered(lambda m: "Auto-pay:" in str(m.body)))

        # The job again (a retry), or the invoice queued again: never a second charge.
        invoice._isp_autopay_enqueue()
        self.assertFalse(self.autopay_jobs())
        invoice.isp_autopay_charged = False
        invoice._isp_autopay_charge()
        self.assertEqual(len(invoice.transaction_ids), 1)

    def test_declined_card_falls_back_to_dunning(self):
        self.env["isp.dunning.step"].create({"days_after_due": 10, "action": "suspend"})
        declined = self.isp_demo_token(self.customer, self.provider, simulated_state="error", details="0002")
        self.subscription.sudo()._isp_set_autopay(declined)
        self.invoice_as_billing("2026-11-01")
        invoice = self.invoices(self.customer)
        self.run_autopay_jobs()
        self.assertEqual(invoice.payment_state, "not_paid", "the invoice stays open")
        self.assertTrue(invoice.isp_autopay_charged)
        self.assertIn("could not be charged", self.subscription.autopay_last_error)
        self.assertTrue(
            self.subscription.message_ids.filtered(lambda m: "could not be charged" in str(m.body)),
            "a note in the subscription's chatter",
        )
        # Never tried again by itself.
        invoice._isp_autopay_enqueue()
        self.assertFalse(self.autopay_jobs())
        invoice._isp_autopay_charge()
        self.assertEqual(len(invoice.transaction_ids), 1)
        # The normal dunning path: suspended once overdue.
        with freeze_time("2026-11-11"):
            self.env["isp.dunning"].run(date(2026, 11, 11))
            self.run_jobs("isp.dunning", "_run_batch")
        self.assertEqual(self.subscription.state, "suspended")
        self.assertTrue(self.subscription.suspended_for_debt)

    def test_charge_made_durable_before_the_provider_is_asked(self):
        """The invoice is marked charged and its transaction saved (committed in a real job)
        before the request leaves: a job that dies after the provider charged the card never
        charges it twice, and a request that fails outright leaves its transaction in error."""
        self.invoice_as_billing("2026-11-01")
        invoice = self.invoices(self.customer)
        Move = type(self.env["account.move"])
        Transaction = type(self.env["payment.transaction"])
        seen = []

        def durable(move):
            seen.append((move.isp_autopay_charged, len(move.transaction_ids)))

        with (
            patch.object(Move, "_isp_autopay_commit", durable),
            patch.object(Transaction, "_send_payment_request", side_effect=ConnectionError("timed out")),
        ):
            self.run_autopay_jobs()
        self.assertEqual(seen, [(True, 1)], "flag and transaction exist when the request leaves")
        self.assertEqual(invoice.transaction_ids.state, "error")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertIn("timed out", self.subscription.autopay_last_error)
        # the job run again (as after a crash): nothing is charged again
        invoice._isp_autopay_charge()
        self.assertEqual(len(invoice.transaction_ids), 1)

    def test_staff_see_and_turn_off_autopay(self):
        on_autopay = self.env["isp.subscription"].with_user(self.isp_user).search([("autopay", "=", True)])
        self.assertIn(self.subscription, on_autopay)
        self.assertIn("4242", self.subscription.with_user(self.isp_user).autopay_method)
        with self.assertRefused(AccessError, "ISP / Billing"):
            self.subscription.with_user(self.isp_user).action_autopay_off()
        self.assertTrue(self.subscription.with_user(self.isp_billing).action_autopay_off())
        self.assertFalse(self.subscription.autopay)
        self.assertTrue(
            self.subscription.message_ids.filtered(lambda m: "Auto-pay turned off" in str(m.body))
        )

    def test_only_the_customers_own_payment_method(self):
        stranger = self.new_customer("Stranger")
        stranger_token = self.isp_demo_token(stranger, self.provider, details="9999")
        with self.assertRefused(UserError, "cannot be used"):
            self.subscription.sudo()._isp_set_autopay(stranger_token)
        with self.assertRefused(ValidationError, "not the customer's"):
            self.subscription.sudo().autopay_token_id = stranger_token
        self.assertEqual(self.subscription.sudo().autopay_token_id, self.token)


@tagged("post_install", "-at_install")
class TestPayNow(IspPaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription.sudo()._isp_set_autopay(False)
        cls.env["isp.dunning.step"].create({"days_after_due": 10, "action": "suspend"})

    def test_double_notification_reconnects_once(self):
        self.invoice_as_billing("2026-11-01")
        invoice = self.invoices(self.customer)
        with freeze_time("2026-11-11"):
            self.env["isp.dunning"].run(date(2026, 11, 11))
            self.run_jobs("isp.dunning", "_run_batch")
        self.assertEqual(self.subscription.state, "suspended")
        transaction = self.isp_demo_online_transaction(invoice, self.provider)
        self.isp_notify_demo(transaction)
        self.isp_notify_demo(transaction)  # the provider notifies twice
        transaction._set_done()
        transaction._post_process()
        self.assertEqual(self.subscription.state, "active", "reconnected at once")
        self.assertEqual(len(transaction.payment_id), 1)
        self.assertEqual(
            len(self.env["account.payment"].search([("payment_transaction_id", "=", transaction.id)])), 1
        )
        reconnected = self.subscription.message_ids.filtered(lambda m: "Reconnected" in str(m.body))
        self.assertEqual(len(reconnected), 1)
        self.assertFalse(self.subscription.suspension_ids.filtered(lambda s: not s.date_to))


@tagged("post_install", "-at_install")
class TestPrepaidRenewal(IspPaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription.sudo()._isp_set_autopay(False)
        cls.prepaid = cls.subscribe_active(partner=cls.new_customer("Hotspot Hana"), payment_mode="prepaid")

    def renewals(self, subscription):
        return subscription.message_ids.filtered(lambda m: "Renewal paid" in str(m.body))

    def test_renewal_paid_twice_extends_once(self):
        self.invoice_as_billing("2026-10-01")  # the first period, invoiced by the run
        self.pay(self.invoices(self.prepaid.partner_id))
        self.assertEqual(self.prepaid.billed_until, date(2026, 10, 31))
        with freeze_time("2026-10-25"):
            invoice = self.prepaid.sudo()._isp_renewal_invoice()
            self.assertEqual(invoice, self.prepaid.sudo()._isp_renewal_invoice(), "an open one is reused")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.isp_renewal_subscription_id, self.prepaid)
        self.assertEqual(invoice.invoice_line_ids.isp_period_start, date(2026, 11, 1))
        self.assertEqual(invoice.invoice_line_ids.isp_period_end, date(2026, 11, 30))
        self.assertEqual(self.prepaid.billed_until, date(2026, 11, 30))
        transaction = self.isp_demo_online_transaction(invoice, self.provider)
        self.isp_notify_demo(transaction)
        self.isp_notify_demo(transaction)  # a repeated notification
        invoice._invoice_paid_hook()  # and a late one reaching the hook again
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(invoice.isp_renewal_paid)
        self.assertEqual(len(self.renewals(self.prepaid)), 1, "exactly one extension")
        self.assertEqual(self.prepaid.billed_until, date(2026, 11, 30))
        # The invoicing run does not invoice the renewed period again.
        self.invoice_as_billing("2026-11-01")
        self.assertEqual(len(self.invoices(self.prepaid.partner_id)), 2)

    def test_suspended_prepaid_renews_and_is_reconnected_once(self):
        with freeze_time("2026-11-05"):
            self.prepaid.sudo()._suspend(reason="Package used up")
        with freeze_time("2026-11-10"):
            invoice = self.prepaid.sudo()._isp_renewal_invoice()
            self.assertEqual(invoice.invoice_line_ids.isp_period_start, date(2026, 11, 10))
            transaction = self.isp_demo_online_transaction(invoice, self.provider)
            self.isp_notify_demo(transaction)
            self.assertEqual(self.prepaid.state, "active", "activated at once")
            self.isp_notify_demo(transaction)
        self.assertEqual(len(self.renewals(self.prepaid)), 1)
        reconnections = self.env["isp.subscription.suspension"].search(
            [("subscription_id", "=", self.prepaid.id), ("date_to", "!=", False)]
        )
        self.assertEqual(len(reconnections), 1)

    def test_draft_prepaid_is_activated_by_its_payment(self):
        draft = self.env["isp.subscription"].create(
            {
                "partner_id": self.new_customer("New Nia").id,
                "product_id": self.plan.id,
                "payment_mode": "prepaid",
            }
        )
        with freeze_time("2026-11-10"):
            invoice = draft.sudo()._isp_renewal_invoice()
            self.assertEqual(draft.state, "draft", "not before it is paid")
            transaction = self.isp_demo_online_transaction(invoice, self.provider)
            self.isp_notify_demo(transaction, "pending")  # the provider confirms later
            self.assertEqual(draft.state, "draft", "not while the payment is pending")
            self.isp_notify_demo(transaction)
            self.isp_notify_demo(transaction)
        self.assertEqual(draft.state, "active")
        self.assertEqual(draft.date_start, date(2026, 11, 10))
        self.assertEqual(len(self.renewals(draft)), 1)

    def test_postpaid_and_terminated_are_not_renewed(self):
        with self.assertRefused(UserError, "prepaid"):
            self.subscription.sudo()._isp_renewal_invoice()
        self.prepaid.sudo()._terminate()
        with self.assertRefused(UserError, "ended"):
            self.prepaid.sudo()._isp_renewal_invoice()
