# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields

from odoo.addons.isp_subscription.tests.common import IspSubscriptionCommon

XSS_NAME = "<img src=x onerror=alert(1)>"


class IspMappingCommon(IspSubscriptionCommon):
    """A small network: POP > tower > two access points, and subscriptions placed around them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Site = cls.env["isp.site"]
        cls.pop.coverage_radius_m = 10000
        cls.tower = Site.create(
            {
                "name": "Map Tower",
                "code": "MT1",
                "site_type": "tower",
                "parent_id": cls.pop.id,
                "latitude": -7.75,
                "longitude": 110.40,
                "coverage_radius_m": 5000,
            }
        )
        cls.ap1 = Site.create(
            {
                "name": "Map AP 1",
                "code": "MAP1",
                "site_type": "access_point",
                "parent_id": cls.tower.id,
                "latitude": -7.751,
                "longitude": 110.401,
            }
        )
        cls.ap2 = Site.create(
            {
                "name": "Map AP 2",
                "code": "MAP2",
                "site_type": "access_point",
                "parent_id": cls.tower.id,
                "latitude": -7.749,
                "longitude": 110.399,
            }
        )
        cls.today = fields.Date.context_today(Site)
        cls.start = cls.today - timedelta(days=3)

    @classmethod
    def place(cls, name, site, lat, lng, plan=None, activate=True, online=False, **values):
        partner = cls.env["res.partner"].create(
            cls.customer_vals(name=name, mobile=False, isp_site_id=site.id)
        )
        subscription = cls.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "product_id": (plan or cls.plan).id,
                "site_id": site.id,
                "latitude": lat,
                "longitude": lng,
                "date_start": cls.start,
                **values,
            }
        )
        if activate:
            subscription.action_activate()
        if online:
            subscription.sudo().write({"network_online": True, "network_last_seen": fields.Datetime.now()})
        return subscription

    def map_of(self, subscriptions, user=None, **kwargs):
        Subscription = self.env["isp.subscription"]
        if user:
            Subscription = Subscription.with_user(user)
        data = Subscription.get_map_data([("id", "in", subscriptions.ids)], **kwargs)
        details = {row["id"]: row for row in Subscription.get_map_details(subscriptions.ids)}
        rows = {}
        for point in data["subscriptions"]:
            # the popup's details say the same as the marker
            self.assertEqual(details[point["id"]]["colour"], point["colour"])
            self.assertEqual(
                (details[point["id"]]["lat"], details[point["id"]]["lng"]), (point["lat"], point["lng"])
            )
            rows[point["id"]] = details[point["id"]] | point
        return data, rows

    @staticmethod
    def sites_by_id(data):
        return {site["id"]: site for site in data["sites"]}
