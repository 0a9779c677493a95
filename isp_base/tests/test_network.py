# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestNetwork(IspBaseCommon):
    def test_site_tree(self):
        tower = self.env["isp.site"].create({"name": "Tower 1", "code": "T1", "parent_id": self.pop.id})
        ap = self.env["isp.site"].create(
            {"name": "AP 1", "code": "T1-AP1", "site_type": "access_point", "parent_id": tower.id}
        )
        self.assertEqual(ap.complete_name, "Test POP / Tower 1 / AP 1")
        self.assertEqual(
            self.env["isp.site"].search([("id", "child_of", self.pop.id)]), self.pop | tower | ap
        )

    def test_site_cannot_be_its_own_ancestor(self):
        tower = self.env["isp.site"].create({"name": "Tower 1", "code": "T1", "parent_id": self.pop.id})
        with self.assertRaisesRegex(ValidationError, "cannot be its own parent"):
            self.pop.parent_id = tower
        with self.assertRaisesRegex(ValidationError, "cannot be its own parent"):
            tower.parent_id = tower

    def test_site_code_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["isp.site"].create({"name": "Again", "code": "TPOP"})
        other_company = self.env["res.company"].create({"name": "Other ISP"})
        self.env["isp.site"].create({"name": "Elsewhere", "code": "TPOP", "company_id": other_company.id})

    def test_site_coordinates_in_range(self):
        with self.assertRaisesRegex(ValidationError, "latitude must be within"):
            self.env["isp.site"].create({"name": "North", "code": "N", "latitude": 91})
        with self.assertRaisesRegex(ValidationError, "longitude within"):
            self.pop.longitude = -180.5

    def test_nas_ip_is_validated_and_normalised(self):
        nas = self.env["isp.nas"].create({"name": "CCR", "ip_address": " 10.0.0.1 ", "site_id": self.pop.id})
        self.assertEqual(nas.ip_address, "10.0.0.1")
        v6 = self.env["isp.nas"].create({"name": "CCR6", "ip_address": "2001:DB8:0::1"})
        self.assertEqual(v6.ip_address, "2001:db8::1")
        for bad in ("10.0.0.256", "router.local", "10.0.0.01"):
            with (
                self.subTest(address=bad),
                self.assertRaisesRegex(ValidationError, "not a valid IPv4 or IPv6"),
            ):
                self.env["isp.nas"].create({"name": "Bad", "ip_address": bad})
        with self.assertRaisesRegex(ValidationError, "not a valid"):
            nas.ip_address = "nope"

    def test_nas_ip_unique_per_company(self):
        self.env["isp.nas"].create({"name": "CCR", "ip_address": "10.0.0.1"})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["isp.nas"].create({"name": "Same", "ip_address": "10.0.0.1"})
