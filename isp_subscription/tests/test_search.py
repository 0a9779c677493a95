# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import IspSubscriptionCommon


@tagged("post_install", "-at_install")
class TestSubscriptionSearch(IspSubscriptionCommon):
    """Subscriptions (and customers) found by each key from the default search box and the
    dropdowns, as a billing user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.indonesia
        cls.customer.national_id = "3404010101010001"
        cls.subscription = cls.subscribe(pppoe_username="budi.home")
        cls.other = cls.env["res.partner"].create(
            cls.customer_vals(name="Siti Rahayu", mobile="0813 1111 2222")
        )
        cls.other_subscription = cls.subscribe(partner_id=cls.other.id, pppoe_username="siti.shop")
        cls.subscriptions = cls.env["isp.subscription"].with_user(cls.isp_billing)

    def box(self, text):
        return self.subscriptions.search([("isp_search", "ilike", text)]) & (
            self.subscription | self.other_subscription
        )

    def dropdown(self, text):
        found = self.subscriptions.name_search(text, limit=100)
        return self.subscriptions.browse([sid for sid, _name in found]) & (
            self.subscription | self.other_subscription
        )

    def assertFinds(self, text, subscription):
        self.assertEqual(self.box(text), subscription, f"search box: {text}")
        self.assertEqual(self.dropdown(text), subscription, f"dropdown: {text}")

    def test_the_default_field_searches_every_key(self):
        arch = self.subscriptions.get_view(view_type="search")["arch"]
        self.assertIn("('isp_search', 'ilike', self)", arch)

    def test_each_key(self):
        self.assertFinds(self.subscription.name, self.subscription)
        self.assertFinds(self.customer.isp_customer_number, self.subscription)
        self.assertFinds("BUDI.HOME", self.subscription)
        self.assertFinds("3404010101010001", self.subscription)
        self.assertFinds("0812-3456-7890", self.subscription)
        self.assertFinds("0813 1111", self.other_subscription)
        self.assertFinds("Siti", self.other_subscription)

    def test_customers_found_by_pppoe_username(self):
        partners = self.env["res.partner"].with_user(self.isp_billing)
        self.assertEqual(partners.search([("isp_search", "ilike", "siti.sh")]), self.other)
        found = [pid for pid, _name in partners.name_search("budi.home")]
        self.assertIn(self.customer.id, found)

    def test_a_user_without_subscriptions_still_searches_contacts(self):
        partners = self.env["res.partner"].with_user(self.env.ref("base.user_demo"))
        self.assertFalse(partners.search([("isp_search", "ilike", "siti.sh")]))
