# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_offline_watch = fields.Boolean(related="company_id.isp_offline_watch", readonly=False)
    isp_offline_watch_minutes = fields.Integer(related="company_id.isp_offline_watch_minutes", readonly=False)
    isp_offline_watch_team_id = fields.Many2one(
        related="company_id.isp_offline_watch_team_id", readonly=False
    )
    isp_outage_credit = fields.Selection(related="company_id.isp_outage_credit", readonly=False)
