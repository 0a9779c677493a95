# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""FreeRADIUS and RouterOS both active on the same subscriptions (the demo's default): their jobs
never update a row in common, so real job workers running them side by side get no
serialization error and run nothing twice."""

from odoo.tests import tagged
from odoo.tools import SQL

from .common import IspRadiusCommon

COUNT = 500


@tagged("post_install", "-at_install")
class TestBothBackends(IspRadiusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "routeros_managed" not in cls.env["isp.nas"]._fields:
            cls.router = None
            return
        from odoo.addons.isp_network.tests.routeros_emulator import RouterOSEmulator

        cls.router = RouterOSEmulator(username="odoo", password="api-secret").start()
        cls.addClassCleanup(cls.router.stop)
        cls.env["isp.nas"].create(
            {
                "name": "CCR POP",
                "ip_address": "127.0.0.3",
                "api_host": "127.0.0.1",
                "api_port": cls.router.port,
                "site_id": cls.pop.id,
                "routeros_managed": True,
                "api_username": "odoo",
                "api_password": "api-secret",
                "api_timeout": 5,
            }
        )
        cls.env.ref("isp_network.provisioner_routeros").active = True

    def subscription_row_updates(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'isp_subscription'")
        )
        return self.env.cr.fetchone()[0]

    def run_jobs_writing_no_subscription_row(self):
        before = self.subscription_row_updates()
        self.run_provisioning_jobs()
        self.assertEqual(self.subscription_row_updates(), before, "a job updated a subscription row")

    def test_suspend_and_reconnect_500_with_both_backends(self):
        if not self.router:
            self.skipTest("isp_network is not installed")
        subscriptions = self.env["isp.subscription"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "product_id": self.plan.id,
                    "pppoe_username": f"62812{index:08d}",
                    "pppoe_password": f"pw{index}",
                }
                for index in range(COUNT)
            ]
        )
        billing = subscriptions.with_user(self.isp_billing)
        billing.action_activate()
        self.assertEqual(len(self.provisioning_jobs()), 2 * COUNT)
        self.run_jobs_writing_no_subscription_row()
        self.assertEqual(set(subscriptions.mapped("provisioning_status")), {"done"})
        self.assertEqual(len(self.router.rows("/ppp/secret")), COUNT)
        self.assertEqual(self.radius_sql("SELECT count(DISTINCT username) FROM radcheck")[0][0], COUNT)

        billing.action_suspend(reason="unpaid")
        self.run_jobs_writing_no_subscription_row()
        billing.action_reconnect()
        self.run_jobs_writing_no_subscription_row()
        self.assertEqual(set(subscriptions.mapped("provisioning_status")), {"done"})
        for state in subscriptions[:3].provisioning_state_ids:
            self.assertEqual(state.status, "done", state.provisioner_id.name)
        self.assertFalse(self.router.rows("/ppp/secret", disabled="true"))
