# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, tagged

from .common import IspPortalFixtures


@tagged("post_install", "-at_install")
class TestPaymentTour(HttpCase, IspPortalFixtures):
    """A suspended customer pays the overdue invoice in headless Chromium (desktop size) and is
    reconnected at once."""

    login = "isp_pay_tour"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.isp_demo_provider()
        plan = cls.isp_portal_plan(
            name="Tour 20 Mbps", data_cap_gb=100, fup_download_kbps=2000, fup_upload_kbps=1000
        )
        user = cls.isp_portal_user(cls.login, "Tour Customer")
        cls.subscription = cls.isp_portal_subscription(
            user.partner_id, plan, pppoe_username=f"{cls.login}-pppoe", pppoe_password="Tour2026pass"
        )
        cls.isp_usage(cls.subscription)
        cls.invoice = cls.isp_portal_invoice(cls.subscription, days_overdue=15)
        cls.isp_suspend_for_debt(cls.subscription, cls.invoice)

    def test_suspended_customer_pays_and_is_reconnected(self):
        self._pay_overdue_invoice()

    def _pay_overdue_invoice(self):
        self.assertEqual(self.subscription.state, "suspended")
        if self._radius_installed():
            self.assertEqual(self._radius_groups(), {("isp_suspended", 1)})
        self.start_tour(
            f"/my/services/{self.subscription.id}", "isp_portal_pay", login=self.login, timeout=120
        )
        self.env.invalidate_all()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.subscription.state, "active")
        reconnected = self.subscription.message_ids.filtered(lambda m: "Reconnected" in str(m.body))
        self.assertEqual(len(reconnected), 1)
        if self._radius_installed():
            # The RADIUS user is back in the active group (what isp_radius writes to FreeRADIUS).
            self.assertEqual(self._radius_groups(), {("isp_active", 1)})

    def _radius_installed(self):
        return "isp.radius.server" in self.env

    def _radius_groups(self):
        """The radusergroup rows isp_radius keeps for this subscription (default group names)."""
        server = self.env["isp.radius.server"].new({})
        return set(server._desired_rows(self.subscription.sudo()).groups)


@tagged("post_install", "-at_install")
class TestPaymentTourPhone(TestPaymentTour):
    """The same on a 375-pixel-wide phone screen."""

    login = "isp_pay_tour_phone"
    browser_size = "375x667"
    touch_enabled = True

    def test_suspended_customer_pays_and_is_reconnected_on_a_phone(self):
        self._pay_overdue_invoice()
