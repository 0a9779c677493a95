# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestDunningRun(IspBillingCommon):
    """The dunning as billing staff run it: its API, a failing customer, missing contact details,
    the preview, the late fee settings and company isolation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        steps = [(1, "reminder_email"), (3, "sms"), (7, "late_fee"), (10, "suspend"), (60, "terminate")]
        cls.env["isp.dunning.step"].create(
            [{"days_after_due": days, "action": action} for days, action in steps]
        )
        cls.company.write({"isp_late_fee_fixed": 10000, "email": "billing@test-isp.example"})
        cls.customer.email = "budi@example.com"
        cls.other = cls.env["res.partner"].create(
            cls.customer_vals(name="Siti Rahayu", email="siti@example.com", mobile="0813-1111-2222")
        )
        cls.subscription = cls.subscribe_active()
        cls.other_subscription = cls.subscribe_active(cls.other)
        # A billing clerk of this company, without an email address of their own.
        cls.isp_billing.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.isp_billing.partner_id.email = False
        cls.isp_manager.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.env["isp.invoice.run"].create({"date": "2026-11-01"}).action_start()

    def setUp(self):
        super().setUp()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        self.invoice_due = self.invoices(self.customer)  # due on 2026-11-01
        self.other_invoice = self.invoices(self.other)
        self.assertEqual(len(self.invoice_due), 1)
        self.assertEqual(len(self.other_invoice), 1)

    def as_billing(self, model="isp.dunning"):
        return self.env[model].with_user(self.isp_billing)

    def dun(self, day, user=None):
        """The billing clerk runs the dunning on ``day`` (a string, as over RPC); its jobs run."""
        with freeze_time(day):
            jobs = self.env["isp.dunning"].with_user(user or self.isp_billing).run(day)
            self.run_jobs("isp.dunning", "_run_batch")
        return jobs

    def logs(self, move, action=None):
        """The invoice's dunning log, oldest first."""
        logs = move.isp_dunning_log_ids.sorted("id")
        return logs.filtered(lambda log: log.action == action) if action else logs

    # The API

    def test_run_is_for_billing_staff_only(self):
        main = self.env.ref("base.main_company")
        for user in (self.isp_user, self.isp_technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["isp.dunning"].with_user(user).with_context(allowed_company_ids=main.ids).run()
        self.assertFalse(self.queued_jobs("isp.dunning", "_run_batch"))

    def test_run_takes_a_date_string_and_returns_the_number_of_jobs(self):
        with freeze_time("2026-11-30"):
            jobs = self.as_billing().run("2026-11-02")
        self.assertEqual(jobs, 1)
        self.assertIsInstance(jobs, int)
        self.assertEqual(len(self.queued_jobs("isp.dunning", "_run_batch")), 1)
        with freeze_time("2026-11-30"):
            self.assertEqual(self.as_billing().run(date(2026, 11, 2)), 1, "a date is fine too")

    def test_run_refuses_a_future_day_or_a_non_date(self):
        with freeze_time("2026-11-30"):
            with self.assertRaisesRegex(UserError, "future"):
                self.as_billing().run("2026-12-01")
            with self.assertRaisesRegex(UserError, "YYYY-MM-DD"):
                self.as_billing().run("30/11/2026")
            with self.assertRaisesRegex(UserError, "YYYY-MM-DD"):
                self.as_billing().run(20261130)
        self.assertFalse(self.queued_jobs("isp.dunning", "_run_batch"))

    def test_scheduled_action_still_runs_as_superuser(self):
        with freeze_time("2026-11-02"):
            self.env["isp.dunning"]._cron_run()
            self.run_jobs("isp.dunning", "_run_batch")
        self.assertEqual(self.logs(self.invoice_due).mapped("state"), ["done"])
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", self.invoice_due.id)]
        )
        self.assertEqual(mail.email_from, self.company.email_formatted, "sent from the company, not OdooBot")

    # One customer's failure never stops the batch

    def test_a_failing_step_is_logged_and_the_batch_goes_on(self):
        Subscription = type(self.env["isp.subscription"])
        suspend = Subscription._suspend

        def unreachable(subscriptions, *args, **kwargs):
            suspend(subscriptions, *args, **kwargs)  # what it wrote is rolled back
            if self.subscription in subscriptions:
                raise UserError(self.env._("The router of Budi's site does not answer."))

        with patch.object(Subscription, "_suspend", unreachable):
            self.dun("2026-11-11")
        self.assertEqual(self.other_subscription.state, "suspended", "the rest of the batch is suspended")
        self.assertEqual(self.subscription.state, "active", "the failed step left nothing half-done")
        self.assertFalse(self.subscription.suspension_ids)
        failed = self.logs(self.invoice_due, "suspend")
        self.assertEqual(failed.state, "failed")
        self.assertIn("does not answer", failed.note)
        self.assertEqual(
            set(self.logs(self.invoice_due).mapped("state")), {"done", "failed"}, "its other steps were done"
        )
        self.assertEqual(self.logs(self.other_invoice, "suspend").state, "done")
        # The next run tries the failed step again, and only that one.
        self.dun("2026-11-12")
        self.assertEqual(self.subscription.state, "suspended")
        self.assertEqual(self.logs(self.invoice_due, "suspend").mapped("state"), ["failed", "done"])
        self.assertEqual(len(self.logs(self.invoice_due, "reminder_email")), 1)
        self.assertEqual(len(self.logs(self.other_invoice)), 4, "nothing done twice for the other customer")

    def test_a_broken_late_fee_setting_does_not_stop_the_batch(self):
        """Settings written before they were checked (or straight into the database)."""
        self.env.cr.execute("UPDATE res_company SET isp_late_fee_fixed = -5 WHERE id = %s", [self.company.id])
        self.env.invalidate_all()
        self.dun("2026-11-11")
        self.assertEqual(self.subscription.state, "suspended")
        self.assertEqual(self.logs(self.invoice_due, "late_fee").state, "failed")
        self.assertIn("negative", self.logs(self.invoice_due, "late_fee").note)

    # Missing contact details

    def test_customer_without_email_is_not_emailed_and_gets_the_text_message(self):
        self.customer.email = False
        self.dun("2026-11-04")
        reminder = self.logs(self.invoice_due, "reminder_email")
        self.assertEqual(reminder.state, "skipped")
        self.assertEqual(reminder.note, "no email address, nothing sent")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "account.move"), ("res_id", "=", self.invoice_due.id)]
            )
        )
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: "No payment reminder emailed" in str(m.body))
        )
        sms = self.logs(self.invoice_due, "sms")
        self.assertEqual((sms.state, sms.note), ("done", "+6281234567890"))
        self.dun("2026-11-05")
        self.assertEqual(len(self.logs(self.invoice_due, "reminder_email")), 1, "not tried every day")

    def test_customer_without_mobile_number(self):
        self.customer.write({"mobile": False, "phone": False})
        self.dun("2026-11-04")
        sms = self.logs(self.invoice_due, "sms")
        self.assertEqual((sms.state, sms.note), ("skipped", "no mobile number, nothing sent"))
        self.assertFalse(self.env["isp.sms.message"].search([("partner_id", "=", self.customer.id)]))

    def test_reminder_sent_from_the_company_when_the_clerk_has_no_email(self):
        self.assertFalse(self.isp_billing.email)
        self.dun("2026-11-02")
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", self.invoice_due.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_from, '"Test ISP" <billing@test-isp.example>')
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(self.logs(self.invoice_due).state, "done")

    def test_reminder_without_any_sender_address_fails_visibly_then_retries(self):
        self.company.email = False
        self.dun("2026-11-02")
        failed = self.logs(self.invoice_due)
        self.assertEqual(failed.state, "failed")
        self.assertIn("set an email address on the company", failed.note)
        self.assertEqual(self.logs(self.other_invoice).state, "failed")
        # The clerk has an address now: the next run sends from it.
        self.isp_billing.partner_id.email = "clerk@test-isp.example"
        self.dun("2026-11-03")
        self.assertEqual(self.logs(self.invoice_due).mapped("state"), ["failed", "done"])
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", self.invoice_due.id)]
        )
        self.assertIn("clerk@test-isp.example", mail.email_from)

    # Run Dunning Now

    def test_preview_changes_nothing_then_runs(self):
        with freeze_time("2026-11-11"):
            action = self.as_billing("isp.dunning.log").action_run_dunning_now()
        wizard = self.env["isp.dunning.run.wizard"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "isp.dunning.run.wizard")
        self.assertEqual(wizard.date, date(2026, 11, 11))
        lines = wizard.line_ids.filtered(lambda line: line.move_id == self.invoice_due)
        self.assertEqual(lines.mapped("action"), ["reminder_email", "sms", "late_fee", "suspend"])
        self.assertEqual(lines.partner_id, self.customer)
        self.assertEqual(set(lines.mapped("days_overdue")), {10})
        self.assertAlmostEqual(lines[0].amount_due, self.invoice_due.amount_residual)
        email, sms, fee, suspend = lines.mapped("description")
        self.assertEqual(email, "email to budi@example.com")
        self.assertEqual(sms, "text message to +6281234567890")
        self.assertRegex(fee, r"^late fee of .*10,000\.00")  # in the company's currency
        self.assertEqual(suspend, f"suspend {self.subscription.name}")
        self.assertEqual(len(wizard.line_ids), 8)
        self.assertIn("Suspend: 2", wizard.summary)
        # Nothing happened yet.
        self.assertFalse(self.env["isp.dunning.log"].search([("move_id", "in", self.invoices().ids)]))
        self.assertFalse(self.queued_jobs("isp.dunning", "_run_batch"))
        self.assertEqual(self.subscription.state, "active")
        with freeze_time("2026-11-11"):
            result = wizard.with_user(self.isp_billing).action_run()
            self.run_jobs("isp.dunning", "_run_batch")
        self.assertEqual(result["type"], "ir.actions.client")
        self.assertEqual(self.subscription.state, "suspended")
        self.assertEqual(self.other_subscription.state, "suspended")

    def test_preview_queries_do_not_grow_with_invoices(self):
        def preview_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time("2026-11-11"):
                lines = self.env["isp.dunning"]._preview(date(2026, 11, 11))
            return self.env.cr.sql_log_count - before, len(lines)

        queries, lines = preview_queries()
        more = [self.new_customer(f"Customer {n}", email=f"c{n}@example.com") for n in range(5)]
        for partner in more:
            self.subscribe_active(partner)
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        run = self.env["isp.invoice.run"].create({"date": "2026-11-01"})
        run.action_start()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        self.assertEqual(len(self.invoices()), 7)
        more_queries, more_lines = preview_queries()
        self.assertEqual(more_lines, lines * 7 // 2)
        self.assertEqual(more_queries, queries, "no query per invoice")

    def test_preview_is_for_billing_staff(self):
        main = self.env.ref("base.main_company")
        with self.assertRaises(AccessError):
            self.env["isp.dunning.log"].with_user(self.isp_user).with_context(
                allowed_company_ids=main.ids
            ).action_run_dunning_now()

    # Late fee settings

    def test_late_fee_settings_that_would_break_the_run_are_refused(self):
        company = self.company.with_user(self.isp_manager)
        for values in (
            {"isp_late_fee_fixed": -1},
            {"isp_late_fee_percent": -2},
            {"isp_late_fee_min": -3},
            {"isp_late_fee_max": -4},
            {"isp_late_fee_percent": 150},
            {"isp_late_fee_min": 50000, "isp_late_fee_max": 20000},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError), self.env.cr.savepoint():
                company.write(values)
        company.write({"isp_late_fee_min": 5000, "isp_late_fee_max": 0, "isp_late_fee_percent": 2})
        self.assertEqual(self.company.isp_late_fee_min, 5000, "an ISP manager sets the late fees")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            company.write({"isp_late_fee_max": 1000})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["res.config.settings"].create({"isp_late_fee_percent": -1}).execute()

    def test_billing_staff_cannot_set_late_fees(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.isp_billing).write({"isp_late_fee_fixed": 0})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.isp_billing).create({"isp_late_fee_fixed": 0})
        self.assertEqual(self.company.isp_late_fee_fixed, 10000)

    def test_a_manager_sets_only_the_billing_policy_of_their_companies(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.isp_manager).write({"name": "Renamed"})
        other = self.env["res.company"].create({"name": "Other ISP"})
        with self.assertRaises(AccessError):
            other.with_user(self.isp_manager).write({"isp_late_fee_fixed": 1})
        action = self.env["isp.dunning.step"].with_user(self.isp_manager).action_open_late_fees()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.company", self.company.id))
        with self.assertRaises(AccessError):
            self.env["isp.dunning.step"].with_user(self.isp_billing).action_open_late_fees()

    # Companies

    def test_dunning_log_of_another_company_is_invisible(self):
        self.dun("2026-11-02")
        log = self.logs(self.invoice_due)
        self.assertEqual(log.company_id, self.company)
        main = self.env.ref("base.main_company")
        clerk = new_test_user(
            self.env,
            "billing_main",
            groups="isp_base.group_isp_billing",
            company_id=main.id,
            company_ids=[Command.set(main.ids)],
        )
        Log = self.env["isp.dunning.log"].with_user(clerk).with_context(allowed_company_ids=main.ids)
        self.assertFalse(Log.search([("id", "=", log.id)]))
        with self.assertRaises(AccessError):
            Log.browse(log.id).read(["note"])
