# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import shutil
import tempfile

from odoo.tests import tagged

from ..lib import routeros
from .common import API_PASSWORD, API_USER, IspRouterosCommon
from .routeros_emulator import RouterOSEmulator, self_signed_context


@tagged("post_install", "-at_install")
class TestRouterosProvisioning(IspRouterosCommon):
    def test_activation_creates_secret_and_queue(self):
        subscription = self.active_subscription()
        self.assertEqual(subscription.provisioning_status, "done")
        secret = self.secret(subscription)
        self.assertEqual(secret["password"], subscription.sudo().pppoe_password)
        self.assertEqual((secret["service"], secret["disabled"]), ("pppoe", "false"))
        self.assertEqual(secret["comment"], f"odoo:{subscription.id}")
        queue = self.queue(subscription)
        self.assertEqual(queue["target"], f"<pppoe-{subscription.pppoe_username}>")
        upload, download = self.plan.rate_limit.split()[0].split("/")
        self.assertEqual(queue["max-limit"], f"{routeros.bits(upload)}/{routeros.bits(download)}")

    def test_suspension_disables_kicks_and_lists(self):
        subscription = self.active_subscription(self.static_plan, static_ip="10.40.0.9")
        self.router.connect_pppoe(subscription.pppoe_username)
        subscription._suspend("unpaid", for_debt=True)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertEqual(self.secret(subscription)["disabled"], "true")
        self.assertFalse(self.router.rows("/ppp/active", name=subscription.pppoe_username))
        entry = self.router.get("/ip/firewall/address-list", comment=f"odoo:{subscription.id}")
        self.assertEqual((entry["list"], entry["address"]), ("isp-suspended", "10.40.0.9"))
        self.assertIn("session(s) removed", subscription.message_ids[0].body)

        subscription._reconnect()
        self.run_provisioning_jobs()
        self.assertEqual(self.secret(subscription)["disabled"], "false")
        self.assertFalse(self.router.rows("/ip/firewall/address-list", comment=f"odoo:{subscription.id}"))

    def test_fair_usage_changes_the_queue(self):
        subscription = self.active_subscription(self.capped_plan)
        subscription._set_fair_usage(True)
        self.run_provisioning_jobs()
        self.assertEqual(self.queue(subscription)["max-limit"], "1000000/2000000")

    def test_termination_removes_everything(self):
        subscription = self.active_subscription()
        subscription._terminate()
        self.run_provisioning_jobs()
        self.assertIsNone(self.secret(subscription))
        self.assertIsNone(self.queue(subscription))

    def test_existing_secret_is_adopted_not_duplicated(self):
        subscription = self.subscribe()
        self.router.add("/ppp/secret", name=subscription.pppoe_username, password="old", service="any")
        subscription.action_activate()
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        (secret,) = self.router.rows("/ppp/secret", name=subscription.pppoe_username)
        self.assertEqual((secret["comment"], secret["service"]), (f"odoo:{subscription.id}", "pppoe"))

    def test_router_down_is_retried_and_billing_goes_on(self):
        self.router.stop()
        subscription = self.active_subscription()
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("Cannot reach the RouterOS API", subscription.provisioning_error)
        self.router.start()
        self.env["isp.provisioning"]._request(subscription)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertTrue(self.secret(subscription))

    def test_sessions_set_online_and_flag_a_suspended_user_still_online(self):
        online, offline = self.active_subscription(), self.active_subscription()
        self.router.connect_pppoe(online.pppoe_username)
        self.nas._routeros_poll()
        self.assertTrue(online.network_online)
        self.assertTrue(online.network_last_seen)
        self.assertFalse(offline.network_online)

        # Suspended while the router could not be told: the session lives on.
        self.env.ref("isp_network.provisioner_routeros").active = False
        online._suspend("unpaid")
        self.env.ref("isp_network.provisioner_routeros").active = True
        self.nas._routeros_poll()
        self.assertTrue(online.online_while_suspended)
        self.run_provisioning_jobs()
        self.assertFalse(self.router.rows("/ppp/active", name=online.pppoe_username))
        self.nas._routeros_poll()
        self.assertFalse(online.network_online)


@tagged("post_install", "-at_install")
class TestRouterosReconcile(IspRouterosCommon):
    def test_dry_run_shows_drift_then_apply_fixes_it(self):
        kept, broken = self.active_subscription(), self.active_subscription(self.faster_plan)
        queue = self.queue(kept)
        self.router.set("/queue/simple", queue[".id"], **{"max-limit": "1M/1M"})
        self.router.remove("/ppp/secret", self.secret(broken)[".id"])
        self.router.add("/ppp/secret", name="ghost", password="x", comment="odoo:999999")
        self.router.add("/ppp/secret", name="operator-own", password="y")

        wizard = self.env["isp.routeros.reconcile"].create({"nas_id": self.nas.id})
        wizard.action_compare()
        found = {(line.menu, line.action, line.name) for line in wizard.line_ids}
        self.assertEqual(
            found,
            {
                ("/queue/simple", "set", kept.pppoe_username),
                ("/ppp/secret", "add", broken.pppoe_username),
                ("/ppp/secret", "remove", "ghost"),
            },
        )
        self.assertNotIn(broken.sudo().pppoe_password, " ".join(wizard.line_ids.mapped("detail")))
        self.assertEqual(self.queue(kept)["max-limit"], "1000000/1000000", "a dry run changes nothing")

        wizard.action_apply()
        self.assertEqual(wizard.state, "applied")
        self.assertNotEqual(self.queue(kept)["max-limit"], "1000000/1000000")
        self.assertTrue(self.secret(broken))
        self.assertIsNone(self.router.get("/ppp/secret", name="ghost"))
        self.assertTrue(self.router.get("/ppp/secret", name="operator-own"), "the operator's own items stay")

        again = self.env["isp.routeros.reconcile"].create({"nas_id": self.nas.id})
        again.action_compare()
        self.assertFalse(again.line_ids)


@tagged("post_install", "-at_install")
class TestRouterosUsage(IspRouterosCommon):
    def usage(self, subscription):
        subscription.invalidate_recordset()
        return [(u.bytes_down, u.bytes_up) for u in subscription.usage_ids]

    def test_interface_counters_become_usage_once(self):
        subscription = self.active_subscription()
        self.router.connect_pppoe(subscription.pppoe_username)
        self.router.add_traffic(subscription.pppoe_username, upload=1000, download=50000)
        self.nas._routeros_poll()
        self.assertEqual(self.usage(subscription), [(50000, 1000)])
        self.nas._routeros_poll()
        self.assertEqual(self.usage(subscription), [(50000, 1000)], "read twice, counted once")
        self.router.add_traffic(subscription.pppoe_username, upload=500, download=7000)
        self.nas._routeros_poll()
        self.assertEqual(self.usage(subscription), [(57000, 1500)])

    def test_a_new_session_counts_from_zero(self):
        subscription = self.active_subscription()
        active_id = self.router.connect_pppoe(subscription.pppoe_username)
        self.router.add_traffic(subscription.pppoe_username, upload=100, download=9000)
        self.nas._routeros_poll()
        self.router.remove("/ppp/active", active_id)
        self.router.connect_pppoe(subscription.pppoe_username)
        self.router.add_traffic(subscription.pppoe_username, upload=10, download=200)
        self.nas._routeros_poll()
        self.assertEqual(self.usage(subscription), [(9200, 110)])

    def test_usage_off_when_radius_counts(self):
        self.nas.routeros_usage = False
        subscription = self.active_subscription()
        self.router.connect_pppoe(subscription.pppoe_username)
        self.router.add_traffic(subscription.pppoe_username, upload=100, download=9000)
        self.nas._routeros_poll()
        self.assertFalse(subscription.usage_ids)
        self.assertTrue(subscription.network_online)


@tagged("post_install", "-at_install")
class TestRouterosApiSsl(IspRouterosCommon):
    def test_api_ssl_with_the_routers_own_certificate(self):
        self.router.stop()
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory, True)
        self.router = RouterOSEmulator(
            username=API_USER, password=API_PASSWORD, ssl_context=self_signed_context(directory)
        ).start()
        self.addCleanup(self.router.stop)
        self.nas.write({"api_port": self.router.port, "api_use_ssl": True, "api_verify_ssl": True})
        subscription = self.active_subscription()
        self.assertEqual(subscription.provisioning_status, "retrying", "a self-signed certificate is refused")
        self.assertIn("CERTIFICATE_VERIFY_FAILED", subscription.provisioning_error)
        self.nas.api_verify_ssl = False
        self.env["isp.provisioning"]._request(subscription)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertTrue(self.secret(subscription))
