# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark of the customer map (not part of the normal suite: tagged ``-standard``).

    odoo-bin ... --test-tags isp_mapping_benchmark    # ISP_MAP_BENCH_COUNT=50000 by default

Makes N customers with a subscription in a company of their own (the demo generator; N=0: the
database's subscriptions as they are, in the admin's company), then prints
the server time of ``get_map_data`` for all of them and, from headless Chromium, how long the map
took to be usable (data loaded, markers drawn and clustered). Everything is rolled back.
ISP_MAP_BENCH_PROFILE=1 also logs a profile of one ``get_map_data`` call.
"""

import cProfile
import io
import logging
import os
import pstats
import time

from odoo.tests import HttpCase, tagged

_logger = logging.getLogger(__name__)


@tagged("-standard", "-at_install", "post_install", "isp_mapping_benchmark")
class TestMapBenchmark(HttpCase):
    def test_map_benchmark(self):
        count = int(os.environ.get("ISP_MAP_BENCH_COUNT", "50000"))
        self.env["ir.config_parameter"].sudo().set_param("isp_mapping.tiles_url", "")
        admin = self.env.ref("base.user_admin")
        company = admin.company_id
        if count:
            company = self.env["res.company"].create({"name": f"Map Benchmark {count}"})
            began = time.perf_counter()
            self.env["isp.demo.generator"]._generate(count, company_id=company.id)
            _logger.info(
                "ISP map benchmark: %s subscriptions generated in %.0f s", count, time.perf_counter() - began
            )
            admin.company_ids |= company
            admin.company_id = company
            # as autovacuum would have done on a real database: table statistics for the planner
            self.env.flush_all()
            self.env.cr.execute(
                "ANALYZE isp_subscription, res_partner, isp_site, isp_usage_daily, account_move"
            )
        env = self.env(user=admin, context={"allowed_company_ids": [company.id]})
        env.flush_all()
        Subscription = env["isp.subscription"]
        Subscription.get_map_data([])  # warm the caches
        timings = []
        for _round in range(3):
            env.invalidate_all()
            began = time.perf_counter()
            data = Subscription.get_map_data([])
            timings.append(time.perf_counter() - began)
        _logger.info(
            "ISP map benchmark: get_map_data for %s subscriptions and %s sites: best %.3f s, worst %.3f s on the server",
            len(data["subscriptions"]),
            len(data["sites"]),
            min(timings),
            max(timings),
        )
        if os.environ.get("ISP_MAP_BENCH_PROFILE"):
            profile = cProfile.Profile()
            profile.enable()
            Subscription.get_map_data([])
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
            _logger.info("ISP map benchmark profile:\n%s", out.getvalue())
        self.start_tour(
            "/odoo/action-isp_mapping.action_isp_customer_map",
            "isp_mapping_benchmark_tour",
            login="admin",
            timeout=300,
        )
