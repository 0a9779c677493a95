# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestDunningXmlrpc(IspBillingCommon, HttpCase):
    """The dunning and the text message queue called by an outside client, as a billing clerk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["isp.dunning.step"].create(
            [{"days_after_due": 1, "action": "reminder_email"}, {"days_after_due": 3, "action": "sms"}]
        )
        cls.company.email = "billing@test-isp.example"
        cls.isp_billing.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.isp_user.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.subscription = cls.subscribe_active()
        cls.env["isp.invoice.run"].create({"date": "2026-11-01"}).action_start()

    def setUp(self):
        super().setUp()
        self.run_jobs("isp.invoice.run", "_invoice_batch")

    def call(self, user, model, method, *args):
        return self.xmlrpc_object.execute(self.env.cr.dbname, user.id, user.login, model, method, *args)

    def test_dunning_run_over_xmlrpc(self):
        jobs = self.call(self.isp_billing, "isp.dunning", "run", "2026-11-04")
        self.assertEqual(jobs, 1)
        self.run_jobs("isp.dunning", "_run_batch")
        invoice = self.invoices(self.customer)
        self.assertEqual(set(invoice.isp_dunning_log_ids.mapped("action")), {"reminder_email", "sms"})
        with self.assertRaisesRegex(xmlrpc.client.Fault, "future"):
            self.call(self.isp_billing, "isp.dunning", "run", "2999-01-01")
        with self.assertRaisesRegex(xmlrpc.client.Fault, "Only ISP billing staff"):
            self.call(self.isp_user, "isp.dunning", "run", "2026-11-04")
        with self.assertRaisesRegex(xmlrpc.client.Fault, "_run_batch"):
            self.call(self.isp_billing, "isp.dunning", "_run_batch", invoice.ids, "2026-11-04")

    def test_retry_text_message_over_xmlrpc(self):
        message = self.env["isp.sms.message"]._queue(self.customer, "Your invoice is due.")
        message.write({"state": "failed", "attempts": 10, "error": "503"})
        self.assertIs(self.call(self.isp_billing, "isp.sms.message", "action_retry", message.ids), True)
        self.assertEqual((message.state, message.attempts), ("queued", 0), "no gateway yet: queued")
        with self.assertRaises(xmlrpc.client.Fault):
            self.call(self.isp_user, "isp.sms.message", "action_retry", message.ids)
        for method in ("_queue", "_send"):
            with self.subTest(method=method), self.assertRaises(xmlrpc.client.Fault):
                self.call(self.isp_billing, "isp.sms.message", method, message.ids)
