# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.isp_subscription.tests.common import IspSubscriptionCommon


@tagged("post_install", "-at_install")
class TestTariffBuilder(IspSubscriptionCommon):
    """Prospects turned into a plan, a price and a quotation by a salesperson; the confirmed
    quotation becomes a draft subscription with its installation charge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only this test's plans are on sale.
        cls.env["product.product"].search([("is_isp_plan", "=", True)]).write({"sale_ok": False})
        Template = cls.env["product.template"]
        cls.home10 = Template.create(
            cls.plan_vals(
                name="Home 10",
                list_price=166500,
                download_kbps=10000,
                data_cap_gb=300,
                fup_download_kbps=2000,
                fup_upload_kbps=1000,
                overage_price_per_gb=5000,
                installation_fee=250000,
            )
        ).product_variant_id
        cls.home20 = Template.create(
            cls.plan_vals(name="Home 20", list_price=250000, download_kbps=20000, installation_fee=250000)
        ).product_variant_id
        cls.family50 = Template.create(
            cls.plan_vals(name="Family 50", list_price=450000, download_kbps=50000, installation_fee=250000)
        ).product_variant_id
        cls.business50 = Template.create(
            cls.plan_vals(
                name="Business 50",
                list_price=900000,
                download_kbps=50000,
                connection_type="static_ip",
                installation_fee=500000,
            )
        ).product_variant_id
        cls.static_ip = cls.env.ref("isp_sale.product_static_ip")
        cls.static_ip.lst_price = 100000
        cls.tv = cls.env["product.product"].create(
            {"name": "TV Package", "type": "service", "list_price": 50000}
        )
        cls.salesman = new_test_user(
            cls.env, "isp_salesman", groups="sales_team.group_sale_salesman,isp_base.group_isp_user"
        )
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Toko Makmur", "country_id": cls.indonesia.id, "mobile": "0813 2222 3333"}
        )

    def builder(self, **values):
        return self.env["isp.tariff.builder"].with_user(self.salesman).create(values)

    def test_prospects(self):
        single = self.builder(users=1, traffic_gb=100)
        self.assertEqual(single.plan_id, self.home10)
        self.assertEqual((single.monthly_cost, single.installation_fee), (166500, 250000))
        self.assertIn("1 users need about 5 Mbit/s", single.explanation)
        self.assertIn("100 GB a month fits within the plan's 300 GB", single.explanation)

        streamer = self.builder(users=2, traffic_gb=500)
        self.assertEqual(streamer.plan_id, self.home20, "200 GB of overage makes Home 10 dearer")
        self.assertIn("No data cap", streamer.explanation)

        family = self.builder(users=6, traffic_gb=200)
        self.assertEqual(family.plan_id, self.family50)

        shop = self.builder(
            users=10,
            traffic_gb=800,
            contract="yearly",
            static_ip=True,
            addon_product_ids=[(6, 0, self.tv.ids)],
        )
        self.assertEqual(
            shop.plan_id, self.family50, "Family 50 with a static IP add-on is cheaper than Business 50"
        )
        self.assertEqual(shop.monthly_cost, 600000)
        self.assertEqual(shop.monthly_price, 540000)
        self.assertEqual(shop.contract_price, 6480000)
        self.assertIn("static IP is an add-on", shop.explanation)
        self.assertIn("yearly contract takes 10", shop.explanation)

        no_add_on = self.builder(users=3, traffic_gb=100, static_ip=True, static_ip_product_id=False)
        self.assertEqual(no_add_on.plan_id, self.business50)
        self.assertIn("included in this plan", no_add_on.explanation)

    def test_quotation_to_subscription(self):
        wizard = self.builder(
            partner_id=self.prospect.id,
            users=10,
            traffic_gb=800,
            contract="yearly",
            static_ip=True,
            addon_product_ids=[(6, 0, self.tv.ids)],
        )
        action = wizard.action_create_quotation()
        order = self.env["sale.order"].with_user(self.salesman).browse(action["res_id"])
        self.assertEqual(order.isp_plan_id, self.family50)
        self.assertEqual(
            [(line.isp_role, line.product_uom_qty, line.discount) for line in order.order_line],
            [("plan", 12, 10), ("static_ip", 12, 10), ("addon", 12, 10), ("installation", 1, 0)],
        )
        self.assertAlmostEqual(order.amount_untaxed, 6480000 + 250000)
        self.assertIn("Why Family 50", order.note or "")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.invoice_status, "no", "billed by the subscription, never twice")
        subscription = order.isp_subscription_ids
        self.assertEqual(len(subscription), 1)
        self.assertEqual(subscription.state, "draft")
        self.assertEqual(subscription.product_id, self.family50)
        self.assertEqual(subscription.partner_id, self.prospect)
        self.assertTrue(self.prospect.is_isp_customer)
        self.assertEqual(self.prospect.mobile, "+6281322223333")
        self.assertEqual(
            sorted(subscription.addon_ids.mapped("product_id").ids), sorted((self.static_ip | self.tv).ids)
        )
        installation = subscription.charge_ids
        self.assertEqual((installation.kind, installation.price_unit), ("installation", 250000))
        order._isp_create_subscriptions()  # once only
        self.assertEqual(len(order.isp_subscription_ids), 1)
        # Installed: activated by billing, the installation charged once, the discount every month.
        subscription.with_user(self.isp_billing).action_activate()
        charges = subscription.charge_ids
        self.assertEqual(len(charges.filtered(lambda c: c.kind == "installation")), 1)
        discounts = charges.filtered(lambda c: c.kind == "credit")
        self.assertEqual(len(discounts), 12)
        self.assertEqual(set(discounts.mapped("price_unit")), {-60000})  # 10 % of 450,000 + 100,000 + 50,000
        self.assertEqual(subscription.isp_contract_months, 12)
        self.assertEqual(order.action_view_isp_subscriptions()["res_id"], subscription.id)

    def test_monthly_quotation_and_refusals(self):
        with self.assertRaises(UserError):
            self.builder(users=1, traffic_gb=10).action_create_quotation()
        action = self.builder(partner_id=self.prospect.id, users=1, traffic_gb=100).action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual([line.product_uom_qty for line in order.order_line], [1, 1])
        order.action_confirm()
        subscription = order.isp_subscription_ids
        subscription.action_activate()
        self.assertFalse(subscription.charge_ids.filtered(lambda c: c.kind == "credit"))
        self.assertEqual(len(subscription.charge_ids), 1)
