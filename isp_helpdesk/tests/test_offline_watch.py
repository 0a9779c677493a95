# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import IspHelpdeskCommon


@tagged("post_install", "-at_install")
class TestOfflineWatch(IspHelpdeskCommon):
    """One ticket per outage of an active, paid subscription, closed when it is back online
    unless an agent took it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"isp_offline_watch": True, "isp_offline_watch_minutes": 30})

    def watch(self):
        self.env["isp.subscription"]._cron_isp_offline_watch()

    def offline_tickets(self, subscription=None):
        return self.env["helpdesk.ticket"].search(
            [
                ("isp_offline_watch", "=", True),
                ("isp_subscription_id", "=", (subscription or self.subscription).id),
            ],
            order="id",
        )

    def test_one_ticket_per_outage(self):
        self.set_offline(self.subscription, minutes=10)
        self.watch()
        self.assertFalse(self.offline_tickets(), "not offline long enough yet")

        self.set_offline(self.subscription, minutes=45)
        self.watch()
        ticket = self.offline_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.isp_site_id, self.access_point)
        self.assertFalse(ticket.user_id, "nobody took it yet")
        self.assertFalse(ticket.stage_id.closed)
        self.assertEqual(self.subscription.isp_offline_ticket_id, ticket)

        self.set_offline(self.subscription, minutes=120)
        self.watch()
        self.assertEqual(self.offline_tickets(), ticket, "still the same outage: no second ticket")

        self.set_online(self.subscription)
        self.watch()
        self.assertTrue(ticket.stage_id.closed, "back online: closed")
        self.assertFalse(self.subscription.isp_offline_ticket_id)

        self.set_offline(self.subscription, minutes=60)
        self.watch()
        tickets = self.offline_tickets()
        self.assertEqual(len(tickets), 2, "a new outage, a new ticket")
        self.assertFalse(tickets[-1].stage_id.closed)

    def test_agent_took_it_stays_open(self):
        self.set_offline(self.subscription, minutes=45)
        self.watch()
        ticket = self.offline_tickets()
        ticket.with_user(self.isp_technician).assign_to_me()
        self.set_online(self.subscription)
        self.watch()
        self.assertFalse(ticket.stage_id.closed, "the agent's ticket stays open")
        self.assertEqual(ticket.user_id, self.isp_technician)
        self.assertIn("stays with its agent", ticket.message_ids[0].body)

    def test_only_active_paid_subscriptions_of_watching_companies(self):
        suspended = self.subscribe_active(partner=self.new_customer("Suspended"))
        suspended._suspend(reason="Customer travelling")
        overdue = self.subscribe_active(partner=self.new_customer("Late payer"))
        self.overdue_invoice(partner=overdue.partner_id)
        never_seen = self.subscribe_active(partner=self.new_customer("Never seen"))
        for subscription in (self.subscription, suspended, overdue):
            self.set_offline(subscription, minutes=90)
        self.watch()
        self.assertEqual(len(self.offline_tickets()), 1)
        for subscription in (suspended, overdue, never_seen):
            self.assertFalse(self.offline_tickets(subscription))

        self.set_online(self.subscription)
        self.watch()
        self.company.isp_offline_watch = False
        self.set_offline(self.subscription, minutes=90)
        self.watch()
        self.assertEqual(len(self.offline_tickets()), 1, "the watch is off: no new ticket")

    def test_candidates_in_one_query(self):
        customers = [self.new_customer(f"Offline {n}") for n in range(5)]
        subscriptions = [self.subscribe_active(partner=customer) for customer in customers]
        for subscription in subscriptions:
            self.set_offline(subscription, minutes=90)
        self.env.flush_all()
        Subscription = self.env["isp.subscription"]
        with self.assertQueryCount(1):
            found = Subscription._isp_offline_watch_candidates(fields.Datetime.now())
        self.assertEqual(set(found), {s.id for s in subscriptions})

    def test_delay_must_be_positive(self):
        with self.assertRaises(ValidationError):
            self.company.isp_offline_watch_minutes = 0
        settings = self.env["res.config.settings"].create({"isp_offline_watch_minutes": 15})
        settings.execute()
        self.assertEqual(self.company.isp_offline_watch_minutes, 15)

    def test_isp_managers_set_the_watch_of_their_companies_only(self):
        manager = self.company.with_user(self.isp_manager)
        manager.write({"isp_offline_watch": False, "isp_offline_watch_minutes": 45})
        self.assertEqual(self.company.isp_offline_watch_minutes, 45)
        with self.assertRaises(AccessError):
            self.company.with_user(self.isp_billing).write({"isp_offline_watch_minutes": 20})
        with self.assertRaises(AccessError):
            manager.write({"isp_offline_watch_minutes": 20, "name": "Renamed"})
