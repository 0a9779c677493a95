# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestDunningBatch(IspBillingCommon):
    """A batch's payment reminders go out together: one rendering per language, the emails,
    their chatter messages and the customers' notes created at once, each customer still in
    their own language and each invoice still with its own outcome."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["isp.dunning.step"].create([{"days_after_due": 1, "action": "reminder_email"}])
        cls.company.write({"email": "billing@test-isp.example"})
        cls.env["res.lang"]._activate_lang("id_ID")
        cls.template = cls.env.ref("isp_subscription.mail_template_dunning_reminder")
        cls.template.with_context(lang="id_ID").subject = "Pengingat pembayaran: faktur {{ object.name }}"
        cls.customer.write({"email": "budi@example.com", "lang": "id_ID"})
        cls.english = [cls.new_customer(f"Customer {n}", email=f"c{n}@example.com") for n in range(3)]
        cls.no_email = cls.new_customer("Without Email")
        for partner in (cls.customer, *cls.english, cls.no_email):
            cls.subscribe_active(partner)
        cls.isp_billing.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.env["isp.invoice.run"].create({"date": "2026-11-01"}).action_start()

    def setUp(self):
        super().setUp()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        self.assertEqual(len(self.invoices()), 5)

    def dun(self, day="2026-11-02"):
        with freeze_time(day):
            self.env["isp.dunning"].with_user(self.isp_billing).run(day)
            self.run_jobs("isp.dunning", "_run_batch")

    def reminder(self, partner):
        """The reminder in the chatter of the customer's invoice, and its email."""
        invoice = self.invoices(partner)
        message = invoice.message_ids.filtered(lambda m: m.message_type == "comment")
        mail = self.env["mail.mail"].search([("mail_message_id", "in", message.ids)])
        return invoice, message, mail

    def test_reminders_of_a_batch_are_created_together_in_each_customers_language(self):
        Thread = type(self.env["account.move"])
        with patch.object(Thread, "message_post_with_source", side_effect=AssertionError("one by one")):
            self.dun()
        invoice, message, mail = self.reminder(self.customer)
        self.assertEqual(len(message), 1, "one message per invoice in its chatter")
        self.assertEqual(message.subject, f"Pengingat pembayaran: faktur {invoice.name}", "in Indonesian")
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(message.author_id, self.company.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(mail.email_from, '"Test ISP" <billing@test-isp.example>', "the company's address")
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(invoice.name, str(mail.body_html))
        notification = message.notification_ids
        self.assertEqual(
            (notification.res_partner_id, notification.notification_type, notification.mail_mail_id),
            (self.customer, "email", mail),
            "the envelope in the chatter follows the email",
        )
        for partner in self.english:
            invoice, message, mail = self.reminder(partner)
            self.assertEqual(message.subject, f"Payment reminder: invoice {invoice.name}", "in English")
            self.assertEqual(mail.recipient_ids, partner)
            self.assertTrue(
                partner.message_ids.filtered(lambda m, i=invoice: f"emailed for {i.name}" in str(m.body))
            )
            self.assertEqual(self.invoices(partner).isp_dunning_log_ids.state, "done")
        self.assertFalse(
            self.env["mail.notification"].search(
                [("mail_message_id.model", "=", "account.move"), ("notification_type", "=", "inbox")]
            ),
            "the invoices' followers are not notified one by one",
        )

    def test_a_customer_without_email_is_skipped_and_the_others_are_emailed(self):
        self.dun()
        log = self.invoices(self.no_email).isp_dunning_log_ids
        self.assertEqual((log.state, log.note), ("skipped", "no email address, nothing sent"))
        self.assertTrue(
            self.no_email.message_ids.filtered(lambda m: "No payment reminder emailed" in str(m.body))
        )
        self.assertFalse(self.reminder(self.no_email)[2])
        self.assertEqual(len(self.env["mail.mail"].search([("model", "=", "account.move")])), 4)

    def test_when_the_batch_cannot_be_sent_together_each_invoice_is_sent_alone(self):
        Dunning = type(self.env["isp.dunning"])
        with patch.object(Dunning, "_send_reminders", side_effect=ValueError("broken batch")):
            self.dun()
        for partner in (self.customer, *self.english):
            invoice, _message, mail = self.reminder(partner)
            self.assertEqual(len(mail), 1, "sent by Odoo's one-by-one path")
            self.assertEqual(invoice.isp_dunning_log_ids.state, "done")
        self.assertEqual(self.invoices(self.no_email).isp_dunning_log_ids.state, "skipped")

    def test_a_reminder_is_sent_once(self):
        self.dun()
        self.dun("2026-11-03")
        self.assertEqual(len(self.env["mail.mail"].search([("model", "=", "account.move")])), 4)
        self.assertEqual(len(self.invoices(self.customer).isp_dunning_log_ids), 1)

    def test_suspensions_of_a_batch_are_made_together_each_for_its_own_invoice(self):
        self.env["isp.dunning.step"].create([{"days_after_due": 10, "action": "suspend"}])
        Subscription = type(self.env["isp.subscription"])
        suspend = Subscription._suspend
        calls = []

        def counted(records, *args, **kwargs):
            calls.append(len(records))
            return suspend(records, *args, **kwargs)

        with patch.object(Subscription, "_suspend", counted):
            self.dun("2026-11-11")
        self.assertEqual(calls, [5], "one suspension for the whole batch")
        for partner in (self.customer, *self.english, self.no_email):
            invoice = self.invoices(partner)
            subscription = self.env["isp.subscription"].search([("partner_id", "=", partner.id)])
            self.assertEqual(subscription.state, "suspended")
            self.assertTrue(subscription.suspended_for_debt)
            reason = (
                f"Tagihan {invoice.name} belum dibayar."
                if partner == self.customer
                else f"Invoice {invoice.name} is unpaid."
            )
            self.assertEqual(subscription.suspension_reason, reason, "its own invoice, in its language")
            self.assertEqual(subscription.suspension_ids.reason, reason)
            notes = subscription.message_ids.filtered(lambda m: "Suspended:" in str(m.body))
            self.assertEqual(len(notes), 1)
            log = invoice.isp_dunning_log_ids.filtered(lambda entry: entry.action == "suspend")
            self.assertEqual((log.state, log.note), ("done", subscription.name))

    def test_when_the_batch_cannot_be_suspended_together_each_invoice_is_alone(self):
        self.env["isp.dunning.step"].create([{"days_after_due": 10, "action": "suspend"}])
        Subscription = type(self.env["isp.subscription"])
        suspend = Subscription._suspend
        refused = self.env["isp.subscription"].search([("partner_id", "=", self.english[0].id)])

        def refusing(records, *args, **kwargs):
            if refused in records:
                raise ValueError("the router of this site does not answer")
            return suspend(records, *args, **kwargs)

        with patch.object(Subscription, "_suspend", refusing):
            self.dun("2026-11-11")
        log = self.invoices(self.english[0]).isp_dunning_log_ids.filtered(
            lambda entry: entry.action == "suspend"
        )
        self.assertEqual((log.state, refused.state), ("failed", "active"))
        self.assertIn("does not answer", log.note)
        for partner in (self.customer, *self.english[1:], self.no_email):
            subscription = self.env["isp.subscription"].search([("partner_id", "=", partner.id)])
            self.assertEqual(subscription.state, "suspended", "the others are suspended one by one")
