# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(cls.env, "isp_dashboard_billing", groups="isp_base.group_isp_billing")
        cls.isp_user = new_test_user(cls.env, "isp_dashboard_user", groups="isp_base.group_isp_user")
        plan = (
            cls.env["product.template"]
            .create(
                {
                    "name": "Tour Plan",
                    "is_isp_plan": True,
                    "type": "service",
                    "list_price": 100000,
                    "download_kbps": 10000,
                    "upload_kbps": 5000,
                }
            )
            .product_variant_id
        )
        customer = cls.env["res.partner"].create(
            {"name": "Tour Customer", "is_isp_customer": True, "country_id": cls.env.ref("base.id").id}
        )
        cls.suspended = cls.env["isp.subscription"].create({"partner_id": customer.id, "product_id": plan.id})
        cls.suspended.action_activate()
        cls.suspended.action_suspend(reason="Tour")

    def app_action(self, user):
        """The action the ISP app opens on for ``user`` (what the web client's menu gives it)."""
        root = self.env.ref("isp_base.menu_isp_root")
        menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(debug=False)
        return menus[root.id]["actionID"]

    def test_isp_app_opens_on_the_dashboard_for_billing_only(self):
        dashboard = self.env.ref("isp_subscription.action_isp_dashboard")
        self.assertEqual(self.app_action(self.billing), dashboard.id)
        self.assertNotEqual(self.app_action(self.isp_user), dashboard.id)
        self.assertTrue(self.app_action(self.isp_user))

    def test_dashboard_tour(self):
        """As a billing user: the dashboard shows its figures, Suspended opens the list."""
        self.start_tour(
            "/odoo/action-isp_subscription.action_isp_dashboard",
            "isp_dashboard_tour",
            login="isp_dashboard_billing",
        )

    def test_get_kpis_over_xmlrpc(self):
        """An outside client reads the figures as a billing user; an ISP user is refused."""
        db = self.env.cr.dbname
        kpis = self.xmlrpc_object.execute_kw(
            db, self.billing.id, self.billing.login, "isp.dashboard", "get_kpis", []
        )
        figures = {figure["key"]: figure for figure in kpis["figures"]}
        self.assertGreaterEqual(figures["suspended"]["value"], 1)
        self.assertEqual(figures["suspended"]["action"]["res_model"], "isp.subscription")
        with self.assertRaisesRegex(Exception, "Only ISP staff"):
            self.xmlrpc_object.execute_kw(
                db, self.isp_user.id, self.isp_user.login, "isp.dashboard", "get_kpis", []
            )
