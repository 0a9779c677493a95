# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.isp_base.access import check_isp_group

from ..lib import kpi
from ..report.isp_report_subscription_month import REFRESHED_PARAM

BILLING_GROUP = "isp_base.group_isp_billing"
CHART_MONTHS = 12


class IspDashboard(models.AbstractModel):
    """The figures of the ISP dashboard (the client action ``isp_subscription.action_isp_dashboard``)."""

    _name = "isp.dashboard"
    _description = "ISP Dashboard"

    @api.model
    def get_kpis(self):
        """The business at a glance, for ISP Billing and Managers, in the companies selected:
        ``{"currency_id", "today", "figures": [{key, value, kind, action}], "charts": {...}}``.

        Each figure carries the window action listing what it counts. Amounts are in the
        current company's currency (companies of other currencies are summed as they are).
        Runs a fixed number of queries, whatever the number of subscriptions.
        """
        check_isp_group(self.env, BILLING_GROUP)
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1)
        Subscription = self.env["isp.subscription"]
        company_domain = [("company_id", "in", self.env.companies.ids)]

        # MRR, active and suspended now: one group per plan and billing period
        mrr = 0.0
        counts = {"active": 0, "suspended": 0}
        for state, plan, period, count in Subscription._read_group(
            [*company_domain, ("state", "in", ("active", "suspended"))],
            ["state", "product_id", "billing_period"],
            ["__count"],
        ):
            counts[state] += count
            if state == "active":
                mrr += kpi.monthly_amount(plan.lst_price, period) * count
        [[active_customers]] = Subscription._read_group(
            [*company_domain, ("state", "=", "active")], [], ["partner_id:count_distinct"]
        )
        new_domain = [*company_domain, ("state", "!=", "draft"), ("date_start", ">=", month_start)]
        churned_domain = [*company_domain, ("state", "=", "terminated"), ("date_end", ">=", month_start)]
        in_service_at_start = Subscription.search_count(
            [
                *company_domain,
                ("state", "!=", "draft"),
                ("date_start", "<", month_start),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", month_start),
            ]
        )
        new_count = Subscription.search_count(new_domain)
        churned_count = Subscription.search_count(churned_domain)
        problem_domain = [*company_domain, ("provisioning_status", "in", ("failed", "retrying"))]
        problem_count = Subscription.search_count(problem_domain)
        online_domain = [*company_domain, ("online_while_suspended", "=", True)]
        online_count = Subscription.search_count(online_domain)

        overdue_domain = [
            *company_domain,
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", today),
            ("partner_id.is_isp_customer", "=", True),
        ]
        [[overdue_amount, overdue_count]] = self.env["account.move"]._read_group(
            overdue_domain, [], ["amount_residual_signed:sum", "__count"]
        )

        def window(name, model, domain, views=("list", "form")):
            return {
                "type": "ir.actions.act_window",
                "name": name,
                "res_model": model,
                "domain": domain,
                "views": [[False, view] for view in views],
                "target": "current",
            }

        kpi_month = "isp_subscription.action_isp_report_kpi_month"
        subscriptions = self.env._("Subscriptions")
        figures = [
            ("mrr", self.env._("MRR"), mrr, "money", kpi_month),
            ("arpu", self.env._("ARPU"), kpi.arpu(mrr, active_customers), "money", kpi_month),
            (
                "active",
                self.env._("Active"),
                counts["active"],
                "count",
                window(subscriptions, "isp.subscription", [*company_domain, ("state", "=", "active")]),
            ),
            (
                "suspended",
                self.env._("Suspended"),
                counts["suspended"],
                "count",
                window(subscriptions, "isp.subscription", [*company_domain, ("state", "=", "suspended")]),
            ),
            (
                "overdue",
                self.env._("Overdue (%s invoices)", overdue_count),
                overdue_amount or 0.0,
                "money",
                window(self.env._("Overdue Invoices"), "account.move", overdue_domain),
            ),
            (
                "new",
                self.env._("New This Month"),
                new_count,
                "count",
                window(subscriptions, "isp.subscription", new_domain),
            ),
            (
                "churned",
                self.env._("Churned This Month"),
                churned_count,
                "count",
                window(subscriptions, "isp.subscription", churned_domain),
            ),
            (
                "churn_rate",
                self.env._("Churn Rate This Month"),
                kpi.churn_rate(churned_count, in_service_at_start),
                "percent",
                kpi_month,
            ),
            (
                "provisioning",
                self.env._("Provisioning Problems"),
                problem_count,
                "count",
                window(subscriptions, "isp.subscription", problem_domain),
            ),
            (
                "online_suspended",
                self.env._("Online While Suspended"),
                online_count,
                "count",
                window(subscriptions, "isp.subscription", online_domain),
            ),
        ]
        return {
            "currency_id": self.env.company.currency_id.id,
            "today": fields.Date.to_string(today),
            "reports_refreshed_at": self.env["ir.config_parameter"].sudo().get_param(REFRESHED_PARAM, False),
            "figures": [
                {"key": key, "label": label, "value": value, "kind": kind, "action": action}
                for key, label, value, kind, action in figures
            ],
            "charts": {"mrr": self._mrr_chart(month_start), "states": counts},
        }

    @api.model
    def refresh_reports(self):
        """Compute the month-end reports (MRR, its movement, KPIs by month) again now (ISP Billing).
        They are otherwise computed every night. Returns True."""
        check_isp_group(self.env, BILLING_GROUP)
        self.env["isp.report.subscription.month"].sudo()._refresh()
        return True

    @api.model
    def _cron_refresh_reports(self):
        self.env["isp.report.subscription.month"].sudo()._refresh()

    def _mrr_chart(self, month_start):
        """MRR and its movement over the last 12 month ends (this month's: today)."""
        first = month_start - relativedelta(months=CHART_MONTHS - 1)
        rows = self.env["isp.report.kpi.month"]._read_group(
            [("company_id", "in", self.env.companies.ids), ("month", ">=", first)],
            ["month:month"],
            [
                "mrr:sum",
                "mrr_new:sum",
                "mrr_reactivation:sum",
                "mrr_upgrade:sum",
                "mrr_downgrade:sum",
                "mrr_churn:sum",
            ],
            order="month:month",
        )
        return [
            {
                "month": fields.Date.to_string(month),
                "mrr": mrr,
                "gained": new + reactivation + upgrade,
                "lost": downgrade + churn,
            }
            for month, mrr, new, reactivation, upgrade, downgrade, churn in rows
        ]
