# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import NAS_SECRET, IspRadiusCommon


@tagged("post_install", "-at_install")
class TestRadiusProvisioning(IspRadiusCommon):
    def test_active_user_authenticates_with_the_plan_speed(self):
        subscription = self.active_subscription()
        self.assertEqual(subscription.provisioning_status, "done")
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn("Access-Accept", answer)
        self.assertIn(f'Mikrotik-Rate-Limit = "{self.plan.rate_limit}"', answer)
        self.assertEqual(subscription.radius_username, subscription.pppoe_username)

    def test_static_ip_is_replied(self):
        subscription = self.active_subscription(self.static_plan, static_ip="10.30.0.5")
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn("Framed-IP-Address = 10.30.0.5", answer)

    def test_suspended_user_is_rejected_then_reconnected(self):
        subscription = self.active_subscription()
        subscription._suspend("unpaid", for_debt=True)
        self.run_provisioning_jobs()
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn("Access-Reject", answer)
        subscription._reconnect()
        self.run_provisioning_jobs()
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn("Access-Accept", answer)

    def test_walled_garden(self):
        self.server.write({"suspended_mode": "walled_garden", "walled_garden_address_list": "unpaid"})
        self.server._sync_config()  # the job that write() enqueued
        subscription = self.active_subscription()
        subscription._suspend("unpaid")
        self.run_provisioning_jobs()
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn("Access-Accept", answer)
        self.assertIn('Mikrotik-Address-List = "unpaid"', answer)
        self.assertNotIn("Mikrotik-Rate-Limit", answer)

    def test_terminated_user_is_removed(self):
        subscription = self.active_subscription()
        username = subscription.pppoe_username
        subscription._terminate()
        self.run_provisioning_jobs()
        for table in ("radcheck", "radreply", "radusergroup"):
            self.assertFalse(self.radius_sql(f"SELECT 1 FROM {table} WHERE username = %s", [username]))
        self.assertIn(
            "Access-Reject", self.freeradius.radtest(username, self.password(subscription), NAS_SECRET)
        )

    def test_drift_is_repaired_and_a_rename_leaves_nothing_behind(self):
        subscription = self.active_subscription()
        username = subscription.pppoe_username
        self.radius_sql("DELETE FROM radcheck WHERE username = %s", [username])
        self.radius_sql(
            "INSERT INTO radreply (username, attribute, op, value) VALUES (%s, 'Mikrotik-Rate-Limit', ':=', '100M/100M')",
            [username],
        )
        self.env["isp.provisioning"]._request(subscription)
        self.run_provisioning_jobs()
        self.assertEqual(
            self.radius_sql("SELECT value FROM radreply WHERE username = %s", [username]),
            [(self.plan.rate_limit,)],
        )
        self.assertEqual(len(self.radius_sql("SELECT 1 FROM radcheck WHERE username = %s", [username])), 2)
        subscription.pppoe_username = f"{username}-new"
        self.run_provisioning_jobs()
        self.assertFalse(self.radius_sql("SELECT 1 FROM radcheck WHERE username = %s", [username]))
        self.assertEqual(subscription.radius_username, f"{username}-new")

    def test_nas_rows_follow_the_nas_records(self):
        rows = self.radius_sql(
            "SELECT nasname, secret FROM nas WHERE description = %s", [f"odoo:{self.nas.id}"]
        )
        self.assertEqual(rows, [("127.0.0.1", NAS_SECRET)])
        other = self.env["isp.nas"].create(
            {
                "name": "Tower 2",
                "ip_address": "10.0.0.2",
                "radius_secret": "x",
                "radius_server_id": self.server.id,
            }
        )
        self.server._sync_config()
        self.assertEqual(len(self.radius_sql("SELECT 1 FROM nas WHERE description LIKE 'odoo:%%'")), 2)
        other.active = False
        self.server._sync_config()
        self.assertFalse(self.radius_sql("SELECT 1 FROM nas WHERE nasname = '10.0.0.2'"))

    def test_database_down_is_retried_and_billing_goes_on(self):
        self.server.db_port = 1  # nothing listens there
        subscription = self.active_subscription()
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("Cannot reach the RADIUS database", subscription.provisioning_error)
        self.assertEqual(len(self.provisioning_jobs()), 1, "a retry is waiting")
        self.server.db_port = self.db_params["port"]
        self.env["isp.provisioning"]._request(subscription)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
