# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import IspHelpdeskCommon


class IspIncidentCommon(IspHelpdeskCommon):
    """The helpdesk's site tree (POP > tower > access point, the customer's subscription at the
    access point), a second POP with a customer of its own, users with one role only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "noc@test-isp.example"
        cls.customer.email = "budi@example.com"
        cls.other_pop = cls.env["isp.site"].create({"name": "Other POP", "code": "OPOP", "site_type": "pop"})
        cls.other_customer = cls.env["res.partner"].create(
            cls.customer_vals(
                name="Sari Dewi",
                mobile="0813-1111-2222",
                email="sari@example.com",
                isp_site_id=cls.other_pop.id,
            )
        )
        cls.other_subscription = cls.subscribe_active(cls.other_customer, site_id=cls.other_pop.id)
        company = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        # roles without the helpdesk agent group the common test data gives every ISP user
        cls.user_only = new_test_user(cls.env, "isp_user_only", groups="isp_base.group_isp_user", **company)
        cls.billing_only = new_test_user(
            cls.env, "isp_billing_only", groups="isp_base.group_isp_billing", **company
        )
        cls.technician_only = new_test_user(
            cls.env, "isp_technician_only", groups="isp_base.group_isp_technician", **company
        )

    @classmethod
    def make_incident(cls, sites=None, **values):
        return cls.env["isp.incident"].create(
            {"name": "POP down", "site_ids": [Command.set((sites or cls.pop).ids)], **values}
        )

    def texts(self, partner):
        return self.env["isp.sms.message"].search([("partner_id", "=", partner.id)], order="id")

    def mails(self, partner):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)], order="id"
        )


@tagged("post_install", "-at_install")
class TestIncident(IspIncidentCommon):
    def test_impact_from_sites_two_levels_up(self):
        # the subscription is served by the access point, two levels below the POP
        below_tower = self.subscribe_active(self.new_customer("Tower Customer"), site_id=self.tower.id)
        terminated = self.subscribe_active(self.new_customer("Gone"), site_id=self.access_point.id)
        terminated.action_terminate()
        draft = self.subscribe(site_id=self.access_point.id)
        incident = self.make_incident()
        incident.site_ids.mapped("parent_path")  # read the sites first: what is measured is the search
        with self.assertQueryCount(1):
            affected = incident._affected_subscriptions()
        self.assertEqual(affected, self.subscription | below_tower)
        self.assertNotIn(terminated, affected)
        self.assertNotIn(draft, affected)
        self.assertNotIn(self.other_subscription, affected)
        self.assertEqual(incident.subscription_count, 2)
        self.assertEqual(incident.customer_count, 2)
        # an incident on the tower alone: the access point below it too, not the POP above
        tower_incident = self.make_incident(self.tower)
        self.assertEqual(tower_incident._affected_subscriptions(), self.subscription | below_tower)
        # two sites: each with what is below it
        both = self.make_incident(self.access_point | self.other_pop)
        self.assertEqual(both._affected_subscriptions(), self.subscription | self.other_subscription)

    def test_open_and_resolve_notify_count_and_last(self):
        incident = self.make_incident(description="Power failure at the POP.")
        with freeze_time("2026-11-20 08:00:00"):
            self.assertIs(incident.with_user(self.isp_technician).action_open(), True)
        self.assertEqual(incident.state, "open")
        self.assertEqual(incident.date_start, datetime(2026, 11, 20, 8, 0))
        mail = self.mails(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn("POP down", mail.subject)
        self.assertIn("Power failure at the POP.", str(mail.body_html))
        self.assertEqual(mail.recipient_ids, self.customer)
        text = self.texts(self.customer)
        self.assertEqual(text.number, "+6281234567890")
        self.assertIn("POP down", text.body)
        self.assertFalse(self.texts(self.other_customer), "a customer elsewhere is not told")
        note = self.customer.message_ids.filtered(
            lambda m: "POP down" in str(m.body) and "SMS queued" in str(m.body)
        )
        self.assertEqual(len(note), 1, "one note per customer and notification")
        with self.assertRaises(UserError):
            incident.action_open()
        with freeze_time("2026-11-20 11:30:00"):
            incident.with_user(self.isp_technician).action_resolve()
        self.assertEqual(incident.state, "resolved")
        self.assertAlmostEqual(incident.duration, 3.5)
        self.assertEqual(len(self.texts(self.customer)), 2)
        self.assertIn("restored", self.texts(self.customer)[-1].body)
        self.assertIn("restored", self.mails(self.customer)[-1].subject)
        with self.assertRaises(UserError):
            incident.action_resolve()

    def test_outages_suffered_count_in_the_churn_risk(self):
        with freeze_time("2026-11-20 08:00:00"):
            self.make_incident().action_open()  # the POP: the customer below it
            self.make_incident(self.other_pop).action_open()
            self.make_incident(self.access_point).action_open()
        self.make_incident(self.tower)  # a draft never happened
        counts = self.env["isp.subscription"]._churn_incidents(date(2026, 11, 25))
        self.assertEqual(counts[self.subscription.id], 2)
        self.assertEqual(counts[self.other_subscription.id], 1)
        self.assertFalse(self.env["isp.subscription"]._churn_incidents(date(2027, 3, 1)), "90 days later")
        self.env["isp.subscription"]._update_churn_risk(date(2026, 11, 25))
        self.assertIn("outage", self.subscription.churn_risk_reasons)

    def test_channels_chosen_on_the_incident(self):
        incident = self.make_incident(notify_email=False, notify_sms=False, notify_whatsapp=True)
        incident.action_open()
        self.assertFalse(self.mails(self.customer))
        self.assertEqual(self.texts(self.customer).channel, "whatsapp")

    def test_an_incident_needs_a_site(self):
        incident = self.env["isp.incident"].create({"name": "Somewhere"})
        with self.assertRaisesRegex(UserError, "no site"):
            incident.action_open()

    def test_roles_open_and_resolve(self):
        for user in (self.isp_technician, self.technician_only, self.isp_manager, self.helpdesk_agent):
            incident = self.make_incident(name=f"Outage of {user.login}")
            incident = incident.with_user(user)
            incident.read(["name", "subscription_count", "customer_count", "ticket_count", "duration"])
            self.assertIs(incident.action_open(), True, user.login)
            self.assertIs(incident.action_resolve(), True, user.login)
            created = (
                self.env["isp.incident"]
                .with_user(user)
                .create({"name": f"New by {user.login}", "site_ids": [Command.set(self.tower.ids)]})
            )
            self.assertEqual(created.company_id, self.company)
        incident = self.make_incident()
        for user in (self.user_only, self.billing_only):
            # they see incidents, they may not open them
            self.assertEqual(incident.with_user(user).read(["name"])[0]["name"], "POP down")
            with self.assertRaises(AccessError):
                incident.with_user(user).action_open()
            with self.assertRaises(AccessError):
                self.env["isp.incident"].with_user(user).create({"name": "No"})
        self.assertEqual(incident.state, "draft")

    def test_every_role_opens_the_form(self):
        incident = self.make_incident(description="Fibre cut.")
        incident.action_open()
        self.make_ticket()
        for user in (
            self.user_only,
            self.billing_only,
            self.technician_only,
            self.helpdesk_agent,
            self.isp_manager,
        ):
            values, arch = self.open_form(user, incident)
            self.assertEqual(values["customer_count"], 1, user.login)
        values, arch = self.open_form(self.billing_only, incident)
        self.assertTrue(arch.xpath("//button[@name='action_view_credits']"), "billing sees the credits")
        values, arch = self.open_form(self.helpdesk_agent, incident)
        self.assertFalse(arch.xpath("//button[@name='action_view_credits']"))
        self.assertEqual(values["ticket_count"], 1)
        self.assertEqual(
            incident.with_user(self.helpdesk_agent).action_view_tickets()["res_model"], "helpdesk.ticket"
        )
        action = incident.with_user(self.technician_only).action_view_subscriptions()
        self.assertEqual(
            (action["res_model"], action["domain"]),
            ("isp.subscription", [("id", "in", self.subscription.ids)]),
        )
        with self.assertRaises(AccessError):
            incident.with_user(self.helpdesk_agent).action_view_subscriptions()

    def test_counts_while_the_form_is_edited(self):
        with Form(self.env["isp.incident"].with_user(self.technician_only)) as form:
            form.name = "Tower down"
            form.site_ids.add(self.tower)
            self.assertEqual(form.customer_count, 1)
            self.assertEqual(form.subscription_count, 1)
        self.assertEqual(form.record.state, "draft")

    def test_other_company_incidents_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other ISP"})
        hidden = self.env["isp.incident"].create({"name": "Elsewhere", "company_id": other.id})
        self.assertFalse(
            self.env["isp.incident"].with_user(self.isp_technician).search([("id", "=", hidden.id)])
        )


@tagged("post_install", "-at_install")
class TestIncidentTickets(IspIncidentCommon):
    def test_new_tickets_of_affected_customers_attach_to_the_open_incident(self):
        incident = self.make_incident()
        before = self.make_ticket()
        self.assertFalse(before.isp_incident_id, "a draft incident takes no ticket")
        incident.action_open()
        ticket = self.make_ticket()
        self.assertEqual(ticket.isp_incident_id, incident)
        self.assertEqual(ticket._isp_open_incident_names(), ["POP down"])
        self.assertIn("POP down", ticket.isp_open_incidents or "")
        elsewhere = self.make_ticket(self.other_customer)
        self.assertFalse(elsewhere.isp_incident_id)
        self.assertEqual(elsewhere._isp_open_incident_names(), [])
        self.assertEqual(incident.ticket_count, 1)
        # created by a helpdesk agent (who may not read subscriptions) too
        agent_ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.helpdesk_agent)
            .create(
                {
                    "name": "No internet",
                    "description": "<p>Down.</p>",
                    "partner_id": self.customer.id,
                    "team_id": self.team.id,
                }
            )
        )
        self.assertEqual(agent_ticket.isp_incident_id, incident)
        incident.action_resolve()
        self.assertFalse(self.make_ticket().isp_incident_id, "a resolved incident takes no new ticket")
        self.assertEqual(ticket._isp_open_incident_names(), [])

    def test_portal_banner_hook(self):
        self.assertEqual(self.customer._isp_open_incidents(), [])
        incident = self.make_incident(self.tower, description="Storm damage.")
        incident.action_open()
        banner = self.customer._isp_open_incidents()
        self.assertEqual(
            banner, [{"name": "POP down", "date_start": incident.date_start, "description": "Storm damage."}]
        )
        self.assertEqual(self.other_customer._isp_open_incidents(), [])
