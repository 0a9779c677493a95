# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.isp_base.tests import test_menus

from .common import IspHelpdeskCommon


@tagged("post_install", "-at_install")
class TestTicketCustomer360(IspHelpdeskCommon):
    """The customer's form sums up their service for every ISP role (amounts read as superuser,
    as a subscription's balance), with the tickets button of helpdesk_mgmt for agents."""

    def test_partner_form_for_every_role(self):
        invoice = self.overdue_invoice(days_overdue=5)
        self.set_online(self.subscription)
        self.make_ticket()
        for role in ("isp_user", "isp_billing", "isp_technician", "isp_manager"):
            with self.subTest(role=role):
                user = getattr(self, role)
                values, arch = self.open_form(user, self.customer)
                self.assertEqual(values["isp_subscription_count"], 1)
                self.assertEqual(values["isp_active_subscription_count"], 1)
                self.assertAlmostEqual(values["isp_balance_due"], invoice.amount_total)
                self.assertAlmostEqual(values["isp_amount_overdue"], invoice.amount_total)
                self.assertEqual(values["isp_oldest_due_date"], invoice.invoice_date_due)
                self.assertEqual(values["isp_online_state"], "online")
                self.assertEqual(values["helpdesk_ticket_count_string"], "1 / 1")
                self.assertTrue(arch.xpath("//button[@name='action_view_isp_subscriptions']"))
                self.assertTrue(arch.xpath("//button[@name='action_view_helpdesk_tickets']"))
                action = self.customer.with_user(user).action_view_isp_subscriptions()
                self.assertEqual(
                    self.env["isp.subscription"].with_user(user).search(action["domain"]), self.subscription
                )

    def test_billing_button_only_for_billing(self):
        self.overdue_invoice()
        action = self.customer.with_user(self.isp_billing).action_view_isp_overdue_invoices()
        self.assertEqual(
            len(self.env["account.move"].with_user(self.isp_billing).search(action["domain"])), 1
        )
        with self.assertRaises(AccessError):
            self.customer.with_user(self.isp_technician).action_view_isp_overdue_invoices()
        _values, arch = self.open_form(self.isp_technician, self.customer)
        self.assertFalse(arch.xpath("//button[@name='action_view_isp_overdue_invoices']"))

    def test_offline_and_usage_summary(self):
        self.set_offline(self.subscription, minutes=60)
        self.env["isp.usage.daily"].create(
            {
                "subscription_id": self.subscription.id,
                "day": self.subscription._usage_period()[0],
                "bytes_down": 5e9,
            }
        )
        values, _arch = self.open_form(self.isp_user, self.customer)
        self.assertEqual(values["isp_online_state"], "offline")
        self.assertAlmostEqual(values["isp_usage_period_gb"], 5.0)
        self.assertTrue(values["isp_last_seen"])


@tagged("post_install", "-at_install")
class TestTicketMenus(IspHelpdeskCommon):
    """ISP staff who are helpdesk agents open every helpdesk menu they see, tickets included
    (as isp_base's TestMenus opens the ISP menus)."""

    _open_menu = test_menus.TestMenus._open_menu
    _eval_context = test_menus.TestMenus._eval_context

    def test_every_visible_helpdesk_menu_opens(self):
        self.make_ticket()
        self.overdue_invoice()
        self.subscription._suspend(reason="Unpaid", for_debt=True)
        root = self.env.ref("helpdesk_mgmt.helpdesk_ticket_main_menu")
        menus = (
            self.env["ir.ui.menu"]
            .with_context(**{"ir.ui.menu.full_list": True})
            .search([("id", "child_of", root.id)])
        )
        failures = []
        for role in ("isp_user", "isp_billing", "isp_technician", "isp_manager", "helpdesk_agent"):
            user = getattr(self, role)
            visible = self.env(user=user)["ir.ui.menu"]._visible_menu_ids()
            self.assertIn(root.id, visible, f"{role} does not see the helpdesk")
            for menu in menus.filtered(lambda m, visible=visible: m.id in visible):
                if menu.action and menu.action._name == "ir.actions.act_window":
                    failures += self._open_menu(user, role, menu)
        self.assertFalse(failures, "\n" + "\n".join(failures))
