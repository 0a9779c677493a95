# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


class IspReportKpiMonth(models.Model):
    """The business month by month, per company: MRR and its movement, ARPU, churn rate and
    the subscriptions active, suspended, started and terminated (month ends, as
    ``isp.report.subscription.month``, which it sums). A materialized view, refreshed with it."""

    _name = "isp.report.kpi.month"
    _description = "ISP KPIs by Month"
    _auto = False
    _order = "month desc, company_id"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    mrr = fields.Monetary(string="MRR", readonly=True)
    mrr_new = fields.Monetary(string="New MRR", readonly=True)
    mrr_upgrade = fields.Monetary(string="Upgrade MRR", readonly=True)
    mrr_downgrade = fields.Monetary(string="Downgrade MRR", readonly=True)
    mrr_churn = fields.Monetary(string="Churned MRR", readonly=True)
    mrr_reactivation = fields.Monetary(string="Reactivation MRR", readonly=True)
    mrr_change = fields.Monetary(string="MRR Change", readonly=True)
    arpu = fields.Monetary(
        string="ARPU",
        aggregator="avg",
        readonly=True,
        help="MRR divided by the customers with an active subscription.",
    )
    active_count = fields.Integer(string="Active", readonly=True)
    active_customers = fields.Integer(readonly=True)
    suspended_count = fields.Integer(string="Suspended", readonly=True)
    new_count = fields.Integer(string="Started", readonly=True)
    terminated_count = fields.Integer(string="Terminated", readonly=True, help="Terminated during the month.")
    terminated_total = fields.Integer(
        string="Terminated to Date", aggregator="max", readonly=True, help="Terminated up to the month's end."
    )
    in_service_at_start = fields.Integer(string="In Service at Start", readonly=True)
    churn_rate = fields.Float(
        string="Churn Rate (%)",
        aggregator="avg",
        digits=(16, 2),
        readonly=True,
        help="Subscriptions terminated during the month, per 100 in service (active or suspended) at its start.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE MATERIALIZED VIEW %s AS (
                    SELECT m.company_id::bigint * 100000
                               + EXTRACT(YEAR FROM m.month)::int * 12 + EXTRACT(MONTH FROM m.month)::int AS id,
                           m.company_id, m.month, MIN(m.currency_id) AS currency_id,
                           SUM(m.mrr) AS mrr, SUM(m.mrr_new) AS mrr_new, SUM(m.mrr_upgrade) AS mrr_upgrade,
                           SUM(m.mrr_downgrade) AS mrr_downgrade, SUM(m.mrr_churn) AS mrr_churn,
                           SUM(m.mrr_reactivation) AS mrr_reactivation, SUM(m.mrr_change) AS mrr_change,
                           SUM(m.active_count) AS active_count,
                           COUNT(DISTINCT m.partner_id) FILTER (WHERE m.state = 'active') AS active_customers,
                           SUM(m.suspended_count) AS suspended_count, SUM(m.new_count) AS new_count,
                           SUM(m.terminated_count) AS terminated_count,
                           SUM(SUM(m.terminated_count)) OVER (PARTITION BY m.company_id ORDER BY m.month)
                               AS terminated_total,
                           SUM(m.in_service_at_start) AS in_service_at_start,
                           CASE WHEN COUNT(DISTINCT m.partner_id) FILTER (WHERE m.state = 'active') > 0
                                THEN SUM(m.mrr) / COUNT(DISTINCT m.partner_id) FILTER (WHERE m.state = 'active')
                                ELSE 0 END AS arpu,
                           CASE WHEN SUM(m.in_service_at_start) > 0
                                THEN 100.0 * SUM(m.terminated_count) / SUM(m.in_service_at_start)
                                ELSE 0 END AS churn_rate
                      FROM isp_report_subscription_month m
                     GROUP BY m.company_id, m.month
                )
                """,
                SQL.identifier(self._table),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (id)",
                SQL.identifier(f"{self._table}_id_idx"),
                SQL.identifier(self._table),
            )
        )
