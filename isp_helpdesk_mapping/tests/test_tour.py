# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTicketFromMapTour(HttpCase):
    def test_new_ticket_from_a_customer_popup(self):
        """An agent opens a customer's popup on the map and starts a ticket for them."""
        self.env["ir.config_parameter"].sudo().set_param("isp_mapping.tiles_url", "")
        site = self.env["isp.site"].create(
            {
                "name": "Ticket Tour Tower",
                "code": "TTT",
                "site_type": "tower",
                "latitude": -7.8,
                "longitude": 110.3,
            }
        )
        partner = self.env["res.partner"].create(
            {"name": "Ticket Tour Customer", "is_isp_customer": True, "isp_site_id": site.id}
        )
        plan = self.env["product.product"].search(
            [
                ("is_isp_plan", "=", True),
                ("connection_type", "=", "pppoe"),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            limit=1,
        )
        subscription = self.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "product_id": plan.id,
                "site_id": site.id,
                "latitude": -7.8001,
                "longitude": 110.3001,
            }
        )
        subscription.action_activate()
        self.start_tour(
            "/odoo/action-isp_mapping.action_isp_customer_map",
            "isp_helpdesk_mapping_ticket_tour",
            login="admin",
        )
