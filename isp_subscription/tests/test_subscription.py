# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import IspSubscriptionCommon


@tagged("post_install", "-at_install")
class TestSubscription(IspSubscriptionCommon):
    def test_new_subscription_gets_reference_and_credentials(self):
        subscription = self.subscribe()
        self.assertEqual(subscription.state, "draft")
        self.assertTrue(subscription.name.startswith("SUB/"))
        self.assertEqual(subscription.pppoe_username, self.customer.isp_customer_number.lower())
        self.assertEqual(len(subscription.pppoe_password), 12)
        self.assertEqual(subscription.billing_period, "monthly")
        second = self.subscribe()
        self.assertEqual(second.pppoe_username, f"{subscription.pppoe_username}-2")
        self.assertNotEqual(second.pppoe_password, subscription.pppoe_password)

    def test_site_defaults_to_the_customers(self):
        self.assertEqual(self.subscribe().site_id, self.pop)
        other = self.env["isp.site"].create({"name": "Other tower", "code": "OTW", "site_type": "tower"})
        self.assertEqual(self.subscribe(site_id=other.id).site_id, other)

    def test_life_cycle_is_logged(self):
        def move(method, *args, **kwargs):
            result = method(*args, **kwargs)
            # each move is its own transaction in real use; tracking is written at commit
            self.env.flush_all()
            self.env.cr.precommit.run()
            return result

        subscription = move(self.subscribe).with_context(tracking_disable=False)
        move(subscription.action_activate)
        self.assertEqual(subscription.state, "active")
        self.assertTrue(subscription.date_start)
        self.assertEqual(subscription.network_state, "active")
        self.assertEqual(subscription.rate_limit, "5M/10M")
        move(subscription.action_suspend, reason="Invoice INV/2026/0001 unpaid")
        self.assertEqual((subscription.state, subscription.network_state), ("suspended", "suspended"))
        self.assertFalse(subscription.rate_limit)
        move(subscription.action_reconnect)
        self.assertFalse(subscription.suspension_reason)
        move(subscription.action_terminate)
        self.assertEqual(subscription.state, "terminated")
        self.assertTrue(subscription.date_end)
        tracked = subscription.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        self.assertEqual(
            sorted(tracked.mapped("new_value_char")), sorted(["Active", "Suspended", "Active", "Terminated"])
        )
        self.assertIn("INV/2026/0001", " ".join(subscription.message_ids.mapped("body")))

    def test_suspending_many_logs_one_note_each_as_text(self):
        subscriptions = self.subscribe() | self.subscribe()
        subscriptions._activate()
        subscriptions._suspend(reason="Invoice <b>INV/1</b> & co. unpaid", for_debt=True)
        for subscription in subscriptions:
            notes = subscription.message_ids.filtered(lambda m: "Suspended:" in str(m.body))
            self.assertEqual(len(notes), 1)
            self.assertIn("Invoice &lt;b&gt;INV/1&lt;/b&gt; &amp; co. unpaid", str(notes.body))
            self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))
            self.assertFalse(notes.notification_ids, "a suspension note notifies nobody")

    def test_forbidden_moves_are_refused(self):
        subscription = self.subscribe()
        with self.assertRaisesRegex(UserError, "is Draft: it cannot become Suspended"):
            subscription._suspend()
        subscription.action_activate()
        with self.assertRaisesRegex(UserError, "cannot become Active"):
            subscription.action_activate()
        subscription._terminate()
        for move in (
            subscription.action_reconnect,
            subscription.action_suspend,
            subscription.action_terminate,
        ):
            with self.subTest(move=move.__name__), self.assertRaises(UserError):
                move()

    def test_fair_usage_speed(self):
        subscription = self.subscribe(self.capped_plan)
        subscription.action_activate()
        subscription._set_fair_usage()
        self.assertEqual((subscription.network_state, subscription.rate_limit), ("fair_usage", "1M/2M"))
        subscription._set_fair_usage(False)
        self.assertEqual(subscription.rate_limit, "5M/10M")

    def test_static_ip_plans_need_a_valid_unique_address(self):
        subscription = self.subscribe(self.static_plan)
        with self.assertRaisesRegex(ValidationError, "needs a static IP"):
            subscription.action_activate()
        with self.assertRaisesRegex(ValidationError, "not a valid IPv4"):
            subscription.static_ip = "203.0.113.300"
        subscription.static_ip = " 203.0.113.10 "
        subscription.action_activate()
        self.assertEqual(subscription.static_ip, "203.0.113.10")

    def test_only_customers_subscribe(self):
        partner = self.env["res.partner"].create({"name": "Not a customer"})
        with self.assertRaisesRegex(ValidationError, "is not an ISP customer"):
            self.env["isp.subscription"].create({"partner_id": partner.id, "product_id": self.plan.id})

    def test_password_is_for_network_staff_only(self):
        subscription = self.subscribe()
        billing = self.env(user=self.isp_billing)["isp.subscription"].browse(subscription.id)
        self.assertTrue(billing.pppoe_username)
        with self.assertRaises(AccessError):
            billing.read(["pppoe_password"])
        technician = self.env(user=self.isp_technician)["isp.subscription"].browse(subscription.id)
        self.assertEqual(technician.pppoe_password, subscription.pppoe_password)

    def test_billing_staff_run_the_life_cycle(self):
        subscription = self.env(user=self.isp_billing)["isp.subscription"].create(
            {"partner_id": self.customer.id, "product_id": self.plan.id}
        )
        subscription.action_activate()
        subscription.action_suspend()
        with self.assertRaises(AccessError):
            self.env(user=self.isp_user)["isp.subscription"].browse(subscription.id).action_reconnect()


@tagged("post_install", "-at_install")
class TestSubscriptionDemoAndTranslations(IspSubscriptionCommon):
    def test_demo_customers_have_subscriptions(self):
        if not self.env.ref("isp_base.demo_plan_home10", raise_if_not_found=False):
            self.skipTest("database without demo data")
        subscriptions = self.env["isp.subscription"].search([("suspension_reason", "like", "Demo")])
        self.assertTrue(subscriptions)
        demo = self.env["isp.subscription"].search([("pppoe_username", "like", "c0")])
        self.assertGreaterEqual(len(demo), 500)
        self.assertEqual(set(demo.mapped("state")), {"active", "suspended"})

    def test_benchmark_generator_makes_subscriptions(self):
        company = self.env["res.company"].create({"name": "Bench ISP"})
        result = self.env["isp.demo.generator"]._generate(20, company_id=company.id)
        self.assertEqual(len(result["subscriptions"]), 20)
        self.assertEqual(result["subscriptions"].partner_id, result["customers"])

    def test_errors_in_indonesian(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"].search([("name", "=", "isp_subscription")])._update_translations("id_ID")
        subscription = self.subscribe().with_context(lang="id_ID")
        with self.assertRaisesRegex(UserError, "berstatus Draf: tidak dapat menjadi Diisolir"):
            subscription._suspend()
