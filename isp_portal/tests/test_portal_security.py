# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .test_portal_common import IspPortalCommon


@tagged("post_install", "-at_install")
class TestPortalSecurity(IspPortalCommon):
    """Every route of the addon, as the owner, as another customer and as a visitor."""

    def test_owner_opens_every_page(self):
        self.authenticate("isp_portal_a", "isp_portal_a")
        for url in ["/my", "/my/services", *self.routes(self.sub_a)]:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertIn(self.sub_a.name, self.url_open("/my/services").text)

    def test_other_customer_gets_404(self):
        self.authenticate("isp_portal_b", "isp_portal_b")
        self.assertNotIn(self.sub_a.name, self.url_open("/my/services").text)
        for url in self.routes(self.sub_a):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 404, url)
        # Their own form's token, posted to the other customer's subscription.
        token = self.csrf_token(f"/my/services/{self.sub_b.id}/password")
        posts = {
            f"/my/services/{self.sub_a.id}/plan": {"plan_id": self.faster_plan.id},
            f"/my/services/{self.sub_a.id}/password": {
                "password": "Stolen123",
                "password_confirm": "Stolen123",
            },
        }
        for url, data in posts.items():
            response = self.url_open(url, data={**data, "csrf_token": token}, allow_redirects=False)
            self.assertEqual(response.status_code, 404, url)
        self.assertEqual(self.sub_a.product_id, self.capped_plan)
        self.assertNotEqual(self.sub_a.sudo().pppoe_password, "Stolen123")

    def test_nonexistent_and_draft_subscriptions_are_404(self):
        draft = self.subscribe(self.plan)
        self.authenticate("isp_portal_a", "isp_portal_a")
        for url in [f"/my/services/{draft.id}", "/my/services/99999999", "/my/services/99999999/usage"]:
            self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 404, url)

    def test_visitor_is_sent_to_login(self):
        urls = ["/my/services", *self.routes(self.sub_a)]
        for url in urls:
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertIn("/web/login", response.headers["Location"], url)
        for url in (f"/my/services/{self.sub_a.id}/plan", f"/my/services/{self.sub_a.id}/password"):
            response = self.url_open(
                url, data={"plan_id": self.faster_plan.id, "password": "x"}, allow_redirects=False
            )
            self.assertIn(response.status_code, (302, 303, 400), url)
            self.assertNotEqual(response.status_code, 200, url)
        self.assertEqual(self.sub_a.product_id, self.capped_plan)

    def test_posts_need_the_csrf_token(self):
        self.authenticate("isp_portal_a", "isp_portal_a")
        before = self.sub_a.sudo().pppoe_password
        for url, data in {
            f"/my/services/{self.sub_a.id}/plan": {"plan_id": self.faster_plan.id},
            f"/my/services/{self.sub_a.id}/password": {
                "password": "NoToken123",
                "password_confirm": "NoToken123",
            },
        }.items():
            response = self.url_open(url, data=data, allow_redirects=False)
            self.assertEqual(response.status_code, 400, url)
            response = self.url_open(url, data={**data, "csrf_token": "forged"}, allow_redirects=False)
            self.assertEqual(response.status_code, 400, url)
        self.assertEqual(self.sub_a.product_id, self.capped_plan)
        self.assertEqual(self.sub_a.sudo().pppoe_password, before)

    def test_portal_user_has_no_rights_on_subscriptions(self):
        """The pages work on the customer's own record as superuser: the portal user itself
        reads no subscription (nor, through RPC, anything the pages show)."""
        subscriptions = self.env["isp.subscription"].with_user(self.portal_a)
        self.assertFalse(subscriptions.has_access("read"))
