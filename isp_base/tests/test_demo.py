# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestDemo(IspBaseCommon):
    def test_demo_isp_is_loaded(self):
        if not self.env.ref("isp_base.demo_plan_home10", raise_if_not_found=False):
            self.skipTest("database without demo data")
        customers = self.env["res.partner"].search([("is_isp_customer", "=", True)])
        self.assertGreaterEqual(len(customers), 500)
        self.assertTrue(all(c.mobile.startswith("+62") for c in customers))
        self.assertEqual(len(customers.mapped("national_id")), len(customers))
        sites = self.env["isp.site"].search([])
        self.assertEqual(set(sites.mapped("site_type")), {"pop", "tower", "access_point", "olt"})
        self.assertEqual(len(self.env["isp.nas"].search([])), 3)
        home10 = self.env.ref("isp_base.demo_plan_home10")
        self.assertEqual(home10.list_price, 166500)
        # IDR when isp_base's demo could switch the company; with accounting installed first
        # (entries, or a chart of accounts in another currency) the company's currency stays.
        self.assertEqual(home10.currency_id, self.env.company.currency_id)

    def test_generator_fills_another_company(self):
        """What benchmarks use: a whole network and N customers in a company of their own."""
        company = self.env["res.company"].create({"name": "Bench ISP"})
        result = self.env["isp.demo.generator"]._generate(25, company_id=company.id)
        self.assertEqual(len(result["customers"]), 25)
        self.assertEqual(result["customers"].company_id, company)
        self.assertEqual(result["sites"]["JOG"].company_id, company)
        self.assertEqual(company.currency_id, self.env.ref("base.IDR"))
        self.assertTrue(all(c.isp_site_id.site_type == "access_point" for c in result["customers"]))

    def test_generate_is_for_system_administrators_and_answers_ids(self):
        """``generate`` is callable over RPC: refused to ISP staff, and answers what RPC can carry."""
        company = self.env["res.company"].create({"name": "RPC ISP"})
        for user in (self.isp_billing, self.isp_manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "system administrators"):
                self.env(user=user)["isp.demo.generator"].generate(1, company_id=company.id)
        admin = new_test_user(self.env, "isp_sysadmin", groups="base.group_system,isp_base.group_isp_user")
        result = self.env(user=admin)["isp.demo.generator"].generate(3, company_id=company.id)
        self.assertTrue(all(isinstance(ids, list) for ids in result.values()), result)
        self.assertNotIn("rows", result)
        xmlrpc.client.dumps((result,), allow_none=False)  # marshals
        customers = self.env["res.partner"].browse(result["customers"])
        self.assertEqual(len(customers), 3)
        self.assertEqual(customers.company_id, company)
        self.assertEqual(self.env["isp.site"].browse(result["sites"]).company_id, company)
        self.assertEqual(len(result["nas"]), 3)
