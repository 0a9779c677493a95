# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager

from odoo.tests import TransactionCase, new_test_user


class IspBaseCommon(TransactionCase):
    """Users of each ISP group and helpers to make valid records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # The superuser and admin live in Europe/Brussels (Odoo's data), the test users in UTC, the
        # tests compare with the machine's date (UTC under Odoo): one time zone for all, or the
        # dates differ by a day for an hour each night.
        (cls.env.user | cls.env.ref("base.user_admin")).tz = "UTC"
        cls.indonesia = cls.env.ref("base.id")
        cls.company = cls.env.company
        cls.isp_user = new_test_user(cls.env, "isp_user", groups="isp_base.group_isp_user")
        cls.isp_billing = new_test_user(cls.env, "isp_billing", groups="isp_base.group_isp_billing")
        cls.isp_technician = new_test_user(cls.env, "isp_technician", groups="isp_base.group_isp_technician")
        cls.isp_manager = new_test_user(cls.env, "isp_manager", groups="isp_base.group_isp_manager")
        cls.pop = cls.env["isp.site"].create(
            {"name": "Test POP", "code": "TPOP", "site_type": "pop", "latitude": -7.8, "longitude": 110.37}
        )

    @classmethod
    def plan_vals(cls, **overrides):
        vals = {
            "name": "Test 10 Mbps",
            "is_isp_plan": True,
            "type": "service",
            "list_price": 166500,
            "download_kbps": 10000,
            "upload_kbps": 5000,
        }
        vals.update(overrides)
        return vals

    @classmethod
    def customer_vals(cls, **overrides):
        vals = {
            "name": "Budi Santoso",
            "is_isp_customer": True,
            "country_id": cls.indonesia.id,
            "mobile": "0812-3456-7890",
        }
        vals.update(overrides)
        return vals

    @contextmanager
    def assertRefused(self, exception, regex):
        """assertRaisesRegex that also undoes what the refused call wrote, as the end of an
        RPC request would (Odoo's assertRaises has a savepoint, assertRaisesRegex has not)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield
