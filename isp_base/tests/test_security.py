# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestSecurity(IspBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nas = cls.env["isp.nas"].create(
            {
                "name": "CCR",
                "ip_address": "10.1.0.1",
                "site_id": cls.pop.id,
                "radius_secret": "s3cret",
            }
        )

    def test_user_reads_but_does_not_change(self):
        env = self.env(user=self.isp_user)
        self.assertEqual(env["isp.site"].browse(self.pop.id).name, "Test POP")
        self.assertEqual(env["isp.nas"].browse(self.nas.id).ip_address, "10.1.0.1")
        with self.assertRaises(AccessError):
            env["isp.site"].create({"name": "X", "code": "X"})
        with self.assertRaises(AccessError):
            env["isp.nas"].browse(self.nas.id).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            env["product.template"].create(self.plan_vals())

    def test_billing_manages_customers_not_plans_nor_the_network(self):
        env = self.env(user=self.isp_billing)
        customer = env["res.partner"].create(self.customer_vals())
        self.assertTrue(customer.isp_customer_number)
        with self.assertRaises(AccessError):
            env["product.template"].create(self.plan_vals())
        with self.assertRaises(AccessError):
            env["isp.nas"].create({"name": "CCR2", "ip_address": "10.1.0.2"})
        with self.assertRaises(AccessError):
            env["isp.site"].browse(self.pop.id).write({"name": "Renamed"})

    def test_technician_manages_the_network_without_secrets(self):
        env = self.env(user=self.isp_technician)
        site = env["isp.site"].create({"name": "Tower", "code": "TW", "parent_id": self.pop.id})
        nas = env["isp.nas"].create({"name": "CCR2", "ip_address": "10.1.0.2", "site_id": site.id})
        nas.vendor = "cisco"
        with self.assertRaises(AccessError):
            nas.unlink()
        tech_nas = env["isp.nas"].browse(self.nas.id)
        with self.assertRaises(AccessError):
            tech_nas.read(["radius_secret"])
        with self.assertRaises(AccessError):
            tech_nas.write({"radius_secret": "changed"})
        self.assertNotIn("radius_secret", tech_nas.fields_get())

    def test_manager_can_do_everything(self):
        env = self.env(user=self.isp_manager)
        nas = env["isp.nas"].browse(self.nas.id)
        self.assertEqual(nas.radius_secret, "s3cret")
        nas.radius_secret = "n3w"
        env["isp.site"].create({"name": "Tmp", "code": "TMP"}).unlink()
        env["isp.nas"].create({"name": "Tmp", "ip_address": "10.1.0.9"}).unlink()

    def test_sites_and_nas_are_separated_by_company(self):
        other_company = self.env["res.company"].create({"name": "Other ISP"})
        foreign_site = self.env["isp.site"].create(
            {"name": "Far", "code": "FAR", "company_id": other_company.id}
        )
        foreign_nas = self.env["isp.nas"].create(
            {"name": "Far CCR", "ip_address": "10.9.0.1", "company_id": other_company.id}
        )
        env = self.env(user=self.isp_manager)
        self.assertFalse(env["isp.site"].search([("id", "=", foreign_site.id)]))
        self.assertFalse(env["isp.nas"].search([("id", "=", foreign_nas.id)]))
        with self.assertRaises(AccessError):
            env["isp.site"].browse(foreign_site.id).read(["name"])
        self.isp_manager.company_ids |= other_company
        env = self.env(user=self.isp_manager, context={"allowed_company_ids": [other_company.id]})
        self.assertEqual(env["isp.site"].search([("code", "=", "FAR")]).id, foreign_site.id)

    def test_demo_generation_is_for_system_administrators(self):
        for user in (self.isp_technician, self.isp_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env(user=user)["isp.demo.generator"].generate(1)
