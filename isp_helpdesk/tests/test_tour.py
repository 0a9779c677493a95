# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, tagged

from .common import IspHelpdeskCommon


@tagged("post_install", "-at_install")
class TestTicketContextTour(HttpCase, IspHelpdeskCommon):
    """In the browser: a helpdesk agent (no ISP group, no invoice rights) opens the ticket of a
    customer suspended for debt and sees why."""

    def test_agent_sees_why_the_customer_is_suspended(self):
        invoice = self.overdue_invoice(days_overdue=20)
        self.subscription._suspend(reason=f"Unpaid invoice {invoice.name}", for_debt=True)
        ticket = self.make_ticket(name="No internet since yesterday")
        self.start_tour(
            f"/odoo/helpdesk-tickets/{ticket.id}", "isp_helpdesk_ticket_context", login="helpdesk_agent"
        )
