from unittest.mock import patch

from odoo.tests import tagged

from ..models.isp_provisioning import MAX_ATTEMPTS, IspProvisioning
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
        subscription.provisioning_attempts = MAX_ATTEMPTS - 1
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
        subscription.provisioning_status = "retrying"
        subscription._suspend()
        jobs = self.env["queue.job"].search([("method_name", "=", "_apply")])
        self.assertEqual(len(jobs), 1, "still one job per subscription and provisioner")
        self.assertFalse(jobs.eta)

    def test_missing_provisioner_is_reported(self):
        subscription = self.subscribe()
        self.env["isp.provisioning"]._apply(self.provisioner, subscription)
        self.assertEqual(subscription.provisioning_status, "failed")
        self.assertIn("not installed", subscription.provisioning_error)
