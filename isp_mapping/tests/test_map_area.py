# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import itertools
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from ..lib import route as geo_route
from ..models.isp_site import IspSite
from .common import IspMappingCommon

# Around AP 1's customers (-7.7512..-7.7515, 110.4012..110.4021), not AP 2's (110.398..110.399)
AROUND_AP1 = [[-7.7505, 110.4005], [-7.7505, 110.4030], [-7.7525, 110.4030], [-7.7525, 110.4005]]


class TestMapArea(IspMappingCommon):
    """The outage tool on a drawn area, routes through chosen customers and their printed report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.green = cls.place("Green", cls.ap1, -7.7512, 110.4012, online=True)
        cls.red = cls.place("Red Offline", cls.ap1, -7.7515, 110.4021)
        cls.red.partner_id.write({"phone": "+6227455501", "street": "Jl. Kaliurang 5", "city": "Sleman"})
        cls.suspended = cls.place("Suspended", cls.ap1, -7.7514, 110.4015)
        cls.suspended.action_suspend(reason="test")
        cls.draft = cls.place("Draft", cls.ap1, -7.7513, 110.4013, activate=False)
        cls.west = cls.place("West", cls.ap2, -7.7491, 110.3981)
        cls.ours = cls.green | cls.red | cls.suspended | cls.draft | cls.west
        # the company's first point of presence (the demo's, when demo data is installed)
        cls.default_pop = cls.env["isp.site"]._route_start()

    def area(self, polygon, user=None, **kwargs):
        Subscription = self.env["isp.subscription"].with_user(user or self.isp_technician)
        return Subscription.get_area_outage(polygon, **kwargs)

    def test_customers_inside_the_drawn_area(self):
        for user in (self.isp_technician, self.isp_user, self.isp_billing, self.isp_manager):
            outage = self.area(AROUND_AP1, user=user)
            found = set(outage["subscription_ids"]) & set(self.ours.ids)
            # drafts are not affected, West is outside
            self.assertEqual(found, set((self.green | self.red | self.suspended).ids), user.login)
            listed = {row["id"]: row for row in outage["customers"]}
            self.assertEqual(listed[self.red.id]["customer"], "Red Offline")
            self.assertFalse(listed[self.red.id]["online"])
            self.assertIn(self.ap1.id, outage["site_ids"])
            # the route goes through the serving sites from the company's point of presence
            self.assertEqual(outage["start_site_id"], self.default_pop.id)
            self.assertEqual(outage["route"][0]["id"], self.default_pop.id)
            self.assertEqual(sorted(p["id"] for p in outage["route"][1:]), sorted(outage["site_ids"]))
            self.assertTrue(all("destination=" in p["navigation_url"] for p in outage["route"]))

    def test_closed_ring_and_chosen_start(self):
        outage = self.area([*AROUND_AP1, AROUND_AP1[0]], start_site_id=self.tower.id)
        self.assertIn(self.red.id, outage["subscription_ids"])
        self.assertEqual(outage["route"][0]["id"], self.tower.id)

    def test_bad_areas_are_refused(self):
        cases = [
            (None, "list of points"),
            ([[-7.75, 110.40], [-7.76, 110.41]], "at least 3"),
            ([[-7.75, 110.40], [-7.76, 110.41], [-7.75, 110.40]], "at least 3"),
            ([[-7.75, 110.40], [-7.76, 110.41], ["x", 110.4]], "must be numbers"),
            ([[-7.75, 110.40], [-7.76, 110.41], [95, 110.4]], "between -90 and 90"),
            ([[-7.75, 110.40], [-7.76, 110.41], [-7.7, 190]], "between -180 and 180"),
            ([[-7.75, 110.40], [-7.76, 110.41], [-7.77]], "pair"),
            ([[0, 0], [0, 1], [0, 2]], "no surface"),
            ([[0.001 * i, (i % 2) * 0.001 + 0.0001 * i] for i in range(500)], "at most 200 points"),
            ([[80, 0], [80, 120], [80, -120]], "round a pole"),
        ]
        for polygon, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self.area(polygon)

    def test_an_area_incident_needs_the_helpdesk(self):
        Site = type(self.env["isp.site"])
        Subscription = self.env["isp.subscription"].with_user(self.isp_technician)
        # the hook as this addon leaves it (isp_helpdesk_mapping implements it when installed)
        with patch.object(Site, "_isp_mapping_open_incident", IspSite._isp_mapping_open_incident):
            with self.assertRaisesRegex(UserError, "helpdesk"):
                Subscription.action_open_area_incident(AROUND_AP1)
            with self.assertRaisesRegex(UserError, "No customer"):
                Subscription.action_open_area_incident([[10.0, 10.0], [10.0, 10.01], [10.01, 10.0]])
            with self.assertRaisesRegex(UserError, "at least 3"):
                Subscription.action_open_area_incident([[-7.75, 110.40], [-7.76, 110.41]])

    def test_area_across_the_antimeridian(self):
        fiji = self.env["isp.site"].create(
            {
                "name": "Taveuni",
                "code": "TAV",
                "site_type": "access_point",
                "latitude": -16.9,
                "longitude": 179.9,
            }
        )
        east = self.place("East of 180", fiji, -17.0, 179.95)
        west = self.place("West of 180", fiji, -17.0, -179.95, online=True)
        outside = self.place("Suva", fiji, -18.1, 178.45)
        outage = self.area(
            [[-16.5, 179.5], [-16.5, -179.5], [-17.5, -179.5], [-17.5, 179.5]], start_site_id=fiji.id
        )
        self.assertEqual(sorted(outage["subscription_ids"]), sorted((east | west).ids))
        self.assertNotIn(outside.id, outage["subscription_ids"])
        self.assertEqual(outage["offline_count"], 1)

    def test_portal_and_plain_users_may_not(self):
        portal = new_test_user(self.env, "area_portal", groups="base.group_portal")
        employee = new_test_user(self.env, "area_employee", groups="base.group_user")
        for user in (portal, employee):
            with self.assertRaises(AccessError):
                self.area(AROUND_AP1, user=user)
            with self.assertRaises(AccessError):
                self.env["isp.subscription"].with_user(user).get_customer_route(self.red.ids)
            with self.assertRaises(AccessError):
                self.env["isp.subscription"].with_user(user).action_print_customer_route(self.red.ids)

    def test_another_company_is_not_in_the_area(self):
        other = self.env["res.company"].create({"name": "Other ISP"})
        partner = self.env["res.partner"].create(self.customer_vals(name="Theirs", company_id=other.id))
        theirs = self.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "product_id": self.plan.id,
                "company_id": other.id,
                "latitude": -7.7513,
                "longitude": 110.4014,
            }
        )
        theirs.action_activate()
        self.assertNotIn(theirs.id, self.area(AROUND_AP1, user=self.isp_user)["subscription_ids"])
        with self.assertRaisesRegex(UserError, "not yours to see"):
            self.env["isp.subscription"].with_user(self.isp_user).get_customer_route((theirs | self.red).ids)

    # --- route through chosen customers --------------------------------------------

    def test_route_through_chosen_customers(self):
        picked = self.green | self.red | self.west
        Subscription = self.env["isp.subscription"].with_user(self.isp_technician)
        planned = Subscription.get_customer_route(picked.ids)
        self.assertEqual(planned["start_site_id"], self.default_pop.id)
        planned = Subscription.get_customer_route(picked.ids, start_site_id=self.pop.id)
        route = planned["route"]
        self.assertEqual(route[0]["id"], self.pop.id)
        self.assertEqual(sorted(p["subscription_id"] for p in route[1:]), sorted(picked.ids))
        red = next(p for p in route if p.get("subscription_id") == self.red.id)
        self.assertEqual(red["customer"], "Red Offline")
        self.assertEqual(red["phone"], "+6227455501")
        self.assertEqual(red["address"], "Jl. Kaliurang 5, Sleman, Indonesia")
        self.assertIn("destination=-7.7515,110.4021", red["navigation_url"])
        # the shortest of every order of visits
        points = [(p["lat"], p["lng"]) for p in route]
        length = geo_route.path_length(points[0], points[1:], range(3))
        for order in itertools.permutations(range(3)):
            self.assertLessEqual(length, geo_route.path_length(points[0], points[1:], order) + 1e-6)
        self.assertAlmostEqual(planned["distance_km"], length / 1000, places=1)
        self.assertGreater(planned["distance_km"], 5)
        self.assertEqual(planned["skipped_ids"], [])

    def test_route_from_a_chosen_site_skips_customers_without_location(self):
        nowhere = self.place("Nowhere", self.ap1, 0, 0)
        planned = (
            self.env["isp.subscription"]
            .with_user(self.isp_user)
            .get_customer_route((self.red | nowhere).ids, start_site_id=self.ap1.id)
        )
        self.assertEqual([p["id"] for p in planned["route"]], [self.ap1.id, self.red.id])
        self.assertEqual(planned["skipped_ids"], nowhere.ids)

    def test_bad_routes_are_refused(self):
        Subscription = self.env["isp.subscription"].with_user(self.isp_technician)
        nowhere = self.place("Nowhere", self.ap1, 0, 0)
        for ids, message in [
            ([], "at least one customer"),
            ("1,2", "list of subscriptions"),
            ([self.red.id, "2"], "list of subscriptions"),
            (list(range(1, 60)), "at most 50"),
            ([self.red.id, 999999999], "do not exist"),
            (nowhere.ids, "has a location"),
        ]:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                Subscription.get_customer_route(ids)
        with self.assertRaisesRegex(UserError, "must be a site"):
            Subscription.get_customer_route(self.red.ids, start_site_id="1")

    # --- the printed route ----------------------------------------------------------

    def test_print_the_customer_route_as_technician(self):
        picked = self.green | self.red
        action = (
            self.env["isp.subscription"]
            .with_user(self.isp_technician)
            .action_print_customer_route(picked.ids)
        )
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "isp_mapping.report_isp_map_route")
        route = (
            self.env["isp.map.route"].with_user(self.isp_technician).browse(action["context"]["active_ids"])
        )
        self.assertEqual(route.start_name, self.default_pop.complete_name)
        self.assertEqual(set(route.stop_ids.mapped("subscription_id").ids), set(picked.ids))
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.isp_technician)
            ._render_qweb_html("isp_mapping.report_isp_map_route", route.ids)
        )
        html = html.decode()
        self.assertIn("Red Offline", html)
        self.assertIn("+6227455501", html)
        self.assertIn("Jl. Kaliurang 5", html)
        self.assertIn("-7.751500, 110.402100", html)
        self.assertIn('href="https://www.google.com/maps/dir/?api=1&amp;destination=-7.7515,110.4021"', html)
        self.assertIn(self.default_pop.complete_name, html)
        # in the order of the route
        self.assertLess(html.index(route.stop_ids[0].name), html.index(route.stop_ids[1].name))
        # another user does not read this printed route
        with self.assertRaises(AccessError):
            route.with_user(self.isp_billing).read(["name"])

    def test_print_a_site_outage_route(self):
        action = (
            (self.ap1 | self.ap2)
            .with_user(self.isp_user)
            .action_print_outage_route(start_site_id=self.tower.id)
        )
        route = self.env["isp.map.route"].browse(action["context"]["active_ids"])
        self.assertEqual(route.start_name, self.tower.complete_name)
        self.assertEqual(set(route.stop_ids.mapped("site_id").ids), set((self.ap1 | self.ap2).ids))
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.isp_user)
            ._render_qweb_html("isp_mapping.report_isp_map_route", route.ids)
        )
        self.assertIn("Map AP 1", html.decode())

    def test_site_outage_lists_its_customers_for_picking(self):
        outage = self.ap1.with_user(self.isp_technician).get_outage()
        listed = {row["id"]: row for row in outage["customers"]}
        self.assertEqual(set(listed), set((self.green | self.red | self.suspended).ids))
        self.assertEqual(listed[self.red.id]["customer"], "Red Offline")
        self.assertTrue(listed[self.green.id]["online"])
