# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

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

    def test_no_negative_prices(self):
        for field, label in (
            ("list_price", "Sales Price"),
            ("installation_fee", "Installation Fee"),
            ("overage_price_per_gb", "Overage Price per GB"),
            ("extra_hour_price", "Price per Extra Hour"),
            ("burst_upload_kbps", "Burst Upload"),
            ("fup_download_kbps", "Fair-Usage Download"),
            ("included_hours", "Included Hours"),
        ):
            with (
                self.subTest(field=field),
                self.assertRefused(ValidationError, rf"Test 10 Mbps: {label}.* cannot be negative"),
            ):
                self.env["product.template"].create(self.plan_vals(**{field: -1}))
            self.assertFalse(self.env["product.template"].search([("name", "=", "Test 10 Mbps")]))

    def test_negative_price_is_refused_on_write_and_nothing_is_written(self):
        plan = self.env["product.template"].create(self.plan_vals())
        with self.assertRefused(ValidationError, "cannot be negative"):
            plan.write({"list_price": -100000, "installation_fee": 50000})
        self.assertEqual(plan.list_price, 166500)
        self.assertEqual(plan.installation_fee, 0)
        with self.assertRefused(ValidationError, "cannot be negative"):
            plan.product_variant_id.lst_price = -1

    def test_numbers_too_large_for_the_database(self):
        """3e9 GB used to reach PostgreSQL and come back as a bare "integer out of range"."""
        with self.assertRefused(
            ValidationError, r"Data Cap \(GB\) must be between -2147483648 and 2147483647"
        ):
            self.env["product.template"].create(
                self.plan_vals(data_cap_gb=3_000_000_000, fup_download_kbps=2000, fup_upload_kbps=1000)
            )
        self.assertFalse(self.env["product.template"].search([("name", "=", "Test 10 Mbps")]))
        plan = self.env["product.template"].create(self.plan_vals())
        for field in ("download_kbps", "burst_time", "included_hours", "fup_upload_kbps"):
            with self.subTest(field=field), self.assertRefused(ValidationError, "must be between"):
                plan.write({field: 2**31})
        with self.assertRefused(ValidationError, "must be between"):
            plan.write({"download_kbps": -(2**31) - 1})
        with self.assertRefused(ValidationError, "must be between"):
            plan.product_variant_id.write({"data_cap_gb": 3e9})
        with self.assertRefused(ValidationError, "must be between"):
            self.env["product.product"].create(self.plan_vals(name="Variant", download_kbps=5_000_000_000))
        self.assertEqual(plan.download_kbps, 10000)
        plan.download_kbps = 2**31 - 1  # the largest that fits is kept
        self.assertEqual(plan.download_kbps, 2**31 - 1)

    def test_fair_usage_speed_not_above_the_plan_speed(self):
        with self.assertRefused(ValidationError, "fair-usage speeds cannot be higher"):
            self.env["product.template"].create(self.plan_vals(fup_download_kbps=20000))
        with self.assertRefused(ValidationError, "fair-usage speeds cannot be higher"):
            self.env["product.template"].create(self.plan_vals(fup_upload_kbps=5001))
        plan = self.env["product.template"].create(
            self.plan_vals(data_cap_gb=300, fup_download_kbps=2000, fup_upload_kbps=1000)
        )
        with self.assertRefused(ValidationError, "fair-usage speeds"):
            plan.fup_download_kbps = 10001


@tagged("post_install", "-at_install")
class TestPlanRights(IspBaseCommon):
    """Plans and prices are the ISP Manager's; every ISP role reads them (invoices need them)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["product.template"].create(cls.plan_vals())

    def test_every_role_reads_plans(self):
        for user in (self.isp_user, self.isp_billing, self.isp_technician, self.isp_manager):
            with self.subTest(user=user.login):
                env = self.env(user=user)
                plans = env["product.template"].search(
                    [("is_isp_plan", "=", True), ("id", "=", self.plan.id)]
                )
                self.assertEqual(plans.read(["list_price", "rate_limit"])[0]["rate_limit"], "5M/10M")
                self.assertEqual(
                    env["product.product"].browse(self.plan.product_variant_id.id).lst_price, 166500
                )

    def test_billing_and_technicians_do_not_change_plans(self):
        for user in (self.isp_user, self.isp_billing, self.isp_technician):
            with self.subTest(user=user.login):
                env = self.env(user=user)
                plan = env["product.template"].browse(self.plan.id)
                with self.assertRaises(AccessError):
                    env["product.template"].create(self.plan_vals(name="Mine"))
                with self.assertRaises(AccessError):
                    plan.list_price = 1
                with self.assertRaises(AccessError):
                    plan.unlink()
                with self.assertRaises(AccessError):
                    plan.product_variant_id.write({"active": False})
        self.assertEqual(self.plan.list_price, 166500)

    def test_product_creation_group_does_not_open_plans(self):
        """Odoo's default internal user gets "Product Creation" (product.group_product_manager),
        which may write every product: plans stay the ISP Manager's all the same."""
        clerk = new_test_user(
            self.env,
            "isp_billing_products",
            groups="isp_base.group_isp_billing,product.group_product_manager",
        )
        env = self.env(user=clerk)
        router = env["product.template"].create({"name": "Router", "list_price": 350000})
        router.list_price = 400000
        with self.assertRefused(AccessError, "Only ISP managers"):
            env["product.template"].create(self.plan_vals(name="Mine"))
        with self.assertRefused(AccessError, "Only ISP managers"):
            env["product.template"].with_context(default_is_isp_plan=True).create(
                {"name": "Mine", "download_kbps": 1000, "upload_kbps": 1000}
            )
        with self.assertRefused(AccessError, "Only ISP managers"):
            env["product.template"].browse(self.plan.id).write({"list_price": 1})
        with self.assertRefused(AccessError, "Only ISP managers"):
            router.write({"is_isp_plan": True, "download_kbps": 1000, "upload_kbps": 1000})
        with self.assertRefused(AccessError, "Only ISP managers"):
            env["product.product"].browse(self.plan.product_variant_id.id).write({"active": False})
        with self.assertRefused(AccessError, "Only ISP managers"):
            env["product.template"].browse(self.plan.id).unlink()
        self.assertEqual(self.plan.list_price, 166500)

    def test_manager_manages_plans(self):
        env = self.env(user=self.isp_manager)
        plan = env["product.template"].browse(self.plan.id)
        plan.write(
            {"list_price": 200000, "data_cap_gb": 300, "fup_download_kbps": 2000, "fup_upload_kbps": 1000}
        )
        self.assertEqual(plan.list_price, 200000)
        new = env["product.template"].create(self.plan_vals(name="Home 50", download_kbps=50000))
        new.product_variant_id.active = False
        new.unlink()
