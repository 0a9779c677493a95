# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


class IspReportUsage(models.Model):
    """Daily traffic of every subscription with its plan, site and area: usage by plan, by
    site and by area, the top users and the network load of each site day by day."""

    _name = "isp.report.usage"
    _description = "ISP Usage"
    _auto = False
    _order = "day desc, id desc"
    _rec_name = "subscription_id"

    day = fields.Date(readonly=True)
    subscription_id = fields.Many2one("isp.subscription", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", string="Plan", readonly=True, help="The plan now.")
    site_id = fields.Many2one("isp.site", readonly=True)
    city = fields.Char(readonly=True)
    state_id = fields.Many2one("res.country.state", readonly=True)
    gb_down = fields.Float(string="Downloaded (GB)", digits=(16, 3), readonly=True)
    gb_up = fields.Float(string="Uploaded (GB)", digits=(16, 3), readonly=True)
    gb_total = fields.Float(string="Traffic (GB)", digits=(16, 3), readonly=True, help="GB of 10^9 bytes.")
    session_hours = fields.Float(digits=(16, 2), readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT u.id, u.day, u.subscription_id, s.partner_id, u.company_id, s.product_id, s.site_id,
                           p.city, p.state_id,
                           COALESCE(u.bytes_down, 0) / 1e9 AS gb_down,
                           COALESCE(u.bytes_up, 0) / 1e9 AS gb_up,
                           (COALESCE(u.bytes_down, 0) + COALESCE(u.bytes_up, 0)) / 1e9 AS gb_total,
                           COALESCE(u.session_seconds, 0) / 3600.0 AS session_hours
                      FROM isp_usage_daily u
                      LEFT JOIN isp_subscription s ON s.id = u.subscription_id
                      LEFT JOIN res_partner p ON p.id = s.partner_id
                )
                """,
                SQL.identifier(self._table),
            )
        )
