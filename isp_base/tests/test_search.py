# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestCustomerSearch(IspBaseCommon):
    """The customers' default search box and dropdowns find each key, as a billing user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.indonesia
        Partner = cls.env["res.partner"]
        cls.budi = Partner.create(cls.customer_vals(national_id="3404 0101 0101 0001", phone="(0274) 512345"))
        cls.siti = Partner.create(
            cls.customer_vals(name="Siti Rahayu", mobile="+62 813 1111 2222", national_id="3404020202020002")
        )
        cls.partners = Partner.with_user(cls.isp_billing)

    def box(self, text):
        """What the search box's default field (the name's filter_domain) finds."""
        found = self.partners.search([("is_isp_customer", "=", True), ("isp_search", "ilike", text)])
        return found & (self.budi | self.siti)  # the demo customers aside

    def dropdown(self, text):
        found = self.partners.name_search(text, [("is_isp_customer", "=", True)], limit=50)
        return self.partners.browse([partner_id for partner_id, _name in found]) & (self.budi | self.siti)

    def assertFinds(self, text, partner):
        self.assertEqual(self.box(text), partner, f"search box: {text}")
        self.assertIn(partner, self.dropdown(text), f"dropdown: {text}")

    def test_the_default_field_searches_the_isp_keys(self):
        arch = self.partners.get_view(view_type="search")["arch"]
        self.assertIn("('isp_search', 'ilike', self)", arch)

    def test_customer_number(self):
        self.assertFinds(self.budi.isp_customer_number, self.budi)
        self.assertFinds(self.siti.isp_customer_number.lower(), self.siti)

    def test_national_id(self):
        self.assertFinds("3404010101010001", self.budi)
        self.assertFinds("3404 0202", self.siti)

    def test_phone_in_local_form(self):
        self.assertEqual(self.budi.mobile, "+6281234567890")
        self.assertFinds("0812-3456-7890", self.budi)
        self.assertFinds("0812 3456", self.budi)
        self.assertFinds("0813", self.siti)
        self.assertFinds("(0274) 512345", self.budi)

    def test_phone_in_international_form(self):
        self.assertFinds("+62 813 1111 2222", self.siti)
        self.assertFinds("6281311", self.siti)
        self.assertFinds("0062 812 3456 7890", self.budi)

    def test_name_still_found_and_nothing_else(self):
        self.assertIn(self.siti, self.dropdown("Siti Rah"))
        self.assertFalse(self.box("0819 0000"))
        self.assertFalse(
            self.partners.search([("isp_search", "ilike", "-12")]), "three digits are not a phone search"
        )
