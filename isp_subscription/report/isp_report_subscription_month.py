# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models, tools
from odoo.tools import SQL

REFRESHED_PARAM = "isp_subscription.kpi_reports_refreshed_at"
MOVEMENTS = [
    ("new", "New"),
    ("upgrade", "Upgrade"),
    ("downgrade", "Downgrade"),
    ("churn", "Churn"),
    ("reactivation", "Reactivation"),
    ("none", "No Change"),
]


class IspReportSubscriptionMonth(models.Model):
    """Each subscription at each month end since its activation: its state, plan, monthly
    recurring revenue (MRR) and how the MRR moved since the previous month end.

    Rules (the same as ``lib/kpi.py``): the state and plan are those of the month's last day
    (for the current month, the day of the last computation), read from the plan history and the suspension periods; only
    an active subscription brings MRR, its plan's price divided by the months of its billing
    period (add-ons left out). A move from no MRR to some is *new*, or *reactivation* when the
    subscription brought MRR at an earlier month end (a reconnection); a move to none (a
    suspension, a termination) is *churn*.

    A materialized view: computed every night and on request (:meth:`_refresh`), as
    computing every month end of every subscription when the report opens takes seconds at
    tens of thousands of subscriptions.
    """

    _name = "isp.report.subscription.month"
    _description = "MRR by Subscription and Month"
    _auto = False
    _order = "month desc, subscription_id"
    _rec_name = "subscription_id"

    month = fields.Date(readonly=True, help="First day of the month; the figures are those of its last day.")
    subscription_id = fields.Many2one("isp.subscription", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", string="Plan", readonly=True)
    site_id = fields.Many2one("isp.site", readonly=True)
    state = fields.Selection(
        [("active", "Active"), ("suspended", "Suspended"), ("terminated", "Terminated")],
        string="State at Month End",
        readonly=True,
    )
    movement = fields.Selection(MOVEMENTS, string="MRR Movement", readonly=True)
    mrr = fields.Monetary(string="MRR", readonly=True)
    previous_mrr = fields.Monetary(string="MRR Month Before", readonly=True)
    mrr_change = fields.Monetary(string="MRR Change", readonly=True)
    mrr_new = fields.Monetary(string="New MRR", readonly=True)
    mrr_upgrade = fields.Monetary(string="Upgrade MRR", readonly=True)
    mrr_downgrade = fields.Monetary(string="Downgrade MRR", readonly=True)
    mrr_churn = fields.Monetary(string="Churned MRR", readonly=True)
    mrr_reactivation = fields.Monetary(string="Reactivation MRR", readonly=True)
    active_count = fields.Integer(string="Active", readonly=True)
    suspended_count = fields.Integer(string="Suspended", readonly=True)
    terminated_count = fields.Integer(string="Terminated", readonly=True, help="Terminated during the month.")
    new_count = fields.Integer(string="Started", readonly=True, help="Started during the month.")
    in_service_at_start = fields.Integer(
        string="In Service at Start",
        readonly=True,
        help="Active or suspended at the end of the month before.",
    )

    def init(self):
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(SQL("CREATE MATERIALIZED VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
        for name, columns in (
            ("id", "id"),
            ("company_month", "company_id, month"),
            ("sub", "subscription_id"),
        ):
            cr.execute(
                SQL(
                    "CREATE %s INDEX %s ON %s (%s)",
                    SQL("UNIQUE" if name == "id" else ""),
                    SQL.identifier(f"{self._table}_{name}_idx"),
                    SQL.identifier(self._table),
                    SQL(columns),
                )
            )
        # computed now, at installation or update
        self._set_refreshed()

    def _set_refreshed(self):
        self.env["ir.config_parameter"].sudo().set_param(
            REFRESHED_PARAM, fields.Datetime.to_string(fields.Datetime.now())
        )

    @api.model
    def _refresh(self):
        """Compute the month-end figures again from the subscriptions, plan history and
        suspensions (this view and ``isp.report.kpi.month``, which sums it); done every night
        and on request from the dashboard."""
        self.env.flush_all()
        for model in ("isp.report.subscription.month", "isp.report.kpi.month"):
            self.env.cr.execute(SQL("REFRESH MATERIALIZED VIEW %s", SQL.identifier(self.env[model]._table)))
            self.env[model].invalidate_model()
        self._set_refreshed()

    def _query(self):
        return SQL(
            """
            WITH periods AS (
                SELECT pp.subscription_id, pp.product_id, pp.date_from,
                       LEAD(pp.date_from) OVER (PARTITION BY pp.subscription_id ORDER BY pp.date_from) AS date_next
                  FROM isp_subscription_plan_period pp
            ),
            grid AS (
                SELECT s.id AS subscription_id, s.company_id, s.partner_id, s.site_id, s.date_start, s.date_end,
                       p.product_id, p.date_from, p.date_next, m.month::date AS month,
                       LEAST((m.month + interval '1 month - 1 day')::date, CURRENT_DATE) AS snapshot,
                       COALESCE(t.list_price, 0) / CASE s.billing_period WHEN 'yearly' THEN 12
                                                                         WHEN 'quarterly' THEN 3
                                                                         ELSE 1 END AS plan_mrr
                  FROM periods p
                  JOIN isp_subscription s ON s.id = p.subscription_id
                  JOIN product_product pr ON pr.id = p.product_id
                  JOIN product_template t ON t.id = pr.product_tmpl_id
                 CROSS JOIN LATERAL generate_series(
                        date_trunc('month', p.date_from),
                        date_trunc('month', LEAST(p.date_next - 1, s.date_end, CURRENT_DATE)),
                        interval '1 month'
                       ) AS m(month)
            ),
            states AS (
                SELECT g.*,
                       CASE WHEN g.date_end <= g.snapshot THEN 'terminated'
                            WHEN su.id IS NOT NULL THEN 'suspended'
                            ELSE 'active' END AS state
                  FROM grid g
                  -- suspension periods of a subscription never overlap: one row at most
                  LEFT JOIN isp_subscription_suspension su
                         ON su.subscription_id = g.subscription_id
                        AND su.date_from <= g.snapshot
                        AND (su.date_to IS NULL OR su.date_to >= g.snapshot)
                 WHERE g.date_from <= g.snapshot AND (g.date_next IS NULL OR g.date_next > g.snapshot)
            ),
            valued AS (
                SELECT st.*, CASE WHEN st.state = 'active' THEN st.plan_mrr ELSE 0 END AS mrr FROM states st
            ),
            moved AS (
                SELECT v.*,
                       COALESCE(LAG(v.mrr) OVER w, 0) AS previous_mrr,
                       COALESCE(LAG(v.state) OVER w IN ('active', 'suspended'), false) AS was_in_service,
                       COALESCE(bool_or(v.mrr > 0) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                                false) AS had_mrr
                  FROM valued v
                WINDOW w AS (PARTITION BY v.subscription_id ORDER BY v.month)
            ),
            classified AS (
                SELECT mv.*,
                       CASE WHEN mv.previous_mrr <= 0 AND mv.mrr > 0
                                THEN CASE WHEN mv.had_mrr THEN 'reactivation' ELSE 'new' END
                            WHEN mv.mrr <= 0 AND mv.previous_mrr > 0 THEN 'churn'
                            WHEN mv.previous_mrr > 0 AND mv.mrr > mv.previous_mrr THEN 'upgrade'
                            WHEN mv.mrr > 0 AND mv.mrr < mv.previous_mrr THEN 'downgrade'
                            ELSE 'none' END AS movement
                  FROM moved mv
            )
            SELECT c.subscription_id::bigint * 100000
                       + EXTRACT(YEAR FROM c.month)::int * 12 + EXTRACT(MONTH FROM c.month)::int AS id,
                   c.month, c.subscription_id, c.partner_id, c.company_id, co.currency_id, c.product_id,
                   c.site_id, c.state, c.movement, c.mrr, c.previous_mrr, c.mrr - c.previous_mrr AS mrr_change,
                   CASE WHEN c.movement = 'new' THEN c.mrr - c.previous_mrr ELSE 0 END AS mrr_new,
                   CASE WHEN c.movement = 'upgrade' THEN c.mrr - c.previous_mrr ELSE 0 END AS mrr_upgrade,
                   CASE WHEN c.movement = 'downgrade' THEN c.mrr - c.previous_mrr ELSE 0 END AS mrr_downgrade,
                   CASE WHEN c.movement = 'churn' THEN c.mrr - c.previous_mrr ELSE 0 END AS mrr_churn,
                   CASE WHEN c.movement = 'reactivation' THEN c.mrr - c.previous_mrr ELSE 0 END AS mrr_reactivation,
                   (c.state = 'active')::int AS active_count,
                   (c.state = 'suspended')::int AS suspended_count,
                   (c.state = 'terminated')::int AS terminated_count,
                   (c.date_start >= c.month AND c.date_start < c.month + interval '1 month')::int AS new_count,
                   c.was_in_service::int AS in_service_at_start
              FROM classified c
              JOIN res_company co ON co.id = c.company_id
            """
        )
