# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from ..models.isp_site import IspSite
from .common import XSS_NAME, IspMappingCommon


class TestMapData(IspMappingCommon):
    """The map's data: the colour rule on records, the sites layer, outages, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.green = cls.place("Green", cls.ap1, -7.7512, 110.4012, online=True)
        cls.red = cls.place("Red Offline", cls.ap1, -7.7515, 110.4021)
        cls.suspended = cls.place("Suspended Online", cls.ap2, -7.7491, 110.3981, online=True)
        cls.suspended.action_suspend(reason="test")
        cls.capped = cls.place("Near Cap", cls.ap2, -7.7481, 110.3991, plan=cls.capped_plan, online=True)
        cls.fair = cls.place("Fair Usage", cls.ap2, -7.7482, 110.3982, online=True)
        cls.fair.sudo().fair_usage = True
        cls.draft = cls.place("Draft", cls.ap1, -7.7511, 110.4011, activate=False)
        cls.nowhere = cls.place("No Location", cls.ap1, 0, 0, online=True)
        cls.all = cls.green | cls.red | cls.suspended | cls.capped | cls.fair | cls.draft | cls.nowhere

    def test_colour_rule_on_records(self):
        # 240 GB of a 300 GB cap: 80 %, a warning
        self.env["isp.usage.daily"].sudo()._add_usage([(self.capped.id, self.today, 200e9, 40e9, 0)])
        self.capped.invalidate_recordset(["usage_period_gb"])
        _data, rows = self.map_of(self.all, user=self.isp_user)
        self.assertEqual(rows[self.green.id]["colour"], "green")
        self.assertEqual(rows[self.red.id]["colour"], "red")
        self.assertEqual(rows[self.suspended.id]["colour"], "red")
        self.assertEqual(rows[self.capped.id]["colour"], "orange")
        self.assertEqual(rows[self.fair.id]["colour"], "orange")
        self.assertNotIn(self.draft.id, rows, "drafts are hidden by default")
        self.assertNotIn(self.nowhere.id, rows, "a subscription without a location is not on the map")
        # usage as the subscription computes it
        self.assertAlmostEqual(rows[self.capped.id]["usage_gb"], self.capped.usage_period_gb, places=2)
        self.assertEqual(rows[self.capped.id]["cap_gb"], 300)

    def test_just_below_the_warning_is_green(self):
        self.env["isp.usage.daily"].sudo()._add_usage([(self.capped.id, self.today, 239e9, 0, 0)])
        _data, rows = self.map_of(self.capped)
        self.assertEqual(rows[self.capped.id]["colour"], "green")

    def test_hidden_states_on_request(self):
        self.green.action_terminate()
        _data, rows = self.map_of(self.all)
        self.assertNotIn(self.green.id, rows)
        _data, rows = self.map_of(self.all, include_hidden=True)
        self.assertEqual(rows[self.draft.id]["colour"], "grey")
        self.assertEqual(rows[self.green.id]["colour"], "grey")

    def test_only_the_fields_shown(self):
        data = self.env["isp.subscription"].get_map_data([("id", "=", self.green.id)])
        self.assertEqual(
            data["subscriptions"], [{"id": self.green.id, "lat": -7.7512, "lng": 110.4012, "colour": "green"}]
        )
        _data, rows = self.map_of(self.green)
        row = rows[self.green.id]
        self.assertEqual(
            set(row),
            {
                "id", "name", "lat", "lng", "colour", "partner_id", "customer", "plan", "state", "site_id",
                "amount_due", "overdue", "usage_gb", "cap_gb", "fair_usage", "online", "last_seen",
            },
        )  # fmt: skip
        self.assertEqual(row["customer"], "Green")
        self.assertEqual(row["plan"], "Test 10 Mbps")
        self.assertTrue(row["online"])
        self.assertTrue(row["last_seen"])
        self.assertEqual((row["lat"], row["lng"]), (-7.7512, 110.4012))

    def test_the_search_domain_drives_the_map(self):
        data = self.env["isp.subscription"].get_map_data(
            [("id", "in", self.all.ids), ("partner_id.name", "ilike", "red")]
        )
        self.assertEqual([row["id"] for row in data["subscriptions"]], [self.red.id])
        data = self.env["isp.subscription"].get_map_data(
            [("id", "in", self.all.ids), ("site_id", "=", self.ap2.id)]
        )
        self.assertEqual(
            {row["id"] for row in data["subscriptions"]}, set((self.suspended | self.capped | self.fair).ids)
        )

    def test_group_by_of_the_search(self):
        Subscription = self.env["isp.subscription"].with_user(self.isp_user)
        domain = [("id", "in", self.all.ids)]
        data = Subscription.get_map_data(domain, group_by=["product_id"])
        self.assertEqual({g["label"]: g["count"] for g in data["groups"]}, {"Test 10 Mbps": 4, "Capped": 1})
        points = {row["id"]: row for row in data["subscriptions"]}
        self.assertEqual(points[self.capped.id]["group"], self.capped_plan.id)
        data = Subscription.get_map_data(domain, group_by=["network_online", "state"])
        self.assertEqual({g["label"]: g["count"] for g in data["groups"]}, {"Yes": 4, "No": 1})
        data = Subscription.get_map_data(domain, group_by=["state"])
        self.assertEqual({g["label"]: g["count"] for g in data["groups"]}, {"Active": 4, "Suspended": 1})
        # what the map cannot group by is ignored
        data = Subscription.get_map_data(domain, group_by=["date_start:month"])
        self.assertEqual(data["groups"], [])
        self.assertNotIn("group", data["subscriptions"][0])

    def test_queries_do_not_grow_with_subscriptions(self):
        more = self.all
        for index in range(20):
            more |= self.place(
                f"Extra {index}", self.ap1, -7.76 - index / 1000, 110.41, online=bool(index % 2)
            )
        Subscription = self.env["isp.subscription"]
        Subscription.get_map_data([("id", "in", self.green.ids)])  # warm the caches (rules, parameters)
        with self.assertQueryCount(__system__=9):  # at most: the same whatever the number
            Subscription.get_map_data([("id", "in", self.green.ids)])
        with self.assertQueryCount(__system__=9):  # at most: the same whatever the number
            data = Subscription.get_map_data([("id", "in", more.ids)])
        self.assertEqual(len(data["subscriptions"]), 25)
        with self.assertQueryCount(__system__=4):
            details = Subscription.get_map_details(more.ids)
        self.assertEqual(len(details), 27)

    def test_xss_passes_through_as_data(self):
        xss = self.place(XSS_NAME, self.ap1, -7.7513, 110.4013)
        _data, rows = self.map_of(xss)
        self.assertEqual(rows[xss.id]["customer"], XSS_NAME)

    def test_site_tree_down_and_affected_area(self):
        # AP 1: Green online, Red offline; AP 2: only the capped and fair ones online
        data, _rows = self.map_of(self.all)
        sites = self.sites_by_id(data)
        self.assertFalse(sites[self.ap1.id]["down"])
        self.assertEqual((sites[self.ap1.id]["subscribers"], sites[self.ap1.id]["online"]), (3, 2))
        self.assertEqual(sites[self.tower.id]["subscribers"], 5, "a tower counts the subscribers of its APs")
        self.assertEqual(sites[self.tower.id]["coverage_radius_m"], 5000)
        # AP 1 goes down: its subscribers are all offline, the tower still has AP 2's
        (self.green | self.nowhere).sudo().network_online = False
        data, _rows = self.map_of(self.all)
        sites = self.sites_by_id(data)
        self.assertTrue(sites[self.ap1.id]["down"])
        self.assertFalse(sites[self.tower.id]["down"])
        self.assertFalse(sites[self.ap2.id]["down"])
        # the affected area: the hull of AP 1's offline subscribers with a location
        self.assertEqual(
            sorted(map(tuple, sites[self.ap1.id]["area"])), sorted([(-7.7512, 110.4012), (-7.7515, 110.4021)])
        )
        # then AP 2 too: the tower is down, its area covers every offline subscriber of both APs
        (self.capped | self.fair).sudo().network_online = False
        data, _rows = self.map_of(self.all)
        sites = self.sites_by_id(data)
        self.assertTrue(sites[self.tower.id]["down"])
        self.assertEqual(len(sites[self.tower.id]["area"]), 4)
        self.assertEqual(len(sites[self.ap2.id]["area"]), 2, "AP 2's offline customers make its own area")
        self.assertEqual(sites[self.ap2.id]["parent_id"], self.tower.id)

    def test_outage_of_a_tower_and_route(self):
        outage = self.tower.with_user(self.isp_technician).get_outage()
        expected = (self.green | self.red | self.suspended | self.capped | self.fair | self.nowhere).ids
        self.assertEqual(sorted(outage["subscription_ids"]), sorted(expected))
        # only Red is offline: Suspended is listed (it is below the tower) but still reported online
        self.assertEqual(outage["offline_count"], 1)
        route = outage["route"]
        self.assertEqual(route[-1]["id"], self.tower.id)
        self.assertIn("-7.75,110.4", route[-1]["navigation_url"])
        # several sites: every one visited once, from the company's point of presence
        outage = (self.ap1 | self.ap2 | self.tower).get_outage()
        self.assertEqual(
            sorted(p["id"] for p in outage["route"][1:]), sorted((self.ap1 | self.ap2 | self.tower).ids)
        )
        start = self.env["isp.site"].browse(outage["route"][0]["id"])
        self.assertEqual(start.site_type, "pop")

    def test_route_from_a_chosen_site(self):
        outage = (self.ap1 | self.ap2).get_outage(start_site_id=self.tower.id)
        self.assertEqual(outage["start_site_id"], self.tower.id)
        self.assertEqual(outage["route"][0]["id"], self.tower.id)
        self.assertEqual(sorted(p["id"] for p in outage["route"][1:]), sorted((self.ap1 | self.ap2).ids))

    def test_outage_incident_hook_without_helpdesk(self):
        # The hook as this addon leaves it (isp_helpdesk_mapping overrides it when installed,
        # and tests its own incident).
        Site = type(self.tower)
        with (
            patch.object(Site, "_isp_mapping_open_incident", IspSite._isp_mapping_open_incident),
            self.assertRaisesRegex(UserError, "helpdesk"),
        ):
            self.tower.action_open_outage_incident()

    def test_far_customers(self):
        far = self.place("Far Away", self.ap1, -7.9, 110.6, online=True)
        ids = (
            self.env["isp.subscription"]
            .with_user(self.isp_billing)
            .get_far_customers(3000, [("id", "in", (self.all | far).ids)])
        )
        self.assertEqual(ids, far.ids)

    def test_every_isp_role_may_read_the_map(self):
        for user in (self.isp_user, self.isp_billing, self.isp_technician, self.isp_manager):
            _data, rows = self.map_of(self.green, user=user)
            self.assertIn(self.green.id, rows, user.login)
            data = (
                self.env["isp.site"]
                .with_user(user)
                .get_map_data([("id", "=", self.tower.id)], group_by=["parent_id"])
            )
            self.assertEqual({s["id"] for s in data["sites"]}, {self.tower.id})
            self.assertEqual(len(data["subscriptions"]), 5)

    def test_details_refuse_what_the_user_cannot_read(self):
        other = self.env["res.company"].create({"name": "Hidden ISP"})
        partner = self.env["res.partner"].create(self.customer_vals(name="Hidden", company_id=other.id))
        theirs = self.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "product_id": self.plan.id,
                "company_id": other.id,
                "latitude": -7.7,
                "longitude": 110.3,
            }
        )
        details = (
            self.env["isp.subscription"].with_user(self.isp_user).get_map_details((theirs | self.green).ids)
        )
        self.assertEqual([row["id"] for row in details], self.green.ids)

    def test_portal_and_plain_users_may_not(self):
        portal = new_test_user(self.env, "map_portal", groups="base.group_portal")
        employee = new_test_user(self.env, "map_employee", groups="base.group_user")
        for user in (portal, employee):
            with self.assertRaises(AccessError):
                self.env["isp.subscription"].with_user(user).get_map_data([])
            with self.assertRaises(AccessError):
                self.env["isp.site"].with_user(user).get_map_data([])
            with self.assertRaises(AccessError):
                self.tower.with_user(user).get_outage()
            with self.assertRaises(AccessError):
                self.env["isp.subscription"].with_user(user).get_map_details(self.green.ids)

    def test_another_company_stays_off_the_map(self):
        other = self.env["res.company"].create({"name": "Other ISP"})
        site = self.env["isp.site"].create(
            {
                "name": "Other POP",
                "code": "OPOP",
                "site_type": "pop",
                "company_id": other.id,
                "latitude": -7.7,
                "longitude": 110.3,
            }
        )
        partner = self.env["res.partner"].create(self.customer_vals(name="Other", company_id=other.id))
        theirs = self.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "product_id": self.plan.id,
                "company_id": other.id,
                "site_id": site.id,
                "latitude": -7.7,
                "longitude": 110.3,
            }
        )
        data, rows = self.map_of(self.green | theirs, user=self.isp_user, include_hidden=True)
        self.assertEqual(set(rows), {self.green.id})
        self.assertNotIn(site.id, self.sites_by_id(data))
