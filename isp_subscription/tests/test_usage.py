# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from odoo.tests import tagged

from ..lib.usage import BYTES_PER_GB
from .common import IspSubscriptionCommon


@tagged("post_install", "-at_install")
class TestUsage(IspSubscriptionCommon):
    def setUp(self):
        super().setUp()
        self.today = date.today()
        self.subscription = self.subscribe(self.capped_plan, date_start=self.today - timedelta(days=3))
        self.subscription.action_activate()
        self.usage = self.env["isp.usage.daily"]

    def test_deltas_add_up_per_day(self):
        sid = self.subscription.id
        self.usage._add_usage([(sid, self.today, 1000, 10, 60), (sid, self.today, 500, 5, 30)])
        self.usage._add_usage([(sid, self.today - timedelta(days=1), 7, 3, 1)])
        records = self.subscription.usage_ids.sorted("day")
        self.assertEqual(len(records), 2)
        self.assertEqual(
            (records[1].bytes_down, records[1].bytes_up, records[1].session_seconds), (1500, 15, 90)
        )
        self.assertEqual(self.subscription.usage_period_bytes, 1525)

    def test_counters_beyond_32_bits(self):
        self.usage._add_usage([(self.subscription.id, self.today, 5 * 2**40, 2**33, 86400)])
        self.assertEqual(self.subscription.usage_ids.bytes_down, 5 * 2**40)

    def test_over_the_cap_means_fair_usage_speed_and_the_network_is_told(self):
        sid = self.subscription.id
        self.usage._add_usage([(sid, self.today, 299 * BYTES_PER_GB, BYTES_PER_GB, 0)])
        self.assertFalse(self.subscription.fair_usage, "exactly at the cap is not beyond it")
        self.usage._add_usage([(sid, self.today, 1, 0, 0)])
        self.assertTrue(self.subscription.fair_usage)
        self.assertEqual(self.subscription.rate_limit, "1M/2M")
        self.assertAlmostEqual(self.subscription.usage_period_gb, 300, places=2)

    def test_usage_before_this_period_does_not_count(self):
        start = self.today - timedelta(days=40)
        old = self.subscribe(self.capped_plan, date_start=start)
        old.action_activate()
        self.usage._add_usage([(old.id, start, 400 * BYTES_PER_GB, 0, 0)])
        self.assertFalse(old.fair_usage)
        self.assertEqual(old.usage_period_bytes, 0)

    def test_new_period_restores_full_speed(self):
        self.subscription._set_fair_usage(True)
        self.env["isp.subscription"]._cron_update_fair_usage()
        self.assertFalse(self.subscription.fair_usage)

    def test_uncapped_plans_never_slow_down(self):
        unlimited = self.subscribe()
        unlimited.action_activate()
        self.usage._add_usage([(unlimited.id, self.today, 10**15, 0, 0)])
        self.assertFalse(unlimited.fair_usage)
