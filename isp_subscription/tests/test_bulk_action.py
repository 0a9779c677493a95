# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import IspSubscriptionCommon


@tagged("post_install", "-at_install")
class TestBulkAction(IspSubscriptionCommon):
    """Bulk actions from the subscriptions' list, as each role: queued in the channel of the
    work, one failure never stopping the others, a summary for the user who started it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create(cls.customer_vals(name="Siti Rahayu", mobile=False))
        cls.customer.email = "budi@example.com"
        cls.active = cls.env["isp.subscription"]
        for partner in (cls.customer, cls.other, cls.customer):
            subscription = cls.subscribe(partner_id=partner.id, date_start="2026-10-01")
            subscription.action_activate()
            cls.active |= subscription
        cls.draft = cls.subscribe()
        cls.suspended = cls.subscribe(date_start="2026-10-01")
        cls.suspended.action_activate()
        cls.suspended.action_suspend("Customer's request")

    def bulk(self, user, subscriptions, **values):
        wizard = (
            self.env["isp.subscription.bulk.action"]
            .with_user(user)
            .with_context(active_model="isp.subscription", active_ids=subscriptions.ids)
            .create(values)
        )
        action = wizard.action_confirm()
        return self.env["isp.bulk.operation"].with_user(user).browse(action["res_id"])

    def jobs(self):
        return self.env["queue.job"].search(
            [("model_name", "=", "isp.bulk.operation"), ("state", "=", "pending")], order="id"
        )

    def run_bulk_jobs(self, channel):
        jobs = self.jobs()
        self.assertTrue(jobs)
        self.assertEqual(set(jobs.mapped("channel")), {channel})
        for job in jobs:
            self.run_job(job)

    def test_billing_suspends_a_selection_and_sees_what_failed(self):
        selection = self.active | self.draft | self.suspended
        operation = self.bulk(self.isp_billing, selection, action="suspend", reason="Storm damage")
        self.assertEqual(operation.state, "queued")
        self.assertEqual(operation.count_total, 5)
        self.run_bulk_jobs("root.isp_billing")
        self.assertEqual(operation.state, "done")
        self.assertEqual((operation.count_done, operation.count_skipped, operation.count_failed), (3, 1, 1))
        self.assertEqual(set(self.active.mapped("state")), {"suspended"})
        self.assertEqual(set(self.active.mapped("suspension_reason")), {"Storm damage"})
        self.assertEqual(self.draft.state, "draft")
        failed = operation.line_ids.filtered(lambda line: line.result == "failed")
        self.assertEqual(failed.subscription_id, self.draft)
        self.assertIn("cannot become Suspended", failed.error)
        self.assertEqual(
            operation.line_ids.filtered(lambda line: line.result == "skipped").subscription_id, self.suspended
        )
        summary = operation.message_ids[:1]
        self.assertIn("3 done, 1 skipped, 1 failed", summary.body)
        self.assertIn(self.isp_billing.partner_id, summary.partner_ids, "the user who started it is notified")
        action = operation.action_open_failed()
        self.assertEqual(set(action["domain"][0][2]), set((self.draft | self.suspended).ids))

    def test_billing_reconnects(self):
        operation = self.bulk(self.isp_billing, self.suspended | self.active[0], action="reconnect")
        self.run_bulk_jobs("root.isp_billing")
        self.assertEqual(self.suspended.state, "active")
        self.assertEqual((operation.count_done, operation.count_skipped), (1, 1))

    def test_billing_changes_plan_through_the_billing_rule(self):
        terminated = self.subscribe(date_start="2026-10-01")
        terminated.action_activate()
        terminated.action_terminate("2026-10-20")
        operation = self.bulk(
            self.isp_billing,
            self.active | terminated,
            action="change_plan",
            product_id=self.faster_plan.id,
            change_date="2026-11-01",
            timing="now",
        )
        self.run_bulk_jobs("root.isp_billing")
        self.assertEqual((operation.count_done, operation.count_failed), (3, 1))
        for subscription in self.active:
            self.assertEqual(subscription.product_id, self.faster_plan)
            self.assertEqual(
                subscription.plan_period_ids.sorted("date_from").mapped("product_id"),
                self.plan | self.faster_plan,
            )
        self.assertIn("terminated", operation.line_ids.error)
        self.assertEqual(terminated.product_id, self.plan)

    def test_billing_sends_text_messages_and_emails(self):
        operation = self.bulk(
            self.isp_billing,
            self.active,
            action="message",
            message_channel="sms",
            message_text="Maintenance tonight",
        )
        self.run_bulk_jobs("root.isp_billing")
        self.assertEqual((operation.count_done, operation.count_failed), (2, 1))
        self.assertIn("no mobile number", operation.line_ids.error)
        messages = self.env["isp.sms.message"].search([("body", "=", "Maintenance tonight")])
        self.assertEqual(messages.partner_id, self.customer)
        self.assertEqual(set(messages.mapped("number")), {"+6281234567890"})

        operation = self.bulk(
            self.isp_billing,
            self.active,
            action="message",
            message_channel="email",
            message_subject="Maintenance",
            message_text="Maintenance tonight",
        )
        self.run_bulk_jobs("root.isp_billing")
        self.assertEqual((operation.count_done, operation.count_failed), (2, 1))
        self.assertIn("no email address", operation.line_ids.error)
        posted = self.active[0].message_ids.filtered(lambda m: m.subject == "Maintenance")
        self.assertEqual(posted.partner_ids, self.customer)

    def test_the_wizard_form_and_an_email_template(self):
        template = self.env["mail.template"].create(
            {
                "name": "Maintenance notice",
                "model_id": self.env.ref("isp_subscription.model_isp_subscription").id,
                "subject": "Maintenance for {{ object.name }}",
                "body_html": "<p>Dear <t t-out='object.partner_id.name'/>, maintenance tonight.</p>",
                "email_to": "{{ object.partner_id.email }}",
            }
        )
        wizard_model = (
            self.env["isp.subscription.bulk.action"]
            .with_user(self.isp_billing)
            .with_context(active_model="isp.subscription", active_ids=self.active.ids)
        )
        form = Form(wizard_model)
        self.assertEqual(form.subscription_count, 3)
        form.action = "message"
        form.message_channel = "email"
        wizard = form.save()
        with self.assertRaises(UserError):
            wizard.action_confirm()
        wizard.mail_template_id = template
        operation = self.env["isp.bulk.operation"].browse(wizard.action_confirm()["res_id"])
        self.run_bulk_jobs("root.isp_billing")
        self.assertEqual((operation.count_done, operation.count_failed), (2, 1))
        mails = self.env["mail.mail"].search([("subject", "=", f"Maintenance for {self.active[0].name}")])
        self.assertEqual(len(mails), 1)
        self.assertIn("Dear Budi Santoso", mails.body_html)

        form = Form(wizard_model)
        form.action = "change_plan"
        form.product_id = self.faster_plan
        self.assertEqual(form.timing, "auto")
        form.save().action_confirm()
        self.run_bulk_jobs("root.isp_billing")
        self.assertEqual(set(self.active.mapped("product_id")), {self.faster_plan})

    def test_technician_retries_provisioning_only(self):
        operation = self.bulk(self.isp_technician, self.active | self.draft, action="retry_provisioning")
        self.run_bulk_jobs("root.isp_provisioning")
        self.assertEqual((operation.count_done, operation.count_skipped), (3, 1))
        with self.assertRaises(AccessError):
            self.bulk(self.isp_technician, self.active, action="suspend")
        with self.assertRaises(AccessError):
            self.bulk(self.isp_billing, self.active, action="retry_provisioning")
        with self.assertRaises(AccessError):
            self.bulk(self.isp_user, self.active, action="suspend")

    def test_manager_does_all_and_sees_every_operation(self):
        billing_operation = self.bulk(self.isp_billing, self.active, action="suspend")
        network_operation = self.bulk(self.isp_manager, self.active, action="retry_provisioning")
        manager_operation = self.bulk(self.isp_manager, self.suspended, action="reconnect")
        Operations = self.env["isp.bulk.operation"]
        self.assertEqual(
            Operations.with_user(self.isp_manager).search([]) & (billing_operation | network_operation),
            billing_operation | network_operation,
        )
        self.assertEqual(Operations.with_user(self.isp_technician).search([]), Operations)
        self.assertEqual(
            Operations.with_user(self.isp_billing).search([]), billing_operation.with_user(self.isp_billing)
        )
        for job in self.jobs():
            self.run_job(job)
        self.assertEqual(self.suspended.state, "active")
        self.assertEqual(set(self.active.mapped("state")), {"suspended"})
        self.assertEqual(manager_operation.count_done, 1)
