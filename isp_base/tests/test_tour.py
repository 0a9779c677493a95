# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestIspTour(HttpCase):
    def test_isp_app_shows_the_demo_isp(self):
        if not self.env.ref("isp_base.demo_plan_home10", raise_if_not_found=False):
            self.skipTest("database without demo data")
        self.start_tour("/odoo", "isp_base_tour", login="admin")
