# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import traceback
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.isp_subscription.models import isp_invoice_run
from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestInvoiceRunFailure(IspBillingCommon):
    """A batch job that fails for good ends its run *Failed* instead of leaving it running
    for ever, and *Retry Failed Batches* invoices its customers and finishes the run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.isp_user, cls.isp_billing):
            user.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.customers = [cls.new_customer(f"Batch {n}") for n in range(5)]
        for customer in cls.customers:
            cls.subscribe_active(partner=customer)

    def run_like_the_runner(self, record):
        """Run a stored job as queue_job's runner does (``RunJobController._runjob``): done,
        postponed on a retryable error (failed once its retries are spent), or failed."""
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        try:
            with self.env.cr.savepoint():
                job.perform()
        except RetryableJobError as error:
            job.postpone(result=str(error), seconds=error.seconds)
            job.set_pending(reset_retry=False)
            job.store()
            return "postponed"
        except Exception as error:  # what the runner does with any other error
            values = {
                "exc_info": traceback.format_exc(),
                "exc_name": type(error).__name__,
                "exc_message": error.args[0] if error.args else str(error),
            }
            job.set_failed(**values)
            job.store()
            job.on_fail(values)
            return "failed"
        job.set_done()
        job.store()
        if job.should_check_dependents():
            self.env.flush_all()
            job.enqueue_waiting()
        return "done"

    def start(self):
        """A run started by billing staff: its jobs run as them."""
        run = self.env["isp.invoice.run"].with_user(self.isp_billing).create({"date": "2026-11-01"})
        with patch.object(isp_invoice_run, "BATCH_SIZE", 2):
            run.action_start()
        return run

    def run_batches(self, run, failing_partner=None):
        """Run the run's batch jobs; the one with ``failing_partner`` fails on every try.
        Returns that job."""
        original = isp_invoice_run.IspInvoiceRun._invoice_batch

        def fail_every_time(this, partner_ids):
            if failing_partner and failing_partner.id in partner_ids:
                raise RetryableJobError("could not reach the tax office's server")
            return original(this, partner_ids)

        failed = None
        with patch.object(isp_invoice_run.IspInvoiceRun, "_invoice_batch", fail_every_time):
            for record in self.queued_jobs("isp.invoice.run", "_invoice_batch"):
                tries = 0
                while (outcome := self.run_like_the_runner(record)) == "postponed":
                    tries += 1
                if outcome == "failed":
                    failed = record
                    self.assertEqual(tries, record.max_retries - 1, "failed once its retries are spent")
        return failed

    def test_a_batch_that_fails_for_good_fails_the_run_and_retry_finishes_it(self):
        run = self.start()
        failed = self.run_batches(run, failing_partner=self.customers[2])
        self.assertEqual(failed.state, "failed")
        self.assertFalse(self.queued_jobs("isp.invoice.run", "_finish"), "the last job waits for ever")
        self.assertEqual(run.state, "running")
        # queue_job's failure queued a check of the run, which ends it.
        checks = self.queued_jobs("isp.invoice.run", "_check_batches")
        self.assertEqual(len(checks), 1)
        self.run_job(checks)
        run.invalidate_recordset()
        self.assertEqual(run.state, "failed")
        self.assertTrue(run.finished_at)
        self.assertEqual(run.failed_batch_count, 1)
        self.assertIn("tax office", run.failed_batches)
        stuck = self.env["res.partner"].browse(failed.args[0])
        self.assertIn(self.customers[2], stuck)
        for partner in stuck:
            self.assertIn(partner.display_name, run.failed_batches)
        self.assertEqual(run.issue_ids.partner_id, stuck)
        self.assertEqual(set(run.issue_ids.mapped("kind")), {"job"})
        self.assertIn("tax office", run.issue_ids[0].message)
        invoiced = [customer for customer in self.customers if customer not in stuck]
        self.assertEqual(run.invoice_ids.partner_id, self.env["res.partner"].union(*invoiced))
        self.assertTrue(any("failed" in (message.body or "") for message in run.message_ids))

        # Only billing staff retry, and only a failed run.
        with self.assertRaises(AccessError):
            run.with_user(self.isp_user).action_retry_failed_batches()
        self.assertTrue(run.with_user(self.isp_billing).action_retry_failed_batches())
        self.assertEqual(run.state, "running")
        self.assertFalse(run.issue_ids)
        with self.assertRaises(UserError):
            run.with_user(self.isp_billing).action_retry_failed_batches()
        retried = self.queued_jobs("isp.invoice.run", "_invoice_batch")
        self.assertEqual(retried, failed, "only the failed customers are queued again")
        self.assertEqual(self.run_batches(run), None)
        self.run_jobs("isp.invoice.run", "_finish")
        run.invalidate_recordset()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.batch_done, run.batch_count)
        self.assertEqual(run.failed_batch_count, 0)
        for customer in self.customers:
            self.assertEqual(len(self.invoices(customer)), 1)

    def test_the_check_waits_for_the_other_jobs(self):
        run = self.start()
        jobs = self.queued_jobs("isp.invoice.run", "_invoice_batch")
        # The first batch fails at once (any error but a retryable one), the others wait.
        with patch.object(
            isp_invoice_run.IspInvoiceRun, "_invoice_batch", side_effect=ValueError("bad data"), autospec=True
        ):
            self.assertEqual(self.run_like_the_runner(jobs[0]), "failed")
        check = self.queued_jobs("isp.invoice.run", "_check_batches")
        self.assertEqual(self.run_like_the_runner(check), "postponed")
        self.assertEqual(run.state, "running")
        self.assertEqual(check.retry, 0, "waiting is not a retry that could run out")
        for record in jobs[1:]:
            self.assertEqual(self.run_like_the_runner(record), "done")
        self.assertEqual(self.run_like_the_runner(check), "done")
        self.assertEqual(run.state, "failed")
        self.assertIn("bad data", run.issue_ids[0].message)

    def test_a_cancelled_batch_fails_the_run_too(self):
        run = self.start()
        jobs = self.queued_jobs("isp.invoice.run", "_invoice_batch")
        for record in jobs[1:]:
            self.run_job(record)
        jobs[0].button_cancelled()
        self.run_jobs("isp.invoice.run", "_check_batches")
        self.assertEqual(run.state, "failed")
        self.assertIn("Cancelled", run.failed_batches)
        run.with_user(self.isp_billing).action_retry_failed_batches()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        self.run_jobs("isp.invoice.run", "_finish")
        self.assertEqual(run.state, "done")
        for customer in self.customers:
            self.assertEqual(len(self.invoices(customer)), 1)

    def test_queue_jobs_own_runner_failing_a_batch_queues_the_check(self):
        """The runner's own failure path, which stores the failure in a cursor of its own."""
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        run = self.start()
        record = self.queued_jobs("isp.invoice.run", "_invoice_batch")[0]
        # Not assertRaises: Odoo's rolls back what happened inside it, the failure stored too.
        with (
            patch.object(
                isp_invoice_run.IspInvoiceRun,
                "_invoice_batch",
                side_effect=ValueError("bad data"),
                autospec=True,
            ),
            mute_logger("odoo.addons.queue_job.controllers.main"),
        ):
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            try:
                RunJobController._runjob(self.env, job)
            except ValueError as error:
                self.assertEqual(error.args, ("bad data",))
            else:
                self.fail("the runner lets the job's error through")
        record.invalidate_recordset()
        self.assertEqual(record.state, "failed")
        self.assertEqual(record.exc_message, "bad data")
        check = self.queued_jobs("isp.invoice.run", "_check_batches")
        self.assertEqual(check.records, run)
