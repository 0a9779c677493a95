# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.isp_base.tests import test_menus
from odoo.addons.isp_subscription.tests.common import IspBillingCommon

ROLES = ("isp_user", "isp_billing", "isp_technician", "isp_manager", "helpdesk_agent")


class IspHelpdeskCommon(IspBillingCommon):
    """A company with a chart of accounts (IspBillingCommon), its ISP staff made helpdesk agents,
    a helpdesk-only agent, a site tree with a NAS at the top, a customer with one active
    subscription below it, and the ISP Support team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        agent_group = cls.env.ref("helpdesk_mgmt.group_helpdesk_user")
        cls.helpdesk_agent = new_test_user(
            cls.env,
            "helpdesk_agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        for role in ROLES[:4]:
            getattr(cls, role).write(
                {
                    "company_ids": [Command.link(cls.company.id)],
                    "company_id": cls.company.id,
                    "groups_id": [Command.link(agent_group.id)],
                }
            )
        cls.tower = cls.env["isp.site"].create(
            {"name": "Test Tower", "code": "TTWR", "site_type": "tower", "parent_id": cls.pop.id}
        )
        cls.access_point = cls.env["isp.site"].create(
            {"name": "Test AP", "code": "TAP", "site_type": "access_point", "parent_id": cls.tower.id}
        )
        cls.nas = cls.env["isp.nas"].create(
            {
                "name": "Test Router",
                "ip_address": "10.9.0.1",
                "site_id": cls.pop.id,
                "radius_secret": "s3cr3t-nas",
            }
        )
        cls.customer.isp_site_id = cls.access_point
        cls.subscription = cls.subscribe_active(
            site_id=cls.access_point.id, pppoe_username="budi-hd", pppoe_password="pppoe-s3cr3t"
        )
        cls.team = cls.env.ref("isp_helpdesk.helpdesk_team_isp_support")

    # -- fixtures ----------------------------------------------------------

    @classmethod
    def make_ticket(cls, partner=None, **values):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": "My internet is slow",
                "description": "<p>Since this morning.</p>",
                "partner_id": (partner or cls.customer).id,
                "team_id": cls.team.id,
                "user_id": False,
                **values,
            }
        )

    @classmethod
    def overdue_invoice(cls, partner=None, days_overdue=10, price=166500):
        """A posted ISP invoice of the customer, due ``days_overdue`` days ago."""
        today = fields.Date.context_today(cls.env.user)
        due = today - timedelta(days=days_overdue)
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.customer).id,
                "invoice_date": due - timedelta(days=14),
                "invoice_date_due": due,
                "isp_invoice": True,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.plan.id, "quantity": 1, "price_unit": price}),
                ],
            }
        )
        move.action_post()
        return move

    def set_offline(self, subscription, minutes):
        subscription.write(
            {"network_online": False, "network_last_seen": fields.Datetime.now() - timedelta(minutes=minutes)}
        )

    def set_online(self, subscription):
        subscription.write({"network_online": True, "network_last_seen": fields.Datetime.now()})

    # -- what the web client does ------------------------------------------

    _specification = test_menus.TestMenus._specification
    _node_specification = test_menus.TestMenus._node_specification

    def open_form(self, user, record):
        """Open ``record``'s form as ``user``, as the web client does (get_views, web_read of the
        form's fields): returns the values read, raises what the user would see."""
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids))
        model = env[record._name]
        views = model.get_views([[False, "form"]], {})
        arch = views["views"]["form"]["arch"]
        spec = self._specification(arch, record._name, views["models"])
        spec["display_name"] = {}
        values = model.browse(record.id).web_read(spec)[0]
        return values, etree.fromstring(arch)
