# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The NAS's RouterOS API access, which isp_network adds to isp_base's NAS: its checks, who
reads the credentials, and the demo routers' access."""

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.isp_base.tests.common import IspBaseCommon

from ..lib import demo_routers


@tagged("post_install", "-at_install")
class TestNasApiAccess(IspBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nas = cls.env["isp.nas"].create(
            {
                "name": "CCR",
                "ip_address": "10.1.0.1",
                "site_id": cls.pop.id,
                "radius_secret": "s3cret",
                "api_username": "api",
                "api_password": "pa55",
            }
        )

    def test_api_port_and_timeout(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["isp.nas"].create({"name": "CCR", "ip_address": "10.0.0.2", "api_port": 70000})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["isp.nas"].create({"name": "CCR", "ip_address": "10.0.0.3", "api_timeout": 0})
        self.assertEqual((self.nas.api_port, self.nas.api_timeout), (8728, 10))

    def test_ssl_switches_the_default_port_only(self):
        form = Form(self.env["isp.nas"].with_user(self.isp_manager))
        form.name = "CCR SSL"
        form.ip_address = "10.0.0.4"
        form.api_use_ssl = True
        self.assertEqual(form.api_port, 8729)
        form.api_use_ssl = False
        self.assertEqual(form.api_port, 8728)
        form.api_port = 8000
        form.api_use_ssl = True
        self.assertEqual(form.api_port, 8000)

    def test_technician_sets_the_api_without_its_credentials(self):
        env = self.env(user=self.isp_technician)
        nas = env["isp.nas"].create({"name": "CCR2", "ip_address": "10.1.0.2", "site_id": self.pop.id})
        nas.write({"api_port": 8729, "api_use_ssl": True, "api_host": "router.example.net"})
        tech_nas = env["isp.nas"].browse(self.nas.id)
        self.assertEqual(tech_nas.api_port, 8728)
        for field in ("api_username", "api_password"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                tech_nas.read([field])
            with self.subTest(field=field), self.assertRaises(AccessError):
                tech_nas.write({field: "changed"})
        self.assertNotIn("api_password", tech_nas.fields_get())
        self.assertIn("api_port", tech_nas.fields_get())

    def test_users_and_billing_read_the_api_but_not_its_credentials(self):
        for user in (self.isp_user, self.isp_billing):
            nas = self.env(user=user)["isp.nas"].browse(self.nas.id)
            with self.subTest(user=user.login):
                self.assertEqual(nas.api_port, 8728)
                with self.assertRaises(AccessError):
                    nas.read(["api_password"])
                with self.assertRaises(AccessError):
                    nas.write({"api_port": 8729})

    def test_manager_reads_and_sets_the_credentials(self):
        nas = self.env(user=self.isp_manager)["isp.nas"].browse(self.nas.id)
        self.assertEqual((nas.api_username, nas.api_password), ("api", "pa55"))
        nas.api_password = "n3w"
        self.assertEqual(self.nas.api_password, "n3w")

    def test_copy_leaves_the_credentials_behind(self):
        copy = self.nas.copy({"ip_address": "10.1.0.3"})
        self.assertFalse(copy.api_username or copy.api_password)


@tagged("post_install", "-at_install")
class TestDemoRouters(IspBaseCommon):
    def test_demo_routers_have_their_api_access(self):
        if not self.env.ref("isp_base.demo_plan_home10", raise_if_not_found=False):
            self.skipTest("database without demo data")
        demo_nas = self.env["isp.nas"].search(
            [
                ("company_id", "=", self.env.ref("base.main_company").id),
                ("site_id.code", "in", ["JOG", "SLM", "BTL"]),
            ]
        )
        self.assertEqual(len(demo_nas), 3)
        for nas in demo_nas:
            expected = demo_routers.api_access(nas.site_id.code, nas.ip_address)
            with self.subTest(nas=nas.name):
                self.assertEqual({name: nas[name] for name in expected}, expected)

    def test_generated_network_has_api_access(self):
        """What benchmarks use: a company's whole network, routers with their API access."""
        company = self.env["res.company"].create({"name": "Bench ISP"})
        result = self.env["isp.demo.generator"]._generate(2, company_id=company.id)
        self.assertEqual(len(result["nas"]), 3)
        for nas in result["nas"]:
            with self.subTest(nas=nas.name):
                self.assertEqual(nas.api_username, demo_routers.API_USER)
                self.assertEqual(nas.api_password, f"demo-{nas.site_id.code.lower()}-api")
                self.assertEqual((nas.api_port, nas.api_use_ssl, nas.api_host), (8729, True, nas.ip_address))

    def test_generate_router_access_is_for_system_administrators(self):
        company = self.env["res.company"].create({"name": "Old ISP"})
        nas = self.env["isp.nas"].create(
            {
                "name": "CCR2004 Yogyakarta",
                "ip_address": "10.10.1.1",
                "site_id": self.env["isp.site"]
                .create({"name": "POP", "code": "JOG", "company_id": company.id})
                .id,
                "company_id": company.id,
            }
        )
        for user in (self.isp_technician, self.isp_manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "system administrators"):
                self.env(user=user)["isp.demo.generator"].generate_router_access()
        admin = new_test_user(self.env, "isp_sysadmin", groups="base.group_system,isp_base.group_isp_user")
        given = self.env(user=admin)["isp.demo.generator"].generate_router_access()
        self.assertIn(nas.id, given)
        self.assertEqual((nas.api_username, nas.api_password), ("odoo-api", "demo-jog-api"))
        self.assertNotIn(nas.id, self.env(user=admin)["isp.demo.generator"].generate_router_access())
