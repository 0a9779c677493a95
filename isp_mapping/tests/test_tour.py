# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from .common import XSS_NAME

_logger = logging.getLogger(__name__)
# The project's work folder (ignored by git): the map's screenshot is kept there as an artifact.
LOCAL = Path(__file__).resolve().parents[2] / ".local"
SCREENSHOT = LOCAL / "isp_mapping_tour.png"


@tagged("post_install", "-at_install")
class TestMapTour(HttpCase):
    def test_map_tour(self):
        """The map with the demo data: filter it down to one customer named like an XSS attempt,
        open its popup (the name shows as text), then a tower's outage and repair route."""
        if not self.env.ref("isp_base.demo_plan_home10", raise_if_not_found=False):
            self.skipTest("database without demo data")
        # tests run offline: no tiles, the markers show on a plain background
        self.env["ir.config_parameter"].sudo().set_param("isp_mapping.tiles_url", "")
        site = self.env["isp.site"].search(
            [("site_type", "=", "access_point"), ("latitude", "!=", 0)], limit=1
        )
        partner = self.env["res.partner"].create(
            {
                "name": XSS_NAME,
                "is_isp_customer": True,
                "isp_site_id": site.id,
                "company_id": site.company_id.id,
            }
        )
        subscription = self.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "product_id": self.env.ref("isp_base.demo_plan_home10").product_variant_id.id,
                "site_id": site.id,
                "latitude": site.latitude + 0.001,
                "longitude": site.longitude + 0.001,
                "company_id": site.company_id.id,
            }
        )
        subscription.action_activate()
        stop = ChromeBrowser.stop

        def screenshot_then_stop(browser):
            """The map as the tour leaves it (outage panel and route), saved under .local/."""
            try:
                if LOCAL.is_dir():
                    png = browser._websocket_request("Page.captureScreenshot", params={"format": "png"})
                    SCREENSHOT.write_bytes(base64.b64decode(png["data"]))
                    _logger.info("Screenshot of the map: %s", SCREENSHOT)
            except Exception as error:  # a screenshot is a bonus, never a failure
                _logger.info("No screenshot of the map: %s", error)
            return stop(browser)

        with patch.object(ChromeBrowser, "stop", screenshot_then_stop):
            self.start_tour(
                "/odoo/action-isp_mapping.action_isp_customer_map", "isp_mapping_tour", login="admin"
            )

    def test_route_report_tour(self):
        """A technician picks the customers of a tower's outage, plans their route and prints it."""
        if not self.env.ref("isp_base.demo_plan_home10", raise_if_not_found=False):
            self.skipTest("database without demo data")
        self.env["ir.config_parameter"].sudo().set_param("isp_mapping.tiles_url", "")
        technician = new_test_user(self.env, "map_route_technician", groups="isp_base.group_isp_technician")
        self.start_tour(
            "/odoo/action-isp_mapping.action_isp_customer_map",
            "isp_mapping_route_report_tour",
            login=technician.login,
        )
        route = self.env["isp.map.route"].search([("create_uid", "=", technician.id)])
        self.assertEqual(len(route), 1)
        self.assertTrue(route.stop_ids.subscription_id)

    def test_location_picker_tour(self):
        """Clicking the map on a subscription's form sets its coordinates."""
        partner = self.env["res.partner"].create({"name": "Picker", "is_isp_customer": True})
        plan = self.env["product.product"].search([("is_isp_plan", "=", True)], limit=1)
        subscription = self.env["isp.subscription"].create(
            {"partner_id": partner.id, "product_id": plan.id, "latitude": -7.8, "longitude": 110.37}
        )
        self.env["ir.config_parameter"].sudo().set_param("isp_mapping.tiles_url", "")
        self.start_tour(
            f"/odoo/action-isp_subscription.action_isp_subscriptions/{subscription.id}",
            "isp_mapping_picker_tour",
            login="admin",
        )
        self.assertGreater(subscription.latitude, -7.8)
        self.assertLess(subscription.longitude, 110.37)
