# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What real routers throw at the RouterOS provisioning (issue 11), against the emulator
driven by the real librouteros client."""

import ast

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import API_PASSWORD, API_USER, IspRouterosCommon
from .routeros_emulator import RouterOSEmulator

PHONE = "6281234567890"  # librouteros reads it back as an int
CHANGES = ("/add", "/set", "/remove")


def changes(router):
    return [command for command in router.command_log if command.endswith(CHANGES)]


@tagged("post_install", "-at_install")
class TestRouterosNumericUsername(IspRouterosCommon):
    """A phone-number username (an int to librouteros) and the password ``yes`` (True)."""

    def phone_subscription(self):
        return self.active_subscription(pppoe_username=PHONE, pppoe_password="yes")

    def test_provisioned_once_then_nothing_to_change(self):
        subscription = self.phone_subscription()
        self.assertEqual(subscription.provisioning_status, "done")
        secret = self.secret(subscription)
        self.assertEqual(
            (secret["name"], secret["password"], secret["comment"]), (PHONE, "yes", f"odoo:{subscription.id}")
        )
        self.assertEqual(self.queue(subscription)["target"], f"<pppoe-{PHONE}>")
        self.router.command_log.clear()
        subscription.with_user(self.isp_technician).action_retry_provisioning()
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertEqual(changes(self.router), [], "what the router prints is what Odoo wants")

    def test_poll_sets_online_and_counts_usage(self):
        subscription = self.phone_subscription()
        self.router.connect_pppoe(PHONE)
        self.router.add_traffic(PHONE, upload=1000, download=50000)
        self.nas._routeros_poll()
        self.assertTrue(subscription.network_online)
        self.assertEqual([(u.bytes_down, u.bytes_up) for u in subscription.usage_ids], [(50000, 1000)])
        self.router.add_traffic(PHONE, upload=10, download=500)
        self.nas._routeros_poll()
        subscription.invalidate_recordset(["usage_ids"])
        self.assertEqual([(u.bytes_down, u.bytes_up) for u in subscription.usage_ids], [(50500, 1010)])

    def test_suspension_finds_and_removes_the_live_session(self):
        subscription = self.phone_subscription()
        self.router.connect_pppoe(PHONE)
        subscription._suspend("Unpaid invoice", for_debt=True)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertEqual(self.secret(subscription)["disabled"], "true")
        self.assertFalse(self.router.rows("/ppp/active"))
        self.assertIn("1 session(s) removed", subscription.message_ids[0].body)

    def test_a_session_left_after_the_suspension_is_seen_and_removed(self):
        subscription = self.phone_subscription()
        self.router.connect_pppoe(PHONE)
        provisioner = self.env.ref("isp_network.provisioner_routeros")
        provisioner.active = False  # suspended while the router could not be told
        subscription._suspend("Unpaid invoice", for_debt=True)
        provisioner.active = True
        self.nas._routeros_poll()
        self.assertTrue(subscription.online_while_suspended)
        self.run_provisioning_jobs()
        self.assertFalse(self.router.rows("/ppp/active"))
        self.nas._routeros_poll()
        self.assertFalse(subscription.network_online)

    def test_a_user_named_yes(self):
        """librouteros reads the name back as True: still online, still cut off."""
        subscription = self.active_subscription(pppoe_username="yes")
        self.router.connect_pppoe("yes")
        self.nas._routeros_poll()
        self.assertTrue(subscription.network_online)
        subscription._suspend("Unpaid invoice", for_debt=True)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertFalse(self.router.rows("/ppp/active"))
        self.assertFalse(self.reconcile().line_ids)

    def test_reconcile_adopts_the_operators_secret_never_adds_it(self):
        subscription = self.subscribe(pppoe_username=PHONE, pppoe_password="yes")
        self.router.add("/ppp/secret", name=PHONE, password="yes", service="pppoe")
        self.env.ref("isp_network.provisioner_routeros").active = False
        subscription.with_user(self.isp_billing).action_activate()
        wizard = self.reconcile()
        self.assertEqual(
            {(line.menu, line.action, line.name) for line in wizard.line_ids},
            {("/ppp/secret", "set", PHONE), ("/queue/simple", "add", PHONE)},
        )
        secret_line = wizard.line_ids.filtered(lambda line: line.menu == "/ppp/secret")
        self.assertEqual(secret_line.detail, f"comment:  -> odoo:{subscription.id}")
        wizard.action_apply()
        self.assertFalse(wizard.line_ids.filtered("error"))
        (secret,) = self.router.rows("/ppp/secret")
        self.assertEqual((secret["name"], secret["comment"]), (PHONE, f"odoo:{subscription.id}"))
        self.assertFalse(self.reconcile().line_ids)


@tagged("post_install", "-at_install")
class TestRouterosSiteTree(IspRouterosCommon):
    """A router serves its site and every site below it; the nearest managed router wins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tower = cls.site("Tower 1", cls.pop)
        cls.ap = cls.site("AP 1.1", cls.tower, "access_point")
        cls.lone_pop = cls.env["isp.site"].create(
            {"name": "POP Without Router", "code": "LONE", "site_type": "pop", "latitude": 0, "longitude": 0}
        )

    def test_a_subscriber_two_levels_below_the_router_is_served(self):
        subscription = self.active_subscription(site_id=self.ap.id)
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertTrue(self.secret(subscription))
        self.router.connect_pppoe(subscription.pppoe_username)
        self.nas._routeros_poll()
        self.assertTrue(subscription.network_online)
        self.assertFalse(self.reconcile().line_ids, "the router's reconciliation covers the site tree")

    def test_the_nearest_managed_router_wins(self):
        tower_router = RouterOSEmulator(username=API_USER, password=API_PASSWORD).start()
        self.addCleanup(tower_router.stop)
        tower_nas = self.env["isp.nas"].create(
            {
                "name": "hAP Tower 1",
                "ip_address": "10.20.0.1",
                "api_host": "127.0.0.1",
                "api_port": tower_router.port,
                "site_id": self.tower.id,
                "routeros_managed": True,
                "api_username": API_USER,
                "api_password": API_PASSWORD,
                "api_timeout": 3,
            }
        )
        at_ap = self.active_subscription(site_id=self.ap.id)
        at_pop = self.active_subscription()
        self.assertEqual(
            tower_router.get("/ppp/secret", name=at_ap.pppoe_username)["comment"], f"odoo:{at_ap.id}"
        )
        self.assertIsNone(self.secret(at_ap))
        self.assertTrue(self.secret(at_pop))
        self.assertIsNone(tower_router.get("/ppp/secret", name=at_pop.pppoe_username))
        self.assertFalse(self.reconcile().line_ids)
        self.assertFalse(self.reconcile(tower_nas).line_ids)

    def test_no_router_serves_the_site(self):
        subscription = self.active_subscription(site_id=self.lone_pop.id)
        self.assertEqual(self.state(subscription).status, "not_served")
        self.assertEqual(subscription.provisioning_status, "no_backend")
        self.assertIn("No RouterOS router serves site POP Without Router", subscription.provisioning_error)
        problems = self.env.ref("isp_subscription.action_isp_subscriptions_provisioning_failed")
        listed = self.env["isp.subscription"].search(ast.literal_eval(problems.domain))
        self.assertIn(subscription, listed)
        self.assertFalse(self.router.rows("/ppp/secret"))
        # Terminated, it needs nothing: not a problem any more.
        subscription.with_user(self.isp_billing).action_terminate()
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")


@tagged("post_install", "-at_install")
class TestRouterosOperatorEntries(IspRouterosCommon):
    def static_subscription(self):
        subscription = self.active_subscription(self.static_plan, static_ip="10.40.0.9")
        self.router.connect_pppoe(subscription.pppoe_username)
        return subscription

    def test_an_unmarked_suspension_entry_is_adopted(self):
        subscription = self.static_subscription()
        # Left by the billing system used before Odoo.
        self.router.add("/ip/firewall/address-list", list="isp-suspended", address="10.40.0.9")
        subscription._suspend("Unpaid invoice", for_debt=True)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        (entry,) = self.router.rows("/ip/firewall/address-list")
        self.assertEqual((entry["address"], entry["comment"]), ("10.40.0.9", f"odoo:{subscription.id}"))
        self.assertFalse(self.router.rows("/ppp/active"))

        subscription.with_user(self.isp_billing).action_reconnect()
        self.run_provisioning_jobs()
        self.assertFalse(self.router.rows("/ip/firewall/address-list"), "adopted, so ours to remove")

    def test_a_refused_secondary_step_still_cuts_the_debtor_off(self):
        subscription = self.static_subscription()
        self.router.trap_next("/ip/firewall/address-list/add", "failure: out of memory")
        subscription._suspend("Unpaid invoice", for_debt=True)
        self.run_provisioning_jobs()
        self.assertFalse(self.router.rows("/ppp/active"), "the session is removed all the same")
        self.assertEqual(self.secret(subscription)["disabled"], "true")
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("1 session(s) removed from CCR POP", subscription.provisioning_error)
        self.assertIn(
            "add /ip/firewall/address-list 10.40.0.9: failure: out of memory", subscription.provisioning_error
        )
        self.run_provisioning_jobs()  # the retry
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertTrue(self.router.rows("/ip/firewall/address-list", comment=f"odoo:{subscription.id}"))

    def test_a_refused_login_change_still_removes_the_session(self):
        subscription = self.static_subscription()
        self.router.trap_next("/ppp/secret/set", "failure: item is locked by another administrator")
        subscription._suspend("Unpaid invoice", for_debt=True)
        self.run_provisioning_jobs()
        self.assertFalse(self.router.rows("/ppp/active"))
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("locked by another administrator", subscription.provisioning_error)
        self.run_provisioning_jobs()
        self.assertEqual(self.secret(subscription)["disabled"], "true")
        self.assertEqual(subscription.provisioning_status, "done")

    def test_reconcile_never_removes_an_operators_item_named_like_a_draft(self):
        self.subscribe(pppoe_username="gita")
        # The NOC made them before the customer signed.
        self.router.add("/ppp/secret", name="gita", password="noc-made", service="pppoe")
        self.router.add("/queue/simple", name="gita", target="10.9.9.9", max_limit="2M/2M")
        wizard = self.reconcile()
        self.assertFalse(wizard.line_ids)
        wizard.action_apply()
        self.assertEqual(self.router.get("/ppp/secret", name="gita")["password"], "noc-made")
        self.assertEqual(self.router.get("/queue/simple", name="gita")["target"], "10.9.9.9/32")


@tagged("post_install", "-at_install")
class TestRouterosQueues(IspRouterosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.burst_plan = (
            cls.env["product.template"]
            .create(
                cls.plan_vals(
                    name="Burst 10 Mbps",
                    burst_download_kbps=20000,
                    burst_upload_kbps=10000,
                    burst_threshold_download_kbps=8000,
                    burst_threshold_upload_kbps=4000,
                    burst_time=16,
                    data_cap_gb=300,
                    fup_download_kbps=2000,
                    fup_upload_kbps=1000,
                )
            )
            .product_variant_id
        )

    def test_queues_keep_the_plans_burst(self):
        subscription = self.active_subscription(self.burst_plan)
        self.assertEqual(subscription.rate_limit, "5M/10M 10M/20M 4M/8M 16/16")
        queue = self.queue(subscription)
        self.assertEqual(
            (queue["max-limit"], queue["burst-limit"], queue["burst-threshold"], queue["burst-time"]),
            ("5000000/10000000", "10000000/20000000", "4000000/8000000", "16s/16s"),
        )
        self.assertFalse(self.reconcile().line_ids, "compared as RouterOS prints them")

        self.router.set("/queue/simple", queue[".id"], burst_limit="0/0")
        wizard = self.reconcile()
        self.assertEqual(
            [(line.action, line.detail) for line in wizard.line_ids], [("set", "burst-limit: 0/0 -> 10M/20M")]
        )

        # Fair usage has no burst: the queue loses it.
        subscription._set_fair_usage(True)
        self.run_provisioning_jobs()
        queue = self.queue(subscription)
        self.assertEqual(
            (queue["max-limit"], queue["burst-limit"], queue["burst-threshold"], queue["burst-time"]),
            ("1000000/2000000", "0/0", "0/0", "0s/0s"),
        )


@tagged("post_install", "-at_install")
class TestRouterosHotspot(IspRouterosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hotspot_plan = (
            cls.env["product.template"]
            .create(cls.plan_vals(name="Hotspot Day", connection_type="hotspot"))
            .product_variant_id
        )

    def hotspot_user(self, subscription):
        return self.router.get("/ip/hotspot/user", name=subscription.pppoe_username)

    def test_no_hotspot_users_unless_the_router_has_a_profile(self):
        subscription = self.active_subscription(self.hotspot_plan)
        self.assertEqual(self.state(subscription).status, "not_served")
        self.assertIn("does not provision hotspot users", subscription.provisioning_error)
        self.assertEqual(changes(self.router), [], "no PPPoE secret for a hotspot plan")

    def test_a_hotspot_user_with_the_routers_profile(self):
        self.router.add("/ip/hotspot/user/profile", name="hs-10M", rate_limit="5M/10M")
        self.nas.with_user(self.isp_technician).routeros_hotspot_profile = "hs-10M"
        subscription = self.active_subscription(self.hotspot_plan)
        self.assertEqual(subscription.provisioning_status, "done")
        user = self.hotspot_user(subscription)
        self.assertEqual(
            (user["profile"], user["password"], user["disabled"], user["comment"]),
            ("hs-10M", subscription.sudo().pppoe_password, "false", f"odoo:{subscription.id}"),
        )
        self.assertIsNone(self.secret(subscription))
        self.assertIsNone(self.queue(subscription))
        self.assertFalse(self.reconcile().line_ids)

        self.router.login_hotspot(subscription.pppoe_username)
        self.router.add_traffic(subscription.pppoe_username, upload=300, download=7000)
        self.nas._routeros_poll()
        self.assertTrue(subscription.network_online)
        self.assertEqual([(u.bytes_down, u.bytes_up) for u in subscription.usage_ids], [(7000, 300)])

        subscription._suspend("Unpaid invoice", for_debt=True)
        self.run_provisioning_jobs()
        self.assertEqual(self.hotspot_user(subscription)["disabled"], "true")
        self.assertFalse(self.router.rows("/ip/hotspot/active"))

        subscription.with_user(self.isp_billing).action_terminate()
        self.run_provisioning_jobs()
        self.assertIsNone(self.hotspot_user(subscription))


@tagged("post_install", "-at_install")
class TestRouterosUnusableValues(IspRouterosCommon):
    def test_a_non_ascii_password_fails_for_good(self):
        subscription = self.subscribe()
        # Written before passwords were checked at input.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE isp_subscription SET pppoe_password = %s WHERE id = %s",
            ["sandi✓rahasia", subscription.id],
        )
        subscription.invalidate_recordset()
        subscription.with_user(self.isp_billing).action_activate()
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "failed")
        self.assertEqual(self.state(subscription).attempts, 1)
        self.assertIn("Not sent to CCR POP", subscription.provisioning_error)
        self.assertIn("PPPoE password", subscription.provisioning_error)
        self.assertFalse(self.provisioning_jobs(), "not retried")
        self.assertFalse(self.router.rows("/ppp/secret"))

    def test_a_non_ascii_router_setting_fails_for_good(self):
        with self.assertRefused(ValidationError, "PPP Profile of CCR POP"):
            self.nas.routeros_profile = "défaut"
        self.env.flush_all()
        self.env.cr.execute("UPDATE isp_nas SET routeros_profile = 'défaut' WHERE id = %s", [self.nas.id])
        self.nas.invalidate_recordset()
        subscription = self.active_subscription()
        self.assertEqual(subscription.provisioning_status, "failed")
        self.assertIn("not plain ASCII", subscription.provisioning_error)
        self.assertFalse(self.provisioning_jobs(), "not retried")


@tagged("post_install", "-at_install")
class TestRouterosRights(IspRouterosCommon):
    def test_technicians_and_managers_reconcile_no_one_else(self):
        for user in (self.isp_user, self.isp_billing):
            with self.assertRaises(AccessError):
                self.nas.with_user(user).action_routeros_reconcile()
        self.assertEqual(self.reconcile().state, "compared")
        action = self.nas.with_user(self.isp_manager).action_routeros_reconcile()
        self.assertEqual(action["res_model"], "isp.routeros.reconcile")
