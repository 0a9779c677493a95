# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    """A ticket of a customer affected by an open outage incident attaches to it."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    isp_incident_id = fields.Many2one(
        "isp.incident",
        string="Outage Incident",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Set when the ticket is created while an open incident affects the customer's site.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered(lambda t: not t.isp_incident_id)._isp_attach_open_incident()
        return tickets

    def _isp_attach_open_incident(self):
        """Attach each ticket to the newest open incident on its site or above it, or naming its
        subscription (one search each for all of them), whoever created it (the portal, the
        mail gateway, an agent)."""
        tickets = self.sudo().filtered(lambda t: t.isp_site_id or t.isp_subscription_id)
        if not tickets:
            return
        for ticket, incidents in tickets._isp_open_incidents_by_ticket().items():
            if incidents:
                ticket.isp_incident_id = incidents[0]

    def _isp_open_incidents_by_ticket(self):
        """``{ticket (sudo): open incidents of its company affecting it, newest first}``."""
        tickets = self.sudo()
        Incident = self.env["isp.incident"].sudo()
        by_site, by_subscription = Incident._open_affecting(tickets.isp_site_id, tickets.isp_subscription_id)
        result = {}
        for ticket in tickets:
            incidents = by_site.get(ticket.isp_site_id.id, Incident) | by_subscription.get(
                ticket.isp_subscription_id.id, Incident
            )
            result[ticket] = incidents.filtered(lambda i, t=ticket: i.company_id == t.company_id).sorted(
                lambda i: (i.date_start or i.create_date, i.id), reverse=True
            )
        return result

    def _isp_open_incident_names(self):
        names = super()._isp_open_incident_names()
        self.ensure_one()
        incidents = next(iter(self._isp_open_incidents_by_ticket().values()))
        incident = self.sudo().isp_incident_id
        if incident.state == "open":
            incidents = incident | incidents
        return names + [name for name in incidents.mapped("name") if name not in names]
