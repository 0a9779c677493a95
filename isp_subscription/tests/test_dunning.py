# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import IspBillingCommon


class FlakyGateway(BaseHTTPRequestHandler):
    """An SMS gateway on loopback that fails its first ``failures`` requests."""

    failures = 0
    received = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.headers.get("Authorization"), body))
        if type(self).failures > 0:
            type(self).failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"msg-{len(type(self).received)}"}).encode())

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestDunning(IspBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        steps = [(1, "reminder_email"), (3, "sms"), (7, "late_fee"), (10, "suspend"), (60, "terminate")]
        cls.steps = cls.env["isp.dunning.step"].create(
            [{"days_after_due": days, "action": action} for days, action in steps]
        )
        cls.company.write(
            {"isp_late_fee_fixed": 10000, "isp_late_fee_percent": 2, "email": "billing@test-isp.example"}
        )
        cls.customer.email = "budi@example.com"
        cls.subscription = cls.subscribe_active()
        run = cls.env["isp.invoice.run"].create({"date": "2026-11-01"})
        run.action_start()

    def setUp(self):
        super().setUp()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        self.invoice_due = self.invoices(self.customer)  # due on 2026-11-01 (immediate payment)

    def dun(self, day):
        with freeze_time(day):
            self.env["isp.dunning"].run(date.fromisoformat(day))
            self.run_jobs("isp.dunning", "_run_batch")

    def test_each_step_once_in_order(self):
        self.dun("2026-11-02")
        self.assertEqual(self.invoice_due.isp_dunning_log_ids.mapped("action"), ["reminder_email"])
        self.assertTrue(
            self.invoice_due.message_ids.filtered(lambda m: "Payment reminder" in (m.subject or "")),
            "the reminder email is on the invoice",
        )
        self.assertTrue(self.customer.message_ids.filtered(lambda m: "reminder" in str(m.body)))
        self.dun("2026-11-02")
        self.assertEqual(len(self.invoice_due.isp_dunning_log_ids), 1, "a step is done once")
        self.dun("2026-11-04")
        sms = self.env["isp.sms.message"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sms.number, "+6281234567890")
        self.assertIn(self.invoice_due.name, sms.body)
        self.dun("2026-11-08")
        fee = self.subscription.charge_ids.filtered(lambda c: c.kind == "late_fee")
        # 10,000 + 2 % of 184,815 = 13,696.30
        self.assertAlmostEqual(fee.price_unit, 13696.30)
        self.dun("2026-11-11")
        self.assertEqual(self.subscription.state, "suspended")
        self.assertTrue(self.subscription.suspended_for_debt)
        self.dun("2026-12-31")
        self.assertEqual(self.subscription.state, "terminated")
        self.assertEqual(
            self.invoice_due.isp_dunning_log_ids.sorted("days_after_due").mapped("action"),
            ["reminder_email", "sms", "late_fee", "suspend", "terminate"],
        )

    def test_catching_up_never_terminates_without_suspending(self):
        self.dun("2027-01-15")
        self.assertEqual(self.subscription.state, "suspended")
        self.dun("2027-01-16")
        self.assertEqual(self.subscription.state, "terminated")

    def test_to_suspend_list(self):
        with freeze_time("2026-11-11"):
            due = self.env["isp.subscription"].search([("to_suspend", "=", True)])
        self.assertIn(self.subscription, due)
        with freeze_time("2026-11-05"):
            self.assertNotIn(
                self.subscription, self.env["isp.subscription"].search([("to_suspend", "=", True)])
            )

    def test_payment_reconnects_at_once_and_once(self):
        self.dun("2026-11-11")
        self.assertEqual(self.subscription.state, "suspended")
        provisioner = self.env["isp.provisioner"].with_context(active_test=False).search([], limit=1)
        provisioner.active = True
        self.pay(self.invoice_due)
        self.assertEqual(self.subscription.state, "active", "reconnected by the payment, no cron")
        self.assertFalse(self.subscription.suspended_for_debt)
        reconnections = self.subscription.message_ids.filtered(lambda m: "Reconnected" in str(m.body))
        self.assertEqual(len(reconnections), 1)
        # Paying the late fee invoice later (or the hook firing again) changes nothing.
        self.env["account.move"].browse(self.invoice_due.ids)._invoice_paid_hook()
        self.assertEqual(
            len(self.subscription.message_ids.filtered(lambda m: "Reconnected" in str(m.body))), 1
        )

    def test_paid_between_the_run_and_its_job_is_not_suspended(self):
        """The race: the dunning run picked the invoice, the payment lands before its job."""
        with freeze_time("2026-11-11"):
            self.env["isp.dunning"].run(date(2026, 11, 11))
        self.pay(self.invoice_due)
        with freeze_time("2026-11-11"):
            self.run_jobs("isp.dunning", "_run_batch")
        self.assertEqual(self.subscription.state, "active")
        self.assertFalse(self.invoice_due.isp_dunning_log_ids)

    def test_suspended_by_the_run_then_paid_is_reconnected(self):
        """The other order: the suspension is committed first, the payment follows."""
        self.dun("2026-11-11")
        self.pay(self.invoice_due)
        self.assertEqual(self.subscription.state, "active")
        self.dun("2026-11-12")
        self.assertEqual(self.subscription.state, "active", "a paid invoice gets no step")

    def test_late_fee_must_be_paid_to_reconnect_when_configured(self):
        self.company.isp_late_fee_blocks_reconnect = True
        self.dun("2026-11-11")
        fee_invoice = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("isp_late_fee_invoice", "=", True)]
        )
        self.assertEqual(fee_invoice.state, "posted")
        self.pay(self.invoice_due)
        self.assertEqual(self.subscription.state, "suspended", "the late fee is still unpaid")
        self.pay(fee_invoice)
        self.assertEqual(self.subscription.state, "active")

    def test_policy_is_validated(self):
        with self.assertRaises(ValidationError):
            self.env["isp.dunning.step"].create({"days_after_due": 5, "action": "terminate"})


@tagged("post_install", "-at_install")
class TestSmsGateway(IspBillingCommon):
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
                "isp_sms_gateway_token": "secret-token",
                "isp_sms_sender": "YOGYANET",
            }
        )

    def setUp(self):
        super().setUp()
        FlakyGateway.received = []

    def test_failing_gateway_is_retried_until_it_recovers(self):
        FlakyGateway.failures = 2
        message = self.env["isp.sms.message"]._queue(self.customer, "Your invoice is due.")
        message._send()
        self.assertEqual(message.state, "retrying")
        self.assertEqual(message.attempts, 1)
        self.assertIn("503", message.error)
        message._send()
        self.assertEqual(message.state, "retrying")
        message._send()
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.gateway_reference, "msg-3")
        self.assertEqual(len(FlakyGateway.received), 3)
        token, body = FlakyGateway.received[-1]
        self.assertEqual(token, "Bearer secret-token")
        self.assertEqual(
            body,
            {"to": "+6281234567890", "from": "YOGYANET", "text": "Your invoice is due.", "channel": "sms"},
        )
        self.assertTrue(self.customer.message_ids.filtered(lambda m: "Your invoice is due." in str(m.body)))

    def test_cron_only_sends_what_is_due_and_gives_up_visibly(self):
        FlakyGateway.failures = 100
        message = self.env["isp.sms.message"]._queue(self.customer, "Outage in your area.")
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(message.attempts, 1)
        self.env["isp.sms.message"]._cron_send()
        self.assertEqual(message.attempts, 1, "the next attempt waits for its delay")
        for _attempt in range(20):
            message._send()
            if message.state == "failed":
                break
        self.assertEqual(message.state, "failed")
        self.assertTrue(self.customer.message_ids.filtered(lambda m: "could not be sent" in str(m.body)))
        FlakyGateway.failures = 0
        message.action_retry()
        self.assertEqual(message.state, "sent")

    def test_no_number_is_logged_not_lost(self):
        customer = self.new_customer("No Phone")
        self.assertFalse(self.env["isp.sms.message"]._queue(customer, "Hello"))
        self.assertTrue(customer.message_ids.filtered(lambda m: "no mobile number" in str(m.body)))
