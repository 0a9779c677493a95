# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .test_portal_common import IspPortalCommon


@tagged("post_install", "-at_install")
class TestPortalServices(IspPortalCommon):
    def test_home_entries(self):
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open("/my").text
        self.assertIn('href="/my/services"', page)
        self.assertIn(f'href="/my/services/{self.sub_a.id}/usage"', page, "one service: usage opens it")
        self.assertEqual('href="/my/tickets"' in page, "helpdesk.ticket" in self.env)

    def test_home_counter(self):
        self.authenticate("isp_portal_a", "isp_portal_a")
        result = self.make_jsonrpc_request("/my/counters", {"counters": ["isp_subscription_count"]})
        self.assertEqual(result["isp_subscription_count"], 1)

    def test_service_facts(self):
        self.sub_a.sudo().write(
            {"network_online": False, "network_last_seen": fields.Datetime.now() - timedelta(hours=3)}
        )
        self.sub_b.sudo().network_online = True
        self.authenticate("isp_portal_a", "isp_portal_a")
        for url in ("/my/services", f"/my/services/{self.sub_a.id}"):
            page = self.url_open(url).text
            self.assertIn("Capped", page)
            self.assertIn("10 Mbit/s", page)
            self.assertIn("5 Mbit/s", page)
            self.assertIn("Last seen", page)
            self.assertIn("Amount due", page)
            self.assertIn("Next invoice", page)
        self.assertIn('id="isp_portal_payment"', page)
        self.authenticate("isp_portal_b", "isp_portal_b")
        self.assertIn("Online now", self.url_open(f"/my/services/{self.sub_b.id}").text)

    def test_suspended_for_debt_says_why(self):
        self.sub_a._suspend(reason="Unpaid invoice INV/1", for_debt=True)
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open(f"/my/services/{self.sub_a.id}").text
        self.assertIn("Suspended for an unpaid invoice", page)
        self.sub_a._reconnect()
        self.sub_a._suspend(reason="Moved house")
        page = self.url_open(f"/my/services/{self.sub_a.id}").text
        self.assertIn("Moved house", page)

    def test_amount_due_is_the_customers(self):
        def amount_due(subscriptions):
            for subscription in subscriptions:
                subscription.amount_due = 123456.0 if subscription.partner_id == self.customer else 0.0

        with patch.object(type(self.env["isp.subscription"]), "_compute_amount_due", amount_due):
            self.authenticate("isp_portal_a", "isp_portal_a")
            self.assertIn("123,456", self.url_open(f"/my/services/{self.sub_a.id}").text)

    def test_incident_banner(self):
        self.authenticate("isp_portal_a", "isp_portal_a")
        self.assertNotIn("o_isp_incident_banner", self.url_open("/my/services").text)
        incidents = [
            {
                "name": "Fibre cut at Test POP",
                "date_start": fields.Datetime.now(),
                "description": "Repairs under way",
            }
        ]
        with patch.object(type(self.env["res.partner"]), "_isp_open_incidents", lambda self: incidents):
            page = self.url_open("/my/services").text
        self.assertIn("o_isp_incident_banner", page)
        self.assertIn("Fibre cut at Test POP", page)
        self.assertIn("Repairs under way", page)

    def test_self_service_flag_on_plans(self):
        self.assertTrue(self.plan.isp_self_service, "plans are self-service unless the operator says not")
        self.assertFalse(self.staff_plan.isp_self_service)
        form = self.env.ref("isp_base.product_template_form_view_isp_plan")
        arch = self.env["product.template"].get_view(form.id)["arch"]
        self.assertIn('name="isp_self_service"', arch)

    def test_pages_in_the_customers_language(self):
        """Indonesian and Russian customers get every page (dates and numbers in their
        language's format; texts from the translation files once they are translated)."""
        for code in ("id_ID", "ru_RU"):
            self.env["res.lang"]._activate_lang(code)
        self.add_usage(self.sub_a, self.sub_a.date_start, 100, 1)
        for code in ("id_ID", "ru_RU"):
            self.portal_a.lang = code
            self.authenticate("isp_portal_a", "isp_portal_a")
            for url in ["/my", "/my/services", *self.routes(self.sub_a)]:
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, f"{code} {url}")
                self.assertTrue(f'"lang": "{code}"' in response.text, f"{code} {url}")
