# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.isp_provisioning import MAX_ATTEMPTS, IspProvisioning, NotServed, PermanentError
from .common import IspSubscriptionCommon


@tagged("post_install", "-at_install")
class TestProvisioning(IspSubscriptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provisioner = cls.env["isp.provisioner"].create({"name": "Test network", "tech_name": "test"})

    def setUp(self):
        super().setUp()
        self.applied = []

    def apply(self, subscription):
        self.applied.append((subscription.network_state, subscription.rate_limit))

    def patched(self, apply=None):
        """Install ``apply(subscription)`` as the 'test' provisioner's implementation."""
        return patch.object(
            IspProvisioning, "_isp_apply_test", staticmethod(apply or self.apply), create=True
        )

    def test_billing_changes_become_one_job_each(self):
        subscription = self.subscribe()
        subscription.action_activate()
        self.assertEqual(len(self.provisioning_jobs()), 1)
        subscription._suspend()
        subscription._reconnect()
        subscription._suspend()
        # a pending job is never duplicated: it applies the latest state when it runs
        self.assertEqual(len(self.provisioning_jobs()), 1)
        self.assertEqual(subscription.provisioning_status, "pending")
        with self.patched():
            self.run_provisioning_jobs()
        self.assertEqual(self.applied, [("suspended", False)])
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertTrue(subscription.provisioned_at)

    def test_provisioning_has_a_channel_of_its_own(self):
        subscription = self.subscribe()
        subscription.action_activate()
        self.assertEqual(self.provisioning_jobs().channel, "root.isp_provisioning")

    def test_plan_change_reaches_the_network(self):
        subscription = self.subscribe()
        subscription.action_activate()
        with self.patched():
            self.run_provisioning_jobs()
        subscription.product_id = self.faster_plan
        self.assertEqual(len(self.provisioning_jobs()), 1)
        with self.patched():
            self.run_provisioning_jobs()
        self.assertEqual(self.applied, [("active", "5M/10M"), ("active", "25M/50M")])

    def test_drafts_and_inactive_provisioners_send_nothing(self):
        self.subscribe()
        self.provisioner.active = False
        self.subscribe().action_activate()
        self.assertFalse(self.provisioning_jobs())

    def test_unreachable_network_is_retried_then_reported(self):
        subscription = self.subscribe()

        def router_down(subscription):
            raise ConnectionError("router 10.10.1.1 unreachable")

        subscription.action_activate()
        with self.patched(router_down):
            self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertEqual(subscription.provisioning_attempts, 1)
        self.assertIn("unreachable", subscription.provisioning_error)
        self.assertEqual(subscription.state, "active", "billing goes on")
        retry = self.provisioning_jobs()
        self.assertEqual(len(retry), 1)
        self.assertTrue(retry.eta, "retried later")
        subscription._suspend()
        subscription.provisioning_state_ids.attempts = MAX_ATTEMPTS - 1
        with self.patched(router_down):
            self.env["isp.provisioning"]._apply(self.provisioner, subscription)
        self.assertEqual(subscription.provisioning_status, "failed")
        self.assertIn("could not be updated", subscription.message_ids[0].body)
        subscription.action_retry_provisioning()
        with self.patched():
            self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        self.assertEqual(self.applied, [("suspended", False)])

    def test_new_change_does_not_wait_for_a_retry_delay(self):
        subscription = self.subscribe()
        subscription.action_activate()
        jobs = self.env["queue.job"].search([("method_name", "=", "_apply")])
        self.assertEqual(len(jobs), 1)
        jobs.eta = "2099-01-01 00:00:00"  # as after a failed attempt: waiting to retry
        subscription.provisioning_state_ids.status = "retrying"
        subscription._suspend()
        jobs = self.env["queue.job"].search([("method_name", "=", "_apply")])
        self.assertEqual(len(jobs), 1, "still one job per subscription and provisioner")
        self.assertFalse(jobs.eta)

    def test_missing_provisioner_is_reported(self):
        subscription = self.subscribe()
        self.env["isp.provisioning"]._apply(self.provisioner, subscription)
        self.assertEqual(subscription.provisioning_status, "failed")
        self.assertIn("not installed", subscription.provisioning_error)

    def test_each_backend_has_its_state_and_jobs_never_write_the_subscription(self):
        second = self.env["isp.provisioner"].create({"name": "Second network", "tech_name": "second"})
        subscriptions = self.env["isp.subscription"].create(
            [{"partner_id": self.customer.id, "product_id": self.plan.id} for _i in range(20)]
        )
        subscriptions.action_activate()
        subscriptions._suspend(reason="unpaid", for_debt=True)
        self.assertEqual(len(self.provisioning_jobs()), 40)
        self.env.flush_all()

        def updates():
            self.env.flush_all()
            self.env.cr.execute(
                SQL("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'isp_subscription'")
            )
            return self.env.cr.fetchone()[0]

        def fails(subscription):
            raise ConnectionError("second router down")

        before = updates()
        with (
            self.patched(),
            patch.object(IspProvisioning, "_isp_apply_second", staticmethod(fails), create=True),
        ):
            self.run_provisioning_jobs()
        self.assertEqual(updates(), before, "two backends' jobs never update a subscription row")
        subscription = subscriptions[0]
        self.assertEqual(
            {(s.provisioner_id, s.status) for s in subscription.provisioning_state_ids},
            {(self.provisioner, "done"), (second, "retrying")},
        )
        self.assertEqual(subscription.provisioning_status, "retrying", "the least advanced backend shows")
        self.assertIn("Second network: second router down", subscription.provisioning_error)
        problems = self.env["isp.subscription"].search(
            [("provisioning_status", "in", ("retrying", "failed"))]
        )
        self.assertEqual(problems & subscriptions, subscriptions)
        second.active = False
        subscription.invalidate_recordset(["provisioning_status"])
        self.assertEqual(subscription.provisioning_status, "done", "a backend switched off no longer counts")

    def test_a_subscription_no_backend_serves_says_so(self):
        subscription = self.subscribe()
        subscription.action_activate()

        def not_mine(subscription):
            raise NotServed("no router above AP Yogyakarta 1.1")

        with self.patched(not_mine):
            self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "no_backend")
        self.assertIn("no router above", subscription.provisioning_error)
        self.assertIn(
            subscription,
            self.env["isp.subscription"].search([("provisioning_status", "=", "no_backend")]),
        )
        self.assertFalse(self.provisioning_jobs(), "nothing is retried")

    def test_a_permanent_error_is_not_retried(self):
        subscription = self.subscribe()
        subscription.action_activate()

        def refused(subscription):
            raise PermanentError("the password has a character RouterOS cannot take")

        with self.patched(refused):
            self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "failed")
        self.assertEqual(subscription.provisioning_attempts, 1)
        self.assertFalse(self.provisioning_jobs())
        self.assertIn("cannot take", subscription.message_ids[0].body)

    def test_notes_of_a_failing_job_stay_and_a_kick_that_keeps_failing_ends(self):
        subscription = self.subscribe()
        subscription.action_activate()
        subscription._suspend(reason="unpaid", for_debt=True)

        def kick_fails(subscription):
            self.env["isp.provisioning"]._note(subscription, "Disconnect-NAK: Session-Context-Not-Found")
            raise ConnectionError("session still there")

        with self.patched(kick_fails):
            self.run_provisioning_jobs()
        self.assertIn("Disconnect-NAK", subscription.message_ids[0].body, "kept although the job failed")
        # The network reports the session again and again: attempts go on counting.
        for _i in range(3):
            subscription._network_still_online()
        self.assertEqual(subscription.provisioning_attempts, 1)
        self.assertEqual(subscription.provisioning_status, "pending")
        with self.patched(kick_fails):
            self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_attempts, 2)
