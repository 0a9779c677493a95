# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What the NAS is told when a customer pays in the walled garden, what it answers, and
what ends a job: against FreeRADIUS on loopback and a pyrad CoA/Disconnect listener."""

import time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .coa_server import CoaServer
from .common import NAS_SECRET, IspRadiusCommon

DISCONNECT_REQUEST = 40
COA_REQUEST = 43


def bodies(subscription):
    subscription.invalidate_recordset(["message_ids"])
    return [html2plaintext(message.body) for message in subscription.message_ids]


@tagged("post_install", "-at_install")
class TestWalledGardenRelease(IspRadiusCommon):
    """Paying puts a customer who waits in the walled garden back on the internet at once."""

    def walled_garden(self, **values):
        self.server.write(
            {"suspended_mode": "walled_garden", "walled_garden_address_list": "unpaid", **values}
        )
        self.server._sync_config()  # the job that write() enqueued

    def suspended_in_the_walled_garden(self, session_id="wg-1"):
        subscription = self.active_subscription()
        subscription.with_user(self.isp_billing).action_suspend(reason="Unpaid invoice")
        self.run_provisioning_jobs()
        # The customer's router dials again and lands in the walled garden. Odoo has not read
        # the accounting since: the session is only in radacct.
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn('Mikrotik-Address-List = "unpaid"', answer)
        self.account(subscription, "Start", session_id=session_id)
        self.coa.reset()
        return subscription

    def test_paying_disconnects_the_walled_garden_session(self):
        self.walled_garden()
        subscription = self.suspended_in_the_walled_garden()
        subscription.with_user(self.isp_billing).action_reconnect()
        self.run_provisioning_jobs()
        (request,) = self.coa.wait_for(1)
        self.assertEqual(request["code"], DISCONNECT_REQUEST)
        self.assertEqual(request["attributes"]["Acct-Session-Id"], ["wg-1"])
        self.assertEqual(request["attributes"]["User-Name"], [subscription.pppoe_username])
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertIn(
            "Disconnect sent to Test NAS for session wg-1: acknowledged (ACK)", bodies(subscription)
        )
        session = subscription.radius_session_ids
        self.assertEqual(session.acct_session_id, "wg-1")
        self.assertFalse(session.release_pending)
        self.assertTrue(session.disconnect_requested)
        # The NAS ends the session; the router dials again at once, as a paying user.
        self.account(subscription, "Stop", session_id="wg-1", **{"Acct-Session-Time": 60})
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn(f'Mikrotik-Rate-Limit = "{self.plan.rate_limit}"', answer)
        self.assertNotIn("unpaid", answer)

    def test_release_by_coa_sets_the_paying_address_list(self):
        self.walled_garden(walled_garden_release="coa", active_address_list="paid")
        subscription = self.suspended_in_the_walled_garden()
        subscription.with_user(self.isp_billing).action_reconnect()
        self.run_provisioning_jobs()
        (request,) = self.coa.wait_for(1)
        self.assertEqual(request["code"], COA_REQUEST)
        self.assertEqual(request["attributes"]["Mikrotik-Address-List"], ["paid"])
        self.assertEqual(request["attributes"]["Mikrotik-Rate-Limit"], [self.plan.rate_limit])
        self.assertIn(
            "Change of authorization sent to Test NAS for session wg-1: acknowledged (ACK)",
            bodies(subscription),
        )
        # A new login gets the same list as the session now has.
        self.account(subscription, "Stop", session_id="wg-1", **{"Acct-Session-Time": 60})
        answer = self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET)
        self.assertIn('Mikrotik-Address-List = "paid"', answer)

    def test_coa_release_needs_an_address_list_walled_garden(self):
        with self.assertRefused(UserError, "address pool needs a Disconnect"):
            self.server.write(
                {
                    "suspended_mode": "walled_garden",
                    "walled_garden_pool": "garden",
                    "walled_garden_release": "coa",
                    "active_address_list": "paid",
                }
            )
        with self.assertRefused(UserError, "paying users' address list"):
            self.server.write({"suspended_mode": "walled_garden", "walled_garden_release": "coa"})

    def test_release_waits_for_the_nas_and_spares_new_sessions(self):
        self.walled_garden()
        subscription = self.suspended_in_the_walled_garden()
        self.coa.silent = True  # the NAS is unreachable when the customer pays
        subscription.with_user(self.isp_billing).action_reconnect()
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertTrue(
            any("wg-1: no answer" in body for body in bodies(subscription)), "the timeout is in the chatter"
        )
        self.assertTrue(subscription.radius_session_ids.release_pending, "remembered for the retry")

        self.coa.reset()
        self.run_provisioning_jobs()  # the retry
        (request,) = self.coa.wait_for(1)
        self.assertEqual(
            (request["code"], request["attributes"]["Acct-Session-Id"]), (DISCONNECT_REQUEST, ["wg-1"])
        )
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertFalse(subscription.radius_session_ids.release_pending)

        # The walled-garden session ends, the customer is back as a paying user: a later change
        # of speed only sends a CoA to that session.
        self.account(subscription, "Stop", session_id="wg-1", **{"Acct-Session-Time": 90})
        self.account(subscription, "Start", session_id="paid-1")
        self.coa.reset()
        subscription.with_user(self.isp_billing).change_plan(self.faster_plan.id, timing="now")
        self.run_provisioning_jobs()
        (request,) = self.coa.wait_for(1)
        self.assertEqual(
            (request["code"], request["attributes"]["Acct-Session-Id"]), (COA_REQUEST, ["paid-1"])
        )

    def test_reconnection_after_a_rejecting_suspension_sends_nothing(self):
        subscription = self.active_subscription()
        subscription.with_user(self.isp_billing).action_suspend(reason="Unpaid invoice")
        self.run_provisioning_jobs()
        self.coa.reset()
        subscription.with_user(self.isp_billing).action_reconnect()
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertFalse(self.coa.wait_for(1, timeout=0.3))


@tagged("post_install", "-at_install")
class TestNasAnswers(IspRadiusCommon):
    """Every answer of the NAS (or its silence) is in the chatter, even when the job fails."""

    def online_subscription(self, session_id="live-1", **attributes):
        subscription = self.active_subscription()
        self.account(subscription, "Start", session_id=session_id, **attributes)
        self.coa.reset()
        return subscription

    def test_a_nak_and_its_error_cause_are_logged_though_the_job_fails(self):
        subscription = self.online_subscription()
        self.coa.nak_cause = "Resources-Unavailable"
        subscription.with_user(self.isp_billing).action_suspend(reason="Unpaid invoice")
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("Resources-Unavailable", subscription.provisioning_error)
        self.assertIn(
            "Disconnect sent to Test NAS for session live-1: refused (NAK): Resources-Unavailable",
            bodies(subscription),
        )
        self.assertEqual(len(self.provisioning_jobs()), 1, "a retry is waiting")

    def test_no_answer_is_logged_though_the_job_fails(self):
        subscription = self.online_subscription()
        self.coa.silent = True
        subscription.with_user(self.isp_billing).action_suspend(reason="Unpaid invoice")
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("no answer", subscription.provisioning_error)
        self.assertTrue(
            any(
                body.startswith("Disconnect sent to Test NAS for session live-1: no answer")
                for body in bodies(subscription)
            )
        )

    def test_a_session_the_nas_no_longer_has_is_closed(self):
        subscription = self.online_subscription()
        self.server._read_accounting()
        self.coa.nak_cause = "Session-Context-Not-Found"
        subscription.with_user(self.isp_billing).action_suspend(reason="Unpaid invoice")
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertFalse(subscription.radius_session_ids.open)

    def test_a_session_on_an_unknown_nas_fails_for_good(self):
        # A second NAS, not yet recorded in Odoo, at 127.0.0.2 (its accounting comes through
        # FreeRADIUS from 127.0.0.1, with its own NAS-IP-Address).
        tower = CoaServer(NAS_SECRET, address="127.0.0.2").start()
        subscription = self.online_subscription(session_id="far-1", **{"NAS-IP-Address": "127.0.0.2"})
        subscription.with_user(self.isp_billing).action_suspend(reason="Unpaid invoice")
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "failed")
        self.assertIn(
            "no NAS with a RADIUS secret has the address 127.0.0.2", subscription.provisioning_error
        )
        self.assertFalse(self.provisioning_jobs(), "no retry: only a change of configuration helps")
        self.assertTrue(any("127.0.0.2" in body for body in bodies(subscription)))
        self.assertIn(
            "Access-Reject",
            self.freeradius.radtest(subscription.pppoe_username, self.password(subscription), NAS_SECRET),
            "the RADIUS database was updated all the same",
        )
        # Once the NAS is recorded, retrying provisioning reaches it.
        self.env["isp.nas"].create(
            {
                "name": "Tower 2",
                "ip_address": "127.0.0.2",
                "radius_secret": NAS_SECRET,
                "radius_server_id": self.server.id,
                "coa_port": tower.port,
                "site_id": self.pop.id,
            }
        )
        self.assertIs(subscription.with_user(self.isp_technician).action_retry_provisioning(), True)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        (request,) = tower.wait_for(1)
        self.assertEqual(request["attributes"]["Acct-Session-Id"], ["far-1"])

    def test_a_lock_held_elsewhere_fails_the_job_quickly(self):
        self.server.lock_timeout = 1
        blocker = self.radius_sql_connection()
        self.addCleanup(blocker.close)
        blocker.cursor().execute("LOCK TABLE radusergroup IN ACCESS EXCLUSIVE MODE")
        subscription = self.subscribe()
        subscription.with_user(self.isp_billing).action_activate()
        started = time.monotonic()
        self.run_provisioning_jobs()
        self.assertLess(time.monotonic() - started, 15)
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("lock timeout", subscription.provisioning_error)
        blocker.rollback()
        self.env["isp.provisioning"]._request(subscription)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")

    def test_the_connection_limits_queries_and_lock_waits(self):
        with self.server._cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
            self.assertEqual(cursor.fetchone(), ("30s", "5s"))
        self.server.statement_timeout = 1
        with self.assertRaisesRegex(UserError, "did not answer within 1 s"), self.server._cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")
