# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestCompany(IspBaseCommon):
    """A second company (a reseller, a second brand) sees nothing of the first, and
    records of one company never point at another company's sites."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company2 = cls.env["res.company"].create({"name": "Second ISP", "country_id": cls.indonesia.id})
        cls.billing2 = cls._company2_user("isp_billing2", "isp_base.group_isp_billing")
        cls.technician2 = cls._company2_user("isp_technician2", "isp_base.group_isp_technician")
        cls.customer1 = cls.env["res.partner"].create(
            cls.customer_vals(
                national_id="3471011203900001", email="budi@example.com", isp_site_id=cls.pop.id
            )
        )
        cls.nas1 = cls.env["isp.nas"].create({"name": "CCR", "ip_address": "10.1.0.1", "site_id": cls.pop.id})
        cls.pop2 = cls.env["isp.site"].create(
            {"name": "POP Two", "code": "P2", "site_type": "pop", "company_id": cls.company2.id}
        )

    @classmethod
    def _company2_user(cls, login, groups):
        return new_test_user(
            cls.env,
            login,
            groups=groups,
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )

    # customers get a company

    def test_customer_created_through_the_api_gets_the_current_company(self):
        self.assertEqual(self.customer1.company_id, self.company)
        env = self.env(user=self.isp_billing)
        customer = env["res.partner"].create(self.customer_vals(name="Siti", mobile="+6281311112222"))
        self.assertEqual(customer.company_id, self.company)
        in_company2 = (
            self.env["res.partner"]
            .with_company(self.company2)
            .create(self.customer_vals(name="Eko", mobile="+6281311113333"))
        )
        self.assertEqual(in_company2.company_id, self.company2)

    def test_customer_created_in_the_customers_form_gets_the_company(self):
        action = self.env.ref("isp_base.action_isp_customers")
        env = self.env(user=self.isp_billing, context=safe_eval(action.context))
        with Form(env["res.partner"]) as form:
            form.name = "Dewi Lestari"
            form.mobile = "0813 2222 3333"
            form.country_id = self.indonesia
        customer = form.record
        self.assertTrue(customer.is_isp_customer)
        self.assertEqual(customer.company_id, self.company)

    def test_an_explicit_company_is_kept(self):
        customer = self.env["res.partner"].create(self.customer_vals(company_id=self.company2.id))
        self.assertEqual(customer.company_id, self.company2)

    def test_contact_becoming_a_customer_gets_the_company(self):
        contact = self.env["res.partner"].create({"name": "Eko Prasetyo", "country_id": self.indonesia.id})
        self.assertFalse(contact.company_id, "ordinary contacts are left shared, as Odoo makes them")
        contact.with_user(self.isp_billing).is_isp_customer = True
        self.assertEqual(contact.company_id, self.company)
        contact.company_id = False
        self.assertEqual(contact.company_id, self.company, "an ISP customer is never shared")

    def test_a_customers_contact_takes_its_parents_company(self):
        company_customer = self.env["res.partner"].create(
            self.customer_vals(name="CV Maju", is_company=True, company_id=self.company2.id)
        )
        contact = self.env["res.partner"].create(
            self.customer_vals(name="Rina", mobile="+6281311114444", parent_id=company_customer.id)
        )
        self.assertEqual(contact.company_id, self.company2)

    # a user of company 2 sees nothing of company 1

    def test_other_company_cannot_read_write_or_search_customers(self):
        env = self.env(user=self.billing2)
        self.assertEqual(env.company, self.company2)
        customer = env["res.partner"].browse(self.customer1.id)
        with self.assertRaises(AccessError):
            customer.read(["national_id", "mobile", "email"])
        with self.assertRaises(AccessError):
            customer.write({"mobile": "+6281399998888"})
        with self.assertRaises(AccessError):
            customer.unlink()
        partners = env["res.partner"]
        self.assertFalse(partners.search([("id", "=", self.customer1.id)]))
        self.assertFalse(partners.search([("national_id", "=", "3471011203900001")]))
        self.assertFalse(
            partners.search([("is_isp_customer", "=", True), ("company_id", "!=", self.company2.id)])
        )

    def test_other_company_creates_its_own_customers(self):
        env = self.env(user=self.billing2)
        customer = env["res.partner"].create(
            self.customer_vals(name="Wayan", national_id="3471011203900001", isp_site_id=self.pop2.id)
        )
        self.assertEqual(customer.company_id, self.company2)
        self.assertTrue(customer.isp_customer_number)
        self.assertEqual(env["res.partner"].search([("is_isp_customer", "=", True)]), customer)
        # and company 1 does not see it either
        self.assertFalse(self.env(user=self.isp_billing)["res.partner"].search([("id", "=", customer.id)]))

    def test_other_company_sees_no_site_or_nas(self):
        for user in (self.billing2, self.technician2):
            with self.subTest(user=user.login):
                env = self.env(user=user)
                self.assertEqual(env["isp.site"].search([]), env["isp.site"].browse(self.pop2.id))
                self.assertFalse(env["isp.nas"].search([]))
                self.assertFalse(env["isp.site"].search_count([("id", "=", self.pop.id)]))
                with self.assertRaises(AccessError):
                    env["isp.site"].browse(self.pop.id).read(["name"])
                with self.assertRaises(AccessError):
                    env["isp.nas"].browse(self.nas1.id).read(["ip_address"])
                self.assertEqual(env["isp.site"].browse(self.pop2.id).customer_count, 0)
        with self.assertRaises(AccessError):
            self.env(user=self.technician2)["isp.nas"].browse(self.nas1.id).write({"name": "Mine"})

    # links stay within a company

    def test_customer_refuses_a_site_of_another_company(self):
        with self.assertRefused(UserError, "Incompatible companies"):
            self.env(user=self.billing2)["res.partner"].create(
                self.customer_vals(name="Wayan", isp_site_id=self.pop.id)
            )
        customer2 = self.env(user=self.billing2)["res.partner"].create(self.customer_vals(name="Wayan"))
        with self.assertRefused(UserError, "Incompatible companies"):
            customer2.isp_site_id = self.pop.id
        with self.assertRefused(UserError, "Incompatible companies"):
            self.customer1.company_id = self.company2
        self.assertEqual(self.customer1.company_id, self.company)

    def test_site_refuses_a_parent_of_another_company(self):
        env = self.env(user=self.technician2)
        with self.assertRefused(UserError, "Incompatible companies"):
            env["isp.site"].create({"name": "Tower", "code": "T", "parent_id": self.pop.id})
        tower = env["isp.site"].create({"name": "Tower", "code": "T", "parent_id": self.pop2.id})
        with self.assertRefused(UserError, "parent site Test POP belongs to another company"):
            tower.parent_id = self.pop.id
        # moving a site to another company leaves none of its children, NAS or customers behind
        with self.assertRefused(UserError, "Incompatible companies"):
            self.pop2.company_id = self.company
        with self.assertRefused(UserError, "Incompatible companies"):
            self.pop.company_id = self.company2

    def test_nas_refuses_a_site_of_another_company(self):
        env = self.env(user=self.technician2)
        with self.assertRefused(UserError, "Incompatible companies"):
            env["isp.nas"].create({"name": "CCR2", "ip_address": "10.2.0.1", "site_id": self.pop.id})
        nas = env["isp.nas"].create({"name": "CCR2", "ip_address": "10.2.0.1", "site_id": self.pop2.id})
        self.assertEqual(nas.company_id, self.company2)
        with self.assertRefused(UserError, "Incompatible companies"):
            nas.site_id = self.pop.id
