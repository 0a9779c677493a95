# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import threading
from datetime import timedelta
from http.server import HTTPServer

from odoo import fields
from odoo.tests import tagged

from odoo.addons.isp_subscription.models.isp_sms_message import MAX_ATTEMPTS
from odoo.addons.isp_subscription.tests.test_dunning import FlakyGateway

from .test_incident import IspIncidentCommon


@tagged("post_install", "-at_install")
class TestNotificationFanOut(IspIncidentCommon):
    @classmethod
    def make_customers(cls, count, prefix):
        partners = cls.env["res.partner"].create(
            [
                cls.customer_vals(
                    name=f"{prefix} {i}",
                    mobile=f"0812-{i:04d}-{len(prefix):04d}",
                    email=f"{prefix.lower()}{i}@example.com",
                    isp_site_id=cls.access_point.id,
                )
                for i in range(count)
            ]
        )
        cls.env["isp.subscription"].create(
            [
                {
                    "partner_id": p.id,
                    "product_id": cls.plan.id,
                    "site_id": cls.access_point.id,
                    "state": "active",
                }
                for p in partners
            ]
        )
        return partners

    def fan_out(self, partners):
        self.env.flush_all()
        self.env.invalidate_all()
        template = self.env.ref("isp_helpdesk.mail_template_incident_open")
        incident = self.make_incident()
        queries = self.env.cr.sql_log_count
        result = self.env["isp.notification"]._notify(
            partners,
            email_template=template,
            sms_body=lambda p: f"Outage, {p.name}",
            channels=("email", "sms"),
            res_record=incident,
        )
        self.env.flush_all()
        return result, self.env.cr.sql_log_count - queries

    def test_fan_out_is_batched(self):
        few = self.make_customers(5, "Few")
        many = self.make_customers(40, "Many")
        result, few_queries = self.fan_out(few)
        self.assertEqual(len(result["mails"]), 5)
        self.assertEqual(len(result["texts"]), 5)
        result, many_queries = self.fan_out(many)
        self.assertEqual(len(result["mails"]), 40)
        self.assertEqual(set(result["mails"].mapped("recipient_ids")), set(many))
        self.assertEqual(sorted(result["texts"].mapped("body")), sorted(f"Outage, {p.name}" for p in many))
        self.assertTrue(all(t.number.startswith("+62") for t in result["texts"]))
        # 35 more customers cost far less than one query each: the work is done in batches
        self.assertLess(many_queries - few_queries, 35, (few_queries, many_queries))
        notes = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "in", many.ids), ("message_type", "=", "notification")]
        )
        self.assertEqual(len(notes), 40, "one note per customer")
        self.assertFalse(
            self.env["mail.followers"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", many.ids)]
            ),
            "no follower work",
        )

    def test_email_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        template = self.env.ref("isp_helpdesk.mail_template_incident_open")
        template.with_context(lang="id_ID").subject = "Gangguan layanan di daerah Anda: {{ object.name }}"
        speaker = self.env["res.partner"].create(
            self.customer_vals(name="Ayu", email="ayu@example.com", lang="id_ID", mobile="0812-5555-6666")
        )
        english = self.env["res.partner"].create(
            self.customer_vals(name="John", email="john@example.com", lang="en_US")
        )
        incident = self.make_incident()
        mails = self.env["isp.notification"]._notify(
            speaker | english, email_template=template, channels=("email",), res_record=incident
        )["mails"]
        by_partner = {m.recipient_ids: m for m in mails}
        self.assertEqual(by_partner[speaker].subject, "Gangguan layanan di daerah Anda: POP down")
        self.assertEqual(by_partner[english].subject, "Service interruption in your area: POP down")
        self.assertEqual(by_partner[speaker].email_from, self.company.email_formatted)

    def test_a_template_on_the_customer_is_rendered_for_each(self):
        template = self.env["mail.template"].create(
            {
                "name": "Hello",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "Hello {{ object.name }}, about {{ ctx['isp_record'].name }}",
                "body_html": "<p>Hi</p>",
                "lang": "{{ object.lang }}",
            }
        )
        partners = self.make_customers(3, "Each")
        mails = self.env["isp.notification"]._notify(
            partners, email_template=template, channels=("email",), res_record=self.make_incident()
        )["mails"]
        self.assertEqual(
            sorted(mails.mapped("subject")), sorted(f"Hello {p.name}, about POP down" for p in partners)
        )

    def test_missing_address_and_number_are_noted_not_lost(self):
        lonely = self.new_customer("Lonely")
        self.assertFalse(lonely.email or lonely.mobile)
        template = self.env.ref("isp_helpdesk.mail_template_incident_open")
        result = self.env["isp.notification"]._notify(
            lonely,
            email_template=template,
            sms_body="Hello",
            channels=("email", "sms", "whatsapp"),
            res_record=self.make_incident(),
        )
        self.assertFalse(result["mails"] or result["texts"])
        note = lonely.message_ids.filtered(lambda m: "no email address" in str(m.body))
        self.assertEqual(len(note), 1)
        self.assertIn("no mobile number", str(note.body))


@tagged("post_install", "-at_install")
class TestNotificationGateway(IspIncidentCommon):
    """SMS through a gateway on loopback that fails, then recovers (isp_subscription's test server)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), FlakyGateway)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.shutdown)
        cls.company.write(
            {
                "isp_sms_provider": "http_json",
                "isp_sms_gateway_url": f"http://127.0.0.1:{cls.server.server_port}/send",
                "isp_sms_sender": "YOGYANET",
            }
        )

    def setUp(self):
        super().setUp()
        FlakyGateway.received = []

    def due_now(self, messages):
        messages.write({"next_attempt": fields.Datetime.now() - timedelta(seconds=1)})

    def test_gateway_fails_then_recovers(self):
        FlakyGateway.failures = 1
        incident = self.make_incident(notify_email=False)
        incident.with_user(self.isp_technician).action_open()
        text = self.texts(self.customer)
        self.assertEqual(text.state, "queued")
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(text.state, "retrying", "a failed send stays visible, never lost")
        self.assertIn("503", text.error)
        self.assertEqual(text.attempts, 1)
        self.assertIn(
            text, self.env["isp.sms.message"].search([("state", "!=", "sent")]), "listed as not sent"
        )
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(text.state, "retrying", "the retry waits for its delay")
        self.due_now(text)
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(text.state, "sent")
        self.assertFalse(text.error)
        self.assertEqual(FlakyGateway.received[-1][1]["to"], "+6281234567890")
        self.assertIn("POP down", FlakyGateway.received[-1][1]["text"])
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: "SMS sent to +6281234567890" in str(m.body))
        )

    def test_an_email_the_server_refused_is_sent_again_a_few_times(self):
        incident = self.make_incident(notify_sms=False)
        incident.action_open()
        mail = self.mails(self.customer)
        self.assertTrue(mail.isp_notification)

        def fail(failure_type=False, minutes=20):
            mail.write({"state": "exception", "failure_type": failure_type, "failure_reason": "SMTP down"})
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE mail_mail SET write_date = write_date - interval '%s minutes' WHERE id = %s",
                (minutes, mail.id),
            )
            mail.invalidate_recordset()

        fail(minutes=5)
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(mail.state, "exception", "the retry waits for its delay")
        fail()
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.isp_retries, 1)
        self.assertFalse(mail.failure_reason)
        for _retry in range(10):
            fail()
            self.env["isp.sms.message"]._cron_send()
        self.assertEqual(mail.isp_retries, 5)
        self.assertEqual(mail.state, "exception", "capped: it stays failed, in sight")
        mail.isp_retries = 0
        fail("mail_email_invalid")
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(mail.state, "exception", "a wrong address is not tried again")

    def test_retries_are_capped_and_the_failure_stays_listed(self):
        FlakyGateway.failures = 1000
        incident = self.make_incident(notify_email=False)
        incident.action_open()
        text = self.texts(self.customer)
        for _attempt in range(MAX_ATTEMPTS + 3):
            self.due_now(text)
            self.env["isp.sms.message"]._cron_send()
        self.assertEqual(text.state, "failed")
        self.assertEqual(text.attempts, MAX_ATTEMPTS, "the cron gives up after the last attempt")
        action = self.env["ir.actions.act_window"]._for_xml_id("isp_subscription.action_isp_sms_messages")
        self.assertIn(text, self.env["isp.sms.message"].search([("state", "=", "failed")]))
        self.assertEqual(action["res_model"], "isp.sms.message")
        self.assertTrue(self.customer.message_ids.filtered(lambda m: "could not be sent" in str(m.body)))
        # billing staff send it again by hand once the gateway is back
        FlakyGateway.failures = 0
        text.with_user(self.isp_billing).action_retry()
        self.assertEqual(text.state, "sent")
