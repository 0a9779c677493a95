# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_offline_watch = fields.Boolean(
        string="Offline Watch",
        help="Open a ticket when an active, paid subscription stays offline longer than the delay, "
        "and close it when the subscription is back online (unless an agent took it).",
    )
    isp_offline_watch_minutes = fields.Integer(
        string="Offline For (minutes)",
        default=30,
        help="How long a subscription must be offline before the offline watch opens a ticket.",
    )
    isp_offline_watch_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Offline Watch Team",
        help="The team of the tickets the offline watch opens (the ISP Support team if empty).",
    )

    @api.constrains("isp_offline_watch_minutes")
    def _check_isp_offline_watch_minutes(self):
        for company in self:
            if company.isp_offline_watch_minutes < 1:
                raise ValidationError(self.env._("The offline watch needs a delay of at least one minute."))

    @api.model
    def _isp_policy_fields(self):
        """ISP managers set the offline watch of their companies, as they set the billing policy."""
        return super()._isp_policy_fields() | {
            "isp_offline_watch",
            "isp_offline_watch_minutes",
            "isp_offline_watch_team_id",
        }
