# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import IspPortalFixtures


@tagged("post_install", "-at_install")
class TestPaymentSecurity(HttpCase, IspPortalFixtures):
    """Two portal customers and a visitor on every payment route the addon adds, and on the
    invoice payment routes it links to: nobody pays, renews or reconnects another's service."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.isp_demo_provider()
        plan = cls.isp_portal_plan()
        cls.user_a = cls.isp_portal_user("isp_pay_a", "Ayu Payer")
        cls.user_b = cls.isp_portal_user("isp_pay_b", "Bima Payer")
        cls.partner_a, cls.partner_b = cls.user_a.partner_id, cls.user_b.partner_id
        cls.subscription_a = cls.isp_portal_subscription(cls.partner_a, plan)
        cls.invoice_a = cls.isp_portal_invoice(cls.subscription_a, days_overdue=15)
        cls.isp_suspend_for_debt(cls.subscription_a, cls.invoice_a)
        cls.prepaid_a = cls.isp_portal_subscription(cls.partner_a, plan, payment_mode="prepaid")
        cls.subscription_b = cls.isp_portal_subscription(cls.partner_b, plan, payment_mode="prepaid")
        cls.token_a = cls.isp_demo_token(cls.partner_a, cls.provider, details="1111")
        cls.token_b = cls.isp_demo_token(cls.partner_b, cls.provider, details="2222")

    def post(self, url, **data):
        return self.url_open(
            url, data={"csrf_token": http.Request.csrf_token(self), **data}, allow_redirects=False
        )

    def assertUntouched(self):
        self.env.invalidate_all()
        self.assertEqual(self.subscription_a.state, "suspended")
        self.assertFalse(any((self.subscription_a | self.prepaid_a | self.subscription_b).mapped("autopay")))
        self.assertFalse(self.env["account.move"].search([("isp_renewal_subscription_id", "!=", False)]))
        self.assertFalse(self.invoice_a.transaction_ids)

    def routes(self, subscription):
        return [f"/my/services/{subscription.id}/autopay", f"/my/services/{subscription.id}/renew"]

    def test_visitor_is_sent_to_log_in(self):
        for url in self.routes(self.subscription_a) + self.routes(self.prepaid_a):
            response = self.url_open(
                url, data={"autopay": "1", "token_id": self.token_a.id}, allow_redirects=False
            )
            self.assertIn(response.status_code, (303, 302), url)
            self.assertIn("/web/login", response.headers["Location"], url)
        self.assertUntouched()

    def test_other_customer_gets_404(self):
        self.authenticate("isp_pay_b", "isp_pay_b")
        for subscription in (self.subscription_a, self.prepaid_a):
            for url in self.routes(subscription):
                for token in (self.token_a, self.token_b):
                    response = self.post(url, autopay="1", token_id=token.id)
                    self.assertEqual(response.status_code, 404, url)
            self.assertEqual(self.url_open(f"/my/services/{subscription.id}").status_code, 404)
        # Nor another's saved payment method on one's own subscription.
        response = self.post(
            f"/my/services/{self.subscription_b.id}/autopay", autopay="1", token_id=self.token_a.id
        )
        self.assertEqual(response.status_code, 404)
        # Odoo's invoice page and payment route of another's invoice: refused.
        response = self.url_open(f"/my/invoices/{self.invoice_a.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(f"/my/invoices/{self.invoice_a.id}", response.headers["Location"])
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/invoice/transaction/{self.invoice_a.id}",
                {
                    "access_token": "not-the-token",
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "token_id": None,
                    "amount": self.invoice_a.amount_residual,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": "/my",
                },
            )
        # B's own service page shows nothing of A's debt.
        page = self.url_open(f"/my/services/{self.subscription_b.id}").text
        self.assertNotIn(self.invoice_a.name, page)
        self.assertUntouched()

    def test_forms_need_the_csrf_token(self):
        self.authenticate("isp_pay_a", "isp_pay_a")
        for url in self.routes(self.prepaid_a):
            response = self.url_open(
                url, data={"autopay": "1", "token_id": self.token_a.id}, allow_redirects=False
            )
            self.assertEqual(response.status_code, 400, url)
        self.assertUntouched()

    def test_owner_turns_autopay_on_and_off_and_renews(self):
        self.authenticate("isp_pay_a", "isp_pay_a")
        page = self.url_open(f"/my/services/{self.subscription_a.id}").text
        self.assertIn("o_isp_pay_now", page)
        self.assertIn(f"/my/invoices/{self.invoice_a.id}", page)
        self.assertIn(self.token_a.payment_details, page, "one's own saved method is offered")
        self.assertNotIn(self.token_b.payment_details, page, "never another's")

        response = self.post(
            f"/my/services/{self.prepaid_a.id}/autopay", autopay="1", token_id=self.token_a.id
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=autopay_on", response.headers["Location"])
        self.env.invalidate_all()
        self.assertTrue(self.prepaid_a.autopay)
        self.assertEqual(self.prepaid_a.sudo().autopay_token_id, self.token_a)
        self.post(f"/my/services/{self.prepaid_a.id}/autopay", autopay="0")
        self.env.invalidate_all()
        self.assertFalse(self.prepaid_a.autopay)

        response = self.post(f"/my/services/{self.prepaid_a.id}/renew")
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        renewal = self.env["account.move"].search([("isp_renewal_subscription_id", "=", self.prepaid_a.id)])
        self.assertEqual(len(renewal), 1)
        self.assertIn(f"/my/invoices/{renewal.id}", response.headers["Location"])
        again = self.post(f"/my/services/{self.prepaid_a.id}/renew")
        self.assertIn(f"/my/invoices/{renewal.id}", again.headers["Location"], "the open one is reused")
        self.assertEqual(
            self.env["account.move"].search_count([("isp_renewal_subscription_id", "=", self.prepaid_a.id)]),
            1,
        )
        # A postpaid subscription is not renewed in advance.
        self.assertEqual(self.post(f"/my/services/{self.subscription_a.id}/renew").status_code, 404)
