# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from decimal import ROUND_HALF_UP, Decimal

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_incident import IspIncidentCommon


@tagged("post_install", "-at_install")
class TestOutageCredit(IspIncidentCommon):
    """An outage from 2026-11-10 08:00 to 2026-11-11 14:00 UTC: 30 hours, 1.25 days of
    November (30 days). Both customers are served below the POP and billed monthly from
    2026-10-01, postpaid; customers' time zone: UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second = cls.env["res.partner"].create(
            cls.customer_vals(name="Wati", mobile="0812-7777-8888", email="wati@example.com")
        )
        cls.second_subscription = cls.subscribe_active(cls.second, plan=cls.faster_plan, site_id=cls.tower.id)
        (cls.customer | cls.second).tz = "UTC"

    def resolve(self, incident, start="2026-11-10 08:00:00", end="2026-11-11 14:00:00"):
        with freeze_time(start):
            incident.with_user(self.isp_technician).action_open()
        with freeze_time(end):
            incident.with_user(self.isp_technician).action_resolve()

    def by_hand(self, monthly_price, hours, days_in_month=30):
        """The credit computed by hand: the daily price times the days of the outage."""
        rounding = Decimal(str(self.company.currency_id.rounding))
        amount = Decimal(monthly_price) / days_in_month * Decimal(hours) / 24
        return float((amount / rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP) * rounding)

    def test_automatic_credit_on_the_next_invoice(self):
        self.company.isp_outage_credit = "automatic"
        incident = self.make_incident()
        self.resolve(incident)
        outage_credits = incident.credit_ids
        self.assertEqual(outage_credits.subscription_id, self.subscription | self.second_subscription)
        self.assertEqual(set(outage_credits.mapped("state")), {"approved"})
        self.assertNotIn(
            self.other_subscription, outage_credits.subscription_id, "not affected: not credited"
        )
        expected = {
            self.subscription: self.by_hand(166500, 30),  # 6,937.50
            self.second_subscription: self.by_hand(450000, 30),  # 18,750.00
        }
        self.assertEqual(expected[self.subscription], 6937.5)
        self.invoice("2026-12-01")
        for subscription, amount in expected.items():
            invoice = self.invoices(subscription.partner_id)
            self.assertEqual(len(invoice), 1)
            lines = invoice.invoice_line_ids.filtered(lambda line: "Outage credit" in (line.name or ""))
            self.assertEqual(len(lines), 1, "one credit line per subscription")
            self.assertAlmostEqual(lines.price_subtotal, -amount)
            self.assertIn("POP down", lines.name)
            credit = outage_credits.filtered(lambda c, s=subscription: c.subscription_id == s)
            self.assertTrue(credit.invoiced)
            self.assertEqual(credit.charge_id.move_line_id, lines)
        invoices = self.invoices(self.customer) | self.invoices(self.second)
        total = sum(
            invoices.invoice_line_ids.filtered(lambda line: "Outage credit" in (line.name or "")).mapped(
                "price_subtotal"
            )
        )
        self.assertAlmostEqual(total, -(6937.5 + 18750.0))

    def test_one_credit_per_subscription_however_often_reopened(self):
        self.company.isp_outage_credit = "automatic"
        incident = self.make_incident()
        self.resolve(incident)
        self.resolve(incident, start="2026-11-12 08:00:00", end="2026-11-12 10:00:00")
        self.assertEqual(len(incident.credit_ids), 2)
        self.assertEqual(len(incident.credit_ids.charge_id), 2)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["isp.incident.credit"].create(
                {"incident_id": incident.id, "subscription_id": self.subscription.id, "amount": 1}
            )

    def test_credits_after_review(self):
        self.company.isp_outage_credit = "review"
        incident = self.make_incident()
        self.resolve(incident)
        outage_credits = incident.credit_ids
        self.assertEqual(set(outage_credits.mapped("state")), {"to_approve"})
        self.assertFalse(outage_credits.charge_id, "nothing reaches an invoice before approval")
        for user in (self.isp_technician, self.isp_user, self.helpdesk_agent):
            with self.assertRaises(AccessError):
                outage_credits.with_user(user).action_approve()
        first = outage_credits.filtered(lambda c: c.subscription_id == self.subscription)
        self.assertIs(first.with_user(self.isp_billing).action_approve(), True)
        self.assertEqual(first.state, "approved")
        self.assertEqual(first.charge_id.price_unit, -6937.5)
        self.assertEqual(first.charge_id.kind, "credit")
        self.assertEqual(first.approved_uid, self.isp_billing)
        with self.assertRaises(UserError):
            first.with_user(self.isp_billing).action_approve()
        second = outage_credits - first
        self.assertIs(second.with_user(self.isp_manager).action_refuse(), True)
        self.assertFalse(second.charge_id)
        self.invoice("2026-12-01")
        self.assertFalse(
            self.invoices(self.second).invoice_line_ids.filtered(
                lambda line: "Outage credit" in (line.name or "")
            )
        )

    def test_no_credit_when_off(self):
        self.assertEqual(self.company.isp_outage_credit, "off")
        incident = self.make_incident()
        self.resolve(incident)
        self.assertFalse(incident.credit_ids)

    def test_outage_across_two_periods(self):
        """From 2026-10-31 18:00 to 2026-11-01 06:00: 6 hours of October (31 days), 6 of November."""
        self.company.isp_outage_credit = "automatic"
        incident = self.make_incident(self.access_point)
        self.resolve(incident, start="2026-10-31 18:00:00", end="2026-11-01 06:00:00")
        self.assertAlmostEqual(
            incident.credit_ids.amount, self.by_hand(166500, 6, 31) + self.by_hand(166500, 6, 30)
        )
