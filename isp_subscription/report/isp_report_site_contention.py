# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


class IspReportSiteContention(models.Model):
    """Contention of each site: the download speeds sold to the active subscriptions served at
    the site or below it in the site tree, against the site's uplink capacity, and the
    busiest day of the last 30 days as an average rate."""

    _name = "isp.report.site.contention"
    _description = "Site Contention"
    _auto = False
    _order = "contention_ratio desc, site_id"
    _rec_name = "site_id"

    site_id = fields.Many2one("isp.site", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    site_type = fields.Selection(
        [("pop", "Point of Presence"), ("tower", "Tower"), ("access_point", "Access Point"), ("olt", "OLT")],
        string="Type",
        readonly=True,
    )
    uplink_capacity_mbps = fields.Float(string="Uplink Capacity (Mbit/s)", readonly=True)
    subscription_count = fields.Integer(string="Active Subscriptions", readonly=True)
    sold_mbps = fields.Float(
        string="Speed Sold (Mbit/s)",
        digits=(16, 1),
        readonly=True,
        help="Sum of the download speeds of the plans of the active subscriptions at the site or below it.",
    )
    contention_ratio = fields.Float(
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="Speed sold per Mbit/s of uplink capacity (20 means 20:1); 0 while the capacity is not set.",
    )
    peak_mbps = fields.Float(
        string="Measured Peak (Mbit/s)",
        digits=(16, 2),
        aggregator="max",
        readonly=True,
        help="The busiest day of the last 30 days (downloads of the subscriptions at the site or below it), "
        "as an average rate over that day. Only daily usage is recorded: the busy-hour peak is higher.",
    )
    peak_day = fields.Date(string="Busiest Day", readonly=True)
    peak_utilisation = fields.Float(
        string="Peak Use of Uplink (%)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="Measured peak per 100 Mbit/s of uplink capacity.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    WITH sold AS (
                        SELECT s.site_id, COUNT(*) AS subscriptions, SUM(t.download_kbps) / 1000.0 AS mbps
                          FROM isp_subscription s
                          JOIN product_product pr ON pr.id = s.product_id
                          JOIN product_template t ON t.id = pr.product_tmpl_id
                         WHERE s.state = 'active' AND s.site_id IS NOT NULL
                         GROUP BY s.site_id
                    ),
                    daily AS (
                        SELECT s.site_id, u.day, SUM(COALESCE(u.bytes_down, 0)) AS bytes
                          FROM isp_usage_daily u
                          JOIN isp_subscription s ON s.id = u.subscription_id
                         WHERE u.day > CURRENT_DATE - 30 AND s.site_id IS NOT NULL
                         GROUP BY s.site_id, u.day
                    ),
                    tree AS (
                        SELECT site.id AS site_id, below.id AS below_id
                          FROM isp_site site
                          JOIN isp_site below ON LEFT(below.parent_path, LENGTH(site.parent_path)) = site.parent_path
                    ),
                    totals AS (
                        SELECT tree.site_id, SUM(sold.subscriptions) AS subscriptions, SUM(sold.mbps) AS mbps
                          FROM tree JOIN sold ON sold.site_id = tree.below_id
                         GROUP BY tree.site_id
                    ),
                    peaks AS (
                        SELECT DISTINCT ON (x.site_id) x.site_id, x.day, x.bytes * 8 / 86400.0 / 1e6 AS mbps
                          FROM (
                            SELECT tree.site_id, daily.day, SUM(daily.bytes) AS bytes
                              FROM tree JOIN daily ON daily.site_id = tree.below_id
                             GROUP BY tree.site_id, daily.day
                          ) x
                         ORDER BY x.site_id, x.bytes DESC, x.day DESC
                    )
                    SELECT site.id, site.id AS site_id, site.company_id, site.site_type,
                           COALESCE(site.uplink_capacity_mbps, 0) AS uplink_capacity_mbps,
                           COALESCE(totals.subscriptions, 0) AS subscription_count,
                           COALESCE(totals.mbps, 0) AS sold_mbps,
                           CASE WHEN site.uplink_capacity_mbps > 0
                                THEN COALESCE(totals.mbps, 0) / site.uplink_capacity_mbps ELSE 0 END
                               AS contention_ratio,
                           COALESCE(peaks.mbps, 0) AS peak_mbps, peaks.day AS peak_day,
                           CASE WHEN site.uplink_capacity_mbps > 0
                                THEN 100.0 * COALESCE(peaks.mbps, 0) / site.uplink_capacity_mbps ELSE 0 END
                               AS peak_utilisation
                      FROM isp_site site
                      LEFT JOIN totals ON totals.site_id = site.id
                      LEFT JOIN peaks ON peaks.site_id = site.id
                     WHERE site.active
                )
                """,
                SQL.identifier(self._table),
            )
        )
