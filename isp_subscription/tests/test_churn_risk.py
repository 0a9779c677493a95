# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from ast import literal_eval
from datetime import date, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspBillingCommon

GB = 10**9
TODAY = date(2026, 11, 30)


@tagged("post_install", "-at_install")
class TestChurnRisk(IspBillingCommon):
    """The daily risk of leaving: each reason found from the database with its figures, the
    customers' list riskiest first, the reasons on the subscription and on the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.isp_billing | cls.isp_user).write({"company_ids": [(4, cls.company.id)]})
        cls.at_risk = cls.subscribe_active(date_start="2026-06-01")
        cls.quiet_customer = cls.new_customer("Siti Rahayu")
        cls.quiet = cls.subscribe_active(partner=cls.quiet_customer, date_start="2026-06-01")
        cls.newcomer = cls.subscribe_active(partner=cls.new_customer("Eko"), date_start="2026-11-20")
        usage = []
        last = TODAY - timedelta(days=1)
        for subscription, volumes in ((cls.at_risk, (4, 40, 40, 40)), (cls.quiet, (50, 48, 52, 50))):
            for window, gb in enumerate(volumes):
                usage.append(
                    {
                        "subscription_id": subscription.id,
                        "day": last - timedelta(days=30 * window + 3),
                        "bytes_down": gb * GB * 0.9,
                        "bytes_up": gb * GB * 0.1,
                    }
                )
        usage.append({"subscription_id": cls.newcomer.id, "day": last, "bytes_down": 1.0, "bytes_up": 0})
        cls.env["isp.usage.daily"].create(usage)
        # One invoice paid 20 days late, one overdue now: for the customer at risk.
        paid_late = cls.make_invoice(cls.customer, date(2026, 9, 1))
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid_late.ids
        ).create({"payment_date": date(2026, 9, 21)}).action_create_payments()
        cls.make_invoice(cls.customer, date(2026, 11, 1))
        cls.make_invoice(cls.quiet_customer, date(2026, 12, 15))  # not due yet
        # Suspended once for debt, then reconnected; once on request (does not count).
        cls.at_risk._suspend(reason="Invoice overdue", for_debt=True)
        cls.quiet._suspend(reason="Holiday")
        (cls.at_risk | cls.quiet).suspension_ids.date_from = date(2026, 10, 10)
        (cls.at_risk | cls.quiet)._reconnect()

    @classmethod
    def make_invoice(cls, partner, due):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=14),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    (0, 0, {"product_id": cls.plan.id, "price_unit": 100000, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        move.isp_invoice = True
        return move

    def test_reasons_and_score(self):
        self.env["isp.subscription"]._update_churn_risk(TODAY)
        risk = self.at_risk.with_user(self.isp_billing)
        codes = [reason["code"] for reason in risk.churn_risk_data]
        self.assertEqual(codes, ["usage_drop", "overdue", "debt_suspensions", "late_payments"])
        self.assertEqual(risk.churn_risk_data[0]["values"], {"percent": 90, "now_gb": 4.0, "before_gb": 40.0})
        self.assertEqual(risk.churn_risk_score, 30 + 10 + 10 + 5)
        self.assertEqual(risk.churn_risk_level, "high")
        self.assertIn("Usage down 90%: 4.0 GB in the last 30 days against 40.0 GB", risk.churn_risk_reasons)
        self.assertIn("1 invoices paid late in the last 12 months (+5)", risk.churn_risk_reasons)
        self.assertIn("Suspended 1 times for debt", risk.churn_risk_reasons)
        self.assertEqual((self.quiet.churn_risk_score, self.quiet.churn_risk_level), (0, "none"))
        self.assertEqual(self.newcomer.churn_risk_score, 0, "a newcomer's first days are no drop")
        self.assertEqual(self.at_risk.churn_risk_date, TODAY)

    def test_customer_form_and_list(self):
        self.env["isp.subscription"]._update_churn_risk(TODAY)
        customer = self.customer.with_user(self.isp_billing)
        self.assertEqual(customer.isp_churn_risk_score, 55)
        self.assertIn("invoices overdue now", customer.isp_churn_risk_reasons)
        action = self.at_risk.with_user(self.isp_billing).action_open_churn_risk()
        listed = (
            self.env["isp.subscription"]
            .with_user(self.isp_billing)
            .search(literal_eval(action["domain"]), order="churn_risk_score desc")
        )
        self.assertEqual(listed[:1], self.at_risk)
        self.assertNotIn(self.quiet, listed)
        with self.assertRaises(AccessError):
            self.at_risk.with_user(self.isp_user).action_open_churn_risk()

    def test_leaving_the_service_clears_the_risk(self):
        self.env["isp.subscription"]._update_churn_risk(TODAY)
        self.at_risk._terminate(TODAY)
        self.env["isp.subscription"]._update_churn_risk(TODAY)
        self.assertEqual(self.at_risk.churn_risk_score, 0)
        self.assertFalse(self.at_risk.churn_risk_reasons)

    def test_cron_runs(self):
        self.assertTrue(self.env.ref("isp_subscription.ir_cron_update_churn_risk").active)
        self.assertTrue(self.env["isp.subscription"]._cron_update_churn_risk())

    def test_repeated_tickets_once_the_helpdesk_exists(self):
        if "helpdesk.ticket" not in self.env:
            self.assertIsNone(self.env["isp.subscription"]._churn_tickets(TODAY, {self.customer.id}))
            return
        Ticket = self.env["helpdesk.ticket"]
        Ticket.create(
            [
                {"name": f"Slow {n}", "description": "Slow", "partner_id": self.quiet_customer.id}
                for n in range(3)
            ]
        )
        self.env["isp.subscription"]._update_churn_risk(TODAY)
        self.assertEqual(self.quiet.churn_risk_data[0]["code"], "tickets")
        self.assertEqual(self.quiet.churn_risk_score, 24)
