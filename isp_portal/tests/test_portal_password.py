# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .test_portal_common import IspPortalCommon


@tagged("post_install", "-at_install")
class TestPortalPassword(IspPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provisioner = cls.env["isp.provisioner"].create({"name": "Test network", "tech_name": "test"})

    def url(self, subscription=None):
        return f"/my/services/{(subscription or self.sub_a).id}/password"

    def post(self, password, confirm=None):
        token = self.csrf_token(self.url())
        return self.url_open(
            self.url(),
            data={
                "password": password,
                "password_confirm": password if confirm is None else confirm,
                "csrf_token": token,
            },
        )

    def test_new_password_reaches_the_network(self):
        old = self.sub_a.sudo().pppoe_password
        self.authenticate("isp_portal_a", "isp_portal_a")
        page = self.url_open(self.url()).text
        self.assertNotIn(old, page, "the stored password is never shown")
        self.assertIn("portal-a", page, "the username is")
        jobs_before = self.provisioning_jobs()
        response = self.post("N3w-Secret!")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your new password is being sent to the network", response.text)
        self.assertEqual(self.sub_a.sudo().pppoe_password, "N3w-Secret!")
        self.assertIn("new password in the portal", self.sub_a.message_ids[:1].body)
        self.assertEqual(self.sub_a.message_ids[:1].author_id, self.customer)
        jobs = self.provisioning_jobs() - jobs_before
        self.assertTrue(jobs, "a provisioning job tells the network")
        self.assertIn(self.sub_a, jobs.mapped(lambda job: job.args[1]))
        self.assertEqual(
            self.sub_a.provisioning_state_ids.filtered(lambda s: s.provisioner_id == self.provisioner).status,
            "pending",
        )

    def test_refused_passwords(self):
        old = self.sub_a.sudo().pppoe_password
        self.authenticate("isp_portal_a", "isp_portal_a")
        for password, confirm, message in (
            ("with space1", None, "blank character"),
            ("quote'quote", None, "quote or a backslash"),
            ("pässwörd12", None, "plain ASCII"),
            ("short", None, "at least 8"),
            ("", None, "Type a new password"),
            ("x" * 129, None, "too long"),
            ("Matching1", "Different1", "differ"),
        ):
            response = self.post(password, confirm)
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_isp_password_error", response.text, password)
            self.assertIn(message, response.text, password)
        self.assertEqual(self.sub_a.sudo().pppoe_password, old)
        self.assertFalse(self.provisioning_jobs())

    def test_static_ip_plans_have_no_password_page(self):
        subscription = self.subscribe(self.static_plan, static_ip="10.9.8.7")
        subscription.action_activate()
        self.authenticate("isp_portal_a", "isp_portal_a")
        self.assertEqual(self.url_open(self.url(subscription), allow_redirects=False).status_code, 404)
        self.assertNotIn("o_isp_password_link", self.url_open(f"/my/services/{subscription.id}").text)
