# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.isp_subscription.tests.common import IspSubscriptionCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class IspPortalCommon(IspSubscriptionCommon, HttpCase):
    """Two ISP customers with a portal user each, a capped subscription started four months
    ago for the first, an active one for the second, and plans to change to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["isp.subscription"])
        cls.other_customer = cls.env["res.partner"].create(
            cls.customer_vals(name="Sri Wahyuni", mobile="0812-1111-2222")
        )
        cls.portal_a = new_test_user(
            cls.env, login="isp_portal_a", groups="base.group_portal", partner_id=cls.customer.id
        )
        cls.portal_b = new_test_user(
            cls.env, login="isp_portal_b", groups="base.group_portal", partner_id=cls.other_customer.id
        )
        cls.cheaper_plan = (
            cls.env["product.template"]
            .create(cls.plan_vals(name="Test 5 Mbps", download_kbps=5000, upload_kbps=2000, list_price=99900))
            .product_variant_id
        )
        cls.staff_plan = (
            cls.env["product.template"]
            .create(
                cls.plan_vals(
                    name="Test Business 100", download_kbps=100000, list_price=900000, isp_self_service=False
                )
            )
            .product_variant_id
        )
        cls.sub_a = cls.subscribe(
            cls.capped_plan, date_start=cls.today - timedelta(days=100), pppoe_username="portal-a"
        )
        cls.sub_a.action_activate()
        cls.sub_b = cls.env["isp.subscription"].create(
            {
                "partner_id": cls.other_customer.id,
                "product_id": cls.plan.id,
                "date_start": cls.today - timedelta(days=20),
                "pppoe_username": "portal-b",
            }
        )
        cls.sub_b.action_activate()

    def csrf_token(self, url):
        """The CSRF token of a form the logged-in user is shown at ``url``."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return CSRF_RE.search(response.text).group(1)

    def routes(self, subscription):
        """Every GET route of the addon's pages for ``subscription``."""
        base = f"/my/services/{subscription.id}"
        return [
            base,
            f"{base}/usage",
            f"{base}/plan",
            f"{base}/plan?plan_id={self.faster_plan.id}",
            f"{base}/password",
        ]

    def add_usage(self, subscription, first, days, gb_per_day):
        self.env["isp.usage.daily"]._add_usage(
            [
                (subscription.id, first + timedelta(days=index), gb_per_day * 1e9, 0.0, 3600)
                for index in range(days)
            ]
        )
