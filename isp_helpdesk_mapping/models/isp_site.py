# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, models


class IspSite(models.Model):
    _inherit = "isp.site"

    @api.model
    def get_map_config(self):
        """The popups offer a new ticket to those who may create one."""
        config = super().get_map_config()
        if self.env["helpdesk.ticket"].has_access("create"):
            config["new_ticket"] = "helpdesk.ticket"
        return config

    def _isp_mapping_open_incident(self, subscriptions):
        """The map's outage tool: open an outage incident on these sites, or, without a site
        (an area drawn on the map), on ``subscriptions``; it notifies the affected customers.
        Returns the action opening its form. An incident already open on all these sites is
        opened instead of a second one (its customers were told already). Rights are the
        incident's: technicians, ISP managers and helpdesk agents."""
        result = super()._isp_mapping_open_incident(subscriptions)
        if result:
            return result
        Incident = self.env["isp.incident"]
        incident = Incident
        if self:
            incident = Incident.search([("state", "=", "open"), ("site_ids", "in", self.ids)]).filtered(
                lambda i: not (self - i.site_ids)
            )[:1]
        if not incident:
            if self:
                values = {
                    "name": self.env._("Outage: %s", ", ".join(self.mapped("complete_name"))),
                    "site_ids": [Command.set(self.ids)],
                    "company_id": self[:1].company_id.id,
                }
            else:
                values = {
                    "name": self.env._("Outage: %s customers in an area", len(subscriptions.partner_id)),
                    "subscription_ids": [Command.set(subscriptions.ids)],
                    "company_id": subscriptions[:1].company_id.id,
                }
            incident = Incident.create(values)
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
