# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client
from collections import defaultdict

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.isp_subscription.lib import periods

from .common import IspSubscriptionCommon


@tagged("post_install", "-at_install")
class TestInvoiceRunDemo(IspSubscriptionCommon):
    """The demo's subscriptions, started up to two years ago, are billed up to date."""

    def test_demo_first_run_invoices_at_most_one_period(self):
        if not self.env.ref("isp_base.demo_plan_home10", raise_if_not_found=False):
            self.skipTest("database without demo data")
        today = fields.Date.context_today(self.env["isp.subscription"])
        subscriptions = self.env["isp.subscription"].search(
            [("company_id", "=", self.env.ref("base.main_company").id), ("date_start", "!=", False)]
        )
        self.assertGreaterEqual(len(subscriptions), 500)
        old = subscriptions.filtered(lambda s: (today - s.date_start).days > 400)
        self.assertTrue(old, "the demo has subscriptions older than a year")
        self.assertTrue(all(old.mapped("billed_until")))
        main = self.env.ref("base.main_company")
        run = (
            self.env["isp.invoice.run"]
            .with_user(self.isp_billing)
            .with_context(allowed_company_ids=main.ids)
            .create({"date": today, "company_id": main.id})
        )
        run.action_start()
        for record in self.env["queue.job"].search(
            [
                ("model_name", "=", "isp.invoice.run"),
                ("method_name", "=", "_invoice_batch"),
                ("state", "=", "pending"),
            ]
        ):
            self.run_job(record)
        service_periods = defaultdict(set)
        for line in run.invoice_ids.invoice_line_ids.filtered("isp_period_start"):
            subscription = line.isp_subscription_id
            service_periods[subscription].add(
                periods.period_containing(
                    subscription.date_start, subscription.billing_period, line.isp_period_start
                )
            )
            self.assertLessEqual((line.isp_period_end - line.isp_period_start).days, 366)
        for subscription, invoiced in service_periods.items():
            self.assertLessEqual(len(invoiced), 1, f"{subscription.name} invoiced for {sorted(invoiced)}")
        # The demo bills in rupiah, its plans' currency: no plan price is converted.
        self.assertEqual(main.currency_id, self.env.ref("base.IDR"))
        self.assertEqual(
            self.env["isp.subscription"]
            .search([], limit=1)
            .partner_id.property_product_pricelist.currency_id,
            main.currency_id,
        )
        for line in run.invoice_ids.invoice_line_ids:
            self.assertLessEqual(
                line.price_unit, max(line.product_id.lst_price, line.product_id.installation_fee)
            )

    def test_generate_answers_ids_and_bills_up_to_date(self):
        company = self.env["res.company"].create({"name": "Generated ISP"})
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(AccessError):
            self.env["isp.demo.generator"].with_user(self.isp_billing).generate_subscriptions(1)
        result = self.env["isp.demo.generator"].with_user(admin).generate(6, company_id=company.id)
        xmlrpc.client.dumps((result,), allow_none=False)  # what an RPC client receives
        subscriptions = self.env["isp.subscription"].browse(result["subscriptions"])
        self.assertEqual(len(subscriptions), 6)
        self.assertEqual(set(subscriptions.partner_id.ids), set(result["customers"]))
        today = fields.Date.context_today(subscriptions)
        for subscription in subscriptions:
            self.assertGreater(
                subscription.next_invoice_date, today, "nothing of the past is left to invoice"
            )
            if (today - subscription.date_start).days > 62:
                self.assertTrue(subscription.billed_until)
        # Benchmarks that invoice ask for subscriptions never billed.
        other = self.env["res.company"].create({"name": "Benchmark ISP"})
        fresh = self.env["isp.demo.generator"]._generate(2, company_id=other.id, billed_up_to_date=False)
        self.assertFalse(any(fresh["subscriptions"].mapped("billed_until")))
