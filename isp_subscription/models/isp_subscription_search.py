# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.osv import expression


class ResPartner(models.Model):
    """Customers are found by their subscriptions' PPPoE usernames too."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _isp_search_domain(self, text):
        domain = super()._isp_search_domain(text)
        subscriptions = self.env["isp.subscription"]
        if not subscriptions.has_access("read"):
            return domain
        query = subscriptions._search([("pppoe_username", "ilike", text.strip())])
        return expression.OR([domain, [("id", "in", query.subselect("partner_id"))]])


class IspSubscription(models.Model):
    """The subscriptions' search box and dropdowns: the reference, the PPPoE username, the
    static IP, or the customer by name, number, national ID or phone (local form too)."""

    _name = "isp.subscription"
    _inherit = ["isp.subscription", "isp.search.mixin"]  # pylint: disable=consider-merging-classes-inherited

    isp_search = fields.Char(string="Subscription, Customer, PPPoE Username, Phone or National ID")

    @api.model
    def _isp_search_domain(self, text):
        text = text.strip()
        partners = self.env["res.partner"].with_context(active_test=False)
        partner_domain = expression.OR(
            [[("complete_name", "ilike", text)], partners._isp_search_domain(text)]
        )
        return expression.OR(
            [
                [("name", "ilike", text)],
                [("pppoe_username", "ilike", text)],
                [("static_ip", "ilike", text)],
                [("partner_id", "in", partners._search(partner_domain))],
            ]
        )
