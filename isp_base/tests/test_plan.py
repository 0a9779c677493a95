from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestPlan(IspBaseCommon):
    def test_plan_is_a_service_product_with_a_rate_limit(self):
        plan = self.env["product.template"].create(
            self.plan_vals(
                burst_download_kbps=20000,
                burst_upload_kbps=10000,
                burst_threshold_download_kbps=7500,
                burst_threshold_upload_kbps=3750,
                burst_time=16,
            )
        )
        self.assertEqual(plan.type, "service")
        self.assertTrue(plan.sale_ok)
        self.assertEqual(plan.rate_limit, "5M/10M 10M/20M 3750k/7500k 16/16")

    def test_plan_without_burst(self):
        plan = self.env["product.template"].create(self.plan_vals(download_kbps=512, upload_kbps=256))
        self.assertEqual(plan.rate_limit, "256k/512k")

    def test_ordinary_products_are_not_checked(self):
        product = self.env["product.template"].create({"name": "Router", "download_kbps": -1})
        self.assertFalse(product.rate_limit)

    def test_rates_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self.env["product.template"].create(self.plan_vals(upload_kbps=0))

    def test_no_negative_values(self):
        for field in (
            "data_cap_gb",
            "overage_price_per_gb",
            "installation_fee",
            "included_hours",
            "burst_time",
        ):
            with self.subTest(field=field), self.assertRaisesRegex(ValidationError, "cannot be negative"):
                self.env["product.template"].create(self.plan_vals(**{field: -1}))

    def test_burst_not_below_rate(self):
        with self.assertRaisesRegex(ValidationError, "burst rate cannot be lower"):
            self.env["product.template"].create(self.plan_vals(burst_download_kbps=5000, burst_time=8))

    def test_threshold_not_above_burst(self):
        with self.assertRaisesRegex(ValidationError, "threshold cannot be higher"):
            self.env["product.template"].create(
                self.plan_vals(burst_download_kbps=20000, burst_threshold_download_kbps=25000, burst_time=8)
            )

    def test_burst_needs_a_time(self):
        with self.assertRaisesRegex(ValidationError, "needs a burst time"):
            self.env["product.template"].create(self.plan_vals(burst_download_kbps=20000))

    def test_cap_needs_lower_fair_usage_speeds(self):
        with self.assertRaisesRegex(ValidationError, "fair-usage speeds"):
            self.env["product.template"].create(self.plan_vals(data_cap_gb=300))
        with self.assertRaisesRegex(ValidationError, "fair-usage speeds"):
            self.env["product.template"].create(
                self.plan_vals(data_cap_gb=300, fup_download_kbps=10000, fup_upload_kbps=1000)
            )
        plan = self.env["product.template"].create(
            self.plan_vals(
                data_cap_gb=300, fup_download_kbps=2000, fup_upload_kbps=1000, overage_price_per_gb=2500
            )
        )
        self.assertEqual(plan.data_cap_gb, 300)
        self.assertEqual(plan._isp_fair_usage_rate_limit(), "1M/2M")

    def test_write_is_checked_too(self):
        plan = self.env["product.template"].create(self.plan_vals())
        with self.assertRaises(ValidationError):
            plan.download_kbps = 0
