# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.isp_subscription.tests.common import IspSubscriptionCommon

from .routeros_emulator import RouterOSEmulator

API_USER = "odoo"
API_PASSWORD = "api-secret"


class IspRouterosCommon(IspSubscriptionCommon):
    """A RouterOS emulator per test, managed over the API as the POP site's router."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nas = cls.env["isp.nas"].create(
            {
                "name": "CCR POP",
                "ip_address": "127.0.0.1",
                "site_id": cls.pop.id,
                "routeros_managed": True,
                "api_username": API_USER,
                "api_password": API_PASSWORD,
                "api_timeout": 3,
            }
        )
        cls.env.ref("isp_network.provisioner_routeros").active = True

    def setUp(self):
        super().setUp()
        self.router = RouterOSEmulator(username=API_USER, password=API_PASSWORD).start()
        self.addCleanup(self.router.stop)
        self.nas.api_port = self.router.port

    @classmethod
    def site(cls, name, parent, site_type="tower"):
        return cls.env["isp.site"].create(
            {
                "name": name,
                "code": name.upper().replace(" ", "-"),
                "site_type": site_type,
                "parent_id": parent.id,
                "latitude": -7.8,
                "longitude": 110.37,
            }
        )

    def active_subscription(self, plan=None, **values):
        """A subscription activated by billing staff, its provisioning jobs run."""
        subscription = self.subscribe(plan, **values)
        subscription.with_user(self.isp_billing).action_activate()
        self.run_provisioning_jobs()
        return subscription

    def reconcile(self, nas=None):
        """The dry run of a reconciliation, as an ISP technician opens it."""
        action = (nas or self.nas).with_user(self.isp_technician).action_routeros_reconcile()
        return self.env[action["res_model"]].with_user(self.isp_technician).browse(action["res_id"])

    def state(self, subscription):
        """The RouterOS backend's provisioning state of the subscription."""
        return subscription.provisioning_state_ids.filtered(
            lambda s: s.provisioner_id == self.env.ref("isp_network.provisioner_routeros")
        )

    def secret(self, subscription):
        return self.router.get("/ppp/secret", name=subscription.pppoe_username)

    def queue(self, subscription):
        return self.router.get("/queue/simple", name=subscription.pppoe_username)
