# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

ROUTE = "/web/dataset/call_kw/isp.subscription/get_map_data"


@tagged("post_install", "-at_install")
class TestMapHttp(HttpCase):
    """The map's endpoint over HTTP: every ISP role reaches it, portal users and the public do not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            group: new_test_user(cls.env, f"map_{group}", groups=f"isp_base.group_isp_{group}")
            for group in ("user", "billing", "technician", "manager")
        }
        cls.portal = new_test_user(cls.env, "map_portal", groups="base.group_portal")

    def call(self, model="isp.subscription"):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/get_map_data",
            {"model": model, "method": "get_map_data", "args": [[]], "kwargs": {}},
        )

    def test_every_isp_role(self):
        for group, user in self.users.items():
            self.authenticate(user.login, user.login)
            for model in ("isp.subscription", "isp.site"):
                data = self.call(model)
                self.assertIn("subscriptions", data, group)
                self.assertIn("sites", data, group)

    def test_portal_user_is_refused(self):
        self.authenticate(self.portal.login, self.portal.login)
        for model in ("isp.subscription", "isp.site"):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self.call(model)

    def test_public_is_refused(self):
        self.authenticate(None, None)
        with self.assertRaisesRegex(JsonRpcException, "SessionExpired"):
            self.call()

    def test_area_outage_over_rpc(self):
        """The drawn-area outage tool: ISP roles reach it, portal users do not."""
        area = [[-7.7, 110.3], [-7.7, 110.5], [-7.9, 110.5], [-7.9, 110.3]]
        params = {"model": "isp.subscription", "method": "get_area_outage", "args": [area], "kwargs": {}}
        route = "/web/dataset/call_kw/isp.subscription/get_area_outage"
        self.authenticate(self.users["technician"].login, self.users["technician"].login)
        self.assertIn("subscription_ids", self.make_jsonrpc_request(route, params))
        self.authenticate(self.portal.login, self.portal.login)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request(route, params)
