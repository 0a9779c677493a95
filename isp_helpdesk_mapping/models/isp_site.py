# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, models


class IspSite(models.Model):
    _inherit = "isp.site"

    def _isp_mapping_open_incident(self, subscriptions):
        """The map's outage tool: open an outage incident on these sites (the subscriptions'
        sites when no site was picked), which notifies the affected customers, and return the
        action opening its form. An incident already open on all these sites is opened again
        instead of a second one (its customers were told already). Rights are the incident's:
        technicians, ISP managers and helpdesk agents."""
        result = super()._isp_mapping_open_incident(subscriptions)
        if result:
            return result
        sites = self or subscriptions.site_id
        Incident = self.env["isp.incident"]
        incident = Incident.search([("state", "=", "open"), ("site_ids", "in", sites.ids)]).filtered(
            lambda i: not (sites - i.site_ids)
        )[:1]
        if not incident:
            incident = Incident.create(
                {
                    "name": self.env._("Outage: %s", ", ".join(sites.mapped("complete_name"))),
                    "site_ids": [Command.set(sites.ids)],
                    "company_id": sites[:1].company_id.id,
                }
            )
            incident.action_open()
        return {
            "type": "ir.actions.act_window",
            "name": incident.name,
            "res_model": "isp.incident",
            "res_id": incident.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
