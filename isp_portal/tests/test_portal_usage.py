# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo.tests import tagged

from .test_portal_common import IspPortalCommon


@tagged("post_install", "-at_install")
class TestPortalUsage(IspPortalCommon):
    def test_periods_and_what_remains(self):
        first, _last = self.sub_a._usage_period(self.today)
        self.add_usage(self.sub_a, first, (self.today - first).days + 1, 10)
        previous_first = self.sub_a._isp_portal_usage_periods()[1]["first"]
        self.add_usage(self.sub_a, previous_first, 3, 1)
        periods = self.sub_a._isp_portal_usage_periods()
        self.assertEqual(len(periods), 4, "this period and the three before")
        self.assertTrue(periods[0]["current"])
        self.assertEqual([p["first"] for p in periods], sorted((p["first"] for p in periods), reverse=True))
        days = (self.today - first).days + 1
        self.assertEqual(len(periods[0]["days"]), days)
        self.assertAlmostEqual(periods[0]["total"], days * 10e9)
        self.assertAlmostEqual(periods[0]["remaining"], max(300e9 - days * 10e9, 0))
        self.assertAlmostEqual(periods[1]["total"], 3e9)
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open(f"/my/services/{self.sub_a.id}/usage").text
        self.assertEqual(page.count("o_isp_usage_period"), 4)
        self.assertEqual(page.count("<svg"), 4, "one chart per period, drawn by the server")
        self.assertIn("o_isp_cap_line", page)
        self.assertIn("left until" if days * 10 <= 300 else "Data cap reached", page)

    def test_fair_usage_speed_shown_over_the_cap(self):
        first, _last = self.sub_a._usage_period(self.today)
        self.add_usage(self.sub_a, first, 1, 301)
        self.sub_a._update_fair_usage()
        self.assertTrue(self.sub_a.fair_usage)
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open(f"/my/services/{self.sub_a.id}/usage").text
        self.assertIn("Data cap reached", page)
        self.assertIn("2 Mbit/s", page, "the fair-usage download speed")
        self.assertIn("o_isp_bar_over", page)
        page = self.url_open(f"/my/services/{self.sub_a.id}").text
        self.assertIn("Fair-usage speed now", page)

    def test_uncapped_plan(self):
        self.authenticate("isp_portal_b", "isp_portal_b")
        page = self.url_open(f"/my/services/{self.sub_b.id}/usage").text
        self.assertIn("Your plan has no data cap", page)
        self.assertNotIn("o_isp_cap_line", page)

    def _usage_page_queries(self, subscription):
        url = f"/my/services/{subscription.id}/usage"
        self.url_open(url)  # warm the caches (views, assets, ACLs)
        self.env.flush_all()
        count = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - count

    def test_query_count_does_not_grow_with_history(self):
        """A customer with one period of usage and one with four: the same queries, both for
        the usage periods themselves and for the whole page."""
        self.add_usage(self.sub_b, self.sub_b.date_start, 20, 1)  # one period
        self.add_usage(self.sub_a, self.sub_a.date_start, 100, 1)  # four periods
        self.assertEqual(len(self.sub_b._isp_portal_usage_periods()), 1)
        self.assertEqual(len(self.sub_a._isp_portal_usage_periods()), 4)
        counts = []
        for subscription in (self.sub_b, self.sub_a):
            self.env.invalidate_all()
            count = self.cr.sql_log_count
            subscription._isp_portal_usage_periods()
            counts.append(self.cr.sql_log_count - count)
        self.assertEqual(counts[0], counts[1], "the usage periods' queries do not depend on the history")
        self.assertLessEqual(counts[1], 8)
        # The whole page, for one customer (same plan, same session) first with one period of
        # history, then with four.
        self.authenticate("isp_portal_a", "isp_portal_a")
        started = self.sub_a.date_start
        self.sub_a.sudo().date_start = self.today - timedelta(days=3)
        self.assertEqual(len(self.sub_a._isp_portal_usage_periods()), 1)
        short = self._usage_page_queries(self.sub_a)
        self.sub_a.sudo().date_start = started
        self.assertEqual(len(self.sub_a._isp_portal_usage_periods()), 4)
        self.assertEqual(
            self._usage_page_queries(self.sub_a), short, "the page's queries do not depend on the history"
        )

    def test_no_period_before_the_start(self):
        self.sub_b.sudo().date_start = self.today - timedelta(days=3)
        periods = self.sub_b._isp_portal_usage_periods()
        self.assertEqual(len(periods), 1)
        self.assertEqual(len(periods[0]["days"]), 4)

    def test_usage_dated_before_the_start_in_the_first_period(self):
        """A session counted on the RADIUS server's day before the start date (a time zone
        behind the activating user's) shows in the first period, as the backend counts it."""
        start = self.today - timedelta(days=3)
        self.sub_b.sudo().date_start = start
        self.add_usage(self.sub_b, start - timedelta(days=1), 1, 2)
        self.add_usage(self.sub_b, start, 2, 1)
        periods = self.sub_b._isp_portal_usage_periods()
        self.assertEqual(len(periods), 1)
        self.assertEqual(periods[0]["days"][0], (start, 3e9), "the day before, on the first day")
        self.assertAlmostEqual(periods[0]["total"], 4e9)
        self.sub_b.invalidate_recordset(["usage_period_bytes"])
        self.assertAlmostEqual(periods[0]["total"], self.sub_b.usage_period_bytes)
