# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestCustomer(IspBaseCommon):
    def test_customer_gets_a_number_and_e164_phones(self):
        customer = self.env["res.partner"].create(self.customer_vals(phone="(0274) 512345"))
        self.assertRegex(customer.isp_customer_number, r"^C\d{6}$")
        self.assertEqual(customer.mobile, "+6281234567890")
        self.assertEqual(customer.phone, "+62274512345")

    def test_numbers_follow_each_other(self):
        first, second = self.env["res.partner"].create(
            [self.customer_vals(), self.customer_vals(name="Siti Rahayu", mobile="+62 813 1111 2222")]
        )
        self.assertEqual(int(second.isp_customer_number[1:]), int(first.isp_customer_number[1:]) + 1)

    def test_becoming_a_customer_assigns_a_number_and_normalises(self):
        partner = self.env["res.partner"].create(
            {"name": "Eko Prasetyo", "country_id": self.indonesia.id, "mobile": "0812 9999 0000"}
        )
        self.assertFalse(partner.isp_customer_number)
        self.assertEqual(partner.mobile, "0812 9999 0000", "non-customers are left alone")
        partner.is_isp_customer = True
        self.assertTrue(partner.isp_customer_number)
        self.assertEqual(partner.mobile, "+6281299990000")
        number = partner.isp_customer_number
        partner.write({"mobile": "081255556666"})
        self.assertEqual(partner.mobile, "+6281255556666")
        self.assertEqual(partner.isp_customer_number, number, "the number never changes")

    def test_company_country_is_the_fallback(self):
        self.env.company.country_id = self.indonesia
        customer = self.env["res.partner"].create(self.customer_vals(country_id=False))
        self.assertEqual(customer.mobile, "+6281234567890")

    def test_international_numbers_keep_their_country(self):
        customer = self.env["res.partner"].create(self.customer_vals(mobile="+7 912 345-67-89"))
        self.assertEqual(customer.mobile, "+79123456789")

    def test_invalid_phone_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "is not valid for Indonesia"):
            self.env["res.partner"].create(self.customer_vals(mobile="12"))
        customer = self.env["res.partner"].create(self.customer_vals())
        with self.assertRaisesRegex(ValidationError, "not valid"):
            customer.phone = "abc"

    def test_customer_number_is_unique(self):
        customer = self.env["res.partner"].create(self.customer_vals())
        other = self.env["res.partner"].create(self.customer_vals(name="Other", mobile="+6281311112222"))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            other.write({"isp_customer_number": customer.isp_customer_number})

    def test_national_id_is_cleaned_and_unique(self):
        customer = self.env["res.partner"].create(self.customer_vals(national_id="3471 0112 0390 0001"))
        self.assertEqual(customer.national_id, "3471011203900001")
        with self.assertRaisesRegex(ValidationError, "already used by customer Budi Santoso"):
            self.env["res.partner"].create(
                self.customer_vals(name="Twin", mobile="+6281311112222", national_id="3471011203900001")
            )
        # non-customers (a supplier's contact, say) are not bound by it
        self.env["res.partner"].create({"name": "Supplier", "national_id": "3471011203900001"})

    def test_service_location_in_range(self):
        with self.assertRaisesRegex(ValidationError, "out of range"):
            self.env["res.partner"].create(self.customer_vals(partner_latitude=-97.0))
        with self.assertRaisesRegex(ValidationError, "out of range"):
            self.env["res.partner"].create(self.customer_vals(partner_longitude=181.0))
        customer = self.env["res.partner"].create(
            self.customer_vals(partner_latitude=-7.7956, partner_longitude=110.3695, isp_site_id=self.pop.id)
        )
        self.assertEqual(self.pop.customer_count, 1)
        self.assertEqual(customer.isp_site_id, self.pop)
