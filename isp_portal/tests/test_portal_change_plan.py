# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo.tests import tagged

from .test_portal_common import IspPortalCommon


@tagged("post_install", "-at_install")
class TestPortalChangePlan(IspPortalCommon):
    def plan_url(self, subscription=None):
        return f"/my/services/{(subscription or self.sub_a).id}/plan"

    def test_offered_plans(self):
        self.env["product.template"].create(
            self.plan_vals(name="Test Hotspot Day", connection_type="hotspot", list_price=500000)
        )
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open(self.plan_url()).text
        self.assertIn("Test 50 Mbps", page)
        self.assertIn("Test 5 Mbps", page)
        self.assertNotIn("Test Hotspot Day", page, "another connection type needs a technician")
        self.assertIn("From today", page, "the upgrade")
        self.assertNotIn("Test Business 100", page, "not a self-service plan")
        self.assertNotIn(f'data-plan-name="{self.capped_plan.name}"', page, "not the current plan")
        response = self.url_open(f"{self.plan_url()}?plan_id={self.staff_plan.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 404)

    def test_preview_is_the_wizards(self):
        wizard = self.env["isp.subscription.change.plan"].create(
            {"subscription_id": self.sub_a.id, "product_id": self.faster_plan.id}
        )
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open(f"{self.plan_url()}?plan_id={self.faster_plan.id}").text
        self.assertIn("o_isp_plan_preview", page)
        currency = self.sub_a.currency_id
        for amount in (wizard.credit_amount, wizard.charge_amount, wizard.difference):
            formatted = f"{amount:,.{currency.decimal_places}f}"
            self.assertIn(formatted, page)

    def test_upgrade_now_same_charges_as_the_backend(self):
        """Two identical subscriptions: one upgraded by ISP Billing with the wizard, one by the
        customer in the portal. Same plan history, same charges."""
        self.sub_a.sudo().billed_until = self.sub_a._usage_period(self.today)[1]
        twin = self.subscribe(
            self.capped_plan, date_start=self.sub_a.date_start, billed_until=self.sub_a.billed_until
        )
        twin.action_activate()
        self.env["isp.subscription.change.plan"].with_user(self.isp_billing).create(
            {"subscription_id": twin.id, "product_id": self.faster_plan.id}
        ).action_confirm()
        self.authenticate("isp_portal_a", "isp_portal_a")
        token = self.csrf_token(f"{self.plan_url()}?plan_id={self.faster_plan.id}")
        response = self.url_open(self.plan_url(), data={"plan_id": self.faster_plan.id, "csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your new plan is active", response.text)
        self.assertEqual(self.sub_a.product_id, self.faster_plan)
        self.assertEqual(twin.product_id, self.faster_plan)

        def charges(subscription):
            return sorted(
                (c.price_unit, c.kind, c.product_id.id)
                for c in subscription.charge_ids.filtered(lambda c: c.kind == "plan_change")
            )

        self.assertTrue(charges(twin))
        self.assertEqual(charges(self.sub_a), charges(twin))
        self.assertEqual(
            [(p.date_from, p.product_id) for p in self.sub_a.plan_period_ids.sorted("date_from")],
            [(p.date_from, p.product_id) for p in twin.plan_period_ids.sorted("date_from")],
        )

    def test_downgrade_from_next_period(self):
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open(f"{self.plan_url()}?plan_id={self.cheaper_plan.id}").text
        period_last = self.sub_a._usage_period(self.today)[1]  # monthly billing, the same periods
        self.assertIn("Price per period", page)
        token = self.csrf_token(f"{self.plan_url()}?plan_id={self.cheaper_plan.id}")
        response = self.url_open(self.plan_url(), data={"plan_id": self.cheaper_plan.id, "csrf_token": token})
        self.assertIn("starts with your next billing period", response.text)
        self.assertEqual(self.sub_a.product_id, self.capped_plan, "still the current plan this period")
        self.assertEqual(self.sub_a.pending_product_id, self.cheaper_plan)
        self.assertEqual(self.sub_a.pending_product_date, period_last + timedelta(days=1))

    def test_not_self_service_plan_refused_when_posted(self):
        self.authenticate("isp_portal_a", "isp_portal_a")
        token = self.csrf_token(f"{self.plan_url()}?plan_id={self.faster_plan.id}")
        response = self.url_open(
            self.plan_url(), data={"plan_id": self.staff_plan.id, "csrf_token": token}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            self.plan_url(), data={"plan_id": "not-a-number", "csrf_token": token}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.sub_a.product_id, self.capped_plan)
        self.assertFalse(self.sub_a.pending_product_id)

    def test_terminated_subscription_cannot_change(self):
        self.sub_a._terminate()
        self.authenticate("isp_portal_a", "isp_portal_a")
        self.assertEqual(self.url_open(self.plan_url(), allow_redirects=False).status_code, 404)
        self.assertEqual(self.url_open(f"/my/services/{self.sub_a.id}").status_code, 200)

    def test_refused_change_is_explained(self):
        """The billing rule refuses a change before the start date: the page says why and
        nothing changes (the wizard's own error)."""
        later = self.subscribe(
            self.plan, date_start=self.today + timedelta(days=5), pppoe_username="portal-a2"
        )
        later.action_activate()
        self.authenticate("isp_portal_a", "isp_portal_a")
        token = self.csrf_token(f"{self.plan_url(later)}?plan_id={self.faster_plan.id}")
        response = self.url_open(
            self.plan_url(later), data={"plan_id": self.faster_plan.id, "csrf_token": token}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert-danger", response.text)
        self.assertIn("cannot change before", response.text)
        self.assertEqual(later.product_id, self.plan)
        self.assertFalse(later.pending_product_id)
