# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Plan changes: every day is billed at the price of the plan the subscription had that day."""

import calendar
import random
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import IspBillingCommon

ONE_DAY = timedelta(days=1)


def add_months(day, months):
    """The same day ``months`` later, clamped to the month's end (written here again, apart
    from the code under test, to compute the expected amounts independently)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_containing(start, day):
    """(first, last) of the monthly period anchored on ``start`` that contains ``day``."""
    n = 0
    while add_months(start, n + 1) <= day:
        n += 1
    return add_months(start, n), add_months(start, n + 1) - ONE_DAY


@tagged("post_install", "-at_install")
class TestPlanChange(IspBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cheap_plan = (
            cls.env["product.template"]
            .create(cls.plan_vals(name="Lite 5 Mbps", download_kbps=5000, upload_kbps=2000, list_price=99000))
            .product_variant_id
        )
        cls.cheap_plan.taxes_id = cls.tax
        cls.isp_billing.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})

    def billing(self, records):
        return records.with_user(self.isp_billing).with_context(allowed_company_ids=[self.company.id])

    def test_postpaid_upgrade_on_the_first_day_of_a_period_bills_the_ended_one_at_the_old_price(self):
        """Home 10 from 10-30, upgrade on 11-30: the 11-30 run bills 10-30..11-29 as Home 10."""
        subscription = self.subscribe_active(date_start="2026-10-30")
        with freeze_time("2026-11-30"):
            self.billing(subscription).change_plan(self.faster_plan.id)
            self.assertEqual(subscription.product_id, self.faster_plan)
            self.invoice("2026-11-30")
        invoice = self.invoices(self.customer)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.plan)
        self.assertAlmostEqual(invoice.amount_untaxed, 166500)

    def test_postpaid_downgrade_applied_before_the_run_bills_the_ended_period_at_the_old_price(self):
        subscription = self.subscribe_active(plan=self.faster_plan, date_start="2026-11-01")
        with freeze_time("2026-11-10"):
            self.billing(subscription).change_plan(self.plan.id)
        self.assertEqual(subscription.product_id, self.faster_plan)
        self.assertEqual(subscription.pending_product_date, date(2026, 12, 1))
        with freeze_time("2026-12-01"):
            # The scheduled actions of the day, in the order they run.
            self.env["isp.subscription"]._cron_apply_pending_plans()
            self.assertEqual(subscription.product_id, self.plan)
            self.invoice("2026-12-01")
        self.assertAlmostEqual(self.invoices(self.customer).amount_untaxed, 450000)
        self.invoice("2027-01-01")
        self.assertAlmostEqual(self.invoices(self.customer)[-1].amount_untaxed, 166500)

    def test_prepaid_upgrade_is_adjusted_on_the_next_invoice_not_in_a_credit_note(self):
        subscription = self.subscribe_active(date_start="2026-11-01", payment_mode="prepaid")
        self.invoice("2026-11-01")
        self.assertEqual(subscription.billed_until, date(2026, 11, 30))
        with freeze_time("2026-11-16"):
            self.billing(subscription).change_plan(self.faster_plan.id)
            # The day's run, once more after the change, makes nothing for the same date.
            self.invoice("2026-11-16")
        self.assertEqual(len(self.invoices(self.customer)), 1)
        self.invoice("2026-12-01")
        invoices = self.invoices(self.customer)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(invoices.mapped("move_type"), ["out_invoice", "out_invoice"])
        lines = invoices[1].invoice_line_ids
        # December at the new price, plus 15 of 30 November days moved from 166,500 to 450,000.
        self.assertAlmostEqual(invoices[1].amount_untaxed, 450000 - 166500 / 2 + 450000 / 2)
        self.assertEqual(len(lines.filtered(lambda line: line.price_subtotal < 0)), 1)
        self.assertIn("Plan change credit", " ".join(lines.mapped("name")))

    def test_a_downgrade_can_be_made_now_and_is_credited(self):
        subscription = self.subscribe_active(
            plan=self.faster_plan, date_start="2026-11-01", payment_mode="prepaid"
        )
        self.invoice("2026-11-01")
        with freeze_time("2026-11-16"):
            self.billing(subscription).change_plan(self.plan.id, timing="now")
            self.assertEqual(subscription.product_id, self.plan)
        self.invoice("2026-12-01")
        invoice = self.invoices(self.customer)[-1]
        self.assertAlmostEqual(invoice.amount_untaxed, 166500 + (166500 - 450000) / 2)

    def test_the_wizard_shows_credit_and_charge_before_confirming(self):
        subscription = self.subscribe_active(date_start="2026-11-01")
        with freeze_time("2026-11-16"):
            action = self.billing(subscription).action_change_plan()
            wizard = Form(self.billing(self.env[action["res_model"]]).with_context(**action["context"]))
            wizard.product_id = self.faster_plan
            self.assertEqual(wizard.effective_date, date(2026, 11, 16))
            self.assertAlmostEqual(wizard.credit_amount, 166500 / 2)
            self.assertAlmostEqual(wizard.charge_amount, 450000 / 2)
            wizard.product_id = self.cheap_plan
            self.assertEqual(wizard.effective_date, date(2026, 12, 1))
            self.assertEqual(wizard.credit_amount, 0)
            wizard.timing = "now"
            self.assertEqual(wizard.effective_date, date(2026, 11, 16))
            wizard.save().action_confirm()
        self.assertEqual(subscription.product_id, self.cheap_plan)
        self.assertEqual(
            subscription.plan_period_ids.mapped("date_from"), [date(2026, 11, 1), date(2026, 11, 16)]
        )

    def test_bad_changes_are_refused(self):
        subscription = self.subscribe_active(date_start="2026-11-01")
        api = self.billing(subscription)
        with self.assertRaisesRegex(UserError, "service plan"):
            api.change_plan(self.env.ref("isp_subscription.product_late_fee").id)
        with self.assertRaisesRegex(UserError, "cannot change before"):
            api.change_plan(self.faster_plan.id, "2026-10-01")
        with self.assertRaisesRegex(UserError, "timing"):
            api.change_plan(self.faster_plan.id, timing="yesterday")
        subscription._terminate(date(2026, 11, 20))
        with self.assertRaisesRegex(UserError, "terminated"):
            api.change_plan(self.faster_plan.id, "2026-11-10")

    def test_every_day_is_billed_at_its_plan(self):
        """Random sequences of changes (upgrades, downgrades, several the same day, month ends),
        with runs on some days: the sum invoiced is the sum of each day's price."""
        plans = (self.cheap_plan, self.plan, self.faster_plan)
        rounding = self.company.currency_id.rounding
        for seed in range(12):
            rng = random.Random(seed)
            mode = rng.choice(("postpaid", "prepaid"))
            start = date(2026, 1, 28) + timedelta(days=rng.randrange(5))  # month ends included
            with self.subTest(seed=seed, mode=mode, start=start):
                customer = self.new_customer(f"Customer {seed}")
                first_plan = rng.choice(plans)
                subscription = self.subscribe_active(
                    customer, first_plan, date_start=start.isoformat(), payment_mode=mode
                )
                expected_timeline = [(start, first_plan)]
                day = start
                for __ in range(rng.randint(1, 5)):
                    day += timedelta(days=rng.choice((0, 0, 1, 3, 17, 30, 45)))
                    plan, timing = rng.choice(plans), rng.choice(("auto", "now", "next_period"))
                    with freeze_time(day):
                        if rng.random() < 0.5:
                            self.invoice(day.isoformat())
                        subscription.change_plan(plan.id, timing=timing)
                    current = [p for d, p in expected_timeline if d <= day][-1]
                    now = timing == "now" or (timing == "auto" and plan.lst_price > current.lst_price)
                    effective = day if now else month_containing(start, day)[1] + ONE_DAY
                    expected_timeline = [(d, p) for d, p in expected_timeline if d < effective]
                    expected_timeline.append((effective, plan))
                end = day + timedelta(days=rng.randrange(70))
                with freeze_time(end):
                    subscription.action_terminate()
                self.invoice((end + timedelta(days=40)).isoformat())
                expected = 0.0
                day = start
                while day <= end:
                    first, last = month_containing(start, day)
                    plan = [p for d, p in expected_timeline if d <= day][-1]
                    expected += plan.lst_price / ((last - first).days + 1)
                    day += ONE_DAY
                invoices = self.invoices(customer)
                invoiced = sum(invoices.mapped("amount_untaxed_signed"))
                lines = len(invoices.invoice_line_ids)
                self.assertAlmostEqual(invoiced, expected, delta=rounding * (lines + 1))
