# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark of the ISP dashboard and KPI reports (not part of the normal suite: tagged ``-standard``).

    odoo-bin ... --test-tags isp_subscription_benchmark   # ISP_KPI_BENCH_COUNT=50000 by default

Makes N customers with a subscription in a company of their own (the demo generator), then with
SQL: 30 days of daily usage for each, a plan change for one in ten, a termination for one in
twenty; and ISP_KPI_BENCH_INVOICES (5,000 by default, at most N) posted invoices through the ORM,
due from 120 days ago to 10 days ahead. Then, as a billing user, prints the server time of
``isp.dashboard.get_kpis`` and of the ``read_group`` each report's default view makes (best and
worst of three, caches cleared). Everything is rolled back.
"""

import logging
import os
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

_logger = logging.getLogger(__name__)
LIMIT = 2.0  # seconds: the dashboard and each report must open within this


@tagged("-standard", "-at_install", "post_install", "isp_subscription_benchmark")
class TestDashboardBenchmark(TransactionCase):
    def test_dashboard_benchmark(self):
        count = int(os.environ.get("ISP_KPI_BENCH_COUNT", "50000"))
        invoice_count = min(count, int(os.environ.get("ISP_KPI_BENCH_INVOICES", "5000")))
        company = self.env["res.company"].create({"name": f"KPI Benchmark {count}"})
        began = time.perf_counter()
        self.env["isp.demo.generator"]._generate(count, company_id=company.id)
        generated = time.perf_counter() - began
        self._add_history(company)
        began = time.perf_counter()
        self._add_invoices(company, invoice_count)
        invoiced = time.perf_counter() - began
        self.env.flush_all()
        self.env.cr.execute(
            "ANALYZE isp_subscription, isp_subscription_plan_period, isp_subscription_suspension, "
            "isp_usage_daily, res_partner, isp_site, account_move, account_move_line"
        )
        _logger.info(
            "ISP KPI benchmark: %s subscriptions generated in %.0f s, %s invoices in %.0f s",
            count,
            generated,
            invoice_count,
            invoiced,
        )
        began = time.perf_counter()
        self.env["isp.dashboard"]._cron_refresh_reports()
        _logger.info(
            "ISP KPI benchmark: month-end reports computed (nightly refresh) in %.1f s",
            time.perf_counter() - began,
        )
        billing = new_test_user(
            self.env,
            "kpi_bench_billing",
            groups="isp_base.group_isp_billing",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        env = self.env(user=billing, context={"allowed_company_ids": company.ids})
        month_start = fields.Date.context_today(billing).replace(day=1)
        year_ago = fields.Date.subtract(month_start, months=11)
        last_30 = fields.Date.subtract(fields.Date.context_today(billing), days=30)
        measures = [
            ("isp.dashboard get_kpis", lambda: env["isp.dashboard"].get_kpis()),
            (
                "KPIs by Month (list)",
                lambda: env["isp.report.kpi.month"].search_read(
                    [("month", ">=", year_ago)], ["month", "mrr", "arpu"]
                ),
            ),
            (
                "MRR Movement (pivot movement x month)",
                lambda: env["isp.report.subscription.month"].read_group(
                    [("month", ">=", year_ago)], ["mrr_change:sum"], ["movement", "month:month"], lazy=False
                ),
            ),
            (
                "Receivables Aging (pivot customer x bucket)",
                lambda: env["isp.report.receivable.aging"].read_group(
                    [], ["amount_residual:sum"], ["partner_id", "bucket"], lazy=False
                ),
            ),
            (
                "Revenue (pivot plan x month)",
                lambda: env["isp.report.revenue"].read_group(
                    [("date", ">=", year_ago)], ["revenue:sum"], ["plan_id", "date:month"], lazy=False
                ),
            ),
            (
                "Usage (pivot plan, 30 days)",
                lambda: env["isp.report.usage"].read_group(
                    [("day", ">", last_30)], ["gb_total:sum"], ["product_id"]
                ),
            ),
            (
                "Top Users (pivot customer, 30 days)",
                lambda: env["isp.report.usage"].read_group(
                    [("day", ">", last_30)],
                    ["gb_total:sum"],
                    ["partner_id"],
                    orderby="gb_total desc",
                    limit=80,
                ),
            ),
            (
                "Network Load per Site (graph day x site, 30 days)",
                lambda: env["isp.report.usage"].read_group(
                    [("day", ">", last_30)], ["gb_total:sum"], ["day:day", "site_id"], lazy=False
                ),
            ),
            (
                "Site Contention (list)",
                lambda: env["isp.report.site.contention"].search_read(
                    [], ["site_id", "contention_ratio", "peak_mbps"]
                ),
            ),
        ]
        lines, slow = [], []
        for name, call in measures:
            timings = []
            for _round in range(3):
                env.invalidate_all()
                began = time.perf_counter()
                call()
                timings.append(time.perf_counter() - began)
            lines.append(f"  {name:52} best {min(timings):6.3f} s  worst {max(timings):6.3f} s")
            if min(timings) > LIMIT:
                slow.append(name)
        _logger.info("ISP KPI benchmark, %s subscriptions:\n%s", count, "\n".join(lines))
        self.assertFalse(slow, f"slower than {LIMIT} s: {slow}")

    def _add_history(self, company):
        """Usage, plan changes and terminations, in SQL (the ORM would take hours at 50,000)."""
        cr = self.env.cr
        self.env.flush_all()
        plans = self.env["product.product"].search([("is_isp_plan", "=", True)], limit=2)
        cr.execute("SELECT setseed(0.42)")
        cr.execute(
            """
            INSERT INTO isp_usage_daily (subscription_id, company_id, day, bytes_down, bytes_up, session_seconds,
                                         create_uid, write_uid, create_date, write_date)
            SELECT s.id, s.company_id, d::date, floor(random() * 8e9), floor(random() * 1e9),
                   floor(random() * 86400), 1, 1, now(), now()
              FROM isp_subscription s
             CROSS JOIN generate_series(CURRENT_DATE - 30, CURRENT_DATE - 1, interval '1 day') d
             WHERE s.company_id = %s AND s.state != 'draft' AND s.date_start <= d::date
            """,
            [company.id],
        )
        cr.execute(
            """
            INSERT INTO isp_subscription_plan_period (subscription_id, company_id, product_id, date_from,
                                                      create_uid, write_uid, create_date, write_date)
            SELECT s.id, s.company_id, CASE WHEN s.product_id = %s THEN %s ELSE %s END, s.date_start + 60,
                   1, 1, now(), now()
              FROM isp_subscription s
             WHERE s.company_id = %s AND s.id %% 10 = 0 AND s.date_start + 60 < CURRENT_DATE
            """,
            [plans[0].id, plans[1].id, plans[0].id, company.id],
        )
        cr.execute(
            """
            UPDATE isp_subscription SET state = 'terminated', date_end = date_start + 90
             WHERE company_id = %s AND id %% 20 = 1 AND state = 'active' AND date_start + 90 < CURRENT_DATE
            """,
            [company.id],
        )
        self.env.invalidate_all()

    def _add_invoices(self, company, invoice_count):
        Move = self.env["account.move"].with_company(company)
        if not self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
        ):
            self.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        subscriptions = self.env["isp.subscription"].search(
            [("company_id", "=", company.id), ("state", "!=", "draft")], limit=invoice_count, order="id"
        )
        today = fields.Date.context_today(self.env.user)
        for start in range(0, len(subscriptions), 500):
            batch = subscriptions[start : start + 500]
            moves = Move.create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": subscription.partner_id.id,
                        "invoice_date": today - timedelta(days=(index * 7) % 130 + 1),
                        "invoice_date_due": today - timedelta(days=(index * 7) % 130 - 10),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": subscription.product_id.id,
                                    "price_unit": subscription.product_id.lst_price,
                                    "tax_ids": [Command.clear()],
                                    "isp_subscription_id": subscription.id,
                                }
                            )
                        ],
                    }
                    for index, subscription in enumerate(batch, start)
                ]
            )
            moves.action_post()
