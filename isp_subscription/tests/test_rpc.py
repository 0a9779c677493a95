# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The integration API over real XML-RPC, as an outside client (a CRM, a payment collector,
a provisioning script) calls it: the calls the README documents, each returning a value the
protocol carries, and refused to the roles that may not make them."""

from xmlrpc.client import Fault

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestRpc(IspBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.isp_user, cls.isp_billing, cls.isp_technician, cls.isp_manager):
            user.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})

    def call(self, user, model, method, *args, **kwargs):
        password = user.login + "x" * (8 - len(user.login))
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, password, model, method, list(args), kwargs
        )

    def test_the_documented_integration_calls(self):
        billing = self.isp_billing
        customer = self.call(
            billing,
            "res.partner",
            "create",
            {"name": "Budi Santoso", "is_isp_customer": True, "mobile": "0812 3456 7890"},
        )
        subscription = self.call(
            billing,
            "isp.subscription",
            "create",
            {
                "partner_id": customer,
                "product_id": self.plan.id,
                "pppoe_username": "6281234567890",
                "date_start": "2026-10-01",
            },
        )
        self.assertIs(self.call(billing, "isp.subscription", "action_activate", [subscription]), True)
        with freeze_time("2026-11-20"):
            self.assertIs(
                self.call(billing, "isp.subscription", "action_suspend", [subscription], reason="Travelling"),
                True,
            )
            self.assertIs(self.call(billing, "isp.subscription", "action_reconnect", [subscription]), True)
        self.assertIs(
            self.call(
                billing, "isp.subscription", "change_plan", [subscription], self.faster_plan.id, "2026-11-20"
            ),
            True,
        )
        run = self.call(billing, "isp.invoice.run", "create", {"date": "2026-11-01"})
        self.assertIs(self.call(billing, "isp.invoice.run", "action_start", [run]), True)
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        invoices = self.call(
            billing, "account.move", "search", [("partner_id", "=", customer), ("state", "=", "posted")]
        )
        self.assertEqual(len(invoices), 1)
        context = {"active_model": "account.move", "active_ids": invoices, "dont_redirect_to_payments": True}
        wizard = self.call(billing, "account.payment.register", "create", {}, context=context)
        self.assertIs(
            self.call(
                billing, "account.payment.register", "action_create_payments", [wizard], context=context
            ),
            True,
        )
        self.assertIs(
            self.call(
                self.isp_manager,
                "isp.usage.daily",
                "add_usage",
                # XML-RPC integers are 32-bit: byte counts travel as floats (exact up to 9 PB).
                [[subscription, "2026-11-02", 3e9, 1e8, 3600]],
            ),
            True,
        )
        [values] = self.call(
            self.isp_user,
            "isp.subscription",
            "read",
            [subscription],
            ["state", "product_id", "amount_due", "network_online", "pending_product_id"],
        )
        self.assertEqual(values["state"], "active")
        self.assertEqual(values["amount_due"], 0)
        usage = self.call(
            self.isp_user,
            "isp.usage.daily",
            "search_read",
            [("subscription_id", "=", subscription)],
            ["day", "bytes_down", "bytes_up"],
        )
        self.assertEqual(usage[0]["bytes_down"], 3 * 10**9)
        self.assertIs(
            self.call(billing, "isp.subscription", "action_terminate", [subscription], "2026-11-25"), True
        )
        self.assertIs(
            self.call(self.isp_technician, "isp.subscription", "action_retry_provisioning", [subscription]),
            True,
        )

    def test_refused_calls(self):
        subscription = self.subscribe_active(date_start="2026-10-01")
        refused = [
            (self.isp_user, "isp.subscription", "action_suspend", [subscription.id]),
            (self.isp_technician, "isp.subscription", "change_plan", [subscription.id], self.faster_plan.id),
            (self.isp_billing, "isp.usage.daily", "add_usage", [[subscription.id, "2026-10-02", 1, 1, 1]]),
            (self.isp_manager, "isp.usage.daily", "add_usage", [[subscription.id, "2026-10-02", -1, 0, 0]]),
            (self.isp_manager, "isp.subscription", "unlink", [subscription.id]),
            # Internal entry points are not reachable over RPC at all.
            (self.isp_manager, "isp.subscription", "_suspend", [subscription.id]),
            (self.isp_manager, "isp.usage.daily", "_add_usage", [[subscription.id, "2026-10-02", 1, 1, 1]]),
            (self.isp_manager, "isp.provisioning", "_request", [subscription.id]),
        ]
        for user, model, method, *args in refused:
            with self.subTest(user=user.login, method=method), self.assertRaises(Fault):
                self.call(user, model, method, *args)
        self.assertEqual(subscription.state, "active")
        self.assertFalse(subscription.usage_ids)
