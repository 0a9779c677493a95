# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _isp_open_incidents(self):
        """The open incidents on the customer's sites (its subscriptions' and its own) and the
        sites above them, or naming its subscriptions, newest first, for the portal's banner."""
        result = super()._isp_open_incidents()
        partner = self.sudo()
        subscriptions = (
            self.env["isp.subscription"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("state", "in", ("active", "suspended")),
                ]
            )
        )
        sites = subscriptions.site_id | partner.commercial_partner_id.isp_site_id
        by_site, by_subscription = self.env["isp.incident"]._open_affecting(sites, subscriptions)
        incidents = self.env["isp.incident"].sudo().union(*by_site.values(), *by_subscription.values())
        known = {item["name"] for item in result}
        for incident in incidents.sorted(lambda i: (i.date_start or i.create_date, i.id), reverse=True):
            if incident.name not in known:
                result.append(
                    {
                        "name": incident.name,
                        "date_start": incident.date_start,
                        "description": incident.description,
                    }
                )
        return result
