# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.isp_subscription.models import isp_invoice_run

from .common import IspBillingCommon

TAX = 1.11  # PPN 11 %


@tagged("post_install", "-at_install")
class TestInvoicing(IspBillingCommon):
    """Totals are checked against sums worked out by hand, not with the code under test."""

    def test_postpaid_month_one_invoice_with_tax(self):
        subscription = self.subscribe_active()
        self.assertEqual(subscription.next_invoice_date, date(2026, 11, 1))
        run = self.invoice("2026-11-01")
        invoice = self.invoices(self.customer)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(run.state, "done")
        self.assertEqual(invoice.isp_invoice_run_id, run)
        self.assertEqual(invoice.invoice_date, date(2026, 11, 1))
        line = invoice.invoice_line_ids
        self.assertEqual(
            (line.isp_period_start, line.isp_period_end), (date(2026, 10, 1), date(2026, 10, 31))
        )
        self.assertEqual(line.tax_ids, self.tax)
        self.assertAlmostEqual(invoice.amount_untaxed, 166500)
        self.assertAlmostEqual(invoice.amount_total, 166500 * TAX)
        self.assertEqual(subscription.billed_until, date(2026, 10, 31))
        self.assertEqual(subscription.next_invoice_date, date(2026, 12, 1))

    def test_one_invoice_per_customer_with_every_charge(self):
        """Plan, add-on, overage, installation fee: one invoice, one line each."""
        self.capped_plan.installation_fee = 250000
        addon_product = self.env["product.product"].create(
            {"name": "Static IP", "type": "service", "list_price": 50000, "taxes_id": [(6, 0, self.tax.ids)]}
        )
        with freeze_time("2026-10-01"):
            subscription = self.subscribe_active(plan=self.capped_plan)
        second = self.subscribe_active()
        self.env["isp.subscription.addon"].create(
            {"subscription_id": subscription.id, "product_id": addon_product.id}
        )
        # 302.5 GB in October against a 300 GB cap: 2.5 GB at 5,000 = 12,500.
        self.env["isp.usage.daily"]._add_usage(
            [
                (subscription.id, date(2026, 10, 10), 200 * 10**9, 50 * 10**9, 0),
                (subscription.id, date(2026, 10, 31), 52 * 10**9, int(0.5 * 10**9), 0),
            ]
        )
        self.invoice("2026-11-01")
        invoice = self.invoices(self.customer)
        self.assertEqual(len(invoice), 1)
        amounts = sorted(invoice.invoice_line_ids.mapped("price_subtotal"))
        self.assertEqual(amounts, sorted([166500, 166500, 50000, 12500, 250000]))
        overage = invoice.invoice_line_ids.filtered(lambda line: line.quantity == 2.5)
        self.assertIn("300", overage.name)
        self.assertEqual(overage.price_unit, 5000)
        self.assertAlmostEqual(invoice.amount_total, (166500 * 2 + 50000 + 12500 + 250000) * TAX)
        self.assertTrue(subscription.charge_ids.move_line_id)
        self.assertEqual(second.billed_until, date(2026, 10, 31))

    def test_running_twice_invoices_once(self):
        customers = [self.new_customer(f"Twice {n}") for n in range(3)]
        for customer in customers:
            self.subscribe_active(partner=customer)
        self.invoice("2026-11-01")
        second = self.invoice("2026-11-01")
        self.assertEqual(second.state, "done")
        self.assertEqual(second.batch_count, 0)
        for customer in customers:
            self.assertEqual(len(self.invoices(customer)), 1)

    def test_a_killed_job_leaves_nothing_and_the_rerun_invoices_everyone_once(self):
        customers = [self.new_customer(f"Killed {n}") for n in range(5)]
        for customer in customers:
            self.subscribe_active(partner=customer)
        run = self.env["isp.invoice.run"].create({"date": "2026-11-01"})
        with patch.object(isp_invoice_run, "BATCH_SIZE", 2):
            run.action_start()
        jobs = self.queued_jobs("isp.invoice.run", "_invoice_batch")
        self.assertEqual(len(jobs), 3)
        # The second job dies after posting its invoices, before its transaction commits.
        original = isp_invoice_run.IspInvoiceRun._make_invoices
        calls = []

        def die_once(this, drafts):
            moves = original(this, drafts)
            calls.append(1)
            if len(calls) == 2:
                raise KeyboardInterrupt("worker killed")
            return moves

        with patch.object(isp_invoice_run.IspInvoiceRun, "_make_invoices", die_once):
            for record in jobs:
                try:
                    with self.env.cr.savepoint():
                        self.run_job(record)
                except KeyboardInterrupt:
                    killed = record
        self.assertFalse(self.queued_jobs("isp.invoice.run", "_finish"), "the run waits for its killed job")
        # queue_job creates a group's jobs in no set order: the killed batch has 1 or 2 customers.
        survivors = len(customers) - len(killed.args[0])
        self.assertEqual(len(self.invoices().filtered(lambda m: m.partner_id in customers)), survivors)
        # Rerun: the run's stuck job again, then a new run the next day, as the cron would.
        self.assertEqual(killed, jobs[1])
        self.run_job(killed)
        self.run_jobs("isp.invoice.run", "_finish")
        self.assertEqual(run.batch_done, 3)
        self.invoice("2026-11-02")
        for customer in customers:
            self.assertEqual(len(self.invoices(customer)), 1)
        self.assertEqual(run.state, "done")

    def test_a_bad_customer_is_reported_and_the_others_invoiced(self):
        good = [self.new_customer(f"Good {n}") for n in range(3)]
        bad = self.new_customer("Bad Data")
        # Bad data: the customer's receivable account was retired.
        retired = self.env["account.account"].create(
            {
                "name": "Old receivable",
                "code": "129999",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        retired.deprecated = True
        bad.property_account_receivable_id = retired
        for customer in good:
            self.subscribe_active(partner=customer)
        self.subscribe_active(partner=bad)
        run = self.invoice("2026-11-01")
        issues = self.env["isp.invoice.run.issue"].search([("run_id", "=", run.id)])
        self.assertEqual(issues.partner_id, bad)
        self.assertIn("deprecated", issues.message)
        self.assertFalse(self.invoices(bad))
        for customer in good:
            self.assertEqual(len(self.invoices(customer)), 1)
        # Fixed, the next run invoices it.
        bad.property_account_receivable_id = False
        self.invoice("2026-11-02")
        self.assertEqual(len(self.invoices(bad)), 1)

    def test_prepaid_invoiced_in_advance_and_not_while_suspended(self):
        subscription = self.subscribe_active(date_start="2026-11-01", payment_mode="prepaid")
        self.assertEqual(subscription.next_invoice_date, date(2026, 11, 1))
        self.invoice("2026-11-01")
        self.assertEqual(subscription.billed_until, date(2026, 11, 30))
        with freeze_time("2026-12-05"):
            self.invoice("2026-12-01")
            subscription._suspend("Customer travelling")
        self.assertEqual(subscription.billed_until, date(2026, 12, 31))
        with freeze_time("2027-01-10"):
            self.invoice("2027-01-01")
            self.assertEqual(subscription.billed_until, date(2026, 12, 31), "suspended: not invoiced")
            subscription._reconnect()
            self.assertEqual(subscription.next_invoice_date, date(2027, 1, 10))
            self.invoice("2027-01-10")
        last = self.invoices(self.customer)[-1]
        # 10..31 January: 22 of 31 days of 166,500 = 118,161.29
        self.assertAlmostEqual(last.amount_untaxed, round(166500 * 22 / 31, 2))
        self.assertIn("22", last.invoice_line_ids.name)

    def test_postpaid_suspended_days_are_not_charged(self):
        subscription = self.subscribe_active(date_start="2026-11-01")
        with freeze_time("2026-11-11"):
            subscription._suspend("Unpaid")
        with freeze_time("2026-11-21"):
            subscription._reconnect()
        self.invoice("2026-12-01")
        # Suspended 11..20 November: 20 of 30 days charged.
        self.assertAlmostEqual(self.invoices(self.customer).amount_untaxed, 111000)

    def test_termination_of_prepaid_credits_unused_days(self):
        subscription = self.subscribe_active(date_start="2026-11-01", payment_mode="prepaid")
        self.invoice("2026-11-01")
        with freeze_time("2026-11-10"):
            subscription._terminate()
        self.assertEqual(subscription.billed_until, date(2026, 11, 10))
        self.invoice("2026-11-11")
        refund = self.invoices(self.customer)[-1]
        self.assertEqual(refund.move_type, "out_refund")
        # 20 unused days of 30: 111,000 credited, with its tax.
        self.assertAlmostEqual(refund.amount_total, 111000 * TAX)
        self.invoice("2026-12-01")
        self.assertEqual(len(self.invoices(self.customer)), 2)
        self.assertFalse(subscription.next_invoice_date)

    def test_upgrade_now_downgrade_next_period(self):
        subscription = self.subscribe_active(date_start="2026-11-01")
        subscription.change_plan(self.faster_plan.id, date(2026, 11, 16))
        self.assertEqual(subscription.product_id, self.faster_plan)
        self.invoice("2026-12-01")
        invoice = self.invoices(self.customer)
        # 15 days of 166,500 and 15 days of 450,000, out of 30.
        self.assertAlmostEqual(invoice.amount_untaxed, 166500 / 2 + 450000 / 2)
        subscription.change_plan(self.plan.id, date(2026, 12, 10))
        self.assertEqual(subscription.product_id, self.faster_plan)
        self.assertEqual(subscription.pending_product_date, date(2027, 1, 1))
        with freeze_time("2027-01-01"):
            self.env["isp.subscription"]._cron_apply_pending_plans()
        self.assertEqual(subscription.product_id, self.plan)

    def test_invoice_in_the_customers_language_and_currency(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"].search([("name", "=", "isp_subscription")])._update_translations("id_ID")
        euro = self.env.ref("base.EUR")
        euro.active = True
        self.env["res.currency.rate"].create(
            {"name": "2026-01-01", "rate": 0.5, "currency_id": euro.id, "company_id": self.env.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "Euro", "currency_id": euro.id})
        customer = self.new_customer("Siti", lang="id_ID", property_product_pricelist=pricelist.id)
        subscription = self.subscribe_active(partner=customer, date_start="2026-11-01")
        with freeze_time("2026-11-11"):
            subscription._suspend()
        with freeze_time("2026-11-21"):
            subscription._reconnect()
        self.invoice("2026-12-01")
        invoice = self.invoices(customer)
        self.assertEqual(invoice.currency_id, euro)
        self.assertAlmostEqual(invoice.amount_untaxed, 111000 * 0.5)
        self.assertIn("dari 30 hari", invoice.invoice_line_ids.name)

    def test_invoicing_jobs_run_in_the_billing_channel(self):
        self.subscribe_active(date_start="2026-10-01")
        run = self.env["isp.invoice.run"].create({"date": "2026-11-01"})
        run.action_start()
        jobs = self.queued_jobs("isp.invoice.run", "_invoice_batch")
        self.assertEqual(set(jobs.mapped("channel")), {"root.isp_billing"})

    def test_start_is_only_once(self):
        run = self.env["isp.invoice.run"].create({"date": "2026-11-01"})
        run.action_start()
        with self.assertRaises(UserError):
            run.action_start()
