# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The billing core as the staff who use it: roles, companies, lifecycle, bad input."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestRoles(IspBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.isp_user, cls.isp_billing, cls.isp_technician, cls.isp_manager):
            user.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})

    def as_user(self, user, records):
        return records.with_user(user).with_context(allowed_company_ids=[self.company.id])

    def test_every_isp_role_opens_subscriptions_with_the_amount_due(self):
        subscription = self.subscribe_active(date_start="2026-10-01")
        self.invoice("2026-11-01")
        due = subscription.amount_due
        self.assertGreater(due, 0)
        for user in (self.isp_user, self.isp_technician, self.isp_billing, self.isp_manager):
            with self.subTest(user=user.login):
                model = self.as_user(user, self.env["isp.subscription"])
                rows = model.web_search_read(
                    [("id", "=", subscription.id)], {"amount_due": {}, "to_suspend": {}, "name": {}}
                )["records"]
                self.assertEqual(rows[0]["amount_due"], due)
                self.assertFalse(model.search([("to_suspend", "=", True)]))

    def test_a_customer_suspended_and_paying_the_same_day_is_reconnected(self):
        subscription = self.subscribe_active(date_start="2026-10-01")
        self.invoice("2026-11-01")
        invoice = self.invoices(self.customer)
        with freeze_time("2026-11-20"):
            subscription._suspend(reason="Invoice unpaid", for_debt=True)
            self.assertEqual(subscription.state, "suspended")
            self.pay(invoice)
            self.assertEqual(subscription.state, "active")
            self.assertFalse(subscription.suspension_ids)
            subscription = self.as_user(self.isp_manager, subscription)
            subscription.action_suspend(reason="Customer asked")
            self.assertIs(subscription.action_reconnect(), True)
            self.assertEqual(subscription.state, "active")
        # No day was lost to a suspension: November is invoiced in full.
        self.invoice("2026-12-01")
        self.assertAlmostEqual(self.invoices(self.customer)[-1].amount_untaxed, 166500)

    def test_the_demo_subscriptions_suspended_today_can_be_reconnected(self):
        demo = self.env["isp.subscription"].search([("suspension_reason", "like", "Demo")], limit=20)
        if not demo:
            self.skipTest("database without demo data")
        demo.with_user(self.isp_manager).with_context(
            allowed_company_ids=demo.company_id.ids
        ).action_reconnect()
        self.assertEqual(set(demo.mapped("state")), {"active"})

    def test_public_actions_need_the_group_that_does_the_work(self):
        subscription = self.subscribe_active(date_start="2026-10-01")
        for user in (self.isp_user, self.isp_technician):
            record = self.as_user(user, subscription)
            for action, args in (
                ("action_suspend", ()),
                ("action_terminate", ()),
                ("change_plan", (self.faster_plan.id,)),
                ("action_change_plan", ()),
            ):
                with self.subTest(user=user.login, action=action), self.assertRaises(AccessError):
                    getattr(record, action)(*args)
        with self.assertRaises(AccessError):
            self.as_user(self.isp_billing, subscription).action_retry_provisioning()
        self.assertIs(self.as_user(self.isp_technician, subscription).action_retry_provisioning(), True)
        billing = self.as_user(self.isp_billing, subscription)
        self.assertIs(billing.action_suspend(), True)
        self.assertIs(billing.action_reconnect(), True)
        self.assertEqual(billing.action_change_plan()["res_model"], "isp.subscription.change.plan")
        self.assertIs(billing.action_terminate(), True)

    def test_usage_by_hand_is_for_managers_and_positive(self):
        subscription = self.subscribe_active(plan=self.capped_plan, date_start="2026-10-01")
        rows = [[subscription.id, "2026-10-05", 2000 * 10**9, 0, 0]]
        for user in (self.isp_user, self.isp_billing, self.isp_technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.as_user(user, self.env["isp.usage.daily"]).add_usage(rows)
        manager = self.as_user(self.isp_manager, self.env["isp.usage.daily"])
        for bad in (
            [[subscription.id, "2026-10-05", -500 * 10**9, 0, 0]],
            [[subscription.id, "2026-10-05", 0, 0, -1]],
            [[subscription.id, "2026-10-05", 10**18, 0, 0]],
            [[subscription.id, "not a day", 1, 0, 0]],
            [[subscription.id + 10**6, "2026-10-05", 1, 0, 0]],
            [[subscription.id, "2026-10-05", 1]],
        ):
            with self.subTest(rows=bad), self.assertRaises(UserError):
                manager.add_usage(bad)
        self.assertFalse(subscription.usage_ids)
        self.assertIs(manager.add_usage(rows), True)
        self.assertEqual(subscription.usage_ids.bytes_down, 2000 * 10**9)

    def test_only_drafts_are_deleted(self):
        draft = self.subscribe()
        active = self.subscribe_active(date_start="2026-10-01")
        manager = self.as_user(self.isp_manager, active)
        with self.assertRaisesRegex(UserError, "terminate it instead"):
            manager.unlink()
        manager.action_terminate()
        with self.assertRaisesRegex(UserError, "terminate it instead"):
            manager.unlink()
        self.as_user(self.isp_manager, draft).unlink()
        self.assertFalse(draft.exists())

    def test_a_started_subscription_keeps_its_customer_plan_and_dates(self):
        subscription = self.as_user(self.isp_billing, self.subscribe_active(date_start="2026-10-01"))
        with self.assertRaisesRegex(UserError, "Change Plan"):
            subscription.product_id = self.faster_plan
        for values in (
            {"billed_until": "2030-01-01"},
            {"date_start": "2026-01-01"},
            {"partner_id": self.new_customer("Other").id},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                subscription.write(values)
        # Writing a value it already has is no change.
        subscription.write({"product_id": self.plan.id, "site_id": self.pop.id})


@tagged("post_install", "-at_install")
class TestCompanies(IspBillingCommon):
    """A second company (a reseller, a second brand) sees nothing of the first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls.subscribe_active(date_start="2026-10-01")
        cls.subscription.addon_ids = [Command.create({"product_id": cls.plan.id, "price_unit": 1000})]
        cls.env["isp.usage.daily"]._add_usage([(cls.subscription.id, date(2026, 10, 2), 10, 10, 10)])
        with freeze_time("2026-10-10"):
            cls.subscription._suspend("test")
        cls.env["isp.subscription.charge"].create(cls.subscription._charge_values(5000, "Router"))
        run = cls.env["isp.invoice.run"].create({"date": "2026-11-01"})
        cls.env["isp.invoice.run.issue"].create(
            {"run_id": run.id, "partner_id": cls.customer.id, "message": "?"}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Reseller"})
        cls.other_billing = new_test_user(
            cls.env,
            "other_billing",
            groups="isp_base.group_isp_billing",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def test_the_other_company_sees_nothing(self):
        self.isp_billing.write(
            {"company_ids": [Command.link(self.company.id)], "company_id": self.company.id}
        )
        own = self.env(user=self.isp_billing, context={"allowed_company_ids": self.company.ids})
        env = self.env(user=self.other_billing, context={"allowed_company_ids": self.other_company.ids})
        for model in (
            "isp.subscription",
            "isp.usage.daily",
            "isp.subscription.suspension",
            "isp.subscription.addon",
            "isp.subscription.plan.period",
            "isp.subscription.charge",
            "isp.invoice.run.issue",
        ):
            with self.subTest(model=model):
                self.assertTrue(own[model].search([]), "the first company's staff see theirs")
                self.assertFalse(env[model].search([]))

    def test_links_stay_within_a_company(self):
        env = self.env(user=self.other_billing, context={"allowed_company_ids": self.other_company.ids})
        customer = env["res.partner"].create(self.customer_vals(name="Reseller customer", mobile=False))
        with self.assertRaisesRegex(UserError, "companies"):
            env["isp.subscription"].create(
                {"partner_id": customer.id, "product_id": self.plan.id, "site_id": self.pop.id}
            )


@tagged("post_install", "-at_install")
class TestInput(IspBillingCommon):
    def test_end_before_start_is_refused_and_nothing_changes(self):
        subscription = self.subscribe_active(date_start="2026-10-01")
        with self.assertRaisesRegex(UserError, "cannot end"):
            subscription.action_terminate("2026-09-30")
        self.assertEqual(subscription.state, "active")
        with self.assertRaisesRegex(UserError, "in advance"):
            subscription.action_terminate("2999-01-01")
        with self.assertRaisesRegex(UserError, "is not a date"):
            subscription.action_terminate("30/09/2026")

    def test_add_ons_are_not_negative(self):
        subscription = self.subscribe_active(date_start="2026-10-01")
        for values in ({"quantity": -1}, {"price_unit": -100000}):
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, "negative"):
                subscription.addon_ids = [Command.create({"product_id": self.plan.id, **values})]

    def test_usernames_differ_by_more_than_case_and_blanks(self):
        first = self.subscribe(pppoe_username="6281234567890")
        self.assertEqual(self.subscribe(pppoe_username=" budi@net ").pppoe_username, "budi@net")
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.subscribe(pppoe_username="BUDI@net")
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.subscribe(pppoe_username=" 6281234567890\t")
        self.assertEqual(first.pppoe_username, "6281234567890")

    def test_credentials_the_network_cannot_authenticate_are_refused(self):
        subscription = self.subscribe()
        for username in ("budi santoso", 'budi"', "budi'", "bu\\di", "búdi", "x" * 65, "tab\tbed"):
            with self.subTest(username=username), self.assertRaises(ValidationError):
                subscription.pppoe_username = username
        for password in ("pass word", "pa'ss", 'pa"ss', "pa\\ss", "pässword", "p" * 129):
            with self.subTest(password=password), self.assertRaises(ValidationError):
                subscription.pppoe_password = password
        subscription.write({"pppoe_username": "62812-345_67.890@hotspot", "pppoe_password": "p" * 128})
