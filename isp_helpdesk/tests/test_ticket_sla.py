# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

from lxml import etree

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.isp_base.tests import test_menus

from .common import ROLES, IspHelpdeskCommon

# A Monday and the Friday before it: the SLAs count the team's working hours (the standard
# 40 hours/week schedule: 8:00-12:00 and 13:00-17:00, Monday to Friday, in its time zone).
MONDAY = (2026, 11, 23)
FRIDAY = (2026, 11, 20)


@tagged("post_install", "-at_install")
class TestTicketSla(IspHelpdeskCommon):
    """The ISP Support team's SLAs (helpdesk_mgmt_sla): each category's deadline in working hours,
    expiry, the offline watch's and an outage's tickets, and the deadline in the ticket's ISP
    context panel for every agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.team.resource_calendar_id
        cls.tz = ZoneInfo(cls.calendar.tz or "UTC")
        cls.no_connection = cls.env.ref("isp_helpdesk.helpdesk_category_no_connection")
        cls.slow = cls.env.ref("isp_helpdesk.helpdesk_category_slow")
        cls.billing = cls.env.ref("isp_helpdesk.helpdesk_category_billing")
        cls.sla_no_connection = cls.env.ref("isp_helpdesk.helpdesk_sla_no_connection")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")

    # -- helpers -----------------------------------------------------------

    def local(self, day, hour, minute=0):
        """``day`` at ``hour:minute`` in the team's working-hours time zone, as Odoo stores it
        (naive UTC)."""
        moment = datetime(*day, hour, minute, tzinfo=self.tz)
        return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    @contextmanager
    def at(self, moment):
        """Python's clock and the transaction's (records' create and write dates) at ``moment``,
        what was done then written to the database at its end, as at the end of a request."""
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield
            self.env.flush_all()

    def new_ticket(self, user, category, moment, **values):
        with self.at(moment):
            ticket = (
                self.env["helpdesk.ticket"]
                .with_user(user)
                .create(
                    {
                        "name": "No internet since this morning",
                        "description": "<p>The router's lights are on.</p>",
                        "partner_id": self.customer.id,
                        "team_id": self.team.id,
                        "category_id": category.id,
                        "company_id": self.company.id,
                        **values,
                    }
                )
            )
        return ticket.sudo()

    def panel(self, user, ticket, moment):
        """The ticket's form as ``user`` sees it at ``moment``: the values read and the arch."""
        with self.at(moment):
            ticket.invalidate_recordset()
            return self.open_form(user, ticket)

    def open_form(self, user, record):
        # as the web client: the SLA tags are read with their colour
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids))
        views = env[record._name].get_views([[False, "form"]], {})
        spec = self._specification(views["views"]["form"]["arch"], record._name, views["models"])
        spec["display_name"] = {}
        spec["ticket_sla_ids"] = {"fields": {"display_name": {}, "color": {}}}
        values = env[record._name].browse(record.id).web_read(spec)[0]
        return values, etree.fromstring(views["views"]["form"]["arch"])

    # -- deadlines ---------------------------------------------------------

    def test_isp_team_uses_its_slas(self):
        self.assertTrue(self.team.use_sla)
        self.assertTrue(self.calendar, "the team counts the company's working hours")
        self.assertEqual(self.calendar.hours_per_day, 8.0)

    def test_no_connection_ticket_gets_the_four_hour_deadline(self):
        ticket = self.new_ticket(self.helpdesk_agent, self.no_connection, self.local(MONDAY, 8))
        self.assertEqual(ticket.sla_ids, self.sla_no_connection)
        self.assertEqual(ticket.ticket_sla_ids.state, "in_progress")
        self.assertEqual(ticket.sla_deadline, self.local(MONDAY, 12), "4 working hours after 8:00")
        self.assertEqual(ticket.isp_sla_deadline, ticket.sla_deadline)
        with self.at(self.local(MONDAY, 9)):
            ticket.invalidate_recordset(["sla_expired"])
            self.assertFalse(ticket.sla_expired)

        # the hours are working hours: lunch and the weekend are not counted
        ticket = self.new_ticket(self.isp_user, self.no_connection, self.local(MONDAY, 10))
        self.assertEqual(ticket.sla_deadline, self.local(MONDAY, 15), "10-12, then 13-15")
        ticket = self.new_ticket(self.isp_technician, self.no_connection, self.local(FRIDAY, 15))
        self.assertEqual(ticket.sla_deadline, self.local(MONDAY, 10), "2 h on Friday, 2 h on Monday")

    def test_each_category_has_its_deadline(self):
        start = self.local(MONDAY, 8)
        expected = {
            self.slow: self.local(MONDAY, 17),  # 1 working day: 8 hours
            self.billing: self.local((2026, 11, 24), 17),  # 2 working days: 16 hours
        }
        for category, deadline in expected.items():
            ticket = self.new_ticket(self.isp_billing, category, start)
            self.assertEqual(len(ticket.sla_ids), 1, category.name)
            self.assertEqual(ticket.sla_ids.team_ids, self.team)
            self.assertEqual(ticket.sla_deadline, deadline, category.name)

        # no category, or another team: no ISP SLA
        ticket = self.new_ticket(self.helpdesk_agent, self.no_connection.browse(), start)
        self.assertFalse(ticket.ticket_sla_ids)
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Sales", "use_sla": True})
        ticket = self.new_ticket(self.helpdesk_agent, self.no_connection, start, team_id=other_team.id)
        self.assertNotIn(self.sla_no_connection, ticket.sla_ids)

    def test_expired_ticket_shows_as_expired(self):
        ticket = self.new_ticket(self.helpdesk_agent, self.no_connection, self.local(MONDAY, 8))
        Ticket = self.env["helpdesk.ticket"].with_user(self.helpdesk_agent)

        values, arch = self.panel(self.helpdesk_agent, ticket, self.local(MONDAY, 11, 59))
        self.assertEqual(values["isp_sla_deadline"], self.local(MONDAY, 12))
        self.assertFalse(values["sla_expired"])
        self.assertTrue(arch.xpath("//div[@name='isp_context']//div[@name='isp_context_sla']"))
        self.assertTrue(arch.xpath("//div[@name='isp_context_sla']//span[hasclass('o_isp_sla_expired')]"))

        # nothing runs to expire it: it is expired as soon as its deadline has passed
        values, _arch = self.panel(self.helpdesk_agent, ticket, self.local(MONDAY, 12, 30))
        self.assertTrue(values["sla_expired"])
        self.assertEqual(values["isp_sla_deadline"], self.local(MONDAY, 12))
        with self.at(self.local(MONDAY, 12, 30)):
            self.assertIn(ticket.id, Ticket.search([("sla_expired", "=", True)]).ids, "SLA Expired filter")

        # solved late: the SLA stays expired and the panel keeps the deadline it missed
        with self.at(self.local(MONDAY, 14)):
            ticket.with_user(self.helpdesk_agent).stage_id = self.stage_done
        self.assertEqual(ticket.ticket_sla_ids.state, "expired")
        values, _arch = self.panel(self.helpdesk_agent, ticket, self.local(MONDAY, 15))
        self.assertTrue(values["sla_expired"])
        self.assertFalse(values["sla_deadline"], "no deadline running any more")
        self.assertEqual(values["isp_sla_deadline"], self.local(MONDAY, 12))

    def test_solved_in_time_and_awaiting_the_customer(self):
        ticket = self.new_ticket(self.helpdesk_agent, self.no_connection, self.local(MONDAY, 8))
        # two hours waiting for the customer are not counted
        with self.at(self.local(MONDAY, 9)):
            ticket.with_user(self.helpdesk_agent).stage_id = self.stage_awaiting
        self.assertEqual(ticket.ticket_sla_ids.state, "on_hold")
        with self.at(self.local(MONDAY, 11)):
            ticket.with_user(self.helpdesk_agent).stage_id = self.stage_in_progress
        self.assertEqual(ticket.ticket_sla_ids.state, "in_progress")
        self.assertEqual(ticket.sla_deadline, self.local(MONDAY, 15), "1 h used, 3 h left from 11:00")

        with self.at(self.local(MONDAY, 14)):
            ticket.with_user(self.helpdesk_agent).stage_id = self.stage_done
        self.assertEqual(ticket.ticket_sla_ids.state, "accomplished")
        values, _arch = self.panel(self.helpdesk_agent, ticket, self.local(MONDAY, 16))
        self.assertFalse(values["sla_expired"])
        self.assertFalse(values["isp_sla_deadline"], "met: the panel shows no deadline")

    # -- tickets opened by the offline watch and by customers of an outage ---

    def test_offline_watch_ticket_gets_the_no_connection_sla(self):
        self.company.write({"isp_offline_watch": True, "isp_offline_watch_minutes": 30})
        moment = self.local(MONDAY, 9)
        with self.at(moment):
            self.set_offline(self.subscription, minutes=45)
            self.env["isp.subscription"]._cron_isp_offline_watch()
        ticket = self.subscription.isp_offline_ticket_id
        self.assertTrue(ticket.isp_offline_watch)
        self.assertEqual(ticket.category_id, self.no_connection, "filed as a lost connection")
        self.assertEqual(ticket.sla_ids, self.sla_no_connection)
        self.assertEqual(ticket.sla_deadline, self.local(MONDAY, 14), "9-12, then 13-14")

        # back online: the watch closes it, in time
        with self.at(self.local(MONDAY, 10)):
            self.set_online(self.subscription)
            self.env["isp.subscription"]._cron_isp_offline_watch()
        self.assertTrue(ticket.stage_id.closed)
        self.assertEqual(ticket.ticket_sla_ids.state, "accomplished")

    def test_outage_ticket_gets_its_sla(self):
        incident = self.env["isp.incident"].create(
            {"name": "Tower down", "site_ids": [Command.set(self.tower.ids)]}
        )
        incident.with_user(self.isp_technician).action_open()
        ticket = self.new_ticket(self.helpdesk_agent, self.no_connection, self.local(MONDAY, 8))
        self.assertEqual(ticket.isp_incident_id, incident, "attached to the outage")
        self.assertEqual(ticket.sla_ids, self.sla_no_connection)
        self.assertEqual(ticket.sla_deadline, self.local(MONDAY, 12))

    # -- every agent opens it ----------------------------------------------

    def test_every_agent_opens_the_ticket_with_its_sla(self):
        ticket = self.new_ticket(self.helpdesk_agent, self.no_connection, self.local(MONDAY, 8))
        for role in ROLES:
            with self.subTest(role=role):
                user = getattr(self, role)
                values, arch = self.panel(user, ticket, self.local(MONDAY, 13))
                self.assertEqual(values["isp_sla_deadline"], self.local(MONDAY, 12))
                self.assertEqual(values["sla_deadline"], self.local(MONDAY, 12))
                self.assertTrue(values["sla_expired"])
                self.assertEqual(values["ticket_sla_ids"][0]["display_name"], self.sla_no_connection.name)
                self.assertEqual(values["ticket_sla_ids"][0]["color"], 1, "red: expired")
                self.assertTrue(values["isp_headline"], "the rest of the context is there too")
                self.assertTrue(arch.xpath("//field[@name='isp_sla_deadline']"))


@tagged("post_install", "-at_install")
class TestSlaMenus(IspHelpdeskCommon):
    """The SLA menus (helpdesk_mgmt_sla: Configuration > SLA, Reporting > SLA Report) open for
    every role that sees them; agents do not see them, helpdesk managers do."""

    _open_menu = test_menus.TestMenus._open_menu
    _eval_context = test_menus.TestMenus._eval_context

    def test_every_visible_sla_menu_opens(self):
        self.make_ticket(category_id=self.env.ref("isp_helpdesk.helpdesk_category_no_connection").id)
        helpdesk_manager = new_test_user(
            self.env,
            "isp_helpdesk_manager",
            groups="isp_base.group_isp_manager,helpdesk_mgmt.group_helpdesk_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        sla_menus = self.env.ref("helpdesk_mgmt_sla.helpdesk_sla") | self.env.ref(
            "helpdesk_mgmt_sla.helpdesk_sla_report_menu"
        )
        failures = []
        for role in (*ROLES, "helpdesk_manager"):
            user = helpdesk_manager if role == "helpdesk_manager" else getattr(self, role)
            visible = self.env(user=user)["ir.ui.menu"]._visible_menu_ids()
            seen = sla_menus.filtered(
                lambda m, visible=visible: all(int(i) in visible for i in m.parent_path.split("/") if i)
            )
            if role != "helpdesk_manager":
                self.assertFalse(seen, f"{role} is an agent, not a helpdesk manager")
                continue
            self.assertEqual(seen, sla_menus)
            for menu in seen:
                failures += self._open_menu(user, role, menu)
            # the report is a pivot: read it as the pivot view does
            report = self.env["helpdesk.sla.report"].with_user(user)
            groups = report.read_group([], ["__count"], ["state"], lazy=False)
            self.assertTrue(groups, "the SLA of the ticket is in the report")
        self.assertFalse(failures, "\n" + "\n".join(failures))
