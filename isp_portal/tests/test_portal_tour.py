# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo.tests import tagged

from .test_portal_common import IspPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTour(IspPortalCommon):
    """The change-plan tour in headless Chromium, on a desktop and on a phone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        first, _last = cls.sub_a._usage_period(cls.today)
        cls.env["isp.usage.daily"]._add_usage(
            [
                (cls.sub_a.id, first + timedelta(days=i), 5e9, 1e9, 3600)
                for i in range((cls.today - first).days + 1)
            ]
        )

    def check_upgraded(self):
        self.assertEqual(self.sub_a.product_id, self.faster_plan)
        self.assertTrue(
            self.sub_a.charge_ids.filtered(lambda c: c.kind == "plan_change") or not self.sub_a.billed_until
        )

    def test_change_plan_desktop(self):
        self.start_tour("/my", "isp_portal_change_plan", login="isp_portal_a")
        self.check_upgraded()

    def test_change_plan_phone(self):
        # Odoo's ChromeBrowser emulates the screen size of the test case (see browser_js).
        self.browser_size = "375x667"
        self.start_tour("/my", "isp_portal_change_plan", login="isp_portal_a")
        self.check_upgraded()
