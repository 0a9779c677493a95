# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ROLES, IspHelpdeskCommon

SECRETS = ("pppoe-s3cr3t", "s3cr3t-nas")


@tagged("post_install", "-at_install")
class TestTicketContext(IspHelpdeskCommon):
    """A ticket's links and live context, for each situation, opened by every ISP role and by a
    helpdesk-only agent (who may read neither invoices nor subscriptions)."""

    def assertContextForEveryRole(self, ticket, situation, *texts):
        for role in ROLES:
            with self.subTest(role=role):
                values, _arch = self.open_form(getattr(self, role), ticket)
                self.assertEqual(values["isp_situation"], situation)
                for text in texts:
                    self.assertIn(text, values["isp_headline"])
                dump = repr(values)
                for secret in SECRETS:
                    self.assertNotIn(secret, dump, f"{role} sees a secret")
        return values

    def test_links_filled_from_the_customer(self):
        ticket = self.make_ticket()
        self.assertEqual(ticket.isp_subscription_id, self.subscription)
        self.assertEqual(ticket.isp_site_id, self.access_point)
        self.assertEqual(ticket.isp_nas_id, self.nas, "the NAS of the site two levels up")

    def test_links_from_the_agents_form(self):
        form = Form(self.env["helpdesk.ticket"].with_user(self.helpdesk_agent))
        form.name = "No internet"
        form.description = "<p>Nothing works</p>"
        form.partner_id = self.customer
        self.assertEqual(form.isp_subscription_id, self.subscription)
        ticket = form.save()
        self.assertEqual(ticket.isp_nas_id, self.nas)

    def test_no_guess_between_two_subscriptions(self):
        self.subscribe_active(plan=self.faster_plan)
        ticket = self.make_ticket()
        self.assertFalse(ticket.isp_subscription_id)
        self.assertEqual(ticket.isp_site_id, self.access_point, "the customer's site")
        values = self.assertContextForEveryRole(ticket, "no_service", "No subscription")
        self.assertEqual(values["isp_service_state"], "none")

    def test_links_stay_in_the_tickets_company(self):
        other = self.env["res.company"].create({"name": "Other ISP"})
        with self.assertRaises(UserError):
            self.make_ticket(company_id=other.id, isp_subscription_id=self.subscription.id)

    def test_healthy(self):
        self.set_online(self.subscription)
        values = self.assertContextForEveryRole(self.make_ticket(), "healthy", "online")
        self.assertTrue(values["isp_online"])
        self.assertEqual(values["isp_service_state"], "active")
        self.assertEqual(values["isp_amount_overdue"], 0)

    def test_offline(self):
        self.set_offline(self.subscription, minutes=125)
        values = self.assertContextForEveryRole(self.make_ticket(), "offline", "Offline since", "2 h 5 min")
        self.assertFalse(values["isp_online"])
        self.assertTrue(values["isp_last_seen"])
        self.assertEqual(values["isp_last_session_end"], values["isp_last_seen"])

    def test_fair_usage(self):
        subscription = self.subscribe_active(plan=self.capped_plan, partner=self.new_customer("Capped"))
        subscription._set_fair_usage(True)
        self.env["isp.usage.daily"].create(
            {"subscription_id": subscription.id, "day": subscription._usage_period()[0], "bytes_down": 312e9}
        )
        ticket = self.make_ticket(partner=subscription.partner_id)
        values = self.assertContextForEveryRole(ticket, "fair_usage", "fair-usage", "312", "300")
        self.assertEqual(values["isp_service_state"], "fair_usage")
        self.assertAlmostEqual(values["isp_usage_gb"], 312.0)
        self.assertAlmostEqual(values["isp_usage_percent"], 104.0)

    def test_overdue(self):
        invoice = self.overdue_invoice(days_overdue=10)
        values = self.assertContextForEveryRole(self.make_ticket(), "overdue", "overdue since", "184,815")
        self.assertAlmostEqual(values["isp_amount_overdue"], invoice.amount_total)
        self.assertEqual(values["isp_oldest_due_date"], invoice.invoice_date_due)
        self.assertAlmostEqual(values["isp_amount_due"], invoice.amount_total)

    def test_suspended_for_debt(self):
        invoice = self.overdue_invoice(days_overdue=20)
        self.subscription._suspend(reason=f"Unpaid invoice {invoice.name}", for_debt=True)
        values = self.assertContextForEveryRole(
            self.make_ticket(), "suspended", "Suspended for debt since", "184,815"
        )
        self.assertEqual(values["isp_service_state"], "suspended")
        self.assertEqual(values["isp_suspension_reason"], f"Unpaid invoice {invoice.name}")
        self.assertTrue(values["isp_suspended_since"])

    def test_suspended_on_request(self):
        self.subscription._suspend(reason="Customer travelling")
        self.assertContextForEveryRole(self.make_ticket(), "suspended", "Customer travelling")

    def test_last_five_tickets_and_incidents_hook(self):
        older = [self.make_ticket(name=f"Old ticket {n}") for n in range(6)]
        ticket = self.make_ticket(name="Current")
        values, _arch = self.open_form(self.helpdesk_agent, ticket)
        html = str(values["isp_recent_tickets"])
        self.assertEqual(html.count("<tr>"), 5)
        self.assertIn("Old ticket 5", html)
        self.assertNotIn("Old ticket 0", html)
        self.assertNotIn(ticket.number, html)
        self.assertEqual(ticket._isp_open_incident_names(), [])
        self.assertFalse(values["isp_open_incidents"])
        self.assertTrue(older)

    def test_headline_escapes_and_secrets_stay_hidden(self):
        self.subscription._suspend(reason="<b>x</b>")
        ticket = self.make_ticket()
        fields_seen = ticket.with_user(self.helpdesk_agent).fields_get()
        self.assertFalse([name for name in fields_seen if "password" in name or "secret" in name])
        values, _arch = self.open_form(self.helpdesk_agent, self.make_ticket(name="<script>"))
        self.assertNotIn("<script>", str(values["isp_recent_tickets"]))
